"""Matching what staff type to zones and sectors: exact names, pinyin, prefixes, near misses.

Plain functions over plain records, no bot and no database: the caller builds a ZoneIndex
from ``store.zone_names()`` and the sector lists, and keeps it while the facts are unchanged.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add
from typing import Literal

from rapidfuzz import fuzz, process

from bot.core.homophones import could_read_as_name
from bot.core.records import SectorArea, SectorLabel
from bot.core.text import has_han, normalise, pinyin
from bot.core.traditional import simplified

MatchKind = Literal["found", "ambiguous", "none", "empty"]
MAX_QUERY = 100  # characters of a name worth matching; longer input is not a name
SUGGEST_MIN = 65  # similarity (0-100) a name needs to be offered as "did you mean"


@dataclass(frozen=True)
class ZoneMatch:
    """``found``: one zone; ``ambiguous``: choices; ``none``: suggestions; ``empty``: no query.

    ``others``: with ``found``, the other zones the name also fits (昆山 is a high-tech zone
    and an ETDZ): the one with records is shown, the others are offered beside it.
    """

    kind: MatchKind
    zone_ids: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    others: tuple[str, ...] = ()

    @property
    def zone_id(self) -> str:
        assert self.kind == "found"
        return self.zone_ids[0]


# Words in a query that name a zone's type (昆山经开区, kunshan hitech): a near miss of
# another type is not that zone.
_TYPE_HINTS: dict[str, tuple[str, ...]] = {
    "hitech": ("高新", "hitech", "hightech", "gaoxin"),
    "etdz": ("经开", "经济技术", "etdz", "jingkai"),
}


def query_type(text: str) -> str | None:
    """The zone type a normalised query names, if it names exactly one."""
    named = [t for t, hints in _TYPE_HINTS.items() if any(h in text for h in hints)]
    return named[0] if len(named) == 1 else None


def _place_part(text: str) -> str:
    """What comes before the first type word: 海口经开区 -> 海口, kunshan hitech -> kunshan."""
    found = [text.find(h) for hints in _TYPE_HINTS.values() for h in hints if h in text]
    return text[: min(found)] if found else ""


_NOT_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def mixed_pinyin(text: str) -> str:
    """Han characters as pinyin, everything else kept: kunshan高新区 -> kunshangaoxinqu."""
    if not has_han(text):
        return text.lower()
    # Loaded on first use (it costs start-up time), without copies of its dictionaries.
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.NORMAL, errors="default")).lower()


def _all_han(text: str) -> bool:
    """Whether every character of ``text`` is Han (the empty text is)."""
    return not _NOT_HAN.search(text)


def fold(query: str) -> str:
    """A query folded for matching: traditional characters made simplified, then normalised."""
    return normalise(simplified(query[: MAX_QUERY * 2]))


# A point under SUGGEST_MIN: the bounds below hold with room for the scorer's rounding.
_LEAST = SUGGEST_MIN - 1
# When many names could be offered, those that could score this much are scored first: once
# 12 names score at least a floor, the names that cannot reach it need no scoring (each scores
# at least 1/200 under the whole-number floor, far beyond the scorer's rounding, so none ties).
# The last floor is every name that could be offered.
_FLOORS = (85, 75, 68, _LEAST)
_SCORE_AT_ONCE = 100  # fewer possible names than this are scored in one go


def _length_bounds(size: int) -> tuple[int, int]:
    """The shortest and longest name that can reach SUGGEST_MIN against a query of ``size``."""
    return -(-_LEAST * size // (200 - _LEAST)), (200 - _LEAST) * size // _LEAST


def _needed(size: int, length: int, floor: int) -> int:
    """Characters a name of ``length`` must share with a query of ``size`` (counted with their
    repeats) to score ``floor`` or more: fuzz.ratio is 200 * LCS / (size + length), and the
    longest common subsequence is at most the characters both hold."""
    return -(-floor * (size + length) // 200)


def _bits(row: bytearray) -> int:
    """A row of bits, one per name, as an integer: the first name is the lowest bit."""
    return int.from_bytes(row, "little")


@dataclass(frozen=True)
class _Window:
    """The names of one script whose length can reach SUGGEST_MIN against a query of one
    length, and per floor what each needs: ``needs[f][i]`` is bit i of the count of shared
    characters each name needs to reach floor f (``_FLOORS``), ``spares[f][i]`` its
    complement (no negative integers: they cost three times as much), ``possible[f]`` the
    names whose need the query's length can meet at all."""

    names: int
    count: int
    needs: tuple[tuple[int, ...], ...]
    spares: tuple[tuple[int, ...], ...]
    possible: tuple[int, ...]


@dataclass
class _CharFilter:
    """Which names hold enough of a query's characters to score a floor, as bit sets.

    Bit i stands for the i-th name in name order. ``holding[c][k - 1]`` has the bit of every
    name holding ``c`` at least k times; the query's characters add those sets up
    bit-sliced (one integer per bit of the count), and each name's count is compared,
    bit-sliced too, with what its length needs. Python integers do that a few hundred names
    per operation; about 1 MB at 18,000 names, and up to ``WINDOWS_KEPT`` windows.
    """

    order: list[str]
    backward: list[str]  # the names, last first
    lengths: list[int]  # lengths[n]: the names n long
    holding: dict[str, list[int]]
    scripts: tuple[int, int, int]  # names holding a non-Han character, a Han one; all
    _windows: dict[tuple[int, int], _Window] = field(default_factory=dict, repr=False)

    # Scoring a short window whole costs less than filtering it (a name is scored in about
    # 35 ns; filtering costs about 1.5 us per query character).
    SCORE_WHOLE = 40
    WINDOWS_KEPT = 32  # windows (query length, script) kept: about 80 kB each

    @classmethod
    def build(cls, names: Sequence[str]) -> _CharFilter:
        """``names`` in name order."""
        # One row of bits per character and repeat, a name a bit: cheaper to fill than
        # integers to grow, and read as integers once (the first name is the lowest bit).
        blank = bytes(len(names) // 8 + 1)
        rows: dict[str, list[bytearray]] = {}
        lengths = [bytearray(blank) for _ in range(max(map(len, names), default=0) + 1)]
        latin, han = bytearray(blank), bytearray(blank)
        for position, name in enumerate(names):
            byte, bit = position >> 3, 1 << (position & 7)
            for char in name:
                levels = rows.get(char)
                if levels is None:
                    levels = rows[char] = []
                for level in levels:
                    if not level[byte] & bit:  # the first repeat this name lacks
                        level[byte] |= bit
                        break
                else:
                    levels.append(bytearray(blank))
                    levels[-1][byte] = bit
            lengths[len(name)][byte] |= bit
            if not _all_han(name):
                latin[byte] |= bit
            if has_han(name):
                han[byte] |= bit
        return cls(
            list(names),
            list(reversed(names)),
            [_bits(row) for row in lengths],
            {char: [_bits(level) for level in levels] for char, levels in rows.items()},
            (_bits(latin), _bits(han), (1 << len(names)) - 1),
        )

    def _window(self, size: int, group: int) -> _Window:
        key = (size, group)
        found = self._windows.get(key)
        if found is None:
            shortest, longest = _length_bounds(size)
            runs = [
                (length, self.lengths[length] & self.scripts[group])
                for length in range(shortest, min(longest + 1, len(self.lengths)))
            ]
            names = 0
            for _, run in runs:
                names |= run
            width = size.bit_length()
            needs: list[tuple[int, ...]] = []
            possible: list[int] = []
            for floor in _FLOORS:
                sliced, reachable = [0] * width, 0
                for length, run in runs:
                    need = _needed(size, length, floor)
                    if run and need <= size:
                        reachable |= run
                        for i in range(width):
                            if need >> i & 1:
                                sliced[i] |= run
                needs.append(tuple(sliced))
                possible.append(reachable)
            spares = tuple(tuple(names ^ need for need in sliced) for sliced in needs)
            found = _Window(names, names.bit_count(), tuple(needs), spares, tuple(possible))
            if len(self._windows) >= self.WINDOWS_KEPT:
                # Start afresh rather than track use: one step, safe for a thread reading
                # the same index (drafting resolves zones in a worker thread).
                self._windows.clear()
            self._windows[key] = found
        return found

    def best(self, text: str, group: int) -> list[tuple[str, float]] | None:
        """The 12 names of ``group`` (0: holding a non-Han character, 1: a Han one, 2: all)
        most like ``text``, as ``ZoneIndex.near_misses``; None when scoring the whole window
        of lengths costs less than filtering it.

        The names that could reach a higher floor are scored first, so that once 12 names
        score at least a floor the rest need no scoring."""
        window = self._window(len(text), group)
        if window.count < self.SCORE_WHOLE * len(text):
            return None
        # counts[i]: bit i of each name's count of characters it shares with the query.
        counts = [0] * len(text).bit_length()
        for char, wanted in Counter(text).items():
            for held in self.holding.get(char, ())[:wanted]:
                carry = held & window.names
                for i, bit in enumerate(counts):
                    if not carry:
                        break
                    counts[i], carry = bit ^ carry, bit & carry
        last = len(_FLOORS) - 1
        every = _reaching(counts, window, last)
        if every.bit_count() <= _SCORE_AT_ONCE:
            return _scored(text, self._names(every))
        found: list[tuple[str, float]] = []
        given = waiting = 0
        for f, floor in enumerate(_FLOORS):
            kept = every if f == last else _reaching(counts, window, f)
            waiting |= kept ^ given  # a higher floor's names reach this one too
            given = kept
            if f < last and len(found) + waiting.bit_count() < 12:
                continue  # too few to stop after: scored with the next floor's
            # Listing a name costs about twice scoring it: past half the window, scoring the
            # window whole is cheaper.
            if waiting.bit_count() * 2 > window.count:
                return None
            # Best first, equal scores in name order, as one extract over all would.
            found += _scored(text, self._names(waiting))
            found.sort(key=lambda hit: (-hit[1], hit[0]))
            del found[12:]
            waiting = 0
            if len(found) == 12 and found[-1][1] >= floor:
                break  # every name left scores under the floor
        return found

    def _names(self, kept: int) -> list[str]:
        """The names whose bits are set in ``kept``, in name order."""
        if not kept:
            return []
        low = (kept & -kept).bit_length() - 1
        bits = format(kept >> low, "b")  # the last name's bit first
        gaps = bits.split("1")
        gaps.pop()
        # Where each "1" of ``bits`` is in ``backward`` (the names last first), all in C:
        # past the names above ``bits``, each gap and its "1".
        at = accumulate(
            map(add, map(len, gaps), repeat(1)), initial=len(self.order) - low - len(bits) - 1
        )
        next(at)
        found = list(map(self.backward.__getitem__, at))
        found.reverse()
        return found


def _scored(text: str, names: list[str]) -> list[tuple[str, float]]:
    """The 12 of ``names`` most like ``text``, at least SUGGEST_MIN, best first, equal scores
    in the order of ``names``."""
    scored = process.extract(text, names, scorer=fuzz.ratio, limit=12, score_cutoff=SUGGEST_MIN)
    return [(name, float(score)) for name, score, _ in scored]


def _reaching(counts: list[int], window: _Window, floor: int) -> int:
    """The names whose count is at least what they need to reach ``_FLOORS[floor]``, both
    bit-sliced: from the top bit down, the names above their need already, and those equal
    to it so far."""
    needs, spares = window.needs[floor], window.spares[floor]
    above, equal = 0, window.possible[floor]
    for i in range(len(counts) - 1, -1, -1):
        have = counts[i]
        above |= equal & have & spares[i]
        equal ^= equal & (have ^ needs[i])
    return above | equal


@dataclass
class ZoneIndex:
    """Every normalised name each zone answers to.

    ``weights``: records held per zone (projects and events): where a name fits several zones,
    the one with records is the answer and the others are offered. ``types``: each zone's
    types (hitech, etdz) from the directory, so a query naming a type is not matched by a
    near miss of another type.
    """

    names: dict[str, set[str]] = field(default_factory=dict)
    weights: dict[str, int] = field(default_factory=dict)
    types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _sorted: list[str] | None = field(default=None, repr=False)
    _by_script: tuple[list[str], list[str]] | None = field(default=None, repr=False)
    _by_length: dict[tuple[int, int], list[str]] = field(default_factory=dict, repr=False)
    _filter: _CharFilter | None = field(default=None, repr=False)

    @property
    def sorted_names(self) -> list[str]:
        """Every name in order, built once: prefixes by bisection, near misses over a list."""
        if self._sorted is None or len(self._sorted) != len(self.names):
            self._sorted = sorted(self.names)
            self._by_script = None
            self._by_length.clear()
            self._filter = None
        return self._sorted

    def near_miss_candidates(self, text: str) -> list[str]:
        """The names, in order, that share a character with ``text`` (any other scores 0): for
        a query without Han characters, the names holding some other character; for a Han
        query, the names holding a Han character; for a mixed one, all."""
        names = self.sorted_names
        if self._by_script is None:
            self._by_script = (
                [n for n in names if not _all_han(n)],
                [n for n in names if has_han(n)],
            )
        if not has_han(text):
            return self._by_script[0]
        if _all_han(text):
            return self._by_script[1]
        return names

    def near_misses(self, text: str) -> list[tuple[str, float]]:
        """The 12 names most like ``text`` (fuzz.ratio, at least SUGGEST_MIN), best first,
        equal scores in name order: what rapidfuzz's extract over every candidate gives.

        Only names that could reach SUGGEST_MIN are scored: those whose length can (fuzz.ratio
        is at most 200 * shorter / both lengths) and that hold enough of the query's
        characters (it is at most 200 * common characters / both lengths), as ``_CharFilter``
        finds them. A short window of lengths is scored whole.
        """
        group = 0 if not has_han(text) else 1 if _all_han(text) else 2
        found = self.prepare_near_misses().best(text, group)
        if found is None:
            return _scored(text, self._length_window(text))
        return found

    def prepare_near_misses(self) -> _CharFilter:
        """The character filter of the names, built on first use (40-80 ms and about 2 MB at
        18,000 names): whoever prepares answers for a new index may build it beforehand."""
        names = self.sorted_names
        # One read of the field: another thread's sorted_names may reset it meanwhile.
        built = self._filter
        if built is None:
            built = self._filter = _CharFilter.build(names)
        return built

    def _length_window(self, text: str) -> list[str]:
        """The candidates, in name order, whose length can reach SUGGEST_MIN against
        ``text``'s: the same for every query of one length, kept per length."""
        candidates = self.near_miss_candidates(text)
        size = len(text)
        key = (id(candidates), size)
        window = self._by_length.get(key)
        if window is None:
            shortest, longest = _length_bounds(size)
            window = [n for n in candidates if shortest <= len(n) <= longest]
            self._by_length[key] = window
        return window

    def with_prefix(self, text: str) -> set[str]:
        """Zones with a name that starts with ``text``."""
        keys = self.sorted_names
        found: set[str] = set()
        for position in range(bisect_left(keys, text), len(keys)):
            if not keys[position].startswith(text):
                break
            found |= self.names[keys[position]]
        return found

    @classmethod
    def build(
        cls,
        pairs: Iterable[tuple[str, str]],
        weights: dict[str, int] | None = None,
        types: dict[str, tuple[str, ...]] | None = None,
    ) -> ZoneIndex:
        index = cls(weights=dict(weights or {}), types=dict(types or {}))
        for name, zone_id in pairs:
            index.names.setdefault(name, set()).add(zone_id)
        return index

    def exact(self, query: str) -> set[str]:
        """Zones whose own name (in any script: 崑山, kunshan高新区) the query is."""
        text = fold(query)
        if not text:
            return set()
        found = self.names.get(text)
        if found:
            return set(found)
        # Read as pinyin (昆善 sounds as 昆山) only when some reading could be a name: most
        # Han text cannot, and is told so without loading pypinyin's dictionaries.
        han = has_han(text)
        for read, keep_other in ((pinyin, False), (mixed_pinyin, True)):
            if han and not could_read_as_name(text, self.sorted_names, keep_other=keep_other):
                continue
            found = self.names.get(read(text))
            if found:
                return set(found)
        return set()

    def resolve(self, query: str) -> ZoneMatch:
        text = fold(query)
        if not text:
            return ZoneMatch("empty")
        if len(text) > MAX_QUERY:
            return ZoneMatch("none")
        exact = self.exact(text)
        if exact:
            return self._found_or_choices(exact)
        wanted = query_type(mixed_pinyin(text))
        if wanted is not None:
            # 海口经开区: the place is known (海口) but has no zone of that type: say so and
            # offer the place's zones, never a near miss elsewhere (海安经开区).
            at_place = self.exact(_place_part(text))
            if at_place:
                fitting = {z for z in at_place if wanted in self.types.get(z, (wanted,))}
                if fitting:
                    return self._found_or_choices(fitting)
                return ZoneMatch("none", suggestions=self._ranked(at_place)[:3])
        # Prefixes: "kun" finds kunshan; one letter is too little to mean anything.
        if len(text) >= 2:
            prefixed = self.with_prefix(text)
            if prefixed:
                return self._typed(prefixed, wanted)
        # Near misses: rank by similarity; accept the best only when it stands clear.
        # Below SUGGEST_MIN a name is neither accepted nor suggested.
        best: dict[str, float] = {}
        for name, score in self.near_misses(text):
            for zone_id in self.names[name]:
                best[zone_id] = max(best.get(zone_id, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        if ranked and ranked[0][1] >= 80 and len(text) >= 3:
            close = [z for z, s in ranked if s >= ranked[0][1] - 3]
            return self._typed(set(close), wanted)
        # Suggestions only when genuinely close (typos score 75 and more; junk such as
        # "<b>x</b>" or "'; drop table" scores 40-55 against some name and means nothing).
        return ZoneMatch("none", suggestions=tuple(z for z, _ in ranked[:3]))

    def _typed(self, zone_ids: set[str], wanted: str | None) -> ZoneMatch:
        """Prefix and near-miss matches; a type the query names must be the zone's type."""
        if wanted is not None:
            fitting = {z for z in zone_ids if wanted in self.types.get(z, (wanted,))}
            if not fitting:
                return ZoneMatch("none", suggestions=self._ranked(zone_ids)[:3])
            zone_ids = fitting
        return self._found_or_choices(zone_ids)

    def _ranked(self, zone_ids: Iterable[str]) -> tuple[str, ...]:
        """Zones with more records first, then by id."""
        return tuple(sorted(zone_ids, key=lambda z: (-self.weights.get(z, 0), z)))

    def _found_or_choices(self, zone_ids: set[str]) -> ZoneMatch:
        ordered = self._ranked(zone_ids)
        if len(ordered) == 1:
            return ZoneMatch("found", ordered)
        with_records = [z for z in ordered if self.weights.get(z, 0) > 0]
        if len(with_records) == 1:
            return ZoneMatch("found", (with_records[0],), others=ordered[1:])
        return ZoneMatch("ambiguous", ordered)


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
        # A label's pinyin only for Latin input: Han input never matches it, and reading
        # pinyin loads pypinyin's dictionaries.
        read = "" if has_han(text) else pinyin(lb.label)
        for name in (lb.label, lb.name_en or "", read):
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
