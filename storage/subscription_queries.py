"""SQL for subscriptions, a chat's alert mode and the queue of alerts owed to chats.

The queue is planned from the feed: ``plan_deliveries`` reads every feed item after a stored
watermark (meta 'alerts_seq'), asks a matcher which chats get which item, inserts one
delivery row per (chat, item) and advances the watermark, all in one transaction. Whatever
wrote the feed (this bot, another process running ``python -m bot import``) is noticed the
same way, and a restart continues where the watermark stands.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

import aiosqlite

from bot.core.records import (
    AlertCandidate,
    AlertMode,
    Change,
    Matcher,
    PendingDelivery,
    RecordKind,
    SectorLabel,
    SubKind,
    SubscribeResult,
    Subscription,
)
from storage.base import StoreBase, iso, on_connection_thread

MAX_SUBSCRIPTIONS = 200
GIVE_UP_ATTEMPTS = 99  # a delivery at this count is abandoned (Telegram refused the message)
WATERMARK_KEY = "alerts_seq"
PER_CHAT_BATCH = 30  # a chat's alerts read per tick; the job sends a few messages of them


def _subscription(row: aiosqlite.Row) -> Subscription:
    return Subscription(
        id=int(row["id"]),
        chat_id=int(row["chat_id"]),
        kind=row["kind"],
        value=str(row["value"]),
        thread_id=row["thread_id"],
        since_seq=int(row["since_seq"]),
    )


_SUB_COLUMNS = "s.id, s.chat_id, s.kind, s.value, s.thread_id, s.since_seq"


class SubscriptionQueries(StoreBase):
    """What each chat follows, how it wants alerts, and which alerts it is still owed."""

    # ---- subscriptions ----------------------------------------------------------------

    async def subscribe(
        self, chat_id: int, kind: SubKind, value: str, thread_id: int | None = None
    ) -> SubscribeResult:
        """Follow (kind, value) from now on: only feed items stored after this count.

        Subscribing again to the same thing from another forum topic moves it there.
        """
        now = iso(self.now())
        async with self.transaction() as db:
            async with db.execute(
                "SELECT id FROM subscriptions WHERE chat_id = ? AND kind = ? AND value = ?",
                (chat_id, kind, value),
            ) as cursor:
                existing = await cursor.fetchone()
            if existing is not None:
                await db.execute(
                    "UPDATE subscriptions SET thread_id = ? WHERE id = ?",
                    (thread_id, existing[0]),
                )
                return SubscribeResult.ALREADY
            async with db.execute(
                "SELECT COUNT(*) FROM subscriptions WHERE chat_id = ?", (chat_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is not None and int(row[0]) >= MAX_SUBSCRIPTIONS:
                return SubscribeResult.LIMIT
            await db.execute(
                "INSERT INTO subscriptions(chat_id, kind, value, thread_id, since_seq, "
                "created_at) VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) FROM feed), ?)",
                (chat_id, kind, value, thread_id, now),
            )
        return SubscribeResult.ADDED

    async def unsubscribe(self, chat_id: int, kind: str, value: str) -> bool:
        async with self.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM subscriptions WHERE chat_id = ? AND kind = ? AND value = ?",
                (chat_id, kind, value),
            )
            return (cursor.rowcount or 0) > 0

    async def unsubscribe_id(self, chat_id: int, subscription_id: int) -> Subscription | None:
        """Remove one of this chat's subscriptions by id; None when it is already gone."""
        async with self.transaction() as db:
            async with db.execute(
                f"SELECT {_SUB_COLUMNS} FROM subscriptions s WHERE s.id = ? AND s.chat_id = ?",
                (subscription_id, chat_id),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return None
            await db.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,))
        return _subscription(row)

    async def subscriptions(self, chat_id: int) -> list[Subscription]:
        rows = await self.fetchall(
            f"SELECT {_SUB_COLUMNS} FROM subscriptions s WHERE s.chat_id = ? ORDER BY s.id",
            (chat_id,),
        )
        return [_subscription(r) for r in rows]

    async def subscription_count(self, chat_id: int) -> int:
        value = await self.scalar(
            "SELECT COUNT(*) FROM subscriptions WHERE chat_id = ?", (chat_id,)
        )
        return int(str(value))

    # ---- alert mode -------------------------------------------------------------------

    async def set_alert_mode(self, chat_id: int, mode: AlertMode) -> None:
        """Instant, digest or off. Leaving instant drops the alerts not yet sent: the digest
        reads the feed itself, and 'off' means nothing more.

        Turning a chat back on from 'off' starts afresh: the digest watermark moves to the
        newest feed item and the next digest time is cleared, so the digest tick schedules it
        from now. Items stored while alerts were off are never delivered later (no surprise
        catch-up digest of everything since).
        """
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET digest_seq = (SELECT COALESCE(MAX(seq), 0) FROM feed), "
                "next_digest_at = NULL WHERE id = ? AND alert_mode = 'off' AND ? != 'off'",
                (chat_id, mode),
            )
            await db.execute("UPDATE chats SET alert_mode = ? WHERE id = ?", (mode, chat_id))
            if mode != "instant":
                await db.execute(
                    "DELETE FROM deliveries WHERE chat_id = ? AND sent_at IS NULL", (chat_id,)
                )

    # ---- the delivery queue -----------------------------------------------------------

    async def alerts_watermark(self) -> int:
        value = await self.scalar("SELECT value FROM meta WHERE key = ?", (WATERMARK_KEY,))
        return int(str(value)) if value is not None else 0

    async def plan_deliveries(self, matcher: Matcher, batch: int = 500) -> int:
        """Queue an alert per (chat, new feed item) the matcher picks; the number queued."""
        queued = 0
        while True:
            added, full = await self._plan_batch(matcher, batch)
            queued += added
            if not full:
                return queued

    async def _plan_batch(self, matcher: Matcher, batch: int) -> tuple[int, bool]:
        async with self.transaction() as db:
            async with db.execute(
                "SELECT value FROM meta WHERE key = ?", (WATERMARK_KEY,)
            ) as cursor:
                row = await cursor.fetchone()
            mark = int(row[0]) if row is not None else 0
            async with db.execute(
                "SELECT seq, kind, record_id FROM feed WHERE seq > ? ORDER BY seq LIMIT ?",
                (mark, batch),
            ) as cursor:
                items = list(await cursor.fetchall())
            if not items:
                return 0, False
            last = int(items[-1]["seq"])
            allowed, allowed_params = self.recipients.condition("c")
            async with db.execute(
                f"SELECT {_SUB_COLUMNS} FROM subscriptions s JOIN chats c ON c.id = s.chat_id "
                "WHERE c.active = 1 AND c.alert_mode = 'instant' AND s.since_seq < ? "
                f"AND {allowed} ORDER BY s.id",
                (last, *allowed_params),
            ) as cursor:
                subs = [_subscription(r) for r in await cursor.fetchall()]
            inserted = 0
            if subs:
                oldest = min(s.since_seq for s in subs)
                wanted = [i for i in items if int(i["seq"]) > oldest]
                candidates = await record_candidates(db, wanted)
                labels = await _labels(db)
                owed = matcher(candidates, subs, labels)
                for (chat_id, seq), thread_id in sorted(owed.items()):
                    cursor = await db.execute(
                        "INSERT OR IGNORE INTO deliveries(chat_id, seq, thread_id) "
                        "VALUES (?, ?, ?)",
                        (chat_id, seq, thread_id),
                    )
                    inserted += cursor.rowcount or 0
            await db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (WATERMARK_KEY, str(last)),
            )
        return inserted, len(items) == batch

    async def pending_deliveries(
        self, now: datetime, limit: int = 1000, per_chat: int = PER_CHAT_BATCH
    ) -> list[PendingDelivery]:
        """Alerts due now to active chats that still take instant alerts, oldest first.

        At most ``per_chat`` of each chat's, so a chat with thousands waiting cannot fill the
        batch: every due chat gets its turn in every tick.
        """
        allowed, allowed_params = self.recipients.condition("c")
        rows = await self.fetchall(
            "SELECT d.chat_id, d.seq, d.thread_id, d.attempts, f.kind, f.record_id, f.change, "
            "COALESCE(c.lang, u.lang) AS lang "
            "FROM (SELECT chat_id, seq, thread_id, attempts, "
            "ROW_NUMBER() OVER (PARTITION BY chat_id ORDER BY seq) AS turn FROM deliveries "
            "WHERE sent_at IS NULL AND attempts < ? AND (not_before IS NULL OR not_before <= ?)"
            ") d JOIN chats c ON c.id = d.chat_id JOIN feed f ON f.seq = d.seq "
            "LEFT JOIN users u ON u.id = d.chat_id "
            f"WHERE d.turn <= ? AND c.active = 1 AND c.alert_mode = 'instant' AND {allowed} "
            "ORDER BY d.chat_id, d.seq LIMIT ?",
            (GIVE_UP_ATTEMPTS, iso(now), per_chat, *allowed_params, limit),
        )
        return [
            PendingDelivery(
                chat_id=int(r["chat_id"]),
                seq=int(r["seq"]),
                thread_id=r["thread_id"],
                attempts=int(r["attempts"]),
                kind=cast(RecordKind, str(r["kind"])),
                record_id=str(r["record_id"]),
                change=cast(Change, str(r["change"])),
                lang=r["lang"],
            )
            for r in rows
        ]

    async def mark_sent(self, chat_id: int, seqs: Sequence[int], at: datetime) -> None:
        if not seqs:
            return
        marks = ",".join("?" * len(seqs))
        async with self.transaction() as db:
            await db.execute(
                f"UPDATE deliveries SET sent_at = ? WHERE chat_id = ? AND seq IN ({marks}) "
                "AND sent_at IS NULL",
                (iso(at), chat_id, *seqs),
            )

    async def pending_total(self, chat_id: int) -> tuple[int, int]:
        """How many alerts this chat is still owed (due or not), and the newest one's seq."""
        row = await self.fetchone(
            "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM deliveries "
            "WHERE chat_id = ? AND sent_at IS NULL AND attempts < ?",
            (chat_id, GIVE_UP_ATTEMPTS),
        )
        return (int(row[0]), int(row[1])) if row is not None else (0, 0)

    async def settle_pending(self, chat_id: int, up_to_seq: int, at: datetime) -> None:
        """Every alert owed to this chat up to ``up_to_seq`` was covered by one summary."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE deliveries SET sent_at = ? WHERE chat_id = ? AND sent_at IS NULL "
                "AND attempts < ? AND seq <= ?",
                (iso(at), chat_id, GIVE_UP_ATTEMPTS, up_to_seq),
            )

    async def postpone(
        self, chat_id: int, seqs: Sequence[int], not_before: datetime | None, attempts: int
    ) -> None:
        """Try these again no earlier than ``not_before``; ``attempts`` is the new count."""
        if not seqs:
            return
        marks = ",".join("?" * len(seqs))
        async with self.transaction() as db:
            await db.execute(
                f"UPDATE deliveries SET not_before = ?, attempts = ? WHERE chat_id = ? "
                f"AND seq IN ({marks}) AND sent_at IS NULL",
                (iso(not_before) if not_before else None, attempts, chat_id, *seqs),
            )

    async def give_up(self, chat_id: int, seqs: Sequence[int]) -> None:
        """Telegram refused these for good: stop trying (kept for the record)."""
        await self.postpone(chat_id, seqs, None, GIVE_UP_ATTEMPTS)

    async def delivery_rows(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Every delivery row (for checks and tests), oldest first."""
        where, params = ("WHERE chat_id = ?", (chat_id,)) if chat_id is not None else ("", ())
        rows = await self.fetchall(
            "SELECT chat_id, seq, thread_id, attempts, not_before, sent_at FROM deliveries "
            f"{where} ORDER BY chat_id, seq",
            params,
        )
        return [dict(r) for r in rows]


async def _labels(db: aiosqlite.Connection) -> list[SectorLabel]:
    async with db.execute("SELECT label, name_en, area FROM labels ORDER BY rowid") as cursor:
        rows = await cursor.fetchall()
    return [SectorLabel(label=r[0], name_en=r[1], area=r[2]) for r in rows]


async def record_candidates(
    db: aiosqlite.Connection, items: Sequence[aiosqlite.Row]
) -> list[AlertCandidate]:
    """Each live record of these feed items with its zone, labels and searchable words.

    All of it on the connection's thread in one round trip (a thousand items made some
    nine thousand before)."""
    wanted = [(int(i["seq"]), str(i["kind"]), str(i["record_id"])) for i in items]
    return await on_connection_thread(db, lambda conn: _candidates(conn, wanted))


def _candidates(
    conn: sqlite3.Connection, items: Sequence[tuple[int, str, str]]
) -> list[AlertCandidate]:
    found: list[AlertCandidate] = []
    for seq, kind, record_id in items:
        table = "projects" if kind == "project" else "events"
        row = conn.execute(
            f"SELECT zone_id, body FROM {table} WHERE id = ? AND deleted_at IS NULL",
            (record_id,),
        ).fetchone()
        if row is None:
            continue  # deleted before anyone was told: nothing to announce
        body: dict[str, Any] = json.loads(row[1])
        labels = frozenset(
            str(r[0])
            for r in conn.execute(
                "SELECT label FROM record_labels WHERE kind = ? AND record_id = ?",
                (kind, record_id),
            )
        )
        company_ids = [body["company"]] if body.get("company") else list(body.get("companies", []))
        words: list[str] = [
            str(body.get(key) or "")
            for key in (
                "name_zh",
                "name_en",
                "title_zh",
                "title_en",
                "summary_zh",
                "summary_en",
                "note",
                "chain_role",
            )
        ]
        for key in ("highlights_zh", "highlights_en", "places", "sectors"):
            words.extend(str(v) for v in body.get(key, []))
        words.extend(_names(conn, "companies", company_ids))
        words.extend(_names(conn, "zones", [str(row[0])]))
        found.append(
            AlertCandidate(
                seq=seq,
                kind=cast(RecordKind, kind),
                record_id=record_id,
                zone_id=str(row[0]),
                labels=labels,
                text="\n".join(w for w in words if w),
            )
        )
    return found


def _names(conn: sqlite3.Connection, table: str, ids: Sequence[str]) -> list[str]:
    names: list[str] = []
    for record_id in ids:
        row = conn.execute(f"SELECT body FROM {table} WHERE id = ?", (record_id,)).fetchone()
        if row is not None:
            data: dict[str, Any] = json.loads(row[0])
            names.extend(
                str(data[k]) for k in ("name_zh", "short_zh", "name_en", "parent") if data.get(k)
            )
    return names
