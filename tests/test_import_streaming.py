"""A spreadsheet bigger than one chunk, imported by the CLI (issue 15, item 7): its records are
staged in chunks outside the store while the file is validated, and applied in one transaction
only when every row is valid."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from bot.core import import_files
from bot.core.importing import FLUSH_EVERY
from bot.core.text import fts_query
from tests.harness import run_cli

ROWS = FLUSH_EVERY * 2 + 500  # three chunks, the last one partial


def import_file(tmp_path: Path, path: Path) -> subprocess.CompletedProcess[str]:
    (tmp_path / "scratch").mkdir(exist_ok=True)
    env = {"TMPDIR": str(tmp_path / "scratch")}
    return run_cli(tmp_path, "import", str(path), env=env, timeout=300)


def write_rows(path: Path, last_zone: str = "嘉兴") -> None:
    lines = ["园区,企业,项目,行业,阶段,日期,总投资"]
    for n in range(ROWS):
        zone = last_zone if n == ROWS - 1 else ("昆山", "嘉兴")[n % 2]
        # Companies repeat across chunks: one company, one id, wherever it first appears.
        lines.append(f"{zone},流式公司{n % 3}号,流式导入项目{n}号,固态电池,签约,2025-03,{n + 1}亿")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def counts(database: Path) -> tuple[int, int, int, int]:
    with sqlite3.connect(database) as db:
        return (
            db.execute("SELECT COUNT(*) FROM projects").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM feed WHERE kind = 'project'").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM search_docs WHERE kind = 'project'").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM companies").fetchone()[0],
        )


def test_a_file_of_several_chunks_is_imported_whole_and_enters_the_feed(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    write_rows(big)
    result = import_file(tmp_path, big)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "data" / "bot.sqlite3"
    projects, feed, indexed, companies = counts(database)
    # Every row is a new project, in the feed (alerts) and in the search index, the first
    # chunk's and the last one's alike; the three companies were created once each.
    with sqlite3.connect(database) as db:
        mine = db.execute(
            "SELECT COUNT(*) FROM projects WHERE body LIKE '%流式导入项目%'"
        ).fetchone()[0]
        last = db.execute(
            "SELECT COUNT(*) FROM search_index WHERE search_index MATCH ?",
            (f'"{ROWS - 1}" AND {fts_query("流式导入")}',),
        ).fetchone()[0]
        made = db.execute("SELECT COUNT(*) FROM companies WHERE body LIKE '%流式公司%'").fetchone()[
            0
        ]
    assert mine == ROWS
    assert feed >= ROWS and indexed >= ROWS and projects >= ROWS
    assert last >= 1
    assert made == 3 and companies >= 3
    # The scratch files are gone.
    assert list((tmp_path / "scratch").iterdir()) == []
    # Importing the same file again changes nothing.
    again = import_file(tmp_path, big)
    assert again.returncode == 0, again.stderr
    assert "0 new, 0 updated" in again.stdout
    assert counts(database) == (projects, feed, indexed, companies)


def test_a_bad_row_in_the_last_chunk_changes_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("园区,项目\n昆山,先有的项目\n", encoding="utf-8")
    assert import_file(tmp_path, good).returncode == 0
    database = tmp_path / "data" / "bot.sqlite3"
    before = counts(database)
    bad = tmp_path / "bad.csv"
    write_rows(bad, last_zone="火星")
    result = import_file(tmp_path, bad)
    assert result.returncode == 2
    # The spreadsheet row of the last record (the header is row 1) and its field are named.
    assert f"row {ROWS + 1}, zone “火星”: no zone by that name" in result.stderr
    assert "Traceback" not in result.stderr
    # Two chunks had been staged already: none of them reached the store.
    assert counts(database) == before
    assert list((tmp_path / "scratch").iterdir()) == []


def test_a_csv_read_for_streaming_gives_the_same_rows() -> None:
    text = '园区,项目,备注\n昆山,甲项目,"两行\n的备注"\n\n嘉兴,乙项目,\'=1+2\n'
    for ending in ("\n", "\r\n", "\r"):
        data = text.replace("\n", ending).encode("utf-8")
        held, _ = import_files.read_csv(data)
        streamed, _ = import_files.read_csv(data, later=True)
        assert streamed.rows == []  # the rows are not held ...
        assert streamed.count == held.count == 2
        assert list(streamed.each()) == held.rows  # ... but read again, the same
        assert held.rows[0][1]["note"] == "两行\n的备注"
        assert held.rows[1][1]["note"] == "=1+2"
