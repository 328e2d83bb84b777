"""Fixtures: a real SQLite file per test and a running Application over the in-process API."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.jobs import delivery
from bot.settings import Settings
from tests.harness import BotHarness, make_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings) as harness:
        yield harness


@pytest.fixture
async def private_bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The bot with BOT_ACCESS=private."""
    async with BotHarness(make_settings(tmp_path, access="private")) as harness:
        yield harness


@pytest.fixture
def fast_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-chat spacing off: a test's fake clock stands still between sends."""
    monkeypatch.setattr(delivery, "PRIVATE_INTERVAL", 0.0)
    monkeypatch.setattr(delivery, "GROUP_INTERVAL", 0.0)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """None of the developer's BOT_* variables, and a fresh working directory (no .env)."""
    for key in list(os.environ):
        if key.startswith("BOT_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
