"""Articles sent by admins: a long text (several messages gathered into one), a forwarded
post, a file or a link. The bot asks first; on yes it reads, drafts and queues for /review.

Everyone else, and admins' short texts, get lookups as before.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot import callbacks
from bot.articles import ArticleError, ArticleText
from bot.articles.drafting import Drafted, draft_article
from bot.articles.fetch import read_url
from bot.articles.model import MAX_FILE_BYTES, checked
from bot.articles.readers import ARTICLE_SUFFIXES, read_file
from bot.callbacks import ArticleOffer, ReviewButton
from bot.context import BotContext
from bot.texts import admin as admin_texts
from bot.texts import review as texts
from handlers import lookup, review
from handlers.basic import is_admin
from handlers.common import edit_in_place

log = logging.getLogger(__name__)

MIN_ARTICLE_CHARS = 500
# Telegram splits a long paste into messages sent a moment apart; later parts arriving
# within this many seconds of the previous one belong to the same article.
GATHER_SECONDS = 3
PENDING = "article_pending"
EXTRACTOR = "article_extractor"  # tests may put a stand-in extractor here
RESOLVER = "article_resolver"
_LINK = re.compile(r"^\s*(https?://\S+)\s*$", re.I)


@dataclass
class Candidate:
    """An article offered by an admin, waiting for their yes."""

    token: str
    what: str  # text | forward | link | file
    chat_id: int
    last: datetime
    parts: list[str] = field(default_factory=list)
    question: Message | None = None
    url: str | None = None
    file_id: str | None = None
    file_name: str | None = None
    outlet: str | None = None
    published: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def _pending(context: BotContext) -> Candidate | None:
    data = context.user_data if context.user_data is not None else {}
    found = data.get(PENDING)
    return found if isinstance(found, Candidate) else None


def _markup(context: BotContext, token: str) -> InlineKeyboardMarkup:
    yes, no = texts.ask_buttons(context.lang)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes, callback_data=ArticleOffer(True, token).pack()),
                InlineKeyboardButton(no, callback_data=ArticleOffer(False, token).pack()),
            ]
        ]
    )


def _question(context: BotContext, cand: Candidate) -> str:
    if cand.what == "forward":
        detail = cand.outlet or cand.url or ""
    else:
        detail = cand.url or cand.file_name or ""
    chars = len(cand.text) if cand.what in ("text", "forward") else 0
    return texts.ask_extract(context.lang, cand.what, detail, chars, len(cand.parts))


async def _offer(message: Message, context: BotContext, cand: Candidate) -> None:
    assert context.user_data is not None
    context.user_data[PENDING] = cand
    cand.question = await message.reply_html(
        _question(context, cand), reply_markup=_markup(context, cand.token)
    )


def _forward_meta(message: Message, tz: ZoneInfo) -> tuple[str | None, str | None, str | None]:
    """(outlet, link, date) of a forwarded post, from where Telegram says it came from."""
    origin = message.forward_origin
    if origin is None:
        return None, None, None
    date = origin.date.astimezone(tz).date().isoformat() if origin.date else None
    if isinstance(origin, MessageOriginChannel):
        chat = origin.chat
        link = f"https://t.me/{chat.username}/{origin.message_id}" if chat.username else None
        return chat.title, link, date
    if isinstance(origin, MessageOriginChat):
        return origin.sender_chat.title, None, date
    if isinstance(origin, MessageOriginUser | MessageOriginHiddenUser):
        return None, None, date
    return None, None, date


async def on_text(update: Update, context: BotContext) -> None:
    """A private text: an edit value, part of an article, an article or link, else a lookup."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if not is_admin(context, user.id):
        if message.text:
            await lookup.question(update, context)
        return
    if await review.typed_value(update, context):  # the edit prompt of a review card
        return
    text = message.text or message.caption or ""
    pending = _pending(context)
    if (
        pending is not None
        and pending.what in ("text", "forward")
        and pending.chat_id == message.chat_id
        and message.date - pending.last <= timedelta(seconds=GATHER_SECONDS)
        and text.strip()
    ):
        pending.parts.append(text)
        pending.last = message.date
        if pending.question is not None:
            await edit_in_place(
                pending.question.edit_text(
                    _question(context, pending),
                    parse_mode="HTML",
                    reply_markup=_markup(context, pending.token),
                )
            )
        return
    token = secrets.token_hex(4)
    if message.forward_origin is not None and text.strip():
        outlet, link, date = _forward_meta(message, ZoneInfo(context.settings.timezone))
        cand = Candidate(token, "forward", message.chat_id, message.date, [text], url=link)
        cand.outlet, cand.published = outlet, date
        await _offer(message, context, cand)
        return
    found = _LINK.match(text)
    if found is not None:
        cand = Candidate(token, "link", message.chat_id, message.date, url=found.group(1))
        await _offer(message, context, cand)
        return
    if len(text.strip()) >= MIN_ARTICLE_CHARS:
        await _offer(
            message, context, Candidate(token, "text", message.chat_id, message.date, [text])
        )
        return
    if message.text:
        await lookup.question(update, context)


async def on_document(update: Update, context: BotContext) -> None:
    """An article file (.txt .md .html .docx .pdf) from an admin: checked, then offered."""
    message = update.effective_message
    user = update.effective_user
    if message is None or message.document is None:
        return
    lang = context.lang
    if not is_admin(context, user.id if user else None):
        await message.reply_html(admin_texts.admin_only(lang))
        return
    doc = message.document
    name = (doc.file_name or "file")[:200]
    if doc.file_size is not None and doc.file_size > MAX_FILE_BYTES:
        await message.reply_html(texts.article_error(lang, "too_big"))
        return
    if doc.file_size == 0:
        await message.reply_html(texts.article_error(lang, "empty"))
        return
    cand = Candidate(
        secrets.token_hex(4), "file", message.chat_id, message.date, file_id=doc.file_id
    )
    cand.file_name = name
    await _offer(message, context, cand)


async def pressed(update: Update, context: BotContext) -> None:
    """art:go:TOKEN reads and drafts the offered article; art:no:TOKEN drops it."""
    query = update.callback_query
    user = update.effective_user
    if query is None or query.data is None or user is None:
        return
    lang = context.lang
    if not is_admin(context, user.id):
        await query.answer(admin_texts.admin_only(lang), show_alert=True)
        return
    offer = callbacks.unpack(query.data)
    assert isinstance(offer, ArticleOffer)  # the handler's pattern
    cand = _pending(context)
    if cand is None or cand.token != offer.token:
        await query.answer(texts.article_error(lang, "expired"), show_alert=True)
        return
    assert context.user_data is not None
    context.user_data.pop(PENDING, None)
    await query.answer()
    message = query.message if isinstance(query.message, Message) else None
    if not offer.extract:
        if message is not None:
            await edit_in_place(message.edit_text(texts.declined(lang), parse_mode="HTML"))
        return
    if message is not None:
        await edit_in_place(message.edit_text(texts.reading(lang), parse_mode="HTML"))
    try:
        article = await _read(context, cand)
        # The lookups' cached zone index: an article's zones resolve as /zone resolves them.
        view = await context.services.facts_at_hand(context.store)
        result = await draft_article(
            context.store,
            article,
            submitted_by=user.id,
            extractor=context.bot_data.get(EXTRACTOR),
            propose=_proposer(context),
            index=view.index,
        )
    except ArticleError as exc:
        await _say(context, message, cand.chat_id, texts.article_error(lang, exc.code, exc.detail))
        return
    await _report(context, message, cand.chat_id, result)


def _proposer(context: BotContext) -> Any:
    settings = context.settings
    if not settings.llm_enabled:
        return None
    from bot.articles.llm import proposer

    return proposer(settings)


async def _read(context: BotContext, cand: Candidate) -> ArticleText:
    if cand.what == "link":
        assert cand.url is not None
        return await read_url(
            cand.url,
            allow_private=context.settings.fetch_allow_private,
            resolver=context.bot_data.get(RESOLVER),
        )
    if cand.what == "file":
        assert cand.file_id is not None and cand.file_name is not None
        try:
            data = bytes(await (await context.bot.get_file(cand.file_id)).download_as_bytearray())
        except TelegramError as exc:
            log.warning("could not download an article file: %s", exc)
            raise ArticleError("download") from None
        return await asyncio.to_thread(read_file, cand.file_name, data)
    article = ArticleText(
        text=cand.text, outlet=cand.outlet, published=cand.published, url=cand.url
    )
    return checked(article)


async def _say(
    context: BotContext, message: Message | None, chat_id: int, text: str, markup: Any = None
) -> None:
    if message is not None:
        try:
            await message.edit_text(text, parse_mode="HTML", reply_markup=markup)
            return
        except TelegramError:
            pass
    await context.bot.send_message(chat_id, text, parse_mode="HTML", reply_markup=markup)


async def _report(
    context: BotContext, message: Message | None, chat_id: int, result: Drafted
) -> None:
    lang = context.lang
    if result.article is None:
        await _say(context, message, chat_id, texts.nothing_found(lang))
        return
    button = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.review_button(lang),
                    callback_data=ReviewButton("a", result.article.id).pack(),
                )
            ]
        ]
    )
    if not result.created:
        await _say(context, message, chat_id, texts.already_queued(lang, result.article), button)
        return
    text = texts.drafted(lang, result.article, result.counts, result.llm_failed)
    await _say(context, message, chat_id, text, button)


def register_files(app: Application) -> None:  # type: ignore[type-arg]
    """Article files; before the admin import handler, which takes every other file."""
    extensions = [s.lstrip(".") for s in ARTICLE_SUFFIXES]
    article_file: filters.BaseFilter = filters.Document.FileExtension(extensions[0])
    for ext in extensions[1:]:
        article_file = article_file | filters.Document.FileExtension(ext)
    app.add_handler(MessageHandler(article_file & filters.ChatType.PRIVATE, on_document))


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Texts and forwards in private chats; before lookup's question handler, which it calls."""
    app.add_handler(CallbackQueryHandler(pressed, pattern=callbacks.pattern(ArticleOffer)))
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE
            & ~filters.COMMAND
            & (filters.TEXT | (filters.FORWARDED & filters.CAPTION)),
            on_text,
        )
    )
