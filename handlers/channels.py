"""/channel and /channels: workplace-IM group robots (WeCom, DingTalk, Feishu) as delivery
destinations, managed from a private chat by whoever added them and by the bot's admins.

The robot's URL and secret are secrets: only accepted in a private chat (in a group the
message is deleted when the bot may), never logged, never repeated in a reply (listings
show a masked form). Adding sends a test message first and saves nothing when it fails.
Subscriptions, alert mode and digest of a channel are set through /manage NAME
(handlers/subscriptions.py).
"""

from __future__ import annotations

import logging
from typing import cast

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot.context import BotApp, BotContext
from bot.core import robots
from bot.core.records import ChannelRecord, ChatRecord
from bot.core.robots import CHANNEL_KINDS, ChannelKind
from bot.jobs.robots import test_channel
from bot.texts import channels as texts
from handlers.basic import is_admin

log = logging.getLogger(__name__)

NAME_MAX = 32


def _valid_name(name: str) -> bool:
    return 0 < len(name) <= NAME_MAX and not any(c.isspace() or c in "<>&" for c in name)


async def managed_channel(context: BotContext, name: str, user_id: int) -> ChannelRecord | None:
    """The channel of that name when this user may manage it (its owner or a bot admin)."""
    found = await context.store.channel_named(name)
    if found is None:
        return None
    if found.owner_id != user_id and not is_admin(context, user_id):
        return None
    return found


async def may_manage_channel(context: BotContext, chat_id: int, user_id: int) -> bool:
    found = await context.store.channel(chat_id)
    return found is not None and (found.owner_id == user_id or is_admin(context, user_id))


MANAGED_KEY = "managed_chat"  # user_data: the chat /manage selected (handlers/subscriptions.py)


async def managed_robot(
    context: BotContext, chat_type: str, user_id: int | None
) -> ChatRecord | None:
    """In a private chat, the group robot /manage selected, when this user still may manage
    it: /digest and /timezone then act on it."""
    if chat_type != ChatType.PRIVATE or user_id is None or context.user_data is None:
        return None
    chosen = context.user_data.get(MANAGED_KEY)
    if not isinstance(chosen, int) or not robots.is_channel_id(chosen):
        return None
    if not await may_manage_channel(context, chosen, user_id):
        return None
    return await context.store.chat(chosen)


async def visible_channels(context: BotContext, user_id: int) -> list[ChannelRecord]:
    """What /channels and /manage list: every channel for admins, one's own for others."""
    if is_admin(context, user_id):
        return await context.store.channels()
    return await context.store.channels(user_id)


async def channel(update: Update, context: BotContext) -> None:
    """/channel add|test|remove|rename|takeover …"""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    lang = context.lang
    if chat.type != ChatType.PRIVATE:
        deleted = False
        try:
            deleted = bool(await message.delete())
        except TelegramError:
            deleted = False
        await context.bot.send_message(
            chat.id, texts.private_only(lang, deleted), parse_mode="HTML"
        )
        return
    args = list(context.args or [])
    action = args[0].lower() if args else ""
    rest = args[1:]
    if action == "add":
        await _add(update, context, rest)
    elif action == "test" and len(rest) == 1:
        await _test(update, context, rest[0])
    elif action == "remove" and len(rest) == 1:
        found = await managed_channel(context, rest[0], user.id)
        if found is None:
            await message.reply_html(texts.not_found(rest[0], lang))
            return
        await context.store.remove_channel(found.chat_id)
        context.services.robots.forget(found.chat_id)
        log.info("channel %r removed by %s", found.name, user.id)
        await message.reply_html(texts.removed(found.name, lang))
    elif action == "rename" and len(rest) == 2:
        found = await managed_channel(context, rest[0], user.id)
        if found is None:
            await message.reply_html(texts.not_found(rest[0], lang))
        elif not _valid_name(rest[1]):
            await message.reply_html(texts.bad_name(lang))
        elif not await context.store.rename_channel(found.chat_id, rest[1]):
            await message.reply_html(texts.name_taken(rest[1], lang))
        else:
            context.services.robots.forget(found.chat_id)
            await message.reply_html(texts.renamed(found.name, rest[1], lang))
    elif action == "takeover" and len(rest) == 1:
        if not is_admin(context, user.id):
            await message.reply_html(texts.admin_only(lang))
            return
        found = await context.store.channel_named(rest[0])
        if found is None:
            await message.reply_html(texts.not_found(rest[0], lang))
            return
        await context.store.take_over_channel(found.chat_id, user.id)
        context.services.robots.forget(found.chat_id)
        await message.reply_html(texts.taken_over(found.name, lang))
    else:
        await message.reply_html(texts.usage(lang))


async def _add(update: Update, context: BotContext, args: list[str]) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    lang = context.lang
    if len(args) < 2:
        await message.reply_html(texts.usage(lang))
        return
    kind_word = args[0].lower()
    if kind_word not in CHANNEL_KINDS:
        await message.reply_html(texts.bad_kind(lang))
        return
    kind = cast(ChannelKind, kind_word)
    url = args[1]
    secret: str | None = None
    name: str | None = None
    for option in args[2:]:
        key, sep, value = option.partition("=")
        if sep and key.lower() == "secret" and 0 < len(value) <= robots.MAX_SECRET:
            secret = value
        elif sep and key.lower() == "name":
            name = value
        else:
            await message.reply_html(texts.usage(lang))
            return
    problem = robots.check_url(kind, url, context.settings.channel_hosts or None)
    if problem is not None:
        await message.reply_html(texts.bad_url(kind, problem, lang))
        return
    if name is None:
        name = await _free_name(context, kind)
    elif not _valid_name(name):
        await message.reply_html(texts.bad_name(lang))
        return
    if await context.store.channel_named(name) is not None:
        await message.reply_html(texts.name_taken(name, lang))
        return
    client = context.services.robots.client
    verdict = await test_channel(client, kind, url, secret, texts.test_message(name, lang))
    if verdict.meaning != "ok":
        reason = robots.reason_of(kind, verdict)
        log.info("channel add (%s) failed: %s %s", kind, verdict.code, verdict.message)
        await message.reply_html(
            texts.add_failed(kind, reason, verdict.code, verdict.message, lang)
        )
        return
    added = await context.store.add_channel(kind, name, url, secret, user.id, lang)
    if added is None:
        await message.reply_html(texts.name_taken(name, lang))
        return
    log.info("channel %r (%s) added by %s", added.name, kind, user.id)
    await message.reply_html(texts.added(added, robots.mask_url(kind, url), lang))


async def _free_name(context: BotContext, kind: str) -> str:
    number = 1
    while await context.store.channel_named(f"{kind}{number}") is not None:
        number += 1
    return f"{kind}{number}"


async def _test(update: Update, context: BotContext, name: str) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    lang = context.lang
    found = await managed_channel(context, name, user.id)
    if found is None:
        await message.reply_html(texts.not_found(name, lang))
        return
    kind = cast(ChannelKind, found.kind)
    client = context.services.robots.client
    verdict = await test_channel(
        client, kind, found.url, found.secret, texts.test_message(found.name, lang)
    )
    if verdict.meaning != "ok":
        reason = robots.reason_of(kind, verdict)
        await message.reply_html(
            texts.test_failed(found.name, kind, reason, verdict.code, verdict.message, lang)
        )
        return
    await message.reply_html(texts.test_ok(found.name, lang))
    owner_ok = is_admin(context, found.owner_id) or (
        await context.store.user_status(found.owner_id) == "approved"
        or context.settings.access == "open"
    )
    if found.status != "active" and owner_ok:
        await context.store.set_channel_status(found.chat_id, "active")
        context.services.robots.forget(found.chat_id)
        await message.reply_html(texts.reactivated(found.name, lang))


async def channels(update: Update, context: BotContext) -> None:
    """/channels: the robots this user manages, with status and last delivery."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    lang = context.lang
    if chat.type != ChatType.PRIVATE:
        await message.reply_html(texts.private_only(lang, False))
        return
    rows = [
        (c, robots.mask_url(cast(ChannelKind, c.kind), c.url))
        for c in await visible_channels(context, user.id)
    ]
    await message.reply_html(texts.listing(rows, lang))


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("channel", channel))
    app.add_handler(CommandHandler("channels", channels))
