"""Reading import files (CSV, XLSX, YAML) into a FactFile, row by row, naming every bad cell.

Spreadsheets follow a column contract that other tools write too (see ``SIGNING_COLUMNS`` and
``EVENT_COLUMNS``; English or Chinese headers). Names are resolved as /zone and /sector resolve
them; a row that names a record already in the store (same zone and name) updates it, keeping
every field the columns do not cover, and an empty cell never erases a stored value. Ids of new
records are derived from zone and name, so importing the same file twice changes nothing.

A row (or an /edit) that changes a stored record's facts without naming a source is credited to
a new source for that change (who or which file changed it, and the source it replaces), never
to the record's old source: a newspaper is not cited for a figure it did not give.

Every cell and typed value is cleaned of control and format characters (newlines and tabs are
kept in notes and figures only). A cell starting with ``'`` before ``= + - @`` loses that one
apostrophe: exports write it so that spreadsheets take such text as text, not as a formula.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import html
import io
import re
import unicodedata
import zipfile
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import ValidationError

from bot.core.matching import ZoneIndex
from bot.core.zone_cache import zone_index
from storage.base import StoreBase
from storage.facts import MAX_FACT_FILE_BYTES, FactFileError, load_text
from storage.models import (
    EVENT_KIND_ZH,
    STAGE_ZH,
    Company,
    Event,
    FactFile,
    Figure,
    Project,
    SectorArea,
    SectorLabel,
    Source,
    parse_event_kind,
    parse_stage,
)
from storage.text import normalise
from storage.user_queries import NamedRef
from storage.values import Amount, PartialDate, Quantity

TableKind = Literal["signing", "event"]

SIGNING_COLUMNS: tuple[str, ...] = (
    "zone",
    "company",
    "project",
    "sector",
    "stage",
    "date",
    "investment",
    "registered_capital",
    "land_mu",
    "annual_output",
    "note",
    "source",
)
EVENT_COLUMNS: tuple[str, ...] = ("zone", "title", "kind", "date", "figures", "note", "source")
SIGNING_ZH: dict[str, str] = {
    "zone": "园区",
    "company": "企业",
    "project": "项目",
    "sector": "行业",
    "stage": "阶段",
    "date": "日期",
    "investment": "总投资",
    "registered_capital": "注册资本",
    "land_mu": "用地亩",
    "annual_output": "达产产值",
    "note": "备注",
    "source": "来源",
}
EVENT_ZH: dict[str, str] = {
    "zone": "园区",
    "title": "名称",
    "kind": "类型",
    "date": "日期",
    "figures": "数据",
    "note": "备注",
    "source": "来源",
}
_HEADER_KEYS: dict[str, str] = {
    **{k: k for k in (*SIGNING_COLUMNS, *EVENT_COLUMNS)},
    **{normalise(k): k for k in (*SIGNING_COLUMNS, *EVENT_COLUMNS)},
    **{normalise(v): k for v, k in ((v, k) for k, v in SIGNING_ZH.items())},
    **{normalise(v): k for v, k in ((v, k) for k, v in EVENT_ZH.items())},
    # Common variants staff type.
    "用地": "land_mu",
    "用地亩数": "land_mu",
    "投资": "investment",
    "总投资额": "investment",
    "企业名称": "company",
    "项目名称": "project",
    "产业": "sector",
    "活动": "title",
    "活动名称": "title",
}
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml", ".json": "yaml"}
MAX_BYTES = MAX_FACT_FILE_BYTES
PROGRESS_EVERY = 1000
MAX_ERRORS = 200  # enough to fix a file; a 10,000-row file of errors need not be listed whole


class FileProblem(Exception):
    """The file as a whole cannot be read: ``code`` says why (texts render it in both languages)."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)


@dataclass(frozen=True)
class RowError:
    """One bad cell (or row): spreadsheet row number as Excel shows it (the header is row 1)."""

    row: int
    field: str
    code: str
    value: str = ""
    detail: str = ""
    sheet: str | None = None

    def __str__(self) -> str:
        where = f"{self.sheet} " if self.sheet else ""
        value = f" {self.value!r}" if self.value else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{where}row {self.row}, field {self.field}: {self.code}{value}{detail}"


@dataclass
class Table:
    """One sheet (or CSV file) of one kind: its rows as column key -> cell text."""

    kind: TableKind
    sheet: str | None
    rows: list[tuple[int, dict[str, str]]]
    ignored_columns: tuple[str, ...] = ()


@dataclass
class ImportResult:
    """What a file would change: the FactFile to apply, or the errors that stop it."""

    facts: FactFile | None
    errors: list[RowError] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # YAML files: record and field named
    rows: int = 0
    new_labels: list[str] = field(default_factory=list)
    new_companies: list[str] = field(default_factory=list)
    skipped_deleted: list[str] = field(default_factory=list)
    encoding: str | None = None
    ignored_columns: tuple[str, ...] = ()
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.facts is not None and not self.errors and not self.problems


Progress = Callable[[int, int], Awaitable[None]]


# ---- reading bytes into tables -----------------------------------------------------------


def file_format(name: str) -> str:
    """csv, xlsx or yaml by the file name; FileProblem for anything else."""
    suffix = Path(name).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if suffix in (".xls", ".et", ".numbers", ".ods"):
        raise FileProblem("old_spreadsheet", suffix)
    raise FileProblem("type", suffix or "(none)")


MULTILINE_KEYS = frozenset({"note", "figures"})
_FORMULA_START = re.compile(r"'*[=+\-@]")
_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n"})


def clean_text(text: str, multiline: bool = False) -> str:
    """Text without control (Cc) or format (Cf) characters; notes keep newlines and tabs.

    Whitespace controls become a space (a newline in a name separates words); the others go.
    """
    if text.isprintable():  # the usual case: nothing to remove
        return text.strip()
    if multiline:
        text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    out = []
    for char in text:
        if multiline and char in "\n\t":
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf"):
            if char.isspace():
                out.append(" ")
        elif char in "\u2028\u2029":  # Zl/Zp: line breaks by another name
            out.append("\n" if multiline else " ")
        else:
            out.append(char)
    return "".join(out).strip()


def quote_formula(text: str) -> str:
    """Export: a leading ``'`` so that ``=1+2`` stays text in Excel and WPS (read back as is)."""
    return f"'{text}" if _FORMULA_START.match(text) else text


def unquote_formula(text: str) -> str:
    """Import: drop the one ``'`` that ``quote_formula`` added."""
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text) else text


def clean_cell(key: str, text: str) -> str:
    """A cell's text as stored: cleaned, and the formula guard removed."""
    return unquote_formula(clean_text(text, key in MULTILINE_KEYS))


def _header_key(cell: str) -> str | None:
    text = clean_text(cell)
    if not text:
        return None
    key = _HEADER_KEYS.get(normalise(text)) or _HEADER_KEYS.get(text.lower())
    if key:
        return key
    # Template headers carry both languages: 园区 zone, 园区(zone), 园区/zone.
    for part in re.split(r"[\s()（）/|]+", text):
        key = _HEADER_KEYS.get(normalise(part)) or _HEADER_KEYS.get(part.lower())
        if key:
            return key
    return None


def _table(
    header: Sequence[str], body: list[tuple[int, list[str]]], sheet: str | None
) -> Table | None:
    """A table from a header row and data rows; None when the header names no column we know."""
    keys = [_header_key(h) for h in header]
    known = {k for k in keys if k}
    if "project" in known and "title" in known:
        raise FileProblem("mixed", sheet or "")
    if "project" in known:
        kind: TableKind = "signing"
    elif "title" in known:
        kind = "event"
    else:
        return None
    if "zone" not in known:
        raise FileProblem("missing_column", "zone / 园区")
    columns = SIGNING_COLUMNS if kind == "signing" else EVENT_COLUMNS
    ignored = tuple(
        h.strip() for h, k in zip(header, keys, strict=True) if h.strip() and k not in columns
    )
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in body:
        values: dict[str, str] = {}
        for key, cell in zip(keys, cells, strict=False):
            if key not in columns or key in values:
                continue
            text = clean_cell(key, cell)
            if text:
                values[key] = text
        if values:
            rows.append((number, values))
    return Table(kind, sheet, rows, ignored)


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and encoding of a CSV: UTF-8 (with or without BOM), UTF-16, else GBK/GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise FileProblem("encoding")


def read_csv(data: bytes) -> tuple[Table, str]:
    text, encoding = decode_text(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    if delimiter == "," and first.count(";") > first.count(","):
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as exc:
        raise FileProblem("csv", str(exc)) from None
    header_at = next((i for i, line in enumerate(lines) if any(c.strip() for c in line)), None)
    if header_at is None:
        raise FileProblem("empty")
    body = [(i + 1, line) for i, line in enumerate(lines) if i > header_at]
    table = _table(lines[header_at], body, None)
    if table is None:
        # A GBK file misread would show no known header either; say which it is.
        raise FileProblem("headers", ", ".join(c for c in lines[header_at][:12] if c)[:200])
    return table, encoding


def _cell_text(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        # A cell formatted without a day (yyyy-mm, yyyy"年"m"月") keeps month precision.
        fmt = str(getattr(cell, "number_format", "") or "").lower()
        if "d" not in fmt and ("m" in fmt or "月" in fmt):
            return f"{value.year:04d}-{value.month:02d}"
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value).strip()


def read_xlsx(data: bytes) -> list[Table]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileProblem("xlsx_broken", type(exc).__name__) from None
    tables: list[Table] = []
    try:
        for sheet in book.worksheets:
            header: list[str] | None = None
            body: list[tuple[int, list[str]]] = []
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                texts = [_cell_text(c) for c in cells]
                if header is None:
                    if any(texts):
                        header = texts
                    continue
                body.append((number, texts))
            if header is None:
                continue
            table = _table(header, body, sheet.title)
            if table is not None:
                tables.append(table)
    finally:
        book.close()
    if not tables:
        raise FileProblem("headers", "")
    return tables


# ---- the store's names, for resolving cells ----------------------------------------------


@dataclass
class Catalog:
    """What the store holds that a row may name: zones, sectors, companies, sources, records."""

    zones: ZoneIndex
    zone_ids: frozenset[str]
    areas: list[SectorArea]
    labels: list[SectorLabel]
    companies: list[NamedRef]
    sources: list[NamedRef]
    projects: list[Project]
    events: list[Event]
    deleted_projects: list[tuple[str, str, str]]
    deleted_events: list[tuple[str, str, str]]
    taken: dict[str, set[str]]

    @classmethod
    def empty(cls) -> Catalog:
        return cls(ZoneIndex(), frozenset(), [], [], [], [], [], [], [], [], {})


async def zone_resolver(store: Any) -> Resolver:
    """A resolver that knows only the zones: enough to check one typed zone name."""
    cat = Catalog.empty()
    cat.zones = await zone_index(store)
    cat.zone_ids = frozenset(z.id for z in await store.zones())
    return Resolver(cat)


async def catalog(store: Any) -> Catalog:
    """Everything ``build`` needs from the store, read once per import."""
    zone_ids = frozenset(z.id for z in await store.zones())
    return Catalog(
        zones=await zone_index(store),
        zone_ids=zone_ids,
        areas=await store.areas(),
        labels=await store.labels(),
        companies=await store.company_refs(),
        sources=await store.source_refs(),
        projects=await store.live_projects(),
        events=await store.live_events(),
        deleted_projects=await store.deleted_names("project"),
        deleted_events=await store.deleted_names("event"),
        taken={
            "projects": await store.taken_ids("projects"),
            "events": await store.taken_ids("events"),
            "companies": await store.taken_ids("companies"),
        },
    )


def _digest(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:10]


def derived_id(prefix: str, zone: str, name: str, taken: set[str]) -> str:
    """A stable id from zone and name (p-kunshan-3fa9c0d1e2); suffixed if already used."""
    base = f"{prefix}-{zone[:24]}-{_digest(zone, normalise(name))}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def source_id_for(title: str) -> str:
    return f"s-{_digest(normalise(title))}"


def file_source(file_name: str) -> Source:
    """The source of rows with no source cell: the file itself, the same id every time."""
    name = Path(file_name).name[:200] or "file"
    return Source(id=f"f-{_digest(name)}", title=name)


def split_labels(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[、,，;；/|]+", text) if p.strip()]


def parse_figures(text: str) -> tuple[Figure, ...]:
    """``参赛项目=21个; 落地|landed=6个``: Chinese name, optional English after |, value."""
    figures: list[Figure] = []
    for part in re.split(r"[;；\n]+", text):
        if not part.strip():
            continue
        name, sep, value = (
            re.split(r"(=|＝)", part, maxsplit=1) if "=" in part or "＝" in part else (part, "", "")
        )
        if not sep or not name.strip() or not value.strip():
            raise ValueError(f"{part.strip()!r} is not name=value")
        zh, _, en = name.partition("|")
        quantity = Quantity.parse(value)
        if quantity.value < 0:
            raise ValueError("a figure cannot be negative")
        figures.append(Figure(name_zh=zh.strip(), name_en=en.strip() or zh.strip(), value=quantity))
    return tuple(figures)


def figures_text(figures: Sequence[Figure]) -> str:
    """The figures column as ``parse_figures`` reads it back."""
    parts = []
    for f in figures:
        name = f.name_zh if f.name_en == f.name_zh else f"{f.name_zh}|{f.name_en}"
        parts.append(f"{name}={f.value.text()}")
    return "; ".join(parts)


def _date_text(text: str) -> str:
    # Excel and WPS save dates as 2025/3/14; the fact format writes 2025-03-14.
    if re.fullmatch(r"\d{4}/\d{1,2}(/\d{1,2})?", text):
        return text.replace("/", "-")
    return text


class Resolver:
    """Turns cell text into ids, remembering new labels, companies and sources it creates."""

    def __init__(self, cat: Catalog) -> None:
        self.cat = cat
        self.labels: dict[str, str] = {}
        for lb in cat.labels:
            for name in (lb.label, lb.name_en or ""):
                if name:
                    self.labels.setdefault(normalise(name), lb.label)
        self.areas: dict[str, SectorArea] = {}
        for area in cat.areas:
            for name in (area.id, area.name_zh, area.name_zh.removesuffix("产业"), area.name_en):
                self.areas.setdefault(normalise(name), area)
        self.companies: dict[str, str] = {}
        for ref in cat.companies:
            for name in (ref.id, *ref.names):
                self.companies.setdefault(normalise(name), ref.id)
        self.sources: dict[str, str] = {ref.id: ref.id for ref in cat.sources}
        for ref in cat.sources:
            for name in ref.names:
                self.sources.setdefault(normalise(name), ref.id)
        self.new_labels: dict[str, SectorLabel] = {}
        self.new_companies: dict[str, Company] = {}
        self.new_sources: dict[str, Source] = {}

    def zone(self, text: str) -> tuple[str | None, RowError | None]:
        """(zone id, None) or (None, the error with its code and choices)."""
        if text in self.cat.zone_ids:
            return text, None
        match = self.cat.zones.resolve(text)
        if match.kind == "found":
            return match.zone_id, None
        if match.kind == "ambiguous":
            return None, RowError(0, "zone", "zone_ambiguous", text, ", ".join(match.zone_ids))
        return None, RowError(0, "zone", "zone_unknown", text, ", ".join(match.suggestions))

    def sector(self, text: str) -> str:
        """A known label, the label of a named national area, or a new local label."""
        key = normalise(text)
        if key in self.labels:
            return self.labels[key]
        area = self.areas.get(key)
        name = text.strip()[:50]
        if area is not None:
            name = area.name_zh.removesuffix("产业")
            if normalise(name) in self.labels:
                return self.labels[normalise(name)]
        label = SectorLabel(label=name, area=area.id if area else None)
        self.new_labels[label.label] = label
        self.labels[normalise(name)] = label.label
        self.labels[key] = label.label
        return label.label

    def known_company(self, text: str) -> str | None:
        """The id of a company the store (or this import) already has by that name."""
        return self.companies.get(normalise(text))

    def company(self, text: str, zone: str, source: str) -> str:
        key = normalise(text)
        if key in self.companies:
            return self.companies[key]
        company_id = derived_id("c", zone, text, self.cat.taken["companies"])
        self.cat.taken["companies"].add(company_id)
        self.new_companies[company_id] = Company(
            id=company_id, name_zh=text.strip(), zone=zone, source=source
        )
        self.companies[key] = company_id
        return company_id

    def source(self, text: str) -> str:
        if text in self.sources:
            return self.sources[text]
        key = normalise(text)
        if key in self.sources:
            return self.sources[key]
        source = Source(id=source_id_for(text), title=text.strip()[:2000])
        self.new_sources[source.id] = source
        self.sources[key] = source.id
        return source.id


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
        value = _date(text, errors)
        return (value.edtf() if value else ""), (errors[0] if errors else None)
    if key in ("investment", "registered_capital", "annual_output"):
        amount = _money({key: text}, key, errors)
        return (amount.text() if amount else ""), (errors[0] if errors else None)
    if key == "land_mu":
        land = _land(text, errors)
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


# ---- rows into records ------------------------------------------------------------------


def _money(values: dict[str, str], key: str, errors: list[RowError]) -> Amount | None:
    text = values.get(key)
    if not text:
        return None
    if text.lstrip().startswith(("-", "−", "－")):
        errors.append(RowError(0, key, "negative", text))
        return None
    try:
        return Amount.parse(text)
    except ValueError:
        errors.append(RowError(0, key, "amount", text))
        return None


def _land(text: str | None, errors: list[RowError]) -> Quantity | None:
    if not text:
        return None
    if text.lstrip().startswith(("-", "−", "－")):
        errors.append(RowError(0, "land_mu", "negative", text))
        return None
    try:
        quantity = Quantity.parse(text, unit="亩")
    except ValueError:
        errors.append(RowError(0, "land_mu", "number", text))
        return None
    if quantity.unit != "亩":
        errors.append(RowError(0, "land_mu", "land_unit", text))
        return None
    return quantity


C = TypeVar("C")


def _choice(
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


def _date(text: str | None, errors: list[RowError]) -> PartialDate | None:
    if not text:
        return None
    try:
        return PartialDate.parse(_date_text(text))
    except ValueError:
        errors.append(RowError(0, "date", "date", text))
        return None


def _same(stored: Amount | Quantity | None, given: Amount | Quantity) -> bool:
    if stored is None or stored.qualifier != given.qualifier:
        return False
    if isinstance(stored, Amount) and isinstance(given, Amount):
        return stored.currency == given.currency and stored.in_base() == given.in_base()
    if isinstance(stored, Quantity) and isinstance(given, Quantity):
        return stored.value == given.value and {stored.unit, given.unit} <= {"", "亩"}
    return False


def _model_errors(exc: ValidationError) -> list[RowError]:
    names = {"name_zh": "project", "title_zh": "title", "summary_zh": "note", "note": "note"}
    found = []
    for error in exc.errors():
        loc = str(error["loc"][0]) if error["loc"] else "record"
        message = str(error["msg"]).removeprefix("Value error, ")
        found.append(RowError(0, names.get(loc, loc), "invalid", "", message))
    return found


def _differs(existing: Project | Event | None, record: Project | Event) -> bool:
    """True when a stored record's facts (anything but its source) would change."""
    if existing is None:
        return True
    skip = {"source", "learned_at"}
    return existing.model_dump(exclude=skip) != record.model_dump(exclude=skip)


@dataclass
class _Built:
    projects: dict[str, Project] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    skipped_deleted: list[str] = field(default_factory=list)
    used_file_source: bool = False


_ORIGINAL = re.compile(r"（原始来源：(.*)）$", re.S)


class Builder:
    """Rows of tables into projects and events, merged onto the records they name."""

    def __init__(self, cat: Catalog, source: Source, changed_by: str | None = None) -> None:
        """``source``: of rows that name none; ``changed_by``: who changes stored facts."""
        self.cat = cat
        self.resolver = Resolver(cat)
        self.file_source = source
        self.changed_by = changed_by or f"文件 {source.title} 导入时"
        self.source_titles = {ref.id: ref.names[0] for ref in cat.sources if ref.names}
        self.change_sources: dict[str, Source] = {}
        self.out = _Built()
        self.live_projects = {(p.zone, normalise(p.name_zh)): p for p in cat.projects}
        self.live_events = {(e.zone, normalise(e.title_zh)): e for e in cat.events}
        self.deleted_projects = {(z, normalise(n)): i for i, z, n in cat.deleted_projects}
        self.deleted_events = {(z, normalise(n)): i for i, z, n in cat.deleted_events}
        self.seen: dict[tuple[str, str, str], int] = {}
        self.target: Project | Event | None = None

    def _fail(self, table: Table, number: int, errors: list[RowError]) -> None:
        self.out.error_count += len(errors)
        for error in errors:
            if len(self.out.errors) < MAX_ERRORS:
                self.out.errors.append(
                    RowError(
                        number, error.field, error.code, error.value, error.detail, table.sheet
                    )
                )

    def _source(self, values: dict[str, str], existing: str | None, changed: bool) -> str:
        """The row's source cell; else the record's own source while its facts stay as they
        are; else (facts changed, or a new record) the source of this change."""
        text = values.get("source")
        if text:
            return self.resolver.source(text)
        # This file (or an earlier version of it) already is the record's source.
        own = existing is not None and (
            existing == self.file_source.id or existing.startswith(f"{self.file_source.id}-")
        )
        if existing is not None and (not changed or own):
            return existing
        if existing is not None:
            return self._change_source(existing)
        self.out.used_file_source = True
        return self.file_source.id

    def _change_source(self, previous: str) -> str:
        """A source saying who changed a record whose facts came from ``previous``."""
        source_id = f"{self.file_source.id}-{_digest(previous)}"
        if source_id not in self.change_sources:
            title = self.source_titles.get(previous, previous)
            # A record changed twice names the first source, not a chain of changes.
            original = _ORIGINAL.search(title)
            shown = original.group(1) if original else title
            self.change_sources[source_id] = Source(
                id=source_id,
                title=f"由 {self.changed_by}修改（原始来源：{shown[:300]}）",
                note=f"修改前的来源：{previous}「{title[:2900]}」",
            )
        return source_id

    def _duplicate(self, kind: str, key: tuple[str, str], number: int) -> RowError | None:
        full = (kind, *key)
        if full in self.seen:
            return RowError(
                0, "project" if kind == "p" else "title", "duplicate", "", str(self.seen[full])
            )
        self.seen[full] = number
        return None

    def row(
        self,
        table: Table,
        number: int,
        values: dict[str, str],
        target: Project | Event | None = None,
    ) -> None:
        """Validate one row; ``target``: the record an /edit changes, whatever its name."""
        self.target = target
        errors: list[RowError] = []
        zone_text = values.get("zone", "")
        zone: str | None = None
        if not zone_text:
            errors.append(RowError(0, "zone", "required"))
        else:
            zone, problem = self.resolver.zone(zone_text)
            if problem is not None:
                errors.append(problem)
        if table.kind == "signing":
            self._signing(table, number, values, zone, errors)
        else:
            self._event(table, number, values, zone, errors)

    def _signing(
        self,
        table: Table,
        number: int,
        values: dict[str, str],
        zone: str | None,
        errors: list[RowError],
    ) -> None:
        name = values.get("project", "")
        if not name:
            errors.append(RowError(0, "project", "required"))
        stage = _choice(values, "stage", parse_stage, errors)
        stage_date = _date(values.get("date"), errors)
        amounts = {
            "total_investment": _money(values, "investment", errors),
            "registered_capital": _money(values, "registered_capital", errors),
            "annual_output": _money(values, "annual_output", errors),
        }
        land = _land(values.get("land_mu"), errors)
        if zone is None or errors:
            self._fail(table, number, errors)
            return
        key = (zone, normalise(name))
        duplicate = self._duplicate("p", key, number)
        if duplicate is not None:
            self._fail(table, number, [duplicate])
            return
        existing = self.live_projects.get(key)
        if isinstance(self.target, Project):
            existing = self.target
        elif existing is None and key in self.deleted_projects:
            self.out.skipped_deleted.append(self.deleted_projects[key])
            return
        update: dict[str, Any] = {k: v for k, v in amounts.items() if v is not None}
        if stage is not None:
            update["stage"] = stage
        if stage_date is not None:
            update["stage_date"] = stage_date
        if land is not None:
            update["land_mu"] = land
        if values.get("note"):
            update["note"] = values["note"]
        if values.get("sector"):
            update["sectors"] = tuple(
                dict.fromkeys(self.resolver.sector(s) for s in split_labels(values["sector"]))
            )
        company_text = values.get("company")
        company = self.resolver.known_company(company_text) if company_text else None
        if company is not None:
            update["company"] = company
        update["zone"] = zone
        update["name_zh"] = name
        if existing is not None:
            # The same amount written another way (3000万 for 0.3亿元, 150 for 150亩) is
            # no change: keep the stored form.
            for attr in ("total_investment", "registered_capital", "annual_output", "land_mu"):
                if attr in update and _same(getattr(existing, attr), update[attr]):
                    del update[attr]
            data = existing.model_dump(exclude={"learned_at"})
        else:
            record_id = derived_id("p", zone, name, self.cat.taken["projects"])
            self.cat.taken["projects"].add(record_id)
            data = {"id": record_id, "zone": zone, "name_zh": name}
        data.update(update)
        data["source"] = existing.source if existing else self.file_source.id
        try:
            project = Project.model_validate(data)
        except ValidationError as exc:
            self._fail(table, number, _model_errors(exc))
            return
        changed = (company_text is not None and company is None) or _differs(existing, project)
        source = self._source(values, existing.source if existing else None, changed)
        final: dict[str, Any] = {"source": source}
        if company_text and company is None:
            final["company"] = self.resolver.company(company_text, zone, source)
        self.out.projects[project.id] = project.model_copy(update=final)

    def _event(
        self,
        table: Table,
        number: int,
        values: dict[str, str],
        zone: str | None,
        errors: list[RowError],
    ) -> None:
        title = values.get("title", "")
        if not title:
            errors.append(RowError(0, "title", "required"))
        kind = _choice(values, "kind", parse_event_kind, errors)
        when = _date(values.get("date"), errors)
        figures: tuple[Figure, ...] | None = None
        if values.get("figures"):
            try:
                figures = parse_figures(values["figures"])
            except (ValueError, ValidationError) as exc:
                detail = str(exc) if isinstance(exc, ValueError) else ""
                errors.append(RowError(0, "figures", "figures", values["figures"], detail))
        if zone is None or errors:
            self._fail(table, number, errors)
            return
        key = (zone, normalise(title))
        duplicate = self._duplicate("e", key, number)
        if duplicate is not None:
            self._fail(table, number, [duplicate])
            return
        existing = self.live_events.get(key)
        if isinstance(self.target, Event):
            existing = self.target
        elif existing is None and key in self.deleted_events:
            self.out.skipped_deleted.append(self.deleted_events[key])
            return
        if existing is None and kind is None:
            self._fail(table, number, [RowError(0, "kind", "required")])
            return
        update: dict[str, Any] = {}
        if kind is not None:
            update["kind"] = kind
        if when is not None:
            update["date"] = when
        if figures is not None:
            update["figures"] = figures
        if values.get("note"):
            update["summary_zh"] = values["note"]
        update["zone"] = zone
        update["title_zh"] = title
        if existing is not None:
            data = existing.model_dump(exclude={"learned_at"})
        else:
            record_id = derived_id("e", zone, title, self.cat.taken["events"])
            self.cat.taken["events"].add(record_id)
            data = {"id": record_id, "zone": zone, "title_zh": title}
        data.update(update)
        data["source"] = existing.source if existing else self.file_source.id
        try:
            event = Event.model_validate(data)
        except ValidationError as exc:
            self._fail(table, number, _model_errors(exc))
            return
        source = self._source(
            values, existing.source if existing else None, _differs(existing, event)
        )
        self.out.events[event.id] = event.model_copy(update={"source": source})


async def build(
    tables: Sequence[Table],
    cat: Catalog,
    source: Source,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate every row; the FactFile only when every row is valid."""
    builder = Builder(cat, source)
    total = sum(len(t.rows) for t in tables)
    done = 0
    for table in tables:
        for number, values in table.rows:
            builder.row(table, number, values)
            done += 1
            if done % PROGRESS_EVERY == 0:
                if progress is not None:
                    await progress(done, total)
                await asyncio.sleep(0)  # let other updates through during a long file
    return await build_from(builder, tables)


async def build_from(builder: Builder, tables: Sequence[Table]) -> ImportResult:
    """The result of rows already given to ``builder``."""
    out = builder.out
    resolver = builder.resolver
    ignored = tuple(dict.fromkeys(c for t in tables for c in t.ignored_columns))
    result = ImportResult(
        facts=None,
        errors=out.errors,
        rows=sum(len(t.rows) for t in tables),
        new_labels=sorted(resolver.new_labels),
        new_companies=[c.name_zh for c in resolver.new_companies.values()],
        skipped_deleted=out.skipped_deleted,
        ignored_columns=ignored,
        error_count=out.error_count,
    )
    if out.error_count:
        return result
    sources = [*resolver.new_sources.values(), *builder.change_sources.values()]
    if out.used_file_source:
        sources.append(builder.file_source)
    result.facts = FactFile(
        sources=tuple(sources),
        labels=tuple(resolver.new_labels.values()),
        companies=tuple(resolver.new_companies.values()),
        projects=tuple(out.projects.values()),
        events=tuple(out.events.values()),
    )
    return result


async def read_upload(
    name: str,
    data: bytes,
    store: StoreBase,
    progress: Progress | None = None,
    source: Source | None = None,
) -> ImportResult:
    """Any accepted file's bytes into an ImportResult; FileProblem when the file is unreadable."""
    if len(data) > MAX_BYTES:
        raise FileProblem("too_big")
    kind = file_format(name)
    if not data.strip():
        raise FileProblem("empty")
    if kind == "yaml":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileProblem("encoding") from None
        try:
            facts = load_text(text, name=Path(name).name)
        except FactFileError as exc:
            return ImportResult(facts=None, problems=exc.problems, error_count=len(exc.problems))
        count = len(facts.projects) + len(facts.events)
        return ImportResult(facts=facts, rows=count)
    encoding = None
    if kind == "csv":
        table, encoding = read_csv(data)
        tables = [table]
    else:
        tables = read_xlsx(data)
    if not any(t.rows for t in tables):
        raise FileProblem("no_rows")
    result = await build(tables, await catalog(store), source or file_source(name), progress)
    result.encoding = encoding
    return result


async def load_any(path: Path, store: StoreBase) -> FactFile:
    """For the command line: a file by its extension into a FactFile, or FactFileError."""
    if not path.is_file():
        raise FactFileError([f"{path} does not exist or is not a file"])
    if path.stat().st_size > MAX_BYTES:
        raise FactFileError([f"{path.name} is larger than 20 MB"])
    try:
        result = await read_upload(path.name, path.read_bytes(), store)
    except FileProblem as exc:
        raise FactFileError([f"{path.name}: {_problem_en(exc)}"]) from None
    if not result.ok or result.facts is None:
        # The same wording the bot uses, in English and without HTML, for the terminal.
        from bot.texts.admin import row_error

        lines = [html.unescape(row_error("en", e)) for e in result.errors]
        raise FactFileError(result.problems or lines)
    return result.facts


def _problem_en(exc: FileProblem) -> str:
    import html

    from bot.texts.admin import file_problem
    from bot.texts.common import clip

    return html.unescape(
        re.sub(r"<[^>]+>", "", clip(file_problem(exc.code, exc.detail, "en"), 500))
    )
