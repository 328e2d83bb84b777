"""Whether a Latin word is an English word, so that "change" is never read as a mistyped zone
name (changde). The word list is pyspellchecker's English one, shipped inside its wheel: read
on first use and kept as its text (2.8 MB); a word is looked up by searching its line (~0.2 ms,
and only questions with a Latin word that no name matches ask)."""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources


@cache
def _word_lines() -> str:
    data = resources.files("spellchecker").joinpath("resources/en.json.gz").read_bytes()
    # One word a line: {\n"a": 48779620,\n"a's": 50,\n ...
    return gzip.decompress(data).decode("utf-8")


def is_english(word: str) -> bool:
    return f'\n"{word.lower()}":' in _word_lines()
