"""Large imports and other writers (issue 15, item 7): the import writes in bulk in a short
transaction, other writers wait for it instead of failing, and a command that could not get
the store in time says so instead of "something went wrong"."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.core.records import FactFile, Project
from storage import Store, base
from tests.harness import USER_ID, BotHarness, make_settings, text_of


def projects(count: int) -> FactFile:
    return FactFile(
        projects=tuple(
            Project(
                id=f"bulk-{n}",
                zone="kunshan",
                name_zh=f"批量并发项目{n}号",
                sectors=("新能源",),
                stage="signed",
                source="p000-kunshan",
            )
            for n in range(count)
        )
    )


async def test_commands_during_an_import_in_another_process_all_succeed(
    bot: BotHarness, tmp_path: Path
) -> None:
    other = await Store.open(bot.settings.database_path)  # as `python -m bot import` would
    try:
        importing = asyncio.create_task(other.apply_facts(projects(5000), via="cli"))
        answers = []
        for n in range(12):
            calls = await bot.send(f"/subscribe keyword 并发{n}", chat_id=USER_ID + n)
            answers.append(text_of(calls))
            await asyncio.sleep(0.05)
        report = await importing
    finally:
        await other.close()
    assert report.count("new") == 5000
    assert all("已订阅" in a for a in answers), answers
    assert len(await bot.store.subscriptions(USER_ID)) == 1
    hits = await bot.store.search("批量并发项目4999号")
    assert hits, "the bulk write indexed the records for search"


async def test_a_command_that_cannot_get_the_store_says_it_is_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "BUSY_TIMEOUT_MS", 200)
    harness = BotHarness(make_settings(tmp_path))
    await harness.start()
    holder = sqlite3.connect(harness.settings.database_path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process writing, for longer than we wait
        calls = await harness.send("/subscribe zone 昆山")
        shown = text_of(calls)
        assert "数据库正忙" in shown and "出错" not in shown
        holder.execute("ROLLBACK")
        calls = await harness.send("/subscribe zone 昆山")
        assert "已订阅" in text_of(calls)
    finally:
        holder.close()
        await harness.stop()
