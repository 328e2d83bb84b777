"""SQL for scheduled digests: each chat's schedule, who is due, and each digest's progress.

A digest is one row keyed by (chat, period). Its range of the feed (from_seq, to_seq] and
what each part shows (``digest_items``: the feed items of each part, in order) are fixed in
the transaction that creates the row; ``parts_sent`` grows after each part Telegram accepted,
so a restart resumes with the next stored part, whatever changed meanwhile; ``sent_at`` and
the chat's watermark (``chats.digest_seq``) move together in one transaction, only after the
last part was accepted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import cast

import aiosqlite

from bot.core.records import (
    Change,
    ChatRecord,
    DigestRow,
    Event,
    Project,
    Pruned,
    StoredPlan,
    Subscription,
    WindowItem,
)
from storage.base import StoreBase, iso
from storage.chat_queries import _COLUMNS, _chat

# The subscriptions module owns how a feed item is seen for matching; digests reuse it.
from storage.subscription_queries import GIVE_UP_ATTEMPTS, record_candidates


def _digest(row: aiosqlite.Row) -> DigestRow:
    return DigestRow(
        chat_id=int(row["chat_id"]),
        period=str(row["period"]),
        from_seq=int(row["from_seq"]),
        to_seq=int(row["to_seq"]),
        parts_sent=int(row["parts_sent"]),
        created_at=str(row["created_at"]),
        sent_at=row["sent_at"],
    )


_DIGEST_COLUMNS = "chat_id, period, from_seq, to_seq, parts_sent, created_at, sent_at"


class DigestQueries(StoreBase):
    """Digest schedules and the progress of each digest."""

    # ---- schedule ---------------------------------------------------------------------

    async def set_digest_schedule(
        self,
        chat_id: int,
        kind: str,
        hhmm: str,
        weekday: int,
        next_at: datetime | None,
    ) -> None:
        """A chat's schedule (daily/weekly/off) and its next due time, computed by the caller.

        Turning digests back on from 'off' moves the watermark to the newest feed item: what
        was stored while they were off is not sent later in one surprise catch-up digest.
        """
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET digest_seq = (SELECT COALESCE(MAX(seq), 0) FROM feed) "
                "WHERE id = ? AND digest_kind = 'off' AND ? != 'off'",
                (chat_id, kind),
            )
            await db.execute(
                "UPDATE chats SET digest_kind = ?, digest_time = ?, digest_weekday = ?, "
                "next_digest_at = ? WHERE id = ?",
                (kind, hhmm, weekday, iso(next_at) if next_at else None, chat_id),
            )

    async def set_chat_timezone(
        self, chat_id: int, timezone: str, next_at: datetime | None
    ) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET timezone = ?, next_digest_at = ? WHERE id = ?",
                (timezone, iso(next_at) if next_at else None, chat_id),
            )

    async def unscheduled_chats(self, limit: int = 5000) -> list[ChatRecord]:
        """Active chats whose digest is on but has no due time yet (new chats, old rows)."""
        rows = await self.fetchall(
            f"SELECT {_COLUMNS} FROM chats WHERE active = 1 AND digest_kind != 'off' "
            "AND next_digest_at IS NULL LIMIT ?",
            (limit,),
        )
        return [_chat(r) for r in rows]

    async def set_next_digest_times(self, times: Sequence[tuple[int, datetime | None]]) -> None:
        """Many chats' next due times in one transaction (scheduling new chats)."""
        if not times:
            return
        async with self.transaction() as db:
            await db.executemany(
                "UPDATE chats SET next_digest_at = ? WHERE id = ?",
                [(iso(at) if at else None, chat_id) for chat_id, at in times],
            )

    async def due_chats(self, now: datetime, limit: int = 20000) -> list[ChatRecord]:
        """Chats whose digest is due at ``now``: active, digest on, alerts not switched off,
        and allowed to receive (``recipients``).

        A chat whose time passed while the bot was down is due too (catch-up), once.
        """
        allowed, allowed_params = self.recipients.condition("chats")
        rows = await self.fetchall(
            f"SELECT {_COLUMNS} FROM chats WHERE active = 1 AND next_digest_at IS NOT NULL "
            "AND next_digest_at <= ? AND digest_kind != 'off' AND alert_mode != 'off' "
            f"AND {allowed} ORDER BY next_digest_at, id LIMIT ?",
            (iso(now), *allowed_params, limit),
        )
        return [_chat(r) for r in rows]

    async def postpone_digest(self, chat_id: int, until: datetime) -> None:
        """Telegram asked us to wait, or the network failed: try this chat again later."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET next_digest_at = ? WHERE id = ?", (iso(until), chat_id)
            )

    # ---- what a digest holds ------------------------------------------------------------

    async def chat_subscriptions(self, chat_ids: Sequence[int]) -> dict[int, list[Subscription]]:
        """Every subscription of these chats, oldest first, by chat (one round trip)."""
        wanted = sorted(set(chat_ids))
        return await self.read(lambda conn: _subscriptions_of(conn, wanted))

    async def digest_window(self, after_seq: int, upto_seq: int) -> list[WindowItem]:
        """Feed items in (after_seq, upto_seq] whose record still exists, with the record.

        Zone, labels and words come from the same reader alerts use, so both match alike.
        """
        rows = await self.fetchall(
            "SELECT seq, kind, record_id, change FROM feed WHERE seq > ? AND seq <= ? ORDER BY seq",
            (after_seq, upto_seq),
        )
        if not rows:
            return []
        candidates = await record_candidates(self._db, rows)
        records: dict[tuple[str, str], Project | Event] = {}
        for kind, table, model in (("project", "projects", Project), ("event", "events", Event)):
            ids = sorted({str(r["record_id"]) for r in rows if r["kind"] == kind})
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found = await self.fetchall(
                    f"SELECT id, body, learned_at FROM {table} "
                    f"WHERE id IN ({marks}) AND deleted_at IS NULL",
                    tuple(chunk),
                )
                for row in found:
                    data = json.loads(row["body"])
                    data["learned_at"] = row["learned_at"]
                    records[(kind, str(row["id"]))] = model.model_validate(data)
        changes = {int(r["seq"]): cast(Change, str(r["change"])) for r in rows}
        return [
            WindowItem(c, changes[c.seq], records[(c.kind, c.record_id)])
            for c in candidates
            if (c.kind, c.record_id) in records
        ]

    # ---- a digest's progress ----------------------------------------------------------------

    async def pending_digest(self, chat_id: int) -> DigestRow | None:
        """The chat's digest that was begun and not finished (a restart, a 429), if any."""
        row = await self.fetchone(
            f"SELECT {_DIGEST_COLUMNS} FROM digests WHERE chat_id = ? AND sent_at IS NULL "
            "ORDER BY created_at, period LIMIT 1",
            (chat_id,),
        )
        return _digest(row) if row else None

    async def pending_digests(self, chat_ids: Sequence[int]) -> dict[int, DigestRow]:
        """For each of these chats that has one, its oldest unfinished digest."""
        result: dict[int, DigestRow] = {}
        wanted = sorted(set(chat_ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = await self.fetchall(
                f"SELECT {_DIGEST_COLUMNS} FROM digests WHERE sent_at IS NULL "
                f"AND chat_id IN ({marks}) ORDER BY created_at DESC, period DESC",
                tuple(chunk),
            )
            for row in rows:
                found = _digest(row)
                result[found.chat_id] = found  # the last written is the oldest
        return result

    async def chat_langs(self, chat_ids: Sequence[int]) -> dict[int, str | None]:
        """The language to write to each chat in: the chat's, else its user's (private)."""
        result: dict[int, str | None] = {}
        wanted = sorted(set(chat_ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = await self.fetchall(
                "SELECT c.id, COALESCE(c.lang, u.lang) FROM chats c "
                f"LEFT JOIN users u ON u.id = c.id WHERE c.id IN ({marks})",
                tuple(chunk),
            )
            result.update({int(r[0]): r[1] for r in rows})
        return result

    async def digest(self, chat_id: int, period: str) -> DigestRow | None:
        row = await self.fetchone(
            f"SELECT {_DIGEST_COLUMNS} FROM digests WHERE chat_id = ? AND period = ?",
            (chat_id, period),
        )
        return _digest(row) if row else None

    async def open_digest(
        self,
        chat_id: int,
        period: str,
        from_seq: int,
        to_seq: int,
        plan: Sequence[Sequence[tuple[int, str]]] = (),
        held: Sequence[tuple[int, str]] = (),
    ) -> DigestRow:
        """The (chat, period) digest: created with this feed range and this plan (the items of
        each part), or the existing one as it is, plan included. ``held``: the items past
        the digest's cap, kept for its "more" button, numbered on from the plan's."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "INSERT OR IGNORE INTO digests(chat_id, period, from_seq, to_seq, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (chat_id, period, from_seq, to_seq, iso(self.now())),
            )
            if cursor.rowcount:
                await db.executemany(
                    "INSERT INTO digest_items(chat_id, period, part, position, seq, change) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (chat_id, period, part, position, seq, change)
                        for part, items in enumerate(plan)
                        for position, (seq, change) in enumerate(items)
                    ],
                )
                shown = sum(len(items) for items in plan)
                await db.executemany(
                    "INSERT INTO digest_held(chat_id, period, number, seq, change) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [
                        (chat_id, period, shown + 1 + i, seq, change)
                        for i, (seq, change) in enumerate(held)
                    ],
                )
        found = await self.digest(chat_id, period)
        assert found is not None
        return found

    async def held_items(self, chat_id: int, period: str, limit: int) -> list[tuple[int, int, str]]:
        """The next held items of a digest: (number, feed seq, change), in order."""
        rows = await self.fetchall(
            "SELECT number, seq, change FROM digest_held WHERE chat_id = ? AND period = ? "
            "ORDER BY number LIMIT ?",
            (chat_id, period, limit),
        )
        return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]

    async def held_count(self, chat_id: int, period: str) -> int:
        value = await self.scalar(
            "SELECT COUNT(*) FROM digest_held WHERE chat_id = ? AND period = ?",
            (chat_id, period),
        )
        return int(str(value))

    async def release_held(self, chat_id: int, period: str, upto_number: int) -> None:
        """Held items up to this number were shown (Telegram accepted them)."""
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM digest_held WHERE chat_id = ? AND period = ? AND number <= ?",
                (chat_id, period, upto_number),
            )

    async def digest_plans(
        self, keys: Sequence[tuple[int, str]]
    ) -> dict[tuple[int, str], StoredPlan]:
        """The stored plan of each of these (chat, period) digests that has one.

        A digest opened before plans were stored has none; it is resumed the old way.
        """
        wanted = set(keys)
        found: dict[tuple[int, str], list[list[tuple[int, str]]]] = {}
        chats = sorted({chat_id for chat_id, _ in wanted})
        for start in range(0, len(chats), 500):
            chunk = chats[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = await self.fetchall(
                "SELECT chat_id, period, part, seq, change FROM digest_items "
                f"WHERE chat_id IN ({marks}) ORDER BY chat_id, period, part, position",
                tuple(chunk),
            )
            for row in rows:
                key = (int(row["chat_id"]), str(row["period"]))
                if key not in wanted:
                    continue
                parts = found.setdefault(key, [])
                while len(parts) <= int(row["part"]):
                    parts.append([])
                parts[int(row["part"])].append((int(row["seq"]), str(row["change"])))
        result: dict[tuple[int, str], StoredPlan] = {
            key: tuple(tuple(items) for items in parts) for key, parts in found.items()
        }
        return result

    async def record_digest_part(self, chat_id: int, period: str, parts_sent: int) -> None:
        """Telegram accepted parts 1..parts_sent; never count down."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE digests SET parts_sent = MAX(parts_sent, ?) "
                "WHERE chat_id = ? AND period = ? AND sent_at IS NULL",
                (parts_sent, chat_id, period),
            )

    async def finish_digest(
        self, chat_id: int, period: str, next_at: datetime | None, keep_next: bool = False
    ) -> None:
        """Every part accepted: the digest is sent, the watermark and the next time move.

        One transaction, so a crash leaves either the pending digest (resumed, its plan kept)
        or all done (its plan forgotten).
        ``keep_next`` leaves the scheduled time alone (a /digest now digest).
        """
        now = iso(self.now())
        async with self.transaction() as db:
            async with db.execute(
                "SELECT to_seq FROM digests WHERE chat_id = ? AND period = ?", (chat_id, period)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return
            await db.execute(
                "UPDATE digests SET sent_at = COALESCE(sent_at, ?) "
                "WHERE chat_id = ? AND period = ?",
                (now, chat_id, period),
            )
            # A sent digest's plan is spent: only unfinished digests keep theirs.
            await db.execute(
                "DELETE FROM digest_items WHERE chat_id = ? AND period = ?", (chat_id, period)
            )
            await db.execute(
                "UPDATE chats SET digest_seq = MAX(digest_seq, ?) WHERE id = ?",
                (int(row[0]), chat_id),
            )
            if not keep_next:
                await db.execute(
                    "UPDATE chats SET next_digest_at = ? WHERE id = ?",
                    (iso(next_at) if next_at else None, chat_id),
                )

    async def skip_digest(
        self, chat_id: int, to_seq: int, next_at: datetime | None, keep_next: bool = False
    ) -> None:
        """Nothing new for this chat: no row, no message; watermark and next time move."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET digest_seq = MAX(digest_seq, ?) WHERE id = ?", (to_seq, chat_id)
            )
            if not keep_next:
                await db.execute(
                    "UPDATE chats SET next_digest_at = ? WHERE id = ?",
                    (iso(next_at) if next_at else None, chat_id),
                )

    async def prune_history(self, before: datetime) -> Pruned:
        """Forget what was done before ``before``, in one transaction: alerts Telegram
        accepted, alerts given up on (by the time of their feed item), and finished digests
        with their plans. Nothing pending is touched."""
        async with self.transaction() as db:
            sent = await db.execute(
                "DELETE FROM deliveries WHERE sent_at IS NOT NULL AND sent_at < ?", (iso(before),)
            )
            given_up = await db.execute(
                "DELETE FROM deliveries WHERE sent_at IS NULL AND attempts >= ? "
                "AND seq IN (SELECT seq FROM feed WHERE at < ?)",
                (GIVE_UP_ATTEMPTS, iso(before)),
            )
            for table in ("digest_items", "digest_held"):
                await db.execute(
                    f"DELETE FROM {table} WHERE (chat_id, period) IN (SELECT chat_id, period "
                    "FROM digests WHERE sent_at IS NOT NULL AND sent_at < ?)",
                    (iso(before),),
                )
            digests = await db.execute(
                "DELETE FROM digests WHERE sent_at IS NOT NULL AND sent_at < ?", (iso(before),)
            )
            return Pruned(
                deliveries=int(sent.rowcount or 0) + int(given_up.rowcount or 0),
                digests=int(digests.rowcount or 0),
            )


__all__ = ["DigestQueries"]


def _subscriptions_of(
    conn: sqlite3.Connection, wanted: Sequence[int]
) -> dict[int, list[Subscription]]:
    result: dict[int, list[Subscription]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT id, chat_id, kind, value, thread_id, since_seq FROM subscriptions "
            f"WHERE chat_id IN ({marks}) ORDER BY id",
            tuple(chunk),
        )
        for row in rows:
            sub = Subscription(
                id=int(row[0]),
                chat_id=int(row[1]),
                kind=row[2],
                value=str(row[3]),
                thread_id=row[4],
                since_seq=int(row[5]),
            )
            result.setdefault(sub.chat_id, []).append(sub)
    return result
