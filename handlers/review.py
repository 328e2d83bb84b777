"""/review: articles' draft records as cards to accept, edit or reject, by any admin.

An accepted card enters the store through the same path as a file import (one transaction,
audit with the reviewer's id, the feed), so it is searchable at once, alerted and digested.
Every button re-checks the presser's admin rights before it writes.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.articles.drafting import MODELS, keeps_review
from bot.articles.review import DraftItem, acceptance, changes
from bot.callbacks import ReviewButton
from bot.context import BotContext
from bot.core.factfile import FactFileError, parse
from bot.core.import_check import check_value
from bot.core.import_resolve import split_labels, zone_resolver
from bot.core.records import parse_event_kind, parse_stage
from bot.core.values import PartialDate
from bot.texts import admin as admin_texts
from bot.texts import review as texts
from bot.texts.common import split_message
from handlers.basic import is_admin
from handlers.common import edit_in_place
from storage.review_queries import AlreadyDecided, ReviewArticle, ReviewItem

log = logging.getLogger(__name__)

EDIT = "review_edit"
PAGE = 8
EDITABLE: dict[str, tuple[str, ...]] = {
    "projects": (
        "name_zh",
        "zone",
        "stage",
        "stage_date",
        "total_investment",
        "registered_capital",
        "annual_output",
        "land_mu",
        "floor_area_m2",
        "sectors",
    ),
    "events": ("title_zh", "zone", "kind", "date"),
    "figures": ("name_zh", "zone", "value", "period"),
    "companies": ("name_zh", "short_zh"),
}
DATE_FIELDS = frozenset({"stage_date", "date", "period"})
REQUIRED = frozenset({"name_zh", "title_zh", "zone", "kind", "value"})
LIST_FIELDS = frozenset({"sectors"})
# Accept-all order: what others refer to goes in first.
SECTION_ORDER = {"companies": 0, "events": 1, "projects": 2, "figures": 3}


def _user_name(user: User) -> str:
    return user.full_name[:60] or str(user.id)


async def _refused(update: Update, context: BotContext) -> bool:
    user = update.effective_user
    if is_admin(context, user.id if user else None):
        return False
    lang = context.lang
    if update.callback_query is not None:
        await update.callback_query.answer(admin_texts.admin_only(lang), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(admin_texts.admin_only(lang))
    return True


async def review(update: Update, context: BotContext) -> None:
    """/review: the articles whose drafts wait for a decision."""
    if await _refused(update, context):
        return
    message = update.effective_message
    assert message is not None
    articles = await context.store.pending_review_articles()
    rows = [
        [
            InlineKeyboardButton(
                texts.queue_button(context.lang, a), callback_data=ReviewButton("a", a.id).pack()
            )
        ]
        for a in articles
    ]
    await message.reply_html(
        texts.queue(context.lang, articles),
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )


# ---- cards -------------------------------------------------------------------------------


async def _names(context: BotContext, article: ReviewArticle) -> dict[str, str]:
    names = {z.id: z.short_zh for z in await context.store.zones()}
    for zone in article.support.get("zones", []):
        names.setdefault(str(zone.get("id")), str(zone.get("short_zh") or zone.get("name_zh")))
    for company in article.support.get("companies", []):
        names[str(company.get("id"))] = str(company.get("short_zh") or company.get("name_zh"))
    companies = {
        str(r.get("company")) for r in (await _items_records(context, article)) if r.get("company")
    }
    for company_id in companies - set(names):
        stored = await context.store.company(company_id)
        if stored is not None:
            names[company_id] = stored.short_zh or stored.name_zh
    return names


async def _items_records(context: BotContext, article: ReviewArticle) -> list[dict[str, Any]]:
    return [i.record for i in await context.store.review_items(article.id)]


async def _existing(context: BotContext, item: ReviewItem) -> dict[str, Any] | None:
    if item.target is None:
        return None
    store = context.store
    record: Any = None
    if item.section == "projects":
        record = await store.project(item.target)
    elif item.section == "events":
        record = await store.event(item.target)
    elif item.section == "figures":
        record = await store.figure(item.target)
    elif item.section == "companies":
        record = await store.company(item.target)
    if record is None:
        return None
    data: dict[str, Any] = record.model_dump(mode="json", exclude_none=True)
    data.pop("learned_at", None)
    return data


def _card_markup(context: BotContext, item: ReviewItem) -> InlineKeyboardMarkup:
    accept, edit, reject = texts.card_buttons(context.lang)
    at = (item.article_id, item.position)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(accept, callback_data=ReviewButton("y", *at).pack()),
                InlineKeyboardButton(edit, callback_data=ReviewButton("e", *at).pack()),
                InlineKeyboardButton(reject, callback_data=ReviewButton("n", *at).pack()),
            ]
        ]
    )


async def _card_text(
    context: BotContext,
    article: ReviewArticle,
    item: ReviewItem,
    names: dict[str, str] | None = None,
    decided: str | None = None,
) -> str:
    if names is None:
        names = await _names(context, article)
    existing = await _existing(context, item)
    diff = changes(existing, item.record) if existing is not None else None
    return texts.card(context.lang, item, names, diff, decided)


async def _send_card(
    context: BotContext,
    chat_id: int,
    article: ReviewArticle,
    item: ReviewItem,
    names: dict[str, str],
) -> None:
    text = await _card_text(context, article, item, names)
    parts = split_message(text)
    for number, part in enumerate(parts, 1):
        markup = _card_markup(context, item) if number == len(parts) else None
        await context.bot.send_message(chat_id, part, parse_mode="HTML", reply_markup=markup)


async def _show_article(
    context: BotContext, chat_id: int, article: ReviewArticle, offset: int = 0
) -> None:
    lang = context.lang
    pending = await context.store.review_items(article.id, "pending")
    rows = []
    if pending:
        rows.append(
            [
                InlineKeyboardButton(
                    texts.accept_all_button(lang, len(pending)),
                    callback_data=ReviewButton("all", article.id).pack(),
                )
            ]
        )
    rest = len(pending) - offset - PAGE
    if rest > 0:
        rows.append(
            [
                InlineKeyboardButton(
                    texts.more_button(lang, rest),
                    callback_data=ReviewButton("m", article.id, offset + PAGE).pack(),
                )
            ]
        )
    await context.bot.send_message(
        chat_id,
        texts.article_head(lang, article),
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )
    names = await _names(context, article)
    for item in pending[offset : offset + PAGE]:
        await _send_card(context, chat_id, article, item, names)


# ---- decisions ---------------------------------------------------------------------------


async def accept_item(
    context: BotContext, article: ReviewArticle, item: ReviewItem, user: User
) -> tuple[str, str | None, list[str]]:
    """('accepted', record id, []) | ('taken', None, []) | ('invalid', None, problems).

    The card is marked accepted in the same transaction that writes its record: a crash or a
    second reviewer can never leave one without the other.
    """
    store = context.store
    known = await store.known_ids()
    known_map = {
        "zones": known.zones,
        "companies": known.companies,
        "sources": known.sources,
        "events": known.events,
        "labels": known.labels,
        "areas": known.areas,
        "figures": known.figures,
    }
    draft = DraftItem(item.section, item.record, item.evidence, item.target)
    existing = await _existing(context, item)
    previous = await store.source(str(existing["source"])) if existing else None
    doc = acceptance(
        draft,
        article.support,
        existing=existing,
        known=known_map,
        keep_review=keeps_review(),
        previous_source=previous.title if previous else None,
    )
    claim = store.claim_review_item(item.article_id, item.position, user.id)
    try:
        await store.apply_facts(parse(doc), via="review", actor_id=user.id, first=claim)
    except FactFileError as exc:
        return "invalid", None, exc.problems
    except AlreadyDecided:
        return "taken", None, []
    return "accepted", str(doc[item.section][0].get("id")), []


async def _load(
    context: BotContext, article_id: int, position: int | None = None
) -> tuple[ReviewArticle | None, ReviewItem | None]:
    article = await context.store.review_article(article_id)
    if article is None or position is None:
        return article, None
    return article, await context.store.review_item(article_id, position)


async def pressed(update: Update, context: BotContext) -> None:
    """Every rv: button. Rights are checked on each press, before anything is written."""
    query = update.callback_query
    user = update.effective_user
    if query is None or query.data is None or user is None:
        return
    if await _refused(update, context):
        return
    lang = context.lang
    button = callbacks.unpack(query.data)
    assert isinstance(button, ReviewButton)  # the handler's pattern
    action = button.action
    on_card = action in ("y", "n", "e", "f")
    article, item = await _load(context, button.article, button.number if on_card else None)
    message = query.message if isinstance(query.message, Message) else None
    chat_id = message.chat_id if message is not None else user.id
    if article is None or (on_card and item is None):
        await query.answer(texts.stale(lang))
        return
    if action in ("a", "m"):
        await query.answer()
        await _show_article(context, chat_id, article, button.number if action == "m" else 0)
        return
    if action == "all":
        await query.answer()
        await _accept_all(context, article, user, chat_id)
        return
    assert item is not None
    if item.status != "pending":
        await query.answer(texts.already_decided(lang, item.status), show_alert=True)
        return
    if action == "y":
        status, record_id, problems = await accept_item(context, article, item, user)
        if status == "invalid":
            await query.answer()
            await context.bot.send_message(
                chat_id, texts.accept_failed(lang, problems), parse_mode="HTML"
            )
            return
        if status == "taken":
            await query.answer(await _taken(context, item), show_alert=True)
            return
        await query.answer()
        line = texts.decided_line(lang, "accepted", _user_name(user), record_id)
        await _mark_card(context, message, article, item, line)
        return
    if action == "n":
        if not await context.store.decide_review_item(
            item.article_id, item.position, "rejected", user.id
        ):
            await query.answer(await _taken(context, item), show_alert=True)
            return
        await query.answer()
        line = texts.decided_line(lang, "rejected", _user_name(user))
        await _mark_card(context, message, article, item, line)
        return
    if action == "e":
        await query.answer()
        fields = _editable(item)
        buttons = [
            InlineKeyboardButton(
                texts.field_name(lang, f),
                callback_data=ReviewButton("f", item.article_id, item.position, f).pack(),
            )
            for f in fields
        ]
        rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
        await context.bot.send_message(
            chat_id,
            texts.edit_fields(lang),
            parse_mode="HTML",
            reply_markup=InlineKeyboardMarkup(rows),
        )
        return
    if action == "f":
        key = button.field
        if key not in _editable(item):
            await query.answer(texts.stale(lang))
            return
        await query.answer()
        assert context.user_data is not None
        context.user_data[EDIT] = (item.article_id, item.position, key)
        current = texts.show_value(item.record.get(key, ""))
        await context.bot.send_message(
            chat_id, texts.ask_value(lang, key, current), parse_mode="HTML"
        )
        return
    await query.answer(texts.stale(lang))


def _editable(item: ReviewItem) -> list[str]:
    model = MODELS.get(item.section)
    fields = EDITABLE.get(item.section, ())
    return [f for f in fields if model is not None and f in model.model_fields]


async def _mark_card(
    context: BotContext,
    message: Message | None,
    article: ReviewArticle,
    item: ReviewItem,
    line: str,
) -> None:
    """The decided card in place: its fields and evidence, who decided, no buttons."""
    if message is None:
        return
    names = await _names(context, article)
    text = texts.card(context.lang, item, names, None, line)
    await edit_in_place(message.edit_text(split_message(text)[-1], parse_mode="HTML"))


async def _taken(context: BotContext, item: ReviewItem) -> str:
    """Said when another reviewer decided a card first: what they decided."""
    fresh = await context.store.review_item(item.article_id, item.position)
    return texts.already_decided(context.lang, fresh.status if fresh else "gone")


async def _accept_all(
    context: BotContext, article: ReviewArticle, user: User, chat_id: int
) -> None:
    pending = await context.store.review_items(article.id, "pending")
    pending.sort(key=lambda i: (SECTION_ORDER.get(i.section, 9), i.position))
    accepted = failed = taken = 0
    for item in pending:
        status, _, _ = await accept_item(context, article, item, user)
        if status == "accepted":
            accepted += 1
        elif status == "taken":
            taken += 1
        else:
            failed += 1
    await context.bot.send_message(
        chat_id, texts.accepted_all(context.lang, accepted, failed, taken), parse_mode="HTML"
    )


# ---- editing one field -------------------------------------------------------------------


async def typed_value(update: Update, context: BotContext) -> bool:
    """The value for a field an admin chose to edit; False when no edit is waiting."""
    data = context.user_data
    message = update.effective_message
    user = update.effective_user
    if data is None or message is None or user is None or EDIT not in data:
        return False
    article_id, position, key = data[EDIT]
    lang = context.lang
    if not is_admin(context, user.id):
        data.pop(EDIT, None)
        return False
    article, item = await _load(context, article_id, position)
    if article is None or item is None or item.status != "pending":
        data.pop(EDIT, None)
        await message.reply_html(texts.already_decided(lang, item.status if item else "gone"))
        return True
    raw = (message.text or "").strip()
    record = dict(item.record)
    if raw in ("-", "—", "－"):
        if key in REQUIRED:
            await message.reply_html(texts.bad_value(lang, key, "required"))
            return True
        record.pop(key, None)
    else:
        value: Any = raw
        if key == "zone":
            zone, error = check_value("zone", raw, await zone_resolver(context.store))
            if error is not None or not zone:
                await message.reply_html(texts.bad_value(lang, key, raw))
                return True
            value = zone
        elif key in LIST_FIELDS:
            value = [v for v in split_labels(raw) if v]
        else:
            try:
                value = _canonical(key, raw)
            except ValueError as exc:
                await message.reply_html(texts.bad_value(lang, key, str(exc)))
                return True
        record[key] = value
    check = dict(record)
    if not keeps_review():
        check.pop("review", None)
    try:
        MODELS[item.section].model_validate(check)
    except ValidationError as exc:
        reason = str(exc.errors()[0].get("msg", "")).removeprefix("Value error, ")
        await message.reply_html(texts.bad_value(lang, key, reason))
        return True
    data.pop(EDIT, None)
    if not await context.store.edit_review_item(article_id, position, record):
        await message.reply_html(texts.already_decided(lang, "accepted"))
        return True
    _, fresh = await _load(context, article_id, position)
    assert fresh is not None
    await _send_card(context, message.chat_id, article, fresh, await _names(context, article))
    return True


def _canonical(key: str, raw: str) -> str:
    """What staff type (开工, 2025年3月) in the form the records hold (construction, 2025-03)."""
    if key == "stage":
        return parse_stage(raw).value
    if key == "kind":
        return parse_event_kind(raw).value
    if key in DATE_FIELDS:
        return PartialDate.parse(raw).edtf()
    return raw


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel outside /add and /edit: drops a waiting card edit."""
    message = update.effective_message
    if message is None:
        return
    if context.user_data is not None and context.user_data.pop(EDIT, None) is not None:
        await message.reply_html(texts.edit_cancelled(context.lang))
        return
    await message.reply_html(admin_texts.cancelled(context.lang))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("review", review))
    app.add_handler(CommandHandler("cancel", cancel))
    app.add_handler(CallbackQueryHandler(pressed, pattern=callbacks.pattern(ReviewButton)))
