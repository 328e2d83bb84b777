"""Choosing what goes into a digest and grouping it: plain functions over plain records.

The tick loads the feed window every due chat needs once, builds a DigestIndex over it, and
asks it for each chat's entries (after that chat's watermark, matching its subscriptions).
Matches are computed once per distinct subscription, so ten thousand chats following the
same few zones cost little more than one.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from bot.core.alerts import covered_labels, keyword_key
from bot.core.records import AlertCandidate, Event, Project, SectorLabel, Subscription
from bot.core.text import normalise
from bot.core.values import Amount

RecordKind = Literal["project", "event"]
NO_SECTOR = ""  # the group of records that carry no sector label


@dataclass(frozen=True)
class Entry:
    """One feed item of the window with the record it points at.

    ``labels`` and ``text`` are what alerts match on (AlertCandidate), so a digest catches
    exactly what instant alerts would have.
    """

    seq: int
    kind: RecordKind
    change: Literal["new", "stage"]
    record: Project | Event
    labels: frozenset[str] = frozenset()
    text: str = ""  # normalised words a keyword subscription is matched against

    @classmethod
    def of(cls, candidate: AlertCandidate, change: str, record: Project | Event) -> Entry:
        kind: RecordKind = "project" if candidate.kind == "project" else "event"
        return cls(
            seq=candidate.seq,
            kind=kind,
            change="stage" if change == "stage" else "new",
            record=record,
            labels=candidate.labels,
            text=normalise(candidate.text),
        )

    @property
    def zone_id(self) -> str:
        return self.record.zone

    @property
    def record_id(self) -> str:
        return self.record.id

    @property
    def sector(self) -> str:
        """The group an entry is listed under: its first (main) sector label."""
        return self.record.sectors[0] if self.record.sectors else NO_SECTOR


@dataclass
class DigestIndex:
    """The feed window, indexed by zone and sector label, with matches cached per subscription.

    What a subscription catches is decided as alerts decide it (bot.core.alerts: the labels a
    sector covers, keyword folding, nothing stored before the subscription); the index only
    makes it cheap to ask for ten thousand chats. Matches are bit sets over the entries
    (Python ints), so a chat's selection is a few ORs and ANDs, and chats that end up with the
    same selection share one rendering.
    """

    entries: Sequence[Entry]
    labels: Sequence[SectorLabel] = ()
    _seqs: list[int] = field(default_factory=list)
    _by_zone: dict[str, int] = field(default_factory=dict)
    _by_label: dict[str, int] = field(default_factory=dict)
    _cache: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._seqs = [e.seq for e in self.entries]
        assert self._seqs == sorted(self._seqs), "entries must be in feed order"
        for index, entry in enumerate(self.entries):
            bit = 1 << index
            self._by_zone[entry.zone_id] = self._by_zone.get(entry.zone_id, 0) | bit
            for label in entry.labels:
                self._by_label[label] = self._by_label.get(label, 0) | bit

    def matches(self, kind: str, value: str) -> int:
        """The entries a subscription of (kind, value) catches, as a bit set (cached)."""
        key = (kind, value)
        found = self._cache.get(key)
        if found is None:
            found = self._match(kind, value)
            self._cache[key] = found
        return found

    def _match(self, kind: str, value: str) -> int:
        if kind == "zone":
            return self._by_zone.get(value, 0)
        bits = 0
        if kind == "sector":
            for label in covered_labels(value, self.labels):
                bits |= self._by_label.get(label, 0)
        elif kind == "keyword":
            needle = keyword_key(value)
            if needle:
                for index, entry in enumerate(self.entries):
                    if needle in entry.text:
                        bits |= 1 << index
        return bits

    def _range(self, after_seq: int, upto_seq: int) -> int:
        low = bisect_right(self._seqs, after_seq)
        high = bisect_right(self._seqs, upto_seq)
        return ((1 << high) - 1) ^ ((1 << low) - 1) if high > low else 0

    def select_bits(self, subs: Iterable[Subscription], after_seq: int, upto_seq: int) -> int:
        """A chat's selection as a bit set: in (after_seq, upto_seq], caught by any of its
        subscriptions, each counting only what was stored after it was made."""
        bits = 0
        for sub in subs:
            bits |= self.matches(sub.kind, sub.value) & self._range(
                max(after_seq, sub.since_seq), upto_seq
            )
        return bits

    def entries_of(self, bits: int) -> list[Entry]:
        """The entries of a selection; a record that appears twice (new, then a stage change)
        is listed once, in its latest state, and still as new."""
        chosen: dict[tuple[str, str], Entry] = {}
        index = 0
        while bits:
            if bits & 1:
                entry = self.entries[index]
                key = (entry.kind, entry.record_id)
                earlier = chosen.get(key)
                if earlier is not None and earlier.change == "new":
                    entry = replace(entry, change="new")
                chosen.pop(key, None)
                chosen[key] = entry
            bits >>= 1
            index += 1
        return list(chosen.values())

    def select(self, subs: Iterable[Subscription], after_seq: int, upto_seq: int) -> list[Entry]:
        """A chat's entries (see select_bits and entries_of)."""
        return self.entries_of(self.select_bits(subs, after_seq, upto_seq))


@dataclass(frozen=True)
class SectorGroup:
    sector: str  # a label, or NO_SECTOR
    projects: tuple[Entry, ...]
    events: tuple[Entry, ...]


@dataclass(frozen=True)
class ZoneGroup:
    zone_id: str
    sectors: tuple[SectorGroup, ...]


@dataclass(frozen=True)
class Headline:
    """The counts a digest opens with."""

    signings: int
    events: int
    # CNY total of the signings that give one. Its qualifier says what the sum is: exact (None),
    # about (约 figures with exact ones), a lower bound (超/多 ones: OVER) or an upper bound
    # (不足 ones: UNDER). When hedges point different ways it is the exact figures' sum only and
    # the hedged figures are ``apart``, listed and not added.
    total: Amount | None
    with_amount: int  # how many signings the total covers
    foreign: int  # signings whose investment is in another currency (not added up)
    apart: tuple[Amount, ...] = ()  # hedged CNY figures left out of the total (hedges disagree)


@dataclass(frozen=True)
class Digest:
    headline: Headline
    groups: tuple[ZoneGroup, ...]

    @property
    def empty(self) -> bool:
        return not self.groups


_WAN = Decimal(10_000)


def headline(entries: Sequence[Entry]) -> Headline:
    """Counts and the total investment: CNY amounts summed exactly; other currencies counted.

    A sum is no more precise than its parts: with 约 figures it is about; with only 超/多
    figures a lower bound, with only 不足 figures an upper bound (hedged as they are). Figures
    hedged in different ways are not added: the total is the exact figures' and they are listed.
    """
    projects = [e.record for e in entries if isinstance(e.record, Project)]
    exact = Decimal(0)
    exact_count = 0
    hedged: list[Amount] = []
    foreign = 0
    for project in projects:
        amount = project.total_investment
        if amount is None:
            continue
        if amount.currency != "CNY":
            foreign += 1
            continue
        if amount.qualifier is None:
            exact += amount.in_base()
            exact_count += 1
        else:
            hedged.append(amount)
    hedges = {a.qualifier for a in hedged}
    apart: tuple[Amount, ...] = ()
    qualifier = next(iter(hedges)) if len(hedges) == 1 else None
    if len(hedges) > 1:
        apart, counted, total = tuple(hedged), exact_count, exact
    else:
        counted, total = exact_count + len(hedged), exact + sum(a.in_base() for a in hedged)
    money = Amount(total / _WAN, "万元", qualifier) if counted else None
    return Headline(
        signings=len(projects),
        events=len(entries) - len(projects),
        total=money,
        with_amount=counted,
        foreign=foreign,
        apart=apart,
    )


def build_digest(entries: Sequence[Entry], zone_order: Mapping[str, int] | None = None) -> Digest:
    """Group by zone (most items first), then sector (most items first, unlabelled last)."""
    by_zone: dict[str, dict[str, list[Entry]]] = {}
    for entry in entries:
        by_zone.setdefault(entry.zone_id, {}).setdefault(entry.sector, []).append(entry)

    def zone_key(item: tuple[str, dict[str, list[Entry]]]) -> tuple[int, int, str]:
        zone_id, sectors = item
        size = sum(len(v) for v in sectors.values())
        return (-size, (zone_order or {}).get(zone_id, 0), zone_id)

    groups: list[ZoneGroup] = []
    for zone_id, sectors in sorted(by_zone.items(), key=zone_key):
        ordered = sorted(sectors.items(), key=lambda kv: (kv[0] == NO_SECTOR, -len(kv[1]), kv[0]))
        groups.append(_zone_group(zone_id, ordered))
    return Digest(headline(entries), tuple(groups))


def _zone_group(zone_id: str, sectors: Iterable[tuple[str, Sequence[Entry]]]) -> ZoneGroup:
    """One zone's entries, sector by sector in the order given, projects apart from events."""
    return ZoneGroup(
        zone_id,
        tuple(
            SectorGroup(
                sector,
                tuple(e for e in items if e.kind == "project"),
                tuple(e for e in items if e.kind == "event"),
            )
            for sector, items in sectors
        ),
    )


def regroup(entries: Sequence[Entry], head: Sequence[Entry] = ()) -> Digest:
    """A stored part of a digest, grouped again in the order it was planned in.

    ``entries`` are in the order the part showed them (zone by zone, sector by sector), so
    consecutive runs make the groups; ``head`` are the entries the headline counts (the
    whole digest for its first part, nothing for a continued part).
    """
    zones: list[tuple[str, list[tuple[str, list[Entry]]]]] = []
    for entry in entries:
        if not zones or zones[-1][0] != entry.zone_id:
            zones.append((entry.zone_id, []))
        sectors = zones[-1][1]
        if not sectors or sectors[-1][0] != entry.sector:
            sectors.append((entry.sector, []))
        sectors[-1][1].append(entry)
    groups = tuple(_zone_group(zone_id, sectors) for zone_id, sectors in zones)
    return Digest(headline(head), groups)


def digest_thread(subs: Sequence[tuple[int | None, int]]) -> int | None:
    """Where a chat's digest goes in a forum: the topic most of its subscriptions use.

    ``subs`` are (thread_id, order) pairs; ties go to the oldest subscription's topic.
    """
    if not subs:
        return None
    counts: dict[int | None, int] = {}
    first: dict[int | None, int] = {}
    for thread_id, order in subs:
        counts[thread_id] = counts.get(thread_id, 0) + 1
        first.setdefault(thread_id, order)
    return min(counts, key=lambda t: (-counts[t], first[t]))
