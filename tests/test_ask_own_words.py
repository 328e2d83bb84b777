"""Questions as staff type them on a phone, through the real Application: traditional script,
chat forms, markup, emoji and punctuation alone, long pasted messages, pinyin, mistyped and
abbreviated zone names, months counted from today, the first N of a ranking, every part, and
two zones compared. Each test checks the one reply the user sees.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.core import ask_input
from bot.core import questions as q
from bot.core.directory_rows import load_shipped_directory
from tests import test_ask
from tests.harness import BotHarness
from tests.test_ask import ask

# The fixtures of the main question tests: a clock at 2 June 2026 in Shanghai (上个月 is May,
# 近三个月 is April to June) and a bot on it.
clock = test_ask.clock
asker = test_ask.asker


# ---- traditional script, chat forms, markup ------------------------------------------------


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("崑山高新區1-5月招引了多少科技項目？", "159个"),
        ("豐茂的項目佔地多少畝", "约150亩"),
        ("德加能源董事長是誰", "钱涛"),
    ],
)
async def test_a_question_in_traditional_script_is_answered_as_in_simplified(
    asker: BotHarness, question: str, wanted: str
) -> None:
    reply = await ask(asker, question)
    assert wanted in reply, reply
    assert "来源" in reply


async def test_a_follow_up_in_traditional_script_keeps_the_figure_asked_before(
    asker: BotHarness,
) -> None:
    await ask(asker, "昆山高新区1-5月招引了多少科技项目？")
    reply = await ask(asker, "裡面裝備製造的有幾個")
    assert "装备制造领域项目：27个（1—5月）" in reply, reply


@pytest.mark.parametrize(
    ("question", "lang", "wanted"),
    [
        ("丰茂是干啥的", "zh-hans", ["精密橡胶"]),
        ("有木有投资超10亿的项目", "zh-hans", ["10亿", "没有"]),
        ("啥领域项目最少啊", "zh-hans", ["生命健康", "11个"]),
        ("whats the name of dejia's chairman", "en", ["钱涛"]),
    ],
)
async def test_chat_forms_read_as_plain_words(
    asker: BotHarness, question: str, lang: str, wanted: list[str]
) -> None:
    reply = await ask(asker, question, lang)
    for fact in wanted:
        assert fact in reply, reply


async def test_markup_around_a_name_is_not_part_of_the_question(asker: BotHarness) -> None:
    reply = await ask(asker, "<b>德加能源</b>的董事长是谁")
    assert "钱涛" in reply, reply


@pytest.mark.parametrize("message", ["？？？！！！", "<script>alert(1)</script>", "🤔🤔", "👍"])
async def test_a_message_with_nothing_to_look_up_gets_a_hint_not_an_answer(
    asker: BotHarness, message: str
) -> None:
    await ask(asker, "德加能源的董事长是谁？")  # something to lean on, which must not be used
    reply = await ask(asker, message)
    assert "这条消息里没有可以查的文字" in reply, reply
    assert "例如" in reply
    assert "钱涛" not in reply and "alert" not in reply


async def test_a_message_with_nothing_to_look_up_is_answered_in_english(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "?!?!", "en")
    assert "There is nothing to look up in that message" in reply, reply


def test_script_and_style_hold_no_words_but_inline_tags_keep_the_word_whole() -> None:
    assert ask_input.prepare("<script>alert(1)</script>") == ""
    assert ask_input.prepare("<b>德加</b>能源") == "德加能源"
    assert ask_input.prepare("<p>hello</p><p>world</p>") == "hello world"
    assert not ask_input.has_words("？？？！！！🤔")
    assert ask_input.has_words("x")


# ---- long pasted messages ------------------------------------------------------------------

LONG_EN = (
    "Hi, I'm preparing a briefing for our director on peer parks in the Yangtze River Delta. "
    "Could you tell me how much land the Fengmao auto parts base in Jiaxing will use, and what "
    "its annual output is expected to be at full production? Thanks a lot!"
)


async def test_a_long_pasted_message_is_answered_from_its_question(asker: BotHarness) -> None:
    assert len(LONG_EN) > 200
    reply = await ask(asker, LONG_EN, "en")
    assert "150" in reply, reply
    assert "1.5 billion" in reply or "15亿" in reply, reply
    assert "too long" not in reply


async def test_a_long_message_that_asks_nothing_is_still_too_long(asker: BotHarness) -> None:
    reply = await ask(asker, "德加能源固态电池总部项目落户昆山高新区。" * 12)
    assert "200" in reply, reply


def test_only_the_asking_sentences_of_a_long_message_are_kept() -> None:
    kept = ask_input.questions_of(LONG_EN, 200)
    assert kept.startswith("Could you tell me how much land")
    assert "Thanks" not in kept and "briefing" not in kept
    assert ask_input.questions_of("short", 200) == "short"


# ---- pinyin and mistyped Latin zone names ---------------------------------------------------


async def test_a_question_typed_in_pinyin_is_read_as_chinese(asker: BotHarness) -> None:
    reply = await ask(asker, "kunshan gaoxinqu xinnengyuan xiangmu")
    assert "18个" in reply, reply


async def test_a_job_fair_question_in_pinyin_gets_its_figures(asker: BotHarness) -> None:
    reply = await ask(asker, "xianning zhaopinhui yixiang duoshao ren")
    assert "86人" in reply, reply


def test_english_is_not_read_as_pinyin() -> None:
    labels = ("新能源", "新材料")
    for text in ("How many new energy projects did Kunshan attract?", "dejia nengyuan"):
        assert ask_input.from_pinyin(text, labels) == text
    assert ask_input.from_pinyin("kunshan xinnengyuan xiangmu", labels) == "kunshan 新能源 项目"


async def test_a_mistyped_latin_zone_name_with_a_sector_gets_the_figure(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "kunshn new energy projects?", "en")
    assert "New energy projects: 18 (Jan–May)" in reply, reply


async def test_a_long_pasted_message_is_cut_at_its_line_breaks_to_the_question(
    asker: BotHarness,
) -> None:
    """No punctuation, only line breaks: the line that asks is still found and answered."""
    context = "我这边在整理园区客户的对接材料" * 15  # over the 200 characters of one question
    reply = await ask(asker, f"您好\n{context}\n德加能源董事长是谁\n谢谢")
    assert "钱涛" in reply, reply


async def test_an_english_word_near_a_zone_name_is_not_taken_for_it(asker: BotHarness) -> None:
    """ "change" is one letter from changde: a question using the word is not about Changde."""
    for question in ("How did investment change this year?", "what changed recently"):
        reply = await ask(asker, question, "en")
        first = reply.splitlines()[0]
        assert "Changde" not in first and "常德" not in first, reply


@pytest.mark.parametrize(
    ("question", "named", "unnamed"),
    [
        ("乾照光电在哪个园区", "乾", "干照"),  # 乾 is standard in simplified names too
        ("哪吒汽车的项目", "哪吒", "哪咤"),
    ],
)
def test_characters_simplified_text_also_writes_are_kept_as_typed(
    question: str, named: str, unnamed: str
) -> None:
    prepared = ask_input.prepare(question)
    assert named in prepared and unnamed not in prepared


def test_how_much_is_not_read_as_which_is_least() -> None:
    for question in ("哪个项目投资多少？", "昆山哪家企业投资多少"):
        assert "least" not in q.parse(question).intents
    assert "least" in q.parse("哪个园区项目更少？").intents
    assert "most" in q.parse("哪个园区项目多？").intents


# ---- zone names: abbreviations, no records, several at once --------------------------------


def test_an_industrial_park_answers_to_place_and_yuanqu_and_its_initials() -> None:
    entry = next(e for e in load_shipped_directory() if e.short == "苏州工业园区")
    assert {"苏州园区", "苏州工业园", "sip"} <= entry.names()


@pytest.mark.parametrize(
    ("question", "lang", "wanted"),
    [
        ("苏州园区今年签了几个项目", "zh-hans", ["苏州工业园区", "没有"]),
        ("SIP有什么签约项目", "zh-hans", ["苏州工业园区", "没有"]),
        ("any signings in SIP this year?", "en", ["Suzhou Industrial Park", "No record"]),
    ],
)
async def test_suzhou_industrial_park_by_its_short_forms_is_not_suzhou_hitech(
    asker: BotHarness, question: str, lang: str, wanted: list[str]
) -> None:
    reply = await ask(asker, question, lang)
    for fact in wanted:
        assert fact in reply, reply
    assert "苏州高新区" not in reply and "Suzhou Hi-tech" not in reply


async def test_a_directory_zone_without_records_says_so_with_its_full_name(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "昆山经开区有什么项目")
    assert "库里没有昆山经济技术开发区（江苏省苏州市）的项目、活动或数字记录" in reply, reply
    assert "已收录记录的园区有：" in reply
    assert "德加" not in reply  # 昆山高新区's records are not passed off as its neighbour's


async def test_two_zones_asked_where_are_both_answered(asker: BotHarness) -> None:
    reply = await ask(asker, "嘉兴高新区和常德高新区分别在哪个省")
    assert "嘉兴高新区 位于 浙江省" in reply, reply
    assert "常德高新区 位于 湖南省" in reply, reply


async def test_two_zones_compared_only_on_a_figure_both_report(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山高新区和嘉兴高新区哪个招引的项目多")
    assert "招引科技项目：159个（1—5月）" in reply, reply
    assert "嘉兴高新区没有这项数字（来源未报道），无法比较" in reply
    assert "本库收录的项目记录（不是来源报道的数字）：昆山高新区 4个、嘉兴高新区 1个" in reply


async def test_two_zones_without_the_figure_are_not_compared(asker: BotHarness) -> None:
    reply = await ask(asker, "常德和嘉兴哪个项目多")
    assert "常德高新区、嘉兴高新区没有这项数字" in reply, reply
    assert "159" not in reply


async def test_two_zones_compared_in_english(asker: BotHarness) -> None:
    reply = await ask(asker, "Kunshan vs Jiaxing: which zone attracted more projects?", "en")
    assert "Tech projects attracted: 159 (Jan–May)" in reply, reply
    assert "No such figure for Jiaxing Hi-tech Zone" in reply


def test_which_one_has_more_without_zui_asks_for_the_largest() -> None:
    assert "most" in q.parse("昆山和嘉兴哪个招引的项目多").intents
    assert "least" in q.parse("哪个领域项目少一些？").intents
    assert not {"most", "least"} & q.parse("哪个领域有多少项目").intents


# ---- the first N, every part ---------------------------------------------------------------


async def test_the_first_three_fields_are_ranked_without_the_mixed_bucket(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "昆山高新区项目数排前三的领域是哪几个")
    lines = reply.splitlines()
    first = lines.index("前3的领域：")
    assert lines[first + 1 : first + 4] == [
        "1. 装备制造领域项目：27个",
        "2. 新材料领域项目：24个",
        "3. 新一代信息技术领域项目：22个",
    ], reply
    assert "软件与信息服务等其他领域项目”37个（多个领域合计，未细分，不参与排名）" in reply


async def test_top_three_in_english(asker: BotHarness) -> None:
    reply = await ask(asker, "top 3 sectors in Kunshan by number of projects", "en")
    assert "Top 3 fields:" in reply, reply
    assert "1. Equipment manufacturing projects: 27" in reply


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("昆山高新区各个领域分别多少个项目", "zh-hans"),
        ("how many projects in each sector in Kunshan?", "en"),
    ],
)
async def test_every_part_is_listed_largest_first(
    asker: BotHarness, question: str, lang: str
) -> None:
    reply = await ask(asker, question, lang)
    numbers = ["37", "27", "24", "22", "20", "18", "11"]
    at = [reply.find(f": {n} (" if lang == "en" else f"：{n}个") for n in numbers]
    assert all(a >= 0 for a in at), reply
    assert at == sorted(at), reply  # largest first


def test_top_count_reads_numbers_but_not_times() -> None:
    assert q.top_count(q.fold("排前三的领域")) == 3
    assert q.top_count(q.fold("top 5 sectors")) == 5
    assert q.top_count(q.fold("top three sectors")) == 3
    assert q.top_count(q.fold("前5个月招了多少")) is None
    assert q.top_count(q.fold("前三季度")) is None


# ---- months counted from today ---------------------------------------------------------------


async def test_last_month_with_nothing_signed_says_so_and_offers_the_closest(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "昆山高新区上个月签约了什么项目")
    assert "库里没有昆山高新区上个月签约的项目记录" in reply, reply
    assert "最接近的是" in reply and "签约（3月）" in reply


async def test_the_last_three_months_exclude_a_march_signing(asker: BotHarness) -> None:
    reply = await ask(asker, "近三个月有啥新签约")
    assert "库里没有近三个月签约的项目记录" in reply, reply


@pytest.mark.parametrize(
    ("question", "lang", "wanted"),
    [
        ("3月以来签了哪些项目", "zh-hans", "3月以来签约的项目（1个）"),
        ("What did Kunshan sign since March?", "en", "since Mar"),
    ],
)
async def test_since_a_month_runs_to_today(
    asker: BotHarness, question: str, lang: str, wanted: str
) -> None:
    reply = await ask(asker, question, lang)
    assert wanted in reply, reply
    assert "德加能源固态电池总部项目" in reply or "Dejia Energy" in reply


def test_windows_are_placed_from_today() -> None:
    june = date(2026, 6, 2)
    last = q.parse("上个月签了什么", june).period
    assert last is not None and (last.first_month, last.last_month) == (5, 5)
    recent = q.parse("in the past 3 months", june).period
    assert recent is not None and (recent.first_month, recent.last_month) == (4, 6)
    january = q.parse("last month", date(2026, 1, 15)).period
    assert january is not None and january.relative == "last" and january.first_month == 12
    crossing = q.parse("近三个月", date(2026, 2, 10)).period
    assert crossing is not None and (crossing.since, crossing.until) == ((2025, 12), (2026, 2))
    assert q.period_covers(crossing, 2025, 12, None, 2026, exact=False)
    assert not q.period_covers(crossing, 2025, 11, None, 2026, exact=False)
    # 前5个月 is still the first five months of the year, not a window back from today.
    first_five = q.parse("前5个月", june).period
    assert first_five is not None and (first_five.first_month, first_five.last_month) == (1, 5)


async def test_a_zone_count_after_a_list_is_about_the_zone_not_the_last_record(
    asker: BotHarness,
) -> None:
    await ask(asker, "3月以来签了哪些项目")
    reply = await ask(asker, "昆山高新区前5个月招了多少项目")
    assert "招引科技项目：159个（1—5月）" in reply, reply


# ---- second round (tests/questions/extra12.tsv) ---------------------------------------------


async def test_the_two_largest_fields_said_with_zui(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山高新区招引项目最多的两个领域")
    assert "前2的领域：" in reply, reply
    assert "1. 装备制造领域项目：27个" in reply and "2. 新材料领域项目：24个" in reply
    assert "3. " not in reply


async def test_the_first_two_asked_as_a_follow_up(asker: BotHarness) -> None:
    await ask(asker, "新能源和生命健康分别有几个")
    reply = await ask(asker, "前两名是哪两个领域")
    assert "1. 装备制造领域项目：27个" in reply and "2. 新材料领域项目：24个" in reply, reply


async def test_half_a_year_back_leaves_out_an_undated_signing(asker: BotHarness) -> None:
    reply = await ask(asker, "过去半年嘉兴签约了什么")
    assert "库里没有嘉兴高新区过去半年签约的项目记录" in reply, reply
    assert "丰茂嘉兴汽车零部件生产基地项目" in reply  # offered as the closest, undated


def test_years_back_from_today_and_last_year_apart() -> None:
    june = date(2026, 6, 2)
    half = q.parse("过去半年", june).period
    assert half is not None and (half.first_month, half.last_month) == (1, 6)
    two = q.parse("the past two years", june).period
    assert two is not None and (two.since, two.until) == ((2024, 7), (2026, 6))
    last = q.parse("last year", june).period
    assert last is not None and last.relative == "last" and last.first_month is None


async def test_a_zone_named_with_an_amount_is_not_the_last_record(asker: BotHarness) -> None:
    await ask(asker, "德加能源研发中心有多大")
    reply = await ask(asker, "昆山高新区注册资本咋样")
    assert "科技项目累计注册资本：6.63亿元（1—5月）" in reply, reply
    assert "德加" not in reply


@pytest.mark.parametrize(
    ("message", "wanted"),
    [("zone kunshan", "主要数据（来源报道的数字）"), ("search 招聘会", "搜索“招聘会”")],
)
async def test_a_command_word_without_its_slash_runs_the_command(
    asker: BotHarness, message: str, wanted: str
) -> None:
    reply = await ask(asker, message)
    assert wanted in reply, reply


def test_command_words_need_a_word_of_their_own() -> None:
    assert ask_input.command_word("zone kunshan") == ("zone", "kunshan")
    assert ask_input.command_word("搜索 招聘会") == ("search", "招聘会")
    assert ask_input.command_word("zones in jiangsu") is None
    assert ask_input.command_word("searching for batteries") is None
    assert ask_input.command_word("zone") is None


async def test_two_zones_asked_where_in_english(asker: BotHarness) -> None:
    reply = await ask(asker, "Jiaxing and Changde: which province is each in?", "en")
    assert "Zhejiang" in reply and "Hunan" in reply, reply


# ---- a company's projects --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "lang", "wanted"),
    [
        ("德加能源有啥项目", "zh-hans", "德加能源的项目（1个）"),
        ("丰茂有几个项目", "zh-hans", "丰茂股份的项目（1个）"),
        ("does dejia energy have any projects?", "en", "Projects of Suzhou Dejia Energy"),
    ],
)
async def test_a_companys_projects_are_listed_not_called_unknown(
    asker: BotHarness, question: str, lang: str, wanted: str
) -> None:
    reply = await ask(asker, question, lang)
    assert wanted in reply, reply
    assert "页面未提及" not in reply and "don't say" not in reply


async def test_a_company_without_projects_says_so(asker: BotHarness) -> None:
    reply = await ask(asker, "南玻玻璃有哪些项目")
    assert "库里没有南玻玻璃的项目记录" in reply, reply


# ---- names asked about together, the last N, 谁…多 -----------------------------------------


async def test_two_zones_joined_are_each_answered(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山和咸宁的主导产业分别是什么")
    kunshan, xianning = (
        reply.index("主导产业：电子信息、装备制造"),
        reply.index("主导产业：智能制造"),
    )
    assert kunshan < xianning, reply
    assert "159" not in reply  # not the figures of the first zone


@pytest.mark.parametrize(
    ("question", "lang", "wanted"),
    [
        (
            "德加能源和丰茂分别在哪个园区",
            "zh-hans",
            ["所在园区：昆山高新区", "所在园区：嘉兴高新区"],
        ),
        ("Where are Dejia Energy and Fengmao?", "en", ["Zone: Kunshan", "Zone: Jiaxing"]),
    ],
)
async def test_two_companies_joined_are_each_answered(
    asker: BotHarness, question: str, lang: str, wanted: list[str]
) -> None:
    reply = await ask(asker, question, lang)
    for fact in wanted:
        assert fact in reply, reply


async def test_the_last_three_fields_smallest_first(asker: BotHarness) -> None:
    reply = await ask(asker, "昆山高新区项目最少的三个领域")
    assert "最少的3个领域：\n1. 生命健康（医美）领域项目：11个\n2. 新能源领域项目：18个" in reply, (
        reply
    )


async def test_who_has_more_between_two_zones_is_a_comparison(asker: BotHarness) -> None:
    reply = await ask(asker, "咸宁高新区跟嘉兴高新区，谁的项目多？")
    assert "咸宁高新区、嘉兴高新区没有这项数字（来源未报道），无法比较" in reply, reply
    assert "咸宁高新区 0个、嘉兴高新区 1个" in reply


# ---- weeks and days; recent items in a time ---------------------------------------------------


@pytest.mark.parametrize(
    ("question", "lang", "wanted"),
    [
        ("上周签约了什么", "zh-hans", "库里没有上周签约的项目记录"),
        ("今天有什么签约", "zh-hans", "库里没有今天签约的项目记录"),
        ("anything signed last week?", "en", "No record of projects signed (last week)"),
    ],
)
async def test_a_week_or_a_day_holds_nothing_known_only_to_the_month(
    asker: BotHarness, question: str, lang: str, wanted: str
) -> None:
    reply = await ask(asker, question, lang)
    assert wanted in reply, reply


def test_days_are_placed_from_today_and_need_a_dated_fact() -> None:
    tuesday = date(2026, 6, 2)
    last_week = q.parse("上周签约了什么", tuesday).period
    assert last_week is not None and last_week.days == (date(2026, 5, 25), date(2026, 5, 31))
    assert q.period_covers(last_week, 2026, 5, None, 2026, exact=False, day=27)
    assert not q.period_covers(last_week, 2026, 5, None, 2026, exact=False)  # month only
    assert not q.period_covers(last_week, 2026, 6, None, 2026, exact=False, day=1)


async def test_recent_items_asked_of_a_time_say_none_is_dated_in_it(asker: BotHarness) -> None:
    reply = await ask(asker, "咸宁高新区最近一个月有啥动态")
    assert "库里没有咸宁高新区最近一个月的动态记录" in reply, reply
    assert "崇阳、通山专场招聘会" in reply  # the latest held follow, each with its own date


@pytest.mark.parametrize(
    ("question", "lang", "wanted"),
    [
        ("what's up", "en", "Hi! I'm 招商助手"),
        ("Who is the boss of Fengmao?", "en", "The source names no person for it."),
        ("丰茂的法人是谁", "zh-hans", "页面没有给出负责人姓名"),
        (
            "any signings in kunshan hi-tech zone this month?",
            "en",
            "No record of projects signed (this month)",
        ),
    ],
)
async def test_other_everyday_wordings(
    asker: BotHarness, question: str, lang: str, wanted: str
) -> None:
    reply = await ask(asker, question, lang)
    assert wanted in reply, reply
