"""Who gets which alert, and how a chat's pending alerts are bundled into messages.

Plain functions over plain records, no bot and no database: the store hands in feed items
(with zone, sector labels and words) and subscriptions; these decide the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.core.records import AlertCandidate, SectorLabel, Subscription
from bot.core.text import normalise

LIST_ABOVE = 3  # more than this many items at once to one chat: one message listing them
LIST_SIZE = 10  # items per list message (well under Telegram's 4096 characters)
KEYWORD_MIN = 2
KEYWORD_MAX = 50


def covered_labels(value: str, labels: Sequence[SectorLabel]) -> set[str]:
    """Every label a sector subscription covers; ``value`` is a label or an area id.

    A local label covers its national area's other labels and the area covers all its
    labels, so 新能源 catches a 固态电池 project and 固态电池 catches a 新能源 one.
    """
    if any(lb.label == value for lb in labels):
        area = next(lb.area for lb in labels if lb.label == value)
        covered = {value}
        if area is not None:
            covered |= {lb.label for lb in labels if lb.area == area}
        return covered
    return {lb.label for lb in labels if lb.area == value}


def keyword_key(keyword: str) -> str:
    """A keyword as compared: folded like names (case, width, spaces, punctuation)."""
    return normalise(keyword)


def keyword_error(keyword: str) -> str | None:
    """None when the keyword is usable, else 'short' or 'long'."""
    text = " ".join(keyword.split())
    if len(text) > KEYWORD_MAX:
        return "long"
    if len(text) < KEYWORD_MIN or len(keyword_key(text)) < KEYWORD_MIN:
        return "short"
    return None


def subscription_matches(
    sub: Subscription, item: AlertCandidate, covered: set[str], text: str
) -> bool:
    if sub.since_seq >= item.seq:
        return False  # stored before the chat subscribed
    if sub.kind == "zone":
        return item.zone_id == sub.value
    if sub.kind == "sector":
        return bool(covered & item.labels)
    key = keyword_key(sub.value)
    return bool(key) and key in text


def match(
    items: Sequence[AlertCandidate],
    subs: Sequence[Subscription],
    labels: Sequence[SectorLabel],
) -> dict[tuple[int, int], int | None]:
    """For each (chat, seq) owed an alert, the forum topic it goes to (None: the chat).

    A record that matches several of a chat's subscriptions is owed once; it goes to the
    topic of the oldest matching subscription.
    """
    covered = {s.value: covered_labels(s.value, labels) for s in subs if s.kind == "sector"}
    texts = {item.seq: normalise(item.text) for item in items}
    owed: dict[tuple[int, int], int | None] = {}
    for item in items:
        for sub in sorted(subs, key=lambda s: s.id):
            key = (sub.chat_id, item.seq)
            if key in owed:
                continue
            if subscription_matches(sub, item, covered.get(sub.value, set()), texts[item.seq]):
                owed[key] = sub.thread_id
    return owed


T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Bundle(Generic[T]):
    """What one message carries: one item, or a list of several."""

    chat_id: int
    thread_id: int | None
    items: tuple[T, ...]

    @property
    def is_list(self) -> bool:
        return len(self.items) > 1


def bundle(
    chat_id: int, thread_id: int | None, items: Sequence[T], list_above: int = LIST_ABOVE
) -> list[Bundle[T]]:
    """One message per item, or, when more than ``list_above`` wait, lists of them."""
    if len(items) <= list_above:
        return [Bundle(chat_id, thread_id, (item,)) for item in items]
    return [
        Bundle(chat_id, thread_id, tuple(items[start : start + LIST_SIZE]))
        for start in range(0, len(items), LIST_SIZE)
    ]


def by_destination(pairs: Iterable[tuple[K, V]]) -> dict[K, list[V]]:
    """Group values by key, keeping their order."""
    grouped: dict[K, list[V]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped
