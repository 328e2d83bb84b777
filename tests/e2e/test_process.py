"""The bot as a process: start-up, answers over HTTP, SIGTERM, a second copy, and the token.

Cases 1, 5 and 7 of issue 7: ``python -m bot`` against the fake Bot API on 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.botapi_server import FakeBotApi
from tests.e2e.conftest import (
    ADMIN_ID,
    SECRET,
    TOKEN,
    BotProcess,
    answer,
    replies_to,
    request_dump,
    wait_until,
)

pytestmark = pytest.mark.e2e

ALICE = 100101
BOB = 100102
CAROL = 100103


# python-telegram-bot says this at CRITICAL when a long poll returns during shutdown; those
# updates stay unconfirmed and come again after a restart, so nothing is lost.
_BENIGN = "Pulled updates will be ignored and pulled again on restart"


def assert_clean_log(text: str) -> None:
    """No traceback, nothing at ERROR or CRITICAL: a run without incident."""
    assert "Traceback" not in text, text[-4000:]
    bad = [
        line
        for line in text.splitlines()
        if re.search(r" (ERROR|CRITICAL) ", line) and _BENIGN not in line
    ]
    assert bad == [], "\n".join(bad[:20])


async def settle(server: FakeBotApi, bot: BotProcess, user_id: int) -> None:
    """Wait until every queued update is confirmed and processed.

    A sentinel /help goes last; the bot handles updates one at a time, in order, so once
    the sentinel is answered everything queued before it has been handled.
    """
    mark = server.mark()
    server.send_message("/help", user_id=user_id)
    await answer(server, user_id, mark)
    await wait_until(server, lambda: not server.pending_updates, 10, "updates confirmed")


async def test_start_help_zone_then_sigterm_exits_cleanly_and_loses_nothing(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    bot = spawn()
    await bot.start_ready()
    # A clean database got the schema, the seed and the command menu before polling began.
    assert bot.database.exists()
    assert bot.query("SELECT COUNT(*) FROM zones WHERE id = 'kunshan'") == [(1,)]
    assert ("default", "") in server.commands and ("default", "en") in server.commands

    mark = server.mark()
    server.send_message("/start", user_id=ALICE, first_name="小李")
    start = await answer(server, ALICE, mark)
    assert start.ok and "招商助手" in (start.text or "") and "小李" in (start.text or "")

    mark = server.mark()
    server.send_message("/help", user_id=ALICE)
    help_reply = await answer(server, ALICE, mark)
    assert help_reply.ok and "/zone" in (help_reply.text or "")

    mark = server.mark()
    server.send_message("/zone 昆山", user_id=ALICE)
    card = await answer(server, ALICE, mark)
    assert card.ok, card.error
    assert "昆山" in (card.text or "") and "高新" in (card.text or ""), card.text

    mark = server.mark()
    server.send_message("/zone kunshan", user_id=ALICE, language_code="en")
    card_en = await answer(server, ALICE, mark)
    assert card_en.ok and "Kunshan" in (card_en.text or ""), card_en.text

    # Bob writes and the bot is told to stop at once: his message is answered now or, if
    # not yet confirmed to Telegram, after the restart, but it is neither lost nor doubled.
    mark_bob = server.mark()
    server.send_message("/help", user_id=BOB)
    assert await bot.terminate() == 0
    assert_clean_log(bot.stderr())
    assert "stopped" in bot.stderr()
    answered_before = len(replies_to(server, BOB, mark_bob))
    still_pending = any(
        u.get("message", {}).get("chat", {}).get("id") == BOB for u in server.pending_updates
    )
    assert answered_before + still_pending == 1, (answered_before, server.pending_updates)

    await bot.start_ready()
    await settle(server, bot, CAROL)
    assert len(replies_to(server, BOB, mark_bob)) == 1
    # Nothing Alice asked before the stop was answered a second time after the restart.
    alice_texts = [r.params.get("text") for r in replies_to(server, ALICE)]
    assert len(alice_texts) == 4, alice_texts
    assert await bot.terminate() == 0
    assert_clean_log(bot.stderr())
    assert server.validation_errors == []


async def test_sigterm_while_idle_confirms_every_answered_update(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    """Stopping an idle bot (a long poll in flight) must not make it answer twice later."""
    bot = spawn()
    await bot.start_ready()
    for n in range(3):
        mark = server.mark()
        server.send_message(f"/help {n}", user_id=ALICE)
        await answer(server, ALICE, mark)
    # Idle: the bot holds a long poll; SIGTERM cancels it and PTB confirms the offset.
    # The bot confirms an update by asking for the next ones: once none is pending, its
    # next long poll is in flight.
    await wait_until(server, lambda: not server.pending_updates, 10, "the next long poll")
    assert await bot.terminate() == 0
    assert_clean_log(bot.stderr())
    assert server.pending_updates == []

    await bot.start_ready()
    await settle(server, bot, CAROL)
    assert len(replies_to(server, ALICE)) == 3
    assert await bot.terminate() == 0


async def test_second_copy_on_the_same_database_refuses_to_start(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    first = spawn(name="first")
    await first.start_ready()
    api_calls = sum(server.calls.values())

    second = spawn(name="second", database=first.database)
    second.start()
    code = await second.wait_exit(20)
    assert code != 0
    err = second.stderr()
    assert "Traceback" not in err, err
    assert "another copy of the bot" in err and f"pid {first.pid}" in err, err
    assert str(first.database) in err
    # The refusal comes before any call to Telegram: the second copy never polled.
    assert sum(server.calls.values()) - api_calls <= 1  # at most the first bot's own poll
    assert server.calls["getMe"] == 1

    # The first copy is unharmed and still answers.
    assert first.alive
    mark = server.mark()
    server.send_message("/help", user_id=ALICE)
    assert (await answer(server, ALICE, mark)).ok
    assert len(replies_to(server, ALICE)) == 1

    # Once the first is gone, the lock is free again.
    assert await first.terminate() == 0
    await second.start_ready()
    assert await second.terminate() == 0


async def test_token_never_in_logs_replies_or_requests(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    """Even at DEBUG, through network errors and 429s, the token shows up nowhere."""
    bot = spawn(log_level="DEBUG")
    assert (await bot.command("import", "--help")).returncode == 0
    await bot.start_ready()

    mark = server.mark()
    for text in ("/start", "/help", "/lang en", "/nosuchcommand", "/lang"):
        server.send_message(text, user_id=ALICE)
    await wait_until(server, lambda: len(replies_to(server, ALICE, mark)) >= 5, 15, "five answers")

    # Replies that fail: a 502 (NetworkError inside a handler, logged in one line and not
    # reported to the admins, who would otherwise get one report per failed call) and a 429
    # (RetryAfter raised to the handler).
    server.fail_fraction(1.0, kinds=("502",))
    mark = server.mark()
    server.send_message("/help", user_id=BOB)
    await answer(server, BOB, mark)
    server.fail_fraction(0.0)
    server.storm(seconds=2, retry_after=1)
    mark = server.mark()
    server.send_message("/help", user_id=CAROL)
    await answer(server, CAROL, mark)
    server.stop_storm()

    # Polling itself fails for a while: the updater logs the error and retries. A message
    # ends the long poll already in flight, so the next polls meet the fault at once.
    server.fault_methods = frozenset({"getUpdates"})
    server.fail_fraction(1.0, kinds=("502",))
    polls = server.calls["getUpdates"]
    mark = server.mark()
    server.send_message("/help", user_id=ALICE)
    await wait_until(server, lambda: server.calls["getUpdates"] >= polls + 2, 15, "failed polls")
    server.fail_fraction(0.0)
    await answer(server, ALICE, mark)
    mark = server.mark()
    server.send_message("/help", user_id=ALICE)
    await answer(server, ALICE, mark, timeout=20)

    assert await bot.terminate() == 0

    # A bot started with a token the server rejects must say so without echoing it.
    wrong = "7000000002:" + "AAHz9Yx8Wv7Ut6Sr5Qp4On3Ml2Kj1Ih0GfE"
    rejected = spawn(name="rejected", token=wrong)
    rejected.start()
    assert await rejected.wait_exit(30) != 0

    for process, secret in ((bot, SECRET), (rejected, wrong.partition(":")[2])):
        output = process.all_output()
        assert output, "the bot wrote nothing at all; the check would prove nothing"
        assert secret.encode() not in output, _context(output, secret.encode())
    assert b"DEBUG" in bot.all_output()  # DEBUG really was on
    for record in server.sent:
        dump = request_dump(record)
        assert SECRET not in dump and TOKEN not in dump, dump[:2000]
        assert SECRET not in (record.error or "")


def _context(blob: bytes, needle: bytes) -> str:
    at = blob.find(needle)
    return blob[max(0, at - 800) : at + 200].decode(errors="replace")


async def test_private_access_strangers_ask_an_admin_approves_and_it_survives_restart(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    """BOT_ACCESS=private, the default an operator gets: nothing for strangers until approved."""
    bot = spawn(access="private")
    await bot.start_ready()

    mark = server.mark()
    server.send_message("/zone 昆山", user_id=BOB)
    refused = await answer(server, BOB, mark)
    assert refused.ok and "昆山高新" not in (refused.text or ""), refused.text

    mark = server.mark()
    server.send_message("/start", user_id=BOB, first_name="王<b>")
    await answer(server, BOB, mark)
    card = await server.wait_for_message(chat_id=ADMIN_ID, since=mark)
    buttons = [b["callback_data"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    approve = next(data for data in buttons if data.startswith("acc:ok:"))

    mark = server.mark()
    server.press_button(card, approve, user_id=ADMIN_ID)
    told = await server.wait_for_message(chat_id=BOB, since=mark)
    assert told["text"]
    await wait_until(
        server, lambda: server.calls["answerCallbackQuery"] >= 1, 10, "the press answered"
    )

    # Approval is stored, not remembered: it holds after a restart.
    assert await bot.terminate() == 0
    await bot.start_ready()
    mark = server.mark()
    server.send_message("/zone 昆山", user_id=BOB)
    card_reply = await answer(server, BOB, mark)
    assert "昆山" in (card_reply.text or "") and "高新" in (card_reply.text or "")
    assert await bot.terminate() == 0
    assert_clean_log(bot.stderr())
    assert server.validation_errors == []
