"""Import of CSV, XLSX and YAML files (valid and not), export read back, templates, the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bot.core import exporting, import_resolve, importing
from storage import Store, user_queries
from tests.harness import ADMIN_ID, USER_ID, BotHarness, replies, run_cli, text_of

SIGNING_HEADER = (
    "zone,company,project,sector,stage,date,investment,registered_capital,land_mu,"
    "annual_output,note,source"
)
ZH_SIGNING_HEADER = "园区,企业,项目,行业,阶段,日期,总投资,注册资本,用地亩,达产产值,备注,来源"

_file_ids = iter(range(1, 1_000_000))
JIAXING_ID = "jiaxing-fengmao-auto-parts-base"


async def upload(
    bot: BotHarness,
    name: str,
    data: bytes,
    *,
    user_id: int = ADMIN_ID,
    size: int | None = None,
) -> list[Any]:
    """Send a document to the bot in private chat, as Telegram would."""
    file_id = f"file{next(_file_ids)}"
    bot.api.files[file_id] = data
    document = {
        "file_id": file_id,
        "file_unique_id": file_id,
        "file_name": name,
        "file_size": len(data) if size is None else size,
    }
    return await bot.send("", chat_id=user_id, user_id=user_id, document=document)


def xlsx(rows: list[list[Any]], title: str = "Sheet1") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---- CSV ----------------------------------------------------------------------------------


async def test_csv_of_new_signings_is_imported_and_feeds_alerts(bot: BotHarness) -> None:
    before = await bot.store.max_seq()
    data = (
        f"{SIGNING_HEADER}\n"
        "昆山,苏州新测试科技有限公司,新测试储能项目,新能源,签约,2025-03,3亿,3000万,约50,1.5亿元,,\n"
        "jiaxing,,嘉兴测试汽配项目,汽车零部件,signed,2025年3月,,,,,试点,某报 2025-03-14\n"
    ).encode()
    text = text_of(await upload(bot, "march.csv", data))
    assert "新增 2" in text and "更新 0" in text
    assert "苏州新测试科技有限公司" in text  # the new company is named
    projects = await bot.store.live_projects(zone_id="kunshan")
    found = [p for p in projects if p.name_zh == "新测试储能项目"]
    assert len(found) == 1
    project = found[0]
    assert project.total_investment is not None and project.total_investment.text() == "3亿元"
    assert project.registered_capital is not None
    assert project.registered_capital.text() == "3000万元"
    assert project.land_mu is not None and project.land_mu.text() == "约50亩"
    assert project.stage_date is not None and project.stage_date.edtf() == "2025-03"
    source = await bot.store.source(project.source)
    assert source is not None and source.title == "march.csv"
    feed = await bot.store.feed_after(before)
    assert {f.change for f in feed} == {"new"} and len(feed) == 2
    history = await bot.store.history("project", project.id)
    assert history[0].via == "file" and history[0].actor_id == ADMIN_ID


async def test_reimporting_the_same_file_reports_unchanged(bot: BotHarness) -> None:
    data = f"{ZH_SIGNING_HEADER}\n昆山,,重复导入项目,新能源,签约,2025-03,3亿,,,,,\n".encode()
    assert "新增 1" in text_of(await upload(bot, "a.csv", data))
    count = (await bot.store.counts())["projects"]
    text = text_of(await upload(bot, "a.csv", data))
    assert "新增 0" in text and "未变 1" in text
    assert (await bot.store.counts())["projects"] == count


async def test_a_changed_stage_updates_the_record_and_enters_the_feed(bot: BotHarness) -> None:
    await upload(bot, "a.csv", f"{SIGNING_HEADER}\n昆山,,阶段项目,,签约,,,,,,,\n".encode())
    seq = await bot.store.max_seq()
    text = text_of(
        await upload(bot, "b.csv", f"{SIGNING_HEADER}\n昆山,,阶段项目,,开工,,,,,,,\n".encode())
    )
    assert "更新 1" in text
    feed = await bot.store.feed_after(seq)
    assert [f.change for f in feed] == ["stage"]


async def test_a_file_changing_a_paper_figure_is_credited_to_the_file(bot: BotHarness) -> None:
    record_id = "kunshan-dejia-solid-state-battery-hq"
    old = await bot.store.project(record_id)
    assert old is not None
    paper = await bot.store.source(old.source)
    assert paper is not None
    changed = f"{ZH_SIGNING_HEADER}\n昆山,,德加能源固态电池总部项目,,,,8亿,,,,,\n".encode()
    assert "更新 1" in text_of(await upload(bot, "change.csv", changed))
    project = await bot.store.project(record_id)
    assert project is not None and project.source != old.source
    source = await bot.store.source(project.source)
    assert source is not None
    assert source.title == f"由 文件 change.csv 导入时修改（原始来源：{paper.title}）"
    assert source.note is not None and old.source in source.note and paper.title in source.note
    card = text_of(await bot.send("/project 德加"))
    assert "总投资8亿元" in card and "文件 change.csv" in card
    # The same file again changes nothing, its source included.
    assert "未变 1" in text_of(await upload(bot, "change.csv", changed))
    again = await bot.store.project(record_id)
    assert again is not None and again.source == project.source
    # A row that only repeats what is stored keeps the record's source.
    same = f"{ZH_SIGNING_HEADER}\n嘉兴,,{(await bot.store.project(JIAXING_ID)).name_zh},,,,,,,,,\n"  # type: ignore[union-attr]
    assert "未变 1" in text_of(await upload(bot, "same.csv", same.encode()))
    kept = await bot.store.project(JIAXING_ID)
    assert kept is not None and kept.source == "p000-jiaxing"


async def test_control_characters_are_stripped_from_cells(bot: BotHarness) -> None:
    data = (
        f"{SIGNING_HEADER}\n"
        '昆\u200b山,,控制\x07字符项目\u200e,新能源,签约,,,,,,"第一行\x07\n第二行\t完",\n'
    ).encode()
    assert "新增 1" in text_of(await upload(bot, "ctrl.csv", data))
    project = next(
        p for p in await bot.store.live_projects("kunshan") if p.name_zh == "控制字符项目"
    )
    assert project.note == "第一行\n第二行\t完"


async def test_an_unknown_sector_is_kept_as_a_new_label_and_named(bot: BotHarness) -> None:
    data = f"{SIGNING_HEADER}\n昆山,,低空项目,低空经济,签约,,,,,,,\n".encode()
    text = text_of(await upload(bot, "a.csv", data))
    assert "新的行业标签" in text and "低空经济" in text
    assert "低空经济" in {lb.label for lb in await bot.store.labels()}


async def test_gbk_csv_is_detected_and_read(bot: BotHarness) -> None:
    data = f"{ZH_SIGNING_HEADER}\n咸宁,,咸宁编码测试项目,新材料,签约,2025-03,2亿,,,,,\n".encode(
        "gbk"
    )
    text = text_of(await upload(bot, "gbk.csv", data))
    assert "新增 1" in text and "GBK" in text
    names = [p.name_zh for p in await bot.store.live_projects(zone_id="xianning")]
    assert "咸宁编码测试项目" in names


async def test_bad_rows_are_named_and_nothing_is_written(bot: BotHarness) -> None:
    counts = await bot.store.counts()
    seq = await bot.store.max_seq()
    data = (
        f"{SIGNING_HEADER}\n"
        "昆山,,好的项目,,签约,,,,,,,\n"
        "火星高新区,,某项目,,签约,,,,,,,\n"
        "昆山,,负数项目,,签约,,-3亿,,,,,\n"
        "昆山,,日期项目,,签约,2025-13-40,,,,,,\n"
        "昆山,,金额项目,,签约,,abc,,,,,\n"
        "昆山,,阶段项目,,差不多,,,,,,,\n"
    ).encode()
    text = text_of(await upload(bot, "bad.csv", data))
    assert "没有写入任何内容" in text
    assert "第 3 行 · 园区 “火星高新区”" in text
    assert "第 4 行 · 总投资 “-3亿”：不能为负数" in text
    assert "第 5 行 · 日期 “2025-13-40”" in text
    assert "第 6 行 · 总投资 “abc”" in text
    assert "第 7 行 · 阶段" in text
    assert "第 2 行" not in text
    assert await bot.store.counts() == counts
    assert await bot.store.max_seq() == seq


async def test_errors_are_told_in_english_to_english_users(bot: BotHarness) -> None:
    data = f"{SIGNING_HEADER}\n昆山,,日期项目,,签约,2025-13-40,,,,,,\n".encode()
    calls = await bot.send("/lang en", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert calls
    text = text_of(await upload(bot, "bad.csv", data))
    assert "row 2, date “2025-13-40”: not a valid date" in text
    assert "nothing was written" in text


async def test_duplicate_rows_are_refused(bot: BotHarness) -> None:
    data = f"{SIGNING_HEADER}\n昆山,,双份,,签约,,,,,,,\n昆山高新区,,双份,,签约,,,,,,,\n".encode()
    text = text_of(await upload(bot, "dup.csv", data))
    assert "第 3 行" in text and "重复" in text


@pytest.mark.parametrize(
    ("name", "data", "size", "expected"),
    [
        ("report.doc", b"\xd0\xcf\x11\xe0", None, "不支持的文件类型"),  # .pdf is an article now
        ("old.xls", b"\xd0\xcf\x11\xe0", None, ".xlsx"),
        ("empty.csv", b"", None, "文件是空的"),
        ("huge.csv", b"x", 21 * 1024 * 1024, "20 MB"),
        ("headers.csv", b"a,b,c\n1,2,3\n", None, "表头"),
        ("only-header.csv", SIGNING_HEADER.encode(), None, "没有数据行"),
        ("broken.xlsx", b"not a zip", None, "XLSX"),
        ("bad.yaml", b"zones: [\n", None, "YAML"),
    ],
)
async def test_bad_files_get_a_clear_message(
    bot: BotHarness, name: str, data: bytes, size: int | None, expected: str
) -> None:
    counts = await bot.store.counts()
    calls = await upload(bot, name, data, size=size)
    assert expected in text_of(calls)
    assert await bot.store.counts() == counts
    if size is not None:
        assert not [c for c in calls if c.method == "getFile"]  # refused before downloading


async def test_a_non_admin_file_is_refused(bot: BotHarness) -> None:
    data = f"{SIGNING_HEADER}\n昆山,,偷偷项目,,签约,,,,,,,\n".encode()
    calls = await upload(bot, "a.csv", data, user_id=USER_ID)
    assert "仅限管理员" in text_of(calls)
    assert len(replies(calls)) == 1
    assert not [c for c in calls if c.method == "getFile"]


# ---- XLSX and YAML ------------------------------------------------------------------------


async def test_xlsx_events_with_figures_are_imported(bot: BotHarness) -> None:
    data = xlsx(
        [
            ["园区", "名称", "类型", "日期", "数据", "备注", "来源"],
            [
                "嘉兴",
                "嘉兴测试招聘会",
                "招聘会",
                "2025-04",
                "意向=86人; 录用|hired=37人",
                None,
                None,
            ],
        ]
    )
    text = text_of(await upload(bot, "events.xlsx", data))
    assert "新增 1" in text
    events = await bot.store.live_events(zone_id="jiaxing")
    event = next(e for e in events if e.title_zh == "嘉兴测试招聘会")
    assert [(f.name_zh, f.name_en, f.value.text()) for f in event.figures] == [
        ("意向", "意向", "86人"),
        ("录用", "hired", "37人"),
    ]
    assert event.date is not None and event.date.edtf() == "2025-04"


async def test_xlsx_numbers_and_dates_cells_are_read(bot: BotHarness) -> None:
    import datetime

    data = xlsx(
        [
            SIGNING_HEADER.split(","),
            ["常德", None, "常德数值项目", "装备制造", "签约", datetime.date(2025, 3, 14), 3000],
        ]
    )
    assert "新增 1" in text_of(await upload(bot, "n.xlsx", data))
    project = next(
        p for p in await bot.store.live_projects("changde") if p.name_zh == "常德数值项目"
    )
    assert project.total_investment is not None
    assert project.total_investment.text() == "3000万元"  # a bare number is 万元
    assert project.stage_date is not None and project.stage_date.edtf() == "2025-03-14"


async def test_xlsx_errors_name_sheet_row_and_field(bot: BotHarness) -> None:
    data = xlsx([SIGNING_HEADER.split(","), ["昆山", None, "x", None, None, "2025-13-40"]], "三月")
    text = text_of(await upload(bot, "bad.xlsx", data))
    assert "[三月] 第 2 行 · 日期" in text


async def test_yaml_fact_file_is_imported(bot: BotHarness) -> None:
    data = (
        "sources:\n  - {id: test-src, title: 测试来源}\n"
        "projects:\n  - {id: yaml-project, zone: kunshan, name_zh: YAML项目, source: test-src}\n"
    ).encode()
    assert "新增 1" in text_of(await upload(bot, "facts.yaml", data))
    assert await bot.store.project("yaml-project") is not None


async def test_large_file_shows_progress_in_one_edited_message(bot: BotHarness) -> None:
    rows = "\n".join(
        f"昆山,,批量项目{i},新能源,签约,2025-03,{i % 90 + 1}亿,,,,," for i in range(10_000)
    )
    calls = await upload(bot, "big.csv", f"{SIGNING_HEADER}\n{rows}\n".encode())
    sent = replies(calls)
    edits = replies(calls, "editMessageText")
    assert len(sent) == 1  # the status message, edited from then on
    assert len(edits) >= 10
    assert {e.params["message_id"] for e in edits} == {sent[0].result["message_id"]}
    assert "10000/10000" in text_of(edits)
    assert "新增 10000" in text_of(edits[-1:])
    assert (await bot.store.zone_count("kunshan")).projects >= 10_000


# ---- export -------------------------------------------------------------------------------


async def test_export_sends_xlsx_and_csv_readable_with_chinese_intact(bot: BotHarness) -> None:
    calls = await bot.send("/export 昆山", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    docs = replies(calls, "sendDocument")
    names = [next(iter(c.files.values()))[0] for c in docs]
    assert names == [
        "zhaoshang-kunshan.xlsx",
        "zhaoshang-kunshan-signings.csv",
        "zhaoshang-kunshan-events.csv",
    ]
    files = {n: next(iter(c.files.values()))[1] for n, c in zip(names, docs, strict=True)}
    book = openpyxl.load_workbook(io.BytesIO(files["zhaoshang-kunshan.xlsx"]))
    signings = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert signings[0][:3] == ["园区", "企业", "项目"]
    assert any(row[2] == "德加能源固态电池总部项目" for row in signings[1:])
    assert {row[0] for row in signings[1:]} == {"昆山高新区"}
    raw = files["zhaoshang-kunshan-signings.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ZH_SIGNING_HEADER.split(",")
    assert any("固态电池" in row[3] for row in rows[1:])
    events = list(
        csv.reader(io.StringIO(files["zhaoshang-kunshan-events.csv"].decode("utf-8-sig")))
    )
    assert any("祖冲之杯" in row[1] for row in events[1:])


async def test_export_caption_names_the_zone_in_the_users_language(bot: BotHarness) -> None:
    calls = await bot.send("/export jiaxing", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    caption = replies(calls, "sendDocument")[0].params["caption"]
    assert caption.startswith("导出（嘉兴高新区）") and "jiaxing" not in caption
    await bot.send("/lang en", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    calls = await bot.send("/export 嘉兴", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    zone = await bot.store.zone("jiaxing")
    assert zone is not None
    caption = replies(calls, "sendDocument")[0].params["caption"]
    assert caption.startswith(f"Export ({zone.name_en})")
    calls = await bot.send("/export 新能源", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    caption = replies(calls, "sendDocument")[0].params["caption"]
    assert "new energy" in caption.lower()


async def test_export_of_a_sector_covers_its_labels(bot: BotHarness) -> None:
    calls = await bot.send("/export 新能源", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    docs = replies(calls, "sendDocument")
    data = next(iter(docs[1].files.values()))[1].decode("utf-8-sig")
    assert "德加能源固态电池总部项目" in data  # 固态电池 is a label of the new-energy area
    assert "丰茂" not in data


async def test_export_of_an_unknown_scope_says_so(bot: BotHarness) -> None:
    text = text_of(await bot.send("/export 火星", chat_id=ADMIN_ID, user_id=ADMIN_ID))
    assert "找不到园区或行业" in text


async def test_export_is_for_admins_only(bot: BotHarness) -> None:
    calls = await bot.send("/export")
    assert "仅限管理员" in text_of(calls)
    assert not replies(calls, "sendDocument")


async def test_export_files_import_again_unchanged(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "s.sqlite3")
    try:
        await store.seed()
        result = await exporting.export(store, exporting.Scope())
        assert result.projects >= 5 and result.events >= 9
        for name, data in result.files():
            read = await importing.read_upload(name, data, store)
            assert read.ok, (name, read.errors)
            assert read.facts is not None
            report = await store.apply_facts(read.facts, via="file")
            assert report.count("new") == 0, (name, report.new)
            assert report.count("updated") == 0, (name, report.updated)
    finally:
        await store.close()


async def test_an_export_read_a_few_records_at_a_time_is_the_same_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exports stream the store a chunk at a time (storage CHUNK): the files are the same
    whatever the chunk, every record in stored order, the header bold and every cell text."""
    store = await Store.open(tmp_path / "s.sqlite3")
    try:
        await store.seed()
        whole = await exporting.export(store, exporting.Scope())
        monkeypatch.setattr(user_queries, "CHUNK", 2)
        monkeypatch.setattr(exporting, "WIDTH_ROWS", 3)  # rows after the widths' sample too
        chunked = await exporting.export(store, exporting.Scope())
        assert (chunked.projects, chunked.events) == (whole.projects, whole.events)
        assert chunked.signings_csv == whole.signings_csv
        assert chunked.events_csv == whole.events_csv
        stored = [p.name_zh for p in await store.live_projects()]
        rows = list(csv.reader(io.StringIO(chunked.signings_csv.decode("utf-8-sig"))))
        assert [row[2] for row in rows[1:]] == stored
        book = openpyxl.load_workbook(io.BytesIO(chunked.xlsx))
        sheet = book.worksheets[0]
        assert [c.value for c in sheet[1]][:2] == ["园区", "企业"]
        assert all(c.font.b for c in sheet[1])
        assert [r[2].value for r in sheet.iter_rows(min_row=2)] == stored
        assert {c.number_format for r in sheet.iter_rows(min_row=2) for c in r} == {"@"}
        assert sheet.column_dimensions["C"].width > 8  # project names are wide
    finally:
        await store.close()


async def test_an_export_bigger_than_one_message_says_how_to_get_it(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exporting, "MAX_SENT", 4)
    calls = await bot.send("/export 昆山", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert not replies(calls, "sendDocument")
    counts = await bot.store.zone_count("kunshan")
    text = text_of(calls)
    assert f"{counts.projects} 个项目" in text and f"{counts.events} 项活动" in text
    assert "超过一次可发送的 4 条" in text and "python -m bot export" in text
    await bot.send("/lang en", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    text = text_of(await bot.send("/export", chat_id=ADMIN_ID, user_id=ADMIN_ID))
    assert "more than the 4 one export can send" in text and "(everything)" in text


async def test_formula_like_text_is_exported_as_text_and_imports_again(bot: BotHarness) -> None:
    data = (
        "园区,项目,企业,备注,来源\n嘉兴,=1+2,@SUM(1),+cmd,-报道\n嘉兴,'=A1,,'已加引号,\n"
    ).encode()
    assert "新增 2" in text_of(await upload(bot, "formula.csv", data))
    names = {p.name_zh: p for p in await bot.store.live_projects("jiaxing")}
    assert "=1+2" in names and "=A1" in names  # the guard apostrophe is dropped on import
    assert names["=A1"].note == "'已加引号"  # any other apostrophe is kept
    calls = await bot.send("/export 嘉兴", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    files = {
        name: content
        for name, content in (next(iter(c.files.values())) for c in replies(calls, "sendDocument"))
    }
    book_bytes = files["zhaoshang-jiaxing.xlsx"]
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(book_bytes)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml  # no formula cells at all
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    cells = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert any(row[2] == "=1+2" and row[1] == "@SUM(1)" and row[10] == "+cmd" for row in cells)
    rows = list(
        csv.reader(io.StringIO(files["zhaoshang-jiaxing-signings.csv"].decode("utf-8-sig")))
    )
    row = next(r for r in rows if r[2] == "'=1+2")
    assert row[1] == "'@SUM(1)" and row[10] == "'+cmd" and row[11] == "'-报道"
    for name in ("zhaoshang-jiaxing.xlsx", "zhaoshang-jiaxing-signings.csv"):
        text = text_of(await upload(bot, name, files[name]))
        assert "新增 0" in text and "更新 0" in text, text


async def test_template_is_sent_and_its_headers_are_accepted(bot: BotHarness) -> None:
    calls = await bot.send("/template", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    docs = replies(calls, "sendDocument")
    assert len(docs) == 3
    name, data = next(iter(docs[0].files.values()))
    assert name.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    header = [c.value for c in book.worksheets[0][1]]
    assert header[0] == "园区 zone" and header[2] == "项目 project"
    # A filled-in template imports.
    sheet = book.worksheets[0]
    sheet.append(["昆山", None, "模板项目", "新能源", "签约", "2025-05", "1亿"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert "新增 1" in text_of(await upload(bot, "filled.xlsx", buffer.getvalue()))
    csv_name, csv_data = next(iter(docs[1].files.values()))
    assert csv_name.endswith(".csv") and csv_data.startswith(b"\xef\xbb\xbf")
    filled = csv_data + "昆山,,CSV模板项目,,签约,,,,,,,\r\n".encode()
    assert "新增 1" in text_of(await upload(bot, csv_name, filled))


def test_figures_round_trip() -> None:
    figures = import_resolve.parse_figures("参赛项目=21个; 落地|landed=约6个")
    assert import_resolve.figures_text(figures) == "参赛项目=21个; 落地|landed=约6个"
    with pytest.raises(ValueError):
        import_resolve.parse_figures("参赛项目 21个")


# ---- the command line ---------------------------------------------------------------------


def test_cli_exports_and_imports_csv_and_xlsx(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "export", "--zone", "昆山", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    paths = [Path(line) for line in result.stdout.split()]
    assert {p.suffix for p in paths} == {".xlsx", ".csv"}
    for path in paths:
        imported = run_cli(tmp_path, "import", str(path))
        assert imported.returncode == 0, imported.stderr
        assert "0 new, 0 updated" in imported.stdout
    new = tmp_path / "new.csv"
    new.write_text(f"{SIGNING_HEADER}\n昆山,,命令行项目,,签约,,,,,,,\n", encoding="utf-8")
    imported = run_cli(tmp_path, "import", str(new))
    assert imported.returncode == 0, imported.stderr
    assert "2 new" in imported.stdout  # the project and its source (the file)


def test_cli_import_of_a_bad_csv_names_row_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{SIGNING_HEADER}\n火星,,某项目,,签约,,,,,,,\n", encoding="utf-8")
    result = run_cli(tmp_path, "import", str(bad))
    assert result.returncode == 2
    assert "row 2, zone “火星”: no zone by that name" in result.stderr


def test_cli_export_of_an_unknown_zone_fails_clearly(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "export", "--zone", "火星")
    assert result.returncode == 2
    assert "火星" in result.stderr
