"""SQL for questions in staff's own words: the name index, follow-up context, filtered lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from bot.core.records import Company, Event, HitKind, Project, SearchHit, ZoneFigure
from bot.core.text import fts_phrase, fts_text, normalise
from storage.base import StoreBase, from_iso, iso
from storage.fact_queries import _load, unspace
from storage.name_index import index_names

MAX_KEYS = 2000  # looked-up stretches of one message (SQLite allows 32766 parameters)


@dataclass(frozen=True)
class NameRow:
    name: str
    kind: str
    record_id: str
    quality: int


@dataclass(frozen=True)
class AskContext:
    """What one person last talked about in one chat."""

    zone_id: str | None
    focus_kind: str | None
    focus_id: str | None
    figure_id: str | None
    greeted: bool
    fresh: bool  # within the time a follow-up may refer back
    frame: str | None = None  # what else was asked (bot/core/ask_frame.py), as stored


class QuestionQueries(StoreBase):
    async def ensure_entity_names(self) -> None:
        """Fill the name index once for a store made before it existed."""
        if getattr(self, "_names_ready", False):
            return
        done = await self.scalar("SELECT value FROM meta WHERE key = 'entity_names'")
        if done != "1":
            companies = await self.fetchall(
                "SELECT id, body FROM companies WHERE deleted_at IS NULL"
            )
            projects = await self.fetchall(
                "SELECT id, body, learned_at FROM projects WHERE deleted_at IS NULL"
            )
            events = await self.fetchall(
                "SELECT id, body, learned_at FROM events WHERE deleted_at IS NULL"
            )
            async with self.transaction() as db:
                for row in companies:
                    c = _load(Company, row)
                    await index_names(
                        db, "company", c.id, (c.name_zh, c.short_zh, c.name_en), c.parent
                    )
                for row in projects:
                    p = _load(Project, row, learned=True)
                    await index_names(db, "project", p.id, (p.name_zh, p.name_en))
                for row in events:
                    e = _load(Event, row, learned=True)
                    await index_names(db, "event", e.id, (e.title_zh, e.title_en))
                await db.execute(
                    "INSERT INTO meta(key, value) VALUES ('entity_names', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                )
        self._names_ready = True

    async def find_names(self, keys: Sequence[str]) -> list[NameRow]:
        """Index rows whose name is one of the keys (one indexed read)."""
        wanted = sorted(set(keys))[:MAX_KEYS]
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        rows = await self.fetchall(
            f"SELECT name, kind, record_id, quality FROM entity_names WHERE name IN ({marks}) "
            "LIMIT 400",
            tuple(wanted),
        )
        return [NameRow(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]

    async def record_id_by_name(self, name: str) -> str | None:
        """The one project or event whose own name this is (None when none or several)."""
        rows = await self.fetchall(
            "SELECT record_id FROM entity_names WHERE name = ? AND quality = 3 "
            "AND kind IN ('project', 'event') LIMIT 2",
            (normalise(name),),
        )
        return str(rows[0][0]) if len(rows) == 1 else None

    async def names_with_prefix(self, prefix: str, limit: int = 60) -> list[NameRow]:
        """Names starting with ``prefix`` (a range read on the key), for near misses."""
        if not prefix:
            return []
        rows = await self.fetchall(
            "SELECT name, kind, record_id, quality FROM entity_names "
            "WHERE name >= ? AND name < ? AND quality >= 2 LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit),
        )
        return [NameRow(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]

    # ---- follow-up context ------------------------------------------------------------

    async def ask_context(self, chat_id: int, user_id: int, ttl_s: int) -> AskContext | None:
        row = await self.fetchone(
            "SELECT zone_id, focus_kind, focus_id, figure_id, greeted, updated_at, frame "
            "FROM ask_context WHERE chat_id = ? AND user_id = ?",
            (chat_id, user_id),
        )
        if row is None:
            return None
        fresh = self.now() - from_iso(str(row[5])) <= timedelta(seconds=ttl_s)
        return AskContext(row[0], row[1], row[2], row[3], bool(row[4]), fresh, row[6])

    async def set_ask_context(
        self,
        chat_id: int,
        user_id: int,
        *,
        zone_id: str | None,
        focus_kind: str | None,
        focus_id: str | None,
        figure_id: str | None,
        greeted: bool,
        frame: str | None = None,
    ) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO ask_context(chat_id, user_id, zone_id, focus_kind, focus_id, "
                "figure_id, greeted, updated_at, frame) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(chat_id, user_id) DO UPDATE SET zone_id = excluded.zone_id, "
                "focus_kind = excluded.focus_kind, focus_id = excluded.focus_id, "
                "figure_id = excluded.figure_id, greeted = excluded.greeted, "
                "updated_at = excluded.updated_at, frame = excluded.frame",
                (
                    chat_id,
                    user_id,
                    zone_id,
                    focus_kind,
                    focus_id,
                    figure_id,
                    int(greeted),
                    iso(self.now()),
                    frame,
                ),
            )

    # ---- filtered lists ---------------------------------------------------------------

    async def projects_at_stage(
        self, stages: Sequence[str], zone_id: str | None = None, limit: int = 50
    ) -> list[Project]:
        """Newest first, projects at one of the stages (the stage index answers it)."""
        if not stages:
            return []
        marks = ",".join("?" * len(stages))
        zone_sql = " AND zone_id = ?" if zone_id else ""
        # In one zone, its few hundred projects are read through the zone index: "+stage"
        # keeps SQLite from walking a whole stage's index (a quarter of the store) instead.
        stage_sql = "+stage" if zone_id else "stage"
        rows = await self.fetchall(
            "SELECT body, learned_at FROM projects WHERE deleted_at IS NULL "
            f"AND {stage_sql} IN ({marks}){zone_sql} ORDER BY rowid DESC LIMIT ?",
            (*stages, *((zone_id,) if zone_id else ()), limit),
        )
        return [_load(Project, r, learned=True) for r in rows]

    async def projects_to_filter(
        self, stages: Sequence[str], zone_id: str | None = None, limit: int = 3000
    ) -> list[Project]:
        """Newest first, the projects a size condition is checked on: of a zone or the store,
        at one of the stages (any stage when none is given; "landed" for the landed flag)."""
        plain = [s for s in stages if s != "landed"]
        where = ["deleted_at IS NULL"]
        params: list[object] = []
        if zone_id:
            where.append("zone_id = ?")
            params.append(zone_id)
        if plain and "landed" not in stages:
            where.append(f"{'+stage' if zone_id else 'stage'} IN ({','.join('?' * len(plain))})")
            params += plain
        rows = await self.fetchall(
            f"SELECT body, learned_at FROM projects WHERE {' AND '.join(where)} "
            "ORDER BY rowid DESC LIMIT ?",
            (*params, limit),
        )
        found = [_load(Project, r, learned=True) for r in rows]
        if "landed" in stages:
            found = [
                p for p in found if p.landed or (p.stage is not None and p.stage.value in plain)
            ]
        return found

    async def newest_with_labels(
        self, labels: Sequence[str], stages: Sequence[str], scan: int, limit: int
    ) -> list[Project]:
        """Newest first, projects carrying one of the labels (at one of the stages; "landed"
        for the landed flag), among the ``scan`` newest (at those stages): a bounded read
        whatever the store's size, each label checked through record_labels' key."""
        plain = [s for s in stages if s != "landed"]
        stage_sql = ""
        if plain and "landed" not in stages:
            stage_sql = f" AND stage IN ({','.join('?' * len(plain))})"
        marks = ",".join("?" * len(labels))
        rows = await self.fetchall(
            "SELECT p.body, p.learned_at FROM (SELECT id, body, learned_at FROM projects "
            f"WHERE deleted_at IS NULL{stage_sql} ORDER BY rowid DESC LIMIT ?) p "
            "WHERE EXISTS (SELECT 1 FROM record_labels l WHERE l.kind = 'project' "
            f"AND l.record_id = p.id AND l.label IN ({marks})) LIMIT ?",
            (*(plain if stage_sql else ()), scan, *labels, limit),
        )
        found = [_load(Project, r, learned=True) for r in rows]
        if "landed" in stages:
            found = [
                p for p in found if p.landed or (p.stage is not None and p.stage.value in plain)
            ]
        return found

    async def landed_projects(self, zone_id: str | None = None, limit: int = 50) -> list[Project]:
        zone_sql = " AND zone_id = ?" if zone_id else ""
        rows = await self.fetchall(
            "SELECT body, learned_at FROM projects WHERE deleted_at IS NULL AND stage IS NOT NULL"
            f"{zone_sql} ORDER BY rowid DESC LIMIT ?",
            (*((zone_id,) if zone_id else ()), limit),
        )
        found = [_load(Project, r, learned=True) for r in rows]
        return [p for p in found if p.landed]

    async def latest_projects(self, limit: int = 5) -> list[Project]:
        rows = await self.fetchall(
            "SELECT body, learned_at FROM projects WHERE deleted_at IS NULL "
            "ORDER BY rowid DESC LIMIT ?",
            (limit,),
        )
        return [_load(Project, r, learned=True) for r in rows]

    async def latest_events(self, limit: int = 5) -> list[Event]:
        rows = await self.fetchall(
            "SELECT body, learned_at FROM events WHERE deleted_at IS NULL "
            "ORDER BY rowid DESC LIMIT ?",
            (limit,),
        )
        return [_load(Event, r, learned=True) for r in rows]

    async def head_figures(self, limit: int = 200) -> list[ZoneFigure]:
        """Zone figures that are not parts of another (totals), for comparing zones."""
        rows = await self.fetchall(
            "SELECT body FROM figures WHERE deleted_at IS NULL "
            "AND json_extract(body, '$.part_of') IS NULL ORDER BY rowid LIMIT ?",
            (limit,),
        )
        return [_load(ZoneFigure, r) for r in rows]

    async def figures_by_id(self, ids: Sequence[str]) -> list[ZoneFigure]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = await self.fetchall(
            f"SELECT body FROM figures WHERE deleted_at IS NULL AND id IN ({marks})", tuple(ids)
        )
        return [_load(ZoneFigure, r) for r in rows]

    async def search_any(
        self,
        words: Sequence[str],
        kinds: Sequence[str] = ("zone", "company", "project", "event", "figure"),
        zone_id: str | None = None,
        limit: int = 8,
    ) -> list[SearchHit]:
        """Records matching any of the words, best first (words matched in titles count more)."""
        phrases = []
        for word in words[:8]:
            phrase = fts_phrase(fts_text(word).replace('"', " ").split())
            if phrase is not None:
                phrases.append(phrase)
        if not phrases or not kinds:
            return []
        marks = ",".join("?" * len(kinds))
        zone_sql = " AND d.zone_id = ?" if zone_id else ""
        rows = await self.fetchall(
            "SELECT d.kind, d.record_id, d.zone_id, s.title, bm25(search_index, 5.0, 1.0) AS r "
            "FROM search_index s JOIN search_docs d ON d.id = s.rowid "
            f"WHERE search_index MATCH ? AND d.kind IN ({marks}){zone_sql} ORDER BY r LIMIT ?",
            (" OR ".join(phrases), *kinds, *((zone_id,) if zone_id else ()), limit),
        )
        return [
            SearchHit(
                kind=cast(HitKind, str(r[0])),
                record_id=str(r[1]),
                zone_id=r[2],
                title=unspace(str(r[3])),
                score=float(r[4]),
            )
            for r in rows
        ]
