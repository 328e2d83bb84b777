"""Questions about a time the store holds nothing for, and English follow-ups, through the real
Application: what the person reads in the one reply.

A figure keeps its own period: asked for 2027 (or 上半年, last year, the whole year) when the
store holds only 1—5月, the first sentence says there is no such figure, then gives the closest
one with its own period and source. Follow-ups in English work as the Chinese ones do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.local_api import ApiCall
from bot.settings import Settings
from tests.harness import BotHarness, text_of


@pytest.fixture
async def asker(settings: Settings) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, now=lambda: datetime(2026, 6, 2, 1, 0, tzinfo=UTC)) as harness:
        yield harness


def _one_reply(calls: list[ApiCall]) -> str:
    sent = [c for c in calls if c.method == "sendMessage" and c.error is None]
    assert len(sent) == 1, [c.text for c in sent]
    return text_of(sent)


async def ask(bot: BotHarness, text: str, lang: str = "zh-hans") -> str:
    return _one_reply(await bot.send(text, lang=lang))


SOURCE_ZH = "来源：报纸版面文章《昆山高新区 抓好科技招商关键一招》"


@pytest.mark.parametrize(
    ("question", "first", "figure"),
    [
        ("昆山高新区2027年招引多少项目？", "库里没有2027年的数字", "招引科技项目：159个（1—5月）"),
        ("昆山高新区去年招引了多少科技项目", "库里没有去年的数字", "159个（1—5月）"),
        ("2025年昆山高新区新材料项目有几个", "库里没有2025年的数字", "新材料领域项目：24个"),
        ("昆山高新区上半年注册资本累计多少", "库里没有上半年的数字", "6.63亿元（1—5月）"),
        ("昆山高新区全年新能源项目有多少", "库里没有全年的数字", "新能源领域项目：18个"),
        ("昆山高新区3月招引了几个项目", "库里没有3月的数字", "159个（1—5月）"),
        ("昆山高新区明年招引多少项目", "库里没有明年的数字", "159个（1—5月）"),
    ],
)
async def test_a_period_not_held_is_said_first_then_the_closest_figure(
    asker: BotHarness, question: str, first: str, figure: str
) -> None:
    reply = await ask(asker, question)
    lines = reply.splitlines()
    assert lines[0].startswith(first), reply
    assert "最接近的是1—5月的" in lines[0]
    assert figure in reply
    assert SOURCE_ZH in reply
    # The figure keeps its own period: never shown as the time asked.
    asked = first.removeprefix("库里没有").removesuffix("的数字")
    assert f"（{asked}" not in reply and f"{asked}）" not in reply


async def test_a_year_asked_says_the_source_gives_no_year(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山高新区2027年招引多少项目？")
    assert "来源未注明年份" in reply.splitlines()[0]
    # 上半年 asks no year: the note would be noise there.
    reply = await ask(asker, "昆山高新区上半年招引多少项目？")
    assert "来源未注明年份" not in reply


async def test_the_period_the_store_holds_is_answered_plainly(asker: BotHarness) -> None:
    for question in (
        "昆山高新区1-5月招引多少项目？",
        "昆山高新区今年引进了多少科技项目？",
        "昆山高新区前5个月招引了多少科技项目",
        "昆山高新区前五个月招了多少项目",
    ):
        reply = await ask(asker, question)
        assert "库里没有" not in reply and "159个（1—5月）" in reply
    for question in (
        "How many tech projects did Kunshan attract in Jan-May?",
        "How many projects did Kunshan attract in the first five months?",
    ):
        reply = await ask(asker, question, "en")
        assert "No record" not in reply and "159 (Jan–May)" in reply
    reply = await ask(asker, "What about Q1?", "en")
    assert reply.startswith("No record for Q1; the closest is for Jan–May:")


@pytest.mark.parametrize(
    ("question", "first", "figure"),
    [
        ("What will Kunshan attract in 2027?", "No record for 2027", "159 (Jan–May)"),
        (
            "How many tech projects did Kunshan attract last year?",
            "No record for last year",
            "159 (Jan–May)",
        ),
        (
            "What was the registered capital of Kunshan's tech projects for the whole year?",
            "No record for the whole year",
            "CNY 663 million (Jan–May)",
        ),
        (
            "How many new energy projects did Kunshan attract in the first half?",
            "No record for the first half",
            "New energy projects: 18 (Jan–May)",
        ),
    ],
)
async def test_english_period_not_held_is_said_first(
    asker: BotHarness, question: str, first: str, figure: str
) -> None:
    reply = await ask(asker, question, "en")
    lines = reply.splitlines()
    assert lines[0].startswith(first), reply
    assert "the closest is for Jan–May" in lines[0]
    assert figure in reply
    assert "Source:" in reply


async def test_a_follow_up_asks_the_same_figure_of_another_time(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山高新区1至5月新能源领域的项目有多少")
    assert "18个（1—5月）" in reply and "库里没有" not in reply
    reply = await ask(asker, "那2027年呢")
    assert reply.startswith("库里没有2027年的数字") and "新能源领域项目：18个（1—5月）" in reply


async def test_signings_of_a_year_not_held_are_said_then_the_closest(asker: BotHarness) -> None:
    reply = await ask(asker, "2025年签约了什么")
    lines = reply.splitlines()
    assert lines[0].startswith("库里没有2025年签约的项目记录")
    assert "德加能源固态电池总部项目" in reply and "签约（3月）" in reply  # its own date
    reply = await ask(asker, "3月签约了什么")
    assert "库里没有" not in reply and "德加能源固态电池总部项目" in reply


async def test_a_zone_without_reported_figures_says_so(asker: BotHarness) -> None:
    reply = await ask(
        asker, "How many tech projects did Changde Hi-tech Zone attract in Jan-May?", "en"
    )
    assert reply.splitlines()[1].startswith("No record of a project count for Changde")
    assert "1 event" in reply
    reply = await ask(asker, "常德高新区1-5月招引了多少个项目")
    assert reply.splitlines()[1].startswith("库里没有常德高新区1-5月的项目数量")


# ---- English follow-ups ----------------------------------------------------------------------


async def test_english_follow_ups_name_another_figure_like_chinese_ones(
    asker: BotHarness,
) -> None:
    reply = await ask(
        asker, "How many new materials projects did Kunshan attract in Jan-May?", "en"
    )
    assert "New materials projects: 24 (Jan–May)" in reply
    reply = await ask(asker, "What about new-generation IT?", "en")
    assert "Next-generation IT projects: 22 (Jan–May)" in reply
    reply = await ask(asker, "And the emerging ones?", "en")
    assert "Emerging digital industry projects: 20 (Jan–May)" in reply
    reply = await ask(asker, "How about equipment manufacturing?", "en")
    assert "Equipment manufacturing projects: 27 (Jan–May)" in reply
    reply = await ask(asker, "And the software ones?", "en")
    assert "Software, information services and other projects: 37 (Jan–May)" in reply
    reply = await ask(asker, "And in 2027?", "en")
    assert reply.startswith("No record for 2027") and ": 37 (Jan–May)" in reply


async def test_chinese_follow_ups_give_the_same_figures(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山高新区1-5月新材料项目有几个")
    assert "24个" in reply
    reply = await ask(asker, "那新一代信息技术呢？")
    assert "22个" in reply
    reply = await ask(asker, "新兴数字产业呢")
    assert "20个" in reply


async def test_english_follow_ups_on_records_answer_from_that_record(asker: BotHarness) -> None:
    reply = await ask(asker, "Who is the chairman of Dejia Energy?", "en")
    assert "钱涛" in reply
    reply = await ask(asker, "When was it founded?", "en")
    assert "Founded: not given in the source." in reply
    assert "2002" not in reply  # Fengmao's founding year is not Dejia's
    reply = await ask(asker, "How big is the Fengmao land?", "en")
    assert "Land: about 150 mu" in reply
    reply = await ask(asker, "And its output?", "en")
    assert "CNY 1.5 billion" in reply


async def test_where_a_record_of_a_named_zone_was_held(asker: BotHarness) -> None:
    reply = await ask(asker, "Where were the Xianning job fairs held?", "en")
    # Counties are not in the directory's province/city readings: shown as written (review).
    assert "Places: 崇阳, 通山" in reply
    reply = await ask(asker, "咸宁高新区的招聘会在哪里办的")
    assert "地点：崇阳、通山" in reply
    reply = await ask(asker, "昆山高新区在哪个省")
    assert "江苏省" in reply


async def test_a_planned_count_of_another_year_is_the_zone_headline(asker: BotHarness) -> None:
    # 计划 (plan) shares a synonym group with 将, which is inside 即将落户: no event figure wins.
    reply = await ask(asker, "2027年昆山高新区计划招引多少项目")
    assert reply.startswith("库里没有2027年的数字") and "招引科技项目：159个（1—5月）" in reply
    reply = await ask(asker, "How many new energy projects will Kunshan attract next year?", "en")
    assert reply.startswith("No record for next year") and "New energy projects: 18" in reply


async def test_a_dated_record_of_another_year_says_record(asker: BotHarness) -> None:
    reply = await ask(asker, "德加能源2025年签约了吗")
    assert "库里没有2025年的记录；最接近的是3月的（来源未注明年份）" in reply
    assert "签约（3月" in reply
