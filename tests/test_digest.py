"""Scheduled digests end to end on a settable clock: no sleeping, real store, real Application."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.context import services_of
from bot.core.digest import DigestIndex, Entry, build_digest, headline
from bot.core.records import AlertCandidate, Event, EventKind, FactFile, Figure, Project
from bot.core.values import Amount, Qualifier
from bot.jobs import digests as digest_module
from bot.jobs.delivery import Pacer
from bot.jobs.digests import TICK_NAME, digest_tick
from bot.local_api import ApiCall, html_to_plain, utf16_len
from bot.settings import Settings
from bot.texts.digest import render_digest
from storage.base import StoreError
from storage.lock import InstanceLock
from tests.harness import USER_ID, BotHarness, Clock, make_settings


def iso_at(text: str) -> datetime:
    """A stored time as written in the tests (ISO 8601, UTC)."""
    return datetime.fromisoformat(text)


GROUP_ID = -1001234567890


def _fast_pacer(harness: BotHarness, clock: Clock) -> None:
    """Per-chat spacing on the test's clock plus ten seconds a look, so that the parts of a
    digest never wait in real time while a 429's hold still lasts until the clock passes it."""
    looks = itertools.count()

    def seconds() -> float:
        return clock.now.timestamp() + 10.0 * next(looks)

    services_of(harness.app).pacer = Pacer(clock=seconds)


async def _start(settings: Settings, clock: Clock) -> BotHarness:
    harness = BotHarness(settings, now=clock)
    await harness.start()
    _fast_pacer(harness, clock)
    return harness


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))  # Monday 08:00 in Shanghai


@pytest.fixture
async def harness(settings: Settings, clock: Clock) -> AsyncIterator[BotHarness]:
    bot = await _start(settings, clock)
    try:
        yield bot
    finally:
        await bot.stop()


def project(number: int, zone: str = "kunshan", **extra: Any) -> Project:
    values: dict[str, Any] = {
        "id": f"t-{zone}-{number}",
        "zone": zone,
        "name_zh": f"测试智能制造项目第{number}号",
        "name_en": f"Test project {number}",
        "sectors": ("新能源",),
        "stage": "signed",
        "total_investment": "2亿元",
        "land_mu": "100",
        "source": "p000-kunshan",
    }
    values.update(extra)
    return Project(**values)


async def add(harness: BotHarness, *records: Project | Event) -> None:
    projects = tuple(r for r in records if isinstance(r, Project))
    events = tuple(r for r in records if isinstance(r, Event))
    await harness.store.apply_facts(FactFile(projects=projects, events=events), via="test")


async def follow(harness: BotHarness, chat_id: int = USER_ID, zone: str = "kunshan") -> None:
    await harness.store.ensure_chat(chat_id, "private" if chat_id > 0 else "supergroup")
    await harness.store.subscribe(chat_id, "zone", zone)


def digests_to(harness: BotHarness, chat_id: int = USER_ID) -> list[ApiCall]:
    return [c for c in harness.api.sent("sendMessage", chat_id) if "招商摘要" in c.text]


# ---- schedule -----------------------------------------------------------------------------


async def test_daily_0830_shanghai_fires_at_0030_utc_and_not_before(
    harness: BotHarness, clock: Clock
) -> None:
    await follow(harness)
    await digest_tick(harness.app, clock.now)  # schedules the new chat
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.next_digest_at == iso_at("2026-03-02T00:30:00+00:00")
    await add(harness, project(1))

    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 29, 59))
    assert digests_to(harness) == []

    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30, 0))
    sent = digests_to(harness)
    assert len(sent) == 1
    text = html_to_plain(sent[0].text)
    assert "测试智能制造项目第1号" in text and "2亿元" in text and "100亩" in text
    assert "昆山" in text and "新能源" in text
    assert sent[0].button_data() == ["p:t-kunshan-1"]

    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 31))
    assert len(digests_to(harness)) == 1
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.next_digest_at == iso_at("2026-03-03T00:30:00+00:00")


async def test_weekly_monday_digest(harness: BotHarness, clock: Clock) -> None:
    await follow(harness)
    clock.set(2026, 3, 4, 12, 0)  # Wednesday
    calls = await harness.send("/digest weekly mon 08:30")
    assert "每周一 08:30" in html_to_plain(calls[-1].text)
    assert "2026-03-09 08:30" in html_to_plain(calls[-1].text)
    await add(harness, project(1))

    await digest_tick(harness.app, clock.set(2026, 3, 8, 0, 30))  # Sunday
    assert digests_to(harness) == []
    await digest_tick(harness.app, clock.set(2026, 3, 9, 0, 30))  # Monday 08:30 Shanghai
    assert len(digests_to(harness)) == 1
    assert "2026-W11" in html_to_plain(digests_to(harness)[0].text)
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.next_digest_at == iso_at("2026-03-16T00:30:00+00:00")


async def test_berlin_chat_keeps_local_0830_across_dst(harness: BotHarness, clock: Clock) -> None:
    await follow(harness)
    clock.set(2026, 3, 27, 12, 0)
    calls = await harness.send("/timezone Europe/Berlin")
    assert "Europe/Berlin" in html_to_plain(calls[-1].text)
    await harness.send("/digest 08:30")
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.next_digest_at == iso_at("2026-03-28T07:30:00+00:00")  # CET

    await add(harness, project(1))
    await digest_tick(harness.app, clock.set(2026, 3, 28, 7, 30))
    assert len(digests_to(harness)) == 1
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.next_digest_at == iso_at("2026-03-29T06:30:00+00:00")  # CEST

    await add(harness, project(2))
    await digest_tick(harness.app, clock.set(2026, 3, 29, 6, 29))
    assert len(digests_to(harness)) == 1
    await digest_tick(harness.app, clock.set(2026, 3, 29, 6, 30))
    assert len(digests_to(harness)) == 2
    assert "测试智能制造项目第2号" in html_to_plain(digests_to(harness)[1].text)
    assert "测试智能制造项目第1号" not in html_to_plain(digests_to(harness)[1].text)


async def test_catch_up_after_downtime_sends_one_digest_not_one_per_day(
    settings: Settings, clock: Clock
) -> None:
    bot = await _start(settings, clock)
    await follow(bot)
    await digest_tick(bot.app, clock.now)
    await add(bot, project(1))
    await bot.stop()

    # Down from Monday to Thursday: three 08:30s missed.
    await add_offline(settings, clock, project(2))
    clock.set(2026, 3, 5, 3, 0)
    bot = await _start(settings, clock)
    try:
        await digest_tick(bot.app, clock.now)
        await digest_tick(bot.app, clock.now + timedelta(seconds=30))
        sent = digests_to(bot)
        assert len(sent) == 1
        text = html_to_plain(sent[0].text)
        assert "第1号" in text and "第2号" in text
        chat = await bot.store.chat(USER_ID)
        assert chat is not None and chat.next_digest_at == iso_at("2026-03-06T00:30:00+00:00")
    finally:
        await bot.stop()


async def add_offline(settings: Settings, clock: Clock, *records: Project) -> None:
    """Records imported while the bot is not running (python -m bot import)."""
    from storage import Store

    store = await Store.open(settings.database_path, now=clock)
    try:
        await store.apply_facts(FactFile(projects=records), via="cli")
    finally:
        await store.close()


# ---- restarts and failures ----------------------------------------------------------------


def _fail_second_send(harness: BotHarness, status: int, description: str) -> None:
    """The next digest's first part goes through; the one after it fails."""
    seen = {"n": 0}

    def on_call(call: ApiCall) -> None:
        if call.method == "sendMessage" and "招商摘要" in call.text:
            seen["n"] += 1
            if seen["n"] == 1:
                harness.api.fail_next.setdefault("sendMessage", []).append(
                    (status, description, None)
                )

    harness.api.on_call = on_call


async def test_restart_in_the_middle_of_a_three_part_digest(
    settings: Settings, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Splitting and resuming a digest of many parts, whatever the cap (tests/test_digest_cap.py
    # checks the cap itself): every item shown by the tick.
    monkeypatch.setattr(digest_module, "MAX_ITEMS", 1000)
    bot = await _start(settings, clock)
    await follow(bot)
    await digest_tick(bot.app, clock.now)
    await add(bot, *(project(n, name_zh=f"测试项目{n:03d}" + "甲" * 60) for n in range(90)))
    _fail_second_send(bot, 500, "Internal Server Error")
    await digest_tick(bot.app, clock.set(2026, 3, 2, 0, 30))
    first = digests_to(bot)
    assert len(first) == 1  # part 1 accepted, part 2 failed
    row = await bot.store.digest(USER_ID, "d2026-03-02")
    assert row is not None and row.parts_sent == 1 and row.sent_at is None
    chat = await bot.store.chat(USER_ID)
    assert chat is not None and chat.digest_seq < row.to_seq  # the watermark waits
    await bot.stop()

    clock.set(2026, 3, 2, 0, 45)
    bot = await _start(settings, clock)
    try:
        await digest_tick(bot.app, clock.now)
        rest = digests_to(bot)
        assert len(rest) == 2
        assert "（续）" in rest[0].text and "（续）" in rest[1].text
        assert first[0].text not in [c.text for c in rest]
        all_numbers = _item_numbers([*first, *rest])
        assert all_numbers == list(range(1, 91))  # every item once, in order
        row = await bot.store.digest(USER_ID, "d2026-03-02")
        assert row is not None and row.parts_sent == 3 and row.sent_at is not None
        chat = await bot.store.chat(USER_ID)
        assert chat is not None and chat.digest_seq == row.to_seq
        assert chat.next_digest_at == iso_at("2026-03-03T00:30:00+00:00")

        # Later ticks today and tomorrow's (nothing new) send nothing more.
        await digest_tick(bot.app, clock.set(2026, 3, 2, 5, 0))
        await digest_tick(bot.app, clock.set(2026, 3, 3, 0, 30))
        assert len(digests_to(bot)) == 2
    finally:
        await bot.stop()


def _item_numbers(calls: list[ApiCall]) -> list[int]:
    numbers = []
    for call in calls:
        for line in html_to_plain(call.text).split("\n"):
            head = line.split(".", 1)[0]
            if head.isdigit():
                numbers.append(int(head))
    return numbers


async def test_a_period_already_sent_is_not_sent_again_after_a_schedule_change(
    harness: BotHarness, clock: Clock
) -> None:
    await follow(harness)
    await digest_tick(harness.app, clock.now)
    await add(harness, project(1))
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    assert len(digests_to(harness)) == 1
    await add(harness, project(2))
    await harness.send("/digest 09:00")  # today's 09:00 is still ahead, same period
    await digest_tick(harness.app, clock.set(2026, 3, 2, 1, 0))
    assert len(digests_to(harness)) == 1
    await digest_tick(harness.app, clock.set(2026, 3, 3, 1, 0))
    assert len(digests_to(harness)) == 2
    assert "第2号" in html_to_plain(digests_to(harness)[1].text)


async def test_rate_limited_digest_waits_and_then_goes_out_once(
    harness: BotHarness, clock: Clock
) -> None:
    await follow(harness)
    await digest_tick(harness.app, clock.now)
    await add(harness, project(1))
    harness.api.fail_next["sendMessage"] = [
        (429, "Too Many Requests: retry after 120", {"retry_after": 120})
    ]
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    assert digests_to(harness) == []
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.next_digest_at == iso_at("2026-03-02T00:32:00+00:00")
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 31))
    assert digests_to(harness) == []
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 32))
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 33))
    assert len(digests_to(harness)) == 1


async def test_blocked_chat_is_deactivated(harness: BotHarness, clock: Clock) -> None:
    await follow(harness)
    await digest_tick(harness.app, clock.now)
    await add(harness, project(1))
    harness.api.fail_next["sendMessage"] = [(403, "Forbidden: bot was blocked by the user", None)]
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and not chat.active
    await digest_tick(harness.app, clock.set(2026, 3, 3, 0, 30))
    assert digests_to(harness) == []


async def test_migrated_group_gets_the_digest_under_its_new_id(
    harness: BotHarness, clock: Clock
) -> None:
    old_id, new_id = -4001, -1004001
    await follow(harness, old_id)
    await digest_tick(harness.app, clock.now)
    await add(harness, project(1))
    harness.api.fail_next["sendMessage"] = [
        (
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": new_id},
        )
    ]
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 31))
    assert len(digests_to(harness, new_id)) == 1
    assert digests_to(harness, old_id) == []


async def test_alerts_off_stops_digests(harness: BotHarness, clock: Clock) -> None:
    await follow(harness)
    await harness.store.set_alert_mode(USER_ID, "off")
    await digest_tick(harness.app, clock.now)
    await add(harness, project(1))
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    assert digests_to(harness) == []


async def test_digest_schedule_off_stops_digests(harness: BotHarness, clock: Clock) -> None:
    await follow(harness)
    calls = await harness.send("/digest off")
    assert "已关闭" in html_to_plain(calls[-1].text)
    await add(harness, project(1))
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    assert digests_to(harness) == []


# ---- content ------------------------------------------------------------------------------


async def test_empty_period_sends_nothing_and_moves_on(harness: BotHarness, clock: Clock) -> None:
    await follow(harness)
    await digest_tick(harness.app, clock.now)
    await add(harness, project(1, zone="jiaxing", source="p000-jiaxing"))  # not followed
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    assert harness.api.sent("sendMessage", USER_ID) == []
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.next_digest_at == iso_at("2026-03-03T00:30:00+00:00")
    assert chat.digest_seq == await harness.store.max_seq()


async def test_large_digest_splits_at_item_boundaries_below_4096(
    harness: BotHarness, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Splitting and resuming a digest of many parts, whatever the cap (tests/test_digest_cap.py
    # checks the cap itself): every item shown by the tick.
    monkeypatch.setattr(digest_module, "MAX_ITEMS", 1000)
    await follow(harness)
    await digest_tick(harness.app, clock.now)
    records = [project(n, name_zh=f"项目{n:03d}" + "长" * 120) for n in range(120)]
    await add(harness, *records)
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    parts = digests_to(harness)
    assert len(parts) >= 4
    for part in parts:
        assert utf16_len(html_to_plain(part.text)) <= 4096
        assert len(part.button_data()) >= 1
    assert _item_numbers(parts) == list(range(1, 121))
    buttons = [d for part in parts for d in part.button_data()]
    assert sorted(buttons) == sorted(f"p:t-kunshan-{n}" for n in range(120))


async def test_digest_groups_by_zone_then_sector_with_events_and_headline(
    harness: BotHarness, clock: Clock
) -> None:
    await follow(harness)
    await harness.store.subscribe(USER_ID, "zone", "xianning")
    await digest_tick(harness.app, clock.now)
    event = Event(
        id="t-fair",
        zone="xianning",
        kind=EventKind.JOB_FAIR,
        title_zh="测试招聘会",
        figures=(Figure(name_zh="意向", name_en="intents", value="86个"),),  # type: ignore[arg-type]
        source="p000-xianning",
    )
    await add(
        harness,
        project(1, total_investment="约3亿元"),
        project(2, sectors=("集成电路",), total_investment="5000万元"),
        project(3, total_investment=None),
        event,
    )
    calls = await harness.send("/digest now")
    text = html_to_plain(calls[-1].text)
    assert "新签约/项目动态 3 个" in text
    assert "约3.5亿元" in text and "2 个披露" in text and "活动 1 场" in text
    assert text.index("昆山") < text.index("咸宁")
    assert text.index("新能源") < text.index("集成电路")  # the bigger sector first
    assert "意向 86个" in text
    assert "e:t-fair" in calls[-1].button_data()


async def test_digest_now_without_subscriptions_explains_how_to_subscribe(
    harness: BotHarness,
) -> None:
    calls = await harness.send("/digest now")
    assert "/subscribe" in html_to_plain(calls[-1].text)


async def test_digest_now_sends_then_says_nothing_new(harness: BotHarness, clock: Clock) -> None:
    await follow(harness)
    await add(harness, project(1))
    calls = await harness.send("/digest now")
    assert len([c for c in calls if "招商摘要" in c.text]) == 1
    calls = await harness.send("/digest now")
    assert "没有新的" in html_to_plain(calls[-1].text)
    # The scheduled digest does not repeat what /digest now already sent.
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    assert len(digests_to(harness)) == 1


async def test_digest_command_shows_schedule_with_buttons_and_buttons_change_it(
    harness: BotHarness,
) -> None:
    calls = await harness.send("/digest")
    shown = calls[-1]
    assert "每天 08:30" in html_to_plain(shown.text)
    assert {"dg:daily", "dg:weekly", "dg:off", "dg:now", "dg:t:09:00"} <= set(shown.button_data())
    calls = await harness.press(shown, "dg:t:09:00")
    edited = [c for c in calls if c.method == "editMessageText"]
    assert edited and "每天 09:00" in html_to_plain(edited[-1].text)
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.digest_time == "09:00"


async def test_bad_digest_arguments_get_the_usage_line(harness: BotHarness) -> None:
    calls = await harness.send("/digest at dawn")
    assert "/digest 09:00" in html_to_plain(calls[-1].text)


async def test_unknown_timezone_is_refused(harness: BotHarness) -> None:
    calls = await harness.send("/timezone Mars/Olympus")
    assert "Asia/Shanghai" in html_to_plain(calls[-1].text)


async def test_group_members_cannot_change_the_schedule(harness: BotHarness) -> None:
    calls = await harness.send("/digest off", chat_id=GROUP_ID, user_id=555)
    assert "管理员" in html_to_plain(calls[-1].text)
    harness.api.chat_members[(GROUP_ID, 556)] = "administrator"
    calls = await harness.send("/digest off", chat_id=GROUP_ID, user_id=556)
    chat = await harness.store.chat(GROUP_ID)
    assert chat is not None and chat.digest_kind == "off"


async def test_the_tick_job_is_registered_with_no_misfire_grace(harness: BotHarness) -> None:
    assert harness.app.job_queue is not None
    jobs = harness.app.job_queue.get_jobs_by_name(TICK_NAME)
    assert len(jobs) == 1
    assert jobs[0].job.misfire_grace_time is None
    assert jobs[0].job.coalesce is True


# ---- pure parts ---------------------------------------------------------------------------


def _entry(seq: int, record: Project | Event, labels: frozenset[str] = frozenset()) -> Entry:
    kind = "project" if isinstance(record, Project) else "event"
    candidate = AlertCandidate(seq, kind, record.id, record.zone, labels, record.id)
    return Entry.of(candidate, "new", record)


def test_headline_sums_cny_only_and_hedges_when_any_amount_is_hedged() -> None:
    entries = [
        _entry(1, project(1, total_investment="6.63亿元")),
        _entry(2, project(2, total_investment="约5000万元")),
        _entry(3, project(3, total_investment="500万美元")),
    ]
    value = headline(entries)
    assert value.signings == 3 and value.with_amount == 2 and value.foreign == 1
    assert value.total == Amount(Decimal("71300"), "万元", Qualifier.ABOUT)


def test_a_subscription_catches_nothing_stored_before_it() -> None:
    from storage.subscription_queries import Subscription

    index = DigestIndex([_entry(1, project(1)), _entry(5, project(2))])
    sub = Subscription(1, USER_ID, "zone", "kunshan", None, since_seq=3)
    assert [e.seq for e in index.select([sub], 0, 10)] == [5]
    assert index.select([sub], 5, 10) == []


def test_render_digest_of_nothing_is_no_parts() -> None:
    assert (
        render_digest(
            build_digest([]), period="d2026-03-02", lang="zh", zones={}, companies={}, label_en={}
        )
        == []
    )


def test_english_digest() -> None:
    parts = render_digest(
        build_digest([_entry(1, project(1), frozenset({"新能源"}))]),
        period="d2026-03-02",
        lang="en",
        zones={},
        companies={},
        label_en={"新能源": "New energy"},
    )
    text = html_to_plain(parts[0].text)
    assert "Investment digest" in text and "Test project 1" in text and "CNY 200 million" in text
    assert "100 mu" in text and "New energy" in text


# ---- one copy per database --------------------------------------------------------------


def test_a_second_copy_on_the_same_database_refuses_to_start(tmp_path: Path) -> None:
    database = make_settings(tmp_path).database_path
    with InstanceLock(database), pytest.raises(StoreError) as refused:
        InstanceLock(database).acquire()
    message = str(refused.value)
    assert "another copy of the bot" in message and "already running" in message
    # Once the first copy stops, a new one starts.
    lock = InstanceLock(database)
    lock.acquire()
    lock.release()


# ---- review fixes: stored plans, permissions, re-enabling, failures, clean-up ------------


async def _stored_record_ids(harness: BotHarness, period: str) -> list[list[str]]:
    """The record ids of each part of a digest's stored plan."""
    plans = await harness.store.digest_plans([(USER_ID, period)])
    parts: list[list[str]] = []
    for items in plans[(USER_ID, period)]:
        ids = []
        for seq, _change in items:
            value = await harness.store.scalar("SELECT record_id FROM feed WHERE seq = ?", (seq,))
            ids.append(str(value))
        parts.append(ids)
    return parts


async def test_a_resumed_digest_sends_the_rest_of_its_stored_plan_whatever_changed(
    harness: BotHarness, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Splitting and resuming a digest of many parts, whatever the cap (tests/test_digest_cap.py
    # checks the cap itself): every item shown by the tick.
    monkeypatch.setattr(digest_module, "MAX_ITEMS", 1000)
    await follow(harness)
    await digest_tick(harness.app, clock.now)
    await add(harness, *(project(n, name_zh=f"测试项目{n:03d}" + "甲" * 60) for n in range(90)))
    _fail_second_send(harness, 429, "Too Many Requests: retry after 60")
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    assert len(digests_to(harness)) == 1
    planned = await _stored_record_ids(harness, "d2026-03-02")
    assert len(planned) == 3
    first, second, third = planned

    # Between the parts: records are deleted (some already shown, one of part 2, all of
    # part 3), the chat follows something else, and new records arrive.
    for record_id in [*first[:10], second[0], *third]:
        await harness.store.delete_record("project", record_id, via="test")
    await harness.store.unsubscribe(USER_ID, "zone", "kunshan")
    await harness.store.subscribe(USER_ID, "zone", "xianning")
    await add(harness, project(500, zone="xianning", source="p000-xianning"))

    harness.api.on_call = None
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 32))
    sent = digests_to(harness)
    assert len(sent) == 2  # part 2 without its deleted record; the emptied part 3 skipped
    rest = sent[1]
    assert "（续）" in rest.text and "新签约/项目动态" not in html_to_plain(rest.text)
    shown = [d.removeprefix("p:") for d in rest.button_data()]
    assert shown == second[1:]
    numbers = _item_numbers([rest])
    assert numbers == list(range(len(first) + 1, len(first) + len(second)))
    row = await harness.store.digest(USER_ID, "d2026-03-02")
    assert row is not None and row.sent_at is not None and row.parts_sent == 3
    assert await harness.store.digest_plans([(USER_ID, "d2026-03-02")]) == {}  # plan spent
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.digest_seq == row.to_seq

    # The record that came in meanwhile waits for the next digest, under the new subscription.
    await digest_tick(harness.app, clock.set(2026, 3, 3, 0, 30))
    assert len(digests_to(harness)) == 3
    assert "第500号" in html_to_plain(digests_to(harness)[2].text)


async def test_digest_now_in_a_group_is_for_admins_and_goes_to_the_subscription_topic(
    harness: BotHarness, clock: Clock
) -> None:
    harness.api.chat_members[(GROUP_ID, 556)] = "administrator"
    await harness.send(
        "/subscribe zone 昆山", chat_id=GROUP_ID, chat_type="supergroup", user_id=556, thread_id=7
    )
    await add(harness, project(1))

    calls = await harness.send(
        "/digest now", chat_id=GROUP_ID, chat_type="supergroup", user_id=555, thread_id=9
    )
    assert "管理员" in html_to_plain(calls[-1].text)
    assert digests_to(harness, GROUP_ID) == []
    chat = await harness.store.chat(GROUP_ID)
    assert chat is not None and chat.digest_seq < await harness.store.max_seq()

    shown = await harness.send(
        "/digest", chat_id=GROUP_ID, chat_type="supergroup", user_id=555, thread_id=9
    )
    calls = await harness.press(shown[-1], "dg:now", user_id=555)
    refusals = [c for c in calls if c.method == "answerCallbackQuery"]
    assert refusals and "管理员" in str(refusals[-1].params.get("text"))
    assert digests_to(harness, GROUP_ID) == []

    await harness.send(
        "/digest now", chat_id=GROUP_ID, chat_type="supergroup", user_id=556, thread_id=9
    )
    sent = digests_to(harness, GROUP_ID)
    assert len(sent) == 1
    assert int(sent[0].params["message_thread_id"]) == 7  # where the chat subscribed


async def test_alerts_back_on_start_from_now_without_a_catch_up_digest(
    harness: BotHarness, clock: Clock
) -> None:
    await follow(harness)
    await digest_tick(harness.app, clock.now)
    await harness.send("/alerts off")
    await add(harness, project(1))  # stored while alerts are off
    clock.set(2026, 3, 5, 12, 0)  # days later, past several 08:30s
    await harness.send("/alerts digest")
    await digest_tick(harness.app, clock.now)
    assert digests_to(harness) == []
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.next_digest_at == iso_at("2026-03-06T00:30:00+00:00")
    assert chat.digest_seq == await harness.store.max_seq()

    await add(harness, project(2))
    await digest_tick(harness.app, clock.set(2026, 3, 6, 0, 30))
    sent = digests_to(harness)
    assert len(sent) == 1
    text = html_to_plain(sent[0].text)
    assert "第2号" in text and "第1号" not in text


async def test_digest_schedule_back_on_starts_from_now(harness: BotHarness, clock: Clock) -> None:
    await follow(harness)
    await digest_tick(harness.app, clock.now)
    await harness.send("/digest off")
    await add(harness, project(1))
    clock.set(2026, 3, 5, 12, 0)
    await harness.send("/digest 08:30")
    await digest_tick(harness.app, clock.set(2026, 3, 6, 0, 30))
    assert digests_to(harness) == []  # nothing new since the schedule came back on
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.digest_seq == await harness.store.max_seq()


async def test_a_database_error_for_one_chat_does_not_stop_the_others(
    harness: BotHarness, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = 4242
    await follow(harness)
    await follow(harness, other)
    await digest_tick(harness.app, clock.now)
    await add(harness, project(1))
    store = harness.store
    real_open = store.open_digest

    async def failing_open(chat_id: int, *args: Any, **kwargs: Any) -> Any:
        if chat_id == USER_ID:
            raise sqlite3.OperationalError("database is locked")
        return await real_open(chat_id, *args, **kwargs)

    monkeypatch.setattr(store, "open_digest", failing_open)
    report = await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    assert report.results == {"failed": 1, "sent": 1}
    assert digests_to(harness, USER_ID) == []
    assert len(digests_to(harness, other)) == 1
    chat = await store.chat(USER_ID)
    assert chat is not None and chat.next_digest_at == iso_at(
        "2026-03-02T00:45:00+00:00"
    )  # retried

    monkeypatch.setattr(store, "open_digest", real_open)
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 45))
    assert len(digests_to(harness, USER_ID)) == 1


async def test_clean_up_forgets_old_history_only(harness: BotHarness, clock: Clock) -> None:
    store = harness.store
    await follow(harness)
    await follow(harness, 4242)
    await store.set_alert_mode(4242, "instant")
    await add(harness, project(1), project(2), project(3))
    seqs = [int(r[0]) for r in await store.fetchall("SELECT seq FROM feed ORDER BY seq")][-3:]
    await store._db.executemany(
        "INSERT INTO deliveries(chat_id, seq, attempts, sent_at) VALUES (?, ?, ?, ?)",
        [
            (USER_ID, seqs[0], 0, "2026-03-02T00:00:00+00:00"),  # sent long ago
            (USER_ID, seqs[1], 0, None),  # still owed
            (USER_ID, seqs[2], 99, None),  # given up
            (4242, seqs[0], 0, "2026-04-20T00:00:00+00:00"),  # sent recently
        ],
    )
    await store.open_digest(USER_ID, "d2026-03-02", 0, seqs[0], [[(seqs[0], "new")]])
    await store.finish_digest(USER_ID, "d2026-03-02", None)
    await store.open_digest(USER_ID, "d2026-03-03", 0, seqs[1], [[(seqs[1], "new")]])  # pending
    clock.set(2026, 4, 24, 0, 0)
    await harness.send("/digest now", chat_id=4242)  # a recent digest; leaves a chat lock
    assert 4242 in services_of(harness.app).digest_locks

    clock.set(2026, 4, 25, 0, 0)  # 54 days after the first, 5 after the recent one
    report = await digest_module.cleanup(harness.app)
    assert report.deliveries == 2 and report.digests == 1
    left = [(r["chat_id"], r["seq"]) for r in await store.delivery_rows()]
    assert left == [(USER_ID, seqs[1]), (4242, seqs[0])]
    assert await store.digest(USER_ID, "d2026-03-02") is None
    assert await store.digest(USER_ID, "d2026-03-03") is not None
    assert await store.digest_plans([(USER_ID, "d2026-03-02")]) == {}
    assert await store.digest_plans([(USER_ID, "d2026-03-03")]) != {}
    assert services_of(harness.app).digest_locks == {}


async def test_the_clean_up_job_runs_every_six_hours(harness: BotHarness) -> None:
    assert harness.app.job_queue is not None
    jobs = harness.app.job_queue.get_jobs_by_name(digest_module.CLEANUP_NAME)
    assert len(jobs) == 1
    assert jobs[0].job.trigger.interval == timedelta(hours=6)
