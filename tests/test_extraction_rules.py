"""Rules found by held-out articles (tests/articles/ho-*): ranges, size bands, 该项目, dates from
the body, foreign investors, venues. Each checks what a reviewer would see in the draft."""

from __future__ import annotations

from typing import Any

from bot.core.extraction import Article, extract
from bot.core.records import FactFile


def draft(text: str) -> dict[str, Any]:
    doc = extract(Article(text), (), source_id="s")
    FactFile.model_validate(doc)  # what import reads
    return doc


def only_project(doc: dict[str, Any]) -> dict[str, Any]:
    (project,) = doc["projects"]
    return project


def test_a_range_is_one_value_as_written_and_no_amount_field() -> None:
    doc = draft(
        "合肥高新区签约一批项目\n"
        "3月5日，安徽星河科技有限公司与合肥高新区签约，建设星河光电产业园项目，"
        "总投资10亿—15亿元，占地约100-120亩，达产后年产值20至30亿元。\n"
    )
    project = only_project(doc)
    values = {f["value"]: f["name_zh"] for f in project["figures"]}
    assert "10亿—15亿元" in values and "总投资" in values["10亿—15亿元"]
    assert "20至30亿元" in values and "年产值" in values["20至30亿元"]
    assert "total_investment" not in project and "annual_output" not in project
    assert project["land_mu"] == "约100-120亩"
    every_value = str(doc)
    assert "'15亿元'" not in every_value and "'10亿'" not in every_value  # no half ranges


def test_a_size_band_is_a_label_and_the_count_its_value() -> None:
    doc = draft(
        "宁波高新区前三季度招商成绩单\n"
        "今年1—9月，宁波高新区累计签约项目63个，其中超10亿元项目11个、10亿元以上项目9个。\n"
    )
    pairs = {(f["name_zh"], f["value"]) for f in doc["figures"]}
    values = {value for _label, value in pairs}
    assert "超10亿元" not in values and "10亿元以上" not in values
    assert any("超10亿元项目" in label and value == "11个" for label, value in pairs)
    assert any("10亿元以上项目" in label and value == "9个" for label, value in pairs)


def test_the_project_named_before_keeps_what_the_next_paragraph_says_of_it() -> None:
    doc = draft(
        "北京经开区：机器人关节模组项目投产\n"
        "1月8日，位于北京经开区的谐动精工机器人关节模组项目正式投产。\n"
        "项目由北京谐动精工科技有限公司投资建设，总投资近8亿元，占地86.5亩，达产后年产值约30亿元。\n"
    )
    project = only_project(doc)
    assert project["name_zh"] == "谐动精工机器人关节模组项目"
    assert project["total_investment"] == "近8亿元" and project["land_mu"] == "86.5亩"
    assert project["annual_output"] == "约30亿元"
    assert project["company"] == doc["companies"][0]["id"]
    assert project["stage"] == "production" and project["stage_date"] == "XXXX-01-08"


def test_an_event_named_in_the_headline_takes_its_first_day_from_the_body() -> None:
    doc = draft(
        "济南高新区举办生物医药产业对接会 120余家企业参会\n"
        "济南高新区管委会  2024年05月23日\n"
        "5月20日至22日，2024济南高新区生物医药产业对接会在齐鲁软件园举办，达成合作意向46项。\n"
    )
    (event,) = doc["events"]
    assert event["date"] == "2024-05-20"
    assert "5月20日至22日" in event["review"]["date_note"]
    (source,) = doc["sources"]
    assert source["date"] == "2024-05-23" and source["publication"] == "济南高新区管委会"
    assert "齐鲁软件园" not in str(doc.get("projects"))  # the venue, not a project


def test_a_foreign_firms_project_here_is_a_project_not_a_delivery_abroad() -> None:
    doc = draft(
        "合肥高新区集中签约\n"
        "3月15日，合肥高新区举行集中签约仪式。德国博世力士乐（Bosch Rexroth）华东研发中心项目"
        "在合肥高新区签约，总投资1.5亿美元，注册资本5000万美元。\n"
    )
    project = only_project(doc)
    assert project["name_zh"] == "德国博世力士乐(Bosch Rexroth)华东研发中心项目"
    assert project["total_investment"] == "1.5亿美元"
    assert project["registered_capital"] == "5000万美元"
    assert project["stage"] == "signed"  # 注册资本 is no registration
    assert all(e["kind"] != "delivery" for e in doc.get("events", []))


def test_a_centre_being_built_is_a_project_with_its_figures() -> None:
    doc = draft(
        "长沙高新区再添一家总部企业\n"
        "11日，湖南拓维数智科技有限公司在长沙高新区完成注册，注册资本5000万元。\n"
        "据介绍，该公司计划在麓谷建设数字孪生研发中心，总投资约8亿元，届时可吸纳研发人员300人。\n"
    )
    (centre,) = [p for p in doc["projects"] if p["name_zh"] == "数字孪生研发中心"]
    assert centre["total_investment"] == "约8亿元"
    assert {"name_zh": "届时可吸纳研发人员", "value": "300人"} in centre["figures"]
    assert all("再添" not in p["name_zh"] for p in doc["projects"])  # the headline's words


def test_the_whole_zone_in_a_figure_label_is_the_zone_the_article_names() -> None:
    doc = draft(
        "无锡高新区一季度经济运行情况\n"
        "2025年一季度，无锡高新区经济运行总体平稳。全区实现地区生产总值612.4亿元，同比增长6.8%。\n"
    )
    labels = {f["value"]: f for f in doc["figures"]}
    assert labels["612.4亿元"]["name_zh"] == "无锡高新区实现地区生产总值"
    assert "全区" in labels["612.4亿元"]["review"]["name_note"]


def test_a_demonstration_zone_a_quoted_meeting_and_a_foreign_investor() -> None:
    doc = draft(
        "山西转型综改示范区：前5个月签约项目86个\n"
        "来源：山西日报 | 2024年06月18日 | 记者 王晓\n"
        "1—5月，山西转型综改示范区共签约项目86个。5月16日，示范区在上海举办“晋沪合作”招商推介会，"
        "现场签约项目15个，投资额128亿元。"
        "新加坡益海嘉里粮油加工项目在山西转型综改示范区签约，总投资3亿元。\n"
    )
    (zone,) = doc["zones"]  # a 示范区 is a zone: the article is drafted, not refused
    assert zone["short_zh"].endswith("示范区")
    (source,) = doc["sources"]
    assert source["publication"] == "山西日报" and source["date"] == "2024-06-18"
    assert source["authors"] == ["王晓"]
    (meeting,) = [e for e in doc["events"] if "推介会" in e["title_zh"]]
    assert meeting["title_zh"] == "晋沪合作招商推介会" and meeting["date"] == "2024-05-16"
    assert {"name_zh": "签约项目", "value": "15个"} in meeting["figures"]
    (project,) = [p for p in doc["projects"] if "益海嘉里" in p["name_zh"]]
    assert project["total_investment"] == "3亿元"  # a Singapore firm's project here
    assert all(e["kind"] != "delivery" for e in doc["events"])


def test_a_groups_company_is_one_name_and_months_are_no_count() -> None:
    doc = draft(
        "徐州经开区装备“出海”提速\n"
        "11月20日，徐州经济技术开发区内的徐工集团工程机械股份有限公司举行出口发运仪式，"
        "200台装载机发往沙特阿拉伯，货值约2.3亿元。"
        "今年前10个月，徐州经开区装备制造业出口额达156.7亿元，50亿元至100亿元项目8个。\n"
    )
    assert [c["name_zh"] for c in doc["companies"]] == ["徐工集团工程机械股份有限公司"]
    (event,) = doc["events"]
    assert event["kind"] == "delivery" and event["date"] == "XXXX-11-20"
    values = [f["value"] for f in doc["figures"]]
    assert "10个" not in values  # 前10个月 is a span of time
    assert "50亿元至100亿元" not in values and "8个" in values  # a band and its count
