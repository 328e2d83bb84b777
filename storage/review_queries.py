"""SQL for the review queue: articles drafted once, their cards, and each reviewer's decision."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import aiosqlite

from storage.base import StoreBase, iso

ItemStatus = Literal["pending", "accepted", "rejected"]


class AlreadyDecided(Exception):
    """Another reviewer accepted or rejected the card first."""


@dataclass(frozen=True)
class ReviewArticle:
    """An article in the queue, with how many of its cards still wait for a decision."""

    id: int
    url: str | None
    text_hash: str
    title: str | None
    outlet: str | None
    published: str | None
    source_id: str
    support: dict[str, list[dict[str, Any]]]
    submitted_by: int | None
    created_at: str
    pending: int
    total: int


@dataclass(frozen=True)
class ReviewItem:
    """One draft card: the record as drafted (or as edited), its evidence, the record it updates."""

    article_id: int
    position: int
    section: str
    record: dict[str, Any]
    evidence: dict[str, str]
    target: str | None
    status: ItemStatus
    decided_by: int | None
    decided_at: str | None


@dataclass(frozen=True)
class NewItem:
    section: str
    record: dict[str, Any]
    evidence: dict[str, str]
    target: str | None


_ARTICLE_SELECT = (
    "SELECT a.*, "
    "(SELECT COUNT(*) FROM review_items i WHERE i.article_id = a.id AND i.status = 'pending') "
    "AS pending, "
    "(SELECT COUNT(*) FROM review_items i WHERE i.article_id = a.id) AS total "
    "FROM review_articles a"
)


def _article(row: aiosqlite.Row) -> ReviewArticle:
    return ReviewArticle(
        id=int(row["id"]),
        url=row["url"],
        text_hash=str(row["text_hash"]),
        title=row["title"],
        outlet=row["outlet"],
        published=row["published"],
        source_id=str(row["source_id"]),
        support=json.loads(row["support"]),
        submitted_by=row["submitted_by"],
        created_at=str(row["created_at"]),
        pending=int(row["pending"]),
        total=int(row["total"]),
    )


def _item(row: aiosqlite.Row) -> ReviewItem:
    return ReviewItem(
        article_id=int(row["article_id"]),
        position=int(row["position"]),
        section=str(row["section"]),
        record=json.loads(row["record"]),
        evidence=json.loads(row["evidence"]),
        target=row["target"],
        status=row["status"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
    )


class ReviewQueries(StoreBase):
    """The review queue. Decisions are conditional updates, so two reviewers never both win."""

    async def find_review_article(
        self, url: str | None, text_hash: str, prints: Sequence[str] = ()
    ) -> ReviewArticle | None:
        """The article already queued with this link, this text, or most of its sentences."""
        row = await self.fetchone(f"{_ARTICLE_SELECT} WHERE a.text_hash = ?", (text_hash,))
        if row is None and url:
            row = await self.fetchone(f"{_ARTICLE_SELECT} WHERE a.url = ? LIMIT 1", (url,))
        if row is None and prints:
            marks = ",".join("?" * len(prints))
            best = await self.fetchone(
                "SELECT article_id, COUNT(*) AS shared FROM review_prints "
                f"WHERE print IN ({marks}) "
                "GROUP BY article_id ORDER BY shared DESC, article_id LIMIT 1",
                tuple(prints),
            )
            # Most of the sentences, and never on one or two alone.
            if best is not None and int(best["shared"]) >= max(3, (len(prints) + 1) // 2):
                row = await self.fetchone(
                    f"{_ARTICLE_SELECT} WHERE a.id = ?", (int(best["article_id"]),)
                )
        return _article(row) if row is not None else None

    async def add_review_article(
        self,
        *,
        url: str | None,
        text_hash: str,
        title: str | None,
        outlet: str | None,
        published: str | None,
        source_id: str,
        support: dict[str, list[dict[str, Any]]],
        items: Sequence[NewItem],
        submitted_by: int | None,
        prints: Sequence[str] = (),
    ) -> tuple[int, bool]:
        """(article id, True) once queued; (the earlier id, False) if the text is queued already."""
        now = iso(self.now())
        try:
            async with self.transaction() as db:
                cursor = await db.execute(
                    "INSERT INTO review_articles(url, text_hash, title, outlet, published, "
                    "source_id, support, submitted_by, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        url,
                        text_hash,
                        title,
                        outlet,
                        published,
                        source_id,
                        json.dumps(support, ensure_ascii=False),
                        submitted_by,
                        now,
                    ),
                )
                article_id = int(cursor.lastrowid or 0)
                await db.executemany(
                    "INSERT INTO review_items(article_id, position, section, record, evidence, "
                    "target) VALUES (?,?,?,?,?,?)",
                    [
                        (
                            article_id,
                            position,
                            item.section,
                            json.dumps(item.record, ensure_ascii=False),
                            json.dumps(item.evidence, ensure_ascii=False),
                            item.target,
                        )
                        for position, item in enumerate(items, 1)
                    ],
                )
                await db.executemany(
                    "INSERT OR IGNORE INTO review_prints(article_id, print) VALUES (?, ?)",
                    [(article_id, p) for p in prints],
                )
        except sqlite3.IntegrityError:
            existing = await self.find_review_article(None, text_hash)
            if existing is None:  # pragma: no cover - the unique index is the only constraint
                raise
            return existing.id, False
        return article_id, True

    async def review_article(self, article_id: int) -> ReviewArticle | None:
        row = await self.fetchone(f"{_ARTICLE_SELECT} WHERE a.id = ?", (article_id,))
        return _article(row) if row is not None else None

    async def pending_review_articles(self, limit: int = 20) -> list[ReviewArticle]:
        """Articles with cards still to decide, oldest first."""
        rows = await self.fetchall(
            f"SELECT * FROM ({_ARTICLE_SELECT}) WHERE pending > 0 ORDER BY id LIMIT ?", (limit,)
        )
        return [_article(r) for r in rows]

    async def review_items(
        self, article_id: int, status: ItemStatus | None = None
    ) -> list[ReviewItem]:
        sql = "SELECT * FROM review_items WHERE article_id = ?"
        params: tuple[object, ...] = (article_id,)
        if status is not None:
            sql += " AND status = ?"
            params = (article_id, status)
        rows = await self.fetchall(sql + " ORDER BY position", params)
        return [_item(r) for r in rows]

    async def review_item(self, article_id: int, position: int) -> ReviewItem | None:
        row = await self.fetchone(
            "SELECT * FROM review_items WHERE article_id = ? AND position = ?",
            (article_id, position),
        )
        return _item(row) if row is not None else None

    async def decide_review_item(
        self, article_id: int, position: int, status: ItemStatus, by: int | None
    ) -> bool:
        """Mark a pending card accepted or rejected; False when someone decided it first."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE review_items SET status = ?, decided_by = ?, decided_at = ? "
                "WHERE article_id = ? AND position = ? AND status = 'pending'",
                (status, by, iso(self.now()), article_id, position),
            )
            return cursor.rowcount == 1

    def claim_review_item(
        self, article_id: int, position: int, by: int | None
    ) -> Callable[[aiosqlite.Connection], Awaitable[None]]:
        """A step for apply_facts(first=...): mark the card accepted in the same transaction
        as its record, or raise AlreadyDecided (and write nothing) if someone decided first."""

        async def claim(db: aiosqlite.Connection) -> None:
            cursor = await db.execute(
                "UPDATE review_items SET status = 'accepted', decided_by = ?, decided_at = ? "
                "WHERE article_id = ? AND position = ? AND status = 'pending'",
                (by, iso(self.now()), article_id, position),
            )
            if cursor.rowcount != 1:
                raise AlreadyDecided(article_id, position)

        return claim

    async def edit_review_item(
        self, article_id: int, position: int, record: dict[str, Any]
    ) -> bool:
        """Replace a pending card's record (a reviewer fixed a field)."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE review_items SET record = ? "
                "WHERE article_id = ? AND position = ? AND status = 'pending'",
                (json.dumps(record, ensure_ascii=False), article_id, position),
            )
            return cursor.rowcount == 1
