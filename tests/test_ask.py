"""Questions in staff's own words through the real Application: answered at the first reply.

Each test sends what a 招商 staff member would type (Chinese and English) and checks the one
reply it gets: the fact asked for, its period or source, and nothing that needs a second tap.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core import questions as q
from bot.core.records import ZoneFigure
from bot.local_api import BOT_ID, ApiCall, message_update
from bot.settings import Settings
from bot.texts import answers
from tests.harness import BotHarness, Clock, text_of


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 6, 2, 1, 0, tzinfo=UTC))


@pytest.fixture
async def asker(settings: Settings, clock: Clock) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, now=clock) as harness:
        yield harness


def _one_reply(calls: list[ApiCall]) -> str:
    """The text of the single message a question gets (a miss must not produce two)."""
    failed = [(c.method, c.error) for c in calls if c.error is not None]
    assert not failed, failed
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1, [c.text for c in sent]
    return text_of(sent)


async def ask(bot: BotHarness, text: str, lang: str = "zh-hans", **kw: Any) -> str:
    return _one_reply(await bot.send(text, lang=lang, **kw))


# ---- question words, entity + attribute -----------------------------------------------------


@pytest.mark.parametrize(
    ("question", "lang", "wanted"),
    [
        ("德加能源的董事长是谁？", "zh-hans", ["钱涛"]),
        ("请问帮我查一下德加能源董事长", "zh-hans", ["钱涛"]),
        ("Who is the chairman of Dejia Energy?", "en", ["钱涛"]),
        ("丰茂股份哪年成立？", "zh-hans", ["2002"]),
        ("When was Fengmao founded?", "en", ["2002"]),
        ("德加能源的研发中心多大？", "zh-hans", ["7000"]),
        ("丰茂项目占地多少亩？", "zh-hans", ["约150亩"]),
        ("How much land will the Fengmao base use?", "en", ["150"]),
        ("德加能源是做什么的？", "zh-hans", ["固态电池"]),
        ("What does Dejia Energy make?", "en", ["solid-state"]),
        ("中联重科建起在哪个高新区？", "zh-hans", ["常德"]),
        ("Which zone is Zoomlion Construction Crane in?", "en", ["Changde"]),
        ("RL205-10E出口到哪些国家？", "zh-hans", ["印尼", "马来西亚", "澳大利亚"]),
        ("Which countries has the RL205-10E been sold to?", "en", ["Indonesia", "Malaysia"]),
    ],
)
async def test_entity_and_attribute_answered_with_the_fact(
    asker: BotHarness, question: str, lang: str, wanted: list[str]
) -> None:
    reply = await ask(asker, question, lang)
    for fact in wanted:
        assert fact in reply, reply
    assert "来源" in reply or "Source" in reply


async def test_investment_not_given_says_so_and_labels_what_is_given(asker: BotHarness) -> None:
    reply = await ask(asker, "丰茂的项目投资多少？")
    assert "总投资：页面未披露" in reply
    # 达产后年产值 is shown under its own name, never as an investment.
    assert "达产后年产值 约15亿元" in reply and "不是投资额" in reply
    reply = await ask(asker, "How much did Fengmao invest?", "en")
    assert "not given" in reply and "not investment" in reply


async def test_when_the_source_gives_no_year_the_answer_keeps_the_month(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "德加能源项目是哪年签约落地的？")
    assert "3月" in reply and "页面未给年份" in reply
    assert "2026" not in reply


# ---- several terms, compound words, bare names --------------------------------------------


async def test_zone_and_topic_together(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山 电池")
    assert "德加能源固态电池总部项目" in reply


async def test_compound_word_finds_the_curtain_wall_project(asker: BotHarness) -> None:
    reply = await ask(asker, "幕墙项目")
    assert "建筑幕墙全链智能化升级方案项目" in reply
    reply = await ask(asker, "幕墙那个项目有多少专利？")
    assert "20多件" in reply


# ---- counts, breakdowns, comparisons ---------------------------------------------------------


async def test_counts_and_breakdowns_from_figures(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山高新区新材料领域有几个项目？")
    assert "24个" in reply and "1—5月" in reply
    reply = await ask(asker, "哪个领域项目最多？")
    assert "装备制造" in reply and "27个" in reply
    # The mixed "other" bucket is bigger but is not one field: shown apart, not as the answer.
    assert "软件与信息服务等其他领域" in reply and "37个" in reply
    reply = await ask(asker, "哪个领域的项目最少？")
    assert "生命健康" in reply and "11个" in reply
    reply = await ask(asker, "装备制造和新一代信息技术各有多少")
    assert "27个" in reply and "22个" in reply


async def test_counts_in_english(asker: BotHarness) -> None:
    reply = await ask(
        asker, "How many new materials projects did Kunshan attract in Jan-May?", "en"
    )
    assert ": 24" in reply and "Jan–May" in reply


async def test_comparison_on_the_same_measure_gives_the_difference(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山高新区新材料比新兴数字产业多几个？")
    assert "24个" in reply and "20个" in reply and "多4个" in reply


def test_comparison_of_different_measures_is_refused() -> None:
    names = answers.Names({}, {}, {})
    count = ZoneFigure.model_validate(
        {"id": "a", "zone": "z", "name_zh": "项目", "name_en": "Projects", "value": "24个",
         "period": "XXXX-01/XXXX-05", "source": "s"}
    )  # fmt: skip
    money = ZoneFigure.model_validate(
        {"id": "b", "zone": "z", "name_zh": "注册资本", "name_en": "Capital", "value": "6.63亿元",
         "period": "XXXX-01/XXXX-05", "source": "s"}
    )  # fmt: skip
    zh = "\n".join(answers.compare_lines(count, money, "zh", names))
    assert "不宜直接相比" in zh and "多" not in zh.split("\n")[-1].replace("不宜", "")
    en = "\n".join(answers.compare_lines(count, money, "en", names))
    assert "not compared" in en


async def test_zones_compared_only_where_they_report_the_measure(asker: BotHarness) -> None:
    reply = await ask(asker, "四个高新区里哪个招引的项目最多？")
    assert "昆山" in reply and "159个" in reply and "没有可比的数据" in reply


# ---- time and stage ------------------------------------------------------------------------


async def test_time_and_stage_filters(asker: BotHarness) -> None:
    reply = await ask(asker, "3月签约了什么")
    assert "德加能源固态电池总部项目" in reply and "丰茂" not in reply
    reply = await ask(asker, "最近有什么签约？")
    assert "德加能源固态电池总部项目" in reply and "丰茂嘉兴汽车零部件生产基地项目" in reply
    reply = await ask(asker, "今年开工的项目有哪些？")
    assert "没有" in reply and "开工" in reply


async def test_stage_asked_of_one_project(asker: BotHarness) -> None:
    reply = await ask(asker, "丰茂项目投产了吗？")
    assert "签约" in reply and "投产：页面未提及" in reply
    reply = await ask(asker, "Has the Fengmao project started production?", "en")
    assert "signed" in reply and "not mentioned" in reply


# ---- synonyms and typos ----------------------------------------------------------------------


async def test_synonyms_are_data_and_work(asker: BotHarness) -> None:
    # 塔式起重机 ~ 塔机, 出海 ~ 销往, 招聘 ~ 用工: the words of the page differ from the question's.
    assert "中联重科" in await ask(asker, "谁给雅加达绿洲双塔提供的塔式起重机？")
    assert "马来西亚" in await ask(asker, "RL205-10E出海到了哪些国家？")
    words = q.words()
    assert any("塔式起重机" in g and "塔机" in g for g in words.synonyms)


@pytest.mark.parametrize(
    ("typed", "meant", "fact"),
    [
        ("德佳能源的董事长是谁？", "德加能源", "钱涛"),
        ("丰贸股份哪年成立？", "丰茂股份", "2002"),
        ("中联重工在哪个高新区？", "中联重科建起", "常德"),
    ],
)
async def test_typos_in_names_answer_the_likely_one_and_say_so(
    asker: BotHarness, typed: str, meant: str, fact: str
) -> None:
    reply = await ask(asker, typed)
    assert f"按“{meant}”回答" in reply and fact in reply


# ---- follow-ups ----------------------------------------------------------------------------


async def test_follow_ups_refer_to_what_was_just_talked_about(asker: BotHarness) -> None:
    assert "20个" in await ask(asker, "昆山高新区新兴数字产业有多少个项目？")
    assert "22个" in await ask(asker, "那新一代信息技术呢？")
    assert "固态电池" in await ask(asker, "帮我查一下德加能源")
    assert "MWh" in await ask(asker, "它有哪些中试基地？")
    assert "未提及" in await ask(asker, "该项目开工了吗？")
    assert "常德" in await ask(asker, "中联重科建起在哪个高新区？")
    assert "6台" in await ask(asker, "那里用的动臂塔机有几台？")
    assert "主导产业" in await ask(asker, "这个园区的主导产业有哪些？")


async def test_follow_ups_in_english(asker: BotHarness) -> None:
    assert "150" in await ask(asker, "How much land will the Fengmao base use?", "en")
    assert "1.5 billion" in await ask(asker, "And the expected output at full production?", "en")


async def test_naming_another_zone_ends_the_follow_up(asker: BotHarness) -> None:
    # "this" in "this year" is no pointer back to the Fengmao base once a zone is named.
    assert "150" in await ask(asker, "How much land will the Fengmao base use?", "en")
    reply = await ask(asker, "How many projects did Suzhou Industrial Park sign this year?", "en")
    assert "No record" in reply and "Fengmao" not in reply


async def test_a_place_inside_a_records_name_is_not_a_zone(asker: BotHarness) -> None:
    # 北京 names a directory zone with no records, but here it is part of 祖冲之杯北京赛.
    reply = await ask(asker, "祖冲之杯北京赛是哪天收官的？")
    assert "北京赛" in reply and "收官" in reply and "北京经开区" not in reply
    # Alone it is still the place.
    assert "北京经开区" in await ask(asker, "北京经开区有什么项目？")


async def test_context_is_per_chat_and_user(asker: BotHarness) -> None:
    await ask(asker, "帮我查一下德加能源", chat_id=-100900, user_id=31, chat_type="private")
    other = await ask(asker, "它的董事长是谁？", chat_id=2002, user_id=2002)
    assert "钱涛" not in other


async def test_follow_up_context_survives_a_restart(settings: Settings, clock: Clock) -> None:
    first = BotHarness(settings, now=clock)
    await first.start()
    try:
        assert "2002" in await ask(first, "丰茂股份哪年成立？")
    finally:
        await first.stop()
    second = BotHarness(settings, now=clock)
    await second.start()
    try:
        # 它 is still 丰茂股份 (which names no chairman), not the one firm that has one.
        reply = await ask(second, "它的董事长是谁？")
        assert "丰茂股份" in reply and "页面没有给出负责人姓名" in reply and "钱涛" not in reply
    finally:
        await second.stop()


async def test_follow_up_context_expires_after_30_minutes(asker: BotHarness, clock: Clock) -> None:
    await ask(asker, "丰茂股份哪年成立？")
    clock.advance(29 * 60)
    assert "丰茂股份" in await ask(asker, "它的董事长是谁？")
    clock.advance(31 * 60)
    stale = await ask(asker, "它的董事长是谁？")
    assert "丰茂" not in stale


# ---- small talk, out of scope ----------------------------------------------------------------


async def test_greeting_gives_a_hint_and_a_first_one_offers_to_follow(asker: BotHarness) -> None:
    first = await ask(asker, "您好")
    assert "招商助手" in first and "例如" in first and "/subscribe" in first
    again = await ask(asker, "你好")
    assert "招商助手" in again and "/subscribe" not in again
    assert "不客气" in await ask(asker, "谢谢")
    assert "例如" in await ask(asker, "你能做什么？")
    en = await ask(asker, "hi", "en", chat_id=3003, user_id=3003)
    assert "assistant" in en and "/subscribe" in en
    assert "p-12" not in first and "kunshan-" not in first


async def test_out_of_scope_says_what_is_not_known(asker: BotHarness) -> None:
    reply = await ask(asker, "东京湾工业园区今年签了多少项目？")
    assert "没有收录" in reply and "东京湾工业园区" in reply and "昆山高新区" in reply
    reply = await ask(
        asker, "How many projects did Tokyo Bay Industrial Park sign this year?", "en"
    )
    assert "No record" in reply
    # 苏州工业园区 is a zone of the directory with nothing recorded yet: said so.
    reply = await ask(asker, "苏州工业园区今年签了多少项目？")
    assert "库里没有苏州工业园区今年签约的项目记录" in reply
    reply = await ask(asker, "常德高新区的主导产业有哪些？")
    assert "未列出" in reply


async def test_what_the_sources_do_not_say_is_said_to_be_unknown(asker: BotHarness) -> None:
    reply = await ask(asker, "德加能源有多少员工？")
    assert "页面未提及" in reply and "钱涛" in reply  # not known, then what is
    reply = await ask(asker, "昆山高新区明年招引多少项目？")
    assert reply.startswith("库里没有明年的数字") and "159个（1—5月）" in reply
    reply = await ask(asker, "咸宁高新区今年GDP是多少")
    assert "没有直接回答" in reply and "产销两旺" not in reply
    assert "一栏取自" not in reply
    reply = await ask(asker, "How many employees does Dejia Energy have?", "en")
    assert "don't say" in reply


async def test_a_miss_gets_exactly_one_reply(asker: BotHarness) -> None:
    reply = await ask(asker, "火星基地的氧气产量是多少？")
    assert "没有找到" in reply


# ---- groups ----------------------------------------------------------------------------------


async def test_groups_answer_mentions_and_replies_to_the_bot(asker: BotHarness) -> None:
    group = -100555
    assert not [
        c
        for c in await asker.send("德加能源的董事长是谁？", chat_id=group, user_id=5)
        if c.method == "sendMessage"
    ]
    raw = message_update("@zhaoshang_bot 德加能源的董事长是谁？", chat_id=group, user_id=5)
    raw["message"]["entities"] = [{"type": "mention", "offset": 0, "length": 14}]
    assert "钱涛" in _one_reply(await asker.process(raw))
    bot_message = {
        "message_id": 9,
        "date": 0,
        "chat": raw["message"]["chat"],
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bot", "username": "zhaoshang_bot"},
        "text": "…",
    }
    reply = message_update("它哪年成立的？", chat_id=group, user_id=5, reply_to=bot_message)
    assert "成立时间：页面未提及" in _one_reply(await asker.process(reply))


# ---- clarity of what is shown ----------------------------------------------------------------


async def test_record_notes_are_not_in_user_cards(asker: BotHarness) -> None:
    card = _one_reply(await asker.send("/zone 昆山"))
    assert "本记录" not in card and "政产学研金" in card
    card = _one_reply(await asker.send("/zone 咸宁"))
    assert "页面并未列出产业清单" not in card and "一栏取自" not in card
    project = _one_reply(await asker.send("/project 空间计算芯片"))
    assert "本库归类" not in project and "空间计算芯片项目" in project


async def test_admin_menu_goes_to_the_bots_admins_only(asker: BotHarness) -> None:
    from tests.harness import ADMIN_ID

    menus = [c for c in asker.api.calls if c.method == "setMyCommands"]
    scopes = [c.params.get("scope") for c in menus]
    assert not any("all_chat_administrators" in str(s) for s in scopes)
    admin_menus = [c for c in menus if str(ADMIN_ID) in str(c.params.get("scope"))]
    assert admin_menus and all("delete" in str(c.params["commands"]) for c in admin_menus)
    default = [
        c
        for c in menus
        if c.params.get("scope") in (None, "") or "default" in str(c.params.get("scope")).lower()
    ]
    assert default and not any("delete" in str(c.params["commands"]) for c in default)
    calls = await asker.send("/promote 4242", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert any(c.method == "setMyCommands" and "4242" in str(c.params.get("scope")) for c in calls)


async def test_help_examples_show_names_not_raw_ids(asker: BotHarness) -> None:
    from tests.harness import ADMIN_ID

    text = _one_reply(await asker.send("/help", chat_id=ADMIN_ID, user_id=ADMIN_ID))
    assert "/history 德加能源固态电池总部项目" in text
    assert "p-12" not in text and "kunshan-dejia" not in text
    # ... and the example works: a name finds the record.
    history = text_of(
        await asker.send("/history 德加能源固态电池总部项目", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    )
    assert "修改记录" in history and "新增" in history and "用法" not in history


async def test_choice_lists_show_names_as_written(asker: BotHarness) -> None:
    calls = await asker.send("/project 南玻")
    labels = [b for c in calls for row in c.buttons for b in row] if calls else []
    text = text_of(calls) + " ".join(str(x) for x in labels)
    assert "南 玻" not in text and "申 江" not in text


def test_english_button_labels_are_not_cut_mid_word() -> None:
    title = "Zoomlion tower cranes build the Oasis Twin Towers in Jakarta, Indonesia"
    label = answers.label(title)
    assert label.endswith("…") and label[:-1].split()[-1] in title.split()


def test_a_source_with_a_link_shows_as_a_link() -> None:
    from bot.core.records import Source

    source = Source(id="s1", title="新华日报 2026-06-01", locator="https://example.org/a?b=1&c=2")
    line = answers.linked_source(source, "zh")
    assert '<a href="https://example.org/a?b=1&amp;c=2">新华日报 2026-06-01</a>' in line
    plain = answers.linked_source(Source(id="s2", title="页面", locator="shared/x.txt"), "zh")
    assert "<a " not in plain
