"""Places a record names, for English readers: provinces and cities of the zone directory in
pinyin; any other place as written, letters and digits kept (not joined syllables)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.core.records import FactFile
from bot.settings import Settings
from tests.harness import BotHarness, text_of

EVENT = {
    "id": "jiaxing-g60-plot-signing",
    "zone": "jiaxing",
    "kind": "matchmaking",
    "title_zh": "嘉兴G60走廊地块对接活动",
    "title_en": "Jiaxing G60 corridor plot matchmaking",
    "date": None,
    "places": ["G60科创走廊", "A3地块", "嘉兴市", "浙江省"],
    "summary_zh": "嘉兴在G60科创走廊A3地块举行对接活动（页面未给日期）。",
    "source": "p000-kunshan",
}


@pytest.fixture
async def asker(settings: Settings) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings) as harness:
        await harness.store.apply_facts(FactFile.model_validate({"events": [EVENT]}), via="test")
        yield harness


async def test_places_keep_their_letters_and_digits_in_english(asker: BotHarness) -> None:
    reply = text_of(
        await asker.send("Where was the Jiaxing G60 corridor plot matchmaking held?", lang="en")
    )
    assert "Places: G60科创走廊, A3地块, Jiaxing, Zhejiang" in reply
    assert "Kechuangzoulang" not in reply and "Dikuai" not in reply
    chinese = text_of(await asker.send("嘉兴G60走廊地块对接活动在哪里举行"))
    assert "地点：G60科创走廊、A3地块、嘉兴市、浙江省" in chinese


async def test_a_foreign_place_is_shown_as_written_in_english(asker: BotHarness) -> None:
    reply = text_of(await asker.send("Where were the Changde tower cranes delivered?", lang="en"))
    assert "Places: 印尼雅加达" in reply
    assert "Yinniyajiada" not in reply
