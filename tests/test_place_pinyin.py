"""The shipped pinyin of the directory's places is what pypinyin reads, for every place."""

from __future__ import annotations

from bot.core.matching import mixed_pinyin
from bot.core.place_pinyin import PLACE_PINYIN
from tests.harness import ROOT, load_script

TOOL = ROOT / "tools" / "make_place_pinyin.py"


def test_the_place_table_covers_the_shipped_directory_and_reads_as_pypinyin_does() -> None:
    tool = load_script(TOOL)
    stems = tool.stems()
    assert "江苏" in stems and "苏州" in stems and len(stems) > 250
    assert sorted(PLACE_PINYIN) == stems, "run python tools/make_place_pinyin.py"
    wrong = {s: p for s, p in PLACE_PINYIN.items() if p != mixed_pinyin(s)}
    assert not wrong
    assert PLACE_PINYIN["重庆"] == "chongqing" and PLACE_PINYIN["江苏"] == "jiangsu"
