"""Articles in traditional characters (outlets of Hong Kong, Macao, Taiwan) read by the rules.

The rules are written for simplified text. An article in traditional characters is read in its
simplified form, made one character for one character (positions line up), and every string
of the draft is then written back in the article's own characters: 約42億元 stays 約42億元 and
鴻泰光電股份有限公司 keeps its name, so no figure or name is reworded.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.core.extraction.hant_table import SIMPLIFIED, TRADITIONAL
from bot.core.extraction.text import normalise

_TABLE = str.maketrans(TRADITIONAL, SIMPLIFIED)
_TRADITIONAL = frozenset(TRADITIONAL)
# Fewer traditional characters than this (a Hong Kong firm's name in a mainland report) leave
# the text as it is.
MIN_TRADITIONAL = 3


def is_traditional(text: str) -> bool:
    """Whether text is written (at least in part) in traditional characters."""
    return sum(1 for c in text if c in _TRADITIONAL) >= MIN_TRADITIONAL


def simplified(text: str) -> str:
    """text in simplified characters, one character for one: the same length, the same places."""
    return text.translate(_TABLE)


class Restorer:
    """Writes strings drafted from the simplified form back in the article's characters."""

    def __init__(self, original: str) -> None:
        written = normalise(original)
        simple = normalise(simplified(original))
        aligned = len(written) == len(simple)  # always expected; else by characters only
        self._original = written if aligned else ""
        self._simple = simple if aligned else ""
        # A simplified character the article writes one way only (发 always as 發) is written
        # back that way wherever it stands; one it writes two ways (台 and 臺) stays as it is.
        ways: dict[str, set[str]] = {}
        for s, w in zip(simple, written, strict=False):
            ways.setdefault(s, set()).add(w)
        self._by_char = {
            s: next(iter(w)) for s, w in ways.items() if len(w) == 1 and next(iter(w)) != s
        }

    def restore(self, value: str) -> str:
        """value as the article writes it: the article's own span where value is one, else
        character by character."""
        at = self._simple.find(value) if value else -1
        if at != -1:
            return self._original[at : at + len(value)]
        return "".join(self._by_char.get(c, c) for c in value)

    def restore_all(self, node: Any) -> Any:
        """Every string in a draft (mapping keys aside) written back."""
        if isinstance(node, dict):
            return {k: self.restore_all(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.restore_all(v) for v in node]
        if isinstance(node, str) and not node.isascii():
            return self.restore(node)
        return node


def simplified_article(article: Any) -> Any:
    """The Article with its text and credits in simplified characters."""
    changes = {
        name: simplified(value)
        for name in ("text", "title", "outlet", "author")
        if isinstance(value := getattr(article, name), str)
    }
    return dataclasses.replace(article, **changes)
