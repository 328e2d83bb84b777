"""The alert job: queue alerts for new feed items, then send what is due, chat by chat.

Every tick first plans deliveries from the feed (so records written by another process are
noticed), then sends the pending ones. Each chat is handled on its own under a bound on
concurrency: a 429 parks that chat until Telegram's retry time and the others carry on.
Nothing awaits Telegram inside a store transaction; a delivery is marked sent only after
Telegram accepted the message, so a crash can repeat one alert but never drop one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.callbacks import Lookup, packed
from bot.context import BotApp, BotContext, Clock, services_of
from bot.core import alerts
from bot.core.records import Change, Event, PendingDelivery, Project, RecordKind
from bot.core.robots import is_channel_id
from bot.jobs.delivery import (
    Button,
    Migrated,
    Outgoing,
    RetryLater,
    settle,
)
from bot.ops import record_tick
from bot.texts import subscriptions as texts
from bot.texts.common import Lang
from storage import Store
from storage.subscription_queries import PER_CHAT_BATCH

log = logging.getLogger(__name__)

JOB_NAME = "alerts"
INTERVAL = 12.0  # seconds between ticks: a record stored elsewhere is seen within this
CONCURRENCY = 8  # Telegram chats sent to at the same time
# Group robots handled at the same time: most of them just wait for their own slots; posts in
# flight are bounded separately (bot/jobs/robots.py POSTS_IN_FLIGHT).
ROBOT_CONCURRENCY = 64
MESSAGES_PER_CHAT = 3  # per tick, so one busy chat cannot hold a tick for long
# More than this many alerts owed to one chat at once (a big import): one list of the first
# ones and a count of the rest, pointing to the digest, instead of a flood of messages.
FLOOD_ABOVE = 30
MAX_NETWORK_ATTEMPTS = 50


@dataclass
class TickReport:
    """What one tick did, for logs and tests."""

    planned: int = 0
    sent: dict[int, list[int]] = field(default_factory=dict)
    postponed: dict[int, float] = field(default_factory=dict)
    gone: list[int] = field(default_factory=list)
    migrated: dict[int, int] = field(default_factory=dict)
    refused: list[int] = field(default_factory=list)


async def start_alerts_job(app: BotApp) -> None:
    """Run the tick every INTERVAL seconds, first one second after start."""
    queue = app.job_queue
    if queue is None:
        log.warning("no job queue (install python-telegram-bot[job-queue]): no instant alerts")
        return
    for job in queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    queue.run_repeating(
        _run,
        interval=INTERVAL,
        first=1,
        name=JOB_NAME,
        # A late tick still runs (no grace limit), missed ones collapse into one, and a
        # slow tick is never overlapped by the next.
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def _run(context: BotContext) -> None:
    report = await alerts_tick(context.app)
    sent = sum(len(s) for s in report.sent.values())
    record_tick(context.services.ops, "alerts", {"sent": sent, "postponed": len(report.postponed)})
    if report.planned or report.sent or report.postponed or report.gone:
        log.info(
            "alerts: %d queued, %d sent, %d chats postponed, %d chats gone",
            report.planned,
            sum(len(s) for s in report.sent.values()),
            len(report.postponed),
            len(report.gone),
        )


async def alerts_tick(app: BotApp, now: datetime | None = None) -> TickReport:
    """Plan, then send every due alert once. Callable directly (tests) or by the job."""
    services = services_of(app)
    store = services.store
    report = TickReport()
    if store is None:
        return report
    lock = services.alert_tick_lock
    if lock.locked():
        return report  # the previous tick is still sending
    async with lock:
        report.planned = await store.plan_deliveries(alerts.match)
        moment = now or services_of(app).clock()
        pending = await store.pending_deliveries(moment)
        if not pending:
            return report
        per_chat = alerts.by_destination((row.chat_id, row) for row in pending)
        # Telegram chats and group robots each have their own workers: a robot waiting for
        # its slot (or its webhook) never holds a place a Telegram chat is queued for.
        gates = {False: asyncio.Semaphore(CONCURRENCY), True: asyncio.Semaphore(ROBOT_CONCURRENCY)}

        async def one(chat_id: int, rows: list[PendingDelivery]) -> None:
            async with gates[is_channel_id(chat_id)]:
                await _deliver_chat(app, store, chat_id, rows, moment, report)

        results = await asyncio.gather(
            *(one(chat_id, rows) for chat_id, rows in per_chat.items()), return_exceptions=True
        )
        for chat_id, result in zip(per_chat, results, strict=True):
            if isinstance(result, BaseException):
                log.error("alerts to chat %s failed", chat_id, exc_info=result)
    return report


async def _deliver_chat(
    app: BotApp,
    store: Store,
    chat_id: int,
    rows: list[PendingDelivery],
    moment: datetime,
    report: TickReport,
) -> None:
    """Send one chat's due alerts in order; stop at the first answer that says 'not now'."""
    lang: Lang = "en" if rows[0].lang == "en" else "zh"
    records = await _records(store, rows)
    missing = [row.seq for row in rows if row.seq not in records]
    if missing:
        await store.give_up(chat_id, missing)  # deleted before it could be announced
    present = [row for row in rows if row.seq in records]
    per_thread = alerts.by_destination((row.thread_id, row) for row in present)
    bundles = [
        b
        for thread_id, thread_rows in per_thread.items()
        for b in alerts.bundle(chat_id, thread_id, thread_rows)
    ]
    settle_to: int | None = None
    # A full batch may hide a flood: count everything this chat is owed.
    if len(rows) >= PER_CHAT_BATCH and bundles:
        total, newest = await store.pending_total(chat_id)
        if total > FLOOD_ABOVE:
            bundles = bundles[:1]
            settle_to = newest
    for index, item in enumerate(bundles):
        if index >= MESSAGES_PER_CHAT:
            return  # the rest goes out next tick
        seqs = [row.seq for row in item.items]
        shown = [records[row.seq] for row in item.items]
        attempts = max(row.attempts for row in item.items)
        message = _message(shown, [row.record_id for row in item.items], lang)
        if settle_to is not None:
            message = replace(
                message, text=message.text + "\n\n" + texts.flood_rest(total - len(shown), lang)
            )
        to = services_of(app).destination(app.bot, chat_id, item.thread_id)
        later = [row.seq for b in bundles[index:] for row in b.items]
        clock = services_of(app).clock
        parcel = _AlertParcel(store, clock, chat_id, seqs, later, settle_to, attempts, moment)
        outcome = await to.deliver(message, attempts=attempts)
        settled = await settle(store, to, outcome, parcel, "alerts")
        if settled == "sent":
            report.sent.setdefault(chat_id, []).extend(seqs)
        elif settled == "abandoned":
            report.refused.extend(seqs)
        else:
            if isinstance(outcome, RetryLater):
                report.postponed[chat_id] = outcome.seconds
            elif isinstance(outcome, Migrated):
                report.migrated[chat_id] = outcome.new_chat_id
            else:
                report.gone.append(chat_id)
            return  # postponed, moved (the next tick sends to the new id) or gone


@dataclass
class _AlertParcel:
    """One alert message's deliveries, recorded by outcome."""

    store: Store
    clock: Clock
    chat_id: int
    seqs: list[int]
    later: list[int]  # this bundle's and the next ones': a 429 parks them all
    settle_to: int | None  # a flood: everything owed up to this seq is settled by this one
    attempts: int
    moment: datetime

    async def accepted(self) -> None:
        if self.settle_to is not None:
            await self.store.settle_pending(self.chat_id, self.settle_to, self.clock())
        else:
            await self.store.mark_sent(self.chat_id, self.seqs, self.clock())

    async def postpone(self, later: RetryLater) -> None:
        network = later.reason != "rate limited"
        count = min(self.attempts + 1, MAX_NETWORK_ATTEMPTS) if network else self.attempts
        until = self.moment + timedelta(seconds=later.seconds)
        await self.store.postpone(self.chat_id, self.later, until, count)

    async def abandon(self) -> None:
        await self.store.give_up(self.chat_id, self.seqs)


def _message(shown: Sequence[texts.AlertRecord], record_ids: Sequence[str], lang: Lang) -> Outgoing:
    buttons: list[tuple[Button, ...]] = []
    for number, (item, record_id) in enumerate(zip(shown, record_ids, strict=True), start=1):
        data = packed(Lookup.record(item.kind, record_id))  # None: over 64 bytes
        if data is None:
            continue
        label = (
            texts.details_button(lang) if len(shown) == 1 else texts.list_button(number, item, lang)
        )
        buttons.append(((label, data),))
    text = texts.alert(shown[0], lang) if len(shown) == 1 else texts.alert_list(shown, lang)
    return Outgoing(text, tuple(buttons))


async def load_record(
    store: Store, kind: RecordKind, record_id: str, change: Change = "new"
) -> texts.AlertRecord | None:
    """A project or event with its zone and companies, ready for the texts; None if deleted."""
    record: Project | Event | None
    if kind == "project":
        record = await store.project(record_id)
        company_ids = [record.company] if record is not None and record.company else []
    else:
        record = await store.event(record_id)
        company_ids = list(record.companies) if record is not None else []
    if record is None:
        return None
    companies = await store.companies(company_ids)
    names = tuple(
        companies[c].short_zh or companies[c].name_zh for c in company_ids if c in companies
    )
    return texts.AlertRecord(
        kind=kind, change=change, record=record, zone=await store.zone(record.zone), companies=names
    )


async def _records(store: Store, rows: Sequence[PendingDelivery]) -> dict[int, texts.AlertRecord]:
    found: dict[int, texts.AlertRecord] = {}
    for row in rows:
        record = await load_record(store, row.kind, row.record_id, row.change)
        if record is not None:
            found[row.seq] = record
    return found
