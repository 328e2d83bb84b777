"""The database before start and when it fails: checks a person can act on, in one line.

``check_database`` runs before the bot talks to Telegram (so a bad file is reported as such
even with the network down); ``fault_of`` names what a SQLite error means (locked, full,
read-only, corrupt) for the CLI's one line and the bot's reply.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Literal

from storage.base import SQLITE_HEADER, StoreError
from storage.migrations import MIGRATIONS

Fault = Literal["locked", "full", "readonly", "corrupt", "io"]

# Tables every database of this bot has had since the first schema.
OUR_TABLES = frozenset({"zones", "projects", "events", "chats", "subscriptions", "meta"})

_FAULT_WORDS: dict[Fault, str] = {
    "locked": "is locked by another program (a long import, or sqlite3 left open); "
    "try again in a moment",
    "full": "cannot grow: the disk (or its quota) is full; free some space",
    "readonly": "is read-only for the bot; make the file and its folder writable",
    "corrupt": "is damaged (a corrupt page); restore a backup with: python -m bot restore FILE",
    "io": "cannot be read or written (a disk error); check the disk",
}


def fault_of(error: BaseException) -> Fault | None:
    """What a storage error means for a person, or None when it is not a storage fault."""
    if isinstance(error, StoreError):
        return None
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        by_code: dict[int, Fault] = {
            sqlite3.SQLITE_BUSY: "locked",
            sqlite3.SQLITE_LOCKED: "locked",
            sqlite3.SQLITE_FULL: "full",
            sqlite3.SQLITE_READONLY: "readonly",
            sqlite3.SQLITE_CORRUPT: "corrupt",
            sqlite3.SQLITE_NOTADB: "corrupt",
            sqlite3.SQLITE_IOERR: "io",
            sqlite3.SQLITE_CANTOPEN: "io",
        }
        if primary in by_code:
            return by_code[primary]
        text = str(error).lower()
        for words, fault in (
            ("locked", "locked"),
            ("disk is full", "full"),
            ("readonly", "readonly"),
            ("malformed", "corrupt"),
            ("not a database", "corrupt"),
            ("disk i/o", "io"),
        ):
            if words in text:
                return fault  # type: ignore[return-value]
        return None
    if isinstance(error, OSError) and error.errno is not None:
        import errno

        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return "full"
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "readonly"
    return None


def fault_line(fault: Fault, path: Path) -> str:
    """One line for the operator: which file and what to do."""
    return f"the database {path} {_FAULT_WORDS[fault]}"


def check_database(path: Path) -> None:
    """Refuse, in one line, a database the bot cannot use: a folder, not SQLite, read-only,
    damaged, or written by a newer bot. A missing file is fine (it is created)."""
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"database path {path} is a folder; point BOT_DATABASE_PATH at a file")
    folder = path.parent if str(path.parent) else Path(".")
    if not path.exists():
        if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
            raise StoreError(f"cannot create the database in {folder}: the folder is read-only")
        return
    if not os.access(path, os.R_OK):
        raise StoreError(f"cannot read database {path}: permission denied")
    # The mode bits say what the operator meant even where root could write anyway.
    if not os.access(path, os.W_OK) or not path.stat().st_mode & (
        stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    ):
        raise StoreError(
            f"the database {path} is read-only; make it writable (chmod u+w) "
            "or point BOT_DATABASE_PATH at another file"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"the folder {folder} is read-only; SQLite needs to write its journal next to "
            f"{path.name}"
        )
    if path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not a SQLite database; it was left untouched. "
            "Move it away or set BOT_DATABASE_PATH to another file."
        )
    inspect_file(path, what="the database")


def inspect_file(path: Path, *, what: str) -> int:
    """Open read-only, check integrity and schema version; the schema version. Raises
    StoreError naming ``what`` (the database, the backup) when it cannot be used."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {what} {path}: {exc}") from None
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        problems = [str(r[0]) for r in db.execute("PRAGMA quick_check(5)")]
    except sqlite3.Error as exc:
        fault = fault_of(exc)
        if fault == "corrupt" or fault is None:
            raise StoreError(
                f"{what} {path} is damaged ({exc}); restore a backup with: "
                "python -m bot restore FILE"
            ) from None
        raise StoreError(fault_line(fault, path)) from None
    finally:
        db.close()
    if problems != ["ok"]:
        raise StoreError(
            f"{what} {path} is damaged ({'; '.join(problems)[:200]}); restore a backup with: "
            "python -m bot restore FILE"
        )
    if version > len(MIGRATIONS):
        raise StoreError(
            f"{path} was written by a newer version of the bot (schema {version}); upgrade the bot"
        )
    return version
