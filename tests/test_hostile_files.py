"""Small hostile files are refused with a clear message, fast, and never stall other users.

Every file is made here: a sheet declaring A1:XFD1048576, a member compressed 1000:1, a huge
shared string, too many members, deep YAML (issue 15, item 3).
"""

from __future__ import annotations

import asyncio
import io
import re
import time
import zipfile
from typing import Any

import openpyxl
import pytest

from bot.core import import_files
from bot.core.import_files import FileProblem
from tests.harness import ADMIN_ID, USER_ID, BotHarness, replies, text_of
from tests.test_import_export import SIGNING_HEADER, upload, xlsx

ROW = ["昆山", "", "恶意文件测试项目", "新能源", "签约", "2025-03", "1亿", "", "", "", "", ""]


def _rewrite(data: bytes, member: str, change: Any) -> bytes:
    """The same XLSX with one member's XML changed by ``change(text) -> text``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == member:
                body = change(body.decode()).encode()
            target.writestr(info.filename, body)
    return out.getvalue()


def _whole_sheet_declared(with_dimension: bool) -> bytes:
    """Header, one row, and a cell at XFD1048576; the dimension says A1:XFD1048576."""
    book = xlsx([SIGNING_HEADER.split(","), ROW])

    def change(xml: str) -> str:
        xml = re.sub(r"<dimension ref=\"[^\"]*\"\s*/>", "", xml)
        if with_dimension:
            xml = xml.replace("<sheetViews>", '<dimension ref="A1:XFD1048576"/><sheetViews>', 1)
        last = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace("</sheetData>", last + "</sheetData>")

    return _rewrite(book, "xl/worksheets/sheet1.xml", change)


def test_declared_whole_sheet_is_refused_before_parsing() -> None:
    data = _whole_sheet_declared(with_dimension=True)
    assert len(data) < 10_000
    started = time.monotonic()
    with pytest.raises(FileProblem) as caught:
        import_files.read_xlsx(data)
    assert caught.value.code == "too_many_rows"
    assert time.monotonic() - started < 2


def test_far_cell_without_dimension_is_refused_quickly() -> None:
    data = _whole_sheet_declared(with_dimension=False)
    started = time.monotonic()
    with pytest.raises(FileProblem) as caught:
        import_files.read_xlsx(data)
    assert caught.value.code == "too_many_rows"
    assert time.monotonic() - started < 20  # streamed: blank rows skipped, nothing kept


def test_member_compressed_a_thousand_to_one_is_refused() -> None:
    huge = "A" * 8_000_000  # one string of 8 MB, packing to a few KB

    def change(xml: str) -> str:
        # openpyxl writes the name as is, or as character references when lxml is installed.
        name = "恶意文件测试项目"
        for written in (name, "".join(f"&#{ord(c)};" for c in name)):
            xml = xml.replace(f"<t>{written}</t>", f"<t>{huge}</t>", 1)
        return xml

    data = _rewrite(xlsx([SIGNING_HEADER.split(","), ROW]), "xl/worksheets/sheet1.xml", change)
    assert len(data) < 100_000
    with pytest.raises(FileProblem) as caught:
        import_files.read_xlsx(data)
    assert caught.value.code == "unpacked_too_big"


def test_too_many_members_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(import_files.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"xl/media/{n}.bin", b"")
    with pytest.raises(FileProblem) as caught:
        import_files.check_xlsx_archive(out.getvalue())
    assert caught.value.code == "unpacked_too_big"


def test_long_cell_is_refused_with_its_place() -> None:
    data = xlsx([SIGNING_HEADER.split(","), [*ROW[:10], "备" * 6000, ""]])
    with pytest.raises(FileProblem) as caught:
        import_files.read_xlsx(data)
    assert caught.value.code == "cell_too_long" and "K2" in caught.value.detail


def test_wide_csv_and_long_csv_are_refused() -> None:
    wide = ",".join(f"c{i}" for i in range(100)) + "\n"
    with pytest.raises(FileProblem) as caught:
        import_files.read_csv(wide.encode())
    assert caught.value.code == "too_many_columns"
    too_long = SIGNING_HEADER + "\n" + "昆山,,x\n" * (import_files.MAX_ROWS + 1)
    with pytest.raises(FileProblem) as caught:
        import_files.read_csv(too_long.encode())
    assert caught.value.code == "too_many_rows"


def test_excel_padding_columns_are_not_counted() -> None:
    padded = SIGNING_HEADER + "," * 80 + "\n" + ",".join(ROW) + "," * 80 + "\n"
    table, _ = import_files.read_csv(padded.encode())
    assert table.rows[0][1]["project"] == "恶意文件测试项目"


def test_normal_sheet_still_reads() -> None:
    tables = import_files.read_xlsx(xlsx([SIGNING_HEADER.split(","), ROW]))
    assert tables[0].rows[0][1]["project"] == "恶意文件测试项目"


async def test_bot_answers_a_bomb_with_a_clear_message(bot: BotHarness) -> None:
    calls = await upload(bot, "bomb.xlsx", _whole_sheet_declared(with_dimension=True))
    assert "行数过多" in text_of(calls)
    assert (await bot.store.zone_count("kunshan")).projects < 100


async def test_deep_yaml_is_refused_with_a_clear_message(bot: BotHarness) -> None:
    calls = await upload(bot, "deep.yaml", b"[" * 50_000)
    assert "nested more than" in text_of(calls)


async def test_other_users_are_answered_while_a_large_file_is_checked(bot: BotHarness) -> None:
    rows = "\n".join(f"昆山,,并发项目{i},新能源,签约,2025-03,1亿,,,,," for i in range(10_000))
    bot.api.files["big"] = f"{SIGNING_HEADER}\n{rows}\n".encode()
    document = {"file_id": "big", "file_unique_id": "big", "file_name": "big.csv"}
    from bot.local_api import message_update

    raw = message_update("", chat_id=ADMIN_ID, user_id=ADMIN_ID, document=document)
    tasks = await bot.process_nowait(raw)
    assert tasks, "the import runs as its own task"
    calls = await bot.send("/zone 昆山", chat_id=USER_ID)
    answer = [c for c in replies(calls) if c.chat_id == USER_ID]
    assert answer and "高新区" in answer[0].text
    assert not all(t.done() for t in tasks), "the /zone answer did not wait for the import"
    await asyncio.wait(tasks, timeout=120)
    assert (await bot.store.zone_count("kunshan")).projects >= 10_000


def test_openpyxl_still_opens_what_we_write() -> None:
    # Guard for the rewrite helper: an unchanged rewrite stays a valid workbook.
    data = _rewrite(xlsx([SIGNING_HEADER.split(","), ROW]), "none", lambda x: x)
    assert openpyxl.load_workbook(io.BytesIO(data)).active is not None
