"""Group robots (WeCom, DingTalk, Feishu): rendering, signing, answers, pacing, and the
whole path over the real Application against the fake platform servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from bot.context import services_of
from bot.core import robots
from bot.jobs import robots as robot_jobs
from bot.jobs.alerts import alerts_tick
from bot.jobs.delivery import Outgoing, RetryLater, Sent
from bot.jobs.digests import digest_tick
from bot.logsafe import RedactingFormatter, redact
from bot.settings import Settings
from tests.harness import ADMIN_ID, USER_ID, BotHarness, Clock, make_settings, text_of
from tests.robot_servers import RobotServers, shown_text
from tests.test_alerts import START, add_elsewhere, project

KEYS = {"wecom": "wecomkey0001", "dingtalk": "dingtoken0001", "feishu": "feishuhook0001"}
SECRETS = {"wecom": None, "dingtalk": "SECdingsecret", "feishu": "feishusecret"}


pytestmark = pytest.mark.usefixtures("fast_pacing")


@pytest.fixture
async def servers() -> AsyncIterator[RobotServers]:
    async with RobotServers() as fake:
        yield fake


@pytest.fixture
async def harness(tmp_path: object, servers: RobotServers) -> AsyncIterator[BotHarness]:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    settings = make_settings(tmp_path, channel_hosts=frozenset({servers.host}))
    async with BotHarness(settings, now=Clock(START)) as bot:
        yield bot


def add_command(servers: RobotServers, kind: str, name: str) -> str:
    servers.add(kind, KEYS[kind], SECRETS[kind])
    secret = SECRETS[kind]
    tail = f" secret={secret}" if secret else ""
    return f"/channel add {kind} {servers.url(kind, KEYS[kind])}{tail} name={name}"


# ---- pure: rendering ----------------------------------------------------------------------


HTML = (
    "<b>新项目</b> · 昆山高新区\n"
    '<a href="https://example.org/p?a=1&amp;b=(2)">来源*官网*</a> [注] 5 &lt; 6 #1 `x`'
)


def test_wecom_markdown_keeps_bold_and_links_and_shows_no_raw_markup() -> None:
    body = robots.wecom_bodies(HTML)
    assert len(body) == 1
    content = body[0]["markdown"]["content"]  # type: ignore[index]
    assert content.startswith("**新项目** · 昆山高新区\n")
    assert "[来源＊官网＊](https://example.org/p?a=1&b=%282%29)" in content
    # Text that markdown would read as markup is shown as its full-width lookalike.
    assert "［注］ 5 ＜ 6 ＃1 ｀x｀" in content
    assert "&lt;" not in content and "<b>" not in content


def test_dingtalk_markdown_has_a_title_and_hard_line_breaks() -> None:
    body = robots.dingtalk_bodies(HTML)[0]
    md = body["markdown"]
    assert isinstance(md, dict)
    assert md["title"] == "新项目 · 昆山高新区"
    assert "  \n" in md["text"]
    assert md["text"].endswith("招商助手")


async def test_a_keyword_protected_robot_accepts_alerts(servers: RobotServers) -> None:
    async with httpx.AsyncClient() as client:
        for kind in ("dingtalk", "feishu"):
            robot = servers.add(kind, KEYS[kind])
            robot.keyword = "招商助手"
            verdict = await robot_jobs.test_channel(
                client,
                kind,
                servers.url(kind, KEYS[kind]),
                None,
                "<b>新项目</b> 昆山",  # type: ignore[arg-type]
            )
            assert verdict.meaning == "ok", verdict


def test_feishu_post_is_plain_text_and_links_no_markup() -> None:
    body = robots.feishu_bodies(HTML)[0]
    post = body["content"]["post"]["zh_cn"]  # type: ignore[index]
    assert post["title"] == "新项目 · 昆山高新区"
    row = post["content"][0]
    assert row[0] == {"tag": "a", "text": "来源*官网*", "href": "https://example.org/p?a=1&b=(2)"}
    assert row[1]["text"] == " [注] 5 < 6 #1 `x`"


@pytest.mark.parametrize(
    ("kind", "limit"),
    [("wecom", robots.WECOM_LIMIT), ("dingtalk", robots.DINGTALK_LIMIT), ("feishu", None)],
)
def test_long_digests_split_at_lines_into_numbered_parts_under_the_byte_limit(
    kind: str, limit: int | None
) -> None:
    lines = [f"<b>{n}.</b> 苏州工业园区新能源项目第{n}条：总投资10亿元" for n in range(1, 1200)]
    parts = robots.bodies(kind, "\n".join(lines))  # type: ignore[arg-type]
    assert len(parts) >= 3
    seen: list[str] = []
    for number, body in enumerate(parts, start=1):
        if kind == "feishu":
            assert len(json.dumps(body, ensure_ascii=False).encode()) <= robots.FEISHU_LIMIT - 100
            assert body["content"]["post"]["zh_cn"]["title"].endswith(  # type: ignore[index]
                f"({number}/{len(parts)})"
            )
        else:
            md = body["markdown"]
            assert isinstance(md, dict)
            text = md["content"] if kind == "wecom" else md["text"]
            assert limit is not None and len(text.encode()) <= limit
            assert text.startswith(f"({number}/{len(parts)})")
        seen.append(shown_text(kind, body))
    # Every line arrives whole, once, in order.
    everything = "\n".join(seen)
    positions = [everything.find(f"第{n}条") for n in range(1, 1200)]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


# ---- pure: URLs, masking, redaction -------------------------------------------------------


def test_urls_are_checked_for_shape_https_and_host() -> None:
    good = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0"
    assert robots.check_url("wecom", good) is None
    assert robots.check_url("wecom", good.replace("https", "http")) == "scheme"
    assert robots.check_url("wecom", good.replace("qyapi.weixin.qq.com", "evil.com")) == "host"
    assert robots.check_url("dingtalk", good) == "host"
    assert robots.check_url("wecom", good.split("?")[0]) == "shape"
    assert (
        robots.check_url("feishu", "https://open.larksuite.com/open-apis/bot/v2/hook/abcd1234-ef")
        is None
    )
    assert robots.check_url("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/ab") == "shape"
    assert robots.check_url("dingtalk", "not a url") == "not_url"
    local = "http://127.0.0.1:8099/robot/send?access_token=abcdefgh1234"
    assert robots.check_url("dingtalk", local) == "scheme"
    assert robots.check_url("dingtalk", local, frozenset({"127.0.0.1:8099"})) is None
    assert robots.check_url("dingtalk", local, frozenset({"127.0.0.1:8100"})) == "host"


def test_listings_mask_the_key_and_logs_redact_it() -> None:
    url = "https://oapi.dingtalk.com/robot/send?access_token=ab12cd34ef56"
    masked = robots.mask_url("dingtalk", url)
    assert masked == "oapi.dingtalk.com/robot/send?…access_token=ab12…"
    assert "cd34ef56" not in masked
    hook = "https://open.feishu.cn/open-apis/bot/v2/hook/5f0c-a1b2-c3d4"
    line = f"HTTP Request: POST {url}&timestamp=1&sign=abc%2B== and {hook} secret=SECxyz"
    cleaned = redact(line)
    for secret in ("ab12cd34ef56", "5f0c-a1b2-c3d4", "abc%2B", "SECxyz"):
        assert secret not in cleaned


def test_channel_ids_are_below_any_telegram_id() -> None:
    first = robots.channel_chat_id(1)
    assert robots.is_channel_id(first)
    assert first < -(2**52)  # Telegram ids have at most 52 significant bits
    assert not robots.is_channel_id(-1002147483647) and not robots.is_channel_id(2**52 - 1)


# ---- pure: what answers mean --------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "body", "meaning"),
    [
        ("wecom", 200, {"errcode": 0, "errmsg": "ok"}, "ok"),
        ("wecom", 200, {"errcode": 93000, "errmsg": "invalid webhook url"}, "gone"),
        ("wecom", 200, {"errcode": 45009, "errmsg": "api freq out of limit"}, "rate"),
        ("wecom", 200, {"errcode": 40058, "errmsg": "exceed max length"}, "refused"),
        ("dingtalk", 200, {"errcode": 300001, "errmsg": "token is not exist"}, "gone"),
        ("dingtalk", 200, {"errcode": 130101, "errmsg": "send too fast"}, "rate"),
        ("dingtalk", 200, {"errcode": 310000, "errmsg": "keywords not in content"}, "refused"),
        ("dingtalk", 200, {"errcode": 310000, "errmsg": "sign not match"}, "gone"),
        ("feishu", 200, {"code": 19021, "msg": "sign match fail"}, "gone"),
        ("feishu", 200, {"code": 19024, "msg": "Key Words Not Found"}, "refused"),
        ("feishu", 200, {"code": 11232, "msg": "frequency limited psm"}, "rate"),
        ("feishu", 200, {"code": 9499, "msg": "too many request"}, "rate"),
        (
            "feishu",
            200,
            {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"},
            "gone",
        ),
        ("feishu", 502, {}, "transient"),
        ("wecom", 429, {}, "rate"),
        ("dingtalk", 404, {}, "gone"),
    ],
)
def test_answers_are_judged_by_the_platforms_codes(
    kind: str, status: int, body: dict[str, object], meaning: str
) -> None:
    verdict = robots.judge(kind, status, json.dumps(body))  # type: ignore[arg-type]
    assert verdict.meaning == meaning


# ---- signing and pacing against the fake servers ------------------------------------------


async def test_signed_sends_are_accepted_and_a_wrong_secret_is_refused(
    servers: RobotServers,
) -> None:
    async with httpx.AsyncClient() as client:
        for kind in ("dingtalk", "feishu"):
            robot = servers.add(kind, KEYS[kind], "right-secret")
            url = servers.url(kind, KEYS[kind])
            ok = await robot_jobs.test_channel(client, kind, url, "right-secret", "<b>测试</b>")  # type: ignore[arg-type]
            assert ok.meaning == "ok"
            bad = await robot_jobs.test_channel(client, kind, url, "wrong-secret", "<b>测试</b>")  # type: ignore[arg-type]
            assert bad.meaning == "gone"
            assert robots.reason_of(kind, bad) == "sign"  # type: ignore[arg-type]
            assert len(robot.received) == 1


async def test_a_feishu_robot_is_paced_under_its_limits(
    servers: RobotServers, harness: BotHarness
) -> None:
    """Twelve messages in a row to one Feishu robot: spaced, all accepted, no rate answer."""
    robot = servers.add("feishu", KEYS["feishu"])
    store = harness.store
    added = await store.add_channel(
        "feishu", "fs", servers.url("feishu", KEYS["feishu"]), None, USER_ID, "zh"
    )
    assert added is not None
    to = services_of(harness.app).destination(harness.app.bot, added.chat_id)
    started = time.monotonic()
    outcomes = [await to.deliver(Outgoing(f"<b>第{n}条</b>")) for n in range(12)]
    took = time.monotonic() - started
    assert all(isinstance(o, Sent) for o in outcomes)
    assert len(robot.received) == 12 and robot.rate_answers == 0
    assert took >= 11 * robots.INTERVAL["feishu"] - 0.05


async def test_posts_that_queued_for_a_slot_in_flight_still_leave_spaced(
    servers: RobotServers, harness: BotHarness
) -> None:
    """Every post slot is taken (other robots' posts) for longer than a Feishu robot's
    spacing while two messages wait for that robot: once slots free up, the two still
    reach the robot at least its spacing apart, not back to back."""
    robot = servers.add("feishu", KEYS["feishu"])
    added = await harness.store.add_channel(
        "feishu", "fs", servers.url("feishu", KEYS["feishu"]), None, USER_ID, "zh"
    )
    assert added is not None
    services = services_of(harness.app)
    to = services.destination(harness.app.bot, added.chat_id)
    # A first message opens the kept-alive connection: the two below leave the same way.
    assert isinstance(await to.deliver(Outgoing("<b>第0条</b>")), Sent)
    for _ in range(robot_jobs.POSTS_IN_FLIGHT):
        await services.robots.in_flight.acquire()
    sends = [asyncio.create_task(to.deliver(Outgoing(f"<b>第{n}条</b>"))) for n in (1, 2)]
    await asyncio.sleep(robots.INTERVAL["feishu"] * 2)
    assert len(robot.received) == 1
    for _ in range(robot_jobs.POSTS_IN_FLIGHT):
        services.robots.in_flight.release()
    outcomes = await asyncio.gather(*sends)
    assert all(isinstance(o, Sent) for o in outcomes)
    assert len(robot.arrivals) == 3
    assert robot.arrivals[2] - robot.arrivals[1] >= robots.INTERVAL["feishu"] - 0.05


# ---- over Telegram: add, list, manage, deliver ---------------------------------------------


async def test_adding_in_a_group_is_refused_and_the_message_deleted(
    harness: BotHarness, servers: RobotServers
) -> None:
    command = add_command(servers, "wecom", "team")
    calls = await harness.send(command, chat_id=-100500, chat_type="supergroup")
    assert [c for c in calls if c.method == "deleteMessage"]
    assert "私聊" in text_of(calls)
    assert KEYS["wecom"] not in text_of(calls)
    assert await harness.store.channels() == []


async def test_a_wrong_key_is_explained_and_nothing_saved(
    harness: BotHarness, servers: RobotServers
) -> None:
    url = servers.url("wecom", "nosuchkey0001")
    calls = await harness.send(f"/channel add wecom {url} name=team")
    reply = text_of(calls)
    assert "key" in reply and "93000" in reply and "未保存" in reply
    assert "nosuchkey0001" not in reply
    assert await harness.store.channels() == []


async def test_a_missing_keyword_is_said_in_plain_words(
    harness: BotHarness, servers: RobotServers
) -> None:
    robot = servers.add("dingtalk", KEYS["dingtalk"], SECRETS["dingtalk"])
    robot.keyword = "日报"
    url = servers.url("dingtalk", KEYS["dingtalk"])
    calls = await harness.send(f"/channel add dingtalk {url} secret={SECRETS['dingtalk']}")
    assert "关键词" in text_of(calls)
    assert await harness.store.channels() == []


async def test_a_robot_of_each_kind_gets_alerts_and_the_digest(
    harness: BotHarness, servers: RobotServers
) -> None:
    store = harness.store
    for kind in ("wecom", "dingtalk", "feishu"):
        calls = await harness.send(add_command(servers, kind, f"{kind}-team"))
        reply = text_of(calls)
        assert "已添加" in reply, reply
        assert KEYS[kind][4:] not in reply and (SECRETS[kind] or "§") not in reply
        assert len(servers.robots[KEYS[kind]].received) == 1  # the test message
        assert f"{kind}-team" in text_of(await harness.send(f"/manage {kind}-team"))
        await harness.send("/subscribe keyword 固态电池")
        await harness.send("/manage off")
    listing = text_of(await harness.send("/channels"))
    for kind in ("wecom", "dingtalk", "feishu"):
        assert f"{kind}-team" in listing and KEYS[kind] not in listing
    subs = await store.chat_subscriptions([c.chat_id for c in await store.channels()])
    assert sum(len(v) for v in subs.values()) == 3
    await add_elsewhere(harness.settings, project("p-robot-1", name_zh="固态电池超级工厂"))
    report = await alerts_tick(harness.app)
    assert len(report.sent) == 3
    for kind in ("wecom", "dingtalk", "feishu"):
        robot = servers.robots[KEYS[kind]]
        assert len(robot.received) == 2
        assert "固态电池超级工厂" in shown_text(kind, robot.received[-1])
        assert robot.rejected == []
    # The digest at its time: every robot's next digest time passes.
    clock = services_of(harness.app).clock
    assert isinstance(clock, Clock)
    await digest_tick(harness.app)  # schedules
    clock.advance(2 * 86400)
    # Two days pass: the robots' pacer (real time) has long forgotten the alert.
    services_of(harness.app).robots.pacer = robot_jobs.RobotPacer()
    result = await digest_tick(harness.app)
    assert result.results.get("sent") == 3
    for kind in ("wecom", "dingtalk", "feishu"):
        robot = servers.robots[KEYS[kind]]
        assert "固态电池超级工厂" in shown_text(kind, robot.received[-1])
    channels = await store.channels()
    assert all(c.last_delivery_at is not None for c in channels)


async def test_a_rate_limit_parks_the_robot_and_nothing_is_lost(
    harness: BotHarness, servers: RobotServers
) -> None:
    await harness.send(add_command(servers, "dingtalk", "ding"))
    await harness.send("/manage ding")
    await harness.send("/subscribe keyword 固态电池")
    robot = servers.robots[KEYS["dingtalk"]]
    robot.forced.append(
        (200, {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"})
    )
    await add_elsewhere(harness.settings, project("p-rate-1", name_zh="固态电池一期"))
    report = await alerts_tick(harness.app)
    assert report.postponed and not report.sent
    assert len(robot.received) == 1  # only the test message
    # Parked for DingTalk's 10 minutes; after that it goes, once.
    clock = services_of(harness.app).clock
    assert isinstance(clock, Clock)
    # The robot's own pacer holds it for real 10 minutes; here the pacer is made to forget.
    services_of(harness.app).robots.pacer = robot_jobs.RobotPacer()
    clock.advance(robots.RATE_PARK["dingtalk"] + 1)
    report = await alerts_tick(harness.app)
    assert report.sent
    assert "固态电池一期" in shown_text("dingtalk", robot.received[-1])
    clock.advance(3600)
    await alerts_tick(harness.app)
    assert sum("固态电池一期" in shown_text("dingtalk", b) for b in robot.received) == 1


async def test_an_invalid_key_makes_the_robot_inactive_and_tells_its_owner(
    harness: BotHarness, servers: RobotServers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await harness.send(add_command(servers, "wecom", "wx"))
    await harness.send("/manage wx")
    await harness.send("/subscribe keyword 固态电池")
    del servers.robots[KEYS["wecom"]]  # the robot was removed from its group
    await add_elsewhere(harness.settings, project("p-gone-1", name_zh="固态电池二期"))
    before = len(harness.api.calls)
    report = await alerts_tick(harness.app)
    assert report.gone
    channel = (await harness.store.channels())[0]
    assert channel.status == "inactive"
    told = text_of(harness.api.calls[before:])
    assert "wx" in told and "93000" in told
    # What the bot's log shows (its formatter; httpx logs every request URL at INFO).
    formatter = RedactingFormatter("%(name)s %(message)s")
    shown = "\n".join(formatter.format(record) for record in caplog.records)
    assert "HTTP Request" in shown and "key=[REDACTED]" in shown
    assert KEYS["wecom"] not in shown


async def test_revoking_the_owner_pauses_the_robot_and_tells_admins(
    tmp_path: object, servers: RobotServers
) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    settings: Settings = make_settings(
        tmp_path, channel_hosts=frozenset({servers.host}), access="private"
    )
    bot = BotHarness(settings, now=Clock(START))
    await bot.start()
    try:
        await bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
        await bot.send(add_command(servers, "feishu", "fs"))
        assert (await bot.store.channels())[0].status == "active"
        calls = await bot.send(f"/revoke {USER_ID}", user_id=ADMIN_ID, chat_id=ADMIN_ID)
        assert (await bot.store.channels())[0].status == "paused"
        assert any(
            c.params.get("chat_id") == ADMIN_ID and "fs" in str(c.params.get("text")) for c in calls
        )
        taken = await bot.send("/channel takeover fs", user_id=ADMIN_ID, chat_id=ADMIN_ID)
        assert "接管" in text_of(taken)
        resumed = await bot.send("/channel test fs", user_id=ADMIN_ID, chat_id=ADMIN_ID)
        assert "恢复" in text_of(resumed)
        assert (await bot.store.channels())[0].status == "active"
    finally:
        await bot.stop()


async def test_rename_and_remove_and_others_cannot_touch_it(
    harness: BotHarness, servers: RobotServers
) -> None:
    await harness.send(add_command(servers, "wecom", "a1"))
    other = await harness.send("/channel remove a1", user_id=2002, chat_id=2002)
    assert "没有你可管理" in text_of(other)
    renamed = await harness.send("/channel rename a1 b1")
    assert "b1" in text_of(renamed)
    removed = await harness.send("/channel remove b1")
    assert "已删除" in text_of(removed)
    assert await harness.store.channels() == []


def test_retry_later_is_the_outcome_class_for_parking() -> None:
    assert RetryLater(1.0, "rate limited").reason == "rate limited"
    assert timedelta(seconds=robots.RATE_PARK["dingtalk"]) == timedelta(minutes=10)


async def test_manage_offers_robots_as_buttons_and_digest_settings_act_on_the_robot(
    harness: BotHarness, servers: RobotServers
) -> None:
    await harness.send(add_command(servers, "wecom", "wxteam"))
    channel = (await harness.store.channels())[0]
    calls = await harness.send("/manage")
    menu = next(c for c in calls if c.method == "sendMessage")
    labels = [b["text"] for row in menu.buttons for b in row]
    assert any("wxteam" in label for label in labels)
    data = next(b["callback_data"] for row in menu.buttons for b in row if "wxteam" in b["text"])
    await harness.press(menu, data)
    set_time = await harness.send("/digest 09:15")
    assert "09:15" in text_of(set_time)
    await harness.send("/timezone Europe/Berlin")
    robot_chat = await harness.store.chat(channel.chat_id)
    assert robot_chat is not None
    assert robot_chat.digest_time == "09:15" and robot_chat.timezone == "Europe/Berlin"
    own = await harness.store.chat(USER_ID)
    assert own is None or own.timezone != "Europe/Berlin"
    assert "英文" in text_of(await harness.send("/lang en"))
    robot_chat = await harness.store.chat(channel.chat_id)
    assert robot_chat is not None and robot_chat.lang == "en"
    assert await harness.store.user_lang(USER_ID) != "en"  # the person's own language stays
    # Someone else cannot select it.
    other = await harness.send("/manage wxteam", user_id=2002, chat_id=2002)
    assert "没有你可管理" in text_of(other)


async def test_a_robot_waiting_for_its_slot_does_not_hold_the_tick(
    servers: RobotServers, harness: BotHarness
) -> None:
    """A WeCom robot just sent to: the next send comes back at once as 'not now' (the engine
    parks it) instead of sleeping three seconds inside the tick."""
    robot = servers.add("wecom", KEYS["wecom"])
    added = await harness.store.add_channel(
        "wecom", "wx", servers.url("wecom", KEYS["wecom"]), None, USER_ID, "zh"
    )
    assert added is not None
    to = services_of(harness.app).destination(harness.app.bot, added.chat_id)
    assert isinstance(await to.deliver(Outgoing("<b>一</b>")), Sent)
    started = time.monotonic()
    second = await to.deliver(Outgoing("<b>二</b>"))
    assert time.monotonic() - started < 0.5
    assert isinstance(second, RetryLater) and second.reason == "rate limited"
    assert 2.5 < second.seconds <= robots.INTERVAL["wecom"]
    assert len(robot.received) == 1


async def test_a_5xx_retries_later_and_refused_content_is_skipped(
    harness: BotHarness, servers: RobotServers
) -> None:
    await harness.send(add_command(servers, "feishu", "fs"))
    await harness.send("/manage fs")
    await harness.send("/subscribe keyword 固态电池")
    robot = servers.robots[KEYS["feishu"]]
    clock = services_of(harness.app).clock
    assert isinstance(clock, Clock)
    # A 502: not now; the alert goes at a later tick, once.
    robot.forced.append((502, {}))
    await add_elsewhere(harness.settings, project("p-5xx-1", name_zh="固态电池三期"))
    report = await alerts_tick(harness.app)
    assert report.postponed and not report.sent
    clock.advance(60)
    services_of(harness.app).robots.pacer = robot_jobs.RobotPacer()
    assert (await alerts_tick(harness.app)).sent
    assert sum("固态电池三期" in shown_text("feishu", b) for b in robot.received) == 1
    # Refused for its content: skipped (not retried), and the robot stays active.
    robot.forced.append((200, {"code": 19024, "msg": "Key Words Not Found"}))
    await add_elsewhere(harness.settings, project("p-refused-1", name_zh="固态电池四期"))
    services_of(harness.app).robots.pacer = robot_jobs.RobotPacer()
    report = await alerts_tick(harness.app)
    assert report.refused and not report.sent
    clock.advance(3600)
    services_of(harness.app).robots.pacer = robot_jobs.RobotPacer()
    await alerts_tick(harness.app)
    assert not any("固态电池四期" in shown_text("feishu", b) for b in robot.received)
    assert (await harness.store.channels())[0].status == "active"


async def test_telegram_chats_never_wait_behind_slow_robots(
    servers: RobotServers, harness: BotHarness
) -> None:
    """Ten robots whose platform takes 1.5 s to answer, and a Telegram user, all owed the
    same alert: the user has it at once, while the robots are still being answered."""
    await harness.send("/subscribe keyword 固态电池")
    for n in range(10):
        key = f"slowwecom{n:04d}"
        servers.add("wecom", key).delay = 1.5
        added = await harness.store.add_channel(
            "wecom", f"wx{n}", servers.url("wecom", key), None, USER_ID, "zh"
        )
        assert added is not None
        await harness.store.subscribe(added.chat_id, "keyword", "固态电池")
    await add_elsewhere(harness.settings, project("p-slow-1", name_zh="固态电池慢平台"))
    before = len(harness.api.calls)
    started = time.monotonic()
    tick = asyncio.create_task(alerts_tick(harness.app))
    while "固态电池慢平台" not in text_of(harness.api.calls[before:]):
        assert time.monotonic() - started < 1.0, "the Telegram alert waited behind the robots"
        await asyncio.sleep(0.02)
    assert sum(len(r.received) for r in servers.robots.values()) < 10  # robots still going
    report = await tick
    assert len(report.sent) == 11
    for robot in servers.robots.values():
        assert "固态电池慢平台" in shown_text("wecom", robot.received[-1])


async def test_the_pacer_keeps_the_platform_window_when_answers_come_late() -> None:
    """A WeCom robot whose answers take 3 s (each post may reach the platform as late as its
    answer): the 21st post waits until 60 s after the 1st one's answer, so the platform
    never counts 21 in a minute, where even spacing alone would have sent it at 62.0 s."""
    now = [0.0]
    pacer = robot_jobs.RobotPacer(clock=lambda: now[0])
    starts: list[float] = []
    for _ in range(21):
        now[0] += pacer.wait_time(-(2**53) - 1)
        async with pacer.turn(-(2**53) - 1, "wecom"):
            starts.append(now[0])
            now[0] += 3.0  # the answer comes back
    answers = [start + 3.0 for start in starts]
    assert starts[19] == pytest.approx(19 * 3.1)
    assert starts[20] > answers[0] + 60.0  # the first can have arrived no later than this
    assert starts[20] > starts[19] + robots.INTERVAL["wecom"]
