"""The companies of a fact file written in bulk (issue 15, item 7).

A file whose rows each name a new company brings as many companies as records: written one by
one (a dozen round trips each, as before 2026-12-02), 200,000 of them took minutes. Here each
chunk is decided against the store in one read and every table is written with one statement
that reads the chunk as a JSON array, as for projects and events (storage/bulk_records.py).
The rows stored are those the one-by-one writer stored, row for row (bench/compare_stores.py
on 20,000 rows with a company each); tests/test_import_companies.py checks what users see.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import aiosqlite

from bot.core.records import ApplyReport, Company
from storage.bulk_records import (
    as_json,
    index_texts,
    last_doc,
    stored_body,
    stored_rows,
)
from storage.bulk_sorted import SortedRows
from storage.name_index import name_forms

CHUNK = 2000


class CompanyRow(NamedTuple):
    """One company as it will be stored: body, search text, name-index rows (a tuple: a big
    import stages one per row)."""

    company_id: str
    zone_id: str | None
    body: str
    title: str
    text: str
    names: tuple[tuple[str, int], ...]


def company_index(company: Company) -> tuple[str, list[str | None], tuple[str | None, ...]]:
    """A company's search title, search body parts and names (what ``_index`` is given)."""
    people = [f"{p.name} {p.role_zh or ''} {p.role_en or ''}" for p in company.people]
    return (
        f"{company.short_zh or company.name_zh} {company.name_en or ''}",
        [company.name_zh, company.parent, company.description_zh, company.description_en, *people],
        (company.name_zh, company.short_zh, company.name_en),
    )


def company_rows(companies: Iterable[Company]) -> list[CompanyRow]:
    """What storing each company writes (made off the event loop: pinyin is slow)."""
    out: list[CompanyRow] = []
    for company in companies:
        title, parts, names = company_index(company)
        fts_title, fts_body = index_texts(title, parts)
        forms = name_forms("company", names, company.parent) if any(names) else {}
        out.append(
            CompanyRow(
                company.id,
                company.zone,
                stored_body(company),
                fts_title,
                fts_body,
                tuple(forms.items()),
            )
        )
    return out


async def write_companies(
    db: aiosqlite.Connection,
    companies: Sequence[Company],
    now: str,
    via: str,
    actor_id: int | None,
    report: ApplyReport,
) -> None:
    """Inside the caller's transaction: every company new or changed, written a chunk at a
    time; the report says which were new, updated, unchanged or deleted (left so)."""
    for start in range(0, len(companies), CHUNK):
        rows = await asyncio.to_thread(company_rows, companies[start : start + CHUNK])
        await _write_chunk(db, rows, now, via, actor_id, report)


async def write_staged_companies(
    db: aiosqlite.Connection,
    staged: Iterator[list[CompanyRow]],
    now: str,
    via: str,
    actor_id: int | None,
    report: ApplyReport,
    held: SortedRows,
) -> None:
    """Like ``write_companies``, for the rows a big import staged (storage/import_spool.py),
    read back a chunk at a time off the event loop; their name-index and search-index rows
    wait in ``held`` with the records' (storage/bulk_sorted.py)."""
    nothing: list[CompanyRow] = []
    while rows := await asyncio.to_thread(next, staged, nothing):
        await _write_chunk(db, rows, now, via, actor_id, report, held)


async def _write_chunk(
    db: aiosqlite.Connection,
    rows: Sequence[CompanyRow],
    now: str,
    via: str,
    actor_id: int | None,
    report: ApplyReport,
    held: SortedRows | None = None,
) -> None:
    stored = await stored_rows(db, "companies", [r.company_id for r in rows])
    changed: list[CompanyRow] = []
    audit: list[tuple[str, str, str | None, str]] = []
    for row in rows:
        found = stored.get(row.company_id)
        if found is None:
            report.add("new", "companies", row.company_id)
            audit.append((row.company_id, "new", None, row.body))
        elif found[1] is not None:
            report.skipped_deleted.append(f"companies:{row.company_id}")
            continue
        elif found[0] == row.body:
            report.add("unchanged", "companies", row.company_id)
            continue
        else:
            report.add("updated", "companies", row.company_id)
            audit.append((row.company_id, "update", found[0], row.body))
        changed.append(row)
    if not changed:
        return
    ids = as_json([r.company_id for r in changed])
    await db.execute(
        "INSERT INTO companies(id, zone_id, body) "
        "SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) WHERE true "
        "ON CONFLICT(id) DO UPDATE SET zone_id = excluded.zone_id, body = excluded.body",
        (as_json([[r.company_id, r.zone_id, r.body] for r in changed]),),
    )
    # Their earlier search and name rows go first (as ``_unindex`` does for one).
    docs = (
        "SELECT d.id FROM json_each(?1) AS j CROSS JOIN search_docs AS d "
        "ON d.kind = 'company' AND d.record_id = j.value"
    )
    await db.execute(f"DELETE FROM search_index WHERE rowid IN ({docs})", (ids,))
    await db.execute(f"DELETE FROM search_docs WHERE id IN (SELECT id FROM ({docs}))", (ids,))
    await db.execute(
        "DELETE FROM entity_names WHERE kind = 'company' AND record_id IN "
        "(SELECT value FROM json_each(?))",
        (ids,),
    )
    names: list[Any] = [
        (form, "company", r.company_id, quality) for r in changed for form, quality in r.names
    ]
    if held is not None:
        await held.names(as_json(names))
    else:
        await db.execute(
            "INSERT OR REPLACE INTO entity_names(name, kind, record_id, quality) "
            "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?)",
            (as_json(names),),
        )
    first = await last_doc(db)
    docs_json = as_json([[r.company_id, r.zone_id, r.title, r.text] for r in changed])
    await db.execute(
        "INSERT INTO search_docs(id, kind, record_id, zone_id) "
        "SELECT ?2 + key + 1, 'company', value ->> 0, value ->> 1 FROM json_each(?1)",
        (docs_json, first),
    )
    if held is not None:
        await held.search(docs_json, first)
    else:
        await db.execute(
            "INSERT INTO search_index(rowid, title, body) "
            "SELECT ?2 + key + 1, value ->> 2, value ->> 3 FROM json_each(?1)",
            (docs_json, first),
        )
    await db.execute(
        "INSERT INTO audit(at, actor_id, via, kind, record_id, action, before, after) "
        "SELECT ?2, ?3, ?4, 'company', value ->> 0, value ->> 1, value ->> 2, value ->> 3 "
        "FROM json_each(?1)",
        (as_json(audit), now, actor_id, via),
    )
