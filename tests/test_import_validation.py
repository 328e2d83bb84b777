"""The cheaper validation of a big import (issue 15, item 7) reads and checks exactly as before:
cells cleaned as ``clean_cell`` cleans them, rows counted the same when a CSV is read for
streaming, the same file problems, the same reference check, the same row errors."""

from __future__ import annotations

import random

import pytest

from bot.core import import_files
from bot.core.factfile import FactFileError, KnownIds, check, load_text
from bot.core.import_catalog import Catalog
from bot.core.import_files import FileProblem, Table, clean_cell, read_csv
from bot.core.import_resolve import derived_id
from bot.core.importing import Builder
from bot.core.records import Source, Stage
from bot.core.text import fold_once, normalise

HEADER = ["园区", "项目", "备注", "额外", "阶段", "备注", "数据源"]  # 备注 twice, 额外 ignored
# Pieces of cells: plain text, spaces and other blanks, formula guards, controls, zero-width
# and bidi characters, a TAB- or CR-led formula, quotes, commas and newlines.
PIECES = [
    "甲",
    "abc",
    "12",
    " ",
    "\u3000",
    "\xa0",
    "'",
    "''",
    "=",
    "+1",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\x07",
    "\u200b",
    "\u202e",
    "\u2028",
    '"',
    ",",
    "'=",
    "'\t=",
]


def cells(rng: random.Random) -> list[str]:
    width = rng.randint(0, len(HEADER) + 2)  # short rows, and rows wider than the header
    return [
        "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 3))) if rng.random() < 0.8 else ""
        for _ in range(width)
    ]


def expected(row: list[str]) -> dict[str, str]:
    """What a row reads as, cell by cell with ``clean_cell``: of a repeated column, the first
    cell with text counts; a column the contract does not know is left out."""
    keys = {"园区": "zone", "项目": "project", "备注": "note", "阶段": "stage", "数据源": None}
    values: dict[str, str] = {}
    for name, cell in zip(HEADER, row, strict=False):
        key = keys.get(name)
        if key is None or key in values:
            continue
        text = clean_cell(key, cell)
        if text:
            values[key] = text
    return values


def quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def test_every_kind_of_cell_reads_as_clean_cell_reads_it_held_or_streamed() -> None:
    rng = random.Random(15)
    rows = [cells(rng) for _ in range(3000)]
    rows += [["昆山", "甲", " 两边有空格 ", "", "签约"], ["", "", "", "只有忽略列"], ["  ", "\t"]]
    text = ",".join(HEADER) + "\n" + "".join(",".join(map(quote, r)) + "\n" for r in rows)
    data = text.encode("utf-8")
    held, _ = read_csv(data)
    streamed, _ = read_csv(data, later=True)
    # csv reads back what was written; a row without text in a kept column is no row.
    wanted = [(n, v) for n, v in ((n + 2, expected(r)) for n, r in enumerate(rows)) if v]
    assert held.rows == wanted
    assert streamed.count == held.count == len(wanted)
    assert list(streamed.each()) == wanted
    # the third row from the end (rows count from 2)
    assert held.rows[-1] == (
        len(rows) - 1,
        {
            "zone": "昆山",
            "project": "甲",
            "note": "两边有空格",
            "stage": "签约",
        },
    )
    assert held.ignored_columns == ("额外", "数据源")


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("gb18030", ","), ("utf-16", "\t"), ("utf-8", ";")],
)
def test_encoding_bom_and_delimiter_are_found_the_same_held_or_streamed(
    encoding: str, delimiter: str
) -> None:
    text = "园区,项目,备注\n昆山,甲项目,'=1+2\n嘉兴, 乙项目 ,\n,,\n".replace(",", delimiter)
    data = text.encode(encoding)
    held, found = read_csv(data)
    streamed, found_streaming = read_csv(data, later=True)
    assert (
        found == found_streaming == {"utf-8-sig": "utf-8", "gb18030": "gbk"}.get(encoding, encoding)
    )
    rows = [(2, {"zone": "昆山", "project": "甲项目", "note": "=1+2"})]
    rows.append((3, {"zone": "嘉兴", "project": "乙项目"}))
    assert held.rows == list(streamed.each()) == rows
    assert streamed.count == 2


@pytest.mark.parametrize("later", [False, True])
def test_a_cell_too_long_is_refused_only_where_it_would_be_read(later: bool) -> None:
    long = "长" * (import_files.MAX_CELL_CHARS + 1)
    # In a column the contract does not know, or in a repeated column after one with text,
    # the cell is never read: the file is fine.
    fine = f"园区,项目,备注,备注,额外\n昆山,甲,有,{long},{long}\n".encode()
    table, _ = read_csv(fine, later=later)
    assert table.count == 1
    assert list(table.each()) == [(2, {"zone": "昆山", "project": "甲", "note": "有"})]
    # The first 备注 is empty on row 3: the second one is read, and is too long.
    bad = f"园区,项目,备注,备注\n昆山,甲,有,{long}\n昆山,乙,,{long}\n".encode()
    with pytest.raises(FileProblem) as caught:
        read_csv(bad, later=later)
    assert (caught.value.code, caught.value.detail) == ("cell_too_long", "row 3")
    # One character less is read whole.
    edge = f"园区,项目\n昆山,{long[1:]}\n".encode()
    assert next(read_csv(edge, later=later)[0].each())[1]["project"] == long[1:]


def test_the_reference_check_names_every_problem_in_order() -> None:
    text = """
sources:
  - {id: s-a, title: A}
  - {id: s-a, title: A again}
labels:
  - {label: 新能源}
projects:
  - {id: p-1, zone: z-one, name_zh: 甲, source: s-a, sectors: [新能源, 火星能源]}
  - {id: p-2, zone: atlantis, name_zh: 乙, source: s-gone, company: c-none}
  - {id: p-1, zone: kunshan, name_zh: 丙, source: s-known, sectors: [旧标签]}
"""
    known = KnownIds(
        zones=frozenset({"kunshan", "z-one"}),
        sources=frozenset({"s-known"}),
        labels=frozenset({"旧标签"}),
    )
    with pytest.raises(FactFileError) as caught:
        check(load_text(text), known)
    assert caught.value.problems == [
        "sources[1] (s-a): id is a duplicate",
        "projects[2] (p-1): id is a duplicate",
        "projects[1] (p-2): field source: unknown source 's-gone'",
        "projects[1] (p-2): field zone: unknown zone 'atlantis'",
        "projects[1] (p-2): field company: unknown companie 'c-none'",
        "projects[0] (p-1): field sectors: unknown label '火星能源'",
    ]
    # What the store holds and what the file adds are both known: no problem.
    fine = text.replace("s-a, title: A again", "s-b, title: B").replace(
        "p-1, zone: kunshan", "p-3, zone: kunshan"
    )
    fine = (
        fine.replace("atlantis", "kunshan")
        .replace("s-gone", "s-known")
        .replace(", company: c-none", "")
    )
    check(load_text(fine.replace(", 火星能源", "")), known)


def builder() -> Builder:
    cat = Catalog.empty()
    cat.zone_ids = frozenset({"kunshan"})
    cat.taken = {"projects": set(), "events": set(), "companies": set()}
    return Builder(cat, Source(id="f-test", title="test.csv"))


def test_repeated_stage_and_sector_cells_give_every_row_the_same_answer() -> None:
    build = builder()
    table = Table("signing", None, [])
    written = [
        ("签约", "火星能源、新材料"),
        ("飞天", "火星能源、新材料"),
        ("签约", "火星能源、新材料"),
        ("飞天", "新材料"),
        ("lead", "火星能源"),
    ]
    for number, (stage, sector) in enumerate(written, start=2):
        values = {"zone": "kunshan", "project": f"项目{number}", "stage": stage, "sector": sector}
        build.row(table, number, values)
    # An unknown stage is an error on every row that writes it, not only the first.
    assert [(e.row, e.field, e.code, e.value) for e in build.out.errors] == [
        (3, "stage", "stage", "飞天"),
        (5, "stage", "stage", "飞天"),
    ]
    projects = sorted(build.out.projects.values(), key=lambda p: p.name_zh)
    assert [(p.name_zh, p.stage, p.sectors) for p in projects] == [
        ("项目2", Stage.SIGNED, ("火星能源", "新材料")),
        ("项目4", Stage.SIGNED, ("火星能源", "新材料")),
        ("项目6", Stage.LEAD, ("火星能源",)),
    ]
    # Each new label is created once.
    assert sorted(build.resolver.new_labels) == ["新材料", "火星能源"]


def test_a_big_files_names_are_folded_as_lookups_fold_them_without_filling_their_cache() -> None:
    names = ["昆山 固态电池项目", "ＡＢＣ－1号", "a\u200bb’s (二期)", "Kunshan-Line_2"]
    normalise.cache_clear()
    assert [fold_once(n) for n in names] == [
        "昆山固态电池项目",
        "abc1号",
        "abs二期",
        "kunshanline2",
    ]
    assert normalise.cache_info().currsize == 0  # the lookups' cache is left to lookups
    assert [fold_once(n) for n in names] == [normalise(n) for n in names]
    # A record's id is the same whether the folded name is handed over or worked out.
    taken: set[str] = set()
    assert derived_id("p", "kunshan", names[0], taken) == derived_id(
        "p", "kunshan", names[0], taken, folded=fold_once(names[0])
    )
