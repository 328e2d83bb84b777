"""The facts every lookup needs at hand (zone names, zones, sectors), kept while unchanged.

Rebuilt only when the store's facts version moves: one indexed MAX() per lookup instead of
reading every zone's names each time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.matching import ZoneIndex
from bot.core.reads import FactsReads
from bot.core.records import SectorArea, SectorLabel, Zone, ZoneCounts


@dataclass
class FactsView:
    version: int
    index: ZoneIndex
    zones: dict[str, Zone]
    areas: dict[str, SectorArea]
    labels: dict[str, SectorLabel]
    _counts: dict[str, ZoneCounts] | None = field(default=None, repr=False)
    _sector_counts: dict[tuple[str, ...], tuple[int, int]] = field(default_factory=dict, repr=False)

    @property
    def area_list(self) -> list[SectorArea]:
        return list(self.areas.values())

    @property
    def label_list(self) -> list[SectorLabel]:
        return list(self.labels.values())

    def exact_zone(self, query: str) -> set[str]:
        """Zones whose own name (not a prefix or near miss) the query is."""
        from bot.core.text import normalise, pinyin

        text = normalise(query[:200])
        if not text:
            return set()
        return set(self.index.names.get(text) or self.index.names.get(pinyin(text)) or ())

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


async def facts_view(store: FactsReads, view: FactsView | None) -> FactsView:
    """``view`` if the facts are unchanged since it was built, else a new one."""
    version = await store.facts_version()
    if view is not None and view.version == version:
        return view
    zones = {z.id: z for z in await store.zones()}
    view = FactsView(
        version=version,
        index=ZoneIndex.build(await store.zone_names()),
        zones=zones,
        areas={a.id: a for a in await store.areas()},
        labels={lb.label: lb for lb in await store.labels()},
    )
    return view
