"""Import, step 2: what the store holds that a row may name, read once per import."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.matching import ZoneIndex
from bot.core.reads import CatalogReads, IdTable, RecordLookup
from bot.core.records import (
    Event,
    NamedRef,
    Project,
    RecordKind,
    SectorArea,
    SectorLabel,
)
from bot.core.text import normalise
from bot.core.zone_cache import zone_index


class NoRecords:
    """The record lookup of a catalog that knows no records."""

    def names(self, kind: RecordKind, zone: str, deleted: bool) -> list[tuple[str, str]]:
        return []

    def ids(self, table: IdTable, head: str) -> list[str]:
        return []

    def project(self, record_id: str) -> Project | None:
        return None

    def event(self, record_id: str) -> Event | None:
        return None

    def close(self) -> None:
        return None


class TakenIds:
    """Ids of one table already used (deleted records' too, so none is reused), read from the
    store a zone at a time: a new id is derived from its zone (p-kunshan-3fa9c0d1e2), so only
    the ids under that zone's head (``load``) can collide. Ids an import adds are kept."""

    def __init__(self, table: IdTable, records: RecordLookup) -> None:
        self._table: IdTable = table
        self._records = records
        self._ids: set[str] = set()
        self._heads: set[str] = set()

    def load(self, head: str) -> None:
        if head not in self._heads:
            self._heads.add(head)
            self._ids.update(self._records.ids(self._table, head))

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._ids

    def add(self, record_id: str) -> None:
        self._ids.add(record_id)


@dataclass
class Catalog:
    """What the store holds that a row may name: zones, sectors, companies, sources, records.

    Records are read as rows need them, through ``records`` (close it when the import ends):
    the names of a zone's records when a row first names the zone, a record when a row
    names it."""

    zones: ZoneIndex
    zone_ids: frozenset[str]
    areas: list[SectorArea]
    labels: list[SectorLabel]
    companies: list[NamedRef]
    sources: list[NamedRef]
    taken: dict[IdTable, TakenIds]
    records: RecordLookup = field(default_factory=NoRecords)
    # (kind, zone, deleted) -> {normalised name: id}, filled as rows name zones.
    _names: dict[tuple[RecordKind, str, bool], dict[str, str]] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> Catalog:
        return cls(ZoneIndex(), frozenset(), [], [], [], [], {})

    def named(self, kind: RecordKind, zone: str, folded: str, deleted: bool = False) -> str | None:
        """The id of the zone's live (or deleted) record of that normalised name; of two, the
        later stored."""
        key = (kind, zone, deleted)
        names = self._names.get(key)
        if names is None:
            stored = self.records.names(kind, zone, deleted)
            names = self._names[key] = {normalise(name): rid for rid, name in stored}
        return names.get(folded)

    def record(self, kind: RecordKind, record_id: str) -> Project | Event | None:
        """A live record by id (None when it was deleted meanwhile)."""
        if kind == "project":
            return self.records.project(record_id)
        return self.records.event(record_id)

    def close(self) -> None:
        self.records.close()


async def catalog(store: CatalogReads) -> Catalog:
    """Everything ``build`` needs from the store, read once per import."""
    zone_ids = frozenset(z.id for z in await store.zones())
    records = store.record_lookup()
    return Catalog(
        zones=await zone_index(store),
        zone_ids=zone_ids,
        areas=await store.areas(),
        labels=await store.labels(),
        companies=await store.company_refs(),
        sources=await store.source_refs(),
        taken={table: TakenIds(table, records) for table in ("projects", "events", "companies")},
        records=records,
    )
