"""SQL for /status and /users: what the store holds, what delivery owes, who may use the bot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage.base import StoreBase, iso

LAST_BACKUP_KEY = "last_backup"  # written by storage/backup.py: "<ISO time> <path>"


@dataclass(frozen=True)
class StoreStatus:
    zones: int
    projects: int
    events: int
    chats_active: int
    chats_inactive: int
    subscriptions: int
    owed_now: int  # alerts due and not yet sent
    postponed: int  # alerts waiting for a later moment (a 429's retry_after or a network error)
    size_bytes: int  # the file and its WAL
    last_backup: str | None  # "<ISO time> <path>"


@dataclass(frozen=True)
class AccessEntry:
    """A user or a group, its standing, and the last decision on it (when, by whom)."""

    kind: str  # "user" or "group"
    id: int
    name: str | None
    status: str  # approved, pending, denied (revoked) — groups: approved, revoked
    at: str | None
    by: int | None


class OpsQueries(StoreBase):
    async def store_status(self, now: datetime) -> StoreStatus:
        moment = iso(now)
        row = await self.fetchone(
            "SELECT "
            "(SELECT COUNT(*) FROM zones WHERE deleted_at IS NULL), "
            "(SELECT COUNT(*) FROM projects WHERE deleted_at IS NULL), "
            "(SELECT COUNT(*) FROM events WHERE deleted_at IS NULL), "
            "(SELECT COUNT(*) FROM chats WHERE active = 1 AND migrated_to IS NULL), "
            "(SELECT COUNT(*) FROM chats WHERE active = 0 OR migrated_to IS NOT NULL), "
            "(SELECT COUNT(*) FROM subscriptions), "
            "(SELECT COUNT(*) FROM deliveries WHERE sent_at IS NULL "
            " AND (not_before IS NULL OR not_before <= ?)), "
            "(SELECT COUNT(*) FROM deliveries WHERE sent_at IS NULL AND not_before > ?), "
            "(SELECT value FROM meta WHERE key = ?)",
            (moment, moment, LAST_BACKUP_KEY),
        )
        assert row is not None
        size = sum(
            p.stat().st_size for p in (Path(self.path), Path(f"{self.path}-wal")) if p.exists()
        )
        zones, projects, events, active, inactive, subs, owed, postponed = (
            int(v) for v in tuple(row)[:8]
        )
        return StoreStatus(
            zones, projects, events, active, inactive, subs, owed, postponed, size, row[8]
        )

    async def access_entries(self, offset: int, limit: int) -> tuple[list[AccessEntry], int]:
        """Users (approved, pending, denied/revoked) then groups, each with the last decision
        from the audit trail; one page and the total."""
        union = (
            "SELECT 'user' AS kind, u.id, COALESCE(u.name, u.username) AS name, u.status, "
            "  COALESCE(a.at, u.updated_at) AS at, a.actor_id AS by, "
            "  CASE u.status WHEN 'pending' THEN 0 WHEN 'approved' THEN 1 ELSE 2 END AS rank "
            "FROM users u LEFT JOIN audit a ON a.id = (SELECT MAX(id) FROM audit "
            "  WHERE kind = 'user' AND record_id = CAST(u.id AS TEXT) AND action = 'status') "
            "WHERE u.status IN ('approved', 'pending', 'denied') "
            "UNION ALL "
            "SELECT 'group', c.id, c.title, "
            "  CASE c.approved WHEN 1 THEN 'approved' ELSE 'revoked' END, "
            "  COALESCE(a.at, c.created_at), a.actor_id, "
            "  CASE c.approved WHEN 1 THEN 3 ELSE 4 END "
            "FROM chats c LEFT JOIN audit a ON a.id = (SELECT MAX(id) FROM audit "
            "  WHERE kind = 'chat' AND record_id = CAST(c.id AS TEXT) AND action = 'approved') "
            "WHERE c.id < 0 AND c.migrated_to IS NULL AND (c.approved = 1 OR a.id IS NOT NULL)"
        )
        total = int(str(await self.scalar(f"SELECT COUNT(*) FROM ({union})") or 0))
        rows = await self.fetchall(
            f"SELECT kind, id, name, status, at, by FROM ({union}) "
            "ORDER BY rank, at DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        entries = [AccessEntry(str(r[0]), int(r[1]), r[2], str(r[3]), r[4], r[5]) for r in rows]
        return entries, total
