"""Near misses scored through the character filter (issue 16) give exactly what scoring every
candidate gives: the same names, scores and order, equal scores in name order, for queries of
every shape on a realistic index (generated zones named as the bench store names them, and
the shipped zone directory)."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, process

from bot.core import matching
from bot.core.directory_rows import load_shipped_directory
from bot.core.matching import SUGGEST_MIN, ZoneIndex, fold
from bot.core.records import Zone
from bot.core.text import pinyin
from bot.core.traditional import TRADITIONAL
from storage.fact_queries import zone_name_forms

PLACE = (
    "安宝北滨昌长成城川春大丹德东都鄂丰福阜富港广海汉杭合河衡洪湖华淮黄惠吉佳江金锦荆"
    "景九开康兰乐丽连辽临柳龙娄鲁洛马梅绵南宁平莆齐青清泉荣瑞厦山汕韶绍深沈石寿顺松苏"
    "台泰唐天通铜潍渭温文武西咸湘襄新信兴徐许宣阳扬宜义益鹰永榆玉岳云枣湛漳肇镇郑中舟"
    "株珠淄遵"
)
LETTERS = "abcdefghijklmnopqrstuvwxyz"
HAN_TYPOS = "去区技术新心高搞开发展嘬的"
TO_TRADITIONAL = {simple: old for old, simple in TRADITIONAL.items()}


def _index_and_places() -> tuple[ZoneIndex, list[str]]:
    """800 generated zones with the names the bench store gives them (城青, chengqing,
    chengqing12, chengqinghitechzone12, 城青高新区, ...) and every directory zone's names."""
    rng = random.Random(16)
    places: list[str] = []
    while len(places) < 800:
        place = rng.choice(PLACE) + rng.choice(PLACE)
        if place not in places:
            places.append(place)
    pairs: list[tuple[str, str]] = []
    for i, place in enumerate(places):
        zone = Zone(
            id=f"{pinyin(place)}-{i}",
            name_zh=f"{place}高新技术产业开发区",
            short_zh=f"{place}高新区",
            name_en=f"{pinyin(place).title()} Hi-tech Zone {i}",
            province="某省",
            city=f"{place}市",
            aliases=[place],
            source="test",
        )
        pairs += [(name, zone.id) for name in zone_name_forms(zone)]
    for entry in load_shipped_directory():
        names = zone_name_forms(entry.zone()) | entry.names()
        pairs += [(name, entry.zone_id) for name in names]
        places.append(entry.short)
    return ZoneIndex.build(pairs), places


def _typo(rng: random.Random, text: str) -> str:
    """One or two letters dropped, added, swapped or replaced (Han typos for Han text)."""
    alphabet = HAN_TYPOS if any("\u4e00" <= c <= "\u9fff" for c in text) else LETTERS
    for _ in range(rng.randint(1, 2)):
        if len(text) < 2:
            return text + rng.choice(alphabet)
        at = rng.randrange(len(text) - 1)
        edit = rng.randrange(4)
        if edit == 0:
            text = text[:at] + text[at + 1 :]
        elif edit == 1:
            text = text[:at] + rng.choice(alphabet) + text[at:]
        elif edit == 2:
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        else:
            text = text[:at] + rng.choice(alphabet) + text[at + 1 :]
    return text


def _queries(index: ZoneIndex, places: list[str]) -> list[str]:
    rng = random.Random(3)
    names = index.sorted_names
    queries = [
        "kunshax",
        "<b>x</b>",
        "'; drop table zones; --",
        "x",
        "昆",
        "a" * 100,
        "高" * 60,
        "kunshan高新去",
        "崑山高新區",
        "🏭🏭 zone",
        "12345",
    ]
    for _ in range(1200):  # a name mistyped: pinyin, Han, mixed, English
        queries.append(_typo(rng, rng.choice(names)))
    for _ in range(400):
        place = rng.choice(places)
        queries += [
            pinyin(place)[:-1] + "x",  # the bench's near miss
            place[0] + "嘬高新区",  # a wrong character
            place + "高新技产业开发区",  # one dropped
            "".join(TO_TRADITIONAL.get(c, c) for c in place + "高新區"),
            _typo(rng, pinyin(place)) + "gaoxinqu",
            pinyin(place) + _typo(rng, "hitechzone"),
            place + _typo(rng, "gaoxin"),
        ]
    for _ in range(300):  # prefixes, very short and very long
        name = rng.choice(names)
        queries.append(_typo(rng, name[: rng.randint(1, 4)]))
        queries.append(_typo(rng, "".join(rng.choice(names) for _ in range(rng.randint(2, 6)))))
    return queries


def _every_candidate(
    index: ZoneIndex, text: str, limit: int | None = 12
) -> list[tuple[str, float]]:
    """The reference: every candidate scored, as near misses were found before the filter."""
    scored = process.extract(
        text,
        index.near_miss_candidates(text),
        scorer=fuzz.ratio,
        limit=limit,
        score_cutoff=SUGGEST_MIN,
    )
    return [(name, float(score)) for name, score, _ in scored]


def test_near_misses_are_exactly_what_scoring_every_candidate_gives() -> None:
    index, places = _index_and_places()
    assert len(index.names) > 5000
    full = ties_at_cut = 0
    for query in _queries(index, places):
        text = fold(query)
        if not text:
            continue
        expected = _every_candidate(index, text)
        assert index.near_misses(text) == expected, query
        full += len(expected) == 12
        if len(expected) == 12:
            # Names scoring as the 12th but left out: the order of equal scores decides.
            ties_at_cut += len(
                [s for _, s in _every_candidate(index, text, None) if s == expected[-1][1]]
            ) > sum(1 for _, s in expected if s == expected[-1][1])
    # Queries with more close names than are kept, and ties cut by name order, were checked.
    assert full > 300
    assert ties_at_cut > 50


def test_a_typo_resolves_as_scoring_every_candidate_would() -> None:
    index, places = _index_and_places()
    plain = ZoneIndex.build((name, z) for name, zones in index.names.items() for z in zones)
    plain.near_misses = lambda text: _every_candidate(plain, text)  # type: ignore[method-assign]
    rng = random.Random(5)
    found = 0
    for _ in range(300):
        place = rng.choice(places[:800])
        for query in (pinyin(place)[:-1] + "x", place[0] + "嘬高新区", _typo(rng, pinyin(place))):
            answer = index.resolve(query)
            assert answer == plain.resolve(query), query
            found += answer.kind == "found"
    assert found > 100  # most typos still find their zone


def test_the_filter_scores_few_of_the_names_a_pinyin_typo_could_reach(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The point of the filter: a mistyped pinyin name is scored against tens of names, not the
    thousands whose length alone could reach the bar."""
    index, places = _index_and_places()
    scored: list[int] = []
    score = matching._scored

    def counting(text: str, names: list[str]) -> list[tuple[str, float]]:
        scored.append(len(names))
        return score(text, names)

    monkeypatch.setattr(matching, "_scored", counting)
    window = 0
    for place in places[:200]:
        text = pinyin(place)[:-1] + "x"
        assert index.near_misses(text) == _every_candidate(index, text)
        window += len(index._length_window(text))
    assert 0 < sum(scored) * 10 < window


def test_small_and_empty_indexes_answer_as_before() -> None:
    empty = ZoneIndex()
    assert empty.near_misses("kunshax") == []
    assert empty.resolve("kunshax").kind == "none"
    small = ZoneIndex.build([("kunshan", "ks"), ("昆山", "ks"), ("kunshan高新区", "ks")])
    for query in ("kunshax", "昆仙", "kunshan高新去", "x" * 90):
        text = fold(query)
        assert small.near_misses(text) == _every_candidate(small, text), query
    assert small.resolve("kunshax").zone_ids == ("ks",)
