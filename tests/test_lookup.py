"""Lookups through the real Application: what a user sees for /zone, /search, /sector ..."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.factfile import load_seed
from bot.core.records import FactFile, Project, Source
from bot.local_api import ApiCall, callback_update, message_update
from bot.texts.lookup import place_pinyin, plural
from tests.harness import BotHarness, text_of


def _no_errors(calls: list[ApiCall]) -> None:
    failed = [(c.method, c.error) for c in calls if c.error is not None]
    assert not failed, failed


def _with_buttons(calls: list[ApiCall]) -> ApiCall:
    """The last message sent or edited that carries buttons."""
    for call in reversed(calls):
        if call.error is None and call.buttons and call.method != "answerInlineQuery":
            return call
    raise AssertionError("no message with buttons")


def _all_data(calls: list[ApiCall]) -> list[str]:
    return [d for c in calls for d in c.button_data()]


def _answered(calls: list[ApiCall]) -> list[ApiCall]:
    return [c for c in calls if c.method == "answerCallbackQuery" and c.error is None]


# ---- /zone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "kunshan",
        "昆山",
        "昆山高新区",
        "KunShan",
        "kun shan",
        "kun",
        "kunshn",
        "Kunshan Hi-tech Zone",
    ],
)
async def test_zone_by_any_name_shows_kunshan_profile(bot: BotHarness, name: str) -> None:
    calls = await bot.send(f"/zone {name}")
    _no_errors(calls)
    text = text_of(calls)
    assert "昆山高新区" in text
    assert "6.63亿元" in text and "1—5月" in text and "159个" in text
    assert "江苏省" in text and "电子信息" in text and "先进计算" in text
    assert "德加能源固态电池总部项目" in text and "签约（3月）" in text
    assert "祖冲之杯" in text
    assert "报纸版面文章《昆山高新区 抓好科技招商关键一招》" in text
    assert "未注明刊物和日期" in text
    data = _all_data(calls)
    assert {"sub:zone:kunshan", "zp:kunshan:0", "ze:kunshan:0", "zc:kunshan"} <= set(data)


async def test_zone_money_has_no_thousands_commas(bot: BotHarness) -> None:
    text = text_of(await bot.send("/zone 昆山"))
    assert "6.63亿元" in text
    assert "663,000,000" not in text and "66,300" not in text


async def test_unknown_zone_offers_the_list_not_unrelated_names(bot: BotHarness) -> None:
    # 东京湾 is like no zone's name: no "closest" zone is made up; /zones lists them all.
    calls = await bot.send("/zone 东京湾")
    _no_errors(calls)
    assert "没有与“东京湾”匹配的园区" in text_of(calls) and "/zones" in text_of(calls)
    assert not any(d.startswith("z:") for d in _all_data(calls))
    # A near miss of a real name is still understood.
    assert "咸宁高新区" in text_of(await bot.send("/zone 咸宁高薪区"))


async def test_zone_without_name_offers_every_zone(bot: BotHarness) -> None:
    calls = await bot.send("/zone")
    _no_errors(calls)
    data = _all_data(calls)
    assert {"z:kunshan", "z:xianning", "z:changde", "z:jiaxing"} <= set(data)


async def test_zones_lists_counts_and_buttons_open_a_zone(bot: BotHarness) -> None:
    calls = await bot.send("/zones")
    _no_errors(calls)
    text = text_of(calls)
    assert "1. 昆山高新区 高新区 · 江苏省 苏州市 昆山市 — 收录 项目 4 · 活动 4" in text
    assert "咸宁高新区 高新区 · 湖北省 咸宁市 — 收录 项目 0 · 活动 4" in text
    pressed = await bot.press(_with_buttons(calls), "z:changde")
    _no_errors(pressed)
    assert _answered(pressed)
    assert "中联重科塔机助建印尼雅加达绿洲双塔" in text_of(pressed)


async def test_zone_card_buttons_show_projects_events_and_chart(bot: BotHarness) -> None:
    card = _with_buttons(await bot.send("/zone 昆山"))
    projects = await bot.press(card, "zp:kunshan:0")
    _no_errors(projects)
    assert _answered(projects)
    assert "空间计算芯片项目" in text_of(projects)
    events = await bot.press(card, "ze:kunshan:0")
    assert "科技招商项目路演及产学研对接活动" in text_of(events)
    assert "已开展相关活动 9场" in text_of(events)
    chart = await bot.press(card, "zc:kunshan")
    _no_errors(chart)
    assert _answered(chart)
    photo = [c for c in chart if c.method == "sendPhoto"]
    assert photo and next(iter(photo[0].files.values()))[1].startswith(b"\x89PNG")


# ---- /search -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("电池", "德加能源固态电池总部项目"),
        ("塔机", "中联重科塔机助建印尼雅加达绿洲双塔"),
        ("招聘", "崇阳、通山专场招聘会"),
        ("dejia", "苏州德加能源科技有限公司"),
        ("battery", "德加能源固态电池总部项目"),
        ("Zoomlion", "中联重科建筑起重机械有限责任公司"),
        ("香薰", "天香古桂子公司"),
        ("压力容器", "申江压力容器"),
    ],
)
async def test_search_finds_two_character_words_english_and_pinyin(
    bot: BotHarness, query: str, expected: str
) -> None:
    calls = await bot.send(f"/search {query}")
    _no_errors(calls)
    assert expected in text_of(calls)


async def test_search_by_zone_name_ranks_the_zone_first(bot: BotHarness) -> None:
    calls = await bot.send("/search kunshan")
    _no_errors(calls)
    lines = text_of(calls).splitlines()
    assert lines[1].startswith("1. [园区] 昆山高新区")
    assert _with_buttons(calls).button_data()[0] == "z:kunshan"


async def test_long_search_results_page_with_buttons(bot: BotHarness) -> None:
    calls = await bot.send("/search 昆山")
    _no_errors(calls)
    first = _with_buttons(calls)
    nav = [d for d in first.button_data() if d.startswith("s:") and d.endswith(":1:e")]
    assert nav, first.button_data()
    pressed = await bot.press(first, nav[0])
    _no_errors(pressed)
    assert _answered(pressed)
    edited = [c for c in pressed if c.method == "editMessageText"]
    assert edited and "11. " in text_of(edited)


async def test_search_nothing_found_is_a_short_clear_reply(bot: BotHarness) -> None:
    calls = await bot.send("/search 量子引力波")
    _no_errors(calls)
    assert "没有找到与“量子引力波”相关的内容" in text_of(calls)


# ---- /sector -------------------------------------------------------------------------------


async def test_sector_new_energy_finds_the_solid_state_battery_project(bot: BotHarness) -> None:
    calls = await bot.send("/sector 新能源")
    _no_errors(calls)
    text = text_of(calls)
    assert "德加能源固态电池总部项目" in text
    assert "固态电池" in text
    assert "sub:sector:new-energy" in _all_data(calls)


async def test_sector_equipment_finds_the_cranes_and_the_curtain_wall(bot: BotHarness) -> None:
    text = text_of(await bot.send("/sector 装备制造"))
    assert "建筑幕墙全链智能化升级方案项目" in text
    assert "中联重科塔机助建印尼雅加达绿洲双塔" in text


async def test_sector_by_local_label_finds_its_area_in_english(bot: BotHarness) -> None:
    calls = await bot.send("/sector solid-state batteries", lang="en")
    _no_errors(calls)
    text = text_of(calls)
    assert "Dejia Energy solid-state battery headquarters project" in text
    assert "National area: New energy" in text


async def test_sectors_lists_areas_and_buttons_open_one(bot: BotHarness) -> None:
    calls = await bot.send("/sectors")
    _no_errors(calls)
    assert "高端装备制造产业" in text_of(calls) and "香薰日化 1" in text_of(calls)
    pressed = await bot.press(_with_buttons(calls), "sc:new-energy")
    _no_errors(pressed)
    assert _answered(pressed)
    assert "德加能源固态电池总部项目" in text_of(pressed)


async def test_unknown_sector_gets_a_clear_reply(bot: BotHarness) -> None:
    calls = await bot.send("/sector 航空航天量子")
    _no_errors(calls)
    assert "没有与“航空航天量子”匹配的行业" in text_of(calls)


# ---- /project ------------------------------------------------------------------------------


async def test_project_fengmao_shows_land_and_output(bot: BotHarness) -> None:
    calls = await bot.send("/project 丰茂")
    _no_errors(calls)
    text = text_of(calls)
    assert "丰茂嘉兴汽车零部件生产基地项目" in text
    assert "约150亩" in text and "约15亿元" in text
    assert "嘉兴高新区" in text and "浙江丰茂科技股份有限公司" in text
    assert "热管理系统" in text
    assert "报纸版面文章《嘉兴高新区 丰茂嘉兴汽车零部件生产基地项目落户》" in text


async def test_project_dejia_shows_stage_company_and_source(bot: BotHarness) -> None:
    text = text_of(await bot.send("/project 德加"))
    assert "德加能源固态电池总部项目" in text
    assert "签约（3月）" in text and "钱涛" in text and "7000平方米" in text


async def test_project_zoomlion_shows_the_company_in_full(bot: BotHarness) -> None:
    text = text_of(await bot.send("/project 中联重科"))
    assert "中联重科建筑起重机械有限责任公司" in text
    assert "7台" in text


async def test_project_in_english_uses_english_labels(bot: BotHarness) -> None:
    calls = await bot.send("/project fengmao", lang="en")
    _no_errors(calls)
    text = text_of(calls)
    assert "Fengmao Jiaxing auto-parts production base" in text
    assert "about 150 mu" in text and "about CNY 1.5 billion" in text
    assert "Stage: signed (date not given)" in text


async def test_project_unknown_name_is_a_short_reply(bot: BotHarness) -> None:
    calls = await bot.send("/project 不存在的公司名")
    _no_errors(calls)
    assert "没有找到与“不存在的公司名”匹配的项目或企业" in text_of(calls)


# ---- English -------------------------------------------------------------------------------


async def test_zone_in_english_uses_english_labels_and_same_facts(bot: BotHarness) -> None:
    calls = await bot.send("/zone kunshan", lang="en")
    _no_errors(calls)
    text = text_of(calls)
    assert "Kunshan Hi-tech Industrial Development Zone" in text
    assert "Leading industries: Electronic information, Equipment manufacturing" in text
    assert "CNY 663 million" in text and "Jan–May" in text and "159" in text
    assert "publication and date not given" in text
    assert "主导产业" not in text


# ---- plain text, groups, inline -------------------------------------------------------------


async def test_plain_zone_name_in_private_chat_shows_the_zone(bot: BotHarness) -> None:
    calls = await bot.send("昆山")
    _no_errors(calls)
    assert "6.63亿元" in text_of(calls)


async def test_plain_near_miss_shows_the_zone(bot: BotHarness) -> None:
    assert "6.63亿元" in text_of(await bot.send("kunshn"))


async def test_plain_other_text_is_a_search(bot: BotHarness) -> None:
    calls = await bot.send("电池")
    assert "搜索“电池”" in text_of(calls) and "德加能源固态电池总部项目" in text_of(calls)


async def test_group_plain_text_is_ignored_but_commands_and_mentions_answer(
    bot: BotHarness,
) -> None:
    group = -100123
    assert not [
        c for c in await bot.send("昆山", chat_id=group, user_id=5) if c.method == "sendMessage"
    ]
    assert "6.63亿元" in text_of(
        await bot.send("/zone@zhaoshang_bot 昆山", chat_id=group, user_id=5)
    )
    raw: dict[str, Any] = message_update(
        "@zhaoshang_bot 塔机", chat_id=group, user_id=5, message_id=77
    )
    raw["message"]["entities"] = [{"type": "mention", "offset": 0, "length": 14}]
    calls = await bot.process(raw)
    _no_errors(calls)
    assert "中联重科塔机助建印尼雅加达绿洲双塔" in text_of(calls)


async def test_inline_query_offers_zone_and_project_cards(bot: BotHarness) -> None:
    calls = await bot.inline("昆山")
    _no_errors(calls)
    answer = [c for c in calls if c.method == "answerInlineQuery"]
    assert answer
    results = answer[0].params["results"]
    if isinstance(results, str):
        import json

        results = json.loads(results)
    assert 0 < len(results) <= 50
    ids = [r["id"] for r in results]
    assert "z:kunshan" in ids
    assert any(i.startswith("p:") for i in ids)
    card = next(r for r in results if r["id"] == "z:kunshan")
    assert "6.63亿元" in card["input_message_content"]["message_text"]


async def test_inline_query_empty_and_odd_input_still_answers(bot: BotHarness) -> None:
    for query in ("", "<b>&", "x" * 300):
        calls = await bot.inline(query)
        _no_errors(calls)
        assert [c for c in calls if c.method == "answerInlineQuery"]


# ---- /stats --------------------------------------------------------------------------------


async def test_stats_sends_a_chart_and_the_same_figures_as_text(bot: BotHarness) -> None:
    calls = await bot.send("/stats 昆山")
    _no_errors(calls)
    photos = [c for c in calls if c.method == "sendPhoto"]
    assert len(photos) == 1
    assert next(iter(photos[0].files.values()))[1][:8] == b"\x89PNG\r\n\x1a\n"
    assert "1—5月" in photos[0].text and "报纸版面文章" in photos[0].text
    text = text_of([c for c in calls if c.method == "sendMessage"])
    for line in ("招引科技项目：159个", "装备制造领域项目：27个", "新能源领域项目：18个"):
        assert line in text
    # Whether the parts add up is a check for admins, not a line in the card users read.
    assert "各项合计" not in text


async def test_stats_of_a_zone_without_breakdown_says_so(bot: BotHarness) -> None:
    calls = await bot.send("/stats 常德")
    _no_errors(calls)
    assert "没有常德高新区按行业划分的签约数据" in text_of(calls)
    assert not [c for c in calls if c.method == "sendPhoto"]


async def test_stats_in_english(bot: BotHarness) -> None:
    calls = await bot.send("/stats kunshan", lang="en")
    _no_errors(calls)
    assert "Tech projects attracted: 159" in text_of(calls)


# ---- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["zone", "search", "sector", "project", "stats"])
@pytest.mark.parametrize(
    "argument", ["<b>&", "<script>alert(1)</script> & <i>", "🏭🔋💰 昆山 😀", "a&amp;b\"'"]
)
async def test_html_and_emoji_arguments_are_escaped(
    bot: BotHarness, command: str, argument: str
) -> None:
    calls = await bot.send(f"/{command} {argument}")
    _no_errors(calls)
    assert [c for c in calls if c.method in ("sendMessage", "sendPhoto")]


@pytest.mark.parametrize("command", ["zone", "search", "sector", "project", "stats", ""])
async def test_over_long_argument_gets_a_short_reply(bot: BotHarness, command: str) -> None:
    prefix = f"/{command} " if command else ""
    calls = await bot.send(prefix + "昆山" * 2500)
    _no_errors(calls)
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1 and len(sent[0].text) < 200
    assert "输入太长了" in sent[0].text


@pytest.mark.parametrize("command", ["search", "project"])
async def test_empty_argument_gets_usage(bot: BotHarness, command: str) -> None:
    calls = await bot.send(f"/{command}")
    _no_errors(calls)
    assert "用法" in text_of(calls)


async def test_reply_never_exceeds_telegram_limit(bot: BotHarness) -> None:
    for command in ("/zone 昆山", "/zones", "/sectors", "/search 昆山", "/sector 新一代信息技术"):
        calls = await bot.send(command)
        _no_errors(calls)


# ---- buttons -------------------------------------------------------------------------------


async def test_every_button_is_answered_and_fits_64_bytes(bot: BotHarness) -> None:
    seen: set[str] = set()
    queue = [await bot.send(c) for c in ("/zone 昆山", "/search 昆山", "/sectors", "/zones")]
    pressed = 0
    while queue and pressed < 80:
        calls = queue.pop(0)
        _no_errors(calls)
        for call in calls:
            if call.error is not None or not call.buttons or not isinstance(call.result, dict):
                continue
            for data in call.button_data():
                assert 1 <= len(data.encode()) <= 64
                if data in seen or data.startswith("sub:") or not _still_on(bot, call, data):
                    continue
                seen.add(data)
                result = await bot.press(call, data)
                pressed += 1
                assert len(_answered(result)) == 1, data
                queue.append(result)
    assert pressed > 20


def _still_on(bot: BotHarness, call: ApiCall, data: str) -> bool:
    """Whether the message (maybe edited since) still shows a button with this data."""
    message = bot.api.message(call.result["chat"]["id"], call.result["message_id"])
    rows = (message or {}).get("reply_markup", {}).get("inline_keyboard", [])
    return any(b.get("callback_data") == data for row in rows for b in row)


async def test_press_on_deleted_record_is_answered(bot: BotHarness) -> None:
    calls = await bot.send("/search 电池")
    message = _with_buttons(calls)
    data = "p:kunshan-dejia-solid-state-battery-hq"
    assert data in message.button_data()
    assert await bot.store.delete_record(
        "project", "kunshan-dejia-solid-state-battery-hq", via="test"
    )
    pressed = await bot.press(message, data)
    _no_errors(pressed)
    answers = _answered(pressed)
    assert answers and "已删除" in answers[0].params.get("text", "")


async def test_press_on_expired_list_and_old_message_is_answered(bot: BotHarness) -> None:
    calls = await bot.send("/search 昆山")
    message = bot.api.message(
        _with_buttons(calls).chat_id or 0, _with_buttons(calls).result["message_id"]
    )
    assert message is not None
    pressed = await bot.process(callback_update(message, "s:000000000000:1:e", user_id=1001))
    _no_errors(pressed)
    assert "过期" in _answered(pressed)[0].params.get("text", "")
    # A message Telegram no longer gives the bot (inaccessible: date 0) still gets an answer.
    old = {"chat": message["chat"], "message_id": message["message_id"], "date": 0}
    pressed = await bot.process(callback_update(old, "z:kunshan", user_id=1001))
    _no_errors(pressed)
    assert _answered(pressed)
    assert "6.63亿元" in text_of(pressed)
    pressed = await bot.process(callback_update(message, "zp:no-such-zone:0", user_id=1001))
    assert _answered(pressed)
    pressed = await bot.process(callback_update(message, "zp:kunshan:abc:e", user_id=1001))
    _no_errors(pressed)
    assert _answered(pressed)


# ---- every fact can be found ------------------------------------------------------------------


async def test_every_fact_of_the_source_page_can_be_found(bot: BotHarness) -> None:
    from bot.texts.common import quantity

    facts = load_seed()
    for project in facts.projects:
        text = text_of(await bot.send(f"/project {project.name_zh}"))
        assert project.name_zh in text, project.id
        if project.annual_output is not None:
            assert project.annual_output.text() in text
    for company in facts.companies:
        text = text_of(await bot.send(f"/search {company.name_zh}"))
        assert company.name_zh in text, company.id
        card = text_of(await bot.send(f"/project {company.name_zh}"))
        assert company.name_zh in card or (company.short_zh or "") in card, company.id
    for event in facts.events:
        text = text_of(await bot.send(f"/search {event.title_zh}"))
        assert event.title_zh in text, event.id
        card = text_of(await bot.process(_press_data(bot, f"e:{event.id}")))
        for figure in event.figures:
            assert f"{figure.name_zh}：{quantity(figure.value)}" in card, event.id
    for figure in facts.figures:
        text = text_of(await bot.send(f"/zone {figure.zone}"))
        assert f"{figure.name_zh}：{quantity(figure.value)}" in text, figure.id
    for zone in facts.zones:
        assert zone.short_zh in text_of(await bot.send(f"/zone {zone.name_zh}"))


def _press_data(bot: BotHarness, data: str) -> dict[str, Any]:
    """A press of ``data`` on the last message the bot sent (a card button, as if shown)."""
    call = bot.api.last()
    message = bot.api.message(call.chat_id or 0, call.result["message_id"])
    assert message is not None
    return callback_update(message, data, user_id=1001)


# ---- review fixes: spacing, stage dates, names, sources, plurals, exact names, places --------


async def _add(bot: BotHarness, *projects: Project, sources: tuple[Source, ...] = ()) -> None:
    await bot.store.apply_facts(FactFile(sources=sources, projects=projects), via="test")


def _project(record_id: str, name: str, **extra: Any) -> Project:
    values: dict[str, Any] = {
        "id": record_id,
        "zone": "kunshan",
        "name_zh": name,
        "source": "p000-kunshan",
    }
    values.update(extra)
    return Project(**values)


@pytest.mark.parametrize("gap", ["\u3000", "\n", " \u3000 ", "\t"])
@pytest.mark.parametrize(
    ("command", "argument", "expected"),
    [
        ("zone", "昆山", "6.63亿元"),
        ("search", "电池", "德加能源固态电池总部项目"),
        ("project", "德加", "签约（3月）"),
        ("sector", "新能源", "德加能源固态电池总部项目"),
        ("stats", "昆山", "装备制造领域项目：27个"),
    ],
)
async def test_full_width_space_or_line_break_after_a_command_keeps_the_argument(
    bot: BotHarness, gap: str, command: str, argument: str, expected: str
) -> None:
    calls = await bot.send(f"/{command}{gap}{argument}")
    _no_errors(calls)
    text = text_of(calls)
    assert expected in text
    assert "用法" not in text and "全部园区" not in text and "请选择园区" not in text


async def test_command_addressed_to_the_bot_with_a_full_width_space_keeps_the_argument(
    bot: BotHarness,
) -> None:
    calls = await bot.send("/zone@zhaoshang_bot\u3000昆山", chat_id=-100123, user_id=5)
    assert "6.63亿元" in text_of(calls)


@pytest.mark.parametrize("argument", ["\x07", "\x07\x1b", "\u200b", "\u200b\u3000\x00"])
async def test_zone_with_only_control_characters_lists_the_zones(
    bot: BotHarness, argument: str
) -> None:
    calls = await bot.send(f"/zone {argument}")
    _no_errors(calls)
    text = text_of(calls)
    assert "“”" not in text and "没有与" not in text
    assert {"z:kunshan", "z:jiaxing"} <= set(_all_data(calls))


@pytest.mark.parametrize("command", ["search", "project"])
async def test_search_and_project_with_only_control_characters_get_usage(
    bot: BotHarness, command: str
) -> None:
    calls = await bot.send(f"/{command} \x07\u200b")
    _no_errors(calls)
    text = text_of(calls)
    assert "用法" in text and "“”" not in text


@pytest.mark.parametrize("command", ["zone", "search", "sector", "project"])
async def test_control_characters_are_not_echoed_back(bot: BotHarness, command: str) -> None:
    calls = await bot.send(f"/{command} 量子\x07引力\u200b")
    _no_errors(calls)
    text = text_of(calls)
    assert "“量子引力”" in text
    assert not any(ch in text for ch in "\x07\u200b")


async def test_plain_text_of_control_characters_gets_usage(bot: BotHarness) -> None:
    text = text_of(await bot.send("\x07\u200b"))
    assert "用法" in text and "“”" not in text


async def test_zero_width_space_inside_a_name_still_finds_the_zone(bot: BotHarness) -> None:
    assert "6.63亿元" in text_of(await bot.send("/zone 昆\u200b山"))


async def test_stage_date_without_a_stage_is_shown(bot: BotHarness) -> None:
    await _add(bot, _project("t-dated", "测试日期项目", stage_date="2025-03"))
    zh = text_of(await bot.send("/project 测试日期项目"))
    assert "阶段：阶段未说明（2025年3月）" in zh
    en = text_of(await bot.send("/project 测试日期项目", lang="en"))
    assert "Stage: stage not given (Mar 2025)" in en
    listed = text_of(await bot.send("/zone 昆山"))
    assert "测试日期项目 · 阶段未说明（2025年3月）" in listed
    # No stage and no date: no empty brackets.
    assert "空间计算芯片项目 · 阶段未说明 · " in listed


async def test_zone_card_names_a_zone_once_when_short_and_full_names_are_equal(
    bot: BotHarness,
) -> None:
    calls = await bot.send("/zone 嘉兴")
    _no_errors(calls)
    text = text_of(calls)
    assert text.splitlines()[0] == "嘉兴高新区"
    assert "嘉兴高新区（嘉兴高新区）" not in text
    kunshan = text_of(await bot.send("/zone 昆山"))
    assert kunshan.splitlines()[0] == "昆山高新区（昆山高新技术产业开发区）"


async def test_typed_source_shows_its_title_without_the_missing_publication_note(
    bot: BotHarness,
) -> None:
    typed = Source(id="t-typed", title="《新华日报》2025-06-01")
    await _add(bot, _project("t-typed-p", "测试来源项目", source="t-typed"), sources=(typed,))
    zh = text_of(await bot.send("/project 测试来源项目"))
    assert "来源：《新华日报》2025-06-01" in zh
    assert "未注明刊物和日期" not in zh
    en = text_of(await bot.send("/project 测试来源项目", lang="en"))
    assert "Source: (in Chinese) 《新华日报》2025-06-01" in en
    assert "publication and date not given" not in en
    # The source page itself (a document with a locator) names neither: it still says so.
    assert "未注明刊物和日期" in text_of(await bot.send("/project 丰茂"))


async def test_typed_source_with_publication_and_date_shows_them(bot: BotHarness) -> None:
    typed = Source(id="t-pub", title="一篇报道", publication="新华日报", date="2025-06-01")
    await _add(bot, _project("t-pub-p", "测试刊物项目", source="t-pub"), sources=(typed,))
    text = text_of(await bot.send("/project 测试刊物项目"))
    assert "来源：一篇报道；新华日报；2025年6月1日" in text
    assert "未注明刊物和日期" not in text


def test_plural_counts_one_and_many() -> None:
    assert plural(1, "project") == "1 project"
    assert plural(0, "project") == "0 projects"
    assert plural(2, "result") == "2 results"
    assert plural(3, "person", "people") == "3 people"


async def test_english_counts_use_singular_for_one(bot: BotHarness) -> None:
    zones = text_of(await bot.send("/zones", lang="en"))
    jiaxing = "Jiaxing Hi-tech Zone hi-tech · Zhejiang, Jiaxing — recorded: 1 project · 0 events"
    assert jiaxing in zones
    assert "— recorded: 0 projects · 1 event" in zones
    assert "1 projects" not in zones and "1 events" not in zones
    card = text_of(await bot.send("/zone jiaxing", lang="en"))
    assert "(1 project in all recorded here)" in card


async def test_search_with_one_hit_says_one_result(bot: BotHarness) -> None:
    await _add(bot, _project("t-one", "独一无二测试项目", name_en="Quokkaworks plant"))
    text = text_of(await bot.send("/search quokkaworks", lang="en"))
    assert text.splitlines()[0] == "Search “quokkaworks”: 1 result"


async def test_exact_project_name_opens_directly_over_longer_names(bot: BotHarness) -> None:
    await _add(
        bot,
        _project("t-usd", "美元项目", total_investment="500万美元"),
        _project("t-yi-usd", "亿美元项目", total_investment="1亿美元"),
    )
    calls = await bot.send("/project 美元项目")
    _no_errors(calls)
    text = text_of(calls)
    assert "对应多个项目" not in text
    assert text.splitlines()[0] == "美元项目" and "500万美元" in text
    longer = text_of(await bot.send("/project 亿美元项目"))
    assert longer.splitlines()[0] == "亿美元项目"
    # By id too, and a part of a name still offers both.
    assert text_of(await bot.send("/project t-usd")).splitlines()[0] == "美元项目"
    both = await bot.send("/project 美元")
    assert "对应多个项目" in text_of(both)
    assert {"p:t-usd", "p:t-yi-usd"} <= set(_all_data(both))


async def test_exact_name_ignores_case_and_spaces(bot: BotHarness) -> None:
    await _add(
        bot,
        _project("t-q1", "测试甲", name_en="Quokka Plant"),
        _project("t-q2", "测试乙", name_en="Quokka Plant Two"),
    )
    text = text_of(await bot.send("/project quokka plant", lang="en"))
    assert text.splitlines()[0] == "Quokka Plant"


async def test_english_zone_card_shows_english_name_and_pinyin_place(bot: BotHarness) -> None:
    calls = await bot.send("/zone kunshan", lang="en")
    _no_errors(calls)
    lines = text_of(calls).splitlines()
    assert lines[0] == "Kunshan Hi-tech Industrial Development Zone"
    assert lines[1] == "📍 Jiangsu, Kunshan"
    head = "\n".join(lines[:3])
    assert "昆山" not in head and "江苏" not in head
    jiaxing = text_of(await bot.send("/zone jiaxing", lang="en")).splitlines()
    assert jiaxing[:2] == ["Jiaxing Hi-tech Zone", "📍 Zhejiang, Jiaxing"]
    found = text_of(await bot.send("/search kunshan", lang="en"))
    assert "Jiangsu, Kunshan" in found and "江苏省" not in found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("江苏省", "Jiangsu"),
        ("昆山市", "Kunshan"),
        ("湖北省", "Hubei"),
        ("西安市", "Xi'an"),
        ("六安市", "Lu'an"),
        ("长治市", "Changzhi"),
        ("陕西省", "Shaanxi"),
        ("广西壮族自治区", "Guangxi"),
        ("Suzhou", "Suzhou"),
    ],
)
def test_place_pinyin_drops_the_suffix_and_follows_official_spellings(
    name: str, expected: str
) -> None:
    assert place_pinyin(name) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("taji", "中联重科塔机助建印尼雅加达绿洲双塔"),
        ("zhaopinhui", "崇阳、通山专场招聘会"),
        ("gutai dianchi", "德加能源固态电池总部项目"),
        ("ZuChongzhi", "祖冲之纪念日"),
    ],
)
async def test_search_finds_chinese_titles_by_pinyin(
    bot: BotHarness, query: str, expected: str
) -> None:
    assert expected in text_of(await bot.send(f"/search {query}"))
