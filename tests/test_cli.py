"""The entry points as a user runs them: --help, console mode, import."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.harness import run_cli


@pytest.mark.parametrize(
    "command", [[], ["console"], ["import"], ["export"], ["run"], ["backup"], ["restore"]]
)
def test_every_entry_point_has_help(tmp_path: Path, command: list[str]) -> None:
    result = run_cli(tmp_path, *command, "--help")
    assert result.returncode == 0
    assert "usage:" in result.stdout


def test_console_answers_piped_lines_and_exits_zero(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "console", stdin="/start\n\n/nosuch\n")
    assert result.returncode == 0, result.stderr
    assert "招商助手" in result.stdout
    assert "/nosuch" in result.stdout and "/help" in result.stdout
    assert "Traceback" not in result.stderr
    # Console mode keeps its own database, apart from the bot's.
    assert (tmp_path / "data" / "console.sqlite3").exists()


def test_console_in_english(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "console", "--lang", "en", stdin="/help\n")
    assert result.returncode == 0
    assert "Commands" in result.stdout


def test_import_applies_a_valid_file(tmp_path: Path) -> None:
    facts = tmp_path / "new.yaml"
    facts.write_text(
        "projects:\n  - id: kunshan-cli-test\n    zone: kunshan\n    name_zh: 命令行测试项目\n"
        "    stage: signed\n    total_investment: 2亿\n    source: p000-kunshan\n",
        encoding="utf-8",
    )
    result = run_cli(tmp_path, "import", str(facts))
    assert result.returncode == 0, result.stderr
    assert "1 new" in result.stdout
    again = run_cli(tmp_path, "import", str(facts))
    assert "0 new" in again.stdout and "1 unchanged" in again.stdout


def test_import_of_a_bad_file_names_the_record_and_changes_nothing(tmp_path: Path) -> None:
    run_cli(tmp_path, "import", "--help")
    good = tmp_path / "good.yaml"
    good.write_text("projects: []\n")
    assert run_cli(tmp_path, "import", str(good)).returncode == 0
    database = tmp_path / "data" / "bot.sqlite3"
    with sqlite3.connect(database) as db:
        before = db.execute("SELECT COUNT(*) FROM projects").fetchone()
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "projects:\n"
        "  - id: ok-one\n    zone: kunshan\n    name_zh: 好的\n    source: p000-kunshan\n"
        "  - id: bad-one\n    zone: nowhere\n    name_zh: 坏的\n    source: p000-kunshan\n",
        encoding="utf-8",
    )
    result = run_cli(tmp_path, "import", str(bad))
    assert result.returncode == 2
    assert "projects[1] (bad-one): field zone: unknown zone 'nowhere'" in result.stderr
    assert "Traceback" not in result.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM projects").fetchone() == before


def test_import_of_a_missing_file_says_so(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "import", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_import_of_a_bad_spreadsheet_explains_each_cell_in_words(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("园区,企业,项目,总投资\n火星,某公司,某项目,-3亿\n", encoding="utf-8")
    result = run_cli(tmp_path, "import", str(bad))
    assert result.returncode == 2
    assert "row 2, zone “火星”: no zone by that name" in result.stderr
    assert "row 2, total investment “-3亿”: cannot be negative" in result.stderr
    assert "zone_unknown" not in result.stderr and "&" not in result.stderr


def test_import_lists_what_it_added(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("园区,项目,阶段\n嘉兴,命令行导入项目,签约\n", encoding="utf-8")
    result = run_cli(tmp_path, "import", str(good))
    assert result.returncode == 0, result.stderr
    assert "new projects: p-jiaxing-" in result.stdout
