"""Alerts and digests from the running bot through crashes and Telegram's faults (issue 7).

Case 2: kill -9 in the middle of a digest to 50 chats, restart: each chat has one copy.
Case 3: a 429 storm while alerting 200 chats: every alert arrives, once.
Case 4: a chat that blocked the bot goes inactive; a migrated group keeps its subscriptions.

New records come the way an operator adds them: ``python -m bot import FILE`` as a separate
process while the bot runs; the bot notices them within its alerts tick.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.botapi_server import ApiError, FakeBotApi, SentRecord
from tests.e2e.conftest import TOKEN, BotProcess, wait_until

pytestmark = pytest.mark.e2e

ZONE = "昆山"
DIGEST_TIME = 8 * 60 + 30  # the default digest time, 08:30, in minutes


class GatedApi(FakeBotApi):
    """FakeBotApi that, once ``open_sends`` is set, lets that many sendMessage through and
    holds the rest until ``release()``. A held request whose client has gone (the bot was
    killed) is dropped without delivering, as Telegram never saw it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_sends: int | None = None
        self.held = 0
        self._released = asyncio.Event()

    def release(self) -> None:
        self.open_sends = None
        self._released.set()

    async def _m_sendMessage(self, c: Any) -> Any:
        if self.open_sends is not None and not self._released.is_set():
            if self.open_sends > 0:
                self.open_sends -= 1
            else:
                self.held += 1
                self._notify()
                try:
                    while not self._released.is_set():
                        transport = c.request.transport
                        if transport is None or transport.is_closing():
                            raise ApiError(499, "client closed the request", injected=True)
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(self._released.wait(), 0.05)
                finally:
                    self.held -= 1
        return await super()._m_sendMessage(c)


@pytest_asyncio.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    """This module's server: the gate is idle unless a test sets ``open_sends``."""
    async with GatedApi(TOKEN) as api:
        yield api


def far_from_digest_time(now: datetime | None = None) -> str:
    """A fixed-offset zone where it is now about 12 hours from 08:30, so no scheduled digest
    can fall due during an alerts test and be taken for a second alert."""
    now = now or datetime.now(UTC)
    minute = now.hour * 60 + now.minute

    def distance(hours: int) -> int:
        local = (minute + hours * 60) % 1440
        diff = abs(local - DIGEST_TIME)
        return min(diff, 1440 - diff)

    best = max(range(-12, 15), key=distance)
    return f"Etc/GMT{-best:+d}"  # POSIX sign: Etc/GMT-8 is eight hours ahead of UTC


def fact_file(folder: Path, *names: tuple[str, str]) -> Path:
    """A fact file with new projects (id, Chinese name) in zone kunshan."""
    lines = ["version: 1", "projects:"]
    for record_id, name in names:
        lines += [
            f"  - id: {record_id}",
            "    zone: kunshan",
            f"    name_zh: {name}",
            '    sectors: ["新能源"]',
            "    stage: signed",
            "    source: p000-kunshan",
        ]
    path = folder / f"{names[0][0]}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def import_facts(bot: BotProcess, path: Path) -> None:
    result = await bot.command("import", str(path))
    assert result.returncode == 0, result.stderr
    assert "1 new" in result.stdout or "new" in result.stdout, result.stdout


def received(server: FakeBotApi, chat_id: int, needle: str, since: int = 0) -> list[SentRecord]:
    """Messages Telegram accepted for ``chat_id`` that mention ``needle``."""
    return [
        r
        for r in server.sent[since:]
        if r.ok
        and r.method == "sendMessage"
        and r.chat_id == chat_id
        and needle in (r.message or {}).get("text", "")
    ]


def chats_reached(server: FakeBotApi, needle: str, since: int = 0) -> set[int]:
    return {
        int(r.chat_id)
        for r in server.sent[since:]
        if r.ok
        and r.method == "sendMessage"
        and isinstance(r.chat_id, int)
        and needle in (r.message or {}).get("text", "")
    }


async def all_answered(
    server: FakeBotApi, bot: BotProcess, chat_ids: Iterable[int], since: int, timeout: float
) -> None:
    """Wait until every chat got at least one accepted message after ``since``."""
    wanted = set(chat_ids)

    def done() -> bool:
        got = {r.chat_id for r in server.sent[since:] if r.ok and r.method == "sendMessage"}
        return wanted <= got

    await wait_until(server, done, timeout, f"answers in {len(wanted)} chats", process=bot)


async def subscribe_private(
    server: FakeBotApi, bot: BotProcess, chat_ids: list[int], *more: str
) -> None:
    """Each private chat subscribes to the zone (and sends ``more`` commands)."""
    for text in (f"/subscribe zone {ZONE}", *more):
        mark = server.mark()
        for chat_id in chat_ids:
            server.send_message(text, user_id=chat_id)
        await all_answered(server, bot, chat_ids, mark, timeout=60)
        for chat_id in chat_ids[:3]:
            reply = next(r for r in server.sent[mark:] if r.chat_id == chat_id)
            assert "用法" not in (reply.text or ""), reply.text


def in_list(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


# ---------------------------------------------------------------------------- case 2


async def test_kill_9_mid_digest_then_restart_each_chat_gets_one_copy(
    server: GatedApi, spawn: Callable[..., BotProcess], tmp_path: Path
) -> None:
    chats = list(range(200001, 200051))
    bot = spawn()
    await bot.start_ready()
    await subscribe_private(server, bot, chats, "/alerts digest")
    probe = "端到端摘要探针项目"
    await import_facts(bot, fact_file(tmp_path, ("kunshan-e2e-digest-probe", probe)))
    assert await bot.terminate() == 0
    assert chats_reached(server, probe) == set(), "digest mode must not send instant alerts"

    # Every chat's digest time passed while the bot was down: due at the first tick.
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat(timespec="seconds")
    bot.execute(f"UPDATE chats SET next_digest_at = ? WHERE id IN ({in_list(chats)})", (past,))

    # Half the digests go through; the rest hang in Telegram until the bot is killed.
    server.open_sends = 25
    mark = server.mark()
    await bot.start_ready()
    await wait_until(
        server,
        lambda: server.held > 0 and len(chats_reached(server, probe, mark)) == 25,
        60,
        "half the digests sent and the rest in flight",
        process=bot,
    )
    # Wait until the bot has recorded what Telegram accepted (a crash between Telegram's
    # answer and that write can repeat a message; no protocol can close that gap).
    await wait_until(
        server,
        lambda: bot.query("SELECT COUNT(*) FROM digests WHERE sent_at IS NOT NULL") == [(25,)],
        20,
        "25 digests recorded as sent",
        process=bot,
    )
    bot.kill()
    await wait_until(server, lambda: server.held == 0, 10, "held requests dropped")
    assert len(chats_reached(server, probe, mark)) == 25

    server.release()
    await bot.start_ready()
    await wait_until(
        server,
        lambda: chats_reached(server, probe, mark) >= set(chats),
        60,
        "a digest in every chat",
        process=bot,
    )
    assert await bot.terminate() == 0
    copies = {chat: len(received(server, chat, probe, mark)) for chat in chats}
    assert {chat: n for chat, n in copies.items() if n != 1} == {}
    assert bot.query("SELECT COUNT(*) FROM digests WHERE sent_at IS NULL") == [(0,)]
    assert server.validation_errors == []


# ---------------------------------------------------------------------------- case 3


async def test_429_storm_while_alerting_200_chats_loses_and_doubles_nothing(
    server: FakeBotApi, spawn: Callable[..., BotProcess], tmp_path: Path
) -> None:
    chats = list(range(210001, 210201))
    bot = spawn(env={"BOT_TIMEZONE": far_from_digest_time()})
    await bot.start_ready()
    await subscribe_private(server, bot, chats)

    probe = "端到端风暴探针项目"
    mark = server.mark()
    await import_facts(bot, fact_file(tmp_path, ("kunshan-e2e-storm-probe", probe)))
    await server.wait_for(
        lambda r: r.method == "sendMessage" and probe in (r.text or ""), 40, since=mark
    )
    server.storm(seconds=3, retry_after=1)
    await wait_until(
        server,
        lambda: chats_reached(server, probe, mark) >= set(chats),
        90,
        "the alert in all 200 chats",
        process=bot,
    )
    # Every delivery recorded as sent: nothing is left that a later tick could send again.
    seq = bot.query("SELECT seq FROM feed WHERE record_id = 'kunshan-e2e-storm-probe'")[0][0]
    await wait_until(
        server,
        lambda: (
            bot.query("SELECT COUNT(*) FROM deliveries WHERE seq = ? AND sent_at IS NULL", (seq,))
            == [(0,)]
        ),
        10,
        "every delivery recorded",
        process=bot,
    )
    assert await bot.terminate() == 0

    refused = [r for r in server.sent[mark:] if r.status == 429 and probe in (r.text or "")]
    assert len(refused) >= 20, "the storm did not hit the alerts; the test proved nothing"
    copies = {chat: len(received(server, chat, probe, mark)) for chat in chats}
    assert {chat: n for chat, n in copies.items() if n != 1} == {}
    assert server.validation_errors == []


# ---------------------------------------------------------------------------- case 4


async def test_blocked_chat_goes_inactive_and_migrated_groups_keep_subscriptions(
    server: FakeBotApi, spawn: Callable[..., BotProcess], tmp_path: Path
) -> None:
    blocked, fine = 220001, 220002
    admin = 220003
    # One group migrates silently (the bot learns it from a failed send), the other with
    # the service messages Telegram sends when a group is upgraded.
    quiet_old, quiet_new = -4220001, -1004220001
    loud_old, loud_new = -4220002, -1004220002
    bot = spawn(env={"BOT_TIMEZONE": far_from_digest_time()})
    await bot.start_ready()
    await subscribe_private(server, bot, [blocked, fine])
    for group in (quiet_old, loud_old):
        server.set_chat_member(group, admin, "administrator")
        mark = server.mark()
        server.send_message(
            f"/subscribe zone {ZONE}", chat_id=group, user_id=admin, chat_type="group"
        )
        await all_answered(server, bot, [group], mark, timeout=15)
    assert bot.query(
        f"SELECT COUNT(*) FROM subscriptions WHERE chat_id IN ({in_list([quiet_old, loud_old])})"
    ) == [(2,)]

    server.block_chat(blocked)
    server.migrate_chat(quiet_old, quiet_new)
    update = server.migrate_update(loud_old, loud_new, user_id=admin)
    await server.wait_confirmed(update)

    first = "端到端屏蔽探针项目"
    mark = server.mark()
    await import_facts(bot, fact_file(tmp_path, ("kunshan-e2e-block-probe", first)))
    # One tick: the blocked chat fails and goes inactive, the quiet group's send fails with
    # its new id and the chat moves there (its alert follows next tick).
    await wait_until(
        server,
        lambda: (
            chats_reached(server, first, mark) >= {fine, loud_new}
            and bot.query("SELECT active FROM chats WHERE id = ?", (blocked,)) == [(0,)]
            and bot.query("SELECT migrated_to FROM chats WHERE id = ?", (quiet_old,))
            == [(quiet_new,)]
        ),
        60,
        "the first alert sent, the blocked chat inactive, the quiet group moved",
        process=bot,
    )
    assert received(server, blocked, first, mark) == []
    tried = [r for r in server.sent[mark:] if r.chat_id == blocked and r.method == "sendMessage"]
    assert tried and all(r.status == 403 for r in tried)

    # The subscriptions live under the new ids; the old ids point there.
    for old, new in ((quiet_old, quiet_new), (loud_old, loud_new)):
        assert bot.query("SELECT kind FROM subscriptions WHERE chat_id = ?", (new,)) == [("zone",)]
        assert bot.query("SELECT COUNT(*) FROM subscriptions WHERE chat_id = ?", (old,)) == [(0,)]
        assert bot.query("SELECT migrated_to FROM chats WHERE id = ?", (old,)) == [(new,)]

    # The next record: the blocked chat is not even tried, the others get both, once each.
    second = "端到端后续探针项目"
    mark2 = server.mark()
    await import_facts(bot, fact_file(tmp_path, ("kunshan-e2e-after-probe", second)))
    targets = {fine, quiet_new, loud_new}
    await wait_until(
        server,
        lambda: (
            chats_reached(server, second, mark2) >= targets
            and chats_reached(server, first, mark) >= targets
        ),
        60,
        "both alerts everywhere",
        process=bot,
    )
    assert await bot.terminate() == 0
    assert [r for r in server.sent[mark2:] if r.chat_id == blocked] == []
    for chat in targets:
        assert len(received(server, chat, first, mark)) == 1, chat
        assert len(received(server, chat, second, mark)) == 1, chat
    assert server.validation_errors == []
