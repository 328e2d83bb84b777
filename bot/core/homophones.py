"""Whether a Han text could read as one of some names, told without pypinyin's dictionaries.

A zone typed with other characters of the same sound (昆善 for 昆山) is found by its pinyin,
and reading a text as pinyin loads pypinyin's dictionaries (about 50 MB resident). Most Han
text that is not a zone's name (a /search for 固态电池) cannot read as any name: every
character's possible readings (bot/core/han_readings.py, made from pypinyin's own tables)
show it, so pypinyin is asked only when some reading could be a name.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_STEPS = 20_000  # readings tried before giving up and asking pypinyin


@lru_cache(maxsize=8192)
def readings_of(char: str) -> tuple[str, ...]:
    """Every toneless reading pypinyin may give ``char`` (none: not in its tables)."""
    from bot.core.han_readings import BY_READING

    return tuple(reading for reading, chars in BY_READING.items() if char in chars)


def _starts_a_name(prefix: str, names: Sequence[str]) -> bool:
    at = bisect_left(names, prefix)
    return at < len(names) and names[at].startswith(prefix)


def could_read_as_name(text: str, names: Sequence[str], *, keep_other: bool) -> bool:
    """False only when no reading pypinyin may give ``text`` is one of ``names`` (sorted).

    ``keep_other``: characters other than Han kept as they are (``mixed_pinyin``) or dropped
    (``pinyin``). True, to be safe, for a character the table cannot speak for.
    """
    options: list[tuple[str, ...]] = []
    for char in text:
        if _HAN_CHAR.fullmatch(char):
            heard = readings_of(char)
            if not heard:
                return True
            options.append(heard)
        elif char.isascii():
            if keep_other:
                options.append((char.lower(),))
        else:
            return True  # how pypinyin reads it is not in the table
    steps = 0
    stack: list[tuple[str, int]] = [("", 0)]
    while stack:
        prefix, at = stack.pop()
        if at == len(options):
            found = bisect_left(names, prefix)
            if found < len(names) and names[found] == prefix:
                return True
            continue
        for reading in options[at]:
            steps += 1
            if steps > MAX_STEPS:
                return True
            longer = prefix + reading
            if _starts_a_name(longer, names):
                stack.append((longer, at + 1))
    return False
