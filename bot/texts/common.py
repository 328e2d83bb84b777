"""Formatting shared by every reply: escaping, the two languages, money, dates, splitting.

This package is the only code that renders text for Telegram (HTML parse mode) and the only
code that escapes stored or typed strings. Both languages' strings stand side by side.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Literal

from bot.core.records import EVENT_KIND_ZH, STAGE_ZH, EventKind, Stage
from bot.core.values import Amount, PartialDate, Qualifier, Quantity, plain_decimal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
MAX_MESSAGE = 4096


def esc(value: object) -> str:
    """Escape anything for Telegram HTML (quotes too, since text also goes into href)."""
    return html.escape(str(value), quote=True)


def tr(lang: Lang, zh: str, en: str) -> str:
    """Pick the string of the reader's language; both stand together at the call site."""
    return en if lang == "en" else zh


def as_lang(code: str | None) -> Lang:
    """Telegram's language_code (en, en-US, zh-hans ...) to one of ours; Chinese by default."""
    return "en" if code and code.lower().startswith("en") else "zh"


def pick(lang: Lang, zh: str | None, en: str | None) -> str:
    """A record's text in the reader's language, falling back to the other one."""
    if lang == "en":
        return en or zh or ""
    return zh or en or ""


_YI = Decimal(100_000_000)
_WAN = Decimal(10_000)


def money(amount: Amount, lang: Lang = "zh") -> str:
    """Money as staff write it: 6.63亿元, 5000万元, 约15亿元, 500万美元; never a comma.

    CNY of 1亿 or more shows in 亿元, anything below in 万元 (1000元 is 0.1万元), keeping every
    digit the source gave;
    foreign currency stays in its own unit, unconverted. English: CNY 663 million.
    """
    if lang == "en":
        return _money_en(amount)
    if amount.written:
        return amount.written  # a hedge the canonical form would reword (超550亿元): as written
    hedge_head = (
        "约"
        if amount.qualifier is Qualifier.ABOUT
        else "不足"
        if amount.qualifier is Qualifier.UNDER
        else ""
    )
    hedge_tail = "多" if amount.qualifier is Qualifier.OVER else ""
    if amount.currency != "CNY":
        return f"{hedge_head}{plain_decimal(amount.value)}{hedge_tail}{amount.unit}"
    yuan = amount.in_base()
    if yuan >= _YI:
        value, unit = yuan / _YI, "亿元"
    else:
        value, unit = yuan / _WAN, "万元"
    return f"{hedge_head}{plain_decimal(value)}{hedge_tail}{unit}"


def _hedge_en(qualifier: Qualifier | None) -> str:
    if qualifier is Qualifier.ABOUT:
        return "about "
    if qualifier is Qualifier.OVER:
        return "over "
    if qualifier is Qualifier.UNDER:
        return "under "
    return ""


def _money_en(amount: Amount) -> str:
    base = amount.in_base()
    hedge = _hedge_en(amount.qualifier)
    currency = "CNY" if amount.currency == "CNY" else "USD"
    for size, word in ((Decimal(1_000_000_000), "billion"), (Decimal(1_000_000), "million")):
        if base >= size:
            return f"{hedge}{currency} {plain_decimal(base / size)} {word}"
    return f"{hedge}{currency} {plain_decimal(base)}"


_UNITS_EN = {
    "个": "",
    "亩": "mu",
    "平方米": "m²",
    "件": "",
    "台": "",
    "人": "people",
    "场": "",
    "亿元": "",
    "万元": "",
}


def quantity(value: Quantity, lang: Lang = "zh") -> str:
    """A figure with its unit and hedge: 159个, 约150亩, 20多件, 不足10亩 / about 150 mu,
    over 20, under 10 mu."""
    if value.unit in ("亿元", "万元", "元", "万美元", "亿美元", "美元"):
        return money(Amount(value.value, value.unit, value.qualifier, value.written), lang)
    if lang == "zh":
        return value.text()
    hedge = _hedge_en(value.qualifier)
    unit = _UNITS_EN.get(value.unit, value.unit)
    return f"{hedge}{plain_decimal(value.value)}{(' ' + unit) if unit else ''}"


def date(value: PartialDate | None, lang: Lang = "zh") -> str:
    """A date at the precision the source gives; an explicit word when it gives none."""
    if value is None:
        return tr(lang, "日期未说明", "date not given")
    return value.zh() if lang == "zh" else value.en()


STAGE_EN: dict[Stage, str] = {
    Stage.LEAD: "lead",
    Stage.NEGOTIATING: "negotiating",
    Stage.SIGNED: "signed",
    Stage.REGISTERED: "registered",
    Stage.CONSTRUCTION: "under construction",
    Stage.PRODUCTION: "in production",
    Stage.FULL_PRODUCTION: "full production",
    Stage.PAUSED: "paused",
    Stage.TERMINATED: "terminated",
}

EVENT_KIND_EN: dict[EventKind, str] = {
    EventKind.COMPETITION: "competition",
    EventKind.JOB_FAIR: "job fair",
    EventKind.MATCHMAKING: "supplier matchmaking",
    EventKind.UNIVERSITY_INDUSTRY: "university-industry link",
    EventKind.ROADSHOW: "roadshows",
    EventKind.PLAN: "plan",
    EventKind.DELIVERY: "delivery",
    EventKind.SERVICE: "business service",
    EventKind.OTHER: "other",
}


def stage(value: Stage | None, lang: Lang = "zh") -> str:
    if value is None:
        return tr(lang, "阶段未说明", "stage not given")
    return STAGE_ZH[value] if lang == "zh" else STAGE_EN[value]


def event_kind(value: EventKind, lang: Lang = "zh") -> str:
    return EVENT_KIND_ZH[value] if lang == "zh" else EVENT_KIND_EN[value]


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split at line boundaries into parts Telegram accepts (limit in UTF-16 units).

    Callers render whole items per line block, so a cut between lines keeps the HTML valid.
    A single over-long line is cut between characters, never inside a tag or an entity, and
    tags open at the cut are closed there and opened again in the next part.
    """
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        length = _u16(line) + 1
        if length > limit:
            if current:
                parts.append("\n".join(current))
                current, size = [], 0
            parts.extend(_hard_cut(line, limit))
            continue
        if size + length > limit and current:
            parts.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += length
    if current:
        parts.append("\n".join(current))
    return [p for p in (part.strip("\n") for part in parts) if p.strip()] or [text[:1] or "…"]


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


_ATOM = re.compile(r"<[^<>]*>|&#?[0-9A-Za-z]{1,10};|.", re.DOTALL)
_OPEN_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>")


def _hard_cut(line: str, limit: int) -> list[str]:
    """Cut one line into pieces of at most ``limit`` units, keeping each piece valid HTML."""
    pieces: list[str] = []
    current = ""
    open_tags: list[tuple[str, str]] = []  # (name, the opening tag as written)
    for atom in _ATOM.findall(line):
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        if current and _u16(current) + _u16(atom) + _u16(closing) > limit:
            pieces.append(current + closing)
            current = "".join(tag for _, tag in open_tags)
        current += atom
        if atom.startswith("</"):
            if open_tags:
                open_tags.pop()
        elif (match := _OPEN_TAG.fullmatch(atom)) is not None:
            open_tags.append((match.group(1).lower(), atom))
    if current:
        pieces.append(current)
    return pieces


def clip(text: str, limit: int) -> str:
    """Shorten user-supplied text for echoing back (before escaping)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_clip(text: str, limit: int) -> str:
    """A button label: Latin text cut at a word boundary (never mid-name), Chinese by length."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not any("\u3400" <= ch <= "\u9fff" for ch in cut) and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"
