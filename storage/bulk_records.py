"""Projects and events of a fact file written in bulk (issue 15, item 7).

Everything that depends only on the records (the search text with its pinyin, the labels, the
bodies) is prepared before the write transaction, off the event loop. Inside the transaction
only the decisions that depend on what is stored (new, updated, unchanged, deleted) are made,
and each table is written with one ``executemany``: the transaction stays short, so other
writers wait for it instead of failing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal, NamedTuple

import aiosqlite
from pydantic import BaseModel

from bot.core.records import Company, Event, Project, Zone
from bot.core.text import fts_text, pinyin_terms
from storage.bulk_sorted import SortedRows
from storage.name_index import name_forms

RecordKind = Literal["project", "event"]
CHUNK = 500  # ids per IN (...) query
_NAME_KEYS = ("name_zh", "short_zh", "name_en", "parent")


class Prepared(NamedTuple):
    """One record as it will be stored: body, columns, labels, and its search text.

    A named tuple, not a dataclass: a 200,000-row import builds, stages and reads back as
    many, and a tuple is several times cheaper to make, pickle and unpickle."""

    record_id: str
    zone_id: str
    body: str
    columns: tuple[Any, ...]  # the kind-specific columns after id (see _INSERT)
    stage: str | None
    labels: tuple[str, ...]
    title: str
    text: str
    names: tuple[tuple[str, int], ...] = ()  # the name index's rows (storage/name_index.py)


# New records and changed ones are told apart before writing (``write``), so each gets its own
# plain statement: an upsert (INSERT ... ON CONFLICT DO UPDATE) costs twice as much per row
# with foreign keys on.
_INSERT = {
    "project": (
        "INSERT INTO projects(id, zone_id, company_id, stage, body, learned_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)"
    ),
    "event": (
        "INSERT INTO events(id, zone_id, kind, body, learned_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)"
    ),
}
_UPDATE = {
    "project": (
        "UPDATE projects SET zone_id = ?, company_id = ?, stage = ?, body = ?, updated_at = ? "
        "WHERE id = ?"
    ),
    "event": "UPDATE events SET zone_id = ?, kind = ?, body = ?, updated_at = ? WHERE id = ?",
}


def own_names(record: Project | Event) -> tuple[str | None, ...]:
    if isinstance(record, Project):
        return (record.name_zh, record.name_en)
    return (record.title_zh, record.title_en)


def names_of(data: Mapping[str, Any]) -> list[str]:
    """The names a company or zone body answers to, for the search text of its records."""
    return [str(data[k]) for k in _NAME_KEYS if data.get(k)]


def model_names(models: Iterable[Company | Zone]) -> dict[str, list[str]]:
    return {m.id: names_of(m.model_dump()) for m in models}


def _body(model: BaseModel) -> str:
    return model.model_dump_json(exclude={"learned_at"}, exclude_none=True)


@lru_cache(maxsize=4096)
def _cached_fts_part(part: str) -> str:
    return fts_text(part)


def _fts_part(part: str) -> str:
    """``fts_text`` of one part of a record's search text; short parts (names, sectors: they
    repeat from record to record) are remembered, long ones (notes) are not."""
    return _cached_fts_part(part) if len(part) <= 64 else fts_text(part)


def prepare(
    records: Sequence[Project | Event],
    companies: Mapping[str, list[str]],
    zones: Mapping[str, list[str]],
) -> list[Prepared]:
    """Bodies and search texts (CPU-bound: pinyin); run in a worker thread for big files."""
    out: list[Prepared] = []
    for record in records:
        if isinstance(record, Project):
            stage = record.stage.value if record.stage else None
            columns: tuple[Any, ...] = (record.company, stage)
            title = f"{record.name_zh} {record.name_en or ''}"
            extra = [
                *(companies.get(record.company, []) if record.company else []),
                *record.highlights_zh,
                *record.highlights_en,
                record.note,
                record.note_en,
                record.chain_role,
            ]
        else:
            stage = None
            columns = (record.kind.value,)
            title = f"{record.title_zh} {record.title_en or ''}"
            figures = [f"{f.name_zh} {f.name_en or ''} {f.value.text()}" for f in record.figures]
            extra = [
                *(n for c in record.companies for n in companies.get(c, [])),
                *figures,
                *record.places,
                record.summary_zh,
                record.summary_en,
            ]
        parts = [*extra, *record.sectors, *zones.get(record.zone, [])]
        # Part by part (the same text: NFKC and the spacing of Han characters never reach
        # across the space between parts), so the parts every record repeats (its zone's
        # names, its sectors) are worked out once.
        text = " ".join(_fts_part(part) for part in parts if part)
        out.append(
            Prepared(
                record_id=record.id,
                zone_id=record.zone,
                body=_body(record),
                columns=columns,
                stage=stage,
                labels=tuple(record.sectors),
                title=fts_text(title),
                text=f"{text} {pinyin_terms(title)}",
                names=tuple(
                    name_forms(
                        "project" if isinstance(record, Project) else "event",
                        own_names(record),
                    ).items()
                ),
            )
        )
    return out


async def stored_names(
    db: aiosqlite.Connection, table: str, ids: Iterable[str]
) -> dict[str, list[str]]:
    """Names of these companies or zones as stored (for ids the file does not define)."""
    wanted = sorted(set(ids))
    found: dict[str, list[str]] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        async with db.execute(
            f"SELECT id, body FROM {table} WHERE id IN ({marks})", tuple(chunk)
        ) as cursor:
            for row in await cursor.fetchall():
                found[str(row[0])] = names_of(json.loads(row[1]))
    return found


async def _existing(
    db: aiosqlite.Connection, table: str, ids: Sequence[str]
) -> dict[str, tuple[str, str | None]]:
    found: dict[str, tuple[str, str | None]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        async with db.execute(
            f"SELECT id, body, deleted_at FROM {table} WHERE id IN ({marks})", tuple(chunk)
        ) as cursor:
            for row in await cursor.fetchall():
                found[str(row[0])] = (str(row[1]), row[2])
    return found


async def write(
    db: aiosqlite.Connection,
    kind: RecordKind,
    prepared: Sequence[Prepared],
    now: str,
    via: str,
    actor_id: int | None,
    report: Any,
    sorted_rows: SortedRows | None = None,
) -> None:
    """Inside the caller's transaction: decide each record against the store, then write
    every table in one statement each. ``report`` is the ApplyReport to fill.
    ``sorted_rows``: a big import's name-index and label rows are held there and written at
    its end, in key order (storage/bulk_sorted.py)."""
    table = "projects" if kind == "project" else "events"
    existing = await _existing(db, table, [p.record_id for p in prepared])
    inserts: list[tuple[Any, ...]] = []
    changes: list[tuple[Any, ...]] = []
    changed: list[Prepared] = []
    updated: list[tuple[str, str]] = []
    feed: list[tuple[str, str, str, str]] = []
    audit: list[tuple[Any, ...]] = []
    for item in prepared:
        row = existing.get(item.record_id)
        if row is None:
            action = "new"
        elif row[1] is not None:
            report.skipped_deleted.append(f"{table}:{item.record_id}")
            continue
        elif row[0] == item.body:
            report.add("unchanged", table, item.record_id)
            continue
        else:
            action = "update"
            updated.append((kind, item.record_id))
        report.add("new" if action == "new" else "updated", table, item.record_id)
        if action == "new":
            inserts.append((item.record_id, item.zone_id, *item.columns, item.body, now, now))
        else:
            changes.append((item.zone_id, *item.columns, item.body, now, item.record_id))
        changed.append(item)
        before = row[0] if row is not None else None
        old_stage = json.loads(before).get("stage") if before is not None else None
        stage_changed = before is not None and item.stage is not None and old_stage != item.stage
        if action == "new" or stage_changed:
            feed.append((kind, item.record_id, "new" if action == "new" else "stage", now))
        audit.append((now, actor_id, via, kind, item.record_id, action, before, item.body))
    if not changed:
        return
    if inserts:
        await db.executemany(_INSERT[kind], inserts)
    if updated:
        await db.executemany(_UPDATE[kind], changes)
        await db.executemany(
            "DELETE FROM search_index WHERE rowid IN "
            "(SELECT id FROM search_docs WHERE kind = ? AND record_id = ?)",
            updated,
        )
        await db.executemany("DELETE FROM search_docs WHERE kind = ? AND record_id = ?", updated)
        if sorted_rows is not None:
            await sorted_rows.updated(updated)
        else:
            await db.executemany(
                "DELETE FROM record_labels WHERE kind = ? AND record_id = ?", updated
            )
            await db.executemany(
                "DELETE FROM entity_names WHERE kind = ? AND record_id = ?", updated
            )
    # In key order: neighbouring rows land on the same B-tree pages (these tables are read
    # by key only, so the order they are written in is not seen).
    names = sorted(
        (name, kind, item.record_id, quality) for item in changed for name, quality in item.names
    )
    labels = sorted((kind, item.record_id, label) for item in changed for label in item.labels)
    if sorted_rows is not None:
        await sorted_rows.names(names)
        await sorted_rows.labels(labels)
    else:
        await db.executemany(
            "INSERT OR REPLACE INTO entity_names(name, kind, record_id, quality) "
            "VALUES (?, ?, ?, ?)",
            names,
        )
        await db.executemany(
            "INSERT OR IGNORE INTO record_labels(kind, record_id, label) VALUES (?, ?, ?)",
            labels,
        )
    async with db.execute("SELECT COALESCE(MAX(id), 0) FROM search_docs") as cursor:
        top = await cursor.fetchone()
    base = int(top[0]) if top is not None else 0
    await db.executemany(
        "INSERT INTO search_docs(id, kind, record_id, zone_id) VALUES (?, ?, ?, ?)",
        [(base + n, kind, item.record_id, item.zone_id) for n, item in enumerate(changed, 1)],
    )
    await db.executemany(
        "INSERT INTO search_index(rowid, title, body) VALUES (?, ?, ?)",
        [(base + n, item.title, item.text) for n, item in enumerate(changed, 1)],
    )
    if feed:
        await db.executemany(
            "INSERT INTO feed(kind, record_id, change, at) VALUES (?, ?, ?, ?)", feed
        )
    await db.executemany(
        "INSERT INTO audit(at, actor_id, via, kind, record_id, action, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        audit,
    )
