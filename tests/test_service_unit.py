"""deploy/zhaoshang-bot.service passes ``systemd-analyze verify`` once its paths point at this
checkout's interpreter and a working directory laid out as the README says."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

UNIT = Path(__file__).resolve().parent.parent / "deploy" / "zhaoshang-bot.service"
INSTALL_DIR = "/opt/zhaoshang-bot"


def _unit(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser


def test_service_unit_verifies_and_runs_the_bot_from_its_working_directory(
    tmp_path: Path,
) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: .ci/run installs the systemd package"
    workdir = tmp_path / "zhaoshang-bot"
    (workdir / "data").mkdir(parents=True)
    (workdir / ".env").write_text("BOT_DATABASE_PATH=data/zhaoshang.sqlite3\n", encoding="utf-8")
    text = UNIT.read_text(encoding="utf-8")
    assert f"ExecStart={INSTALL_DIR}/.venv/bin/python -m bot" in text
    local = text.replace(f"{INSTALL_DIR}/.venv/bin/python", sys.executable).replace(
        INSTALL_DIR, str(workdir)
    )
    copy = tmp_path / "zhaoshang-bot.service"
    copy.write_text(local, encoding="utf-8")

    result = subprocess.run(
        [analyze, "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    # verify only warns (exit 0) about unknown keys or bad values in our file: none allowed.
    assert copy.name not in result.stderr and str(copy) not in result.stderr, result.stderr

    unit = _unit(local)
    service = unit["Service"]
    assert service["User"] == "zhaoshang" and service["User"] != "root"
    assert service["WorkingDirectory"] == str(workdir)
    assert service["Restart"] == "on-failure"
    assert int(service["RestartSec"]) >= 5
    # Long enough for a clean stop: handlers, an alert tick and a digest part finish.
    assert int(service["TimeoutStopSec"]) >= 60
    assert service["KillSignal"] == "SIGTERM"
    assert str(workdir / "data") in service["ReadWritePaths"]

    # The command it runs works from that directory (reads its .env).
    command = service["ExecStart"].split()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    ran = subprocess.run(
        [*command, "--help"], cwd=workdir, env=env, capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0 and "usage: python -m bot" in ran.stdout, ran.stderr
