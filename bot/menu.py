"""The admin command menu, per admin's private chat (kept apart from bot.app: handlers use it)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.texts import basic as basic_texts

log = logging.getLogger(__name__)


async def set_admin_menu(bot: Any, user_id: int, admin: bool) -> None:
    """An admin's private chat shows the admin commands; a demoted user's goes back to the
    users' menu. A chat the bot cannot reach yet (never started) only logs."""
    try:
        for lang_code, lang in ((None, "zh"), ("en", "en")):
            scope = BotCommandScopeChat(chat_id=user_id)
            if admin:
                menu = [BotCommand(n, d) for n, d in basic_texts.menu(lang, admin=True)]  # type: ignore[arg-type]
                await bot.set_my_commands(menu, scope=scope, language_code=lang_code)
            else:
                await bot.delete_my_commands(scope=scope, language_code=lang_code)
    except TelegramError as exc:
        log.info("could not set the admin menu of one chat: %s", exc)
