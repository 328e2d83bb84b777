"""Fixtures: a real SQLite file per test and a running Application over the in-process API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.harness import BotHarness, make_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[BotHarness]:
    harness = BotHarness(settings)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
