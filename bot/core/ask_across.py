"""Questions over every zone: which zones hold projects of a sector or at a stage (哪些园区有签约
项目, which parks have semiconductor projects), how many all the zones hold together (四个园区一共
签了多少项目), and the same with zones left out (除了昆山还有哪些园区有新能源项目, any auto parts
projects outside Jiaxing?).

Plain functions over the parsed question and plain records; no Telegram and no SQL. The words
are data (``ask_words.yaml``: ``all_zones``, ``except``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.core import questions as q
from bot.core.ask_input import _data
from bot.core.records import Project

# Zones counted in the question: 四个园区, 这几个高新区, 3个开发区.
_COUNTED_ZONES = re.compile(
    r"(?:[一二两三四五六七八九十几\d]+|这几|这些|那几|那些)个?(?:国家级)?(?:园区|高新区|开发区|经开区)"
)


@dataclass(frozen=True)
class AcrossWords:
    all_zh: tuple[str, ...]
    all_en: tuple[str, ...]
    before_zh: tuple[str, ...]  # 除了 昆山
    after_zh: tuple[str, ...]  # 昆山 以外
    before_en: tuple[str, ...]  # outside Jiaxing


def _longest(items: Sequence[object]) -> tuple[str, ...]:
    return tuple(sorted((q.fold(str(i)) for i in items), key=len, reverse=True))


@lru_cache(maxsize=1)
def words() -> AcrossWords:
    data = _data()
    every = data.get("all_zones", {})
    leave = data.get("except", {})
    return AcrossWords(
        all_zh=_longest(every.get("zh", ())),
        all_en=_longest(every.get("en", ())),
        before_zh=_longest(leave.get("before_zh", ())),
        after_zh=_longest(leave.get("after_zh", ())),
        before_en=_longest(leave.get("en", ())),
    )


def names_all_zones(parsed: q.Parsed) -> bool:
    """所有园区, 四个园区, 各高新区, all zones, every park: the whole store is asked about."""
    w = words()
    if parsed.han:
        flat = q.squeeze(parsed.text)
        return any(word in flat for word in w.all_zh) or bool(_COUNTED_ZONES.search(flat))
    return any(q.contains_word(parsed.text, word) for word in w.all_en)


def left_out(text: str, zones: Sequence[q.NameHit]) -> list[str]:
    """The zones the question leaves out (除了昆山, 嘉兴以外, outside Jiaxing, except Kunshan), in
    the order named."""
    w = words()
    flat = q.squeeze(text)
    folded = q.fold(text)
    out: list[str] = []
    for hit in sorted(zones, key=lambda h: h.key.start):
        if hit.key.start >= 1000:  # a Latin name: positions in the folded text, offset by 1000
            before = folded[: hit.key.start - 1000].rstrip(" ,")
            leaves = any(
                re.search(rf"(?<![a-z]){re.escape(word)}$", before) for word in w.before_en
            )
        else:
            before = flat[: hit.key.start].rstrip("，, ")
            after = flat[hit.key.end :].lstrip("，, ")
            leaves = before.endswith(w.before_zh) or after.startswith(w.after_zh)
        if leaves and hit.record_id not in out:
            out.append(hit.record_id)
    return out


def asks_across(parsed: q.Parsed, sectors: Sequence[str], excluded: Sequence[str]) -> bool:
    """Whether the question asks for projects of a sector or stage over every zone (or every
    zone but some), rather than one zone's: a list by zone answers it."""
    if parsed.condition is not None:
        return False  # 哪些园区有投资超过5亿元的项目: the size lists answer it
    if not sectors and not parsed.stages:
        return False
    if not (q.asks_which_zones(parsed) or names_all_zones(parsed) or excluded):
        return False
    text = parsed.text
    projects = "项目" in text or any(q.contains_word(text, w) for w in ("project", "projects"))
    if not (parsed.stages or projects):
        return False
    # 哪个园区新能源项目最多: the zones' reported figures answer a ranking of a sector; 哪个园区
    # 签约金额最高 ranks an amount, not the projects held.
    from bot.core.ask_meaning import MONEY_INTENTS

    ranked = parsed.intents & {"most", "least", "compare"}
    if ranked and parsed.intents & set(MONEY_INTENTS):
        return False
    return not (ranked and not parsed.stages)


def asks_zone_projects(parsed: q.Parsed) -> bool:
    """嘉兴高新区有什么项目, 昆山的AI项目有哪些, "what projects does Jiaxing have": the zone's
    projects (of a sector) listed, not a count (a zone's reported figure answers 多少), a
    size, a stage or a time."""
    from bot.core.ask_meaning import MONEY_INTENTS, asks_for_projects

    if not asks_for_projects(parsed) or parsed.stages:
        return False
    if parsed.condition is not None or parsed.period is not None or parsed.top is not None:
        return False
    asked = {"count", "most", "least", "compare", "each", "breakdown", "who", "when", "where"}
    return not parsed.intents & (asked | set(MONEY_INTENTS))


def by_zone(
    projects: Sequence[Project], excluded: Sequence[str]
) -> list[tuple[str, list[Project]]]:
    """The projects of the zones not left out, grouped by zone, most first (then by id)."""
    groups: dict[str, list[Project]] = {}
    for p in projects:
        if p.zone not in excluded:
            groups.setdefault(p.zone, []).append(p)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
