"""Plain messages: questions in staff's own words, answered in one reply.

Parse (bot.core.questions), look names up in the store's name index and the zone names, decide
what is asked, read the few records it needs, render (bot.texts.answers), reply once. What the
person talked about is kept per (chat, user) in the store for follow-ups (它, 其中, "and the").
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz
from telegram import Message, Update

from bot.context import BotContext
from bot.core import ask_across, ask_frame, ask_input
from bot.core import ask_meaning as m
from bot.core import questions as q
from bot.core.ask_frame import Frame
from bot.core.conditions import Condition, Judged, follow_measure, judge, sector_labels
from bot.core.records import Company, Event, Project, Zone, ZoneFigure
from bot.core.schedule import zone_of
from bot.core.text import has_han, normalise
from bot.core.values import PartialDate
from bot.core.zone_cache import FactsView
from bot.texts import across as at
from bot.texts import answers as t
from bot.texts import clarify, together
from bot.texts import conditions as ct
from bot.texts import lookup as lookup_texts
from bot.texts.common import Lang, date, pick

log = logging.getLogger(__name__)

MAX_QUESTION = 200  # characters; longer input is not a question worth parsing
# Projects read for a size condition (10亿元以上): a zone's all, or the store's latest this many
# (said in the reply); reading and checking 1,000 takes about 30 ms.
CONDITION_READ = 1000
# Latest events and projects checked for one dated in the time asked (3月份有什么活动).
RECENT_SCAN = 200
# A question over every zone (哪些园区有新能源项目): the projects read at most, and the newest
# projects checked for a sector.
ACROSS_READ = 200
ACROSS_SCAN = 5000
# A zone's projects checked for a sector (昆山的人工智能项目有哪些).
ZONE_READ = 500
# 哪些园区有…以上的项目: the zones shown, and the projects shown under each.
ZONES_SHOWN = 8
PER_ZONE_SHOWN = 3
JOINT_LOOKED = 40  # matches of each joint search looked at (its count is "at least" past it)


@dataclass
class Focus:
    """What the answer is about; saved as the context of the next follow-up."""

    zone_id: str | None = None
    kind: str | None = None
    record_id: str | None = None
    figure_id: str | None = None
    frame: Frame | None = None  # the condition, stages and sectors asked, for 那新能源呢


@dataclass
class Outcome:
    reply: lookup_texts.Reply
    focus: Focus = field(default_factory=Focus)


class Asker:
    """One question, answered against the store."""

    def __init__(self, context: BotContext, view: FactsView, lang: Lang) -> None:
        self.soft = False
        self.zone_named = False
        self.zones_named: list[str] = []
        self.name_units: list[q.Unit] = []
        self.context = context
        self.store = context.store
        self.view = view
        self.lang = lang
        self.names = lookup_texts.Names(view.zones, view.labels, view.areas)
        # 今年 / last year are the year where the staff are: the app's clock in the bot's time
        # zone (at 16:00 UTC on 31 Dec it is already next year in China).
        tz = zone_of(None, context.settings.timezone)
        self.today = context.now().astimezone(tz).date()
        self.year = self.today.year
        self.parsed: q.Parsed | None = None
        # Sectors a follow-up keeps from the question before (那5亿以上的呢 after 新能源…).
        self.kept_sectors: tuple[str, ...] = ()
        self.reframed = False  # a follow-up that changes a size question's zone, sector or size
        self.kept_by_zone = False  # …of a "which zones" size question
        self.fanned = False  # one of the questions a "A和B分别…" question was split into
        self.left_out: list[str] = []  # zones left out (除了昆山…, outside Jiaxing)
        self.named = False  # a company, project or event named in the question

    # ---- entry ------------------------------------------------------------------------

    async def answer(self, text: str, ctx: Focus | None) -> Outcome:
        # A question typed in pinyin: the engine's own words and the sector labels read as
        # Chinese (xinnengyuan xiangmu -> 新能源 项目).
        text = ask_input.from_pinyin(text, tuple(sorted(self.view.labels)))
        typed_command = await self._command(text)
        if typed_command is not None:
            return typed_command
        parsed = q.parse(text, self.today)
        self.parsed = parsed
        if parsed.unread_size is not None:
            # A size that cannot be read sets no condition, and no list is passed off as
            # answering it: say what was not understood.
            return Outcome(ct.size_not_read(self.lang, parsed.unread_size), ctx or Focus())
        hits = await self._names(text)
        chosen = q.pick_names(hits)
        zones = [h for h in chosen if h.kind == "zone"]
        named = [h for h in chosen if h.kind != "zone"]
        if zones and not named:
            # A bare place name (北京) of a directory zone with no records may be part of a
            # record's name (祖冲之杯北京赛): if a record is found with those words left in,
            # the record is meant, not the zone.
            counts = await self.view.counts(self.store)
            weak = {
                h.record_id
                for h in zones
                if h.record_id not in counts and not q.names_zone_type(h.key.surface)
            }
            flat = q.squeeze(text)
            for hit in [h for h in zones if h.record_id in weak and h.key.start < 1000]:
                if await self._inside_a_name(flat, hit.key.start, hit.key.end):
                    chosen = [h for h in chosen if h.record_id != hit.record_id]
            zones = [h for h in chosen if h.kind == "zone"]
        self.left_out = ask_across.left_out(text, zones)
        joined = m.joined_names(text, chosen)
        if len(joined) >= 2 and not self.fanned and not m.compares(parsed):
            if m.asks_jointly(parsed):
                # 德加能源与丰茂的合作项目: the records involving them all.
                return await self._jointly(text, joined, ctx)
            # 昆山和咸宁的主导产业分别是什么, 德加能源和丰茂分别在哪个园区: each one asked alone.
            return await self._each(text, joined, ctx)
        if not zones and not named and not parsed.han:
            typo = m.latin_zone_typo(text, self.view.index)  # kunshn new energy projects?
            if typo is not None:
                zones = [typo]
                chosen = [*chosen, typo]
        if not named:
            fuzzy = await self._near_miss(text, chosen)
            if fuzzy is not None:
                named = [fuzzy]
                chosen = [*chosen, fuzzy]
        if not named:
            by_part = await self._by_part(text, chosen)
            if by_part is not None:
                named = [by_part]
                chosen = [*chosen, by_part]
        if (
            not zones
            and not named
            and m.asks_overall(parsed, q.terms(parsed, q.residue(text, []), q.fold(text)))
            and not m.points_back(parsed)
            and not m.sectors(parsed.text, self.view.labels)
        ):
            # 今年投资情况怎么样 with no subject and no 它/there: not about the last record
            # talked about; ask which zone or sector is meant.
            known = await self._zones_with_records()
            example = self.view.zones.get(ctx.zone_id) if ctx and ctx.zone_id else None
            return Outcome(together.which_subject(self.lang, known, example), ctx or Focus())
        guessed = next((h for h in named if h.guessed), None)
        no_context = ctx is None or not (ctx.zone_id or ctx.record_id or ctx.figure_id or ctx.frame)
        if no_context and not named:
            asked_back = await self._ask_back(parsed, zones)
            if asked_back is not None:
                return Outcome(asked_back)
        if ctx is not None and ctx.frame and not named:
            parsed = self._keep_frame(parsed, ctx.frame)
        if not zones and not named:
            unknown = q.named_zone(text)
            if unknown and not self.view.exact_zone(unknown):
                known = await self._zones_with_records()
                return Outcome(t.zone_not_held(self.lang, unknown, known))
        self.named = bool(named)
        focus = Focus()
        if zones:
            focus.zone_id = zones[0].record_id
        self.soft = False
        self.zone_named = bool(zones)
        self.zones_named = list(
            dict.fromkeys(h.record_id for h in sorted(zones, key=lambda h: h.key.start))
        )
        if named:
            focus.kind, focus.record_id = named[0].kind, named[0].record_id
        elif ctx is not None and ctx.record_id and not parsed.zone_pointer:
            same_zone = (
                not zones
                or ctx.zone_id in {h.record_id for h in zones}
                # 它在嘉兴有什么项目 after a company held with no zone: "it" is the company.
                or (ctx.zone_id is None and q.dangling(parsed) == "pointer")
            )
            if parsed.followup and same_zone:
                # "this" in "this year" is no pointer once another zone is named.
                focus.kind, focus.record_id = ctx.kind, ctx.record_id
            elif (
                not m.asks_for_a_list(parsed)
                and same_zone
                and not (zones and m.about_the_zone(parsed, zones))
            ):
                # (A zone named with its type, or with a count, ranking or amount:
                # 昆山高新区前5个月招了多少项目, 昆山高新区注册资本 ask about the zone, not the
                # last record.)
                # No pointer word: the last record stays in question unless the words of
                # this one fit another record clearly better (checked in _decide).
                focus.kind, focus.record_id = ctx.kind, ctx.record_id
                self.soft = True
        # The last zone, unless a list over the store is asked for (最近有什么签约).
        listed = m.asks_for_a_list(parsed) or parsed.condition is not None
        pointed = parsed.followup or parsed.zone_pointer or self.reframed or not listed
        if focus.zone_id is None and ctx is not None and not named and pointed:
            focus.zone_id = ctx.zone_id
        if ctx is not None and not named and not zones:
            focus.figure_id = ctx.figure_id
        spans = [(h.key.start, h.key.end) for h in chosen if h.key.start < 1000]
        latin_spans = [
            (h.key.start - 1000, h.key.end - 1000) for h in chosen if h.key.start >= 1000
        ]
        rest = q.residue(text, spans)
        latin_rest = m.blank(q.fold(text), latin_spans)
        units = q.terms(parsed, rest, latin_rest)
        # Names found still tell figures apart (已落户昆山的项目 vs 参赛项目).
        self.name_units = [
            q.Unit((h.key.surface,), 1.0, h.key.surface) for h in chosen if h.key.surface
        ]
        plain = (
            not parsed.intents
            and not parsed.stages
            and not parsed.followup
            and parsed.condition is None
        )
        if plain and not units:
            # Just a name (昆山, 德加能源, 幕墙项目): its full card, as the lookups show it.
            card = await self._card(zones, named)
            if card is not None:
                return Outcome(card, focus)
        if plain and not zones and not named and not await self.store.search_count(text):
            match = self.view.index.resolve(text)  # kunshn: a near miss of a zone's name
            if match.kind == "found":
                hit = q.NameHit("zone", match.zone_id, q.Key(text, 0, 0), 3)
                card = await self._card([hit], [])
                if card is not None:
                    return Outcome(card, Focus(zone_id=match.zone_id))
        if plain and not named and "?" not in parsed.text and await self.store.search_count(text):
            # Keywords, not a question (电池, 昆山 电池): the ranked matches, as /search shows.
            from handlers.lookup import search_reply

            return Outcome(await search_reply(self.context, self.view, text, 0, self.lang), focus)
        outcome = await self._decide(parsed, focus, units, text)
        if guessed is not None and outcome is not None:
            outcome.reply.text = (
                t.compose(
                    self.lang,
                    t.Answer(
                        guessed=await self._title(guessed.kind, guessed.record_id),
                        typed=guessed.key.surface,
                    ),
                ).text
                + "\n"
                + outcome.reply.text
            )
        if outcome is None:
            if await self.store.search_count(text):
                # Words that are in the store but answer nothing asked: the ranked matches.
                from handlers.lookup import search_reply

                return Outcome(await search_reply(self.context, self.view, text, 0, self.lang))
            return Outcome(t.nothing_found(self.lang, text), focus)
        return outcome

    async def _each(self, text: str, joined: list[q.NameHit], ctx: Focus | None) -> Outcome:
        """The question asked of each of the names joined in it (A和B…分别), one answer after
        the other in one reply."""
        outcomes: list[Outcome] = []
        for question in m.one_each(text, joined):
            asker = Asker(self.context, self.view, self.lang)
            asker.fanned = True
            outcomes.append(await asker.answer(question, ctx))
        reply = lookup_texts.Reply(
            "\n\n".join(o.reply.text for o in outcomes),
            [row for o in outcomes for row in o.reply.buttons][:6],
        )
        return Outcome(reply, outcomes[0].focus)

    async def _jointly(self, text: str, joined: list[q.NameHit], ctx: Focus | None) -> Outcome:
        """德加能源与丰茂的合作项目, what did A and B do together: the projects and events that
        involve all the names joined; when none does, said plainly, with each one's own."""
        lang = self.lang
        subjects: list[tuple[q.NameHit, object, str]] = []
        for hit in joined:
            if hit.kind == "zone":
                record: object = self.view.zones.get(hit.record_id)
            else:
                record = await self._load(hit.kind, hit.record_id)
            if record is not None:
                subjects.append((hit, record, self._display_name(record)))
        if len(subjects) < 2:
            return await self._each(text, joined, ctx)
        # The records naming them all: every record's search text holds its zone's names and
        # its owner's or participants' names, so one search of a name of each finds them.
        candidates: list[object] = []
        seen: set[tuple[str, str]] = set()
        forms = [m.search_forms(record) for _, record, _ in subjects]
        cut = False  # some search had more matches than were looked at
        for query in m.joint_searches(forms):
            rows = await self.store.search_kinds(query, ("project", "event"), limit=JOINT_LOOKED)
            cut = cut or len(rows) >= JOINT_LOOKED
            for row in rows:
                if (row.kind, row.record_id) not in seen:
                    seen.add((row.kind, row.record_id))
                    found = await self._load(row.kind, row.record_id)
                    if found is not None:
                        candidates.append(found)
        asked = [(h.kind, h.record_id, m.record_names(r)) for h, r, _ in subjects]
        both = m.involving_all(candidates, asked)
        names = [name for _, _, name in subjects]
        if both:
            lines = [together.joint_head(lang, names, len(both), at_least=cut)]
            lines += await self._items(both[:8])
            first = both[0]
            focus = Focus(
                zone_id=getattr(first, "zone", None), kind=m.kind_of(first), record_id=first.id
            )
            shown: list[object] = list(both)
        else:
            lines = [together.joint_none(lang, names, looked=JOINT_LOOKED if cut else None)]
            shown = []
            for hit, record, name in subjects:
                records = await self._own_records(hit, record)
                lines.append(together.own_head(lang, name))
                items = await self._items(records[:3])
                lines += items or [together.own_none(lang, name)]
                shown += records[:2]
            focus = ctx or Focus()
        ids = [getattr(r, "source", None) for r in shown[:2]]
        sources = [await self.store.source(sid) for sid in dict.fromkeys(ids) if sid]
        buttons = [
            [t.card_button(m.kind_of(r), getattr(r, "id", ""), self._display_name(r), lang)]
            for r in shown[:4]
        ] or [[t.card_button(h.kind, h.record_id, name, lang)] for h, _, name in subjects[:4]]
        answer = t.Answer(lines=lines, sources=[s for s in sources if s], buttons=buttons)
        return Outcome(t.compose(lang, answer), focus)

    async def _own_records(self, hit: q.NameHit, record: object) -> list[object]:
        """A few projects and events of one name: a company's own and those naming it, a
        zone's latest, a project or event itself."""
        if isinstance(record, Company):
            own: list[object] = list((await self.store.projects_of_company(record.id))[:3])
            seen = {getattr(r, "id", "") for r in own}
            names = m.record_names(record)
            for query in m.joint_searches([m.search_forms(record)]):
                for row in await self.store.search_kinds(query, ("event", "project"), limit=3):
                    if row.record_id in seen:
                        continue
                    found = await self._load(row.kind, row.record_id)
                    if found is not None and m.involves(found, "company", record.id, names):
                        seen.add(row.record_id)
                        own.append(found)
            return own
        if isinstance(record, Zone):
            return [
                *await self.store.projects_in_zone(record.id, limit=3),
                *await self.store.events_in_zone(record.id, limit=3),
            ]
        return [record]

    async def _items(self, records: Sequence[object]) -> list[str]:
        """One line per project or event, as lists show them."""
        owners = [r.company for r in records if isinstance(r, Project) and r.company]
        companies = await self.store.companies(owners) if owners else {}
        lines = []
        for r in records:
            if isinstance(r, Project):
                company = companies.get(r.company) if r.company else None
                lines.append(t.project_item(r, company, self.lang, self.names))
            elif isinstance(r, Event):
                lines.append(t.event_item(r, self.lang, self.names))
        return lines

    def _display_name(self, record: object) -> str:
        if isinstance(record, Company):
            return t.company_name(record, self.lang)
        if isinstance(record, Zone):
            return t.zone_name(record, record.id, self.lang)
        if isinstance(record, Project):
            return pick(self.lang, record.name_zh, record.name_en)
        if isinstance(record, Event):
            return pick(self.lang, record.title_zh, record.title_en)
        return ""

    async def _command(self, text: str) -> Outcome | None:
        """zone kunshan, search 招聘会: a command typed without its slash, run as the command
        when what follows is a zone (or has matches); None to read the message as a question."""
        found = ask_input.command_word(text)
        if found is None:
            return None
        command, rest = found
        from handlers import lookup

        if command == "zone":
            match = self.view.index.resolve(rest)
            if match.kind not in ("found", "ambiguous"):
                return None
            reply = await lookup._zone_answer(self.context, self.view, rest, self.lang)
            zone_id = match.zone_ids[0] if match.kind == "found" else None
            return Outcome(reply, Focus(zone_id=zone_id))
        if await self.store.search_count(rest):
            return Outcome(await lookup.search_reply(self.context, self.view, rest, 0, self.lang))
        return None

    def _keep_frame(self, parsed: q.Parsed, frame: Frame) -> q.Parsed:
        """那新能源呢 / 那咸宁呢 / 那5亿以上的呢 after a size question (or 那5亿以上的呢 after a
        list): the size condition, stages and sector not changed by the follow-up are kept."""
        if q.dangling(parsed) != "opener":
            return parsed
        condition = parsed.condition or frame.condition
        if condition is None:
            return parsed  # 那新一代信息技术呢 after a list of signings: answered as before
        if parsed.condition is not None and frame.condition is not None:
            condition = follow_measure(parsed.condition, frame.condition, parsed.text)
        self.reframed = True
        self.kept_by_zone = frame.by_zone
        if not m.sectors(parsed.text, self.view.labels):
            self.kept_sectors = frame.sectors
        parsed = replace(parsed, condition=condition, stages=parsed.stages or frame.stages)
        self.parsed = parsed
        return parsed

    async def _ask_back(
        self, parsed: q.Parsed, zones: list[q.NameHit]
    ) -> lookup_texts.Reply | None:
        """A follow-up with nothing before it (那新一代信息技术呢, "And in Suzhou?", its chairman):
        ask what is meant rather than guess; None when the message stands on its own."""
        lean = q.dangling(parsed)
        if lean is None:
            return None
        sectors = m.sectors(parsed.text, self.view.labels)
        # What the message asks of its own ("And which zone has the most projects?",
        # 那5亿以上的呢): answerable without the earlier question; a time alone (那2027年呢) is not.
        own = (
            bool(parsed.stages)
            or parsed.condition is not None
            or bool(parsed.intents - {"does", "recent"})
        )
        if lean == "pointer" and zones:
            return None  # 它在昆山…: the zone named is what it points at
        if lean == "opener" and (own or (zones and sectors)):
            return None  # "What about new-generation IT in Kunshan?"
        lang = self.lang
        if zones:
            place = zones[0].key.surface or zones[0].record_id
            match = self.view.index.resolve(place)
            ids = list(match.zone_ids) + [z for z in match.others if z not in match.zone_ids]
            if zones[0].record_id not in ids:
                ids.insert(0, zones[0].record_id)
            found = [self.view.zones[z] for z in ids if z in self.view.zones]
            shown = place if has_han(place) else place.title()
            return clarify.what_about_zone(lang, shown, found)
        if sectors:
            # The zones reporting a figure of that sector first, then those with most records.
            counts = await self.view.counts(self.store)
            held = await self._zones_with_records()

            async def rank(zone: Zone) -> tuple[bool, int]:
                figures = await self.store.zone_figures(zone.id)
                held_n = counts[zone.id].projects + counts[zone.id].events
                return (not any(f.sector == sectors[0] for f in figures), -held_n)

            keys = {z.id: await rank(z) for z in held[:12]}
            held = sorted(held[:12], key=lambda z: keys[z.id])
            return clarify.which_zone(lang, self.names.label(sectors[0], lang), held)
        return clarify.what_is_meant(lang, await _examples(self.context, self.view))

    async def _card(
        self, zones: list[q.NameHit], named: list[q.NameHit]
    ) -> lookup_texts.Reply | None:
        from handlers import lookup

        if len(named) == 1 and not zones:
            hit = named[0]
            if hit.kind == "company":
                owned = await self.store.projects_of_company(hit.record_id)
                if len(owned) == 1:
                    return await lookup.project_reply(
                        self.context, self.view, owned[0].id, self.lang
                    )
                return await lookup.company_reply(self.context, self.view, hit.record_id, self.lang)
            if hit.kind == "project":
                return await lookup.project_reply(self.context, self.view, hit.record_id, self.lang)
            if hit.kind == "event":
                return await lookup.event_reply(self.context, self.view, hit.record_id, self.lang)
        if len(zones) == 1 and not named:
            return await lookup.zone_reply(self.context, self.view, zones[0].record_id, self.lang)
        return None

    async def _names(self, text: str) -> list[q.NameHit]:
        keys = q.name_keys(text)
        hits: list[q.NameHit] = []
        index = self.view.index.names
        for key in keys:
            for zone_id in sorted(index.get(key.key, ())):
                zone = self.view.zones.get(zone_id)
                if key.by_pinyin and key.surface and not m.zone_sound_ok(key, zone):
                    continue
                hits.append(q.NameHit("zone", zone_id, key, 3))
        await self.store.ensure_entity_names()
        rows = await self.store.find_names([k.key for k in keys])
        by_key: dict[str, list[q.Key]] = {}
        for key in keys:
            by_key.setdefault(key.key, []).append(key)
        for row in rows:
            for key in by_key.get(row.name, ()):
                if key.by_pinyin and row.quality >= 3 and has_han(row.name):
                    continue  # a Chinese name matched as Chinese already
                hits.append(q.NameHit(row.kind, row.record_id, key, row.quality))
        return hits

    async def _inside_a_name(self, flat: str, start: int, end: int) -> bool:
        """Whether the words at flat[start:end], with a neighbouring character, stand in a
        record's name (北京 in 祖冲之杯北京赛)."""
        windows = [flat[start : end + 1], flat[max(0, start - 1) : end]]
        for window in windows:
            if len(window) <= end - start or not has_han(window):
                continue
            hits = await self.store.search_kinds(window, ("event", "project", "company"), limit=3)
            if any(window in normalise(h.title) for h in hits):
                return True
        return False

    async def _by_part(self, text: str, chosen: list[q.NameHit]) -> q.NameHit | None:
        """幕墙那个项目: the one project (or company) whose name holds the word."""
        rest = q.residue(text, [(h.key.start, h.key.end) for h in chosen if h.key.start < 1000])
        for word, kind in q.kind_phrases(rest):
            hits = await self.store.search_kinds(word, (kind,), limit=3)
            named = [h for h in hits if word in normalise(h.title)]
            if len(named) == 1:
                flat = q.squeeze(text)
                at = flat.find(word)
                key = q.Key(word, at, at + len(word), False, word)
                return q.NameHit(kind, named[0].record_id, key, 2)
        return None

    async def _near_miss(self, text: str, chosen: list[q.NameHit]) -> q.NameHit | None:
        """中联重工 for 中联重科: names sharing the first two characters, close enough."""
        rest = q.residue(text, [(h.key.start, h.key.end) for h in chosen if h.key.start < 1000])
        w = q.words()
        for word in w.question_words:
            if len(word) >= 2:
                rest = rest.replace(word, " ")
        for run in [r for r in rest.split() if len(r) >= 3][:3]:
            for start in range(0, max(1, len(run) - 2)):
                piece = run[start:]
                rows = await self.store.names_with_prefix(piece[:2])
                best: tuple[float, q.NameRow] | None = None  # type: ignore[name-defined]
                for row in rows:
                    if not has_han(row.name) or len(row.name) < 3:
                        continue
                    value = fuzz.ratio(row.name, piece[: len(row.name)])
                    if value >= 74 and (best is None or value > best[0]):
                        best = (value, row)
                if best is not None:
                    row = best[1]
                    flat = q.squeeze(text)
                    at = flat.find(piece[: len(row.name)])
                    key = q.Key(row.name, at, at + len(row.name), True, piece[: len(row.name)])
                    return q.NameHit(row.kind, row.record_id, key, row.quality)
        return None

    # ---- deciding -----------------------------------------------------------------------

    async def _decide(
        self, parsed: q.Parsed, focus: Focus, units: list[q.Unit], text: str
    ) -> Outcome | None:
        intents = parsed.intents
        named_sectors = m.sectors(parsed.text, self.view.labels)
        if (
            ask_across.asks_across(parsed, named_sectors, self.left_out)
            and not self.named
            and (self.left_out or focus.record_id is None or not m.points_back(parsed))
        ):
            # 哪些园区有签约项目, 除了昆山还有哪些园区有新能源项目: the projects of every zone.
            return await self._across(parsed, named_sectors)
        by_zone = parsed.condition is not None and (
            q.asks_which_zones(parsed) or (self.kept_by_zone and not self.zone_named)
        )
        if by_zone and (focus.record_id is None or self.soft or self.reframed):
            # 哪些园区有投资超过5亿元的项目: a size question over the store, by zone.
            assert parsed.condition is not None
            return await self._condition_list(parsed, parsed.condition, Focus(), by_zone=True)
        if "zones_list" in intents and focus.record_id is None:
            zones = sorted(self.view.zones.values(), key=lambda z: z.id)
            counts = await self.view.counts(self.store)
            with_records = {z for z, c in counts.items() if c.projects or c.events}
            return Outcome(t.zones_held(self.lang, zones, with_records), Focus())
        record = await self._load(focus.kind, focus.record_id)
        if record is None:
            focus.kind = focus.record_id = None
        if (
            isinstance(record, Company)
            and not self.soft
            and m.asks_for_projects(parsed)
            and not parsed.stages
            and not intents & {"who", "when", "where", "founded", *m.MONEY_INTENTS}
        ):
            # 德加能源有什么项目, does Dejia Energy have any projects: its projects, listed.
            return await self._company_projects(record, focus)
        # A company asked about as a project (丰茂项目投产了吗, 德加能源项目哪年签约): its project.
        if isinstance(record, Company) and (
            "项目" in parsed.text
            or "project" in parsed.text
            or parsed.stages
            or any(i in intents for i in m.MONEY_INTENTS)
            or ("when" in intents and "founded" not in intents)
        ):
            owned = await self.store.projects_of_company(record.id)
            if owned:
                record, focus.kind, focus.record_id = owned[0], "project", owned[0].id
        if (
            record is not None
            and "leading" in intents
            and (self.soft or not isinstance(record, Company))
        ):
            # 主导产业 belongs to a zone: the zone of the record in question.
            focus.zone_id = focus.zone_id or getattr(record, "zone", None)
            record, focus.kind, focus.record_id = None, None, None
        if (
            (record is None or self.soft)
            and focus.zone_id
            and len(self.zones_named) == 1
            and ask_across.asks_zone_projects(parsed)
        ):
            # 嘉兴高新区有什么项目: the zone's projects held (and, with none, its events).
            listed = await self._zone_projects(focus.zone_id, named_sectors)
            if listed is not None:
                return listed
        if parsed.condition is not None and (record is None or self.soft or self.reframed):
            # 昆山高新区2000亩以上签约了哪些项目: the projects that meet the size asked.
            return await self._condition_list(parsed, parsed.condition, focus)
        sectors = m.sectors(parsed.text, self.view.labels)
        if (
            record is None
            and self.zone_named
            and not intents
            and parsed.period is not None
            and parsed.period.first_month is not None
            and not parsed.stages
            and ("项目" in parsed.text or q.contains_word(parsed.text, "projects"))
            and not m.asks_for_projects(parsed)
        ):
            # "kunshan tech projects jan-may?": a zone, projects and a period named with no
            # question word: how many, as the zone's figure of that period says.
            intents = intents | {"count"}
            parsed = replace(parsed, intents=intents)
            self.parsed = parsed
        other_year = parsed.period is not None and parsed.period.relative != "this"
        wants_figure = (
            bool(intents & m.FIGURE_INTENTS)
            or (parsed.top is not None and record is None)
            or (
                focus.figure_id is not None
                and (bool(sectors) or (record is None and (parsed.followup or parsed.period)))
            )
            or (
                # "kunshan new energy projects?": a zone and a sector named, nothing else
                # asked: the zone's figure of that sector, when it reports one.
                record is None
                and self.zone_named
                and bool(sectors)
                and not intents - {"count", "recent"}
                and not parsed.stages
            )
            or (
                # "What will Kunshan attract in 2027?": a zone's figure asked of another year.
                record is None
                and other_year
                and bool(parsed.period and parsed.period.has_year)
                and focus.zone_id is not None
            )
        )
        if not isinstance(record, Project) and any(i in intents for i in m.MONEY_INTENTS):
            wants_figure = True  # 注册资本多少 of a zone: a reported figure
        if self.soft and record is not None and not (wants_figure and sectors):
            record = await self._better_record(record, focus, units)
        if focus.zone_id is None and record is not None:
            focus.zone_id = getattr(record, "zone", None)
        if wants_figure and not (
            isinstance(record, Project) and any(i in intents for i in m.MONEY_INTENTS)
        ):
            found = await self._figures(parsed, focus, record, sectors, units)
            if found is not None:
                return found
        if record is not None:
            structured = await self._about(parsed, focus, record, units)
            if structured is not None:
                return structured
        if parsed.stages and (record is None or (self.soft and isinstance(record, Event))):
            listed = await self._stage_list(parsed, focus)
            if listed is not None:
                return listed
        if "recent" in intents and record is None:
            recent = await self._recent(parsed, focus, units)
            if recent is not None:
                return recent
        vague = not any(u.weight >= 1.0 and u.word not in q.words().generic for u in units)
        if record is None and focus.zone_id and self.zone_named and "where" in intents and vague:
            # 昆山高新区在哪: the zone's place; "where were the Xianning job fairs held" asks
            # about a record of the zone (its words say which), answered below.
            zone = self.view.zones.get(focus.zone_id)
            if zone is not None:
                return await self._zone_answer(zone, [t.zone_where(zone, lang=self.lang)], focus)
        if record is None and focus.zone_id and "leading" in intents:
            zone = self.view.zones.get(focus.zone_id)
            if zone is not None:
                return await self._zone_answer(
                    zone, t.leading_lines(zone, self.lang, self.names), focus
                )
        asked_period = parsed.period
        if (
            record is None
            and not self.zone_named
            and not self.named
            and asked_period is not None
            and asked_period.year is not None
            and intents & set(m.MONEY_INTENTS)
            and not intents & {"who", "where", "founded", "companies"}
        ):
            # 2024年规上工业产值是多少: an amount of a year, of no zone or record named; no
            # record's figure of another kind (or of no year) is passed off as the answer.
            typed = [u.typed or u.word for u in units if u.weight >= 1.0]
            words = " ".join(dict.fromkeys(typed)) or parsed.text
            reply = t.amount_not_held(self.lang, asked_period.label, words)
            return Outcome(t.compose(self.lang, t.Answer(lines=[reply])), focus)
        if record is None and intents & m.STRUCTURED:
            # 谁给雅加达绿洲双塔提供的塔机: the record the words fit best, asked as by name.
            best = await self._best_sentences(parsed, focus, None, units)
            if best and best[0][1].kind in m.NAMED:
                top = best[0][1]
                target = await self._load(top.kind, top.record_id)
                if target is not None:
                    sub = Focus(
                        zone_id=getattr(target, "zone", None),
                        kind=top.kind,
                        record_id=top.record_id,
                    )
                    answered = await self._about(parsed, sub, target, units)
                    if answered is not None:
                        return answered
        return await self._passages(parsed, focus, record, units, text)

    async def _company_projects(self, company: Company, focus: Focus) -> Outcome:
        """A company's projects held, each with its zone, stage and date, and their sources."""
        lang = self.lang
        owned = await self.store.projects_of_company(company.id)
        lines = [t.company_projects_head(lang, company, len(owned))]
        lines += [t.project_item(p, company, lang, self.names) for p in owned[:8]]
        ids = [p.source for p in owned[:2]] or [company.source]
        sources = [await self.store.source(sid) for sid in dict.fromkeys(ids) if sid]
        buttons = [
            [t.card_button("project", p.id, pick(lang, p.name_zh, p.name_en), lang)]
            for p in owned[:4]
        ] or [[t.card_button("company", company.id, t.company_name(company, lang), lang)]]
        answer = t.Answer(lines=lines, sources=[s for s in sources if s], buttons=buttons)
        if len(owned) == 1:
            focus = Focus(zone_id=owned[0].zone, kind="project", record_id=owned[0].id)
        return Outcome(t.compose(lang, answer), focus)

    async def _zone_projects(self, zone_id: str, sectors: list[str]) -> Outcome | None:
        """A zone's projects held (of the sector asked), newest first, each with its stage and
        date, and the zone's reported figure of that sector; with none, said plainly, then the
        zone's events (a zone's news is often an event, not a project)."""
        lang = self.lang
        counts = await self.view.counts(self.store)
        held = counts[zone_id].projects if zone_id in counts else 0
        if not held and not (zone_id in counts and counts[zone_id].events):
            return None  # a directory zone with no records: its own honest card answers
        zone = self.names.zone(zone_id, lang)
        figures: list[ZoneFigure] = []
        topic = None
        if sectors:
            covered = sector_labels(sectors, self.view.labels, self.view.areas)
            read = await self.store.projects_in_zone(zone_id, limit=ZONE_READ) if held else []
            matching = [p for p in read if covered & set(p.sectors)]
            held, projects = len(matching), matching[:8]
            topic = self.names.label(sectors[0], lang)
            figures = [f for f in await self.store.zone_figures(zone_id) if f.sector in covered]
        else:
            projects = await self.store.projects_in_zone(zone_id, limit=8) if held else []
        shown: list[object] = list(projects)
        lines = [at.zone_projects_head(lang, zone, held, topic)]
        lines += await self._project_items(projects)
        if held > len(projects):
            lines.append(at.more(lang, held - len(projects)))
        if figures:
            lines.append(at.reported_head(lang))
            lines += ["· " + t.figure_line(f, lang, self.names, with_zone=False) for f in figures]
        if not projects and not figures:
            events = await self.store.events_in_zone(zone_id, limit=3)
            if events and not sectors:
                lines.append(at.zone_events_head(lang, zone))
                lines += [t.event_item(e, lang, self.names) for e in events]
                shown += events
        ids = [getattr(r, "source", None) for r in [*shown[:2], *figures[:1]]]
        sources = [await self.store.source(sid) for sid in dict.fromkeys(ids) if sid]
        buttons = [
            [t.card_button(m.kind_of(r), getattr(r, "id", ""), self._display_name(r), lang)]
            for r in shown[:3]
        ]
        buttons.append([t.card_button("zone", zone_id, zone, lang)])
        answer = t.Answer(lines=lines, sources=[s for s in sources if s], buttons=buttons)
        focus = Focus(zone_id=zone_id)
        if len(projects) == 1:
            focus = Focus(zone_id=zone_id, kind="project", record_id=projects[0].id)
        if figures:
            focus.figure_id = figures[0].id
        return Outcome(t.compose(lang, answer), focus)

    async def _better_record(self, record: object, focus: Focus, units: list[q.Unit]) -> object:
        """The last record, unless this question's words fit another one clearly better."""
        words = q.search_words(units)
        if not words:
            return record
        typed = [q.Unit((u.word,), u.weight, u.word) for u in units]

        def fit(rec: object) -> float:
            text = m.record_text(rec, True) + " " + m.record_text(rec, False)
            return q.score(text, units) + q.score(m.title_of(rec), typed)

        own = fit(record)
        best: tuple[float, object] | None = None
        for hit in await self.store.search_any(words, kinds=m.NAMED, limit=5):
            if hit.record_id == getattr(record, "id", None):
                continue
            other = await self._load(hit.kind, hit.record_id)
            if other is None:
                continue
            if self.zone_named and getattr(other, "zone", None) != focus.zone_id:
                continue  # the zone named in this question stays
            value = fit(other)
            if best is None or value > best[0]:
                best = (value, other)
        if best is not None and best[0] > own + 0.9:
            chosen = best[1]
            focus.kind, focus.record_id = m.kind_of(chosen), getattr(chosen, "id", None)
            focus.zone_id = getattr(chosen, "zone", None) or focus.zone_id
            focus.figure_id = None
            return chosen
        return record

    # ---- figures ------------------------------------------------------------------------

    async def _figures(
        self,
        parsed: q.Parsed,
        focus: Focus,
        record: object,
        sectors: list[str],
        units: list[q.Unit],
    ) -> Outcome | None:
        intents = parsed.intents
        lang = self.lang
        content = units
        units = [*units, *self.name_units]
        event_fit = (
            max(q.score(f"{f.name_zh} {f.name_en or ''}", units) for f in record.figures)
            if isinstance(record, Event) and record.figures
            else 0.0
        )
        if self.soft and focus.zone_id and isinstance(record, Event):
            zone_fit = max(
                (
                    q.score(f"{f.name_zh} {f.name_en or ''}", units)
                    for f in await self.store.zone_figures(focus.zone_id)
                ),
                default=0.0,
            )
            if zone_fit > event_fit:
                record = None
        content_fit = (
            max(q.score(f"{f.name_zh} {f.name_en or ''}", content) for f in record.figures)
            if isinstance(record, Event) and record.figures
            else 0.0
        )
        if isinstance(record, Event) and record.figures and not sectors and content_fit >= 1.0:
            return await self._event_figure_answer(record, units, focus)
        # Comparing zones: 四个高新区里哪个招引的项目最多
        zone_words = ("高新区", "园区", "zone", "park")
        several = len(self.zones_named) >= 2  # 昆山和嘉兴哪个项目多: those zones only
        if (
            ("most" in intents or "least" in intents or "compare" in intents)
            and (several or any(w in parsed.text for w in zone_words))
            and not sectors
            and (
                several or focus.zone_id is None or "哪个" in parsed.text or "which" in parsed.text
            )
        ):
            heads = await self.store.head_figures()
            if several:
                heads = [f for f in heads if f.zone in self.zones_named]
                if not heads:
                    # None of the zones named reports a figure: said, nothing compared.
                    absent = [self.names.zone(z, lang) for z in self.zones_named]
                    lines = t.zone_ranking_lines([], 0, True, lang, self.names, absent)
                    lines.append(await self._held_line())
                    return Outcome(t.compose(lang, t.Answer(lines=lines)), focus)
            w = q.words()
            plain = w.generic | {q.fold(k) for keys in w.intents.values() for k in keys}
            asked = [
                u
                for u in content
                if u.weight >= 1.0 and q.fold(u.word) not in plain | w.english_stop
            ]
            if asked and not any(q.score(f"{f.name_zh} {f.name_en or ''}", asked) for f in heads):
                # 哪个园区签约金额最高, 哪个园区招聘会招到的人最多: no zone's figure measures
                # what is asked; another figure is not ranked in its place.
                heads = []
                matches = [await self.store.search_count(u.typed or u.word) for u in asked[:4]]
                if not any(matches):
                    lines = [t.no_zone_measure(lang)]
                    return Outcome(t.compose(lang, t.Answer(lines=lines)), focus)
                # 哪个园区招聘会招到的人最多: an event's own figures may measure it.
                for unit, count in zip(asked, matches, strict=False):
                    if not count:
                        continue
                    rows = await self.store.search_kinds(unit.typed or unit.word, ("event",), 3)
                    for row in rows:
                        event = await self._load("event", row.record_id)
                        if isinstance(event, Event) and event.figures:
                            sub = Focus(zone_id=event.zone, kind="event", record_id=event.id)
                            return await self._event_figure_answer(event, units, sub)
            if heads:
                best_name = max(
                    heads,
                    key=lambda f: (
                        q.score(f"{f.name_zh} {f.name_en or ''}", units)
                        + 0.1 * (f.value.unit == "个")
                    ),
                )
                same = [
                    f
                    for f in heads
                    if f.name_zh == best_name.name_zh and f.value.unit == best_name.value.unit
                ]
                same, apart = m.one_period(parsed, same, self.year)
                absent = [
                    self.names.zone(z, lang)
                    for z in self.zones_named
                    if several and z not in {f.zone for f in [*same, *apart]}
                ]
                lines = t.zone_ranking_lines(
                    same, len(self.view.zones), "least" not in intents, lang, self.names, absent
                )
                if apart:
                    lines += t.other_period_lines(apart, lang, self.names)
                if absent:
                    lines.append(await self._held_line())
                self._period_first(parsed, same[0].period, lines, exact=True)
                sources = [await self.store.source(f.source) for f in same[:3]]
                answer = t.Answer(
                    lines=lines,
                    sources=sources,
                    buttons=[
                        [t.card_button("zone", f.zone, self.names.zone(f.zone, lang), lang)]
                        for f in same[:3]
                    ],
                )
                return Outcome(
                    t.compose(lang, answer), Focus(zone_id=same[0].zone, figure_id=same[0].id)
                )
        zone_id = focus.zone_id
        if zone_id is None and focus.figure_id:
            got = await self.store.figures_by_id([focus.figure_id])
            zone_id = got[0].zone if got else None
        pool: list[ZoneFigure] = []
        if zone_id:
            pool = await self.store.zone_figures(zone_id)
        else:
            words = sectors + q.search_words(units)
            hits = await self.store.search_any(words, kinds=("figure",), limit=12) if words else []
            pool = await self.store.figures_by_id([h.record_id for h in hits])
        if not pool:
            found = await self._event_figures(parsed, focus, units, content, 0.0, zone_id)
            if found is not None or not zone_id or not self.zone_named:
                return found
            zone = self.view.zones.get(zone_id)
            asks_projects = "项目" in parsed.text or "project" in parsed.text
            if zone is None or "count" not in intents or not asks_projects or parsed.stages:
                return None
            # 常德高新区1—5月招引了多少项目: the zone reports no such figure here; say so, and
            # what the store does hold of it (records, not reported figures).
            held = (await self.view.counts(self.store)).get(zone_id)
            lines = [
                t.no_zone_figure(
                    t.zone_name(zone, zone_id, lang),
                    parsed.period.label if parsed.period else None,
                    held.projects if held else 0,
                    held.events if held else 0,
                    lang,
                )
            ]
            return await self._zone_answer(zone, lines, focus)
        by_id = {f.id: f for f in pool}
        picked = [f for s in sectors for f in pool if f.sector == s]
        if sectors and len(picked) < len(sectors):
            # 医美 names the part 生命健康(医美): match the label inside figure names too.
            for s in sectors:
                if not any(f.sector == s for f in picked):
                    picked += [f for f in pool if s in f.name_zh and f not in picked]
        if (
            not picked
            and focus.figure_id in by_id
            and (parsed.followup or parsed.period)
            and not intents & {"most", "least", "compare", "breakdown", "each"}
        ):
            # "And the emerging ones?", "那2027年呢": another figure named by its own words,
            # or the same figure asked of another time.
            anchor = by_id[focus.figure_id]  # type: ignore[index]
            picked = m.figure_by_words(pool, content, self.view.labels)
            if not picked and parsed.period is not None:
                picked = [anchor]
        heads = [f for f in pool if f.part_of is None]
        parent_id = picked[0].part_of if picked else None
        if parent_id is None and focus.figure_id in by_id:
            anchor = by_id[focus.figure_id]  # type: ignore[index]
            if anchor.part_of or any(f.part_of == anchor.id for f in pool):
                parent_id = anchor.part_of or anchor.id
        if parent_id is None:
            with_parts = [h for h in heads if any(f.part_of == h.id for f in pool)]
            if with_parts:
                parent_id = max(
                    with_parts, key=lambda h: q.score(f"{h.name_zh} {h.name_en or ''}", units)
                ).id
        parts = [f for f in pool if parent_id and f.part_of == parent_id]
        lines = []
        shown: list[ZoneFigure] = []
        whole = parsed.top is not None or intents & {"breakdown", "each"}
        if whole and parts and len(picked) < 2:
            # 前三的领域, 各领域分别多少, "each sector": the total, then its parts ranked.
            head = by_id.get(parent_id or "")
            lines = [t.figure_line(head, lang, self.names)] if head else []
            if parsed.top is not None:
                most = "least" not in intents
                lines += t.top_lines(parts, parsed.top, lang, self.names, most)
            else:
                ranked = sorted(parts, key=lambda f: -f.value.value)
                lines += [t.figure_line(k, lang, self.names, False) for k in ranked]
            shown = [head] if head else parts[:1]
        elif ("most" in intents or "least" in intents) and parts and not picked:
            lines = t.extreme_lines(parts, "most" in intents, lang, self.names)
            head = by_id.get(parent_id or "")
            if head is not None:
                lines.insert(0, t.figure_line(head, lang, self.names))
            shown = [head] if head else parts[:1]
        elif len(picked) >= 2 and "compare" in intents:
            lines = t.compare_lines(picked[0], picked[1], lang, self.names)
            shown = picked[:2]
        elif picked:
            lines = [t.figure_line(f, lang, self.names) for f in picked]
            shown = picked
        else:
            dated = parsed.period is not None and parsed.period.has_year
            if not intents & {"count", "breakdown", *m.MONEY_INTENTS} and not dated:
                return None
            # Of figures that fit as well, the one of the time asked (今年: 2026, not 2025).
            scored = sorted(
                pool,
                key=lambda f: (
                    -(q.score(f"{f.name_zh} {f.name_en or ''} {f.sector or ''}", units)),
                    not m.covers(parsed, f, self.year),
                ),
            )
            top = scored[0]
            top_fit = q.score(f"{top.name_zh} {top.name_en or ''} {top.sector or ''}", content)
            # A figure reported with an event (6 entries landed) may fit better than a total.
            found = await self._event_figures(parsed, focus, units, content, top_fit, zone_id)
            if found is not None:
                return found
            if top_fit < 1.0:
                # 昆山高新区前五个月招了多少项目: a count of projects, in words no figure's
                # name shares; the zone's one headline count of projects answers it.
                counts = [
                    f
                    for f in pool
                    if f.part_of is None and f.value.unit == "个" and "项目" in f.name_zh
                ]
                asks_projects = "项目" in parsed.text or "project" in parsed.text
                vague = not any(u.weight >= 1.0 for u in content)
                asked_of_zone = record is None and self.zone_named and vague
                if not (asked_of_zone and asks_projects and "count" in intents):
                    return None
                if len(counts) != 1:
                    return None
                top = counts[0]
            if "breakdown" in intents or "each" in intents:
                kids = [f for f in pool if f.part_of == top.id]
                lines = [t.figure_line(top, lang, self.names)] + [
                    t.figure_line(k, lang, self.names, False) for k in kids
                ]
            else:
                lines = [t.figure_line(top, lang, self.names)]
            shown = [top]
        if not shown:
            return None
        self._period_first(parsed, shown[0].period, lines, exact=True)
        first = shown[0]
        sources = [await self.store.source(first.source)]
        answer = t.Answer(
            lines=lines,
            sources=sources,
            buttons=[
                [
                    t.card_button(
                        "figure", first.id, pick(lang, first.name_zh, first.name_en), lang
                    ),
                    t.card_button("zone", first.zone, self.names.zone(first.zone, lang), lang),
                ]
            ],
        )
        return Outcome(t.compose(lang, answer), Focus(zone_id=first.zone, figure_id=first.id))

    async def _held_line(self) -> str:
        """The project records held for each zone the question named."""
        counts = await self.view.counts(self.store)
        held = [
            (self.names.zone(z, self.lang), counts[z].projects if z in counts else 0)
            for z in self.zones_named
        ]
        return t.held_counts_line(held, self.lang)

    def _period_first(
        self, parsed: q.Parsed, period: PartialDate | None, lines: list[str], *, exact: bool
    ) -> bool:
        """When the fact is not of the time asked (2027年, 上半年, last year), the answer's
        first line says so and names the fact's own period; True when it did."""
        asked = parsed.period
        if asked is None:
            return False
        p = period
        covered = q.period_covers(
            asked,
            p.year if p else None,
            p.month if p else None,
            p.end_month if p else None,
            self.year,
            exact=exact,
            day=p.day if p else None,
        )
        if covered:
            return False
        lines.insert(
            0, t.period_not_held(asked.label, period, asked.has_year, self.lang, figure=exact)
        )
        return True

    async def _event_figures(
        self,
        parsed: q.Parsed,
        focus: Focus,
        units: list[q.Unit],
        content: list[q.Unit],
        to_beat: float,
        zone_id: str | None,
    ) -> Outcome | None:
        """The event whose reported figures fit the question (21 entries, 86 intents)."""
        if not parsed.intents & {"count"}:
            return None
        words = q.search_words(content)
        restrict = zone_id if self.zone_named else None
        hits = (
            await self.store.search_any(words, kinds=("event",), zone_id=restrict, limit=4)
            if words
            else []
        )
        # A figure's name is matched by words, not by one character of a synonym group
        # (the 将 of 计划/将 is in 即将落户 too).
        content = [
            q.Unit(
                tuple(v for v in u.variants if len(v) >= 2 or not has_han(v)) or (u.word,),
                u.weight,
                u.typed,
            )
            for u in content
        ]
        for hit in hits:
            event = await self.store.event(hit.record_id)
            if event is None or not event.figures:
                continue
            fit = 0.0
            for figure in event.figures:
                name = f"{figure.name_zh} {figure.name_en or ''}"
                # The event's own name adds what the figure's name leaves out (参赛 -> 大赛).
                own = q.score(name, content)
                if own < 1.0:
                    continue  # the figure itself must fit the question, not just its event
                loose = [u for u in content if q.score(name, [u]) == 0]
                fit = max(fit, own + 0.5 * q.score(m.title_of(event), loose))
            if fit > to_beat and fit >= 1.0:
                sub = Focus(zone_id=event.zone, kind="event", record_id=event.id)
                return await self._event_figure_answer(event, content, sub)
        return None

    async def _event_figure_answer(
        self, record: Event, units: list[q.Unit], focus: Focus
    ) -> Outcome:
        lang = self.lang
        # Words that name the event itself (招聘会, 塔机) don't tell its figures apart.
        title = m.title_of(record)
        telling = [u for u in units if q.score(title, [u]) == 0] or units
        ranked = sorted(
            record.figures, key=lambda f: -q.score(f"{f.name_zh} {f.name_en or ''}", telling)
        )
        best = ranked[0]
        if (
            q.score(f"{best.name_zh} {best.name_en or ''}", telling) <= 0
            and len(record.figures) > 1
        ):
            lines = [
                t.event_figure_line(f.name_zh, f.name_en, f.value, lang) for f in record.figures
            ]
        else:
            lines = [t.event_figure_line(best.name_zh, best.name_en, best.value, lang)]
        if self.parsed is not None:
            self._period_first(self.parsed, record.date, lines, exact=False)
        answer = t.Answer(
            head=t.record_head("event", record, lang, self.names),
            lines=lines,
            when=_esc_date(record.date, lang),
            sources=[await self.store.source(record.source)],
            buttons=[
                [
                    t.card_button(
                        "event", record.id, pick(lang, record.title_zh, record.title_en), lang
                    )
                ]
            ],
        )
        return Outcome(t.compose(lang, answer), focus)

    # ---- one record -------------------------------------------------------------------

    async def _about(
        self, parsed: q.Parsed, focus: Focus, record: object, units: list[q.Unit]
    ) -> Outcome | None:
        """Structured answers: who, founded, where, when, stage, money and land."""
        intents = parsed.intents
        lang = self.lang
        lines: list[str] = []
        company: Company | None = None
        project: Project | None = None
        if isinstance(record, Company):
            company = record
        elif isinstance(record, Project):
            project = record
            if record.company and (intents & {"who", "founded", "does"}):
                company = await self.store.company(record.company)
        if "who" in intents:
            role = next((r for r in m.ROLE_WORDS if r in parsed.text), None)
            if company is not None and (company.people or role is not None):
                # 和谁合作 asks for a partner, not a person: only a role word or known people.
                lines += (
                    t.people_lines(company, role, lang) if company.people else [t.no_people(lang)]
                )
            elif isinstance(record, Event) and record.companies:
                found = await self.store.companies(record.companies)
                makers = [c for c in found.values() if c.kind == "company"] or list(found.values())
                lines.append(t.companies_line(makers, lang))
        if "companies" in intents and isinstance(record, Event) and "who" not in intents:
            found = await self.store.companies(record.companies)
            makers = [c for c in found.values() if c.kind == "company"]
            if makers:
                lines.append(t.companies_line(makers, lang))
        if "founded" in intents and company is not None:
            lines.append(t.founded_line(company, lang))
        if "where" in intents:
            if isinstance(record, Company):
                zone_id = record.zone
                if zone_id is None:
                    owned = await self.store.projects_of_company(record.id)
                    zone_id = owned[0].zone if owned else None
                lines.append(t.where_company(record, self.view.zones.get(zone_id or ""), lang))
            elif isinstance(record, Event | Project):
                places = record.places if isinstance(record, Event) else ()
                lines += t.where_record(self.view.zones.get(record.zone), record.zone, places, lang)
        if project is not None:
            wants = [i for i in m.MONEY_INTENTS if i in intents]
            if wants:
                lines += t.money_lines(project, wants, lang)
            if parsed.stages or ("when" in intents and "founded" not in intents):
                lines.append(t.stage_line(project, lang))
                if "when" in intents and project.stage_date is None and project.stage:
                    lines.append(t.stage_date_unknown(lang))  # 什么时候签约的: not given
                lines += t.asked_stage_lines(project, parsed.stages, lang)
                self._period_first(parsed, project.stage_date, lines, exact=False)
        elif isinstance(record, Event) and "when" in intents:
            lines.append(t.event_date_line(record, lang))
        if not lines:
            return None
        best = await self._best_sentences(parsed, focus, record, units)
        # Only a sentence of the record itself or a close relative (its company, its project)
        # may follow: never another record's ("Founded in 2002" of Fengmao under Dejia).
        own = getattr(record, "id", None)
        best = [(v, p) for v, p in best if p.record_id == own or p.bonus >= 0.8]
        answer = await self._answer_for(record, lines)
        if isinstance(record, Event) and "when" in intents:
            answer.when = None
        if best and (
            "why" in intents
            or "does" in intents
            or any("未" in line or "not " in line for line in lines)
        ):
            answer.lines += [t.sentence(p.text) for _s, p in best[:1]]
        return Outcome(t.compose(lang, answer), focus)

    async def _answer_for(self, record: object, lines: list[str]) -> t.Answer:
        lang = self.lang
        kind = m.kind_of(record)
        record_id = getattr(record, "id", "")
        title = await self._title(kind, record_id)
        buttons = [[t.card_button(kind, record_id, title, lang)]]
        if isinstance(record, Project) and record.company:
            buttons.append(
                [
                    t.card_button(
                        "company",
                        record.company,
                        await self._title("company", record.company),
                        lang,
                    )
                ]
            )
        source_id = getattr(record, "source", None)
        when = None
        if isinstance(record, Event):
            when = _esc_date(record.date, lang)
        return t.Answer(
            head=t.record_head(kind, record, lang, self.names),
            lines=lines,
            when=when,
            sources=[await self.store.source(source_id)] if source_id else [],
            buttons=buttons,
        )

    async def _zone_answer(self, zone: Zone, lines: list[str], focus: Focus) -> Outcome:
        answer = t.Answer(
            head=t.record_head("zone", zone, self.lang, self.names),
            lines=lines,
            sources=[await self.store.source(zone.source)],
            buttons=[
                [t.card_button("zone", zone.id, t.zone_name(zone, zone.id, self.lang), self.lang)]
            ],
        )
        return Outcome(t.compose(self.lang, answer), Focus(zone_id=zone.id))

    # ---- lists --------------------------------------------------------------------------

    async def _stage_list(self, parsed: q.Parsed, focus: Focus) -> Outcome | None:
        lang = self.lang
        stages = [s for s in parsed.stages if s != "landed"]
        if "landed" in parsed.stages:
            found = await self.store.landed_projects(focus.zone_id)
            if stages:
                found += await self.store.projects_at_stage(stages, focus.zone_id)
        else:
            found = await self.store.projects_at_stage(stages, focus.zone_id)
        unique: dict[str, Project] = {p.id: p for p in found}
        items = list(unique.values())
        asked = parsed.period
        if asked is not None:
            items = m.dated_in(asked, items, self.year)
        zone = self.view.zones.get(focus.zone_id or "")
        zone_label = t.zone_name(zone, focus.zone_id, lang) if zone else None
        asked_label = asked.label if asked is not None else None
        head = t.stage_list_head(lang, parsed.stages, (), zone_label, len(items), asked_label)
        if not items:
            text = t.no_stage_items(lang, parsed.stages, (), zone_label, asked_label)
            others = list(unique.values())
            if asked is None or not others:
                focus.frame = Frame(stages=tuple(parsed.stages))
                return Outcome(lookup_texts.Reply(text), focus)
            # None at that time: say so, then the closest ones with their own dates.
            items = others
            head = text + "\n" + t.closest_items(lang, len(items))
        companies = await self.store.companies(p.company for p in items if p.company)
        lines = [head]
        lines += [
            t.project_item(p, companies.get(p.company or ""), lang, self.names) for p in items[:8]
        ]
        if (parsed.this_year or parsed.months) and any(
            p.stage_date is not None and p.stage_date.year is None for p in items
        ):
            lines.append(t.year_caveat(lang))
        sources = [await self.store.source(p.source) for p in items[:2]]
        buttons = [
            [t.card_button("project", p.id, pick(lang, p.name_zh, p.name_en), lang)]
            for p in items[:4]
        ]
        answer = t.Answer(lines=lines, sources=sources, buttons=buttons)
        new_focus = Focus(zone_id=focus.zone_id)
        if len(items) == 1:
            new_focus = Focus(zone_id=items[0].zone, kind="project", record_id=items[0].id)
        new_focus.frame = Frame(stages=tuple(parsed.stages))
        return Outcome(t.compose(lang, answer), new_focus)

    async def _condition_list(
        self, parsed: q.Parsed, condition: Condition, focus: Focus, by_zone: bool = False
    ) -> Outcome:
        """Projects that meet a size condition (of the zone asked, at the stages and time
        asked); the condition is said first, and so is how many records lack the figure."""
        lang = self.lang
        stages = [
            s
            for s in parsed.stages
            if not (condition.measure == "output" and s == "full_production")
        ]
        found = await self.store.projects_to_filter(stages, focus.zone_id, CONDITION_READ + 1)
        checked = CONDITION_READ if len(found) > CONDITION_READ else None
        found = found[:CONDITION_READ]
        asked = parsed.period
        if asked is not None:
            found = m.dated_in(asked, found, self.year)
        sectors = m.sectors(parsed.text, self.view.labels) or list(self.kept_sectors)
        if sectors:
            # 新能源领域10亿以上的项目: the projects of that sector (an area covers its labels).
            covered = sector_labels(sectors, self.view.labels, self.view.areas)
            found = [p for p in found if covered & set(p.sectors)]
        judged = [judge(p, condition) for p in found]
        meets = [j for j in judged if j.verdict == "meets"]
        zone = self.view.zones.get(focus.zone_id or "")
        zone_label = t.zone_name(zone, focus.zone_id, lang) if zone else None
        when = asked.label if asked is not None else None
        topic = self.names.label(sectors[0], lang) if sectors else None
        head = ct.condition_head(
            lang, condition, zone_label, stages, when, len(meets), checked, sector=topic
        )
        if by_zone and meets:
            lines, listed = await self._by_zone_lines(
                condition, stages, when, topic, meets, checked
            )
        else:
            lines, listed = [head], meets[:8]
            companies = await self.store.companies(
                j.project.company for j in listed if j.project.company
            )
            lines += [
                ct.condition_item(
                    j, condition, companies.get(j.project.company or ""), lang, self.names
                )
                for j in listed
            ]
            if len(meets) > 8:
                lines.append(ct.more_line(lang, len(meets) - 8))
        title = {id(j): pick(lang, j.project.name_zh, j.project.name_en) for j in judged}
        if not meets:
            failing = [ct.with_figure(j, condition, lang) for j in judged if j.verdict == "fails"]
            if failing:
                lines.append(ct.failing_line(lang, condition, failing))
        lines += ct.lacking_line(
            lang,
            condition,
            [title[id(j)] for j in judged if j.verdict == "missing"],
            [title[id(j)] for j in judged if j.verdict == "other_unit"],
            more=any(j.verdict in ("meets", "fails") for j in judged),
            unclear=[ct.with_figure(j, condition, lang) for j in judged if j.verdict == "unclear"],
        )
        if checked is not None:
            lines.append(ct.checked_note(lang, checked, zone_label))
        if (parsed.this_year or parsed.months) and any(
            j.project.stage_date is not None and j.project.stage_date.year is None for j in meets
        ):
            lines.append(t.year_caveat(lang))
        # Every figure listed with its source (the same source once).
        fails = [j for j in judged if j.verdict == "fails"]
        shown = listed or fails[:5] or [j for j in judged if j.verdict != "fails"][:2]
        sources = [
            await self.store.source(sid) for sid in dict.fromkeys(j.project.source for j in shown)
        ]
        if by_zone:
            zone_ids = list(dict.fromkeys(j.project.zone for j in listed))[:4]
            buttons = [[t.card_button("zone", z, self.names.zone(z, lang), lang)] for z in zone_ids]
        else:
            buttons = [
                [t.card_button("project", j.project.id, title[id(j)], lang)] for j in meets[:4]
            ]
        answer = t.Answer(lines=lines, sources=sources, buttons=buttons)
        new_focus = Focus(zone_id=focus.zone_id)
        if len(meets) == 1:
            only = meets[0].project
            new_focus = Focus(zone_id=only.zone, kind="project", record_id=only.id)
        # What was asked stays for a follow-up (那新能源呢, 那咸宁呢, "And new energy?").
        new_focus.frame = Frame(condition, tuple(parsed.stages), tuple(sectors), by_zone)
        return Outcome(t.compose(lang, answer), new_focus)

    async def _across(self, parsed: q.Parsed, sectors: list[str]) -> Outcome:
        """The projects of a sector or at a stage over every zone (but those left out),
        grouped by zone, most first; none said plainly, with the left-out zones' own."""
        lang = self.lang
        stages = list(parsed.stages)
        # A bounded read whatever the store's size: of a sector, the matches among the newest
        # ACROSS_SCAN projects (a label's own index would make SQLite sort tens of thousands
        # of rows at 300k); a bigger store says only the newest were checked.
        counts = await self.view.counts(self.store)
        if sectors:
            covered = sector_labels(sectors, self.view.labels, self.view.areas)
            found = await self.store.newest_with_labels(
                sorted(covered), stages, ACROSS_SCAN, ACROSS_READ + 1
            )
            held = sum(c.projects for c in counts.values())
            checked = ACROSS_SCAN if held > ACROSS_SCAN or len(found) > ACROSS_READ else None
        else:
            found = await self.store.projects_to_filter(stages, None, ACROSS_READ + 1)
            checked = ACROSS_READ if len(found) > ACROSS_READ else None
        found = found[:ACROSS_READ]
        asked = parsed.period
        if asked is not None:
            found = m.dated_in(asked, found, self.year)
        groups = ask_across.by_zone(found, self.left_out)
        sector = self.names.label(sectors[0], lang) if sectors else None
        what = at.topic(lang, sector, stages, asked.label if asked is not None else None)
        left = [self.names.zone(z, lang) for z in self.left_out]
        total = sum(len(g) for _, g in groups)
        shown: list[Project] = []
        if groups:
            lines = [at.head(lang, what, len(groups), total, left)]
            for zone_id, group in groups[:ZONES_SHOWN]:
                lines.append(at.zone_line(lang, self.names.zone(zone_id, lang), len(group)))
                lines += await self._project_items(group[:PER_ZONE_SHOWN])
                shown += group[:PER_ZONE_SHOWN]
                if len(group) > PER_ZONE_SHOWN:
                    lines.append(at.more(lang, len(group) - PER_ZONE_SHOWN))
            if len(groups) > ZONES_SHOWN:
                lines.append(ct.more_line(lang, len(groups) - ZONES_SHOWN, zones=True))
        else:
            lines = [at.none(lang, what, left)]
            for zone_id, group in ask_across.by_zone(
                [p for p in found if p.zone in self.left_out], ()
            ):
                lines.append(at.left_out_line(lang, self.names.zone(zone_id, lang), len(group)))
                lines += await self._project_items(group[:PER_ZONE_SHOWN])
                shown += group[:PER_ZONE_SHOWN]
        if checked is not None:
            lines.append(ct.checked_note(lang, checked, None))
        if (parsed.this_year or parsed.months) and any(
            p.stage_date is not None and p.stage_date.year is None for p in shown
        ):
            lines.append(t.year_caveat(lang))
        sources = [
            await self.store.source(sid) for sid in dict.fromkeys(p.source for p in shown[:3])
        ]
        zone_ids = list(dict.fromkeys(p.zone for p in shown))[:4]
        buttons = [[t.card_button("zone", z, self.names.zone(z, lang), lang)] for z in zone_ids]
        answer = t.Answer(lines=lines, sources=sources, buttons=buttons)
        focus = Focus()
        if len(shown) == 1:
            only = shown[0]
            focus = Focus(zone_id=only.zone, kind="project", record_id=only.id)
        focus.frame = Frame(stages=tuple(stages), sectors=tuple(sectors))
        return Outcome(t.compose(lang, answer), focus)

    async def _project_items(self, projects: Sequence[Project]) -> list[str]:
        companies = await self.store.companies(p.company for p in projects if p.company)
        return [
            t.project_item(p, companies.get(p.company or ""), self.lang, self.names)
            for p in projects
        ]

    async def _by_zone_lines(
        self,
        condition: Condition,
        stages: list[str],
        when: str | None,
        topic: str | None,
        meets: list[Judged],
        checked: int | None,
    ) -> tuple[list[str], list[Judged]]:
        """哪些园区有投资超过5亿元的项目: the zones with projects that meet the size, most first,
        each with its count and its projects (figure, stage and date); what was listed."""
        lang = self.lang
        groups: dict[str, list[Judged]] = {}
        for j in meets:
            groups.setdefault(j.project.zone, []).append(j)
        ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        lines = [
            ct.by_zone_head(lang, condition, stages, when, len(ranked), len(meets), checked, topic)
        ]
        listed: list[Judged] = []
        for zone_id, group in ranked[:ZONES_SHOWN]:
            lines.append(ct.zone_group_line(lang, self.names.zone(zone_id, lang), len(group)))
            listed += group[:PER_ZONE_SHOWN]
            companies = await self.store.companies(
                j.project.company for j in group[:PER_ZONE_SHOWN] if j.project.company
            )
            lines += [
                ct.condition_item(
                    j, condition, companies.get(j.project.company or ""), lang, self.names
                )
                for j in group[:PER_ZONE_SHOWN]
            ]
            if len(group) > PER_ZONE_SHOWN:
                more = len(group) - PER_ZONE_SHOWN
                lines.append(ct.more_line(lang, more))
        if len(ranked) > ZONES_SHOWN:
            more = len(ranked) - ZONES_SHOWN
            lines.append(ct.more_line(lang, more, zones=True))
        return lines, listed

    async def _recent(self, parsed: q.Parsed, focus: Focus, units: list[q.Unit]) -> Outcome | None:
        lang = self.lang
        words = q.search_words(units)
        events: list[Event] = []
        projects: list[Project] = []
        matched: Event | Project | None = None  # the one item the words point at, if any
        if words:
            restrict = focus.zone_id if self.zone_named else None
            hits = await self.store.search_any(
                words, kinds=("event", "project"), zone_id=restrict, limit=8
            )
            for hit in hits:
                loaded = await self._load(hit.kind, hit.record_id)
                if isinstance(loaded, Event):
                    events.append(loaded)
                elif isinstance(loaded, Project):
                    projects.append(loaded)
            # Keep those whose own words match best (最近有什么比赛 -> the competition).
            if events or projects:
                scored = [
                    (q.score(m.record_text(r, parsed.han), units), r) for r in [*events, *projects]
                ]
                top = max(s for s, _ in scored)
                if top > 0:
                    keep = {id(r) for s, r in scored if s >= top * 0.6}
                    events = [e for e in events if id(e) in keep]
                    projects = [p for p in projects if id(p) in keep]
                    tops = [r for s, r in scored if s == top]
                    if len(tops) == 1:
                        matched = tops[0]  # type: ignore[assignment]
        if not events and not projects:
            if focus.zone_id:
                events = await self.store.events_in_zone(focus.zone_id, limit=6)
                projects = await self.store.projects_in_zone(focus.zone_id, limit=4)
            else:
                events = await self.store.latest_events(5)
                projects = await self.store.latest_projects(3)
        if not events and not projects:
            return None
        zone = self.view.zones.get(focus.zone_id or "")
        head = t.list_head(
            lang,
            f"{zone.short_zh if zone else ''}最近的动态",
            f"Latest in {zone.name_en or zone.short_zh}" if zone else "Latest items",
        )
        asked = parsed.period
        if asked is not None:
            # 最近一个月有什么动态: only what is dated in that time; none, said, then the latest.
            in_time = [e for e in events if m.dated_event(asked, e, self.year)]
            dated = m.dated_in(asked, projects, self.year)
            if not in_time and not dated:
                # 3月份有什么活动: the words matched other items; what is dated in that time
                # among the latest held (of the zone named) answers it.
                zone_id = focus.zone_id if self.zone_named else None
                latest_events = await self.store.latest_events(RECENT_SCAN)
                latest_projects = await self.store.latest_projects(RECENT_SCAN)
                in_time = [
                    e
                    for e in latest_events
                    if zone_id in (None, e.zone) and m.dated_event(asked, e, self.year)
                ]
                dated = [
                    p
                    for p in m.dated_in(asked, latest_projects, self.year)
                    if zone_id in (None, p.zone)
                ]
            if in_time or dated:
                events, projects = in_time, dated
                head = t.dated_head(lang, asked.label, zone.short_zh if zone else None)
            else:
                head = t.none_in_time(lang, asked.label, zone.short_zh if zone else None)
        companies = await self.store.companies(p.company for p in projects if p.company)
        lines = [head]
        lines += [t.event_item(e, lang, self.names) for e in events[:6]]
        lines += [
            t.project_item(p, companies.get(p.company or ""), lang, self.names)
            for p in projects[:4]
        ]
        sources = [await self.store.source(e.source) for e in events[:2]]
        sources += [await self.store.source(p.source) for p in projects[:1]]
        buttons = [
            [t.card_button("event", e.id, pick(lang, e.title_zh, e.title_en), lang)]
            for e in events[:3]
        ]
        buttons += [
            [t.card_button("project", p.id, pick(lang, p.name_zh, p.name_en), lang)]
            for p in projects[:2]
        ]
        answer = t.Answer(lines=lines, sources=sources, buttons=buttons)
        new_focus = Focus(zone_id=focus.zone_id)
        if matched is not None:
            new_focus = Focus(zone_id=matched.zone, kind=m.kind_of(matched), record_id=matched.id)
        return Outcome(t.compose(lang, answer), new_focus)

    # ---- sentences ----------------------------------------------------------------------

    async def _candidates(
        self, parsed: q.Parsed, focus: Focus, record: object, units: list[q.Unit]
    ) -> list[tuple[object, float]]:
        """The records whose sentences may answer: the one in question and its relatives
        (a bonus), the zone, and what a full-text search of the question's words finds."""
        found: list[tuple[object, float]] = []
        seen: set[tuple[str, str]] = set()

        def add(rec: object, bonus: float) -> None:
            key = (m.kind_of(rec), getattr(rec, "id", ""))
            if rec is not None and key not in seen:
                seen.add(key)
                found.append((rec, bonus))

        if record is not None:
            add(record, 2.0)
            if isinstance(record, Company):
                for p in await self.store.projects_of_company(record.id):
                    add(p, 1.2)
                name = record.short_zh or record.name_zh
                for hit in await self.store.search_kinds(name, ("event",), limit=3):
                    add(await self._load("event", hit.record_id), 1.0)
            elif isinstance(record, Project):
                if record.company:
                    add(await self.store.company(record.company), 1.0)
                if record.event:
                    add(await self.store.event(record.event), 0.8)
            elif isinstance(record, Event):
                for c in (await self.store.companies(record.companies)).values():
                    add(c, 0.6)
                for p in (await self.store.projects_of_event(record.id))[:10]:
                    add(p, 0.8)
        zone = self.view.zones.get(focus.zone_id or "")
        if zone is not None:
            add(zone, 0.6 if record is None else 0.2)
        words = q.search_words(units)
        if words:
            restrict = focus.zone_id if record is None and self.zone_named else None
            hits = await self.store.search_any(
                words, kinds=("zone", "company", "project", "event"), zone_id=restrict, limit=8
            )
            for hit in hits:
                rec = (
                    self.view.zones.get(hit.record_id)
                    if hit.kind == "zone"
                    else await self._load(hit.kind, hit.record_id)
                )
                add(rec, 0.0)
        return found

    async def _best_sentences(
        self, parsed: q.Parsed, focus: Focus, record: object, units: list[q.Unit]
    ) -> list[tuple[float, q.Passage]]:
        candidates = await self._candidates(parsed, focus, record, units)
        passages: list[q.Passage] = []
        # In titles, a synonym group counts only by the word as typed (too loose otherwise).
        plain = [q.Unit((u.word,), u.weight, u.word) for u in units]
        for rec, bonus in candidates:
            if self.soft and rec is record:
                bonus -= 1.0
            # A record found by its words whose own name holds them (祖冲之杯 … 北京赛) ranks
            # up; not the record in question (it has its bonus) and not a zone.
            if (record is None or self.soft) and rec is not record and not isinstance(rec, Zone):
                bonus += min(1.5, 0.5 * q.score(m.title_of(rec), plain))
            for text in m.record_texts(rec, parsed.han):
                for s in q.sentences(text):
                    if _record_note(s):
                        continue
                    passages.append(q.Passage(m.kind_of(rec), getattr(rec, "id", ""), s, bonus))
        return q.best_passages(passages, units)

    async def _passages(
        self, parsed: q.Parsed, focus: Focus, record: object, units: list[q.Unit], text: str
    ) -> Outcome | None:
        lang = self.lang
        best = await self._best_sentences(parsed, focus, record, units)
        strong = [(s, p) for s, p in best if s - p.bonus >= 1.0]
        if not strong:
            if record is not None:
                # Nothing on what was asked (员工人数): say so, then what is known of it.
                return await self._summary(record, focus, unknown=bool(units))
            zone = self.view.zones.get(focus.zone_id or "") if self.zone_named else None
            if (
                zone is not None
                and zone.id not in await self.view.counts(self.store)
                and not await self.store.zone_figures(zone.id)
            ):
                # A directory zone with no records (昆山经开区有什么项目): say so plainly.
                known = await self._zones_with_records()
                line = t.zone_no_records(lang, zone, known)
                return await self._zone_answer(zone, [line], focus)
            if zone is not None:
                # Nothing answers it directly: say so, and give the zone's gist.
                lines = [t.no_direct_answer(lang), *_zone_summary_lines(zone, lang)]
                return await self._zone_answer(zone, lines, focus)
            return None
        top = strong[0][1]
        if (
            record is not None
            and not self.soft
            and top.bonus < 0.8
            and top.record_id != getattr(record, "id", None)
        ):
            # Asked about a record by name: its own gist, not another record's sentence.
            return await self._summary(record, focus)
        rec = (
            await self._load(top.kind, top.record_id)
            if top.kind != "zone"
            else self.view.zones.get(top.record_id)
        )
        if rec is None:
            return None
        lines = [t.sentence(p.text) for _s, p in strong if p.record_id == top.record_id]
        extra_source = None
        top_raw = strong[0][0] - top.bonus
        for value, other in strong[1:]:
            # A sentence of another record that fits the words better than the first one's
            # (its company's own record vs the matchmaking event): shown too, with its name.
            if other.record_id != top.record_id and value - other.bonus > top_raw:
                rec2 = await self._load(other.kind, other.record_id)
                if rec2 is not None:
                    title = await self._title(other.kind, other.record_id)
                    lines.append(t.sentence(other.text) + t.also_from(title, lang))
                    extra_source = getattr(rec2, "source", None)
        if isinstance(rec, Zone):
            outcome = await self._zone_answer(rec, lines, focus)
            outcome.focus = Focus(zone_id=rec.id, kind=focus.kind, record_id=focus.record_id)
            return outcome
        answer = await self._answer_for(rec, lines)
        if extra_source:
            answer.sources.append(await self.store.source(extra_source))
        new_focus = Focus(
            zone_id=getattr(rec, "zone", None) or focus.zone_id,
            kind=m.kind_of(rec),
            record_id=top.record_id,
        )
        return Outcome(t.compose(lang, answer), new_focus)

    async def _summary(self, record: object, focus: Focus, unknown: bool = False) -> Outcome:
        """A record asked about by name alone (帮我查一下德加能源): its gist in two sentences;
        ``unknown``: the question asked for something the sources don't say, said first."""
        lang = self.lang
        lines: list[str] = [t.not_stated(lang)] if unknown else []
        texts = [
            s
            for text in m.record_texts(record, lang == "zh")
            for s in q.sentences(text)
            if not _record_note(s)
        ]
        if isinstance(record, Project):
            lines.append(t.stage_line(record, lang))
        if isinstance(record, Company) and record.people:
            lines += t.people_lines(record, None, lang)
        lines += [t.sentence(s) for s in texts[:2]]
        answer = await self._answer_for(record, lines)
        if isinstance(record, Company):
            for p in (await self.store.projects_of_company(record.id))[:2]:
                answer.buttons.append(
                    [t.card_button("project", p.id, pick(lang, p.name_zh, p.name_en), lang)]
                )
        return Outcome(t.compose(lang, answer), focus)

    # ---- loading ------------------------------------------------------------------------

    async def _load(self, kind: str | None, record_id: str | None) -> object:
        if not kind or not record_id:
            return None
        if kind == "company":
            return await self.store.company(record_id)
        if kind == "project":
            return await self.store.project(record_id)
        if kind == "event":
            return await self.store.event(record_id)
        return None

    async def _title(self, kind: str, record_id: str) -> str:
        record = await self._load(kind, record_id)
        if isinstance(record, Company):
            return t.company_name(record, self.lang)
        if isinstance(record, Project):
            return pick(self.lang, record.name_zh, record.name_en)
        if isinstance(record, Event):
            return pick(self.lang, record.title_zh, record.title_en)
        zone = self.view.zones.get(record_id)
        return t.zone_name(zone, record_id, self.lang) if zone else record_id

    async def _zones_with_records(self) -> list[Zone]:
        counts = await self.view.counts(self.store)
        return [z for z in sorted(self.view.zones.values(), key=lambda z: z.id) if z.id in counts]


# ---- helpers -----------------------------------------------------------------------------------


def _record_note(sentence: str) -> bool:
    """Notes on how a record was made are for admins, never an answer."""
    extra = ("页面原文写作", "行业标签为本库")
    return any(w in sentence for w in (*lookup_texts.RECORD_NOTES, *extra))


def _zone_summary_lines(zone: Zone, lang: Lang) -> list[str]:
    text = pick(lang, zone.summary_zh, zone.summary_en)
    return [t.sentence(s) for s in q.sentences(text)[:2] if not _record_note(s)]


def _esc_date(value: object, lang: Lang) -> str:
    return t.esc(date(value, lang))  # type: ignore[arg-type]


# ---- the handler -------------------------------------------------------------------------------


async def question(update: Update, context: BotContext, text: str, message: Message) -> None:
    """Answer one plain message (already stripped of the bot's mention, one line a line of
    the message) with one reply."""
    lang = context.lang
    # Markup, chat forms (啥, whats) and traditional characters read as plain words; a long
    # pasted message is cut to the sentences that ask.
    query = " ".join(ask_input.questions_of(ask_input.prepare(text), MAX_QUESTION).split())
    store = context.store
    chat_id = message.chat.id
    user = update.effective_user
    user_id = user.id if user is not None else chat_id
    saved = await store.ask_context(chat_id, user_id, q.CONTEXT_TTL_S)
    talk = q.small_talk(query)
    if talk is not None:
        first = talk == "greeting" and (saved is None or not saved.greeted)
        view = await _view(context)
        reply = t.hint(lang, talk, await _examples(context, view), first)
        await _send(message, reply)
        await store.set_ask_context(
            chat_id,
            user_id,
            zone_id=saved.zone_id if saved and saved.fresh else None,
            focus_kind=saved.focus_kind if saved and saved.fresh else None,
            focus_id=saved.focus_id if saved and saved.fresh else None,
            figure_id=saved.figure_id if saved and saved.fresh else None,
            greeted=True,
            frame=saved.frame if saved and saved.fresh else None,
        )
        return
    if not ask_input.has_words(query):
        # Punctuation, emoji or markup alone (？？？, <script>…</script>): nothing to look up,
        # and no earlier question to lean on; say so with two examples.
        view = await _view(context)
        await _send(message, t.hint(lang, "empty", await _examples(context, view), False))
        return
    if len(query) > MAX_QUESTION:
        await _send(message, lookup_texts.too_long(lang, MAX_QUESTION))
        return
    view = await _view(context)
    ctx = (
        Focus(
            saved.zone_id,
            saved.focus_kind,
            saved.focus_id,
            saved.figure_id,
            ask_frame.load(saved.frame),
        )
        if saved is not None and saved.fresh
        else None
    )
    outcome = await Asker(context, view, lang).answer(query, ctx)
    await _send(message, outcome.reply)
    keep = outcome.focus
    if keep.zone_id or keep.record_id or keep.figure_id or keep.frame:
        await store.set_ask_context(
            chat_id,
            user_id,
            zone_id=keep.zone_id,
            focus_kind=keep.kind if keep.record_id else None,
            focus_id=keep.record_id,
            figure_id=keep.figure_id,
            greeted=bool(saved and saved.greeted),
            frame=ask_frame.dump(keep.frame),
        )


async def _examples(context: BotContext, view: FactsView) -> list[tuple[str, str]]:
    """Two example questions about what the store holds (never raw ids)."""
    counts = await view.counts(context.store)
    ranked = sorted(
        view.zones.values(),
        key=lambda z: (
            -(counts[z.id].projects + counts[z.id].events) if z.id in counts else 0,
            z.id,
        ),
    )
    if not ranked:
        return [
            ("最近有什么签约？", "What was signed recently?"),
            ("你们收录了哪些园区？", "Which zones do you cover?"),
        ]
    zone = ranked[0]
    return [
        (
            f"{zone.short_zh}最近有什么签约？",
            f"What has {zone.name_en or zone.short_zh} signed recently?",
        ),
        (
            f"{zone.short_zh}的主导产业有哪些？",
            f"What are the leading industries of {zone.name_en or zone.short_zh}?",
        ),
    ]


async def _view(context: BotContext) -> FactsView:
    from handlers.lookup import _view as lookup_view

    return await lookup_view(context)


async def _send(message: Message, reply: lookup_texts.Reply) -> None:
    from handlers.lookup import _reply

    await _reply(message, reply)
