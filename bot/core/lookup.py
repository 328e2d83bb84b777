"""Pure helpers of the lookups: short tokens for long queries, paging, nearest zone names."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

PAGE_SIZE = 10
MAX_QUERY = 100  # characters; longer input is not a name or a search worth running
# Search results are counted (and paged) up to this many; more reads as "1,000+".
SEARCH_COUNT_CAP = 1000


def token(text: str) -> str:
    """A short stable key for a query too long for callback_data (kept server-side)."""
    return hashlib.blake2s(text.encode(), digest_size=6).hexdigest()


class TokenStore:
    """Queries behind tokens, most recent kept; an expired token reads as None."""

    def __init__(self, capacity: int = 5000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, str] = OrderedDict()

    def put(self, text: str) -> str:
        key = token(text)
        self._items[key] = text
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> str | None:
        return self._items.get(key)


@dataclass(frozen=True)
class Page:
    """One page of a list: which page, how many pages, and the slice to fetch."""

    number: int
    count: int
    total: int
    size: int = PAGE_SIZE

    @classmethod
    def of(cls, requested: int, total: int, size: int = PAGE_SIZE) -> Page:
        count = max(1, -(-total // size))
        return cls(min(max(requested, 0), count - 1), count, total, size)

    @property
    def offset(self) -> int:
        return self.number * self.size

    @property
    def has_prev(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number + 1 < self.count


def closest_zones(
    names: dict[str, set[str]], query: str, limit: int = 3, least: float = 80.0
) -> list[str]:
    """Zone ids whose names are near the query, also by pinyin (苏州 → suzhou ...).

    For "no zone matches" replies: only names genuinely close (``least``, rapidfuzz WRatio;
    a typo scores 85 and more, junk such as "<b>x</b>" or "xyzzy" 60 at most), so nothing
    unrelated is offered as "did you mean".
    """
    from rapidfuzz import fuzz, process

    from bot.core.text import normalise, pinyin

    text = normalise(query[:200])
    if not text or not names:
        return []
    best: dict[str, float] = {}
    for form in {text, pinyin(text)}:
        if not form:
            continue
        for name, score, _ in process.extract(form, list(names), scorer=fuzz.WRatio, limit=12):
            for zone_id in names[name]:
                best[zone_id] = max(best.get(zone_id, 0.0), float(score))
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    return [zone_id for zone_id, score in ranked[:limit] if score >= least]
