"""SQL for the facts: applying fact files, reading records, sector lookups, full-text search."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import aiosqlite
from pydantic import BaseModel

from bot.core.factfile import KnownIds, check, dump, load_seed
from bot.core.lookup import SEARCH_COUNT_CAP
from bot.core.records import (
    ApplyReport,
    Company,
    Event,
    FactFile,
    FeedItem,
    HitKind,
    Project,
    RecordKind,
    SearchHit,
    SectorArea,
    SectorLabel,
    Source,
    Zone,
    ZoneCardReads,
    ZoneCounts,
    ZoneFigure,
)
from bot.core.text import fts_query, normalise, pinyin, place_stem
from storage import bulk_records
from storage.base import StoreBase, iso, write_audit
from storage.bulk_companies import write_companies, write_staged_companies
from storage.bulk_records import index_texts as _index_texts
from storage.bulk_records import stored_body as _body
from storage.bulk_sorted import SortedRows, release_freed_memory
from storage.import_spool import ImportSpool
from storage.name_index import index_names, unindex_names

M = TypeVar("M", bound=BaseModel)

_SECTIONS: tuple[str, ...] = (
    "sources",
    "areas",
    "labels",
    "zones",
    "companies",
    "projects",
    "events",
    "figures",
)


def _load(model: type[M], row: aiosqlite.Row, learned: bool = False) -> M:
    data = json.loads(row["body"])
    if learned:
        data["learned_at"] = row["learned_at"]
    return model.model_validate(data)


def _zone_figures(conn: sqlite3.Connection, zone_id: str) -> list[ZoneFigure]:
    rows = conn.execute(
        "SELECT body FROM figures WHERE zone_id = ? AND deleted_at IS NULL ORDER BY rowid",
        (zone_id,),
    )
    return [_load(ZoneFigure, r) for r in rows]


def _zone_count(conn: sqlite3.Connection, zone_id: str) -> ZoneCounts:
    row = conn.execute(
        "SELECT (SELECT COUNT(*) FROM projects WHERE zone_id = ? AND deleted_at IS NULL), "
        "(SELECT COUNT(*) FROM events WHERE zone_id = ? AND deleted_at IS NULL)",
        (zone_id, zone_id),
    ).fetchone()
    return ZoneCounts(int(row[0]), int(row[1]))


Dated = TypeVar("Dated", Project, Event)


def _in_zone(
    conn: sqlite3.Connection, model: type[Dated], zone_id: str, limit: int, offset: int
) -> list[Dated]:
    """A zone's live projects or events, the latest learned first."""
    table = "projects" if model is Project else "events"
    rows = conn.execute(
        f"SELECT body, learned_at FROM {table} WHERE zone_id = ? AND deleted_at IS NULL "
        "ORDER BY learned_at DESC, rowid DESC LIMIT ? OFFSET ?",
        (zone_id, limit, offset),
    )
    return [_load(model, r, learned=True) for r in rows]


def _companies(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Company]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    rows = conn.execute(
        f"SELECT body FROM companies WHERE id IN ({marks}) AND deleted_at IS NULL",
        tuple(wanted),
    )
    found = [_load(Company, r) for r in rows]
    return {c.id: c for c in found}


def _sources(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Source]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    rows = conn.execute(f"SELECT body FROM sources WHERE id IN ({marks})", tuple(wanted))
    found = [_load(Source, r) for r in rows]
    return {s.id: s for s in found}


class FactQueries(StoreBase):
    """Facts in the store. Every new record and stage change is also written to the feed."""

    # ---- applying facts ---------------------------------------------------------------

    async def known_ids(self) -> KnownIds:
        async def ids(sql: str) -> frozenset[str]:
            return frozenset(str(r[0]) for r in await self.fetchall(sql))

        return KnownIds(
            zones=await ids("SELECT id FROM zones WHERE deleted_at IS NULL"),
            companies=await ids("SELECT id FROM companies WHERE deleted_at IS NULL"),
            sources=await ids("SELECT id FROM sources"),
            events=await ids("SELECT id FROM events WHERE deleted_at IS NULL"),
            labels=await ids("SELECT label FROM labels"),
            areas=await ids("SELECT id FROM areas"),
            figures=await ids("SELECT id FROM figures WHERE deleted_at IS NULL"),
        )

    async def open_spool(self) -> ImportSpool:
        """A scratch place for the records of a big import (see storage/import_spool.py);
        the caller closes it."""
        return ImportSpool(self._read, await self.known_ids())

    async def apply_facts(
        self,
        facts: FactFile,
        via: str,
        actor_id: int | None = None,
        *,
        first: Callable[[aiosqlite.Connection], Awaitable[None]] | None = None,
        spool: ImportSpool | None = None,
    ) -> ApplyReport:
        """Check a whole fact file, then write it in one transaction (all or nothing).

        ``first`` runs inside that transaction before anything is written (the review queue
        marks a card accepted there); if it raises, nothing is written. ``spool``: more records
        of the same file, staged and checked already (a big import by the CLI).
        """
        check(facts, await self.known_ids())
        report = ApplyReport()
        # Outside the write transaction (and off the event loop): the names the search text
        # needs, then every record's body and search text.
        zone_ids = {r.zone for r in facts.events} | {r.zone for r in facts.projects}
        companies = await bulk_records.stored_names(
            self._read,
            "companies",
            {c for r in facts.projects if r.company for c in [r.company]}
            | {c for r in facts.events for c in r.companies},
        )
        companies.update(bulk_records.model_names(facts.companies))
        zones = await bulk_records.stored_names(self._read, "zones", zone_ids)
        zones.update(bulk_records.model_names(facts.zones))
        prepare = bulk_records.prepare
        events = await asyncio.to_thread(prepare, "event", facts.events, companies, zones)
        projects = await asyncio.to_thread(prepare, "project", facts.projects, companies, zones)
        now = iso(self.now())
        if spool is not None:
            await asyncio.to_thread(release_freed_memory)
        async with self.transaction() as db:
            if first is not None:
                await first(db)
            writer = _Writer(db, now, via, actor_id, report)
            for source in facts.sources:
                await writer.simple("sources", source.id, source)
            for area in facts.areas:
                await writer.area(area)
            for label in facts.labels:
                await writer.label(label)
            for zone in facts.zones:
                await writer.zone(zone)
            await write_companies(db, facts.companies, now, via, actor_id, report)
            batches: tuple[tuple[bulk_records.RecordKind, list[bulk_records.Prepared]], ...] = (
                ("event", events),
                ("project", projects),
            )
            # A staged import's name-index, label and search rows are written at its end,
            # sorted (storage/bulk_sorted.py).
            held = None
            if spool is not None:
                held = SortedRows(db, spool.records + spool.companies + len(events) + len(projects))
            try:
                if held is not None and spool is not None:
                    await held.start()
                    await write_staged_companies(
                        db, spool.company_chunks(), now, via, actor_id, report, held
                    )
                for kind, prepared in batches:
                    await bulk_records.write(db, kind, prepared, now, via, actor_id, report, held)
                    if spool is not None:
                        # Read back a chunk at a time, one ahead (off the loop): memory stays flat.
                        await bulk_records.write_staged(
                            db, kind, spool.chunks(kind), now, via, actor_id, report, held
                        )
                if held is not None:
                    await held.finish()
            finally:
                if held is not None:
                    await held.close()
            for figure in facts.figures:
                await writer.figure(figure)
        return report

    async def seed(self) -> ApplyReport | None:
        """Apply the shipped facts when they are new or changed; None when already applied."""
        facts = load_seed()
        digest = hashlib.sha256(dump(facts).encode()).hexdigest()
        if await self.scalar("SELECT value FROM meta WHERE key = 'seed'") == digest:
            return None
        report = await self.apply_facts(facts, via="seed")
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO meta(key, value) VALUES ('seed', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (digest,),
            )
        return report

    async def delete_record(
        self, kind: str, record_id: str, via: str, actor_id: int | None = None
    ) -> bool:
        """Mark a project, event, company, zone or figure deleted; it no longer shows."""
        table = _TABLES.get(kind)
        if table is None:
            raise ValueError(f"cannot delete a {kind}")
        now = iso(self.now())
        async with self.transaction() as db:
            async with db.execute(
                f"SELECT body FROM {table} WHERE id = ? AND deleted_at IS NULL", (record_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return False
            await db.execute(f"UPDATE {table} SET deleted_at = ? WHERE id = ?", (now, record_id))
            await _unindex(db, kind, record_id)
            await write_audit(db, now, actor_id, via, kind, record_id, "delete", row["body"], None)
        return True

    # ---- reading ----------------------------------------------------------------------

    async def counts(self) -> dict[str, int]:
        """Live records by kind (deleted ones excluded)."""
        result: dict[str, int] = {}
        for section, table in (
            ("zones", "zones"),
            ("companies", "companies"),
            ("projects", "projects"),
            ("events", "events"),
            ("figures", "figures"),
        ):
            value = await self.scalar(f"SELECT COUNT(*) FROM {table} WHERE deleted_at IS NULL")
            result[section] = int(str(value))
        for section, table in (("sources", "sources"), ("areas", "areas"), ("labels", "labels")):
            result[section] = int(str(await self.scalar(f"SELECT COUNT(*) FROM {table}")))
        return result

    async def zones(self) -> list[Zone]:
        rows = await self.fetchall("SELECT body FROM zones WHERE deleted_at IS NULL ORDER BY id")
        return [_load(Zone, r) for r in rows]

    async def zone(self, zone_id: str) -> Zone | None:
        row = await self.fetchone(
            "SELECT body FROM zones WHERE id = ? AND deleted_at IS NULL", (zone_id,)
        )
        return _load(Zone, row) if row else None

    async def zone_names(self) -> list[tuple[str, str]]:
        """(normalised name, zone id) for every name a live zone answers to (its record's names
        and the directory's)."""
        rows = await self.fetchall(
            "SELECT n.name, n.zone_id FROM zone_names n JOIN zones z ON z.id = n.zone_id "
            "WHERE z.deleted_at IS NULL UNION "
            "SELECT n.name, n.zone_id FROM directory_names n JOIN zones z ON z.id = n.zone_id "
            "WHERE z.deleted_at IS NULL"
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    async def zone_counts(self) -> dict[str, ZoneCounts]:
        counts: dict[str, list[int]] = {}
        for index, table in enumerate(("projects", "events")):
            rows = await self.fetchall(
                f"SELECT zone_id, COUNT(*) FROM {table} WHERE deleted_at IS NULL GROUP BY zone_id"
            )
            for row in rows:
                counts.setdefault(str(row[0]), [0, 0])[index] = int(row[1])
        return {zone_id: ZoneCounts(p, e) for zone_id, (p, e) in counts.items()}

    async def zone_figures(self, zone_id: str) -> list[ZoneFigure]:
        return await self.read(lambda conn: _zone_figures(conn, zone_id))

    async def projects_in_zone(
        self, zone_id: str, limit: int = 10, offset: int = 0
    ) -> list[Project]:
        return await self.read(lambda conn: _in_zone(conn, Project, zone_id, limit, offset))

    async def events_in_zone(self, zone_id: str, limit: int = 10, offset: int = 0) -> list[Event]:
        return await self.read(lambda conn: _in_zone(conn, Event, zone_id, limit, offset))

    async def zone_card_reads(
        self,
        zone_id: str,
        *,
        projects: int,
        events: int,
        sources: Iterable[str],
        only_sources: Iterable[str] | None = None,
    ) -> ZoneCardReads:
        """A zone card's reads in one round trip: figures, counts, the latest ``projects`` and
        ``events``, their companies, and the sources of all of them plus ``sources``.

        ``only_sources``: for a zone with no figures, projects or events, read these sources
        alone (the directory's card) and nothing more.
        """
        also = set(sources)
        alone = None if only_sources is None else set(only_sources)

        def work(conn: sqlite3.Connection) -> ZoneCardReads:
            figures = _zone_figures(conn, zone_id)
            counts = _zone_count(conn, zone_id)
            if alone is not None and not figures and counts == ZoneCounts(0, 0):
                return ZoneCardReads(figures, counts, [], [], {}, _sources(conn, alone))
            latest = _in_zone(conn, Project, zone_id, projects, 0)
            recent = _in_zone(conn, Event, zone_id, events, 0)
            companies = _companies(conn, (p.company for p in latest if p.company))
            wanted = also | {f.source for f in figures} | {p.source for p in latest}
            wanted |= {e.source for e in recent}
            return ZoneCardReads(figures, counts, latest, recent, companies, _sources(conn, wanted))

        return await self.read(work)

    async def project(self, project_id: str) -> Project | None:
        row = await self.fetchone(
            "SELECT body, learned_at FROM projects WHERE id = ? AND deleted_at IS NULL",
            (project_id,),
        )
        return _load(Project, row, learned=True) if row else None

    async def event(self, event_id: str) -> Event | None:
        row = await self.fetchone(
            "SELECT body, learned_at FROM events WHERE id = ? AND deleted_at IS NULL",
            (event_id,),
        )
        return _load(Event, row, learned=True) if row else None

    async def projects_of_event(self, event_id: str) -> list[Project]:
        rows = await self.fetchall(
            "SELECT body, learned_at FROM projects WHERE deleted_at IS NULL "
            "AND json_extract(body, '$.event') = ? ORDER BY rowid",
            (event_id,),
        )
        return [_load(Project, r, learned=True) for r in rows]

    async def projects_of_company(self, company_id: str) -> list[Project]:
        rows = await self.fetchall(
            "SELECT body, learned_at FROM projects WHERE company_id = ? AND deleted_at IS NULL "
            "ORDER BY learned_at DESC",
            (company_id,),
        )
        return [_load(Project, r, learned=True) for r in rows]

    async def company(self, company_id: str) -> Company | None:
        row = await self.fetchone(
            "SELECT body FROM companies WHERE id = ? AND deleted_at IS NULL", (company_id,)
        )
        return _load(Company, row) if row else None

    async def companies(self, ids: Iterable[str]) -> dict[str, Company]:
        wanted = set(ids)
        return await self.read(lambda conn: _companies(conn, wanted)) if wanted else {}

    async def source(self, source_id: str) -> Source | None:
        row = await self.fetchone("SELECT body FROM sources WHERE id = ?", (source_id,))
        return _load(Source, row) if row else None

    async def sources(self, ids: Iterable[str]) -> dict[str, Source]:
        wanted = set(ids)
        return await self.read(lambda conn: _sources(conn, wanted)) if wanted else {}

    async def areas(self) -> list[SectorArea]:
        rows = await self.fetchall("SELECT id, name_zh, name_en FROM areas ORDER BY rowid")
        return [SectorArea(id=r[0], name_zh=r[1], name_en=r[2]) for r in rows]

    async def labels(self) -> list[SectorLabel]:
        rows = await self.fetchall("SELECT label, name_en, area FROM labels ORDER BY rowid")
        return [SectorLabel(label=r[0], name_en=r[1], area=r[2]) for r in rows]

    async def label_counts(self) -> dict[str, int]:
        """How many live projects and events carry each label."""
        rows = await self.fetchall(
            "SELECT l.label, COUNT(*) FROM record_labels l "
            "LEFT JOIN projects p ON l.kind = 'project' AND p.id = l.record_id "
            "LEFT JOIN events e ON l.kind = 'event' AND e.id = l.record_id "
            "WHERE (p.id IS NOT NULL AND p.deleted_at IS NULL) "
            "OR (e.id IS NOT NULL AND e.deleted_at IS NULL) GROUP BY l.label"
        )
        return {str(r[0]): int(r[1]) for r in rows}

    async def projects_with_labels(
        self, labels: Sequence[str], limit: int = 10, offset: int = 0
    ) -> list[Project]:
        if not labels:
            return []
        marks = ",".join("?" * len(labels))
        rows = await self.fetchall(
            "SELECT p.body, p.learned_at FROM projects p WHERE p.deleted_at IS NULL AND p.id IN "
            f"(SELECT record_id FROM record_labels WHERE kind = 'project' AND label IN ({marks})) "
            "ORDER BY p.learned_at DESC, p.rowid DESC LIMIT ? OFFSET ?",
            (*labels, limit, offset),
        )
        return [_load(Project, r, learned=True) for r in rows]

    async def events_with_labels(
        self, labels: Sequence[str], limit: int = 10, offset: int = 0
    ) -> list[Event]:
        if not labels:
            return []
        marks = ",".join("?" * len(labels))
        rows = await self.fetchall(
            "SELECT e.body, e.learned_at FROM events e WHERE e.deleted_at IS NULL AND e.id IN "
            f"(SELECT record_id FROM record_labels WHERE kind = 'event' AND label IN ({marks})) "
            "ORDER BY e.learned_at DESC, e.rowid DESC LIMIT ? OFFSET ?",
            (*labels, limit, offset),
        )
        return [_load(Event, r, learned=True) for r in rows]

    async def count_with_labels(self, kind: RecordKind, labels: Sequence[str]) -> int:
        if not labels:
            return 0
        table = "projects" if kind == "project" else "events"
        marks = ",".join("?" * len(labels))
        value = await self.scalar(
            f"SELECT COUNT(*) FROM {table} t WHERE t.deleted_at IS NULL AND t.id IN "
            f"(SELECT record_id FROM record_labels WHERE kind = ? AND label IN ({marks}))",
            (kind, *labels),
        )
        return int(str(value))

    async def search(
        self, text: str, limit: int = 10, offset: int = 0, prefer_zone: str | None = None
    ) -> list[SearchHit]:
        """Ranked matches over zones, companies, projects, events and figures.

        ``prefer_zone``: the zone the query names (kunshan, 昆山); its card ranks first, since
        every record of the zone also carries the zone's name and may otherwise outrank it.

        Up to SEARCH_COUNT_CAP matches: ranked inside the FTS table (its ``rank``, bm25 with
        a title match worth five body matches), and only the page shown is joined to
        search_docs. More matches than that (a one-word search over a big store): records
        with the words in their title first, then the others, each newest first. bm25 would
        read every match's positions to weigh the words (150 ms for 40,000 matches); the
        FTS table streams these orders without it (``broad_page``).
        """
        query = fts_query(text)
        if query is None:
            return []
        broad = await self.search_count(text) > SEARCH_COUNT_CAP
        first: list[aiosqlite.Row] = []
        if prefer_zone is not None:
            first = await self.fetchall(
                "SELECT d.kind, d.record_id, d.zone_id, s.title, s.rank, d.id FROM search_index s "
                "JOIN search_docs d ON d.id = s.rowid WHERE search_index MATCH ? "
                f"AND rank MATCH '{_RANK}' AND s.rowid = "
                "(SELECT id FROM search_docs WHERE kind = 'zone' AND record_id = ?)",
                (query, prefer_zone),
            )
        skipped = int(first[0][5]) if first else None
        rest_offset = max(0, offset - len(first))
        rest_limit = limit - (len(first) if offset == 0 else 0)
        rows = list(first) if offset == 0 else []
        if rest_limit > 0 and broad:
            rows += await self.read(
                lambda conn: broad_page(conn, query, skipped, rest_limit, rest_offset)
            )
        elif rest_limit > 0:
            rows += await self.fetchall(
                "SELECT d.kind, d.record_id, d.zone_id, s.title, s.r FROM "
                "(SELECT rowid AS id, title, rank AS r FROM search_index "
                f"WHERE search_index MATCH ? AND rank MATCH '{_RANK}' AND rowid IS NOT ? "
                "ORDER BY rank LIMIT ? OFFSET ?) s JOIN search_docs d ON d.id = s.id ORDER BY s.r",
                (query, skipped, rest_limit, rest_offset),
            )
        return [_hit(r) for r in rows]

    async def search_count(self, text: str, cap: int = SEARCH_COUNT_CAP) -> int:
        """How many records match, counted up to ``cap`` + 1 (more means "cap+"); kept per
        facts version, so paging through one search counts once."""
        query = fts_query(text)
        if query is None:
            return 0
        version = await self.facts_version()
        if self._search_counts[0] != version:
            self._search_counts = (version, {})
        counted = self._search_counts[1]
        key = f"{cap}:{query}"
        if key not in counted:
            value = await self.scalar(
                "SELECT COUNT(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH ? "
                "LIMIT ?)",
                (query, cap + 1),
            )
            if len(counted) >= 2000:
                counted.clear()
            counted[key] = int(str(value))
        return counted[key]

    # ---- the feed ---------------------------------------------------------------------

    async def max_seq(self) -> int:
        return int(str(await self.scalar("SELECT COALESCE(MAX(seq), 0) FROM feed")))

    async def feed_after(self, seq: int, limit: int = 500) -> list[FeedItem]:
        rows = await self.fetchall(
            "SELECT seq, kind, record_id, change, at FROM feed WHERE seq > ? ORDER BY seq LIMIT ?",
            (seq, limit),
        )
        return [FeedItem(int(r[0]), r[1], str(r[2]), r[3], str(r[4])) for r in rows]

    async def record_labels(
        self, kind: RecordKind, record_ids: Sequence[str]
    ) -> dict[str, set[str]]:
        if not record_ids:
            return {}
        marks = ",".join("?" * len(record_ids))
        rows = await self.fetchall(
            f"SELECT record_id, label FROM record_labels WHERE kind = ? AND record_id IN ({marks})",
            (kind, *record_ids),
        )
        result: dict[str, set[str]] = {}
        for row in rows:
            result.setdefault(str(row[0]), set()).add(str(row[1]))
        return result

    # ---- lookups (/zone, /project, /search, caches) -------------------------------------

    async def facts_version(self) -> int:
        """Changes whenever any fact changes (every fact write adds an audit row).

        Read again only after someone committed to the file (this process or another);
        otherwise answered from memory, without a round trip.
        """
        marker = self.data_version()
        cached = self._facts_version
        if marker is not None and cached is not None and cached[0] == marker:
            return cached[1]
        version = int(str(await self.scalar("SELECT COALESCE(MAX(id), 0) FROM audit")))
        if marker is not None:
            # The marker was read first: a commit after it moves the marker again.
            self._facts_version = (marker, version)
        return version

    async def zone_count(self, zone_id: str) -> ZoneCounts:
        """Live projects and events of one zone (the partial indexes answer it)."""
        return await self.read(lambda conn: _zone_count(conn, zone_id))

    async def search_kinds(
        self, text: str, kinds: Sequence[str], limit: int = 10
    ) -> list[SearchHit]:
        """Like ``search``, limited to some kinds of record (project, company ...)."""
        query = fts_query(text)
        if query is None or not kinds:
            return []
        marks = ",".join("?" * len(kinds))
        rows = await self.fetchall(
            "SELECT d.kind, d.record_id, d.zone_id, s.title, bm25(search_index, 5.0, 1.0) AS r "
            "FROM search_index s JOIN search_docs d ON d.id = s.rowid "
            f"WHERE search_index MATCH ? AND d.kind IN ({marks}) ORDER BY r LIMIT ?",
            (query, *kinds, limit),
        )
        return [_hit(r) for r in rows]

    async def hit_records(
        self, hits: Sequence[SearchHit]
    ) -> dict[tuple[str, str], Project | Event | Company | ZoneFigure]:
        """The live records behind search hits, by (kind, id), in one read (zones excluded:
        callers have them at hand)."""
        parts: list[str] = []
        params: list[object] = []
        for kind, table, learned in (
            ("project", "projects", "learned_at"),
            ("event", "events", "learned_at"),
            ("company", "companies", "NULL"),
            ("figure", "figures", "NULL"),
        ):
            ids = sorted({h.record_id for h in hits if h.kind == kind})
            if ids:
                marks = ",".join("?" * len(ids))
                parts.append(
                    f"SELECT '{kind}' AS kind, id, body, {learned} AS learned_at FROM {table} "
                    f"WHERE id IN ({marks}) AND deleted_at IS NULL"
                )
                params.extend(ids)
        if not parts:
            return {}
        rows = await self.fetchall(" UNION ALL ".join(parts), tuple(params))
        found: dict[tuple[str, str], Project | Event | Company | ZoneFigure] = {}
        for row in rows:
            kind = str(row["kind"])
            record: Project | Event | Company | ZoneFigure
            if kind == "project":
                record = _load(Project, row, learned=True)
            elif kind == "event":
                record = _load(Event, row, learned=True)
            elif kind == "company":
                record = _load(Company, row)
            else:
                record = _load(ZoneFigure, row)
            found[(kind, str(row["id"]))] = record
        return found

    async def figure(self, figure_id: str) -> ZoneFigure | None:
        row = await self.fetchone(
            "SELECT body FROM figures WHERE id = ? AND deleted_at IS NULL", (figure_id,)
        )
        return _load(ZoneFigure, row) if row else None

    async def sector_page(
        self, kind: RecordKind, labels: Sequence[str], limit: int = 10, offset: int = 0
    ) -> list[Project] | list[Event]:
        """Newest stored first, records carrying any of the labels (for /sector pages).

        Walks the table in rowid order and stops at the page's end, checking each record's
        labels by primary key, instead of sorting every match: fast for wide sectors.
        """
        if not labels:
            return []
        table = "projects" if kind == "project" else "events"
        marks = ",".join("?" * len(labels))
        rows = await self.fetchall(
            f"SELECT t.body, t.learned_at FROM {table} t WHERE t.deleted_at IS NULL AND EXISTS "
            "(SELECT 1 FROM record_labels r WHERE r.kind = ? AND r.record_id = t.id "
            f"AND r.label IN ({marks})) ORDER BY t.rowid DESC LIMIT ? OFFSET ?",
            (kind, *labels, limit, offset),
        )
        if kind == "project":
            return [_load(Project, r, learned=True) for r in rows]
        return [_load(Event, r, learned=True) for r in rows]

    async def events_of_company(self, company_id: str, limit: int = 20) -> list[Event]:
        """Events that name a company among their participants."""
        rows = await self.fetchall(
            "SELECT body, learned_at FROM events WHERE deleted_at IS NULL AND EXISTS "
            "(SELECT 1 FROM json_each(events.body, '$.companies') WHERE value = ?) "
            "ORDER BY learned_at DESC, rowid DESC LIMIT ?",
            (company_id, limit),
        )
        return [_load(Event, r, learned=True) for r in rows]


# bm25 weights for (title, body): a match in the title counts five times one in the body.
_RANK = "bm25(5.0, 1.0)"


def broad_page(
    conn: sqlite3.Connection, query: str, skipped: int | None, limit: int, offset: int
) -> list[sqlite3.Row]:
    """A page of a broad search (more matches than are worth ranking): the records with the
    words in their title first, then the others, each newest first.

    Each tier is read from the FTS table in descending rowid order, which FTS5 streams without
    sorting, so a page costs the rows it shows (plus, past the first tier, counting that tier)
    rather than sorting every match: ~0.4 ms instead of ~7 ms (p50) for one word over 300,000
    projects. ``skipped``: the rowid already shown first (the zone the query names).
    """
    in_title = f"{{title}} : ({query})"
    tiers = (in_title, f"({query}) NOT {in_title}")
    tier_sql = (
        "SELECT rowid FROM search_index WHERE search_index MATCH ? AND rowid IS NOT ? "
        "ORDER BY rowid DESC LIMIT ? OFFSET ?"
    )
    ids = [int(r[0]) for r in conn.execute(tier_sql, (tiers[0], skipped, limit, offset))]
    if len(ids) < limit:
        # The page reaches past the first tier: the rest start at the second tier's top,
        # unless the page began beyond the first tier (then count that tier to know where).
        rest_offset = 0
        if offset > 0 and not ids:
            in_first = conn.execute(
                "SELECT COUNT(*) FROM search_index WHERE search_index MATCH ? AND rowid IS NOT ?",
                (tiers[0], skipped),
            ).fetchone()[0]
            rest_offset = max(0, offset - int(in_first))
        rest = (tiers[1], skipped, limit - len(ids), rest_offset)
        ids += [int(r[0]) for r in conn.execute(tier_sql, rest)]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    found = {
        int(r[5]): r
        for r in conn.execute(
            "SELECT d.kind, d.record_id, d.zone_id, s.title, 0.0, d.id FROM search_docs d "
            f"JOIN search_index s ON s.rowid = d.id WHERE d.id IN ({marks})",
            ids,
        )
    }
    return [found[i] for i in ids if i in found]


def _hit(row: aiosqlite.Row) -> SearchHit:
    title = str(row[3])
    return SearchHit(
        kind=cast(HitKind, str(row[0])),
        record_id=str(row[1]),
        zone_id=row[2],
        title=unspace(title),
        score=float(row[4]),
    )


_HAN_GAP = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff]) +(?=[\u3400-\u9fff\uf900-\ufaff])")


def unspace(title: str) -> str:
    """A title as written: the index's spaces between Chinese characters removed (南 玻 玻 璃
    Nanbo Glass -> 南玻玻璃 Nanbo Glass), the spaces between Latin words kept."""
    return _HAN_GAP.sub("", title)


def _mostly_han(text: str) -> bool:
    han = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    return han * 2 >= len(text.replace(" ", ""))


_TABLES = {
    "project": "projects",
    "event": "events",
    "company": "companies",
    "zone": "zones",
    "figure": "figures",
}


async def _unindex(db: aiosqlite.Connection, kind: str, record_id: str) -> None:
    async with db.execute(
        "SELECT id FROM search_docs WHERE kind = ? AND record_id = ?", (kind, record_id)
    ) as cursor:
        row = await cursor.fetchone()
    if row is not None:
        await db.execute("DELETE FROM search_index WHERE rowid = ?", (row[0],))
        await db.execute("DELETE FROM search_docs WHERE id = ?", (row[0],))
    await unindex_names(db, kind, record_id)


async def _index(
    db: aiosqlite.Connection,
    kind: str,
    record_id: str,
    zone_id: str | None,
    title: str,
    body: Iterable[str | None],
    names: Sequence[str | None] = (),
    parent: str | None = None,
) -> None:
    await _unindex(db, kind, record_id)
    await index_names(db, kind, record_id, names, parent)
    cursor = await db.execute(
        "INSERT INTO search_docs(kind, record_id, zone_id) VALUES (?, ?, ?)",
        (kind, record_id, zone_id),
    )
    await db.execute(
        "INSERT INTO search_index(rowid, title, body) VALUES (?, ?, ?)",
        (cursor.lastrowid, *_index_texts(title, body)),
    )


def _zone_index(zone: Zone) -> tuple[str, list[str | None]]:
    """A zone's search title and body."""
    return f"{zone.short_zh} {zone.name_en or ''}", [
        zone.name_zh,
        zone.province,
        zone.city,
        *zone.aliases,
        *zone.leading,
        *zone.emerging,
        zone.summary_zh,
        zone.summary_en,
        pinyin(place_stem(zone.short_zh)),
    ]


@dataclass
class _Writer:
    """Upserts one fact file's records inside the caller's transaction."""

    db: aiosqlite.Connection
    now: str
    via: str
    actor_id: int | None
    report: ApplyReport
    _zone_names: dict[str, str] = field(default_factory=dict)
    _company_names: dict[str, str] = field(default_factory=dict)

    async def _existing(self, table: str, record_id: str) -> aiosqlite.Row | None:
        has_deleted = table not in ("sources",)
        columns = "body, deleted_at" if has_deleted else "body, NULL AS deleted_at"
        async with self.db.execute(
            f"SELECT {columns} FROM {table} WHERE id = ?", (record_id,)
        ) as cursor:
            return await cursor.fetchone()

    async def _decide(self, table: str, section: str, record_id: str, body: str) -> str | None:
        """'new', 'update' or None (unchanged, or deleted and not to be revived)."""
        row = await self._existing(table, record_id)
        if row is None:
            self.report.add("new", section, record_id)
            return "new"
        if row["deleted_at"] is not None:
            self.report.skipped_deleted.append(f"{section}:{record_id}")
            return None
        if row["body"] == body:
            self.report.add("unchanged", section, record_id)
            return None
        self.report.add("updated", section, record_id)
        return "update"

    async def simple(self, section: str, record_id: str, model: BaseModel) -> None:
        body = _body(model)
        before = await self._existing(section, record_id)
        action = await self._decide(section, section, record_id, body)
        if action is not None:
            await self.db.execute(
                f"INSERT INTO {section}(id, body) VALUES (?, ?) "
                "ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                (record_id, body),
            )
            # The audit row also moves the facts version: cached cards show the new text.
            await write_audit(
                self.db,
                self.now,
                self.actor_id,
                self.via,
                section.removesuffix("s"),
                record_id,
                action,
                before["body"] if before else None,
                body,
            )

    async def area(self, area: SectorArea) -> None:
        await self._taxonomy(
            "areas", "id", area.id, {"name_zh": area.name_zh, "name_en": area.name_en}
        )

    async def label(self, label: SectorLabel) -> None:
        await self._taxonomy(
            "labels", "label", label.label, {"name_en": label.name_en, "area": label.area}
        )

    async def _taxonomy(
        self, table: str, key: str, value: str, columns: dict[str, str | None]
    ) -> None:
        """Upsert one row of the sector taxonomy (areas, labels), reported like records."""
        names = ", ".join(columns)
        async with self.db.execute(
            f"SELECT {names} FROM {table} WHERE {key} = ?", (value,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is not None and tuple(row) == tuple(columns.values()):
            self.report.add("unchanged", table, value)
            return
        self.report.add("new" if row is None else "updated", table, value)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
        await self.db.execute(
            f"INSERT INTO {table}({key}, {names}) VALUES (?, {', '.join('?' * len(columns))}) "
            f"ON CONFLICT({key}) DO UPDATE SET {updates}",
            (value, *columns.values()),
        )
        # The audit row also moves the facts version (area and label names are on cards).
        await write_audit(
            self.db,
            self.now,
            self.actor_id,
            self.via,
            table.removesuffix("s"),
            value,
            "new" if row is None else "update",
            None
            if row is None
            else json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False),
            json.dumps(columns, ensure_ascii=False),
        )

    async def zone(self, zone: Zone) -> None:
        body = _body(zone)
        action = await self._decide("zones", "zones", zone.id, body)
        if action is None:
            return
        before = await self._existing("zones", zone.id)
        await self.db.execute(
            "INSERT INTO zones(id, name_zh, short_zh, name_en, body) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name_zh = excluded.name_zh, "
            "short_zh = excluded.short_zh, name_en = excluded.name_en, body = excluded.body",
            (zone.id, zone.name_zh, zone.short_zh, zone.name_en or "", body),
        )
        await self.db.execute("DELETE FROM zone_names WHERE zone_id = ?", (zone.id,))
        await self.db.executemany(
            "INSERT OR IGNORE INTO zone_names(name, zone_id) VALUES (?, ?)",
            [(name, zone.id) for name in sorted(zone_name_forms(zone))],
        )
        await _index(self.db, "zone", zone.id, zone.id, *_zone_index(zone))
        await write_audit(
            self.db,
            self.now,
            self.actor_id,
            self.via,
            "zone",
            zone.id,
            action,
            before["body"] if before else None,
            body,
        )

    async def new_zones(self, zones: Sequence[Zone]) -> None:
        """Insert zones the store has never held, a few statements for all of them.

        For reference data such as the zone directory (hundreds of zones at first start):
        the same rows ``zone`` writes, without a round trip per zone.
        """
        if not zones:
            return
        async with self.db.execute("SELECT COALESCE(MAX(id), 0) FROM search_docs") as cursor:
            row = await cursor.fetchone()
        first = int(row[0]) + 1 if row else 1
        bodies = [_body(z) for z in zones]
        await self.db.executemany(
            "INSERT INTO zones(id, name_zh, short_zh, name_en, body) VALUES (?, ?, ?, ?, ?)",
            [
                (z.id, z.name_zh, z.short_zh, z.name_en or "", b)
                for z, b in zip(zones, bodies, strict=True)
            ],
        )
        await self.db.executemany(
            "INSERT OR IGNORE INTO zone_names(name, zone_id) VALUES (?, ?)",
            [(name, z.id) for z in zones for name in sorted(zone_name_forms(z))],
        )
        await self.db.executemany(
            "INSERT INTO search_docs(id, kind, record_id, zone_id) VALUES (?, 'zone', ?, ?)",
            [(first + i, z.id, z.id) for i, z in enumerate(zones)],
        )
        await self.db.executemany(
            "INSERT INTO search_index(rowid, title, body) VALUES (?, ?, ?)",
            [(first + i, *_index_texts(*_zone_index(z))) for i, z in enumerate(zones)],
        )
        await self.db.executemany(
            "INSERT INTO audit(at, actor_id, via, kind, record_id, action, before, after) "
            "VALUES (?, ?, ?, 'zone', ?, 'new', NULL, ?)",
            [
                (self.now, self.actor_id, self.via, z.id, b)
                for z, b in zip(zones, bodies, strict=True)
            ],
        )
        for zone in zones:
            self.report.add("new", "zones", zone.id)

    async def _names(self, table: str, ids: Iterable[str | None]) -> list[str]:
        names: list[str] = []
        for record_id in ids:
            if not record_id:
                continue
            async with self.db.execute(
                f"SELECT body FROM {table} WHERE id = ?", (record_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is not None:
                data: dict[str, Any] = json.loads(row["body"])
                names.extend(
                    str(data[k])
                    for k in ("name_zh", "short_zh", "name_en", "parent")
                    if data.get(k)
                )
        return names

    async def figure(self, figure: ZoneFigure) -> None:
        body = _body(figure)
        action = await self._decide("figures", "figures", figure.id, body)
        if action is None:
            return
        before = await self._existing("figures", figure.id)
        await self.db.execute(
            "INSERT INTO figures(id, zone_id, body) VALUES (?, ?, ?) ON CONFLICT(id) "
            "DO UPDATE SET zone_id = excluded.zone_id, body = excluded.body",
            (figure.id, figure.zone, body),
        )
        zone_names = await self._names("zones", [figure.zone])
        await _index(
            self.db,
            "figure",
            figure.id,
            figure.zone,
            f"{figure.name_zh} {figure.name_en or ''}",
            [figure.value.text(), figure.sector, figure.note, figure.note_en, *zone_names],
        )
        await write_audit(
            self.db,
            self.now,
            self.actor_id,
            self.via,
            "figure",
            figure.id,
            action,
            before["body"] if before else None,
            body,
        )


def zone_name_forms(zone: Zone) -> set[str]:
    """Every normalised name a zone answers to: ids, names, place stem, pinyin, aliases."""
    names = {zone.id, zone.name_zh, zone.short_zh, zone.name_en or zone.short_zh, *zone.aliases}
    stem = place_stem(zone.short_zh)
    names |= {stem, place_stem(zone.name_zh), pinyin(stem)}
    # The city only where it is the zone's own place (昆山市 for 昆山高新区): a prefecture
    # such as 苏州 holds many zones and is a place to list, not one zone's name.
    if zone.city and stem.startswith(zone.city.removesuffix("市")):
        names.add(zone.city.removesuffix("市"))
    forms = {normalise(n) for n in names if n}
    return {f for f in forms if f}


def sections() -> tuple[str, ...]:
    return _SECTIONS
