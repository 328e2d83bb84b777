"""Size ranges and English amounts in questions: the first number of a range takes the second's
unit only where usage does (3到5亿, 3千到5千万, "between 30 and 50 million yuan"); a range
that could be read two ways sets no condition and the reply says so; markup pasted with a
question never reads as a comparison sign."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.conditions import read_size
from bot.core.questions import fold
from tests.harness import BotHarness, replies, text_of

_YI = 100_000_000
_WAN = 10_000


def _bounds(text: str) -> tuple[str, Decimal | None, Decimal | None]:
    reading = read_size(fold(text))
    assert reading.condition is not None, (text, reading)
    c = reading.condition
    return (
        c.family,
        c.low.value if c.low is not None else None,
        c.high.value if c.high is not None else None,
    )


@pytest.mark.parametrize(
    ("text", "family", "low", "high"),
    [
        ("年产值3千到5千万的项目", "CNY", 3000 * _WAN, 5000 * _WAN),
        ("3到5亿的项目", "CNY", 3 * _YI, 5 * _YI),
        ("3亿到5亿的项目", "CNY", 3 * _YI, 5 * _YI),
        ("投资3000万-5亿的项目", "CNY", 3000 * _WAN, 5 * _YI),
        ("投资5千万至1亿之间的项目", "CNY", 5000 * _WAN, 1 * _YI),
        ("投资介于1亿和5亿之间的项目", "CNY", 1 * _YI, 5 * _YI),
        ("投资3到5千万的项目", "CNY", 3000 * _WAN, 5000 * _WAN),  # 三到五千万
        ("产值在十到二十亿之间", "CNY", 10 * _YI, 20 * _YI),
        ("用地在一百到两百亩之间的项目", "mu", 100, 200),
        ("用地二十五到三百亩", "mu", 25, 300),
        ("用地1到2万亩", "mu", 1 * _WAN, 2 * _WAN),
        ("投资1亿5000万到2亿", "CNY", 15000 * _WAN, 2 * _YI),
        ("投资10个亿到20个亿", "CNY", 10 * _YI, 20 * _YI),
        ("投资500万到1000万美元", "USD", 500 * _WAN, 1000 * _WAN),
        ("5到10公顷", "m2", 5 * _WAN, 10 * _WAN),
        ("年产值在1bn到2bn之间的项目", "CNY", 10 * _YI, 20 * _YI),
        ("projects between 30 and 50 million yuan", "CNY", 30_000_000, 50_000_000),
        ("output from 100m to 1bn", "CNY", 100_000_000, 1_000_000_000),
        ("output from 800m to 2bn", "CNY", 800_000_000, 2_000_000_000),
        ("projects using 100 to 200 mu of land", "mu", 100, 200),
        ("land between 50 and 100 hectares", "m2", 500_000, 1_000_000),
        ("output of CNY 1 billion to 2 billion", "CNY", 1_000_000_000, 2_000_000_000),
        ("investment between US$30 and 50 million", "USD", 30_000_000, 50_000_000),
        ("between 20,000 and 50,000 square metres", "m2", 20_000, 50_000),
    ],
)
def test_a_range_reads_both_ends_in_the_unit_usage_gives(
    text: str, family: str, low: int, high: int
) -> None:
    assert _bounds(text) == (family, Decimal(low), Decimal(high))


@pytest.mark.parametrize(
    "text",
    [
        "投资3到5000万的项目",  # 3万 or 3000万?
        "用地1到200亩的项目",  # 1亩 or 100亩?
        "投资三到五十万的项目",  # 3万 or 30万?
        "投资3千到5万的项目",  # 3千万 is more than 5万
        "投资5亿到3亿的项目",
        "投资3亿元到5亿美元的项目",  # two currencies
        "用地100亩到5万平方米",  # 亩 and 平方米 do not convert exactly
        "investment between 500 and 2 million yuan",
        "between 1 million yuan and 2 million dollars",
    ],
)
def test_a_range_that_reads_two_ways_sets_no_condition_and_is_named(text: str) -> None:
    reading = read_size(fold(text))
    assert reading.condition is None and reading.unread, reading


@pytest.mark.parametrize(
    "text",
    [
        "1-5月招引了多少项目",
        "2024-2026年的项目",
        "投资3亿和5亿的两个项目",  # two sizes, not a range
        "招聘3到5万人",
        "RL205-10E出口到哪些国家",
        "from 2024 to 2026",
        "<b>x</b>亿以上",
    ],
)
def test_not_a_size(text: str) -> None:
    assert read_size(fold(text)) == read_size("")


@pytest.mark.parametrize(
    ("text", "family", "low", "inclusive"),
    [
        ("over 500 million yuan", "CNY", 500_000_000, False),
        ("more than RMB 1.5 billion", "CNY", 1_500_000_000, False),
        ("above 1.5bn", "CNY", 1_500_000_000, False),
        ("projects over 300m", "CNY", 300_000_000, False),
        ("at least CNY 2 billion", "CNY", 2_000_000_000, True),
        ("more than US$50 million", "USD", 50_000_000, False),
        ("at least 10,000 mu", "mu", 10_000, True),
        ("over 50 hectares", "m2", 500_000, False),
        ("at least 20,000 square metres", "m2", 20_000, True),
    ],
)
def test_english_amounts_in_questions(text: str, family: str, low: int, inclusive: bool) -> None:
    reading = read_size(fold(text))
    c = reading.condition
    assert c is not None and c.low is not None and c.high is None, reading
    assert (c.family, c.low.value, c.low.inclusive) == (family, Decimal(low), inclusive)


@pytest.mark.parametrize(
    ("text", "low", "inclusive"),
    [
        ("<b>10</b>亿以上的项目", 10 * _YI, True),  # the tags go; the words remain
        ("投资<i>超过</i><b>5亿</b>的项目", 5 * _YI, False),
    ],
)
def test_markup_is_no_comparison_sign(text: str, low: int, inclusive: bool) -> None:
    c = read_size(fold(text)).condition
    assert c is not None and c.low is not None, text
    assert (c.low.value, c.low.inclusive) == (Decimal(low), inclusive)


# ---- through the real Application (the seed store: 丰茂 output 约15亿元, land 约150亩) ----------


async def ask(bot: BotHarness, text: str, lang: str = "zh-hans") -> str:
    calls = await bot.send(text, lang=lang)
    assert len(replies(calls)) == 1, calls
    return text_of(calls)


async def test_a_range_with_the_first_unit_left_out_is_applied(bot: BotHarness) -> None:
    reply = await ask(bot, "年产值3千到5千万的项目有哪些？")
    first = reply.splitlines()[0]
    assert first.startswith("库里没有") and "3000万元到5000万元" in first, reply
    assert "都不符合" in reply and "约15亿元" in reply, reply
    reply = await ask(bot, "达产产值在十到二十亿之间的项目")
    assert "10亿元到20亿元的项目有1个" in reply.splitlines()[0], reply
    assert "丰茂嘉兴汽车零部件生产基地项目" in reply


async def test_an_ambiguous_range_is_said_and_nothing_is_listed(bot: BotHarness) -> None:
    reply = await ask(bot, "年产值3到5000万的项目有哪些")
    assert "没能确定“3到5000万”" in reply and "3000万到5000万" in reply, reply
    assert "丰茂" not in reply, reply  # no list passed off as the answer
    reply = await ask(bot, "projects with output between 500 and 2 million yuan", lang="en")
    assert "could not tell which range" in reply and "丰茂" not in reply, reply
    assert "Fengmao" not in reply, reply


async def test_english_ranges_and_abbreviations_through_the_bot(bot: BotHarness) -> None:
    reply = await ask(bot, "projects with output from 800m to 2bn", lang="en")
    first = reply.splitlines()[0]
    assert "between CNY 800 million and CNY 2 billion: 1" in first, reply
    assert "Fengmao" in reply and "CNY 1.5 billion" in reply
    reply = await ask(bot, "projects with land between 50 and 100 hectares", lang="en")
    assert "between 500000 m² and 1000000 m²" in reply.splitlines()[0], reply
    assert "1 project gives land in mu" in reply and "so it is not compared" in reply, reply
    reply = await ask(bot, "Which projects are worth more than US$50 million?", lang="en")
    assert "over USD 50 million" in reply.splitlines()[0], reply  # dollars stay dollars


async def test_tags_in_a_question_are_not_greater_than(bot: BotHarness) -> None:
    reply = await ask(bot, "年产值<b>10</b>亿以上的项目")
    first = reply.splitlines()[0]
    assert "年产值10亿元以上的项目有1个" in first and "超过1亿" not in reply, reply


@pytest.mark.parametrize(
    ("text", "low", "high", "low_in", "high_in"),
    [
        ("年产值10亿以上、20亿以下的项目", 10 * _YI, 20 * _YI, True, True),
        ("年产值超过10亿但不到20亿的项目", 10 * _YI, 20 * _YI, False, False),
        ("output over 1 billion but under 2 billion yuan", 10 * _YI, 20 * _YI, False, False),
        ("at least 100 mu and at most 200 mu", 100, 200, True, True),
    ],
)
def test_two_bounds_joined_make_one_range(
    text: str, low: int, high: int, low_in: bool, high_in: bool
) -> None:
    c = read_size(fold(text)).condition
    assert c is not None and c.low is not None and c.high is not None, text
    assert (c.low.value, c.high.value) == (Decimal(low), Decimal(high))
    assert (c.low.inclusive, c.high.inclusive) == (low_in, high_in)


def test_two_bounds_not_joined_stay_one() -> None:
    c = read_size(fold("10亿以上的项目和20亿以下的项目")).condition
    assert c is not None and c.high is None


@pytest.mark.parametrize(
    ("text", "family", "low", "measure"),
    [
        ("年产值超过1.2bn的项目", "CNY", 12 * _YI, "output"),
        ("投资超过US$50 million的项目", "USD", 5000 * _WAN, "investment"),
        ("投资超过300m的项目", "CNY", 3 * _YI, "investment"),
    ],
)
def test_an_english_amount_with_chinese_comparison_words(
    text: str, family: str, low: int, measure: str
) -> None:
    c = read_size(fold(text)).condition
    assert c is not None and c.low is not None, text
    assert (c.family, c.low.value, c.measure) == (family, Decimal(low), measure)


async def test_a_range_follow_up_keeps_the_measure_asked(bot: BotHarness) -> None:
    first = await ask(bot, "嘉兴高新区年产值10到20亿的项目")
    assert "年产值10亿元到20亿元的项目有1个" in first.splitlines()[0], first
    reply = await ask(bot, "那5到8亿的呢")
    assert "嘉兴高新区达产后年产值5亿元到8亿元" in reply.splitlines()[0], reply
    reply = await ask(bot, "那投资5亿以上的呢")  # a measure named is the one asked
    assert "嘉兴高新区投资5亿元以上" in reply.splitlines()[0], reply
    await ask(bot, "Jiaxing projects with output between 1 and 2 billion yuan", lang="en")
    reply = await ask(bot, "What about between 500 and 800 million?", lang="en")
    assert "annual output between CNY 500 million and CNY 800 million" in reply, reply


async def test_joined_bounds_are_said_as_asked(bot: BotHarness) -> None:
    reply = await ask(bot, "年产值超过10亿但不到20亿的项目")
    assert "年产值超过10亿元、不到20亿元的项目有1个" in reply.splitlines()[0], reply
    reply = await ask(bot, "output over 1 billion but under 2 billion yuan", lang="en")
    assert "over CNY 1 billion and under CNY 2 billion: 1" in reply.splitlines()[0], reply


@pytest.mark.parametrize(
    ("text", "family", "low", "high", "inclusive"),
    [
        ("投资额在两三亿的项目", "CNY", 2 * _YI, 3 * _YI, True),
        ("用地一两百亩的项目", "mu", 100, 200, True),
        ("投资三五千万的项目", "CNY", 3000 * _WAN, 5000 * _WAN, True),
        ("投资两三百万美元", "USD", 200 * _WAN, 300 * _WAN, True),
        ("年产值十几亿的项目", "CNY", 10 * _YI, 20 * _YI, False),
    ],
)
def test_neighbouring_numerals_are_a_range(
    text: str, family: str, low: int, high: int, inclusive: bool
) -> None:
    c = read_size(fold(text)).condition
    assert c is not None and c.low is not None and c.high is not None, text
    assert (c.family, c.low.value, c.high.value) == (family, Decimal(low), Decimal(high))
    assert c.low.inclusive is inclusive and c.high.inclusive is inclusive


@pytest.mark.parametrize("text", ["两三个项目", "十几个项目", "第三四季度", "两三万人"])
def test_neighbouring_numerals_of_a_count_are_no_size(text: str) -> None:
    assert read_size(fold(text)).condition is None


async def test_about_ten_odd_yi_is_answered(bot: BotHarness) -> None:
    reply = await ask(bot, "年产值十几亿的项目")
    assert "年产值超过10亿元、不到20亿元的项目有1个" in reply.splitlines()[0], reply
    assert "丰茂嘉兴汽车零部件生产基地项目" in reply


def test_land_held_in_another_unit_is_never_compared_as_mu() -> None:
    from bot.core.conditions import judge
    from bot.core.records import Project

    hectares = Project.model_validate(
        {
            "id": "p-ha",
            "zone": "kunshan",
            "name_zh": "公顷项目",
            "stage": "signed",
            "source": "p000-kunshan",
            "land_mu": "50公顷",
        }
    )
    condition = read_size(fold("用地10亩以上的项目")).condition
    assert condition is not None
    assert judge(hectares, condition).verdict == "other_unit"  # 50公顷 is not 50亩
    from bot.texts.conditions import lacking_line

    (zh,) = lacking_line("zh", condition, [], ["公顷项目"], more=False)
    assert "不是以亩记录" in zh and "亩与平方米" not in zh, zh
    (en,) = lacking_line("en", condition, [], ["公顷项目"], more=False)
    assert "1 project gives land in another unit than mu" in en, en


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("年产值10亿+的项目", 10 * _YI),
        ("projects with 1 billion+ output", 10 * _YI),
        ("projects with 100+ mu", 100),
        ("100+ million yuan projects", 1 * _YI),
    ],
)
def test_a_plus_sign_is_the_bound_and_more(text: str, low: int) -> None:
    c = read_size(fold(text)).condition
    assert c is not None and c.low is not None and c.high is None, text
    assert (c.low.value, c.low.inclusive) == (Decimal(low), True)


@pytest.mark.parametrize("text", ["5+3亿", "c++ projects"])
def test_a_plus_sign_between_numbers_or_in_a_word_is_no_bound(text: str) -> None:
    assert read_size(fold(text)).condition is None


@pytest.mark.parametrize(
    "text",
    [
        "Is the Jakarta Oasis tower over 300m tall?",
        "towers from 100m to 300m",
        "高于300m的塔楼",
        "projects with towers over 300m high",
    ],
)
def test_an_m_is_million_only_where_money_is_talked_of(text: str) -> None:
    assert read_size(fold(text)).condition is None


@pytest.mark.parametrize("text", ["projects worth over 300m", "昆山高新区 projects over 300m"])
def test_an_m_with_money_words_is_million(text: str) -> None:
    c = read_size(fold(text)).condition
    assert c is not None and c.low is not None and c.low.value == Decimal(300_000_000)
