"""Records of a big import staged outside the store (issue 15, item 7).

While a spreadsheet is validated, its records arrive here in chunks (``importing.build`` with
``flush``): each chunk's references are checked, its bodies and the texts of its search words
are drafted (off the event loop) and written to a scratch file in a temporary folder, and the
records are dropped, so memory does not grow with the file. Nothing touches the store until
the whole file is valid; then ``FactQueries.apply_facts`` copies the staged chunks into the
store inside its one transaction (all or nothing), making their search words as it writes
(``bulk_records.write_staged``), and ``close`` removes the scratch folder.
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
from bot.core.records import Event, FactFile, Project
from storage.bulk_records import Draft, RecordKind, draft, names_of, stored_names

_KINDS: tuple[RecordKind, ...] = ("event", "project")

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
        self._known = known
        # OSError (no scratch space) reaches the caller, with nothing left behind.
        self._folder = tempfile.TemporaryDirectory(
            prefix="import-spool-", ignore_cleanup_errors=True
        )
        self._paths = {kind: Path(self._folder.name) / f"{kind}s.pickle" for kind in _KINDS}
        self._files: dict[RecordKind, IO[bytes]] = {}
        try:
            for kind in _KINDS:
                self._files[kind] = self._paths[kind].open("wb")
        except OSError:
            for handle in self._files.values():
                handle.close()
            self._folder.cleanup()
            raise
        self._companies: dict[str, list[str]] = {}
        self._companies_seen = 0
        self._zones: dict[str, list[str]] = {}
        self.chunks_written = 0
        self.records = 0  # staged so far, of both kinds
        self._closed = False
        _collect_less()

    async def add(self, facts: FactFile) -> None:
        """Stage the records of ``facts`` (the file's sources, labels and companies so far
        come along, for the reference check and the search text)."""
        # Each chunk brings the file's companies so far: only the new ones are checked, against
        # the store's and those checked before (checking all of them at every chunk grew with
        # the square of their number: minutes for a file with a company on every row).
        new = facts.companies[self._companies_seen :]
        known = replace(self._known, companies=self._known.companies.union(self._companies))
        check(facts.model_copy(update={"companies": new}), known)
        for company in new:
            self._companies[company.id] = names_of(company.model_dump())
        self._companies_seen = len(facts.companies)
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
        self._files[kind].flush()
        with self._paths[kind].open("rb") as handle:
            while True:
                try:
                    rows: list[tuple[Any, ...]] = pickle.load(handle)  # our own, just written
                except EOFError:
                    return
                yield [Draft._make(row) for row in rows]

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
