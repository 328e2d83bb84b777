"""Drafting records from articles: the dev set scored as the shared scorer does, the rules the
drafts follow (numbers as written, labels apart, no year invented), bad input, and the CLI."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.extraction import Article, ExtractionError, KnownZone, extract
from bot.core.records import FactFile, Project
from bot.core.values import Amount, Quantity
from tests.harness import BotHarness, run_cli, text_of

DATA = Path(__file__).parent / "articles"
GOLDS = {
    p.name.removesuffix(".gold.yaml"): yaml.safe_load(p.read_text(encoding="utf-8"))
    for p in DATA.glob("*.gold.yaml")
}
# Articles in English need the store's zone index to name their zone: scored in test_extraction_ho3.
ARTICLES = sorted(stem for stem, gold in GOLDS.items() if gold.get("language") != "en")
IN_ENGLISH = sorted(stem for stem, gold in GOLDS.items() if gold.get("language") == "en")
FREE_TEXT = re.compile(r"^(summary|note|evidence|review|quote|description|text|body|remark)")
SECTIONS = ("zones", "companies", "projects", "events", "figures")
# A draft's 1.2亿欧元 is looked up whole: its bare 1.2亿 would read as yuan, which the article
# does not hold (the shared scorer reads it so: see the README's note on other currencies).
OTHER_MONEY = r"港元|欧元|日元|英镑|韩元"
UNIT = r"亿|万|个|亩|平方米|平方公里|人|台|家|场|项|元|美元|吨|套|条|户|栋|件"
NUMBER = re.compile(
    rf"(?<![\d.])(?:约|近|超过|超|逾)?\d+(?:\.\d+)?(?:多|余)?"
    rf"(?:(?:亿|万)(?:多|余)?(?:{OTHER_MONEY}|{UNIT})?|(?:{UNIT}))"
)


# ---- a scorer of our own (the rules of shared/extraction/README.md) -------------------------


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.replace("㎡", "平方米"))
    text = re.sub(r"[—–―‐‑‒−~]", "-", text)
    return re.sub(r"\s+", "", text).casefold()


def date_forms(text: str) -> list[str]:
    match = re.fullmatch(r"(\d{4}|XXXX)-(\d{2})(?:-(\d{2}))?(?:/(?:\d{4}|XXXX)-(\d{2}))?", text)
    if not match:
        return []
    year, month, day, end = match.groups()
    y = "" if year == "XXXX" else f"{int(year)}年"
    if end:
        return [f"{y}{int(month)}-{int(end)}月", f"{int(month)}-{int(end)}月"]
    forms = [f"{int(month)}月", f"{y}{int(month)}月"]
    if day:
        forms += [f"{int(month)}月{int(day)}日", f"{y}{int(month)}月{int(day)}日"]
    return forms


def scalars(node: Any, key: str = "") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [pair for k, v in node.items() for pair in scalars(v, str(k))]
    if isinstance(node, list):
        return [pair for v in node for pair in scalars(v, key)]
    if node is None or isinstance(node, bool):
        return []
    return [(key, str(node))]


def record_texts(doc: dict[str, Any]) -> list[str]:
    out = []

    def text_of(node: Any) -> str:
        parts = []
        for key, value in scalars(node):
            if FREE_TEXT.match(key):
                continue
            parts += [value, *date_forms(value)]
            if key == "land_mu" and "亩" not in value:
                parts.append(value + "亩")
        return "\u241e".join(norm(p) for p in parts)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            out.append(text_of(node))
            for value in node.values():
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, dict):
                            walk(item)

    for section in SECTIONS:
        for item in doc.get(section) or []:
            walk(item)
    return out


def holds(haystack: str, value: str) -> bool:
    """value in haystack as a whole number: 35亿 is not in 135亿, 5000万 not in 5000万美元."""
    v = norm(value).removesuffix("元") if len(norm(value)) > 1 else norm(value)
    for match in re.finditer(re.escape(v), haystack):
        before, after = haystack[: match.start()], haystack[match.end() :]
        if v[0].isdigit() and re.search(r"\d\.?$", before):
            continue
        if v[-1].isdigit() and re.match(r"\.?\d", after):
            continue
        if v[-1] in "亿万" and after[:1] in ("美", "港", "欧"):
            continue
        return True
    return False


def score(stem: str, doc: dict[str, Any]) -> tuple[int, int, list[str], bool]:
    gold = yaml.safe_load((DATA / f"{stem}.gold.yaml").read_text(encoding="utf-8"))
    article = norm((DATA / f"{stem}.txt").read_text(encoding="utf-8"))
    texts = record_texts(doc)
    recalled = 0
    for fact in gold["facts"]:
        anchors = [norm(a) for a in fact["anchor"]]
        values = fact["value"] if isinstance(fact["value"], list) else [fact["value"]]
        values = [str(v) for v in values if v is not None]
        if any(
            any(a in text for a in anchors) and (not values or any(holds(text, v) for v in values))
            for text in texts
        ):
            recalled += 1
    invented = sorted(
        {
            token
            for _key, value in scalars(doc)
            for token in NUMBER.findall(norm(value))
            if not holds(article, token)
        }
    )
    zones = [norm(z).split("(")[0] for z in [gold["zone"], *(gold.get("zone_aliases") or [])]]
    zone_found = any(zone in text for text in texts for zone in zones)
    return recalled, len(gold["facts"]), invented, zone_found


def draft(stem: str, zones: tuple[KnownZone, ...] = ()) -> dict[str, Any]:
    text = (DATA / f"{stem}.txt").read_text(encoding="utf-8")
    return extract(Article(text), zones, source_id=f"test-{stem}")


# ---- the dev set --------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ARTICLES)
def test_each_article_drafts_a_valid_fact_file_with_no_invented_number(stem: str) -> None:
    doc = draft(stem)
    FactFile.model_validate(doc)  # what `python -m bot import` reads
    recalled, total, invented, zone_found = score(stem, doc)
    assert invented == [], f"numbers not in the article: {invented}"
    assert zone_found
    assert recalled / total >= 0.8, f"{stem}: {recalled}/{total} key facts"


@pytest.mark.parametrize("stem", IN_ENGLISH)
def test_an_article_in_english_with_no_zone_known_asks_for_the_zone_not_half_drafted(
    stem: str,
) -> None:
    # With no zone to resolve its English zone name against, nothing is drafted; with the
    # store's index the same articles are drafted and scored (tests/test_extraction_ho3.py).
    with pytest.raises(ExtractionError) as refused:
        draft(stem)
    assert refused.value.code == "no_zone"
    assert "--zone" in str(refused.value)  # the way out the person sees


def test_the_dev_set_recall_is_at_least_85_percent() -> None:
    recalled = total = 0
    for stem in ARTICLES:
        got, of, _invented, _zone = score(stem, draft(stem))
        recalled += got
        total += of
    assert total >= 80
    assert recalled / total >= 0.85, f"{recalled}/{total}"


def test_figures_keep_hedges_and_units_as_written() -> None:
    doc = draft("12")
    (project,) = doc["projects"]
    assert project["total_investment"] == "约12.49亿元"
    assert project["land_mu"] == "约293亩"
    assert project["floor_area_m2"] == "约31.23万平方米"
    assert project["annual_output"] == "约20亿元"
    figures = {f["value"]: f["name_zh"] for f in project["figures"]}
    assert "年创税收" in figures["约6000余万元"]
    assert "就业" in figures["2000余人"]
    assert "入驻企业" in figures["100家以上"]
    # 河北-平武工业园 is a park inside 绵阳高新区, not the province
    assert any("河北-平武工业园" in h for h in project["highlights_zh"])
    (zone,) = doc["zones"]
    assert "province" not in zone
    assert all("河北" not in name for name in [zone["name_zh"], *zone.get("aliases", [])])


def test_a_day_without_a_year_keeps_no_year() -> None:
    (event, *_rest) = draft("03")["events"]
    assert event["date"] == "XXXX-12-27"


def test_a_year_from_the_dateline_is_said_in_the_review_note() -> None:
    event = draft("09")["events"][0]
    assert event["date"] == "2023-02-21"
    assert any("文章日期" in note for note in event["review"].values())


def test_labels_stay_apart_and_currencies_are_not_added() -> None:
    doc = draft("own-qingzhou")
    (project,) = [p for p in doc["projects"] if "碳纤维" in p["name_zh"]]
    assert "total_investment" not in project  # 计划投资 is not 总投资
    assert {"name_zh": "计划投资", "value": "18亿元"} in project["figures"]
    event = doc["events"][0]
    values = [f["value"] for f in event["figures"]]
    assert "逾40亿元" in values and "1.2亿美元" in values
    period = {f["name_zh"]: f for f in doc["figures"]}["青州经开区新引进项目"]
    assert period["value"] == "42个"
    assert period["period"] == "2024-01/2024-09"
    assert "文章日期" in period["review"]["period_note"]


def test_every_record_carries_the_sentence_it_came_from() -> None:
    doc = draft("09")
    article = norm((DATA / "09.txt").read_text(encoding="utf-8"))
    for section in SECTIONS:
        for record in doc.get(section) or []:
            assert record["review"], record
            assert record["source"] == "test-09"
    (project,) = [p for p in doc["projects"] if "光谱" in p["name_zh"]]
    evidence = [v for k, v in project["review"].items() if "total_investment" in k]
    assert evidence and norm(evidence[0]) in article


def test_a_zone_in_the_store_is_referred_to_by_id_never_drafted_again() -> None:
    known = (KnownZone("mianyang", ("绵阳高新技术产业开发区", "绵阳高新区", "绵阳")),)
    doc = draft("12", known)
    assert "zones" not in doc
    assert {p["zone"] for p in doc["projects"]} == {"mianyang"}


def test_a_zone_not_in_the_store_is_drafted_once_with_the_names_the_text_uses() -> None:
    doc = draft("09")
    (zone,) = doc["zones"]
    assert zone["short_zh"] == "杭州高新区"
    assert "杭州国家高新技术产业开发区" in [zone["name_zh"], *zone.get("aliases", [])]
    assert "name_en" not in zone  # never invented
    assert {p["zone"] for p in doc["projects"]} == {zone["id"]}


def test_companies_keep_full_names_and_short_names() -> None:
    doc = draft("own-qingzhou")
    company = {c["name_zh"]: c for c in doc["companies"]}["青州恒远新材料股份有限公司"]
    assert company["short_zh"] == "恒远新材"
    listed = {c["name_zh"] for c in draft("01")["companies"]}
    assert {"中电建", "蜜蜂科技", "打望科技", "西啡科技", "氦舶新材料"} <= listed


# ---- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(Article(text), (), source_id="s")
    assert caught.value.code == "empty"


def test_huge_text_is_refused_not_cut() -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(Article("园区签约。" * 100_000), (), source_id="s")
    assert caught.value.code == "too_long"


@pytest.mark.parametrize(
    "text",
    [
        "首页 | 新闻 | 登录 | 注册\n版权所有",
        "Page not found\n\nThe page you requested does not exist.",
    ],
)
def test_a_page_that_is_not_an_article_is_refused(text: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(Article(text), (), source_id="s")
    assert caught.value.code == "not_article"


# ---- the value types keep the wording -------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["超550亿元", "超过5000万元", "约6000余万元", "约12.49亿元", "3亿元"]
)
def test_amounts_keep_the_text_as_written(text: str) -> None:
    amount = Amount.parse(text)
    assert amount.text() == text
    assert Amount.parse(amount.text()) == amount


def test_amounts_written_differently_are_the_same_amount() -> None:
    assert Amount.parse("超550亿元") == Amount.parse("550多亿元")
    assert Amount.parse("3亿").text() == "3亿元"  # a bare unit is still completed


@pytest.mark.parametrize("text", ["100家以上", "2000余人", "20多件", "近30个", "5.1%"])
def test_quantities_keep_the_text_as_written(text: str) -> None:
    assert Quantity.parse(text).text() == text


def test_a_project_stores_hedges_labelled_figures_and_its_review() -> None:
    project = Project.model_validate(
        {
            "id": "p1",
            "zone": "z",
            "name_zh": "测试项目",
            "total_investment": "超过5000万元",
            "figures": [{"name_zh": "协议投资", "value": "约6000余万元"}],
            "review": {"total_investment": "项目总投资超过5000万元。"},
            "source": "s",
        }
    )
    again = Project.model_validate_json(project.model_dump_json())
    assert again.total_investment is not None
    assert again.total_investment.text() == "超过5000万元"
    assert again.figures[0].value.text() == "约6000余万元"
    assert again.figures[0].name_en is None
    assert again.review == {"total_investment": "项目总投资超过5000万元。"}


# ---- the command line ---------------------------------------------------------------------


def test_cli_drafts_files_that_import_after_review(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path, "extract", str(DATA / "12.txt"), str(DATA / "09.txt"), "--out", "drafts"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    # 绵阳高新区 is a zone of the directory: the draft refers to it and drafts no zone.
    assert "1 project" in lines[0] and "zone" not in lines[0] and "drafts/12.yaml" in lines[0]
    assert "3 companies" in lines[1]
    draft_file = tmp_path / "drafts" / "12.yaml"
    doc = yaml.safe_load(draft_file.read_text(encoding="utf-8"))
    assert doc["projects"][0]["total_investment"] == "约12.49亿元"

    imported = run_cli(tmp_path, "import", str(draft_file))
    assert imported.returncode == 0, imported.stderr
    assert "new" in imported.stdout
    search = run_cli(tmp_path, "extract", str(DATA / "12.txt"), "--out", "again")
    assert search.returncode == 0
    # The next draft refers to the same stored zone, never a copy.
    again = yaml.safe_load((tmp_path / "again" / "12.yaml").read_text(encoding="utf-8"))
    assert "zones" not in doc and "zones" not in again
    assert again["projects"][0]["zone"] == doc["projects"][0]["zone"] == "mianyang-hitech"


def test_cli_refuses_private_links_and_unreadable_files_and_writes_nothing(
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run_cli(
        tmp_path,
        "extract",
        # Loopback, refused on its address before any connection (no private fetching here).
        "http://127.0.0.1:9/news/1.html",
        str(pdf),
        str(empty),
        str(tmp_path / "missing.txt"),
        "--out",
        "drafts",
    )
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert "private, loopback or link-local" in errors[0]
    assert "damaged" in errors[1]
    assert "empty" in errors[2]
    assert "no such file" in errors[3]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "drafts").exists() or not list((tmp_path / "drafts").iterdir())


def test_cli_refuses_a_file_too_big_for_an_article(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (6 * 1024 * 1024))
    result = run_cli(tmp_path, "extract", str(big), "--out", "drafts")
    assert result.returncode == 1
    assert "at most 5 MB" in result.stderr
    assert not (tmp_path / "drafts" / "big.yaml").exists()


def test_signings_listed_with_semicolons_keep_their_own_figures() -> None:
    doc = draft("own-songjiang")
    projects = {p["name_zh"]: p for p in doc["projects"]}
    chip = projects["功率半导体封测基地项目"]
    drug = projects["创新药研发及产业化项目"]
    assert {"name_zh": "拟投资", "value": "12亿元"} in chip["figures"]
    assert "stage" not in chip  # 预计2026年底投产 is a plan, not the stage
    assert drug["total_investment"] == "8.6亿元" and drug["land_mu"] == "约80亩"
    assert "8.6亿元" not in str(chip)


def test_a_production_start_keeps_dollars_and_its_own_labels() -> None:
    (project,) = draft("own-shahe")["projects"]
    assert project["total_investment"] == "5亿美元"
    assert project["registered_capital"] == "8000万美元"
    assert project["stage"] == "production"
    assert project["stage_date"] == "2025-06-18"


ALPHABET = (
    "高新区经开区项目公司有限股份签约投产开工投资总约超近逾多余以上亿万元美个家亩平方米人"
    "，。、；：（）“”《》0123456789.- \n"
)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=400))
def test_any_text_gives_a_valid_draft_or_a_clear_refusal(text: str) -> None:
    try:
        doc = extract(Article(text), (), source_id="fuzz")
    except ExtractionError as exc:
        assert exc.code in ("empty", "too_long", "not_article")
        return
    FactFile.model_validate(doc)
    article = norm(text)
    invented = [
        t for _k, v in scalars(doc) for t in NUMBER.findall(norm(v)) if not holds(article, t)
    ]
    assert invented == []


NO_ZONE = "本报讯 近日，某市举行重点项目集中签约仪式，共签约项目12个，总投资30亿元。"


def test_an_article_naming_no_zone_asks_for_one() -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(Article(NO_ZONE), (), source_id="s")
    assert caught.value.code == "no_zone"
    doc = extract(Article(NO_ZONE), (), source_id="s", zone="kunshan")
    (event,) = doc["events"]
    assert event["zone"] == "kunshan"
    assert [f["value"] for f in event["figures"]] == ["12个", "30亿元"]


def test_cli_takes_a_zone_for_articles_that_name_none(tmp_path: Path) -> None:
    article = tmp_path / "city.txt"
    article.write_text(NO_ZONE, encoding="utf-8")
    refused = run_cli(tmp_path, "extract", str(article), "--out", "drafts")
    assert refused.returncode == 1
    assert "--zone" in refused.stderr
    done = run_cli(tmp_path, "extract", str(article), "--zone", "昆山高新区", "--out", "drafts")
    assert done.returncode == 0, done.stderr
    doc = yaml.safe_load((tmp_path / "drafts" / "city.yaml").read_text(encoding="utf-8"))
    assert doc["events"][0]["zone"] == "kunshan"


def test_an_imported_draft_shows_its_figures_as_written() -> None:
    from bot.texts.common import money, quantity

    doc = draft("12")
    facts = FactFile.model_validate(doc)
    (project,) = facts.projects
    assert project.total_investment is not None
    assert money(project.total_investment) == "约12.49亿元"
    shown = {f.name_zh: quantity(f.value) for f in project.figures}
    assert "约6000余万元" in shown.values() and "2000余人" in shown.values()
    assert money(Amount.parse("超550亿元")) == "超550亿元"  # never 550多亿元


async def test_an_accepted_draft_is_found_and_shown_as_the_article_wrote_it(
    bot: BotHarness,
) -> None:
    doc = draft("12")
    await bot.store.apply_facts(FactFile.model_validate(doc), via="test")
    card = text_of(await bot.send("/project 智能制造产业园"))
    assert "约12.49亿元" in card and "约293亩" in card and "约31.23万平方米" in card
    assert "年创税收" in card and "约6000余万元" in card  # its own label, as written
    assert "2000余人" in card
    english = text_of(await bot.send("/zone 绵阳高新区", lang="en"))
    assert "绵阳高新区" in english  # no English name is known: the Chinese one is shown


def test_a_page_line_gives_date_outlet_and_author_and_a_title_line_stays_a_title() -> None:
    text = (
        "2025年3月5日 滨湖高新区5个项目集中签约\n"
        "2025年03月06日 09:12 来源：滨湖日报 作者：赵一鸣\n"
        "3月5日，滨湖高新区举行项目集中签约仪式，5个项目总投资12亿元。\n"
    )
    doc = extract(Article(text), (), source_id="s")
    (source,) = doc["sources"]
    assert source["title"] == "2025年3月5日 滨湖高新区5个项目集中签约"
    assert source["date"] == "2025-03-06"
    assert source["publication"] == "滨湖日报"
    assert source["authors"] == ["赵一鸣"]
    assert doc["events"][0]["date"] == "2025-03-05"


def test_cli_extract_has_help(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "extract", "--help")
    assert result.returncode == 0
    assert "usage:" in result.stdout and "--zone" in result.stdout and "--out" in result.stdout


def test_page_furniture_is_ignored_and_an_unnamed_signing_is_drafted_under_its_firm() -> None:
    text = (
        "首页 > 新闻中心 > 园区动态\n"
        "滨湖高新区签约新能源项目\n"
        "发布时间：2024-05-06 来源：滨湖高新区管委会 浏览次数：1024\n"
        "【字号：大 中 小】 【打印本页】\n"
        "5月5日，滨湖高新区与恒星能源科技有限公司签约，项目总投资10亿元，占地约80亩。\n"
        "上一篇：滨湖高新区召开会议\n"
    )
    doc = extract(Article(text), (), source_id="s")
    (source,) = doc["sources"]
    assert source["title"] == "滨湖高新区签约新能源项目"
    assert source["date"] == "2024-05-06" and source["publication"] == "滨湖高新区管委会"
    (project,) = doc["projects"]
    assert project["name_zh"] == "恒星能源科技有限公司项目"
    assert "未给项目名称" in project["review"]["name_zh_note"]
    assert project["total_investment"] == "10亿元" and project["land_mu"] == "约80亩"
    assert project["stage"] == "signed" and project["stage_date"] == "2024-05-05"
    assert "上一篇" not in str(doc)


def test_the_last_guard_leaves_out_any_number_not_in_the_article() -> None:
    from bot.core.extraction.rules import drop_foreign_numbers

    article = norm("项目总投资约3.5亿元，占地18亩。")
    doc = {
        "projects": [
            {
                "id": "p",
                "name_zh": "测试项目",
                "total_investment": "约3.5亿元",
                "note": "合计21.5亿元",  # a sum: not in the article
                "figures": [
                    {"name_zh": "占地", "value": "18亩"},
                    {"name_zh": "换算", "value": "1.2万平方米"},  # a conversion
                ],
                "highlights_zh": ["超3.5亿元", "约3.5亿元"],
            },
            {"id": "q", "name_zh": "虚构项目", "total_investment": "35亿元", "value": "35亿元"},
        ]
    }
    checked = drop_foreign_numbers(doc, article)
    (project,) = checked["projects"]  # q loses its value: left out whole
    assert "note" not in project
    assert project["figures"] == [{"name_zh": "占地", "value": "18亩"}]
    assert project["highlights_zh"] == ["约3.5亿元"]  # a reworded hedge is not as written


def test_a_project_abroad_is_the_zone_firms_delivery_not_a_zone_project() -> None:
    text = (
        "近日，泰国曼谷湄南河大桥项目建设进展顺利。该项目共使用12台架桥机，"
        "全部由位于滨湖高新区的远航重工机械有限公司生产，目前已远销泰国、越南等国家。"
    )
    doc = extract(Article(text), (), source_id="s")
    assert "projects" not in doc
    (event,) = doc["events"]
    assert event["kind"] == "delivery" and "湄南河大桥" in event["title_zh"]
    assert {"泰国", "越南"} <= set(event["places"])
    assert any(f["value"] == "12台" for f in event["figures"])
    (company,) = doc["companies"]
    assert company["name_zh"] == "远航重工机械有限公司"
    assert company["zone"] == doc["zones"][0]["id"]
    assert event["companies"] == [company["id"]]


def test_the_pages_own_date_settles_the_year_of_a_day_in_the_text() -> None:
    text = "12月3日，滨湖高新区举行重点项目集中签约仪式，共签约项目8个。"
    without = extract(Article(text), (), source_id="s")
    assert without["events"][0]["date"] == "XXXX-12-03"
    dated = extract(Article(text, published="2024-12-05"), (), source_id="s")
    (event,) = dated["events"]
    assert event["date"] == "2024-12-03"
    assert "2024-12-05" in event["review"]["date_note"]
    assert dated["sources"][0]["date"] == "2024-12-05"


def test_cli_says_so_when_the_output_folder_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "drafts"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    result = run_cli(tmp_path, "extract", str(DATA / "12.txt"), "--out", "drafts")
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "a file where the folder should be"


@pytest.mark.parametrize(
    "text",
    [
        "其中，宏达电子有限公司投资5亿元建设智能传感器项目，达产后年产值10亿元，"
        "瑞丰药业股份有限公司投资3亿元，建设原料药项目，用地约50亩。",
        "滨湖高新区签约两个项目：宏达电子有限公司智能传感器项目总投资5亿元，"
        "瑞丰药业股份有限公司原料药项目总投资3亿元、用地约50亩。",
    ],
)
def test_two_signings_in_one_sentence_keep_their_own_figures(text: str) -> None:
    doc = extract(Article("滨湖高新区举行项目签约仪式。" + text), (), source_id="s")
    projects = {p["name_zh"]: p for p in doc["projects"]}
    sensor, drug = projects["智能传感器项目"], projects["原料药项目"]
    assert sensor["total_investment"] == "5亿元" and "land_mu" not in sensor
    assert drug["total_investment"] == "3亿元" and drug["land_mu"] == "约50亩"
    firms = {c["id"]: c["name_zh"] for c in doc["companies"]}
    assert firms[sensor["company"]] == "宏达电子有限公司"
    assert firms[drug["company"]] == "瑞丰药业股份有限公司"


def test_a_thousands_separator_does_not_cut_a_number() -> None:
    text = "滨湖高新区与宏达电子有限公司签约，项目总投资1,200万元，占地30亩，预计年产值2,500万元。"
    (project,) = extract(Article(text), (), source_id="s")["projects"]
    assert project["total_investment"] == "1,200万元"
    assert project["annual_output"] == "2,500万元"
    assert "200万元" not in str({k: v for k, v in project.items() if k != "review"}).replace(
        "1,200万元", ""
    )
