"""The reading table never rules out what pypinyin reads: a Han text is read as pinyin
whenever its reading could be a name, so zone matching finds what it found before."""

from __future__ import annotations

import random

from bot.core.directory_rows import load_shipped_directory
from bot.core.factfile import load_seed
from bot.core.homophones import could_read_as_name
from bot.core.matching import ZoneIndex, mixed_pinyin
from bot.core.text import pinyin


def _texts() -> list[str]:
    """Han names and titles the bot holds, and random stretches of them."""
    seed = load_seed()
    whole = [e.name for e in load_shipped_directory()] + [e.short for e in load_shipped_directory()]
    whole += [p.name_zh for p in seed.projects] + [e.title_zh for e in seed.events]
    whole += ["重庆", "长沙", "厦门", "蚌埠", "六安", "乐清", "朝阳", "长春", "会同", "番禺"]
    rng = random.Random(16)
    pieces = []
    for _ in range(600):
        text = rng.choice(whole)
        start = rng.randrange(len(text))
        pieces.append(text[start : start + rng.randint(2, 6)])
    return whole + pieces


def test_what_pypinyin_reads_is_never_ruled_out() -> None:
    for text in _texts():
        read = pinyin(text)
        if read:
            assert could_read_as_name(text, [read], keep_other=False), (text, read)
        mixed = mixed_pinyin(text)
        assert could_read_as_name(text, [mixed], keep_other=True), (text, mixed)


def test_text_that_cannot_read_as_a_name_is_ruled_out() -> None:
    names = sorted(["kunshan", "kunshangaoxinqu", "xianning", "昆山"])
    assert not could_read_as_name("固态电池", names, keep_other=False)
    assert not could_read_as_name("固态电池", names, keep_other=True)
    assert could_read_as_name("昆善", names, keep_other=False)  # sounds as 昆山
    assert could_read_as_name("困山高新区", names, keep_other=True)


def test_a_homophone_still_finds_its_zone() -> None:
    index = ZoneIndex.build([("昆山", "kunshan"), ("kunshan", "kunshan"), ("咸宁", "xianning")])
    index.names["xianning"] = {"xianning"}
    assert index.exact("昆善") == {"kunshan"}
    assert index.exact("咸柠") == {"xianning"}
    assert index.exact("固态电池") == set()
