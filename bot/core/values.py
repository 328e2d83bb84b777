"""Value types of the facts: dates at their precision, money and quantities with their units.

They parse what staff and the press write ("3月", "1—5月", "2025年3月", "约15亿元", "3000万")
and keep exactly the precision given; nothing here rounds, converts currency or invents a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

_DASHES = "-—–~～至到"


class Qualifier(StrEnum):
    """How the source hedges a number: 约15亿元 is ABOUT, 20多件 is OVER, 不足10亿元 is UNDER
    (an UNDER value keeps its wording in ``written``: the canonical form has no word for it)."""

    ABOUT = "about"
    OVER = "over"
    UNDER = "under"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to a year, a month or a day, possibly without the year, or a month range.

    Stored as an EDTF string (ISO 8601-2): ``2025``, ``2025-03``, ``2025-03-14``, ``XXXX-03``
    (a month whose year the source does not give), ``XXXX-01/XXXX-05`` (January to May).
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    end_month: int | None = None

    def __post_init__(self) -> None:
        if self.year is None and self.month is None:
            raise ValueError("a date needs at least a year or a month")
        if self.year is not None and not 1900 <= self.year <= 2100:
            raise ValueError(f"year {self.year} is out of range")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")
        if self.end_month is not None:
            if self.month is None or not self.month < self.end_month <= 12:
                raise ValueError("a month range must run forward within one year")
            if self.day is not None:
                raise ValueError("a month range has no day")
        if self.day is not None:
            if self.month is None:
                raise ValueError("a day needs a month")
            if not 1 <= self.day <= _days_in_month(self.year, self.month):
                raise ValueError(f"day {self.day} does not exist in month {self.month}")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse EDTF, ISO and the Chinese forms staff write; raise ValueError otherwise."""
        raw = text.strip()
        if not raw:
            raise ValueError("empty date")
        edtf = _parse_edtf(raw)
        if edtf is not None:
            return edtf
        chinese = _parse_chinese(raw)
        if chinese is not None:
            return chinese
        raise ValueError(f"cannot read date {text!r} (write 2025-03, 2025-03-14, 2025年3月 or 3月)")

    def edtf(self) -> str:
        year = f"{self.year:04d}" if self.year is not None else "XXXX"
        if self.month is None:
            return year
        start = f"{year}-{self.month:02d}"
        if self.end_month is not None:
            return f"{start}/{year}-{self.end_month:02d}"
        if self.day is not None:
            return f"{start}-{self.day:02d}"
        return start

    def zh(self) -> str:
        """As the press writes it: 2025年3月14日, 3月, 1—5月."""
        year = f"{self.year}年" if self.year is not None else ""
        if self.month is None:
            return year
        if self.end_month is not None:
            return f"{year}{self.month}—{self.end_month}月"
        day = f"{self.day}日" if self.day is not None else ""
        return f"{year}{self.month}月{day}"

    def en(self) -> str:
        """English at the same precision: 14 Mar 2025, Mar, Jan–May."""
        if self.month is None:
            return str(self.year)
        month = _MONTHS_EN[self.month - 1]
        if self.end_month is not None:
            text = f"{month}–{_MONTHS_EN[self.end_month - 1]}"
        elif self.day is not None:
            text = f"{self.day} {month}"
        else:
            text = month
        return f"{text} {self.year}" if self.year is not None else text

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year or 0, self.month or 0, self.day or 0)


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _days_in_month(year: int | None, month: int) -> int:
    if month == 2:
        if year is None:
            return 29
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


_EDTF = re.compile(r"^(\d{4}|XXXX)(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _parse_edtf(raw: str) -> PartialDate | None:
    text = raw.replace("/", "/").replace(".", "-")
    if "/" in text:
        left, _, right = text.partition("/")
        a, b = _EDTF.match(left.strip()), _EDTF.match(right.strip())
        if not a or not b or a.group(3) or b.group(3) or not a.group(2) or not b.group(2):
            return None
        if a.group(1) != b.group(1):
            raise ValueError("a month range must stay within one year")
        year = None if a.group(1) == "XXXX" else int(a.group(1))
        return PartialDate(year=year, month=int(a.group(2)), end_month=int(b.group(2)))
    match = _EDTF.match(text)
    if not match:
        return None
    year = None if match.group(1) == "XXXX" else int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    return PartialDate(year=year, month=month, day=day)


_ZH = re.compile(
    rf"^(?:(\d{{4}})年)?\s*(\d{{1,2}})(?:\s*[{_DASHES}]\s*(\d{{1,2}}))?月(?:份)?\s*(?:(\d{{1,2}})[日号])?$"
)


def _parse_chinese(raw: str) -> PartialDate | None:
    text = raw.replace(" ", "")
    only_year = re.fullmatch(r"(\d{4})年?", text)
    if only_year:
        return PartialDate(year=int(only_year.group(1)))
    match = _ZH.match(text)
    if not match:
        return None
    year = int(match.group(1)) if match.group(1) else None
    month = int(match.group(2))
    end = int(match.group(3)) if match.group(3) else None
    day = int(match.group(4)) if match.group(4) else None
    return PartialDate(year=year, month=month, end_month=end, day=day)


# Money units as written in the press, with their size in the unit's base currency.
_MONEY_UNITS: dict[str, tuple[str, Decimal]] = {
    "元": ("CNY", Decimal(1)),
    "万元": ("CNY", Decimal(10_000)),
    "亿元": ("CNY", Decimal(100_000_000)),
    "美元": ("USD", Decimal(1)),
    "万美元": ("USD", Decimal(10_000)),
    "亿美元": ("USD", Decimal(100_000_000)),
}
_UNIT_ALIASES = {"万": "万元", "亿": "亿元", "w": "万元", "W": "万元", "": "万元"}
_AMOUNT = re.compile(
    r"^(约|近|超过|超|逾|不足|不到)?\s*([0-9]+(?:\.[0-9]+)?)\s*(多|余)?\s*"
    r"(?:(亿|万)(多|余)?(美元|元)?|(美元|元)|(w|W))?\s*(左右|以上|多|余)?$"
)
# Hedges as the press writes them; a value written with one keeps its wording (see `written`).
_HEDGES = re.compile(r"约|近|超|逾|多|余|以上|左右|不足|不到")


# A bound in words before a number (不少于80亿元, 不低于300亿元, 不超过5亿元): the number after
# it is read as usual, with the bound as its hedge, and the text is kept as written.
# 突破300亿元 ("breaks through"): at least that much, as 超 is.
_BOUND_WORDS = re.compile(r"^(不少于|不低于|不超过|不高于|突破)\s*(?=\d)")


def split_bound(raw: str) -> tuple[str, Qualifier | None]:
    """The text after a bound in words, and the hedge it states (OVER: at least; UNDER: at
    most); the text unchanged and None when it starts with none."""
    match = _BOUND_WORDS.match(raw)
    if match is None:
        return raw, None
    over = match.group(1) in ("不少于", "不低于", "突破")
    return raw[match.end() :], Qualifier.OVER if over else Qualifier.UNDER


# A number written in Chinese numerals (三十亿元, 一亿五千万元, 两千余家, 逾百家): read as the
# same value in digits, the text kept as written.
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_ZH_DIGITS |= {"八": 8, "九": 9}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
_ZH_RUN = re.compile(
    r"^(?:约|近|超过|超|逾|不足|不到|不少于|不低于|不超过|不高于|突破)?"
    r"([零一二两三四五六七八九十百千万亿]*[十百千万亿][零一二两三四五六七八九十百千万亿]*)"
)


def zh_numeral(run: str) -> int:
    """The value of a run of Chinese numerals: 三十亿 is 3000000000, 一亿五千万 150000000."""
    total = section = digit = 0
    for ch in run:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_SMALL:
            section += (digit or 1) * _ZH_SMALL[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit or 1) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit or 1) * 100_000_000
            section = digit = 0
    return total + section + digit


def zh_to_digits(raw: str) -> str:
    """The text with its leading run of Chinese numerals written in digits (三十亿元 -> 30亿元,
    一亿五千万元 -> 1.5亿元, 两千余家 -> 2000余家); the text unchanged when it has none."""
    match = _ZH_RUN.match(raw)
    if match is None or not re.search("[零一二两三四五六七八九十百千]", match.group(1)):
        return raw  # 亿 or 万 alone is no number
    value = Decimal(zh_numeral(match.group(1)))
    rest = raw[match.end(1) :]
    if re.match(r"(?:多|余)?(?:美元|元)", rest):  # money: in 亿 or 万 as the press writes it
        for size, word in ((100_000_000, "亿"), (10_000, "万")):
            if value >= size:
                many = re.match(r"多|余", rest)
                head = many.group(0) if many else ""
                hedge = raw[: match.start(1)]
                return f"{hedge}{_plain(value / size)}{word}{head}{rest[len(head) :]}"
    return f"{raw[: match.start(1)]}{_plain(value)}{rest}"


# The hedges and units of a figure in traditional characters (約42億元, 逾30億元, 46個, 約85畝,
# as Hong Kong and Taiwan outlets write them): read as their simplified forms, the text kept
# as written.
_TRADITIONAL = str.maketrans("約億萬餘過個畝項臺噸場戶條棟歲幣", "约亿万余过个亩项台吨场户条栋岁币")


def _simplified(raw: str) -> str | None:
    """raw with the traditional characters of hedges and units simplified; None when it has
    none."""
    simple = raw.translate(_TRADITIONAL)
    return simple if simple != raw else None


def _reworded(raw: str, canonical: str) -> bool:
    """Whether the canonical form words the hedge differently (超 -> 多, 近 -> 约, 以上 -> 多)."""
    return _HEDGES.findall(raw) != _HEDGES.findall(canonical)


def _plain(value: Decimal) -> str:
    """A decimal as written, without exponent or thousands separators: 6.63, 150, 0.5."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True, slots=True)
class Amount:
    """Money as the source gives it: value, unit (万元, 亿元, 万美元 ...), and any hedge."""

    value: Decimal
    unit: str = "万元"
    qualifier: Qualifier | None = None
    # The text as the source wrote it (超550亿元, 约6000余万元), kept where the canonical form
    # would reword its hedge; not part of equality: 超550亿元 and 550多亿元 are the same amount.
    written: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.unit not in _MONEY_UNITS:
            raise ValueError(f"unknown money unit {self.unit!r}")
        if self.value < 0:
            raise ValueError("an amount cannot be negative")

    @classmethod
    def parse(cls, text: str) -> Amount:
        """Read 3亿, 3000万, 1.5亿元, 约15亿元, 500万美元; a bare number is 万元."""
        raw = text.strip().replace(",", "").replace("，", "")
        if raw.startswith("-"):
            raise ValueError(f"amount {text!r} is negative")
        bare, bound = split_bound(raw)
        if bound is not None:
            inner = cls.parse(bare)
            return cls(value=inner.value, unit=inner.unit, qualifier=bound, written=raw)
        if (digits := zh_to_digits(raw)) != raw:
            inner = cls.parse(digits)
            return cls(value=inner.value, unit=inner.unit, qualifier=inner.qualifier, written=raw)
        if (simple := _simplified(raw)) is not None:
            inner = cls.parse(simple)
            return cls(value=inner.value, unit=inner.unit, qualifier=inner.qualifier, written=raw)
        match = _AMOUNT.match(raw)
        if not match:
            english = _english_money(text)
            if english is not None:
                return english
            raise ValueError(f"cannot read amount {text!r} (write 3亿, 3000万 or 1.5亿元)")
        prefix, number, many, scale, many2, currency, plain, short, suffix = match.groups()
        try:
            value = Decimal(number)
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only decimals
            raise ValueError(f"cannot read amount {text!r}") from exc
        unit = f"{scale}{currency or '元'}" if scale else (plain or short or "")
        unit = _UNIT_ALIASES.get(unit, unit)
        many = many or many2
        qualifier: Qualifier | None = None
        if prefix in ("约", "近") or suffix == "左右":
            qualifier = Qualifier.ABOUT
        elif prefix in ("超", "超过", "逾") or many or suffix in ("以上", "多", "余"):
            qualifier = Qualifier.OVER
        elif prefix in ("不足", "不到"):
            qualifier = Qualifier.UNDER
        amount = cls(value=value, unit=unit, qualifier=qualifier)
        if _reworded(raw, amount.text()):
            amount = cls(value=value, unit=unit, qualifier=qualifier, written=raw)
        return amount

    @property
    def currency(self) -> str:
        return _MONEY_UNITS[self.unit][0]

    def in_base(self) -> Decimal:
        """The amount in yuan (or dollars for USD units), for sums and comparisons only."""
        return self.value * _MONEY_UNITS[self.unit][1]

    def text(self) -> str:
        """The stored form, which parse() reads back: 约15亿元, 6.63亿元, 500万美元, and a
        hedged value as written (超550亿元 stays 超550亿元, never 550多亿元)."""
        if self.written:
            return self.written
        head = "约" if self.qualifier is Qualifier.ABOUT else ""
        tail = "多" if self.qualifier is Qualifier.OVER else ""
        return f"{head}{_plain(self.value)}{tail}{self.unit}"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A counted or measured figure with its unit: 159个, 约150亩, 20多件, 7000平方米."""

    value: Decimal
    unit: str = ""
    qualifier: Qualifier | None = None
    written: str | None = field(default=None, compare=False)  # as in Amount

    @classmethod
    def parse(cls, text: str, unit: str = "") -> Quantity:
        raw = text.strip().replace(",", "")
        if _LATIN.search(raw):
            english = _english_quantity(text) or _english_written(text)
            if english is not None:
                return english
        bare, bound = split_bound(raw)
        if bound is not None:
            inner = cls.parse(bare, unit)
            return cls(inner.value, inner.unit, bound, written=raw)
        if (digits := zh_to_digits(raw)) != raw:
            inner = cls.parse(digits, unit)
            return cls(inner.value, inner.unit, inner.qualifier, written=raw)
        if (simple := _simplified(raw)) is not None:
            inner = cls.parse(simple, unit)
            return cls(inner.value, inner.unit, inner.qualifier, written=raw)
        match = re.fullmatch(
            r"(约|近|超过|超|逾|不足|不到)?\s*([0-9]+(?:\.[0-9]+)?)\s*(多|余)?\s*(.*?)\s*(左右|以上)?",
            raw,
        )
        if not match or not match.group(2):
            raise ValueError(f"cannot read number {text!r}")
        prefix, number, many, written_unit, suffix = match.groups()
        value = Decimal(number)
        qualifier: Qualifier | None = None
        if prefix in ("约", "近") or suffix == "左右":
            qualifier = Qualifier.ABOUT
        elif prefix in ("超", "超过", "逾") or many or suffix == "以上":
            qualifier = Qualifier.OVER
        elif prefix in ("不足", "不到"):
            qualifier = Qualifier.UNDER
        if re.match(r"[多余]", written_unit or ""):  # 6000余万元: the hedge after 万 goes with it
            qualifier = qualifier or Qualifier.OVER
        quantity = cls(value=value, unit=written_unit or unit, qualifier=qualifier)
        if _reworded(raw, quantity.text()):
            quantity = cls(value, written_unit or unit, qualifier, written=raw)
        return quantity

    def text(self) -> str:
        if self.written:
            return self.written
        head = "约" if self.qualifier is Qualifier.ABOUT else ""
        tail = "多" if self.qualifier is Qualifier.OVER else ""
        return f"{head}{_plain(self.value)}{tail}{self.unit}"


def plain_decimal(value: Decimal) -> str:
    """Public form of the decimal printer: no exponent, no thousands separators."""
    return _plain(value)


# ---- English forms ------------------------------------------------------------------------
# Staff using the English screens type "1.5 billion", "RMB 300 million", "300m", "US$50 million",
# "about 150 mu". They are stored in the Chinese form the facts use (15亿元, 3亿元, 5000万美元,
# 约150亩), keeping every digit typed: 1.5 billion is 15亿元, never 15.0亿元 nor a rounded
# figure, and dollars stay dollars. A hedge the canonical form would reword is kept as the
# press writes it (over -> 超, under -> 不足).

_LATIN = re.compile(r"[A-Za-z]")
EN_SCALES = {  # scale words of English amounts, shared with the condition reader
    "billion": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
    "b": Decimal(1_000_000_000),
    "million": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "mln": Decimal(1_000_000),
    "m": Decimal(1_000_000),
    "thousand": Decimal(1_000),
    "k": Decimal(1_000),
}
_EN_HEDGES: dict[str, Qualifier] = {
    "about": Qualifier.ABOUT,
    "around": Qualifier.ABOUT,
    "approximately": Qualifier.ABOUT,
    "approx.": Qualifier.ABOUT,
    "approx": Qualifier.ABOUT,
    "roughly": Qualifier.ABOUT,
    "nearly": Qualifier.ABOUT,
    "almost": Qualifier.ABOUT,
    "over": Qualifier.OVER,
    "more than": Qualifier.OVER,
    "above": Qualifier.OVER,
    "under": Qualifier.UNDER,
    "less than": Qualifier.UNDER,
    "below": Qualifier.UNDER,
}
_EN_HEDGE = "|".join(re.escape(h) for h in sorted(_EN_HEDGES, key=len, reverse=True))
_EN_CURRENCY = r"yuan|rmb|cny|renminbi|usd|us\s*dollars?|dollars?"
# A comma separates thousands only (10,000; 1,500 million): 1,5 billion is no number.
_EN_NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_EN_MONEY = re.compile(
    rf"(?:({_EN_HEDGE})\s+)?(?:(cny|rmb|usd|us\$|\$|¥)\s*)?{_EN_NUMBER}\s*"
    rf"(?:(billion|bn|b|million|mln|mn|m|thousand|k)(?![a-z]))?\s*(?:({_EN_CURRENCY})(?![a-z]))?"
    r"\s*(\+|or more|or so)?"
)
_EN_AREA_UNITS = (
    (r"mu", "亩"),
    (r"hectares?|ha", "公顷"),
    (r"square\s*met(?:er|re)s?|sq\.?\s*m|sqm|m2|m²", "平方米"),
)
_EN_QUANTITY = re.compile(
    rf"(?:({_EN_HEDGE})\s+)?{_EN_NUMBER}\s*"
    rf"({'|'.join(p for p, _u in _EN_AREA_UNITS)})(?![a-z])\s*(\+|or more|or so)?"
)


def _en_hedge(before: str | None, after: str | None) -> Qualifier | None:
    if before:
        return _EN_HEDGES[before]
    if after in ("+", "or more"):
        return Qualifier.OVER
    return Qualifier.ABOUT if after == "or so" else None


def _hedged_written(qualifier: Qualifier | None, text: str) -> str | None:
    """The written form for a hedge the canonical text words differently (over -> 超)."""
    if qualifier is Qualifier.OVER:
        return f"超{text}"
    if qualifier is Qualifier.UNDER:
        return f"不足{text}"
    return None


def _english_money(raw: str) -> Amount | None:
    """500 million yuan, RMB 1.5 billion, 1.5bn, 300m, CNY 2 billion, US$50 million."""
    match = _EN_MONEY.fullmatch(raw.lower().strip())
    if match is None:
        return None
    hedge, prefix, number, scale, currency, tail = match.groups()
    if not (prefix or scale or currency):
        return None  # a bare number is read the Chinese way (万元)
    dollars = (
        (prefix or "") in ("usd", "us$", "$") or "dollar" in (currency or "") or (currency == "usd")
    )
    value = Decimal(number.replace(",", "")) * (EN_SCALES[scale] if scale else Decimal(1))
    suffix = "美元" if dollars else "元"
    for size, head in ((Decimal(100_000_000), "亿"), (Decimal(10_000), "万"), (Decimal(1), "")):
        if value >= size or not head:
            shown = Decimal(_plain(value / size))
            unit = head + suffix
            break
    qualifier = _en_hedge(hedge, tail)
    written = _hedged_written(qualifier, f"{_plain(shown)}{unit}")
    return Amount(shown, unit, qualifier, written)


def _english_quantity(raw: str) -> Quantity | None:
    """10,000 mu, about 150 mu, 50 hectares, 20000 square metres."""
    match = _EN_QUANTITY.fullmatch(raw.lower().strip())
    if match is None:
        return None
    hedge, number, unit_typed, tail = match.groups()
    unit = next(u for p, u in _EN_AREA_UNITS if re.fullmatch(p, unit_typed))
    qualifier = _en_hedge(hedge, tail)
    value = Decimal(number.replace(",", ""))
    return Quantity(value, unit, qualifier, _hedged_written(qualifier, f"{_plain(value)}{unit}"))


# A figure of an English article, kept as written (12.6 billion yuan, US$820 million, nine,
# 15.2 percent, about 800 jobs, HK$600 million, 50 million euros): the number (times its
# scale word) for sorting, the text as the article gives it; nothing converted.
# English number words, each at its value's index.
EN_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)
_EN_WORD_NUMBERS = {w: Decimal(i) for i, w in enumerate(EN_NUMBER_WORDS)}
_EN_WRITTEN = re.compile(
    rf"(?:(?P<hedge>{_EN_HEDGE}|some|at least|up to)\s+)?"
    r"(?:(?:[a-z]{0,3}\$|rmb|cny|usd|hkd|eur|€|¥|£)\s*)?"
    rf"(?P<number>{_EN_NUMBER}|{'|'.join(_EN_WORD_NUMBERS)})(?![\d,])\s*"
    r"(?P<scale>trillion|billion|bn|million|mln|mn|thousand)?(?![a-z])"
    r"(?:\s*(?P<unit>%|[a-z][a-z.\'-]*(?:\s+[a-z][a-z.\'-]*){0,3}))?"
)


def _english_written(raw: str) -> Quantity | None:
    match = _EN_WRITTEN.fullmatch(raw.lower().strip())
    if match is None:
        return None
    hedge, number, scale, unit = match.group("hedge", "number", "scale", "unit")
    value = _EN_WORD_NUMBERS.get(number) or Decimal(number.replace(",", "") or "0")
    if scale:
        value *= EN_SCALES.get(scale, Decimal(1_000_000_000_000))
    qualifier = _EN_HEDGES.get(hedge) if hedge else None
    if hedge == "at least":
        qualifier = Qualifier.OVER
    elif hedge in ("up to",):
        qualifier = Qualifier.UNDER
    elif hedge == "some":
        qualifier = Qualifier.ABOUT
    return Quantity(value, unit or "", qualifier, written=raw.strip())
