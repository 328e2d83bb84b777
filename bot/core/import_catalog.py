"""Import, step 2: what the store holds that a row may name, read once per import."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.matching import ZoneIndex
from bot.core.reads import CatalogReads
from bot.core.records import (
    Event,
    NamedRef,
    Project,
    SectorArea,
    SectorLabel,
)
from bot.core.zone_cache import zone_index


@dataclass
class Catalog:
    """What the store holds that a row may name: zones, sectors, companies, sources, records."""

    zones: ZoneIndex
    zone_ids: frozenset[str]
    areas: list[SectorArea]
    labels: list[SectorLabel]
    companies: list[NamedRef]
    sources: list[NamedRef]
    projects: list[Project]
    events: list[Event]
    deleted_projects: list[tuple[str, str, str]]
    deleted_events: list[tuple[str, str, str]]
    taken: dict[str, set[str]]

    @classmethod
    def empty(cls) -> Catalog:
        return cls(ZoneIndex(), frozenset(), [], [], [], [], [], [], [], [], {})


async def catalog(store: CatalogReads) -> Catalog:
    """Everything ``build`` needs from the store, read once per import."""
    zone_ids = frozenset(z.id for z in await store.zones())
    return Catalog(
        zones=await zone_index(store),
        zone_ids=zone_ids,
        areas=await store.areas(),
        labels=await store.labels(),
        companies=await store.company_refs(),
        sources=await store.source_refs(),
        projects=await store.live_projects(),
        events=await store.live_events(),
        deleted_projects=await store.deleted_names("project"),
        deleted_events=await store.deleted_names("event"),
        taken={
            "projects": await store.taken_ids("projects"),
            "events": await store.taken_ids("events"),
            "companies": await store.taken_ids("companies"),
        },
    )
