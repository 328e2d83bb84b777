"""Backups and restore of the SQLite store.

``backup`` copies with SQLite's online backup API (one read transaction: under WAL the running
bot's writers go on meanwhile), checks the copy and counts what it holds. ``restore``
checks a backup (SQLite, this bot's schema, not newer), keeps the current database as
``*.before-restore`` and swaps the backup in with one rename. The caller makes sure no bot
runs on the database (storage/lock.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.base import SQLITE_HEADER, StoreError, iso, utcnow
from storage.health import OUR_TABLES, fault_line, fault_of, inspect_file
from storage.ops_queries import LAST_BACKUP_KEY

# The whole copy in one step: the bot's database is in WAL mode, where the backup's read
# transaction never blocks the bot's writers. Copying in small steps would instead restart
# from the beginning each time the bot writes, and might never finish on a busy store.
PAGES_PER_STEP = -1
# Tables counted in the summary of a backup, in the order printed.
COUNTED = ("zones", "projects", "events", "chats", "subscriptions", "users")
BACKUP_NAME = re.compile(r"^zhaoshang-\d{8}-\d{6}\.sqlite3$")


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    counts: dict[str, int]

    def summary(self) -> str:
        counts = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        return f"{self.path} ({self.size / 1_000_000:.1f} MB): {counts}"


def counts_of(db: sqlite3.Connection) -> dict[str, int]:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    found: dict[str, int] = {}
    for table in COUNTED:
        if table in tables:
            where = " WHERE deleted_at IS NULL" if table in ("zones", "projects", "events") else ""
            found[table] = int(db.execute(f"SELECT COUNT(*) FROM {table}{where}").fetchone()[0])
    return found


def backup(database: Path, target: Path, *, now: datetime | None = None) -> BackupReport:
    """Copy ``database`` to ``target`` (replaced atomically), check it, record it in the
    database's meta table. Raises StoreError in one line."""
    database, target = Path(database), Path(target)
    if not database.is_file():
        raise StoreError(f"there is no database at {database} to back up")
    if target.resolve() == database.resolve():
        raise StoreError("the backup file must not be the database itself")
    if target.is_dir():
        raise StoreError(f"{target} is a folder; give the backup a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create folder {target.parent}: {exc.strerror}") from None
    partial = target.with_name(f".{target.name}.partial")
    try:
        source = sqlite3.connect(database, timeout=30)
        try:
            source.execute("PRAGMA busy_timeout = 30000")
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy, pages=PAGES_PER_STEP)
                # A self-contained file: no WAL beside it, whatever mode the source uses.
                copy.execute("PRAGMA journal_mode = DELETE")
                problems = [str(r[0]) for r in copy.execute("PRAGMA integrity_check(5)")]
                if problems != ["ok"]:
                    raise StoreError(
                        f"the copy of {database} failed its check ({'; '.join(problems)}); "
                        "the database itself may be damaged"
                    )
                counts = counts_of(copy)
            finally:
                copy.close()
            with open(partial, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, target)
            stamp = iso(now or utcnow())
            # Noted for /status; a database that cannot be written (read-only, locked for
            # long) still gets its backup.
            with contextlib.suppress(sqlite3.Error), source:
                source.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (LAST_BACKUP_KEY, f"{stamp} {target}"),
                )
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise _store_error(exc, database, f"backup of {database} failed") from None
    except OSError as exc:
        raise StoreError(f"cannot write the backup {target}: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return BackupReport(target, target.stat().st_size, counts)


def check_backup(path: Path) -> dict[str, int]:
    """A file fit to restore: SQLite, this bot's schema, not newer, intact. Its counts."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"there is no backup file at {path}")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise StoreError(f"{path} is not a SQLite database; nothing was restored")
    version = inspect_file(path, what="the backup")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = OUR_TABLES - tables
        if version == 0 or missing:
            raise StoreError(
                f"{path} is a SQLite file but not a database of this bot "
                f"(missing: {', '.join(sorted(missing)) or 'schema version'}); nothing was restored"
            )
        return counts_of(db)
    finally:
        db.close()


def restore(backup_file: Path, database: Path) -> tuple[dict[str, int], Path | None]:
    """Put ``backup_file`` in place of ``database``; the old one is kept as
    ``<database>.before-restore``. Returns the restored counts and where the old one went."""
    backup_file, database = Path(backup_file), Path(database)
    counts = check_backup(backup_file)
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(f".{database.name}.restoring")
    kept: Path | None = None
    try:
        # Copy through SQLite into the database's folder, so the final step is one rename
        # on one file system, and the result has no journal of its own.
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        copy = sqlite3.connect(incoming)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
            source.close()
        with open(incoming, "rb+") as handle:
            os.fsync(handle.fileno())
        if database.exists():
            # Fold the old database's WAL into it, so the kept copy is whole on its own and
            # no -wal/-shm of the old file is left to be applied to the new one.
            kept = Path(f"{database}.before-restore")
            folded = _fold_wal(database)
            kept.unlink(missing_ok=True)
            os.link(database, kept)  # the old one stays reachable at every moment
            if not folded and Path(f"{database}-wal").exists():
                # A damaged database may refuse the checkpoint: keep its WAL beside the copy.
                os.replace(f"{database}-wal", f"{kept}-wal")
        for side in ("-wal", "-shm", "-journal"):
            Path(f"{database}{side}").unlink(missing_ok=True)
        os.replace(incoming, database)
        _fsync_dir(database.parent)
    except sqlite3.Error as exc:
        raise _store_error(exc, database, f"restore into {database} failed") from None
    except OSError as exc:
        raise StoreError(f"cannot restore into {database}: {exc.strerror}") from None
    finally:
        incoming.unlink(missing_ok=True)
    return counts, kept


def backup_into_folder(
    database: Path, folder: Path, keep: int, *, now: datetime | None = None
) -> tuple[BackupReport, list[Path]]:
    """The daily backup: a dated file in ``folder``, then only the newest ``keep`` of our
    dated files are kept (other files in the folder are never touched)."""
    moment = (now or utcnow()).astimezone(UTC)
    target = Path(folder) / f"zhaoshang-{moment:%Y%m%d-%H%M%S}.sqlite3"
    report = backup(database, target, now=moment)
    ours = sorted(p for p in Path(folder).iterdir() if BACKUP_NAME.match(p.name))
    removed = ours[:-keep] if keep > 0 else []
    for old in removed:
        old.unlink(missing_ok=True)
    return report, removed


def newest_backup(folder: Path) -> Path | None:
    if not Path(folder).is_dir():
        return None
    ours = sorted(p for p in Path(folder).iterdir() if BACKUP_NAME.match(p.name))
    return ours[-1] if ours else None


def _store_error(error: sqlite3.Error, database: Path, what: str) -> StoreError:
    """One line: the storage fault named (locked, full, ...), else what failed and why."""
    fault = fault_of(error)
    return StoreError(fault_line(fault, database) if fault else f"{what}: {error}")


def _fold_wal(database: Path) -> bool:
    """Checkpoint the WAL into the file and leave rollback-journal mode; False if SQLite
    refuses (a damaged file)."""
    try:
        old = sqlite3.connect(database, timeout=30)
        try:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            old.execute("PRAGMA journal_mode = DELETE")
        finally:
            old.close()
    except sqlite3.Error:
        return False
    return True


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
