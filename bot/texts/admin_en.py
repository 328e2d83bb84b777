"""Admin screens in English (/edit, /add's summary, /history): a value shows in its English
form where the record has one (name_en, title_en, note_en, sector names from the taxonomy,
stages, dates, amounts), and as stored otherwise. Pure functions; the handler gathers the
records."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.core.records import (
    EVENT_KIND_ZH,
    STAGE_ZH,
    Company,
    Event,
    EventKind,
    Project,
    Source,
    Stage,
    Zone,
)
from bot.core.values import Amount, PartialDate, Quantity
from bot.texts.common import date, event_kind, money, quantity, stage

_STAGE_BY_ZH = {v: k for k, v in STAGE_ZH.items()}
_KIND_BY_ZH = {v: k for k, v in EVENT_KIND_ZH.items()}
_MONEY_KEYS = ("investment", "registered_capital", "annual_output")
_MONEY_FIELDS = ("total_investment", "registered_capital", "annual_output")


def _money_en(text: str) -> str:
    try:
        return money(Amount.parse(text), "en")
    except ValueError:
        return text


def _land_en(text: str) -> str:
    try:
        value = Quantity.parse(text.replace("亩", ""), "亩")
    except ValueError:
        return text
    return quantity(Quantity(value.value, "亩", value.qualifier), "en")


def _date_en(text: str) -> str:
    try:
        return date(PartialDate.parse(text), "en")
    except ValueError:
        return text


def _sectors_en(text: str, labels: Mapping[str, str]) -> str:
    parts = [p.strip() for p in text.replace("，", "、").replace(",", "、").split("、")]
    return ", ".join(labels.get(p, p) for p in parts if p)


def _stage_en(text: str) -> str:
    found = _STAGE_BY_ZH.get(text)
    if found is None:
        try:
            found = Stage(text)
        except ValueError:
            return text
    return stage(found, "en")


def _kind_en(text: str) -> str:
    found = _KIND_BY_ZH.get(text)
    if found is None:
        try:
            found = EventKind(text)
        except ValueError:
            return text
    return event_kind(found, "en")


def draft_values(
    values: Mapping[str, str],
    original: Mapping[str, str],
    record: Project | Event | None,
    *,
    zone: Zone | None,
    company: Company | None,
    source: Source | None,
    labels: Mapping[str, str],
) -> dict[str, str]:
    """The draft's values as an English screen shows them. A value as the record holds it
    (unchanged) takes the record's English form; one typed now is shown as typed, with the
    zone, stage, kind, date, sectors and amounts in English where they read as such."""
    shown: dict[str, str] = {}
    for key, value in values.items():
        kept = record is not None and original.get(key) == value
        shown[key] = _one(key, value, kept, record, zone, company, source, labels)
    return shown


def _one(
    key: str,
    value: str,
    kept: bool,
    record: Project | Event | None,
    zone: Zone | None,
    company: Company | None,
    source: Source | None,
    labels: Mapping[str, str],
) -> str:
    if key == "zone":
        return (zone.name_en or zone.short_zh) if zone is not None else value
    if key == "stage":
        return _stage_en(value)
    if key == "kind":
        return _kind_en(value)
    if key == "date":
        if kept and record is not None:
            when = record.stage_date if isinstance(record, Project) else record.date
            return date(when, "en") if when is not None else value
        return _date_en(value)
    if key == "sector":
        return _sectors_en(value, labels)
    if key in _MONEY_KEYS:
        return _money_en(value)
    if key == "land_mu":
        return _land_en(value)
    if not kept or record is None:
        return value
    if key == "company" and company is not None:
        return company.name_en or value
    if key == "project" and isinstance(record, Project):
        return record.name_en or value
    if key == "title" and isinstance(record, Event):
        return record.title_en or value
    if key == "note":
        english = record.note_en if isinstance(record, Project) else record.summary_en
        return english or value
    if key == "figures" and isinstance(record, Event) and record.figures:
        return "; ".join(
            f"{f.name_en or f.name_zh}: {quantity(f.value, 'en')}" for f in record.figures
        )
    if key == "source" and source is not None:
        return source.title_en or value
    return value


# ---- /history ---------------------------------------------------------------------------------

FIELD_EN: dict[str, str] = {
    "zone": "zone",
    "company": "company",
    "name_zh": "name (Chinese)",
    "name_en": "name (English)",
    "title_zh": "title (Chinese)",
    "title_en": "title (English)",
    "sectors": "sectors",
    "stage": "stage",
    "stage_date": "date",
    "landed": "landed",
    "landed_date": "landed on",
    "registered_capital": "registered capital",
    "total_investment": "total investment",
    "annual_output": "output at full production",
    "land_mu": "land (mu)",
    "floor_area_m2": "floor area (m²)",
    "highlights_zh": "highlights (Chinese)",
    "highlights_en": "highlights (English)",
    "figures": "figures",
    "chain_role": "chain role",
    "event": "event",
    "note": "note",
    "note_en": "note (English)",
    "source": "source",
    "review": "review notes",
    "kind": "kind",
    "date": "date",
    "companies": "companies",
    "places": "places",
    "summary_zh": "summary (Chinese)",
    "summary_en": "summary (English)",
}


def history_field(key: str) -> str:
    return FIELD_EN.get(key, key.replace("_", " "))


def history_value(key: str, value: Any, labels: Mapping[str, str]) -> str | None:
    """A stored value of a record's field in English, or None to show it as stored."""
    if value is None or isinstance(value, bool):
        return None
    if key in _MONEY_FIELDS and isinstance(value, str):
        return _money_en(value)
    if key == "land_mu" and isinstance(value, str | int | float):
        return _land_en(str(value))
    if key in ("stage_date", "landed_date", "date") and isinstance(value, str):
        return _date_en(value)
    if key == "sectors" and isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if key == "figures" and isinstance(value, list):
        return "; ".join(
            f"{f.get('name_en') or f.get('name_zh')}: {f.get('value')}"
            for f in value
            if isinstance(f, dict)
        )
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return None
