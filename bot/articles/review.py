"""Review items from a draft fact file, matched against the store, and the file an accept applies.

An extractor returns one fact-file document per article, with a ``review:`` mapping (field ->
evidence sentence) on each record. Projects, events and zone figures become review cards;
companies become cards only when no drafted project or event names them (otherwise they go
in with the record that refers to them); sources, zones and sector labels go in with whatever
refers to them. All plain data: no Telegram, no SQL.
"""

from __future__ import annotations

import copy
import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

Doc = dict[str, Any]
CARD_SECTIONS = ("projects", "events", "figures", "companies")
SUPPORT_SECTIONS = ("sources", "areas", "labels", "zones", "companies", "events")
SIMILAR_NAME = 85
# Fields compared and shown when a draft updates a stored record (the rest is bookkeeping).
QUIET_FIELDS = frozenset({"id", "source", "review", "learned_at"})


@dataclass
class DraftItem:
    """One card: a drafted record, its evidence, and the stored record it would update."""

    section: str
    record: Doc
    evidence: dict[str, str] = field(default_factory=dict)
    target: str | None = None

    @property
    def record_id(self) -> str:
        return str(self.record.get("id", ""))

    @property
    def name(self) -> str:
        for key in ("name_zh", "title_zh", "id"):
            if self.record.get(key):
                return str(self.record[key])
        return ""


@dataclass
class Draft:
    """An article's drafts: the cards in order and what they may refer to."""

    items: list[DraftItem]
    support: dict[str, list[Doc]]

    @property
    def source(self) -> Doc | None:
        sources = self.support.get("sources") or []
        return sources[0] if sources else None


def _evidence(record: Mapping[str, Any]) -> dict[str, str]:
    raw = record.get("review")
    if isinstance(raw, Mapping):
        return {str(k): _flat(v) for k, v in raw.items() if v not in (None, "")}
    if isinstance(raw, str) and raw.strip():
        return {"": raw.strip()}
    return {}


def _flat(value: object) -> str:
    if isinstance(value, list | tuple):
        return " / ".join(str(v) for v in value)
    return str(value)


def split_draft(doc: Mapping[str, Any]) -> Draft:
    """Cards for projects, events, figures and companies no other record names; the rest support."""
    keys = ("sources", "areas", "labels", "zones", "companies", "projects", "events", "figures")
    sections: dict[str, list[Doc]] = {
        key: [dict(copy.deepcopy(r)) for r in doc.get(key) or [] if isinstance(r, Mapping)]
        for key in keys
    }
    named: set[str] = set()
    for project in sections["projects"]:
        if project.get("company"):
            named.add(str(project["company"]))
    for event in sections["events"]:
        named.update(str(c) for c in event.get("companies") or [])
    items: list[DraftItem] = []
    for section in ("projects", "events", "figures"):
        items += [DraftItem(section, r, _evidence(r)) for r in sections[section]]
    items += [
        DraftItem("companies", c, _evidence(c))
        for c in sections["companies"]
        if str(c.get("id")) not in named
    ]
    support = {key: sections[key] for key in SUPPORT_SECTIONS}
    return Draft(items, support)


# ---- matching drafts to stored records ---------------------------------------------------


def _norm(text: object) -> str:
    raw = unicodedata.normalize("NFKC", str(text or "")).lower()
    return "".join(ch for ch in raw if ch.isalnum())


def similar(a: object, b: object) -> bool:
    left, right = _norm(a), _norm(b)
    if not left or not right:
        return False
    if left == right:
        return True
    return fuzz.ratio(left, right) >= SIMILAR_NAME


@dataclass(frozen=True)
class Stored:
    """What the store holds near an article's zones, as plain dicts, to match drafts against."""

    projects: Sequence[Doc] = ()
    events: Sequence[Doc] = ()
    figures: Sequence[Doc] = ()
    companies: Sequence[tuple[str, tuple[str, ...]]] = ()  # (id, names)


def company_matches(draft: Draft, stored: Stored) -> dict[str, str]:
    """Drafted company id -> stored company id, for companies the store already has by name."""
    out: dict[str, str] = {}
    for company in draft.support.get("companies", []):
        names = [company.get("name_zh"), company.get("short_zh")]
        for stored_id, stored_names in stored.companies:
            if stored_id == company.get("id") or any(
                n and _norm(n) == _norm(s) for n in names for s in stored_names
            ):
                out[str(company.get("id"))] = stored_id
                break
    return out


def _project_match(record: Doc, projects: Iterable[Doc]) -> str | None:
    for stored in projects:
        if stored.get("zone") != record.get("zone"):
            continue
        same_company = record.get("company") and record.get("company") == stored.get("company")
        if similar(record.get("name_zh"), stored.get("name_zh")) or (
            same_company and _norm(record.get("name_zh")) in _norm(stored.get("name_zh"))
        ):
            return str(stored["id"])
        if same_company and not record.get("name_zh"):
            return str(stored["id"])
    return None


def _event_match(record: Doc, events: Iterable[Doc]) -> str | None:
    for stored in events:
        if stored.get("zone") != record.get("zone"):
            continue
        dates = (record.get("date"), stored.get("date"))
        if all(dates) and dates[0] != dates[1]:
            continue
        if similar(record.get("title_zh"), stored.get("title_zh")):
            return str(stored["id"])
    return None


def _figure_match(record: Doc, figures: Iterable[Doc]) -> str | None:
    for stored in figures:
        if (
            stored.get("zone") == record.get("zone")
            and _norm(stored.get("name_zh")) == _norm(record.get("name_zh"))
            and stored.get("period") == record.get("period")
        ):
            return str(stored["id"])
    return None


def match(draft: Draft, stored: Stored, taken: set[str]) -> None:
    """Point each card at the stored record it updates; give new records ids not yet taken.

    Company references are rewritten to stored companies of the same name, so an accepted
    draft never adds a second copy of a company the store has.
    """
    companies = company_matches(draft, stored)
    renamed: dict[str, str] = {}
    for item in draft.items:
        record = item.record
        if record.get("company") in companies:
            record["company"] = companies[record["company"]]
        if record.get("companies"):
            record["companies"] = [companies.get(c, c) for c in record["companies"]]
        if item.section == "projects":
            item.target = _project_match(record, stored.projects)
        elif item.section == "events":
            item.target = _event_match(record, stored.events)
        elif item.section == "figures":
            item.target = _figure_match(record, stored.figures)
        elif item.section == "companies":
            item.target = companies.get(item.record_id)
        if item.target is None and item.record_id in taken:
            new_id = _free_id(item.record_id, taken)
            renamed[item.record_id] = new_id
            record["id"] = new_id
        taken.add(str(record.get("id")))
    draft.support["companies"] = [
        c for c in draft.support.get("companies", []) if str(c.get("id")) not in companies
    ]
    if renamed:
        for item in draft.items:
            if item.record.get("event") in renamed:
                item.record["event"] = renamed[item.record["event"]]
            if item.record.get("part_of") in renamed:
                item.record["part_of"] = renamed[item.record["part_of"]]


def _free_id(base: str, taken: set[str]) -> str:
    stem = base[:44]
    for number in range(2, 10_000):
        candidate = f"{stem}-{number}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free id for {base}")  # pragma: no cover


# ---- updates -----------------------------------------------------------------------------


def changes(existing: Mapping[str, Any], draft: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, stored value, value after the update) for each field the update would change."""
    after = merged(existing, draft)
    out: list[tuple[str, Any, Any]] = []
    for key, value in after.items():
        if key in QUIET_FIELDS:
            continue
        old = existing.get(key)
        if _norm_value(old) != _norm_value(value):
            out.append((key, old, value))
    return out


def _norm_value(value: object) -> object:
    if isinstance(value, list | tuple):
        return tuple(_norm_value(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _norm_value(v)) for k, v in value.items()))
    return None if value in (None, "") else str(value)


def merged(existing: Mapping[str, Any], draft: Mapping[str, Any]) -> Doc:
    """The stored record with the draft's given fields over it; the stored id is kept.

    Lists (figures, highlights, sectors) are joined, stored items first, so an update adds
    what the article says without dropping what the store knew.
    """
    out = dict(existing)
    out.pop("learned_at", None)
    for key, value in draft.items():
        if key in ("id", "learned_at") or value in (None, "", [], ()):
            continue
        old = out.get(key)
        if isinstance(value, list | tuple) and isinstance(old, list | tuple):
            seen = [_norm_value(v) for v in old]
            out[key] = [*old, *(v for v in value if _norm_value(v) not in seen)]
        else:
            out[key] = value
    return out


# ---- what an accept applies --------------------------------------------------------------


def acceptance(
    item: DraftItem,
    support: Mapping[str, Sequence[Doc]],
    *,
    existing: Mapping[str, Any] | None,
    known: Mapping[str, AbstractSet[str]],
    keep_review: bool,
    previous_source: str | None = None,
) -> Doc:
    """The fact-file document that puts one card's record in the store.

    ``known`` holds the ids the store already has per section (zones, companies, events,
    labels, figures, sources); references the store cannot satisfy and the draft does not
    carry (an event nobody accepted) are dropped rather than failing the accept.
    """
    record = dict(item.record)
    if not keep_review:
        record.pop("review", None)
    change_source: Doc | None = None
    if existing is not None:
        record = merged(existing, record)
        if not keep_review:
            record.pop("review", None)
        change_source = _change_source(item, support, existing, previous_source)
        if change_source is not None:
            record["source"] = change_source["id"]
    doc: Doc = {"sources": [], item.section: [record]}
    by_id = {key: {str(r.get("id")): r for r in support.get(key, [])} for key in support}
    labels = {str(r.get("label")): r for r in support.get("labels", [])}

    def carry(section: str, ref: object) -> bool:
        ref = str(ref)
        if ref in known.get(section, frozenset()):
            return True
        found = by_id.get(section, {}).get(ref)
        if found is None:
            return False
        rows = doc.setdefault(section, [])
        if all(r.get("id") != ref for r in rows):
            rows.append(_strip(found, keep_review))
        return True

    if record.get("zone") and not carry("zones", record["zone"]):
        record.pop("zone")
    if record.get("company") and not carry("companies", record["company"]):
        record.pop("company")
    if record.get("companies"):
        record["companies"] = [c for c in record["companies"] if carry("companies", c)]
    if record.get("event") and record["event"] not in known.get("events", frozenset()):
        record.pop("event")
    if record.get("part_of") and record["part_of"] not in known.get("figures", frozenset()):
        record.pop("part_of")
    wanted_labels = [
        *record.get("sectors", []),
        *([record["sector"]] if record.get("sector") else []),
    ]
    for company in doc.get("companies", []):
        if company.get("zone"):
            carry("zones", company["zone"])
    for label in wanted_labels:
        if label not in known.get("labels", frozenset()) and label in labels:
            found = labels[label]
            doc.setdefault("labels", []).append(_strip(found, keep_review))
            if found.get("area") and found["area"] not in known.get("areas", frozenset()):
                carry("areas", found["area"])
    sources = {
        str(r.get("source")) for key in doc if key != "sources" for r in doc[key] if r.get("source")
    }
    for source in [*support.get("sources", []), *([change_source] if change_source else [])]:
        if str(source.get("id")) in sources and source.get("id") not in known.get(
            "sources", frozenset()
        ):
            doc["sources"].append(_strip(source, keep_review))
    return doc


def _change_source(
    item: DraftItem,
    support: Mapping[str, Sequence[Doc]],
    existing: Mapping[str, Any],
    previous_title: str | None,
) -> Doc | None:
    """For an update: a source naming the article and the record's earlier source, so the
    facts kept from before are not credited to the article alone (as /edit does)."""
    previous = existing.get("source")
    new = item.record.get("source")
    if not previous or not new or previous == new:
        return None
    article = next((s for s in support.get("sources", []) if s.get("id") == new), {"id": new})
    digest = hashlib.sha256(str(previous).encode()).hexdigest()[:6]
    title = str(article.get("title") or new)
    shown = previous_title or str(previous)
    out = {k: v for k, v in article.items() if k != "review"}
    out.update(
        id=f"{str(new)[:40]}-u{digest}",
        title=f"{title}（更新；原始来源：{shown[:300]}）"[:2000],
        note=f"更新前的来源：{previous}「{shown[:2800]}」",
    )
    return out


def _strip(record: Mapping[str, Any], keep_review: bool) -> Doc:
    out = dict(record)
    if not keep_review:
        out.pop("review", None)
    return out
