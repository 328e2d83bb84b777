"""Periods in questions, through the real Application: amounts are not years, a whole year
asked is answered by that year's figure, zones are ranked only within one period, 今年 is the
year in the bot's time zone, and "其他领域" is not another zone's software figure.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest

from bot.core import questions as q
from bot.core.records import FactFile, ZoneFigure
from bot.settings import Settings
from tests.harness import BotHarness
from tests.test_ask_periods import ask


def _figure(fid: str, zone: str, name: str, value: str, period: str) -> ZoneFigure:
    return ZoneFigure.model_validate(
        {
            "id": fid,
            "zone": zone,
            "name_zh": name,
            "name_en": "Tech projects attracted" if name == "招引科技项目" else None,
            "value": value,
            "period": period,
            "source": f"p000-{zone}",
        }
    )


FIGURES = (
    _figure("changde-tech-2025", "changde", "招引科技项目", "30个", "2025"),
    _figure("jiaxing-tech-2025", "jiaxing", "招引科技项目", "42个", "2025"),
    _figure("xianning-tech-2024", "xianning", "招引科技项目", "80个", "2024"),
)


def _harness(settings: Settings, now: datetime) -> Callable[[], AsyncIterator[BotHarness]]:
    async def make() -> AsyncIterator[BotHarness]:
        harness = BotHarness(settings, now=lambda: now)
        await harness.start()
        try:
            await harness.store.apply_facts(FactFile(figures=FIGURES), via="test")
            yield harness
        finally:
            await harness.stop()

    return make


@pytest.fixture
async def asker(settings: Settings) -> AsyncIterator[BotHarness]:
    async for harness in _harness(settings, datetime(2026, 6, 2, 1, 0, tzinfo=UTC))():
        yield harness


# ---- 1. amounts are not years ------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("昆山高新区2000亩以上签约了哪些项目", "2000"),
        ("昆山投资2000亿元以上的项目", "2000"),
        ("昆山2019家企业", "2019"),
    ],
)
async def test_an_amount_is_not_read_as_a_year(
    asker: BotHarness, question: str, number: str
) -> None:
    reply = await ask(asker, question)
    # Never "库里没有昆山高新区2000签约的项目记录" nor "库里没有2000年的…".
    assert f"{number}签约" not in reply and f"没有{number}" not in reply, reply
    assert f"{number}年" not in reply, reply


async def test_an_english_amount_is_not_read_as_a_year(asker: BotHarness) -> None:
    reply = await ask(asker, "What did Changde sign in 2000 mu?", "en")
    assert "(2000)" not in reply and "for 2000" not in reply, reply
    # A year in English still is one.
    reply = await ask(asker, "How many tech projects did Kunshan attract in 2027?", "en")
    assert reply.startswith("No record for 2027"), reply


@pytest.mark.parametrize(
    "question",
    [
        "昆山投资2000亿元以上的项目",
        "昆山高新区2000亩以上签约了哪些项目",
        "昆山2019家企业",
        "what did changde sign in 2000 mu",
        "2000多亩的项目",
        "投资2025万元",
    ],
)
def test_amounts_name_no_period_and_stay_content(question: str) -> None:
    parsed = q.parse(question)
    assert parsed.period is None
    number = next(w for w in ("2000", "2019", "2025") if w in question)
    assert any(number in u.word for u in q.terms(parsed, parsed.text)), question


def test_years_are_still_read() -> None:
    for question, year in (
        ("2027年招引多少", 2027),
        ("截至2024招引多少", 2024),
        ("in 2025", 2025),
        ("2025 figures", 2025),
        ("since 2024", 2024),
    ):
        parsed = q.parse(question)
        assert parsed.period is not None and parsed.period.year == year, question
        assert not any(str(year) in u.word for u in q.terms(parsed, parsed.text))
    assert q.parse("2099年").period is None  # past ten years from now: not a year asked
    assert q.parse("年度重点项目").period is None


# ---- 2. a whole year asked -------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["常德高新区2025年度招引了多少科技项目", "常德高新区2025年全年招引了多少科技项目"]
)
async def test_a_whole_year_is_answered_by_that_years_figure(
    asker: BotHarness, question: str
) -> None:
    reply = await ask(asker, question)
    assert "库里没有" not in reply, reply
    assert "招引科技项目：30个（2025年）" in reply, reply
    assert "年度年度" not in reply


async def test_an_english_annual_year_is_answered_and_named_once(asker: BotHarness) -> None:
    reply = await ask(asker, "How many tech projects did Changde attract, annual 2025?", "en")
    assert "No record" not in reply, reply
    assert "30" in reply and "2025" in reply
    reply = await ask(asker, "How many tech projects did Changde attract, annual 2024?", "en")
    assert reply.startswith("No record for 2024;"), reply
    assert "the annual 2024" not in reply


# ---- 3. zones ranked within one period ---------------------------------------------------


async def test_a_ranking_of_a_year_ranks_only_that_years_figures(asker: BotHarness) -> None:
    reply = await ask(asker, "2025年哪个高新区招引项目最多")
    lines = reply.splitlines()
    assert "库里没有" not in reply, reply
    assert "嘉兴" in lines[0] and "42个（2025年）" in lines[0], reply
    assert "常德" in lines[1] and "30个（2025年）" in lines[1], reply
    apart = next(i for i, line in enumerate(lines) if "时期不同" in line)
    # The 2024 figure and the 1—5月 one are shown apart with their own periods, not ranked.
    assert apart > 1
    rest = "\n".join(lines[apart:])
    assert "80个（2024年）" in rest and "159个（1—5月）" in rest


async def test_a_ranking_without_a_period_never_mixes_periods(asker: BotHarness) -> None:
    reply = await ask(asker, "哪个高新区招引项目最多")
    lines = reply.splitlines()
    apart = next(i for i, line in enumerate(lines) if "时期不同" in line)
    ranked = "\n".join(lines[:apart])
    assert "42个（2025年）" in ranked and "30个（2025年）" in ranked, reply
    assert "80个" not in ranked and "159个" not in ranked, reply


# ---- 4. 其他领域 is the figure's own name ------------------------------------------------


async def test_other_fields_of_another_zone_is_not_kunshans_software(
    asker: BotHarness,
) -> None:
    total = _figure("changde-tech-h1", "changde", "招引项目", "12个", "2025-01/2025-06")
    other = _figure("changde-tech-h1-other", "changde", "其他领域项目", "5个", "2025-01/2025-06")
    other = other.model_copy(update={"part_of": total.id})
    soft = _figure(
        "changde-tech-h1-soft", "changde", "软件与信息服务领域项目", "8个", "2025-01/2025-06"
    )
    soft = soft.model_copy(update={"part_of": total.id, "sector": "软件与信息服务"})
    await asker.store.apply_facts(FactFile(figures=(total, other, soft)), via="test")
    reply = await ask(asker, "常德高新区其他领域项目有多少")
    assert "其他领域项目：5个" in reply, reply
    assert "软件与信息服务" not in reply and "8个" not in reply and "37个" not in reply
    # Kunshan's bucket is still found by its own name.
    reply = await ask(asker, "昆山高新区软件与信息服务等其他领域有多少项目")
    assert "37个" in reply


# ---- 5. 今年 in the bot's time zone ------------------------------------------------------


async def test_this_year_is_the_year_in_china(settings: Settings) -> None:
    # 31 Dec 17:00 UTC is already 1 Jan 2026 in Asia/Shanghai (the default BOT_TIMEZONE).
    late = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    async for bot in _harness(settings, late)():
        new_year = _figure("changde-tech-2026", "changde", "招引科技项目", "3个", "2026")
        await bot.store.apply_facts(FactFile(figures=(new_year,)), via="test")
        reply = await ask(bot, "常德高新区今年招引了多少科技项目")
        assert "库里没有" not in reply, reply
        assert "3个（2026年）" in reply
        reply = await ask(bot, "常德高新区去年招引了多少科技项目")
        assert "库里没有" not in reply and "30个（2025年）" in reply, reply
