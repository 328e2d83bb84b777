"""The directory of national zones as a file: its rows, their checks, the lists they come from.

Reference data, not news: each row is a zone, credited to the public list(s) it comes from.
The shipped file is ``bot/facts/national_zones.csv``; storage/directory.py loads it.
"""

from __future__ import annotations

import csv
import io
import re
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from bot.core.factfile import SEED_PACKAGE, FactFileError, read_file_text
from bot.core.records import Id, Record, Source, Zone
from bot.core.text import normalise, place_stem

DIRECTORY_FILE = "national_zones.csv"
# Bump when DirectoryEntry.names() changes, so the shipped directory's names are rebuilt.
NAMES_VERSION = "names-3"
ZoneType = Literal["hitech", "etdz"]
ZONE_TYPES: tuple[ZoneType, ...] = ("hitech", "etdz")

# The 31 provincial-level divisions of the mainland, in the order of their codes.
PROVINCES: tuple[str, ...] = (
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
)

# The public lists the directory was compiled from; every row names the one(s) it is in.
LIST_A = Source(
    id="dir-list-a",
    title=(
        "国家级开发区名单 A（GitHub 项目 lontten/lutil 的 "
        "fuzzutil/data/functional_zones_national.json）"
    ),
    title_en=(
        "National zone list A (fuzzutil/data/functional_zones_national.json of the GitHub "
        "project lontten/lutil)"
    ),
    publication="lontten/lutil (Apache-2.0)",
    locator="fuzzutil/data/functional_zones_national.json",
    note=(
        "List A: names, types and aliases of national high-tech zones and ETDZs, no province "
        "or city; used under the Apache License 2.0. Provinces and cities of rows found only "
        "here were derived from the names (an offline address parser or a hand table)."
    ),
)
LIST_B = Source(
    id="dir-list-b",
    title="国家级经开区名单 B（公开 GitHub 项目中的 232 个经开区名称与所在省份）",
    title_en="National ETDZ list B (232 ETDZ names and their provinces, a public GitHub project)",
    publication="a public GitHub project",
    note="List B: 232 national ETDZ names with their provinces; names and provinces only.",
)
DIRECTORY_SOURCES: tuple[Source, ...] = (LIST_A, LIST_B)
DIRECTORY_SOURCE_IDS = frozenset(s.id for s in DIRECTORY_SOURCES)

COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "short",
    "types",
    "province",
    "city",
    "county_city",
    "aliases",
    "pinyin",
    "name_en",
    "listed_in",
    "province_from",
    "derived",
    "flag",
    "note",
)
DERIVABLE = frozenset({"province", "city", "county_city", "short", "name_en"})
_CITY = re.compile(r"^[\u4e00-\u9fff]{1,12}(市|州|地区|盟)$")
_PINYIN = re.compile(r"^[a-z]+( [a-z]+)*$")

# Words that name a zone's type, in Chinese, pinyin and English (for names and filters).
TYPE_WORDS: dict[ZoneType, tuple[str, ...]] = {
    "hitech": (
        "高新技术产业开发区",
        "高新区",
        "gaoxinqu",
        "gaoxin",
        "hitech",
        "hightech",
        "hitechzone",
    ),
    "etdz": (
        "经济技术开发区",
        "经开区",
        "jingkaiqu",
        "jingkai",
        "etdz",
    ),
}


class DirectoryEntry(Record):
    """One zone of the directory: its types, places and where the row comes from.

    ``derived`` names the fields worked out rather than read from a list (the city always:
    neither list gives one); ``flag`` says when a row is found in only one list.
    """

    zone_id: Id
    row: int
    name: str
    short: str
    types: tuple[ZoneType, ...]
    province: str
    city: str
    county_city: str | None = None
    aliases: tuple[str, ...] = ()
    pinyin: str
    name_en: str
    listed_in: Literal["A", "B", "A+B"]
    province_from: str
    derived: tuple[str, ...] = ()
    flag: str | None = None
    note: str | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(
            s for s, letter in ((LIST_A.id, "A"), (LIST_B.id, "B")) if letter in self.listed_in
        )

    def zone(self) -> Zone:
        """The zone record for a zone known only from the directory."""
        return Zone(
            id=self.zone_id,
            name_zh=self.name,
            short_zh=self.short,
            name_en=self.name_en,
            province=self.province,
            city=self.city,
            aliases=self.aliases,
            source=self.sources[0],
        )

    def names(self) -> set[str]:
        """Every normalised name the zone answers to beyond its zone record's own names."""
        stems = {place_stem(self.short), place_stem(self.name), self.pinyin.replace(" ", "")}
        if self.county_city:
            stems |= {self.county_city, self.county_city.removesuffix("市")}
        found = {self.name, self.short, *self.aliases, self.name_en, *stems}
        place = self.pinyin.replace(" ", "")
        stem = place_stem(self.short)
        # Place + type (kunshan hitech, 昆山高新技术产业开发区) only for a name that is place +
        # type: 苏州工业园区 must not answer to 苏州高新区, the zone next door.
        if any(self.short == stem + word for word in ("高新区", "经开区")):
            for zone_type in self.types:
                for word in TYPE_WORDS[zone_type]:
                    found |= {place + word, stem + word}
        if self.short.endswith("工业园区"):
            # An industrial park goes by place + 园区 or 工业园 (苏州园区), and by the initials
            # of its English name (Suzhou Industrial Park: SIP).
            head = self.short.removesuffix("工业园区")
            found |= {head + "园区", head + "工业园"}
            initials = "".join(w[0] for w in self.name_en.split() if w[:1].isalpha())
            if len(initials) >= 3:
                found.add(initials)
        forms = {normalise(n) for n in found if n}
        return {f for f in forms if f}


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _check_row(number: int, raw: dict[str, str]) -> tuple[DirectoryEntry | None, list[str]]:
    """One row as an entry, or the problems that stop the load (row and field named)."""
    where = f"row {number} ({raw.get('name') or raw.get('id') or '?'})"
    problems: list[str] = []

    def bad(column: str, why: str) -> None:
        problems.append(f"{where}: field {column}: {why}")

    for column in ("id", "name", "short", "types", "province", "city", "pinyin", "name_en"):
        if not (raw.get(column) or "").strip():
            bad(column, "is empty")
    types = _split(raw.get("types", ""))
    if any(t not in ZONE_TYPES for t in types):
        bad("types", f"must be hitech, etdz or hitech|etdz, not {raw.get('types')!r}")
    province = (raw.get("province") or "").strip()
    if province and province not in PROVINCES:
        bad("province", f"{province!r} is not a province of the mainland")
    city = (raw.get("city") or "").strip()
    if city and not _CITY.match(city):
        bad("city", f"{city!r} is not a city, prefecture or league name")
    county = (raw.get("county_city") or "").strip()
    if county and not (county.endswith("市") and 2 <= len(county) <= 8):
        bad("county_city", f"{county!r} is not a county-level city")
    pinyin = (raw.get("pinyin") or "").strip()
    if pinyin and not _PINYIN.match(pinyin):
        bad("pinyin", f"{pinyin!r} must be lower-case letters and spaces")
    derived = _split(raw.get("derived", ""))
    if any(d not in DERIVABLE for d in derived):
        bad("derived", f"may name only {', '.join(sorted(DERIVABLE))}")
    if "city" not in derived:
        bad("derived", "must name city (neither list gives a city)")
    if problems:
        return None, problems
    try:
        entry = DirectoryEntry(
            zone_id=raw["id"].strip(),
            row=number,
            name=raw["name"].strip(),
            short=raw["short"].strip(),
            types=tuple(sorted(set(types), key=ZONE_TYPES.index)),  # type: ignore[arg-type]
            province=province,
            city=city,
            county_city=county or None,
            aliases=_split(raw.get("aliases", "")),
            pinyin=pinyin,
            name_en=raw["name_en"].strip(),
            listed_in=(raw.get("listed_in") or "").strip(),  # type: ignore[arg-type]
            province_from=(raw.get("province_from") or "").strip() or "not recorded",
            derived=derived,
            flag=(raw.get("flag") or "").strip() or None,
            note=(raw.get("note") or "").strip() or None,
        )
    except ValidationError as exc:
        for error in exc.errors():
            column = {"zone_id": "id"}.get(str(error["loc"][0]), str(error["loc"][0]))
            bad(column, str(error["msg"]).removeprefix("Value error, "))
        return None, problems
    return entry, []


def parse_directory(text: str, name: str = DIRECTORY_FILE) -> tuple[DirectoryEntry, ...]:
    """Every row checked; FactFileError naming each bad row and field, or all the entries."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise FactFileError([f"{name}: missing column(s) {', '.join(missing)}"])
    entries: list[DirectoryEntry] = []
    problems: list[str] = []
    seen: dict[str, dict[str, int]] = {"id": {}, "name": {}, "short": {}}
    # Row 1 is the header: data rows are numbered as a spreadsheet shows them.
    for number, raw in enumerate(reader, start=2):
        entry, found = _check_row(number, raw)
        problems += found
        if entry is None:
            continue
        for column, value in (("id", entry.zone_id), ("name", entry.name), ("short", entry.short)):
            first = seen[column].get(value)
            if first is not None:
                problems.append(
                    f"row {number} ({entry.name}): field {column}: {value!r} repeats row {first}"
                )
            seen[column].setdefault(value, number)
        entries.append(entry)
    if problems:
        raise FactFileError(problems)
    return tuple(entries)


def is_directory_file(path: Path) -> bool:
    """A CSV whose header is the directory's (id,name,short,types,...)."""
    if path.suffix.lower() != ".csv" or not path.is_file():
        return False
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline().strip().split(",")
    return header[:4] == list(COLUMNS[:4])


def read_directory(path: Path) -> tuple[DirectoryEntry, ...]:
    """A directory file checked whole (FactFileError names each bad row and field)."""
    return parse_directory(read_file_text(path), path.name)


def load_shipped_directory() -> tuple[DirectoryEntry, ...]:
    text = resources.files(SEED_PACKAGE).joinpath(DIRECTORY_FILE).read_text(encoding="utf-8")
    return parse_directory(text)
