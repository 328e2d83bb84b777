"""Two stores compared row for row (issue 15, item 7: an import change must store the same).

    python bench/compare_stores.py A.sqlite3 B.sqlite3

Import the same file into a fresh store with the code before and after a change, then run
this: every table (rowids included where anything reads them; ``record_labels``' rowids are
never read), the schema, both integrity checks and a few full-text searches (ids in rank
order) must be the same. Timestamps differ from run to run: each is replaced by its rank
among the store's distinct timestamps. Prints one line a table and IDENTICAL or what differs.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.text import fts_query  # the index's own form of these words

STAMPS = {"learned_at", "updated_at", "at", "created_at", "deleted_at", "sent_at"}
SEARCHES = tuple(fts_query(words) or "" for words in ("固态电池", "gutai", "昆山", "dianchi"))


def _rows(db: sqlite3.Connection, table: str) -> tuple[list[str], bool, list[tuple[Any, ...]]]:
    columns = [str(r[1]) for r in db.execute(f"PRAGMA table_info({table})")]
    sql = str(db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0])
    with_rowid = "WITHOUT ROWID" not in sql.upper() and table != "record_labels"
    select = ("rowid, " if with_rowid else "") + ", ".join(columns)
    rows = sorted(db.execute(f"SELECT {select} FROM {table}").fetchall(), key=repr)
    return columns, with_rowid, rows


def dump(path: str) -> dict[str, list[Any]]:
    db = sqlite3.connect(path)
    tables = [
        str(r[0])
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'search_index_%' ORDER BY name"
        )
    ]
    read = {t: _rows(db, t) for t in tables}
    stamps = sorted(
        {
            row[i + shift]
            for columns, with_rowid, rows in read.values()
            for shift in [int(with_rowid)]
            for i, column in enumerate(columns)
            if column in STAMPS
            for row in rows
            if row[i + shift] is not None
        }
    )
    rank = {stamp: f"T{n}" for n, stamp in enumerate(stamps)}
    out: dict[str, list[Any]] = {}
    for table, (columns, with_rowid, rows) in read.items():
        at = [i + int(with_rowid) for i, c in enumerate(columns) if c in STAMPS]
        out[table] = [
            tuple(rank[v] if i in at and v is not None else v for i, v in enumerate(row))
            for row in rows
        ]
    out["(schema)"] = sorted(
        db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite_autoindex%'"
        ).fetchall(),
        key=repr,
    )
    out["(integrity)"] = db.execute("PRAGMA integrity_check").fetchall()
    out["(full-text integrity)"] = db.execute(
        "INSERT INTO search_index(search_index) VALUES ('integrity-check')"
    ).fetchall()
    for query in SEARCHES:
        out[f"(search {query})"] = db.execute(
            "SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rank, rowid",
            (query,),
        ).fetchall()
    db.close()
    return out


def main() -> int:
    a, b = dump(sys.argv[1]), dump(sys.argv[2])
    differ = 0
    for key in sorted(set(a) | set(b)):
        left, right = a.get(key, []), b.get(key, [])
        digest = hashlib.sha1(repr(left).encode()).hexdigest()[:12]
        if left == right:
            print(f"same {key}: {len(left)} rows, sha1 {digest}")
            continue
        differ += 1
        only_b = set(right) - set(left)
        print(f"DIFFERENT {key}: {len(left)} vs {len(right)} rows; e.g. {sorted(only_b)[:1]}")
    print("IDENTICAL" if not differ else f"{differ} DIFFER")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
