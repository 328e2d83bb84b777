"""/subscribe, /unsubscribe, /subscriptions, /alerts, their buttons, and the chat's lifecycle.

Subscriptions belong to the chat. In groups only the group's administrators (asked of
Telegram, cached briefly) and the bot's admins may change them. A group's administrator may
also manage the group from a private chat (/manage): the chosen group lives in
``context.user_data`` only (not the store, so it is gone after a restart), and the rights are
asked again, through the same cache, at each command and button. The bot being added to or
removed from a chat, and a group becoming a supergroup, are recorded here too.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import (
    CallbackQuery,
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
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import (
    AlertMode,
    Manage,
    Subscribe,
    SubscriptionsPage,
    Unsubscribe,
    packed,
    pattern,
    unpack,
)
from bot.context import BotApp, BotContext
from bot.core.alerts import keyword_error, keyword_key
from bot.core.matching import ZoneIndex, resolve_sector
from bot.core.records import ChatRecord, SubKind, SubscribeResult, Subscription
from bot.core.robots import CHANNEL_KINDS
from bot.core.zone_cache import zone_index
from bot.texts import admin as admin_texts
from bot.texts import channels as channel_texts
from bot.texts import directory as directory_texts
from bot.texts import subscriptions as texts
from bot.texts.common import Lang, pick
from handlers.basic import is_admin
from handlers.channels import MANAGED_KEY, managed_channel, may_manage_channel, visible_channels
from handlers.common import edit_in_place
from storage.subscription_queries import MAX_SUBSCRIPTIONS

log = logging.getLogger(__name__)

ADMIN_CACHE_SECONDS = 300.0
ADMIN_CACHE_MAX = 5000
PAGE_SIZE = 10
SCOPED_KEY = "managed_messages"  # user_data: message id -> the chat its buttons act on
SCOPED_MAX = 100
MANAGE_MAX = 50  # groups listed by /manage
_OFF_WORDS = ("off", "关闭", "关", "退出")
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

    kind: SubKind
    value: str
    name: str


@dataclass(frozen=True)
class Resolved:
    """A name resolved: one target, several to choose from, or none (with suggestions)."""

    found: Target | None = None
    choices: tuple[Target, ...] = ()
    suggestions: tuple[str, ...] = ()
    others: tuple[Target, ...] = ()  # with found: other zones the name fits, offered beside it


# ---- who may change a chat's subscriptions ------------------------------------------------


async def may_manage(update: Update, context: BotContext) -> bool:
    """Private chats: the user. Groups: the group's admins and the bot's admins.

    Called before a change, so the group's rights are asked afresh (a demoted administrator
    loses control at once, not when a cached answer expires).
    """
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
    return await may_manage_group(context, chat.id, user.id, fresh=True)


async def may_manage_group(
    context: BotContext, chat_id: int, user_id: int, *, fresh: bool = False
) -> bool:
    """The bot's admins, or the group's administrators and owner (asked; the answer is cached
    for reads and listings, ``fresh`` asks again). With BOT_ACCESS=private an unapproved group
    is managed by nobody: an approved user cannot bring it into the stream."""
    if context.settings.access == "private" and not await context.store.chat_approved(chat_id):
        return False
    if is_admin(context, user_id):
        return True
    cache = context.services.admin_cache
    key = (chat_id, user_id)
    now = time.monotonic()
    cached = cache.get(key)
    if cached is not None and cached[0] > now and not fresh:
        return cached[1]
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        log.warning("could not check admin status in %s: %s", chat_id, exc)
        return False
    allowed = member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    if len(cache) >= ADMIN_CACHE_MAX:
        for stale in [k for k, (until, _) in cache.items() if until <= now]:
            del cache[stale]
        if len(cache) >= ADMIN_CACHE_MAX:
            cache.clear()
    cache[key] = (now + ADMIN_CACHE_SECONDS, allowed)
    return allowed


# ---- which chat a command acts on: this one, or the group a private chat manages ----------


@dataclass(frozen=True)
class Scope:
    """The chat whose subscriptions change; ``group`` names it when managed from private."""

    chat_id: int
    group: str | None = None
    allowed: bool = True
    unapproved: bool = False  # BOT_ACCESS=private and the group is not approved


def _user_data(context: BotContext) -> dict[Any, Any]:
    return context.user_data if context.user_data is not None else {}


def _managed_id(context: BotContext) -> int | None:
    value = _user_data(context).get(MANAGED_KEY)
    return value if isinstance(value, int) else None


async def _manageable(
    context: BotContext, group_id: int, user_id: int, *, fresh: bool = False
) -> ChatRecord | None:
    """The group, when the bot is still in it and this user may manage it."""
    known = await context.store.chat(group_id)
    if known is not None and known.type in CHANNEL_KINDS:
        # A group robot: its owner and the bot's admins, whatever its status.
        return known if await may_manage_channel(context, known.id, user_id) else None
    if known is not None and known.migrated_to is not None:
        known = await context.store.chat(known.migrated_to)
    if known is None or not known.active or known.type not in ("group", "supergroup"):
        return None
    if not await may_manage_group(context, known.id, user_id, fresh=fresh):
        return None
    return known


async def _scope(update: Update, context: BotContext, *, change: bool = True) -> Scope:
    """This chat (with the usual rights check when changing it), or the managed group.

    A managed group is checked every time, reads included; when the user may no longer
    manage it, the choice is dropped and the scope comes back not allowed.
    """
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None
    managed = _managed_id(context) if chat.type == ChatType.PRIVATE else None
    if managed is None:
        if (not change) or await may_manage(update, context):
            return Scope(chat.id)
        unapproved = (
            chat.type != ChatType.PRIVATE
            and context.settings.access == "private"
            and not await context.store.chat_approved(chat.id)
        )
        return Scope(chat.id, allowed=False, unapproved=unapproved)
    known = await context.store.chat(managed)
    name = texts.group_name(known.title if known else None, managed)
    group = await _manageable(context, managed, user.id, fresh=change) if user is not None else None
    if group is None:
        _user_data(context).pop(MANAGED_KEY, None)
        return Scope(managed, name, allowed=False)
    if group.id != managed:  # it became a supergroup: follow it
        _user_data(context)[MANAGED_KEY] = group.id
    return Scope(group.id, texts.group_name(group.title, group.id))


async def _command_scope(
    update: Update, context: BotContext, *, change: bool = True
) -> tuple[Message, Chat, Scope] | None:
    """The message, chat and scope a command acts on; None (refusal sent) when it may not."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return None
    scope = await _scope(update, context, change=change)
    if not scope.allowed:
        await message.reply_html(_refusal(scope, context.lang))
        return None
    return message, chat, scope


async def _button_scope(
    update: Update,
    context: BotContext,
    query: CallbackQuery,
    message: Message,
    *,
    change: bool = True,
) -> Scope | None:
    """The scope a button acts on; None (the press answered) when it may not act."""
    lang = context.lang
    scope = await _scope(update, context, change=change)
    if not scope.allowed:
        await query.answer(_toast_refusal(scope, lang), show_alert=True)
        return None
    if _other_scope(context, message, scope):
        await query.answer(texts.toast_other_scope(lang), show_alert=True)
        return None
    return scope


def _refusal(scope: Scope, lang: Lang) -> str:
    if scope.unapproved:
        return admin_texts.group_not_approved(lang)
    if scope.group is not None:
        return texts.managed_refused(scope.group, lang)
    return texts.group_only_admins(lang)


def _toast_refusal(scope: Scope, lang: Lang) -> str:
    if scope.unapproved:
        return admin_texts.group_not_approved(lang)
    if scope.group is not None:
        return texts.toast_not_group_admin(lang)
    return texts.toast_only_admins(lang)


async def _reply(
    message: Message,
    context: BotContext,
    scope: Scope,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Reply, naming the managed group; remember which chat the buttons belong to."""
    sent = await message.reply_html(
        texts.in_group(scope.group, text, context.lang), reply_markup=markup
    )
    if markup is not None and message.chat.type == ChatType.PRIVATE:
        tags: dict[int, int] = _user_data(context).setdefault(SCOPED_KEY, {})
        tags[sent.message_id] = scope.chat_id
        while len(tags) > SCOPED_MAX:
            del tags[next(iter(tags))]


def _other_scope(context: BotContext, message: Message, scope: Scope) -> bool:
    """A button on a private message sent for another chat than the one managed now."""
    if message.chat.type != ChatType.PRIVATE:
        return False
    tags: dict[int, int] = _user_data(context).get(SCOPED_KEY, {})
    origin = tags.get(message.message_id)
    return origin is not None and origin != scope.chat_id


async def _ready(scope: Scope, chat: Chat, context: BotContext) -> None:
    """Like _ready_chat, for the scope: a managed group only needs a language."""
    if scope.group is None:
        await _ready_chat(chat, context)
        return
    known = await context.store.chat(scope.chat_id)
    if known is not None and known.lang is None:
        await context.store.set_chat_lang(scope.chat_id, context.lang)


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
    index = await zone_index(store)
    zones = {z.id: pick(lang, z.short_zh, z.name_en) for z in await store.zones()}
    sectors = {a.id: pick(lang, a.name_zh, a.name_en) for a in await store.areas()}
    sectors.update({lb.label: pick(lang, lb.label, lb.name_en) for lb in await store.labels()})
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
        # 昆山: the zone with records is followed at once, 昆山经开区 offered beside it.
        return Resolved(
            found=Target("zone", match.zone_id, zones.get(match.zone_id, "")),
            others=tuple(Target("zone", z, zones.get(z, z)) for z in match.others),
        )
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
        return Resolved(found=options[0], others=zone.others if zone.found else ())
    if options:
        return Resolved(choices=tuple(options))
    return Resolved(suggestions=(*zone.suggestions, *sector.suggestions)[:5])


def _clean_keyword(words: list[str]) -> str:
    return unicodedata.normalize("NFKC", " ".join(" ".join(words).split())).lower()


def _sub_data(target: Target) -> str | None:
    return packed(Subscribe(target.kind, target.value))


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
    lang = context.lang
    begun = await _command_scope(update, context)
    if begun is None:
        return
    message, chat, scope = begun
    await _ready(scope, chat, context)
    args = list(context.args or [])
    if not args:
        await _show_picker(message, context, scope)
        return
    kind = _KIND_WORDS.get(args[0].lower())
    query_words = args[1:] if kind else args
    query = " ".join(query_words)
    if kind == "keyword":
        if not query_words:
            await _reply(message, context, scope, texts.keyword_missing(lang))
            return
        keyword = _clean_keyword(query_words)
        problem = keyword_error(keyword)
        if problem:
            await _reply(message, context, scope, texts.keyword_bad(problem, lang))
            return
        await _subscribe_target(message, context, scope, Target("keyword", keyword, keyword))
        return
    if not query:
        await _reply(message, context, scope, texts.usage(lang))
        return
    if kind == "zone":
        resolved = await _resolve_zone(context, query)
    elif kind == "sector":
        resolved = await _resolve_sector(context, query)
    else:
        resolved = await _resolve_any(context, query)
    if resolved.found is not None:
        await _subscribe_target(message, context, scope, resolved.found, resolved.others)
        return
    subscribed = await _subscribed_set(context, scope.chat_id)
    if resolved.choices:
        markup = _choice_markup(list(resolved.choices), subscribed, lang)
        await _reply(message, context, scope, texts.choose(query, lang), markup)
        return
    offer: list[Target] = []
    keyword = _clean_keyword(query_words)
    if keyword_error(keyword) is None:
        offer.append(Target("keyword", keyword, keyword))
    await _reply(
        message,
        context,
        scope,
        texts.unknown_name(query, resolved.suggestions, lang, kind),
        _choice_markup(offer, subscribed, lang),
    )


async def _subscribe_target(
    message: Message,
    context: BotContext,
    scope: Scope,
    target: Target,
    others: tuple[Target, ...] = (),
) -> None:
    lang = context.lang
    if scope.group is None:
        thread = _thread(message)
    else:
        # From private chat: no topic, and a topic chosen in the group stays as it is.
        held = await context.store.subscriptions(scope.chat_id)
        thread = next(
            (s.thread_id for s in held if (s.kind, s.value) == (target.kind, target.value)),
            None,
        )
    result = await context.store.subscribe(scope.chat_id, target.kind, target.value, thread)
    if result is SubscribeResult.LIMIT:
        text = texts.limit_reached(MAX_SUBSCRIPTIONS, lang)
    elif result is SubscribeResult.ALREADY:
        text = texts.already(target.kind, target.name, lang)
    else:
        text = texts.subscribed(target.kind, target.name, lang, thread is not None)
    if target.kind == "zone" and result is not SubscribeResult.LIMIT:
        counts = await context.store.zone_count(target.value)
        if counts.projects == 0 and counts.events == 0:
            # A directory zone with nothing recorded yet: accepted, and said plainly.
            text += "\n" + directory_texts.nothing_recorded_yet(target.name, lang)
    markup = None
    if others:
        text += "\n" + directory_texts.also_follow([o.name for o in others], lang)
        subscribed = await _subscribed_set(context, scope.chat_id)
        markup = _choice_markup(list(others), subscribed, lang)
    await _reply(message, context, scope, text, markup)


PICKER_ZONES = 24


async def _show_picker(message: Message, context: BotContext, scope: Scope) -> None:
    lang = context.lang
    _, zones, _ = await _names(context)
    areas = await context.store.areas()
    subscribed = await _subscribed_set(context, scope.chat_id)
    # The directory holds hundreds of zones: buttons for those with records and those the
    # chat follows (Telegram takes 100 buttons at most); any other by name.
    counts = await context.store.zone_counts()
    shown = [z for z in zones if z in counts or ("zone", z) in subscribed]
    shown.sort(key=lambda z: -(counts[z].projects + counts[z].events) if z in counts else 0)
    targets = [Target("zone", z, zones[z]) for z in shown[:PICKER_ZONES]]
    targets += [Target("sector", a.id, pick(lang, a.name_zh, a.name_en)) for a in areas]
    markup = _choice_markup(targets, subscribed, lang)
    text = texts.picker(lang)
    if len(zones) > len(targets):
        text += "\n" + directory_texts.picker_more(lang)
    await _reply(message, context, scope, text, markup)


# ---- /unsubscribe and /subscriptions ----------------------------------------------------


async def unsubscribe(update: Update, context: BotContext) -> None:
    """/unsubscribe [zone|sector|keyword] NAME: stop following it; no argument: the list."""
    lang = context.lang
    begun = await _command_scope(update, context)
    if begun is None:
        return
    message, _chat, scope = begun
    args = list(context.args or [])
    if not args:
        await _reply_list(message, context, scope, header=texts.unsubscribe_usage(lang))
        return
    kind = _KIND_WORDS.get(args[0].lower())
    words = args[1:] if kind else args
    query = " ".join(words)
    subs = await context.store.subscriptions(scope.chat_id)
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
            scope.chat_id, target.kind, target.value
        ):
            await _reply(
                message, context, scope, texts.unsubscribed(target.kind, target.name, lang)
            )
            removed = True
            break
    if not removed:
        await _reply_list(message, context, scope, header=texts.not_subscribed(query, lang))


async def subscriptions(update: Update, context: BotContext) -> None:
    """/subscriptions: this chat's list, a remove button per line."""
    begun = await _command_scope(update, context, change=False)
    if begun is None:
        return
    message, _chat, scope = begun
    await _reply_list(message, context, scope)


async def _list_view(
    context: BotContext, scope: Scope, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    lang, chat_id = context.lang, scope.chat_id
    subs = await context.store.subscriptions(chat_id)
    chat = await context.store.chat(chat_id)
    mode = chat.alert_mode if chat else "instant"
    pages = max(1, -(-len(subs) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    start = page * PAGE_SIZE
    shown = subs[start : start + PAGE_SIZE]
    views = [await _view(context, s) for s in shown]
    text = texts.in_group(
        scope.group, texts.subscription_list(views, lang, mode, page, pages, start), lang
    )
    rows = [
        [
            InlineKeyboardButton(
                texts.remove_button(start + n, f"{texts.kind_name(v.kind, lang)} {v.name}"),
                callback_data=Unsubscribe(v.id, page).pack(),
            )
        ]
        for n, v in enumerate(views, start=1)
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                texts.page_button(False, lang), callback_data=SubscriptionsPage(page - 1).pack()
            )
        )
    if page + 1 < pages:
        nav.append(
            InlineKeyboardButton(
                texts.page_button(True, lang), callback_data=SubscriptionsPage(page + 1).pack()
            )
        )
    if nav:
        rows.append(nav)
    return text, InlineKeyboardMarkup(rows) if rows else None


async def _view(context: BotContext, sub: Subscription) -> texts.SubView:
    name = await _target_name(context, sub.kind, sub.value)
    return texts.SubView(sub.id, sub.kind, name or sub.value, sub.thread_id)


async def _reply_list(
    message: Message, context: BotContext, scope: Scope, header: str | None = None, page: int = 0
) -> None:
    text, markup = await _list_view(context, Scope(scope.chat_id), page)
    if header:
        text = f"{header}\n\n{text}"
    await _reply(message, context, scope, text, markup)


# ---- /alerts ----------------------------------------------------------------------------


async def alerts(update: Update, context: BotContext) -> None:
    """/alerts instant|digest|off: how this chat hears about new items."""
    lang = context.lang
    choice = _MODE_WORDS.get((context.args[0] if context.args else "").strip().lower())
    begun = await _command_scope(update, context, change=choice is not None)
    if begun is None:
        return
    message, chat, scope = begun
    if choice is None:
        known = await context.store.chat(scope.chat_id)
        mode = known.alert_mode if known else "instant"
        await _reply(
            message, context, scope, texts.alerts_usage(mode, lang), _mode_markup(mode, lang)
        )
        return
    await _ready(scope, chat, context)
    await context.store.set_alert_mode(scope.chat_id, choice)  # type: ignore[arg-type]
    await _reply(message, context, scope, texts.alerts_set(choice, lang))


def _mode_markup(current: str, lang: Lang) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.mode_button(m, current, lang), callback_data=AlertMode(m).pack()
                )
                for m in ("instant", "digest", "off")
            ]
        ]
    )


# ---- buttons ----------------------------------------------------------------------------


B = TypeVar("B", Subscribe, Unsubscribe, SubscriptionsPage, AlertMode)


async def _pressed(
    update: Update, context: BotContext, kind: type[B], *, change: bool = True
) -> tuple[CallbackQuery, Message, Chat, B, Scope] | None:
    """A button of ``kind`` on a message in a chat, and the scope it may act on; None when
    it may not act (the press is answered: stale, or not allowed here)."""
    query = update.callback_query
    if query is None:
        return None
    message = query.message if isinstance(query.message, Message) else None
    chat = update.effective_chat
    pressed = unpack(query.data)
    if message is None or chat is None or not isinstance(pressed, kind):
        # A page turn has nothing to go stale; the others say what happened.
        await query.answer(None if kind is SubscriptionsPage else texts.toast_stale(context.lang))
        return None
    scope = await _button_scope(update, context, query, message, change=change)
    if scope is None:
        return None
    return query, message, chat, pressed, scope


async def on_sub_button(update: Update, context: BotContext) -> None:
    """sub:KIND:VALUE on a picker, a choice list, a zone or a sector card: toggle it."""
    found = await _pressed(update, context, Subscribe)
    if found is None:
        return
    query, message, chat, pressed, scope = found
    lang = context.lang
    kind, value = pressed.kind, pressed.value
    name = await _target_name(context, kind, value)
    if name is None or (kind == "keyword" and keyword_error(value)):
        await query.answer(texts.toast_stale(lang))
        return
    await _ready(scope, chat, context)
    store = context.store
    if await store.unsubscribe(scope.chat_id, kind, value):
        await query.answer(
            texts.toast_in_group(scope.group, texts.toast_unsubscribed(name, lang), lang)
        )
    else:
        thread = _thread(message) if scope.group is None else None
        result = await store.subscribe(scope.chat_id, kind, value, thread)
        if result is SubscribeResult.LIMIT:
            await query.answer(texts.toast_limit(MAX_SUBSCRIPTIONS, lang), show_alert=True)
            return
        await query.answer(
            texts.toast_in_group(scope.group, texts.toast_subscribed(name, lang), lang)
        )
    await _relabel(message, context, scope.chat_id)


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
            shown = unpack(data)
            if isinstance(shown, Subscribe):
                on = (shown.kind, shown.value) in held
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
    found = await _pressed(update, context, Unsubscribe)
    if found is None:
        return
    query, message, _, pressed, scope = found
    lang = context.lang
    page = pressed.page
    removed = await context.store.unsubscribe_id(scope.chat_id, pressed.subscription_id)
    if removed is None:
        await query.answer(texts.toast_stale(lang))
    else:
        name = await _target_name(context, removed.kind, removed.value) or removed.value
        toast = texts.toast_unsubscribed(name, lang)
        await query.answer(texts.toast_in_group(scope.group, toast, lang))
    await _redraw_list(message, context, scope, page)


async def on_list_page(update: Update, context: BotContext) -> None:
    """subs:PAGE: another page of the list."""
    found = await _pressed(update, context, SubscriptionsPage, change=False)
    if found is None:
        return
    query, message, _, pressed, scope = found
    await query.answer()
    await _redraw_list(message, context, scope, pressed.page)


async def _redraw_list(message: Message, context: BotContext, scope: Scope, page: int) -> None:
    text, markup = await _list_view(context, scope, page)
    await edit_in_place(message.edit_text(text, parse_mode="HTML", reply_markup=markup))


async def on_mode_button(update: Update, context: BotContext) -> None:
    """alerts:MODE: set the alert mode and show it in place."""
    found = await _pressed(update, context, AlertMode)
    if found is None:
        return
    query, message, chat, pressed, scope = found
    lang = context.lang
    mode = pressed.mode
    await _ready(scope, chat, context)
    await context.store.set_alert_mode(scope.chat_id, mode)
    await query.answer(texts.toast_in_group(scope.group, texts.mode_name(mode, lang), lang))
    await edit_in_place(
        message.edit_text(
            texts.in_group(scope.group, texts.alerts_usage(mode, lang), lang),
            parse_mode="HTML",
            reply_markup=_mode_markup(mode, lang),
        )
    )


# ---- /manage: a group's subscriptions from a private chat --------------------------------


async def _eligible_groups(context: BotContext, user_id: int) -> list[ChatRecord]:
    """Groups the bot is in where this user is an administrator (or any, for bot admins)."""
    found = []
    for group in await context.store.active_groups():
        if await may_manage_group(context, group.id, user_id):
            found.append(group)
            if len(found) >= MANAGE_MAX:
                break
    return found


def _manage_markup(
    groups: list[ChatRecord], current: int | None, lang: Lang
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                texts.manage_button(texts.group_name(g.title, g.id), g.id == current, lang),
                callback_data=Manage(g.id).pack(),
            )
        ]
        for g in groups
    ]
    rows.append(
        [
            InlineKeyboardButton(
                texts.manage_off_button(current is None, lang), callback_data=Manage(None).pack()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def manage(update: Update, context: BotContext) -> None:
    """/manage [off]: pick a group to manage from this private chat; off: this chat again."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    lang = context.lang
    if chat.type != ChatType.PRIVATE:
        await message.reply_html(texts.manage_private_only(lang))
        return
    if context.args and context.args[0].strip().lower() in _OFF_WORDS:
        _user_data(context).pop(MANAGED_KEY, None)
        await message.reply_html(texts.manage_off(lang))
        return
    groups = await _eligible_groups(context, user.id)
    # Group robots (/channel) are offered next to groups; /manage NAME selects one by name.
    robots = [await context.store.chat(c.chat_id) for c in await visible_channels(context, user.id)]
    groups += [r for r in robots if r is not None][:MANAGE_MAX]
    if context.args:
        named = " ".join(context.args).strip()
        found = await managed_channel(context, named, user.id)
        picked = next((g for g in groups if found is not None and g.id == found.chat_id), None)
        if picked is None:
            await message.reply_html(channel_texts.not_found(named, lang))
            return
        _user_data(context)[MANAGED_KEY] = picked.id
        await message.reply_html(
            texts.manage_selected(texts.group_name(picked.title, picked.id), lang)
        )
        return
    managed = _managed_id(context)
    current = next((g for g in groups if g.id == managed), None)
    if current is None:
        _user_data(context).pop(MANAGED_KEY, None)
    if not groups:
        await message.reply_html(texts.manage_none(lang))
        return
    title = texts.group_name(current.title, current.id) if current else None
    await message.reply_html(
        texts.manage_intro(title, lang),
        reply_markup=_manage_markup(groups, current.id if current else None, lang),
    )


async def on_manage_button(update: Update, context: BotContext) -> None:
    """mg:CHAT_ID or mg:off: manage that group from this private chat, or this chat again."""
    query = update.callback_query
    if query is None:
        return
    lang = context.lang
    message = query.message if isinstance(query.message, Message) else None
    chat, user = update.effective_chat, update.effective_user
    pressed = unpack(query.data)
    if (
        message is None
        or chat is None
        or user is None
        or chat.type != ChatType.PRIVATE
        or not isinstance(pressed, Manage)
    ):
        await query.answer(texts.toast_stale(lang))
        return
    if pressed.group_id is None:
        _user_data(context).pop(MANAGED_KEY, None)
        await query.answer(texts.toast_manage_off(lang))
        await edit_in_place(message.edit_text(texts.manage_off(lang), parse_mode="HTML"))
        return
    group_id = pressed.group_id
    group = await _manageable(context, group_id, user.id)
    if group is None:
        if _managed_id(context) == group_id:
            _user_data(context).pop(MANAGED_KEY, None)
        await query.answer(texts.toast_not_group_admin(lang), show_alert=True)
        return
    _user_data(context)[MANAGED_KEY] = group.id
    title = texts.group_name(group.title, group.id)
    await query.answer(texts.toast_manage_set(title, lang))
    await edit_in_place(message.edit_text(texts.manage_selected(title, lang), parse_mode="HTML"))


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


async def on_group_start(update: Update, context: BotContext) -> None:
    """/start in a group (besides the usual reply): the bot knows the group, for /manage."""
    chat = update.effective_chat
    if chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        await _ready_chat(chat, context)


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


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("subscribe", subscribe))
    app.add_handler(CommandHandler("unsubscribe", unsubscribe))
    app.add_handler(CommandHandler("subscriptions", subscriptions))
    app.add_handler(CommandHandler("alerts", alerts))
    app.add_handler(CommandHandler("manage", manage))
    app.add_handler(CallbackQueryHandler(on_sub_button, pattern=pattern(Subscribe)))
    app.add_handler(CallbackQueryHandler(on_unsub_button, pattern=pattern(Unsubscribe)))
    app.add_handler(CallbackQueryHandler(on_list_page, pattern=pattern(SubscriptionsPage)))
    app.add_handler(CallbackQueryHandler(on_mode_button, pattern=pattern(AlertMode)))
    app.add_handler(CallbackQueryHandler(on_manage_button, pattern=pattern(Manage)))
    app.add_handler(
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER), group=GROUP
    )
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate), group=GROUP)
    app.add_handler(
        CommandHandler("start", on_group_start, filters=filters.ChatType.GROUPS), group=GROUP
    )
