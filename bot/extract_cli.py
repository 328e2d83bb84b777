"""``python -m bot extract FILE_OR_URL [...] --out DIR``: draft fact files from articles.

For each article it writes DIR/<stem>.yaml (the fact-file format, every record with a
`review:` mapping of evidence) and prints one line: what was drafted, by kind. A draft is
validated as a FactFile before it is written, and written whole or not at all.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import tempfile
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.core.extraction import Article, ExtractionError, KnownCompany, KnownZone, extract
from bot.core.records import FactFile

if TYPE_CHECKING:
    from bot.core.matching import ZoneIndex

log = logging.getLogger(__name__)

# Article files read here as text; .html, .docx and .pdf go through bot.articles.readers.
READABLE = (".txt", ".md")
MAX_FILE_BYTES = 5 * 1024 * 1024
KINDS = (
    ("zones", "zone", "zones"),
    ("companies", "company", "companies"),
    ("projects", "project", "projects"),
    ("events", "event", "events"),
    ("figures", "figure", "figures"),
)


class ArticleProblem(Exception):
    """An input that gives no draft; the message is one line for the terminal."""


def read_article(name: str, *, allow_private: bool = False) -> Article:
    """The article in a file (.txt .md .html .docx .pdf) or at a link, or ArticleProblem."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", name, re.I):
        return _read_with_readers(name, None, allow_private)
    path = Path(name)
    if path.suffix.lower() in (".html", ".htm", ".xhtml", ".docx", ".pdf"):
        return _read_with_readers(name, path, allow_private)
    return _read_text_file(path)


def _read_with_readers(name: str, path: Path | None, allow_private: bool) -> Article:
    """Pages, Word and PDF files, and links (fetched with the bot's safe fetcher)."""
    import asyncio
    import html

    from bot.articles import ArticleError
    from bot.articles.fetch import read_url
    from bot.articles.readers import read_file
    from bot.texts.review import article_error

    try:
        if path is None:
            read = asyncio.run(read_url(name, allow_private=allow_private))
        else:
            if not path.is_file():
                raise ArticleProblem("no such file")
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ArticleError("too_big")
            read = read_file(path.name, path.read_bytes())
    except ArticleError as exc:
        raise ArticleProblem(html.unescape(article_error("en", exc.code, exc.detail))) from None
    return Article(**read.fields())


def _read_text_file(path: Path) -> Article:
    if not path.is_file():
        raise ArticleProblem("no such file")
    if path.suffix.lower() not in READABLE:
        raise ArticleProblem(
            f"cannot read {path.suffix or 'files without an extension'}; "
            "use .txt, .md, .html, .docx or .pdf"
        )
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ArticleProblem(
            f"the file is {size / 1024 / 1024:.1f} MB; an article file may be at most "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    from bot.core.import_files import FileProblem, decode_text

    try:
        text, _encoding = decode_text(path.read_bytes())
    except FileProblem:
        raise ArticleProblem("the file is not text (unknown encoding)") from None
    if "\x00" in text:
        raise ArticleProblem("the file is not text (binary content)")
    return Article(text=text)


def source_id_for(text: str) -> str:
    """A stable source id from the article's text: the same article drafts the same source."""
    digest = hashlib.sha1(re.sub(r"\s+", "", text).encode()).hexdigest()[:12]
    return f"article-{digest}"


def summary(doc: Mapping[str, Any]) -> str:
    parts = []
    for key, one, many in KINDS:
        count = len(doc.get(key) or [])
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts) if parts else "no records (nothing the rules recognise)"


def write_atomic(path: Path, text: str) -> None:
    """Write the whole file or nothing: a temporary file in the folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def draft_yaml(doc: Mapping[str, Any], origin: str) -> str:
    head = (
        f"# Draft records from {origin}, made by `python -m bot extract`.\n"
        "# Review every record (the `review:` lines give the sentence each field came from),\n"
        "# fix or delete what is wrong, then load it with `python -m bot import FILE`.\n"
    )
    return head + yaml.safe_dump(dict(doc), allow_unicode=True, sort_keys=False, width=100)


def run(
    inputs: Sequence[str],
    out_dir: Path,
    zones: Sequence[KnownZone],
    labels: Mapping[str, str | None],
    zone: str | None = None,
    *,
    allow_private: bool = False,
    index: ZoneIndex | None = None,
    companies: Sequence[KnownCompany] = (),
    taken_company_ids: Collection[str] = (),
) -> int:
    """Draft each input; 0 when every input gave a draft file, 1 otherwise.

    `index` (the store's zone index) and `companies` (the store's companies) make drafts refer
    to the store's zones and companies by id; without them the rules match `zones` alone.
    """
    failed = 0
    stems: set[str] = set()
    for name in inputs:
        path = Path(name)
        try:
            article = read_article(name, allow_private=allow_private)
            doc = extract(
                article,
                zones,
                source_id=source_id_for(article.text),
                labels=labels,
                zone=zone,
                index=index,
                companies=companies,
                taken_company_ids=taken_company_ids,
            )
            FactFile.model_validate(doc)  # what import reads; a failure here is our bug
        except (ArticleProblem, ExtractionError) as exc:
            print(f"{name}: not drafted: {exc}", file=sys.stderr)
            failed += 1
            continue
        except Exception as exc:  # a bug must not stop the other articles or lose them
            log.exception("extracting %s failed", name)
            print(
                f"{name}: not drafted: the extractor failed ({type(exc).__name__}); "
                "nothing was written for it",
                file=sys.stderr,
            )
            failed += 1
            continue
        stem = path.stem if path.stem not in stems else f"{path.stem}-{len(stems)}"
        stems.add(stem)
        target = out_dir / f"{stem}.yaml"
        try:
            write_atomic(target, draft_yaml(doc, path.name))
        except OSError as exc:
            print(f"{name}: not drafted: cannot write {target} ({exc.strerror})", file=sys.stderr)
            failed += 1
            continue
        print(f"{name}: {summary(doc)} -> {target}")
    return 1 if failed else 0
