"""The digest engine: the tick that schedules and sends due digests, planning, delivery,
/digest now's sending, and the clean-up of old history.

One periodic job asks the store which chats are due (a stored next time per chat), so a
restart, a late tick or downtime changes nothing: a chat whose time passed is due at the next
tick, once. Each digest is a (chat, period) row whose feed range and plan (the items of each
part) are stored when it is created; parts are counted after Telegram accepts each one, a
resumed digest sends the rest of its stored plan (a record deleted meanwhile is left out, a
part left empty is skipped), and the watermark moves only when the last part was accepted,
in the same transaction that marks the digest sent.

Alert modes: 'off' stops scheduled digests too; 'instant' and 'digest' both get the scheduled
digest unless the digest schedule itself is off. Turning alerts or digests back on starts from
then: what was stored while they were off is not sent later. /digest now goes where the chat's
subscriptions send the digest. A second job forgets old history (sent alerts, finished
digests) every few hours.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from telegram.error import TelegramError

from bot.context import BotApp, BotContext, services_of
from bot.core.digest import Digest, DigestIndex, Entry, build_digest, digest_thread, regroup
from bot.core.records import ChatRecord, Company, DigestRow, Pruned, StoredPlan, Zone
from bot.core.robots import is_channel_id
from bot.core.schedule import next_digest_at, now_period_key, period_key, zone_of
from bot.jobs.alerts import ROBOT_CONCURRENCY
from bot.jobs.delivery import Outgoing, RetryLater, settle
from bot.ops import record_tick
from bot.texts import digest as texts
from bot.texts.common import Lang, as_lang
from storage import Store

log = logging.getLogger(__name__)

TICK_NAME = "digest_tick"
TICK_INTERVAL = 30.0  # seconds between looks at the store
TICK_FIRST = 3.0  # the first look soon after start: digests missed while down go out then
CONCURRENCY = 16  # chats sent to at once; Telegram's overall limit is the rate limiter's job
ERROR_PAUSE = timedelta(minutes=15)  # a chat whose digest failed unexpectedly waits this long
CLEANUP_NAME = "history_cleanup"
CLEANUP_INTERVAL = 6 * 3600.0  # seconds between clean-ups
CLEANUP_FIRST = 300.0  # the first one a few minutes after start, out of the start-up rush
KEEP_HISTORY = timedelta(days=30)  # sent alerts and finished digests are kept this long
# Items one digest shows; the rest wait behind its "more" button, so a busy day never
# becomes dozens of messages. Each press shows this many more.
MAX_ITEMS = 30
RENDERED_KEPT = 256  # renderings kept per tick for chats that share a selection


# ---- planning: what each due chat gets ---------------------------------------------------


def capped(digest: Digest, cap: int | None = None) -> tuple[list[Entry], list[Entry]]:
    """The digest's items in the order shown, split at the cap (MAX_ITEMS): (shown, held)."""
    cap = MAX_ITEMS if cap is None else cap
    ordered = [
        entry
        for group in digest.groups
        for sector in group.sectors
        for entry in (*sector.projects, *sector.events)
    ]
    return ordered[:cap], ordered[cap:]


@dataclass
class Renderer:
    """What rendering needs, shared by every plan of one tick. A digest's text is rendered
    when it is sent, not when planned; the last few renderings are kept by (language,
    period, selection) so chats that get the same items share one, and each item's line is
    kept for the tick (items are few, chats many), so memory stays bounded."""

    index: DigestIndex
    zones: dict[str, Zone]
    companies: dict[str, Company]
    label_en: dict[str, str | None]
    _parts: OrderedDict[tuple[str, str, int], tuple[texts.DigestPart, ...]] = field(
        default_factory=OrderedDict
    )
    _held: OrderedDict[int, tuple[tuple[int, str], ...]] = field(default_factory=OrderedDict)
    _lines: dict[tuple[int, str, str], tuple[str, str]] = field(default_factory=dict)
    _by_seq: dict[int, Entry] | None = None

    def _render(
        self,
        digest: Digest,
        period: str,
        lang: Lang,
        first_number: int = 1,
        continued: bool = False,
    ) -> tuple[texts.DigestPart, ...]:
        return tuple(
            texts.render_digest(
                digest,
                period=period,
                lang=lang,
                zones=self.zones,
                companies=self.companies,
                label_en=self.label_en,
                cache=self._lines,
                first_number=first_number,
                continued=continued,
            )
        )

    def parts(self, lang: Lang, period: str, bits: int) -> tuple[texts.DigestPart, ...]:
        """The parts of the items shown (up to the cap); the headline counts every item."""
        key = (lang, period, bits)
        found = self._parts.get(key)
        if found is None:
            whole = build_digest(self.index.entries_of(bits))
            shown, held = capped(whole)
            # The headline counts every item (computed once, by build_digest).
            digest = Digest(whole.headline, regroup(shown).groups)
            found = self._render(digest, period, lang)
            self._parts[key] = found
            self._held[bits] = tuple((e.seq, e.change) for e in held)
            for cache in (self._parts, self._held):
                while len(cache) > RENDERED_KEPT:
                    cache.popitem(last=False)
        else:
            self._parts.move_to_end(key)
        return found

    def held(self, lang: Lang, period: str, bits: int) -> tuple[tuple[int, str], ...]:
        """The items past the cap, (feed seq, change), in the order they would show."""
        if bits not in self._held:
            self._parts.pop((lang, period, bits), None)
            self.parts(lang, period, bits)
        return self._held[bits]

    def stored_parts(
        self, lang: Lang, period: str, stored: StoredPlan, start: int
    ) -> list[tuple[int, tuple[texts.DigestPart, ...]]]:
        """The stored parts from ``start`` on, each rendered alone from its own items as they
        are now: a record deleted since is left out (a part may come out empty), an edited
        one shows its current state. Numbering carries on from the parts before ``start``."""
        if self._by_seq is None:
            self._by_seq = {e.seq: e for e in self.index.entries}
        by_seq = self._by_seq

        def live(items: Sequence[tuple[int, str]]) -> list[Entry]:
            return [
                replace(by_seq[seq], change="stage" if change == "stage" else "new")
                for seq, change in items
                if seq in by_seq
            ]

        number = 1 + sum(len(items) for items in stored[:start])
        head = [e for items in stored for e in live(items)] if start == 0 else []
        rendered: list[tuple[int, tuple[texts.DigestPart, ...]]] = []
        for index in range(start, len(stored)):
            entries = live(stored[index])
            digest = regroup(entries, head if index == 0 else ())
            parts = self._render(digest, period, lang, first_number=number, continued=index > 0)
            number += len(entries)
            rendered.append((index, parts))
        return rendered


@dataclass(frozen=True)
class DigestPlan:
    """One chat's digest: what it selects is computed; its text is rendered when first asked
    for (just before sending), so planning ten thousand chats stays cheap."""

    chat: ChatRecord
    period: str
    from_seq: int
    to_seq: int
    lang: Lang
    selection: int  # bit set over the tick's entries
    renderer: Renderer
    thread_id: int | None
    resume: DigestRow | None  # the unfinished digest this plan continues, if any
    subscribed: bool
    next_at: datetime | None  # the schedule's next time once this one is done
    stored: StoredPlan | None = None  # the resumed digest's stored plan (None: an old row)

    @property
    def empty(self) -> bool:
        """Nothing to send. An unfinished digest is never empty here: its stored plan is
        what it sends, whatever the chat follows now."""
        return self.resume is None and self.selection == 0

    @property
    def parts(self) -> tuple[texts.DigestPart, ...]:
        return self.renderer.parts(self.lang, self.period, self.selection)

    @property
    def held(self) -> tuple[tuple[int, str], ...]:
        """Items past the cap: stored with the digest, shown by its "more" button."""
        return self.renderer.held(self.lang, self.period, self.selection)


def next_for(chat: ChatRecord, default_tz: str, now: datetime) -> datetime | None:
    tz = zone_of(chat.timezone, default_tz)
    return next_digest_at(chat.digest_kind, chat.digest_time, chat.digest_weekday, tz, now)


async def plan_digests(
    store: Store,
    chats: Sequence[ChatRecord],
    now: datetime,
    default_tz: str,
    *,
    requested: bool = False,
) -> list[DigestPlan]:
    """Every chat's digest: one read of the feed window they all need, matched per chat."""
    if not chats:
        return []
    ids = [c.id for c in chats]
    subs = await store.chat_subscriptions(ids)
    pending = await store.pending_digests(ids)
    stored = await store.digest_plans([(row.chat_id, row.period) for row in pending.values()])
    langs = await store.chat_langs(ids)
    upto = await store.max_seq()
    lows = [pending[c.id].from_seq if c.id in pending else c.digest_seq for c in chats]
    highs = [pending[c.id].to_seq if c.id in pending else upto for c in chats]
    window = await store.digest_window(min(lows), max(highs))
    labels = await store.labels()
    entries = [Entry.of(w.candidate, w.change, w.record) for w in window]
    index = DigestIndex(entries, labels)
    zones = {z.id: z for z in await store.zones()}
    company_ids = {getattr(e.record, "company", None) for e in entries}
    companies = await store.companies(c for c in company_ids if c)
    label_en = {lb.label: lb.name_en for lb in labels}
    renderer = Renderer(index, zones, companies, label_en)
    # Chats share a few schedules: each (schedule, zone) is worked out once per tick.
    next_times: dict[tuple[str, str, int, ZoneInfo], datetime | None] = {}
    periods: dict[tuple[str, datetime, ZoneInfo], str] = {}
    plans: list[DigestPlan] = []
    for chat in chats:
        chat_subs = subs.get(chat.id, [])
        resume = pending.get(chat.id)
        tz = zone_of(chat.timezone, default_tz)
        if resume is not None:
            period, low, high = resume.period, resume.from_seq, resume.to_seq
        else:
            due = chat.next_digest_at or now
            if requested or chat.digest_kind == "off":
                period = now_period_key(now)
            else:
                period_of = (chat.digest_kind, due, tz)
                if period_of not in periods:
                    periods[period_of] = period_key(chat.digest_kind, due, tz)
                period = periods[period_of]
            low, high = chat.digest_seq, upto
        lang = as_lang(langs.get(chat.id))
        selection = index.select_bits(chat_subs, low, high)
        stored_next = chat.next_digest_at
        if period.startswith("now-") and stored_next is not None and stored_next > now:
            next_at: datetime | None = stored_next  # a digest on request leaves the schedule be
        else:
            schedule = (chat.digest_kind, chat.digest_time, chat.digest_weekday, tz)
            if schedule not in next_times:
                next_times[schedule] = next_digest_at(*schedule, now)
            next_at = next_times[schedule]
        plans.append(
            DigestPlan(
                chat=chat,
                period=period,
                from_seq=low,
                to_seq=high,
                lang=lang,
                selection=selection,
                renderer=renderer,
                thread_id=digest_thread([(s.thread_id, s.id) for s in chat_subs]),
                resume=resume,
                subscribed=bool(chat_subs),
                next_at=next_at,
                stored=stored.get((chat.id, resume.period)) if resume is not None else None,
            )
        )
    return plans


# ---- sending ------------------------------------------------------------------------------

Result = Literal["sent", "empty", "already", "postponed", "gone", "migrated", "stale", "failed"]
Batches = list[tuple[int, tuple[texts.DigestPart, ...]]]  # (part number, its messages)


def _locks(app: BotApp) -> dict[int, asyncio.Lock]:
    return services_of(app).digest_locks


def _lock(app: BotApp, chat_id: int) -> asyncio.Lock:
    return _locks(app).setdefault(chat_id, asyncio.Lock())


def drop_free_locks(app: BotApp) -> int:
    """Forget the per-chat locks nobody holds or waits for (they are made again on demand)."""
    locks = _locks(app)
    free = [chat_id for chat_id, lock in locks.items() if not lock.locked()]
    for chat_id in free:
        del locks[chat_id]
    return len(free)


def _message(part: texts.DigestPart) -> Outgoing:
    """A digest part's text and its buttons, two to a row (a "more" button on its own)."""
    buttons = part.buttons
    more = [b for b in buttons if b[1].startswith("dm:")]
    items = [b for b in buttons if not b[1].startswith("dm:")]
    rows = [tuple(items[i : i + 2]) for i in range(0, len(items), 2)]
    return Outgoing(part.text, (*rows, *((b,) for b in more)))


@dataclass
class _DigestParcel:
    """One digest message, recorded by outcome: parts are counted by the engine, a 429
    parks the whole digest, a refused message is skipped."""

    store: Store
    chat_id: int
    now: datetime
    sent: int = 0

    async def accepted(self) -> None:
        self.sent += 1

    async def postpone(self, later: RetryLater) -> None:
        until = self.now + timedelta(seconds=max(1.0, later.seconds))
        await self.store.postpone_digest(self.chat_id, until)

    async def abandon(self) -> None:
        """Retrying cannot help; the part is passed over."""


async def deliver(
    app: BotApp,
    store: Store,
    plan: DigestPlan,
    now: datetime,
) -> tuple[Result, int]:
    """Send one planned digest, resuming after the parts already accepted.

    Returns what happened and how many messages were sent now. Safe to cancel at any await:
    what Telegram accepted is recorded part by part, the rest stays pending. (A stored part
    that grew past one message through edits is sent as several; a 429 between them repeats
    the first ones on resume.)
    """
    chat_id = plan.chat.id
    async with _lock(app, chat_id):
        current = await store.chat(chat_id)
        if current is None or not current.active:
            return "gone", 0
        row: DigestRow | None
        batches: Batches
        if plan.resume is not None:
            row = await store.digest(chat_id, plan.period)
            if row is None or row.done:
                return "stale", 0  # finished meanwhile (/digest now racing the tick)
            if plan.stored is not None:
                batches = plan.renderer.stored_parts(
                    plan.lang, plan.period, plan.stored, row.parts_sent
                )
            else:  # a digest opened before plans were stored: the old way, re-selected
                batches = [(n, (plan.parts[n],)) for n in range(row.parts_sent, len(plan.parts))]
            held = await store.held_count(chat_id, plan.period)
        else:
            if current.digest_seq != plan.from_seq or await store.pending_digest(chat_id):
                return "stale", 0
            if plan.empty:
                await store.skip_digest(chat_id, plan.to_seq, plan.next_at)
                return "empty", 0
            existing = await store.digest(chat_id, plan.period)
            if existing is not None and existing.done:
                # This period went out already (a changed schedule, a clock step): never twice.
                await store.skip_digest(chat_id, current.digest_seq, plan.next_at)
                return "already", 0
            parts = plan.parts
            row = await store.open_digest(
                chat_id,
                plan.period,
                plan.from_seq,
                plan.to_seq,
                [p.items for p in parts],
                held=plan.held,
            )
            batches = [(n, (parts[n],)) for n in range(row.parts_sent, len(parts))]
            held = len(plan.held)
        if held and batches:
            # The last message says how many items wait and carries the "more" button.
            number, messages = batches[-1]
            last = texts.with_more(messages[-1], plan.period, held, plan.lang)
            batches[-1] = (number, (*messages[:-1], last))
        to = services_of(app).destination(app.bot, chat_id, plan.thread_id)
        parcel = _DigestParcel(store, chat_id, now)
        for number, messages in batches:
            for part in messages:
                outcome = await to.deliver(_message(part))
                settled = await settle(store, to, outcome, parcel, "digest")
                if settled in ("postponed", "gone", "migrated"):
                    # Migrated: the rows follow the chat to its new id; the next tick resumes.
                    return settled, parcel.sent
            # Every message of this part accepted (or refused for good); an empty part (all
            # its records deleted meanwhile) is passed over the same way.
            await store.record_digest_part(chat_id, plan.period, number + 1)
        await store.finish_digest(chat_id, plan.period, plan.next_at)
        return "sent", parcel.sent


@dataclass
class _MoreParcel:
    """A "more" message: counted when accepted; a 429 or a refusal stops the batch (the
    items stay held, the next press shows them)."""

    sent: int = 0
    stopped: bool = False

    async def accepted(self) -> None:
        self.sent += 1

    async def postpone(self, later: RetryLater) -> None:
        self.stopped = True

    async def abandon(self) -> None:
        self.stopped = True


MoreResult = Literal["sent", "nothing", "busy", "failed"]


async def send_more(
    app: BotApp, chat_id: int, period: str, thread_id: int | None = None
) -> MoreResult:
    """The next MAX_ITEMS held items of a chat's digest, as new messages; the last one has
    the "more" button again while items remain. Held items are released only once Telegram
    accepted every message that shows them."""
    store = services_of(app).store
    assert store is not None
    lock = _lock(app, chat_id)
    if lock.locked():
        return "busy"  # the chat's digest (or another press) is being sent right now
    async with lock:
        held = await store.held_items(chat_id, period, MAX_ITEMS)
        if not held:
            return "nothing"
        left = await store.held_count(chat_id, period) - len(held)
        seqs = {seq: change for _, seq, change in held}
        window = await store.digest_window(min(seqs) - 1, max(seqs))
        by_seq = {w.candidate.seq: w for w in window}
        entries = [
            Entry.of(by_seq[seq].candidate, change, by_seq[seq].record)
            for _, seq, change in held
            if seq in by_seq  # a record deleted since is left out
        ]
        lang = as_lang((await store.chat_langs([chat_id])).get(chat_id))
        parts: list[texts.DigestPart] = []
        if entries:
            labels = await store.labels()
            zones = {z.id: z for z in await store.zones()}
            company_ids = {getattr(e.record, "company", None) for e in entries}
            companies = await store.companies(c for c in company_ids if c)
            parts = texts.render_digest(
                regroup(entries),
                period=period,
                lang=lang,
                zones=zones,
                companies=companies,
                label_en={lb.label: lb.name_en for lb in labels},
                first_number=held[0][0],
                continued=True,
            )
        if parts and left:
            parts[-1] = texts.with_more(parts[-1], period, left, lang)
        to = services_of(app).destination(app.bot, chat_id, thread_id)
        parcel = _MoreParcel()
        for part in parts:
            settled = await settle(store, to, await to.deliver(_message(part)), parcel, "digest")
            if settled in ("postponed", "gone", "migrated") or parcel.stopped:
                return "failed"
        await store.release_held(chat_id, period, held[-1][0])
        return "sent" if parts else await send_more(app, chat_id, period, thread_id)


# ---- the tick -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TickReport:
    scheduled: int
    due: int
    results: dict[str, int]


async def digest_tick(
    app: BotApp,
    now: datetime | None = None,
) -> TickReport:
    """Schedule new chats, then send every due digest. Callable directly (tests, benchmark)."""
    services = services_of(app)
    store = services.store
    if store is None:
        return TickReport(0, 0, {})
    moment = now or services_of(app).clock()
    default_tz = services.settings.timezone
    fresh = await store.unscheduled_chats()
    if fresh:
        await store.set_next_digest_times([(c.id, next_for(c, default_tz, moment)) for c in fresh])
    due = await store.due_chats(moment)
    results: dict[str, int] = {}
    if not due:
        return TickReport(len(fresh), 0, results)
    plans = await plan_digests(store, due, moment, default_tz)
    # Group robots have workers of their own, so they never hold up Telegram chats' digests.
    gates = {False: asyncio.Semaphore(CONCURRENCY), True: asyncio.Semaphore(ROBOT_CONCURRENCY)}

    def count(result: str) -> None:
        results[result] = results.get(result, 0) + 1

    async def one(plan: DigestPlan) -> None:
        async with gates[is_channel_id(plan.chat.id)]:
            try:
                result, _ = await deliver(app, store, plan, moment)
            except (TelegramError, OSError, ValueError) as exc:
                log.exception("digest to %s failed: %s", plan.chat.id, exc)
                await store.postpone_digest(plan.chat.id, moment + ERROR_PAUSE)
                result = "postponed"
            count(result)

    # One chat's failure (a database error, a bug) must not stop the others' digests.
    outcomes = await asyncio.gather(*(one(plan) for plan in plans), return_exceptions=True)
    for plan, outcome in zip(plans, outcomes, strict=True):
        if not isinstance(outcome, BaseException):
            continue
        if not isinstance(outcome, Exception):
            raise outcome  # cancellation and the like are not a chat's failure
        log.error("digest to %s failed", plan.chat.id, exc_info=outcome)
        count("failed")
        try:
            await store.postpone_digest(plan.chat.id, moment + ERROR_PAUSE)
        except Exception:  # the store itself may be what failed; the next tick tries again
            log.exception("could not postpone the digest to %s", plan.chat.id)
    return TickReport(len(fresh), len(due), results)


async def cleanup(
    app: BotApp,
    now: datetime | None = None,
) -> Pruned:
    """Forget sent alerts and finished digests older than KEEP_HISTORY, and free chat locks."""
    store = services_of(app).store
    dropped = drop_free_locks(app)
    if store is None:
        return Pruned(0, 0)
    moment = now or services_of(app).clock()
    pruned = await store.prune_history(moment - KEEP_HISTORY)
    if pruned.deliveries or pruned.digests or dropped:
        log.info(
            "clean-up: %d alerts and %d digests forgotten, %d chat locks freed",
            pruned.deliveries,
            pruned.digests,
            dropped,
        )
    return pruned


async def _cleanup_job(context: BotContext) -> None:
    await cleanup(context.app)


async def _tick_job(context: BotContext) -> None:
    report = await digest_tick(context.app)
    record_tick(context.services.ops, "digest", {"due": report.due, **report.results})


def start_job(app: BotApp) -> None:
    """The periodic tick. misfire_grace_time=None: a late tick still runs (APScheduler would
    otherwise drop it); coalesce: several missed ticks run once; max_instances=1: a long tick
    is never overlapped by the next one."""
    if app.job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        log.warning("no JobQueue: scheduled digests are off")
        return
    for name in (TICK_NAME, CLEANUP_NAME):
        for job in app.job_queue.get_jobs_by_name(name):
            job.schedule_removal()
    jobs = (
        (_tick_job, TICK_INTERVAL, TICK_FIRST, TICK_NAME),
        (_cleanup_job, CLEANUP_INTERVAL, CLEANUP_FIRST, CLEANUP_NAME),
    )
    for callback, interval, first, name in jobs:
        app.job_queue.run_repeating(
            callback,
            interval=interval,
            first=first,
            name=name,
            job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )


SendResult = Literal["no_subscriptions", "nothing_new", "sent", "incomplete", "busy"]


async def send_now(
    app: BotApp,
    chat: ChatRecord,
) -> tuple[SendResult, int]:
    """/digest now: what the chat would get next, at once, where its digest goes (in a forum,
    the topic its subscriptions use, wherever the command was typed)."""
    services = services_of(app)
    store = services.store
    assert store is not None
    now = services_of(app).clock()
    if _lock(app, chat.id).locked():
        return "busy", 0
    plans = await plan_digests(store, [chat], now, services.settings.timezone, requested=True)
    plan = plans[0]
    if not plan.subscribed and plan.resume is None:
        return "no_subscriptions", 0
    if plan.empty:
        await store.skip_digest(chat.id, plan.to_seq, plan.next_at, keep_next=True)
        return "nothing_new", 0
    result, count = await deliver(app, store, plan, now)
    if result == "sent":
        return "sent", count
    return "incomplete", count


__all__ = [
    "DigestPlan",
    "cleanup",
    "digest_tick",
    "plan_digests",
    "send_more",
    "send_now",
    "start_job",
]
