"""Matching what staff type to zones and sectors: exact names, pinyin, prefixes, near misses.

Plain functions over plain records, no bot and no database: the caller builds a ZoneIndex
from ``store.zone_names()`` and the sector lists, and keeps it while the facts are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from bot.core.records import SectorArea, SectorLabel
from bot.core.text import normalise, pinyin

MatchKind = Literal["found", "ambiguous", "none", "empty"]
MAX_QUERY = 100  # characters of a name worth matching; longer input is not a name


@dataclass(frozen=True)
class ZoneMatch:
    """``found``: one zone; ``ambiguous``: choices; ``none``: suggestions; ``empty``: no query."""

    kind: MatchKind
    zone_ids: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()

    @property
    def zone_id(self) -> str:
        assert self.kind == "found"
        return self.zone_ids[0]


@dataclass
class ZoneIndex:
    """Every normalised name each zone answers to."""

    names: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, str]]) -> ZoneIndex:
        index = cls()
        for name, zone_id in pairs:
            index.names.setdefault(name, set()).add(zone_id)
        return index

    def resolve(self, query: str) -> ZoneMatch:
        text = normalise(query[: MAX_QUERY * 2])
        if not text:
            return ZoneMatch("empty")
        if len(text) > MAX_QUERY:
            return ZoneMatch("none")
        exact = self.names.get(text) or self.names.get(pinyin(text))
        if exact:
            return _found_or_choices(exact)
        # Prefixes: "kun" finds kunshan; one letter is too little to mean anything.
        if len(text) >= 2:
            prefixed = {z for name, ids in self.names.items() if name.startswith(text) for z in ids}
            if prefixed:
                return _found_or_choices(prefixed)
        # Near misses: rank by similarity; accept the best only when it stands clear.
        scored = process.extract(text, list(self.names), scorer=fuzz.ratio, limit=12)
        best: dict[str, float] = {}
        for name, score, _ in scored:
            for zone_id in self.names[name]:
                best[zone_id] = max(best.get(zone_id, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        if ranked and ranked[0][1] >= 80 and len(text) >= 3:
            close = [z for z, s in ranked if s >= ranked[0][1] - 3]
            return _found_or_choices(set(close))
        return ZoneMatch("none", suggestions=tuple(z for z, s in ranked[:3] if s >= 40))


def _found_or_choices(zone_ids: set[str]) -> ZoneMatch:
    ordered = tuple(sorted(zone_ids))
    return ZoneMatch("found" if len(ordered) == 1 else "ambiguous", ordered)


@dataclass(frozen=True)
class SectorMatch:
    """A sector query resolved: the national area (if any) and every label it covers.

    A local label finds its national area and the area finds all its labels, so 新能源 finds
    a 固态电池 project and 装备制造 finds 建筑起重机械.
    """

    kind: MatchKind
    area: str | None = None
    label: str | None = None
    labels: frozenset[str] = frozenset()
    suggestions: tuple[str, ...] = ()


def sector_labels(area: str | None, label: str | None, labels: Sequence[SectorLabel]) -> set[str]:
    """Every label a subscription or lookup of (area, label) covers."""
    covered = {label} if label else set()
    target = area
    if target is None and label is not None:
        target = next((lb.area for lb in labels if lb.label == label), None)
    if target is not None:
        covered |= {lb.label for lb in labels if lb.area == target}
    return covered


def resolve_sector(
    query: str, areas: Sequence[SectorArea], labels: Sequence[SectorLabel]
) -> SectorMatch:
    text = normalise(query[: MAX_QUERY * 2])
    if not text:
        return SectorMatch("empty")
    if len(text) > MAX_QUERY:
        return SectorMatch("none")
    area_names: dict[str, str] = {}
    for area in areas:
        for name in (area.id, area.name_zh, area.name_zh.removesuffix("产业"), area.name_en):
            area_names[normalise(name)] = area.id
    label_names: dict[str, str] = {}
    for lb in labels:
        for name in (lb.label, lb.name_en or "", pinyin(lb.label)):
            if name:
                label_names[normalise(name)] = lb.label
    candidates = {
        **{k: ("area", v) for k, v in area_names.items()},
        **{k: ("label", v) for k, v in label_names.items()},
    }

    def match(kind: str, value: str) -> SectorMatch:
        if kind == "label":
            area_id = next((lb.area for lb in labels if lb.label == value), None)
            return SectorMatch(
                "found", area_id, value, frozenset(sector_labels(None, value, labels))
            )
        return SectorMatch("found", value, None, frozenset(sector_labels(value, None, labels)))

    def display(kind: str, value: str) -> str:
        return value if kind == "label" else next(a.name_zh for a in areas if a.id == value)

    if text in candidates:
        return match(*candidates[text])
    prefixed = sorted({v for k, v in candidates.items() if len(text) >= 2 and k.startswith(text)})
    if len(prefixed) == 1:
        return match(*prefixed[0])
    if prefixed:
        return SectorMatch("ambiguous", suggestions=tuple(display(*p) for p in prefixed[:6]))
    scored = process.extract(text, list(candidates), scorer=fuzz.ratio, limit=5)
    if scored and scored[0][1] >= 80 and len(text) >= 3:
        return match(*candidates[scored[0][0]])
    shown: list[str] = []
    for name, score, _ in scored:
        shown_name = display(*candidates[name])
        if score >= 40 and shown_name not in shown:
            shown.append(shown_name)
    return SectorMatch("none", suggestions=tuple(shown[:3]))
