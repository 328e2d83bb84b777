"""/status and /users for the bot's admins; to anyone else they do not exist."""

from __future__ import annotations

import importlib.metadata
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler, TypeHandler

from bot.callbacks import UsersPage, pattern, unpack
from bot.context import BotApp, BotContext
from bot.logsafe import LOG_CHAT_ID
from bot.ops import ERROR_WINDOW
from bot.texts import ops as texts
from handlers.basic import is_admin, unknown
from handlers.common import edit_in_place
from storage.base import from_iso
from storage.ops_queries import StoreStatus

PAGE_SIZE = 20
MAX_PAGE = 10_000


def version() -> str:
    try:
        return importlib.metadata.version("zhaoshang-bot")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a checkout
        return "unknown"


async def _admin_in_private(update: Update, context: BotContext) -> bool:
    """True for an admin in a private chat; a non-admin gets the unknown-command reply."""
    user = update.effective_user
    chat = update.effective_chat
    if not is_admin(context, user.id if user else None):
        await unknown(update, context)
        return False
    if chat is None or chat.type != ChatType.PRIVATE:
        message = update.effective_message
        if message is not None:
            await message.reply_html(texts.private_only(context.lang))
        return False
    return True


async def status(update: Update, context: BotContext) -> None:
    """/status: version, uptime, mode, store, last ticks, delivery backlog, zone cards, errors,
    backups."""
    message = update.effective_message
    if message is None or not await _admin_in_private(update, context):
        return
    ops = context.services.ops
    now = context.now()
    cards = context.services.zone_cards
    facts = await context.store.facts_version()
    view = texts.StatusView(
        version=version(),
        uptime=ops.uptime(),
        mode=context.settings.mode,
        store=_local_backup(context, await context.store.store_status(now)),
        ticks={job: (_local(context, tick.at), tick.summary) for job, tick in ops.ticks.items()},
        errors=ops.errors_since(now - ERROR_WINDOW),
        chats_held=context.services.pacer.held_chats(),
        timezone=context.settings.timezone,
        zone_cards=cards.count(facts),
        zone_cards_seconds=cards.seconds if cards.prepared == facts else None,
    )
    await message.reply_html(texts.status(view, context.lang))


async def users(update: Update, context: BotContext) -> None:
    """/users: approved, pending and revoked users and groups, when and by whom, paged."""
    message = update.effective_message
    if message is None or not await _admin_in_private(update, context):
        return
    text, markup = await _users_page(context, 0)
    await message.reply_html(text, reply_markup=markup)


async def users_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    user = update.effective_user
    if not is_admin(context, user.id if user else None):
        await query.answer()
        return
    pressed = unpack(query.data)
    page = pressed.page if isinstance(pressed, UsersPage) else 0
    await query.answer()
    text, markup = await _users_page(context, min(page, MAX_PAGE))
    await edit_in_place(query.edit_message_text(text, parse_mode="HTML", reply_markup=markup))


async def _users_page(context: BotContext, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    entries, total = await context.store.access_entries(page * PAGE_SIZE, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    if page >= pages and total:
        page = pages - 1
        entries, total = await context.store.access_entries(page * PAGE_SIZE, PAGE_SIZE)
    row: list[InlineKeyboardButton] = []
    if page > 0:
        row.append(
            InlineKeyboardButton(
                texts.page_button(context.lang, False), callback_data=UsersPage(page - 1).pack()
            )
        )
    if page + 1 < pages:
        row.append(
            InlineKeyboardButton(
                texts.page_button(context.lang, True), callback_data=UsersPage(page + 1).pack()
            )
        )
    entries = [replace(e, at=_local(context, from_iso(e.at)) if e.at else None) for e in entries]
    text = texts.users_page(entries, page, pages, total, context.lang, context.settings.timezone)
    return text, InlineKeyboardMarkup([row]) if row else None


async def log_context(update: Update, context: BotContext) -> None:
    """Before anything else: log lines written while handling this update name its chat."""
    chat = update.effective_chat
    LOG_CHAT_ID.set(chat.id if chat is not None else None)


def _local(context: BotContext, moment: datetime) -> str:
    """A moment as the admins read it: in BOT_TIMEZONE, to the minute."""
    return f"{moment.astimezone(ZoneInfo(context.settings.timezone)):%Y-%m-%d %H:%M}"


def _local_backup(context: BotContext, status: StoreStatus) -> StoreStatus:
    if not status.last_backup:
        return status
    at, _, where = status.last_backup.partition(" ")
    return replace(status, last_backup=f"{_local(context, from_iso(at))} {where}")


def register(app: BotApp) -> None:
    app.add_handler(TypeHandler(Update, log_context), group=-100)
    app.add_handler(CommandHandler("status", status))
    app.add_handler(CommandHandler("users", users))
    app.add_handler(CallbackQueryHandler(users_button, pattern=pattern(UsersPage)))
