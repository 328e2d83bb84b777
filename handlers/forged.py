"""Forged and outdated button presses: every press is answered.

Callback data comes from the client and can be anything up to 64 bytes. Before any handler
parses it, one guard answers data that cannot be ours (an unknown prefix, a number out of
range, an impossible schedule, an access card for user id -5) with "this button is no longer
valid"; a press no handler takes gets the same answer at the end.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.texts import basic as texts

log = logging.getLogger(__name__)

MAX_ID = 2**53  # user ids fit in 52 bits; chat ids are within ±2**53 too
_PREFIXES = frozenset(
    {"acc", "adm", "z", "zl", "zp", "ze", "zc", "p", "e", "c", "f", "s", "sp", "sc"}
    | {"sub", "unsub", "subs", "alerts", "mg", "dg"}
)
_INT = re.compile(r"-?[0-9]+")
_DIGEST_WORDS = frozenset({"daily", "weekly", "off", "now"})


def _int(text: str) -> int | None:
    """A decimal integer within ±2**53, else None (without parsing a 60-digit number)."""
    if len(text) > 17 or not _INT.fullmatch(text):
        return None
    value = int(text)
    return value if -MAX_ID < value < MAX_ID else None


def forged(data: object) -> bool:
    """True when this callback data cannot have come from one of our buttons."""
    if not isinstance(data, str) or not data or len(data.encode("utf-8", "replace")) > 64:
        return True
    prefix, colon, rest = data.partition(":")
    if prefix not in _PREFIXES or not colon:
        return True
    parts = rest.split(":")
    if any(_INT.fullmatch(p) and _int(p) is None for p in parts):
        return True
    if prefix == "acc":
        user_id = _int(parts[-1])
        return not (
            len(parts) == 2 and parts[0] in ("ok", "no") and user_id is not None and user_id >= 1
        )
    if prefix == "mg":
        group_id = _int(parts[0])
        return not (parts == ["off"] or (len(parts) == 1 and group_id is not None and group_id < 0))
    if prefix == "dg":
        if len(parts) == 1:
            return parts[0] not in _DIGEST_WORDS
        return not (
            len(parts) == 3
            and parts[0] == "t"
            and re.fullmatch(r"[0-9]{2}", parts[1]) is not None
            and re.fullmatch(r"[0-9]{2}", parts[2]) is not None
            and int(parts[1]) < 24
            and int(parts[2]) < 60
        )
    return False


async def answer_invalid(update: Update, context: BotContext) -> None:
    """Answer a press with "this button is no longer valid" (never raises)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(texts.button_invalid(context.lang), show_alert=False)
    except TelegramError as exc:
        log.info("could not answer an invalid button press: %s", exc)


def register(app: Application) -> None:  # type: ignore[type-arg]
    """The guard: first in the default group, so no handler parses forged data."""
    app.add_handler(CallbackQueryHandler(answer_invalid, pattern=forged))


def register_fallback(app: Application) -> None:  # type: ignore[type-arg]
    """After every other handler: a press nobody took is answered all the same."""
    app.add_handler(CallbackQueryHandler(answer_invalid))
