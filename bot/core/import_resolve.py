"""Import, step 3: names in cells resolved to ids (zones, sectors, companies, sources), new ids
derived from zone and name, labels and figures split out of their cells."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from bot.core.import_catalog import Catalog, TakenIds
from bot.core.import_files import RowError
from bot.core.reads import ZoneReads
from bot.core.records import (
    Company,
    Figure,
    SectorArea,
    SectorLabel,
    Source,
)
from bot.core.text import normalise
from bot.core.values import Quantity
from bot.core.zone_cache import zone_index

MAX_ZONE_CELLS = (
    10_000  # distinct zone cells remembered in one import (a file of typos stays bounded)
)
NEW_NAMES_KEPT = 30  # names of new companies kept for the reply (the count is kept whole)


async def zone_resolver(store: ZoneReads) -> Resolver:
    """A resolver that knows only the zones: enough to check one typed zone name."""
    cat = Catalog.empty()
    cat.zones = await zone_index(store)
    cat.zone_ids = frozenset(z.id for z in await store.zones())
    return Resolver(cat)


def short_digest(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:10]


def derived_id(
    prefix: str, zone: str, name: str, taken: TakenIds | set[str], folded: str | None = None
) -> str:
    """A stable id from zone and name (p-kunshan-3fa9c0d1e2); suffixed if already used.
    ``folded``: the name normalised already, when the caller has it."""
    if folded is None:
        folded = normalise(name)
    head = f"{prefix}-{zone[:24]}-"
    if isinstance(taken, TakenIds):
        taken.load(head)
    base = f"{head}{short_digest(zone, folded)}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def source_id_for(title: str) -> str:
    return f"s-{short_digest(normalise(title))}"


def file_source(file_name: str) -> Source:
    """The source of rows with no source cell: the file itself, the same id every time."""
    name = Path(file_name).name[:200] or "file"
    return Source(id=f"f-{short_digest(name)}", title=name)


def split_labels(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[、,，;；/|]+", text) if p.strip()]


def parse_figures(text: str) -> tuple[Figure, ...]:
    """``参赛项目=21个; 落地|landed=6个``: Chinese name, optional English after |, value."""
    figures: list[Figure] = []
    for part in re.split(r"[;；\n]+", text):
        if not part.strip():
            continue
        name, sep, value = (
            re.split(r"(=|＝)", part, maxsplit=1) if "=" in part or "＝" in part else (part, "", "")
        )
        if not sep or not name.strip() or not value.strip():
            raise ValueError(f"{part.strip()!r} is not name=value")
        zh, _, en = name.partition("|")
        quantity = Quantity.parse(value)
        if quantity.value < 0:
            raise ValueError("a figure cannot be negative")
        figures.append(Figure(name_zh=zh.strip(), name_en=en.strip() or zh.strip(), value=quantity))
    return tuple(figures)


def figures_text(figures: Sequence[Figure]) -> str:
    """The figures column as ``parse_figures`` reads it back."""
    parts = []
    for f in figures:
        name = f.name_zh if f.name_en in (None, f.name_zh) else f"{f.name_zh}|{f.name_en}"
        parts.append(f"{name}={f.value.text()}")
    return "; ".join(parts)


def date_text(text: str) -> str:
    # Excel and WPS save dates as 2025/3/14; the fact format writes 2025-03-14.
    if re.fullmatch(r"\d{4}/\d{1,2}(/\d{1,2})?", text):
        return text.replace("/", "-")
    return text


class Resolver:
    """Turns cell text into ids, remembering new labels, companies and sources it creates."""

    def __init__(self, cat: Catalog) -> None:
        self.cat = cat
        self.labels: dict[str, str] = {}
        for lb in cat.labels:
            for name in (lb.label, lb.name_en or ""):
                if name:
                    self.labels.setdefault(normalise(name), lb.label)
        self.areas: dict[str, SectorArea] = {}
        for area in cat.areas:
            for name in (area.id, area.name_zh, area.name_zh.removesuffix("产业"), area.name_en):
                self.areas.setdefault(normalise(name), area)
        self.companies: dict[str, str] = {}
        for ref in cat.companies:
            for name in (ref.id, *ref.names):
                self.companies.setdefault(normalise(name), ref.id)
        self.sources: dict[str, str] = {ref.id: ref.id for ref in cat.sources}
        for ref in cat.sources:
            for name in ref.names:
                self.sources.setdefault(normalise(name), ref.id)
        self.new_labels: dict[str, SectorLabel] = {}
        # New companies not yet taken (``take_companies``): a streamed import hands them over
        # with each chunk, so a file naming a new company on every row holds one chunk's worth.
        self.new_companies: dict[str, Company] = {}
        self.new_company_count = 0
        self.new_company_names: list[str] = []  # the first NEW_NAMES_KEPT, for the reply
        self.new_sources: dict[str, Source] = {}
        self.zone_cells: dict[str, tuple[str | None, RowError | None]] = {}

    def zone(self, text: str) -> tuple[str | None, RowError | None]:
        """(zone id, None) or (None, the error with its code and choices)."""
        if text in self.cat.zone_ids:
            return text, None
        # A big file names the same few zones on every row: each distinct cell is resolved
        # once (pinyin and near-miss ranking cost far more than the row itself).
        known = self.zone_cells.get(text)
        if known is None:
            known = self._resolve_zone(text)
            if len(self.zone_cells) < MAX_ZONE_CELLS:
                self.zone_cells[text] = known
        return known

    def _resolve_zone(self, text: str) -> tuple[str | None, RowError | None]:
        match = self.cat.zones.resolve(text)
        if match.kind == "found":
            return match.zone_id, None
        if match.kind == "ambiguous":
            return None, RowError(0, "zone", "zone_ambiguous", text, ", ".join(match.zone_ids))
        return None, RowError(0, "zone", "zone_unknown", text, ", ".join(match.suggestions))

    def sector(self, text: str) -> str:
        """A known label, the label of a named national area, or a new local label."""
        key = normalise(text)
        if key in self.labels:
            return self.labels[key]
        area = self.areas.get(key)
        name = text.strip()[:50]
        if area is not None:
            name = area.name_zh.removesuffix("产业")
            if normalise(name) in self.labels:
                return self.labels[normalise(name)]
        label = SectorLabel(label=name, area=area.id if area else None)
        self.new_labels[label.label] = label
        self.labels[normalise(name)] = label.label
        self.labels[key] = label.label
        return label.label

    def known_company(self, text: str) -> str | None:
        """The id of a company the store (or this import) already has by that name."""
        return self.companies.get(normalise(text))

    def company(self, text: str, zone: str, source: str) -> str:
        key = normalise(text)
        if key in self.companies:
            return self.companies[key]
        company_id = derived_id("c", zone, text, self.cat.taken["companies"])
        self.cat.taken["companies"].add(company_id)
        company = Company(id=company_id, name_zh=text.strip(), zone=zone, source=source)
        self.new_companies[company_id] = company
        self.new_company_count += 1
        if len(self.new_company_names) < NEW_NAMES_KEPT:
            self.new_company_names.append(company.name_zh)
        self.companies[key] = company_id
        return company_id

    def take_companies(self) -> tuple[Company, ...]:
        """The new companies made since the last call, forgotten here (their names still
        resolve to their ids)."""
        taken = tuple(self.new_companies.values())
        self.new_companies.clear()
        return taken

    def source(self, text: str) -> str:
        if text in self.sources:
            return self.sources[text]
        key = normalise(text)
        if key in self.sources:
            return self.sources[key]
        source = Source(id=source_id_for(text), title=text.strip()[:2000])
        self.new_sources[source.id] = source
        self.sources[key] = source.id
        return source.id
