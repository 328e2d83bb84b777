"""Text normalisation shared by name matching and the full-text index."""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

_DROP = re.compile(r"[\s'’‘`\-‐‑–—_.,，。·・/\\()（）\[\]{}\"“”<>《》!?！？:：;；@#*+=|~]+")
_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_WORD = re.compile(r"[\w\u3400-\u4dbf\u4e00-\u9fff]+", re.UNICODE)

# Suffixes that name the kind of zone, dropped to find the place name: 昆山高新区 -> 昆山.
ZONE_SUFFIXES = (
    "高新技术产业开发区",
    "高新技术产业园区",
    "经济技术开发区",
    "高新区",
    "经开区",
    "开发区",
    "工业园区",
    "产业园区",
    "园区",
)


def strip_controls(text: str) -> str:
    """Drop control and format characters (bell, zero-width, bidi marks) a paste brings in."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))


def normalise(text: str) -> str:
    """Fold a name for comparison: NFKC, lower case, no spaces, apostrophes, hyphens or
    control characters."""
    return _DROP.sub("", strip_controls(unicodedata.normalize("NFKC", text))).lower()


def place_stem(name: str) -> str:
    """The place part of a zone name: 昆山高新区 -> 昆山; a name without a suffix unchanged."""
    for suffix in ZONE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def pinyin(text: str) -> str:
    """Toneless pinyin without separators (昆山 -> kunshan); review it for polyphones."""
    return "".join(lazy_pinyin(text, style=Style.NORMAL, errors="ignore")).lower()


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def pinyin_terms(text: str, longest: int = 4) -> str:
    """Pinyin words for the index, so Latin input finds Chinese titles: 塔机 -> taji.

    Every run of two to ``longest`` adjacent characters becomes one word (固态电池 gives
    gutai, taidian, dianchi, gutaidian, ...): staff type a word's pinyin without knowing where
    our words start. Polyphones are read in context by pypinyin; a wrong reading only adds a
    word nobody searches for.
    """
    words: list[str] = []
    for run in _HAN_RUN.findall(text):
        syllables = [s.lower() for s in lazy_pinyin(run, style=Style.NORMAL, errors="ignore")]
        for size in range(2, longest + 1):
            for start in range(len(syllables) - size + 1):
                words.append("".join(syllables[start : start + size]))
    return " ".join(dict.fromkeys(words))


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def fts_text(text: str) -> str:
    """Text for the FTS index: every Han character a token of its own."""
    return _HAN.sub(r" \1 ", unicodedata.normalize("NFKC", text))


def fts_query(text: str, max_terms: int = 8) -> str | None:
    """A safe FTS5 MATCH expression: each word a quoted phrase, all required; None if empty.

    Han runs become phrases of single characters, so 电池 matches the characters 电, 池
    adjacent and in order; Latin words match as prefixes (kun -> kunshan).
    """
    terms: list[str] = []
    for word in _WORD.findall(strip_controls(unicodedata.normalize("NFKC", text)).lower()):
        pieces = fts_text(word).split()
        if not pieces or (len(word) == 1 and word.isascii() and word.isalpha()):
            # A lone Latin letter (the b of a pasted <b>) matches half the index: skip it.
            continue
        phrase = " ".join(pieces)
        if has_han(word):
            terms.append(f'"{phrase}"')
        else:
            terms.append(f'"{phrase}"*')
        if len(terms) >= max_terms:
            break
    return " AND ".join(terms) if terms else None
