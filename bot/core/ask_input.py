"""A plain message made ready for the question engine: markup and chat forms read as plain
words, traditional characters as simplified, a long pasted message cut to its questions.

No Telegram and no SQL. Every word list is data (``ask_words.yaml``: ``colloquial``).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

import yaml

from bot.core.questions import WORDS_FILE
from bot.core.traditional_text import to_simplified

# <script>…</script> and <style>…</style> hold no words of a question; other tags are only
# markup around them (<b>德加能源</b>).
_CODE = re.compile(r"<\s*(script|style)\b[^>]*>.*?(?:<\s*/\s*\1\s*>|$)", re.I | re.S)
_TAG = re.compile(r"</?\s*([a-z][a-z0-9]*)(?:\s[^<>]*)?/?\s*>", re.I)
# Inline tags sit inside a word's run (<b>德加</b>能源); any other tag parts words.
_INLINE = {"a", "b", "i", "u", "s", "em", "strong", "span", "code", "font", "sup", "sub", "mark"}
_WORDY = re.compile(r"[0-9a-zA-Z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Where a pasted message splits into sentences: Chinese and Latin ends, line breaks.
_SENTENCE = re.compile(r"(?<=[。！？!?；;\n])|(?<=[.])\s+")
_ASKING = re.compile(
    r"[?？]|多少|几[个家台项件场人月年]|什么|哪|谁|吗|是否|有没有|怎么|如何"
    r"|\b(?:what|which|who|when|where|how|is there|are there|any)\b",
    re.I,
)


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    """ask_words.yaml, read once."""
    loaded: dict[str, Any] = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return loaded


@lru_cache(maxsize=1)
def _colloquial() -> tuple[tuple[re.Pattern[str], str], ...]:
    data = _data()
    pairs = sorted(
        ((str(k), str(v)) for k, v in data.get("colloquial", {}).items()),
        key=lambda kv: -len(kv[0]),
    )
    out: list[tuple[re.Pattern[str], str]] = []
    for typed, plain in pairs:
        if typed.isascii():
            # A Latin form only as a whole word (whats, not somewhatsoever).
            out.append((re.compile(rf"(?<![a-z0-9']){re.escape(typed)}(?![a-z0-9'])", re.I), plain))
        else:
            out.append((re.compile(re.escape(typed)), plain))
    return tuple(out)


def strip_markup(text: str) -> str:
    """The text without HTML tags (and without what script and style elements hold)."""
    if "<" not in text and "&" not in text:
        return text
    text = _CODE.sub(" ", text)
    text = _TAG.sub(lambda m: "" if m.group(1).lower() in _INLINE else " ", text)
    return " ".join(html.unescape(text).split())


def plain_words(text: str) -> str:
    """Chat forms read as plain words (啥 -> 什么, 有木有 -> 有没有, whats -> what is)."""
    for pattern, plain in _colloquial():
        text = pattern.sub(plain, text)
    return text


_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _mixed() -> tuple[tuple[re.Pattern[str], str], ...]:
    pairs = sorted(
        ((str(k), str(v)) for k, v in _data().get("mixed", {}).items()), key=lambda kv: -len(kv[0])
    )
    return tuple(
        (re.compile(rf"(?<![a-z0-9&]){re.escape(typed)}(?![a-z0-9&])", re.I), plain)
        for typed, plain in pairs
    )


def mixed_words(text: str) -> str:
    """English words inside a Chinese message read as their Chinese (Dejia能源的R&D中心多大 ->
    …研发中心多大): only in a message that has Chinese, so English questions keep theirs."""
    if not _HAN_CHAR.search(text):
        return text
    for pattern, plain in _mixed():
        text = pattern.sub(plain, text)
    return text


def has_words(text: str) -> bool:
    """Whether anything in the text can be asked about (a letter, digit or Chinese character):
    not a message of punctuation, emoji or markup alone."""
    return _WORDY.search(text) is not None


def questions_of(text: str, limit: int) -> str:
    """A message longer than ``limit`` cut to its sentences that ask something (the greeting,
    the context and the thanks around a pasted question dropped); the text unchanged when it
    fits, or when no part of it asks or the questions alone still do not fit."""
    if len(text) <= limit:
        return text
    parts = [p.strip() for p in _SENTENCE.split(text) if p and p.strip()]
    asking = [p for p in parts if _ASKING.search(p)]
    kept = " ".join(asking)
    return kept if asking and len(kept) <= limit else text


_PINYIN_TOKEN = re.compile(r"[a-z]+")


@lru_cache(maxsize=4)
def _pinyin_words(extra: tuple[str, ...]) -> dict[str, str]:
    """Toneless pinyin -> word, for the engine's own Chinese words (question words, intents,
    synonyms, stages) and ``extra`` (the store's sector labels): 2 characters or more only."""
    from bot.core.text import pinyin  # pypinyin: loaded on the first pinyin question only

    data = _data()
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(key)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for key in ("question_words", "intents", "synonyms", "generic", "stages", "this_year"):
        walk(data.get(key))
    walk(data.get("last_year"))
    walk(data.get("year_parts"))
    walk(data.get("sector_aliases"))
    found += extra
    out: dict[str, str] = {}
    for word in found:
        han = "".join(ch for ch in word if "\u4e00" <= ch <= "\u9fff")
        if len(han) >= 2 and han == word:
            out.setdefault(pinyin(word), word)
    return out


def from_pinyin(text: str, extra: tuple[str, ...] = ()) -> str:
    """A message typed in pinyin (kunshan gaoxinqu xinnengyuan xiangmu) with each word that is
    the pinyin of a word the engine knows written in Chinese (高新区, 新能源, 项目); names stay
    as typed (the name index reads pinyin). Unchanged unless two words or more are converted,
    so an English message is left alone."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    lowered = text.lower()
    vocabulary = _pinyin_words(extra)
    hits = [m for m in _PINYIN_TOKEN.finditer(lowered) if m.group() in vocabulary]
    if len(hits) < 2:
        return text
    out = lowered
    for match in reversed(hits):
        out = f"{out[: match.start()]}{vocabulary[match.group()]}{out[match.end() :]}"
    return out


@lru_cache(maxsize=1)
def _command_words() -> tuple[tuple[str, str], ...]:
    data = _data()
    pairs = [(str(w).lower(), str(k)) for k, v in data.get("command_words", {}).items() for w in v]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def command_word(text: str) -> tuple[str, str] | None:
    """(command, the rest) for a message that opens with a command's word and no slash
    (zone kunshan -> ("zone", "kunshan")); None otherwise."""
    lowered = text.strip().lower().lstrip("/")
    for word, command in _command_words():
        if not lowered.startswith(word):
            continue
        rest = text.strip().lstrip("/")[len(word) :]
        latin = word.isascii()
        if latin and rest[:1].isalnum() and rest[:1].isascii():
            continue  # "zones", "searching": another word
        rest = rest.strip(" :：,，")
        if rest:
            return command, rest
    return None


def prepare(text: str) -> str:
    """A plain message as the question engine reads it."""
    return mixed_words(plain_words(to_simplified(strip_markup(text)))).strip()
