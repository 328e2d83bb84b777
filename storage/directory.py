"""Loading the zone directory into the store, and the store's answers about it.

Each row is a zone (created when the store has none with that id, or joined to the zone the
seed facts already hold). Loading writes no feed items, so it sends no alerts and puts nothing
in digests.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.directory_rows import (
    DIRECTORY_SOURCE_IDS,
    DIRECTORY_SOURCES,
    NAMES_VERSION,
    ZONE_TYPES,
    DirectoryEntry,
    load_shipped_directory,
)
from storage.base import StoreBase, iso


def _entry_body(entry: DirectoryEntry) -> str:
    return entry.model_dump_json(exclude_none=True)


@dataclass
class DirectoryReport:
    """What loading the directory did: zones created, rows added, rows corrected."""

    zones_created: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)  # rows joined to a zone the store held


class DirectoryQueries(StoreBase):
    """Loading the directory, and the questions the directory answers."""

    async def load_directory(
        self,
        entries: Sequence[DirectoryEntry] | None = None,
        via: str = "directory",
        actor_id: int | None = None,
    ) -> DirectoryReport | None:
        """Apply the directory (the shipped one by default) in one transaction.

        Idempotent: the shipped file is applied again only when it changed. A row whose id
        the store holds from other facts (the seed's 昆山高新区) joins that zone: its zone
        record keeps the page facts, the directory row sits beside it. Zone records made
        from the directory are corrected when a later file corrects the row.
        """
        from storage.fact_queries import ApplyReport, _Writer

        shipped = entries is None
        rows = load_shipped_directory() if entries is None else tuple(entries)
        parts = [NAMES_VERSION, *(s.model_dump_json() for s in DIRECTORY_SOURCES)]
        parts += [_entry_body(e) for e in rows]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        if shipped and await self.scalar("SELECT value FROM meta WHERE key = 'directory'") == (
            digest
        ):
            return None
        existing = {
            str(r[0]): json.loads(r[1])["source"]
            for r in await self.fetchall("SELECT id, body FROM zones")
        }
        deleted = {
            str(r[0])
            for r in await self.fetchall("SELECT id FROM zones WHERE deleted_at IS NOT NULL")
        }
        held = {
            str(r[0]): str(r[1]) for r in await self.fetchall("SELECT zone_id, body FROM directory")
        }
        report = DirectoryReport()
        now = iso(self.now())
        async with self.transaction() as db:
            writer = _Writer(db, now, via, actor_id, ApplyReport())
            for listed in DIRECTORY_SOURCES:
                await writer.simple("sources", listed.id, listed)
            live = [e for e in rows if e.zone_id not in deleted]
            # A zone an admin deleted stays deleted; its id is never reused.
            fresh = [e for e in live if e.zone_id not in existing]
            report.zones_created = [e.zone_id for e in fresh]
            await writer.new_zones([e.zone() for e in fresh])
            for entry in live:
                source = existing.get(entry.zone_id)
                if source is None:
                    continue
                if source in DIRECTORY_SOURCE_IDS:
                    await writer.zone(entry.zone())  # corrected when the row changed
                else:
                    report.joined.append(entry.zone_id)
            # The names are rewritten on every load: how names are formed may change with
            # the bot even when the rows do not.
            await db.executemany(
                "DELETE FROM directory_names WHERE zone_id = ?", [(e.zone_id,) for e in live]
            )
            await db.executemany(
                "INSERT OR IGNORE INTO directory_names(name, zone_id) VALUES (?, ?)",
                [(name, e.zone_id) for e in live for name in sorted(e.names())],
            )
            changed = [
                (e, held.get(e.zone_id)) for e in live if held.get(e.zone_id) != _entry_body(e)
            ]
            for entry, before in changed:
                (report.added if before is None else report.corrected).append(entry.zone_id)
            await db.executemany(
                "INSERT INTO directory(zone_id, row, province, city, county_city, types, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(zone_id) DO UPDATE SET "
                "row = excluded.row, province = excluded.province, city = excluded.city, "
                "county_city = excluded.county_city, types = excluded.types, "
                "body = excluded.body",
                [
                    (
                        e.zone_id,
                        e.row,
                        e.province,
                        e.city,
                        e.county_city,
                        "|".join(e.types),
                        _entry_body(e),
                    )
                    for e, _ in changed
                ],
            )
            await db.executemany(
                "INSERT INTO audit(at, actor_id, via, kind, record_id, action, before, after) "
                "VALUES (?, ?, ?, 'directory', ?, ?, ?, ?)",
                [
                    (
                        now,
                        actor_id,
                        via,
                        e.zone_id,
                        "new" if b is None else "update",
                        b,
                        _entry_body(e),
                    )
                    for e, b in changed
                ],
            )
            if shipped:
                await db.execute(
                    "INSERT INTO meta(key, value) VALUES ('directory', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (digest,),
                )
        return report

    async def directory_entries(self) -> list[DirectoryEntry]:
        """Every directory row of a live zone, in the order of the file."""
        rows = await self.fetchall(
            "SELECT d.body FROM directory d JOIN zones z ON z.id = d.zone_id "
            "WHERE z.deleted_at IS NULL ORDER BY d.row"
        )
        return [DirectoryEntry.model_validate_json(r[0]) for r in rows]

    async def directory_entry(self, zone_id: str) -> DirectoryEntry | None:
        row = await self.fetchone("SELECT body FROM directory WHERE zone_id = ?", (zone_id,))
        return DirectoryEntry.model_validate_json(row[0]) if row else None

    async def directory_type_counts(
        self, province: str | None = None, city: str | None = None
    ) -> dict[str, int]:
        """Live directory zones of each type (a zone of both types counts in each), and all."""
        where, params = _where(province, city, None)
        rows = await self.fetchall(
            f"SELECT d.types FROM directory d JOIN zones z ON z.id = d.zone_id WHERE {where}",
            params,
        )
        counts: dict[str, int] = {t: 0 for t in ZONE_TYPES}
        for row in rows:
            for zone_type in str(row[0]).split("|"):
                counts[zone_type] = counts.get(zone_type, 0) + 1
        counts["all"] = len(rows)
        return counts

    async def directory_zone_ids(
        self, province: str | None = None, city: str | None = None, zone_type: str | None = None
    ) -> list[str]:
        """Ids of the live directory zones in a province or city, of a type, in file order."""
        where, params = _where(province, city, zone_type)
        rows = await self.fetchall(
            f"SELECT d.zone_id FROM directory d JOIN zones z ON z.id = d.zone_id WHERE {where} "
            "ORDER BY d.row",
            params,
        )
        return [str(r[0]) for r in rows]


def _where(
    province: str | None, city: str | None, zone_type: str | None
) -> tuple[str, tuple[object, ...]]:
    """The WHERE clause (and its parameters) of a directory question."""
    where = ["z.deleted_at IS NULL"]
    params: list[object] = []
    if province:
        where.append("d.province = ?")
        params.append(province)
    if city:
        where.append("(d.city = ? OR d.county_city = ?)")
        params += [city, city]
    if zone_type:
        where.append("('|' || d.types || '|') LIKE ?")
        params.append(f"%|{zone_type}|%")
    return " AND ".join(where), tuple(params)
