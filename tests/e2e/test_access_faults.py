"""BOT_ACCESS=private against the fake Bot API with injected faults (issue 15, items 1 and 2).

The gate fails closed when its refusal gets a 502 or times out; a revoked user stops
receiving alerts while an approved one keeps receiving them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.botapi_server import FakeBotApi
from tests.e2e.conftest import ADMIN_ID, BotProcess, answer, wait_until

pytestmark = pytest.mark.e2e

STRANGER = 100301
BOB = 100302
CARD_WORDS = ("高新区", "德加")  # what a zone card or search result would show
REFUSAL_METHODS = frozenset({"sendMessage", "answerCallbackQuery", "answerInlineQuery"})


async def _settle(server: FakeBotApi, bot: BotProcess, timeout: float = 60.0) -> None:
    await wait_until(
        server, lambda: not server.pending_updates, timeout, "updates taken", process=bot
    )
    # The admin's /help is answered only after every earlier update was handled.
    mark = server.mark()
    server.send_message("/help", user_id=ADMIN_ID)
    await answer(server, ADMIN_ID, mark, timeout=timeout)


def _leaked(server: FakeBotApi, chat_id: int) -> list[str]:
    """Anything but a refusal sent towards the stranger (accepted or not)."""
    texts = [
        r.text or ""
        for r in server.sent
        if r.method == "sendMessage" and r.chat_id == chat_id and r.text
    ]
    return [t for t in texts if any(w in t for w in CARD_WORDS)]


@pytest.mark.parametrize("fault", ["502", "timeout"])
async def test_gate_stays_shut_when_every_refusal_fails(
    server: FakeBotApi, spawn: Callable[..., BotProcess], fault: str
) -> None:
    bot = spawn(access="private")
    await bot.start_ready()
    # A message of the bot in the stranger's chat, to press a forged button on.
    mark = server.mark()
    server.send_message("/start", user_id=STRANGER)
    pending = await server.wait_for_message(chat_id=STRANGER, since=mark)
    await server.wait_for_message(chat_id=ADMIN_ID, since=mark)  # the access card

    server.fault_methods = REFUSAL_METHODS
    server.timeout_delivers = False
    server.timeout_delay = 8.0  # longer than the bot's read timeout: it sees TimedOut
    server.fail_fraction(1.0, kinds=(fault,))
    mark = server.mark()
    server.send_message("/zone 昆山", user_id=STRANGER)
    server.send_message("德加", user_id=STRANGER)
    server.send_message("/search 电池", user_id=STRANGER)
    server.inline_query("昆山", user_id=STRANGER)
    server.press_button(pending, "sub:zone:kunshan", user_id=STRANGER, strict=False)
    server.send_document("a.csv", "园区,项目\n昆山,x\n".encode(), user_id=STRANGER)

    def refusals_tried() -> int:
        return len([r for r in server.sent[mark:] if r.method in REFUSAL_METHODS and r.injected])

    # Every refusal is tried once and fails as injected (4 messages, 1 inline, 1 press).
    await wait_until(server, lambda: refusals_tried() >= 6, 120, "six refusals", process=bot)
    server.fail_fraction(0.0)
    await _settle(server, bot, timeout=90)

    assert _leaked(server, STRANGER) == []
    assert all(a.get("results") in (None, [], "[]") for a in server.inline_answers)
    assert bot.query("SELECT COUNT(*) FROM subscriptions WHERE chat_id = ?", (STRANGER,)) == [(0,)]
    assert server.calls["getFile"] == 0
    assert refusals_tried() == 6  # nothing else was attempted for the stranger meanwhile
    assert bot.alive


def _fact_file(folder: Path, record_id: str, name: str) -> Path:
    path = folder / f"{record_id}.yaml"
    path.write_text(
        "projects:\n"
        f"  - id: {record_id}\n    zone: kunshan\n    name_zh: {name}\n"
        '    sectors: ["新能源"]\n    stage: signed\n    source: p000-kunshan\n',
        encoding="utf-8",
    )
    return path


async def test_revoked_user_stops_receiving_alerts(
    server: FakeBotApi, spawn: Callable[..., BotProcess], tmp_path: Path
) -> None:
    bot = spawn(access="private")
    await bot.start_ready()
    for user, command in (
        (ADMIN_ID, f"/approve {BOB}"),
        (BOB, "/subscribe zone 昆山"),
        (ADMIN_ID, "/subscribe zone 昆山"),
    ):
        mark = server.mark()
        server.send_message(command, user_id=user)
        await answer(server, user, mark)

    result = await bot.command("import", str(_fact_file(tmp_path, "rv-e2e-1", "撤销前项目")))
    assert result.returncode == 0, result.stderr
    await server.wait_for_message(chat_id=BOB, contains="撤销前项目", timeout=40)
    await server.wait_for_message(chat_id=ADMIN_ID, contains="撤销前项目", timeout=40)

    # The revocation's own messages fail (502): the revocation still holds.
    server.fail_fraction(1.0, kinds=("502",))
    server.send_message(f"/revoke {BOB}", user_id=ADMIN_ID)
    await wait_until(
        server,
        lambda: bot.query("SELECT status FROM users WHERE id = ?", (BOB,)) == [("denied",)],
        20,
        "the revocation stored",
        process=bot,
    )
    await wait_until(
        server,
        lambda: any(r.chat_id == ADMIN_ID and r.injected for r in server.sent),
        20,
        "the reply to the admin tried",
        process=bot,
    )
    server.fail_fraction(0.0)

    mark = server.mark()
    result = await bot.command("import", str(_fact_file(tmp_path, "rv-e2e-2", "撤销后项目")))
    assert result.returncode == 0, result.stderr
    # The admin (still approved) gets it: the alerts tick has run.
    await server.wait_for_message(chat_id=ADMIN_ID, contains="撤销后项目", timeout=40, since=mark)
    assert not [
        r for r in server.sent[mark:] if r.chat_id == BOB and "撤销后项目" in (r.text or "")
    ]
    # The subscription is kept for a later re-approval.
    assert bot.query("SELECT COUNT(*) FROM subscriptions WHERE chat_id = ?", (BOB,)) == [(1,)]
