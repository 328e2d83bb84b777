"""What the domain reads from the store, as Protocols: ``storage.Store`` satisfies each, and
a test can hand core a small fake of just these methods. Core never imports storage."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Literal, Protocol

from bot.core.directory_rows import DirectoryEntry
from bot.core.records import (
    Event,
    NamedRef,
    Project,
    RecordKind,
    SectorArea,
    SectorLabel,
    Zone,
    ZoneCardReads,
    ZoneCounts,
)


class ZoneReads(Protocol):
    """Zones and sectors: enough to resolve a typed zone or sector name (the zones' records
    and directory types rank the zones a name fits)."""

    async def zones(self) -> list[Zone]: ...

    async def zone_names(self) -> list[tuple[str, str]]: ...

    async def zone_counts(self) -> dict[str, ZoneCounts]: ...

    async def directory_entries(self) -> list[DirectoryEntry]: ...

    async def areas(self) -> list[SectorArea]: ...

    async def labels(self) -> list[SectorLabel]: ...


class FactsReads(ZoneReads, Protocol):
    """The lookups' view of the facts (bot/core/zone_cache.py)."""

    async def facts_version(self) -> int: ...

    async def zone_card_reads(
        self,
        zone_id: str,
        *,
        projects: int,
        events: int,
        sources: Iterable[str],
        only_sources: Iterable[str] | None = None,
    ) -> ZoneCardReads: ...

    async def count_with_labels(self, kind: RecordKind, labels: Sequence[str]) -> int: ...


class RecordReads(ZoneReads, Protocol):
    """Every live record with the names rows may use (imports resolve, exports write)."""

    async def zone(self, zone_id: str) -> Zone | None: ...

    async def live_projects(
        self, zone_id: str | None = None, labels: Sequence[str] | None = None
    ) -> list[Project]: ...

    async def live_events(
        self, zone_id: str | None = None, labels: Sequence[str] | None = None
    ) -> list[Event]: ...

    async def company_refs(self) -> list[NamedRef]: ...

    async def source_refs(self) -> list[NamedRef]: ...

    def record_lookup(self) -> RecordLookup:
        """A synchronous reader for a worker thread; close it when done."""
        ...


IdTable = Literal["projects", "events", "companies"]


class RecordLookup(Protocol):
    """Stored projects and events read from a worker thread (one thread at a time): for an
    import, the names of one zone's records, the ids under a zone's head and a live record by
    id, as its rows need them; for an export, a scope's records a chunk at a time."""

    def names(self, kind: RecordKind, zone: str, deleted: bool) -> list[tuple[str, str]]: ...

    def ids(self, table: IdTable, head: str) -> list[str]: ...

    def project(self, record_id: str) -> Project | None: ...

    def event(self, record_id: str) -> Event | None: ...

    def snapshot(self) -> AbstractContextManager[None]:
        """Every read inside sees the store as it was at the first."""
        ...

    def count_live(
        self, kind: RecordKind, zone_id: str | None, labels: Sequence[str] | None
    ) -> int: ...

    def live_projects(
        self, zone_id: str | None, labels: Sequence[str] | None
    ) -> Iterator[list[Project]]:
        """Live projects (of a zone, with any of the labels), oldest stored first, a chunk at
        a time."""
        ...

    def live_events(
        self, zone_id: str | None, labels: Sequence[str] | None
    ) -> Iterator[list[Event]]: ...

    def close(self) -> None: ...


class CatalogReads(RecordReads, Protocol):
    """What an import reads once to resolve and check its rows (bot/core/importing.py)."""
