"""The zone directory through the real Application: every shipped zone reachable, shared places,
the honest card, /zones filters, directory questions, loading without alerts, bad rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.directory_rows import (
    COLUMNS,
    DirectoryEntry,
    load_shipped_directory,
    parse_directory,
)
from bot.core.factfile import FactFileError
from bot.core.records import FactFile, Project
from bot.jobs.alerts import alerts_tick
from bot.settings import Settings
from storage import Store
from tests.harness import ADMIN_ID, USER_ID, BotHarness, run_bot, text_of, write_elsewhere

SHIPPED = load_shipped_directory()
BY_ID = {e.zone_id: e for e in SHIPPED}


def _data(calls: list) -> list[str]:  # type: ignore[type-arg]
    return [d for c in calls for d in c.button_data()]


def _first_line(calls: list) -> str:  # type: ignore[type-arg]
    return text_of(calls).splitlines()[0]


def _card_of(calls: list, zone_id: str) -> bool:  # type: ignore[type-arg]
    """The reply is the card of that zone: its title first, its own subscribe button."""
    entry = BY_ID[zone_id]
    return _first_line(calls).startswith(entry.short) and f"sub:zone:{zone_id}" in _data(calls)


# ---- the data ------------------------------------------------------------------------------


def test_shipped_directory_holds_both_types_and_the_page_zones_once() -> None:
    hitech = [e for e in SHIPPED if "hitech" in e.types]
    etdz = [e for e in SHIPPED if "etdz" in e.types]
    assert len(hitech) >= 170 and len(etdz) >= 225
    both = [e.name for e in SHIPPED if len(e.types) == 2]
    assert both == ["苏州工业园区"]
    assert len({e.zone_id for e in SHIPPED}) == len(SHIPPED)
    assert {"kunshan", "xianning", "changde", "jiaxing"} <= set(BY_ID)
    kunshan = BY_ID["kunshan"]
    assert (kunshan.city, kunshan.county_city) == ("苏州市", "昆山市")
    # Plain errors of the starting list are corrected and say so.
    assert BY_ID["xiangyang-etdz"].name == "襄阳经济技术开发区"
    assert "襄樊经济技术开发区" in BY_ID["xiangyang-etdz"].aliases
    assert BY_ID["hangzhouwanshangyu-etdz"].city == "绍兴市"
    assert all("city" in e.derived for e in SHIPPED)
    assert all(e.city and not e.city.startswith("自治区直辖") for e in SHIPPED)
    one_list = [e for e in SHIPPED if e.flag]
    assert one_list and all("only" in (e.flag or "") for e in one_list)


def _csv(rows: list[dict[str, str]]) -> str:
    lines = [",".join(COLUMNS)]
    for row in rows:
        lines.append(",".join(row.get(c, "") for c in COLUMNS))
    return "\n".join(lines) + "\n"


GOOD = {
    "id": "demo-hitech",
    "name": "示范高新技术产业开发区",
    "short": "示范高新区",
    "types": "hitech",
    "province": "江苏省",
    "city": "苏州市",
    "pinyin": "shifan",
    "name_en": "Shifan Hi-tech Industrial Development Zone",
    "listed_in": "A",
    "derived": "province|city|name_en",
}


def test_a_bad_row_names_the_row_and_the_field() -> None:
    bad_province = {**GOOD, "id": "demo2-etdz", "name": "示范二经开区", "short": "示二经开区"}
    bad_province["province"] = "江苏"
    bad_type = {**GOOD, "id": "demo3", "name": "示范三区", "short": "示三区", "types": "park"}
    with pytest.raises(FactFileError) as caught:
        parse_directory(_csv([GOOD, bad_province, bad_type]))
    problems = caught.value.problems
    assert any(p.startswith("row 3 (示范二经开区): field province") for p in problems), problems
    assert any(p.startswith("row 4 (示范三区): field types") for p in problems), problems
    with pytest.raises(FactFileError) as repeated:
        parse_directory(_csv([GOOD, {**GOOD, "name": "另一个"}]))
    assert "row 3 (另一个): field id: 'demo-hitech' repeats row 2" in repeated.value.problems


async def test_a_bad_directory_file_loads_nothing(tmp_path: Path) -> None:
    bad = {**GOOD, "id": "demo2-hitech", "name": "示范二高新区", "short": "示二高新区"}
    bad["city"] = "not a city"
    path = tmp_path / "national_zones.csv"
    path.write_text(_csv([GOOD, bad]), encoding="utf-8")
    env = {"BOT_DATABASE_PATH": str(tmp_path / "bot.sqlite3")}
    result = run_bot(tmp_path, "import", str(path), env=env)
    assert result.returncode != 0
    assert "row 3 (示范二高新区): field city" in result.stderr + result.stdout
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        assert await store.zone("demo-hitech") is None
        assert await store.directory_entry("demo-hitech") is None
    finally:
        await store.close()


# ---- through the bot -----------------------------------------------------------------------


async def test_every_shipped_zone_is_reached_by_its_full_and_short_name(bot: BotHarness) -> None:
    missed = []
    for entry in SHIPPED:
        for name in (entry.name, entry.short):
            calls = await bot.send(f"/zone {name}")
            if not _card_of(calls, entry.zone_id):
                missed.append((name, _first_line(calls)))
    assert not missed, missed[:10]


async def test_the_page_zones_are_one_zone_each_with_page_and_directory_facts(
    bot: BotHarness,
) -> None:
    counts = await bot.store.counts()
    assert counts["zones"] == len(SHIPPED)
    text = text_of(await bot.send("/zone 昆山高新区"))
    assert "159个" in text and "德加能源固态电池总部项目" in text  # the page's facts
    assert "国家级园区名录" in text and "江苏省 苏州市 昆山市" in text  # the directory's
    assert "国家级开发区名单 A" in text and "报纸版面文章" in text  # each with its source
    # The zone's own facts lead; the directory's reference lines follow its records.
    assert text.index("主导产业") < text.index("最新签约") < text.index("国家级园区名录")
    kunshan = text_of(await bot.send("/zone kunshan"))
    assert kunshan.index("也可能是") < kunshan.index("主导产业")


async def test_kunshan_answers_the_zone_with_records_and_offers_the_etdz(bot: BotHarness) -> None:
    for query in ("kunshan", "昆山", "kun", "kunshn", "崑山", "昆山市"):
        calls = await bot.send(f"/zone {query}")
        assert _card_of(calls, "kunshan"), query
        assert "z:kunshan-etdz" in _data(calls), query
        assert "也可能是：" in text_of(calls) and "昆山经开区" in text_of(calls)
    etdz = await bot.send("/zone 昆山经开区")
    assert _card_of(etdz, "kunshan-etdz")
    assert "z:kunshan" not in _data(etdz)
    await bot.press(etdz[-1], "sub:zone:kunshan-etdz")
    held = await bot.store.subscriptions(USER_ID)
    assert [(s.kind, s.value) for s in held] == [("zone", "kunshan-etdz")]


@pytest.mark.parametrize(
    ("query", "zone_id"),
    [
        ("崑山高新區", "kunshan"),
        ("kunshan高新区", "kunshan"),
        ("昆山 hitech", "kunshan"),
        ("Kunshan ETDZ", "kunshan-etdz"),
        ("kunshan 经开区", "kunshan-etdz"),
        ("蘇州工業園區", "suzhou-industrial-park"),
        ("suzhou industrial park", "suzhou-industrial-park"),
        ("合肥高兴区", "hefei-hitech"),
        ("hefei hitech", "hefei-hitech"),
        ("常德经开区", "changde-etdz"),
        ("harbin hitech", "haerbin-hitech"),
        ("changzhi", "changzhi-hitech"),
        ("抚州", "fuzhou-jiangxi-hitech"),
    ],
)
async def test_traditional_mixed_and_typod_names_reach_the_zone(
    bot: BotHarness, query: str, zone_id: str
) -> None:
    assert _card_of(await bot.send(f"/zone {query}"), zone_id)


async def test_shared_places_offer_a_choice(bot: BotHarness) -> None:
    fuzhou = await bot.send("/zone fuzhou")
    assert "对应多个园区" in text_of(fuzhou)
    assert {"z:fuzhou-hitech", "z:fuzhou-etdz", "z:fuzhou-jiangxi-hitech"} <= set(_data(fuzhou))
    suzhou = await bot.send("/zone 苏州")
    assert {"z:suzhou-hitech", "z:suzhou-industrial-park"} <= set(_data(suzhou))
    listed = [d for d in _data(suzhou) if d.startswith("zl:")]
    assert listed, _data(suzhou)
    pressed = await bot.press(suzhou[-1], listed[0])
    shown = text_of(pressed)
    in_suzhou = [e for e in SHIPPED if "苏州市" in (e.city, e.county_city)]
    assert f"（{len(in_suzhou)} 个）" in shown.splitlines()[0]
    assert "昆山高新区" in shown  # the zone with records comes first


async def test_a_name_of_no_zone_is_never_a_wrong_zone(bot: BotHarness) -> None:
    # 海口 has a hi-tech zone, not an ETDZ: no near miss such as 海安经开区 is shown as it.
    calls = await bot.send("/zone 海口经开区")
    assert "没有与“海口经开区”匹配的园区" in text_of(calls)
    assert _data(calls)[0] == "z:haikou-hitech"
    assert "sub:zone:haian-etdz" not in _data(calls)


async def test_a_zone_with_no_records_gets_an_honest_card(bot: BotHarness) -> None:
    user = await bot.send("/zone 合肥高新区")
    text = text_of(user)
    for fact in ("合肥高新区", "国家级高新区", "安徽省 合肥市", "国家级开发区名单 A"):
        assert fact in text, fact
    assert "暂无该园区的签约或活动记录" in text
    assert _data(user) == ["sub:zone:hefei-hitech"]
    # How the row was made (derived values, what is still to verify) is for admins.
    assert "/add" not in text and "由名称推断" not in text
    admin = text_of(await bot.send("/zone 合肥高新区", chat_id=ADMIN_ID, user_id=ADMIN_ID))
    assert "/add signing" in admin and "hefei-hitech" in admin and "由名称推断" in admin
    english = text_of(await bot.send("/zone hefei hitech", lang="en"))
    assert "No signings or events recorded yet" in english and "Anhui, Hefei" in english
    assert "derived from the name" not in english
    assert "待核实" not in text_of(await bot.send("/zone 绥化经开区"))
    flagged = text_of(await bot.send("/zone 绥化经开区", chat_id=ADMIN_ID, user_id=ADMIN_ID))
    assert "待核实" in flagged and "仅见于名单 A" in flagged


async def test_subscribing_to_a_zone_with_no_records_is_accepted_and_says_so(
    bot: BotHarness,
) -> None:
    text = text_of(await bot.send("/subscribe zone 合肥高新区"))
    assert "已订阅" in text and "暂无合肥高新区的签约或活动记录" in text
    held = await bot.store.subscriptions(USER_ID)
    assert [(s.kind, s.value) for s in held] == [("zone", "hefei-hitech")]


async def test_a_new_record_of_a_directory_zone_alerts_its_followers(
    bot: BotHarness, settings: Settings
) -> None:
    await bot.send("/subscribe zone 合肥经开区")
    await alerts_tick(bot.app)
    bot.api.clear()
    project = Project(
        id="t-hefei-line", zone="hefei-etdz", name_zh="合肥测试产线项目", source="p000-kunshan"
    )
    await write_elsewhere(settings.database_path, FactFile(projects=(project,)), via="test")
    await alerts_tick(bot.app)
    sent = bot.api.texts(USER_ID)
    assert len(sent) == 1 and "合肥测试产线项目" in sent[0] and "合肥经开区" in sent[0]


# ---- /zones --------------------------------------------------------------------------------


def _count(province: str | None = None, zone_type: str | None = None, city: str = "") -> int:
    return sum(
        1
        for e in SHIPPED
        if (province is None or e.province == province)
        and (zone_type is None or zone_type in e.types)
        and (not city or city in (e.city, e.county_city))
    )


@pytest.mark.parametrize(
    ("query", "head", "province", "zone_type", "city"),
    [
        ("江苏", "江苏省", "江苏省", None, ""),
        ("高新区", "高新区", None, "hitech", ""),
        ("hitech", "高新区", None, "hitech", ""),
        ("etdz", "经开区", None, "etdz", ""),
        ("经开区 安徽", "安徽省 · 经开区", "安徽省", "etdz", ""),
        ("苏州", "苏州市", None, None, "苏州市"),
    ],
)
async def test_zones_filters_by_province_type_and_city(
    bot: BotHarness,
    query: str,
    head: str,
    province: str | None,
    zone_type: str | None,
    city: str,
) -> None:
    calls = await bot.send(f"/zones {query}")
    first = _first_line(calls)
    assert first == f"国家级园区：{head}（{_count(province, zone_type, city)} 个）", first
    ids = [d.removeprefix("z:") for d in _data(calls) if d.startswith("z:")]
    assert ids
    for zone_id in ids:
        entry = BY_ID[zone_id]
        assert province is None or entry.province == province
        assert zone_type is None or zone_type in entry.types
        assert not city or city in (entry.city, entry.county_city)


async def test_zones_lists_records_first_with_a_province_chooser_and_pages(
    bot: BotHarness,
) -> None:
    calls = await bot.send("/zones")
    lines = text_of(calls).splitlines()
    assert lines[0] == f"全部园区（{len(SHIPPED)} 个）"
    assert "“收录”指本库记录的签约与活动条数，不是园区报道的数字" in lines[1]
    assert lines[2].startswith("1. 昆山高新区") and "收录 项目 4 · 活动 4" in lines[2]
    assert "暂无记录" in text_of(calls)
    message = calls[-1]
    pressed = await bot.press(message, "zl:江苏省,,:0:e")
    assert _first_line(pressed) == f"国家级园区：江苏省（{_count('江苏省')} 个）"
    next_page = await bot.press(pressed[-1], "zl:江苏省,,:1:e")
    assert "11. " in text_of(next_page)
    english = text_of(await bot.send("/zones jiangsu etdz", lang="en"))
    assert english.startswith(f"National zones: Jiangsu · ETDZ ({_count('江苏省', 'etdz')})")


async def test_zones_with_words_it_does_not_know_says_so(bot: BotHarness) -> None:
    text = text_of(await bot.send("/zones 江苏 火星"))
    assert "没看懂“火星”" in text
    assert _first_line(await bot.send("/zones 江苏 火星")).startswith("国家级园区：江苏省")


# ---- directory questions -------------------------------------------------------------------


async def test_plain_directory_questions_are_answered_from_the_store(bot: BotHarness) -> None:
    listed = await bot.send("苏州有哪些国家级开发区")
    assert _first_line(listed) == f"国家级园区：苏州市（{_count(city='苏州市')} 个）"
    where = text_of(await bot.send("合肥高新区在哪个省"))
    assert where.startswith("合肥高新区 位于 安徽省 合肥市")
    shared = await bot.send("昆山在哪里")
    assert text_of(shared).startswith("昆山高新区 位于 江苏省 苏州市 昆山市")
    assert "z:kunshan-etdz" in _data(shared)
    choice = await bot.send("福州在哪个省")
    assert {"z:fuzhou-hitech", "z:fuzhou-etdz"} <= set(_data(choice))
    counted = text_of(await bot.send("江苏有多少个高新区"))
    assert f"高新区 {_count('江苏省', 'hitech')} 个" in counted
    national = text_of(await bot.send("how many etdzs are there", lang="en"))
    assert f"{_count(zone_type='etdz')} national ETDZs" in national
    where_en = text_of(await bot.send("which province is hefei hitech in", lang="en"))
    assert "is in Anhui, Hefei" in where_en


async def test_search_and_inline_mode_find_directory_zones(bot: BotHarness) -> None:
    search = await bot.send("/search 合肥高新区")
    assert "z:hefei-hitech" in _data(search)
    inline = await bot.inline("合肥高新区")
    answered = [c for c in inline if c.method == "answerInlineQuery"]
    assert answered and "z:hefei-hitech" in [r["id"] for r in answered[0].params["results"]]


# ---- loading -------------------------------------------------------------------------------


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "facts.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()


async def test_loading_the_directory_sends_nothing_and_is_idempotent(store: Store) -> None:
    await store.seed()
    before = await store.max_seq()
    report = await store.load_directory()
    assert report is not None and len(report.added) == len(SHIPPED)
    assert sorted(report.joined) == ["changde", "jiaxing", "kunshan", "xianning"]
    assert await store.max_seq() == before  # nothing in the feed: no alerts, no digests
    assert await store.load_directory() is None
    version = await store.facts_version()
    # A later file corrects one row and adds one: still nothing in the feed.
    corrected = BY_ID["hefei-hitech"].model_copy(update={"note": "checked again"})
    added = DirectoryEntry(
        zone_id="demo-hitech",
        row=999,
        name="示范高新技术产业开发区",
        short="示范高新区",
        types=("hitech",),
        province="江苏省",
        city="苏州市",
        pinyin="shifan",
        name_en="Shifan Hi-tech Industrial Development Zone",
        listed_in="A",
        province_from="hand table",
        derived=("city",),
    )
    later = await store.load_directory([corrected, added], via="test")
    assert later is not None
    assert later.corrected == ["hefei-hitech"] and later.added == ["demo-hitech"]
    assert later.zones_created == ["demo-hitech"]
    assert await store.max_seq() == before
    assert await store.facts_version() > version
    entry = await store.directory_entry("hefei-hitech")
    assert entry is not None and entry.note == "checked again"
    assert (await store.zone("kunshan")) is not None
    kunshan = await store.zone("kunshan")
    assert kunshan is not None and kunshan.source == "p000-kunshan"  # page facts kept
    in_suzhou = await store.directory_zone_ids(city="苏州市")
    assert len(in_suzhou) == _count(city="苏州市") + 1 and in_suzhou[0] == "suzhou-hitech"
    assert await store.directory_zone_ids(city="昆山市", zone_type="etdz") == ["kunshan-etdz"]
    assert await store.directory_type_counts(province="江苏省") == {
        "hitech": _count("江苏省", "hitech") + 1,
        "etdz": _count("江苏省", "etdz"),
        "all": _count("江苏省") + 1,
    }


async def test_a_zone_deleted_by_an_admin_stays_deleted(store: Store) -> None:
    await store.seed()
    await store.load_directory()
    assert await store.delete_record("zone", "hefei-hitech", via="test")
    await store.load_directory([BY_ID["hefei-hitech"].model_copy(update={"note": "x"})])
    assert await store.zone("hefei-hitech") is None


async def test_subscribe_picker_stays_within_telegrams_button_limit(bot: BotHarness) -> None:
    calls = await bot.send("/subscribe")
    data = _data(calls)
    zones = [d for d in data if d.startswith("sub:zone:")]
    assert "sub:zone:kunshan" in zones and len(zones) < 30
    assert len(data) <= 100
    assert "/subscribe zone 合肥高新区" in text_of(calls)


async def test_a_digest_holds_a_directory_zones_new_record_and_never_the_directory(
    bot: BotHarness, settings: Settings
) -> None:
    await bot.send("/subscribe zone 苏州工业园区")
    empty = text_of(await bot.send("/digest now"))
    assert "没有新的" in empty  # loading 411 zones is not news
    project = Project(
        id="t-sip-lab",
        zone="suzhou-industrial-park",
        name_zh="园区测试实验室项目",
        source="p000-kunshan",
    )
    await write_elsewhere(settings.database_path, FactFile(projects=(project,)), via="test")
    digest = text_of(await bot.send("/digest now"))
    assert "招商摘要" in digest and "园区测试实验室项目" in digest and "苏州工业园区" in digest
