"""/subscribe, /unsubscribe, /subscriptions, /alerts, their buttons, and the chat's lifecycle.

Subscriptions belong to the chat. In groups only the group's administrators (asked of
Telegram, cached briefly) and the bot's admins may change them. The bot being added to or
removed from a chat, and a group becoming a supergroup, are recorded here too.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from dataclasses import dataclass

from telegram import (
    Chat,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.alerts_job import start_alerts_job
from bot.context import BotContext
from bot.core.alerts import keyword_error, keyword_key
from bot.core.matching import ZoneIndex, resolve_sector
from bot.texts import subscriptions as texts
from bot.texts.common import Lang, pick
from handlers.basic import is_admin
from handlers.common import edit_in_place
from storage.subscription_queries import MAX_SUBSCRIPTIONS, SubscribeResult, Subscription

log = logging.getLogger(__name__)

ADMIN_CACHE_SECONDS = 300.0
ADMIN_CACHE_MAX = 5000
PAGE_SIZE = 10
MAX_CALLBACK = 64
GROUP = 1  # chat lifecycle handlers: their own group, so others' handlers still see updates
_KIND_WORDS = {
    "zone": "zone",
    "park": "zone",
    "园区": "zone",
    "sector": "sector",
    "industry": "sector",
    "行业": "sector",
    "产业": "sector",
    "keyword": "keyword",
    "kw": "keyword",
    "关键词": "keyword",
}
_MODE_WORDS = {
    "instant": "instant",
    "on": "instant",
    "即时": "instant",
    "digest": "digest",
    "摘要": "digest",
    "off": "off",
    "关闭": "off",
    "关": "off",
}
_MARKS = ("✅ ", "⬜ ")


@dataclass(frozen=True)
class Target:
    """Something a chat can follow, with the name to show for it."""

    kind: str
    value: str
    name: str


@dataclass(frozen=True)
class Resolved:
    """A name resolved: one target, several to choose from, or none (with suggestions)."""

    found: Target | None = None
    choices: tuple[Target, ...] = ()
    suggestions: tuple[str, ...] = ()


# ---- who may change a chat's subscriptions ------------------------------------------------


async def may_manage(update: Update, context: BotContext) -> bool:
    """Private chats: the user. Groups: the group's admins (cached) and the bot's admins."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        # An anonymous admin posts as the group itself.
        return message.sender_chat.id == chat.id and update.callback_query is None
    if user is None:
        return False
    if is_admin(context, user.id):
        return True
    cache = context.services.admin_cache
    key = (chat.id, user.id)
    now = time.monotonic()
    cached = cache.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.warning("could not check admin status in %s: %s", chat.id, exc)
        return False
    allowed = member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    if len(cache) >= ADMIN_CACHE_MAX:
        for stale in [k for k, (until, _) in cache.items() if until <= now]:
            del cache[stale]
        if len(cache) >= ADMIN_CACHE_MAX:
            cache.clear()
    cache[key] = (now + ADMIN_CACHE_SECONDS, allowed)
    return allowed


async def _ready_chat(chat: Chat, context: BotContext) -> None:
    """The chat's row exists, is active, and knows a language for its alerts."""
    known = await context.store.ensure_chat(chat.id, chat.type, chat.title or None)
    if not known.active and known.migrated_to is None:
        await context.store.set_chat_active(chat.id, True)
    if known.lang is None:
        await context.store.set_chat_lang(chat.id, context.lang)


def _thread(message: Message | None) -> int | None:
    """The forum topic a message was sent in, if any."""
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


# ---- names ------------------------------------------------------------------------------


async def _names(context: BotContext) -> tuple[ZoneIndex, dict[str, str], dict[str, str]]:
    """Zone index, zone id -> name, sector value -> name (in the reader's language)."""
    store, lang = context.store, context.lang
    index = ZoneIndex.build(await store.zone_names())
    zones = {z.id: pick(lang, z.short_zh, z.name_en) for z in await store.zones()}
    sectors = {a.id: pick(lang, a.name_zh, a.name_en) for a in await store.areas()}
    sectors.update({lb.label: lb.label for lb in await store.labels()})
    return index, zones, sectors


async def _target_name(context: BotContext, kind: str, value: str) -> str | None:
    """The name of a zone, sector or keyword; None when no longer known."""
    if kind == "keyword":
        return value
    _, zones, sectors = await _names(context)
    return (zones if kind == "zone" else sectors).get(value)


async def _resolve_zone(context: BotContext, query: str) -> Resolved:
    index, zones, _ = await _names(context)
    match = index.resolve(query)
    if match.kind == "found":
        return Resolved(found=Target("zone", match.zone_id, zones.get(match.zone_id, "")))
    if match.kind == "ambiguous":
        return Resolved(choices=tuple(Target("zone", z, zones.get(z, z)) for z in match.zone_ids))
    return Resolved(suggestions=tuple(zones.get(z, z) for z in match.suggestions))


async def _resolve_sector(context: BotContext, query: str) -> Resolved:
    store = context.store
    areas, labels = await store.areas(), await store.labels()
    _, _, names = await _names(context)
    match = resolve_sector(query, areas, labels)
    if match.kind == "found":
        value = match.label or match.area or ""
        return Resolved(found=Target("sector", value, names.get(value, value)))
    if match.kind == "ambiguous":
        choices = []
        for shown in match.suggestions:
            exact = resolve_sector(shown, areas, labels)
            key = exact.label or exact.area
            if exact.kind == "found" and key:
                choices.append(Target("sector", key, names.get(key, key)))
        return Resolved(choices=tuple(choices))
    return Resolved(suggestions=match.suggestions)


async def _resolve_any(context: BotContext, query: str) -> Resolved:
    """A bare name: a zone, a sector, or ask when it could be either."""
    zone = await _resolve_zone(context, query)
    sector = await _resolve_sector(context, query)
    options = [
        *([zone.found] if zone.found else zone.choices),
        *([sector.found] if sector.found else sector.choices),
    ]
    if len(options) == 1:
        return Resolved(found=options[0])
    if options:
        return Resolved(choices=tuple(options))
    return Resolved(suggestions=(*zone.suggestions, *sector.suggestions)[:5])


def _clean_keyword(words: list[str]) -> str:
    return unicodedata.normalize("NFKC", " ".join(" ".join(words).split())).lower()


def _sub_data(target: Target) -> str | None:
    data = f"sub:{target.kind}:{target.value}"
    return data if len(data.encode()) <= MAX_CALLBACK else None


def _choice_markup(
    targets: list[Target], subscribed: set[tuple[str, str]], lang: Lang
) -> InlineKeyboardMarkup | None:
    rows = []
    for target in targets:
        data = _sub_data(target)
        if data is None:
            continue
        mark = _MARKS[0] if (target.kind, target.value) in subscribed else _MARKS[1]
        label = mark + texts.sub_button(target.kind, target.name, lang)
        if target.kind == "keyword" and (target.kind, target.value) not in subscribed:
            label = mark + texts.keyword_button(target.value, lang)
        rows.append([InlineKeyboardButton(label, callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


async def _subscribed_set(context: BotContext, chat_id: int) -> set[tuple[str, str]]:
    return {(s.kind, s.value) for s in await context.store.subscriptions(chat_id)}


# ---- /subscribe -------------------------------------------------------------------------


async def subscribe(update: Update, context: BotContext) -> None:
    """/subscribe [zone|sector|keyword] NAME: follow it; no argument: pick with buttons."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = context.lang
    if not await may_manage(update, context):
        await message.reply_html(texts.group_only_admins(lang))
        return
    await _ready_chat(chat, context)
    args = list(context.args or [])
    if not args:
        await _show_picker(message, context, chat.id)
        return
    kind = _KIND_WORDS.get(args[0].lower())
    query_words = args[1:] if kind else args
    query = " ".join(query_words)
    if kind == "keyword":
        if not query_words:
            await message.reply_html(texts.keyword_missing(lang))
            return
        keyword = _clean_keyword(query_words)
        problem = keyword_error(keyword)
        if problem:
            await message.reply_html(texts.keyword_bad(problem, lang))
            return
        await _subscribe_target(message, context, chat.id, Target("keyword", keyword, keyword))
        return
    if not query:
        await message.reply_html(texts.usage(lang))
        return
    if kind == "zone":
        resolved = await _resolve_zone(context, query)
    elif kind == "sector":
        resolved = await _resolve_sector(context, query)
    else:
        resolved = await _resolve_any(context, query)
    if resolved.found is not None:
        await _subscribe_target(message, context, chat.id, resolved.found)
        return
    subscribed = await _subscribed_set(context, chat.id)
    if resolved.choices:
        markup = _choice_markup(list(resolved.choices), subscribed, lang)
        await message.reply_html(texts.choose(query, lang), reply_markup=markup)
        return
    offer: list[Target] = []
    keyword = _clean_keyword(query_words)
    if keyword_error(keyword) is None:
        offer.append(Target("keyword", keyword, keyword))
    await message.reply_html(
        texts.unknown_name(query, resolved.suggestions, lang, kind),
        reply_markup=_choice_markup(offer, subscribed, lang),
    )


async def _subscribe_target(
    message: Message, context: BotContext, chat_id: int, target: Target
) -> None:
    lang = context.lang
    thread = _thread(message)
    result = await context.store.subscribe(chat_id, target.kind, target.value, thread)  # type: ignore[arg-type]
    if result is SubscribeResult.LIMIT:
        await message.reply_html(texts.limit_reached(MAX_SUBSCRIPTIONS, lang))
    elif result is SubscribeResult.ALREADY:
        await message.reply_html(texts.already(target.kind, target.name, lang))
    else:
        await message.reply_html(
            texts.subscribed(target.kind, target.name, lang, thread is not None)
        )


async def _show_picker(message: Message, context: BotContext, chat_id: int) -> None:
    lang = context.lang
    _, zones, _ = await _names(context)
    areas = await context.store.areas()
    targets = [Target("zone", z, name) for z, name in zones.items()]
    targets += [Target("sector", a.id, pick(lang, a.name_zh, a.name_en)) for a in areas]
    subscribed = await _subscribed_set(context, chat_id)
    markup = _choice_markup(targets, subscribed, lang)
    await message.reply_html(texts.picker(lang), reply_markup=markup)


# ---- /unsubscribe and /subscriptions ----------------------------------------------------


async def unsubscribe(update: Update, context: BotContext) -> None:
    """/unsubscribe [zone|sector|keyword] NAME: stop following it; no argument: the list."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = context.lang
    if not await may_manage(update, context):
        await message.reply_html(texts.group_only_admins(lang))
        return
    args = list(context.args or [])
    if not args:
        await _reply_list(message, context, chat.id, header=texts.unsubscribe_usage(lang))
        return
    kind = _KIND_WORDS.get(args[0].lower())
    words = args[1:] if kind else args
    query = " ".join(words)
    subs = await context.store.subscriptions(chat.id)
    held = {(s.kind, s.value) for s in subs}
    candidates: list[Target] = []
    if kind in (None, "keyword") and words:
        keyword = _clean_keyword(words)
        candidates += [
            Target("keyword", s.value, s.value)
            for s in subs
            if s.kind == "keyword" and keyword_key(s.value) == keyword_key(keyword)
        ]
    if kind in (None, "zone") and query:
        zone = await _resolve_zone(context, query)
        candidates += [zone.found] if zone.found else list(zone.choices)
    if kind in (None, "sector") and query:
        sector = await _resolve_sector(context, query)
        candidates += [sector.found] if sector.found else list(sector.choices)
    removed = False
    for target in candidates:
        if (target.kind, target.value) in held and await context.store.unsubscribe(
            chat.id, target.kind, target.value
        ):
            await message.reply_html(texts.unsubscribed(target.kind, target.name, lang))
            removed = True
            break
    if not removed:
        await _reply_list(message, context, chat.id, header=texts.not_subscribed(query, lang))


async def subscriptions(update: Update, context: BotContext) -> None:
    """/subscriptions: this chat's list, a remove button per line."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    await _reply_list(message, context, chat.id)


async def _list_view(
    context: BotContext, chat_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    lang = context.lang
    subs = await context.store.subscriptions(chat_id)
    chat = await context.store.chat(chat_id)
    mode = chat.alert_mode if chat else "instant"
    pages = max(1, -(-len(subs) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    start = page * PAGE_SIZE
    shown = subs[start : start + PAGE_SIZE]
    views = [await _view(context, s) for s in shown]
    text = texts.subscription_list(views, lang, mode, page, pages, start)
    rows = [
        [
            InlineKeyboardButton(
                texts.remove_button(start + n, f"{texts.kind_name(v.kind, lang)} {v.name}"),
                callback_data=f"unsub:{v.id}:{page}",
            )
        ]
        for n, v in enumerate(views, start=1)
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(texts.page_button(False, lang), callback_data=f"subs:{page - 1}")
        )
    if page + 1 < pages:
        nav.append(
            InlineKeyboardButton(texts.page_button(True, lang), callback_data=f"subs:{page + 1}")
        )
    if nav:
        rows.append(nav)
    return text, InlineKeyboardMarkup(rows) if rows else None


async def _view(context: BotContext, sub: Subscription) -> texts.SubView:
    name = await _target_name(context, sub.kind, sub.value)
    return texts.SubView(sub.id, sub.kind, name or sub.value, sub.thread_id)


async def _reply_list(
    message: Message, context: BotContext, chat_id: int, header: str | None = None, page: int = 0
) -> None:
    text, markup = await _list_view(context, chat_id, page)
    if header:
        text = f"{header}\n\n{text}"
    await message.reply_html(text, reply_markup=markup)


# ---- /alerts ----------------------------------------------------------------------------


async def alerts(update: Update, context: BotContext) -> None:
    """/alerts instant|digest|off: how this chat hears about new items."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = context.lang
    choice = _MODE_WORDS.get((context.args[0] if context.args else "").strip().lower())
    if choice is None:
        known = await context.store.chat(chat.id)
        mode = known.alert_mode if known else "instant"
        await message.reply_html(
            texts.alerts_usage(mode, lang), reply_markup=_mode_markup(mode, lang)
        )
        return
    if not await may_manage(update, context):
        await message.reply_html(texts.group_only_admins(lang))
        return
    await _ready_chat(chat, context)
    await context.store.set_alert_mode(chat.id, choice)  # type: ignore[arg-type]
    await message.reply_html(texts.alerts_set(choice, lang))


def _mode_markup(current: str, lang: Lang) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.mode_button(m, current, lang), callback_data=f"alerts:{m}"
                )
                for m in ("instant", "digest", "off")
            ]
        ]
    )


# ---- buttons ----------------------------------------------------------------------------


async def on_sub_button(update: Update, context: BotContext) -> None:
    """sub:KIND:VALUE on a picker, a choice list, a zone or a sector card: toggle it."""
    query = update.callback_query
    if query is None:
        return
    lang = context.lang
    message = query.message if isinstance(query.message, Message) else None
    chat = update.effective_chat
    parts = (query.data or "").split(":", 2)
    if (
        message is None
        or chat is None
        or len(parts) != 3
        or parts[1] not in ("zone", "sector", "keyword")
    ):
        await query.answer(texts.toast_stale(lang))
        return
    if not await may_manage(update, context):
        await query.answer(texts.toast_only_admins(lang), show_alert=True)
        return
    kind, value = parts[1], parts[2]
    name = await _target_name(context, kind, value)
    if name is None or (kind == "keyword" and keyword_error(value)):
        await query.answer(texts.toast_stale(lang))
        return
    await _ready_chat(chat, context)
    store = context.store
    if await store.unsubscribe(chat.id, kind, value):
        await query.answer(texts.toast_unsubscribed(name, lang))
    else:
        result = await store.subscribe(chat.id, kind, value, _thread(message))  # type: ignore[arg-type]
        if result is SubscribeResult.LIMIT:
            await query.answer(texts.toast_limit(MAX_SUBSCRIPTIONS, lang), show_alert=True)
            return
        await query.answer(texts.toast_subscribed(name, lang))
    await _relabel(message, context, chat.id)


async def _relabel(message: Message, context: BotContext, chat_id: int) -> None:
    """Show each sub: button's new state in place; other buttons stay as they are."""
    markup = message.reply_markup
    if markup is None:
        return
    held = await _subscribed_set(context, chat_id)
    lang = context.lang
    rows: list[list[InlineKeyboardButton]] = []
    changed = False
    for row in markup.inline_keyboard:
        new_row = []
        for button in row:
            data = button.callback_data if isinstance(button.callback_data, str) else None
            parts = data.split(":", 2) if data else []
            if len(parts) == 3 and parts[0] == "sub":
                on = (parts[1], parts[2]) in held
                if button.text.startswith(_MARKS):
                    text = (_MARKS[0] if on else _MARKS[1]) + button.text[len(_MARKS[0]) :]
                else:
                    text = texts.card_button(on, lang)
                if text != button.text:
                    changed = True
                    button = InlineKeyboardButton(text, callback_data=data)
            new_row.append(button)
        rows.append(new_row)
    if not changed:
        return
    await edit_in_place(message.edit_reply_markup(InlineKeyboardMarkup(rows)))


async def on_unsub_button(update: Update, context: BotContext) -> None:
    """unsub:ID:PAGE on the list: remove that subscription and redraw the list."""
    query = update.callback_query
    if query is None:
        return
    lang = context.lang
    message = query.message if isinstance(query.message, Message) else None
    chat = update.effective_chat
    parts = (query.data or "").split(":")
    if message is None or chat is None or len(parts) != 3 or not parts[1].isdigit():
        await query.answer(texts.toast_stale(lang))
        return
    if not await may_manage(update, context):
        await query.answer(texts.toast_only_admins(lang), show_alert=True)
        return
    page = int(parts[2]) if parts[2].isdigit() else 0
    removed = await context.store.unsubscribe_id(chat.id, int(parts[1]))
    if removed is None:
        await query.answer(texts.toast_stale(lang))
    else:
        name = await _target_name(context, removed.kind, removed.value) or removed.value
        await query.answer(texts.toast_unsubscribed(name, lang))
    await _redraw_list(message, context, chat.id, page)


async def on_list_page(update: Update, context: BotContext) -> None:
    """subs:PAGE: another page of the list."""
    query = update.callback_query
    if query is None:
        return
    message = query.message if isinstance(query.message, Message) else None
    chat = update.effective_chat
    page_text = (query.data or "").partition(":")[2]
    await query.answer()
    if message is not None and chat is not None and page_text.isdigit():
        await _redraw_list(message, context, chat.id, int(page_text))


async def _redraw_list(message: Message, context: BotContext, chat_id: int, page: int) -> None:
    text, markup = await _list_view(context, chat_id, page)
    await edit_in_place(message.edit_text(text, parse_mode="HTML", reply_markup=markup))


async def on_mode_button(update: Update, context: BotContext) -> None:
    """alerts:MODE: set the alert mode and show it in place."""
    query = update.callback_query
    if query is None:
        return
    lang = context.lang
    message = query.message if isinstance(query.message, Message) else None
    chat = update.effective_chat
    mode = (query.data or "").partition(":")[2]
    if message is None or chat is None or mode not in ("instant", "digest", "off"):
        await query.answer(texts.toast_stale(lang))
        return
    if not await may_manage(update, context):
        await query.answer(texts.toast_only_admins(lang), show_alert=True)
        return
    await _ready_chat(chat, context)
    await context.store.set_alert_mode(chat.id, mode)  # type: ignore[arg-type]
    await query.answer(texts.mode_name(mode, lang))
    await edit_in_place(
        message.edit_text(
            texts.alerts_usage(mode, lang), parse_mode="HTML", reply_markup=_mode_markup(mode, lang)
        )
    )


# ---- the chat's lifecycle ---------------------------------------------------------------


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    """The bot was added to a chat (or unblocked), or removed (or blocked)."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    chat = change.chat
    status = change.new_chat_member.status
    present = status in (
        ChatMemberStatus.MEMBER,
        ChatMemberStatus.ADMINISTRATOR,
        ChatMemberStatus.OWNER,
    ) or (
        status == ChatMemberStatus.RESTRICTED
        and getattr(change.new_chat_member, "is_member", False)
    )
    store = context.store
    if present:
        await store.ensure_chat(chat.id, chat.type, chat.title or None)
        await store.set_chat_active(chat.id, True)
        log.info("added to chat %s (%s)", chat.id, chat.type)
    elif await store.chat(chat.id) is not None:
        await store.set_chat_active(chat.id, False)
        log.info("removed from chat %s: nothing more is sent there", chat.id)


async def on_migrate(update: Update, context: BotContext) -> None:
    """A group became a supergroup: its subscriptions move to the new id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, int(message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        old, new = int(message.migrate_from_chat_id), message.chat.id
    else:
        return
    store = context.store
    known = await store.chat(old)
    if known is not None and known.migrated_to is None:
        await store.migrate_chat(old, new)
        log.info("chat %s migrated to %s", old, new)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("subscribe", subscribe))
    app.add_handler(CommandHandler("unsubscribe", unsubscribe))
    app.add_handler(CommandHandler("subscriptions", subscriptions))
    app.add_handler(CommandHandler("alerts", alerts))
    app.add_handler(CallbackQueryHandler(on_sub_button, pattern=r"^sub:"))
    app.add_handler(CallbackQueryHandler(on_unsub_button, pattern=r"^unsub:"))
    app.add_handler(CallbackQueryHandler(on_list_page, pattern=r"^subs:"))
    app.add_handler(CallbackQueryHandler(on_mode_button, pattern=r"^alerts:"))
    app.add_handler(
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER), group=GROUP
    )
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate), group=GROUP)


async def start_jobs(app: Application) -> None:  # type: ignore[type-arg]
    """Called from on_startup: the alert job."""
    await start_alerts_job(app)
