"""The SQLite connection: opening safely, migrating, and one-writer transactions."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import aiosqlite

from bot.core.text import repair_spaced
from storage.migrations import MIGRATIONS
from storage.recipients import Recipients

SQLITE_HEADER = b"SQLite format 3\x00"
# How long a writer waits for another one (a big import in another process) before "database
# is locked": longer than the write transaction of a 200,000-row import.
BUSY_TIMEOUT_MS = 60_000

T = TypeVar("T")


async def on_connection_thread(
    db: aiosqlite.Connection, work: Callable[[sqlite3.Connection], T]
) -> T:
    """``work(connection)`` run on aiosqlite's own thread for ``db``: several statements (and
    the decoding of their rows) in one round trip instead of one (or three) per statement.

    aiosqlite has no public call for this; its queue (``_execute``, which runs a function on
    the connection's thread in order with every other call) and its plain connection
    (``_conn``) are used here and only here. ``work`` must not keep the connection.
    """
    return await db._execute(lambda: work(db._conn))


class StoreError(Exception):
    """The database cannot be used; the message says which file and what to do."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Timestamps are stored as UTC ISO strings, which sort in time order."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _check_file(path: Path) -> None:
    """Refuse a file that exists but is not SQLite, instead of overwriting it."""
    if path.is_dir():
        raise StoreError(f"database path {path} is a folder; point BOT_DATABASE_PATH at a file")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read database {path}: {exc.strerror}") from None
    if header != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not a SQLite database; it was left untouched. "
            "Move it away or set BOT_DATABASE_PATH to another file."
        )


class StoreBase:
    """Owns the aiosqlite connection. Query methods live in the mixins that make up Store."""

    def __init__(
        self, db: aiosqlite.Connection, path: Path, now: Callable[[], datetime] = utcnow
    ) -> None:
        self._db = db
        self.path = path
        self.now = now
        self._write_lock = asyncio.Lock()
        self._reader: aiosqlite.Connection | None = None
        # A plain connection used only for PRAGMA data_version, on the event loop's thread: a
        # few microseconds, no round trip to aiosqlite's thread. Its value moves whenever any
        # other connection commits (ours or another process's), which tells cached reads
        # (the facts version) when to look again.
        self._watch: sqlite3.Connection | None = None
        self._facts_version: tuple[int, int] | None = None
        # Search counts of the current facts version: (version, {query: count}).
        self._search_counts: tuple[int, dict[str, int]] = (-1, {})
        # Who alerts and digests may reach (BOT_ACCESS=private narrows it; see recipients.py).
        self.recipients = Recipients()

    @classmethod
    async def connect(cls, path: Path, now: Callable[[], datetime] = utcnow) -> StoreBase:
        path = Path(path)
        _check_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create folder {path.parent}: {exc.strerror}") from None
        try:
            db = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from None
        db.row_factory = aiosqlite.Row
        store = cls(db, path, now)
        try:
            await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.execute("PRAGMA synchronous = NORMAL")
            # Migration 9 re-pairs the search index's text with it.
            await db.create_function("fts_repair", 1, repair_spaced, deterministic=True)
            await store._migrate()
            # Reads go through a second connection: under WAL it sees only committed data,
            # never the half-done transaction another coroutine has open on the writer.
            reader = await aiosqlite.connect(path, isolation_level=None)
            reader.row_factory = aiosqlite.Row
            store._reader = reader
            await reader.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await reader.execute("PRAGMA foreign_keys = ON")
            await reader.execute("PRAGMA query_only = ON")
            store._watch = sqlite3.connect(path, isolation_level=None)
            store._watch.execute("PRAGMA query_only = ON")
        except sqlite3.DatabaseError as exc:
            await store.close()
            raise StoreError(f"{path} cannot be used as the bot's database: {exc}") from None
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        if self._reader is not None:
            await self._reader.close()
            self._reader = None
        await self._db.close()

    async def _migrate(self) -> None:
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        version = int(row[0]) if row else 0
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} was written by a newer version of the bot (schema {version}); "
                "upgrade the bot"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            # executescript would commit on its own; run the statements inside one BEGIN.
            async with self._write_lock:
                await self._db.execute("BEGIN IMMEDIATE")
                try:
                    for statement in _statements(script):
                        await self._db.execute(statement)
                    await self._db.execute(f"PRAGMA user_version = {number}")
                    await self._db.execute("COMMIT")
                except BaseException:
                    await self._db.execute("ROLLBACK")
                    raise

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time on this connection; rolled back on any error.

        Never await Telegram inside it: the lock is held until the block ends.
        """
        async with self._write_lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                await self._db.execute("COMMIT")
            except BaseException:
                # Also when COMMIT itself fails (disk full, busy): never leave it open.
                if self._db.in_transaction:
                    await self._db.execute("ROLLBACK")
                raise

    def data_version(self) -> int | None:
        """A number that changes whenever anyone commits to the file; None if not watched."""
        if self._watch is None:
            return None
        row = self._watch.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    @property
    def _read(self) -> aiosqlite.Connection:
        return self._reader if self._reader is not None else self._db

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        """Rows of a read, on the reading connection (committed data only).

        One round trip to aiosqlite's thread (execute, fetch and close there), not three.
        """
        return list(await self._read.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> aiosqlite.Row | None:
        """The first row of a read (callers ask for one row: by key, or LIMIT 1)."""
        rows = await self._read.execute_fetchall(sql, params)
        for row in rows:
            return row
        return None

    async def read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` on the reading connection's thread: many reads, one round trip."""
        return await on_connection_thread(self._read, work)

    async def scalar(self, sql: str, params: tuple[object, ...] = ()) -> object:
        row = await self.fetchone(sql, params)
        return row[0] if row is not None else None


async def write_audit(
    db: aiosqlite.Connection,
    at: str,
    actor_id: int | None,
    via: str,
    kind: str,
    record_id: str,
    action: str,
    before: str | None,
    after: str | None,
) -> None:
    """One audit row, inside the caller's transaction: who, when, how, before and after."""
    await db.execute(
        "INSERT INTO audit(at, actor_id, via, kind, record_id, action, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (at, actor_id, via, kind, record_id, action, before, after),
    )


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
