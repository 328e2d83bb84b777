"""A file that names a new company on every row (issue 15, item 7): its companies are written a
chunk at a time (storage/bulk_companies.py) and each staged chunk checks only the companies it
adds (storage/import_spool.py). What a user sees of a company (its card, the search, the name
index, the history, the import's report) is what writing them one by one gave."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from bot.core import importing
from bot.core.factfile import FactFileError, KnownIds
from bot.core.records import Company, FactFile, Project, Source
from bot.texts.admin import import_done
from storage import Store
from storage.import_spool import ImportSpool
from tests.test_import_sorted import import_staged, seeded
from tests.test_upload_streaming import HEADER, _store_rows

ROWS = 900


def company_rows(rows: int) -> bytes:
    lines = [HEADER]
    for n in range(rows):
        lines.append(
            f"{('昆山', '嘉兴', '咸宁')[n % 3]},星河{n}号精密制造有限公司,星河{n}号精密件项目,"
            f"新材料,签约,2025-0{n % 9 + 1},{n % 90 + 1}亿,{n % 300 + 10},第{n}行"
        )
    return ("\n".join(lines) + "\n").encode()


async def hits_of(store: Store, text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.record_id) for h in await store.search(text)]


def rows_of(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as db:
        return db.execute(sql).fetchall()


async def test_a_company_on_every_row_is_stored_found_and_in_the_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "FLUSH_EVERY", 200)  # the companies grow chunk by chunk
    database = tmp_path / "bot.sqlite3"
    store = await seeded(database)
    try:
        result = await import_staged(store, "firms.csv", company_rows(ROWS))
        # The reply names the first few and counts them all.
        assert result.new_company_count == ROWS
        assert result.new_companies[:2] == ["星河0号精密制造有限公司", "星河1号精密制造有限公司"]
        assert len(result.new_companies) == 30
        counts = await store.counts()
        assert counts["companies"] >= ROWS and counts["projects"] >= ROWS
        last = ROWS - 1
        # Found by its name, alone and with the record it made.
        hits = await hits_of(store, f"星河{last}号精密制造")
        assert hits and hits[0][0] == "company"
        company = await store.company(hits[0][1])
        assert company is not None and company.name_zh == f"星河{last}号精密制造有限公司"
        found = await hits_of(store, f"星河{last}号精密件项目")
        project = await store.project(next(r for k, r in found if k == "project"))
        assert project is not None and project.company == company.id
        # Each company once in the history, as new, and once in the name index at least.
        audit = rows_of(
            database, "SELECT record_id, action FROM audit WHERE kind = 'company' AND via = 'file'"
        )
        assert len(audit) == ROWS and {a for _, a in audit} == {"new"}
        named = rows_of(
            database,
            "SELECT COUNT(DISTINCT record_id) FROM entity_names WHERE kind = 'company'",
        )
        assert int(str(named[0][0])) >= ROWS
        # One search document each: the index is not left with doubles.
        docs = rows_of(
            database,
            "SELECT record_id, COUNT(*) FROM search_docs WHERE kind = 'company' "
            "GROUP BY record_id HAVING COUNT(*) > 1",
        )
        assert docs == []
    finally:
        await store.close()


async def test_a_streamed_file_hands_each_new_company_over_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays flat: each chunk carries only the companies its rows made, and the file's
    final fact file none; the upload's reply still names the first and counts them all."""
    monkeypatch.setattr(importing, "FLUSH_EVERY", 200)
    store = await seeded(tmp_path / "bot.sqlite3")
    spool = await store.open_spool()
    handed: list[int] = []

    async def flush(facts: FactFile) -> None:
        handed.append(len(facts.companies))
        await spool.add(facts)

    try:
        result = await importing.read_upload("firms.csv", company_rows(ROWS), store, flush=flush)
        assert result.ok and result.facts is not None
        assert result.facts.companies == () and result.facts.projects == ()
        assert sum(handed) == ROWS and len(handed) > 1
        assert max(handed) <= max(importing.BATCH, importing.FLUSH_EVERY)
        report = await store.apply_facts(result.facts, via="file", spool=spool)
        assert len(report.new["companies"]) == ROWS
        new = len(report.new["projects"])
        reply = import_done("zh", "firms.csv", result, new, 0, 0, [])
        assert "星河0号精密制造有限公司" in reply and f"等 {ROWS} 家" in reply
        english = import_done("en", "firms.csv", result, new, 0, 0, [])
        assert f"and {ROWS - 30} more" in english
    finally:
        spool.close()
        await store.close()


async def test_a_changed_company_replaces_its_search_words_and_a_deleted_one_stays_deleted(
    tmp_path: Path,
) -> None:
    store = await seeded(tmp_path / "bot.sqlite3")
    source = Source(id="s-firms", title="企业名录")
    firms = [
        Company(
            id=f"c-firm-{n}",
            name_zh=f"澄湖{n}号材料公司",
            description_zh="旧业务：铸造",
            zone="kunshan",
            source="s-firms",
        )
        for n in range(3)
    ]
    try:
        first = await store.apply_facts(FactFile(sources=(source,), companies=tuple(firms)), "cli")
        assert sorted(first.new["companies"]) == ["c-firm-0", "c-firm-1", "c-firm-2"]
        assert await store.delete_record("company", "c-firm-2", via="cli")
        changed = firms[0].model_copy(update={"description_zh": "新业务：碳纤维"})
        second = await store.apply_facts(
            FactFile(sources=(source,), companies=(changed, firms[1], firms[2])), "cli"
        )
        assert second.updated["companies"] == ["c-firm-0"]
        assert second.unchanged["companies"] == ["c-firm-1"]
        assert second.skipped_deleted == ["companies:c-firm-2"]
        assert [h.record_id for h in await store.search("碳纤维")] == ["c-firm-0"]
        assert [h.record_id for h in await store.search("铸造")] == ["c-firm-1"]
        assert await store.company("c-firm-2") is None
        history = await store.history("company", "c-firm-0")
        assert [e.action for e in history][:2] in (["update", "new"], ["new", "update"])
        update = next(e for e in history if e.action == "update")
        assert update.before is not None and "铸造" in update.before
        assert update.after is not None and "碳纤维" in update.after
    finally:
        await store.close()


async def test_each_staged_chunk_checks_the_companies_it_adds(tmp_path: Path) -> None:
    store = await seeded(tmp_path / "bot.sqlite3")
    spool = ImportSpool(
        store._read, KnownIds(zones=frozenset({"kunshan"}), sources=frozenset({"s"}))
    )
    try:
        one = Company(id="c-one", name_zh="一号公司", source="s")
        two = Company(id="c-two", name_zh="二号公司", source="s")

        def project(n: int, company: str) -> Project:
            return Project(
                id=f"p-{n}", zone="kunshan", name_zh=f"项目{n}", company=company, source="s"
            )

        await spool.add(FactFile(companies=(one,), projects=(project(1, "c-one"),)))
        # Each chunk brings the companies new since the one before: a reference to a company
        # staged earlier is good, one to a company nobody made is not.
        await spool.add(FactFile(companies=(two,), projects=(project(2, "c-one"),)))
        with pytest.raises(FactFileError) as caught:
            await spool.add(FactFile(projects=(project(3, "c-nobody"),)))
        assert "c-nobody" in str(caught.value.problems)
        assert (spool.records, spool.companies) == (2, 2)
    finally:
        spool.close()
        await store.close()


async def test_a_failure_while_companies_are_written_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "FLUSH_EVERY", 100)  # the third of four chunks fails
    database = tmp_path / "bot.sqlite3"
    store = await seeded(database)
    interval = sys.getswitchinterval()
    try:
        before = _store_rows(database)
        with sqlite3.connect(database) as db:
            db.execute(
                "CREATE TRIGGER refuse_firm BEFORE INSERT ON companies "
                "WHEN NEW.body LIKE '%星河250号%' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
            )
        with pytest.raises(sqlite3.DatabaseError, match="disk trouble"):
            await import_staged(store, "firms.csv", company_rows(400))
        assert _store_rows(database) == before
        assert not await store.search("星河10号精密制造")
        assert sys.getswitchinterval() == interval
    finally:
        await store.close()
