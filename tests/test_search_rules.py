"""How /search reads what is typed, through the real Application (README, "How /search reads
what you type"): every word required, quotes for phrases, operators and symbols plain text that
is left out (and said so), and "did you mean" only for names that are genuinely close.
"""

from __future__ import annotations

import pytest

from bot.core.text import search_words
from tests.harness import BotHarness, button_labels, text_of


@pytest.mark.parametrize("junk", ["<b>x</b>", "a OR b*", "* - ( ) :", "NOT"])
async def test_a_search_with_no_word_says_so_and_offers_no_zone(bot: BotHarness, junk: str) -> None:
    calls = await bot.send(f"/search {junk}", lang="en")
    assert "Nothing to search for" in text_of(calls)
    assert button_labels(calls) == []  # no unrelated "did you mean"


async def test_sql_like_search_finds_nothing_suggests_nothing_and_harms_nothing(
    bot: BotHarness,
) -> None:
    calls = await bot.send("/search '; DROP TABLE--")
    assert "没有找到" in text_of(calls) and "未作搜索：';" in text_of(calls)
    assert button_labels(calls) == []
    assert "德加能源" in text_of(await bot.send("/search 电池"))  # the store is whole


async def test_or_and_not_are_plain_and_every_word_is_required(bot: BotHarness) -> None:
    both = text_of(await bot.send("/search 固态 电池"))
    with_or = text_of(await bot.send("/search 固态 OR 电池"))
    assert with_or.startswith(both.splitlines()[0].replace("固态 电池", "固态 OR 电池"))
    assert "未作搜索：OR" in with_or
    # NOT excludes nothing: 固态 is still required, so the 固态电池 project is found.
    assert "德加能源固态电池总部项目" in text_of(await bot.send("/search 电池 NOT 固态"))
    # Every word is required: a word no record has empties the result.
    assert "没有找到" in text_of(await bot.send("/search 电池 量子通信"))


async def test_quotes_keep_a_phrase_together_in_order(bot: BotHarness) -> None:
    assert "Dejia Energy" in text_of(await bot.send('/search "solid state"', lang="en"))
    assert "Nothing found" in text_of(await bot.send('/search "state solid"', lang="en"))
    assert "德加能源" in text_of(await bot.send("/search “固态电池”"))


async def test_short_words_match_whole_long_ones_as_prefixes(bot: BotHarness) -> None:
    assert "AI optical" in text_of(await bot.send("/search ai", lang="en"))
    assert "Kunshan" in text_of(await bot.send("/search kun", lang="en"))


async def test_did_you_mean_only_for_close_names(bot: BotHarness) -> None:
    calls = await bot.send("/search kunshn", lang="en")
    assert any(label.startswith("Kunshan") for label in button_labels(calls))
    for junk in ("/zone xyzzy", "/zone <b>x</b>", "/search xyzzy", "/zone 东京湾"):
        calls = await bot.send(junk, lang="en")
        assert button_labels(calls) == [], (junk, button_labels(calls))
        assert "/zones" in text_of(calls) or "Nothing found" in text_of(calls)


def test_the_rule_reads_words_phrases_and_leftovers() -> None:
    read = search_words('"solid state" battery OR <b>')
    assert read.terms == ('"solid state"', '"battery"*')
    assert read.ignored == ("OR", "<>", "b")
    assert search_words("RL205-10E").ignored == ()  # a hyphen inside a code is no operator
    assert search_words("ai 芯片").query == '"ai" AND "芯片"'  # Han text as pairs
