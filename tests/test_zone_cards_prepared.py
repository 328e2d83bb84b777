"""Zone cards prepared in the background (bot/jobs/zone_cards.py): the same card a reader gets
at the question, never one older than the last write, served without touching the store."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bot.context import services_of
from bot.core.records import FactFile
from bot.jobs import zone_cards
from tests.harness import ADMIN_ID, BotHarness, say, text_of
from tests.test_zone_card_cache import PROJECT


async def prepare(bot: BotHarness) -> zone_cards.PreparedCards:
    """Ticks of the job until one prepares (after a write, the first tick only notes it),
    awaited to the end of its preparation."""
    task = await zone_cards.tick(bot.app) or await zone_cards.tick(bot.app)
    assert task is not None, "two ticks prepared nothing"
    await task
    return services_of(bot.app).zone_cards


async def test_every_zone_is_prepared_as_it_would_be_rendered_at_the_question(
    bot: BotHarness,
) -> None:
    cards = await prepare(bot)
    services = services_of(bot.app)
    view = services.facts
    assert view is not None and cards.prepared == view.version
    # Every zone (the four with records and the directory's) in both languages, and the card
    # of each name that fits several zones (昆山: 昆山高新区 and a line for 昆山经开区).
    shown = zone_cards.cards_shown(view)
    assert {zone_id for zone_id, _ in shown} == set(view.zones)
    assert ("kunshan", ("kunshan-etdz",)) in shown
    assert len(cards) == 2 * len(shown) > 2 * len(view.zones) > 800
    for zone_id, others in shown:
        for lang in zone_cards.LANGS:
            fresh = await zone_cards.build_card(bot.store, view, zone_id, lang, others=others)
            kept = cards.get(view.version, zone_id, others, lang)
            assert fresh is not None and kept is not None
            assert (kept.text, kept.buttons) == (fresh.text, fresh.buttons), zone_id


async def test_a_prepared_card_is_answered_without_reading_the_store(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = text_of(await bot.send("/zone 昆山"))
    await prepare(bot)

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the card was read from the store")

    monkeypatch.setattr(bot.store, "zone_card_reads", broken)
    assert text_of(await bot.send("/zone 昆山")) == before
    assert "Leading industries" in text_of(await bot.send("/zone kunshan", lang="en"))
    # A directory zone with nothing recorded has its prepared card too.
    assert "国家级高新区" in text_of(await bot.send("/zone 合肥高新区"))


async def test_a_write_after_preparing_shows_on_the_next_card(bot: BotHarness) -> None:
    await prepare(bot)
    await bot.store.apply_facts(FactFile.model_validate({"projects": [PROJECT]}), via="test")
    text = text_of(await bot.send("/zone 昆山"))
    assert "新建晶圆封测产线项目" in text and "本库收录 5 个项目" in text
    # The new version's cards, once prepared, have it too.
    cards = await prepare(bot)
    view = services_of(bot.app).facts
    assert view is not None and cards.prepared == view.version
    kept = cards.get(view.version, "kunshan", (), "zh")
    assert kept is not None and "新建晶圆封测产线项目" in kept.text


async def test_preparing_waits_until_the_facts_are_quiet(bot: BotHarness) -> None:
    await prepare(bot)  # at start-up: at once
    assert await zone_cards.tick(bot.app) is None  # prepared already
    await bot.store.apply_facts(FactFile.model_validate({"projects": [PROJECT]}), via="test")
    # The first tick after a write only notes it (an import or an editing admin may write
    # again); the next, finding no newer write, prepares.
    assert await zone_cards.tick(bot.app) is None
    task = await zone_cards.tick(bot.app)
    assert task is not None
    await task


async def test_admins_and_names_fitting_several_zones_get_their_own_card(
    bot: BotHarness,
) -> None:
    await prepare(bot)
    reader = text_of(await bot.send("/zone 合肥高新区"))
    admin = text_of(await bot.send("/zone 合肥高新区", chat_id=ADMIN_ID, user_id=ADMIN_ID))
    assert "由名称推断" in admin and "/add signing" in admin
    assert "由名称推断" not in reader and "/add" not in reader


async def test_a_card_rendered_at_the_question_is_kept_for_the_next(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = text_of(await bot.send("/zone 昆山"))

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the card was read again")

    monkeypatch.setattr(bot.store, "zone_card_reads", broken)
    view = services_of(bot.app).facts
    assert view is not None
    view._cards.clear()  # the kept reads too: only the kept card can answer
    assert text_of(await bot.send("/zone 昆山")) == first


async def test_stopping_while_preparing_loses_nothing(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    task = await zone_cards.tick(bot.app)
    assert task is not None
    await asyncio.sleep(0)
    assert not task.done()
    caplog.set_level(logging.INFO)
    await bot.stop()
    assert task.cancelled()
    assert "failed" not in caplog.text
    await bot.start()  # the fixture stops it again
    assert "昆山" in text_of(await bot.send("/zone 昆山"))


async def test_status_tells_admins_whether_the_cards_are_prepared(bot: BotHarness) -> None:
    before = text_of(await say(bot, "/status"))
    assert "园区卡片：准备中" in before
    cards = await prepare(bot)
    after = text_of(await say(bot, "/status"))
    assert f"园区卡片：已按当前数据备好 {len(cards)} 张" in after
    await bot.store.apply_facts(FactFile.model_validate({"projects": [PROJECT]}), via="test")
    # Prepared for facts that have changed since: not said to be current.
    assert "园区卡片：准备中" in text_of(await say(bot, "/status"))
    english = text_of(await say(bot, "/status", lang="en"))
    assert "zone cards: being prepared" in english


async def test_a_card_that_cannot_be_made_leaves_the_others_prepared(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    build = zone_cards.build_card

    async def failing(store: Any, view: Any, zone_id: str, *args: Any, **kwargs: Any) -> Any:
        if zone_id == "changde":
            raise ValueError("a stored record that cannot be read")
        return await build(store, view, zone_id, *args, **kwargs)

    monkeypatch.setattr(zone_cards, "build_card", failing)
    cards = await prepare(bot)
    view = services_of(bot.app).facts
    assert view is not None and cards.prepared == view.version
    # Its cards (its own, and with the other zones its names fit) in either language.
    assert cards.failed == 2 * sum(1 for z, _ in zone_cards.cards_shown(view) if z == "changde")
    assert cards.failed >= 2
    assert cards.get(view.version, "kunshan", (), "zh") is not None
    assert cards.get(view.version, "changde", (), "zh") is None
    assert caplog.text.count("preparing the zone card of changde failed") == 1  # logged once
    # Not tried again every tick: only once the facts change.
    assert await zone_cards.tick(bot.app) is None
    monkeypatch.setattr(zone_cards, "build_card", build)
    assert "常德" in text_of(await bot.send("/zone 常德"))


async def test_nothing_is_prepared_once_the_bot_is_stopping(bot: BotHarness) -> None:
    cards = services_of(bot.app).zone_cards
    await cards.close()
    assert await zone_cards.tick(bot.app) is None
    assert len(cards) == 0
