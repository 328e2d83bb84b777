"""The command line piped into a reader that stops early (`python -m bot export | head`):
the command ends quietly, with no BrokenPipeError traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import SIGPIPE_STATUS


def _piped_into_closed_reader(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``python -m bot ARGS`` with stdout a pipe whose reader has already gone, as after
    ``| head -n 0``: every write to stdout meets a closed pipe."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE_PATH"] = str(cwd / "data" / "bot.sqlite3")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)


def _facts(tmp_path: Path) -> Path:
    facts = tmp_path / "many.yaml"
    rows = "".join(
        f"  - id: kunshan-pipe-{i}\n    zone: kunshan\n    name_zh: 管道测试项目{i}\n"
        f"    stage: signed\n    source: p000-kunshan\n"
        for i in range(40)
    )
    facts.write_text(f"projects:\n{rows}", encoding="utf-8")
    return facts


@pytest.mark.parametrize("command", ["import", "export", "help"])
def test_cli_into_a_reader_that_closed_early_ends_without_a_traceback(
    tmp_path: Path, command: str
) -> None:
    if command == "import":
        args: tuple[str, ...] = ("import", str(_facts(tmp_path)))
    elif command == "export":
        args = ("export", "--out", str(tmp_path / "out"))
    else:
        args = ("--help",)
    result = _piped_into_closed_reader(tmp_path, *args)
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert "BrokenPipeError" not in stderr, stderr
    assert "Exception ignored" not in stderr, stderr
    # (argparse drops its own help text quietly when stdout is closed: status 0.)
    assert result.returncode == (0 if command == "help" else SIGPIPE_STATUS), stderr
    if command == "import":
        # The work is done even though nobody read the report.
        import sqlite3

        with sqlite3.connect(tmp_path / "data" / "bot.sqlite3") as db:
            held = db.execute("SELECT COUNT(*) FROM projects WHERE id LIKE 'kunshan-pipe-%'")
            assert held.fetchone()[0] == 40


def test_cli_into_head_prints_the_first_line_only(tmp_path: Path) -> None:
    """A real `| head -n 1`: the first line arrives, nothing on stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE_PATH"] = str(tmp_path / "data" / "bot.sqlite3")
    writer = subprocess.Popen(
        [sys.executable, "-m", "bot", "import", str(_facts(tmp_path))],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert writer.stdout is not None and writer.stderr is not None
    head = subprocess.run(["head", "-n", "1"], stdin=writer.stdout, capture_output=True)
    writer.stdout.close()
    stderr = writer.stderr.read().decode("utf-8", "replace")
    writer.stderr.close()
    status = writer.wait(timeout=120)
    assert head.stdout.decode().startswith("imported many.yaml: 40 new")
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert status in (0, SIGPIPE_STATUS)
