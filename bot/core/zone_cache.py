"""The facts every lookup needs at hand (zone names, zones, sectors), kept while unchanged.

Rebuilt only when the store's facts version moves: one indexed MAX() per lookup instead of
reading every zone's names each time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.directory import Places
from bot.core.directory_rows import DirectoryEntry
from bot.core.matching import ZoneIndex
from bot.core.reads import FactsReads, ZoneReads
from bot.core.records import SectorArea, SectorLabel, Zone, ZoneCardReads, ZoneCounts

CARDS_KEPT = 256  # zone cards' reads kept per facts version (the most recently shown)
CardKey = tuple[str, int, int, tuple[str, ...], tuple[str, ...] | None]


@dataclass
class FactsView:
    version: int
    index: ZoneIndex
    zones: dict[str, Zone]
    areas: dict[str, SectorArea]
    labels: dict[str, SectorLabel]
    directory: dict[str, DirectoryEntry] = field(default_factory=dict)
    places: Places = field(default_factory=Places)
    _counts: dict[str, ZoneCounts] | None = field(default=None, repr=False)
    _sector_counts: dict[tuple[str, ...], tuple[int, int]] = field(default_factory=dict, repr=False)
    _cards: OrderedDict[CardKey, ZoneCardReads] = field(default_factory=OrderedDict, repr=False)

    @property
    def area_list(self) -> list[SectorArea]:
        return list(self.areas.values())

    @property
    def label_list(self) -> list[SectorLabel]:
        return list(self.labels.values())

    def exact_zone(self, query: str) -> set[str]:
        """Zones whose own name (not a prefix or near miss) the query is."""
        return self.index.exact(query)

    async def counts(self, store: FactsReads) -> dict[str, ZoneCounts]:
        """Projects and events per zone, counted once per facts version."""
        if self._counts is None:
            self._counts = await store.zone_counts()
        return self._counts

    async def sector_counts(self, store: FactsReads, labels: list[str]) -> tuple[int, int]:
        """(projects, events) carrying any of the labels, counted once per facts version."""
        key = tuple(sorted(labels))
        if key not in self._sector_counts:
            self._sector_counts[key] = (
                await store.count_with_labels("project", key),
                await store.count_with_labels("event", key),
            )
        return self._sector_counts[key]

    async def card_reads(
        self,
        store: FactsReads,
        zone_id: str,
        *,
        projects: int,
        events: int,
        sources: Sequence[str],
        only_sources: Sequence[str] | None,
    ) -> ZoneCardReads:
        """A zone card's reads, kept for this facts version (any fact written makes a new
        view, so a card never shows a record older than the last write). The reads hold
        no language or role: every reader's card is rendered from them afresh."""
        key: CardKey = (
            zone_id,
            projects,
            events,
            tuple(sources),
            None if only_sources is None else tuple(only_sources),
        )
        found = self._cards.get(key)
        if found is not None:
            self._cards.move_to_end(key)
            return found
        found = await store.zone_card_reads(
            zone_id, projects=projects, events=events, sources=sources, only_sources=only_sources
        )
        self._cards[key] = found
        if len(self._cards) > CARDS_KEPT:
            self._cards.popitem(last=False)
        return found


async def zone_index(store: ZoneReads) -> ZoneIndex:
    """Every zone name, with each zone's records and types: the index every lookup and every
    import resolves zone names with (so 昆山 is 昆山高新区, the one with records, everywhere)."""
    counts = await store.zone_counts()
    return ZoneIndex.build(
        await store.zone_names(),
        weights={z: c.projects + c.events for z, c in counts.items()},
        types={e.zone_id: e.types for e in await store.directory_entries()},
    )


async def facts_view(store: FactsReads, view: FactsView | None) -> FactsView:
    """``view`` if the facts are unchanged since it was built, else a new one."""
    version = await store.facts_version()
    if view is not None and view.version == version:
        return view
    zones = {z.id: z for z in await store.zones()}
    counts = await store.zone_counts()
    directory = {e.zone_id: e for e in await store.directory_entries()}
    view = FactsView(
        version=version,
        index=ZoneIndex.build(
            await store.zone_names(),
            weights={z: c.projects + c.events for z, c in counts.items()},
            types={z: e.types for z, e in directory.items()},
        ),
        zones=zones,
        areas={a.id: a for a in await store.areas()},
        labels={lb.label: lb for lb in await store.labels()},
        directory=directory,
        places=Places.build(directory.values()),
        _counts=counts,
    )
    return view
