"""What /status reports and nothing else needs: start time, the last tick of each periodic
job and what it sent, errors by kind over the last 24 hours.

Kept in memory (since start) in one object, ``services.ops``; the jobs call ``record_tick``
once per tick. Errors are counted from the log: every record at ERROR or above while the bot
runs (wherever it comes from: handlers, ticks, jobs), by the ``error_kind`` the record
carries (``log.error(..., extra={"error_kind": "storage:full"})``), else by its exception's
class, else by its logger; records below ERROR count only when they carry a kind.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from storage.base import utcnow

ERROR_WINDOW = timedelta(hours=24)
MAX_ERRORS = 10_000  # a storm of errors must not grow memory without bound


@dataclass(frozen=True)
class Tick:
    at: datetime
    summary: dict[str, int]


@dataclass
class Ops:
    started_at: datetime = field(default_factory=utcnow)
    started_monotonic: float = field(default_factory=time.monotonic)
    ticks: dict[str, Tick] = field(default_factory=dict)
    errors: deque[tuple[datetime, str]] = field(default_factory=lambda: deque(maxlen=MAX_ERRORS))
    counter: logging.Handler | None = None  # the ErrorCounter while the bot runs

    def uptime(self) -> timedelta:
        return timedelta(seconds=time.monotonic() - self.started_monotonic)

    def errors_since(self, moment: datetime) -> dict[str, int]:
        return dict(Counter(kind for at, kind in self.errors if at >= moment))


def record_tick(ops: Ops, job: str, summary: dict[str, int]) -> None:
    """One tick of a periodic job (``alerts``, ``digest``, ``backup``) and what it sent."""
    ops.ticks[job] = Tick(utcnow(), {k: v for k, v in summary.items() if v})


class ErrorCounter(logging.Handler):
    """A log handler that counts errors by kind into one app's Ops."""

    def __init__(self, ops: Ops) -> None:
        super().__init__(level=logging.DEBUG)
        self.ops = ops

    def emit(self, record: logging.LogRecord) -> None:
        kind = getattr(record, "error_kind", None)
        if kind is None and record.levelno < logging.ERROR:
            return
        if kind is None:
            error = record.exc_info[1] if record.exc_info else None
            kind = type(error).__name__ if error is not None else record.name
        self.ops.errors.append((utcnow(), str(kind)))


def start_error_counter(ops: Ops) -> None:
    """Count errors from now on (post_init); ``stop_error_counter`` at shutdown."""
    stop_error_counter(ops)
    ops.counter = ErrorCounter(ops)
    logging.getLogger().addHandler(ops.counter)


def stop_error_counter(ops: Ops) -> None:
    if ops.counter is not None:
        logging.getLogger().removeHandler(ops.counter)
        ops.counter = None
