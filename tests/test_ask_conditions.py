"""Size conditions in questions, through the real Application: 10亿元以上, 2000亩以上, 3到10亿,
"over 1 billion yuan", "at least 2000 mu". The condition is said first; records without the
figure, or with it in another currency or unit, are counted neither way and said so."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.core.conditions import parse_condition
from bot.core.questions import fold
from bot.core.records import FactFile, Project
from bot.settings import Settings
from tests.harness import BotHarness, replies, text_of


def _project(pid: str, name: str, **fields: Any) -> Project:
    return Project.model_validate(
        {
            "id": pid,
            "zone": "kunshan",
            "name_zh": name,
            "name_en": fields.pop("name_en", None),
            "stage": "signed",
            "stage_date": "2026-04",
            "source": "p000-kunshan",
            **fields,
        }
    )


PROJECTS = (
    _project(
        "ks-big",
        "昆山甲大项目",
        name_en="Kunshan big plant",
        total_investment="20亿元",
        land_mu="2500",
    ),
    _project(
        "ks-mid",
        "昆山乙中项目",
        name_en="Kunshan mid plant",
        total_investment="5亿元",
        land_mu="800",
    ),
    _project("ks-small", "昆山丙小项目", total_investment="3000万元", land_mu="约60"),
    _project("ks-usd", "昆山丁外资项目", total_investment="5000万美元"),
    _project("ks-edge", "昆山戊十亿项目", total_investment="10亿元", stage="construction"),
)


@pytest.fixture
async def asker(settings: Settings) -> AsyncIterator[BotHarness]:
    harness = BotHarness(settings)
    await harness.start()
    try:
        await harness.store.apply_facts(FactFile(projects=PROJECTS), via="test")
        yield harness
    finally:
        await harness.stop()


async def ask(bot: BotHarness, text: str, lang: str = "zh-hans") -> str:
    calls = await bot.send(text, lang=lang)
    assert len(replies(calls)) == 1, calls
    return text_of(calls)


def _first_line(reply: str) -> str:
    return reply.splitlines()[0]


async def test_land_condition_is_applied_and_said_first(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山高新区2000亩以上签约了哪些项目")
    first = _first_line(reply)
    assert "用地2000亩以上" in first and "有1个" in first, reply
    assert "昆山甲大项目" in reply
    for other in ("昆山乙中项目", "昆山丙小项目"):
        assert other not in reply.split("另有")[0], reply
    # The seed's 德加 project and the foreign one give no land figure: counted neither way.
    assert "没有给出用地面积" in reply and "德加能源固态电池总部项目" in reply, reply


async def test_investment_condition_keeps_the_bound_and_the_currency_apart(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "昆山高新区投资10亿元以上的项目有哪些")
    first = _first_line(reply)
    assert "投资10亿元以上" in first and "有2个" in first, reply
    assert "昆山甲大项目" in reply and "昆山戊十亿项目" in reply  # 10亿元 itself counts
    assert "总投资20亿元" in reply
    assert "昆山乙中项目" not in reply
    # 5000万美元 is never compared with 元: said so, not counted.
    assert "另一种货币" in reply and "昆山丁外资项目" in reply, reply
    assert "没有给出投资额" in reply, reply
    # Every item comes with its date and the reply with its source.
    assert "来源：" in reply and "4月" in reply


async def test_strict_and_upper_bounds_and_ranges(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山投资超过10亿元的项目")
    assert "有1个" in _first_line(reply) and "昆山戊十亿项目" not in reply.split("另有")[0]
    reply = await ask(asker, "昆山投资不到1亿元的项目")
    assert "投资不到1亿元" in _first_line(reply) and "有1个" in _first_line(reply), reply
    assert "昆山丙小项目" in reply and "3000万元" in reply
    reply = await ask(asker, "昆山3到10亿的签约项目")
    first = _first_line(reply)
    assert "投资3亿元到10亿元的签约项目有1个" in first, reply
    assert "昆山乙中项目" in reply  # the construction one (10亿) is not signed


async def test_no_record_meets_it_is_said_plainly(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山投资100亿元以上的项目")
    first = _first_line(reply)
    assert first.startswith("库里没有") and "投资100亿元以上" in first, reply
    assert "都不符合" in reply and "昆山甲大项目" in reply


async def test_a_foreign_currency_condition_is_not_compared_with_yuan(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山投资1000万美元以上的项目")
    assert "投资1000万美元以上的项目有1个" in _first_line(reply), reply
    assert "昆山丁外资项目" in reply
    assert "另一种货币" in reply and "昆山甲大项目" in reply


async def test_square_metres_are_not_converted_to_mu(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山用地100万平方米以上的项目")
    assert _first_line(reply).startswith("库里没有"), reply
    assert "亩与平方米没有精确换算" in reply and "昆山甲大项目" in reply


async def test_english_conditions(asker: BotHarness) -> None:
    reply = await ask(asker, "projects over 1 billion yuan in Kunshan", lang="en")
    first = _first_line(reply)
    assert "investment of over CNY 1 billion: 1" in first, reply
    assert "Kunshan big plant" in reply and "CNY 2 billion" in reply
    reply = await ask(asker, "Kunshan projects with at least 2000 mu", lang="en")
    assert "land of at least 2000 mu: 1" in _first_line(reply), reply
    assert "no land figure" in reply, reply


@pytest.mark.parametrize(
    "text",
    [
        "1-5月招引了多少项目",
        "2024-2026年的项目",
        "前5个月",
        "RL205-10E出口到哪些国家",
        "20个项目",
        "签约过的项目",
        "超过20家企业",
        "注册资本多少亿",
    ],
)
def test_periods_and_counts_are_no_condition(text: str) -> None:
    assert parse_condition(fold(text)) is None


async def test_output_after_full_production_is_not_a_year_and_is_the_measure(
    bot: BotHarness,
) -> None:
    # 达产后年产值 holds 后年 ("the year after next"): it is the output, not a time.
    reply = await ask(bot, "达产后年产值10亿以上的项目有哪些")
    first = _first_line(reply)
    assert "年产值10亿元以上的项目有1个" in first and "后年达产" not in first, reply
    assert "丰茂嘉兴汽车零部件生产基地项目" in reply and "15亿元" in reply
    reply = await ask(bot, "projects with annual output of at least CNY 1 billion", lang="en")
    assert "annual output of at least CNY 1 billion: 1" in _first_line(reply), reply
    assert "(the annual)" not in reply and "Fengmao" in reply


async def test_a_size_list_is_over_the_store_unless_a_zone_is_named_or_pointed_at(
    asker: BotHarness,
) -> None:
    await ask(asker, "嘉兴高新区用地多少亩的项目有哪些？")
    reply = await ask(asker, "投资10亿元以上的项目有哪些")
    # The last zone (嘉兴) is not carried into a new list; the Kunshan records answer.
    assert "昆山甲大项目" in reply and "嘉兴高新区投资" not in _first_line(reply), reply
    reply = await ask(asker, "昆山高新区呢？用地1000亩以上的")
    assert "昆山高新区用地1000亩以上的项目有1个" in _first_line(reply), reply


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("投资超百亿的项目", "10000000000"),
        ("两千亩以上的项目", "2000"),
        ("over one billion yuan", "1000000000"),
        ("projects over 1 billion", "1000000000"),
        ("投资额大于等于10亿的项目", "1000000000"),
        ("10亿(含)以上", "1000000000"),
        ("超过10个亿", "1000000000"),
        ("过亿的项目", "100000000"),
        ("上亿的项目", "100000000"),
        ("千万元以上", "10000000"),
    ],
)
def test_number_words_read_as_numbers(text: str, low: str) -> None:
    condition = parse_condition(fold(text))
    assert condition is not None and condition.low is not None
    assert str(condition.low.value) == low


def test_size_words_are_never_looked_up_as_names() -> None:
    # "yuan" is the pinyin of places (元, 袁, 沅 …): in a size it names no zone.
    from bot.core.questions import name_keys

    keys = {k.key for k in name_keys("projects over 1 billion yuan in kunshan")}
    assert "kunshan" in keys
    assert not any("yuan" in k or "billion" in k for k in keys), keys


async def test_a_big_store_is_checked_in_part_and_says_so(bot: BotHarness) -> None:
    many = tuple(
        _project(f"bulk-{i}", f"批量项目{i}", total_investment=f"{i % 30 + 1}亿元")
        for i in range(1010)
    )
    await bot.store.apply_facts(FactFile(projects=many), via="test")
    reply = await ask(bot, "投资20亿元以上的项目有哪些")
    first = _first_line(reply)
    # Never a count of the latest 1,000 passed off as the store's.
    assert first.startswith("在最新收录的1000个项目中，投资20亿元以上的项目有"), reply
    assert "只查了最新收录的1000个" in reply
    reply = await ask(bot, "昆山高新区投资20亿元以上的项目有哪些")
    assert "昆山高新区的项目多于1000个" in reply, reply


async def test_a_sector_named_narrows_the_list(bot: BotHarness) -> None:
    # 新能源 is a national area: it covers the 固态电池 label of the 德加 project, not 丰茂's.
    reply = await ask(bot, "新能源领域用地100亩以上的项目")
    first = _first_line(reply)
    assert first == "库里没有新能源领域用地100亩以上的项目记录。", reply
    assert "德加能源固态电池总部项目" in reply and "丰茂" not in reply
    reply = await ask(bot, "汽车零部件用地100亩以上的项目")
    assert "汽车零部件领域用地100亩以上的项目有1个" in _first_line(reply), reply
    reply = await ask(bot, "new energy projects over 1 billion yuan", lang="en")
    assert _first_line(reply).startswith("No new energy projects with investment"), reply


@pytest.mark.parametrize(
    ("text", "label", "count"),
    [
        ("昆山5千万以上的项目", "投资5000万元以上的项目有3个", 3),
        ("昆山3千亩以上的项目", "用地3000亩以上", 0),
        ("昆山1亿5000万以上的项目", "投资1.5亿元以上的项目有3个", 3),
        ("昆山一亿五千万以上的项目", "投资1.5亿元以上的项目有3个", 3),
        ("昆山一万五千亩以上的项目", "用地15000亩以上", 0),
        ("昆山两个亿以上的项目", "投资2亿元以上的项目有3个", 3),
    ],
)
async def test_digits_and_number_words_mixed_are_read_whole(
    asker: BotHarness, text: str, label: str, count: int
) -> None:
    # 5千万 is 5000万 (never 5.1亿), 1亿5000万 is 1.5亿 (never its tail 5000万).
    first = _first_line(await ask(asker, text))
    assert label in first, first
    if count == 0:
        assert first.startswith("库里没有"), first


async def test_a_number_that_does_not_read_sets_no_bound(asker: BotHarness) -> None:
    # 几亿 is "some 亿": no bound of 1亿 is made up for it.
    reply = await ask(asker, "昆山几亿以上的项目")
    assert "1亿元以上" not in reply and "有3个" not in _first_line(reply), reply
    reply = await ask(asker, "昆山投资12345678901234567亿元以上的项目")
    assert "以上的项目有" not in reply and "库里没有" not in _first_line(reply), reply


HEDGED = (
    _project("ks-over", "昆山己超十亿项目", total_investment="超10亿元"),
    _project("ks-many", "昆山庚十多亿项目", total_investment="10多亿元"),
    _project("ks-under", "昆山辛不足十亿项目", total_investment="不足10亿元"),
    _project("ks-about", "昆山壬约十亿项目", total_investment="约10亿元"),
)


async def test_hedged_figures_are_judged_by_what_they_allow(asker: BotHarness) -> None:
    await asker.store.apply_facts(FactFile(projects=HEDGED), via="test")
    reply = await ask(asker, "昆山投资超过10亿元的项目")
    listed = reply.split("另有")[0]
    assert "有3个" in _first_line(reply), reply
    assert "昆山己超十亿项目" in listed and "昆山庚十多亿项目" in listed
    assert "超10亿元" in listed and "10多亿元" in listed
    assert "昆山辛不足十亿项目" not in reply and "昆山戊十亿项目" not in listed
    # About 10亿 on a bound of 10亿: either side; said so with the figure, counted neither way.
    assert "看不出是否符合" in reply and "昆山壬约十亿项目（总投资约10亿元）" in reply, reply
    reply = await ask(asker, "昆山投资10亿元以下的项目")
    listed = reply.split("另有")[0]
    assert "有4个" in _first_line(reply), reply
    assert "昆山辛不足十亿项目" in listed and "不足10亿元" in listed  # shown as written
    assert "昆山己超十亿项目" not in reply and "昆山庚十多亿项目" not in reply
    assert "昆山壬约十亿项目（总投资约10亿元）" in reply
    reply = await ask(asker, "昆山投资不到10亿元的项目")
    assert "昆山辛不足十亿项目" in reply.split("另有")[0], reply
    reply = await ask(asker, "Kunshan projects with investment over CNY 1 billion", lang="en")
    assert "investment of over CNY 1 billion: 3" in _first_line(reply), reply
    assert "counted neither way" in reply and "about CNY 1 billion" in reply, reply


async def test_english_unit_words_are_whole_words(asker: BotHarness) -> None:
    # "ha" of hangzhou is no hectare, "mu" of museum no mu: the size is money.
    for text in (
        "Kunshan projects over 1 billion hangzhou",
        "Kunshan projects over 1 billion museum district",
    ):
        first = _first_line(await ask(asker, text, lang="en"))
        assert "with investment of over CNY 1 billion" in first, first
        assert "hectare" not in first and "mu" not in first.split(), first
    # 1,5 is no thousands separator: never read as 15 billion.
    reply = await ask(asker, "Kunshan projects over 1,5 billion yuan", lang="en")
    assert "15 billion" not in reply, reply
    first = _first_line(await ask(asker, "Kunshan projects over 1,500 million yuan", lang="en"))
    assert "over CNY 1.5 billion" in first, first


async def test_hectares_are_land_when_land_is_asked_as_in_chinese(asker: BotHarness) -> None:
    land_en = _first_line(await ask(asker, "Kunshan projects with land over 10 hectares", "en"))
    land_zh = _first_line(await ask(asker, "昆山用地超过10公顷的项目"))
    area_en = _first_line(await ask(asker, "Kunshan projects over 10 hectares", "en"))
    area_zh = _first_line(await ask(asker, "昆山超过10公顷的项目"))
    # The reply names the measure used: land for 用地/land, floor area otherwise.
    assert "land of over 100000 m²" in land_en and "用地超过100000平方米" in land_zh, land_en
    assert "floor area of over 100000 m²" in area_en and "面积超过100000平方米" in area_zh


async def test_passing_is_no_over(asker: BotHarness) -> None:
    # 通过5亿元: "passed", not "over 5亿".
    reply = await ask(asker, "昆山审议通过5亿元的项目")
    assert "超过5亿元" not in reply, reply
    reply = await ask(asker, "昆山投资过5亿的项目")
    assert "投资超过5亿元的项目有2个" in _first_line(reply), reply
