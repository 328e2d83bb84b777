"""Group robots from the running bot (issue 14): a WeCom, a DingTalk and a Feishu robot
registered over Telegram, a record imported by another process reaching each, the digest at
its time, a rate-limit storm with nothing lost or repeated, and a deleted robot turning
inactive with its owner told. The fake robot servers
(tests/robot_servers.py) check shapes, sizes, signatures and rates as the platforms do."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from tests.botapi_server import FakeBotApi
from tests.e2e.conftest import BotProcess, answer, wait_until
from tests.e2e.test_delivery import fact_file, far_from_digest_time, import_facts
from tests.robot_servers import RobotServers, shown_text

pytestmark = pytest.mark.e2e

OWNER = 100001
KEYS = {"wecom": "e2ewecomkey01", "dingtalk": "e2edingtoken01", "feishu": "e2efeishuhook01"}
SECRETS = {"wecom": None, "dingtalk": "SECe2edingsecret", "feishu": "e2efeishusecret"}


@pytest_asyncio.fixture
async def robots() -> AsyncIterator[RobotServers]:
    async with RobotServers() as fake:
        yield fake


async def say(server: FakeBotApi, bot: BotProcess, text: str) -> str:
    mark = server.mark()
    server.send_message(text, user_id=OWNER)
    reply = await answer(server, OWNER, mark, timeout=30)
    return reply.text or ""


def arrived(robots: RobotServers, kind: str, needle: str) -> int:
    robot = robots.robots[KEYS[kind]]
    return sum(needle in shown_text(kind, body) for body in robot.received)


def parked(bot: BotProcess) -> int:
    """Robot deliveries waiting for a retry time at least half a minute away (parked)."""
    soon = (datetime.now(UTC) + timedelta(seconds=30)).isoformat(timespec="seconds")
    rows = bot.query(
        "SELECT COUNT(*) FROM deliveries WHERE sent_at IS NULL AND not_before > ? "
        "AND chat_id IN (SELECT chat_id FROM channels)",
        (soon,),
    )
    return int(rows[0][0])


async def test_robots_get_alerts_digests_survive_a_storm_and_a_deleted_one_goes_inactive(
    server: FakeBotApi,
    spawn: Callable[..., BotProcess],
    robots: RobotServers,
    tmp_path: Path,
) -> None:
    bot = spawn(env={"BOT_CHANNEL_HOSTS": robots.host, "BOT_TIMEZONE": far_from_digest_time()})
    await bot.start_ready()
    for kind in ("wecom", "dingtalk", "feishu"):
        robots.add(kind, KEYS[kind], SECRETS[kind])
        secret = f" secret={SECRETS[kind]}" if SECRETS[kind] else ""
        reply = await say(
            server, bot, f"/channel add {kind} {robots.url(kind, KEYS[kind])}{secret} name={kind}"
        )
        assert "已添加" in reply, reply
        assert KEYS[kind] not in reply
        assert f"{kind}" in await say(server, bot, f"/manage {kind}")
        assert "用法" not in await say(server, bot, "/subscribe zone 昆山")
        await say(server, bot, "/manage off")
    listing = await say(server, bot, "/channels")
    assert all(KEYS[k] not in listing and k in listing for k in KEYS)

    # A record imported by another process reaches every robot, once.
    probe = "苏州固态电池e2e一期"
    await import_facts(bot, fact_file(tmp_path, ("kunshan-e2e-robot-probe", probe)))
    await wait_until(
        server,
        lambda: all(arrived(robots, k, probe) == 1 for k in KEYS),
        60,
        "the alert at each robot",
        process=bot,
    )

    # The digest at its time: the robots' digest time passed while the bot was stopped; it
    # goes out at the first tick after the restart.
    assert await bot.terminate() == 0
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    bot.execute(
        "UPDATE chats SET next_digest_at = ? WHERE id IN (SELECT chat_id FROM channels)", (past,)
    )
    await bot.start_ready()
    await wait_until(
        server,
        lambda: all(arrived(robots, k, probe) == 2 for k in KEYS),
        90,
        "the digest at each robot",
        process=bot,
    )
    sent_digests = bot.query(
        "SELECT COUNT(*) FROM digests WHERE sent_at IS NOT NULL "
        "AND chat_id IN (SELECT chat_id FROM channels)"
    )
    assert sent_digests == [(3,)]
    assert all(r.rate_answers == 0 and not r.rejected for r in robots.robots.values())

    # A rate-limit storm: every robot answers its platform's own "too fast" code. The bot
    # parks each robot (no hammering), and once the storm is over every message arrives,
    # once: WeCom and Feishu after their minute's park, DingTalk (which blocks a robot for
    # ten minutes) after its ten minutes, brought forward here by a restart.
    for robot in robots.robots.values():
        robot.storm = True
    storm = ("苏州固态电池e2e风暴甲", "苏州固态电池e2e风暴乙")
    await import_facts(
        bot,
        fact_file(tmp_path, ("kunshan-e2e-storm-1", storm[0]), ("kunshan-e2e-storm-2", storm[1])),
    )
    await wait_until(
        server,
        lambda: all(robots.robots[KEYS[k]].rate_answers >= 1 for k in KEYS),
        60,
        "a rate-limit answer from each robot",
        process=bot,
    )
    await wait_until(
        server,
        lambda: parked(bot) == 6,
        30,
        "both storm alerts parked for each robot",
        process=bot,
    )
    for robot in robots.robots.values():
        robot.storm = False
    limited = {k: robots.robots[KEYS[k]].rate_answers for k in KEYS}
    assert all(n <= 2 for n in limited.values()), limited  # parked, not retried at once
    await wait_until(
        server,
        lambda: all(arrived(robots, k, name) == 1 for k in ("wecom", "feishu") for name in storm),
        150,
        "the storm's alerts at the WeCom and Feishu robots after their park",
        process=bot,
    )
    assert all(arrived(robots, "dingtalk", name) == 0 for name in storm)  # still blocked
    assert await bot.terminate() == 0
    bot.execute(
        "UPDATE deliveries SET not_before = ? WHERE sent_at IS NULL AND chat_id IN "
        "(SELECT chat_id FROM channels WHERE kind = 'dingtalk')",
        (datetime.now(UTC).isoformat(timespec="seconds"),),
    )
    await bot.start_ready()
    await wait_until(
        server,
        lambda: all(arrived(robots, "dingtalk", name) == 1 for name in storm),
        60,
        "the storm's alerts at the DingTalk robot after its block",
        process=bot,
    )
    assert {k: robots.robots[KEYS[k]].rate_answers for k in KEYS} == limited
    for kind in KEYS:
        for name in storm:
            assert arrived(robots, kind, name) == 1, (kind, name)

    # The WeCom robot is deleted from its group: inactive, and its owner hears of it.
    del robots.robots[KEYS["wecom"]]
    mark = server.mark()
    second = "苏州固态电池e2e二期"
    await import_facts(bot, fact_file(tmp_path, ("kunshan-e2e-robot-second", second)))
    await wait_until(
        server,
        lambda: bot.query("SELECT status FROM channels WHERE name = 'wecom'") == [("inactive",)],
        60,
        "the deleted robot marked inactive",
        process=bot,
    )
    told = await server.wait_for(
        lambda r: r.chat_id == OWNER and "已失效" in (r.text or ""), 30, since=mark
    )
    assert "93000" in (told.text or "")
    await wait_until(
        server,
        lambda: all(arrived(robots, k, second) == 1 for k in ("dingtalk", "feishu")),
        60,
        "the second alert at the robots still there",
        process=bot,
    )
    log = bot.all_output().decode(errors="replace")
    for key in KEYS.values():
        assert key not in log
    for secret in SECRETS.values():
        assert secret is None or secret not in log
