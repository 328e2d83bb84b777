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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from bot.context import BotContext, services_of
from bot.core import alerts
from bot.delivery import Gone, Migrated, Pacer, Refused, RetryLater, Sent, app_pacer, send
from bot.ops import record_tick
from bot.texts import subscriptions as texts
from bot.texts.common import Lang
from storage import Store
from storage.base import utcnow
from storage.subscription_queries import PER_CHAT_BATCH, PendingDelivery

log = logging.getLogger(__name__)

JOB_NAME = "alerts"
INTERVAL = 12.0  # seconds between ticks: a record stored elsewhere is seen within this
CONCURRENCY = 8  # chats sent to at the same time
MESSAGES_PER_CHAT = 3  # per tick, so one busy chat cannot hold a tick for long
# More than this many alerts owed to one chat at once (a big import): one list of the first
# ones and a count of the rest, pointing to the digest, instead of a flood of messages.
FLOOD_ABOVE = 30
MAX_NETWORK_ATTEMPTS = 50
LOCK_KEY = "alert_tick_lock"
RECORD_PREFIX = {"project": "p", "event": "e"}


@dataclass
class TickReport:
    """What one tick did, for logs and tests."""

    planned: int = 0
    sent: dict[int, list[int]] = field(default_factory=dict)
    postponed: dict[int, float] = field(default_factory=dict)
    gone: list[int] = field(default_factory=list)
    migrated: dict[int, int] = field(default_factory=dict)
    refused: list[int] = field(default_factory=list)


async def start_alerts_job(app: Application) -> None:  # type: ignore[type-arg]
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
    report = await alerts_tick(context.application)
    sent = sum(len(s) for s in report.sent.values())
    record_tick(context.application, "alerts", {"sent": sent, "postponed": len(report.postponed)})
    if report.planned or report.sent or report.postponed or report.gone:
        log.info(
            "alerts: %d queued, %d sent, %d chats postponed, %d chats gone",
            report.planned,
            sum(len(s) for s in report.sent.values()),
            len(report.postponed),
            len(report.gone),
        )


def _clock(app: Application) -> Callable[[], datetime]:  # type: ignore[type-arg]
    clock: Callable[[], datetime] = app.bot_data.get("now", utcnow)
    return clock


async def alerts_tick(app: Application, now: datetime | None = None) -> TickReport:  # type: ignore[type-arg]
    """Plan, then send every due alert once. Callable directly (tests) or by the job."""
    services = services_of(app)
    store = services.store
    report = TickReport()
    if store is None:
        return report
    lock = services.extra.setdefault(LOCK_KEY, asyncio.Lock())
    if lock.locked():
        return report  # the previous tick is still sending
    async with lock:
        report.planned = await store.plan_deliveries(alerts.match)
        moment = now or _clock(app)()
        pending = await store.pending_deliveries(moment)
        if not pending:
            return report
        per_chat = alerts.by_destination((row.chat_id, row) for row in pending)
        gate = asyncio.Semaphore(CONCURRENCY)
        pacer = app_pacer(app)

        async def one(chat_id: int, rows: list[PendingDelivery]) -> None:
            async with gate:
                await _deliver_chat(app, store, pacer, chat_id, rows, moment, report)

        results = await asyncio.gather(
            *(one(chat_id, rows) for chat_id, rows in per_chat.items()), return_exceptions=True
        )
        for chat_id, result in zip(per_chat, results, strict=True):
            if isinstance(result, BaseException):
                log.error("alerts to chat %s failed", chat_id, exc_info=result)
    return report


async def _deliver_chat(
    app: Application,  # type: ignore[type-arg]
    store: Store,
    pacer: Pacer,
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
        text, markup = _message(shown, [row.record_id for row in item.items], lang)
        if settle_to is not None:
            text += "\n\n" + texts.flood_rest(total - len(shown), lang)
        outcome = await send(
            app.bot,
            pacer,
            chat_id,
            text,
            thread_id=item.thread_id,
            markup=markup,
            attempts=attempts,
        )
        if isinstance(outcome, Sent):
            if settle_to is not None:
                await store.settle_pending(chat_id, settle_to, _clock(app)())
            else:
                await store.mark_sent(chat_id, seqs, _clock(app)())
            report.sent.setdefault(chat_id, []).extend(seqs)
        elif isinstance(outcome, RetryLater):
            later = [row.seq for b in bundles[index:] for row in b.items]
            network = outcome.reason != "rate limited"
            count = min(attempts + 1, MAX_NETWORK_ATTEMPTS) if network else attempts
            await store.postpone(chat_id, later, moment + timedelta(seconds=outcome.seconds), count)
            report.postponed[chat_id] = outcome.seconds
            log.info("alerts to %s wait %.0fs: %s", chat_id, outcome.seconds, outcome.reason)
            return
        elif isinstance(outcome, Migrated):
            await store.migrate_chat(chat_id, outcome.new_chat_id)
            report.migrated[chat_id] = outcome.new_chat_id
            return  # the rows moved with the chat; the next tick sends to the new id
        elif isinstance(outcome, Gone):
            if item.thread_id is not None and _topic_gone(outcome.reason):
                await store.give_up(chat_id, seqs)  # that topic is gone, not the chat
                report.refused.extend(seqs)
                continue
            await store.set_chat_active(chat_id, False)
            report.gone.append(chat_id)
            log.info("chat %s is gone (%s): alerts stopped", chat_id, outcome.reason)
            return
        elif isinstance(outcome, Refused):
            await store.give_up(chat_id, seqs)
            report.refused.extend(seqs)


def _topic_gone(reason: str) -> bool:
    lowered = reason.lower()
    return "thread" in lowered or "topic" in lowered


def _message(
    shown: Sequence[texts.AlertRecord], record_ids: Sequence[str], lang: Lang
) -> tuple[str, InlineKeyboardMarkup | None]:
    buttons: list[list[InlineKeyboardButton]] = []
    for number, (item, record_id) in enumerate(zip(shown, record_ids, strict=True), start=1):
        data = record_callback(item.kind, record_id)
        if data is None:
            continue
        label = (
            texts.details_button(lang) if len(shown) == 1 else texts.list_button(number, item, lang)
        )
        buttons.append([InlineKeyboardButton(label, callback_data=data)])
    text = texts.alert(shown[0], lang) if len(shown) == 1 else texts.alert_list(shown, lang)
    return text, InlineKeyboardMarkup(buttons) if buttons else None


def record_callback(kind: str, record_id: str) -> str | None:
    """callback_data of a 'full record' button (the lookups' project and event cards, p:ID
    and e:ID), or None when it would not fit in 64 bytes."""
    data = f"{RECORD_PREFIX.get(kind, kind)}:{record_id}"
    return data if len(data.encode()) <= 64 else None


async def load_record(
    store: Store, kind: str, record_id: str, change: str = "new"
) -> texts.AlertRecord | None:
    """A project or event with its zone and companies, ready for the texts; None if deleted."""
    record: Any = (
        await store.project(record_id) if kind == "project" else await store.event(record_id)
    )
    if record is None:
        return None
    company_ids = [record.company] if kind == "project" and record.company else []
    if kind == "event":
        company_ids = list(record.companies)
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
