"""A near miss (kunshax, 沈淄高新技产业开发区) is ranked over the names whose length can reach
the "did you mean" bar only (issue 16): the same names, scores and order as scoring all."""

from __future__ import annotations

import random

from rapidfuzz import fuzz, process

from bot.core.matching import SUGGEST_MIN, ZoneIndex
from bot.core.text import pinyin

PLACES = "安宝北滨昌长成城川春大丹德东都鄂丰福阜富港广海汉杭合河衡洪湖华淮黄惠吉佳江金锦荆"


def _index() -> ZoneIndex:
    rng = random.Random(16)
    pairs = []
    for i in range(600):
        city = rng.choice(PLACES) + rng.choice(PLACES)
        for name in (city, f"{city}高新区", f"{city}高新技术产业开发区", pinyin(city)):
            pairs.append((name, f"zone-{i}"))
        pairs.append((f"{pinyin(city)} hi-tech zone {i}", f"zone-{i}"))
    return ZoneIndex.build(pairs)


def test_near_misses_are_what_scoring_every_name_gives() -> None:
    index = _index()
    names = index.sorted_names
    rng = random.Random(3)
    queries = ["kunshax", "沈淄高新技产业开发区", "安宝高新x", "x", "<b>x</b>", "a" * 40]
    for _ in range(1500):
        name = rng.choice(names)
        cut = rng.randint(1, len(name))
        queries.append(name[:cut] + "".join(rng.choice("xqz高") for _ in range(rng.randint(0, 2))))
    many = 0
    for query in queries:
        every = process.extract(
            query,
            index.near_miss_candidates(query),
            scorer=fuzz.ratio,
            limit=12,
            score_cutoff=SUGGEST_MIN,
        )
        assert index.near_misses(query) == [(n, float(s)) for n, s, _ in every], query
        many += len(every) == 12
    assert many > 20  # queries with more close names than are kept, ties at the cut included


def test_a_typo_still_finds_its_zone_and_junk_finds_none() -> None:
    index = _index()
    name = next(n for n in index.sorted_names if n.endswith("高新技术产业开发区"))
    zone = index.resolve(name)
    assert zone.kind == "found"
    typo = index.resolve(name.replace("术", "朮"))  # no such name: a near miss
    assert typo.kind == "found" and typo.zone_ids == zone.zone_ids
    assert index.resolve("'; drop table").kind == "none"
