"""Bad input at scale against the running bot (issue 7, case 6).

Hypothesis sends a few hundred commands and plain messages with hostile arguments (empty,
5000 characters, emoji, HTML, control characters, mixed scripts) to one ``python -m bot``
process. The bot must answer every one, stay up, raise nothing, and never send a request
the Bot API would refuse.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.botapi_server import BOT_USERNAME, FakeBotApi
from tests.e2e.conftest import TOKEN, BotProcess, answer

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

COMMANDS = [
    *("/zone", "/sector", "/project", "/search", "/stats", "/subscribe", "/unsubscribe"),
    *("/digest", "/timezone", "/lang", "/alerts", "/help", "/start", "/zones", "/sectors"),
    "/subscriptions",
]
EXAMPLES = 300

# Each example talks from a chat never used before, so a late second message to an earlier
# chat can never pass for the answer to this one.
_private_ids = itertools.count(300001)
_group_ids = itertools.count(1001)

# Emoji as users type them: skin tones, flags and families are several code points each.
_emoji = st.lists(
    st.sampled_from(
        ["😀", "👍🏽", "🇨🇳", "👨\u200d👩\u200d👧", "❤️", "🧧", "🀄", "\u2764\ufe0f", "🏭"]
    ),
    min_size=1,
    max_size=40,
).map("".join)
_control = st.text(
    st.characters(min_codepoint=0, max_codepoint=0x1F)
    | st.sampled_from(
        ["\x7f", "\u200b", "\u200d", "\u200e", "\u200f", "\u202e", "\u2028", "\ufeff"]
    ),
    min_size=1,
    max_size=20,
)
_html = st.sampled_from(
    [
        "<b>&<script>",
        "<script>alert(1)</script>",
        "</b>",
        "<b>",
        "&",
        "&amp;",
        "&lt;b&gt;",
        "&#0;",
        "&#xD800;",
        "<a href='javascript:x'>",
        "<tg-spoiler>",
        '<pre><code class="x">',
        "<<>>",
        "\"'`",
        "<br/>",
        "</>",
    ]
) | st.text(st.sampled_from(list("<>&/\"'=;#abi ")), min_size=1, max_size=40)
_mixed = st.lists(
    st.sampled_from(
        [
            *"昆山高新区嘉兴新能源固态电池kunshanZONE",
            *("абв", "שלום", "مرحبا", "β", "한국"),
            "\u200f",
            " ",
        ]
    ),
    min_size=1,
    max_size=60,
).map("".join)
_huge = st.sampled_from(["昆" * 5000, "a" * 5000, "<b>" * 1700, "😀" * 5000, "& " * 2500])
_words = st.sampled_from(
    [
        "昆山",
        "kunshan",
        "新能源",
        "德加",
        "zone",
        "sector",
        "keyword",
        "zone 昆山",
        "keyword 电池",
        "off",
        "now",
        "instant",
        "digest",
        "08:30",
        "25:61",
        "Asia/Shanghai",
        "Mars/Olympus",
        "en",
        "zh",
        "-1",
        "0",
        "99999999999999999999",
        "1e309",
        "NaN",
        "%s%n",
        "'; DROP TABLE chats; --",
        "*",
        '"',
        "\\",
    ]
)
_any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
_piece = st.one_of(st.just(""), _emoji, _control, _html, _mixed, _huge, _words, _any_text)
_args = st.lists(_piece, max_size=3).map(" ".join)


@st.composite
def _inputs(draw: st.DrawFn) -> tuple[str, str]:
    """(where, text): a command in a private chat or a group, or plain text in private."""
    kind = draw(st.sampled_from(["private", "private", "group", "text"]))
    if kind == "text":
        return kind, draw(_piece | _args)
    command = draw(st.sampled_from(COMMANDS))
    if draw(st.booleans()):
        command += f"@{BOT_USERNAME}"
    return kind, f"{command} {draw(_args)}"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(TOKEN) as api:
        yield api


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_bot(
    shared_server: FakeBotApi, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    workdir: Path = tmp_path_factory.mktemp("bad_input")
    bot = BotProcess(shared_server, workdir, log_level="INFO")
    try:
        await bot.start_ready()
        yield bot
    finally:
        bot.cleanup()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(_inputs())
async def test_every_hostile_input_gets_an_answer(
    shared_server: FakeBotApi, shared_bot: BotProcess, case: tuple[str, str]
) -> None:
    server, bot = shared_server, shared_bot
    assert bot.alive, f"the bot died; stderr ends:\n{bot.stderr()[-3000:]}"
    kind, raw = case
    # Telegram trims what users send and never delivers an empty message.
    text = raw.strip()
    if not text:
        text = "/help" if kind != "text" else "?"
    mark = server.mark()
    if kind == "group":
        chat_id = -next(_group_ids)
        server.send_message(text, chat_id=chat_id, user_id=next(_private_ids))
    else:
        chat_id = next(_private_ids)
        server.send_message(text, user_id=chat_id, language_code=None)
    if kind == "group" and not text.startswith("/"):
        return
    reply = await answer(server, chat_id, mark, timeout=20)
    assert reply.ok, (text[:200], reply.status, reply.error)


async def test_after_the_storm_the_bot_is_up_and_was_never_refused(
    shared_server: FakeBotApi, shared_bot: BotProcess
) -> None:
    """Runs after the property test (same module, same process): the verdict on all of it."""
    server, bot = shared_server, shared_bot
    assert server.validation_errors == [], [
        (r.method, r.error, (r.text or "")[:200]) for r in server.validation_errors[:10]
    ]
    assert bot.alive
    mark = server.mark()
    server.send_message("/help", user_id=999999)
    assert (await answer(server, 999999, mark)).ok
    # Answered, but not by the error handler: no handler raised on any input.
    log = bot.stderr()
    failures = [line for line in log.splitlines() if re.search(r" (ERROR|CRITICAL) ", line)]
    assert failures == [], "\n".join(failures[:20])
    assert "Traceback" not in log
    assert await bot.terminate() == 0
