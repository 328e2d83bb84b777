"""What a question asked besides its zone and record: the size condition, the stages and the
sectors. Saved with each answer's context so a follow-up (那新能源呢, 那咸宁呢, "And new
energy?") keeps what it does not change. No Telegram and no SQL: stored as a JSON string."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from bot.core.conditions import Bound, Condition, Family, Measure

_MEASURES = ("investment", "capital", "output", "land", "area")
_FAMILIES = ("CNY", "USD", "mu", "m2")


@dataclass(frozen=True)
class Frame:
    """The narrowing of the last question: a size condition, stages, sector ids."""

    condition: Condition | None = None
    stages: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    by_zone: bool = False  # asked "which zones" (哪些园区有…以上的项目)

    def __bool__(self) -> bool:
        return self.condition is not None or bool(self.stages) or bool(self.sectors)


def _bound(bound: Bound | None) -> list[Any] | None:
    return None if bound is None else [str(bound.value), bound.inclusive]


def dump(frame: Frame | None) -> str | None:
    """The frame as stored (None when it narrows nothing)."""
    if not frame:
        return None
    assert frame is not None
    cond = frame.condition
    body: dict[str, Any] = {
        "stages": list(frame.stages),
        "sectors": list(frame.sectors),
        "by_zone": frame.by_zone,
    }
    if cond is not None:
        body["condition"] = {
            "measure": cond.measure,
            "family": cond.family,
            "low": _bound(cond.low),
            "high": _bound(cond.high),
            "typed": cond.typed,
        }
    return json.dumps(body, ensure_ascii=False)


def _load_bound(raw: object) -> Bound | None:
    if not isinstance(raw, list) or len(raw) != 2:
        return None
    try:
        return Bound(Decimal(str(raw[0])), bool(raw[1]))
    except InvalidOperation:
        return None


def _words(raw: object) -> tuple[str, ...]:
    return tuple(s for s in raw if isinstance(s, str)) if isinstance(raw, list) else ()


def load(text: str | None) -> Frame | None:
    """The frame stored; None for nothing stored or anything malformed (never raises)."""
    if not text:
        return None
    try:
        body = json.loads(text)
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    condition = None
    raw = body.get("condition")
    if isinstance(raw, dict) and raw.get("measure") in _MEASURES and raw.get("family") in _FAMILIES:
        low, high = _load_bound(raw.get("low")), _load_bound(raw.get("high"))
        if low is not None or high is not None:
            condition = Condition(
                cast(Measure, raw["measure"]),
                cast(Family, raw["family"]),
                low,
                high,
                str(raw.get("typed") or ""),
            )
    stages, sectors = _words(body.get("stages")), _words(body.get("sectors"))
    frame = Frame(condition, stages, sectors, body.get("by_zone") is True)
    return frame or None
