"""SQL for users: language choice, roles and access requests."""

from __future__ import annotations

from storage.base import StoreBase, iso


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
