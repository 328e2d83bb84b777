"""An admin hands the running bot an article link; drafts are reviewed and accepted; a
subscriber of the zone gets the alert. All over HTTP on 127.0.0.1: the fake Bot API, a saved
news page served locally (BOT_FETCH_ALLOW_PRIVATE=true), and ``python -m bot``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.article_support import PageServer
from tests.botapi_server import FakeBotApi, SentRecord
from tests.e2e.conftest import ADMIN_ID, BotProcess, answer

pytestmark = pytest.mark.e2e

SUBSCRIBER = 100201


def buttons(record: SentRecord) -> list[str]:
    message = record.message or {}
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [str(b.get("callback_data")) for row in rows for b in row]


async def message_with(
    server: FakeBotApi,
    chat_id: int,
    since: int,
    contains: str,
    prefix: str,
    timeout: float = 30,
    without: str | None = None,
) -> tuple[SentRecord, str]:
    """The first message (sent or edited) to chat_id with that text and a button of prefix."""

    def match(r: SentRecord) -> bool:
        text = (r.message or {}).get("text") or ""
        return (
            r.ok
            and r.chat_id == chat_id
            and contains in text
            and (without is None or without not in text)
            and any(b.startswith(prefix) for b in buttons(r))
        )

    record = await server.wait_for(match, timeout, since=since)
    return record, next(b for b in buttons(record) if b.startswith(prefix))


async def test_admin_sends_a_link_accepts_a_draft_and_a_subscriber_is_alerted(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    bot = spawn(env={"BOT_FETCH_ALLOW_PRIVATE": "true"})
    await bot.start_ready()
    mark = server.mark()
    server.send_message("/subscribe zone 昆山", user_id=SUBSCRIBER)
    await answer(server, SUBSCRIBER, mark)
    async with PageServer() as site:
        mark = server.mark()
        server.send_message(f"{site.base}/article.html", user_id=ADMIN_ID)
        question, go = await message_with(server, ADMIN_ID, mark, "提取", "art:go:")
        mark = server.mark()
        server.press_button(question, go, user_id=ADMIN_ID)
        report, review = await message_with(server, ADMIN_ID, mark, "起草", "rv:a:")
        assert site.hits == ["article.html"]
    mark = server.mark()
    server.press_button(report, review, user_id=ADMIN_ID)
    # A new record's card (not an update of a stored one): its name is on the first line.
    card, accept = await message_with(
        server, ADMIN_ID, mark, "依据", "rv:y:", without="更新已有记录"
    )
    text = (card.message or {}).get("text", "")
    found = re.search(r"#\d+: (.+)", text.split("\n", 1)[0])
    assert found is not None, text
    name = found.group(1).strip()
    mark = server.mark()
    server.press_button(card, accept, user_id=ADMIN_ID)
    alert: dict[str, Any] = await server.wait_for_message(SUBSCRIBER, name, timeout=60, since=mark)
    assert "昆山" in alert["text"]
    rows = bot.query("SELECT decided_by, status FROM review_items WHERE status = 'accepted'")
    assert rows == [(ADMIN_ID, "accepted")]
    audit = bot.query("SELECT actor_id, via FROM audit WHERE kind = 'project' AND action = 'new'")
    assert (ADMIN_ID, "review") in audit
