"""Questions of the fourth held-out round (tests/questions/extra14.tsv), through the real
Application: every zone at once (哪些园区有签约项目, 四个园区一共…, which parks have semiconductor
projects), zones left out (除了昆山…, outside Jiaxing), a zone's projects, rankings on a measure
no zone reports, events in a window of time, follow-ups after a company, English inside
Chinese, keyword questions with a period, and amounts of a year with no subject. Each test
checks the one reply the user sees, and what it must not say; the deciding rules are also
checked alone (bot/core)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core import ask_across, ask_input
from bot.core import questions as q
from tests import test_ask
from tests.harness import BotHarness
from tests.test_ask import ask

clock = test_ask.clock  # 2026-06-02
asker = test_ask.asker

DEJIA = "德加能源固态电池总部项目"
FENGMAO = "丰茂嘉兴汽车零部件生产基地项目"


# ---- every zone at once --------------------------------------------------------------------


async def test_which_zones_have_signed_projects_lists_each_zone_with_its_projects(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "哪些园区有签约项目")
    assert "2个，共2个项目" in reply, reply
    assert "昆山高新区（1个）" in reply and "嘉兴高新区（1个）" in reply
    assert DEJIA in reply and FENGMAO in reply
    assert "来源" in reply
    # Not the directory's list of 411 zones.
    assert "411" not in reply, reply


async def test_all_zones_together_count_every_zones_signings_not_the_last_zones(
    asker: BotHarness,
) -> None:
    await ask(asker, "昆山高新区的主导产业是什么")  # the last zone talked about
    reply = await ask(asker, "四个园区一共签了多少项目")
    assert "共2个项目" in reply, reply
    assert DEJIA in reply and FENGMAO in reply


@pytest.mark.parametrize(
    ("question", "zone", "project"),
    [
        ("which parks have semiconductor projects", "Kunshan", "Spatial computing chip"),
        ("Which zones have AI projects?", "Kunshan", "AI optical large-model cancer detection"),
    ],
)
async def test_a_sector_across_zones_in_english_names_the_zones_and_projects(
    asker: BotHarness, question: str, zone: str, project: str
) -> None:
    reply = await ask(asker, question, "en")
    assert reply.startswith("Zones with"), reply
    assert zone in reply and project in reply
    assert "Jiaxing" not in reply and "Changde" not in reply  # no zone without such a project


async def test_except_a_zone_with_nothing_elsewhere_says_so_and_shows_that_zones_own(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "除了昆山还有哪些园区有新能源项目")
    assert reply.startswith("除昆山高新区外，库里没有其他园区的新能源项目记录"), reply
    # The left-out zone's own project is shown as such, not as an answer elsewhere.
    assert "昆山高新区本身有1个" in reply and DEJIA in reply
    assert "嘉兴" not in reply and "咸宁" not in reply


async def test_except_a_zone_lists_the_other_zones_only(asker: BotHarness) -> None:
    reply = await ask(asker, "除了嘉兴，还有哪些园区有签约项目")
    assert "嘉兴高新区除外" in reply, reply
    assert DEJIA in reply
    assert FENGMAO not in reply  # the zone left out is not listed


async def test_outside_a_zone_in_english_says_none_elsewhere(asker: BotHarness) -> None:
    reply = await ask(asker, "any auto parts projects outside Jiaxing?", "en")
    assert reply.startswith("No record of Auto parts projects in any zone other than"), reply
    assert "Jiaxing Hi-tech Zone itself has 1" in reply


async def test_a_named_company_is_not_read_as_a_question_over_every_zone(
    asker: BotHarness,
) -> None:
    # "Construction" is a stage word, and "which zone" asks for zones; the company is named.
    reply = await ask(asker, "Which zone is Zoomlion Construction Crane in?", "en")
    assert "Changde" in reply, reply
    assert "No record of" not in reply


def test_left_out_zones_are_read_from_the_words_around_them() -> None:
    def hit(zone: str, text: str, name: str) -> q.NameHit:
        flat = q.squeeze(text)
        at = flat.find(name)
        return q.NameHit("zone", zone, q.Key(name, at, at + len(name), False, name), 3)

    text = "除了昆山还有哪些园区有新能源项目"
    assert ask_across.left_out(text, [hit("kunshan", text, "昆山")]) == ["kunshan"]
    text = "嘉兴以外哪些园区有签约项目"
    assert ask_across.left_out(text, [hit("jiaxing", text, "嘉兴")]) == ["jiaxing"]
    text = "昆山和嘉兴哪些园区有签约项目"
    assert ask_across.left_out(text, [hit("kunshan", text, "昆山")]) == []
    latin = "any auto parts projects outside jiaxing?"
    at = latin.find("jiaxing")
    key = q.Key("jiaxing", 1000 + at, 1000 + at + 7, False, "jiaxing")
    assert ask_across.left_out(latin, [q.NameHit("zone", "jiaxing", key, 3)]) == ["jiaxing"]


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("四个园区一共签了多少项目", True),
        ("所有园区的签约项目", True),
        ("这几个高新区有哪些签约项目", True),
        ("how many projects did all the zones sign", True),
        ("昆山高新区签了多少项目", False),
        ("这个园区签了哪些项目", False),
    ],
)
def test_all_zones_named_by_count_or_word(text: str, every: bool) -> None:
    assert ask_across.names_all_zones(q.parse(text, date(2026, 6, 2))) is every


# ---- a zone's projects -------------------------------------------------------------------------


async def test_a_zones_projects_are_listed(asker: BotHarness) -> None:
    reply = await ask(asker, "嘉兴高新区有什么项目")
    assert reply.startswith("嘉兴高新区的项目（收录1个）"), reply
    assert FENGMAO in reply and "来源" in reply


async def test_a_zone_with_no_projects_says_so_then_shows_its_events(asker: BotHarness) -> None:
    reply = await ask(asker, "常德高新区有什么项目？")
    assert reply.startswith("库里没有常德高新区的项目记录。"), reply
    assert "雅加达绿洲双塔" in reply  # its news is an event


async def test_a_zones_projects_of_a_sector_come_with_the_reported_figure_labelled(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "昆山新能源项目有哪些")
    assert "昆山高新区的新能源项目（收录1个）" in reply, reply
    assert DEJIA in reply
    # The count the source reports is shown as such, with its period, never as records held.
    assert "来源报道的数字" in reply and "18个" in reply and "1—5月" in reply


# ---- rankings on a measure no zone reports ---------------------------------------------------


@pytest.mark.parametrize("question", ["哪个园区今年签约金额最高", "哪个园区GDP最高"])
async def test_a_ranking_on_a_measure_no_zone_reports_is_refused_not_replaced(
    asker: BotHarness, question: str
) -> None:
    reply = await ask(asker, question)
    assert "库里没有哪个园区报道过这项数字" in reply, reply
    # Another figure (the 159 projects attracted) is not ranked in its place.
    assert "159" not in reply and "亿" not in reply


async def test_a_ranking_whose_words_fit_an_event_figure_answers_from_it(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "哪个园区招聘会招到的人最多")
    assert "咸宁高新区" in reply and "37人" in reply, reply
    assert "159" not in reply


# ---- events in a window of time ----------------------------------------------------------------


async def test_events_of_a_month_are_found_among_the_latest(asker: BotHarness) -> None:
    reply = await ask(asker, "3月份有什么活动")
    assert reply.startswith("3月的动态"), reply
    assert "祖冲之纪念日" in reply and "3月14日" in reply


@pytest.mark.parametrize(
    ("question", "lang", "none"),
    [
        ("下周有什么活动", "zh-hans", "库里没有下周的动态记录"),
        ("下个月有什么签约", "zh-hans", "库里没有下个月签约的项目记录"),
        ("any events next week?", "en", "No record dated next week"),
    ],
)
async def test_a_window_ahead_with_nothing_dated_in_it_says_so(
    asker: BotHarness, question: str, lang: str, none: str
) -> None:
    reply = await ask(asker, question, lang)
    assert reply.startswith(none), reply


def test_windows_ahead_and_after_a_month_are_read() -> None:
    today = date(2026, 6, 2)  # a Tuesday
    week = q.parse("下周有什么活动", today).period
    assert week is not None and week.days == (date(2026, 6, 8), date(2026, 6, 14))
    month = q.parse("下个月有什么签约", today).period
    assert month is not None and (month.first_month, month.relative) == (7, "this")
    december = q.parse("next month", date(2026, 12, 2)).period
    assert december is not None and (december.first_month, december.relative) == (1, "next")
    since = q.parse("3月以后有哪些活动", today).period
    assert since is not None and (since.first_month, since.last_month) == (3, 6)
    # A weekday of next week is a deadline in a long message, not a window asked about.
    assert q.parse("材料下周一要交给领导", today).period is None


# ---- follow-ups after a company; dates not given -------------------------------------------------


async def test_it_after_a_company_with_no_zone_stays_the_company(asker: BotHarness) -> None:
    await ask(asker, "丰茂股份是做什么的")
    reply = await ask(asker, "它在嘉兴有什么项目")
    assert "丰茂股份的项目（1个）" in reply and FENGMAO in reply, reply
    land = await ask(asker, "这个项目用地多少")
    assert "150亩" in land, land
    when = await ask(asker, "它是什么时候签约的")
    assert "日期：页面未给出具体日期。" in when, when
    assert "近日" in when  # the source's own word, quoted
    assert "2026" not in when and "年" not in when.split("来源")[0].replace("页面", "")


# ---- words typed in other ways ---------------------------------------------------------------


def test_english_inside_chinese_is_read_as_chinese_but_english_alone_is_kept() -> None:
    assert ask_input.prepare("Dejia能源的R&D中心多大") == "Dejia能源的研发中心多大"
    assert ask_input.prepare("嘉兴的auto parts项目叫什么") == "嘉兴的汽车零部件项目叫什么"
    assert ask_input.prepare("How big is Dejia's R&D centre?") == "How big is Dejia's R&D centre?"


async def test_an_r_and_d_centre_asked_in_mixed_words_is_answered(asker: BotHarness) -> None:
    reply = await ask(asker, "Dejia能源的R&D中心多大")
    assert "7000平方米研发中心" in reply, reply


async def test_keywords_with_a_zone_and_a_period_get_the_zones_count(asker: BotHarness) -> None:
    reply = await ask(asker, "kunshan hitech zone tech projects jan-may?", "en")
    assert "Tech projects attracted: 159" in reply and "Jan–May" in reply, reply


async def test_where_something_is_used_is_not_where_the_company_is(asker: BotHarness) -> None:
    await ask(asker, "Tell me about Zoomlion Construction Crane", "en")
    reply = await ask(asker, "Where are its cranes being used?", "en")
    assert "Oasis Twin Towers in Jakarta" in reply, reply


async def test_an_amount_of_a_year_with_no_subject_is_not_answered_from_a_record(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "2024年规上工业产值是多少")
    assert reply.startswith("库里没有2024年“规上工业产值”的数字（来源未报道）"), reply
    # No project's output (达产后年产值) is passed off as the answer.
    assert "达产" not in reply and "亿" not in reply
