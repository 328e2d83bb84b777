"""Lookups: /zone /zones /sector /sectors /project /search /stats, plain questions, inline mode.

Thin: parse the input, ask the store (through the cached zone and sector names), render with
bot.texts.lookup, reply. Every button press is answered, also when its record is gone.
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import Lookup, packed, pattern, unpack
from bot.context import BotApp, BotContext
from bot.core import ask_input
from bot.core import directory as zone_directory
from bot.core.directory import DirectoryAnswer, DirectoryFilter
from bot.core.directory_rows import DirectoryEntry
from bot.core.lookup import (
    MAX_QUERY,
    PAGE_SIZE,
    SEARCH_COUNT_CAP,
    Page,
    TokenStore,
    closest_zones,
)
from bot.core.matching import ZoneMatch, resolve_sector
from bot.core.records import SearchHit
from bot.core.text import normalise, search_words
from bot.core.zone_cache import FactsView
from bot.jobs import zone_cards
from bot.texts import directory as directory_texts
from bot.texts import lookup as texts
from bot.texts.common import Lang, split_message
from storage import Store

log = logging.getLogger(__name__)
INLINE_PRIVATE_CACHE = 5  # seconds; per user (is_personal) in private mode

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,47}$")
INLINE_RESULTS = 10
EXACT_POOL = 50  # search hits checked for an exact name before offering choices


# ---- plumbing ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a lookup produced: replies, optionally a chart, or a notice for a button press."""

    replies: list[texts.Reply] = field(default_factory=list)
    photos: list[tuple[bytes, str]] = field(default_factory=list)
    notice: str | None = None


async def _view(context: BotContext) -> FactsView:
    return await context.services.facts_at_hand(context.store)


def _names(view: FactsView) -> texts.Names:
    return texts.Names(view.zones, view.labels, view.areas)


def _tokens(context: BotContext) -> TokenStore:
    return context.services.lookup_tokens


def _markup(reply: texts.Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in reply.buttons
        ]
    )


async def _reply(message: Message, reply: texts.Reply) -> None:
    """Send a reply, split at line boundaries; the buttons go on the last part."""
    parts = split_message(reply.text)
    for number, part in enumerate(parts, 1):
        markup = _markup(reply) if number == len(parts) else None
        await message.reply_html(part, reply_markup=markup)


async def _deliver(message: Message, outcome: Outcome) -> None:
    for png, caption in outcome.photos:
        await message.reply_photo(png, caption=caption, parse_mode=ParseMode.HTML)
    for reply in outcome.replies:
        await _reply(message, reply)


def clean_query(text: str) -> str:
    """What the user typed, without control or format characters, one space between words.

    Any Unicode whitespace separates words (a full-width space from a Chinese IME, a line
    break); control and format characters (BEL, zero-width space) are dropped, so input made
    only of them counts as no input at all.
    """
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    return " ".join(kept.split())


def _query_of(update: Update) -> str:
    """The text after the command (context.args would split it; Telegram's entity says where
    the command ends, also when a full-width space or a line break follows it)."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    if message is not None:
        for entity in message.entities:
            if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
                # Entity lengths count UTF-16 units; a command is ASCII, so they equal str length.
                return clean_query(text[entity.length :])
    if text.startswith("/"):
        parts = text.split(maxsplit=1)
        text = parts[1] if len(parts) > 1 else ""
    return clean_query(text)


# ---- building replies (shared by commands, buttons and inline mode) --------------------------


async def zone_reply(
    context: BotContext,
    view: FactsView,
    zone_id: str,
    lang: Lang,
    *,
    others: tuple[str, ...] = (),
    admin: bool = False,
) -> texts.Reply | None:
    """A zone's card: prepared (bot/jobs/zone_cards.py) or kept from an earlier question, else
    read and rendered now. ``others``: zones the same name also fits, offered beside this one.
    An admin's card (with notes on how records were made) is always rendered now."""
    cards = context.services.zone_cards
    if not admin:
        card = cards.get(view.version, zone_id, others, lang)
        if card is not None:
            return card
    reply = await zone_cards.build_card(
        context.store, view, zone_id, lang, others=others, admin=admin
    )
    if not admin and reply is not None:
        cards.put(view.version, zone_id, others, lang, reply)
    return reply


async def project_reply(
    context: BotContext, view: FactsView, project_id: str, lang: Lang
) -> texts.Reply | None:
    store = context.store
    project = await store.project(project_id)
    if project is None:
        return None
    company = await store.company(project.company) if project.company else None
    event = await store.event(project.event) if project.event else None
    return texts.project_card(
        lang,
        project,
        names=_names(view),
        company=company,
        event=event,
        source=await store.source(project.source),
    )


async def company_reply(
    context: BotContext, view: FactsView, company_id: str, lang: Lang
) -> texts.Reply | None:
    store = context.store
    company = await store.company(company_id)
    if company is None:
        return None
    return texts.company_card(
        lang,
        company,
        names=_names(view),
        projects=await store.projects_of_company(company_id),
        events=await store.events_of_company(company_id),
        source=await store.source(company.source),
    )


async def event_reply(
    context: BotContext, view: FactsView, event_id: str, lang: Lang
) -> texts.Reply | None:
    store = context.store
    event = await store.event(event_id)
    if event is None:
        return None
    return texts.event_card(
        lang,
        event,
        names=_names(view),
        companies=await store.companies(event.companies),
        projects=await store.projects_of_event(event_id),
        source=await store.source(event.source),
    )


async def figure_reply(
    context: BotContext, view: FactsView, figure_id: str, lang: Lang
) -> texts.Reply | None:
    figure = await context.store.figure(figure_id)
    if figure is None:
        return None
    return texts.figure_card(lang, figure, _names(view), await context.store.source(figure.source))


async def _load_hits(store: Store, view: FactsView, hits: list[SearchHit]) -> list[texts.Found]:
    records = await store.hit_records(hits)
    found = []
    for hit in hits:
        record: object
        if hit.kind == "zone":
            record = view.zones.get(hit.record_id)
        else:
            record = records.get((hit.kind, hit.record_id))
        found.append(texts.Found(hit, record))
    return found


async def search_reply(
    context: BotContext, view: FactsView, query: str, page_no: int, lang: Lang
) -> texts.Reply:
    store = context.store
    read = search_words(query)
    if read.query is None:
        return texts.search_nothing_to_search(lang, query)
    named = view.index.resolve(query) if view.exact_zone(query) else None
    # The zone the query names (kunshan: the one with records among 昆山's two) ranks first.
    prefer = named.zone_id if named is not None and named.kind == "found" else None
    total = await store.search_count(query)
    # Counted up to the cap only: a one-word search may match most of the store.
    page = Page.of(page_no, min(total, SEARCH_COUNT_CAP))
    hits = (
        await store.search(query, limit=PAGE_SIZE, offset=page.offset, prefer_zone=prefer)
        if total
        else []
    )
    found = await _load_hits(store, view, hits)
    key = _tokens(context).put(query)
    more = total > SEARCH_COUNT_CAP
    reply = texts.search_results(lang, query, found, _names(view), page, key, more=more)
    if not found:
        # Nothing in the text: a zone's pinyin, prefix or near miss may still be meant.
        match = view.index.resolve(query)
        ids = match.zone_ids or match.suggestions
        zones = [view.zones[z] for z in ids if z in view.zones]
        if zones:
            reply = (
                texts.zone_choices(lang, zones, query)
                if match.kind == "ambiguous"
                else texts.no_zone(lang, query, zones)
            )
            reply.text = (
                texts.search_results(lang, query, [], _names(view), page, key).text
                + "\n"
                + reply.text
            )
    if read.ignored:
        reply.text += "\n" + texts.search_note(lang, read.ignored)
    return reply


async def zones_reply(
    context: BotContext,
    view: FactsView,
    page_no: int,
    lang: Lang,
    wanted: DirectoryFilter | None = None,
) -> texts.Reply:
    """/zones: zones with records first, then the directory by province; filters and pages."""
    wanted = wanted or DirectoryFilter()
    counts = await view.counts(context.store)
    records = {z: c.projects + c.events for z, c in counts.items()}
    entries = zone_directory.select(view.directory.values(), wanted)
    chosen = [e.zone_id for e in zone_directory.ordered(entries, records)]
    if wanted.empty:
        # Zones outside the directory (added by staff) are listed too, by their records.
        rest = [z for z in view.zones if z not in view.directory]
        chosen = sorted(rest, key=lambda z: (-records.get(z, 0), z)) + chosen
        chosen.sort(key=lambda z: -records.get(z, 0))
    zones = [view.zones[z] for z in chosen if z in view.zones]
    page = Page.of(page_no, len(zones))
    shown = zones[page.offset : page.offset + page.size]
    # The province chooser where no province or city is chosen yet.
    chooser = (
        zone_directory.provinces_held(entries)
        if wanted.province is None and not wanted.cities
        else []
    )
    return directory_texts.zone_list(
        lang,
        wanted,
        shown,
        view.directory,
        counts,
        page,
        directory_texts.filter_key(wanted, _tokens(context)),
        totals=zone_directory.type_counts(entries),
        provinces=chooser,
        unknown=wanted.unknown,
        city_provinces=_city_provinces(entries),
    )


def _city_provinces(entries: Iterable[DirectoryEntry]) -> dict[str, str]:
    """Each city (and county-level city) of these rows with its province."""
    found = {e.city: e.province for e in entries}
    found.update({e.county_city: e.province for e in entries if e.county_city})
    return found


def _filter_of_key(context: BotContext, key: str) -> DirectoryFilter | None:
    if key.startswith("~"):
        stored = _tokens(context).get(key[1:])
        return DirectoryFilter.from_key(stored) if stored is not None else None
    return DirectoryFilter.from_key(key)


async def directory_reply(
    context: BotContext, view: FactsView, answer: DirectoryAnswer, lang: Lang
) -> texts.Reply | None:
    """The reply to a directory question (which zones, how many, where)."""
    if answer.kind == "list":
        return await zones_reply(context, view, 0, lang, answer.filter)
    if answer.kind == "count":
        entries = zone_directory.select(view.directory.values(), answer.filter)
        return directory_texts.count_answer(
            lang, answer.filter, zone_directory.type_counts(entries)
        )
    zones = [view.zones[z] for z in answer.zone_ids if z in view.zones]
    if not zones:
        return None
    if answer.each:
        # 嘉兴高新区和常德高新区分别在哪个省: one line per zone named.
        parts = [directory_texts.where_answer(lang, z, view.directory.get(z.id)) for z in zones]
        return texts.Reply(
            "\n".join(p.text for p in parts), [row for p in parts for row in p.buttons][:4]
        )
    if len(zones) > 1 and all(
        view.index.weights.get(z.id, 0) == view.index.weights.get(zones[0].id, 0) for z in zones
    ):
        return texts.zone_choices(lang, zones, None)
    first, others = zones[0], zones[1:]
    return directory_texts.where_answer(lang, first, view.directory.get(first.id), others)


async def zone_projects_reply(
    context: BotContext, view: FactsView, zone_id: str, page_no: int, lang: Lang
) -> texts.Reply | None:
    zone = view.zones.get(zone_id)
    if zone is None:
        return None
    store = context.store
    counts = await store.zone_count(zone_id)
    page = Page.of(page_no, counts.projects)
    projects = await store.projects_in_zone(zone_id, limit=page.size, offset=page.offset)
    companies = await store.companies(p.company for p in projects if p.company)
    return texts.zone_projects(lang, zone, projects, companies, _names(view), page)


async def zone_events_reply(
    context: BotContext, view: FactsView, zone_id: str, page_no: int, lang: Lang
) -> texts.Reply | None:
    zone = view.zones.get(zone_id)
    if zone is None:
        return None
    counts = await context.store.zone_count(zone_id)
    page = Page.of(page_no, counts.events)
    events = await context.store.events_in_zone(zone_id, limit=page.size, offset=page.offset)
    return texts.zone_events(lang, zone, events, _names(view), page)


async def sector_reply(
    context: BotContext, view: FactsView, query: str, page_no: int, lang: Lang
) -> texts.Reply:
    match = resolve_sector(query, view.area_list, view.label_list)
    if match.kind == "empty":
        return await sectors_reply(context, view, lang)
    if match.kind != "found":
        return texts.no_sector(lang, query, match.suggestions, ambiguous=match.kind == "ambiguous")
    store = context.store
    labels = sorted(match.labels)
    total_projects, total_events = await view.sector_counts(store, labels)
    page = Page.of(page_no, max(total_projects, total_events))
    projects = await store.sector_page("project", labels, limit=page.size, offset=page.offset)
    events = await store.sector_page("event", labels, limit=page.size, offset=page.offset)
    name = match.label or match.area or query
    key = (
        name
        if packed(Lookup("sp", name, 999999, edit=True)) is not None and not name.startswith("~")
        else "~" + _tokens(context).put(name)
    )
    return texts.sector_card(
        lang,
        key=key,
        area=match.area,
        label=match.label,
        labels=labels,
        names=_names(view),
        projects=projects,  # type: ignore[arg-type]
        events=events,  # type: ignore[arg-type]
        companies=await store.companies(p.company for p in projects if p.company),  # type: ignore[union-attr]
        total_projects=total_projects,
        total_events=total_events,
        page=page,
    )


async def sectors_reply(context: BotContext, view: FactsView, lang: Lang) -> texts.Reply:
    counts = await context.store.label_counts()
    return texts.sectors_list(lang, view.area_list, view.label_list, counts)


async def project_lookup(
    context: BotContext, view: FactsView, query: str, lang: Lang
) -> texts.Reply:
    """A project or company by id or name; one match shows in full, several offer choices."""
    store = context.store
    key = query.strip().lower()
    if _ID.match(key):
        direct = await project_reply(context, view, key, lang)
        if direct is None and await store.company(key) is not None:
            owned = await store.projects_of_company(key)
            # A company with exactly one project is that project: show the project in full.
            only = owned[0].id if len(owned) == 1 else None
            direct = await (
                project_reply(context, view, only, lang)
                if only
                else company_reply(context, view, key, lang)
            )
        if direct is not None:
            return direct
    hits = await store.search_kinds(query, ("project", "company"), limit=EXACT_POOL)
    exact = await _exact_names(store, query, hits)
    if exact:
        # 美元项目 is that project, not also 亿美元项目 which merely contains the words.
        hits = exact
    hits = hits[:10]
    choices: list[SearchHit] = []
    projects_seen: set[str] = set()
    for hit in hits:
        if hit.kind == "project":
            if hit.record_id not in projects_seen:
                projects_seen.add(hit.record_id)
                choices.append(hit)
            continue
        # A company with exactly one project is that project: show the project in full.
        owned = await store.projects_of_company(hit.record_id)
        if len(owned) == 1:
            if owned[0].id not in projects_seen:
                projects_seen.add(owned[0].id)
                choices.append(
                    SearchHit("project", owned[0].id, owned[0].zone, owned[0].name_zh, hit.score)
                )
        else:
            choices.append(hit)
    if not choices:
        return texts.no_project(lang, query)
    if len(choices) == 1:
        chosen = choices[0]
        builder = project_reply if chosen.kind == "project" else company_reply
        reply = await builder(context, view, chosen.record_id, lang)
        if reply is not None:
            return reply
        return texts.no_project(lang, query)
    return texts.project_choices(lang, query, choices[:8])


async def _exact_names(store: Store, query: str, hits: list[SearchHit]) -> list[SearchHit]:
    """The hits whose own name (folded: case, spaces, hyphens) is the query."""
    wanted = normalise(query)
    exact = []
    for hit in hits:
        if hit.kind == "project" and wanted not in normalise(hit.title):
            continue  # a project's names are its title: matched in the body only, not exact
        names: tuple[str | None, ...] = ()
        if hit.kind == "project":
            found = await store.project(hit.record_id)
            names = (found.name_zh, found.name_en) if found else ()
        elif hit.kind == "company":
            owner = await store.company(hit.record_id)
            names = (owner.name_zh, owner.short_zh, owner.name_en) if owner else ()
        if any(name and normalise(name) == wanted for name in names):
            exact.append(hit)
    return exact


async def stats_outcome(
    context: BotContext, view: FactsView, zone_id: str, lang: Lang
) -> Outcome | None:
    zone = view.zones.get(zone_id)
    if zone is None:
        return None
    store = context.store
    found = texts.breakdowns(await store.zone_figures(zone_id))
    if not found:
        return Outcome([texts.no_breakdown(lang, zone)])
    outcome = Outcome()
    charts = context.services.charts
    for breakdown in found[:3]:
        source = await store.source(breakdown.head.source)
        cache_key = (view.version, breakdown.head.id, lang)
        png = charts.get(cache_key)
        if png is None:
            # matplotlib is imported on first use only: it costs start-up time otherwise.
            from bot.core.charts import render_bars

            png = await asyncio.to_thread(
                render_bars, texts.chart_spec(lang, zone, breakdown, source)
            )
            if len(charts) > 200:
                charts.clear()
            charts[cache_key] = png
        outcome.photos.append((png, texts.stats_caption(lang, zone, breakdown, source)))
        outcome.replies.append(texts.stats_text(lang, zone, breakdown, source))
    return outcome


def _too_long(query: str) -> bool:
    return len(query) > MAX_QUERY


# ---- commands ------------------------------------------------------------------------------


async def zone(update: Update, context: BotContext) -> None:
    """/zone NAME: one zone's profile; choices when several or none match."""
    message = update.effective_message
    if message is None:
        return
    lang = context.lang
    query = _query_of(update)
    if _too_long(query):
        await _reply(message, texts.too_long(lang, MAX_QUERY))
        return
    view = await _view(context)
    await _reply(message, await _zone_answer(context, view, query, lang, _admin(update, context)))


async def _zone_answer(
    context: BotContext, view: FactsView, query: str, lang: Lang, admin: bool = False
) -> texts.Reply:
    match = view.index.resolve(query)
    if match.kind == "empty":
        return await zones_reply(context, view, 0, lang)
    if match.kind == "found":
        reply = await zone_reply(
            context, view, match.zone_id, lang, others=match.others, admin=admin
        )
        if reply is not None:
            return reply
    ids = match.zone_ids or match.suggestions or tuple(closest_zones(view.index.names, query))
    zones = [view.zones[z] for z in ids if z in view.zones]
    if match.kind == "ambiguous":
        reply = texts.zone_choices(lang, zones, query)
    else:
        reply = texts.no_zone(lang, query, zones)
    _add_place_button(context, view, query, match, reply, lang)
    return reply


def _add_place_button(
    context: BotContext,
    view: FactsView,
    query: str,
    match: ZoneMatch,
    reply: texts.Reply,
    lang: Lang,
) -> None:
    """苏州 names a city too: offer every zone there (/zones 苏州) beside the choices."""
    wanted = zone_directory.parse_filter(query, view.places)
    if wanted.unknown or (wanted.province is None and not wanted.cities):
        return
    if match.kind == "none" and wanted.types:
        return
    held = zone_directory.select(view.directory.values(), wanted)
    if not held:
        return
    key = directory_texts.filter_key(wanted, _tokens(context))
    reply.buttons.append(
        [directory_texts.place_button(wanted, len(held), key, lang, _city_provinces(held))]
    )


def _admin(update: Update, context: BotContext) -> bool:
    from handlers.basic import is_admin

    user = update.effective_user
    return is_admin(context, user.id if user else None)


async def zones(update: Update, context: BotContext) -> None:
    """/zones [province|city|type]: the zones, those with records first, filtered and paged."""
    message = update.effective_message
    if message is None:
        return
    query = _query_of(update)
    if _too_long(query):
        await _reply(message, texts.too_long(context.lang, MAX_QUERY))
        return
    view = await _view(context)
    wanted = zone_directory.parse_filter(query, view.places) if query else None
    await _reply(message, await zones_reply(context, view, 0, context.lang, wanted))


async def sector(update: Update, context: BotContext) -> None:
    """/sector NAME: projects and events of one sector across zones."""
    message = update.effective_message
    if message is None:
        return
    lang = context.lang
    query = _query_of(update)
    if _too_long(query):
        await _reply(message, texts.too_long(lang, MAX_QUERY))
        return
    view = await _view(context)
    await _reply(message, await sector_reply(context, view, query, 0, lang))


async def sectors(update: Update, context: BotContext) -> None:
    """/sectors: the national areas and the zones' own labels, with counts."""
    message = update.effective_message
    if message is None:
        return
    view = await _view(context)
    await _reply(message, await sectors_reply(context, view, context.lang))


async def project(update: Update, context: BotContext) -> None:
    """/project NAME: one project or company in full."""
    message = update.effective_message
    if message is None:
        return
    lang = context.lang
    query = _query_of(update)
    if not query:
        await _reply(message, texts.usage(lang, "project"))
        return
    if _too_long(query):
        await _reply(message, texts.too_long(lang, MAX_QUERY))
        return
    view = await _view(context)
    await _reply(message, await project_lookup(context, view, query, lang))


async def search(update: Update, context: BotContext) -> None:
    """/search TEXT: ranked results over zones, projects, companies, events and figures."""
    message = update.effective_message
    if message is None:
        return
    lang = context.lang
    query = _query_of(update)
    if not query:
        await _reply(message, texts.usage(lang, "search"))
        return
    if _too_long(query):
        await _reply(message, texts.too_long(lang, MAX_QUERY))
        return
    view = await _view(context)
    await _reply(message, await search_reply(context, view, query, 0, lang))


async def stats(update: Update, context: BotContext) -> None:
    """/stats ZONE: a chart of the zone's signings by sector, then the same figures as text."""
    message = update.effective_message
    if message is None:
        return
    lang = context.lang
    query = _query_of(update)
    if _too_long(query):
        await _reply(message, texts.too_long(lang, MAX_QUERY))
        return
    view = await _view(context)
    match = view.index.resolve(query)
    if match.kind == "found":
        outcome = await stats_outcome(context, view, match.zone_id, lang)
        if outcome is not None:
            await _deliver(message, outcome)
            return
    if match.kind == "empty":
        zones = sorted(view.zones.values(), key=lambda z: (-view.index.weights.get(z.id, 0), z.id))
        zones = zones[:20]
        await _reply(message, _chart_choices(texts.zone_choices(lang, zones, None)))
        return
    reply = await _zone_answer(context, view, query, lang)
    await _reply(message, _chart_choices(reply))


def _chart_choices(reply: texts.Reply) -> texts.Reply:
    """Zone choice buttons that open the chart instead of the profile."""
    reply.buttons = [
        [
            (label, "zc:" + data[2:]) if data.startswith("z:") else (label, data)
            for label, data in row
        ]
        for row in reply.buttons
    ]
    return reply


async def question(update: Update, context: BotContext) -> None:
    """Plain text in a private chat (or, in a group, a mention of the bot or a reply to it):
    a question in the user's own words, answered in one reply (handlers/ask.py)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    text: str | None = message.text
    if message.chat.type != "private":
        text = _without_mention(message, context.bot.username)
        replied = message.reply_to_message
        to_bot = replied is not None and replied.from_user is not None
        if text is None and to_bot and replied.from_user.id == context.bot.id:  # type: ignore[union-attr]
            text = message.text
    if text is None:
        return
    lang = context.lang
    query = clean_query(text)
    if not query:
        await _reply(message, texts.usage(lang, "search"))
        return
    if not _too_long(query):
        # Directory questions (苏州有哪些国家级开发区, 合肥高新区在哪个省, 江苏有多少个高新区)
        # are answered from the zone directory; everything else goes to the question engine.
        view = await _view(context)
        answer = zone_directory.answer_question(ask_input.prepare(query), view.places, view.index)
        if answer is not None:
            directory_answer = await directory_reply(context, view, answer, lang)
            if directory_answer is not None:
                await _reply(message, directory_answer)
                return
    from handlers import ask

    # Its lines kept: a long pasted message is cut to the lines and sentences that ask.
    lines = (clean_query(line) for line in text.splitlines())
    await ask.question(update, context, "\n".join(line for line in lines if line), message)


def _without_mention(message: Message, username: str | None) -> str | None:
    """The text with @botname removed, or None when the bot is not mentioned."""
    if not username or not message.text:
        return None
    mention = "@" + username.lower()
    found = False
    text = message.text
    for _entity, value in sorted(
        message.parse_entities([MessageEntity.MENTION]).items(), key=lambda kv: -kv[0].offset
    ):
        if value.lower() == mention:
            found = True
            text = text.replace(value, " ")
    return " ".join(text.split()) if found else None


# ---- buttons -------------------------------------------------------------------------------


async def button(update: Update, context: BotContext) -> None:
    """Every lookup button: answer the press, then show what it asks for."""
    query = update.callback_query
    if query is None:
        return
    try:
        outcome, edit = await _on_button(context, query.data or "", _admin(update, context))
    except Exception:
        await _answer(query, None)
        raise
    await _answer(query, outcome.notice)
    message = query.message
    if isinstance(message, Message):
        if edit and len(outcome.replies) == 1 and not outcome.photos:
            reply = outcome.replies[0]
            parts = split_message(reply.text)
            if len(parts) == 1:
                try:
                    await message.edit_text(
                        parts[0],
                        parse_mode=ParseMode.HTML,
                        reply_markup=_markup(reply),
                    )
                    return
                except BadRequest as exc:
                    if "not modified" in str(exc).lower():
                        return
                    log.info("could not edit a list message, sending anew: %s", exc)
        await _deliver(message, outcome)
        return
    chat_id = message.chat.id if message is not None else None
    if chat_id is None:
        return  # a button on an inline message: nothing to send to
    for png, caption in outcome.photos:
        await context.bot.send_photo(chat_id, png, caption=caption, parse_mode=ParseMode.HTML)
    for reply in outcome.replies:
        parts = split_message(reply.text)
        for number, part in enumerate(parts, 1):
            await context.bot.send_message(
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                reply_markup=_markup(reply) if number == len(parts) else None,
            )


async def _answer(query: object, text: str | None) -> None:
    try:
        await query.answer(text=text, show_alert=False)  # type: ignore[attr-defined]
    except BadRequest as exc:
        # Answered too late (the bot was down) or twice: nothing more to do for this press.
        log.info("could not answer a button press: %s", exc)


async def _on_button(context: BotContext, data: str, admin: bool) -> tuple[Outcome, bool]:
    """(what to show, whether to edit the pressed message in place)."""
    lang = context.lang
    pressed = unpack(data)
    if not isinstance(pressed, Lookup):
        return Outcome(notice=texts.unknown_button(lang)), False
    if pressed.counter:
        return Outcome(), False  # the page counter between the arrows: nothing to show
    prefix, edit = pressed.kind, pressed.edit
    view = await _view(context)
    arg, page = pressed.arg, pressed.page or 0
    reply: texts.Reply | None = None
    if prefix == "z":
        reply = await zone_reply(context, view, arg, lang, admin=admin)
    elif prefix == "zl":
        wanted = _filter_of_key(context, arg)
        if wanted is None:
            return Outcome(notice=texts.expired(lang)), False
        reply = await zones_reply(context, view, page, lang, wanted)
    elif prefix == "zp":
        reply = await zone_projects_reply(context, view, arg, page, lang)
    elif prefix == "ze":
        reply = await zone_events_reply(context, view, arg, page, lang)
    elif prefix == "zc":
        outcome = await stats_outcome(context, view, arg, lang)
        return (outcome or Outcome(notice=texts.gone(lang))), False
    elif prefix == "p":
        reply = await project_reply(context, view, arg, lang)
    elif prefix == "e":
        reply = await event_reply(context, view, arg, lang)
    elif prefix == "c":
        reply = await company_reply(context, view, arg, lang)
    elif prefix == "f":
        reply = await figure_reply(context, view, arg, lang)
    elif prefix == "s":
        text = _tokens(context).get(arg)
        if text is None:
            return Outcome(notice=texts.expired(lang)), False
        reply = await search_reply(context, view, text, page, lang)
    else:  # sp, sc
        name = _tokens(context).get(arg[1:]) if arg.startswith("~") else arg
        if not name:
            return Outcome(notice=texts.expired(lang)), False
        reply = await sector_reply(context, view, name, page, lang)
    if reply is None:
        return Outcome(notice=texts.gone(lang)), False
    return Outcome([reply]), edit


# ---- inline mode ---------------------------------------------------------------------------


async def inline(update: Update, context: BotContext) -> None:
    """@botname 昆山 in any chat: zone and project cards to send there."""
    inline_query = update.inline_query
    if inline_query is None:
        return
    lang = context.lang
    query = clean_query(inline_query.query)[:MAX_QUERY]
    view = await _view(context)
    results: list[InlineQueryResultArticle] = []
    seen: set[str] = set()

    async def add(result_id: str, title: str, description: str, reply: texts.Reply | None) -> None:
        if reply is None or result_id in seen or len(results) >= INLINE_RESULTS:
            return
        seen.add(result_id)
        results.append(
            InlineQueryResultArticle(
                id=result_id,
                title=title,
                description=description,
                input_message_content=InputTextMessageContent(
                    texts.first_part(reply.text),
                    parse_mode=ParseMode.HTML,
                ),
            )
        )

    match = view.index.resolve(query) if query else None
    zone_ids = (
        [*match.zone_ids, *match.others]
        if match is not None
        else sorted(view.zones, key=lambda z: (-view.index.weights.get(z, 0), z))[:INLINE_RESULTS]
    )
    for zone_id in zone_ids[:5] if query else zone_ids:
        zone_record = view.zones.get(zone_id)
        if zone_record is None:
            continue
        title, description = texts.inline_zone_title(lang, zone_record)
        card = await zone_reply(context, view, zone_id, lang)
        if card is not None:
            card.buttons = []
        await add(Lookup("z", zone_id).pack(), title, description, card)
    builders = {
        "project": project_reply,
        "company": company_reply,
        "event": event_reply,
        "figure": figure_reply,
    }
    # Projects and companies first: they are what staff share most; then events, figures.
    for kinds in (("project", "company"), ("event",), ("figure",)):
        if not query or len(results) >= INLINE_RESULTS:
            break
        hits = await context.store.search_kinds(query, kinds, limit=INLINE_RESULTS - len(results))
        for found in await _load_hits(context.store, view, hits):
            card = await builders[found.hit.kind](context, view, found.hit.record_id, lang)
            if card is not None:
                card.buttons = []
            title, description = texts.inline_hit_title(lang, found, _names(view))
            result_id = Lookup.record(found.hit.kind, found.hit.record_id).pack()
            await add(result_id, title, description, card)
    # Private mode: Telegram must never serve one user's results to another from its cache.
    private = context.settings.access == "private"
    await inline_query.answer(
        results, cache_time=INLINE_PRIVATE_CACHE if private else 30, is_personal=private
    )


# ---- registration --------------------------------------------------------------------------


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("zone", zone))
    app.add_handler(CommandHandler("zones", zones))
    app.add_handler(CommandHandler("sector", sector))
    app.add_handler(CommandHandler("sectors", sectors))
    app.add_handler(CommandHandler("project", project))
    app.add_handler(CommandHandler("search", search))
    app.add_handler(CommandHandler("stats", stats))
    app.add_handler(CallbackQueryHandler(button, pattern=pattern(Lookup)))
    app.add_handler(InlineQueryHandler(inline))
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, question)
    )
    app.add_handler(
        MessageHandler(
            filters.ChatType.GROUPS
            & filters.TEXT
            & ~filters.COMMAND
            & (filters.Entity(MessageEntity.MENTION) | filters.REPLY),
            question,
        )
    )
