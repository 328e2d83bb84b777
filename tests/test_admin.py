"""/add and /edit conversations, /delete, /history, /promote and /demote through the real bot."""

from __future__ import annotations

import pytest

from bot.local_api import ApiCall
from tests.harness import ADMIN_ID, USER_ID, BotHarness, replies, say, text_of

# The harness does not run the JobQueue, so PTB says it ignores the conversation timeout.
pytestmark = pytest.mark.filterwarnings("ignore:Ignoring `conversation_timeout`")


def last_with_buttons(calls: list[ApiCall]) -> ApiCall:
    return [c for c in replies(calls) if c.buttons][-1]


async def test_add_signing_walks_through_every_field_and_saves(bot: BotHarness) -> None:
    seq = await bot.store.max_seq()
    calls = await say(bot, "/add signing")
    assert "1/12" in text_of(calls) and "园区" in text_of(calls)
    calls = await bot.press(last_with_buttons(calls), "adm:v:zone:kunshan", user_id=ADMIN_ID)
    assert "企业" in text_of(calls)
    await say(bot, "苏州录入测试有限公司")
    await say(bot, "录入测试项目")
    calls = await say(bot, "新能源")
    calls = await bot.press(last_with_buttons(calls), "adm:v:stage:signed", user_id=ADMIN_ID)
    assert "日期" in text_of(calls)
    calls = await say(bot, "2025-13-40")
    assert "无法识别的日期" in text_of(calls)  # re-asked, same step
    await say(bot, "2025年3月")
    calls = await say(bot, "abc")
    assert "无法识别的金额" in text_of(calls) and "3亿" in text_of(calls)
    calls = await say(bot, "-3亿")
    assert "不能为负数" in text_of(calls)
    await say(bot, "3亿")
    await say(bot, "3000万")
    calls = await say(bot, "约50")
    calls = await bot.press(last_with_buttons(calls), "adm:skip:annual_output", user_id=ADMIN_ID)
    await say(bot, "一期\x07厂房\u200b")  # control and format characters are dropped
    calls = await say(bot, "某报 2025-03-14")
    summary = text_of(calls)
    assert "录入测试项目" in summary and "3亿元" in summary and "3000万元" in summary
    assert "昆山高新区" in summary
    calls = await bot.press(last_with_buttons(calls), "adm:save", user_id=ADMIN_ID)
    assert "已保存新项目" in text_of(calls)
    project = next(
        p for p in await bot.store.live_projects("kunshan") if p.name_zh == "录入测试项目"
    )
    assert project.stage is not None and project.stage.value == "signed"
    assert project.stage_date is not None and project.stage_date.edtf() == "2025-03"
    assert project.land_mu is not None and project.land_mu.text() == "约50亩"
    assert project.note == "一期厂房"
    source = await bot.store.source(project.source)
    assert source is not None and source.title == "某报 2025-03-14"
    feed = await bot.store.feed_after(seq)
    assert [(f.record_id, f.change) for f in feed] == [(project.id, "new")]
    history = await bot.store.history("project", project.id)
    assert history[0].via == "command" and history[0].actor_id == ADMIN_ID
    assert history[0].action == "new" and history[0].before is None


async def test_amounts_in_any_usual_form_are_accepted(bot: BotHarness) -> None:
    calls = await say(bot, "/add signing")
    calls = await bot.press(last_with_buttons(calls), "adm:v:zone:jiaxing", user_id=ADMIN_ID)
    await bot.press(last_with_buttons(calls), "adm:skip:company", user_id=ADMIN_ID)
    await say(bot, "金额测试")
    calls = await say(bot, "汽车零部件")
    await bot.press(last_with_buttons(calls), "adm:skip:stage", user_id=ADMIN_ID)
    calls = await say(bot, "2025-03-14")
    for amount in ("1.5亿元", "3000万"):
        calls = await say(bot, amount)
        assert "无法识别" not in text_of(calls)
    calls = await bot.press(last_with_buttons(calls), "adm:skip:land_mu", user_id=ADMIN_ID)
    calls = await say(bot, "3亿")
    calls = await bot.press(last_with_buttons(calls), "adm:skip:note", user_id=ADMIN_ID)
    calls = await bot.press(last_with_buttons(calls), "adm:skip:source", user_id=ADMIN_ID)
    calls = await bot.press(last_with_buttons(calls), "adm:save", user_id=ADMIN_ID)
    project = next(p for p in await bot.store.live_projects("jiaxing") if p.name_zh == "金额测试")
    assert project.total_investment is not None
    assert project.total_investment.text() == "1.5亿元"
    assert project.annual_output is not None and project.annual_output.text() == "3亿元"
    source = await bot.store.source(project.source)
    assert source is not None and "通过机器人录入" in source.title


async def test_add_event_with_buttons(bot: BotHarness) -> None:
    calls = await say(bot, "/add")
    calls = await bot.press(last_with_buttons(calls), "adm:kind:event", user_id=ADMIN_ID)
    calls = await bot.press(last_with_buttons(calls), "adm:v:zone:xianning", user_id=ADMIN_ID)
    calls = await say(bot, "咸宁测试对接会")
    calls = await bot.press(last_with_buttons(calls), "adm:v:kind:matchmaking", user_id=ADMIN_ID)
    calls = await say(bot, "2025-05")
    calls = await say(bot, "参会企业 很多")
    assert "名称=数值" in text_of(calls)
    calls = await say(bot, "参会企业=40家; 签约=5个")
    calls = await bot.press(last_with_buttons(calls), "adm:skip:note", user_id=ADMIN_ID)
    calls = await bot.press(last_with_buttons(calls), "adm:skip:source", user_id=ADMIN_ID)
    assert "咸宁测试对接会" in text_of(calls)
    calls = await bot.press(last_with_buttons(calls), "adm:save", user_id=ADMIN_ID)
    assert "已保存新活动" in text_of(calls)
    event = next(
        e for e in await bot.store.live_events("xianning") if e.title_zh == "咸宁测试对接会"
    )
    assert event.kind.value == "matchmaking"
    assert [f.value.text() for f in event.figures] == ["40家", "5个"]


async def test_cancel_at_any_step_saves_nothing(bot: BotHarness) -> None:
    counts = await bot.store.counts()
    calls = await say(bot, "/add signing")
    await bot.press(last_with_buttons(calls), "adm:v:zone:kunshan", user_id=ADMIN_ID)
    await say(bot, "某公司")
    calls = await say(bot, "/cancel")
    assert "已取消" in text_of(calls)
    assert await bot.store.counts() == counts
    # After cancelling, typed text is no longer taken as an answer.
    calls = await say(bot, "/add signing")
    assert "1/12" in text_of(calls)


async def test_an_unknown_zone_is_reasked(bot: BotHarness) -> None:
    await say(bot, "/add signing")
    calls = await say(bot, "火星高新区")
    assert "找不到这个园区" in text_of(calls)
    calls = await say(bot, "昆山")
    assert "2/12" in text_of(calls)


async def test_non_admin_gets_a_short_refusal_only(bot: BotHarness) -> None:
    for command in ("/add signing", "/edit x", "/delete x", "/history x", "/promote 5"):
        calls = await bot.send(command)
        assert len(replies(calls)) == 1
        assert text_of(calls) == "此命令仅限管理员使用。"


async def test_edit_changes_a_stage_and_history_shows_it(bot: BotHarness) -> None:
    record_id = "jiaxing-fengmao-auto-parts-base"
    seq = await bot.store.max_seq()
    calls = await say(bot, f"/edit {record_id}")
    assert "丰茂" in text_of(calls)
    calls = await bot.press(last_with_buttons(calls), "adm:f:stage", user_id=ADMIN_ID)
    calls = await bot.press(last_with_buttons(calls), "adm:v:stage:construction", user_id=ADMIN_ID)
    assert "开工" in text_of(calls)
    calls = await bot.press(last_with_buttons(calls), "adm:f:investment", user_id=ADMIN_ID)
    calls = await say(bot, "12亿")
    calls = await bot.press(last_with_buttons(calls), "adm:save", user_id=ADMIN_ID)
    assert "已更新项目" in text_of(calls)
    project = await bot.store.project(record_id)
    assert project is not None and project.stage is not None
    assert project.stage.value == "construction"
    assert project.total_investment is not None and project.total_investment.text() == "12亿元"
    # The changed facts are credited to the editor; the note keeps the original source.
    assert project.source.startswith(f"u{ADMIN_ID}-")
    source = await bot.store.source(project.source)
    assert source is not None and source.note is not None and "p000-jiaxing" in source.note
    assert project.land_mu is not None and project.land_mu.text() == "约150"  # untouched
    feed = await bot.store.feed_after(seq)
    assert [(f.record_id, f.change) for f in feed] == [(record_id, "stage")]
    text = text_of(await say(bot, f"/history {record_id}"))
    assert "修改" in text and f"用户 {ADMIN_ID}" in text and "机器人命令" in text
    assert "stage: signed → construction" in text
    assert "内置数据" in text  # the seed that created it


async def test_edit_of_an_unknown_id_says_so(bot: BotHarness) -> None:
    assert "没有找到记录" in text_of(await say(bot, "/edit nope"))


async def test_delete_keeps_the_record_as_deleted(bot: BotHarness) -> None:
    record_id = "kunshan-zcz9-spatial-computing-chip"
    calls = await say(bot, f"/delete {record_id}")
    assert "确定删除" in text_of(calls)
    calls = await bot.press(last_with_buttons(calls), f"adm:del:p:{record_id}", user_id=ADMIN_ID)
    assert "已删除" in text_of(calls)
    assert await bot.store.project(record_id) is None
    assert await bot.store.is_deleted("project", record_id)
    assert record_id not in [p.id for p in await bot.store.live_projects("kunshan")]
    history = text_of(await say(bot, f"/history {record_id}"))
    assert "删除" in history
    # A file naming the deleted project leaves it deleted.
    assert "没有找到记录" in text_of(await say(bot, f"/delete {record_id}"))


async def test_delete_can_be_declined(bot: BotHarness) -> None:
    record_id = "kunshan-zcz9-spatial-computing-chip"
    calls = await say(bot, f"/delete {record_id}")
    calls = await bot.press(last_with_buttons(calls), "adm:keep", user_id=ADMIN_ID)
    assert "未删除" in text_of(calls)
    assert await bot.store.project(record_id) is not None


async def test_promote_by_id_then_the_user_can_add_and_demote(bot: BotHarness) -> None:
    assert "仅限管理员" in text_of(await bot.send("/add signing"))
    assert "设为管理员" in text_of(await say(bot, f"/promote {USER_ID}"))
    calls = await bot.send("/add signing")
    assert "1/12" in text_of(calls)
    await bot.send("/cancel")
    assert (await bot.store.user(USER_ID)).role == "admin"  # type: ignore[union-attr]
    assert "取消" in text_of(await say(bot, f"/demote {USER_ID}"))
    assert "仅限管理员" in text_of(await bot.send("/add signing"))
    assert "BOT_ADMIN_IDS" in text_of(await say(bot, f"/demote {ADMIN_ID}"))


async def test_promote_by_replying_in_a_group(bot: BotHarness) -> None:
    reply_to = {
        "message_id": 77,
        "date": 0,
        "chat": {"id": -500, "type": "supergroup", "title": "g"},
        "from": {"id": 4242, "is_bot": False, "first_name": "New"},
        "text": "hello",
    }
    calls = await bot.send("/promote", chat_id=-500, user_id=ADMIN_ID, reply_to=reply_to)
    assert "4242" in text_of(calls)
    assert 4242 in await bot.store.promoted_admins()


async def test_promoted_admins_survive_a_restart(bot: BotHarness) -> None:
    await say(bot, f"/promote {USER_ID}")
    restarted = BotHarness(bot.settings)
    await restarted.start()
    try:
        assert "1/12" in text_of(await restarted.send("/add signing"))
    finally:
        await restarted.stop()


async def test_an_abandoned_entry_times_out_and_says_so(bot: BotHarness) -> None:
    import asyncio

    from telegram.ext import ConversationHandler

    conversation = next(h for h in bot.app.handlers[0] if isinstance(h, ConversationHandler))
    conversation._conversation_timeout = 0.2  # 15 minutes in production
    assert bot.app.job_queue is not None
    await bot.app.job_queue.start()
    try:
        await say(bot, "/add signing")
        for _ in range(50):
            await asyncio.sleep(0.05)
            if any("长时间没有回复" in t for t in bot.api.texts(ADMIN_ID)):
                break
        assert any("长时间没有回复" in t for t in bot.api.texts(ADMIN_ID))
        # Typed text is no longer taken as an answer.
        assert "1/12" in text_of(await say(bot, "/add signing"))
    finally:
        await bot.app.job_queue.stop(wait=False)


async def test_an_edited_amount_is_not_credited_to_the_newspaper(bot: BotHarness) -> None:
    record_id = "kunshan-dejia-solid-state-battery-hq"
    before = text_of(await bot.send("/project 德加"))
    paper_line = next(line for line in before.splitlines() if line.startswith("来源："))
    old = await bot.store.project(record_id)
    assert old is not None
    calls = await say(bot, f"/edit {record_id}")
    calls = await bot.press(last_with_buttons(calls), "adm:f:investment", user_id=ADMIN_ID)
    calls = await say(bot, "5亿")
    calls = await bot.press(last_with_buttons(calls), "adm:save", user_id=ADMIN_ID)
    assert "已更新项目" in text_of(calls)
    card = text_of(await bot.send("/project 德加"))
    assert "总投资5亿元" in card
    assert paper_line not in card.splitlines()  # the paper alone is no longer cited
    line = next(line for line in card.splitlines() if line.startswith("来源："))
    assert "通过机器人修改" in line and "原始来源" in line and "昆山高新区" in line
    project = await bot.store.project(record_id)
    assert project is not None
    source = await bot.store.source(project.source)
    assert source is not None and source.note is not None and old.source in source.note
    update = (await bot.store.history("project", record_id))[-1]
    assert update.action == "update" and update.before and update.after
    assert old.source in update.before and project.source in update.after
    # Saving again with nothing changed keeps the editor's source.
    calls = await say(bot, f"/edit {record_id}")
    calls = await bot.press(last_with_buttons(calls), "adm:save", user_id=ADMIN_ID)
    assert "没有变化" in text_of(calls)
    again = await bot.store.project(record_id)
    assert again is not None and again.source == project.source


async def test_an_edit_with_a_typed_source_uses_that_source(bot: BotHarness) -> None:
    record_id = "kunshan-dejia-solid-state-battery-hq"
    calls = await say(bot, f"/edit {record_id}")
    calls = await bot.press(last_with_buttons(calls), "adm:f:investment", user_id=ADMIN_ID)
    calls = await say(bot, "6亿")
    calls = await bot.press(last_with_buttons(calls), "adm:f:source", user_id=ADMIN_ID)
    calls = await say(bot, "某报 2025-07-01")
    await bot.press(last_with_buttons(calls), "adm:save", user_id=ADMIN_ID)
    project = await bot.store.project(record_id)
    assert project is not None
    source = await bot.store.source(project.source)
    assert source is not None and source.title == "某报 2025-07-01"


@pytest.mark.parametrize(
    "arg", ["99999999999999999999999", "-5", "0", "9007199254740992", "١٢٣", "12abc", "+5"]
)
async def test_promote_and_demote_refuse_a_bad_id_with_the_usage_line(
    bot: BotHarness, arg: str
) -> None:
    for command in ("promote", "demote"):
        calls = await say(bot, f"/{command} {arg}")
        assert len(replies(calls)) == 1
        assert text_of(calls).startswith(f"用法：/{command} 用户ID")
    assert await bot.store.promoted_admins() == set()


async def test_promote_accepts_the_largest_user_id(bot: BotHarness) -> None:
    assert "设为管理员" in text_of(await say(bot, "/promote 9007199254740991"))
    assert 9007199254740991 in await bot.store.promoted_admins()


async def test_reasked_questions_read_naturally_in_both_languages(bot: BotHarness) -> None:
    calls = await say(bot, "/add signing")
    await bot.press(last_with_buttons(calls), "adm:v:zone:kunshan", user_id=ADMIN_ID)
    await say(bot, "某公司")
    await say(bot, "某项目")
    calls = await say(bot, "新能源")
    calls = await say(bot, "差不多")
    assert text_of(calls).startswith("“差不多”：无法识别的阶段。请重新输入阶段。\n")
    await say(bot, "签约")
    calls = await say(bot, "2025-13-40")
    assert text_of(calls).startswith("“2025-13-40”：无法识别的日期。请重新输入日期。\n例如：")
    await say(bot, "/cancel")
    await say(bot, "/lang en")
    calls = await say(bot, "/add signing")
    await bot.press(last_with_buttons(calls), "adm:v:zone:kunshan", user_id=ADMIN_ID, lang="en")
    for answer in ("某公司", "某项目", "新能源", "签约", "2025-03", "3亿", "3000万"):
        await say(bot, answer)
    text = text_of(await say(bot, "150平方米"))
    assert text.startswith("“150平方米”: must be given in mu. Please type the land (mu) again.\n")
    for wrong in ("日期无法识别", "阶段无法识别", "用地（亩）用地", "land (mu) land"):
        assert wrong not in text
