"""Projects and events of a fact file written in bulk (issue 15, item 7).

Everything that depends only on the records is made off the event loop: the bodies while the
file is validated (``draft``), the search text with its pinyin and the name-index rows
(``finish``) before the write or, for a big import's staged chunks, while SQLite writes the
chunk before (``write_staged``). Inside the transaction only the decisions that depend on what
is stored (new, updated, unchanged, deleted) are made (``plan``), and each table is written
with one statement a chunk that reads the chunk as a JSON array: the transaction stays short,
so other writers wait for it instead of failing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, NamedTuple

import aiosqlite
from pydantic import BaseModel

from bot.core.records import Company, Event, Project, Zone
from bot.core.text import fts_pairs, index_text, pinyin_terms
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


def own_names(record: Project | Event) -> tuple[str | None, ...]:
    if isinstance(record, Project):
        return (record.name_zh, record.name_en)
    return (record.title_zh, record.title_en)


def names_of(data: Mapping[str, Any]) -> list[str]:
    """The names a company or zone body answers to, for the search text of its records."""
    return [str(data[k]) for k in _NAME_KEYS if data.get(k)]


def model_names(models: Iterable[Company | Zone]) -> dict[str, list[str]]:
    return {m.id: names_of(m.model_dump()) for m in models}


def stored_body(model: BaseModel) -> str:
    """A record's body as stored: its JSON, without when it was learnt or empty fields."""
    return model.model_dump_json(exclude={"learned_at"}, exclude_none=True)


def index_texts(title: str, body: Iterable[str | None]) -> tuple[str, str]:
    """(title, body) as the FTS index holds them, for one zone or company."""
    text = " ".join(part for part in body if part)
    # The title's pinyin goes into the body: found by pinyin, ranked below a title match.
    return index_text(title), f"{index_text(text)} {pinyin_terms(title)}"


@lru_cache(maxsize=4096)
def _cached_fts_part(part: str) -> str:
    return unicodedata.normalize("NFKC", part)


def _fts_part(part: str) -> str:
    """One part of a record's search text, NFKC-normalised; short parts (names, sectors: they
    repeat from record to record) are remembered, long ones (notes) are not."""
    return _cached_fts_part(part) if len(part) <= 64 else unicodedata.normalize("NFKC", part)


class Draft(NamedTuple):
    """A record as validation leaves it for the write: its body and columns, and the raw text
    its search words are made of (``finish`` makes them, while the write runs)."""

    record_id: str
    zone_id: str
    body: str
    columns: tuple[Any, ...]
    stage: str | None
    labels: tuple[str, ...]
    title: str  # the names, as written
    parts: tuple[str, ...]  # the other texts the record is found by
    own: tuple[str | None, ...]  # its own names, for the name index


def draft(
    records: Sequence[Project | Event],
    companies: Mapping[str, list[str]],
    zones: Mapping[str, list[str]],
) -> list[Draft]:
    """Bodies and the texts of each record's search words (cheap: no pinyin yet)."""
    out: list[Draft] = []
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
        parts = tuple(p for p in (*extra, *record.sectors, *zones.get(record.zone, [])) if p)
        out.append(
            Draft(
                record.id,
                record.zone,
                stored_body(record),
                columns,
                stage,
                tuple(record.sectors),
                title,
                parts,
                own_names(record),
            )
        )
    return out


def finish(kind: RecordKind, drafts: Iterable[Draft]) -> list[Prepared]:
    """The search text (with its pinyin) and name-index rows of each draft (CPU-bound)."""
    return [
        Prepared(
            record_id=d.record_id,
            zone_id=d.zone_id,
            body=d.body,
            columns=d.columns,
            stage=d.stage,
            labels=d.labels,
            title=index_text(d.title),
            # Normalised part by part (the same text: NFKC never reaches across the space
            # between parts), so the parts every record repeats (its zone's names, its
            # sectors) are worked out once; paired as a whole (a run of pairs may cross).
            text=f"{fts_pairs(' '.join(map(_fts_part, d.parts)))} {pinyin_terms(d.title)}",
            names=tuple(name_forms(kind, d.own).items()),
        )
        for d in drafts
    ]


def prepare(
    kind: RecordKind,
    records: Sequence[Project | Event],
    companies: Mapping[str, list[str]],
    zones: Mapping[str, list[str]],
) -> list[Prepared]:
    """Bodies and search texts of records of one kind (CPU-bound: run it off the loop)."""
    return finish(kind, draft(records, companies, zones))


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


# Every statement of the write takes one chunk as one JSON parameter and reads its rows with
# json_each: SQLite steps through the whole chunk in one call, without Python's lock. A big
# import prepares the next chunk's search words (Python) while SQLite writes this one; with
# one statement per row (executemany), the writer would need the interpreter's lock back after
# every row and wait up to a switch interval (5 ms) for it each time.
_INSERT = {
    "project": (
        "INSERT INTO projects(id, zone_id, company_id, stage, body, learned_at, updated_at) "
        "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, ?2, ?2 "
        "FROM json_each(?1)"
    ),
    "event": (
        "INSERT INTO events(id, zone_id, kind, body, learned_at, updated_at) "
        "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, ?2, ?2 FROM json_each(?1)"
    ),
}
_UPDATE = {
    "project": (
        "UPDATE projects SET zone_id = j.value ->> 1, company_id = j.value ->> 2, "
        "stage = j.value ->> 3, body = j.value ->> 4, updated_at = ?2 "
        "FROM json_each(?1) AS j WHERE projects.id = j.value ->> 0"
    ),
    "event": (
        "UPDATE events SET zone_id = j.value ->> 1, kind = j.value ->> 2, "
        "body = j.value ->> 3, updated_at = ?2 "
        "FROM json_each(?1) AS j WHERE events.id = j.value ->> 0"
    ),
}
_EXISTING = (
    "SELECT json_group_array(json_array(t.id, t.body, t.deleted_at)) "
    "FROM json_each(?) AS j CROSS JOIN {table} AS t ON t.id = j.value"
)
_UPDATED_DOCS = (
    "SELECT d.id FROM json_each(?1) AS j CROSS JOIN search_docs AS d "
    "ON d.kind = ?2 AND d.record_id = j.value"
)


def as_json(rows: Any) -> str:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Batch:
    """One chunk's writes, decided against the store and ready for SQLite (``plan``); a
    field is None when the chunk has nothing for that table."""

    kind: RecordKind
    inserts: str | None = None  # [id, zone, *columns, body]
    changes: str | None = None  # the same, for records already stored
    updated: str | None = None  # [id] of those records (their old rows go first)
    updated_pairs: str | None = None  # [kind, id] of the same records
    names: str = "[]"  # the name index's rows: [name, kind, id, quality], in key order
    labels: str = "[]"  # [kind, id, label], in key order
    docs: str | None = None  # [record id, zone, title, text], ids from ``first_doc``
    first_doc: int = 0  # the search-doc id before this chunk's first
    written: int = 0  # records new or updated (their search docs are written again)
    feed: str | None = None  # [record id, change]
    audit: str | None = None  # [record id, action, before, after]


async def existing(
    db: aiosqlite.Connection, kind: RecordKind, ids: Sequence[str]
) -> dict[str, tuple[str, str | None]]:
    """(body, deleted_at) of the records among ``ids`` already stored (one statement)."""
    return await stored_rows(db, "projects" if kind == "project" else "events", ids)


async def stored_rows(
    db: aiosqlite.Connection, table: str, ids: Sequence[str]
) -> dict[str, tuple[str, str | None]]:
    """(body, deleted_at) of the rows of ``table`` among ``ids`` (one statement)."""
    async with db.execute(_EXISTING.format(table=table), (as_json(list(ids)),)) as cursor:
        row = await cursor.fetchone()
    found: list[list[Any]] = json.loads(row[0]) if row is not None and row[0] else []
    return {str(r[0]): (str(r[1]), r[2]) for r in found}


async def last_doc(db: aiosqlite.Connection) -> int:
    async with db.execute("SELECT COALESCE(MAX(id), 0) FROM search_docs") as cursor:
        top = await cursor.fetchone()
    return int(top[0]) if top is not None else 0


def plan(
    kind: RecordKind,
    prepared: Sequence[Prepared],
    stored: Mapping[str, tuple[str, str | None]],
    first_doc: int,
    report: Any,
) -> Batch:
    """Decide each record against what is stored (new, updated, unchanged, deleted), fill
    ``report`` (the ApplyReport), and lay out the rows of every table. Pure: no SQL."""
    table = "projects" if kind == "project" else "events"
    batch = Batch(kind, first_doc=first_doc)
    inserts: list[list[Any]] = []
    changes: list[list[Any]] = []
    changed: list[Prepared] = []
    updated: list[str] = []
    feed: list[tuple[str, str]] = []
    audit: list[tuple[str, str, str | None, str]] = []
    for item in prepared:
        row = stored.get(item.record_id)
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
            updated.append(item.record_id)
        report.add("new" if action == "new" else "updated", table, item.record_id)
        (inserts if action == "new" else changes).append(
            [item.record_id, item.zone_id, *item.columns, item.body]
        )
        changed.append(item)
        before = row[0] if row is not None else None
        old_stage = json.loads(before).get("stage") if before is not None else None
        stage_changed = before is not None and item.stage is not None and old_stage != item.stage
        if action == "new" or stage_changed:
            feed.append((item.record_id, "new" if action == "new" else "stage"))
        audit.append((item.record_id, action, before, item.body))
    if not changed:
        return batch
    batch.inserts = as_json(inserts) if inserts else None
    batch.changes = as_json(changes) if changes else None
    if updated:
        batch.updated = as_json(updated)
        batch.updated_pairs = as_json([(kind, record_id) for record_id in updated])
    # In key order: neighbouring rows land on the same B-tree pages (these tables are read
    # by key only, so the order they are written in is not seen).
    names = sorted((n, kind, i.record_id, quality) for i in changed for n, quality in i.names)
    batch.names = as_json(names)
    labels = sorted((kind, i.record_id, label) for i in changed for label in i.labels)
    batch.labels = as_json(labels)
    batch.docs = as_json([[i.record_id, i.zone_id, i.title, i.text] for i in changed])
    batch.written = len(changed)
    batch.feed = as_json(feed) if feed else None
    batch.audit = as_json(audit)
    return batch


async def apply_batch(
    db: aiosqlite.Connection,
    batch: Batch,
    now: str,
    via: str,
    actor_id: int | None,
    sorted_rows: SortedRows | None = None,
) -> None:
    """Inside the caller's transaction: write one planned chunk, one statement a table.
    ``sorted_rows``: a big import's name-index and label rows are held there and written at
    its end, in key order (storage/bulk_sorted.py)."""
    kind = batch.kind
    if batch.docs is None:
        return
    if batch.inserts:
        await db.execute(_INSERT[kind], (batch.inserts, now))
    if batch.updated:
        await db.execute(_UPDATE[kind], (batch.changes, now))
        docs = f"SELECT id FROM ({_UPDATED_DOCS})"
        await db.execute(f"DELETE FROM search_index WHERE rowid IN ({docs})", (batch.updated, kind))
        await db.execute(f"DELETE FROM search_docs WHERE id IN ({docs})", (batch.updated, kind))
        if sorted_rows is not None and batch.updated_pairs:
            await sorted_rows.updated(batch.updated_pairs)
        else:
            for table in ("record_labels", "entity_names"):
                await db.execute(
                    f"DELETE FROM {table} WHERE kind = ?2 AND record_id IN "
                    "(SELECT value FROM json_each(?1))",
                    (batch.updated, kind),
                )
    if sorted_rows is not None:
        await sorted_rows.names(batch.names)
        await sorted_rows.labels(batch.labels)
    else:
        await db.execute(
            "INSERT OR REPLACE INTO entity_names(name, kind, record_id, quality) "
            "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?)",
            (batch.names,),
        )
        await db.execute(
            "INSERT OR IGNORE INTO record_labels(kind, record_id, label) "
            "SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)",
            (batch.labels,),
        )
    await db.execute(
        "INSERT INTO search_docs(id, kind, record_id, zone_id) "
        "SELECT ?2 + key + 1, ?3, value ->> 0, value ->> 1 FROM json_each(?1)",
        (batch.docs, batch.first_doc, kind),
    )
    if sorted_rows is not None:
        await sorted_rows.search(batch.docs, batch.first_doc)
    else:
        await db.execute(
            "INSERT INTO search_index(rowid, title, body) "
            "SELECT ?2 + key + 1, value ->> 2, value ->> 3 FROM json_each(?1)",
            (batch.docs, batch.first_doc),
        )
    if batch.feed:
        await db.execute(
            "INSERT INTO feed(kind, record_id, change, at) "
            "SELECT ?2, value ->> 0, value ->> 1, ?3 FROM json_each(?1)",
            (batch.feed, kind, now),
        )
    await db.execute(
        "INSERT INTO audit(at, actor_id, via, kind, record_id, action, before, after) "
        "SELECT ?2, ?3, ?4, ?5, value ->> 0, value ->> 1, value ->> 2, value ->> 3 "
        "FROM json_each(?1)",
        (batch.audit, now, actor_id, via, kind),
    )


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
    every table in one statement each. ``report`` is the ApplyReport to fill."""
    if not prepared:
        return
    stored = await existing(db, kind, [p.record_id for p in prepared])
    batch = plan(kind, prepared, stored, await last_doc(db), report)
    await apply_batch(db, batch, now, via, actor_id, sorted_rows)


# While a pipeline runs, the thread that holds Python's lock hands it over after this many
# seconds when another waits for it (Python's default is 5 ms). The writer and the event loop
# need it back for a moment after every SQLite call while the planning thread computes: at
# 5 ms a wait, a 200,000-row import lost seconds to waiting alone.
HANDOFF_SECONDS = 0.001
_pipelines = 0
_saved_interval = sys.getswitchinterval()


@contextlib.contextmanager
def _prompt_handoffs() -> Iterator[None]:
    global _pipelines, _saved_interval
    if _pipelines == 0:
        _saved_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(HANDOFF_SECONDS, _saved_interval))
    _pipelines += 1
    try:
        yield
    finally:
        _pipelines -= 1
        if _pipelines == 0:
            sys.setswitchinterval(_saved_interval)


async def let_finish(work: asyncio.Future[Any] | None) -> None:
    """After a failure, wait for the worker thread still working a turn ahead to end before
    the transaction unwinds (a thread cannot be stopped); its own failure, if any, is
    dropped: the one raised first is the one reported."""
    if work is not None:
        await asyncio.wait([work])
        if not work.cancelled():
            work.exception()


def _take(staged: Iterator[list[Draft]]) -> list[Draft]:
    """The next staged chunk of drafts (none when all are read): one turn of the pipeline."""
    return next(staged, [])


def _plan_turn(
    kind: RecordKind,
    drafts: Sequence[Draft],
    stored: Mapping[str, tuple[str, str | None]],
    first_doc: int,
    report: Any,
    staged: Iterator[list[Draft]],
) -> tuple[Batch, list[Draft]]:
    """One turn's CPU work, in a worker thread: the drafts' search words, the plan, and the
    next turn's drafts read back from the spool."""
    return plan(kind, finish(kind, drafts), stored, first_doc, report), _take(staged)


async def write_staged(
    db: aiosqlite.Connection,
    kind: RecordKind,
    staged: Iterator[list[Draft]],
    now: str,
    via: str,
    actor_id: int | None,
    report: Any,
    sorted_rows: SortedRows | None = None,
) -> None:
    """``write`` for the drafts of a big import, as a pipeline: while SQLite writes one turn
    (in aiosqlite's thread, without Python's lock), a worker thread makes the next turn's
    search words and plan. Inside the caller's transaction; the store sees the same rows as
    from ``write`` (tests/test_import_sorted.py). Looking up the next turn's records before
    this turn is written is safe: a file's records have distinct ids (``derived_id``), and
    no one else writes while the transaction is open."""
    with _prompt_handoffs():
        drafts = await asyncio.to_thread(_take, staged)
        first_doc = await last_doc(db)
        pending: Batch | None = None
        while drafts or pending is not None:
            work: asyncio.Future[tuple[Batch, list[Draft]]] | None = None
            if drafts:
                stored = await existing(db, kind, [d.record_id for d in drafts])
                work = asyncio.ensure_future(
                    asyncio.to_thread(_plan_turn, kind, drafts, stored, first_doc, report, staged)
                )
            try:
                if pending is not None:
                    await apply_batch(db, pending, now, via, actor_id, sorted_rows)
            except BaseException:
                await let_finish(work)
                raise
            if work is None:
                return
            pending, drafts = await work
            first_doc += pending.written
