"""Instant alerts: matching, the delivery queue, and sending under Telegram's limits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.context import services_of
from bot.core import alerts
from bot.core.records import AlertCandidate, Event, FactFile, Project, SectorLabel, Subscription
from bot.jobs import delivery
from bot.jobs.alerts import JOB_NAME, alerts_tick
from bot.local_api import ApiCall, message_update
from bot.settings import Settings
from tests.harness import ADMIN_ID, USER_ID, BotHarness, Clock, write_elsewhere

SOURCE = "p000-kunshan"


START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("fast_pacing")


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
async def harness(settings: Settings, clock: Clock) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, now=clock) as bot:
        yield bot


def project(record_id: str, zone: str = "kunshan", **fields: Any) -> Project:
    values: dict[str, Any] = {
        "id": record_id,
        "zone": zone,
        "name_zh": f"测试项目{record_id}",
        "sectors": ("固态电池",),
        "stage": "signed",
        "total_investment": "10亿元",
        "source": SOURCE,
    }
    values.update(fields)
    return Project(**values)


async def add_elsewhere(
    settings: Settings, *projects: Project, events: tuple[Event, ...] = ()
) -> None:
    """Write records as another process would (python -m bot import): its own connection."""
    await write_elsewhere(settings.database_path, FactFile(projects=projects, events=events))


def alerts_to(bot: BotHarness, chat_id: int, since: int = 0) -> list[ApiCall]:
    return [c for c in bot.api.sent("sendMessage", chat_id)[since:]]


# ---- pure matching ----------------------------------------------------------------------

LABELS = [
    SectorLabel(label="新能源", area="new-energy"),
    SectorLabel(label="固态电池", area="new-energy"),
    SectorLabel(label="电子信息", area="ngit"),
    SectorLabel(label="香薰日化", area=None),
]


def sub(
    sub_id: int, chat_id: int, kind: str, value: str, since: int = 0, thread: int | None = None
) -> Subscription:
    return Subscription(sub_id, chat_id, kind, value, thread, since)  # type: ignore[arg-type]


def candidate(
    seq: int, zone: str = "kunshan", labels: tuple[str, ...] = (), text: str = ""
) -> AlertCandidate:
    return AlertCandidate(seq, "project", f"r{seq}", zone, frozenset(labels), text)


def test_sector_subscription_covers_label_and_area_both_ways() -> None:
    assert alerts.covered_labels("new-energy", LABELS) == {"新能源", "固态电池"}
    assert alerts.covered_labels("固态电池", LABELS) == {"新能源", "固态电池"}
    assert alerts.covered_labels("香薰日化", LABELS) == {"香薰日化"}


def test_record_matching_several_subscriptions_is_owed_once_to_oldest_topic() -> None:
    subs = [
        sub(1, 10, "zone", "kunshan", thread=7),
        sub(2, 10, "sector", "new-energy", thread=9),
        sub(3, 10, "keyword", "固态电池"),
        sub(4, 20, "zone", "xianning"),
    ]
    items = [candidate(5, labels=("固态电池",), text="德加能源固态电池总部项目")]
    assert alerts.match(items, subs, LABELS) == {(10, 5): 7}


def test_items_stored_before_the_subscription_are_not_owed() -> None:
    subs = [sub(1, 10, "zone", "kunshan", since=5)]
    items = [candidate(5), candidate(6)]
    assert alerts.match(items, subs, LABELS) == {(10, 6): None}


def test_keyword_matches_folded_text() -> None:
    subs = [sub(1, 10, "keyword", "solid state"), sub(2, 20, "keyword", "电解质")]
    items = [candidate(3, text="Solid-State battery pilot base\n百吨级固态电解质中试基地")]
    assert alerts.match(items, subs, LABELS) == {(10, 3): None, (20, 3): None}
    assert alerts.match([candidate(4, text="芯片")], subs, LABELS) == {}


def test_keyword_length_bounds() -> None:
    assert alerts.keyword_error("电") == "short"
    assert alerts.keyword_error("电池") is None
    assert alerts.keyword_error("x" * 50) is None
    assert alerts.keyword_error("x" * 51) == "long"
    assert alerts.keyword_error("!!") == "short"


def test_more_than_three_items_become_one_list() -> None:
    assert [len(b.items) for b in alerts.bundle(1, None, [1, 2, 3])] == [1, 1, 1]
    assert [len(b.items) for b in alerts.bundle(1, None, [1, 2, 3, 4])] == [4]
    assert [len(b.items) for b in alerts.bundle(1, None, list(range(23)))] == [10, 10, 3]


# ---- through the real Application -------------------------------------------------------


async def test_record_from_another_process_alerts_each_matching_chat_once(
    harness: BotHarness, settings: Settings
) -> None:
    await harness.send("/subscribe zone 昆山", chat_id=1001)
    await harness.send("/subscribe sector 新能源", chat_id=1001)  # same record twice: one alert
    await harness.send("/subscribe sector 新能源", chat_id=1002)
    await harness.send("/subscribe zone 咸宁", chat_id=1003)
    await alerts_tick(harness.app)  # the seed is older than every subscription
    harness.api.clear()

    await add_elsewhere(settings, project("t-battery", name_zh="固态电池中试线项目"))
    report = await alerts_tick(harness.app)

    assert len(alerts_to(harness, 1001)) == 1
    assert len(alerts_to(harness, 1002)) == 1
    assert alerts_to(harness, 1003) == []
    text = harness.api.texts(1001)[0]
    for fact in ("固态电池中试线项目", "昆山高新区", "固态电池", "签约", "10亿元"):
        assert fact in text
    assert alerts_to(harness, 1001)[0].button_data() == ["p:t-battery"]
    assert report.planned == 2

    await alerts_tick(harness.app)
    assert len(harness.api.sent("sendMessage")) == 2


async def test_no_duplicate_after_restart(settings: Settings, clock: Clock) -> None:
    first = BotHarness(settings, now=clock)
    await first.start()
    await first.send("/subscribe zone 昆山")
    await add_elsewhere(settings, project("t-one"))
    await alerts_tick(first.app)
    assert len(first.api.sent("sendMessage")) == 2  # the reply and the alert
    await first.stop()

    second = BotHarness(settings, now=clock)
    await second.start()
    try:
        await alerts_tick(second.app)
        assert second.api.sent("sendMessage") == []
        await add_elsewhere(settings, project("t-two"))
        await alerts_tick(second.app)
        assert len(second.api.sent("sendMessage")) == 1
    finally:
        await second.stop()


async def test_planned_but_unsent_alert_goes_out_after_restart(
    settings: Settings, clock: Clock
) -> None:
    first = BotHarness(settings, now=clock)
    await first.start()
    await first.send("/subscribe zone 昆山")
    await add_elsewhere(settings, project("t-one"))
    await first.store.plan_deliveries(alerts.match)  # crash after planning, before sending
    await first.stop()

    second = BotHarness(settings, now=clock)
    await second.start()
    try:
        await alerts_tick(second.app)
        assert len(second.api.sent("sendMessage")) == 1
        await alerts_tick(second.app)
        assert len(second.api.sent("sendMessage")) == 1
    finally:
        await second.stop()


async def test_rate_limit_delays_one_chat_and_not_the_others(
    harness: BotHarness, settings: Settings, clock: Clock
) -> None:
    await harness.send("/subscribe zone 昆山", chat_id=1001)
    await harness.send("/subscribe zone 昆山", chat_id=1002)
    api = harness.api
    answer = api._answer
    limited: list[int] = []

    def rate_limit_chat_a(call: ApiCall) -> tuple[int, dict[str, Any]]:
        if call.method == "sendMessage" and call.chat_id == 1001 and not limited:
            limited.append(1)
            return api._error(call, 429, "Too Many Requests: retry after 5", {"retry_after": 5})
        return answer(call)

    api._answer = rate_limit_chat_a  # type: ignore[method-assign]
    api.clear()
    await add_elsewhere(settings, project("t-one"))

    report = await alerts_tick(harness.app)
    assert report.postponed == {1001: 5}
    assert alerts_to(harness, 1001) == []
    assert len(alerts_to(harness, 1002)) == 1

    await alerts_tick(harness.app)  # too early: Telegram asked for 5 seconds
    assert alerts_to(harness, 1001) == []

    clock.advance(6)
    await alerts_tick(harness.app)
    await alerts_tick(harness.app)
    assert len(alerts_to(harness, 1001)) == 1
    assert len(alerts_to(harness, 1002)) == 1


async def test_rate_limit_from_fail_next_keeps_the_item_pending(
    harness: BotHarness, settings: Settings, clock: Clock
) -> None:
    await harness.send("/subscribe zone 昆山")
    harness.api.clear()
    await add_elsewhere(settings, project("t-one"))
    harness.api.fail_next["sendMessage"] = [
        (429, "Too Many Requests: retry after 5", {"retry_after": 5})
    ]
    await alerts_tick(harness.app)
    assert harness.api.sent("sendMessage") == []
    rows = await harness.store.delivery_rows(1001)
    assert rows[0]["sent_at"] is None and rows[0]["not_before"] is not None
    clock.advance(5)
    await alerts_tick(harness.app)
    assert len(harness.api.sent("sendMessage")) == 1


async def test_blocked_user_goes_inactive_and_start_reactivates(
    harness: BotHarness, settings: Settings, clock: Clock
) -> None:
    await harness.send("/subscribe zone 昆山")
    harness.api.clear()
    await add_elsewhere(settings, project("t-one"))
    harness.api.fail_next["sendMessage"] = [(403, "Forbidden: bot was blocked by the user", None)]
    report = await alerts_tick(harness.app)
    assert report.gone == [1001]
    chat = await harness.store.chat(1001)
    assert chat is not None and not chat.active

    await add_elsewhere(settings, project("t-two"))
    clock.advance(60)
    await alerts_tick(harness.app)
    assert harness.api.sent("sendMessage") == []

    await harness.send("/start")
    chat = await harness.store.chat(1001)
    assert chat is not None and chat.active
    harness.api.clear()
    await alerts_tick(harness.app)
    # The alert owed when the user blocked the bot goes out; what was stored while the
    # chat was unreachable was never queued for it.
    assert harness.api.sent("sendMessage")[0].button_data() == ["p:t-one"]
    assert len(harness.api.sent("sendMessage")) == 1


async def test_group_upgraded_to_supergroup_keeps_subscriptions(
    harness: BotHarness, settings: Settings
) -> None:
    await harness.send("/subscribe zone 昆山", chat_id=-500, chat_type="group", user_id=ADMIN_ID)
    harness.api.clear()
    await add_elsewhere(settings, project("t-one"))
    harness.api.fail_next["sendMessage"] = [
        (
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": -100500},
        )
    ]
    report = await alerts_tick(harness.app)
    assert report.migrated == {-500: -100500}
    assert [(s.kind, s.value) for s in await harness.store.subscriptions(-100500)] == [
        ("zone", "kunshan")
    ]
    await alerts_tick(harness.app)
    assert len(alerts_to(harness, -100500)) == 1
    assert alerts_to(harness, -500) == []


async def test_migration_service_message_moves_subscriptions(harness: BotHarness) -> None:
    await harness.send("/subscribe zone 昆山", chat_id=-600, chat_type="group", user_id=ADMIN_ID)
    raw = message_update("x", chat_id=-600, chat_type="group", user_id=ADMIN_ID)
    del raw["message"]["text"]
    raw["message"]["migrate_to_chat_id"] = -100600
    await harness.process(raw)
    assert await harness.store.subscriptions(-600) == []
    assert len(await harness.store.subscriptions(-100600)) == 1


async def test_forum_topic_alert_goes_to_that_topic(
    harness: BotHarness, settings: Settings
) -> None:
    harness.api.chat_members[(-1001234, 2001)] = "administrator"
    await harness.send(
        "/subscribe zone 昆山", chat_id=-1001234, chat_type="supergroup", user_id=2001, thread_id=7
    )
    harness.api.clear()
    await add_elsewhere(settings, project("t-one"))
    await alerts_tick(harness.app)
    sent = alerts_to(harness, -1001234)
    assert len(sent) == 1
    assert int(sent[0].params["message_thread_id"]) == 7


async def test_many_items_at_once_arrive_as_one_list(
    harness: BotHarness, settings: Settings
) -> None:
    await harness.send("/subscribe zone 昆山")
    harness.api.clear()
    await add_elsewhere(settings, *(project(f"t-{n}", name_zh=f"批量项目{n}") for n in range(5)))
    await alerts_tick(harness.app)
    sent = harness.api.sent("sendMessage")
    assert len(sent) == 1
    assert sent[0].button_data() == [f"p:t-{n}" for n in range(5)]
    text = harness.api.texts()[0]
    assert all(f"批量项目{n}" in text for n in range(5))


async def test_new_event_alert(harness: BotHarness, settings: Settings) -> None:
    await harness.send("/subscribe keyword 路演")
    harness.api.clear()
    event = Event(
        id="t-roadshow", zone="kunshan", kind="roadshow", title_zh="昆山科创路演专场", source=SOURCE
    )
    await add_elsewhere(settings, events=(event,))
    await alerts_tick(harness.app)
    assert harness.api.sent("sendMessage")[0].button_data() == ["e:t-roadshow"]
    assert "昆山科创路演专场" in harness.api.texts()[0]


async def test_server_error_is_retried_with_backoff(
    harness: BotHarness, settings: Settings, clock: Clock
) -> None:
    await harness.send("/subscribe zone 昆山")
    harness.api.clear()
    await add_elsewhere(settings, project("t-one"))
    harness.api.fail_next["sendMessage"] = [(502, "Bad Gateway", None)]
    await alerts_tick(harness.app)
    rows = await harness.store.delivery_rows(1001)
    assert rows[0]["attempts"] == 1 and rows[0]["sent_at"] is None
    clock.advance(delivery.backoff(1))
    await alerts_tick(harness.app)
    assert len(harness.api.sent("sendMessage")) == 1


async def test_refused_message_is_given_up_not_looped(
    harness: BotHarness, settings: Settings, clock: Clock
) -> None:
    await harness.send("/subscribe zone 昆山")
    harness.api.clear()
    await add_elsewhere(settings, project("t-one"))
    harness.api.fail_next["sendMessage"] = [(400, "Bad Request: can't parse entities", None)]
    report = await alerts_tick(harness.app)
    assert report.refused
    clock.advance(3600)
    await alerts_tick(harness.app)
    assert len(harness.api.calls) == 1


async def test_digest_and_off_modes_send_no_instant_alert(
    harness: BotHarness, settings: Settings
) -> None:
    await harness.send("/subscribe zone 昆山", chat_id=1001)
    await harness.send("/alerts digest", chat_id=1001)
    await harness.send("/subscribe zone 昆山", chat_id=1002)
    await harness.send("/alerts off", chat_id=1002)
    harness.api.clear()
    await add_elsewhere(settings, project("t-one"))
    await alerts_tick(harness.app)
    assert harness.api.sent("sendMessage") == []


async def test_record_deleted_before_sending_is_not_announced(
    harness: BotHarness, settings: Settings
) -> None:
    await harness.send("/subscribe zone 昆山")
    harness.api.clear()
    await add_elsewhere(settings, project("t-one"))
    await harness.store.plan_deliveries(alerts.match)
    await harness.store.delete_record("project", "t-one", via="test")
    await alerts_tick(harness.app)
    assert harness.api.sent("sendMessage") == []


async def test_job_is_scheduled_so_late_runs_are_not_dropped(harness: BotHarness) -> None:
    queue = harness.app.job_queue
    assert queue is not None
    (job,) = queue.get_jobs_by_name(JOB_NAME)
    assert job.job.misfire_grace_time is None
    assert job.job.coalesce is True


async def test_bot_removed_from_group_sends_nothing_there(
    harness: BotHarness, settings: Settings
) -> None:
    await harness.send("/subscribe zone 昆山", chat_id=-700, chat_type="group", user_id=ADMIN_ID)
    await harness.member_change(-700, user_id=ADMIN_ID, old="member", new="left")
    harness.api.clear()
    await add_elsewhere(settings, project("t-one"))
    await alerts_tick(harness.app)
    assert harness.api.sent("sendMessage") == []


async def test_a_chat_with_thousands_waiting_does_not_starve_the_others(
    harness: BotHarness, settings: Settings
) -> None:
    busy, quiet = -1009999, USER_ID
    store = harness.store
    await store.ensure_chat(busy, "supergroup")
    await store.ensure_chat(quiet, "private")
    await add_elsewhere(settings, project("t-quiet"))
    seq = int(str(await store.max_seq()))
    # 1500 alerts owed to the busy chat (its records since deleted: given up as they come).
    await store._db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) "
        "INSERT INTO feed(kind, record_id, change, at) "
        "SELECT 'project', 'gone-' || i, 'new', '2026-03-02T00:00:00+00:00' FROM n"
    )
    await store._db.execute(
        "INSERT INTO deliveries(chat_id, seq) SELECT ?, seq FROM feed WHERE seq > ?", (busy, seq)
    )
    await store._db.execute("INSERT INTO deliveries(chat_id, seq) VALUES (?, ?)", (quiet, seq))
    await store._db.execute(
        "INSERT INTO meta(key, value) VALUES ('alerts_seq', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (str(await store.max_seq()),),
    )

    due = await store.pending_deliveries(services_of(harness.app).clock())
    assert {row.chat_id for row in due} == {busy, quiet}
    assert sum(1 for row in due if row.chat_id == busy) == 30

    report = await alerts_tick(harness.app)
    assert report.sent == {quiet: [seq]}
    assert len(alerts_to(harness, quiet)) == 1


async def test_a_big_import_becomes_one_summary_not_a_flood(
    harness: BotHarness, settings: Settings
) -> None:
    await harness.send("/subscribe zone 昆山")
    await add_elsewhere(settings, *(project(f"bulk-{i}") for i in range(100)))
    before = len(alerts_to(harness, USER_ID))

    await alerts_tick(harness.app)
    sent = alerts_to(harness, USER_ID, before)
    assert len(sent) == 1
    text = sent[0].text
    assert "10 条新的签约和活动" in text and "另有 90 条" in text and "/digest now" in text
    # All 100 count as told: nothing more goes out, now or after the next tick.
    assert (await harness.store.pending_total(USER_ID))[0] == 0
    await alerts_tick(harness.app)
    assert len(alerts_to(harness, USER_ID, before)) == 1


async def test_a_handful_of_new_items_is_still_listed_in_full(
    harness: BotHarness, settings: Settings
) -> None:
    await harness.send("/subscribe zone 昆山")
    await add_elsewhere(settings, *(project(f"few-{i}") for i in range(25)))
    before = len(alerts_to(harness, USER_ID))
    await alerts_tick(harness.app)
    sent = alerts_to(harness, USER_ID, before)
    assert [c.text.count("测试项目few-") for c in sent] == [10, 10, 5]
    assert not any("另有" in c.text for c in sent)
