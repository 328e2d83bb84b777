"""Records of a big import staged outside the store (issue 15, item 7).

While a spreadsheet is validated, its records and new companies arrive here in chunks
(``importing.build`` with ``flush``): each chunk's references are checked, its bodies and the
texts of its search words are drafted (off the event loop) and written to a scratch file in a
temporary folder, and the records are dropped, so memory does not grow with the file (only
each staged company's names stay, for the search text of later records that name it).
Nothing touches the store until the whole file is valid; then ``FactQueries.apply_facts``
copies the staged chunks into the store inside its one transaction (all or nothing), the
companies first, making the records' search words as it writes (``bulk_records.write_staged``),
and ``close`` removes the scratch folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import aiosqlite

from bot.core.factfile import KnownIds, check
from bot.core.records import Company, Event, FactFile, Project
from storage.bulk_companies import CompanyRow, company_rows
from storage.bulk_records import Draft, RecordKind, draft, names_of, stored_names

_KINDS: tuple[RecordKind, ...] = ("event", "project")
_FILES = ("company", *_KINDS)

# While a spool is open, the cyclic garbage collector runs less often. An import allocates
# millions of short-lived containers (rows, records, tuples), nearly all freed by reference
# counting; at the default thresholds (700, 10, 10) the collector ran thousands of times and
# its full passes scanned every long-lived object (pypinyin's dictionaries, the caches) again
# and again: about a tenth of a 200,000-row import's CPU. Cycles are still collected, just
# in bigger batches; the thresholds come back when the last open spool closes.
QUIET_THRESHOLDS = (50_000, 20, 100)
_quiet_spools = 0
_saved_thresholds: tuple[int, int, int] = gc.get_threshold()


def _collect_less() -> None:
    global _quiet_spools, _saved_thresholds
    if _quiet_spools == 0:
        _saved_thresholds = gc.get_threshold()
        gc.set_threshold(*QUIET_THRESHOLDS)
    _quiet_spools += 1


def _collect_as_before() -> None:
    global _quiet_spools
    _quiet_spools -= 1
    if _quiet_spools == 0:
        gc.set_threshold(*_saved_thresholds)


class ImportSpool:
    """Drafted records of one import, chunk by chunk, in a scratch folder."""

    def __init__(self, read: aiosqlite.Connection, known: KnownIds) -> None:
        self._read = read
        # The store's company ids and those staged since, grown as chunks come (copying the
        # union for each chunk's check cost O(companies) a chunk).
        self._company_ids = set(known.companies)
        self._known = replace(known, companies=self._company_ids)
        # OSError (no scratch space) reaches the caller, with nothing left behind.
        self._folder = tempfile.TemporaryDirectory(
            prefix="import-spool-", ignore_cleanup_errors=True
        )
        self._paths = {kind: Path(self._folder.name) / f"{kind}s.pickle" for kind in _FILES}
        self._files: dict[str, IO[bytes]] = {}
        try:
            for kind in _FILES:
                self._files[kind] = self._paths[kind].open("wb")
        except OSError:
            for handle in self._files.values():
                handle.close()
            self._folder.cleanup()
            raise
        self._companies: dict[str, list[str]] = {}  # staged or stored: names, by id
        self._zones: dict[str, list[str]] = {}
        self.chunks_written = 0
        self.records = 0  # staged so far, of both kinds
        self.companies = 0  # new companies staged so far
        self._closed = False
        _collect_less()

    async def add(self, facts: FactFile) -> None:
        """Stage the records and companies of ``facts``: the companies new since the chunk
        before, and the records (the file's sources and labels so far come along, for the
        reference check)."""
        # Checked against the store's companies and those staged before.
        check(facts, self._known)
        for company in facts.companies:
            self._companies[company.id] = names_of(company.model_dump())
            self._company_ids.add(company.id)
        if facts.companies:
            await asyncio.to_thread(self._stage_companies, facts.companies)
        wanted = {p.company for p in facts.projects if p.company} | {
            c for e in facts.events for c in e.companies
        }
        missing = wanted - self._companies.keys()
        if missing:
            self._companies.update(await stored_names(self._read, "companies", missing))
        zones = {r.zone for r in facts.projects} | {r.zone for r in facts.events}
        missing = zones - self._zones.keys()
        if missing:
            self._zones.update(await stored_names(self._read, "zones", missing))
        for kind in _KINDS:
            records: Sequence[Project | Event] = facts.events if kind == "event" else facts.projects
            if records:
                await asyncio.to_thread(self._stage, kind, records)

    def _stage_companies(self, companies: Sequence[Company]) -> None:
        rows = [tuple(row) for row in company_rows(companies)]
        pickle.dump(rows, self._files["company"], protocol=pickle.HIGHEST_PROTOCOL)
        self.chunks_written += 1
        self.companies += len(rows)

    def _stage(self, kind: RecordKind, records: Sequence[Project | Event]) -> None:
        # Bodies now; the search words (pinyin) while the store is written (write_staged).
        drafts = draft(records, self._companies, self._zones)
        # Plain tuples: pickled without a class reference each, read back with _make.
        rows = [tuple(item) for item in drafts]
        pickle.dump(rows, self._files[kind], protocol=pickle.HIGHEST_PROTOCOL)
        self.chunks_written += 1
        self.records += len(rows)

    def chunks(self, kind: RecordKind) -> Iterator[list[Draft]]:
        """The staged chunks of one kind, in the order they came (read back one at a time)."""
        for rows in self._read_back(kind):
            yield [Draft._make(row) for row in rows]

    def company_chunks(self) -> Iterator[list[CompanyRow]]:
        """The staged companies, a chunk at a time, in the order they came."""
        for rows in self._read_back("company"):
            yield [CompanyRow._make(row) for row in rows]

    def _read_back(self, kind: str) -> Iterator[list[tuple[Any, ...]]]:
        self._files[kind].flush()
        with self._paths[kind].open("rb") as handle:
            while True:
                try:
                    rows: list[tuple[Any, ...]] = pickle.load(handle)  # our own, just written
                except EOFError:
                    return
                yield rows

    def close(self) -> None:
        """Remove the scratch folder; never raises (a failed flush of a staged chunk has
        already been reported by ``add``, and the records are in the store or nowhere)."""
        if self._closed:
            return
        self._closed = True
        _collect_as_before()
        for handle in self._files.values():
            with contextlib.suppress(OSError):
                handle.close()
        self._folder.cleanup()
