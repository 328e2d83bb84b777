"""A big import writes its name-index and label rows once, sorted, rebuilds the indexes it
outgrows, and widens SQLite's caches while it writes (storage/bulk_sorted.py, issue 15 item 7).
The store it leaves is the one the plain path leaves, row for row; a failure half-way leaves
the store, its indexes and its settings as they were."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.core import importing
from bot.core.importing import ImportResult
from storage import Store
from tests.test_upload_streaming import HEADER, _store_rows

ROWS = 2400  # more records than the seeded store's history holds: its indexes are rebuilt


def csv_rows(rows: int, start: int = 0, stage: str = "签约", sectors: int = 0) -> bytes:
    lines = [HEADER]
    for n in range(start, start + rows):
        zone = ("昆山", "嘉兴", "kunshan", "咸宁")[n % 4]
        lines.append(
            f"{zone},排序公司{n % 7}号,排序{n * 7919 % 1000}储能项目{n}号,"
            f"{('固态电池', '新材料;光伏', '')[(n + sectors) % 3]},{stage},2025-0{n % 9 + 1},"
            f"{n % 90 + 1}亿,{n % 300 + 10},第{n}行"
        )
    return ("\n".join(lines) + "\n").encode()


async def seeded(path: Path) -> Store:
    store = await Store.open(path)
    await store.seed()
    await store.load_directory()
    return store


async def import_staged(store: Store, name: str, data: bytes) -> ImportResult:
    """The big-file path (the CLI's and the bot's): records staged, then applied."""
    spool = await store.open_spool()
    try:
        result = await importing.read_upload(name, data, store, flush=spool.add)
        assert result.ok and result.facts is not None, result.errors[:3]
        await store.apply_facts(result.facts, via="file", actor_id=900, spool=spool)
    finally:
        spool.close()
    return result


async def import_whole(store: Store, name: str, data: bytes) -> None:
    """The plain path: every record in one fact file, written chunk by chunk as it stands."""
    result = await importing.read_upload(name, data, store)
    assert result.ok and result.facts is not None
    await store.apply_facts(result.facts, via="file", actor_id=900)


def schema(database: Path) -> list[Any]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()


def fts_settings(database: Path) -> list[Any]:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT k, v FROM search_index_config ORDER BY k").fetchall()


async def cache_size(store: Store) -> int:
    async with store._db.execute("PRAGMA cache_size") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def test_a_big_import_leaves_the_store_the_plain_path_leaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "FLUSH_EVERY", 300)  # many staged chunks
    first = csv_rows(ROWS)
    # Then a smaller file: half of it the same names at a new stage and with other sectors
    # (updated: their old labels go), half new.
    second = csv_rows(ROWS // 4, start=ROWS - ROWS // 8, stage="开工", sectors=1)
    staged, whole = await seeded(tmp_path / "a.sqlite3"), await seeded(tmp_path / "b.sqlite3")
    try:
        default_cache = await cache_size(staged)
        with sqlite3.connect(tmp_path / "a.sqlite3") as db:
            history = db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
        assert history < ROWS  # the first file rebuilds the indexes, the second does not
        for name, data in (("first.csv", first), ("second.csv", second)):
            result = await import_staged(staged, name, data)
            assert result.rows == data.count(b"\n") - 1
            await import_whole(whole, name, data)
            assert await cache_size(staged) == default_cache
        # Search answers from the rows written at the end, sorted, as from the plain path's.
        name = f"排序{(ROWS - 1) * 7919 % 1000}储能项目{ROWS - 1}号"
        hits = [h.record_id for h in await staged.search(name)]
        assert hits and hits == [h.record_id for h in await whole.search(name)]
    finally:
        await staged.close()
        await whole.close()
    a, b = _store_rows(tmp_path / "a.sqlite3"), _store_rows(tmp_path / "b.sqlite3")
    assert len(a["projects"]) >= ROWS + ROWS // 8
    assert any(row[3] == "construction" for row in a["projects"])  # the second file's stage
    for key in a:
        assert a[key] == b[key], key
    # The indexes dropped for the load are back, as they were; the full-text settings too.
    assert schema(tmp_path / "a.sqlite3") == schema(tmp_path / "b.sqlite3")
    assert fts_settings(tmp_path / "a.sqlite3") == fts_settings(tmp_path / "b.sqlite3")


async def test_a_big_import_that_fails_at_the_end_leaves_everything_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "FLUSH_EVERY", 500)
    database = tmp_path / "bot.sqlite3"
    store = await seeded(database)
    try:
        default_cache = await cache_size(store)
        before_schema, before_fts = schema(database), fts_settings(database)
        before = _store_rows(database)
        # A real failure in the last step, after the indexes were dropped: the name index
        # refuses the rows held back until then.
        with sqlite3.connect(database) as db:
            db.execute(
                "CREATE TRIGGER refuse_names BEFORE INSERT ON entity_names "
                "WHEN NEW.kind = 'project' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
            )
        with pytest.raises(sqlite3.DatabaseError, match="disk trouble"):
            await import_staged(store, "big.csv", csv_rows(ROWS))
        assert _store_rows(database) == before
        assert not await store.search("储能项目1号")
        after = schema(database)
        assert [r for r in after if r[1] != "refuse_names"] == before_schema
        assert fts_settings(database) == before_fts
        assert await cache_size(store) == default_cache
        # The same file goes in once the fault is gone.
        with sqlite3.connect(database) as db:
            db.execute("DROP TRIGGER refuse_names")
        await import_staged(store, "big.csv", csv_rows(ROWS))
        assert await store.search("储能项目1号")
    finally:
        await store.close()
    assert schema(database) == before_schema
