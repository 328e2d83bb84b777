"""The shipped facts: every fact of the source page is in the store, none invented."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.core.factfile import load_seed
from bot.core.records import Stage
from bot.core.values import Qualifier
from storage import Store


@pytest.fixture
async def store(tmp_path: Path) -> Store:
    store = await Store.open(tmp_path / "facts.sqlite3")
    await store.seed()
    yield store  # type: ignore[misc]
    await store.close()


async def test_the_store_holds_every_record_of_the_source_page(store: Store) -> None:
    # A lost fact changes a count and fails here.
    assert await store.counts() == {
        "sources": 4,
        "areas": 9,
        "labels": 25,
        "zones": 4,
        "companies": 12,
        "projects": 5,
        "events": 9,
        "figures": 9,
    }


async def test_the_four_zones_are_there(store: Store) -> None:
    zones = {z.id: z for z in await store.zones()}
    assert {z.short_zh for z in zones.values()} == {
        "昆山高新区",
        "咸宁高新区",
        "常德高新区",
        "嘉兴高新区",
    }
    assert zones["kunshan"].leading == ("电子信息", "装备制造")
    assert set(zones["kunshan"].emerging) == {
        "先进计算",
        "生命健康",
        "人工智能",
        "绿色低碳",
        "数字经济",
    }


async def test_kunshan_tech_projects_of_january_to_may_add_up(store: Store) -> None:
    figures = {f.id: f for f in await store.zone_figures("kunshan")}
    total = figures["kunshan-tech-projects-jan-may"]
    assert total.value.value == Decimal(159)
    assert total.period is not None and total.period.zh() == "1—5月"
    assert total.period.year is None  # the page gives no year
    capital = figures["kunshan-tech-projects-capital-jan-may"]
    assert (capital.value.value, capital.value.unit) == (Decimal("6.63"), "亿元")
    parts = {f.name_zh: int(f.value.value) for f in figures.values() if f.part_of == total.id}
    assert sorted(parts.values()) == [11, 18, 20, 22, 24, 27, 37]
    assert sum(parts.values()) == 159
    for figure in figures.values():
        assert figure.source == "p000-kunshan"


async def test_event_figures_match_the_page(store: Store) -> None:
    def figures(event_id: str) -> list[tuple[Decimal, str]]:
        return [(f.value.value, f.value.unit) for f in events[event_id].figures]

    events = {
        e.id: e
        for e in [
            await store.event(i)
            for i in (
                "kunshan-zcz-cup-9-beijing",
                "xianning-job-fairs-chongyang-tongshan",
                "changde-zoomlion-cranes-jakarta-oasis",
                "kunshan-tech-roadshows",
                "kunshan-zu-chongzhi-day",
            )
        ]
        if e is not None
    }
    assert figures("kunshan-zcz-cup-9-beijing") == [(21, "个"), (6, "个")]
    assert figures("xianning-job-fairs-chongyang-tongshan") == [(86, "人"), (37, "人")]
    assert figures("changde-zoomlion-cranes-jakarta-oasis") == [(7, "台"), (6, "台")]
    assert figures("kunshan-tech-roadshows") == [(9, "场")]
    cranes = events["changde-zoomlion-cranes-jakarta-oasis"].summary_zh or ""
    for fact in ("RL205-10E", "印尼", "马来西亚", "澳大利亚"):
        assert fact in cranes
    day = events["kunshan-zu-chongzhi-day"].date
    assert day is not None and (day.year, day.month, day.day) == (None, 3, 14)


async def test_the_signings_keep_their_precision_and_hedges(store: Store) -> None:
    dejia = await store.project("kunshan-dejia-solid-state-battery-hq")
    assert dejia is not None
    assert dejia.stage is Stage.SIGNED
    assert dejia.stage_date is not None and dejia.stage_date.zh() == "3月"
    fengmao = await store.project("jiaxing-fengmao-auto-parts-base")
    assert fengmao is not None
    assert fengmao.land_mu is not None and fengmao.land_mu.text() == "约150"
    assert fengmao.land_mu.qualifier is Qualifier.ABOUT
    assert fengmao.annual_output is not None and fengmao.annual_output.text() == "约15亿元"
    assert fengmao.stage_date is None  # 近日: no date on the page
    company = await store.company("fengmao")
    assert company is not None and company.founded is not None and company.founded.year == 2002


async def test_no_date_in_the_facts_carries_an_invented_year() -> None:
    facts = load_seed()
    dates = [p.stage_date for p in facts.projects] + [e.date for e in facts.events]
    dates += [f.period for f in facts.figures]
    assert all(d is None or d.year is None for d in dates)


async def test_every_record_names_a_source_that_exists(store: Store) -> None:
    facts = load_seed()
    sources = {s.id for s in facts.sources}
    for section in (facts.zones, facts.companies, facts.projects, facts.events, facts.figures):
        for record in section:
            assert record.source in sources
