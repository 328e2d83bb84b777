"""Forged button presses: data that parses but carries values no button of ours has.

``bot/callbacks.py`` already turns unknown or garbled data into None (answered by the
fallback in handlers/basic.py). This guard, first in the default group, also answers data
that parses but is out of range before any handler uses it: an access card for user id -5 or
2**60, a group id that is not a group's, an unsubscribe of id 10**19, a digest time of 99:99.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.context import BotApp, BotContext
from bot.texts import basic as texts

log = logging.getLogger(__name__)

MAX_ID = 2**53  # user ids fit in 52 bits; chat ids are within ±2**53 too
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def forged(data: object) -> bool:
    """True when this callback data cannot have come from one of our buttons."""
    found = callbacks.unpack(data)
    if found is None:
        return True
    if isinstance(found, callbacks.AccessDecision):
        return not 1 <= found.user_id < MAX_ID
    if isinstance(found, callbacks.Manage):
        return found.group_id is not None and not -MAX_ID < found.group_id < 0
    if isinstance(found, callbacks.Unsubscribe):
        return not 1 <= found.subscription_id < MAX_ID
    if isinstance(found, callbacks.DigestButton) and found.action == "time":
        return _TIME.fullmatch(found.time) is None
    return False


async def answer_invalid(update: Update, context: BotContext) -> None:
    """Answer a press with "this button no longer works" (never raises)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(texts.button_expired(context.lang))
    except TelegramError as exc:
        log.info("could not answer an invalid button press: %s", exc)


def register(app: BotApp) -> None:
    """The guard: first in the default group, so no handler parses forged data."""
    app.add_handler(CallbackQueryHandler(answer_invalid, pattern=forged))
