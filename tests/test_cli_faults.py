"""Storage faults under the CLI (issue 15, item 10): one line naming the cause, no traceback."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.harness import run_cli
from tests.test_ops import corrupt

FACTS = (
    "projects:\n  - id: kunshan-cli-fault\n    zone: kunshan\n    name_zh: 故障测试项目\n"
    "    stage: signed\n    source: p000-kunshan\n"
)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "bot.sqlite3"  # where tests.harness.run_cli points the bot
    facts = tmp_path / "seed.yaml"
    facts.write_text(FACTS.replace("cli-fault", "cli-first"), encoding="utf-8")
    assert run_cli(tmp_path, "import", str(facts)).returncode == 0
    assert path.exists()
    return path


def test_import_into_a_locked_database_says_it_is_locked(tmp_path: Path, database: Path) -> None:
    facts = tmp_path / "new.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        line = one_line(run_cli(tmp_path, "import", str(facts)))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "is locked" in line and str(database) in line, line


@pytest.mark.parametrize("command", [["import", "new.yaml"], ["export", "--out", "out"]])
def test_a_damaged_database_is_named_as_such(
    tmp_path: Path, database: Path, command: list[str]
) -> None:
    (tmp_path / "new.yaml").write_text(FACTS, encoding="utf-8")
    corrupt(database)
    line = one_line(run_cli(tmp_path, *command))
    assert "is damaged" in line and "python -m bot restore" in line, line


def test_a_read_only_database_is_refused_before_any_write(tmp_path: Path, database: Path) -> None:
    facts = tmp_path / "new.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    database.chmod(0o444)
    before = database.read_bytes()
    line = one_line(run_cli(tmp_path, "import", str(facts)))
    assert "is read-only" in line, line
    assert database.read_bytes() == before


def test_backup_of_a_missing_database_is_one_line(tmp_path: Path) -> None:
    line = one_line(run_cli(tmp_path, "backup", str(tmp_path / "b.db")))  # no database yet
    assert "there is no database" in line
