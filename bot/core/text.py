"""Text normalisation shared by name matching and the full-text index."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

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


_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n"})


def clean_text(text: str, multiline: bool = False) -> str:
    """Text without control (Cc), format (Cf) or lone surrogate (Cs) characters; notes keep
    newlines and tabs. The one cleaning step of every way text comes in (files, /add, /edit).

    Whitespace controls become a space (a newline in a name separates words); the others go.
    """
    if text.isprintable():  # the usual case: nothing to remove
        return text.strip()
    if multiline:
        text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    out = []
    for char in text:
        if multiline and char in "\n\t":
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs"):
            if char.isspace():
                out.append(" ")
        elif char in "\u2028\u2029":  # Zl/Zp: line breaks by another name
            out.append("\n" if multiline else " ")
        else:
            out.append(char)
    return "".join(out).strip()


def clean_tree(data: object) -> object:
    """Every string in decoded YAML or JSON cleaned (keys too), newlines kept."""
    if isinstance(data, str):
        return clean_text(data, multiline=True)
    if isinstance(data, dict):
        return {clean_tree(k): clean_tree(v) for k, v in data.items()}
    if isinstance(data, list):
        return [clean_tree(v) for v in data]
    return data


def strip_controls(text: str) -> str:
    """Drop control and format characters (bell, zero-width, bidi marks) a paste brings in."""
    if text.isprintable():  # the usual case, checked in C
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Fold a name for comparison: NFKC, lower case, no spaces, apostrophes, hyphens or
    control characters."""
    return _DROP.sub("", strip_controls(unicodedata.normalize("NFKC", text))).lower()


def fold_once(text: str) -> str:
    """``normalise`` without its cache, for names seen once (the record names of a big
    import): they would only push out of the cache the names looked up again and again."""
    return normalise.__wrapped__(text)


def place_stem(name: str) -> str:
    """The place part of a zone name: 昆山高新区 -> 昆山; a name without a suffix unchanged."""
    for suffix in ZONE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


ReadingKind = Literal["pinyin", "terms"]
SEED_PINYIN_FILE = Path(__file__).with_name("seed_pinyin.json")


@cache
def _tables() -> Mapping[ReadingKind, Mapping[str, str]]:
    """The shipped readings of the seed's and the directory's texts (tools/make_seed_pinyin.py),
    so that a new store's first start (seeding it, loading the directory) never loads
    pypinyin's dictionaries (about 54 MB resident)."""
    with SEED_PINYIN_FILE.open(encoding="utf-8") as file:
        tables: dict[ReadingKind, dict[str, str]] = json.load(file)
    return tables


def shipped_reading(kind: ReadingKind, text: str) -> str | None:
    """The shipped reading of ``text`` (``pinyin``, or ``pinyin_terms`` with its default
    ``longest``), or None when the table lacks it."""
    return _tables()[kind].get(text)


@cache
def _reader() -> Callable[[str], list[str]]:
    """pypinyin's toneless reader, imported on first use: its dictionaries take tens of MB,
    and most lookups (a name typed in Chinese or Latin) never need them."""
    # pypinyin copies its dictionaries unless told not to; we never customise them.
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import Style, lazy_pinyin

    def read(text: str) -> list[str]:
        return [s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore")]

    return read


def syllables(text: str) -> list[str]:
    """Toneless pinyin syllables of the Han characters in ``text`` (others are dropped)."""
    if not has_han(text):
        return []  # what pypinyin answers too, without loading it
    return _reader()(text)


def pinyin(text: str) -> str:
    """Toneless pinyin without separators (昆山 -> kunshan); review it for polyphones."""
    if not has_han(text):
        return ""
    shipped = shipped_reading("pinyin", text)
    return shipped if shipped is not None else "".join(syllables(text))


@lru_cache(maxsize=100_000)
def _word_pinyin(word: str) -> tuple[str, ...]:
    return tuple(syllables(word))


@cache
def _segmenter() -> Callable[[str], list[str]]:
    """pypinyin's word segmentation, loaded with its dictionaries on first use."""
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg.mmseg import p_set

    prefixes: set[str] = p_set._set
    words: Mapping[str, object] = PHRASES_DICT

    def cut(text: str) -> list[str]:
        # pypinyin's strict forward maximum matching (``mmseg.seg.cut``, no_non_phrases),
        # the same words in the same cases, by index instead of a generator re-slicing what
        # remains: a third faster, which a 200,000-row import notices (1.1 s instead of 1.7 s).
        # Each position takes the longest dictionary word among the prefixes pypinyin knows;
        # none: one character, or every character left when all the rest is a known prefix.
        out: list[str] = []
        end = len(text)
        at = 0
        while at < end:
            word_end = 0
            stop = at + 1
            while stop <= end:
                prefix = text[at:stop]
                if prefix not in prefixes:
                    break
                if prefix in words:
                    word_end = stop
                stop += 1
            if word_end:
                out.append(text[at:word_end])
                at = word_end
            elif stop <= end:
                out.append(text[at])
                at += 1
            else:
                out.extend(text[at:])
                break
        return out

    return cut


_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


class _Spaced(dict[int, str]):
    """Each Han character spaced out, for ``fts_text``: str.translate does it in C, several
    times faster than a regex substitution (it matters for a 200,000-row import). Filled as
    characters are met (every other character maps to itself), so it holds the characters
    the store uses instead of all 28,000 Han code points (4.5 MB) from start-up on; code
    points past the Basic Multilingual Plane (no Han range here) stay out, so it is bounded."""

    def __missing__(self, code: int) -> str:
        if code > 0xFFFF:
            raise LookupError(code)  # str.translate keeps the character as it is
        han = any(first <= code <= last for first, last in _HAN_RANGES)
        self[code] = found = f" {chr(code)} " if han else chr(code)
        return found


_HAN_SPACED = _Spaced()

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def pinyin_terms(text: str, longest: int = 4) -> str:
    """Pinyin words for the index, so Latin input finds Chinese titles: 塔机 -> taji.

    Every run of two to ``longest`` adjacent characters becomes one word (固态电池 gives
    gutai, taidian, dianchi, gutaidian, ...): staff type a word's pinyin without knowing where
    our words start. Polyphones are read in context by pypinyin; a wrong reading only adds a
    word nobody searches for.
    """
    if longest == 4 and (shipped := shipped_reading("terms", text)) is not None:
        return shipped
    words: list[str] = []
    for run in _HAN_RUN.findall(text):
        # pypinyin reads a run word by word (its own segmentation); the words repeat across
        # records (项目, 电池, 有限公司), so each word's reading is computed once.
        read = [s for word in _segmenter()(run) for s in _word_pinyin(word)]
        # Each size's words from the size before, one syllable longer: the words of size n
        # starting at i, in order (as slicing and joining gave them, at a third of the cost).
        grams = read
        for size in range(2, longest + 1):
            grams = [a + b for a, b in zip(grams, read[size - 1 :], strict=False)]
            words.extend(grams)
    return " ".join(dict.fromkeys(words))


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def fts_text(text: str) -> str:
    """Every Han character spaced out: a token of its own (a search's words; the index holds
    pairs, ``index_text``)."""
    return unicodedata.normalize("NFKC", text).translate(_HAN_SPACED)


_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUNS = re.compile(rf"([{_HAN_CLASS}]+)").split
_HAN_CHAR = re.compile(rf"[{_HAN_CLASS}]")
_TOKEN_CHAR = re.compile(r"[^\W_]|[\ue000-\uf8ff]")


class _Joins(dict[str, bool]):
    """Whether the text between two Han characters is separators only (spaces, punctuation,
    the underscore: nothing the index's tokenizer, unicode61, keeps), so that the characters
    are adjacent tokens. Filled as texts are met (a few dozen distinct in a store)."""

    def __missing__(self, between: str) -> bool:
        joins = _TOKEN_CHAR.search(between) is None
        if len(self) < 4096:
            self[between] = joins
        return joins


_JOINS = _Joins()


def fts_pairs(text: str) -> str:
    """Text for the FTS index from NFKC-normalised text (``index_text``): each Han character
    becomes the pair it starts (itself and the next character of its run), the last of a run
    stays alone, each spaced out as ``fts_text`` spaces characters.

    人工智能 -> 人工 工智 智能 能: as many tokens as characters, at the same positions, so a
    phrase matches exactly where it matched one character a token, with the same bm25
    (lengths and counts unchanged), but a word's phrase reads the short lists of its pairs
    instead of the long ones of its characters (人, 能 are in a third of a big store). A run
    reaches across separators (人工，智能 is one run), as adjacent tokens did. ``fts_phrase``
    turns a search's words into pairs; ``unpair`` undoes them for a title shown. Pair a
    whole title or body, not its parts one by one: a run can cross the space between parts.
    """
    parts = _HAN_RUNS(text)  # between, run, between, run, ..., between
    last = len(parts) - 1
    for i in range(1, last, 2):
        run = parts[i]
        tail = run[-1]
        if i + 2 < last and _JOINS[parts[i + 1]]:
            tail += parts[i + 2][0]  # the run goes on past the separators
        if len(run) == 1:
            parts[i] = f" {tail} "
        else:
            parts[i] = f" {'  '.join(map(str.__add__, run, run[1:]))}  {tail} "
    return "".join(parts)


def index_text(text: str) -> str:
    """A title or body as the FTS index holds it (see ``fts_pairs``)."""
    return fts_pairs(unicodedata.normalize("NFKC", text))


_SPACED_HAN = re.compile(rf" ([{_HAN_CLASS}]) ")


def repair_spaced(spaced: str) -> str:
    """The index text of the text ``fts_text`` spaced (migration 9 re-pairs the index's
    text with it): removing the spaces ``fts_text`` added gives the text back exactly."""
    return fts_pairs(_SPACED_HAN.sub(r"\1", spaced))


_PAIR = re.compile(rf"([{_HAN_CLASS}])[{_HAN_CLASS}]")


def unpair(title: str) -> str:
    """``fts_text``'s form of an indexed title: 人工 工智 智能 能 -> 人 工 智 能 (in the index,
    two Han characters side by side are always a pair)."""
    return _PAIR.sub(r"\1", title)


def fts_phrase(pieces: Sequence[str], prefix: bool = False) -> str | None:
    """An FTS5 phrase for tokens as ``fts_text`` spaces them, matching the index's text
    (``fts_pairs``) exactly where the pieces are adjacent tokens of ``fts_text``'s.

    A run of Han characters becomes its pairs (电 池 -> 电池); followed by a Latin word, the
    pairs and its last character alone (the last of an indexed run stays alone: 芯 片 ai ->
    芯片 片 ai); one character ending the phrase, a prefix (能 -> "能"*: the pair it starts,
    or itself at a run's end). ``prefix``: the last (Latin) word is a prefix.
    """
    out: list[str] = []
    run: list[str] = []

    def close(last: bool) -> None:
        out.extend(map(str.__add__, run, run[1:]))
        if run and (not last or len(run) == 1):
            out.append(run[-1])
        run.clear()

    for piece in pieces:
        if len(piece) == 1 and _HAN_CHAR.match(piece):
            run.append(piece)
        elif _TOKEN_CHAR.search(piece):
            close(last=False)
            out.append(piece)
        # else: a separator, between characters or words as in the text
    star = len(run) == 1 if run else prefix
    close(last=True)
    if not out:  # separators alone (_): no token, as before
        return f'"{" ".join(pieces)}"' if pieces else None
    return f'"{" ".join(out)}"' + ("*" if star else "")


# Words that look like search operators but are not: every word is required anyway.
OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "NEAR"})
_QUOTED = re.compile(r'["“”「」『』]([^"“”「」『』]+)["“”「」『』]')


@dataclass(frozen=True)
class SearchWords:
    """A search as read: required words and phrases, and what was left out.

    The rule (README, "How /search reads what you type"): every word is required (AND); a
    Chinese run matches as written (its characters adjacent, in order); a Latin word of three
    or more letters or digits matches as a prefix (kun -> kunshan), one of two as a whole word
    (ai), a single letter is left out; words in double quotes ("solid state", “固态 电池”) must
    stand together in that order; symbols (* - + ( ) : < > ; ' =) and the words AND, OR, NOT,
    NEAR in capitals are not operators and are left out.
    """

    terms: tuple[str, ...]  # FTS5 phrases, each quoted
    ignored: tuple[str, ...] = ()  # operator words, symbols and single letters left out

    @property
    def query(self) -> str | None:
        return " AND ".join(self.terms) if self.terms else None


def _word_term(word: str) -> str | None:
    return fts_phrase(fts_text(word).split(), prefix=not has_han(word) and len(word) >= 3)


def search_words(text: str, max_terms: int = 8) -> SearchWords:
    """Read a search (see ``SearchWords``): the FTS5 terms and what was left out."""
    clean = strip_controls(unicodedata.normalize("NFKC", text))
    terms: list[str] = []
    ignored: list[str] = []
    rest_parts: list[str] = []
    last = 0
    for match in _QUOTED.finditer(clean):
        rest_parts.append(clean[last : match.start()])
        last = match.end()
        words = [w for w in _WORD.findall(match.group(1).lower()) if w]
        phrase = fts_phrase([p for w in words for p in fts_text(w).split()])
        if phrase is not None:
            terms.append(phrase)
    rest_parts.append(clean[last:])
    rest = " ".join(rest_parts)
    for raw in re.split(r"\s+", rest):
        if raw in OPERATOR_WORDS:
            ignored.append(raw)
            continue
        if raw and not _WORD.fullmatch(raw):
            symbols = "".join(ch for ch in raw if not _WORD.match(ch))
            # Joiners inside a word (RL205-10E, O'Neil, 1.5) are not worth a note.
            if symbols.strip() and not set(symbols) <= set("-.'’&/"):
                ignored.append(symbols)
        for word in _WORD.findall(raw.lower()):
            if len(word) == 1 and word.isascii():
                ignored.append(word)  # a lone letter (the b of a pasted <b>) means nothing
                continue
            term = _word_term(word)
            if term is not None:
                terms.append(term)
    return SearchWords(tuple(dict.fromkeys(terms))[:max_terms], tuple(dict.fromkeys(ignored)))


def fts_query(text: str, max_terms: int = 8) -> str | None:
    """A safe FTS5 MATCH expression for a search (see ``SearchWords``); None if empty."""
    return search_words(text, max_terms).query
