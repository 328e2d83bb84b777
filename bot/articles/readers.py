"""Readers: bytes of a .txt, .md, .html, .docx or .pdf into an ArticleText.

Heavy libraries (trafilatura for HTML, pypdf for PDF) load on first use, so the bot starts
as fast as before. Every failure is an ArticleError with a code the texts explain.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from bot.articles.model import (
    MAX_FILE_BYTES,
    MIN_ARTICLE_CHARS,
    ArticleError,
    ArticleText,
    checked,
    clean_article_text,
)

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
MAX_PDF_PAGES = 300
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024


def article_format(name: str) -> str | None:
    """txt, md, html, docx or pdf by the file name; None for anything else."""
    return ARTICLE_SUFFIXES.get(Path(name).suffix.lower())


def read_file(name: str, data: bytes, *, url: str | None = None) -> ArticleText:
    """Read an uploaded or saved file by its suffix."""
    kind = article_format(name)
    if kind is None:
        raise ArticleError("type", Path(name).suffix or "(none)")
    return read_bytes(kind, data, url=url)


def read_bytes(
    kind: str, data: bytes, *, url: str | None = None, charset: str | None = None
) -> ArticleText:
    """Read bytes of a known kind (txt, md, html, docx, pdf)."""
    if not data.strip():
        raise ArticleError("empty")
    if len(data) > MAX_FILE_BYTES:
        raise ArticleError("too_big", str(len(data)))
    if kind == "txt":
        article = ArticleText(text=decode(data, charset))
    elif kind == "md":
        article = read_markdown(decode(data, charset))
    elif kind == "html":
        article = read_html(decode_html(data, charset), url=url)
    elif kind == "docx":
        article = read_docx(data)
    elif kind == "pdf":
        article = read_pdf(data)
    else:
        raise ArticleError("type", kind)
    return checked(article.with_url(url))


# ---- text and charsets -------------------------------------------------------------------

_GB_NAMES = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    # Pages labelled GB2312 routinely use GBK characters; GB18030 reads all three.
    if name in _GB_NAMES:
        return "gb18030"
    try:
        import codecs

        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, charset: str | None = None) -> str:
    """Text of a file or page: the declared charset if it reads, else UTF-8, GBK, or a guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = _codec(charset)
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    raise ArticleError("encoding")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode_html(data: bytes, charset: str | None = None) -> str:
    """HTML text: the HTTP header's charset, else the page's <meta charset>, else a guess."""
    if not charset:
        found = _META_CHARSET.search(data[:4096])
        charset = found.group(1).decode("ascii") if found else None
    return decode(data, charset)


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def read_markdown(text: str) -> ArticleText:
    """Markdown as plain text; the first heading is the title."""
    title: str | None = None
    lines: list[str] = []
    for line in text.splitlines():
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
            if title is None and line.strip():
                title = line.strip()
        line = re.sub(r"^\s{0,3}(>\s?|[-*+]\s+)", "", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        lines.append(line)
    return ArticleText(text="\n".join(lines), title=title)


# ---- HTML --------------------------------------------------------------------------------


def read_html(html: str, *, url: str | None = None) -> ArticleText:
    """The page's main text (scripts, menus and footers left out), title, outlet and date."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_tables=True,
            include_comments=False,
            include_images=False,
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        log.debug("could not extract the main text of a page: %s", type(exc).__name__)
        doc = None
    text = ""
    title = outlet = author = published = None
    if doc is not None:
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)  # type: ignore[call-overload]
        text = str(data.get("text") or "")
        title = _meta(data.get("title"))
        outlet = _meta(data.get("sitename"))
        author = _meta(data.get("author"))
        published = _meta(data.get("date"))
    text = clean_article_text(text)
    if len(text) < MIN_ARTICLE_CHARS:
        raise ArticleError("not_article")
    if outlet and url and outlet.lower() in url.lower():
        outlet = None  # a host name guessed from the link is not the outlet's name
    return ArticleText(text=text, title=title, outlet=outlet, author=author, published=published)


def _meta(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())[:300]
    return text or None


# ---- DOCX --------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def read_docx(data: bytes) -> ArticleText:
    """The paragraphs (and table cells) of a Word file, read from its XML; its title if set."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        raise ArticleError("corrupt", "docx") from None
    if info.file_size > MAX_UNZIPPED_BYTES:
        raise ArticleError("too_big", str(info.file_size))
    try:
        root = ElementTree.fromstring(archive.read(info))
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError):
        raise ArticleError("corrupt", "docx") from None
    paragraphs: list[str] = []
    for para in root.iter(f"{_W}p"):
        parts: list[str] = []
        for node in para.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    title = None
    try:
        core = ElementTree.fromstring(archive.read("docProps/core.xml"))
        found = core.find(f"{_DC}title")
        title = _meta(found.text) if found is not None else None
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        pass
    text = "\n".join(paragraphs)
    if not text.strip():
        raise ArticleError("no_text", "docx")
    return ArticleText(text=text, title=title)


# ---- PDF ---------------------------------------------------------------------------------


def read_pdf(data: bytes) -> ArticleText:
    """The text layer of a PDF; a scan with no text layer is said to be one."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ArticleError("encrypted")
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise ArticleError("too_long", f"{len(pages)} pages")
        texts = [page.extract_text() or "" for page in pages]
        meta = reader.metadata
        title = _meta(meta.title) if meta is not None else None
    except ArticleError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        log.debug("could not read a PDF: %s", type(exc).__name__)
        raise ArticleError("corrupt", "pdf") from None
    text = "\n".join(texts)
    if not text.strip():
        raise ArticleError("no_text", "pdf")
    return ArticleText(text=text, title=title)
