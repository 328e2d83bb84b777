"""Writing projects and events as XLSX and CSV in the import column contract.

An export can be imported again unchanged: the same columns, names that resolve back to the
same zone, company and source, amounts and dates in the forms the importer reads. CSV is UTF-8
with a BOM so that Excel and WPS show the Chinese text intact.

Text starting with ``= + - @`` is never a formula: XLSX cells are written as strings, and CSV
values get a leading ``'`` (the usual guard against formula injection), which the importer
drops again.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bot.core.import_files import (
    EVENT_COLUMNS,
    EVENT_ZH,
    SIGNING_COLUMNS,
    SIGNING_ZH,
    quote_formula,
)
from bot.core.import_resolve import figures_text
from bot.core.matching import resolve_sector
from bot.core.reads import RecordLookup, RecordReads
from bot.core.records import EVENT_KIND_ZH, STAGE_ZH, Event, NamedRef, Project, Zone
from bot.core.zone_cache import zone_index

SIGNINGS_SHEET = "签约项目 signings"
EVENTS_SHEET = "活动 events"


class ExportScopeError(Exception):
    """The zone or sector to export cannot be told: ``code`` and the choices or suggestions."""

    def __init__(self, code: str, what: str, choices: Sequence[str] = ()) -> None:
        self.code = code
        self.what = what
        self.choices = tuple(choices)
        super().__init__(f"{code} {what}: {', '.join(choices)}")


@dataclass(frozen=True)
class Scope:
    """What to export; ``name`` is for file names (ASCII), the titles for people."""

    zone_id: str | None = None
    labels: tuple[str, ...] | None = None
    name: str = "all"
    title_zh: str = ""
    title_en: str = ""


@dataclass(frozen=True)
class Export:
    """The files of one export, ready to send or write."""

    xlsx: bytes
    signings_csv: bytes
    events_csv: bytes
    projects: int
    events: int
    scope: Scope

    def files(self) -> list[tuple[str, bytes]]:
        stem = f"zhaoshang-{self.scope.name}"
        return [
            (f"{stem}.xlsx", self.xlsx),
            (f"{stem}-signings.csv", self.signings_csv),
            (f"{stem}-events.csv", self.events_csv),
        ]


def names_by_id(refs: Sequence[NamedRef]) -> dict[str, str]:
    return {ref.id: (ref.names[0] if ref.names else ref.id) for ref in refs}


def signing_rows(
    projects: Sequence[Project],
    zones: dict[str, Zone],
    companies: dict[str, str],
    sources: dict[str, str],
) -> list[list[str]]:
    rows = []
    for p in projects:
        zone = zones.get(p.zone)
        rows.append(
            [
                zone.short_zh if zone else p.zone,
                companies.get(p.company, p.company) if p.company else "",
                p.name_zh,
                "、".join(p.sectors),
                STAGE_ZH[p.stage] if p.stage else "",
                p.stage_date.zh() if p.stage_date else "",
                p.total_investment.text() if p.total_investment else "",
                p.registered_capital.text() if p.registered_capital else "",
                p.land_mu.text() if p.land_mu else "",
                p.annual_output.text() if p.annual_output else "",
                p.note or "",
                sources.get(p.source, p.source),
            ]
        )
    return rows


def event_rows(
    events: Sequence[Event], zones: dict[str, Zone], sources: dict[str, str]
) -> list[list[str]]:
    rows = []
    for e in events:
        zone = zones.get(e.zone)
        rows.append(
            [
                zone.short_zh if zone else e.zone,
                e.title_zh,
                EVENT_KIND_ZH[e.kind],
                e.date.zh() if e.date else "",
                figures_text(e.figures),
                e.summary_zh or "",
                sources.get(e.source, e.source),
            ]
        )
    return rows


def signing_header(style: str = "zh") -> list[str]:
    return [_head(k, SIGNING_ZH, style) for k in SIGNING_COLUMNS]


def event_header(style: str = "zh") -> list[str]:
    return [_head(k, EVENT_ZH, style) for k in EVENT_COLUMNS]


def _head(key: str, zh: dict[str, str], style: str) -> str:
    if style == "zh":
        return zh[key]
    if style == "en":
        return key
    return f"{zh[key]} {key}"


# What XML 1.0 (so XLSX) cannot hold and UTF-8 cannot encode: dropped from exported cells, so
# an export never fails on text stored before imports were cleaned (issue 15).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def writable(value: object) -> object:
    """A cell value as an export can write it."""
    return _UNWRITABLE.sub("", value) if isinstance(value, str) else value


def to_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """UTF-8 with BOM and CRLF, as Excel and WPS expect."""
    out = io.BytesIO()
    writer = CsvWriter(out, header)
    writer.append(rows)
    writer.close()
    return out.getvalue()


class CsvWriter:
    """A CSV file written row by row onto a binary stream (UTF-8 with BOM, CRLF)."""

    def __init__(self, out: IO[bytes], header: Sequence[str]) -> None:
        self._text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        self._writer = csv.writer(self._text, lineterminator="\r\n")
        self._writer.writerow(header)

    def append(self, rows: Iterable[Sequence[str]]) -> None:
        self._writer.writerows([quote_formula(str(writable(str(v)))) for v in row] for row in rows)

    def close(self) -> None:
        self._text.flush()
        self._text.detach()  # the stream stays open: it is the caller's


# The first rows of a sheet set its columns' widths (the rest are written as they come).
WIDTH_ROWS = 200


class XlsxWriter:
    """An XLSX workbook written sheet by sheet and row by row (openpyxl's write-only mode:
    memory does not grow with the rows). Every cell is text, so Excel keeps 2025-03 as typed;
    the header is bold."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self._book = Workbook(write_only=True)
        self._sheet: Any = None
        self._waiting: list[Sequence[str]] | None = None
        self._header: Sequence[str] = ()

    def sheet(self, title: str, header: Sequence[str]) -> None:
        """Start a sheet; its rows follow with ``append``."""
        self._flush()
        self._sheet = self._book.create_sheet(title[:31])
        self._header = header
        self._waiting = []

    def append(self, rows: Iterable[Sequence[str]]) -> None:
        for row in rows:
            if self._waiting is not None:
                self._waiting.append(row)
                if len(self._waiting) >= WIDTH_ROWS:
                    self._flush()
            else:
                self._sheet.append(self._cells(row))

    def _flush(self) -> None:
        """The columns' widths from the header and the rows so far, then those rows."""
        if self._waiting is None:
            return
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        rows, self._waiting = self._waiting, None
        for index in range(len(self._header)):
            values = [self._header[index], *(r[index] for r in rows if index < len(r))]
            width = max(len(str(v or "")) for v in values)
            letter = get_column_letter(index + 1)
            self._sheet.column_dimensions[letter].width = min(max(width * 2, 8), 60)
        bold = Font(bold=True)
        head = []
        for value in self._header:
            cell = WriteOnlyCell(self._sheet, value=writable(value))
            cell.font = bold
            head.append(cell)
        self._sheet.append(head)
        for row in rows:
            self._sheet.append(self._cells(row))

    def _cells(self, row: Sequence[str]) -> list[Any]:
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for value in row:
            cell = WriteOnlyCell(self._sheet, value=writable(value))
            if isinstance(cell.value, str):
                # openpyxl takes "=1+2" for a formula; a stored name is always text.
                cell.data_type = "s"
                if quote_formula(cell.value) != cell.value:
                    cell.quotePrefix = True  # stays text when edited in Excel too
            cell.number_format = "@"
            cells.append(cell)
        return cells

    def save(self, out: IO[bytes]) -> None:
        self._flush()
        self._book.save(out)


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[str]]]]) -> bytes:
    """One sheet per (title, header, rows); every cell text, so Excel keeps 2025-03 as typed."""
    writer = XlsxWriter()
    for title, header, rows in sheets:
        writer.sheet(title, header)
        writer.append(rows)
    out = io.BytesIO()
    writer.save(out)
    return out.getvalue()


async def resolve_scope(store: RecordReads, query: str | None, kind: str = "any") -> Scope:
    """A zone (any name /zone takes) or else a sector (area or label); all when empty."""
    text = (query or "").strip()
    if not text:
        return Scope()
    suggestions: tuple[str, ...] = ()
    if kind in ("any", "zone"):
        index = await zone_index(store)
        match = index.resolve(text)
        if match.kind == "found" and match.zone_id is not None:
            zone = await store.zone(match.zone_id)
            return Scope(
                zone_id=match.zone_id,
                name=match.zone_id,
                title_zh=zone.short_zh if zone else match.zone_id,
                title_en=(zone.name_en or zone.short_zh) if zone else match.zone_id,
            )
        if match.kind == "ambiguous":
            raise ExportScopeError("ambiguous", text, match.zone_ids)
        suggestions = match.suggestions
        if kind == "zone":
            raise ExportScopeError("unknown", text, suggestions)
    areas, labels = await store.areas(), await store.labels()
    sector = resolve_sector(text, areas, labels)
    if sector.kind == "found":
        name = sector.area or "sector"
        area = next((a for a in areas if a.id == sector.area), None)
        if sector.label is not None:
            label = next((lb for lb in labels if lb.label == sector.label), None)
            title_zh = sector.label
            title_en = (label.name_en if label else None) or sector.label
        else:
            title_zh = area.name_zh if area else name
            title_en = area.name_en if area else name
        return Scope(
            labels=tuple(sorted(sector.labels)), name=name, title_zh=title_zh, title_en=title_en
        )
    if sector.kind == "ambiguous":
        raise ExportScopeError("ambiguous", text, sector.suggestions)
    raise ExportScopeError("unknown", text, (*suggestions, *sector.suggestions))


# The most records the bot sends in one export (the files stay well under Telegram's 50 MB for
# bots, and a chat is not flooded); more asks for a zone or sector, or the command line.
MAX_SENT = 50_000


class ExportTooBig(Exception):
    """More records in the scope than one export may send."""

    def __init__(self, projects: int, events: int, limit: int) -> None:
        self.projects = projects
        self.events = events
        self.limit = limit
        super().__init__(f"{projects} projects and {events} events, more than {limit}")


async def export(store: RecordReads, scope: Scope, limit: int | None = None) -> Export:
    """Projects and events of a scope as one XLSX (two sheets) and two CSV files;
    ExportTooBig when the scope holds more than ``limit`` records."""
    outs = (io.BytesIO(), io.BytesIO(), io.BytesIO())
    projects, events = await write_export(store, scope, outs, limit)
    return Export(
        xlsx=outs[0].getvalue(),
        signings_csv=outs[1].getvalue(),
        events_csv=outs[2].getvalue(),
        projects=projects,
        events=events,
        scope=scope,
    )


async def write_export(
    store: RecordReads,
    scope: Scope,
    outs: tuple[IO[bytes], IO[bytes], IO[bytes]],
    limit: int | None = None,
) -> tuple[int, int]:
    """Write the XLSX, the signings CSV and the events CSV onto ``outs``; (projects, events).

    Records are read a chunk at a time and written as they come, in a worker thread, from one
    snapshot of the store: the event loop answers others meanwhile and memory does not grow
    with the store (an export used to decode every record first, and build the workbook in
    memory on the event loop)."""
    zones = {z.id: z for z in await store.zones()}
    companies = names_by_id(await store.company_refs())
    sources = names_by_id(await store.source_refs())
    reader = store.record_lookup()
    try:
        return await asyncio.to_thread(
            _write_export, reader, scope, zones, companies, sources, outs, limit
        )
    finally:
        reader.close()


def _write_export(
    reader: RecordLookup,
    scope: Scope,
    zones: dict[str, Zone],
    companies: dict[str, str],
    sources: dict[str, str],
    outs: tuple[IO[bytes], IO[bytes], IO[bytes]],
    limit: int | None,
) -> tuple[int, int]:
    with reader.snapshot():
        projects = reader.count_live("project", scope.zone_id, scope.labels)
        events = reader.count_live("event", scope.zone_id, scope.labels)
        if limit is not None and projects + events > limit:
            raise ExportTooBig(projects, events, limit)
        book = XlsxWriter()
        book.sheet(SIGNINGS_SHEET, signing_header())
        signings = CsvWriter(outs[1], signing_header())
        for chunk in reader.live_projects(scope.zone_id, scope.labels):
            rows = signing_rows(chunk, zones, companies, sources)
            book.append(rows)
            signings.append(rows)
        signings.close()
        book.sheet(EVENTS_SHEET, event_header())
        happenings = CsvWriter(outs[2], event_header())
        for events_chunk in reader.live_events(scope.zone_id, scope.labels):
            rows = event_rows(events_chunk, zones, sources)
            book.append(rows)
            happenings.append(rows)
        happenings.close()
        book.save(outs[0])
    return projects, events


def template_files() -> list[tuple[str, bytes]]:
    """Empty import templates: headers in Chinese and English, notes on a separate sheet."""
    notes = [
        ["一个文件（或一个工作表）只放签约项目或只放活动；按表头区分。"],
        ["Each file (or sheet) holds signings or events only; the headers tell which."],
        ["园区: /zone 能识别的任何名称; 行业: 国家领域或园区自己的标签（新标签会保留）。"],
        ["zone: any name /zone resolves; sector: a national area or any local label."],
        ["阶段 stage: 线索 洽谈 签约 注册 开工 投产 达产 暂缓 终止 (or lead, signed ...)"],
        ["金额 amounts: 3亿, 3000万, 1.5亿元, 500万美元"],
        ["日期 date: 2025-03, 2025-03-14, 2025年3月"],
        ["数据 figures (events): 参赛项目=21个; 落地=6个"],
        ["空单元格不会清除已有数据。Empty cells never erase stored values."],
    ]
    xlsx = to_xlsx(
        [
            (SIGNINGS_SHEET, signing_header("both"), []),
            (EVENTS_SHEET, event_header("both"), []),
            ("说明 notes", ["说明 notes"], notes),
        ]
    )
    return [
        ("zhaoshang-template.xlsx", xlsx),
        ("zhaoshang-template-signings.csv", to_csv(signing_header("both"), [])),
        ("zhaoshang-template-events.csv", to_csv(event_header("both"), [])),
    ]


async def export_files(
    store: RecordReads, out: Path, zone: str | None = None, sector: str | None = None
) -> list[Path]:
    """For the command line: write an export's files into ``out``; their paths."""
    zone_scope = await resolve_scope(store, zone, "zone")
    sector_scope = await resolve_scope(store, sector, "sector")
    names = [s.name for s in (zone_scope, sector_scope) if s.name != "all"]
    scope = Scope(
        zone_id=zone_scope.zone_id,
        labels=sector_scope.labels,
        name="-".join(names) or "all",
        title_zh=" ".join(t for t in (zone_scope.title_zh, sector_scope.title_zh) if t),
        title_en=" ".join(t for t in (zone_scope.title_en, sector_scope.title_en) if t),
    )
    out.mkdir(parents=True, exist_ok=True)
    stem = f"zhaoshang-{scope.name}"
    paths = [out / f"{stem}.xlsx", out / f"{stem}-signings.csv", out / f"{stem}-events.csv"]
    # Straight to the files, however big the store (no limit on the command line).
    with (
        paths[0].open("wb") as xlsx,
        paths[1].open("wb") as signings,
        paths[2].open("wb") as events,
    ):
        await write_export(store, scope, (xlsx, signings, events), limit=None)
    return paths
