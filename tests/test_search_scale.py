"""/search at scale: ranked inside the FTS table, counts bounded, the same top results."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from bot.core.records import FactFile
from bot.core.text import fts_query
from storage import Store
from storage.fact_queries import broad_page
from tests.harness import BotHarness, text_of

WORDS = ("储能", "电池", "芯片", "光伏", "机器人", "传感器", "碳纤维", "氢能")
ZONES = ("kunshan", "xianning", "changde", "jiaxing")


def _projects(count: int, seed: int, words: tuple[str, ...] = WORDS) -> FactFile:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        word, other = rng.sample(words, 2)
        rows.append(
            {
                "id": f"gen-{seed}-{i}",
                "zone": ZONES[i % len(ZONES)],
                "name_zh": f"{word}{'项目' * rng.randint(1, 3)}{i}",
                "sectors": ["新能源"],
                "stage": "signed",
                "highlights_zh": [f"年产{other}{rng.randint(1, 99)}万套" * rng.randint(1, 3)],
                "source": "p000-kunshan",
            }
        )
    return FactFile.model_validate({"projects": rows})


# The query /search ran before it ranked inside the FTS table (bm25 over the join).
OLD_SEARCH = (
    "SELECT d.kind, d.record_id, bm25(search_index, 5.0, 1.0) AS r "
    "FROM search_index s JOIN search_docs d ON d.id = s.rowid WHERE search_index MATCH ? "
    "ORDER BY (d.kind = 'zone' AND d.record_id IS ?) DESC, r LIMIT ? OFFSET ?"
)


def _old(path: Path, text: str, prefer: str | None, limit: int, offset: int) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(OLD_SEARCH, (fts_query(text), prefer, limit, offset)).fetchall()


async def test_search_returns_the_same_top_results_as_the_old_query(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = await Store.open(path)
    try:
        await store.seed()
        await store.apply_facts(_projects(400, seed=1), via="test")
        cases = [
            ("储能", None),
            ("电池 项目", None),
            ("昆山 芯片", None),
            ("kunshan", "kunshan"),
            ("昆山", "kunshan"),
            ("chuneng", None),
            ("年产", None),
        ]
        for text, prefer in cases:
            for offset in (0, 10, 30):
                new = await store.search(text, limit=10, offset=offset, prefer_zone=prefer)
                old = _old(path, text, prefer, 10, offset)
                assert old, text
                # Equal scores may come in either order; the scores in order, and every hit
                # ranked strictly above the page's last score, must be the same.
                assert [round(h.score, 9) for h in new] == [round(r[2], 9) for r in old], text
                last = old[-1][2]
                assert {(h.kind, h.record_id) for h in new if h.score < last - 1e-9} == {
                    (r[0], r[1]) for r in old if r[2] < last - 1e-9
                }, text
                if prefer is not None and offset == 0:
                    assert (new[0].kind, new[0].record_id) == ("zone", prefer)
    finally:
        await store.close()


async def test_a_search_with_over_a_thousand_matches_reads_1000_plus(bot: BotHarness) -> None:
    await bot.store.apply_facts(_projects(1050, seed=2, words=("储能", "储能")), via="test")
    calls = await bot.send("/search 储能")
    text = text_of(calls)
    assert "1,000+ 条" in text
    # Past the cap, title matches come newest first (bm25 over every match would be slow).
    assert "1049" in text.splitlines()[1] and "1048" in text.splitlines()[2]
    # The pages cover the best thousand: the counter button reads 1/100.
    labels = [b for c in calls for row in c.buttons for b in row]
    assert any("1/100" in str(b) for b in labels), labels
    calls = await bot.send("/search 储能", lang="en")
    assert "1,000+ results" in text_of(calls)


async def test_a_search_under_the_cap_keeps_its_exact_count(bot: BotHarness) -> None:
    await bot.store.apply_facts(_projects(37, seed=3, words=("碳纤维", "碳纤维")), via="test")
    text = text_of(await bot.send("/search 碳纤维"))
    assert "共 37 条" in text and "+" not in text.splitlines()[0]


async def test_a_new_record_moves_the_cached_count(bot: BotHarness) -> None:
    await bot.store.apply_facts(_projects(5, seed=4, words=("石墨烯", "石墨烯")), via="test")
    assert "共 5 条" in text_of(await bot.send("/search 石墨烯"))
    await bot.store.apply_facts(_projects(6, seed=5, words=("石墨烯", "石墨烯")), via="test")
    assert "共 11 条" in text_of(await bot.send("/search 石墨烯"))


# The broad search's page before it streamed each tier: every match sorted by (tier, rowid).
OLD_BROAD = (
    "SELECT d.kind, d.record_id FROM "
    "(SELECT id, tier FROM (SELECT rowid AS id, 0 AS tier FROM search_index "
    "WHERE search_index MATCH ? UNION ALL SELECT rowid, 1 FROM search_index "
    "WHERE search_index MATCH ?) WHERE id IS NOT ? ORDER BY tier, id DESC "
    "LIMIT ? OFFSET ?) p JOIN search_docs d ON d.id = p.id ORDER BY p.tier, p.id DESC"
)


async def test_broad_pages_are_the_same_across_the_title_tier_boundary(tmp_path: Path) -> None:
    """Past the cap, pages stream title matches then the others, newest first: the same
    pages as sorting every match, on both sides of the boundary and with a record skipped."""
    path = tmp_path / "bot.sqlite3"
    store = await Store.open(path)
    try:
        await store.seed()
        await store.apply_facts(_projects(1100, seed=4, words=("储能", "电池")), via="test")
        assert await store.search_count("储能") > 1000
        query = fts_query("储能")
        assert query is not None
        in_title = f"{{title}} : ({query})"
        with sqlite3.connect(path) as db:
            in_first = db.execute(
                "SELECT COUNT(*) FROM search_index WHERE search_index MATCH ?", (in_title,)
            ).fetchone()[0]
            some = db.execute(
                "SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT 1 OFFSET 7",
                (in_title,),
            ).fetchone()[0]
        assert 100 < in_first < 1000  # both tiers hold matches
        for skipped in (None, some):
            for offset in (0, 10, in_first - 12, in_first - 5, in_first, in_first + 3, 990):
                with sqlite3.connect(path) as db:
                    old = db.execute(
                        OLD_BROAD,
                        (in_title, f"({query}) NOT {in_title}", skipped, 10, offset),
                    ).fetchall()
                new = await store.read(
                    lambda conn, s=skipped, o=offset: broad_page(conn, query, s, 10, o)
                )
                assert len(old) == 10, offset
                assert [(r[0], r[1]) for r in new] == [tuple(r) for r in old], (skipped, offset)
    finally:
        await store.close()
