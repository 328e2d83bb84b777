"""Operations in-process (issue 17, items 10 of issue 15): /status and /users for admins,
storage faults answered in words, the daily backup job, backup/restore, settings, logs."""

from __future__ import annotations

import io
import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.directory_rows import load_shipped_directory
from bot.core.records import FactFile, Project
from bot.jobs.alerts import JOB_NAME as ALERTS_JOB
from bot.jobs.backup import backup_tick
from bot.jobs.digests import TICK_NAME as DIGEST_JOB
from bot.logsafe import REDACTED, setup_logging
from bot.settings import Settings, SettingsError, load_settings
from storage import Store
from storage.backup import backup, check_backup, restore
from storage.base import StoreError
from storage.health import check_database, fault_of
from tests.harness import ADMIN_ID, USER_ID, BotHarness, make_settings, text_of, write_elsewhere

pytestmark = pytest.mark.usefixtures("fast_pacing")


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[BotHarness]:
    settings = make_settings(tmp_path, backup_dir=tmp_path / "backups", backup_keep=2)
    async with BotHarness(settings) as bot:
        yield bot


async def run_job(bot: BotHarness, name: str) -> None:
    """Run one periodic job the way the JobQueue does (its callback, with a real context)."""
    assert bot.app.job_queue is not None
    (job,) = bot.app.job_queue.get_jobs_by_name(name)
    await job.run(bot.app)


# ---------------------------------------------------------------------------------- /status


async def test_status_for_an_admin_shows_store_ticks_errors_and_backup(
    harness: BotHarness, tmp_path: Path
) -> None:
    await harness.send("/subscribe zone 昆山", chat_id=USER_ID)
    await run_job(harness, ALERTS_JOB)  # the seed is older than the subscription
    project = Project(
        id="kunshan-status-test",
        zone="kunshan",
        name_zh="状态测试项目",
        sectors=("固态电池",),
        stage="signed",
        source="p000-kunshan",
    )
    await write_elsewhere(harness.settings.database_path, FactFile(projects=(project,)))
    await run_job(harness, ALERTS_JOB)
    await run_job(harness, DIGEST_JOB)
    assert await backup_tick(harness.app)

    text = text_of(await harness.send("/status", chat_id=ADMIN_ID, user_id=ADMIN_ID, lang="en"))
    assert "version 0.1.0" in text
    assert "mode: long polling" in text
    # The seed's four zones are rows of the zone directory the bot loads on first start.
    assert f"{len(load_shipped_directory())} zones" in text and "1 subscriptions" in text
    assert "alerts: last" in text and "sent 1" in text, text
    assert "digest: last" in text
    assert "errors in the last 24 h: none" in text
    assert "last backup" in text and str(tmp_path / "backups") in text
    assert "database " in text and " MB" in text


async def test_status_counts_errors_by_kind(harness: BotHarness, tmp_path: Path) -> None:
    store = harness.store
    await store._db.execute("PRAGMA query_only = ON")  # every write now fails: read-only
    await harness.send("/subscribe zone 昆山")
    await harness.send("/lang en")
    await store._db.execute("PRAGMA query_only = OFF")
    # A job's failure counts too: the backup folder is a file.
    (tmp_path / "backups").write_text("not a folder", encoding="utf-8")
    assert not await backup_tick(harness.app)
    text = text_of(await harness.send("/status", chat_id=ADMIN_ID, user_id=ADMIN_ID, lang="en"))
    assert "backup 1, storage:readonly 2" in text, text


async def test_status_and_users_do_not_exist_for_others(harness: BotHarness) -> None:
    for command in ("/status", "/users"):
        text = text_of(await harness.send(command))
        assert text == text_of(await harness.send("/nosuchcommand")).replace(
            "/nosuchcommand", command
        )
        assert "zones" not in text and "MB" not in text


async def test_status_is_private_chat_only(harness: BotHarness) -> None:
    text = text_of(
        await harness.send("/status", chat_id=-100500, user_id=ADMIN_ID, chat_type="group")
    )
    assert "私聊" in text and "MB" not in text


# ---------------------------------------------------------------------------------- /users


async def test_users_pages_through_approved_pending_and_revoked(harness: BotHarness) -> None:
    store = harness.store
    for n in range(25):
        await store.request_access(5000 + n, f"用户{n}", None)
    await store.set_user_status(5000, "approved", ADMIN_ID)
    await store.set_user_status(5001, "denied", ADMIN_ID)
    await store.set_chat_approved(-100777, "supergroup", "招商群<b>", True, ADMIN_ID)

    calls = await harness.send("/users", chat_id=ADMIN_ID, user_id=ADMIN_ID, lang="en")
    first = text_of(calls)
    assert "Users and groups (26, page 1/2; times in Asia/Shanghai)" in first
    assert "user 5002 用户2 — pending" in first and "approved" not in first
    (sent,) = [c for c in calls if c.method == "sendMessage"]
    assert "招商群&lt;b&gt;" not in first  # shown as text, escaped in the HTML

    calls = await harness.press(sent, "users:1", user_id=ADMIN_ID, lang="en")
    second = text_of(calls)
    assert "page 2/2" in second and "user 5024 用户24 — pending" in second
    assert "user 5000 用户0 — approved" in second and f"by {ADMIN_ID}" in second
    assert "denied/revoked" in second
    assert "group -100777 招商群<b> — approved" in second


async def test_users_button_pressed_by_a_non_admin_changes_nothing(harness: BotHarness) -> None:
    await harness.store.request_access(5000, "甲", None)
    calls = await harness.send("/users", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    (sent,) = [c for c in calls if c.method == "sendMessage"]
    # A forwarded list pressed by someone else: answered, never edited.
    from bot.local_api import callback_update

    message = harness.api.message(ADMIN_ID, sent.result["message_id"])  # type: ignore[index]
    assert message is not None
    pressed = await harness.process(callback_update(message, "users:0", user_id=USER_ID))
    assert [c.method for c in pressed] == ["answerCallbackQuery"]


# ---------------------------------------------------------------------------------- faults


@pytest.mark.parametrize(
    ("fault", "words"),
    [("locked", "数据库正忙"), ("full", "磁盘已满"), ("readonly", "只读"), ("corrupt", "损坏")],
)
async def test_storage_faults_get_a_reply_naming_the_cause(
    harness: BotHarness, caplog: pytest.LogCaptureFixture, fault: str, words: str
) -> None:
    db = harness.store._db
    holder: sqlite3.Connection | None = None
    if fault == "locked":
        await db.execute("PRAGMA busy_timeout = 200")
        holder = sqlite3.connect(harness.settings.database_path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
    elif fault == "full":
        # The file may not grow any more (SQLite answers SQLITE_FULL, as on a full disk).
        async with db.execute("PRAGMA page_count") as cursor:
            row = await cursor.fetchone()
        assert row is not None
        await db.execute(f"PRAGMA max_page_count = {int(row[0])}")
    elif fault == "readonly":
        await db.execute("PRAGMA query_only = ON")  # SQLITE_READONLY on every write
    else:
        # Corrupt pages under the running bot: everything after the schema page.
        path = harness.settings.database_path
        other = sqlite3.connect(path)
        other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        other.close()
        data = bytearray(path.read_bytes())
        data[4096 * 2 :] = b"\xa5" * (len(data) - 4096 * 2)
        path.write_bytes(bytes(data))
    calls: list[Any] = []
    chat_id = USER_ID
    try:
        with caplog.at_level(logging.WARNING):
            # Subscribe until the database says no (at once, except when full: then once the
            # free space left in its pages is used up).
            for n in range(2000):
                chat_id = 3000 + n // 20
                calls = await harness.send(f"/subscribe keyword 测试关键词{n:04d}", chat_id=chat_id)
                reply = text_of([c for c in calls if c.chat_id == chat_id])
                if "已订阅" not in reply:
                    break
    finally:
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    reply = text_of([c for c in calls if c.chat_id == chat_id])
    assert words in reply, reply
    assert "出错了" not in reply  # not the generic "something went wrong"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert str(harness.settings.database_path) in logged
    assert all(r.exc_info is None for r in caplog.records if "update failed" in r.getMessage())
    reports = [c for c in calls if c.chat_id == ADMIN_ID]
    # A busy database passes on its own; a full disk or a read-only file needs the admins.
    assert (reports == []) == (fault == "locked")


def corrupt(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("CREATE TABLE IF NOT EXISTS filler (x TEXT)")
    db.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 200)
    db.commit()
    db.close()
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 40] = b"\xa5" * (4096 * 38)
    path.write_bytes(bytes(data))


def test_fault_of_names_real_sqlite_errors(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    corrupt(path)
    db = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError) as broken:
        db.execute("SELECT COUNT(*) FROM filler").fetchone()
    db.close()
    assert fault_of(broken.value) == "corrupt"
    assert fault_of(ValueError("x")) is None
    with pytest.raises(StoreError, match="is damaged"):
        check_database(path)


def test_a_read_only_database_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    path.chmod(0o444)
    with pytest.raises(StoreError, match="is read-only"):
        check_database(path)


# ---------------------------------------------------------------------------------- backups


async def test_daily_backup_keeps_the_newest_and_skips_within_a_day(
    harness: BotHarness, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")  # never touched
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    assert await backup_tick(harness.app, now=start)
    assert not await backup_tick(harness.app, now=start + timedelta(hours=5))
    assert await backup_tick(harness.app, now=start + timedelta(days=1, minutes=1))
    assert await backup_tick(harness.app, now=start + timedelta(days=2, minutes=2))
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "notes.txt",
        "zhaoshang-20260303-010100.sqlite3",
        "zhaoshang-20260304-010200.sqlite3",
    ]
    assert check_backup(folder / names[-1])["zones"] == len(load_shipped_directory())


def test_backup_and_restore_round_trip_keeps_the_old_database(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    db = sqlite3.connect(database)
    db.execute("PRAGMA journal_mode = WAL")
    db.close()

    import asyncio

    async def seed() -> None:
        store = await Store.open(database)
        await store.seed()
        await store.close()

    asyncio.run(seed())
    report = backup(database, tmp_path / "b" / "copy.sqlite3")
    assert report.counts["zones"] == 4
    live = sqlite3.connect(database)
    live.execute("UPDATE zones SET deleted_at = 'x' WHERE id = 'kunshan'")
    live.commit()  # left open: its WAL holds the change
    counts, kept = restore(report.path, database)
    live.close()
    assert counts["zones"] == 4
    assert kept == Path(f"{database}.before-restore")
    check = sqlite3.connect(database)
    assert check.execute("SELECT COUNT(*) FROM zones WHERE deleted_at IS NULL").fetchone() == (4,)
    check.close()
    old = sqlite3.connect(kept)
    assert old.execute("SELECT COUNT(*) FROM zones WHERE deleted_at IS NULL").fetchone() == (3,)
    old.close()


def test_backup_onto_the_database_itself_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(StoreError, match="must not be the database itself"):
        backup(database, database)


# ---------------------------------------------------------------------------------- settings


@pytest.mark.usefixtures("clean_env")
def test_service_settings_defaults() -> None:
    settings = load_settings()
    assert settings.webhook_listen == "127.0.0.1:8443"
    assert settings.backup_keep == 7
    assert settings.log_format == "text"
    assert settings.mode == "polling"
    assert settings.proxy_url is None and settings.backup_dir is None


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BOT_PROXY_URL": "ftp://127.0.0.1:21"}, "BOT_PROXY_URL is invalid"),
        ({"BOT_PROXY_URL": "socks5://u:Hunter2pw@127.0.0.1"}, "needs a host and a port"),
        ({"BOT_WEBHOOK_URL": "http://bot.example.test/h", "BOT_WEBHOOK_SECRET": "a"}, "https"),
        ({"BOT_WEBHOOK_URL": "https://bot.example.test/h"}, "BOT_WEBHOOK_SECRET is required"),
        ({"BOT_WEBHOOK_SECRET": "has spaces in it"}, "BOT_WEBHOOK_SECRET is invalid"),
        ({"BOT_WEBHOOK_LISTEN": "8443"}, "BOT_WEBHOOK_LISTEN is invalid"),
        ({"BOT_BACKUP_KEEP": "0"}, "BOT_BACKUP_KEEP is invalid"),
        ({"BOT_LOG_FORMAT": "xml"}, "BOT_LOG_FORMAT is invalid"),
    ],
)
def test_bad_service_settings_are_one_line(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert expected in str(error.value)
    assert "Hunter2pw" not in str(error.value) and "has spaces" not in str(error.value)


# ---------------------------------------------------------------------------------- logs


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_logs_redact_the_proxy_password_and_webhook_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log_format: Any
) -> None:
    settings: Settings = make_settings(
        tmp_path,
        proxy_url="socks5://bot:S3cret%2Fpw@127.0.0.1:1080",
        webhook_url="https://bot.example.test/hook",
        webhook_secret="hook-secret-value-42",
    )
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("INFO", settings.secrets(), log_format)
        logging.getLogger("probe").warning(
            "proxy %s and secret %s and S3cret/pw",
            settings.proxy_url.get_secret_value() if settings.proxy_url else "",
            "hook-secret-value-42",
        )
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    out = stream.getvalue()
    assert "S3cret" not in out and "hook-secret-value-42" not in out
    assert REDACTED in out
    if log_format == "json":
        entry = json.loads(out.strip())
        assert entry["level"] == "WARNING" and entry["logger"] == "probe"
        assert "time" in entry and REDACTED in entry["message"]


def test_every_setting_is_documented_in_env_example_and_readme() -> None:
    root = Path(__file__).resolve().parent.parent
    example = (root / ".env.example").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    for field in Settings.model_fields:
        name = f"BOT_{field.upper()}"
        assert f"\n{name}=" in example, name
        assert f"| `{name}` |" in readme, name


async def test_the_admins_error_report_never_shows_a_secret(tmp_path: Path) -> None:
    from telegram.ext import CommandHandler

    key = "sk-test-" + "0123456789abcdef"
    bot = BotHarness(make_settings(tmp_path, llm_api_key=key))

    async def boom(update: Any, context: Any) -> None:
        raise RuntimeError(f"the endpoint refused key {key}")

    bot.app.add_handler(CommandHandler("boom", boom), group=5)
    await bot.start()
    try:
        calls = await bot.send("/boom", user_id=ADMIN_ID, chat_id=ADMIN_ID)
    finally:
        await bot.stop()
    reports = [c for c in calls if c.method == "sendMessage" and "RuntimeError" in (c.text or "")]
    assert reports, [c.text for c in calls]
    assert all(key not in (c.text or "") for c in calls)
    assert REDACTED in (reports[0].text or "")
