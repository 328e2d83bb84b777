"""A big import's name-index, label and search-index rows written once (issue 15, item 7).

Staged chunks arrive in file order, and the rows of the name index (``entity_names``) and of
the labels (``record_labels``) are keyed by name or record id: written chunk by chunk, each
chunk lands all over those B-trees, and with SQLite's 2 MB page cache almost every row evicted
a dirty page that was read back and written again later (a 200,000-row import wrote 4.6 GB
through the WAL for a 442 MB store). Here those rows wait in temporary tables (appended, in
the temporary file) and are copied in once at the end of the same transaction, sorted, so
each page of the target is written once. When an import at least doubles a table, its
secondary index keyed by record id (the history's, the name index's) is dropped and built
again at the end (one sort) instead of being updated row by row in random order. While it
writes, the page cache and the full-text index's buffer are bigger (``BULK_CACHE_KIB``,
``BULK_FTS_HASH``), after the memory validation used is handed back.

The search index's rows wait too, and go in with one statement at the end: the full-text
index saves its buffer to disk whenever a statement of the transaction starts, so written chunk
by chunk it made a small segment a chunk and merged them again and again (about a tenth less
CPU for the search index held to the end, measured on 100,000 rows).

All of it happens inside the caller's write transaction: a failure rolls back the rows, the
dropped indexes and the temporary tables' contents alike. The stored rows are the same as
those of ``bulk_records.write`` alone (``tests/test_import_sorted.py``); only the
``record_labels`` rowids (never read: the table is read by its keys) follow the new order.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sqlite3

import aiosqlite

# While a big import writes (its one transaction), the page cache is this big (KiB) instead of
# SQLite's 2 MB, and the full-text index buffers this much before writing a segment (instead of
# 1 MB): with the rows in key order, the pages a write touches mostly stay in memory. Both
# come back when the import ends; validation's memory is released first (see
# ``release_freed_memory``), so the peak stays that of validation.
BULK_CACHE_KIB = 16_384
BULK_FTS_HASH = 2 * 1024 * 1024
FTS_DEFAULT_HASH = 1024 * 1024

_TEMP_TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS import_names"
    "(name TEXT, kind TEXT, record_id TEXT, quality INTEGER)",
    "CREATE TEMP TABLE IF NOT EXISTS import_labels(kind TEXT, record_id TEXT, label TEXT)",
    "CREATE TEMP TABLE IF NOT EXISTS import_updated(kind TEXT, record_id TEXT)",
    "CREATE TEMP TABLE IF NOT EXISTS import_search(id INTEGER PRIMARY KEY, title TEXT, body TEXT)",
)
_HELD = ("import_names", "import_labels", "import_updated", "import_search")
# (index, its table, how to count that table's rows cheaply): rebuilt when an import brings at
# least as many rows as the table holds (rebuilding costs a sort of the whole table).
_AUDIT_INDEX = ("audit_record", "audit", "SELECT COALESCE(MAX(id), 0) FROM audit")
_NAMES_INDEX = ("entity_names_record", "entity_names", "SELECT COUNT(*) FROM entity_names")


class SortedRows:
    """Name-index and label rows of one import, held until ``finish``; see the module doc.

    Use inside one write transaction: ``start``, then ``bulk_records.write(..., sorted_rows=)``
    for every chunk, then ``finish`` before the transaction commits."""

    def __init__(self, db: aiosqlite.Connection, incoming: int) -> None:
        """``incoming``: how many records the import brings (to decide on index rebuilds)."""
        self._db = db
        self._incoming = incoming
        self._rebuild: list[str] = []  # CREATE INDEX statements to run again at the end
        self._cache: int | None = None
        self._hashsize: object = None

    async def start(self) -> None:
        db = self._db
        async with db.execute("PRAGMA cache_size") as cursor:
            row = await cursor.fetchone()
        self._cache = int(row[0]) if row else None
        await db.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        async with db.execute("SELECT v FROM search_index_config WHERE k = 'hashsize'") as cursor:
            row = await cursor.fetchone()
        self._hashsize = None if row is None else row[0]
        await db.execute(
            "INSERT INTO search_index(search_index, rank) VALUES ('hashsize', ?)",
            (BULK_FTS_HASH,),
        )
        for statement in _TEMP_TABLES:
            await self._db.execute(statement)
        for table in _HELD:
            await self._db.execute(f"DELETE FROM temp.{table}")
        # The history is only appended to during an import: its index can go now.
        await self._drop_if_outgrown(*_AUDIT_INDEX)

    async def _drop_if_outgrown(self, index: str, table: str, count_sql: str) -> None:
        async with self._db.execute(count_sql) as cursor:
            row = await cursor.fetchone()
        if row is None or self._incoming < int(row[0]):
            return
        async with self._db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND tbl_name = ?",
            (index, table),
        ) as cursor:
            found = await cursor.fetchone()
        if found is None or found[0] is None:
            return
        await self._db.execute(f"DROP INDEX {index}")
        self._rebuild.append(str(found[0]))

    # Each takes one chunk's rows as a JSON array (one statement a chunk: storage/bulk_records.py).

    async def names(self, rows: str) -> None:
        """[name, kind, record id, quality] rows."""
        await self._append(
            "INSERT INTO temp.import_names(name, kind, record_id, quality) "
            "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?)",
            rows,
        )

    async def labels(self, rows: str) -> None:
        """[kind, record id, label] rows."""
        await self._append(
            "INSERT INTO temp.import_labels(kind, record_id, label) "
            "SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)",
            rows,
        )

    async def updated(self, rows: str) -> None:
        """[kind, record id] of records whose old name-index and label rows go before the new
        ones arrive."""
        await self._append(
            "INSERT INTO temp.import_updated(kind, record_id) "
            "SELECT value ->> 0, value ->> 1 FROM json_each(?)",
            rows,
        )

    async def search(self, rows: str, first_doc: int) -> None:
        """[record id, zone, title, text] rows, their search-doc ids after ``first_doc``."""
        await self._append(
            "INSERT INTO temp.import_search(id, title, body) "
            "SELECT ?2 + key + 1, value ->> 2, value ->> 3 FROM json_each(?1)",
            rows,
            first_doc,
        )

    async def _append(self, sql: str, rows: str, *more: object) -> None:
        # The same statement text every time (a parameter, never a value written into the
        # text): each cached statement keeps its last parameters, a chunk of JSON.
        await self._db.execute(sql, (rows, *more))

    async def finish(self) -> None:
        """Replace the updated records' rows, copy the held rows in key order, rebuild the
        indexes dropped, and empty the temporary tables."""
        db = self._db
        await db.execute(
            "DELETE FROM entity_names WHERE (kind, record_id) IN "
            "(SELECT kind, record_id FROM temp.import_updated)"
        )
        await db.execute(
            "DELETE FROM record_labels WHERE (kind, record_id) IN "
            "(SELECT kind, record_id FROM temp.import_updated)"
        )
        # The full-text rows in one statement: the index saves its buffer (BULK_FTS_HASH) to
        # disk when it is full, instead of at the start of every statement of the import.
        await db.execute(
            "INSERT INTO search_index(rowid, title, body) "
            "SELECT id, title, body FROM temp.import_search ORDER BY id"
        )
        await self._drop_if_outgrown(*_NAMES_INDEX)
        # quality last: of two rows for the same key the higher is written last and stays,
        # as when each chunk's rows were written sorted.
        await db.execute(
            "INSERT OR REPLACE INTO entity_names(name, kind, record_id, quality) "
            "SELECT name, kind, record_id, quality FROM temp.import_names "
            "ORDER BY name, kind, record_id, quality"
        )
        await db.execute(
            "INSERT OR IGNORE INTO record_labels(kind, record_id, label) "
            "SELECT kind, record_id, label FROM temp.import_labels ORDER BY kind, record_id, label"
        )
        for statement in self._rebuild:
            await db.execute(statement)
        self._rebuild.clear()
        for table in _HELD:
            await db.execute(f"DELETE FROM temp.{table}")
        # The full-text index's setting as it was (a rollback restores it by itself).
        await db.execute(
            "INSERT INTO search_index(search_index, rank) VALUES ('hashsize', ?)",
            (FTS_DEFAULT_HASH if self._hashsize is None else self._hashsize,),
        )
        if self._hashsize is None:
            await db.execute("DELETE FROM search_index_config WHERE k = 'hashsize'")

    async def close(self) -> None:
        """The page cache back to its size (the transaction succeeded or not)."""
        if self._cache is not None:
            with contextlib.suppress(sqlite3.Error):
                await self._db.execute(f"PRAGMA cache_size = {self._cache}")


def release_freed_memory() -> None:
    """Give the memory validation freed back to the system before the write (where the C
    library allows it), so the bigger caches of the write do not add to the peak."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)
