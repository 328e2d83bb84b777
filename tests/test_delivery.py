"""Sending under Telegram's limits: pacing, long holds handed back, answers classified."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.jobs.delivery import Gone, Migrated, Pacer, RetryLater, Sent, send
from storage import Store
from tests.harness import BotHarness


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_chat_held_for_an_hour_is_handed_back_at_once(bot: BotHarness) -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    pacer.hold(1001, 3600)
    before = len(bot.api.calls)
    # Returns without sleeping the hour (the bound only guards against a hang).
    outcome = await asyncio.wait_for(send(bot.app.bot, pacer, 1001, "hi"), timeout=30)
    assert isinstance(outcome, RetryLater) and outcome.seconds >= 3599
    assert len(bot.api.calls) == before  # nothing was sent to the held chat
    # Other chats are not held up.
    assert isinstance(await send(bot.app.bot, pacer, 1002, "hi"), Sent)
    clock.now += 3601
    assert isinstance(await send(bot.app.bot, pacer, 1001, "hi"), Sent)


async def test_telegram_answers_become_outcomes(bot: BotHarness) -> None:
    pacer = Pacer(clock=FakeClock(), overall_rate=0)
    api = bot.api
    api.fail_next["sendMessage"] = [
        (429, "Too Many Requests: retry after 7", {"retry_after": 7}),
        (403, "Forbidden: bot was blocked by the user", None),
        (
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": -1009},
        ),
    ]
    first = await send(bot.app.bot, pacer, -5, "a")
    assert isinstance(first, RetryLater) and first.seconds == 7
    assert pacer.wait_time(-5) >= 7
    assert isinstance(await send(bot.app.bot, pacer, 6, "b"), Gone)
    migrated = await send(bot.app.bot, pacer, 7, "c")
    assert isinstance(migrated, Migrated) and migrated.new_chat_id == -1009


async def test_reads_never_see_another_coroutines_open_transaction(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        async with store.transaction() as db:
            await db.execute("INSERT INTO meta(key, value) VALUES ('k', 'v')")
            assert await store.scalar("SELECT value FROM meta WHERE key = 'k'") is None
        assert await store.scalar("SELECT value FROM meta WHERE key = 'k'") == "v"
    finally:
        await store.close()
