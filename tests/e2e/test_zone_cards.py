"""The running process prepares the zone cards, and a record imported by another process
shows on the next card all the same (bot/jobs/zone_cards.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.botapi_server import FakeBotApi
from tests.e2e.conftest import ADMIN_ID, BotProcess, answer, wait_until
from tests.e2e.test_process import assert_clean_log

pytestmark = pytest.mark.e2e

ALICE = 100201
PREPARED = re.compile(r"prepared (\d+) zone cards for facts version (\d+)")


def prepared(bot: BotProcess) -> list[tuple[int, int]]:
    return [(int(n), int(v)) for n, v in PREPARED.findall(bot.stderr())]


async def ask(server: FakeBotApi, user_id: int, text: str) -> str:
    mark = server.mark()
    server.send_message(text, user_id=user_id)
    reply = await answer(server, user_id, mark)
    assert reply.ok, reply.error
    return reply.text or ""


async def test_cards_are_prepared_and_a_later_import_shows_at_once(
    server: FakeBotApi, spawn: Callable[..., BotProcess], tmp_path: Path
) -> None:
    bot = spawn()
    await bot.start_ready()
    await wait_until(server, lambda: bool(prepared(bot)), 30, "the zone cards", process=bot)
    (count, version), *_ = prepared(bot)
    assert count > 800  # the seed's zones and the directory's, in two languages
    assert "已按当前数据备好" in await ask(server, ADMIN_ID, "/status")
    assert "昆山" in await ask(server, ALICE, "/zone 昆山")

    path = tmp_path / "new.yaml"
    path.write_text(
        "projects:\n"
        "  - id: zc-e2e-1\n    zone: kunshan\n    name_zh: 卡片测试新项目\n"
        '    sectors: ["新能源"]\n    stage: signed\n    source: p000-kunshan\n',
        encoding="utf-8",
    )
    result = await bot.command("import", str(path))
    assert result.returncode == 0, result.stderr
    # Written by another process: the very next card has it, prepared or not.
    assert "卡片测试新项目" in await ask(server, ALICE, "/zone 昆山")
    await wait_until(
        server, lambda: len(prepared(bot)) > 1, 30, "the new version's cards", process=bot
    )
    assert prepared(bot)[-1][1] > version
    assert "卡片测试新项目" in await ask(server, ALICE, "/zone 昆山")
    assert await bot.terminate() == 0
    assert_clean_log(bot.stderr())
