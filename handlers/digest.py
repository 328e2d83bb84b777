"""/digest, /timezone and the schedule buttons (dg:...); the tick itself is bot/jobs/digests.py.

/digest now answers at once; in groups only admins may ask (it moves the group's watermark).
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.callbacks import DigestButton, DigestMore, pattern, unpack
from bot.context import BotApp, BotContext
from bot.core.records import ChatRecord
from bot.core.schedule import (
    DEFAULT_TIME,
    ScheduleSyntaxError,
    SendNow,
    SetSchedule,
    ShowSchedule,
    next_digest_at,
    parse_digest_args,
    resolve_timezone,
    zone_of,
)
from bot.jobs.digests import next_for, send_more, send_now
from bot.texts import digest as texts
from bot.texts.common import Lang
from handlers.common import edit_in_place
from handlers.subscriptions import may_manage

log = logging.getLogger(__name__)

# ---- commands -----------------------------------------------------------------------------


def _chat_lang(context: BotContext) -> Lang:
    return context.lang


async def _ensure(update: Update, context: BotContext) -> ChatRecord | None:
    chat = update.effective_chat
    if chat is None:
        return None
    known = await context.store.ensure_chat(chat.id, chat.type, chat.title)
    if known.next_digest_at is None and known.digest_kind != "off":
        # A chat the tick has not scheduled yet: schedule it now, so /digest can say when.
        next_at = next_for(known, context.settings.timezone, context.now())
        await context.store.set_next_digest_times([(known.id, next_at)])
        known = await context.store.chat(chat.id) or known
    return known


def _schedule_view(
    chat: ChatRecord, context: BotContext, changed: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    lang = _chat_lang(context)
    tz = zone_of(chat.timezone, context.settings.timezone)
    next_at = chat.next_digest_at
    text = texts.schedule(
        chat.digest_kind,
        chat.digest_time,
        chat.digest_weekday,
        tz,
        next_at,
        chat.alert_mode,
        lang,
        changed=changed,
    )
    rows = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row]
        for row in texts.schedule_buttons(chat.digest_kind, lang)
    ]
    return text, InlineKeyboardMarkup(rows)


async def _apply(context: BotContext, chat: ChatRecord, change: SetSchedule) -> ChatRecord:
    kind = change.kind
    hhmm = change.time or chat.digest_time or DEFAULT_TIME
    weekday = change.weekday if change.weekday is not None else chat.digest_weekday
    tz = zone_of(chat.timezone, context.settings.timezone)
    next_at = next_digest_at(kind, hhmm, weekday, tz, context.now())
    await context.store.set_digest_schedule(chat.id, kind, hhmm, weekday, next_at)
    updated = await context.store.chat(chat.id)
    assert updated is not None
    return updated


async def digest(update: Update, context: BotContext) -> None:
    """/digest [09:00 | weekly mon 08:30 | off | now]: show or change the schedule, or send."""
    message = update.effective_message
    chat = await _ensure(update, context)
    if message is None or chat is None:
        return
    lang = _chat_lang(context)
    try:
        command = parse_digest_args(list(context.args or []))
    except ScheduleSyntaxError:
        await message.reply_html(texts.usage(lang))
        return
    if isinstance(command, ShowSchedule):
        text, markup = _schedule_view(chat, context)
        await message.reply_html(text, reply_markup=markup)
        return
    if not await may_manage(update, context):
        # /digest now too: it moves the group's watermark for everyone.
        await message.reply_html(texts.admins_only(lang))
        return
    if isinstance(command, SendNow):
        await _reply_send_now(update, context, chat)
        return
    chat = await _apply(context, chat, command)
    text, markup = _schedule_view(chat, context, changed=True)
    await message.reply_html(text, reply_markup=markup)


async def _reply_send_now(update: Update, context: BotContext, chat: ChatRecord) -> None:
    message = update.effective_message
    assert message is not None
    lang = _chat_lang(context)
    result, count = await send_now(context.app, chat)
    if result == "no_subscriptions":
        await message.reply_html(texts.no_subscriptions(lang))
    elif result == "nothing_new":
        await message.reply_html(texts.nothing_new(lang))
    elif result == "busy":
        await message.reply_html(texts.busy(lang))
    elif result == "incomplete":
        await message.reply_html(texts.send_failed(lang))
    # "sent": the digest itself is the answer.
    del count


async def timezone(update: Update, context: BotContext) -> None:
    """/timezone [IANA name]: show or set the chat's own time zone."""
    message = update.effective_message
    chat = await _ensure(update, context)
    if message is None or chat is None:
        return
    lang = _chat_lang(context)
    if not context.args:
        shown = zone_of(chat.timezone, context.settings.timezone).key
        await message.reply_html(texts.timezone_show(shown, lang))
        return
    wanted = " ".join(context.args)
    name = resolve_timezone(wanted)
    if name is None:
        await message.reply_html(texts.timezone_unknown(wanted, lang))
        return
    if not await may_manage(update, context):
        await message.reply_html(texts.admins_only(lang))
        return
    tz = zone_of(name, context.settings.timezone)
    next_at = next_digest_at(
        chat.digest_kind, chat.digest_time, chat.digest_weekday, tz, context.now()
    )
    await context.store.set_chat_timezone(chat.id, name, next_at)
    next_line = next_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if next_at else None
    await message.reply_html(texts.timezone_set(name, next_line, lang))


async def digest_button(update: Update, context: BotContext) -> None:
    """dg:daily | dg:weekly | dg:off | dg:t:HH:MM | dg:now under the /digest message."""
    query = update.callback_query
    pressed = unpack(query.data) if query is not None else None
    if query is None or not isinstance(pressed, DigestButton):
        return
    chat = await _ensure(update, context)
    lang = _chat_lang(context)
    if chat is None:
        await query.answer()
        return
    if pressed.action == "now":
        if not await may_manage(update, context):
            await query.answer(texts.admins_only(lang), show_alert=True)
            return
        await query.answer()
        if update.effective_message is not None:
            await _reply_send_now(update, context, chat)
        return
    change: SetSchedule | None = None
    if pressed.action in ("daily", "weekly", "off"):
        change = SetSchedule(pressed.action)
    elif pressed.action == "time":
        parsed = parse_digest_args([pressed.time])
        if isinstance(parsed, SetSchedule):
            kind = chat.digest_kind if chat.digest_kind != "off" else "daily"
            change = SetSchedule(kind, parsed.time)
    if change is None:
        await query.answer()
        return
    if not await may_manage(update, context):
        await query.answer(texts.admins_only(lang), show_alert=True)
        return
    chat = await _apply(context, chat, change)
    await query.answer()
    text, markup = _schedule_view(chat, context, changed=True)
    await edit_in_place(query.edit_message_text(text, parse_mode="HTML", reply_markup=markup))


async def digest_more(update: Update, context: BotContext) -> None:
    """dm:PERIOD under a digest cut at its cap: the next items, for anyone in the chat."""
    query = update.callback_query
    pressed = unpack(query.data) if query is not None else None
    chat = update.effective_chat
    if query is None or not isinstance(pressed, DigestMore) or chat is None:
        return
    lang = _chat_lang(context)
    message = update.effective_message
    thread_id = message.message_thread_id if message is not None else None
    if message is not None and not message.is_topic_message:
        thread_id = None
    result = await send_more(context.app, chat.id, pressed.period, thread_id)
    if result == "nothing":
        await query.answer(texts.no_more(lang), show_alert=True)
    elif result == "busy":
        await query.answer(texts.busy(lang), show_alert=True)
    else:
        await query.answer()


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("digest", digest))
    app.add_handler(CommandHandler("timezone", timezone))
    app.add_handler(CallbackQueryHandler(digest_button, pattern=pattern(DigestButton)))
    app.add_handler(CallbackQueryHandler(digest_more, pattern=pattern(DigestMore)))


__all__ = ["register"]
