"""A spreadsheet sent to the bot streams as the CLI import does (issue 15, item 7): the file is
downloaded to a scratch folder, its rows validated a batch at a time, its records staged in
chunks outside the store, and the store written in one transaction only when every row is
valid. The store ends up exactly as the whole-in-memory path leaves it."""

from __future__ import annotations

import sqlite3
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from bot.core import importing
from bot.core.importing import FLUSH_EVERY
from bot.core.records import FactFile
from bot.core.text import pinyin_terms
from storage import Store
from tests.harness import BotHarness, make_settings, text_of
from tests.test_import_export import upload

ROWS = FLUSH_EVERY * 2 + 500  # three chunks, the last one partial
HEADER = "园区,企业,项目,行业,阶段,日期,总投资,用地亩,备注"


def big_csv(rows: int = ROWS, last_zone: str = "嘉兴", tag: str = "上传") -> bytes:
    lines = [HEADER]
    for n in range(rows):
        zone = last_zone if n == rows - 1 else ("昆山", "嘉兴", "kunshan")[n % 3]
        lines.append(
            f"{zone},{tag}公司{n % 3}号,{tag}流式项目{n}号,固态电池,签约,2025-0{n % 9 + 1},"
            f"{n % 90 + 1}亿,{n % 300 + 10},第{n}行"
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the bot's scratch files go to (checked empty afterwards)."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def counts(database: Path) -> tuple[int, ...]:
    with sqlite3.connect(database) as db:
        return tuple(
            db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("projects", "feed", "search_docs", "entity_names", "companies", "audit")
        )


async def test_a_big_upload_is_imported_whole_and_leaves_no_scratch_files(
    bot: BotHarness, scratch: Path
) -> None:
    text = text_of(await upload(bot, "big.csv", big_csv()))
    assert f"（{ROWS} 行）" in text and f"新增 {ROWS}" in text
    assert (await bot.store.zone_count("jiaxing")).projects >= ROWS // 3
    # The last chunk's records are in the store and found by search, as the first ones are.
    hits = await bot.store.search(f"上传流式项目{ROWS - 1}号")
    assert ["".join(h.title.split()) for h in hits[:1]] == [f"上传流式项目{ROWS - 1}号"]
    assert await bot.store.search("上传流式项目0号")
    assert list(scratch.iterdir()) == []
    # The same file again changes nothing.
    again = text_of(await upload(bot, "big.csv", big_csv()))
    assert "新增 0" in again and f"未变 {ROWS}" in again


async def test_a_bad_row_late_in_a_big_upload_leaves_the_store_untouched(
    bot: BotHarness, scratch: Path
) -> None:
    before = counts(bot.settings.database_path)
    text = text_of(await upload(bot, "late.csv", big_csv(last_zone="火星")))
    # The spreadsheet row of the last record (the header is row 1) is named, with its cell.
    assert f"第 {ROWS + 1} 行" in text and "火星" in text
    assert "没有写入任何内容" in text
    # Two chunks had been staged already: none of them reached the store.
    assert counts(bot.settings.database_path) == before
    assert not await bot.store.search("上传流式项目0号")
    assert list(scratch.iterdir()) == []


async def test_an_upload_holds_a_fraction_of_what_validating_it_whole_takes(
    bot: BotHarness, tmp_path: Path
) -> None:
    rows = ROWS * 2
    data = big_csv(rows, tag="内存")
    pinyin_terms("预热")  # pypinyin's dictionaries, loaded once per process, are not the file's
    # Whole in memory (the bot's path before streaming): every record built, then prepared.
    store = await Store.open(tmp_path / "whole.sqlite3")
    try:
        await store.seed()
        await store.load_directory()
        tracemalloc.start()
        result = await importing.read_upload("whole.csv", data, store)
        assert result.ok and result.facts is not None and len(result.facts.projects) == rows
        await store.apply_facts(result.facts, via="file")
        _, whole = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        await store.close()
    del result
    # Streamed: the upload as an admin sends it, apply included.
    tracemalloc.start()
    text = text_of(await upload(bot, "streamed.csv", data))
    _, streamed = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert f"新增 {rows}" in text
    assert streamed < whole / 2, (streamed, whole)


def _store_rows(database: Path) -> dict[str, list[Any]]:
    """What a user can see of the records: bodies, search index, name index, labels, feed,
    history (timestamps aside)."""
    queries = {
        "projects": "SELECT id, zone_id, company_id, stage, body FROM projects ORDER BY rowid",
        "companies": "SELECT id, body FROM companies ORDER BY id",
        "sources": "SELECT id, body FROM sources ORDER BY id",
        "search": "SELECT d.kind, d.record_id, d.zone_id, s.title, s.body FROM search_docs d "
        "JOIN search_index s ON s.rowid = d.id ORDER BY d.id",
        "names": "SELECT name, kind, record_id, quality FROM entity_names ORDER BY 1, 2, 3",
        "labels": "SELECT kind, record_id, label FROM record_labels ORDER BY 1, 2, 3",
        "feed": "SELECT kind, record_id, change FROM feed ORDER BY seq",
        "audit": "SELECT via, kind, record_id, action, before, after FROM audit ORDER BY id",
    }
    with sqlite3.connect(database) as db:
        return {key: db.execute(sql).fetchall() for key, sql in queries.items()}


async def test_streamed_upload_leaves_the_store_as_the_whole_file_path_does(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The seed's projects as a spreadsheet: some rows as they are (unchanged), some with a new
    # stage or amount (updated, with a change source), some under new names (new records).
    seed_store = await Store.open(tmp_path / "seed.sqlite3")
    try:
        await seed_store.seed()
        projects = await seed_store.live_projects()
    finally:
        await seed_store.close()
    assert len(projects) >= 5
    lines = [HEADER]
    for n, p in enumerate(projects):
        stage = ("投产", "", "开工")[n % 3]
        lines.append(f"{p.zone},,{p.name_zh},,{stage},,,,")
        lines.append(
            f"{p.zone},新公司{n}号,{p.name_zh}二期,新材料;固态电池,签约,"
            f"2025-0{n % 9 + 1},{n + 1}亿,{n + 20},"
        )
    data = ("\n".join(lines) + "\n").encode()
    # Chunks of three rows: the streamed path stages many chunks even for this small file.
    monkeypatch.setattr(importing, "FLUSH_EVERY", 3)

    streamed = BotHarness(make_settings(tmp_path / "a"))
    (tmp_path / "a").mkdir()
    await streamed.start()
    try:
        text = text_of(await upload(streamed, "seed.csv", data))
    finally:
        await streamed.stop()
    assert "新增" in text and "更新" in text and "未变" in text

    whole = await Store.open(tmp_path / "b" / "bot.sqlite3")
    try:
        await whole.seed()
        await whole.load_directory()
        result = await importing.read_upload("seed.csv", data, whole)
        assert result.ok and isinstance(result.facts, FactFile)
        await whole.apply_facts(result.facts, via="file", actor_id=900)
    finally:
        await whole.close()

    a = _store_rows(tmp_path / "a" / "bot.sqlite3")
    b = _store_rows(tmp_path / "b" / "bot.sqlite3")
    assert a["projects"] and a["names"] and a["search"]
    for key in a:
        assert a[key] == b[key], key
    assert list(scratch.iterdir()) == []


async def test_zone_cells_repeated_down_a_file_are_each_resolved_and_each_reported(
    tmp_path: Path,
) -> None:
    # Each distinct zone cell is resolved once per import: a repeated bad cell must still be
    # reported on every row that has it, and every spelling still finds its zone.
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        await store.seed()
        await store.load_directory()
        cells = ("昆山", "kunshan", "崑山", "昆山")
        good = HEADER + "".join(f"\n{z},,{n}号项目,,,,,," for n, z in enumerate(cells)) + "\n"
        result = await importing.read_upload("zones.csv", good.encode(), store)
        assert result.ok and result.facts is not None
        assert {p.zone for p in result.facts.projects} == {"kunshan"}
        bad = f"{HEADER}\n火星,,甲项目,,,,,,\n昆山,,乙项目,,,,,,\n火星,,丙项目,,,,,,\n"
        result = await importing.read_upload("zones.csv", bad.encode(), store)
    finally:
        await store.close()
    assert not result.ok and result.error_count == 2
    assert [(e.row, e.field, e.code, e.value) for e in result.errors] == [
        (2, "zone", "zone_unknown", "火星"),
        (4, "zone", "zone_unknown", "火星"),
    ]
