"""Drafted companies the store already holds: the draft reuses the stored company's id.

A company is the same when one of its drafted names (full or short), normalised, is one of the
stored company's names normalised the same way (NFKC, case folded, letters and digits only):
浙江丰茂科技股份有限公司 and 浙江丰茂科技股份有限公司 (full-width brackets or spaces apart) are
one company; 丰茂 and 丰茂股份 are not (no guessing from a part of a name).

The drafted record keeps only what the article says, under the stored id, so importing the
reviewed draft updates that company instead of adding a second copy. The stored record's
names (full, short, English) and kind are kept where the article gives none, so the update
does not lose the names the company is looked up by; a review note says what is going on.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class KnownCompany:
    """A company already in the store, with the names it is stored under."""

    id: str
    names: tuple[str, ...]  # name_zh, short_zh, name_en as stored
    name_zh: str | None = None
    short_zh: str | None = None
    name_en: str | None = None
    kind: str | None = None


def name_key(text: object) -> str:
    """A company name for comparison: NFKC, case folded, letters and digits only."""
    raw = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(ch for ch in raw if ch.isalnum())


def _index(companies: Iterable[KnownCompany]) -> dict[str, KnownCompany]:
    """Normalised name -> company; a name two stored companies share matches neither."""
    found: dict[str, KnownCompany] = {}
    shared: set[str] = set()
    for company in companies:
        for name in company.names:
            key = name_key(name)
            if len(key) < 2:
                continue
            if key in found and found[key].id != company.id:
                shared.add(key)
            found.setdefault(key, company)
    for key in shared:
        del found[key]
    return found


def _free(base: str, taken: Collection[str], used: set[str]) -> str:
    for number in range(2, 10_000):
        candidate = f"{base[:42]}-{number}"
        if candidate not in taken and candidate not in used:
            return candidate
    raise ValueError(f"no free id near {base}")  # pragma: no cover - 10,000 namesakes


def reuse_company_ids(
    doc: dict[str, Any], companies: Sequence[KnownCompany], taken: Collection[str] = ()
) -> dict[str, str]:
    """Give drafted companies the ids of stored companies of the same name, in place.

    A drafted company the store does not have, whose id another stored company already uses
    (two names with the same first characters make the same id), or a deleted one used, gets
    a free id instead: importing it must not overwrite that other company. `taken` holds every
    company id the store has used, deleted ones included.

    References (a project's `company`, an event's `companies`) follow. Returns the drafted id
    -> final id mapping (empty when nothing changed).
    """
    if not doc.get("companies") or not (companies or taken):
        return {}
    by_name = _index(companies)
    stored_ids = {c.id for c in companies} | set(taken)
    renamed: dict[str, str] = {}
    kept: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    drafted_ids = {str(r.get("id")) for r in doc["companies"]}
    for record in doc["companies"]:
        names = (record.get("name_zh"), record.get("short_zh"), record.get("name_en"))
        stored = next((by_name[k] for k in map(name_key, names) if k in by_name), None)
        if stored is None:
            old = str(record.get("id"))
            if old in stored_ids:  # another company's id: a new one for this company
                new = _free(old, stored_ids, drafted_ids | seen_ids)
                renamed[old] = new
                record["id"] = new
            seen_ids.add(str(record["id"]))
            kept.append(record)
            continue
        old = str(record.get("id"))
        renamed[old] = stored.id
        if stored.id in seen_ids:
            continue  # two drafted forms of one stored company: the first one stands
        seen_ids.add(stored.id)
        record["id"] = stored.id
        for key in ("name_zh", "short_zh", "name_en", "kind"):
            value = getattr(stored, key)
            if value and not record.get(key):
                record[key] = value
        review = record.setdefault("review", {})
        review["id_note"] = (
            f"库中已有同名企业（{stored.name_zh or stored.id}，id {stored.id}），本条沿用其 id："
            "导入即更新该企业，不另建一家；请核对后导入"
        )
        kept.append(record)
    doc["companies"] = kept
    if renamed:
        for section in ("projects", "events", "figures"):
            for record in doc.get(section) or []:
                if record.get("company") in renamed:
                    record["company"] = renamed[record["company"]]
                if record.get("companies"):
                    record["companies"] = list(
                        dict.fromkeys(renamed.get(c, c) for c in record["companies"])
                    )
    return renamed
