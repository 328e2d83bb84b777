"""Forged button data, lone surrogates, inline caching in private mode, encoded tokens in logs
(issue 15, items 5, 9, 11 and 13)."""

from __future__ import annotations

import logging

import pytest

from bot.local_api import callback_update
from bot.logsafe import REDACTED, RedactingFormatter, redact
from handlers.forged import forged
from tests.harness import ADMIN_ID, USER_ID, BotHarness, replies, text_of

TOKEN = "123456789:" + "AAHq3Lx9vTn2Kc8Wd5Rf1Yb6Gz4Mp7Ej0sU"


# ---- item 11: forged callback data ----------------------------------------------------------

FORGED = [
    "acc:ok:-5",
    "acc:ok:0",
    f"acc:ok:{2**53}",
    "acc:ok:99999999999999999999999999999",
    "subs:99999999999999999999999999",
    "mg:123",
    "mg:-99999999999999999999999",
    "dg:t:99:99",
    "dg:t:8:30",
    "dg:weekly:x",
    "zz:kunshan",
    "nonsense",
    "",
]


@pytest.mark.parametrize("data", FORGED)
def test_forged_data_is_recognised(data: str) -> None:
    assert forged(data)


@pytest.mark.parametrize(
    "data", ["acc:ok:1001", "mg:-100123", "mg:off", "dg:t:08:30", "dg:now", "z:kunshan", "subs:2"]
)
def test_our_own_data_passes(data: str) -> None:
    assert not forged(data)


async def _message(bot: BotHarness, chat_id: int) -> dict[str, object]:
    calls = await bot.send("/help", chat_id=chat_id, user_id=chat_id)
    stored = bot.api.message(chat_id, replies(calls)[0].result["message_id"])  # type: ignore[index]
    assert stored is not None
    return stored


@pytest.mark.parametrize("data", FORGED[:-1])
async def test_every_forged_press_is_answered_as_no_longer_valid(
    private_bot: BotHarness, data: str
) -> None:
    await private_bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
    message = await _message(private_bot, ADMIN_ID)
    calls = await private_bot.process(callback_update(message, data, user_id=ADMIN_ID))
    answers = [c for c in calls if c.method == "answerCallbackQuery" and c.error is None]
    assert len(answers) == 1 and "这个按钮已失效" in str(answers[0].params.get("text"))
    assert not [c for c in calls if c.method == "sendMessage"]  # no "something went wrong"
    assert (await private_bot.store.user_status(-5)) == "new"


async def test_forged_press_is_answered_in_english(private_bot: BotHarness) -> None:
    message = await _message(private_bot, ADMIN_ID)
    calls = await private_bot.process(
        callback_update(message, "dg:t:99:99", user_id=ADMIN_ID, lang="en")
    )
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert "no longer works" in str(answers[0].params.get("text"))


# ---- item 13: lone surrogates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/subscribe keyword 电\udc00池", "电池"),
        ("/search \ud800电池", "电池"),
        ("/zone 昆\ud800山", "昆山高新区"),
    ],
)
async def test_lone_surrogates_are_cleaned_on_the_way_in(
    bot: BotHarness, text: str, expected: str
) -> None:
    calls = await bot.send(text)
    shown = text_of(calls)
    assert expected in shown
    assert "出错" not in shown


# ---- item 5: inline results are personal in private mode -----------------------------------


async def test_inline_results_are_personal_and_short_lived_in_private_mode(
    private_bot: BotHarness,
) -> None:
    await private_bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
    calls = await private_bot.inline("昆山")
    (answer,) = [c for c in calls if c.method == "answerInlineQuery"]
    assert answer.params.get("results") not in ("[]", [])
    assert answer.params.get("is_personal") in (True, "true")
    assert int(answer.params.get("cache_time", 300)) <= 10


# ---- item 9: the token URL-encoded ---------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        f"GET /bot{TOKEN.replace(':', '%3A')}/getMe 404",
        f"GET /bot{TOKEN.replace(':', '%3a')}/getMe 404",
        f"echo /bot{TOKEN.replace(':', '%253A')}/x",
        f"path=/bot{TOKEN}/sendMessage",
    ],
)
def test_token_is_redacted_in_any_encoding(line: str) -> None:
    secret = TOKEN.partition(":")[2]
    for secrets in ((TOKEN,), ()):
        out = redact(line, secrets)
        assert secret not in out and REDACTED in out


def test_formatter_redacts_an_encoded_token_from_a_log_line() -> None:
    formatter = RedactingFormatter("%(message)s", (TOKEN,))
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "HTTP Request: %s", (TOKEN.replace(":", "%3A"),), None
    )
    assert TOKEN.partition(":")[2] not in formatter.format(record)
