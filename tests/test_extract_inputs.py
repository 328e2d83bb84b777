"""python -m bot extract on pages, Word and PDF files and links (the readers and the fetcher)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.core.extraction import KnownZone
from bot.core.factfile import load_path
from bot.extract_cli import run
from tests.article_support import ARTICLE, PAGES, PageServer, docx_bytes, pdf_bytes

ZONES = [KnownZone("kunshan", ("昆山高新技术产业开发区", "昆山高新区", "昆山"))]


async def test_html_docx_and_a_link_give_draft_files_that_import_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "signing.docx").write_bytes(docx_bytes(ARTICLE.split("\n")))
    out = tmp_path / "drafts"
    async with PageServer() as site:
        inputs = [str(PAGES / "article.html"), str(tmp_path / "signing.docx"), f"{site.base}/moved"]
        code = await asyncio.to_thread(run, inputs, out, ZONES, {}, allow_private=True)
    assert code == 0
    printed = capsys.readouterr().out
    for stem in ("article", "signing", "moved"):
        facts = load_path(out / f"{stem}.yaml")  # a valid fact file, as import reads it
        assert facts.projects or facts.events, stem
        assert {p.zone for p in facts.projects} <= {"kunshan"}
        assert f"{stem}.yaml" in printed
    page = load_path(out / "article.yaml")
    assert page.sources[0].publication == "昆山日报"
    assert "999" not in (out / "article.yaml").read_text(encoding="utf-8")  # scripts left out


async def test_bad_inputs_say_why_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "scan.pdf").write_bytes(pdf_bytes(None))
    out = tmp_path / "drafts"
    async with PageServer() as site:
        inputs = [str(tmp_path / "scan.pdf"), f"{site.base}/article.html", f"{site.base}/missing"]
        refused = await asyncio.to_thread(run, inputs[:2], out, ZONES, {})
        missing = await asyncio.to_thread(run, inputs[2:], out, ZONES, {}, allow_private=True)
        assert site.hits == ["missing"]  # the loopback link without permission never connected
    assert refused == 1 and missing == 1
    errors = capsys.readouterr().err
    assert "no readable text" in errors
    assert "private, loopback or link-local" in errors
    assert "(404)" in errors
    assert not out.exists() or not list(out.iterdir())
