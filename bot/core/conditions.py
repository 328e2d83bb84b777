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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from bot.core.records import Project, SectorArea, SectorLabel
from bot.core.values import Amount, Quantity

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
_GT_ZH = r"超过|超|高于|大于|多于|过|>"
_GE_ZH = r"大于等于|大于或等于|不少于|不低于|不小于|至少|最少|达到|≥|>="
_LT_ZH = r"不到|少于|低于|小于|不足|<"
_LE_ZH = r"小于等于|小于或等于|不超过|不高于|不大于|至多|最多|≤|<="
_AFTER_GE = r"及以上|或以上|以上|之上"
_AFTER_LE = r"及以下|或以下|以下|以内|之内"
_RANGE_ZH = re.compile(
    rf"(?:介于|在)?\s*{_NUM}\s*({_UNIT_ZH_RE})?\s*(?:到|至|和|与|-|—|–|~|～)\s*"
    rf"{_AMOUNT_ZH}\s*(?:之间|以内)?"
)
_BEFORE_ZH = re.compile(rf"({_GT_ZH}|{_GE_ZH}|{_LE_ZH}|{_LT_ZH})\s*{_AMOUNT_ZH}")
_AFTER_ZH = re.compile(rf"{_AMOUNT_ZH}\s*(?:\(含\))?\s*({_AFTER_GE}|{_AFTER_LE})")

# English: "over 1 billion yuan", "at least 2000 mu", "CNY 500 million or more".
_SCALE_EN = {
    "billion": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
    "million": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "thousand": Decimal(1_000),
    "k": Decimal(1_000),
}
_CUR_EN = r"(yuan|rmb|cny|renminbi|usd|us dollars?|dollars?)"
_AREA_EN = r"(mu|hectares?|ha|square met(?:er|re)s?|sq\.? ?m|sqm|m2)"
_AMOUNT_EN = (
    rf"(?:(cny|rmb|usd|us\$|\$|¥)\s*)?(\d+(?:[.,]\d+)*)\s*"
    rf"(billion|bn|million|mn|thousand|k)?\s*(?:{_CUR_EN}|{_AREA_EN})?"
)
_GT_EN = r"more than|over|above|greater than|exceeding|bigger than|larger than|upwards of"
_GE_EN = r"at least|no less than|not less than|a minimum of|minimum|>=|≥"
_LT_EN = r"less than|under|below|fewer than|smaller than|<"
_LE_EN = r"at most|no more than|not more than|up to|a maximum of|maximum|<=|≤"
_BEFORE_EN = re.compile(rf"(?<![a-z])({_GT_EN}|{_GE_EN}|{_LE_EN}|{_LT_EN})\s+{_AMOUNT_EN}")
_AFTER_EN = re.compile(rf"{_AMOUNT_EN}\s+(or more|and above|and up|or above|or less|and below)")
_RANGE_EN = re.compile(rf"(?:between|from)\s+{_AMOUNT_EN}\s+(?:and|to|-)\s+{_AMOUNT_EN}")

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


Verdict = Literal["meets", "fails", "missing", "other_unit"]


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


def _number(text: str) -> Decimal | None:
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
        return ("CNY", value) if scale in ("billion", "bn", "million", "mn") else None
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
# A run of Chinese numerals right before a unit (十亿, 超百亿, 两千亩, 五千万元, 一百五十亩).
_CN_NUMBER = re.compile(
    r"[零一二两三四五六七八九十百千]+(?=\s*(?:万|亿|亩|元|美元|平方米|平米|公顷))"
)
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


def _cn_value(run: str) -> int | None:
    """一百五十 -> 150, 十 -> 10, 两千 -> 2000, 百 -> 100; None when it does not read."""
    total, digit = 0, None
    for ch in run:
        if ch in _CN_DIGITS:
            if digit is not None and ch != "零":
                return None  # 一二: not a number
            digit = _CN_DIGITS[ch] if ch != "零" else None
        else:
            total += (1 if digit is None else digit) * _CN_SCALES[ch]
            digit = None
    if digit is not None:
        total += digit
    return total or None


def _arabic(folded: str) -> str:
    """Chinese and English number words before a unit as digits (十亿 -> 10亿)."""

    def zh(match: re.Match[str]) -> str:
        value = _cn_value(match.group(0))
        return str(value) if value is not None else match.group(0)

    text = _CN_NUMBER.sub(zh, folded)
    # 过亿, 超亿元: over one 亿; 上亿: one 亿 or more; 亿元以上 with no number: from one 亿.
    text = _OVER_ONE.sub(lambda m: f"{m.group(1)}1{m.group(2)}", text)
    text = _FROM_ONE.sub(lambda m: f"1{m.group(1)}以上", text)
    text = _ONE_UP.sub(lambda m: f"1{m.group(1)}", text)
    return _EN_NUMBER.sub(lambda m: str(_EN_WORDS[m.group(1)]), text)


_OVER_ONE = re.compile(r"(超过|超|过)(亿元?|万元?)(?![\d.])")
_FROM_ONE = re.compile(r"上(亿元?)(?![\d.以])")
_ONE_UP = re.compile(r"(?<![\d.十百千万亿])(亿元?|万元?)(?=\s*(?:及|或)?以上)")


def parse_condition(folded: str) -> Condition | None:
    """The size condition a (folded) question sets, if any."""
    text = _arabic(folded)
    return _parse_zh(text) or _parse_en(text)


def _parse_zh(folded: str) -> Condition | None:
    match = _RANGE_ZH.search(folded)
    if match:
        first_unit = _unit_of(match.group(2)) if match.group(2) else None
        second = _unit_of(match.group(4))
        low, high = _number(match.group(1)), _number(match.group(3))
        if second is not None and low is not None and high is not None:
            family, size = second
            first_family, first_size = first_unit or second
            if first_family == family and low * first_size <= high * size:
                return Condition(
                    _measure(folded, family),
                    family,
                    Bound(low * first_size, True),
                    Bound(high * size, True),
                    match.group(0).strip(),
                )
    match = _BEFORE_ZH.search(folded)
    if match:
        unit = _unit_of(match.group(3))
        value = _number(match.group(2))
        if unit is not None and value is not None:
            return _one_sided(folded, match.group(1), unit, value, match)
    match = _AFTER_ZH.search(folded)
    if match:
        unit = _unit_of(match.group(2))
        value = _number(match.group(1))
        if unit is not None and value is not None:
            return _one_sided(folded, match.group(3), unit, value, match)
    return None


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
    match = _RANGE_EN.search(folded)
    if match:
        g = match.groups()
        first = _en_amount(*g[0:5])
        second = _en_amount(*g[5:10])
        if first is None and second is not None:
            # "between 1 and 2 billion yuan": the unit after the second number counts for both.
            value = _number(g[1])
            if value is not None and g[7]:
                value *= _SCALE_EN[g[7]]
            first = (second[0], value) if value is not None else None
        if (
            first is not None
            and second is not None
            and first[0] == second[0]
            and first[1] <= second[1]
        ):
            family = second[0]
            return Condition(
                _measure(folded, family),
                family,
                Bound(first[1], True),
                Bound(second[1], True),
                match.group(0).strip(),
            )
    match = _BEFORE_EN.search(folded)
    if match:
        g = match.groups()
        amount = _en_amount(*g[1:6])
        if amount is not None:
            return _en_condition(folded, g[0], amount, match)
    match = _AFTER_EN.search(folded)
    if match:
        g = match.groups()
        amount = _en_amount(*g[0:5])
        if amount is not None:
            return _en_condition(folded, g[5], amount, match)
    return None


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
        family, value = "mu", figure.value  # land is stored in 亩
    else:
        family, value = "m2", figure.value
    if family != condition.family:
        return Judged(project, "other_unit", figure, name)
    verdict: Verdict = "meets" if condition.holds(value) else "fails"
    return Judged(project, verdict, figure, name)


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
