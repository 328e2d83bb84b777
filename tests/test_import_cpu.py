"""What made a big import cheaper (issue 15, item 7) changes no result: the word segmentation
behind the pinyin search words is pypinyin's own, cut for cut; the collector runs less often
only while an import is open; a file the fake Telegram serves from disk arrives whole."""

from __future__ import annotations

import gc
import os
import random
import re
from pathlib import Path

from bot.core.records import Project
from bot.core.text import _segmenter, _word_pinyin, index_text, pinyin_terms
from storage import Store
from storage.bulk_records import prepare
from tests.harness import ADMIN_ID, ROOT, BotHarness, load_script, text_of
from tests.test_upload_streaming import big_csv

# The words of the benchmark's names (bench/bench_import.py), and polyphones read by their word.
_bench = load_script(ROOT / "bench" / "bench_import.py")
WORDS = [*_bench.WORDS, "重庆", "银行", "行长", "长春", "重新", "的确", "朝阳", "音乐", "乐山"]


def pypinyin_cut(text: str) -> list[str]:
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin.seg.mmseg import seg

    return list(seg.cut(text))


def test_segmentation_is_pypinyins_own_cut_for_cut() -> None:
    from pypinyin.constants import PHRASES_DICT

    rng = random.Random(15)
    phrases = sorted(k for k in PHRASES_DICT if 2 <= len(k) <= 6)
    samples = ["", "项", "项目", "新氢能充电桩制药项目", "银行行长重新调度长春", "𠀀汉字𠀁"]
    for _ in range(3000):
        pieces = [rng.choice(WORDS) for _ in range(rng.randint(1, 5))]
        pieces += [rng.choice(phrases) for _ in range(rng.randint(0, 3))]
        rng.shuffle(pieces)
        text = "".join(pieces)
        samples.append(text)
        # Cut anywhere: runs that start or end inside a dictionary word.
        start = rng.randrange(len(text))
        samples.append(text[start : start + rng.randint(1, 9)])
    cut = _segmenter()
    for text in samples:
        assert cut(text) == pypinyin_cut(text), text


def test_search_words_are_as_pypinyin_reads_them() -> None:
    # 重庆银行行长: each polyphone read in its word (chong qing, yin hang, hang zhang).
    words = pinyin_terms("重庆银行行长").split()
    assert "chongqing" in words and "yinhang" in words and "hangzhang" in words
    assert "zhongqing" not in words


def _terms_as_before(text: str, longest: int = 4) -> str:
    """pinyin_terms as it was written first (slice and join each word), the reference."""
    words: list[str] = []
    for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", text):
        read = [s for word in _segmenter()(run) for s in _word_pinyin(word)]
        for size in range(2, longest + 1):
            for start in range(len(read) - size + 1):
                words.append("".join(read[start : start + size]))
    return " ".join(dict.fromkeys(words))


def test_search_words_are_the_same_words_in_the_same_order() -> None:
    rng = random.Random(7)
    samples = ["", "项", "项目", "昆山 Kunshan 高新区", "A股上市·固态电池（二期）项目"]
    for _ in range(2000):
        pieces = [rng.choice([*WORDS, " ", "a", "-", "1号"]) for _ in range(rng.randint(1, 8))]
        samples.append("".join(pieces))
    for text in samples:
        for longest in (1, 2, 3, 4, 6):
            assert pinyin_terms(text, longest) == _terms_as_before(text, longest), text


def test_a_records_search_text_is_the_same_worked_out_part_by_part() -> None:
    # Parts that NFKC changes (full-width, ligatures, circled digits, a combining accent at
    # the start or end of a part), Han and Latin, long and short: the text the index receives
    # is what the whole joined text gave.
    rng = random.Random(3)
    odd = ["ＡＢＣ", "ﬁ", "①", "\u0301e", "e\u0301", "㍿", "Ⅻ", "\u3000", "ｶﾞ", "𠀀"]
    for n in range(300):
        parts = [
            "".join(rng.choice([*WORDS, *odd, "Kunshan ", "x" * 70]) for _ in range(k))
            for k in (rng.randint(1, 4), rng.randint(0, 3), rng.randint(1, 6))
        ]
        record = Project(
            id=f"p-x-{n}",
            zone="kunshan",
            name_zh=parts[0],
            note=parts[1] or None,
            sectors=(parts[2],),
            source="s-1",
        )
        zones = {"kunshan": ["昆山高新区", "ｋｕｎｓｈａｎ", parts[1]]}
        [item] = prepare("project", [record], {}, zones)
        whole = [record.note, *record.sectors, "昆山高新区", "ｋｕｎｓｈａｎ", parts[1]]
        joined = " ".join(p for p in whole if p)
        title = f"{record.name_zh} {record.name_en or ''}"
        assert item.text == f"{index_text(joined)} {pinyin_terms(title)}", parts


async def test_the_collector_is_quieter_only_while_an_import_is_open(tmp_path: Path) -> None:
    before = gc.get_threshold()
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        first = await store.open_spool()
        quiet = gc.get_threshold()
        assert quiet[0] > before[0]
        second = await store.open_spool()  # two uploads at once
        first.close()
        assert gc.get_threshold() == quiet  # the other import is still running
        second.close()
        second.close()  # closing twice changes nothing
        assert gc.get_threshold() == before
    finally:
        await store.close()


async def test_a_file_served_from_disk_is_imported_like_its_bytes(
    bot: BotHarness, tmp_path: Path
) -> None:
    path = tmp_path / "served.csv"
    path.write_bytes(big_csv(rows=300, tag="磁盘"))
    bot.api.files["disk-file"] = path
    document = {
        "file_id": "disk-file",
        "file_unique_id": "disk-file",
        "file_name": "served.csv",
        "file_size": path.stat().st_size,
    }
    text = text_of(await bot.send("", chat_id=ADMIN_ID, user_id=ADMIN_ID, document=document))
    assert "（300 行）" in text and "新增 300" in text
