"""What /status reports and nothing else needs: start time, mode, the last tick of each
periodic job and what it sent, errors by kind over the last 24 hours.

Kept in memory (since start) in one object in services.extra; the jobs call ``record_tick``
once per tick, the error handler ``record_error``.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import Application

from bot.context import services_of
from storage.base import utcnow

OPS_KEY = "ops"
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

    def uptime(self) -> timedelta:
        return timedelta(seconds=time.monotonic() - self.started_monotonic)

    def errors_since(self, moment: datetime) -> dict[str, int]:
        return dict(Counter(kind for at, kind in self.errors if at >= moment))


def ops_of(app: Application[Any, Any, Any, Any, Any, Any]) -> Ops:
    extra = services_of(app).extra
    ops = extra.get(OPS_KEY)
    if not isinstance(ops, Ops):
        ops = extra[OPS_KEY] = Ops()
    return ops


def record_tick(
    app: Application[Any, Any, Any, Any, Any, Any], job: str, summary: dict[str, int]
) -> None:
    """One tick of a periodic job (``alerts``, ``digest``, ``backup``) and what it sent."""
    ops_of(app).ticks[job] = Tick(utcnow(), {k: v for k, v in summary.items() if v})


def record_error(app: Application[Any, Any, Any, Any, Any, Any], kind: str) -> None:
    ops_of(app).errors.append((utcnow(), kind))
