"""Questions the zone directory answers: filters for /zones and plain-text directory questions.

Plain functions over directory entries (no bot, no SQL). ``answer_question`` is the one entry
point for plain text ("苏州有哪些国家级开发区", "合肥高新区在哪个省", "江苏有多少个高新区",
"which province is Hefei hitech in"): it returns a ``DirectoryAnswer`` to render, or None when
the text is not a directory question. The question engine can call it as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from bot.core.directory_rows import PROVINCES, ZONE_TYPES, DirectoryEntry
from bot.core.matching import ZoneIndex, mixed_pinyin
from bot.core.place_pinyin import PLACE_PINYIN
from bot.core.text import normalise
from bot.core.traditional import simplified

# Words naming a type, longest first; None: any national zone (开发区, 园区, zones).
_TYPE_WORDS: tuple[tuple[str, str | None], ...] = (
    ("国家级高新技术产业开发区", "hitech"),
    ("高新技术产业开发区", "hitech"),
    ("国家级经济技术开发区", "etdz"),
    ("经济技术开发区", "etdz"),
    ("国家级高新区", "hitech"),
    ("国家级经开区", "etdz"),
    ("国家级开发区", None),
    ("国家级园区", None),
    ("高新区", "hitech"),
    ("经开区", "etdz"),
    ("开发区", None),
    ("园区", None),
    ("高新", "hitech"),
    ("经开", "etdz"),
    ("hightechzones", "hitech"),
    ("hitechzones", "hitech"),
    ("hitechzone", "hitech"),
    ("hitech", "hitech"),
    ("hightech", "hitech"),
    ("gaoxinqu", "hitech"),
    ("gaoxin", "hitech"),
    ("etdzs", "etdz"),
    ("etdz", "etdz"),
    ("jingkaiqu", "etdz"),
    ("jingkai", "etdz"),
    ("nationalzones", None),
    ("zones", None),
    ("zone", None),
)
# Words that say nothing about the filter: "all", "national", "of", "in".
_FILLER = frozenset(
    {"全部", "所有", "国家级", "的", "在", "all", "national", "in", "of", "the", "list"}
)
_PREFECTURE = re.compile(
    r"^(.{2,4}?)(?:朝鲜族|彝族|回族|白族|哈尼族彝族|蒙古族藏族|蒙古|哈萨克)自治州$"
)


def _place_pinyin(stem: str) -> str:
    """A place stem's pinyin: the shipped table's, or pypinyin's for a place it lacks."""
    found = PLACE_PINYIN.get(stem)
    return found if found is not None else mixed_pinyin(stem)


def province_stem(name: str) -> str:
    """江苏省 -> 江苏, 广西壮族自治区 -> 广西, 上海市 -> 上海."""
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def city_stem(name: str) -> str:
    """苏州市 -> 苏州, 延边朝鲜族自治州 -> 延边, 阿克苏地区 -> 阿克苏."""
    found = _PREFECTURE.match(name)
    if found:
        return found.group(1)
    for suffix in ("自治州", "地区", "市", "盟"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Places:
    """Every way to name a province or a city of the directory, folded (江苏, jiangsu)."""

    provinces: Mapping[str, str] = field(default_factory=dict)
    cities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[DirectoryEntry]) -> Places:
        provinces: dict[str, str] = {}
        for province in PROVINCES:
            for form in (province, province_stem(province), _place_pinyin(province_stem(province))):
                provinces[normalise(form)] = province
        provinces["shaanxi"] = "陕西省"  # the official spelling that tells 陕西 from 山西
        cities: dict[str, set[str]] = {}
        for entry in entries:
            for city in (entry.city, entry.county_city):
                if not city:
                    continue
                stem = city_stem(city)
                for form in (city, stem, _place_pinyin(stem)):
                    key = normalise(form)
                    # A municipality is a province already (上海): keep it one place.
                    if key and key not in provinces:
                        cities.setdefault(key, set()).add(city)
        return cls(provinces, {k: tuple(sorted(v)) for k, v in cities.items()})


@dataclass(frozen=True)
class DirectoryFilter:
    """Which directory zones to show: a province, cities, types (all when empty)."""

    province: str | None = None
    cities: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.province is None and not self.cities and not self.types

    def key(self) -> str:
        """A compact form for button data: 江苏省,,etdz ('all' for no filter)."""
        if self.empty:
            return "all"
        return f"{self.province or ''},{'/'.join(self.cities)},{'/'.join(self.types)}"

    @classmethod
    def from_key(cls, key: str) -> DirectoryFilter:
        """The filter of a key; anything malformed reads as no filter."""
        parts = key.split(",")
        if key == "all" or len(parts) != 3:
            return cls()
        province = parts[0] if parts[0] in PROVINCES else None
        types = tuple(t for t in parts[2].split("/") if t in ZONE_TYPES)
        cities = tuple(c for c in parts[1].split("/") if c)
        return cls(province, cities, types)

    def matches(self, entry: DirectoryEntry) -> bool:
        if self.province and entry.province != self.province:
            return False
        if self.cities and entry.city not in self.cities and entry.county_city not in self.cities:
            return False
        return not self.types or any(t in entry.types for t in self.types)


def _split_type(word: str) -> tuple[str, str | None, bool]:
    """(the word without a type suffix, the type, whether a type word was found)."""
    for suffix, zone_type in _TYPE_WORDS:
        if word.endswith(suffix):
            return word[: -len(suffix)], zone_type, True
    return word, None, False


def parse_filter(text: str, places: Places) -> DirectoryFilter:
    """/zones arguments: 江苏, 高新区, 经开区 安徽, hitech, 苏州, 江苏高新区, Anhui etdz."""
    province: str | None = None
    cities: tuple[str, ...] = ()
    types: set[str] = set()
    unknown: list[str] = []
    for raw in simplified(text).replace(",", " ").replace("，", " ").replace("、", " ").split():
        word = normalise(raw)
        if not word or word in _FILLER:
            continue
        rest, zone_type, had_type = _split_type(word)
        if zone_type:
            types.add(zone_type)
        rest = rest.removesuffix("的").removesuffix("国家级").removesuffix("的")
        if not rest:
            if not had_type:
                unknown.append(raw)
            continue
        if rest in places.provinces:
            province = places.provinces[rest]
        elif rest in places.cities:
            cities = places.cities[rest]
        elif rest in _FILLER:
            continue
        else:
            unknown.append(raw)
    ordered = tuple(t for t in ZONE_TYPES if t in types)
    return DirectoryFilter(province, cities, ordered, tuple(unknown))


def select(entries: Iterable[DirectoryEntry], wanted: DirectoryFilter) -> list[DirectoryEntry]:
    return [e for e in entries if wanted.matches(e)]


def ordered(entries: Iterable[DirectoryEntry], records: Mapping[str, int]) -> list[DirectoryEntry]:
    """Zones with records first (most first), then by province, then as the list has them."""
    rank = {p: i for i, p in enumerate(PROVINCES)}
    return sorted(
        entries,
        key=lambda e: (-records.get(e.zone_id, 0), rank.get(e.province, 99), e.row),
    )


def type_counts(entries: Iterable[DirectoryEntry]) -> dict[str, int]:
    """Zones of each type (a zone of both types counts in each) and all of them."""
    counts: dict[str, int] = {t: 0 for t in ZONE_TYPES}
    total = 0
    for entry in entries:
        total += 1
        for zone_type in entry.types:
            counts[zone_type] += 1
    counts["all"] = total
    return counts


def provinces_held(entries: Iterable[DirectoryEntry]) -> list[tuple[str, int]]:
    """(province, zones) in the order of the province codes, only provinces with zones."""
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.province] = counts.get(entry.province, 0) + 1
    return [(p, counts[p]) for p in PROVINCES if p in counts]


# ---- plain-text questions ------------------------------------------------------------------

AnswerKind = Literal["list", "count", "where"]


@dataclass(frozen=True)
class DirectoryAnswer:
    """A directory question understood: what to show.

    ``list``: the zones of ``filter``; ``count``: how many of each type ``filter`` holds;
    ``where``: the province and city of ``zone_ids[0]``; any further ids are other zones the
    name fits (offered beside it, or as choices when none of them has records).
    """

    kind: AnswerKind
    filter: DirectoryFilter = DirectoryFilter()
    zone_ids: tuple[str, ...] = ()
    each: bool = False  # ``where`` of several zones named together: every one answered


_TYPE = r"(?:国家级)?(?P<type>高新技术产业开发区|高新区|经济技术开发区|经开区|开发区|园区)?"
_ZH_WHERE = re.compile(
    r"^(?P<zone>.+?)(?:是|到底)?(?:在|位于|属于|位于|地处)(?:哪个|哪一个|哪|什么)"
    r"(?:省份|省|城市|市|地方|地区|位置|里|儿)?(?:的)?(?:呢|啊|呀)?$"
)
_ZH_WHERE_OF = re.compile(
    r"^(?P<zone>.+?)是(?:哪个|哪一个|什么)(?:省|省份|城市|市|地方)的?(?:园区)?$"
)
_ZH_COUNT = re.compile(
    r"^(?P<place>.*?)(?:的)?(?:一共|总共|共|都)?有(?:多少|几)个?" + _TYPE + r"(?:呢|啊)?$"
)
_ZH_COUNT_AFTER = re.compile(
    r"^(?P<place>.*?)(?:的)?" + _TYPE + r"(?:一共|总共|共)?有(?:多少|几)个?(?:呢|啊)?$"
)
_ZH_LIST = re.compile(
    r"^(?P<place>.+?)(?:都|一共|共)?有(?:哪些|什么|哪几个)" + _TYPE + r"(?:呢|啊)?$"
)
_ZH_LIST_OF = re.compile(
    r"^(?P<place>.+?)的国家级" + _TYPE.removeprefix("(?:国家级)?") + r"(?:有哪些)?$"
)
_EN_TYPE = r"(?P<type>national zones|zones|hi-tech zones|hitech zones|high-tech zones|etdzs|etdz)"
_EN_LIST = (
    re.compile(r"^which (?:national )?" + _EN_TYPE + r" (?:does|do) (?P<place>.+?) have$"),
    re.compile(r"^(?:list |show )?(?:the |all )?(?:national )?" + _EN_TYPE + r" in (?P<place>.+)$"),
)
_EN_WHERE = (
    re.compile(r"^(?:which|what) (?:province|city) is (?P<zone>.+?) in$"),
    re.compile(r"^where is (?P<zone>.+)$"),
    # Several zones: "which provinces are Jiaxing and Changde in", "where are A and B",
    # "Jiaxing and Changde: which province is each in?"
    re.compile(r"^(?:which|what) (?:provinces|cities) are (?P<zone>.+?) in$"),
    re.compile(r"^where are (?P<zone>.+)$"),
    re.compile(
        r"^(?P<zone>.+?)\s*[:,;\-–—]\s*(?:which|what) (?:province|provinces|city|cities) "
        r"(?:is|are) (?:it|they|each|each one|both|each of them|both of them) in$"
    ),
)
_EN_COUNT = re.compile(
    r"^how many (?:national )?" + _EN_TYPE + r"(?: are there)?(?: (?:in|does|do) (?P<place>.+?))?"
    r"(?: have)?$"
)
_END = re.compile(r"[\s?？!！。.]+$")


def _type_of(word: str | None) -> tuple[str, ...]:
    if not word:
        return ()
    _, zone_type, _ = _split_type(normalise(word))
    return (zone_type,) if zone_type else ()


def _place(text: str, places: Places, types: tuple[str, ...]) -> DirectoryFilter | None:
    """The place (and type) a question names; None when it has words we do not know."""
    found = parse_filter(text, places)
    if found.unknown:
        return None
    return DirectoryFilter(found.province, found.cities, types or found.types)


# 嘉兴高新区和常德高新区(分别)在哪个省: several zones asked at once.
_JOINERS = re.compile(r"(?:和|与|跟|及|以及|还有|、|,|，|&|\band\b|\bvs\.?\b)")
_EACH = re.compile(r"(?:分别|各自|都|各|respectively|each)$")


def _where(zone_text: str, index: ZoneIndex) -> DirectoryAnswer | None:
    parts = [p.strip() for p in _JOINERS.split(_EACH.sub("", zone_text.strip())) if p.strip()]
    if len(parts) > 1:
        found: list[str] = []
        for part in parts:
            one = index.resolve(part)
            if one.kind not in ("found", "ambiguous"):
                break
            found.append(one.zone_ids[0])
        else:
            return DirectoryAnswer("where", zone_ids=tuple(dict.fromkeys(found)), each=True)
    match = index.resolve(zone_text)
    if match.kind == "found":
        # The zone, then the others the name also fits (昆山: 昆山经开区 too).
        return DirectoryAnswer("where", zone_ids=(*match.zone_ids, *match.others))
    if match.kind == "ambiguous":
        return DirectoryAnswer("where", zone_ids=match.zone_ids)
    return None


def answer_question(text: str, places: Places, index: ZoneIndex) -> DirectoryAnswer | None:
    """A directory question in Chinese or English, or None when the text is not one."""
    clean = _END.sub("", simplified(text).strip())
    if not clean or len(clean) > 60:
        return None
    zh = clean.replace(" ", "")
    for pattern in (_ZH_WHERE, _ZH_WHERE_OF):
        found = pattern.match(zh)
        if found:
            return _where(found.group("zone"), index)
    for pattern in (_ZH_COUNT, _ZH_COUNT_AFTER):
        found = pattern.match(zh)
        if found:
            types = _type_of(found.group("type"))
            if not found.group("place"):
                if found.group("type") is None:
                    return None
                return DirectoryAnswer("count", DirectoryFilter(types=types))
            place = _place(found.group("place"), places, types)
            return DirectoryAnswer("count", place) if place else None
    for pattern in (_ZH_LIST, _ZH_LIST_OF):
        found = pattern.match(zh)
        if found:
            place = _place(found.group("place"), places, _type_of(found.group("type")))
            return DirectoryAnswer("list", place) if place else None
    lower = " ".join(clean.lower().split())
    for pattern in _EN_WHERE:
        found = pattern.match(lower)
        if found:
            return _where(found.group("zone"), index)
    found = _EN_COUNT.match(lower)
    if found:
        types = _type_of(found.group("type"))
        if not found.group("place"):
            return DirectoryAnswer("count", DirectoryFilter(types=types))
        place = _place(found.group("place"), places, types)
        return DirectoryAnswer("count", place) if place else None
    for pattern in _EN_LIST:
        found = pattern.match(lower)
        if found:
            place = _place(found.group("place"), places, _type_of(found.group("type")))
            return DirectoryAnswer("list", place) if place else None
    return None
