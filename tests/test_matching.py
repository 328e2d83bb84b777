"""Zone and sector matching (bot/core/matching.py), with no bot and no database."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.factfile import load_seed
from bot.core.lookup import Page, TokenStore, closest_zones
from bot.core.matching import ZoneIndex, resolve_sector, sector_labels
from storage.fact_queries import zone_name_forms

FACTS = load_seed()
INDEX = ZoneIndex.build((name, z.id) for z in FACTS.zones for name in zone_name_forms(z))
AREAS = list(FACTS.areas)
LABELS = list(FACTS.labels)


def test_zone_by_slug_chinese_english_and_pinyin() -> None:
    for query in (
        "kunshan",
        "昆山",
        "昆山高新区",
        "昆山高新技术产业开发区",
        "KunShan",
        "kun shan",
        "Kunshan Hi-tech Zone",
        "kun-shan",
        "KUNSHAN",
    ):
        match = INDEX.resolve(query)
        assert match.kind == "found", query
        assert match.zone_id == "kunshan"


def test_zone_by_prefix_and_near_miss() -> None:
    assert INDEX.resolve("kun").zone_id == "kunshan"
    assert INDEX.resolve("kunshn").zone_id == "kunshan"
    assert INDEX.resolve("xianing").zone_id == "xianning"
    assert INDEX.resolve("嘉兴").zone_id == "jiaxing"


def test_ambiguous_prefix_offers_choices() -> None:
    index = ZoneIndex.build([("suzhougaoxinqu", "suzhou-hi"), ("suzhougongyeyuanqu", "sip")])
    match = index.resolve("suzhou")
    assert match.kind == "ambiguous"
    assert set(match.zone_ids) == {"suzhou-hi", "sip"}


def test_same_name_for_two_zones_is_ambiguous() -> None:
    index = ZoneIndex.build([("fuzhou", "fuzhou-fj"), ("fuzhou", "fuzhou-jx")])
    assert index.resolve("fuzhou").kind == "ambiguous"


def test_empty_and_over_long_queries() -> None:
    assert INDEX.resolve("").kind == "empty"
    assert INDEX.resolve("   ").kind == "empty"
    assert INDEX.resolve("x" * 5000).kind == "none"


def test_no_match_offers_only_names_that_are_close() -> None:
    assert INDEX.resolve("苏州").kind == "none"
    assert closest_zones(INDEX.names, "苏州") == []  # no zone of 苏州 among these four
    assert closest_zones(INDEX.names, "xyzzy") == []
    assert closest_zones(INDEX.names, "<b>x</b>") == []
    assert closest_zones(INDEX.names, "kunshan hitec zone") == ["kunshan"]
    assert INDEX.resolve("xyzzy").suggestions == ()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_input_resolves_without_error(text: str) -> None:
    match = INDEX.resolve(text)
    assert match.kind in ("found", "ambiguous", "none", "empty")
    resolve_sector(text, AREAS, LABELS)


def test_local_label_finds_its_area_and_siblings() -> None:
    match = resolve_sector("新能源", AREAS, LABELS)
    assert match.kind == "found"
    assert match.area == "new-energy"
    assert "固态电池" in match.labels


def test_area_finds_all_its_labels() -> None:
    match = resolve_sector("高端装备制造", AREAS, LABELS)
    assert match.kind == "found"
    assert {"装备制造", "建筑起重机械", "压力容器"} <= match.labels
    assert sector_labels(None, "装备制造", LABELS) >= {"建筑起重机械", "智能制造"}


def test_sector_by_english_and_pinyin() -> None:
    assert resolve_sector("new energy", AREAS, LABELS).area == "new-energy"
    assert resolve_sector("xinnengyuan", AREAS, LABELS).area == "new-energy"
    assert resolve_sector("Auto parts", AREAS, LABELS).label == "汽车零部件"


def test_label_without_area_covers_only_itself() -> None:
    match = resolve_sector("香薰日化", AREAS, LABELS)
    assert match.kind == "found" and match.area is None
    assert match.labels == frozenset({"香薰日化"})


def test_token_store_keeps_recent_queries() -> None:
    tokens = TokenStore(capacity=2)
    a = tokens.put("昆山 电池")
    tokens.put("b")
    tokens.put("c")
    assert tokens.get(a) is None
    assert tokens.get(tokens.put("d")) == "d"


def test_page_bounds() -> None:
    assert Page.of(5, 0).number == 0
    page = Page.of(99, 25)
    assert (page.number, page.count, page.offset) == (2, 3, 20)
    assert page.has_prev and not page.has_next


def test_near_misses_are_scored_only_against_names_sharing_a_script() -> None:
    # A name with no character in common with the query scores 0 and is never offered, so
    # a Latin near miss is scored against the names holding Latin characters only.
    index = ZoneIndex.build(
        [("昆山", "kunshan"), ("kunshan", "kunshan"), ("苏州", "suzhou"), ("suzhou", "suzhou")]
    )
    assert index.near_miss_candidates("kunshax") == ["kunshan", "suzhou"]
    assert index.near_miss_candidates("昆山区") == ["昆山", "苏州"]
    assert index.near_miss_candidates("kunshan高新区") == index.sorted_names
    assert index.resolve("kunshax").zone_id == "kunshan"
    assert index.resolve("昆山市").zone_id == "kunshan"
