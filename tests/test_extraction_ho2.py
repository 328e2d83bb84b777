"""Rules found by the second held-out round (tests/articles/ho2-*): a WeChat post's emoji and
field lines, bounds in words (不少于), 今日 with a dateline, numbers inside names, amounts in
other currencies, a decline's subject. Each checks what a reviewer would see in the draft; the
texts are not the held-out articles' own."""

from __future__ import annotations

from typing import Any

from bot.core.extraction import Article, KnownZone, extract
from bot.core.extraction.rules import slug
from bot.core.extraction.text import normalise
from bot.core.records import FactFile
from bot.core.values import Amount, Qualifier, Quantity


def draft(text: str) -> dict[str, Any]:
    doc = extract(Article(text), (), source_id="s")
    FactFile.model_validate(doc)  # what import reads
    return doc


def project_named(doc: dict[str, Any], part: str) -> dict[str, Any]:
    (project,) = [p for p in doc["projects"] if part in p["name_zh"]]
    return project


def every_id(doc: dict[str, Any]) -> list[str]:
    return [item["id"] for section in doc.values() if isinstance(section, list) for item in section]


POST = (
    "🎉好消息！绵阳高新区一周签下两个大项目\n"
    "绵阳高新区 2025-05-09 20:15 四川\n"
    "5月8日，绵阳高新区项目签约会举行，2个项目现场签约。\n"
    "✅ 项目一：川仪精测科技有限公司精密传感器制造项目\n"
    "▪️ 总投资：20亿元\n"
    "▪️ 用地：约80亩\n"
    "▪️ 达产后年产值：不少于30亿元\n"
    "▪️ 预计年纳税：近1亿元\n"
    "✅ 项目二：涪江云算数据中心项目\n"
    "▪️ 投资方：绵阳涪江云算科技有限公司\n"
    "▪️ 总投资：6.5亿元\n"
    "▪️ 建筑面积：2.2万㎡\n"
    "💡 小编说\n"
    "今年以来，全区新签约项目41个👍\n"
)


def test_a_posts_field_lines_belong_to_the_project_on_the_line_above() -> None:
    doc = draft(POST)
    sensor = project_named(doc, "精密传感器")
    assert sensor["total_investment"] == "20亿元"
    assert sensor["land_mu"] == "约80亩"
    assert sensor["annual_output"] == "不少于30亿元"  # the bound kept as written
    assert {"name_zh": "预计年纳税", "value": "近1亿元"} in sensor["figures"]
    cloud = project_named(doc, "数据中心")
    assert cloud["total_investment"] == "6.5亿元"
    assert cloud["floor_area_m2"] == "2.2万平方米"
    firm = next(c for c in doc["companies"] if c["id"] == cloud["company"])
    assert firm["name_zh"] == "绵阳涪江云算科技有限公司"
    # none of the field lines is a zone figure of its own
    assert not any(f["value"] in ("20亿元", "6.5亿元") for f in doc.get("figures", []))


def test_a_posts_emoji_stay_out_and_its_header_line_is_the_dateline() -> None:
    doc = draft(POST)
    text = str(doc)
    for mark in ("🎉", "✅", "▪", "💡", "👍", "\ufe0f"):
        assert mark not in text
    (source,) = doc["sources"]
    assert source["date"] == "2025-05-09"
    assert source["publication"] == "绵阳高新区"
    assert "小编说" not in source.get("authors", [])
    (event,) = doc["events"]
    assert event["date"] == "2025-05-08"
    assert normalise("二○二五年 ●签约") == "二○二五年 签约"  # ○ is a zero, not a bullet


def test_records_of_one_name_each_get_an_id_of_their_own() -> None:
    taken: set[str] = set()
    ids = [slug("f", "总投资", taken) for _ in range(4)]  # four 总投资 lines of one post
    assert len(set(ids)) == 4 and all(len(i) <= 48 for i in ids)
    doc = draft(POST.replace("✅ 项目一：川仪精测科技有限公司精密传感器制造项目\n", ""))
    every = every_id(doc)
    assert len(every) == len(set(every))


def test_a_bound_in_words_is_read_and_kept_as_written() -> None:
    low = Amount.parse("不低于300亿元")
    assert low.text() == "不低于300亿元" and low.qualifier is Qualifier.OVER
    assert Amount.parse(low.text()) == low  # stored and read back
    high = Amount.parse("不超过5000万美元")
    assert high.qualifier is Qualifier.UNDER and high.currency == "USD"
    assert Quantity.parse("不少于200人").text() == "不少于200人"
    doc = draft(
        "潍坊高新区签约精机项目\n"
        "6月3日，潍坊高新区与潍柴精机有限公司签约，建设精密齿轮项目，总投资不超过8亿元，"
        "达产后年产值不低于12亿元。\n"
    )
    project = project_named(doc, "精密齿轮")
    assert project["total_investment"] == "不超过8亿元"
    assert project["annual_output"] == "不低于12亿元"


def test_today_in_a_press_release_is_the_datelines_day_and_says_so() -> None:
    release = (
        "宜宾三江新区重大项目集中开工\n"
        "发布时间：2025-03-01 10:32  来源：宜宾三江新区管委会\n"
        "{day}上午，宜宾三江新区2025年重大项目集中开工活动举行，12个项目集中开工。\n"
    )
    today = draft(release.format(day="今日"))
    (event,) = today["events"]
    assert event["date"] == "2025-03-01"
    assert "今日" in event["review"]["date_note"] and "2025-03-01" in event["review"]["date_note"]
    (event,) = draft(release.format(day="昨日"))["events"]
    assert event["date"] == "2025-02-28"  # the day before, across the month
    undated = draft(release.format(day="今日").replace("发布时间：2025-03-01 10:32  ", ""))
    (event,) = undated["events"]
    assert event.get("date") is None  # no dateline: no date invented


def test_numbers_inside_a_project_name_stay_in_it() -> None:
    doc = draft(
        "襄阳高新区三个项目签约\n"
        "7月2日，襄阳高新区集中签约3个项目：汉水通信有限公司5G专网设备研发生产项目总投资8亿元；"
        "襄江储能有限公司20GWh储能电池项目总投资60亿元；"
        "襄显光电有限公司第8.6代OLED模组基地项目总投资30亿元。\n"
    )
    names = {p["name_zh"] for p in doc["projects"]}
    assert "5G专网设备研发生产项目" in names
    assert "20GWh储能电池项目" in names
    assert "第8.6代OLED模组基地项目" in names


def test_an_amount_in_another_currency_ends_what_precedes_a_project_name() -> None:
    doc = draft(
        "大连经开区外资项目签约\n"
        "3月13日，大连经开区外资项目签约仪式举行。香港瑞航控股有限公司增资8亿港元扩建冷链仓储中心项目；"
        "日本丸和化工株式会社计划投资50亿日元建设电子材料项目。\n"
    )
    cold = project_named(doc, "冷链")
    assert cold["name_zh"] == "冷链仓储中心项目"
    assert {"name_zh": "增资", "value": "8亿港元"} in cold["figures"]  # the firm is its own field
    firms = {c["name_zh"] for c in doc["companies"]}
    assert "日本丸和化工株式会社" in firms
    materials = project_named(doc, "电子材料")
    assert {"name_zh": "计划投资", "value": "50亿日元"} in materials["figures"]


def test_a_decline_keeps_the_subject_of_its_figure() -> None:
    doc = draft(
        "2025年上半年东湖高新区经济运行简况\n"
        "上半年，东湖高新区外贸进出口总额625.4亿元，下降2.3%；社会消费品零售总额42.9亿元，增长4.1%。\n"
    )
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}
    assert "进出口" in labels["2.3%"] and "下降" in labels["2.3%"]
    assert "零售" in labels["4.1%"]


def test_an_officials_announcement_is_no_project() -> None:
    doc = draft(
        "南昌高新区重大项目集中开工\n"
        "6月18日，南昌高新区重大项目集中开工活动举行，16个项目集中开工。"
        "党工委书记出席活动并宣布项目开工。\n"
    )
    assert not any("宣布" in p["name_zh"] for p in doc.get("projects", []))


def test_a_paragraph_that_opens_with_another_zone_files_its_records_there() -> None:
    zones = (
        KnownZone("chengdu-hitech", ("成都高新技术产业开发区", "成都高新区")),
        KnownZone("chengdu-etdz", ("成都经济技术开发区", "成都经开区")),
    )
    text = (
        "成都两大开发区上半年招商成绩单\n"
        "上半年，成都高新区、成都经开区招商引资均实现“双过半”。\n"
        "成都高新区上半年新引进重大项目47个，总投资超860亿元。\n"
        "成都经开区聚焦汽车产业，上半年签约汽车及零部件项目19个，协议投资约185亿元。"
        "其中，天行汽车部件有限公司一体化压铸项目总投资32亿元。\n"
    )
    doc = extract(Article(text), zones, source_id="s")
    FactFile.model_validate(doc)
    zone_of = {f["value"]: f["zone"] for f in doc["figures"]}
    assert zone_of["47个"] == "chengdu-hitech" and zone_of["超860亿元"] == "chengdu-hitech"
    assert zone_of["19个"] == "chengdu-etdz" and zone_of["约185亿元"] == "chengdu-etdz"
    assert project_named(doc, "一体化压铸")["zone"] == "chengdu-etdz"
    # a count of a kind of project is a figure, not a project named 汽车及零部件项目
    assert not any("汽车及零部件" in p["name_zh"] for p in doc["projects"])


def test_amounts_and_counts_in_chinese_numerals_are_drafted_as_written() -> None:
    assert Amount.parse("一亿五千万元") == Amount.parse("1.5亿元")  # same value, for sorting
    assert Amount.parse("一亿五千万元").text() == "一亿五千万元"  # stored as written
    assert Amount.parse("约三十亿元").text() == "约三十亿元"
    assert Quantity.parse("两千余家").value == 2000
    doc = draft(
        "遵义高新区签约氢能项目\n"
        "8月5日，遵义高新区重点项目签约会举行，6个项目签约，总投资三十亿元。"
        "其中，黔遵新材料科技有限公司百吨级催化剂中试基地项目投资一亿五千万元。\n"
        "“十四五”以来，遵义高新区累计引进大数据企业两千余家，新增外贸企业逾百家。\n"
    )
    project = project_named(doc, "催化剂中试基地")
    assert project["total_investment"] == "一亿五千万元"
    assert project["name_zh"] == "百吨级催化剂中试基地项目"
    (event,) = doc["events"]
    assert any("总投资" in f["name_zh"] and f["value"] == "三十亿元" for f in event["figures"])
    values = {f["value"] for f in doc["figures"]}
    assert {"两千余家", "逾百家"} <= values
    # no number read out of a name or a plan's title
    assert not any(
        v.startswith(("百吨", "十四")) for v in values | {f["value"] for f in event["figures"]}
    )


def test_a_signed_agreement_is_the_projects_signing_with_its_date() -> None:
    doc = draft(
        "襄阳高新区签约智能底盘项目\n"
        "6月28日，襄阳高新区与鄂西智行汽车科技有限公司签订合作协议，"
        "后者将投资15亿元建设智能底盘研发制造基地项目。\n"
    )
    project = project_named(doc, "智能底盘")
    assert project["stage"] == "signed" and project["stage_date"] == "XXXX-06-28"
    assert "签订合作协议" in project["review"]["stage_note"]


def test_each_row_of_a_table_is_a_project_with_its_columns_figures() -> None:
    text = (
        "滨州经开区二季度重点项目集中签约\n"
        "5月20日，滨州经开区重点项目集中签约活动举行，集中签约3个项目。部分签约项目如下：\n"
        "{rows}\n"
        "活动现场，滨州经开区与2家银行签署战略合作协议。\n"
    )
    piped = (
        "| 序号 | 项目名称 | 投资主体 | 总投资 |\n"
        "|---|---|---|---|\n"
        "| 1 | 渤海生物创新药产业化项目 | 滨州渤海生物医药有限公司 | 36亿元 |\n"
        "| 2 | 黄河检测中心 | 滨州黄河检测技术有限公司 | 8000万美元 |"
    )
    tabbed = piped.replace(" | ", "\t").replace("| ", "").replace(" |", "")
    tabbed = "\n".join(line for line in tabbed.split("\n") if "---" not in line)
    for rows in (piped, tabbed):
        doc = draft(text.format(rows=rows))
        bio = project_named(doc, "创新药")
        assert bio["name_zh"] == "渤海生物创新药产业化项目"
        assert bio["total_investment"] == "36亿元"
        firm = next(c for c in doc["companies"] if c["id"] == bio["company"])
        assert firm["name_zh"] == "滨州渤海生物医药有限公司"
        lab = project_named(doc, "检测中心")  # a name under 项目名称 needs no 项目 suffix
        assert lab["total_investment"] == "8000万美元"
        assert not any("|" in str(p.get("figures", "")) for p in doc["projects"])


def test_a_colon_before_a_number_leaves_no_mark_in_the_label() -> None:
    doc = draft(
        "宁波高新区一季度招商\n"
        "一季度，宁波高新区新签约项目46个，其中：10亿元以上项目9个；新引进企业：120家。\n"
    )
    labels = {f["value"]: f["name_zh"] for f in doc["figures"]}
    assert "10亿元以上项目" in labels["9个"] and "新引进企业" in labels["120家"]
    assert not any(":" in label or "：" in label for label in labels.values())
