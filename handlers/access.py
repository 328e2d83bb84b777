"""The access gate (BOT_ACCESS=private), access requests with Approve/Deny cards, group approval,
and /approve and /revoke for deciding again later."""

from __future__ import annotations

import logging
import re

from telegram import (
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
    User,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    TypeHandler,
)

from bot.callbacks import AccessDecision, pattern, unpack
from bot.context import BotApp, BotContext
from bot.texts import admin as texts
from bot.texts.common import as_lang
from handlers.basic import is_admin

log = logging.getLogger(__name__)

MAX_USER_ID = 2**53  # Telegram user ids fit in 52 bits; group ids are negative
_GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)
_IN = ("member", "administrator", "creator")
_OUT = ("left", "kicked")


async def load_admins(context: BotContext) -> set[int]:
    """Promoted admins, read from the store once and kept in the services."""
    services = context.services
    if services.promoted_admins is None:
        services.promoted_admins = await context.store.promoted_admins()
    return services.promoted_admins


def user_id_arg(text: str) -> int | None:
    """A user id typed as an argument: ASCII digits, 1 <= id < 2**53; else None."""
    if not re.fullmatch(r"[0-9]{1,16}", text):
        return None
    value = int(text)
    return value if 1 <= value < MAX_USER_ID else None


def target_user(update: Update, context: BotContext) -> int | None:
    """The id given as the argument, else the sender of the replied-to message; None: usage."""
    message = update.effective_message
    if context.args:
        return user_id_arg(context.args[0])
    if message is not None and message.reply_to_message is not None:
        sender = message.reply_to_message.from_user
        if sender is not None and not sender.is_bot:
            return sender.id
    return None


def all_admins(context: BotContext) -> list[int]:
    promoted = context.services.promoted_admins or set()
    return sorted(set(context.settings.admin_ids) | promoted)


async def gate(update: Update, context: BotContext) -> None:
    """Before every handler: group approvals; in private mode, stop users not yet approved.

    Fails closed: when deciding or refusing raises (a 502 or a timeout from the Bot API, a
    busy database), the update still stops here and no other handler sees it.
    """
    try:
        allowed = await _admit(update, context)
    except Exception:
        if context.settings.access != "private":
            raise
        log.exception("the access check failed; the update is dropped")
        raise ApplicationHandlerStop from None
    if allowed:
        return
    try:
        await _refuse(update, context)
    except Exception as exc:
        # The refusal is a courtesy; the decision stands whatever happens while sending it.
        log.warning("could not send the access refusal: %s", exc)
    raise ApplicationHandlerStop


async def _admit(update: Update, context: BotContext) -> bool:
    """True when the update may reach the handlers (always in open mode)."""
    await load_admins(context)
    if update.my_chat_member is not None:
        await _bot_membership(update.my_chat_member, context)
        return True
    message = update.effective_message
    # A group upgraded to a supergroup keeps its approval under the new id.
    if (
        message is not None
        and message.migrate_from_chat_id is not None
        and await context.store.chat_approved(message.migrate_from_chat_id)
    ):
        new_chat = message.chat
        await context.store.set_chat_approved(
            new_chat.id, new_chat.type, new_chat.title, True, None
        )
    if context.settings.access != "private":
        return True
    if update.chat_member is not None or update.chat_join_request is not None:
        return True  # membership changes: other handlers keep their state, nothing is answered
    user = update.effective_user
    chat = update.effective_chat
    if user is None or user.is_bot:
        return False
    if is_admin(context, user.id):
        return True
    if chat is not None and chat.type in _GROUPS and await context.store.chat_approved(chat.id):
        return True
    return await context.store.user_status(user.id) == "approved"


async def _refuse(update: Update, context: BotContext) -> None:
    """Tell a stranger (once per update) that access must be requested."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    lang = context.lang
    if update.callback_query is not None:
        await update.callback_query.answer(texts.need_access(lang), show_alert=True)
        return
    if update.inline_query is not None:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
        return
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or update.edited_message is not None:
        return
    text = message.text or ""
    if chat.type == ChatType.PRIVATE:
        status = await context.store.user_status(user.id)
        if text.split("@")[0].split()[0:1] == ["/start"]:
            await _request(update, context, user)
        elif status == "pending":
            await message.reply_html(texts.still_pending(lang))
        elif status == "denied":
            await message.reply_html(texts.access_denied(lang))
        else:
            await message.reply_html(texts.need_access(lang))
    elif text.startswith("/"):
        # Groups: answer commands only, never ordinary talk.
        await message.reply_html(texts.group_not_approved(lang))


async def _request(update: Update, context: BotContext, user: User) -> None:
    """/start from an unknown user: mark pending, send each admin an Approve/Deny card."""
    message = update.effective_message
    assert message is not None
    lang = context.lang
    before = await context.store.request_access(user.id, user.full_name, user.username)
    if before == "denied":
        await message.reply_html(texts.access_denied(lang))
        return
    if before == "pending":
        await message.reply_html(texts.still_pending(lang))
        return
    await message.reply_html(texts.request_sent(lang))
    for admin_id in all_admins(context):
        admin_lang = as_lang(await context.store.user_lang(admin_id))
        approve, deny = texts.access_buttons(admin_lang)
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        approve, callback_data=AccessDecision(True, user.id).pack()
                    ),
                    InlineKeyboardButton(deny, callback_data=AccessDecision(False, user.id).pack()),
                ]
            ]
        )
        try:
            await context.bot.send_message(
                admin_id,
                texts.access_card(admin_lang, user.id, user.full_name, user.username),
                parse_mode="HTML",
                reply_markup=markup,
            )
        except TelegramError as exc:
            # An admin who never opened a chat with the bot cannot be written to.
            log.warning("could not send an access card to admin %s: %s", admin_id, exc)


async def decide(update: Update, context: BotContext) -> None:
    """Approve/Deny on an access card: admins only; the user is told either way."""
    query = update.callback_query
    pressed = unpack(query.data) if query is not None else None
    if query is None or not isinstance(pressed, AccessDecision) or query.from_user is None:
        return
    lang = context.lang
    if not is_admin(context, query.from_user.id):
        await query.answer(texts.admin_only(lang), show_alert=True)
        return
    user_id = pressed.user_id
    current = await context.store.user(user_id)
    if current is not None and current.status in ("approved", "denied"):
        await query.answer(texts.already_decided(lang, current.status))
        return
    approved = pressed.approve
    await context.store.set_user_status(
        user_id, "approved" if approved else "denied", query.from_user.id
    )
    await query.answer()
    by = query.from_user.full_name
    name = current.name if current else None
    username = current.username if current else None
    if query.message is not None:
        try:
            await query.edit_message_text(
                texts.access_decided(lang, user_id, name, username, approved, by),
                parse_mode="HTML",
            )
        except TelegramError as exc:
            log.warning("could not update the access card: %s", exc)
    user_lang = as_lang(await context.store.user_lang(user_id))
    try:
        await context.bot.send_message(
            user_id,
            texts.access_approved(user_lang) if approved else texts.access_denied(user_lang),
            parse_mode="HTML",
        )
    except TelegramError as exc:
        log.warning("could not tell user %s about the decision: %s", user_id, exc)


async def approve(update: Update, context: BotContext) -> None:
    """/approve USER_ID: let a user in, whatever was decided before (a denial too)."""
    await _decide_again(update, context, "approve")


async def revoke(update: Update, context: BotContext) -> None:
    """/revoke USER_ID: withdraw an approval (or decline a pending request)."""
    await _decide_again(update, context, "revoke")


async def _decide_again(update: Update, context: BotContext, command: str) -> None:
    message = update.effective_message
    actor = update.effective_user
    if message is None or actor is None:
        return
    lang = context.lang
    if not is_admin(context, actor.id):
        await message.reply_html(texts.admin_only(lang))
        return
    target = target_user(update, context)
    if target is None:
        await message.reply_html(texts.access_usage(lang, command))
        return
    current = await context.store.user_status(target)
    if command == "approve":
        if current == "approved":
            await message.reply_html(texts.access_unchanged(lang, target, "approved"))
            return
        await context.store.set_user_status(target, "approved", actor.id)
        told = await _tell(context, target, "approved")
        await message.reply_html(texts.access_changed(lang, target, "approved", current, told))
        return
    if is_admin(context, target):
        await message.reply_html(texts.cannot_revoke_admin(lang, target))
        return
    if current not in ("approved", "pending"):
        await message.reply_html(texts.access_unchanged(lang, target, "denied"))
        return
    await context.store.set_user_status(target, "denied", actor.id)
    told = await _tell(context, target, "revoked" if current == "approved" else "denied")
    await message.reply_html(texts.access_changed(lang, target, "denied", current, told))


async def _tell(context: BotContext, user_id: int, what: str) -> bool:
    """Tell a user an admin's decision in their language; False when they cannot be reached."""
    user_lang = as_lang(await context.store.user_lang(user_id))
    text = {
        "approved": texts.access_approved,
        "denied": texts.access_denied,
        "revoked": texts.access_revoked,
    }[what](user_lang)
    try:
        await context.bot.send_message(user_id, text, parse_mode="HTML")
    except TelegramError as exc:
        log.warning("could not tell user %s about the decision: %s", user_id, exc)
        return False
    return True


async def _bot_membership(change: ChatMemberUpdated, context: BotContext) -> None:
    """A group is approved when an approved user or an admin adds the bot; removal clears it."""
    chat = change.chat
    if chat.type not in _GROUPS:
        return
    old, new = change.old_chat_member.status, change.new_chat_member.status
    adder = change.from_user
    if new in _IN and old in _OUT:
        allowed = is_admin(context, adder.id) or (
            await context.store.user_status(adder.id) == "approved"
        )
        if allowed:
            await context.store.set_chat_approved(chat.id, chat.type, chat.title, True, adder.id)
    elif new in _OUT and old in _IN:
        await context.store.set_chat_approved(chat.id, chat.type, chat.title, False, adder.id)


def register(app: BotApp) -> None:
    app.add_handler(TypeHandler(Update, gate), group=-1)
    app.add_handler(CallbackQueryHandler(decide, pattern=pattern(AccessDecision)))
    app.add_handler(CommandHandler("approve", approve))
    app.add_handler(CommandHandler("revoke", revoke))
