"""The shipped pinyin of the seed's and the directory's texts (bot/core/seed_pinyin.json) is
what pypinyin reads, and covers every text a new store's first start reads as pinyin."""

from __future__ import annotations

import json

from bot.core import text
from tests.harness import ROOT, load_script

TOOL = ROOT / "tools" / "make_seed_pinyin.py"


def test_the_seed_table_covers_a_first_start_and_reads_as_pypinyin_does() -> None:
    tool = load_script(TOOL)
    shipped = json.loads(text.SEED_PINYIN_FILE.read_text(encoding="utf-8"))
    asked = tool.asked_texts()
    assert len(asked["pinyin"]) > 300 and len(asked["terms"]) > 300
    for kind in ("pinyin", "terms"):
        assert sorted(shipped[kind]) == sorted(asked[kind]), "run python tools/make_seed_pinyin.py"
        assert shipped[kind] == tool.computed(kind, asked[kind])
    assert shipped["pinyin"]["昆山"] == "kunshan"


def test_a_text_the_table_lacks_is_read_by_pypinyin() -> None:
    assert text.shipped_reading("pinyin", "昆善") is None
    assert text.pinyin("昆善") == "kunshan"
    assert text.shipped_reading("terms", "新的固态电池项目") is None
    assert "gutai" in text.pinyin_terms("新的固态电池项目").split()
