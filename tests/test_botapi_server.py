"""Tests for the fake Telegram Bot API server used by the end-to-end tests."""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
import telegram
from hypothesis import given
from hypothesis import strategies as st
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CommandHandler, ContextTypes

from tests.botapi_server import (
    BOT_ID,
    DEFAULT_USER_ID,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    FakeBotApi,
    parse_html,
)

pytestmark = pytest.mark.asyncio

TOKEN = "123456:TEST-token"
USER = DEFAULT_USER_ID


@pytest_asyncio.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(TOKEN) as api:
        yield api


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest_asyncio.fixture
async def bot(server: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(
        TOKEN, base_url=server.base_url, base_file_url=server.file_base_url
    ) as tg_bot:
        yield tg_bot


async def call(
    http: aiohttp.ClientSession, server: FakeBotApi, method: str, token: str = TOKEN, **params: Any
) -> tuple[int, dict[str, Any]]:
    async with http.post(f"{server.base_url}{token}/{method}", json=params) as resp:
        return resp.status, await resp.json()


def keyboard(*callback_data: str) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [{"text": f"b{i}", "callback_data": d} for i, d in enumerate(callback_data)]
        ]
    }


async def test_get_me_shape(server: FakeBotApi, http: aiohttp.ClientSession) -> None:
    status, body = await call(http, server, "getMe")
    assert status == 200 and body["ok"] is True
    me = body["result"]
    assert me["id"] == 7000000001 and me["is_bot"] is True
    assert me["first_name"] == "招商助手" and me["username"] == "zhaoshang_test_bot"
    assert me["can_join_groups"] is True and me["supports_inline_queries"] is True


async def test_unknown_method_and_wrong_token(
    server: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    assert await call(http, server, "sendFoo", chat_id=1) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    assert await call(http, server, "getMe", token="1:other") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )


async def test_long_polling_waits_and_offset_confirms(
    server: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(call(http, server, "getUpdates", timeout=5))
    await asyncio.sleep(0.2)
    assert not poll.done()
    update_id = server.send_message("/start@zhaoshang_test_bot hi", chat_id=-42)
    _, body = await poll
    assert time.monotonic() - started < 2
    [update] = body["result"]
    assert update["update_id"] == update_id
    msg = update["message"]
    assert msg["chat"] == {"id": -42, "type": "group", "title": "测试群 -42"}
    assert msg["entities"] == [{"type": "bot_command", "offset": 0, "length": 25}]
    assert msg["from"]["language_code"] == "zh-hans"

    # Not confirmed yet: delivered again; offset confirms it.
    _, body = await call(http, server, "getUpdates", timeout=0)
    assert [u["update_id"] for u in body["result"]] == [update_id]
    _, body = await call(http, server, "getUpdates", offset=update_id + 1, timeout=0)
    assert body["result"] == [] and server.pending_updates == []

    started = time.monotonic()
    _, body = await call(http, server, "getUpdates", offset=update_id + 1, timeout=1)
    assert body["result"] == [] and time.monotonic() - started >= 0.9


async def test_limit_and_drop_pending(server: FakeBotApi, http: aiohttp.ClientSession) -> None:
    ids = [server.send_message(f"m{i}") for i in range(3)]
    _, body = await call(http, server, "getUpdates", limit=2)
    assert [u["update_id"] for u in body["result"]] == ids[:2]
    await call(http, server, "deleteWebhook", drop_pending_updates=True)
    assert server.pending_updates == []


async def test_concurrent_get_updates_conflict(
    server: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    first = asyncio.create_task(call(http, server, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(call(http, server, "getUpdates", timeout=0.3))
    status, body = await first
    assert status == 409 and body["description"].startswith("Conflict: terminated by other")
    assert (await second)[0] == 200
    assert [r.status for r in server.validation_errors] == [409]


@pytest.mark.parametrize(
    "text",
    [
        '<b>a</b> &lt; &amp; <a href="https://x.y">l</a>',
        '<i>x</i><u>y</u><s>z</s><code>c</code><pre><code class="language-py">p</code></pre>',
        '<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler> &#60; &#x3C; &quot;',
        "<blockquote expandable>q</blockquote> a > b",
    ],
)
async def test_html_accepted(server: FakeBotApi, http: aiohttp.ClientSession, text: str) -> None:
    status, body = await call(
        http, server, "sendMessage", chat_id=USER, text=text, parse_mode="HTML"
    )
    assert status == 200, body
    assert "</" not in body["result"]["text"] and body["result"]["entities"]


async def test_html_entities_in_result(server: FakeBotApi, http: aiohttp.ClientSession) -> None:
    text = '<b>a</b> &lt; &amp; <a href="https://x.y">l</a>'
    _, body = await call(http, server, "sendMessage", chat_id=USER, text=text, parse_mode="HTML")
    assert body["result"]["text"] == "a < & l"
    assert body["result"]["entities"] == [
        {"type": "bold", "offset": 0, "length": 1},
        {"type": "text_link", "offset": 6, "length": 1, "url": "https://x.y"},
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("x <foo>y</foo>", 'Unsupported start tag "foo" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("a & b", 'Character "&" at byte offset 2 must be escaped as &amp;'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("你<b", "Unclosed start tag at byte offset 3"),
    ],
)
async def test_html_rejected(
    server: FakeBotApi, http: aiohttp.ClientSession, text: str, reason: str
) -> None:
    status, body = await call(
        http, server, "sendMessage", chat_id=USER, text=text, parse_mode="HTML"
    )
    assert status == 400
    assert body["description"] == f"Bad Request: can't parse entities: {reason}"
    assert server.validation_errors[-1].params["text"] == text
    assert server.messages_to(USER) == []


async def test_escaped_text_round_trips() -> None:
    # Hypothesis drives a sync inner function; the module-wide asyncio mark needs an async test.
    @given(st.text())
    def check(text: str) -> None:
        assert parse_html(html.escape(text)) == (text, [])

    check()


async def test_text_length_in_utf16_units(server: FakeBotApi, http: aiohttp.ClientSession) -> None:
    emoji = "😀" * 2048  # 2 UTF-16 units each: exactly 4096
    assert (await call(http, server, "sendMessage", chat_id=USER, text=emoji))[0] == 200
    status, body = await call(http, server, "sendMessage", chat_id=USER, text=emoji + "a")
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, _ = await call(http, server, "sendMessage", chat_id=USER, text="a" * 4097)
    assert status == 400
    # Tags and entities do not count.
    status, _ = await call(
        http,
        server,
        "sendMessage",
        chat_id=USER,
        text="<b>" + "&amp;" * 4096 + "</b>",
        parse_mode="HTML",
    )
    assert status == 200
    status, body = await call(http, server, "sendMessage", chat_id=USER, text=" \n ")
    assert body["description"] == "Bad Request: message text is empty"


async def test_callback_data_limit(server: FakeBotApi, http: aiohttp.ClientSession) -> None:
    ok = await call(
        http, server, "sendMessage", chat_id=USER, text="k", reply_markup=keyboard("x" * 64)
    )
    assert ok[0] == 200 and ok[1]["result"]["reply_markup"] == keyboard("x" * 64)
    for data in ("x" * 65, "数" * 22, ""):
        status, body = await call(
            http, server, "sendMessage", chat_id=USER, text="k", reply_markup=keyboard(data)
        )
        assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


async def test_edit_not_modified_and_not_found(
    server: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    _, body = await call(
        http,
        server,
        "sendMessage",
        chat_id=USER,
        text="<b>hi</b>",
        parse_mode="HTML",
        reply_markup=keyboard("a"),
    )
    mid = body["result"]["message_id"]
    edit = {"chat_id": USER, "message_id": mid, "text": "<b>hi</b>", "parse_mode": "HTML"}
    status, body = await call(http, server, "editMessageText", **edit, reply_markup=keyboard("a"))
    assert (status, body["description"]) == (400, NOT_MODIFIED)
    # Dropping the keyboard or the bold formatting is a modification.
    assert (await call(http, server, "editMessageText", **edit))[0] == 200
    assert (await call(http, server, "editMessageText", chat_id=USER, message_id=mid, text="hi"))[
        0
    ] == 200
    assert "reply_markup" not in server.messages_to(USER)[0]
    status, body = await call(http, server, "editMessageReplyMarkup", chat_id=USER, message_id=mid)
    assert body["description"] == NOT_MODIFIED
    status, body = await call(
        http, server, "editMessageText", chat_id=USER, message_id=999, text="x"
    )
    assert body["description"] == "Bad Request: message to edit not found"


async def test_press_button_and_answer_once(
    server: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    _, body = await call(
        http, server, "sendMessage", chat_id=USER, text="pick", reply_markup=keyboard("yes", "no")
    )
    with pytest.raises(ValueError):
        server.press_button(body["result"], "maybe")
    server.press_button(body["result"], "yes")
    _, updates = await call(http, server, "getUpdates")
    query = updates["result"][0]["callback_query"]
    assert query["data"] == "yes" and query["message"]["text"] == "pick"
    assert (
        await call(http, server, "answerCallbackQuery", callback_query_id=query["id"], text="好")
    )[0] == 200
    status, body = await call(http, server, "answerCallbackQuery", callback_query_id=query["id"])
    assert (status, body["description"]) == (400, QUERY_TOO_OLD)
    assert [a["text"] for a in server.callback_answers] == ["好"]


async def test_inline_query_results_limit(server: FakeBotApi, http: aiohttp.ClientSession) -> None:
    server.inline_query("招商")
    _, updates = await call(http, server, "getUpdates")
    qid = updates["result"][0]["inline_query"]["id"]
    results = [
        {
            "type": "article",
            "id": str(i),
            "title": "t",
            "input_message_content": {"message_text": "m"},
        }
        for i in range(51)
    ]
    status, body = await call(
        http, server, "answerInlineQuery", inline_query_id=qid, results=results
    )
    assert (status, body["description"]) == (400, "Bad Request: RESULTS_TOO_MUCH")
    assert (
        await call(http, server, "answerInlineQuery", inline_query_id=qid, results=results[:50])
    )[0] == 200


async def test_private_chat_rate_limit(server: FakeBotApi, http: aiohttp.ClientSession) -> None:
    server.enforce_rates = True
    assert (await call(http, server, "sendMessage", chat_id=USER, text="1"))[0] == 200
    status, body = await call(http, server, "sendMessage", chat_id=USER, text="2")
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    # Other chats are unaffected by one chat's window.
    assert (await call(http, server, "sendMessage", chat_id=USER + 1, text="3"))[0] == 200
    assert server.validation_errors[-1].status == 429


async def test_group_and_global_rate_limits(
    server: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    server.enforce_rates = True
    server.per_chat_per_sec = 1000
    statuses = [
        (await call(http, server, "sendMessage", chat_id=-5, text="g"))[0] for _ in range(21)
    ]
    assert statuses == [200] * 20 + [429]
    assert server.rejected[-1].error_parameters == {"retry_after": 60}
    statuses = [
        (await call(http, server, "sendMessage", chat_id=1000 + i, text="p"))[0] for i in range(11)
    ]
    assert statuses == [200] * 10 + [429]  # 20 + 10 sends used up the global 30/s


# PTB itself reads the deprecated int ``retry_after`` when building the error message.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limit_with_ptb(server: FakeBotApi, bot: telegram.Bot) -> None:
    server.enforce_rates = True
    await bot.send_message(USER, "1")
    with pytest.raises(RetryAfter, match=r"Retry in (1 seconds|0:00:01)"):
        await bot.send_message(USER, "2")


async def test_storm_and_502(server: FakeBotApi, http: aiohttp.ClientSession) -> None:
    server.storm(0.3, retry_after=2)
    status, body = await call(http, server, "sendMessage", chat_id=USER, text="x")
    assert status == 429 and body["parameters"] == {"retry_after": 2}
    await asyncio.sleep(0.35)
    assert (await call(http, server, "sendMessage", chat_id=USER, text="x"))[0] == 200
    server.fail_fraction(1.0, kinds=("502",), seed=1)
    assert await call(http, server, "sendMessage", chat_id=USER, text="x") == (
        502,
        {"ok": False, "error_code": 502, "description": "Bad Gateway"},
    )
    assert (await call(http, server, "getMe"))[0] == 200  # only sends are affected
    assert server.validation_errors == []  # injected faults are not the bot's fault


async def test_timeout_fault_hangs_then_delivers(
    server: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    server.fail_fraction(1.0, kinds=("timeout",))
    server.timeout_delay = 0.5
    with pytest.raises(asyncio.TimeoutError):
        async with http.post(
            f"{server.base_url}{TOKEN}/sendMessage",
            json={"chat_id": USER, "text": "slow"},
            timeout=aiohttp.ClientTimeout(total=0.1),
        ):
            pass
    msg = await server.wait_for_message(USER, "slow", timeout=2)
    assert msg["text"] == "slow"


async def test_blocked_chat_forbidden(server: FakeBotApi, bot: telegram.Bot) -> None:
    server.block_chat(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "hi")
    assert server.rejected[-1].status == 403 and server.validation_errors == []


async def test_migrated_chat(server: FakeBotApi, bot: telegram.Bot) -> None:
    server.migrate_chat(-123, -100123)
    with pytest.raises(ChatMigrated) as info:
        await bot.send_message(-123, "hi")
    assert info.value.new_chat_id == -100123
    msg = await bot.send_message(-100123, "hi")
    assert msg.chat.type == "supergroup"


async def test_ptb_end_to_end(server: FakeBotApi, bot: telegram.Bot) -> None:
    assert bot.username == "zhaoshang_test_bot" and bot.id == BOT_ID
    update_id = server.send_message("/start", language_code="zh-hans", first_name="张三")
    [update] = await bot.get_updates(timeout=2)
    assert update.update_id == update_id and update.message is not None
    assert update.message.text == "/start" and update.effective_user is not None
    assert update.effective_user.first_name == "张三"
    markup = telegram.InlineKeyboardMarkup(
        [[telegram.InlineKeyboardButton("确认", callback_data="ok")]]
    )
    sent = await bot.send_message(
        USER,
        "<b>欢迎</b>",
        parse_mode="HTML",
        reply_markup=markup,
        reply_to_message_id=update.message.message_id,
    )
    assert sent.text == "欢迎" and sent.reply_markup == markup
    assert sent.reply_to_message is not None and sent.reply_to_message.text == "/start"
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()
    with pytest.raises(BadRequest, match=r"(?i)unsupported start tag"):
        await bot.send_message(USER, "<br>", parse_mode="HTML")

    server.press_button(sent.to_dict(), "ok")
    [cb_update] = await bot.get_updates(offset=update_id + 1, timeout=1)
    assert cb_update.callback_query is not None
    assert await cb_update.callback_query.answer("done")
    edited = await bot.edit_message_text("已确认", chat_id=USER, message_id=sent.message_id)
    assert isinstance(edited, telegram.Message) and edited.reply_markup is None

    await bot.send_chat_action(USER, "typing")
    await bot.set_my_commands([("start", "开始")], language_code="zh")
    assert [c.command for c in await bot.get_my_commands(language_code="zh")] == ["start"]
    assert server.commands[("default", "zh")] == [{"command": "start", "description": "开始"}]
    with pytest.raises(BadRequest, match=r"(?i)invalid language code"):
        await bot.set_my_commands([("start", "开始")], language_code="zh-hans")
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([("Start", "开始")])
    assert server.calls["sendMessage"] == 2


async def test_chat_and_member_shapes_parse(server: FakeBotApi, bot: telegram.Bot) -> None:
    server.my_chat_member(-100777, "left", "administrator", chat_title="招商群")
    server.set_chat_member(-100777, 55, "creator")
    server.set_chat_member(-100777, 56, "restricted")
    [update] = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "administrator"
    me = await bot.get_chat_member(-100777, BOT_ID)
    assert isinstance(me, telegram.ChatMemberAdministrator) and me.can_delete_messages
    assert isinstance(await bot.get_chat_member(-100777, 55), telegram.ChatMemberOwner)
    assert isinstance(await bot.get_chat_member(-100777, 56), telegram.ChatMemberRestricted)
    assert isinstance(await bot.get_chat_member(-100777, 57), telegram.ChatMemberMember)
    chat = await bot.get_chat(-100777)
    assert chat.type == "supergroup" and chat.title == "招商群"


async def test_send_document_readable_back(server: FakeBotApi, bot: telegram.Bot) -> None:
    data = "名称,金额\n甲,1\n".encode()
    mark = server.mark()
    msg = await bot.send_document(
        USER, data, filename="报表.csv", caption="<i>月报</i>", parse_mode="HTML"
    )
    assert msg.document is not None and msg.document.file_name == "报表.csv"
    assert msg.caption == "月报"
    record = await server.wait_for(lambda r: r.method == "sendDocument", since=mark)
    assert record.files["document"].data == data
    assert record.files["document"].filename == "报表.csv"
    assert server.file_bytes(msg.document.file_id) == data
    photo = await bot.send_photo(USER, b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + b"\0\0\0\x10\0\0\0\x08")
    assert photo.photo[-1].width == 16 and photo.photo[-1].height == 8
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(USER, data, filename="a.csv", caption="x" * 1025)


async def test_get_file_and_download(server: FakeBotApi, bot: telegram.Bot) -> None:
    data = bytes(range(256)) * 10
    server.send_document("清单.xlsx", data, caption="请处理")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    doc = update.message.document
    assert doc.file_name == "清单.xlsx" and doc.file_size == len(data)
    tg_file = await bot.get_file(doc.file_id)
    assert tg_file.file_path is not None and tg_file.file_path.endswith(".xlsx")
    assert bytes(await tg_file.download_as_bytearray()) == data
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_wait_for_times_out(server: FakeBotApi) -> None:
    with pytest.raises(TimeoutError):
        await server.wait_for(lambda r: r.method == "sendMessage", timeout=0.2)


async def test_network_error_on_502_with_ptb(server: FakeBotApi, bot: telegram.Bot) -> None:
    server.fail_fraction(1.0, kinds=("502",))
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(USER, "x")


async def test_bot_removed_or_blocked_via_my_chat_member(
    server: FakeBotApi, bot: telegram.Bot
) -> None:
    server.my_chat_member(-77, "member", "left")
    with pytest.raises(Forbidden, match="bot is not a member of the group chat"):
        await bot.send_message(-77, "hi")
    server.my_chat_member(USER, "member", "kicked")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "hi")
    server.my_chat_member(USER, "kicked", "member")
    assert (await bot.send_message(USER, "hi")).text == "hi"


async def test_ptb_application_polls_and_replies(server: FakeBotApi) -> None:
    async def start(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html("<b>pong</b> &amp; 欢迎")

    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(server.base_url)
        .base_file_url(server.file_base_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        update_id = server.send_message("/start")
        msg = await server.wait_for_message(USER, "pong", timeout=5)
        assert msg["text"] == "pong & 欢迎"
        await server.wait_confirmed(update_id, timeout=5)
        await app.updater.stop()
        await app.stop()
    assert server.calls["deleteWebhook"] == 1 and server.validation_errors == []


async def test_set_webhook_blocks_get_updates_until_delete_webhook(
    server: FakeBotApi, bot: telegram.Bot
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)https url"):
        await bot.set_webhook("http://bot.example.test/hook")
    assert await bot.set_webhook("https://bot.example.test/hook", secret_token="s3cr3t_-")
    assert server.webhook is not None and server.webhook["secret_token"] == "s3cr3t_-"
    assert (await bot.get_webhook_info()).url == "https://bot.example.test/hook"
    with pytest.raises(telegram.error.Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook()
    assert server.webhook is None
    assert await bot.get_updates(timeout=0) == ()
