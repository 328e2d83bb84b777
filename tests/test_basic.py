"""/start, /help, /lang, unknown commands, the command menu and the error handler."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.logsafe import REDACTED, RedactingFormatter
from tests.harness import ADMIN_ID, BotHarness, make_settings, replies, text_of


async def test_start_explains_the_bot_in_chinese(bot: BotHarness) -> None:
    calls = await bot.send("/start")
    text = text_of(calls)
    assert "招商助手" in text
    assert "/zone" in text and "/help" in text
    assert all(c.error is None for c in calls)


async def test_an_english_user_gets_english(bot: BotHarness) -> None:
    text = text_of(await bot.send("/start", lang="en-US"))
    assert "investment-promotion" in text
    assert "您好" not in text


async def test_help_lists_every_command_with_an_example(bot: BotHarness) -> None:
    text = text_of(await bot.send("/help"))
    for example in (
        "/zone 昆山",
        "/search 电池",
        "/subscribe zone 昆山",
        "/digest 09:00",
        "/lang en",
    ):
        assert example in text
    assert "/promote" not in text  # admin commands only for admins


async def test_help_shows_admin_commands_to_admins(bot: BotHarness) -> None:
    text = text_of(await bot.send("/help", chat_id=ADMIN_ID, user_id=ADMIN_ID))
    assert "/promote" in text and "/export" in text


async def test_lang_choice_is_kept_across_a_restart(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = BotHarness(settings)
    await first.start()
    assert "English" in text_of(await first.send("/lang en"))
    assert "Commands" in text_of(await first.send("/help"))
    await first.stop()
    second = BotHarness(settings)
    await second.start()
    try:
        assert "Commands" in text_of(await second.send("/help"))
        assert "中文" in text_of(await second.send("/lang zh"))
        assert "命令" in text_of(await second.send("/help"))
    finally:
        await second.stop()


@pytest.mark.parametrize("argument", ["", "fr", "<b>", "x" * 3000])
async def test_lang_with_a_bad_argument_shows_usage(bot: BotHarness, argument: str) -> None:
    calls = await bot.send(f"/lang {argument}".strip())
    assert "/lang zh" in text_of(calls)
    assert all(c.error is None for c in calls)


async def test_an_unknown_command_points_to_help(bot: BotHarness) -> None:
    calls = await bot.send("/frobnicate <b>now</b>")
    assert len(replies(calls)) == 1
    text = text_of(calls)
    assert "/frobnicate" in text and "/help" in text


async def test_the_menu_is_registered_in_both_languages(bot: BotHarness) -> None:
    menus = [c for c in bot.api.calls if c.method == "setMyCommands"]
    languages = {c.params.get("language_code") for c in menus}
    assert languages == {None, "en"}
    zh_menu = next(c for c in menus if c.params.get("language_code") is None)
    names = [item["command"] for item in zh_menu.params["commands"]]
    assert "zone" in names and "help" in names


async def test_a_failing_handler_is_logged_and_the_bot_keeps_answering(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    async def boom(update: Update, context: BotContext) -> None:
        raise RuntimeError("kaboom <tag>")

    bot.app.add_handler(CommandHandler("boom", boom), group=-5)
    with caplog.at_level(logging.ERROR):
        calls = await bot.send("/boom")
    assert "kaboom" in caplog.text
    assert "出错" in text_of([c for c in calls if c.chat_id != ADMIN_ID])
    admin_reports = [c for c in calls if c.chat_id == ADMIN_ID and c.error is None]
    assert admin_reports and "kaboom &lt;tag&gt;" in admin_reports[0].text
    assert "招商助手" in text_of(await bot.send("/start"))


def test_log_lines_never_show_the_token() -> None:
    token = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    formatter = RedactingFormatter("%(message)s", (token,))
    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        "HTTP Request: POST https://api.telegram.org/bot%s/getMe",
        (token,),
        None,
    )
    line = formatter.format(record)
    assert token not in line and REDACTED in line
    other = "123456789:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
    assert other not in formatter.format(
        logging.LogRecord("x", logging.ERROR, __file__, 1, "failed for %s", (other,), None)
    )


async def test_network_trouble_is_not_reported_to_the_admins(bot: BotHarness) -> None:
    from telegram.error import NetworkError

    async def flaky(update: Update, context: BotContext) -> None:
        raise NetworkError("Bad Gateway")

    bot.app.add_handler(CommandHandler("flaky", flaky), group=-5)
    calls = await bot.send("/flaky")
    assert not [c for c in calls if c.chat_id == ADMIN_ID]


async def test_a_repeating_bug_is_reported_to_the_admins_once(bot: BotHarness) -> None:
    async def boom(update: Update, context: BotContext) -> None:
        raise RuntimeError("again")

    bot.app.add_handler(CommandHandler("boom", boom), group=-5)
    calls = [c for _ in range(3) for c in await bot.send("/boom")]
    assert len([c for c in calls if c.chat_id == ADMIN_ID]) == 1
    # Every user still hears that something went wrong.
    assert text_of([c for c in calls if c.chat_id != ADMIN_ID]).count("出错") == 3
