"""Fixtures for the end-to-end tests: FakeBotApi on 127.0.0.1 and the bot as a real process.

The bot runs as ``python -m bot``, the way an operator starts it. Only its environment differs:
a fake token, the fake server's URLs, a database in ``tmp_path``, and ``cwd=tmp_path`` so a
developer's ``.env`` is never read. Every process a test starts is killed in teardown, even
when the test fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.botapi_server import FakeBotApi, SentRecord

# Shaped like a real token (bot id, colon, 35 characters) so the redaction that looks for
# token shapes is exercised as well as the one that knows the exact secret.
TOKEN = "7000000001:" + "AAHq3Lx9vTn2Kc8Wd5Rf1Yb6Gz4Mp7Ej0sU"  # split: no token-shaped literal
SECRET = TOKEN.partition(":")[2]
assert len(SECRET) == 35
ADMIN_ID = 900001
REPLY_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: runs the real bot process against the fake Bot API (slower)"
    )


async def wait_until(
    server: FakeBotApi,
    condition: Callable[[], bool],
    timeout: float,
    what: str,
    *,
    process: BotProcess | None = None,
) -> None:
    """Wait until ``condition()`` holds, waking on every server event (and at least 4x/s).

    With ``process``, fail at once if the bot exits meanwhile instead of waiting it out.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and not process.alive:
            raise AssertionError(
                f"the bot exited ({process.returncode}) while waiting for {what}; "
                f"stderr ends:\n{process.stderr()[-3000:]}"
            )
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"not within {timeout}s: {what}")
        # Database state changes wake nobody, so look again at least every 0.25 s.
        await server._wait_change(min(remaining, 0.25))


def replies_to(server: FakeBotApi, chat_id: int, since: int = 0) -> list[SentRecord]:
    """Every send the bot attempted to ``chat_id`` from index ``since`` (accepted or not)."""
    return [r for r in server.sent[since:] if r.method in REPLY_METHODS and r.chat_id == chat_id]


async def answer(server: FakeBotApi, chat_id: int, since: int, timeout: float = 15.0) -> SentRecord:
    """The first send to ``chat_id`` after ``since``: the bot's answer to what we just sent."""
    return await server.wait_for(
        lambda r: r.method in REPLY_METHODS and r.chat_id == chat_id, timeout, since=since
    )


def request_dump(record: SentRecord) -> str:
    """Everything the bot put into one request, as text to search."""
    parts = [record.method, json.dumps(record.params, ensure_ascii=False, default=str)]
    parts += [f"{f.filename} {f.data.decode(errors='replace')}" for f in record.files.values()]
    return "\n".join(parts)


class BotProcess:
    """``python -m bot`` as a subprocess, restartable; stdout/stderr of each run kept in files."""

    def __init__(
        self,
        server: FakeBotApi,
        workdir: Path,
        *,
        name: str = "bot",
        token: str = TOKEN,
        database: Path | None = None,
        access: str = "open",
        admin_ids: Sequence[int] = (ADMIN_ID,),
        log_level: str = "DEBUG",
        env: dict[str, str] | None = None,
    ) -> None:
        self.server = server
        self.workdir = workdir
        self.name = name
        self.token = token
        self.database = database or workdir / "bot.sqlite3"
        self.access = access
        self.admin_ids = tuple(admin_ids)
        self.log_level = log_level
        self.extra_env = dict(env or {})
        self.runs: list[subprocess.Popen[bytes]] = []
        self.log_files: list[Path] = []

    # ---------------------------------------------------------------- running

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env.update(
            BOT_TOKEN=self.token,
            BOT_API_BASE_URL=self.server.base_url,
            BOT_API_FILE_BASE_URL=self.server.file_base_url,
            BOT_DATABASE_PATH=str(self.database),
            BOT_ADMIN_IDS=",".join(str(i) for i in self.admin_ids),
            BOT_ACCESS=self.access,
            BOT_LOG_LEVEL=self.log_level,
            BOT_TIMEZONE="Asia/Shanghai",
            PYTHONUNBUFFERED="1",
            PYTHONIOENCODING="utf-8",
        )
        env.update(self.extra_env)
        return env

    def _log_paths(self, label: str) -> tuple[Path, Path]:
        n = len(self.log_files) // 2 + 1
        out = self.workdir / f"{self.name}-{n}-{label}.stdout"
        err = self.workdir / f"{self.name}-{n}-{label}.stderr"
        self.log_files += [out, err]
        return out, err

    def start(self) -> subprocess.Popen[bytes]:
        """Start one run of the bot (no wait); see ``start_ready``."""
        if self.alive:
            raise RuntimeError(f"{self.name} is already running")
        out, err = self._log_paths("run")
        with out.open("wb") as stdout, err.open("wb") as stderr:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=self.workdir,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                # Its own session: a Ctrl-C in the terminal running pytest is not sent to it.
                start_new_session=True,
            )
        self.runs.append(proc)
        return proc

    async def start_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Start and wait until it polls: post_init (store, seed, menu) is then done."""
        before = self.server.calls["getUpdates"]
        self.start()
        await wait_until(
            self.server,
            lambda: self.server.calls["getUpdates"] > before,
            timeout,
            f"{self.name} to poll for updates",
            process=self,
        )

    async def command(self, *args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        """Run ``python -m bot ARGS`` (import, export) with the same settings; output kept."""
        out, err = self._log_paths(args[0] if args else "cmd")
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot", *args],
            cwd=self.workdir,
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
        )
        out.write_text(result.stdout, encoding="utf-8")
        err.write_text(result.stderr, encoding="utf-8")
        return result

    @property
    def proc(self) -> subprocess.Popen[bytes] | None:
        return self.runs[-1] if self.runs else None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def returncode(self) -> int | None:
        return None if self.proc is None else self.proc.poll()

    async def wait_exit(self, timeout: float = STOP_TIMEOUT) -> int:
        proc = self.proc
        assert proc is not None
        try:
            return await asyncio.to_thread(proc.wait, timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"{self.name} did not exit within {timeout}s; stderr ends:\n{self.stderr()[-3000:]}"
            ) from None

    async def terminate(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM, as systemd or docker stop sends it; the exit code."""
        proc = self.proc
        assert proc is not None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        return await self.wait_exit(timeout)

    def kill(self) -> None:
        """SIGKILL: no handler, no cleanup, as after a power cut or the OOM killer."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(10)

    def cleanup(self) -> None:
        for proc in self.runs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)

    # ---------------------------------------------------------------- output

    def stderr(self, run: int = -1) -> str:
        """Standard error of one run of the bot (default: the latest)."""
        errs = [p for p in self.log_files if p.name.endswith("-run.stderr")]
        return errs[run].read_text(encoding="utf-8", errors="replace") if errs else ""

    def all_output(self) -> bytes:
        """Every byte this bot wrote to stdout and stderr, over all runs and commands."""
        return b"".join(p.read_bytes() for p in self.log_files if p.exists())

    # ---------------------------------------------------------------- database

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Read the bot's SQLite file directly (as an operator with sqlite3 would)."""
        db = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=10)
        try:
            return list(db.execute(sql, tuple(params)))
        finally:
            db.close()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Write to the bot's SQLite file (only while it is stopped)."""
        assert not self.alive, "write the database only while the bot is stopped"
        db = sqlite3.connect(self.database, timeout=10)
        try:
            with db:
                db.execute(sql, tuple(params))
        finally:
            db.close()


@pytest_asyncio.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(TOKEN) as api:
        yield api


@pytest.fixture
def spawn(server: FakeBotApi, tmp_path: Path) -> Iterator[Callable[..., BotProcess]]:
    """A factory of BotProcess on this test's server and tmp_path; all killed at teardown."""
    made: list[BotProcess] = []

    def factory(**kwargs: Any) -> BotProcess:
        bot = BotProcess(server, tmp_path, **kwargs)
        made.append(bot)
        return bot

    try:
        yield factory
    finally:
        for bot in made:
            bot.cleanup()


@pytest.fixture
async def bot_process(spawn: Callable[..., BotProcess]) -> BotProcess:
    """One bot, started on a clean database and polling."""
    bot = spawn()
    await bot.start_ready()
    return bot
