"""Reading import files (CSV, XLSX, YAML) into a FactFile, row by row, naming every bad cell.

The steps, one module each: ``import_files`` (bytes into tables, and the structured errors),
``import_catalog`` (what the store holds), ``import_resolve`` (names into ids),
``import_check`` (one value checked: a cell, an /add answer), and this module, which builds
the records (``Builder``, ``build``, ``read_upload``). Errors are data (``FileProblem``,
``RowError``); bot/texts words them, for the bot and the command line alike.

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
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, overload

from pydantic import ValidationError

from bot.core.factfile import FactFileError, load_text
from bot.core.import_catalog import Catalog, catalog
from bot.core.import_check import (
    choice_cell,
    date_cell,
    differs,
    land_cell,
    model_errors,
    money_cell,
    same_amount,
)
from bot.core.import_files import (
    MAX_BYTES,
    FileProblem,
    RowError,
    Table,
    file_format,
    read_csv,
    read_xlsx,
)
from bot.core.import_resolve import (
    Resolver,
    derived_id,
    file_source,
    parse_figures,
    short_digest,
    split_labels,
)
from bot.core.reads import CatalogReads
from bot.core.records import (
    Company,
    Event,
    FactFile,
    Figure,
    Project,
    RecordKind,
    Source,
    parse_event_kind,
    parse_stage,
)
from bot.core.text import fold_once

PROGRESS_EVERY = 1000
BATCH = 500  # rows validated in one turn of a worker thread (~25-50 ms)


MAX_ERRORS = 200  # enough to fix a file; a 10,000-row file of errors need not be listed whole


@dataclass
class ImportResult:
    """What a file would change: the FactFile to apply, or the errors that stop it."""

    facts: FactFile | None
    errors: list[RowError] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # YAML files: record and field named
    rows: int = 0
    new_labels: list[str] = field(default_factory=list)
    new_companies: list[str] = field(default_factory=list)  # the first names only
    new_company_count: int = 0
    skipped_deleted: list[str] = field(default_factory=list)
    encoding: str | None = None
    ignored_columns: tuple[str, ...] = ()
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.facts is not None and not self.errors and not self.problems


Progress = Callable[[int, int], Awaitable[None]]
# Streaming (a spreadsheet by the CLI or sent to the bot): every FLUSH_EVERY rows, the records
# built so far are handed over (with the sources, labels and companies the file has added so
# far) and dropped, so memory does not grow with the file. The receiver stages them outside the
# store; nothing is written to the store before the whole file is valid.
Flush = Callable[[FactFile], Awaitable[None]]
FLUSH_EVERY = 2000


@dataclass
class _Built:
    projects: dict[str, Project] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    skipped_deleted: list[str] = field(default_factory=list)
    used_file_source: bool = False


_ORIGINAL = re.compile(r"（原始来源：(.*)）$", re.S)

# A file writes a few stage and kind words on all its rows: each distinct word is read once
# (the choices are enums; an unknown word raises every time, and is not kept).
_stage = lru_cache(maxsize=256)(parse_stage)
_event_kind = lru_cache(maxsize=256)(parse_event_kind)

# Amount fields of a project and their columns, in the order their errors are listed.
_MONEY = (
    ("total_investment", "investment"),
    ("registered_capital", "registered_capital"),
    ("annual_output", "annual_output"),
)
MAX_SECTOR_CELLS = 10_000  # distinct sector cells remembered in one import


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
        # kind, zone and normalised name joined in one string (a 200,000-row file keeps them
        # all: one string a row, not a tuple of three).
        self.seen: dict[str, int] = {}
        self.target: Project | Event | None = None
        # A big file repeats a few sector cells: each distinct cell is split and resolved once.
        self.sector_cells: dict[str, tuple[str, ...]] = {}

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
        source_id = f"{self.file_source.id}-{short_digest(previous)}"
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

    def _sectors(self, text: str) -> tuple[str, ...]:
        """The labels of a sector cell, each once. A cell resolves to the same labels every
        time (a label it creates is found again by name), so it is remembered."""
        labels = self.sector_cells.get(text)
        if labels is None:
            labels = tuple(dict.fromkeys(self.resolver.sector(s) for s in split_labels(text)))
            if len(self.sector_cells) < MAX_SECTOR_CELLS:
                self.sector_cells[text] = labels
        return labels

    def _duplicate(self, kind: str, key: tuple[str, str], number: int) -> RowError | None:
        full = f"{kind}\x1f{key[0]}\x1f{key[1]}"
        if full in self.seen:
            return RowError(
                0, "project" if kind == "p" else "title", "duplicate", "", str(self.seen[full])
            )
        self.seen[full] = number
        return None

    def _match(
        self, table: Table, number: int, kind: RecordKind, zone: str, folded: str
    ) -> tuple[bool, Project | Event | None]:
        """The stored record a row names (the /edit target, else the live record of that name
        in that zone). False when the row stops here: named twice in the file (an error), or
        a record deleted in the store (left deleted, reported). ``folded``: the name,
        normalised."""
        key = (zone, folded)
        duplicate = self._duplicate("p" if kind == "project" else "e", key, number)
        if duplicate is not None:
            self._fail(table, number, [duplicate])
            return False, None
        model = Project if kind == "project" else Event
        if isinstance(self.target, model):
            return True, self.target
        record_id = self.cat.named(kind, zone, folded)
        existing = None if record_id is None else self.cat.record(kind, record_id)
        if existing is None:
            gone = self.cat.named(kind, zone, folded, deleted=True)
            if gone is not None:
                self.out.skipped_deleted.append(gone)
                return False, None
        return True, existing

    @overload
    def _validate(
        self,
        table: Table,
        number: int,
        kind: Literal["project"],
        existing: Project | Event | None,
        update: dict[str, Any],
        folded: str,
    ) -> Project | None: ...

    @overload
    def _validate(
        self,
        table: Table,
        number: int,
        kind: Literal["event"],
        existing: Project | Event | None,
        update: dict[str, Any],
        folded: str,
    ) -> Event | None: ...

    def _validate(
        self,
        table: Table,
        number: int,
        kind: RecordKind,
        existing: Project | Event | None,
        update: dict[str, Any],
        folded: str,
    ) -> Project | Event | None:
        """The stored record (or a new one with an id derived from zone and name) with the
        row's values over it, validated; None (the row failed) when the model refuses it."""
        model: type[Project] | type[Event]
        model, name_key = (Project, "name_zh") if kind == "project" else (Event, "title_zh")
        if existing is not None:
            data = existing.model_dump(exclude={"learned_at"})
        else:
            zone, name = update["zone"], update[name_key]
            taken = self.cat.taken["projects" if kind == "project" else "events"]
            prefix = "p" if kind == "project" else "e"
            record_id = derived_id(prefix, zone, name, taken, folded=folded)
            taken.add(record_id)
            data = {"id": record_id, "zone": zone, name_key: name}
        data.update(update)
        data["source"] = existing.source if existing else self.file_source.id
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self._fail(table, number, model_errors(exc))
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
        stage = choice_cell(values, "stage", _stage, errors)
        stage_date = date_cell(values.get("date"), errors)
        amounts = {attr: money_cell(values, key, errors) for attr, key in _MONEY if key in values}
        land = land_cell(values.get("land_mu"), errors)
        if zone is None or errors:
            self._fail(table, number, errors)
            return
        folded = fold_once(name)
        go_on, existing = self._match(table, number, "project", zone, folded)
        if not go_on:
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
            update["sectors"] = self._sectors(values["sector"])
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
                if attr in update and same_amount(getattr(existing, attr), update[attr]):
                    del update[attr]
        project = self._validate(table, number, "project", existing, update, folded)
        if project is None:
            return
        changed = (company_text is not None and company is None) or differs(existing, project)
        source = self._source(values, existing.source if existing else None, changed)
        final: dict[str, Any] = {}
        if source != project.source:
            final["source"] = source
        if company_text and company is None:
            final["company"] = self.resolver.company(company_text, zone, source)
        # Copied only when something changes (most rows: a new record from this file).
        self.out.projects[project.id] = project.model_copy(update=final) if final else project

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
        kind = choice_cell(values, "kind", _event_kind, errors)
        when = date_cell(values.get("date"), errors)
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
        folded = fold_once(title)
        go_on, existing = self._match(table, number, "event", zone, folded)
        if not go_on:
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
        event = self._validate(table, number, "event", existing, update, folded)
        if event is None:
            return
        source = self._source(
            values, existing.source if existing else None, differs(existing, event)
        )
        if source != event.source:
            event = event.model_copy(update={"source": source})
        self.out.events[event.id] = event


async def build(
    tables: Sequence[Table],
    cat: Catalog,
    source: Source,
    progress: Progress | None = None,
    flush: Flush | None = None,
) -> ImportResult:
    """Validate every row; the FactFile only when every row is valid. With ``flush``, the
    records go to ``flush`` in chunks (the FactFile then holds none of them), and each
    table's rows are released as they are validated.

    Validation is CPU-bound: rows are validated a batch at a time in a worker thread, so the
    event loop answers other users meanwhile (the builder is used by one thread at a time)."""
    builder = Builder(cat, source)
    total = sum(t.count for t in tables)
    done = flushed = 0
    for table in tables:
        rows = _rows(table, release=flush is not None)
        while n := await asyncio.to_thread(_validate_batch, builder, table, rows):
            if progress is not None and (done + n) // PROGRESS_EVERY > done // PROGRESS_EVERY:
                await progress(done + n, total)
            done += n
            if flush is not None and done - flushed >= FLUSH_EVERY:
                await _flush(builder, flush)
                flushed = done
    if flush is not None:
        await _flush(builder, flush)
    return await build_from(builder, tables, total)


def _validate_batch(
    builder: Builder, table: Table, rows: Iterator[tuple[int, dict[str, str]]]
) -> int:
    """Up to BATCH rows validated; how many (0: the table is done)."""
    n = 0
    for number, values in rows:
        builder.row(table, number, values)
        n += 1
        if n == BATCH:
            break
    return n


def _rows(table: Table, release: bool) -> Iterator[tuple[int, dict[str, str]]]:
    """The table's rows in order; with ``release``, each is dropped from the table once read."""
    if not release or table.later is not None:
        yield from table.each()
        return
    rows = table.rows[::-1]
    table.rows.clear()
    while rows:
        yield rows.pop()


def _facts(builder: Builder, companies: tuple[Company, ...]) -> FactFile:
    """What the rows given to ``builder`` add: new sources, labels, the ``companies`` taken
    from the resolver, records."""
    out = builder.out
    resolver = builder.resolver
    sources = [*resolver.new_sources.values(), *builder.change_sources.values()]
    if out.used_file_source:
        sources.append(builder.file_source)
    # Every record here was built and validated already: not again at each chunk (the
    # sources and labels so far are handed over with every chunk; companies once each).
    return FactFile.model_construct(
        sources=tuple(sources),
        labels=tuple(resolver.new_labels.values()),
        companies=companies,
        projects=tuple(out.projects.values()),
        events=tuple(out.events.values()),
    )


async def _flush(builder: Builder, flush: Flush) -> None:
    """Hand the records and companies made since the last flush to ``flush`` and forget
    them; once a row has failed the file will not be applied, so they are only dropped."""
    companies = builder.resolver.take_companies()
    if not builder.out.error_count and (builder.out.projects or builder.out.events or companies):
        await flush(_facts(builder, companies))
    builder.out.projects.clear()
    builder.out.events.clear()


async def build_from(
    builder: Builder, tables: Sequence[Table], rows: int | None = None
) -> ImportResult:
    """The result of rows already given to ``builder`` (``rows``: how many, when the tables
    no longer hold them)."""
    out = builder.out
    resolver = builder.resolver
    ignored = tuple(dict.fromkeys(c for t in tables for c in t.ignored_columns))
    result = ImportResult(
        facts=None,
        errors=out.errors,
        rows=sum(t.count for t in tables) if rows is None else rows,
        new_labels=sorted(resolver.new_labels),
        new_companies=list(resolver.new_company_names),
        new_company_count=resolver.new_company_count,
        skipped_deleted=out.skipped_deleted,
        ignored_columns=ignored,
        error_count=out.error_count,
    )
    if out.error_count:
        return result
    result.facts = _facts(builder, resolver.take_companies())
    return result


async def read_upload(
    name: str,
    data: bytes,
    store: CatalogReads,
    progress: Progress | None = None,
    source: Source | None = None,
    flush: Flush | None = None,
) -> ImportResult:
    """Any accepted file's bytes into an ImportResult; FileProblem when the file is unreadable.

    ``flush``: receives the records of a spreadsheet in chunks (see ``build``); a YAML file's
    records stay in the FactFile."""
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
            facts = await asyncio.to_thread(load_text, text, Path(name).name)
        except FactFileError as exc:
            return ImportResult(facts=None, problems=exc.problems, error_count=len(exc.problems))
        count = len(facts.projects) + len(facts.events)
        return ImportResult(facts=facts, rows=count)
    encoding = None
    # Parsing is CPU-bound: a worker thread, so other users are answered meanwhile.
    if kind == "csv":
        table, encoding = await asyncio.to_thread(read_csv, data, flush is not None)
        tables = [table]
    else:
        tables = await asyncio.to_thread(read_xlsx, data)
    del data  # a big file is held as its table (or its text) only
    if not any(t.count for t in tables):
        raise FileProblem("no_rows")
    cat = await catalog(store)
    try:
        result = await build(tables, cat, source or file_source(name), progress, flush)
    finally:
        cat.close()
    result.encoding = encoding
    return result
