"""Admin commands: /add and /edit (guided), /delete, /history, /promote, /demote, /template,
/export, and importing a file sent to the bot."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.callbacks import Admin, pattern, unpack
from bot.context import BotApp, BotContext
from bot.core import (
    exporting,
    import_catalog,
    import_check,
    import_files,
    import_resolve,
    importing,
)
from bot.core.exporting import ExportScopeError
from bot.core.factfile import FactFileError
from bot.core.import_files import FileProblem, Table
from bot.core.import_resolve import Resolver
from bot.core.records import EVENT_KIND_ZH, STAGE_ZH, Event, Project, Source, Zone
from bot.core.text import normalise
from bot.menu import set_admin_menu
from bot.texts import admin as texts
from bot.texts import admin_en
from bot.texts.common import event_kind, pick, split_message, stage
from handlers.access import load_admins, target_user
from handlers.basic import is_admin

log = logging.getLogger(__name__)
_CANCEL = Admin("cancel").pack()

ASK, CONFIRM, KIND = range(3)
CONVERSATION_TIMEOUT = 15 * 60
DRAFT = "admin_draft"

# (column key, optional) in the order /add asks them.
SIGNING_STEPS: tuple[tuple[str, bool], ...] = (
    ("zone", False),
    ("company", True),
    ("project", False),
    ("sector", True),
    ("stage", True),
    ("date", True),
    ("investment", True),
    ("registered_capital", True),
    ("land_mu", True),
    ("annual_output", True),
    ("note", True),
    ("source", True),
)
EVENT_STEPS: tuple[tuple[str, bool], ...] = (
    ("zone", False),
    ("title", False),
    ("kind", False),
    ("date", True),
    ("figures", True),
    ("note", True),
    ("source", True),
)


@dataclass
class Draft:
    """What /add or /edit has collected so far, kept in user_data."""

    kind: str  # signing | event
    values: dict[str, str]
    step: int = 0
    single: bool = False  # asking one field from the summary, then back to it
    record_id: str | None = None  # /edit
    original: dict[str, str] | None = None

    @property
    def steps(self) -> tuple[tuple[str, bool], ...]:
        return SIGNING_STEPS if self.kind == "signing" else EVENT_STEPS

    @property
    def key(self) -> str:
        return self.steps[self.step][0]


def _draft(context: BotContext) -> Draft | None:
    data = context.user_data if context.user_data is not None else {}
    draft = data.get(DRAFT)
    return draft if isinstance(draft, Draft) else None


async def _refuse(update: Update, context: BotContext) -> bool:
    """True (after a short refusal) when the sender is not an admin.

    Promoted admins are read from the store at each call, not from the cache, so a demotion
    takes effect at the very next step or button, also in an /add begun before it.
    """
    user = update.effective_user
    user_id = user.id if user else None
    if user_id is not None and user_id not in context.settings.admin_ids:
        context.services.promoted_admins = await context.store.promoted_admins()
    if is_admin(context, user_id):
        return False
    if update.callback_query is not None:
        await update.callback_query.answer(texts.admin_only(context.lang), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(texts.admin_only(context.lang))
    return True


# ---- /add and /edit ---------------------------------------------------------------------


async def _step_refused(update: Update, context: BotContext) -> bool:
    """Each step of /add and /edit checks rights again; a demoted admin's draft is dropped."""
    if not await _refuse(update, context):
        return False
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    return True


async def add(update: Update, context: BotContext) -> int:
    """/add signing|event: a guided entry, one field at a time."""
    if await _refuse(update, context):
        return ConversationHandler.END
    message = update.effective_message
    assert message is not None
    choice = (context.args[0].lower() if context.args else "")[:20]
    kinds = {"signing": "signing", "签约": "signing", "project": "signing", "event": "event"}
    kinds.update({"活动": "event"})
    if choice not in kinds:
        signing, event = texts.kind_buttons(context.lang)
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(signing, callback_data=Admin("kind", "signing").pack()),
                    InlineKeyboardButton(event, callback_data=Admin("kind", "event").pack()),
                ]
            ]
        )
        await message.reply_html(texts.add_usage(context.lang), reply_markup=markup)
        return KIND
    return await _begin(message, context, kinds[choice])


async def add_kind(update: Update, context: BotContext) -> int:
    if await _step_refused(update, context):
        return ConversationHandler.END
    query = update.callback_query
    choice = unpack(query.data) if query is not None else None
    assert query is not None and isinstance(choice, Admin)
    await query.answer()
    kind = choice.key
    assert isinstance(query.message, Message)
    return await _begin(query.message, context, kind)


async def _begin(message: Message, context: BotContext, kind: str) -> int:
    assert context.user_data is not None
    draft = Draft(kind=kind, values={})
    context.user_data[DRAFT] = draft
    await _ask(message, context, draft)
    return ASK


async def edit(update: Update, context: BotContext) -> int:
    """/edit ID: the record's values with a button per field, then Save."""
    if await _refuse(update, context):
        return ConversationHandler.END
    message = update.effective_message
    assert message is not None and context.user_data is not None
    if not context.args:
        await message.reply_html(texts.edit_usage(context.lang, "edit"))
        return ConversationHandler.END
    ref = await _record_ref(context, " ".join(context.args))
    record = await _live_record(context, ref.record_id) if ref.record_id else None
    if record is None:
        await message.reply_html(texts.not_found(context.lang, ref.typed, ref.choices))
        return ConversationHandler.END
    values = await _values_of(context, record)
    kind = "signing" if isinstance(record, Project) else "event"
    draft = Draft(kind, dict(values), record_id=record.id, original=values)
    context.user_data[DRAFT] = draft
    await _summary(message, context, draft)
    return CONFIRM


@dataclass(frozen=True)
class RecordRef:
    """What a record's name or id typed after a command found: the record's id, or the
    whole text as typed with the records whose names hold its words (to choose from)."""

    typed: str
    record_id: str | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (id, title)


async def _record_ref(context: BotContext, typed: str) -> RecordRef:
    """A record from what was typed, taken whole: its id, its exact name (德加能源固态电池总部
    项目, "Dejia Energy solid-state battery headquarters project"), or the one project or event
    whose name holds every word typed ("Dejia Energy battery"). Never the first word alone."""
    text = " ".join(typed.split())[:120]
    if not text:
        return RecordRef(text)
    store = context.store
    if " " not in text and await store.record_kind(text) is not None:
        return RecordRef(text, text)  # an id (deleted ones too: /history shows them)
    await store.ensure_entity_names()
    named = await store.record_id_by_name(text)
    if named is not None:
        return RecordRef(text, named)
    kinds = ("project", "event")
    every = await store.search_kinds(text, kinds, limit=6)
    words = [w for w in (normalise(x) for x in text.split()) if len(w) >= 2]
    if len(every) == 1:
        # The one full-text hit is taken only when its name holds every word typed (新能源
        # finds 德加能源… by 能源, but that name is no 新能源 one): otherwise it is offered.
        record = await _live_record(context, every[0].record_id)
        if record is not None and words and all(w in _names_of(record) for w in words):
            return RecordRef(text, every[0].record_id)
    near = every or await store.search_any(text.split(), kinds=kinds, limit=8)
    # Offered only when its name holds most of the words typed (not "at" of "nothing at all").
    choices: list[tuple[int, str, str]] = []
    for hit in near:
        record = await _live_record(context, hit.record_id)
        if record is None:
            continue
        zh, en = (
            (record.name_zh, record.name_en)
            if isinstance(record, Project)
            else (record.title_zh, record.title_en)
        )
        names = _names_of(record)
        held = sum(1 for w in words if w in names)
        if words and held * 2 >= len(words):
            choices.append((held, hit.record_id, pick(context.lang, zh, en)))
    choices.sort(key=lambda c: -c[0])
    return RecordRef(text, None, tuple((rid, title) for _h, rid, title in choices[:5]))


def _names_of(record: Project | Event) -> str:
    """A record's names, Chinese and English, normalised as typed words are."""
    if isinstance(record, Project):
        return normalise(f"{record.name_zh} {record.name_en or ''}")
    return normalise(f"{record.title_zh} {record.title_en or ''}")


async def _live_record(context: BotContext, record_id: str) -> Project | Event | None:
    return await context.store.project(record_id) or await context.store.event(record_id)


async def _values_of(context: BotContext, record: Project | Event) -> dict[str, str]:
    """A stored record as the column texts /add collects (zone as its id)."""
    zones = {z.id: z for z in await context.store.zones()}
    sources = exporting.names_by_id(await context.store.source_refs())
    if isinstance(record, Project):
        companies = exporting.names_by_id(await context.store.company_refs())
        row = exporting.signing_rows([record], zones, companies, sources)[0]
        columns = import_files.SIGNING_COLUMNS
    else:
        row = exporting.event_rows([record], zones, sources)[0]
        columns = import_files.EVENT_COLUMNS
    values = {k: v for k, v in zip(columns, row, strict=True) if v}
    values["zone"] = record.zone
    return values


async def _ask(message: Message, context: BotContext, draft: Draft) -> None:
    lang = context.lang
    key, optional = draft.steps[draft.step]
    rows: list[list[InlineKeyboardButton]] = []
    if key == "zone":
        zones = await context.store.zones()
        if len(zones) > 12:
            # The directory holds hundreds: buttons for the zones with records (most first),
            # any other is typed by name.
            counts = await context.store.zone_counts()
            held = [z for z in zones if z.id in counts]
            zones = sorted(held, key=lambda z: -(counts[z.id].projects + counts[z.id].events))
        buttons = [
            InlineKeyboardButton(
                pick(lang, z.short_zh, z.name_en), callback_data=Admin("v", "zone", z.id).pack()
            )
            for z in zones[:12]
        ]
        rows += [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    elif key == "stage":
        buttons = [
            InlineKeyboardButton(stage(s, lang), callback_data=Admin("v", "stage", s.value).pack())
            for s in STAGE_ZH
        ]
        rows += [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    elif key == "kind":
        buttons = [
            InlineKeyboardButton(
                event_kind(k, lang), callback_data=Admin("v", "kind", k.value).pack()
            )
            for k in EVENT_KIND_ZH
        ]
        rows += [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    tail = [InlineKeyboardButton(texts.cancel_button(lang), callback_data=_CANCEL)]
    if optional and not draft.single:
        tail.insert(
            0,
            InlineKeyboardButton(texts.skip_button(lang), callback_data=Admin("skip", key).pack()),
        )
    rows.append(tail)
    if draft.single:
        text = texts.ask_edit(lang, key)
    else:
        text = texts.ask(lang, key, draft.step + 1, len(draft.steps), optional)
    await message.reply_html(text, reply_markup=InlineKeyboardMarkup(rows))


async def _sector_names_en(context: BotContext) -> dict[str, str]:
    """Sector labels and national areas by their Chinese names, to their English names."""
    names = {lb.label: lb.name_en for lb in await context.store.labels() if lb.name_en}
    for area in await context.store.areas():
        if area.name_en:
            names.setdefault(area.name_zh, area.name_en)
            names.setdefault(area.name_zh.removesuffix("产业"), area.name_en)
    return names


async def _english_values(context: BotContext, draft: Draft, zone: Zone | None) -> dict[str, str]:
    """The draft's values in their English form where the record has one (/edit in English)."""
    record = await _live_record(context, draft.record_id) if draft.record_id else None
    company = (
        await context.store.company(record.company)
        if isinstance(record, Project) and record.company
        else None
    )
    source = await context.store.source(record.source) if record is not None else None
    return admin_en.draft_values(
        draft.values,
        draft.original or {},
        record,
        zone=zone,
        company=company,
        source=source,
        labels=await _sector_names_en(context),
    )


async def _summary(message: Message, context: BotContext, draft: Draft) -> None:
    lang = context.lang
    keys = [k for k, _ in draft.steps]
    buttons = [
        InlineKeyboardButton(texts.field_name(lang, k), callback_data=Admin("f", k).pack())
        for k in keys
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    rows.append(
        [
            InlineKeyboardButton(texts.save_button(lang), callback_data=Admin("save").pack()),
            InlineKeyboardButton(texts.cancel_button(lang), callback_data=_CANCEL),
        ]
    )
    shown = dict(draft.values)
    zone = await context.store.zone(shown["zone"]) if "zone" in shown else None
    if "zone" in shown:
        shown["zone"] = zone.short_zh if zone else shown["zone"]
    if lang == "en":
        shown = await _english_values(context, draft, zone)
    await message.reply_html(
        texts.draft_summary(lang, draft.kind, shown, draft.record_id),
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def _accept(message: Message, context: BotContext, draft: Draft, value: str | None) -> int:
    """Store a checked value (None: skipped) and move to the next question or the summary."""
    key = draft.key
    if value:
        draft.values[key] = value
    if draft.single or draft.step + 1 >= len(draft.steps):
        draft.single = False
        await _summary(message, context, draft)
        return CONFIRM
    draft.step += 1
    await _ask(message, context, draft)
    return ASK


async def _resolver(context: BotContext, key: str) -> Resolver:
    # Only a zone answer needs the store's names; the full catalog is read on Save.
    if key == "zone":
        return await import_resolve.zone_resolver(context.store)
    return Resolver(import_catalog.Catalog.empty())


async def typed(update: Update, context: BotContext) -> int:
    """A typed answer: checked, re-asked with an example when it cannot be read."""
    if await _step_refused(update, context):
        return ConversationHandler.END
    message = update.effective_message
    draft = _draft(context)
    if message is None or draft is None:
        return ConversationHandler.END
    value, error = import_check.check_value(
        draft.key, message.text or "", await _resolver(context, draft.key)
    )
    if error is not None:
        await message.reply_html(
            texts.reask(context.lang, draft.key, error.code, error.value, error.detail)
        )
        return ASK
    return await _accept(message, context, draft, value)


async def pressed(update: Update, context: BotContext) -> int:
    """A choice button (adm:v:FIELD:VALUE) or Skip (adm:skip:FIELD) while asking."""
    if await _step_refused(update, context):
        return ConversationHandler.END
    query = update.callback_query
    draft = _draft(context)
    choice = unpack(query.data) if query is not None else None
    assert query is not None and isinstance(choice, Admin)
    if draft is None or not isinstance(query.message, Message):
        await query.answer(texts.stale_button(context.lang))
        return ConversationHandler.END
    field = choice.key
    if field != draft.key:
        await query.answer(texts.stale_button(context.lang))
        return ASK
    await query.answer()
    if choice.action == "skip":
        return await _accept(query.message, context, draft, None)
    value, error = import_check.check_value(field, choice.value, await _resolver(context, field))
    if error is not None:  # pragma: no cover - buttons carry valid values
        await query.message.reply_html(texts.reask(context.lang, field, error.code, error.value))
        return ASK
    return await _accept(query.message, context, draft, value)


async def change_field(update: Update, context: BotContext) -> int:
    """A field button on the summary: ask that one field again."""
    if await _step_refused(update, context):
        return ConversationHandler.END
    query = update.callback_query
    draft = _draft(context)
    choice = unpack(query.data) if query is not None else None
    assert query is not None and isinstance(choice, Admin)
    if draft is None or not isinstance(query.message, Message):
        await query.answer(texts.stale_button(context.lang))
        return ConversationHandler.END
    await query.answer()
    key = choice.key
    keys = [k for k, _ in draft.steps]
    if key not in keys:
        return CONFIRM
    draft.step = keys.index(key)
    draft.single = True
    await _ask(query.message, context, draft)
    return ASK


async def save(update: Update, context: BotContext) -> int:
    """Save: the same path as a file import (one transaction, audit, feed)."""
    if await _step_refused(update, context):
        return ConversationHandler.END
    query = update.callback_query
    draft = _draft(context)
    assert query is not None
    if draft is None or not isinstance(query.message, Message) or query.from_user is None:
        await query.answer(texts.stale_button(context.lang))
        return ConversationHandler.END
    lang = context.lang
    required = [k for k, optional in draft.steps if not optional and not draft.values.get(k)]
    if required:
        await query.answer()
        draft.step = [k for k, _ in draft.steps].index(required[0])
        draft.single = True
        await query.message.reply_html(texts.reask(lang, required[0], "required", ""))
        await _ask(query.message, context, draft)
        return ASK
    await query.answer()
    user = query.from_user
    values = dict(draft.values)
    target: Project | Event | None = None
    if draft.record_id is not None:
        target = await _live_record(context, draft.record_id)
        if target is None:
            await query.message.reply_html(texts.not_found(lang, draft.record_id))
            return _end(context)
        # Only what was changed is applied; the rest of the record stays as stored.
        original = draft.original or {}
        name_key = "project" if draft.kind == "signing" else "title"
        values = {
            k: v for k, v in values.items() if k in ("zone", name_key) or original.get(k) != v
        }
    stamp = context.store.now().strftime("%Y%m%dt%H%M%S")
    name = user.full_name[:60]
    source = Source(id=f"u{user.id}-{stamp}", title=f"由 {name} 通过机器人录入")
    cat = await import_catalog.catalog(context.store)
    try:
        # A changed fact without a typed source is credited to this editor, not the old source.
        builder = importing.Builder(cat, source, changed_by=f"{name} 通过机器人")
        table = Table(draft.kind, None, [(1, values)])  # type: ignore[arg-type]
        builder.row(table, 1, values, target=target)
        result = await importing.build_from(builder, [table])
    finally:
        cat.close()
    if builder.out.skipped_deleted:
        await query.message.reply_html(
            texts.deleted_name_taken(lang, builder.out.skipped_deleted[0])
        )
        return _end(context)
    if result.facts is None:
        first = result.errors[0]
        keys = [k for k, _ in draft.steps]
        draft.step = keys.index(first.field) if first.field in keys else 0
        draft.single = True
        await query.message.reply_html(
            texts.reask(lang, first.field, first.code, first.value, first.detail)
        )
        await _ask(query.message, context, draft)
        return ASK
    report = await context.store.apply_facts(result.facts, via="command", actor_id=user.id)
    section = "projects" if draft.kind == "signing" else "events"
    record = (result.facts.projects or result.facts.events)[0]
    action = "unchanged"
    if record.id in report.new.get(section, []):
        action = "new"
    elif record.id in report.updated.get(section, []):
        action = "updated"
    await query.message.reply_html(
        texts.saved(lang, draft.kind, record.id, action, result.new_labels)
    )
    return _end(context)


def _end(context: BotContext) -> int:
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel (or the Cancel button) at any step: nothing is saved."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    message = update.effective_message
    if message is not None:
        await message.reply_html(texts.cancelled(context.lang))
    return _end(context)


async def timed_out(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    if message is not None:
        try:
            await message.reply_html(texts.timed_out(context.lang))
        except TelegramError:
            log.info("could not tell a user their entry timed out")


async def stale(update: Update, context: BotContext) -> None:
    """An admin button from a finished conversation or another user's: answered, no effect."""
    query = update.callback_query
    if query is not None:
        await query.answer(texts.stale_button(context.lang))


# ---- /delete and /history ---------------------------------------------------------------


async def delete(update: Update, context: BotContext) -> None:
    """/delete ID: asks to confirm; the record is marked deleted, not erased."""
    if await _refuse(update, context):
        return
    message = update.effective_message
    assert message is not None
    if not context.args:
        await message.reply_html(texts.edit_usage(context.lang, "delete"))
        return
    ref = await _record_ref(context, " ".join(context.args))
    record = await _live_record(context, ref.record_id) if ref.record_id else None
    if record is None:
        await message.reply_html(texts.not_found(context.lang, ref.typed, ref.choices))
        return
    kind = "project" if isinstance(record, Project) else "event"
    name = record.name_zh if isinstance(record, Project) else record.title_zh
    yes, no = texts.delete_buttons(context.lang)
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes, callback_data=Admin("del", kind[0], record.id).pack()),
                InlineKeyboardButton(no, callback_data=Admin("keep").pack()),
            ]
        ]
    )
    await message.reply_html(
        texts.confirm_delete(context.lang, kind, record.id, name), reply_markup=markup
    )


async def delete_pressed(update: Update, context: BotContext) -> None:
    query = update.callback_query
    choice = unpack(query.data) if query is not None else None
    assert query is not None and isinstance(choice, Admin)
    if await _refuse(update, context):
        return
    lang = context.lang
    if choice.action == "keep":
        await query.answer()
        await _edit_or_reply(query.message, texts.kept(lang))
        return
    record_id = choice.value
    kind = "project" if choice.key == "p" else "event"
    user_id = query.from_user.id if query.from_user else None
    done = await context.store.delete_record(kind, record_id, via="command", actor_id=user_id)
    await query.answer()
    text = texts.deleted(lang, record_id) if done else texts.not_found(lang, record_id)
    await _edit_or_reply(query.message, text)


async def _edit_or_reply(message: Any, text: str) -> None:
    if not isinstance(message, Message):
        return
    try:
        await message.edit_text(text, parse_mode="HTML")
    except BadRequest:
        await message.reply_html(text)


async def history(update: Update, context: BotContext) -> None:
    """/history ID: who changed a record, when, how, and what changed."""
    if await _refuse(update, context):
        return
    message = update.effective_message
    assert message is not None
    if not context.args:
        await message.reply_html(texts.edit_usage(context.lang, "history"))
        return
    ref = await _record_ref(context, " ".join(context.args))
    record_id = ref.record_id
    kind = await context.store.record_kind(record_id) if record_id else None
    if kind is None or record_id is None:
        await message.reply_html(texts.not_found(context.lang, ref.typed, ref.choices))
        return
    entries = await context.store.history(kind, record_id)
    labels = await _sector_names_en(context) if context.lang == "en" else {}
    for part in split_message(texts.history(context.lang, kind, record_id, entries, labels)):
        await message.reply_html(part)


# ---- roles ------------------------------------------------------------------------------


async def promote(update: Update, context: BotContext) -> None:
    """/promote USER_ID (or in reply to their message): make a user an admin."""
    await _set_role(update, context, "promote")


async def demote(update: Update, context: BotContext) -> None:
    """/demote USER_ID (or in reply): remove an admin the bot promoted."""
    await _set_role(update, context, "demote")


async def _set_role(update: Update, context: BotContext, command: str) -> None:
    if await _refuse(update, context):
        return
    message = update.effective_message
    actor = update.effective_user
    assert message is not None and actor is not None
    lang = context.lang
    target = target_user(update, context)
    if target is None:
        await message.reply_html(texts.role_usage(lang, command))
        return
    promoted: set[int] = await load_admins(context)
    if command == "promote":
        already = target in promoted or target in context.settings.admin_ids
        if not already:
            await context.store.set_user_role(target, "admin", actor.id)
            promoted.add(target)
            await set_admin_menu(context.bot, target, True)
        context.services.promoted_admins = promoted
        await message.reply_html(texts.promoted(lang, target, already))
        return
    if target in context.settings.admin_ids:
        await message.reply_html(texts.cannot_demote_configured(lang, target))
        return
    was_admin = target in promoted
    if was_admin:
        await context.store.set_user_role(target, "user", actor.id)
        promoted.discard(target)
        await set_admin_menu(context.bot, target, False)
    await message.reply_html(texts.demoted(lang, target, was_admin))


# ---- files ------------------------------------------------------------------------------


async def template(update: Update, context: BotContext) -> None:
    """/template: XLSX and CSV templates with Chinese and English headers."""
    if await _refuse(update, context):
        return
    message = update.effective_message
    assert message is not None
    files = exporting.template_files()
    for index, (name, data) in enumerate(files):
        caption = texts.template_caption(context.lang) if index == 0 else None
        await message.reply_document(
            InputFile(data, filename=name), caption=caption, parse_mode="HTML"
        )


async def export(update: Update, context: BotContext) -> None:
    """/export [zone|sector]: projects and events as XLSX and CSV (UTF-8 with BOM)."""
    if await _refuse(update, context):
        return
    message = update.effective_message
    assert message is not None
    lang = context.lang
    try:
        scope = await exporting.resolve_scope(context.store, " ".join(context.args or []))
    except ExportScopeError as exc:
        await message.reply_html(texts.export_scope_error(lang, exc.code, exc.what, exc.choices))
        return
    result = await exporting.export(context.store, scope)
    for index, (name, data) in enumerate(result.files()):
        caption = (
            texts.export_caption(
                lang, scope.title_zh, scope.title_en, result.projects, result.events
            )
            if index == 0
            else None
        )
        await message.reply_document(
            InputFile(data, filename=name), caption=caption, parse_mode="HTML"
        )


async def document(update: Update, context: BotContext) -> None:
    """A file sent to the bot in private: downloaded to a scratch folder, validated row by row
    (a spreadsheet's records staged in chunks outside the store, as ``python -m bot import``
    does), then applied in one transaction: all or nothing."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    if await _refuse(update, context):
        return
    lang = context.lang
    doc = message.document
    name = (doc.file_name or "file")[:200]
    try:
        import_files.file_format(name)
        if doc.file_size is not None and doc.file_size > import_files.MAX_BYTES:
            raise FileProblem("too_big")
        if doc.file_size == 0:
            raise FileProblem("empty")
    except FileProblem as exc:
        await message.reply_html(texts.file_problem(exc.code, exc.detail, lang))
        return
    status = await message.reply_html(texts.import_started(lang, name))
    try:
        with tempfile.TemporaryDirectory(prefix="upload-") as folder:
            path = Path(folder) / "upload"
            try:
                await (await doc.get_file()).download_to_drive(path)
            except TelegramError as exc:
                log.warning("could not download %s: %s", name, exc)
                await _edit_or_reply(status, texts.file_problem("download", "", lang))
                return
            if path.stat().st_size > import_files.MAX_BYTES:  # file_size is the sender's word
                await _edit_or_reply(status, texts.file_problem("too_big", "", lang))
                return
            await _import_file(update, context, status, name, path)
    except OSError as exc:
        # The scratch space (the download, the staged chunks) is full or not writable: nothing
        # reached the store (apply_facts rolls back), and the scratch folders are gone.
        log.warning("no scratch space for %s: %s", name, exc)
        await _edit_or_reply(status, texts.file_problem("disk", "", lang))


async def _import_file(
    update: Update, context: BotContext, status: Message, name: str, path: Path
) -> None:
    lang = context.lang

    async def progress(done: int, total: int) -> None:
        try:
            await status.edit_text(
                texts.import_progress(lang, name, done, total), parse_mode="HTML"
            )
        except TelegramError:
            log.info("could not show import progress")

    user = update.effective_user
    spool = await context.store.open_spool()
    try:
        try:
            # The bytes go straight to the reader, which keeps only what it needs of them.
            result = await importing.read_upload(
                name,
                await asyncio.to_thread(path.read_bytes),
                context.store,
                progress,
                flush=spool.add,
            )
        except FileProblem as exc:
            await _edit_or_reply(status, texts.file_problem(exc.code, exc.detail, lang))
            return
        except FactFileError as exc:  # a staged chunk refers to something unknown
            result = importing.ImportResult(
                facts=None, problems=exc.problems, error_count=len(exc.problems)
            )
        if not result.ok or result.facts is None:
            await _send_long(status, texts.import_failed(lang, name, result))
            return
        try:
            report = await context.store.apply_facts(
                result.facts, via="file", actor_id=user.id if user else None, spool=spool
            )
        except FactFileError as exc:
            result.problems = exc.problems
            result.error_count = len(exc.problems)
            await _send_long(status, texts.import_failed(lang, name, result))
            return
    finally:
        await asyncio.to_thread(spool.close)
    counted = ("projects", "events")
    new, updated, unchanged = (
        sum(len(getattr(report, bucket).get(s, [])) for s in counted)
        for bucket in ("new", "updated", "unchanged")
    )
    skipped = [*result.skipped_deleted, *(x.split(":", 1)[1] for x in report.skipped_deleted)]
    await _send_long(
        status, texts.import_done(lang, name, result, new, updated, unchanged, skipped)
    )


async def _send_long(status: Message, text: str) -> None:
    """The first part replaces the status message; any further parts follow it."""
    parts = split_message(text)
    await _edit_or_reply(status, parts[0])
    for part in parts[1:]:
        await status.reply_html(part)


def register(app: BotApp) -> None:
    with warnings.catch_warnings():
        # per_message=False with button handlers is intended: one conversation per user
        # and chat, whatever message the buttons sit on.
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation = ConversationHandler(
            entry_points=[CommandHandler("add", add), CommandHandler("edit", edit)],
            states={
                KIND: [CallbackQueryHandler(add_kind, pattern=pattern(Admin, action="kind"))],
                ASK: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, typed),
                    CallbackQueryHandler(pressed, pattern=pattern(Admin, action=("v", "skip"))),
                ],
                CONFIRM: [
                    CallbackQueryHandler(save, pattern=pattern(Admin, action="save")),
                    CallbackQueryHandler(change_field, pattern=pattern(Admin, action="f")),
                ],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
            },
            fallbacks=[
                CommandHandler("cancel", cancel),
                CallbackQueryHandler(cancel, pattern=pattern(Admin, action="cancel")),
            ],
            per_chat=True,
            per_user=True,
            per_message=False,
            conversation_timeout=CONVERSATION_TIMEOUT,
            name="admin_entry",
        )
    app.add_handler(conversation)
    app.add_handler(
        CallbackQueryHandler(delete_pressed, pattern=pattern(Admin, action=("del", "keep")))
    )
    app.add_handler(CallbackQueryHandler(stale, pattern=pattern(Admin)))
    app.add_handler(CommandHandler("delete", delete))
    app.add_handler(CommandHandler("history", history))
    app.add_handler(CommandHandler("promote", promote))
    app.add_handler(CommandHandler("demote", demote))
    app.add_handler(CommandHandler("template", template))
    app.add_handler(CommandHandler("export", export))
    # block=False: a long import runs as its own task; other users' updates go on meanwhile.
    app.add_handler(
        MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, document, block=False)
    )
