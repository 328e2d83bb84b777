"""SQL for chats: who the bot talks to, whether it still may, and their settings."""

from __future__ import annotations

from typing import cast

import aiosqlite

from bot.core.records import AlertMode, ChatRecord, DigestKind
from storage.base import StoreBase, from_iso, iso

_COLUMNS = (
    "id, type, title, lang, active, approved, migrated_to, alert_mode, timezone, digest_kind, "
    "digest_time, digest_weekday, next_digest_at, digest_seq"
)


def _chat(row: aiosqlite.Row) -> ChatRecord:
    return ChatRecord(
        id=int(row["id"]),
        type=str(row["type"]),
        title=row["title"],
        lang=row["lang"],
        active=bool(row["active"]),
        approved=bool(row["approved"]),
        migrated_to=row["migrated_to"],
        alert_mode=cast(AlertMode, str(row["alert_mode"])),
        timezone=row["timezone"],
        digest_kind=cast(DigestKind, str(row["digest_kind"])),
        digest_time=str(row["digest_time"]),
        digest_weekday=int(row["digest_weekday"]),
        next_digest_at=from_iso(row["next_digest_at"]) if row["next_digest_at"] else None,
        digest_seq=int(row["digest_seq"]),
    )


class ChatQueries(StoreBase):
    """Chats are created on first contact; a chat the bot may no longer reach is inactive."""

    async def ensure_chat(
        self, chat_id: int, chat_type: str, title: str | None = None, lang: str | None = None
    ) -> ChatRecord:
        """The chat's row, created on first sight; title and type kept current."""
        now = iso(self.now())
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO chats(id, type, title, lang, digest_seq, created_at) "
                "VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) FROM feed), ?) "
                "ON CONFLICT(id) DO UPDATE SET type = excluded.type, "
                "title = COALESCE(excluded.title, chats.title)",
                (chat_id, chat_type, title, lang, now),
            )
        chat = await self.chat(chat_id)
        assert chat is not None
        return chat

    async def chat(self, chat_id: int) -> ChatRecord | None:
        row = await self.fetchone(f"SELECT {_COLUMNS} FROM chats WHERE id = ?", (chat_id,))
        return _chat(row) if row else None

    async def active_groups(self) -> list[ChatRecord]:
        """Groups and supergroups the bot is still in (not migrated away), by title."""
        rows = await self.fetchall(
            f"SELECT {_COLUMNS} FROM chats WHERE type IN ('group', 'supergroup') "
            "AND active = 1 AND migrated_to IS NULL ORDER BY COALESCE(title, ''), id"
        )
        return [_chat(r) for r in rows]

    async def set_chat_active(self, chat_id: int, active: bool) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET active = ? WHERE id = ?", (1 if active else 0, chat_id)
            )

    async def set_chat_lang(self, chat_id: int, lang: str) -> None:
        async with self.transaction() as db:
            await db.execute("UPDATE chats SET lang = ? WHERE id = ?", (lang, chat_id))

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: everything of the old id moves to the new one.

        When the new id has no row yet, the old row takes the new id and foreign keys cascade
        (subscriptions, deliveries, digests and their plans follow). When it has one already
        (it wrote to us first, e.g. the private-access gate made its row), the old chat is
        folded into it: the old settings (alert mode, time zone, language, digest schedule and
        next time) replace the new row's, the digest watermark is the older of the two so
        nothing waiting for the old chat's digest is skipped, and unfinished digests,
        subscriptions and alerts move over (a row the new chat already has wins).
        """
        async with self.transaction() as db:
            async with db.execute("SELECT 1 FROM chats WHERE id = ?", (new_id,)) as cursor:
                exists = await cursor.fetchone() is not None
            if exists:
                await db.execute(
                    "UPDATE chats SET (lang, approved, alert_mode, timezone, digest_kind, "
                    "digest_time, digest_weekday, next_digest_at, digest_seq) = "
                    "(SELECT COALESCE(o.lang, chats.lang), MAX(o.approved, chats.approved), "
                    "o.alert_mode, COALESCE(o.timezone, chats.timezone), o.digest_kind, "
                    "o.digest_time, o.digest_weekday, o.next_digest_at, "
                    "MIN(o.digest_seq, chats.digest_seq) FROM chats o WHERE o.id = ?) "
                    "WHERE id = ? AND EXISTS (SELECT 1 FROM chats WHERE id = ?)",
                    (old_id, new_id, old_id),
                )
                for table in ("subscriptions", "deliveries", "digests"):
                    await db.execute(
                        f"UPDATE OR IGNORE {table} SET chat_id = ? WHERE chat_id = ?",
                        (new_id, old_id),
                    )
                await db.execute(
                    "UPDATE chats SET active = 0, migrated_to = ? WHERE id = ?", (new_id, old_id)
                )
            else:
                await db.execute(
                    "UPDATE chats SET id = ?, type = 'supergroup' WHERE id = ?", (new_id, old_id)
                )
                await db.execute(
                    "INSERT INTO chats(id, type, active, migrated_to, created_at) "
                    "VALUES (?, 'group', 0, ?, ?)",
                    (old_id, new_id, iso(self.now())),
                )
