"""The search index's Han text as overlapping pairs (人工 工智 智能 能, issue 16): searches find
exactly what they found with one character a token, ranked the same, on a new store and on an
old one migrated."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from bot.core import text as text_module
from bot.core.records import FactFile
from bot.core.text import fts_text, index_text, search_words, unpair
from storage import Store
from storage.migrations import MIGRATIONS
from tests.harness import BotHarness, text_of

PIECES = (
    "人工智能",
    "智能",
    "储能",
    "能源",
    "新能源",
    "电池",
    "固态电池",
    "芯片",
    "AI",
    "ai芯片",
    "Kunshan",
    "，",
    "。",
    "·",
    " ",
    "_",
    "-",
    "12",
    "３号",
    "能",
    "项目",
    "（二期）",
)

# Searches of every form: one character, two, odd lengths, Latin and Han mixed, pinyin and
# Latin prefixes, quoted phrases, text across punctuation and across a record's parts.
SEARCHES = (
    "能",
    "池",
    "人",
    "智能",
    "电池",
    "能源",
    "人工智",
    "工智能",
    "新能源电池",
    "智能 电池",
    "能电",
    "源储",
    "ai芯片",
    "芯片ai",
    "ai 芯片",
    "ai芯",
    "片AI",
    "ＡＩ",
    "kunshan",
    "kun",
    "dianchi",
    "rengong",
    "“固态 电池”",
    '"ai 芯片"',
    "「能 源」",
    "人工，智能",
    "智能，储能",
    "池 ai",
    "12 电池",
    "３号",
    "昆山",
    "昆山 电池",
    "二期",
    "能 OR 池",
)


def _facts(count: int, seed: int) -> FactFile:
    rng = random.Random(seed)

    def phrase(low: int, high: int) -> str:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(low, high)))

    rows = [
        {
            "id": f"pair-{seed}-{i}",
            "zone": "kunshan",
            "name_zh": phrase(1, 4) + f"项目{i}",
            "note": phrase(0, 6) or None,
            "sectors": ["新能源"],
            "stage": "signed",
            "highlights_zh": [phrase(1, 5)],
            "source": "p000-kunshan",
        }
        for i in range(count)
    ]
    return FactFile.model_validate({"projects": rows})


def _one_character_a_token(db: sqlite3.Connection) -> None:
    """The index as it was before pairs: a copy of every document with one Han character a
    token (the pairs undone give back exactly the spaced text the old index held)."""
    db.execute(
        "CREATE VIRTUAL TABLE old_index USING fts5("
        'title, body, tokenize = "unicode61 remove_diacritics 2")'
    )
    rows = db.execute("SELECT rowid, title, body FROM search_index").fetchall()
    db.executemany(
        "INSERT INTO old_index(rowid, title, body) VALUES (?, ?, ?)",
        [(r, unpair(t), unpair(b)) for r, t, b in rows],
    )


def _old_query(text: str, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """The MATCH expression of a search as it was: the spaced characters as one phrase."""

    def phrase(pieces: list[str], prefix: bool = False) -> str | None:
        return f'"{" ".join(pieces)}"' + ("*" if prefix else "") if pieces else None

    with monkeypatch.context() as patch:
        patch.setattr(text_module, "fts_phrase", phrase)
        return search_words(text).query


RANKED = (
    "SELECT rowid, rank FROM {table} WHERE {table} MATCH ? "
    "AND rank MATCH 'bm25(5.0, 1.0)' ORDER BY rank, rowid"
)


async def test_every_form_of_search_finds_and_ranks_what_one_character_a_token_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    store = await Store.open(path)
    try:
        await store.seed()
        await store.apply_facts(_facts(300, seed=1), via="test")
        with sqlite3.connect(path) as db:
            _one_character_a_token(db)
            found_any = 0
            for search in SEARCHES:
                new, old = search_words(search).query, _old_query(search, monkeypatch)
                assert new is not None and old is not None, search
                now = db.execute(RANKED.format(table="search_index"), (new,)).fetchall()
                before = db.execute(RANKED.format(table="old_index"), (old,)).fetchall()
                # The same documents with the very same bm25 scores, in the same order.
                assert now == before, (search, new, old)
                found_any += bool(now)
                hits = await store.search(search, limit=10)
                assert [h.score for h in hits] == [r[1] for r in before[: len(hits)]], search
                assert await store.search_count(search) == min(len(before), 1001), search
        assert found_any >= len(SEARCHES) - 3  # the searches do find things
    finally:
        await store.close()


def test_the_index_text_undone_is_the_text_as_written() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        written = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))
        assert unpair(index_text(written)) == fts_text(written), written
    assert index_text("人工，智能 AI") == " 人工  工智 , 智能  能  AI"  # NFKC: ， -> ,


async def test_one_character_finds_it_at_the_end_of_a_word_and_inside_one(
    bot: BotHarness,
) -> None:
    await bot.store.apply_facts(
        FactFile.model_validate(
            {
                "projects": [
                    {
                        "id": f"one-{i}",
                        "zone": "kunshan",
                        "name_zh": name,
                        "stage": "signed",
                        "source": "p000-kunshan",
                    }
                    for i, name in enumerate(("氢能示范站", "超级电容", "光热储热"))
                ]
            }
        ),
        via="test",
    )
    assert "氢能示范站" in text_of(await bot.send("/search 氢"))  # a pair's first character
    assert "氢能示范站" in text_of(await bot.send("/search 站"))  # a run's last, alone
    assert "超级电容" in text_of(await bot.send("/search 级电"))  # a pair inside the run
    assert "光热储热" in text_of(await bot.send("/search 热储热"))  # odd length
    assert "没有找到" in text_of(await bot.send("/search 热光"))  # not in that order


async def test_an_old_store_has_its_index_re_paired_and_searches_the_same(
    tmp_path: Path,
) -> None:
    fresh, old = tmp_path / "fresh.sqlite3", tmp_path / "old.sqlite3"
    for path in (fresh, old):
        store = await Store.open(path)
        await store.seed()
        await store.apply_facts(_facts(120, seed=7), via="test")
        await store.close()
    # The old store as the bot before pairs left it: one Han character a token (the pairs
    # undone are exactly that text) and the schema version before the migration.
    with sqlite3.connect(old) as db:
        rows = db.execute("SELECT rowid, title, body FROM search_index").fetchall()
        db.executemany(
            "UPDATE search_index SET title = ?, body = ? WHERE rowid = ?",
            [(unpair(t), unpair(b), r) for r, t, b in rows],
        )
        before = next(i for i, script in enumerate(MIGRATIONS) if "search_index_pairs" in script)
        db.execute(f"PRAGMA user_version = {before}")
        assert db.execute(
            "SELECT COUNT(*) FROM search_index WHERE search_index MATCH ?",
            (search_words("电池").query,),
        ).fetchone() == (0,)  # the paired search finds nothing in the old text
    stores = [await Store.open(path) for path in (fresh, old)]
    try:
        with sqlite3.connect(old) as db, sqlite3.connect(fresh) as new:
            sql = "SELECT rowid, title, body FROM search_index ORDER BY rowid"
            assert db.execute(sql).fetchall() == new.execute(sql).fetchall()
            assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        for search in SEARCHES:
            results = [
                [(h.kind, h.record_id, h.score, h.title) for h in await s.search(search)]
                for s in stores
            ]
            assert results[0] == results[1], search
        assert await stores[1].search("电池")  # and finds things
    finally:
        for store in stores:
            await store.close()
