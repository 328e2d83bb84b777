"""The directory of national zones: reading, checking and loading it, and asking it questions.

Reference data, not news: each row is a zone (created when the store has none with that id, or
joined to the zone the seed facts already hold), credited to the public list(s) it comes from.
Loading it writes no feed items, so it sends no alerts and puts nothing in digests.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from storage.base import StoreBase, iso
from storage.facts import MAX_FACT_FILE_BYTES, SEED_PACKAGE, FactFileError
from storage.models import Id, Record, Source, Zone
from storage.text import normalise, place_stem

DIRECTORY_FILE = "national_zones.csv"
# Bump when DirectoryEntry.names() changes, so the shipped directory's names are rebuilt.
NAMES_VERSION = "names-2"
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
    if path.stat().st_size > MAX_FACT_FILE_BYTES:
        raise FactFileError([f"{path} is larger than 20 MB"])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FactFileError([f"{path} is not UTF-8 text; save it as UTF-8"]) from None
    return parse_directory(text, path.name)


def load_shipped_directory() -> tuple[DirectoryEntry, ...]:
    text = resources.files(SEED_PACKAGE).joinpath(DIRECTORY_FILE).read_text(encoding="utf-8")
    return parse_directory(text)


def _entry_body(entry: DirectoryEntry) -> str:
    return entry.model_dump_json(exclude_none=True)


@dataclass
class DirectoryReport:
    """What loading the directory did: zones created, rows added, rows corrected."""

    zones_created: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)  # rows joined to a zone the store held


class DirectoryQueries(StoreBase):
    """Loading the directory, and the questions the directory answers."""

    async def load_directory(
        self,
        entries: Sequence[DirectoryEntry] | None = None,
        via: str = "directory",
        actor_id: int | None = None,
    ) -> DirectoryReport | None:
        """Apply the directory (the shipped one by default) in one transaction.

        Idempotent: the shipped file is applied again only when it changed. A row whose id
        the store holds from other facts (the seed's 昆山高新区) joins that zone: its zone
        record keeps the page facts, the directory row sits beside it. Zone records made
        from the directory are corrected when a later file corrects the row.
        """
        from storage.fact_queries import ApplyReport, _Writer

        shipped = entries is None
        rows = load_shipped_directory() if entries is None else tuple(entries)
        parts = [NAMES_VERSION, *(s.model_dump_json() for s in DIRECTORY_SOURCES)]
        parts += [_entry_body(e) for e in rows]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        if shipped and await self.scalar("SELECT value FROM meta WHERE key = 'directory'") == (
            digest
        ):
            return None
        existing = {
            str(r[0]): json.loads(r[1])["source"]
            for r in await self.fetchall("SELECT id, body FROM zones")
        }
        deleted = {
            str(r[0])
            for r in await self.fetchall("SELECT id FROM zones WHERE deleted_at IS NOT NULL")
        }
        held = {
            str(r[0]): str(r[1]) for r in await self.fetchall("SELECT zone_id, body FROM directory")
        }
        report = DirectoryReport()
        now = iso(self.now())
        async with self.transaction() as db:
            writer = _Writer(db, now, via, actor_id, ApplyReport())
            for listed in DIRECTORY_SOURCES:
                await writer.simple("sources", listed.id, listed)
            live = [e for e in rows if e.zone_id not in deleted]
            # A zone an admin deleted stays deleted; its id is never reused.
            fresh = [e for e in live if e.zone_id not in existing]
            report.zones_created = [e.zone_id for e in fresh]
            await writer.new_zones([e.zone() for e in fresh])
            for entry in live:
                source = existing.get(entry.zone_id)
                if source is None:
                    continue
                if source in DIRECTORY_SOURCE_IDS:
                    await writer.zone(entry.zone())  # corrected when the row changed
                else:
                    report.joined.append(entry.zone_id)
            # The names are rewritten on every load: how names are formed may change with
            # the bot even when the rows do not.
            await db.executemany(
                "DELETE FROM directory_names WHERE zone_id = ?", [(e.zone_id,) for e in live]
            )
            await db.executemany(
                "INSERT OR IGNORE INTO directory_names(name, zone_id) VALUES (?, ?)",
                [(name, e.zone_id) for e in live for name in sorted(e.names())],
            )
            changed = [
                (e, held.get(e.zone_id)) for e in live if held.get(e.zone_id) != _entry_body(e)
            ]
            for entry, before in changed:
                (report.added if before is None else report.corrected).append(entry.zone_id)
            await db.executemany(
                "INSERT INTO directory(zone_id, row, province, city, county_city, types, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(zone_id) DO UPDATE SET "
                "row = excluded.row, province = excluded.province, city = excluded.city, "
                "county_city = excluded.county_city, types = excluded.types, "
                "body = excluded.body",
                [
                    (
                        e.zone_id,
                        e.row,
                        e.province,
                        e.city,
                        e.county_city,
                        "|".join(e.types),
                        _entry_body(e),
                    )
                    for e, _ in changed
                ],
            )
            await db.executemany(
                "INSERT INTO audit(at, actor_id, via, kind, record_id, action, before, after) "
                "VALUES (?, ?, ?, 'directory', ?, ?, ?, ?)",
                [
                    (
                        now,
                        actor_id,
                        via,
                        e.zone_id,
                        "new" if b is None else "update",
                        b,
                        _entry_body(e),
                    )
                    for e, b in changed
                ],
            )
            if shipped:
                await db.execute(
                    "INSERT INTO meta(key, value) VALUES ('directory', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (digest,),
                )
        return report

    async def directory_entries(self) -> list[DirectoryEntry]:
        """Every directory row of a live zone, in the order of the file."""
        rows = await self.fetchall(
            "SELECT d.body FROM directory d JOIN zones z ON z.id = d.zone_id "
            "WHERE z.deleted_at IS NULL ORDER BY d.row"
        )
        return [DirectoryEntry.model_validate_json(r[0]) for r in rows]

    async def directory_entry(self, zone_id: str) -> DirectoryEntry | None:
        row = await self.fetchone("SELECT body FROM directory WHERE zone_id = ?", (zone_id,))
        return DirectoryEntry.model_validate_json(row[0]) if row else None

    async def directory_type_counts(
        self, province: str | None = None, city: str | None = None
    ) -> dict[str, int]:
        """Live directory zones of each type (a zone of both types counts in each), and all."""
        where, params = _where(province, city, None)
        rows = await self.fetchall(
            f"SELECT d.types FROM directory d JOIN zones z ON z.id = d.zone_id WHERE {where}",
            params,
        )
        counts: dict[str, int] = {t: 0 for t in ZONE_TYPES}
        for row in rows:
            for zone_type in str(row[0]).split("|"):
                counts[zone_type] = counts.get(zone_type, 0) + 1
        counts["all"] = len(rows)
        return counts

    async def directory_zone_ids(
        self, province: str | None = None, city: str | None = None, zone_type: str | None = None
    ) -> list[str]:
        """Ids of the live directory zones in a province or city, of a type, in file order."""
        where, params = _where(province, city, zone_type)
        rows = await self.fetchall(
            f"SELECT d.zone_id FROM directory d JOIN zones z ON z.id = d.zone_id WHERE {where} "
            "ORDER BY d.row",
            params,
        )
        return [str(r[0]) for r in rows]


def _where(
    province: str | None, city: str | None, zone_type: str | None
) -> tuple[str, tuple[object, ...]]:
    """The WHERE clause (and its parameters) of a directory question."""
    where = ["z.deleted_at IS NULL"]
    params: list[object] = []
    if province:
        where.append("d.province = ?")
        params.append(province)
    if city:
        where.append("(d.city = ? OR d.county_city = ?)")
        params += [city, city]
    if zone_type:
        where.append("('|' || d.types || '|') LIKE ?")
        params.append(f"%|{zone_type}|%")
    return " AND ".join(where), tuple(params)
