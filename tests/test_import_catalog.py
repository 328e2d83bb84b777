"""An import reads the records its rows name, not the whole store (bot/core/import_catalog.py,
storage StoredRecords). Before, every import and every /add or /edit save decoded every live
project and event: for a store of 300,000 projects 1.2 GB and the event loop blocked for 25 s.
What a user sees is unchanged: a row naming a stored record updates it, a row naming a deleted
one is left deleted and reported, a new name makes a new record."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.core import importing
from bot.core.reads import IdTable, RecordLookup
from bot.core.records import Event, Project, RecordKind
from storage import Store
from tests.test_import_sorted import seeded
from tests.test_upload_streaming import HEADER


class CountedLookup:
    """The store's own lookup, noting which zones' names were read and how many records."""

    def __init__(self, inner: RecordLookup) -> None:
        self.inner = inner
        self.zones: list[tuple[RecordKind, str, bool]] = []
        self.heads: list[str] = []
        self.records = 0
        self.closed = False

    def names(self, kind: RecordKind, zone: str, deleted: bool) -> list[tuple[str, str]]:
        self.zones.append((kind, zone, deleted))
        return self.inner.names(kind, zone, deleted)

    def ids(self, table: IdTable, head: str) -> list[str]:
        self.heads.append(head)
        return self.inner.ids(table, head)

    def project(self, record_id: str) -> Project | None:
        self.records += 1
        return self.inner.project(record_id)

    def event(self, record_id: str) -> Event | None:
        self.records += 1
        return self.inner.event(record_id)

    def close(self) -> None:
        self.closed = True
        self.inner.close()


async def test_an_import_reads_only_the_zones_and_records_its_rows_name(tmp_path: Path) -> None:
    store = await seeded(tmp_path / "bot.sqlite3")
    lookups: list[CountedLookup] = []
    made = store.record_lookup

    def counted() -> CountedLookup:
        lookups.append(CountedLookup(made()))
        return lookups[-1]

    store.record_lookup = counted  # type: ignore[method-assign,assignment]
    try:
        stored = await store.live_projects("kunshan")
        assert stored and {p.zone for p in await store.live_projects()} - {"kunshan"}
        old = stored[0]
        rows = [
            HEADER,
            f"昆山,,{old.name_zh},,投产,2025-06,,,",  # the stored project, now in production
            "昆山,,目录测试新项目,,签约,2025-06,3亿,,",  # a new one
        ]
        data = ("\n".join(rows) + "\n").encode()
        result = await importing.read_upload("kunshan.csv", data, store)
        assert result.ok and result.facts is not None, result.errors
        report = await store.apply_facts(result.facts, via="file")
        assert report.updated["projects"] == [old.id]
        assert len(report.new["projects"]) == 1
        updated = await store.project(old.id)
        assert updated is not None and updated.stage == "production"
        # What the row leaves empty stays as stored; the change is credited to the file.
        assert updated.company == old.company and updated.source != old.source
        # One zone's live and deleted names, one record read; nothing of the other zones.
        (lookup,) = lookups
        assert {zone for _, zone, _ in lookup.zones} == {"kunshan"}
        assert {kind for kind, _, _ in lookup.zones} == {"project"}
        assert lookup.heads == ["p-kunshan-"]  # the new record's id checked in its zone only
        assert lookup.records == 1 and lookup.closed
    finally:
        await store.close()


async def test_a_row_naming_a_deleted_record_leaves_it_deleted(tmp_path: Path) -> None:
    store: Store = await seeded(tmp_path / "bot.sqlite3")
    try:
        victim = (await store.live_projects("jiaxing"))[0]
        assert await store.delete_record("project", victim.id, via="cli")
        data = f"{HEADER}\njiaxing,,{victim.name_zh},,签约,2025-06,,,\n".encode()
        result = await importing.read_upload("jiaxing.csv", data, store)
        assert result.ok and result.facts is not None
        assert result.skipped_deleted == [victim.id]
        assert result.facts.projects == ()
        assert await store.project(victim.id) is None
    finally:
        await store.close()


async def test_a_new_record_never_takes_the_id_of_a_renamed_one(tmp_path: Path) -> None:
    """Ids are derived from zone and name: a record renamed since keeps the id its first name
    gave, and a new record of that first name must get another one."""
    store = await seeded(tmp_path / "bot.sqlite3")
    try:
        first = await importing.read_upload(
            "a.csv", f"{HEADER}\nkunshan,,改名测试项目,,签约,2025-06,,,\n".encode(), store
        )
        assert first.facts is not None and len(first.facts.projects) == 1
        await store.apply_facts(first.facts, via="file")
        original = first.facts.projects[0]
        renamed = original.model_copy(update={"name_zh": "改名以后的项目"})
        await store.apply_facts(first.facts.model_copy(update={"projects": (renamed,)}), "cli")
        again = await importing.read_upload(
            "b.csv", f"{HEADER}\nkunshan,,改名测试项目,,签约,2025-07,,,\n".encode(), store
        )
        assert again.ok and again.facts is not None
        (new,) = again.facts.projects
        assert new.id == f"{original.id}-2"
        await store.apply_facts(again.facts, via="file")
        kept = await store.project(original.id)
        assert kept is not None and kept.name_zh == "改名以后的项目"
        added = await store.project(new.id)
        assert added is not None and added.name_zh == "改名测试项目"
    finally:
        await store.close()


async def test_a_closed_record_reader_refuses_instead_of_opening_again(tmp_path: Path) -> None:
    """An import or export whose task was cancelled closes its reader while the worker thread
    may still read: the thread stops there, leaving no connection behind."""
    store = await seeded(tmp_path / "bot.sqlite3")
    try:
        reader = store.record_lookup()
        some = (await store.live_projects("kunshan"))[0]
        assert reader.project(some.id) == some
        reader.close()
        with pytest.raises(sqlite3.ProgrammingError):
            reader.project(some.id)
        with pytest.raises(sqlite3.ProgrammingError):
            next(reader.live_projects(None, None))
    finally:
        await store.close()
