"""A big import writes as a pipeline (storage/bulk_records.py, issue 15 item 7): while SQLite
writes one staged chunk, a worker thread makes the next chunk's search words, and every
statement takes its chunk as one JSON array. What a user sees must not change: texts that JSON
escapes come back exactly, a failure half-way leaves nothing behind, and the interpreter's
switch interval (lowered while the pipeline runs) comes back."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from bot.core import importing
from bot.core.factfile import FactFile
from bot.core.records import Project, Source
from storage import bulk_records
from tests.test_import_sorted import ROWS, csv_rows, import_staged, import_whole, seeded
from tests.test_upload_streaming import _store_rows

# Everything JSON writes as an escape, and what SQLite's JSON reader must give back unchanged.
AWKWARD = (
    'q"uote \\back\\slash\\n tab\t line\nbreak \u2028sep\u2029 😀 𠀀 <b>&amp;</b> \u00e9e\u0301'
)


async def test_texts_json_escapes_are_stored_and_found_exactly(tmp_path: Path) -> None:
    store = await seeded(tmp_path / "bot.sqlite3")
    try:
        project = Project(
            id="p-kunshan-awkward",
            zone="kunshan",
            name_zh='引号"反斜杠\\项目',
            note=AWKWARD,
            highlights_zh=("第一\\行", "😀亮点"),
            source="s-awkward",
        )
        facts = FactFile(sources=(Source(id="s-awkward", title="测试来源"),), projects=(project,))
        report = await store.apply_facts(facts, via="cli")
        assert report.new["projects"] == ["p-kunshan-awkward"]
        stored = await store.project("p-kunshan-awkward")
        assert stored is not None
        assert stored.note == AWKWARD and stored.name_zh == '引号"反斜杠\\项目'
        assert stored.highlights_zh == ("第一\\行", "😀亮点")
        hits = [h.record_id for h in await store.search("反斜杠")]
        assert hits == ["p-kunshan-awkward"]
        history = await store.history("project", "p-kunshan-awkward")
        with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
            [(body,)] = db.execute("SELECT body FROM projects WHERE id = 'p-kunshan-awkward'")
        assert body == project.model_dump_json(exclude={"learned_at"}, exclude_none=True)
        assert [(e.action, e.after) for e in history] == [("new", body)]
    finally:
        await store.close()


async def test_a_failure_half_way_through_the_pipeline_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "FLUSH_EVERY", 300)  # eight turns
    database = tmp_path / "bot.sqlite3"
    store = await seeded(database)
    interval = sys.getswitchinterval()
    try:
        before = _store_rows(database)
        # The sixth turn's insert fails inside SQLite while the seventh is being planned.
        failing = f"排序{1500 * 7919 % 1000}储能项目1500号"
        with sqlite3.connect(database) as db:
            db.execute(
                "CREATE TRIGGER refuse_one BEFORE INSERT ON projects "
                f"WHEN NEW.body LIKE '%{failing}%' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
            )
        with pytest.raises(sqlite3.DatabaseError, match="disk trouble"):
            await import_staged(store, "big.csv", csv_rows(ROWS))
        assert _store_rows(database) == before
        assert not await store.search("储能项目1号")
        assert sys.getswitchinterval() == interval
        with sqlite3.connect(database) as db:
            db.execute("DROP TRIGGER refuse_one")
        await import_staged(store, "big.csv", csv_rows(ROWS))
        assert [h.record_id for h in await store.search(failing)]
    finally:
        await store.close()


async def test_the_switch_interval_is_short_only_while_the_pipeline_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "FLUSH_EVERY", 500)
    seen: list[float] = []
    apply = bulk_records.apply_batch

    async def watched(*args: object, **kwargs: object) -> None:
        seen.append(sys.getswitchinterval())
        await apply(*args, **kwargs)  # type: ignore[arg-type]

    interval = sys.getswitchinterval()
    staged, whole = await seeded(tmp_path / "a.sqlite3"), await seeded(tmp_path / "b.sqlite3")
    monkeypatch.setattr(bulk_records, "apply_batch", watched)
    try:
        await import_staged(staged, "big.csv", csv_rows(ROWS))
        during_pipeline = list(seen)
        seen.clear()
        await import_whole(whole, "big.csv", csv_rows(ROWS))
    finally:
        await staged.close()
        await whole.close()
    assert sys.getswitchinterval() == interval
    assert len(during_pipeline) >= ROWS // 500  # one write a staged chunk
    assert set(during_pipeline) == {bulk_records.HANDOFF_SECONDS}
    assert seen and set(seen) == {interval}  # the plain path leaves it alone
    assert _store_rows(tmp_path / "a.sqlite3") == _store_rows(tmp_path / "b.sqlite3")
