"""Drafts refer to what the store holds: zones resolved as /zone resolves them (names, aliases,
the national directory) and companies by their stored id. Real store files, the real CLI and
the real Application; nothing faked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.core.extraction import Article, ExtractionError, KnownCompany, KnownZone, extract
from bot.core.matching import ZoneIndex
from bot.core.records import FactFile
from bot.core.zone_cache import zone_index
from storage import Store
from tests.harness import ADMIN_ID, BotHarness, text_of
from tests.test_extraction import run_cli


async def stored_index(path: Path) -> tuple[ZoneIndex, list[KnownZone], list[tuple[str, str]]]:
    """A real store file with the seed and the 411-zone directory, and its zone index."""
    store = await Store.open(path)
    try:
        await store.seed()
        await store.load_directory()
        index = await zone_index(store)
        zones = [
            KnownZone(z.id, tuple(n for n in (z.name_zh, z.short_zh, *z.aliases) if n))
            for z in await store.zones()
        ]
        names = await store.zone_names()
    finally:
        await store.close()
    return index, zones, names


def signing(zone_name: str) -> str:
    return (
        f"{zone_name}集中签约12个项目\n"
        f"5月8日，{zone_name}举行重点项目集中签约活动，共签约项目12个，总投资约80亿元。\n"
    )


def filed_under(doc: dict[str, object]) -> set[str]:
    records = [*(doc.get("events") or []), *(doc.get("figures") or [])]  # type: ignore[misc]
    return {str(r["zone"]) for r in records}


async def test_every_zone_name_the_store_knows_is_resolved_in_an_article_as_zone_does(
    tmp_path: Path,
) -> None:
    index, zones, names = await stored_index(tmp_path / "store.sqlite3")
    written = sorted(
        {
            name
            for name, _zone in names
            if re.fullmatch(r"[\u4e00-\u9fff]+", name)
            and re.search(r"高新区|经开区|开发区|园区|新区", name)
        }
    )
    assert len(written) > 800  # every zone of the directory under its full and short names
    wrong = []
    for name in written:
        wanted = index.resolve(name)
        assert wanted.kind == "found", name
        doc = extract(Article(signing(name)), zones, source_id="s", index=index)
        if filed_under(doc) != {wanted.zone_id} or doc.get("zones"):
            wrong.append((name, wanted.zone_id, filed_under(doc)))
    assert wrong == []


async def test_names_the_patterns_get_wrong_are_right_through_the_index(tmp_path: Path) -> None:
    index, zones, _names = await stored_index(tmp_path / "store.sqlite3")
    cases = {
        "吉林经开区": "jilin-etdz",  # a province's name is no prefix to drop here
        "呼和浩特经济技术开发区": "huhehaote-etdz",  # 和 inside a place name
        "中关村科技园区": "zhongguancun",  # no 高新区 in the name at all
        "厦门火炬高技术产业开发区": "xiamenhuoju-hitech",
    }
    for name, zone_id in cases.items():
        doc = extract(Article(signing(name)), zones, source_id="s", index=index)
        assert filed_under(doc) == {zone_id}, name
        assert "zones" not in doc  # a stored zone is never drafted again


async def test_an_everyday_name_and_a_name_in_brackets_are_the_stored_zone(
    tmp_path: Path,
) -> None:
    index, zones, _names = await stored_index(tmp_path / "store.sqlite3")
    text = (
        "钱塘新区首季实际利用外资增长三成\n"
        "一季度，钱塘新区（杭州经济技术开发区）实际利用外资2.85亿美元，同比增长31.2%。"
        "钱塘新区新设外资企业27家。\n"
    )
    doc = extract(Article(text), zones, source_id="s", index=index)
    assert filed_under(doc) == {"hangzhou-etdz"} and "zones" not in doc
    doc = extract(Article(signing("广州开发区（黄埔区）")), zones, source_id="s", index=index)
    assert filed_under(doc) == {"guangzhou-etdz"} and "zones" not in doc


def test_without_an_index_the_rules_match_the_zones_they_are_given() -> None:
    zones = (KnownZone("kunshan", ("昆山高新技术产业开发区", "昆山高新区")),)
    doc = extract(Article(signing("昆山高新区")), zones, source_id="s")
    assert filed_under(doc) == {"kunshan"} and "zones" not in doc
    doc = extract(Article(signing("滨湖高新区")), zones, source_id="s")
    (zone,) = doc["zones"]  # type: ignore[misc]
    assert zone["short_zh"] == "滨湖高新区" and filed_under(doc) == {zone["id"]}
    with pytest.raises(ExtractionError):
        extract(Article("5月8日，全市举行集中签约活动，签约项目12个。"), zones, source_id="s")


def test_a_company_in_the_store_keeps_its_id_and_its_references_follow() -> None:
    stored = KnownCompany(
        id="hengxing",
        names=("恒星能源科技有限公司", "恒星能源", "Hengxing Energy"),
        name_zh="恒星能源科技有限公司",
        short_zh="恒星能源",
        name_en="Hengxing Energy",
        kind="company",
    )
    text = (
        "滨湖高新区签约新能源项目\n"
        "5月5日，滨湖高新区与恒星能源科技有限公司签约，建设恒星储能电池生产基地项目，"
        "项目总投资10亿元，占地约80亩。\n"
        "5月5日，滨湖高新区与星辰材料科技有限公司签约，建设星辰新材料产业园项目，"
        "项目总投资6亿元。\n"
    )
    doc = extract(Article(text), (), source_id="s", companies=[stored])
    FactFile.model_validate(doc)
    by_name = {c["name_zh"]: c for c in doc["companies"]}
    reused = by_name["恒星能源科技有限公司"]
    assert reused["id"] == "hengxing"
    assert reused["name_en"] == "Hengxing Energy"  # the stored names stay with the update
    assert "hengxing" in reused["review"]["id_note"]
    assert by_name["星辰材料科技有限公司"]["id"] != "hengxing"  # another firm: a new id
    owners = {p["name_zh"]: p.get("company") for p in doc["projects"]}
    assert owners["恒星储能电池生产基地项目"] == "hengxing"
    assert owners["星辰新材料产业园项目"] == by_name["星辰材料科技有限公司"]["id"]


def test_a_similar_but_different_name_is_not_the_stored_company() -> None:
    stored = KnownCompany(id="hengxing", names=("恒星能源科技有限公司",))
    text = (
        "滨湖高新区签约新能源项目\n"
        "5月5日，滨湖高新区与恒星能源材料有限公司签约，建设储能材料生产基地项目，"
        "项目总投资10亿元。\n"
    )
    doc = extract(Article(text), (), source_id="s", companies=[stored])
    assert [c["id"] for c in doc["companies"]] != ["hengxing"]


COMPANY_FILE = """\
version: 1
sources:
  - id: src-test
    title: 测试来源
companies:
  - id: hengxing
    name_zh: 恒星能源科技有限公司
    short_zh: 恒星能源
    name_en: Hengxing Energy
    source: src-test
"""

ARTICLE = (
    "昆山高新区签约新能源项目\n"
    "5月5日，昆山高新区与恒星能源科技有限公司签约，建设恒星储能电池生产基地项目，"
    "项目总投资10亿元，占地约80亩。\n"
)


async def companies_named(path: Path, name: str) -> list[str]:
    store = await Store.open(path)
    try:
        return [ref.id for ref in await store.company_refs() if name in ref.names]
    finally:
        await store.close()


async def test_cli_drafts_reuse_stored_company_ids_and_import_adds_no_copy(
    tmp_path: Path,
) -> None:
    # A store of its own, named with --database (BOT_DATABASE_PATH points elsewhere).
    store_path = tmp_path / "own.sqlite3"
    facts = tmp_path / "companies.yaml"
    facts.write_text(COMPANY_FILE, encoding="utf-8")
    article = tmp_path / "signing.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    imported = run_cli(tmp_path, "import", str(facts))  # into the default store only
    assert imported.returncode == 0, imported.stderr

    plain = run_cli(tmp_path, "extract", str(article), "--database", str(store_path), "--out", "a")
    assert plain.returncode == 0, plain.stderr
    first = yaml.safe_load((tmp_path / "a" / "signing.yaml").read_text(encoding="utf-8"))
    assert first["companies"][0]["id"] != "hengxing"  # that store has no such company

    stored = run_cli(tmp_path, "extract", str(article), "--out", "b")
    assert stored.returncode == 0, stored.stderr
    doc = yaml.safe_load((tmp_path / "b" / "signing.yaml").read_text(encoding="utf-8"))
    (company,) = doc["companies"]
    assert company["id"] == "hengxing"
    assert company["name_en"] == "Hengxing Energy"
    (project,) = doc["projects"]
    assert project["company"] == "hengxing" and project["zone"] == "kunshan"

    again = run_cli(tmp_path, "import", str(tmp_path / "b" / "signing.yaml"))
    assert again.returncode == 0, again.stderr
    default_store = tmp_path / "data" / "bot.sqlite3"
    assert await companies_named(default_store, "恒星能源科技有限公司") == ["hengxing"]


async def test_the_bot_files_an_article_under_the_zone_zone_resolves(bot: BotHarness) -> None:
    """吉林经开区: the bot's own zone index (the one /zone uses) decides, not a guess."""
    paragraph = (
        "5月8日，吉林经开区举行2025年重点项目集中签约活动，共签约项目12个，总投资约80亿元，"
        "涵盖新材料、生物医药、装备制造等领域。吉林经开区相关负责人表示，将持续优化营商环境，"
        "为签约企业提供全流程服务，推动项目早落地、早开工、早投产。"
    )
    text = "吉林经开区集中签约12个项目\n" + "\n".join([paragraph] * 5)
    assert len(text) >= 500
    calls = await bot.send(text, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    asked = [c for c in calls if any(d.startswith("art:go:") for d in c.button_data())]
    assert asked, text_of(calls)
    data = next(d for d in asked[-1].button_data() if d.startswith("art:go:"))
    await bot.press(asked[-1], data, user_id=ADMIN_ID)
    (queued,) = await bot.store.pending_review_articles()
    items = await bot.store.review_items(queued.id)
    zones = {item.record.get("zone") for item in items if item.record.get("zone")}
    assert zones == {"jilin-etdz"}
    assert not queued.support.get("zones")  # the stored zone, never a drafted copy
    card = text_of(await bot.send("/zone 吉林经开区", chat_id=ADMIN_ID, user_id=ADMIN_ID))
    assert "吉林" in card


def test_a_new_company_never_takes_an_id_another_stored_company_uses() -> None:
    from bot.core.extraction.rules import slug

    # Two names with the same first characters make the same id: the stored one keeps it.
    same_id = slug("co", "恒星能源科技有限责任公司", set())
    stored = KnownCompany(id=same_id, names=("恒星能源科技有限公司",))
    text = (
        "滨湖高新区签约新能源项目\n"
        "5月5日，滨湖高新区与恒星能源科技有限责任公司签约，建设储能材料生产基地项目，"
        "项目总投资10亿元。\n"
    )
    doc = extract(
        Article(text), (), source_id="s", companies=[stored], taken_company_ids={"co-deleted"}
    )
    FactFile.model_validate(doc)
    (company,) = doc["companies"]
    assert company["name_zh"] == "恒星能源科技有限责任公司"
    assert company["id"] != same_id and company["id"].startswith(same_id[:20])
    assert doc["projects"][0]["company"] == company["id"]
    # without the stored company the article's firm keeps its own id
    alone = extract(Article(text), (), source_id="s")
    assert alone["companies"][0]["id"] == same_id


def test_a_new_index_at_a_freed_address_gets_its_own_names() -> None:
    # Each article is read against the index of its moment: a later index, even one CPython
    # puts where a freed one was (same id, same number of names), finds its own zones.
    from bot.core.extraction.rules import known_names_in

    text = "甲乙高新区与丙丁高新区签约"
    reused = 0
    for _ in range(50):
        old = ZoneIndex(names={"甲乙高新区": {"jiayi"}})
        assert known_names_in(text, old) == [(0, "甲乙高新区")]
        old_id = id(old)
        del old
        new = ZoneIndex(names={"丙丁高新区": {"bingding"}})
        reused += id(new) == old_id
        assert known_names_in(text, new) == [(6, "丙丁高新区")]
    assert reused  # the case in question did occur
