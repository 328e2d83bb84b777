"""The SQLite store: migrations, safe opening, seeding, all-or-nothing fact files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.core.factfile import FactFileError, load_seed, load_text
from storage import Store, StoreError
from storage.migrations import MIGRATIONS

NEW_PROJECT = """
projects:
  - id: kunshan-test-line
    zone: kunshan
    name_zh: 测试产线项目
    sectors: [新能源]
    stage: signed
    total_investment: 3亿
    source: p000-kunshan
"""


async def test_migrations_run_once_and_reopening_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = await Store.open(path)
    await store.seed()
    counts = await store.counts()
    await store.close()
    store = await Store.open(path)
    assert await store.scalar("PRAGMA user_version") == len(MIGRATIONS)
    assert await store.counts() == counts
    assert await store.scalar("PRAGMA journal_mode") == "wal"
    assert await store.scalar("PRAGMA foreign_keys") == 1
    await store.close()


async def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("my precious notes")
    with pytest.raises(StoreError) as caught:
        await Store.open(path)
    assert "not a SQLite database" in str(caught.value)
    assert path.read_text() == "my precious notes"


async def test_a_folder_as_database_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        await Store.open(tmp_path)


async def test_a_database_from_a_newer_bot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    with pytest.raises(StoreError, match="newer version"):
        await Store.open(path)


async def test_seeding_twice_changes_nothing(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    first = await store.seed()
    assert first is not None and first.count("new") > 0
    feed = await store.max_seq()
    assert await store.seed() is None
    # Even applied again by force, every record is unchanged and the feed does not grow.
    again = await store.apply_facts(load_seed(), via="seed")
    assert again.count("new") == 0 and again.count("updated") == 0
    assert await store.max_seq() == feed
    await store.close()


async def test_a_new_record_enters_the_feed_and_the_audit(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    await store.seed()
    before = await store.max_seq()
    report = await store.apply_facts(load_text(NEW_PROJECT), via="cli", actor_id=7)
    assert report.new == {"projects": ["kunshan-test-line"]}
    items = await store.feed_after(before)
    assert [(i.kind, i.record_id, i.change) for i in items] == [
        ("project", "kunshan-test-line", "new")
    ]
    audit = await store.fetchall(
        "SELECT via, actor_id, action FROM audit WHERE record_id = ?", ("kunshan-test-line",)
    )
    assert [tuple(r) for r in audit] == [("cli", 7, "new")]
    # A stage change is a feed item too; an unchanged re-import is not.
    moved = NEW_PROJECT.replace("stage: signed", "stage: construction")
    await store.apply_facts(load_text(moved), via="cli")
    await store.apply_facts(load_text(moved), via="cli")
    changes = [i.change for i in await store.feed_after(before)]
    assert changes == ["new", "stage"]
    await store.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            NEW_PROJECT.replace("3亿", "abc"),
            "projects[0] (kunshan-test-line): field total_investment",
        ),
        (NEW_PROJECT.replace("zone: kunshan", "zone: atlantis"), "unknown zone 'atlantis'"),
        (NEW_PROJECT + NEW_PROJECT.replace("projects:\n", ""), "id is a duplicate"),
        (NEW_PROJECT.replace("stage: signed", "stage: 42"), "field stage"),
        (NEW_PROJECT.replace("[新能源]", "[火星能源]"), "unknown label '火星能源'"),
        ("projects: [1, 2", "not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
async def test_a_bad_fact_file_names_the_problem_and_changes_nothing(
    tmp_path: Path, text: str, expected: str
) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    await store.seed()
    counts, feed = await store.counts(), await store.max_seq()
    with pytest.raises(FactFileError) as caught:
        await store.apply_facts(load_text(text), via="cli")
    assert expected in str(caught.value)
    assert await store.counts() == counts
    assert await store.max_seq() == feed
    await store.close()


async def test_a_deleted_record_stops_showing_and_is_not_revived_by_seeding(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    await store.seed()
    project_id = "jiaxing-fengmao-auto-parts-base"
    assert await store.delete_record("project", project_id, via="command", actor_id=900)
    assert await store.project(project_id) is None
    assert project_id not in [h.record_id for h in await store.search("丰茂")]
    await store.apply_facts(load_seed(), via="seed")
    assert await store.project(project_id) is None
    # Kept, not erased.
    assert await store.scalar("SELECT COUNT(*) FROM projects WHERE id = ?", (project_id,)) == 1
    await store.close()
