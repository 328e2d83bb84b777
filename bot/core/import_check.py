"""Import, step 4: one value checked and parsed (an /add answer, a cell): money, land, choices,
dates; each problem a RowError for bot/texts to word."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from pydantic import ValidationError

from bot.core.import_files import MULTILINE_KEYS, RowError, clean_text
from bot.core.import_resolve import Resolver, date_text, figures_text, parse_figures
from bot.core.records import (
    EVENT_KIND_ZH,
    STAGE_ZH,
    Event,
    Project,
    parse_event_kind,
    parse_stage,
)
from bot.core.values import Amount, PartialDate, Quantity


def check_value(key: str, text: str, resolver: Resolver) -> tuple[str, RowError | None]:
    """One value typed in /add or /edit: its canonical text, or the error to re-ask with."""
    text = clean_text(text, key in MULTILINE_KEYS)
    errors: list[RowError] = []
    if not text:
        return "", RowError(0, key, "required")
    if key == "zone":
        zone, problem = resolver.zone(text)
        return (zone or "", problem)
    if key == "stage":
        try:
            return STAGE_ZH[parse_stage(text)], None
        except ValueError:
            return "", RowError(0, key, "stage", text)
    if key == "kind":
        try:
            return EVENT_KIND_ZH[parse_event_kind(text)], None
        except ValueError:
            return "", RowError(0, key, "kind", text)
    if key == "date":
        value = date_cell(text, errors)
        return (value.edtf() if value else ""), (errors[0] if errors else None)
    if key in ("investment", "registered_capital", "annual_output"):
        amount = money_cell({key: text}, key, errors)
        return (amount.text() if amount else ""), (errors[0] if errors else None)
    if key == "land_mu":
        land = land_cell(text, errors)
        return (land.text() if land else ""), (errors[0] if errors else None)
    if key == "figures":
        try:
            return figures_text(parse_figures(text)), None
        except (ValueError, ValidationError) as exc:
            detail = str(exc) if isinstance(exc, ValueError) else ""
            return "", RowError(0, key, "figures", text, detail)
    if len(text) > 2000:
        return "", RowError(0, key, "invalid", "", "max 2000")
    return text, None


# A big file repeats its values (5亿, 120亩, 2025-03) on many rows: each distinct text is parsed
# once. The values are frozen, so one parsed value may serve every row that wrote it.
@lru_cache(maxsize=4096)
def _amount(text: str) -> Amount:
    return Amount.parse(text)


@lru_cache(maxsize=4096)
def _land(text: str) -> Quantity:
    return Quantity.parse(text, unit="亩")


@lru_cache(maxsize=4096)
def _date(text: str) -> PartialDate:
    return PartialDate.parse(date_text(text))


def money_cell(values: dict[str, str], key: str, errors: list[RowError]) -> Amount | None:
    text = values.get(key)
    if not text:
        return None
    if text.lstrip().startswith(("-", "−", "－")):
        errors.append(RowError(0, key, "negative", text))
        return None
    try:
        return _amount(text)
    except ValueError:
        errors.append(RowError(0, key, "amount", text))
        return None


def land_cell(text: str | None, errors: list[RowError]) -> Quantity | None:
    if not text:
        return None
    if text.lstrip().startswith(("-", "−", "－")):
        errors.append(RowError(0, "land_mu", "negative", text))
        return None
    try:
        quantity = _land(text)
    except ValueError:
        errors.append(RowError(0, "land_mu", "number", text))
        return None
    if quantity.unit != "亩":
        errors.append(RowError(0, "land_mu", "land_unit", text))
        return None
    return quantity


C = TypeVar("C")


def choice_cell(
    values: dict[str, str], key: str, parse: Callable[[str], C], errors: list[RowError]
) -> C | None:
    """A closed-choice cell (stage, kind) parsed; an unknown word is recorded as an error."""
    text = values.get(key)
    if not text:
        return None
    try:
        return parse(text)
    except ValueError:
        errors.append(RowError(0, key, key, text))
        return None


def date_cell(text: str | None, errors: list[RowError]) -> PartialDate | None:
    if not text:
        return None
    try:
        return _date(text)
    except ValueError:
        errors.append(RowError(0, "date", "date", text))
        return None


def same_amount(stored: Amount | Quantity | None, given: Amount | Quantity) -> bool:
    if stored is None or stored.qualifier != given.qualifier:
        return False
    if isinstance(stored, Amount) and isinstance(given, Amount):
        return stored.currency == given.currency and stored.in_base() == given.in_base()
    if isinstance(stored, Quantity) and isinstance(given, Quantity):
        return stored.value == given.value and {stored.unit, given.unit} <= {"", "亩"}
    return False


def model_errors(exc: ValidationError) -> list[RowError]:
    names = {"name_zh": "project", "title_zh": "title", "summary_zh": "note", "note": "note"}
    found = []
    for error in exc.errors():
        loc = str(error["loc"][0]) if error["loc"] else "record"
        message = str(error["msg"]).removeprefix("Value error, ")
        found.append(RowError(0, names.get(loc, loc), "invalid", "", message))
    return found


def differs(existing: Project | Event | None, record: Project | Event) -> bool:
    """True when a stored record's facts (anything but its source) would change."""
    if existing is None:
        return True
    skip = {"source", "learned_at"}
    return existing.model_dump(exclude=skip) != record.model_dump(exclude=skip)
