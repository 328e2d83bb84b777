"""Cached reads (the facts version) notice every write: this process's and another's."""

from __future__ import annotations

from bot.core.records import FactFile
from tests.harness import BotHarness, text_of, write_elsewhere

ZONE = {
    "id": "newtown",
    "name_zh": "新城高新技术产业开发区",
    "short_zh": "新城高新区",
    "name_en": "Newtown Hi-tech Zone",
    "source": "p000-kunshan",
}


async def test_a_zone_added_by_another_process_is_found_at_once(bot: BotHarness) -> None:
    assert "新城高新区" not in text_of(await bot.send("/zone 昆山"))
    zones = FactFile.model_validate({"zones": [ZONE]})
    await write_elsewhere(bot.settings.database_path, zones, via="test")
    text = text_of(await bot.send("/zone 新城"))
    assert "新城高新区" in text


async def test_the_version_is_read_once_while_nothing_changes(bot: BotHarness) -> None:
    store = bot.store
    first = await store.facts_version()
    statements: list[str] = []
    await store._read.set_trace_callback(statements.append)
    try:
        assert await store.facts_version() == first
        await bot.send("/zone 昆山")
    finally:
        await store._read.set_trace_callback(None)
    assert statements, "the /zone card reads through the reading connection"
    assert not [s for s in statements if "audit" in s], statements
    await store.apply_facts(FactFile.model_validate({"zones": [ZONE]}), via="test")
    assert await store.facts_version() > first
    assert "新城高新区" in text_of(await bot.send("/zone newtown"))
