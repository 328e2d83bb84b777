"""BOT_ACCESS=private: only approved users and approved groups receive alerts and digests;
unapproved groups cannot be brought into the stream; group rights are asked at each change."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core import alerts
from bot.core.records import FactFile, Project
from bot.jobs.alerts import alerts_tick
from bot.jobs.digests import digest_tick
from tests.harness import ADMIN_ID, USER_ID, BotHarness, Clock, make_settings, text_of

GROUP_ID = -100777


pytestmark = pytest.mark.usefixtures("fast_pacing")


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))


@pytest.fixture
async def bot(tmp_path: Path, clock: Clock) -> AsyncIterator[BotHarness]:
    async with BotHarness(make_settings(tmp_path, access="private"), now=clock) as harness:
        yield harness


def project(number: int, **extra: Any) -> Project:
    values: dict[str, Any] = {
        "id": f"rv-{number}",
        "zone": "kunshan",
        "name_zh": f"撤销测试项目{number}号",
        "sectors": ("新能源",),
        "stage": "signed",
        "source": "p000-kunshan",
    }
    values.update(extra)
    return Project(**values)


async def add(bot: BotHarness, number: int) -> None:
    await bot.store.apply_facts(FactFile(projects=(project(number),)), via="test")


def got(bot: BotHarness, chat_id: int, name: str) -> bool:
    return any(name in t for t in bot.api.texts(chat_id))


async def test_revoked_user_gets_no_alerts_and_keeps_subscriptions(bot: BotHarness) -> None:
    await bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
    await bot.send("/subscribe zone 昆山")
    await alerts_tick(bot.app)
    await add(bot, 1)
    await alerts_tick(bot.app)
    assert got(bot, USER_ID, "撤销测试项目1号")

    await bot.send(f"/revoke {USER_ID}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    await add(bot, 2)
    await alerts_tick(bot.app)
    assert not got(bot, USER_ID, "撤销测试项目2号")
    assert [s.value for s in await bot.store.subscriptions(USER_ID)] == ["kunshan"]

    # Re-approved: the kept subscription works again for what comes next.
    await bot.send(f"/approve {USER_ID}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    await add(bot, 3)
    await alerts_tick(bot.app)
    assert got(bot, USER_ID, "撤销测试项目3号")


async def test_alert_queued_before_revocation_is_not_sent(bot: BotHarness) -> None:
    await bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
    await bot.send("/subscribe zone 昆山")
    await alerts_tick(bot.app)
    await add(bot, 4)
    planned = await bot.store.plan_deliveries(alerts.match)
    assert planned == 1
    await bot.store.set_user_status(USER_ID, "denied", ADMIN_ID)
    await alerts_tick(bot.app)
    assert not got(bot, USER_ID, "撤销测试项目4号")


async def test_revoked_user_gets_no_digest(bot: BotHarness, clock: Clock) -> None:
    await bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
    await bot.send("/subscribe zone 昆山")
    await bot.send("/alerts digest")
    await digest_tick(bot.app, clock.now)  # schedules 08:30 Shanghai = 00:30 UTC
    await add(bot, 5)
    await bot.send(f"/revoke {USER_ID}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    clock.now += timedelta(minutes=31)
    await digest_tick(bot.app, clock.now)
    assert not got(bot, USER_ID, "撤销测试项目5号")
    # Approved again: the digest comes at its next tick.
    await bot.send(f"/approve {USER_ID}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    clock.now += timedelta(minutes=1)
    await digest_tick(bot.app, clock.now)
    assert got(bot, USER_ID, "撤销测试项目5号")


async def test_approved_user_cannot_subscribe_an_unapproved_group(bot: BotHarness) -> None:
    await bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
    await bot.store.ensure_chat(GROUP_ID, "supergroup", "未批准群")
    bot.api.chat_members[(GROUP_ID, USER_ID)] = "administrator"
    calls = await bot.send("/subscribe zone 昆山", chat_id=GROUP_ID, user_id=USER_ID)
    assert "本群尚未获准" in text_of(calls)
    assert await bot.store.subscriptions(GROUP_ID) == []
    # /manage does not offer it, and a forged selection is refused.
    calls = await bot.send("/manage")
    assert "未批准群" not in text_of(calls)
    # Even a subscription written earlier (e.g. before approval was withdrawn) is not fed.
    await bot.store.subscribe(GROUP_ID, "zone", "kunshan")
    await alerts_tick(bot.app)
    await add(bot, 6)
    await alerts_tick(bot.app)
    assert not got(bot, GROUP_ID, "撤销测试项目6号")


async def test_approved_group_is_fed(bot: BotHarness) -> None:
    await bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
    await bot.member_change(GROUP_ID, user_id=USER_ID, old="left", new="member")
    bot.api.chat_members[(GROUP_ID, USER_ID)] = "administrator"
    await bot.send("/subscribe zone 昆山", chat_id=GROUP_ID, user_id=USER_ID)
    await alerts_tick(bot.app)
    await add(bot, 7)
    await alerts_tick(bot.app)
    assert got(bot, GROUP_ID, "撤销测试项目7号")


async def test_demoted_group_admin_loses_control_at_once(bot: BotHarness) -> None:
    await bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
    await bot.member_change(GROUP_ID, user_id=USER_ID, old="left", new="member")
    bot.api.chat_members[(GROUP_ID, USER_ID)] = "administrator"
    await bot.send("/subscribe zone 昆山", chat_id=GROUP_ID, user_id=USER_ID)
    assert len(await bot.store.subscriptions(GROUP_ID)) == 1
    # Demoted in Telegram; no cache clearing: the next change asks again.
    bot.api.chat_members[(GROUP_ID, USER_ID)] = "member"
    calls = await bot.send("/unsubscribe zone 昆山", chat_id=GROUP_ID, user_id=USER_ID)
    assert "只有群管理员" in text_of(calls)
    assert len(await bot.store.subscriptions(GROUP_ID)) == 1
