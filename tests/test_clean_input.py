"""One cleaning step for every way text comes in; exports that never fail on stored text; the
CSV formula guard covers TAB and CR (issue 15, items 6 and 12)."""

from __future__ import annotations

import io
import sqlite3

import openpyxl

from bot.core import exporting, import_files
from bot.core.factfile import load_text
from bot.core.records import FactFile
from bot.core.text import clean_text
from tests.harness import ADMIN_ID, BotHarness, text_of
from tests.test_import_export import upload

CONTROL_YAML = """projects:
  - id: kunshan-control-chars
    zone: kunshan
    name_zh: "带\\x07控制\\x01符的\\u200b项目"
    sectors: ["新能源"]
    stage: signed
    note: "第一行\\n第二行\\x1b"
    source: p000-kunshan
"""


def test_yaml_strings_are_cleaned_like_spreadsheet_cells() -> None:
    facts = load_text(CONTROL_YAML)
    project = facts.projects[0]
    assert project.name_zh == "带控制符的项目"
    assert project.note == "第一行\n第二行"


def test_lone_surrogates_are_removed_by_the_cleaning_step() -> None:
    assert clean_text("昆山\ud800高新区") == "昆山高新区"
    assert import_files.clean_cell("project", "a\udfffb") == "ab"


async def test_yaml_import_with_control_characters_then_export_works(bot: BotHarness) -> None:
    calls = await upload(bot, "ctl.yaml", CONTROL_YAML.encode())
    assert "新增" in text_of(calls)
    stored = await bot.store.project("kunshan-control-chars")
    assert stored is not None and stored.name_zh == "带控制符的项目"
    calls = await bot.send("/export 昆山", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    documents = [c for c in calls if c.method == "sendDocument" and c.error is None]
    assert len(documents) == 3  # xlsx, and a csv each for projects and events


async def test_export_never_fails_on_text_stored_before_cleaning(bot: BotHarness) -> None:
    await bot.store.apply_facts(load_text(CONTROL_YAML), via="test")
    # Text written before imports were cleaned (an old row): control chars in the body.
    db = sqlite3.connect(bot.settings.database_path)
    with db:
        db.execute(
            "UPDATE projects SET body = json_set(body, '$.name_zh', ?) WHERE id = ?",
            ("旧\x07数据\x0b项目", "kunshan-control-chars"),
        )
    db.close()
    calls = await bot.send("/export 昆山", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    documents = {
        c.files["document"][0]: c.files["document"][1]
        for c in calls
        if c.method == "sendDocument" and c.error is None
    }
    assert len(documents) == 3, text_of(calls)
    book_bytes = next(data for name, data in documents.items() if name.endswith(".xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    values = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value]
    assert "旧数据项目" in values


def test_formula_guard_covers_tab_and_cr() -> None:
    data = exporting.to_csv(["a", "b", "c"], [["\t=cmd|' /C calc'!A0", "\r+1", "plain"]])
    text = data.decode("utf-8-sig")
    assert "'\t=cmd" in text and "'\r+1" in text
    assert ",plain" in text
    book = openpyxl.load_workbook(
        io.BytesIO(exporting.to_xlsx([("s", ["a"], [["\t@SUM(1)"], ["\r-2"]])]))
    )
    cells = [row[0] for row in book.worksheets[0].iter_rows(min_row=2)]
    assert all(c.quotePrefix for c in cells)


def test_fact_file_model_keeps_clean_text() -> None:
    assert FactFile.model_validate({}).projects == ()
