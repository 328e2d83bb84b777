"""Sending under Telegram's limits: pacing, long holds handed back, answers classified."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from bot.jobs.delivery import (
    Gone,
    Migrated,
    Outcome,
    Outgoing,
    Pacer,
    Refused,
    RetryLater,
    Sent,
    send,
    settle,
)
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


@dataclass
class Robot:
    """A destination that is not Telegram (as a workplace-IM robot would be): it answers
    with the outcomes it is given and keeps what it was sent."""

    chat_id: int
    answers: list[Outcome]
    thread_id: int | None = None
    got: list[Outgoing] = field(default_factory=list)

    async def deliver(self, message: Outgoing, *, attempts: int = 0) -> Outcome:
        self.got.append(message)
        return self.answers.pop(0)


@dataclass
class Recorder:
    """A parcel that notes which of its parts the outcome handler asked for."""

    calls: list[str] = field(default_factory=list)

    async def accepted(self) -> None:
        self.calls.append("accepted")

    async def postpone(self, later: RetryLater) -> None:
        self.calls.append(f"postpone {later.seconds:.0f}")

    async def abandon(self) -> None:
        self.calls.append("abandon")


async def test_one_outcome_handler_for_any_destination(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        for chat_id in (-100, -200, -300, -400, -500):
            await store.ensure_chat(chat_id, "supergroup", "g")
        message = Outgoing("<b>new</b>", ((("details", "p:x"),),))

        async def one(chat_id: int, outcome: Outcome, thread_id: int | None = None) -> str:
            robot = Robot(chat_id, [outcome], thread_id)
            parcel = Recorder()
            settled = await settle(store, robot, await robot.deliver(message), parcel, "test")
            assert robot.got == [message]
            return f"{settled}: {', '.join(parcel.calls)}"

        assert await one(-100, Sent(1)) == "sent: accepted"
        assert await one(-200, RetryLater(30, "rate limited")) == "postponed: postpone 30"
        assert await one(-300, Refused("message is too long")) == "abandoned: abandon"
        # A deleted topic loses that message, not the chat.
        topic = Gone("Bad Request: message thread not found")
        assert await one(-400, topic, thread_id=7) == "abandoned: abandon"
        kept = await store.chat(-400)
        assert kept is not None and kept.active
        # Blocked: the chat goes inactive, nothing of the parcel is recorded.
        assert await one(-500, Gone("Forbidden: bot was kicked")) == "gone: "
        gone = await store.chat(-500)
        assert gone is not None and not gone.active
        # Migrated: the chat's row moves to the new id.
        assert await one(-100, Migrated(-1009)) == "migrated: "
        old = await store.chat(-100)
        assert old is not None and old.migrated_to == -1009 and not old.active
        moved = await store.chat(-1009)
        assert moved is not None and moved.active
    finally:
        await store.close()
