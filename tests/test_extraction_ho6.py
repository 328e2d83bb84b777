"""The sixth held-out round (tests/articles/ho6-*, written with their key facts before the
extractor was run on them) and the rules it led to: articles in traditional characters, a
social-media post broken over short lines, a table copied from a PDF with its layout, a city's
figures beside the zone's, last year's figure for comparison, one phase's investment, several
zones in one text, and English wire copy (a zone's rank, "rose N percent to Y", an output a
year, a city "as a whole"). The articles are drafted as the CLI drafts them, against a real
store with the 411-zone directory, and scored on their structured fields only (the review
sentences left out); the unit tests use texts of their own, not the articles'."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.extraction import Article, KnownZone, extract
from bot.core.extraction.hant import is_traditional, simplified
from bot.core.extraction.text import joined_post_lines, layout_tables_as_sentences, numbers
from bot.core.matching import ZoneIndex
from bot.core.records import FactFile
from bot.core.values import Amount, Qualifier, Quantity
from tests.test_extraction import GOLDS, score
from tests.test_extraction_ho3 import draft, drafted, stored_zones

HO6 = sorted(stem for stem in GOLDS if stem.startswith("ho6-"))


@pytest.fixture(scope="module")
def store_zones(tmp_path_factory: pytest.TempPathFactory) -> tuple[ZoneIndex, list[KnownZone]]:
    return stored_zones(tmp_path_factory, "ho6")


def without_review(node: Any) -> Any:
    """The draft's structured fields only: the review sentences quote the article and would
    hold any fact."""
    if isinstance(node, dict):
        return {k: without_review(v) for k, v in node.items() if k != "review"}
    if isinstance(node, list):
        return [without_review(v) for v in node]
    return node


def figures_of(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["value"]: f for f in doc.get("figures", [])}


# ---- the held-out articles, as the store drafts them ------------------------------------------


@pytest.mark.parametrize("stem", HO6)
def test_each_ho6_article_is_drafted_with_its_facts_in_fields_and_nothing_invented(
    stem: str, store_zones: tuple[ZoneIndex, list[KnownZone]]
) -> None:
    doc = drafted(stem, store_zones)
    recalled, total, invented, _zone = score(stem, without_review(doc))
    assert invented == [], f"numbers not in the article: {invented}"
    assert recalled == total, f"{stem}: {recalled}/{total} key facts"


def test_the_ho6_round_recalls_every_key_fact(
    store_zones: tuple[ZoneIndex, list[KnownZone]],
) -> None:
    recalled = total = 0
    for stem in HO6:
        got, of, _invented, _zone = score(stem, without_review(drafted(stem, store_zones)))
        recalled, total = recalled + got, total + of
    assert len(HO6) >= 10 and total >= 150
    assert recalled == total, f"{recalled}/{total}"


def test_a_traditional_article_keeps_its_own_characters_and_is_filed_under_its_zone(
    store_zones: tuple[ZoneIndex, list[KnownZone]],
) -> None:
    index, _zones = store_zones
    doc = drafted("ho6-xiamen-trad", store_zones)
    wanted = index.resolve("厦门火炬高新区").zone_id
    assert {r["zone"] for s in ("projects", "events", "figures") for r in doc[s]} == {wanted}
    (event,) = doc["events"]
    assert {"name_zh": "簽約項目總投資", "value": "約42億元"} in event["figures"]
    names = {c["name_zh"] for c in doc["companies"]}
    assert "台灣鴻泰光電股份有限公司" in names


def test_the_trap_articles_figures_carry_whose_and_when_they_are(
    store_zones: tuple[ZoneIndex, list[KnownZone]],
) -> None:
    doc = drafted("ho6-lanzhou-traps", store_zones)
    figures = figures_of(doc)
    assert figures["近200亿元"]["period"] == "2025-01/2025-09"
    assert "去年同期" in figures["146亿元"]["name_zh"] and "period" not in figures["146亿元"]
    assert figures["31个"]["period"] == "2025-01/2025-09"  # the part after ；
    assert figures["1860亿元"]["name_zh"].startswith("兰州市")  # the city's, not the zone's
    assert "力争" in figures["突破260亿元"]["name_zh"]
    (electrolyser,) = [p for p in doc["projects"] if "电解槽" in p["name_zh"]]
    assert "total_investment" not in electrolyser  # 约30亿元 is 计划总投资, 12亿元 one phase
    assert {"name_zh": "一期投资", "value": "12亿元"} in electrolyser["figures"]
    firm = next(c for c in doc["companies"] if c["id"] == electrolyser["company"])
    assert firm["highlights_zh"] == ["2024年营业收入超80亿元"]


def test_a_city_release_files_each_zones_figures_and_projects_under_it(
    store_zones: tuple[ZoneIndex, list[KnownZone]],
) -> None:
    index, _zones = store_zones
    doc = drafted("ho6-weifang-release", store_zones)
    binhai = index.resolve("潍坊滨海经开区").zone_id
    hitech = index.resolve("潍坊高新区").zone_id
    figures = figures_of(doc)
    assert figures["9个"]["zone"] == figures["88亿元"]["zone"] == binhai
    assert figures["14个"]["zone"] == hitech
    (oil,) = [p for p in doc["projects"] if "润滑油" in p["name_zh"]]
    assert oil["zone"] == binhai


# ---- traditional characters -------------------------------------------------------------------

HK_TEXT = (
    "大埔科技園簽約 新項目落戶\n"
    "來源：香港商報  2025年3月5日\n"
    "4日，蘇州工業園區舉行港資項目簽約儀式，共簽約8個項目，總投資約36億元。"
    "其中，港灣醫療器械有限公司將投資12億元建設高端醫療器械生產基地，占地約60畝。\n"
)


def test_a_text_in_traditional_characters_is_drafted_in_them() -> None:
    assert is_traditional(HK_TEXT)
    assert not is_traditional("香港宏泰實業集团在区内投资建设智能仓储物流园项目。")  # one name
    assert len(simplified(HK_TEXT)) == len(HK_TEXT)  # one character for one
    doc = draft(HK_TEXT, (KnownZone("sip", ("苏州工业园区",)),))
    (event,) = doc["events"]
    assert event["zone"] == "sip" and event["date"] == "2025-03-04"
    assert {"name_zh": "簽約項目", "value": "8個"} in event["figures"]
    (base,) = doc["projects"]
    assert base["name_zh"] == "高端醫療器械生產基地"
    assert (base["total_investment"], base["land_mu"]) == ("12億元", "約60畝")


def test_the_value_types_read_traditional_hedges_and_units_and_keep_the_text() -> None:
    about = Amount.parse("約42億元")
    assert (about.value, about.unit, about.qualifier) == (42, "亿元", Qualifier.ABOUT)
    assert about.text() == "約42億元"
    assert Amount.parse("逾3000萬美元").unit == "万美元"
    land = Quantity.parse("約85畝")
    assert land.text() == "約85畝" and land.qualifier is Qualifier.ABOUT


# ---- a post broken over short lines -----------------------------------------------------------

BROKEN_POST = (
    "🔥好消息！嘉兴经开区又有新项目\n"
    "嘉兴经开区发布  2025-06-11 19:02 浙江\n"
    "\n"
    "📌6月10日上午\n"
    "嘉兴经开区数字经济产业\n"
    "项目签约仪式\n"
    "在国际商务区举行\n"
    "\n"
    "现场签约项目８个\n"
    "总投资达３２亿元\n"
    "\n"
    "项目一\n"
    "禾芯微电子有限公司\n"
    "功率芯片封装项目\n"
    "总投资：１５亿元\n"
    "\n"
    "快来看看都有哪些新项目吧\n"
)


def test_a_posts_sentence_broken_over_lines_is_read_whole() -> None:
    joined = joined_post_lines(BROKEN_POST)
    assert "6月10日上午，嘉兴经开区数字经济产业项目签约仪式在国际商务区举行" in joined
    assert "现场签约项目８个，总投资达３２亿元" in joined
    assert "\n项目一\n" in joined  # a list's heading stays a line of its own
    doc = draft(BROKEN_POST)
    (event,) = doc["events"]
    assert event["date"] == "2025-06-10"
    assert {"name_zh": "签约项目", "value": "8个"} in event["figures"]
    (chip,) = doc["projects"]  # 都有哪些新项目: an aside, no project
    assert chip["name_zh"] == "功率芯片封装项目" and chip["total_investment"] == "15亿元"
    assert "项目一" not in doc["sources"][0].get("authors", [])


def test_an_article_with_punctuated_lines_is_left_as_it_is() -> None:
    text = "嘉兴经开区招商\n来源：嘉兴日报\n\n今年以来，签约项目12个。\n\n总投资50亿元。\n"
    assert joined_post_lines(text) == text


# ---- a table copied from a PDF ---------------------------------------------------------------

PDF_TABLE = (
    "湘潭经开区2025年重点项目表\n"
    "湘潭经开区管委会  2025年4月2日\n"
    "序号  项目名称          建设单位              总投资    建设内容\n"
    "                                              （万元）\n"
    "1     新能源电机壳体    湘江精密铸造有限      56000     年产电机壳体50万件\n"
    "      项目              公司\n"
    "                         — 1 —\n"
    "2     工业软件园        湘潭云途软件有限      12000     建设研发楼2万平方米\n"
    "                        公司\n"
    "合计                                          68000\n"
)


def test_a_pdf_tables_rows_are_read_with_their_wrapped_cells_and_header_units() -> None:
    rows = layout_tables_as_sentences(PDF_TABLE)
    assert (
        "序号：1，项目名称：新能源电机壳体项目，建设单位：湘江精密铸造有限公司，"
        "总投资（万元）：56000，建设内容：年产电机壳体50万件。"
    ) in rows
    assert "— 1 —" not in rows
    doc = draft(PDF_TABLE)
    housing = next(p for p in doc["projects"] if p["name_zh"] == "新能源电机壳体项目")
    assert {"name_zh": "总投资(万元)", "value": "56000"} in housing["figures"]
    assert "total_investment" not in housing  # a bare 56000 would read as 56000万元 … or not
    firm = next(c for c in doc["companies"] if c["id"] == housing["company"])
    assert firm["name_zh"] == "湘江精密铸造有限公司"


def test_a_unit_alone_in_brackets_is_no_number_and_a_byline_is_no_table() -> None:
    assert numbers("总投资（亿元）") == []
    assert numbers("总投资（三亿元）")[0].text == "三亿元"
    byline = "来源：湘潭日报  记者 王芳  时间：2025年4月2日\n湘潭经开区签约项目3个。\n"
    assert layout_tables_as_sentences(byline) == byline


# ---- Chinese rules -----------------------------------------------------------------------------


def test_a_firms_own_figure_is_its_highlight() -> None:
    doc = draft(
        "常州经开区：一项目签约\n"
        "5月6日，常州经开区与龙城动力有限公司签约储能系统项目，总投资20亿元。"
        "龙城动力有限公司2024年实现营业收入56亿元。\n"
    )
    (firm,) = doc["companies"]
    assert "2024年实现营业收入56亿元" in firm["highlights_zh"]
    (project,) = doc["projects"]
    assert project["total_investment"] == "20亿元"


def test_two_events_joined_and_a_site_are_no_projects() -> None:
    doc = draft(
        "盐城高新区推介会举行\n"
        "6月3日，盐城高新区投资推介会暨项目签约仪式在上海举行，签约项目6个。"
        "其中，盐芯科技有限公司传感器项目总投资8亿元，拟选址盐城高新区智能终端产业园。\n"
    )
    names = [p["name_zh"] for p in doc["projects"]]
    assert names == ["传感器项目"]


def test_the_same_day_is_the_day_of_the_event_before() -> None:
    doc = draft(
        "宜宾三江新区项目集中开工\n"
        "3月18日，宜宾三江新区一季度重大项目集中开工仪式举行，开工项目16个。"
        "当天，川南锂电有限公司正极材料项目同步投产，总投资9亿元。\n"
    )
    (project,) = doc["projects"]
    assert (project["stage"], project["stage_date"]) == ("production", "XXXX-03-18")
    assert "当天" in project["review"]["stage_date_note"]


def test_a_line_being_enlarged_is_a_project_and_a_taiwan_growth_word_a_change() -> None:
    doc = draft(
        "昆山开发区台企增资\n"
        "4月9日，昆山开发区昆达电子有限公司扩建柔性电路板产线，增资5000万美元。"
        "一季度，昆山开发区实际使用台资1.6亿美元，年增12%。\n"
    )
    (line,) = doc["projects"]
    assert line["name_zh"] == "柔性电路板产线"
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}  # the zone's, not the line's
    assert "实际使用台资" in labels["12%"] and "period" not in doc["figures"][0]


def test_each_part_of_a_sentence_keeps_its_own_period() -> None:
    doc = draft(
        "芜湖经开区经济运行\n"
        "今年1-10月，芜湖经开区工业总产值1200亿元；上半年，固定资产投资增长8%；"
        "新签约项目28个。\n"
    )
    figures = figures_of(doc)
    assert figures["1200亿元"]["period"] == "XXXX-01/XXXX-10"
    assert "period" not in figures["8%"] and "上半年" in figures["8%"]["name_zh"]
    assert figures["28个"]["period"] == "XXXX-01/XXXX-10"


def test_last_years_figure_and_a_citys_figures_say_whose_they_are() -> None:
    doc = draft(
        "襄阳高新区招商\n"
        "上半年，襄阳高新区签约资金320亿元，去年同期为260亿元。同期，襄阳市签约项目150个，"
        "签约资金900亿元。\n"
    )
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}
    assert "签约资金去年同期" in labels["260亿元"] and "period" not in figures_of(doc)["260亿元"]
    assert labels["900亿元"].startswith("襄阳市")


def test_one_phases_investment_is_no_total() -> None:
    doc = draft(
        "马鞍山经开区项目签约\n"
        "8月2日，马鞍山经开区江东新材料有限公司碳纤维项目签约，首期投资6亿元。\n"
    )
    (project,) = doc["projects"]
    assert "total_investment" not in project
    assert {"name_zh": "首期投资", "value": "6亿元"} in project["figures"]


def test_a_units_of_energy_and_inches_are_read_whole() -> None:
    assert [n.text for n in numbers("装机容量100兆瓦时")] == ["100兆瓦时"]
    doc = draft(
        "合肥高新区项目签约\n5月1日，合肥高新区晶芯有限公司8吋晶圆项目签约，总投资30亿元。\n"
    )
    (project,) = doc["projects"]
    assert project["name_zh"] == "8吋晶圆项目"


# ---- English rules ----------------------------------------------------------------------------


def english(text: str) -> dict[str, Any]:
    zones = (KnownZone("nanning-hitech", ("Nanning Hi-tech Industrial Development Zone",)),)
    doc = extract(Article(text), zones, source_id="s")
    FactFile.model_validate(doc)
    return doc


def test_english_a_zones_rank_and_what_rose_to_what() -> None:
    doc = english(
        "Nanning zone grows\n"
        "Xinhua | 2025-08-02\n"
        "NANNING, Aug. 1 (Xinhua) -- The Nanning National Hi-tech Industrial Development Zone "
        "in Guangxi Zhuang Autonomous Region said its exports rose 9.5 percent year on year to "
        "12.3 billion yuan in the first half.\n"
    )
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}
    assert labels["12.3 billion yuan"].endswith("exports")  # not "year on year"
    assert "year on year" in labels["9.5 percent"]
    assert {f["zone"] for f in doc["figures"]} == {"nanning-hitech"}


def test_english_a_firms_groundbreaking_a_years_output_and_a_citys_totals() -> None:
    doc = english(
        "Nanning Hi-tech Industrial Development Zone adds a plant\n"
        "China Daily | 2025-08-02\n"
        "Guibao Motors Co., Ltd. broke ground on a 2.4 billion yuan ($330 million) motor plant "
        "in the Nanning Hi-tech Industrial Development Zone on Friday. The plant can turn out "
        "300,000 motors a year.\n"
        "Nanning as a whole signed 210 projects worth 96 billion yuan in the first half.\n"
    )
    assert "events" not in doc  # one firm's plant, and the city's signings: no zone event
    (plant,) = doc["projects"]
    assert plant["name_zh"] == "motor plant"
    assert (plant["stage"], plant["total_investment"]) == ("construction", "2.4 billion yuan")
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}
    assert labels["96 billion yuan"].startswith("Nanning as a whole")
    assert labels["210"].startswith("Nanning as a whole")
    assert any(f["value"] == "300,000 motors" for f in plant.get("figures", []))


# ---- more rules, found by probing texts of the same kinds ----------------------------------


def test_a_whole_year_is_a_figures_period_so_last_years_figure_stays_last_years() -> None:
    doc = draft(
        "常州高新区经济运行\n"
        "来源：常州日报  2025年1月20日\n"
        "2024年，常州高新区实现营业收入3600亿元，同比增长7.2%。"
        "2023年，全区营业收入为3358亿元。到2027年，力争营业收入突破5000亿元。\n"
    )
    figures = figures_of(doc)
    assert figures["3600亿元"]["period"] == figures["7.2%"]["period"] == "2024"
    assert figures["3358亿元"]["period"] == "2023"
    assert "period" not in figures["突破5000亿元"]  # 到2027年: the end of a span, no period


def test_a_percentage_point_is_one_unit_and_arrival_keeps_its_word() -> None:
    assert [n.text for n in numbers("增速回升1.5个百分点")] == ["1.5个百分点"]
    doc = draft("台州湾经开区一季度\n一季度，台州湾经开区新落地项目18个，到位资金42亿元。\n")
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}
    assert "到位资金" in labels["42亿元"]


def test_a_firms_name_keeps_a_character_that_is_also_a_word() -> None:
    doc = draft(
        "扬州高新区与华为签约\n"
        "3月11日，扬州高新区与华为技术有限公司签署合作协议，共建人工智能创新中心项目，"
        "总投资5亿元。\n"
    )
    assert "华为技术有限公司" in {c["name_zh"] for c in doc["companies"]}


def test_a_coded_project_and_its_phases() -> None:
    doc = draft(
        "惠州仲恺高新区：一项目二期投产\n"
        "来源：惠州日报  2025年6月30日\n"
        "6月29日，仲恺高新区华显光电有限公司k7项目二期正式投产，二期总投资80亿元。"
        "据了解，k7项目一期于2023年投产，总投资120亿元。\n"
    )
    (project,) = doc["projects"]
    assert project["name_zh"] == "k7项目" and project["stage"] == "production"
    assert "total_investment" not in project  # each amount is one phase's
    assert {"name_zh": "二期总投资", "value": "80亿元"} in project["figures"]
    assert {"name_zh": "一期总投资", "value": "120亿元"} in project["figures"]


def test_a_credit_line_with_the_reporter_between_gives_the_dateline() -> None:
    doc = draft(
        "钦州港经开区签约3个项目\n"
        "来源：钦州日报  记者 韦芳  2025年11月6日\n"
        "5日，钦州港经开区签约3个项目，总投资12亿元。\n"
    )
    assert doc["sources"][0]["date"] == "2025-11-06"


def test_hong_kong_words_for_a_quarter_and_a_change() -> None:
    doc = draft(
        "東莞松山湖港資企業\n"
        "來源：香港商報  2025年4月18日\n"
        "今年首季，東莞松山湖高新區新設港資企業38家，實際利用港資3.2億美元，按年增長18%。\n"
    )
    figures = figures_of(doc)
    assert "今年首季" in figures["38家"]["name_zh"]
    assert "實際利用港資" in figures["18%"]["name_zh"]


def test_a_measure_joined_to_a_count_by_a_comma_of_enumeration_is_that_counts() -> None:
    doc = draft(
        "绵阳经开区集中开工暨投产\n"
        "11月5日，绵阳经开区重大项目集中开工暨投产活动举行。本次集中开工项目12个、总投资86亿元，"
        "集中投产项目5个、总投资约30亿元。\n"
    )
    (event,) = doc["events"]
    labels = {f["value"]: f["name_zh"] for f in event["figures"]}
    assert labels["86亿元"].startswith("本次集中开工项目")
    assert labels["约30亿元"].startswith("集中投产项目")


def test_an_amount_in_brackets_after_a_name_is_that_projects() -> None:
    doc = draft(
        "贵阳高新区集中开工\n"
        "8月8日，贵阳高新区集中开工项目10个，其中包括黔芯半导体封测项目（总投资30亿元）、"
        "筑云数据中心（总投资12亿元）等。\n"
    )
    investment = {p["name_zh"]: p.get("total_investment") for p in doc["projects"]}
    assert investment == {"黔芯半导体封测项目": "30亿元", "筑云数据中心": "12亿元"}
    assert not any(f["value"] in ("30亿元", "12亿元") for f in doc.get("figures", []))


def test_last_years_same_period_opening_a_sentence_is_its_period_word() -> None:
    doc = draft(
        "江宁经开区利用外资\n"
        "今年1-6月，江宁经开区实际使用外资3.1亿美元。去年同期，江宁经开区实际使用外资为2.7亿美元。\n"
    )
    figures = figures_of(doc)
    assert figures["3.1亿美元"]["period"] == "XXXX-01/XXXX-06"
    assert "去年同期" in figures["2.7亿美元"]["name_zh"] and "period" not in figures["2.7亿美元"]


def test_a_foreign_countrys_figures_in_the_zone_keep_the_country() -> None:
    doc = draft(
        "苏州工业园区与新加坡合作\n"
        "截至目前，新加坡在苏州工业园区累计投资项目超400个，实际使用外资超70亿美元。\n"
    )
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}
    assert "新加坡" in labels["超70亿美元"]


def test_english_the_zones_apposition_a_ranking_and_what_an_amount_is() -> None:
    zones = (KnownZone("sip", ("Suzhou Industrial Park",)),)
    doc = extract(
        Article(
            "Foreign firms upbeat on Suzhou Industrial Park\n"
            "China Daily | 2025-10-16\n"
            "Suzhou Industrial Park, a flagship China-Singapore cooperation project, utilized "
            "$1.45 billion in foreign investment in the first three quarters. The park is home "
            "to 156 projects by Fortune Global 500 companies.\n"
        ),
        zones,
        source_id="s",
    )
    FactFile.model_validate(doc)
    assert "projects" not in doc  # the zone described, no project
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}
    assert "foreign investment" in labels["$1.45 billion"]
    assert "500" not in labels  # part of "Fortune Global 500"
    assert "156" in labels


def test_taiwans_dates_first_months_and_a_plant_being_built() -> None:
    doc = draft(
        "昆山開發區台資項目簽約\n"
        "中央社  2025/05/14\n"
        "江蘇昆山開發區今（14）日舉行台資項目簽約儀式，共有12個項目簽約。其中，台灣精聯電子股份有限公司"
        "將投資2.5億美元，於區內興建車用晶片封裝測試廠。今年前4月，昆山開發區新設台資企業27家。\n",
        (KnownZone("kunshan-etdz", ("昆山经济技术开发区", "昆山开发区")),),
    )
    (event,) = doc["events"]
    assert event["date"] == "2025-05-14"
    (plant,) = doc["projects"]
    assert (plant["name_zh"], plant["total_investment"]) == ("車用晶片封裝測試廠", "2.5億美元")
    assert figures_of(doc)["27家"]["period"] == "2025-01/2025-04"  # 前4月: January to April


def test_an_amount_after_a_count_says_whose_and_the_zone_ends_the_citys_run() -> None:
    doc = draft(
        "襄阳市重大项目建设通报\n"
        "1-7月，全市新签约亿元以上项目426个，协议投资2860亿元，其中襄阳高新区签约项目98个、"
        "协议投资812亿元。\n"
    )
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}
    assert labels["2860亿元"].startswith("全市")
    assert labels["812亿元"] == "襄阳高新区签约项目协议投资"  # the zone's, not the city's


def test_a_forecast_for_the_year_in_a_half_years_sentence_is_no_half_year_figure() -> None:
    doc = draft(
        "宁波高新区上半年工作总结\n"
        "上半年，宁波高新区实现规上工业增加值86.5亿元；预计全年可完成规上工业增加值180亿元左右。"
        "下半年，确保年内开工项目不少于30个。\n"
    )
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}
    assert "上半年" in labels["86.5亿元"]
    assert "上半年" not in labels["180亿元左右"] and "预计全年" in labels["180亿元左右"]
    assert "projects" not in doc  # 确保年内开工项目: a goal, no project


def test_digits_of_two_lines_of_a_wrapped_cell_never_make_one_number() -> None:
    table = (
        "序号  项目名称        建设内容            总投资（万元）\n"
        "1     储能电池项目    新建电池生产线2     5600\n"
        "                      3条\n"
    )
    rows = layout_tables_as_sentences(table)
    assert "新建电池生产线2 3条" in rows and "23条" not in rows


def test_a_new_area_the_events_among_and_respective_changes() -> None:
    doc = draft(
        "临港新片区重点项目集中签约\n"
        "9月26日，临港新片区举行重点产业项目集中签约活动，共有26个项目签约，总投资约421亿元。\n"
        "其中，外资项目6个，总投资约8.6亿美元。\n"
        "今年以来，临港新片区已累计签约重点产业项目98个，总投资超1600亿元，"
        "分别比去年同期增长18%和25%。\n"
    )
    assert doc["zones"][0]["name_zh"] == "临港新片区"
    (event,) = doc["events"]
    assert {"name_zh": "外资项目", "value": "6个"} in event["figures"]  # 其中: the event's
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}
    assert "重点产业项目比去年同期增长" in labels["18%"]
    assert "总投资比去年同期增长" in labels["25%"]
    assert "今年以来" in labels["25%"]  # this year's growth, not last year's figure


def test_english_a_zone_in_lower_case_and_a_running_total_that_is_no_event() -> None:
    zones = (KnownZone("wuxi-hitech", ("Wuxi High-tech Zone",)),)
    doc = extract(
        Article(
            "Wuxi zone courts chipmakers\n"
            "Xinhua | 2025-03-20\n"
            "NANJING, March 19 (Xinhua) -- The Wuxi high-tech zone in east China's Jiangsu "
            "Province has signed 18 integrated circuit projects so far this year, with a total "
            "investment of about 26 billion yuan, local authorities said Wednesday.\n"
        ),
        zones,
        source_id="s",
    )
    FactFile.model_validate(doc)
    assert "events" not in doc  # a total of the year so far, not a signing ceremony
    values = {f["value"]: f for f in doc["figures"]}
    assert values["18"]["zone"] == "wuxi-hitech"
    assert "about 26 billion yuan" in values
