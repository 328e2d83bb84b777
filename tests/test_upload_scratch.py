"""An upload when the scratch space cannot be written (disk full, TMPDIR gone or not a folder):
the admin gets a clear answer in place of "checking…", the store is untouched, nothing is left
behind."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest

from tests.harness import ADMIN_ID, BotHarness, text_of
from tests.test_import_export import upload

CSV = "园区,企业,项目,行业,阶段\n昆山,暂存公司,暂存空间测试项目,固态电池,签约\n".encode()


def counts(database: Path) -> tuple[int, ...]:
    with sqlite3.connect(database) as db:
        return tuple(
            db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("projects", "companies", "audit", "feed")
        )


async def test_an_upload_with_no_scratch_space_gets_a_clear_answer(
    bot: BotHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A scratch folder whose parent is a regular file: no folder can be made there, even as root.
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setattr(tempfile, "tempdir", str(blocker / "tmp"))
    before = counts(bot.settings.database_path)
    calls = await upload(bot, "scratch.csv", CSV)
    edits = [c for c in calls if c.method == "editMessageText" and c.error is None]
    assert edits, [c.method for c in calls]
    assert "暂存空间已满或不可写" in text_of(edits[-1:])
    text = text_of(calls)
    assert "出错了" not in text  # not the catch-all "something went wrong"
    assert counts(bot.settings.database_path) == before
    assert not await bot.store.search("暂存空间测试项目")
    # The same file once the scratch space is back is imported as usual.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert "新增 1" in text_of(await upload(bot, "scratch.csv", CSV))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(("upload-", "import-"))] == []


async def test_the_scratch_answer_is_in_english_for_english_admins(
    bot: BotHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setattr(tempfile, "tempdir", str(blocker / "tmp"))
    document: dict[str, object] = {
        "file_id": "en-scratch",
        "file_unique_id": "en-scratch",
        "file_name": "a.csv",
        "file_size": len(CSV),
    }
    bot.api.files["en-scratch"] = CSV
    calls = await bot.send("", chat_id=ADMIN_ID, user_id=ADMIN_ID, document=document, lang="en")
    assert "scratch space is full or not writable" in text_of(calls)


def _rows(count: int) -> bytes:
    lines = ["园区,企业,项目,行业,阶段,日期,总投资"]
    lines += [
        f"昆山,满盘公司{n % 7}号,满盘测试项目{n}号,固态电池,签约,2025-03,{n % 90 + 1}亿"
        for n in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


async def test_a_disk_that_fills_while_records_are_staged_gets_a_clear_answer(
    bot: BotHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The download fits, the staged chunks do not: a file size limit (RLIMIT_FSIZE, with
    # SIGXFSZ ignored) makes the disk "full" part-way through, as a real full disk would.
    import resource
    import signal

    from bot.core import importing

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(importing, "FLUSH_EVERY", 200)
    data = _rows(2000)
    before = counts(bot.settings.database_path)
    with sqlite3.connect(bot.settings.database_path) as db:  # the WAL starts small again
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(data) + 32_000, hard))
    try:
        calls = await upload(bot, "full.csv", data)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    text = text_of(calls)
    assert "暂存空间已满或不可写" in text, text
    assert "出错了" not in text
    assert counts(bot.settings.database_path) == before
    assert list(scratch.iterdir()) == []
