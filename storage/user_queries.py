"""SQL for users and access: language, roles, access requests, group approval, audit reads.

Also the whole-table reads that imports and exports need (every live project and event,
company and source names), kept here so the fact queries stay as they are.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal, TypeVar, cast

from bot.core.reads import IdTable
from bot.core.records import (
    AuditEntry,
    Event,
    NamedRef,
    Project,
    RecordKind,
    UserInfo,
    UserRole,
    UserStatus,
)
from storage.base import StoreBase, iso, write_audit

M = TypeVar("M", Project, Event)


class UserQueries(StoreBase):
    async def user_lang(self, user_id: int) -> str | None:
        value = await self.scalar("SELECT lang FROM users WHERE id = ?", (user_id,))
        return str(value) if value is not None else None

    async def set_user_lang(self, user_id: int, lang: str) -> None:
        now = iso(self.now())
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO users(id, lang, created_at, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET lang = excluded.lang, "
                "updated_at = excluded.updated_at",
                (user_id, lang, now, now),
            )

    # ---- access -----------------------------------------------------------------------

    async def user(self, user_id: int) -> UserInfo | None:
        row = await self.fetchone(
            "SELECT id, name, username, role, status FROM users WHERE id = ?", (user_id,)
        )
        if row is None:
            return None
        role, status = cast(UserRole, str(row[3])), cast(UserStatus, str(row[4]))
        return UserInfo(int(row[0]), row[1], row[2], role, status)

    async def user_status(self, user_id: int) -> str:
        value = await self.scalar("SELECT status FROM users WHERE id = ?", (user_id,))
        return str(value) if value is not None else "new"

    async def request_access(self, user_id: int, name: str | None, username: str | None) -> str:
        """Mark a user pending unless already decided; returns the status before the call."""
        now = iso(self.now())
        async with self.transaction() as db:
            async with db.execute("SELECT status FROM users WHERE id = ?", (user_id,)) as cur:
                row = await cur.fetchone()
            before = str(row[0]) if row is not None else "new"
            await db.execute(
                "INSERT INTO users(id, name, username, status, created_at, updated_at) "
                "VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "name = excluded.name, username = excluded.username, "
                "updated_at = excluded.updated_at, "
                "status = CASE WHEN users.status = 'new' THEN 'pending' ELSE users.status END",
                (user_id, name, username, now, now),
            )
        return before

    async def set_user_status(self, user_id: int, status: UserStatus, actor_id: int | None) -> str:
        """Approve or deny (or reset) a user; audited. Returns the status before."""
        now = iso(self.now())
        async with self.transaction() as db:
            async with db.execute("SELECT status FROM users WHERE id = ?", (user_id,)) as cur:
                row = await cur.fetchone()
            before = str(row[0]) if row is not None else "new"
            await db.execute(
                "INSERT INTO users(id, status, created_at, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET status = excluded.status, "
                "updated_at = excluded.updated_at",
                (user_id, status, now, now),
            )
            await write_audit(
                db, now, actor_id, "command", "user", str(user_id), "status", before, status
            )
        return before

    async def set_user_role(
        self, user_id: int, role: Literal["user", "admin"], actor_id: int
    ) -> str:
        """Promote or demote; an admin is approved too. Returns the role before."""
        now = iso(self.now())
        async with self.transaction() as db:
            async with db.execute("SELECT role FROM users WHERE id = ?", (user_id,)) as cur:
                row = await cur.fetchone()
            before = str(row[0]) if row is not None else "user"
            await db.execute(
                "INSERT INTO users(id, role, status, created_at, updated_at) "
                "VALUES (?, ?, 'approved', ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "role = excluded.role, updated_at = excluded.updated_at, "
                "status = CASE WHEN excluded.role = 'admin' THEN 'approved' ELSE users.status END",
                (user_id, role, now, now),
            )
            await write_audit(
                db, now, actor_id, "command", "user", str(user_id), "role", before, role
            )
        return before

    async def promoted_admins(self) -> set[int]:
        rows = await self.fetchall("SELECT id FROM users WHERE role = 'admin'")
        return {int(r[0]) for r in rows}

    async def set_chat_approved(
        self, chat_id: int, chat_type: str, title: str | None, approved: bool, actor_id: int | None
    ) -> None:
        """A group is approved when an approved user or admin adds the bot; cleared on removal."""
        now = iso(self.now())
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO chats(id, type, title, approved, digest_seq, created_at) "
                "VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) FROM feed), ?) "
                "ON CONFLICT(id) DO UPDATE SET approved = excluded.approved, "
                "title = COALESCE(excluded.title, chats.title)",
                (chat_id, chat_type, title, int(approved), now),
            )
            await write_audit(
                db, now, actor_id, "command", "chat", str(chat_id), "approved", None, str(approved)
            )

    async def chat_approved(self, chat_id: int) -> bool:
        value = await self.scalar("SELECT approved FROM chats WHERE id = ?", (chat_id,))
        return bool(value)

    # ---- audit ------------------------------------------------------------------------

    async def history(self, kind: str, record_id: str, limit: int = 50) -> list[AuditEntry]:
        """A record's changes, oldest first."""
        rows = await self.fetchall(
            "SELECT id, at, actor_id, via, kind, record_id, action, before, after FROM audit "
            "WHERE kind = ? AND record_id = ? ORDER BY id DESC LIMIT ?",
            (kind, record_id, limit),
        )
        entries = [
            AuditEntry(
                int(r[0]), str(r[1]), r[2], str(r[3]), str(r[4]), str(r[5]), str(r[6]), r[7], r[8]
            )
            for r in rows
        ]
        return entries[::-1]

    async def record_kind(self, record_id: str) -> Literal["project", "event"] | None:
        """Which kind of record an id names (live or deleted), projects first."""
        if await self.scalar("SELECT 1 FROM projects WHERE id = ?", (record_id,)):
            return "project"
        if await self.scalar("SELECT 1 FROM events WHERE id = ?", (record_id,)):
            return "event"
        return None

    async def is_deleted(self, kind: str, record_id: str) -> bool:
        table = "projects" if kind == "project" else "events"
        value = await self.scalar(f"SELECT deleted_at FROM {table} WHERE id = ?", (record_id,))
        return value is not None

    # ---- whole-table reads for import and export --------------------------------------

    async def live_projects(
        self, zone_id: str | None = None, labels: Sequence[str] | None = None
    ) -> list[Project]:
        sql, params = _filtered("projects", "project", zone_id, labels)
        rows = await self.fetchall(sql, params)
        return [_record(Project, r[0], r[1]) for r in rows]

    async def live_events(
        self, zone_id: str | None = None, labels: Sequence[str] | None = None
    ) -> list[Event]:
        sql, params = _filtered("events", "event", zone_id, labels)
        rows = await self.fetchall(sql, params)
        return [_record(Event, r[0], r[1]) for r in rows]

    async def taken_ids(self, table: Literal["projects", "events", "companies"]) -> set[str]:
        """Every id of a table, deleted ones included (a new record must not reuse one)."""
        return {str(r[0]) for r in await self.fetchall(f"SELECT id FROM {table}")}

    def record_lookup(self) -> StoredRecords:
        """Live records by id for an import's worker thread; close it when the import ends."""
        return StoredRecords(self.path)

    async def company_refs(self) -> list[NamedRef]:
        rows = await self.fetchall(
            "SELECT id, json_extract(body, '$.name_zh'), json_extract(body, '$.short_zh'), "
            "json_extract(body, '$.name_en') FROM companies WHERE deleted_at IS NULL ORDER BY rowid"
        )
        return [NamedRef(str(r[0]), tuple(str(n) for n in r[1:] if n)) for r in rows]

    async def company_identities(
        self,
    ) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
        """(id, name_zh, short_zh, name_en, kind) of every live company: drafts from articles
        reuse the id of a company the store already has by name."""
        rows = await self.fetchall(
            "SELECT id, json_extract(body, '$.name_zh'), json_extract(body, '$.short_zh'), "
            "json_extract(body, '$.name_en'), json_extract(body, '$.kind') FROM companies "
            "WHERE deleted_at IS NULL ORDER BY rowid"
        )

        def text(value: object) -> str | None:
            return None if value is None else str(value)

        return [(str(r[0]), text(r[1]), text(r[2]), text(r[3]), text(r[4])) for r in rows]

    async def source_refs(self) -> list[NamedRef]:
        rows = await self.fetchall(
            "SELECT id, json_extract(body, '$.title') FROM sources ORDER BY rowid"
        )
        return [NamedRef(str(r[0]), (str(r[1]),) if r[1] else ()) for r in rows]


def _filtered(
    table: str, kind: str, zone_id: str | None, labels: Sequence[str] | None
) -> tuple[str, tuple[object, ...]]:
    sql = f"SELECT body, learned_at FROM {table} t WHERE t.deleted_at IS NULL"
    params: list[object] = []
    if zone_id is not None:
        sql += " AND t.zone_id = ?"
        params.append(zone_id)
    if labels is not None:
        marks = ",".join("?" * len(labels)) or "NULL"
        sql += (
            " AND t.id IN (SELECT record_id FROM record_labels WHERE kind = ? "
            f"AND label IN ({marks}))"
        )
        params.extend([kind, *labels])
    return sql + " ORDER BY t.rowid", tuple(params)


CHUNK = 2000  # records decoded at a time by a whole-table read


class StoredRecords:
    """Projects and events read from a worker thread, through a connection of its own (opened
    at the first read, usable from any thread, one at a time). An import reads the names of the
    zones its rows name and the records they match; an export reads every record of its scope
    a chunk at a time. Both used to decode every record of the store first, on the event loop
    (1.2 GB, and the loop blocked for 25 s, for a store of 300,000 projects)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._conn: sqlite3.Connection | None = None
        self._closed = False
        self._lock = threading.Lock()

    def names(self, kind: RecordKind, zone: str, deleted: bool) -> list[tuple[str, str]]:
        """(id, Chinese name) of the zone's live (or deleted) projects or events, oldest
        first."""
        table, field = ("projects", "name_zh") if kind == "project" else ("events", "title_zh")
        state = "IS NOT NULL" if deleted else "IS NULL"
        with self._lock:
            rows = self._connection().execute(
                f"SELECT id, json_extract(body, '$.{field}') FROM {table} "
                f"WHERE zone_id = ? AND deleted_at {state} ORDER BY rowid",
                (zone,),
            )
            return [(str(r[0]), str(r[1] or "")) for r in rows]

    def ids(self, table: IdTable, head: str) -> list[str]:
        """Every id of the table that begins with ``head``, deleted records' too."""
        assert table in ("projects", "events", "companies")
        with self._lock:
            # Ids compare as UTF-8 bytes: the range holds exactly those that begin with head.
            rows = self._connection().execute(
                f"SELECT id FROM {table} WHERE id >= ? AND id < ?", (head, head + "\U0010ffff")
            )
            return [str(r[0]) for r in rows]

    def project(self, record_id: str) -> Project | None:
        return self._read(Project, "projects", record_id)

    def event(self, record_id: str) -> Event | None:
        return self._read(Event, "events", record_id)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read inside sees the store as it was at the first (one read transaction)."""
        with self._lock:
            self._connection().execute("BEGIN")
        try:
            yield
        finally:
            with self._lock:
                if self._conn is not None and self._conn.in_transaction:
                    self._conn.execute("COMMIT")

    def count_live(
        self, kind: RecordKind, zone_id: str | None, labels: Sequence[str] | None
    ) -> int:
        table = "projects" if kind == "project" else "events"
        sql, params = _filtered(table, kind, zone_id, labels)
        with self._lock:
            row = self._connection().execute(f"SELECT COUNT(*) FROM ({sql})", params).fetchone()
        return int(row[0])

    def live_projects(
        self, zone_id: str | None, labels: Sequence[str] | None
    ) -> Iterator[list[Project]]:
        return self._chunks(Project, "projects", "project", zone_id, labels)

    def live_events(
        self, zone_id: str | None, labels: Sequence[str] | None
    ) -> Iterator[list[Event]]:
        return self._chunks(Event, "events", "event", zone_id, labels)

    def _chunks(
        self,
        model: type[M],
        table: str,
        kind: str,
        zone_id: str | None,
        labels: Sequence[str] | None,
    ) -> Iterator[list[M]]:
        sql, params = _filtered(table, kind, zone_id, labels)
        with self._lock:
            cursor = self._connection().execute(sql, params)
        try:
            while True:
                with self._lock:
                    rows = cursor.fetchmany(CHUNK)
                if not rows:
                    return
                yield [_record(model, r[0], r[1]) for r in rows]
        finally:
            cursor.close()

    def _read(self, model: type[M], table: str, record_id: str) -> M | None:
        with self._lock:
            row = (
                self._connection()
                .execute(
                    f"SELECT body, learned_at FROM {table} WHERE id = ? AND deleted_at IS NULL",
                    (record_id,),
                )
                .fetchone()
            )
        return None if row is None else _record(model, row[0], row[1])

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            # Closed while a worker thread still read (its task was cancelled): stop it rather
            # than open a connection nobody would close.
            raise sqlite3.ProgrammingError("the record reader is closed")
        if self._conn is None:
            self._conn = sqlite3.connect(self._path, check_same_thread=False)
        return self._conn

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _record(model: type[M], body: str, learned_at: str | None) -> M:
    data = json.loads(body)
    data["learned_at"] = learned_at
    return model.model_validate(data)
