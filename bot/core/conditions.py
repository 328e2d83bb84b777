"""Conditions on a project's size in a question: 10亿元以上, 2000亩以上, 3到10亿, "over 1 billion
yuan", "at least 2000 mu". No Telegram and no SQL.

A condition names a measure (investment, registered capital, output, land, floor area), a
lower and/or upper bound in that measure's unit, and says whether the bound itself counts.
Money keeps its currency: a bound in 美元 is never compared with an amount in 元 (nor the
reverse); the caller says so. Land in 亩 and areas in 平方米/公顷 are not converted into one
another: the only documented factor (1亩 = 666.67平方米) is rounded, so a comparison across
them would not be exact. 公顷 and 平方米 are (1公顷 = 10000平方米, by definition).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Literal

from bot.core.records import Project, SectorArea, SectorLabel
from bot.core.values import EN_SCALES, Amount, Qualifier, Quantity, plain_decimal

Measure = Literal["investment", "capital", "output", "land", "area"]
Family = Literal["CNY", "USD", "mu", "m2"]

_YI = Decimal(100_000_000)
_WAN = Decimal(10_000)
_NUM = r"(\d+(?:\.\d+)?)"
# Units as typed, longest first; each with its family and its size in the family's base
# (yuan, dollars, 亩, square metres).
_UNITS_ZH: tuple[tuple[str, Family, Decimal], ...] = (
    ("亿人民币", "CNY", _YI),
    ("万人民币", "CNY", _WAN),
    ("亿美元", "USD", _YI),
    ("万美元", "USD", _WAN),
    ("万平方米", "m2", _WAN),
    ("万平米", "m2", _WAN),
    ("平方米", "m2", Decimal(1)),
    ("平米", "m2", Decimal(1)),
    ("公顷", "m2", _WAN),
    ("美元", "USD", Decimal(1)),
    ("亿元", "CNY", _YI),
    ("万元", "CNY", _WAN),
    ("万亩", "mu", _WAN),
    ("亿", "CNY", _YI),
    ("亩", "mu", Decimal(1)),
    ("m2", "m2", Decimal(1)),
)
_UNIT_ZH = "|".join(re.escape(u) for u, _f, _s in _UNITS_ZH)
# 万 alone is money only when no other unit follows (10万平方米 is area).
_UNIT_ZH_RE = rf"(?:{_UNIT_ZH}|万(?!平|亩)元?|元)"
_AMOUNT_ZH = rf"{_NUM}\s*(?:多|余)?\s*个?\s*({_UNIT_ZH_RE})"  # 10个亿 too
_GT_ZH = r"超过|超|高于|大于|多于|(?<![通经])过|>"  # 通过5亿元 is no "over"
_GE_ZH = r"大于等于|大于或等于|不少于|不低于|不小于|至少|最少|达到|≥|>="
_LT_ZH = r"不到|少于|低于|小于|不足|<"
_LE_ZH = r"小于等于|小于或等于|不超过|不高于|不大于|至多|最多|≤|<="
_AFTER_GE = r"及以上|或以上|以上|之上"
_AFTER_LE = r"及以下|或以下|以下|以内|之内"
_BEFORE_ZH = re.compile(rf"({_GT_ZH}|{_GE_ZH}|{_LE_ZH}|{_LT_ZH})\s*{_AMOUNT_ZH}")
_AFTER_ZH = re.compile(rf"{_AMOUNT_ZH}\s*(?:\(含\))?\s*({_AFTER_GE}|{_AFTER_LE})")

# English: "over 1 billion yuan", "at least 2000 mu", "CNY 500 million or more".
_SCALE_EN = EN_SCALES  # 300m, 100m: "m" only right after the digits (see _AMOUNT_EN)
_CUR_EN = r"(yuan|rmb|cny|renminbi|usd|us dollars?|dollars?)"
_AREA_EN = r"(mu|hectares?|ha|square met(?:er|re)s?|sq\.? ?m|sqm|m2)"
# A comma separates thousands only before exactly three digits (1,500 million; 1,5 is no
# number here); a unit or scale word ends where the word ends ("ha" of hangzhou is none).
_AMOUNT_EN = (
    rf"(?:(cny|rmb|usd|us\$|\$|¥)\s*)?(\d{{1,3}}(?:,\d{{3}})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?![\d,])\s*(?:(billion|bn|million|mn|thousand|k|(?<=\d)m(?=[^a-z0-9]|$))(?![a-z]))?\s*"
    rf"(?:(?:{_CUR_EN}|{_AREA_EN})(?![a-z]))?"
)
_GT_EN = r"more than|over|above|greater than|exceeding|bigger than|larger than|upwards of"
_GE_EN = r"at least|no less than|not less than|a minimum of|minimum|>=|≥"
_LT_EN = r"less than|under|below|fewer than|smaller than|<"
_LE_EN = r"at most|no more than|not more than|up to|a maximum of|maximum|<=|≤"
_BEFORE_EN = re.compile(rf"(?<![a-z])({_GT_EN}|{_GE_EN}|{_LE_EN}|{_LT_EN})\s+{_AMOUNT_EN}")
_AFTER_EN = re.compile(rf"{_AMOUNT_EN}\s+(or more|and above|and up|or above|or less|and below)")

# Words of sizes and currencies: never part of a name (yuan is no zone's pinyin here).
UNIT_WORDS_EN = frozenset(
    [
        "yuan",
        "rmb",
        "cny",
        "renminbi",
        "usd",
        "dollar",
        "dollars",
        "mu",
        "hectare",
        "hectares",
        "ha",
        "sqm",
        "m2",
        "square",
        "meter",
        "meters",
        "metre",
        "metres",
        "billion",
        "bn",
        "million",
        "mn",
        "thousand",
    ]
)
_WORDS_CAPITAL = ("注册资本", "registered capital", "capital")
_WORDS_OUTPUT = ("产值", "output", "revenue")
_WORDS_LAND = ("用地", "占地", "土地", "land")


@dataclass(frozen=True)
class Bound:
    value: Decimal  # in the family's base unit (yuan, dollars, 亩, square metres)
    inclusive: bool


@dataclass(frozen=True)
class Condition:
    """A size a question asks projects to have: ``low`` <= value <= ``high``."""

    measure: Measure
    family: Family
    low: Bound | None
    high: Bound | None
    typed: str  # the words as read (10亿元以上, over 1 billion yuan; numerals as digits)

    def holds(self, value: Decimal) -> bool:
        if self.low is not None and (
            value < self.low.value or (value == self.low.value and not self.low.inclusive)
        ):
            return False
        return not (
            self.high is not None
            and (value > self.high.value or (value == self.high.value and not self.high.inclusive))
        )


# unclear: the figure is hedged (约10亿元 on a bound of 10亿, 超10亿元 against 15亿以上) so the
# source does not say which side of the bound it is on.
Verdict = Literal["meets", "fails", "missing", "other_unit", "unclear"]


@dataclass(frozen=True)
class Judged:
    """A project held against a condition: its figure (as the source gives it) and verdict."""

    project: Project
    verdict: Verdict
    figure: Amount | Quantity | None
    figure_name: str | None = None  # a labelled figure used for the measure (协议投资)


def _unit_of(text: str) -> tuple[Family, Decimal] | None:
    text = text.strip()
    for unit, family, size in _UNITS_ZH:
        if text == unit:
            return family, size
    if text in ("万", "万元"):
        return "CNY", _WAN
    if text == "元":
        return "CNY", Decimal(1)
    return None


_MAX_DIGITS = 16  # more significant digits than this: no bound (never a rounded one)


def _number(text: str) -> Decimal | None:
    digits = text.replace(",", "").replace(".", "").lstrip("0")
    if len(digits) > _MAX_DIGITS:
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _measure(folded: str, family: Family) -> Measure:
    if family in ("CNY", "USD"):
        if any(w in folded for w in _WORDS_CAPITAL):
            return "capital"
        if any(w in folded for w in _WORDS_OUTPUT):
            return "output"
        return "investment"
    if family == "mu":
        return "land"
    # 用地/占地 in 平方米: land asked in another unit than the records' 亩.
    return "land" if any(w in folded for w in _WORDS_LAND) else "area"


_WORDS_INVESTMENT = ("投资", "invest")
_MONEY = ("CNY", "USD")


def follow_measure(new: Condition, before: Condition, folded: str) -> Condition:
    """A follow-up's size (那5到8亿的呢, "What about between 500 and 800 million?") that names no
    measure is of the measure asked just before (年产值), not investment by default."""
    if new.family in _MONEY and before.family in _MONEY:
        named = _WORDS_CAPITAL + _WORDS_OUTPUT + _WORDS_INVESTMENT
        if not any(w in folded for w in named):
            return replace(new, measure=before.measure)
    if (
        new.family == "m2"
        and before.measure == "land"
        and not any(w in folded for w in _WORDS_LAND)
    ):
        return replace(new, measure="land")
    return new


def _comparator(word: str) -> tuple[str, bool]:
    """("low" or "high", inclusive) for a comparison word."""
    for pattern, side, inclusive in (
        (_GE_ZH, "low", True),
        (_GT_ZH, "low", False),
        (_LE_ZH, "high", True),
        (_LT_ZH, "high", False),
        (_AFTER_GE, "low", True),
        (_AFTER_LE, "high", True),
        (_GE_EN, "low", True),
        (_GT_EN, "low", False),
        (_LE_EN, "high", True),
        (_LT_EN, "high", False),
    ):
        if re.fullmatch(pattern, word):
            return side, inclusive
    if word in ("or more", "and above", "and up", "or above"):
        return "low", True
    return "high", True  # or less, and below


def _en_amount(
    prefix: str | None, number: str, scale: str | None, currency: str | None, area: str | None
) -> tuple[Family, Decimal] | None:
    value = _number(number)
    if value is None:
        return None
    if scale:
        value *= _SCALE_EN[scale]
    if area:
        if area == "mu":
            return "mu", value
        if area.startswith(("hectare", "ha")):
            return "m2", value * _WAN
        return "m2", value
    cur = (currency or prefix or "").strip()
    if not cur:
        # "over 1 billion": a size of money with no currency named is read as yuan, and the
        # reply's first sentence says "CNY 1 billion", so the reading is visible.
        return ("CNY", value) if scale in ("billion", "bn", "million", "mn", "m") else None
    if cur in ("usd", "us$", "$") or "dollar" in cur:
        return "USD", value
    return "CNY", value


_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SCALES = {"十": 10, "百": 100, "千": 1000}
# A number as typed before a unit, in digits, Chinese numerals or both (十亿, 超百亿, 两千亩,
# 5千万, 1亿5000万, 一万五千亩, 两个亿): read whole, never a tail of it.
_CN_NUMBER = re.compile(
    r"(?<![\d.])[\d零一二两三四五六七八九十百千][\d.零一二两三四五六七八九十百千万亿]*"
    r"(?:\s*个\s*[万亿])?"
)
_CN_UNIT_NEXT = re.compile(r"\s*(?:万|亿|亩|元|美元|平方米|平米|公顷|人民币)")
_CN_TOKEN = re.compile(r"\d+(?:\.\d+)?|\s*个\s*|.")
_EN_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twenty": 20,
    "fifty": 50,
    "a hundred": 100,
    "one hundred": 100,
    "hundred": 100,
    "a": 1,
    "an": 1,
}
_EN_NUMBER = re.compile(
    r"(?<![a-z])(a hundred|one hundred|hundred|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|twenty|fifty|a|an)(?=\s+(?:billion|million|thousand|mu\b|hectares?\b))"
)


def _cn_value(run: str) -> Decimal | None:
    """一百五十 -> 150, 两千 -> 2000, 5千万 -> 50000000, 1亿5000万 -> 150000000, 两个亿 ->
    200000000; None when it does not read as one number (一二, 百千, 5五)."""
    total = Decimal(0)  # whole 亿 and 万 sections read so far
    section = Decimal(0)  # below 万
    digit: Decimal | None = None
    last_small = 10_000  # 十/百/千 go down within a section
    seen_wan = seen_yi = False
    tokens = _CN_TOKEN.findall(run)
    for i, token in enumerate(tokens):
        if token == "零":
            if digit is not None:
                return None
            continue
        if token[0].isdigit() or token in _CN_DIGITS:
            if digit is not None:
                return None  # 一二, 5五: not one number
            digit = Decimal(token) if token[0].isdigit() else Decimal(_CN_DIGITS[token])
        elif token in _CN_SCALES:
            scale = _CN_SCALES[token]
            if scale >= last_small:
                return None
            section += (Decimal(1) if digit is None else digit) * scale
            digit, last_small = None, scale
        elif token == "万":
            if seen_wan or (digit is None and section == 0):
                return None
            total += (section + (digit or 0)) * _WAN
            section, digit, last_small, seen_wan = Decimal(0), None, 10_000, True
        elif token == "亿":
            if seen_yi or (digit is None and section == 0 and total == 0):
                return None
            total = (total + section + (digit or 0)) * _YI
            section, digit, last_small, seen_yi, seen_wan = Decimal(0), None, 10_000, True, False
        elif token.strip() == "个":
            if i != len(tokens) - 2:  # 两个亿: only right before the last 万/亿
                return None
        else:
            return None
    total += section + (digit or 0)
    return total or None


def _cn_number(match: re.Match[str]) -> str:
    """A number run as digits with its last 万/亿 kept (5千万 -> 5000万, 两个亿 -> 2亿);
    one that does not read is made unreadable (几), so no bound is taken from its tail."""
    run = match.group(0)
    scale = run[-1] if run[-1] in "万亿" else ""
    after = match.string[match.end() :]
    if not scale and not _CN_UNIT_NEXT.match(after):
        return run  # not before a unit: a count, a date, a code
    plain = not re.search(r"[零一二两三四五六七八九十百千个]", run)
    if plain and len(re.findall("[万亿]", run)) <= 1:
        return run  # 10亿, 5000万: as typed
    value = _cn_value(run)
    if value is None:
        return "几" + scale
    size = _YI if scale == "亿" else _WAN if scale == "万" else Decimal(1)
    return plain_decimal(value / size) + scale


def _arabic(folded: str) -> str:
    """Chinese and English number words before a unit as digits (十亿 -> 10亿)."""
    text = _CN_NUMBER.sub(_cn_number, folded)
    # 过亿, 超亿元: over one 亿; 上亿: one 亿 or more; 亿元以上 with no number: from one 亿.
    text = _OVER_ONE.sub(lambda m: f"{m.group(1)}1{m.group(2)}", text)
    text = _FROM_ONE.sub(lambda m: f"1{m.group(1)}以上", text)
    text = _ONE_UP.sub(lambda m: f"1{m.group(1)}", text)
    return _EN_NUMBER.sub(lambda m: str(_EN_WORDS[m.group(1)]), text)


_OVER_ONE = re.compile(r"(超过|超|(?<![通经])过)(亿元?|万元?)(?![\d.])")
_FROM_ONE = re.compile(r"上(亿元?)(?![\d.以])")
# x亿以上 (a letter for a number) is no size.
_ONE_UP = re.compile(r"(?<![\d.a-z十百千万亿几数个])(亿元?|万元?)(?=\s*(?:及|或)?以上)")


@dataclass(frozen=True)
class SizeReading:
    """What a question says about size: the condition read, or the words of a size that could
    not be read with certainty (3到5000万: 3万 or 3000万?), which set no condition."""

    condition: Condition | None = None
    unread: str | None = None


def parse_condition(folded: str) -> Condition | None:
    """The size condition a (folded) question sets, if any."""
    return read_size(folded).condition


def read_size(folded: str) -> SizeReading:
    """The size condition of a (folded) question, or the size words it could not read."""
    text = strip_markup(folded)
    if not _MONEY_CONTEXT.search(text) or _LENGTH_CONTEXT.search(text):
        # "over 300m" is money only where money is talked of: a tower over 300m is tall.
        text = _M_ATTACHED.sub(r"\1 metres", text)
    ranged = _range_zh(text) or _range_en(text)
    if ranged is not None:
        return ranged
    text = _arabic(text)
    # 10亿+, 100 mu+, "1 billion+": the bound and more.
    text = _PLUS_ZH.sub(r"\1以上", text)
    text = _PLUS_EN.sub(r"\1 or more", _PLUS_BEFORE_UNIT.sub(r"\1 \2 or more", text))
    condition = _parse_zh(text) or _parse_en(text)
    if condition is None and _EN_MONEY_IN_ZH.search(text):
        # 年产值超过1.2bn的项目, 1.2bn以上: an English amount with Chinese comparison words.
        condition = _parse_zh(_EN_MONEY_IN_ZH.sub(_as_zh_amount, text))
    return SizeReading(condition)


_PLUS_ZH = re.compile(r"(\d\s*(?:[万亿]元?|元|亩|美元|平方米))\s*\+(?!\s*\d)")
_PLUS_BEFORE_UNIT = re.compile(
    r"(\d)\s*\+\s*((?:billion|bn|million|mn|mu|hectares?|square met(?:er|re)s?|sqm)"
    r"(?:\s+(?:yuan|rmb|cny|usd|dollars?))?)(?![a-z])"
)
_PLUS_EN = re.compile(r"(\d\s*(?:[a-z]+(?:\s+[a-z]+)?)?)\s*\+(?!\s*\d)")
_EN_MONEY_IN_ZH = re.compile(
    r"(?<![a-z0-9.])(?:(?:cny|rmb|usd|us\$|\$|¥)\s*)?\d+(?:\.\d+)?\s*"
    r"(?:billion|bn|million|mn|(?<=\d)m)(?![a-z0-9])(?:\s*(?:yuan|rmb|cny|usd|dollars?))?"
)


def _as_zh_amount(match: re.Match[str]) -> str:
    try:
        return Amount.parse(match.group(0)).text()
    except ValueError:
        return match.group(0)


_MONEY_CONTEXT = re.compile(
    r"yuan|rmb|cny|usd|dollar|\$|¥|invest|worth|output|revenue|capital|fund|value|cost|budget"
    r"|billion|\dbn|million|money|amount|project|deal|signing|投资|产值|资本|资金|金额|元|项目"
)
_LENGTH_CONTEXT = re.compile(
    r"(?<![a-z])(?:tall|high|height|long|length|deep|depth|wide|width)(?![a-z])|高度|长度|多高|多长"
)
_M_ATTACHED = re.compile(r"(\d)m(?![a-z0-9])")

# Tags and entities pasted with a question (<b>10</b>亿以上, &gt;) are markup, never a "greater
# than" sign: they go before any size is read.
_TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>|&(?:[a-z]+|#\d+);")


def strip_markup(folded: str) -> str:
    return _TAG.sub("", folded)


def _parse_zh(folded: str) -> Condition | None:
    found: list[tuple[Condition, re.Match[str]]] = []
    for match in _BEFORE_ZH.finditer(folded):
        unit = _unit_of(match.group(3))
        value = _number(match.group(2))
        if unit is not None and value is not None:
            found.append((_one_sided(folded, match.group(1), unit, value, match), match))
    before = len(found)
    for match in _AFTER_ZH.finditer(folded):
        unit = _unit_of(match.group(2))
        value = _number(match.group(1))
        if unit is not None and value is not None:
            found.append((_one_sided(folded, match.group(3), unit, value, match), match))
    return _both_sides(folded, found, before)


# 10亿以上、20亿以下 / 超过10亿但不到20亿 / "over 1 billion but under 2 billion": two bounds
# joined by a connective only, on opposite sides, make one range.
_JOINED = re.compile(
    r"[\s,，、;；]*(?:但是?|且|并且|而且|而|同时|又|也|and|but|yet)?[\s,，、]*(?:又|也|是)?\s*"
)


def _both_sides(
    folded: str, found: list[tuple[Condition, re.Match[str]]], before: int
) -> Condition | None:
    """The first bound read (one written before its number first, as always), joined with a
    bound on the other side right after or before it."""
    if not found:
        return None
    first, at = found[0] if before else min(found, key=lambda f: f[1].start())
    for other, where in found:
        if where is at or other.family != first.family or other.measure != first.measure:
            continue
        if (first.low is None) == (other.low is None):
            continue  # two lower (or upper) bounds: not a range
        left, right = (at, where) if at.start() < where.start() else (where, at)
        if left.end() > right.start() or not _JOINED.fullmatch(folded[left.end() : right.start()]):
            continue
        low = first.low or other.low
        high = first.high or other.high
        assert low is not None and high is not None
        if low.value > high.value:
            continue
        typed = folded[left.start() : right.end()].strip()
        return Condition(first.measure, first.family, low, high, typed)
    return first


def _one_sided(
    folded: str, word: str, unit: tuple[Family, Decimal], value: Decimal, match: re.Match[str]
) -> Condition:
    family, size = unit
    side, inclusive = _comparator(word)
    bound = Bound(value * size, inclusive)
    return Condition(
        _measure(folded, family),
        family,
        bound if side == "low" else None,
        bound if side == "high" else None,
        match.group(0).strip(),
    )


def _parse_en(folded: str) -> Condition | None:
    found: list[tuple[Condition, re.Match[str]]] = []
    for match in _BEFORE_EN.finditer(folded):
        g = match.groups()
        amount = _en_amount(*g[1:6])
        if amount is not None:
            found.append((_en_condition(folded, g[0], amount, match), match))
    before = len(found)
    for match in _AFTER_EN.finditer(folded):
        g = match.groups()
        amount = _en_amount(*g[0:5])
        if amount is not None:
            found.append((_en_condition(folded, g[5], amount, match), match))
    return _both_sides(folded, found, before)


def _en_condition(
    folded: str, word: str, amount: tuple[Family, Decimal], match: re.Match[str]
) -> Condition:
    family, value = amount
    side, inclusive = _comparator(word)
    bound = Bound(value, inclusive)
    return Condition(
        _measure(folded, family),
        family,
        bound if side == "low" else None,
        bound if side == "high" else None,
        match.group(0).strip(),
    )


# ---- ranges ----------------------------------------------------------------------------------
# A range names its unit once, after the second number, and the first number takes it where
# Chinese (and English) usage does: 3到5亿 is 3亿..5亿; 3千到5千万 and 3到5千万 (三到五千万) are
# 3千万..5千万; 3000万-5亿 is as written; "between 30 and 50 million yuan" is CNY 30..50
# million. Where the first number could be read two ways (3到5000万: 3万 or 3000万? 1到200亩)
# the range sets no condition and its words are returned as unread, never a guess.

_RUN_ZH = (
    r"[\d零一二两三四五六七八九十百千][\d.零一二两三四五六七八九十百千万亿]*(?:\s*个\s*[万亿])?"
)
_BASE_ZH: tuple[tuple[str, Family, Decimal], ...] = (
    ("人民币", "CNY", Decimal(1)),
    ("美元", "USD", Decimal(1)),
    ("元", "CNY", Decimal(1)),
    ("平方米", "m2", Decimal(1)),
    ("平米", "m2", Decimal(1)),
    ("公顷", "m2", _WAN),
    ("亩", "mu", Decimal(1)),
    ("m2", "m2", Decimal(1)),
)
_BASE_ZH_RE = "|".join(re.escape(u) for u, _f, _s in _BASE_ZH)
# 3到5万人, 1到2万家: a count, not money (万 alone is money only before no counter).
_COUNTER_NEXT = r"(?!\s*[人个家名位件台套辆吨次场项户只张份天年月日米座栋])"
_RANGE_ZH = re.compile(
    rf"(介于|在)?\s*(?<![\d.零一二两三四五六七八九十百千万亿])({_RUN_ZH})\s*({_BASE_ZH_RE})?\s*"
    rf"(到|至|和|与|-|—|–|~|～)\s*({_RUN_ZH})\s*({_BASE_ZH_RE})?{_COUNTER_NEXT}\s*(之间|以内|范围内)?"
)
_SCALE_CHARS = {"十": 10, "百": 100, "千": 1000}


def _base_zh(unit: str | None) -> tuple[Family, Decimal] | None:
    return next(((f, size) for u, f, size in _BASE_ZH if u == unit), None)


# Two neighbouring numerals for "about this to that": 两三亿 (2亿..3亿), 一两百亩 (100..200亩),
# 三五千万 (3000万..5000万); 十几亿 is over 10亿 and under 20亿.
_PAIRS = {"一两": (1, 2), "两三": (2, 3), "二三": (2, 3), "三四": (3, 4), "四五": (4, 5)}
_PAIRS |= {"五六": (5, 6), "六七": (6, 7), "七八": (7, 8), "八九": (8, 9), "三五": (3, 5)}
_PAIR_ZH = re.compile(
    rf"(?<![\d.零一二两三四五六七八九十百千万亿])({'|'.join(_PAIRS)}|十几)\s*([十百千]?)\s*(?:个\s*)?"
    rf"([万亿])?\s*({_BASE_ZH_RE})?{_COUNTER_NEXT}"
)


def _pair_zh(folded: str) -> SizeReading | None:
    for match in _PAIR_ZH.finditer(folded):
        pair, small, big, unit = match.groups()
        if big is None and unit is None:
            continue  # 两三个项目: a count
        family, size = _base_zh(unit) or ("CNY", Decimal(1))
        scale = (
            Decimal(_SCALE_CHARS.get(small, 1))
            * (_YI if big == "亿" else _WAN if big == "万" else Decimal(1))
            * size
        )
        typed = match.group(0).strip()
        if pair == "十几":
            if small:
                continue  # 十几百: not a number
            low, high = Bound(10 * scale, False), Bound(20 * scale, False)
        else:
            first, second = _PAIRS[pair]
            low, high = Bound(first * scale, True), Bound(second * scale, True)
        return SizeReading(Condition(_measure(folded, family), family, low, high, typed))
    return None


def _range_zh(folded: str) -> SizeReading | None:
    paired = _pair_zh(folded)
    if paired is not None:
        return paired
    for match in _RANGE_ZH.finditer(folded):
        before, left, left_unit, sep, right, right_unit, after = match.groups()
        right_big = re.search(r"[万亿]$", right)
        if right_big is None and right_unit is None:
            continue  # 1-5月, 2024-2026: no size
        if sep in ("和", "与") and not (before or after):
            continue  # 3亿和5亿的项目: two sizes, not a range
        typed = match.group(0).strip()
        unread = SizeReading(unread=typed)
        family, size = _base_zh(right_unit) or ("CNY", Decimal(1))
        high = _cn_value(right)
        if left_unit is not None or re.search("[万亿]", left):
            # 3000万-5亿, 3万到5万亩, 3亿元到5亿元: the first number is read alone, in its own
            # unit or else the second's.
            left_family, left_size = _base_zh(left_unit) or (family, size)
            low = _cn_value(left)
            low = low * left_size if low is not None and left_family == family else None
        else:
            low = _first_of_range(left, right)
            low = low * size if low is not None else None
        if high is None or low is None or low > high * size:
            return unread
        high *= size
        return SizeReading(
            Condition(_measure(folded, family), family, Bound(low, True), Bound(high, True), typed)
        )
    return None


def _first_of_range(left: str, right: str) -> Decimal | None:
    """The first number of a range written without its own 万/亿 or unit, in the second's
    unit (3到5亿 -> 3亿), or None where Chinese usage does not make the reading certain."""
    value = _cn_value(left)
    tail = re.search(r"\s*(?:个\s*)?([万亿])$", right)
    big = (_YI if tail.group(1) == "亿" else _WAN) if tail else Decimal(1)
    small = right[: tail.start()] if tail else right
    small_value = _cn_value(small) if not re.search("[万亿]", small) else None
    if value is None or small_value is None:
        return None  # 1到1亿5000万: which part would the first number share?
    if re.search("[十百千]", left):
        return value * big  # 3千到5千万, 十到二十亿: the first number has its own 千/十
    scale = _SCALE_CHARS.get(small[-1])
    if scale is not None and scale >= 100:
        shared = value * scale  # 3到5千万, 三到五百万 (三五百万): the 千/百 is shared
        return shared * big if shared <= small_value else None
    if scale is not None:
        return None if value * 10 <= small_value else value * big  # 三到五十万: 3万 or 30万?
    digits = small.split(".")[0]
    zeros = len(digits) - len(digits.rstrip("0"))
    left_digits = len(left.split(".")[0]) if left[0].isdigit() else 1
    if zeros >= 2 and left_digits < len(digits) and value * 10**zeros <= small_value:
        return None  # 3到5000万 (3万 or 3000万?), 1到200亩 (1亩 or 100亩?)
    return value * big


_RANGE_EN = re.compile(
    rf"(?<![a-z0-9.$])(?:(between|from)\s+)?{_AMOUNT_EN}\s*(and|to|-|–|—|到|至)\s*{_AMOUNT_EN}"
)


def _range_en(folded: str) -> SizeReading | None:
    for match in _RANGE_EN.finditer(folded):
        g = match.groups()
        opener, left, sep, right = g[0], g[1:6], g[6], g[7:12]
        if not any(right[i] for i in (0, 2, 3, 4)):
            continue  # no unit or scale after the second number: no size
        if sep == "and" and opener != "between":
            continue  # 5 billion and 3 projects
        typed = match.group(0).strip()
        unread = SizeReading(unread=typed)
        l_prefix, l_number, l_scale, l_currency, l_area = left
        r_prefix, r_number, r_scale, r_currency, r_area = right
        own = l_scale or l_currency or l_area
        second = _en_amount(
            r_prefix or l_prefix, r_number, r_scale, r_currency or l_currency, r_area or l_area
        )
        first = _en_amount(
            l_prefix or r_prefix,
            l_number,
            l_scale or (None if own else r_scale),
            l_currency or (None if l_area else r_currency),
            l_area or (None if l_currency else r_area),
        )
        if first is None or second is None or first[0] != second[0] or first[1] > second[1]:
            return unread
        family = second[0]
        return SizeReading(
            Condition(
                _measure(folded, family),
                family,
                Bound(first[1], True),
                Bound(second[1], True),
                typed,
            )
        )
    return None


# ---- judging projects ------------------------------------------------------------------------

_MONEY_FIGURE = {"investment": "投资", "capital": "注册资本", "output": "产值"}


def figure_of(project: Project, measure: Measure) -> tuple[Amount | Quantity | None, str | None]:
    """The project's figure for a measure, and the label of a labelled figure used for it
    (协议投资 5亿元 when no total investment is given)."""
    if measure == "investment" and project.total_investment is not None:
        return project.total_investment, None
    if measure == "capital" and project.registered_capital is not None:
        return project.registered_capital, None
    if measure == "output" and project.annual_output is not None:
        return project.annual_output, None
    if measure == "land":
        return project.land_mu, None
    if measure == "area":
        return project.floor_area_m2, None
    word = _MONEY_FIGURE.get(measure)
    for labelled in project.figures:
        if word and word in labelled.name_zh and _money_base(labelled.value) is not None:
            return labelled.value, labelled.name_zh
    return None, None


def _money_base(value: Amount | Quantity) -> tuple[Family, Decimal] | None:
    if isinstance(value, Amount):
        return ("CNY" if value.currency == "CNY" else "USD"), value.in_base()
    try:
        amount = Amount(value.value, value.unit or "", value.qualifier)
    except ValueError:
        return None
    return ("CNY" if amount.currency == "CNY" else "USD"), amount.in_base()


def judge(project: Project, condition: Condition) -> Judged:
    """Whether a project meets the condition; a project without the figure is never counted
    either way, nor one whose figure is in another currency or unit family."""
    figure, name = figure_of(project, condition.measure)
    if figure is None:
        return Judged(project, "missing", None)
    if condition.measure in ("investment", "capital", "output"):
        based = _money_base(figure)
        if based is None:
            return Judged(project, "missing", None)
        family, value = based
    elif condition.measure == "land":
        if figure.unit not in ("", "亩"):  # land is stored in 亩; 50公顷 is not 50亩
            return Judged(project, "other_unit", figure, name)
        family, value = "mu", figure.value
    else:
        if figure.unit not in ("", "平方米", "平米", "m2", "m²"):
            return Judged(project, "other_unit", figure, name)
        family, value = "m2", figure.value
    if family != condition.family:
        return Judged(project, "other_unit", figure, name)
    return Judged(project, _verdict(condition, value, figure), figure, name)


_OPEN_OVER = re.compile(r"超|逾|以上")


def _span(value: Decimal, figure: Amount | Quantity) -> tuple[Decimal, bool, Decimal | None, bool]:
    """The values a hedged figure allows, in the figure's base: (low, low open, high or None
    for no end, high open). 超10亿 is (10亿, ∞); 10多亿 (10亿, 20亿); 不足10亿 [0, 10亿)."""
    if figure.qualifier is Qualifier.UNDER:
        return Decimal(0), False, value, True
    if figure.qualifier is Qualifier.OVER:
        if figure.written and _OPEN_OVER.search(figure.written):
            return value, True, None, True
        # 10多 is below 20, 6000余 below 7000, 5多 below 6: one step of the last digit written.
        number = figure.value
        exponent = number.normalize().as_tuple().exponent
        step = Decimal(10) ** (exponent if isinstance(exponent, int) else 0)
        return value, True, value * (number + step) / number if number else None, True
    return value, False, value, False


def _verdict(condition: Condition, value: Decimal, figure: Amount | Quantity) -> Verdict:
    """meets when every value the figure allows meets the condition, fails when none does,
    unclear otherwise (and for 约/近 exactly on a bound: about 10亿 may be either side)."""
    if figure.qualifier is Qualifier.ABOUT:
        on_bound = any(b is not None and b.value == value for b in (condition.low, condition.high))
        if on_bound:
            return "unclear"
    if figure.qualifier not in (Qualifier.OVER, Qualifier.UNDER):
        return "meets" if condition.holds(value) else "fails"
    low, low_open, high, high_open = _span(value, figure)
    every, none = True, False
    bound = condition.low
    if bound is not None:
        every = low > bound.value or (low == bound.value and (bound.inclusive or low_open))
        none = high is not None and (
            high < bound.value or (high == bound.value and (high_open or not bound.inclusive))
        )
    bound = condition.high
    if bound is not None:
        every = (
            every
            and high is not None
            and (high < bound.value or (high == bound.value and (bound.inclusive or high_open)))
        )
        none = (
            none or low > bound.value or (low == bound.value and (low_open or not bound.inclusive))
        )
    return "meets" if every else "fails" if none else "unclear"


def bound_amount(value: Decimal, family: Family) -> Amount | Quantity:
    """A bound as staff write it: 10亿元, 500万美元, 2000亩, 10000平方米."""
    if family in ("CNY", "USD"):
        unit = "元" if family == "CNY" else "美元"
        if value >= _YI:
            return Amount(value / _YI, "亿" + unit)
        if value >= _WAN:
            return Amount(value / _WAN, "万" + unit)
        return Amount(value, unit)
    return Quantity(value, "亩" if family == "mu" else "平方米")


def sector_labels(
    named: Sequence[str], labels: Mapping[str, SectorLabel], areas: Mapping[str, SectorArea]
) -> frozenset[str]:
    """The project labels a sector named in a question covers: the label itself, and every
    label of its national area when the name is the area's own (新能源 covers 固态电池)."""
    covered = set(named)
    for name in named:
        label = labels.get(name)
        area = areas.get(label.area) if label is not None and label.area else None
        if area is not None and name in (area.name_zh, area.name_zh.removesuffix("产业")):
            covered |= {lb.label for lb in labels.values() if lb.area == area.id}
    return frozenset(covered)
