"""Reading article files: text, Markdown, HTML, Word and PDF, and every way a file can be bad."""

from __future__ import annotations

import pytest

from bot.articles import ArticleError
from bot.articles.model import MAX_FILE_BYTES, text_hash
from bot.articles.readers import article_format, read_file
from tests.article_support import ARTICLE, PAGES, docx_bytes, pdf_bytes


def test_plain_text_in_utf8_and_gbk_reads_the_same() -> None:
    utf8 = read_file("a.txt", ARTICLE.encode("utf-8"))
    gbk = read_file("a.txt", ARTICLE.encode("gbk"))
    bom = read_file("a.txt", b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    assert utf8.text == gbk.text == bom.text
    assert "投资约8.5亿元" in utf8.text


def test_markdown_takes_its_first_heading_as_title_and_drops_markup() -> None:
    text = "# 星澜项目签约\n\n**江苏星澜智能装备有限公司**投资约8.5亿元，详见[原文](http://x.example/a)。\n"
    article = read_file("a.md", text.encode())
    assert article.title == "星澜项目签约"
    assert "江苏星澜智能装备有限公司投资约8.5亿元，详见原文。" in article.text
    assert "**" not in article.text and "http" not in article.text


def test_a_saved_html_page_keeps_the_article_and_drops_scripts_and_menus() -> None:
    article = read_file("page.html", (PAGES / "article.html").read_bytes())
    assert article.title == "昆山高新区举行二季度重大项目集中签约仪式"
    assert article.outlet == "昆山日报" and article.published == "2025-06-19"
    assert "占地约120亩" in article.text
    assert "999亿元" not in article.text and "首页" not in article.text


def test_a_page_that_is_not_an_article_is_said_to_be_one() -> None:
    with pytest.raises(ArticleError) as caught:
        read_file("index.htm", (PAGES / "front-page.html").read_bytes())
    assert caught.value.code == "not_article"


def test_word_paragraphs_and_title_are_read() -> None:
    article = read_file("a.docx", docx_bytes(ARTICLE.split("\n"), title="签约新闻"))
    assert article.title == "签约新闻"
    assert article.text.split("\n")[0] == ARTICLE.split("\n")[0]
    assert "德加能源固态电池总部项目总投资20亿元" in article.text


def test_a_pdf_text_layer_is_read_and_a_scan_is_said_to_have_no_text() -> None:
    article = read_file("a.pdf", pdf_bytes(["27 projects signed, 93.57 billion yuan in total."]))
    assert "93.57 billion yuan" in article.text
    with pytest.raises(ArticleError) as caught:
        read_file("scan.pdf", pdf_bytes(None))
    assert caught.value.code == "no_text"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("a.txt", b"", "empty"),
        ("a.txt", b" \n\t\n", "empty"),
        ("a.txt", b"a" * (MAX_FILE_BYTES + 1), "too_big"),
        ("a.pdf", b"%PDF-1.4 truncated", "corrupt"),
        ("a.docx", b"not a zip at all", "corrupt"),
        ("a.html", b"<html><body><p>short</p></body></html>", "not_article"),
        ("a.exe", b"MZ", "type"),
        ("a.txt", ("字" * 100_001).encode(), "too_long"),
    ],
)
def test_bad_files_are_refused_with_their_reason(name: str, data: bytes, code: str) -> None:
    with pytest.raises(ArticleError) as caught:
        read_file(name, data)
    assert caught.value.code == code


def test_formats_by_name() -> None:
    assert [article_format(n) for n in ("A.PDF", "b.htm", "c.Docx", "d.csv")] == [
        "pdf",
        "html",
        "docx",
        None,
    ]


def test_the_same_text_with_other_spacing_hashes_the_same() -> None:
    assert text_hash(ARTICLE) == text_hash(" " + ARTICLE.replace("\n", "\n\n") + "\n")
    assert text_hash(ARTICLE) != text_hash(ARTICLE.replace("8.5", "8.6"))
