"""SQL for channels: workplace-IM group robots kept as chats with synthetic ids.

A channel is a ``chats`` row (type = its kind, id from bot/core/robots.py) plus a
``channels`` row with its URL, secret, name, owner and status. The chat's ``active`` flag
follows the status (only 'active' channels take alerts and digests), so the engines' queries
need no change.
"""

from __future__ import annotations

from typing import cast

import aiosqlite

from bot.core.records import ChannelRecord, ChannelStatus
from bot.core.robots import channel_chat_id
from storage.base import StoreBase, from_iso, iso

_COLUMNS = "chat_id, kind, name, url, secret, owner_id, status, status_reason, last_delivery_at"
_NUMBER_KEY = "last_channel_number"


def _channel(row: aiosqlite.Row) -> ChannelRecord:
    return ChannelRecord(
        chat_id=int(row["chat_id"]),
        kind=str(row["kind"]),
        name=str(row["name"]),
        url=str(row["url"]),
        secret=row["secret"],
        owner_id=int(row["owner_id"]),
        status=cast(ChannelStatus, str(row["status"])),
        status_reason=row["status_reason"],
        last_delivery_at=from_iso(row["last_delivery_at"]) if row["last_delivery_at"] else None,
    )


class ChannelQueries(StoreBase):
    async def add_channel(
        self,
        kind: str,
        name: str,
        url: str,
        secret: str | None,
        owner_id: int,
        lang: str,
    ) -> ChannelRecord | None:
        """A new channel (its chat row too); None when the name is taken. Its digest
        watermark starts at the feed's end, like a new chat's: only what comes next."""
        now = iso(self.now())
        async with self.transaction() as db:
            async with db.execute("SELECT 1 FROM channels WHERE name = ?", (name,)) as cursor:
                if await cursor.fetchone() is not None:
                    return None
            async with db.execute("SELECT value FROM meta WHERE key = ?", (_NUMBER_KEY,)) as cur:
                row = await cur.fetchone()
            number = (int(row[0]) if row else 0) + 1
            await db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (_NUMBER_KEY, str(number)),
            )
            chat_id = channel_chat_id(number)
            await db.execute(
                "INSERT INTO chats(id, type, title, lang, approved, digest_seq, created_at) "
                "VALUES (?, ?, ?, ?, 1, (SELECT COALESCE(MAX(seq), 0) FROM feed), ?)",
                (chat_id, kind, name, lang, now),
            )
            await db.execute(
                "INSERT INTO channels(chat_id, kind, name, url, secret, owner_id, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (chat_id, kind, name, url, secret, owner_id, now),
            )
        return await self.channel(chat_id)

    async def channel(self, chat_id: int) -> ChannelRecord | None:
        row = await self.fetchone(f"SELECT {_COLUMNS} FROM channels WHERE chat_id = ?", (chat_id,))
        return _channel(row) if row else None

    async def channel_named(self, name: str) -> ChannelRecord | None:
        row = await self.fetchone(f"SELECT {_COLUMNS} FROM channels WHERE name = ?", (name,))
        return _channel(row) if row else None

    async def channels(self, owner_id: int | None = None) -> list[ChannelRecord]:
        """Every channel (owner_id None) or one person's, by name."""
        if owner_id is None:
            rows = await self.fetchall(f"SELECT {_COLUMNS} FROM channels ORDER BY name")
        else:
            rows = await self.fetchall(
                f"SELECT {_COLUMNS} FROM channels WHERE owner_id = ? ORDER BY name", (owner_id,)
            )
        return [_channel(r) for r in rows]

    async def set_channel_status(
        self, chat_id: int, status: ChannelStatus, reason: str | None = None
    ) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE channels SET status = ?, status_reason = ? WHERE chat_id = ?",
                (status, reason, chat_id),
            )
            await db.execute(
                "UPDATE chats SET active = ? WHERE id = ?",
                (1 if status == "active" else 0, chat_id),
            )

    async def pause_channels_of(self, owner_id: int, reason: str) -> list[ChannelRecord]:
        """The owner lost access: their active channels are paused; returns those."""
        paused = [c for c in await self.channels(owner_id) if c.status == "active"]
        for channel in paused:
            await self.set_channel_status(channel.chat_id, "paused", reason)
        return paused

    async def take_over_channel(self, chat_id: int, owner_id: int) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE channels SET owner_id = ? WHERE chat_id = ?", (owner_id, chat_id)
            )

    async def rename_channel(self, chat_id: int, name: str) -> bool:
        """False when another channel has that name."""
        async with self.transaction() as db:
            async with db.execute(
                "SELECT 1 FROM channels WHERE name = ? AND chat_id != ?", (name, chat_id)
            ) as cursor:
                if await cursor.fetchone() is not None:
                    return False
            await db.execute("UPDATE channels SET name = ? WHERE chat_id = ?", (name, chat_id))
            await db.execute("UPDATE chats SET title = ? WHERE id = ?", (name, chat_id))
        return True

    async def remove_channel(self, chat_id: int) -> None:
        """The channel and everything it was owed (subscriptions, deliveries, digests)."""
        async with self.transaction() as db:
            for table in ("digest_items", "digests", "deliveries", "subscriptions"):
                await db.execute(f"DELETE FROM {table} WHERE chat_id = ?", (chat_id,))
            await db.execute("DELETE FROM channels WHERE chat_id = ?", (chat_id,))
            await db.execute("DELETE FROM chats WHERE id = ?", (chat_id,))

    async def record_channel_delivery(self, chat_id: int) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE channels SET last_delivery_at = ? WHERE chat_id = ?",
                (iso(self.now()), chat_id),
            )
