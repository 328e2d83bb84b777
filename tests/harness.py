"""Drives the real Application with real Update objects over the in-process Bot API."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from telegram import Update
from telegram.warnings import PTBUserWarning

from bot.app import OFFLINE_TOKEN, build_application
from bot.context import BotApp, services_of
from bot.core.records import FactFile
from bot.local_api import (
    ApiCall,
    LocalBotApi,
    callback_update,
    inline_update,
    message_update,
    my_chat_member_update,
)
from bot.settings import Settings
from storage import Store
from storage.base import utcnow
from tests.loopback import Served

ADMIN_ID = 900
USER_ID = 1001
ROOT = Path(__file__).resolve().parent.parent


def load_script(path: Path) -> ModuleType:
    """A script of tools/ or bench/ (folders that are not packages) imported as a module."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_path": tmp_path / "bot.sqlite3",
        "admin_ids": frozenset({ADMIN_ID}),
        "access": "open",
    }
    values.update(overrides)
    # _env_file=None: a developer's own .env must not change what the tests see.
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class Clock:
    """A clock the test moves by hand, for the app, the store and the pacer."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def set(self, *args: int) -> datetime:
        self.now = datetime(*args, tzinfo=UTC)  # type: ignore[misc]
        return self.now


def run_bot(
    cwd: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python -m bot ARGS`` in ``cwd`` as a user runs it: none of the developer's own BOT_*
    variables, only ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_cli(
    tmp_path: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``run_bot`` on the database ``tmp_path/data/bot.sqlite3``."""
    database = {"BOT_DATABASE_PATH": str(tmp_path / "data" / "bot.sqlite3")}
    return run_bot(tmp_path, *args, env={**database, **(env or {})}, stdin=stdin, timeout=timeout)


async def start_app(app: BotApp) -> None:
    """Initialize the Application and run its post_init, as run_polling would (only
    run_polling and run_webhook call post_init themselves)."""
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)


async def stop_app(app: BotApp) -> None:
    """post_shutdown, then shutdown, as run_polling ends."""
    assert app.post_shutdown is not None
    await app.post_shutdown(app)
    await app.shutdown()


async def write_elsewhere(path: Path, facts: FactFile, via: str = "cli") -> None:
    """Write records as another process would (``python -m bot import``): its own connection."""
    other = await Store.open(path)
    try:
        await other.apply_facts(facts, via=via)
    finally:
        await other.close()


class BotHarness(Served):
    """A running Application; ``send`` and ``press`` return the calls each update caused."""

    def __init__(self, settings: Settings, now: Callable[[], datetime] = utcnow) -> None:
        self.settings = settings
        self.api = LocalBotApi()
        self.app: BotApp = build_application(
            settings, request=self.api, token=OFFLINE_TOKEN, rate_limit=False, now=now
        )
        self._message_ids = 0

    async def start(self) -> None:
        await start_app(self.app)

    async def stop(self) -> None:
        await stop_app(self.app)

    @property
    def store(self) -> Store:
        store = services_of(self.app).store
        assert store is not None
        return store

    async def process(self, raw: dict[str, Any]) -> list[ApiCall]:
        """Process one update, including what its non-blocking handlers (file imports) do."""
        before = len(self.api.calls)
        tasks = await self.process_nowait(raw)
        if tasks:
            await asyncio.wait(tasks, timeout=120)
        return self.api.calls[before:]

    async def process_nowait(self, raw: dict[str, Any]) -> set[asyncio.Task[Any]]:
        """Process one update; the tasks its non-blocking handlers started are returned."""
        running = asyncio.all_tasks()
        with warnings.catch_warnings():
            # Outside run_polling PTB warns that it will not await these; process() does.
            warnings.filterwarnings("ignore", "Tasks created via", PTBUserWarning)
            await self.app.process_update(Update.de_json(raw, self.app.bot))
        return asyncio.all_tasks() - running

    async def send(
        self,
        text: str,
        *,
        chat_id: int = USER_ID,
        user_id: int | None = None,
        chat_type: str | None = None,
        lang: str | None = "zh-hans",
        thread_id: int | None = None,
        **extra: Any,
    ) -> list[ApiCall]:
        self._message_ids += 1
        raw = message_update(
            text,
            chat_id=chat_id,
            user_id=user_id,
            chat_type=chat_type,
            lang=lang,
            thread_id=thread_id,
            message_id=self._message_ids,
            **extra,
        )
        return await self.process(raw)

    async def press(
        self, call: ApiCall, data: str, *, user_id: int = USER_ID, lang: str | None = "zh-hans"
    ) -> list[ApiCall]:
        """Press a button (by its callback_data) on a message the bot sent or edited."""
        assert isinstance(call.result, dict), "that call produced no message"
        message = self.api.message(call.result["chat"]["id"], call.result["message_id"])
        assert message is not None
        assert data in [
            b.get("callback_data")
            for row in message.get("reply_markup", {}).get("inline_keyboard", [])
            for b in row
        ], f"no button {data!r} on that message"
        return await self.process(callback_update(message, data, user_id=user_id, lang=lang))

    async def inline(self, query: str, *, user_id: int = USER_ID) -> list[ApiCall]:
        return await self.process(inline_update(query, user_id=user_id))

    async def member_change(
        self, chat_id: int, *, user_id: int, old: str, new: str, chat_type: str = "group"
    ) -> list[ApiCall]:
        return await self.process(
            my_chat_member_update(chat_id, user_id=user_id, old=old, new=new, chat_type=chat_type)
        )


async def say(bot: BotHarness, text: str, user_id: int = ADMIN_ID, **extra: Any) -> list[ApiCall]:
    """``text`` from ``user_id`` (an admin unless named) in a private chat with the bot."""
    return await bot.send(text, chat_id=user_id, user_id=user_id, **extra)


def button_labels(calls: list[ApiCall]) -> list[str]:
    """The text of every button on these calls' messages, in order."""
    return [b.get("text", "") for c in calls for row in c.buttons for b in row]


def replies(calls: list[ApiCall], method: str = "sendMessage") -> list[ApiCall]:
    return [c for c in calls if c.method == method and c.error is None]


def text_of(calls: list[ApiCall]) -> str:
    """The visible text of all messages sent or edited in these calls."""
    from bot.local_api import html_to_plain

    parts = []
    for call in calls:
        if call.error is None and call.method in ("sendMessage", "editMessageText", "sendPhoto"):
            raw = call.text
            parts.append(html_to_plain(raw) if call.params.get("parse_mode") == "HTML" else raw)
    return "\n".join(parts)
