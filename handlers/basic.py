"""/start, /help, /lang, unknown commands, the per-update user preload, and the error handler."""

from __future__ import annotations

import html
import logging
import sqlite3
import time
import traceback

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Conflict, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import callbacks
from bot.context import BotApp, BotContext
from bot.logsafe import redact
from bot.texts import basic as texts
from bot.texts import channels as robot_texts
from bot.texts.common import Lang
from storage.health import fault_line, fault_of

log = logging.getLogger(__name__)


async def preload_user(update: Update, context: BotContext) -> None:
    """Before any handler: remember the user's Telegram language and stored choice."""
    user = update.effective_user
    if user is None or context.user_data is None:
        return
    context.user_data["tg_lang"] = user.language_code
    if "lang_loaded" not in context.user_data:
        context.user_data["lang"] = await context.store.user_lang(user.id)
        context.user_data["lang_loaded"] = True


def is_admin(context: BotContext, user_id: int | None) -> bool:
    """Settings admins always; users promoted in the store are cached in bot_data."""
    if user_id is None:
        return False
    if user_id in context.settings.admin_ids:
        return True
    promoted = context.services.promoted_admins or set()
    return user_id in promoted


async def start(update: Update, context: BotContext) -> None:
    """/start: what the bot does and how to begin."""
    message = update.effective_message
    if message is None:
        return
    user = update.effective_user
    # A chat that blocked or removed the bot is inactive; /start makes it reachable again.
    chat = update.effective_chat
    known = await context.store.chat(chat.id) if chat is not None else None
    if known is not None and not known.active and known.migrated_to is None:
        await context.store.set_chat_active(known.id, True)
    await message.reply_html(texts.start(context.lang, user.first_name if user else None))


async def help_command(update: Update, context: BotContext) -> None:
    """/help: every command with one example."""
    message = update.effective_message
    if message is None:
        return
    user = update.effective_user
    admin = is_admin(context, user.id if user else None)
    await message.reply_html(texts.help_text(context.lang, admin))


async def lang(update: Update, context: BotContext) -> None:
    """/lang zh|en: choose the reply language; stored per user."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or context.user_data is None:
        return
    choice = (context.args[0].strip().lower() if context.args else "")[:8]
    aliases: dict[str, Lang] = {"zh": "zh", "cn": "zh", "中文": "zh", "en": "en", "english": "en"}
    if choice not in aliases:
        await message.reply_html(texts.lang_usage(context.lang))
        return
    chosen = aliases[choice]
    # A group robot selected with /manage NAME: the language of its alerts and digests.
    from handlers.channels import managed_robot  # handlers.channels imports this module

    chat = update.effective_chat
    robot = await managed_robot(context, chat.type if chat else "", user.id)
    if robot is not None:
        await context.store.set_chat_lang(robot.id, chosen)
        await message.reply_html(
            robot_texts.robot_lang_set(robot.title or "", chosen, context.lang)
        )
        return
    await context.store.set_user_lang(user.id, chosen)
    context.user_data["lang"] = chosen
    await message.reply_html(texts.lang_set(chosen))


async def unknown(update: Update, context: BotContext) -> None:
    """Any command no handler took: a one-line pointer to /help."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0][:40]
    await message.reply_html(texts.unknown_command(context.lang, command))


ADMIN_REPORT_INTERVAL = 300.0  # seconds between two error reports to the admins


def _locked(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


async def _tell_busy(update: object, context: BotContext) -> None:
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.store_busy(context.lang), show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_html(texts.store_busy(context.lang))
    except TelegramError:
        log.warning("could not tell the user that the store is busy")


async def on_error(update: object, context: BotContext) -> None:
    """Log first, then tell the user briefly and the admins in short, escaped form.

    Network trouble and rate limits (a failed poll, a 429 on a reply) are logged in one line
    and not reported: they pass on their own, and reporting them would flood the admins.
    """
    error = context.error
    if isinstance(error, NetworkError | RetryAfter | Conflict):
        log.warning("Telegram call failed: %s", error, extra={"error_kind": "telegram"})
        return
    if isinstance(error, sqlite3.OperationalError) and _locked(error):
        # Another writer (a big import) held the store longer than the busy timeout.
        log.warning(
            "the store was busy: %s (%s)",
            error,
            context.settings.database_path,
            extra={"error_kind": "storage:locked"},
        )
        await _tell_busy(update, context)
        return
    if (
        isinstance(update, Update)
        and update.callback_query is not None
        and isinstance(error, ValueError | OverflowError)
    ):
        # Button data a handler could not parse: outdated or forged, not a bug to report.
        log.warning("a button press could not be handled: %s", error)
        try:
            await update.callback_query.answer(texts.button_expired(context.lang))
        except TelegramError as exc:
            log.info("could not answer the press: %s", exc)
        return
    fault = fault_of(error) if error is not None else None
    if fault is not None:
        # A storage fault is no bug: one line naming the cause, no traceback.
        log.error(
            "update failed: %s",
            fault_line(fault, context.settings.database_path),
            extra={"error_kind": f"storage:{fault}"},
        )
    else:
        log.error("update failed: %s", error, exc_info=error)
    if isinstance(update, Update) and update.effective_message is not None:
        reply = texts.storage_fault(context.lang, fault) if fault else None
        try:
            await update.effective_message.reply_html(reply or texts.internal_error(context.lang))
        except TelegramError:
            log.warning("could not tell the user about the error")
    if error is None or fault == "locked":
        return  # a busy database passes on its own: nothing for the admins to do
    # At most one report per interval: a bug hit by every update must not flood the admins.
    now = time.monotonic()
    last = context.services.last_error_report
    if last is not None and now - last < ADMIN_REPORT_INTERVAL:
        return
    context.services.last_error_report = now
    summary = (
        fault_line(fault, context.settings.database_path)
        if fault
        else "".join(traceback.format_exception_only(type(error), error)).strip()
    )
    # Log lines are redacted by the formatter; this goes to a chat, so redact it here.
    summary = redact(summary, context.settings.secrets())
    where = "update" if isinstance(update, Update) else "job"
    for admin_id in sorted(context.settings.admin_ids)[:5]:
        try:
            await context.bot.send_message(
                admin_id,
                texts.admin_error_report(where, summary),
                parse_mode=ParseMode.HTML,
            )
        except TelegramError:
            log.warning("could not report the error to admin %s", html.escape(str(admin_id)))


def register(app: BotApp) -> None:
    app.add_handler(TypeHandler(Update, preload_user), group=-2)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("lang", lang))


async def old_button(update: Update, context: BotContext) -> None:
    """A button whose data no kind in bot/callbacks.py recognises: say plainly it expired."""
    if update.callback_query is not None:
        await update.callback_query.answer(texts.button_expired(context.lang))


def register_fallbacks(app: BotApp) -> None:
    """Added last so that every real command is tried first."""
    app.add_handler(MessageHandler(filters.COMMAND, unknown))
    app.add_handler(CallbackQueryHandler(old_button, pattern=callbacks.unknown))
    app.add_error_handler(on_error)
