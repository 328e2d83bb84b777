"""What a reader hands on: an article's text and what the page says about it."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

# A news article is a few thousand characters; a file far past this is not one article.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 100_000
# Below this a page holds no article worth drafting from (a menu, a login page, a list).
MIN_ARTICLE_CHARS = 100


class ArticleError(Exception):
    """An input that cannot be read as an article; ``code`` says why (texts render it)."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)


@dataclass(frozen=True)
class ArticleText:
    """The article's text and its metadata where the input gives it (None where it does not)."""

    text: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "published": self.published,
            "url": self.url,
        }

    def with_url(self, url: str | None) -> ArticleText:
        return replace(self, url=url) if url else self


_SPACE = re.compile(r"\s+")


def text_hash(text: str) -> str:
    """The same article pasted, forwarded or uploaded again hashes the same (spacing aside)."""
    flat = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()


_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
PRINTS = 12
MIN_SENTENCE = 15


def sentence_prints(text: str) -> list[str]:
    """The smallest hashes of the article's sentences: the same report pasted, forwarded or
    fetched shares most of them even when a title line, a byline or a footer differs."""
    norm = unicodedata.normalize("NFKC", text)
    hashes = {
        hashlib.sha256(flat.encode("utf-8")).hexdigest()[:16]
        for flat in (_SPACE.sub("", s) for s in _SENTENCE_END.split(norm))
        if len(flat) >= MIN_SENTENCE
    }
    return sorted(hashes)[:PRINTS]


def clean_article_text(text: str) -> str:
    """Line breaks unified, control characters dropped, runs of blank lines closed up."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    text = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def checked(article: ArticleText) -> ArticleText:
    """The article with clean text; ArticleError when there is none or far too much."""
    text = clean_article_text(article.text)
    if not text:
        raise ArticleError("empty")
    if len(text) > MAX_TEXT_CHARS:
        raise ArticleError("too_long", str(len(text)))
    return replace(article, text=text)
