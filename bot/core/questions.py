"""Questions in staff's own words: parsing and planning, no Telegram and no SQL.

A message is folded (NFKC, lower case), checked for small talk, then read for what it asks:
intents (who, when, how many, ...), stage and time words, a pointer back (它, 其中, "it"), and
the names it contains. Names are found by looking every short stretch of the message (and its
pinyin) up in the store's name index, so the cost follows the message, not the store. What is
left once names, question words and filler are gone are the terms, which rank the sentences of
the records in question. Every word list lives in ``ask_words.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.core.conditions import UNIT_WORDS_EN, Condition, read_size
from bot.core.text import normalise, pinyin, syllables
from bot.core.values import EN_NUMBER_WORDS

WORDS_FILE = Path(__file__).with_name("ask_words.yaml")
CONTEXT_TTL_S = 30 * 60  # a follow-up refers to what was said in the last 30 minutes
MAX_NAME = 24  # characters of the longest name looked up
SmallTalk = Literal["greeting", "thanks", "help"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z0-9][a-z0-9&'.\-]*")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_MONTHS = re.compile(r"(\d{1,2})\s*(?:[-—–~至到]\s*(\d{1,2})\s*)?月")
_EN_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for m in names
}


@dataclass(frozen=True)
class Words:
    greetings: frozenset[str]
    thanks: frozenset[str]
    capabilities: frozenset[str]
    question_words: tuple[str, ...]
    english_stop: frozenset[str]
    edge_chars: str
    followups_zh: tuple[str, ...]
    followups_en: tuple[str, ...]
    zone_followups: tuple[str, ...]
    synonyms: tuple[tuple[str, ...], ...]
    generic: frozenset[str]
    intents: dict[str, tuple[str, ...]]
    intent_not: dict[str, tuple[str, ...]]
    stages: dict[str, str]
    this_year: tuple[str, ...]
    last_year: tuple[str, ...]
    future: tuple[str, ...]
    zone_suffixes_zh: tuple[str, ...]
    zone_suffixes_en: tuple[str, ...]
    year_parts: dict[str, tuple[int, int]] = field(default_factory=dict)
    sector_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # pinyin of the Chinese intent words, for questions typed in pinyin (dongshizhang)
    intent_pinyin: dict[str, tuple[str, ...]] = field(default_factory=dict)
    openers_zh: tuple[str, ...] = ()
    openers_en: tuple[str, ...] = ()
    record_pointers_zh: tuple[str, ...] = ()
    record_pointers_en: tuple[str, ...] = ()
    which_zones_zh: tuple[str, ...] = ()  # 哪些园区, 哪个园区: the answer is zones
    which_zones_en: tuple[str, ...] = ()
    joint: tuple[str, ...] = ()  # 合作, together: names asked about together
    overall: tuple[str, ...] = ()  # 情况, trend: the overall picture
    place_pointers: tuple[str, ...] = ()  # 那里, there


def _longest_first(items: Iterable[Any]) -> tuple[str, ...]:
    folded = {fold(str(i)) for i in items if str(i).strip()}
    return tuple(sorted(folded, key=lambda s: (-len(s), s)))


def fold(text: str) -> str:
    """NFKC, lower case, one space between words."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


@lru_cache(maxsize=1)
def words() -> Words:
    data: dict[str, Any] = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    intents = {k: _longest_first(v) for k, v in data["intents"].items()}
    intent_pinyin = {
        k: tuple(pinyin(w) for w in v if _HAN.search(w) and len(w) >= 2) for k, v in intents.items()
    }
    return Words(
        greetings=frozenset(fold(w) for w in data["greetings"]),
        thanks=frozenset(fold(w) for w in data["thanks"]),
        capabilities=frozenset(fold(w) for w in data["capabilities"]),
        question_words=_longest_first(data["question_words"]),
        english_stop=frozenset(fold(w) for w in data["english_stop"]),
        edge_chars=str(data["edge_chars"]),
        followups_zh=_longest_first(data["followups"]["zh"]),
        followups_en=_longest_first(data["followups"]["en"]),
        zone_followups=_longest_first(data["zone_followups"]),
        synonyms=tuple(_longest_first(g) for g in data["synonyms"]),
        generic=frozenset(fold(w) for w in data["generic"]),
        intents=intents,
        intent_not={k: _longest_first(v) for k, v in data["intent_not"].items()},
        stages={fold(k): str(v) for k, v in data["stages"].items()},
        this_year=_longest_first(data["this_year"]),
        last_year=_longest_first(data["last_year"]),
        future=_longest_first(data["future"]),
        zone_suffixes_zh=_longest_first(data["zone_suffixes_zh"]),
        zone_suffixes_en=_longest_first(data["zone_suffixes_en"]),
        year_parts={
            fold(k): (int(v[0]), int(v[1]))
            for k, v in sorted(data.get("year_parts", {}).items(), key=lambda kv: -len(kv[0]))
        },
        sector_aliases={
            str(k): _longest_first(v) for k, v in data.get("sector_aliases", {}).items()
        },
        intent_pinyin=intent_pinyin,
        openers_zh=_longest_first(data.get("openers", {}).get("zh", ())),
        openers_en=_longest_first(data.get("openers", {}).get("en", ())),
        record_pointers_zh=_longest_first(data.get("record_pointers", {}).get("zh", ())),
        record_pointers_en=_longest_first(data.get("record_pointers", {}).get("en", ())),
        which_zones_zh=_longest_first(data.get("which_zones", {}).get("zh", ())),
        which_zones_en=_longest_first(data.get("which_zones", {}).get("en", ())),
        joint=_longest_first(
            [*data.get("joint", {}).get("zh", ()), *data.get("joint", {}).get("en", ())]
        ),
        overall=_longest_first(
            [*data.get("overall", {}).get("zh", ()), *data.get("overall", {}).get("en", ())]
        ),
        place_pointers=_longest_first(data.get("place_pointers", ())),
    )


# ---- small talk ------------------------------------------------------------------------------


def small_talk(text: str) -> SmallTalk | None:
    """A greeting, thanks or "what can you do": the whole message, give or take punctuation."""
    bare = _PUNCT.sub(" ", fold(text)).strip()
    if not bare:
        return None
    w = words()
    squeezed = bare.replace(" ", "")
    if bare in w.capabilities or squeezed in {c.replace(" ", "") for c in w.capabilities}:
        return "help"
    # 你好呀, 你好啊, 嗨嗨: a greeting with an interjection is still a greeting.
    stripped = squeezed.rstrip("呀啊哈吖嘛~")
    for kind, bag in (("greeting", w.greetings), ("thanks", w.thanks)):
        plain = {b.replace(" ", "") for b in bag}
        if bare in bag or squeezed in plain or stripped in plain:
            return kind  # type: ignore[return-value]
        # 你好，请问… is a question with manners: only two-word greetings count ("hi there").
        parts = bare.split()
        if len(parts) == 2 and parts[0] in bag and parts[1] in ("there", "bot", "all", "everyone"):
            return kind  # type: ignore[return-value]
    return None


# ---- parsing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskedPeriod:
    """The time a question asks about, as far as it says: a year (2027年, in 2025), a year
    relative to today (今年, last year, 明年), and months (3月, 1-5月, 上半年, Q1)."""

    label: str  # the words as typed (2027年, 上半年, last year), for the answer to name
    year: int | None = None
    relative: Literal["this", "last", "next"] | None = None
    first_month: int | None = None
    last_month: int | None = None
    # A window of months counted back from today that crosses a year (近三个月 in February):
    # its first and last (year, month).
    since: tuple[int, int] | None = None
    until: tuple[int, int] | None = None
    # Days counted from today (上周, 本周, 今天, last week): only a fact dated to the day can
    # be placed in them.
    days: tuple[date, date] | None = None

    @property
    def has_year(self) -> bool:
        return self.year is not None or self.relative is not None

    def wanted_year(self, current_year: int) -> int | None:
        if self.year is not None:
            return self.year
        return {"this": current_year, "last": current_year - 1, "next": current_year + 1}.get(
            self.relative or ""
        )


@dataclass(frozen=True)
class Parsed:
    """What a message asks, before names are looked up."""

    text: str  # folded
    han: bool  # mostly Chinese
    intents: frozenset[str]
    stages: tuple[str, ...]  # stage ids (signed, construction, ...) and "landed"
    months: tuple[int, ...]  # months named (3月 -> (3,); 1-5月 -> (1, 5))
    this_year: bool
    followup: bool
    zone_pointer: bool = False  # 这个园区: the zone talked about, not its last record
    period: AskedPeriod | None = None  # the time asked about, if the question names one
    condition: Condition | None = None  # a size asked for: 10亿元以上, at least 2000 mu
    unread_size: str | None = None  # size words that set no condition (3到5000万: 3万 or 3000万?)
    top: int | None = None  # "the first N" asked for (前三的领域, top 3 sectors)


_WHICH_MORE = re.compile(
    r"(?:哪(?:个|一个|家|边|里)?|谁)[^，,。？?！!]{0,12}?(?:更|比较)?(?<!多)([多高大少低小])(?!少)"
    r"(?:一些|一点|些|点)?\s*(?:呢|啊|呀)?\s*[？?！!。]*$"
)


def _contains(text: str, word: str) -> bool:
    if _HAN.search(word):
        return word in text
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None


@lru_cache(maxsize=1)
def _intent_cancel() -> dict[str, tuple[str, ...]]:
    """ask_words.yaml ``intent_cancel``: words that, anywhere in a question, undo an intent."""
    data: dict[str, Any] = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return {str(k): _longest_first(v) for k, v in data.get("intent_cancel", {}).items()}


def contains_word(text: str, word: str) -> bool:
    """Whether a folded text holds a word: a Chinese word anywhere, a Latin one as whole
    words."""
    return _contains(text, word)


def parse(text: str, today: date | None = None) -> Parsed:
    """What a message asks; ``today`` (the staff's local date) places 上个月, 近三个月 and
    "since March" (default: today in UTC)."""
    folded = fold(text)
    w = words()
    han_count = len(_HAN.findall(folded))
    latin = len(re.findall(r"[a-z]", folded))
    han = han_count * 2 >= latin or han_count >= 4
    intents = set()
    for name, keys in w.intents.items():
        masked = folded
        for not_word in w.intent_not.get(name, ()):
            masked = masked.replace(not_word, " ")
        if any(_contains(masked, k) for k in keys):
            intents.add(name)
    for name, cancels in _intent_cancel().items():
        # "Where are its cranes being used?" asks where they are used, not where it is based.
        if name in intents and any(_contains(folded, c) for c in cancels):
            intents.discard(name)
    if re.search(r"(?<![a-z])bottom\s*(?:\d|[a-z]+)", folded):
        intents.add("least")  # bottom 3 sectors: the smallest first
    # 哪个招引的项目多, 哪边更少: which one has more (less), said without 最.
    which = _WHICH_MORE.search(folded)
    if which is not None and not intents & {"most", "least"}:
        intents.add("least" if which.group(1) in "少低小" else "most")
    if not han:
        squeezed = folded.replace(" ", "")
        for name, keys in w.intent_pinyin.items():
            if any(k and k in squeezed for k in keys):
                intents.add(name)
    # 注册资本 / registered capital is money, not the stage 注册.
    staged = folded
    for k in w.intents["capital"]:
        staged = staged.replace(k, " ")
    stages = tuple(dict.fromkeys(v for k, v in w.stages.items() if _contains(staged, k)))
    months: list[int] = []
    for match in _MONTHS.finditer(folded):
        first = int(match.group(1))
        if 1 <= first <= 12:
            months.append(first)
        if match.group(2) and 1 <= int(match.group(2)) <= 12:
            months.append(int(match.group(2)))
    for word in re.findall(r"[a-z]+", folded):
        if (word in _EN_MONTHS and word != "may") or (word == "may" and "jan" in folded):
            months.append(_EN_MONTHS[word])
    this_year = any(_contains(folded, k) for k in w.this_year)
    followup = _has_followup(folded, han)
    zone_pointer = any(_contains(folded, z) for z in w.zone_followups)
    size = read_size(folded)
    return Parsed(
        folded,
        han,
        frozenset(intents),
        stages,
        tuple(months),
        this_year,
        followup,
        zone_pointer,
        asked_period(folded, tuple(months), today),
        size.condition,
        size.unread,
        top_count(folded),
    )


# 前三的领域, 排名前5, top 3, top three: how many of a ranking are asked for. Not 前5个月 or
# 前三季度 (a time), and not 前沿 (a word).
_TOP_ZH = re.compile(
    r"前\s*(\d{1,2}|十[一二]?|[一二两三四五六七八九])\s*(?![个\s]*月|\s*季|\s*年|\s*天|\s*周)"
)
_TOP_EN = re.compile(r"(?<![a-z])(?:top|bottom)\s*(\d{1,2}|[a-z]+)(?![a-z])")


# 最多的两个领域, 最大的三个: the first N of a ranking, said with 最.
_TOP_MOST_ZH = re.compile(
    r"最[多大高少小低]的?\s*(\d{1,2}|十[一二]?|[二两三四五六七八九])\s*[个家项名]"
)


def top_count(folded: str) -> int | None:
    """How many of a ranking a (folded) question asks for, if it names a number."""
    found = _TOP_ZH.search(folded) or _TOP_MOST_ZH.search(folded) or _TOP_EN.search(folded)
    if found is None:
        return None
    count = _count_of(found.group(1))
    return count if count is not None and 1 <= count <= 20 else None


# A number that may be a year (2027年, in 2025), not part of a code (RL2050), a range
# (2024-2026) or a decimal; year_spans() decides whether it is one.
_YEAR = re.compile(r"(?<![a-z0-9\-—–~.])((?:19|20)\d{2})(?![\d\-—–~.,])(\s*年(?:度)?)?")
# After the number, a unit or an amount word makes it an amount (2000亿元, 2000亩, 2019家,
# 2000 mu), never a year.
_AMOUNT_AFTER = re.compile(
    r"\s*(?:[多余亿万千百元亩个家人米吨台座平%％件项名位户套辆栋]"
    r"|(?:mu|yuan|rmb|cny|usd|dollars?|people|persons?|workers?|jobs?|firms?|companies"
    r"|company|enterprises?|projects?|units?|tons?|tonnes?|sqm|square|metres?|meters?|km|m2"
    r"|percent|million|billion|thousand|hectares?|acres?|sets?|pieces?|households?)(?![a-z]))"
)
# Before the number, a word of time: 截至2025, 自2024以来, since 2024, in 2025.
_TIME_BEFORE_ZH = ("截至", "截止", "截止到", "自", "从", "始于", "在")
_TIME_BEFORE_EN = re.compile(
    r"(?:^|[^a-z])(?:in|of|since|for|during|until|till|by|from|before|after|through)"
    r"\s*$"
)


def year_spans(folded: str, current_year: int | None = None) -> list[tuple[int, int, int]]:
    """Where a (folded) message names a year: (start, end, year), the end past 年/年度.

    A number is a year when 年 follows it, a word of time precedes it (截至2025, since
    2024), or it stands alone among English words (in 2025, 2025 figures); never when a unit
    follows (2000亿元, 2000亩, 2019家, 2000 mu), nor past ten years from now.
    """
    cap = (current_year or datetime.now(UTC).year) + 10
    found: list[tuple[int, int, int]] = []
    for match in _YEAR.finditer(folded):
        year = int(match.group(1))
        if year > cap:
            continue
        if match.group(2):
            found.append((match.start(), match.end(), year))
            continue
        after = folded[match.end(1) :]
        if _AMOUNT_AFTER.match(after):
            continue
        before = folded[: match.start(1)]
        if before.rstrip().endswith(_TIME_BEFORE_ZH) or _TIME_BEFORE_EN.search(before):
            found.append((match.start(), match.end(1), year))
            continue
        # Alone among English words: no Chinese character right beside it.
        left = before.rstrip()[-1:]
        right = after.lstrip()[:1]
        if not (left and _HAN.match(left)) and not (right and _HAN.match(right)):
            found.append((match.start(), match.end(1), year))
    return found


def drop_years(text: str) -> str:
    """The text with the years it names blanked (2025年 is when, not what)."""
    for start, end, _ in reversed(year_spans(text)):
        text = f"{text[:start]} {text[end:]}"
    return text


_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*[-—–~至到]\s*(?:19|20)\d{2}")


# Words that hold a time word without naming a time: 达产后年产值 (the annual output after full
# production, not 后年), "annual output".
_NOT_TIME = re.compile(
    r"(?<=[产成工营])后(?=年)"
    r"|annual(?=\s+(?:output|revenue|production|sales|capacity|turnover|tax))"
)


# Months counted back from today: 上个月, 近三个月, 最近3个月, "the past three months".
_LAST_MONTH = re.compile(r"上个?月|(?<![a-z])last month(?![a-z])|(?<![a-z])previous month(?![a-z])")
_THIS_MONTH = re.compile(r"本月|这个月|(?<![a-z])this month(?![a-z])")
# 下个月, next month: the month after this one (nothing is dated there unless announced).
_NEXT_MONTH = re.compile(r"下个?月|(?<![a-z])next month(?![a-z])|(?<![a-z])coming month(?![a-z])")
_RECENT_MONTHS_ZH = re.compile(
    r"(?:近|最近|过去)\s*(\d{1,2}|十[一二]?|[一二两三四五六七八九半])\s*个?月"
)
# 过去半年, 近一年, 最近两年: half a year or whole years back from today, in months.
_RECENT_YEARS_ZH = re.compile(r"(?:近|最近|过去)\s*(半|一|两|二|三|\d)\s*年(?!度)")
# ("last year" is the calendar year before this one, read elsewhere.)
_RECENT_YEARS_EN = re.compile(
    r"(?:(?:past|previous)\s+(?:(\d|two|three)\s+)?years?|last\s+(\d|two|three)\s+years)"
    r"(?![a-z])"
)
_RECENT_MONTHS_EN = re.compile(
    r"(?:past|last|recent|previous)\s+(\d{1,2}|[a-z]+)\s+months?(?![a-z])"
)
# A month and on (3月以来, 自3月起, since March): from that month to today.
_SINCE_ZH = re.compile(
    r"(\d{1,2})\s*月(?:份)?\s*(?:以来|至今|到现在|到今天|迄今|起|开始|以后|之后)"
)
_SINCE_EN = re.compile(r"(?:since|from|after)\s+(?:the\s+)?([a-z]+)(?![a-z])")


def _back(today: date, months: int) -> tuple[int, int]:
    """The (year, month) ``months`` before today's month."""
    index = today.year * 12 + today.month - 1 - months
    return index // 12, index % 12 + 1


# Weeks and days counted from today.
_DAYS = (
    (re.compile(r"上(?:个)?(?:周|星期|礼拜)|(?<![a-z])last week(?![a-z])"), "last_week"),
    (re.compile(r"(?:本|这个?)(?:周|星期|礼拜)|(?<![a-z])this week(?![a-z])"), "this_week"),
    (
        # (下周一要交材料: a weekday of next week names a deadline, not a window asked about.)
        re.compile(
            r"下(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天])"
            r"|(?<![a-z])(?:next|coming) week(?![a-z])"
        ),
        "next_week",
    ),
    (
        re.compile(
            r"(?:近|最近|过去)\s*(?:一|1)?\s*(?:周|星期|个星期|礼拜)"
            r"|(?<![a-z])(?:past|last) (?:7 days|seven days|week)(?![a-z])"
        ),
        "past_week",
    ),
    (re.compile(r"今天|今日|(?<![a-z])today(?![a-z])"), "today"),
    (re.compile(r"昨天|昨日|(?<![a-z])yesterday(?![a-z])"), "yesterday"),
)


def day_window(folded: str, today: date) -> AskedPeriod | None:
    """上周, 本周, 近一周, 今天, 昨天, last week, this week: the days they span, or None."""
    for pattern, kind in _DAYS:
        found = pattern.search(folded)
        if found is None:
            continue
        monday = today - timedelta(days=today.weekday())
        span = {
            "last_week": (monday - timedelta(days=7), monday - timedelta(days=1)),
            "this_week": (monday, today),
            "next_week": (monday + timedelta(days=7), monday + timedelta(days=13)),
            "past_week": (today - timedelta(days=6), today),
            "today": (today, today),
            "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        }[kind]
        return AskedPeriod(found.group(0).strip(), days=span)
    return None


def recent_window(folded: str, today: date) -> AskedPeriod | None:
    """A window of months counted from today (上个月, 近三个月, since March), or None."""
    days = day_window(folded, today)
    if days is not None:
        return days
    label: str | None = None
    first: tuple[int, int] | None = None
    last = (today.year, today.month)
    found = _LAST_MONTH.search(folded)
    if found is not None:
        label, first = found.group(0), _back(today, 1)
        last = first
    elif (found := _THIS_MONTH.search(folded)) is not None:
        label, first = found.group(0), last
    elif (found := _NEXT_MONTH.search(folded)) is not None:
        label, first = found.group(0).strip(), _back(today, -1)
        last = first
    elif (
        found := _RECENT_MONTHS_ZH.search(folded) or _RECENT_MONTHS_EN.search(folded)
    ) is not None:
        word = found.group(1)
        count = 1 if word == "半" else _count_of(word)
        if count is None or not 1 <= count <= 24:
            return None
        label, first = found.group(0).strip(), _back(today, count - 1)
    elif (found := _RECENT_YEARS_ZH.search(folded) or _RECENT_YEARS_EN.search(folded)) is not None:
        word = found.group(1) or (found.group(2) if found.re is _RECENT_YEARS_EN else None) or "1"
        count = 6 if word == "半" else 12 * (_count_of(word) or 0)
        if not 1 <= count <= 36:
            return None
        label, first = found.group(0).strip(), _back(today, count - 1)
    elif (found := _SINCE_ZH.search(folded)) is not None:
        month = int(found.group(1))
        if not 1 <= month <= today.month:
            return None
        label, first = found.group(0), (today.year, month)
    elif (found := _SINCE_EN.search(folded)) is not None and found.group(1) in _EN_MONTHS:
        month = _EN_MONTHS[found.group(1)]
        if month > today.month:
            return None
        label, first = f"since {_en_months(month, month)}", (today.year, month)
    if label is None or first is None:
        return None
    if first[0] == last[0]:
        relative: Literal["this", "last", "next"] = (
            "this" if first[0] == today.year else "next" if first[0] > today.year else "last"
        )
        return AskedPeriod(label, None, relative, first[1], last[1])
    return AskedPeriod(label, None, None, None, None, since=first, until=last)


def asked_period(
    folded: str, months: tuple[int, ...], today: date | None = None
) -> AskedPeriod | None:
    """The time a (folded) question asks about, or None when it names none."""
    w = words()
    folded = _NOT_TIME.sub(" ", folded)
    if not _YEAR_RANGE.search(folded) and not year_spans(folded):
        window = recent_window(folded, today or datetime.now(UTC).date())
        if window is not None:
            return window
    labels: list[str] = []
    year: int | None = None
    relative: Literal["this", "last", "next"] | None = None
    if not _YEAR_RANGE.search(folded):
        spans = year_spans(folded)
        if spans:
            start, end, year = spans[0]
            labels.append(folded[start:end].strip())
    for kind, bag in (("last", w.last_year), ("next", w.future), ("this", w.this_year)):
        hit = next((k for k in bag if _contains(folded, k)), None)
        if hit is not None and year is None and relative is None:
            relative = kind  # type: ignore[assignment]
            labels.append(hit)
    first = last = None
    part = next((k for k in w.year_parts if _contains(folded, k)), None)
    leading = _FIRST_MONTHS_ZH.search(folded) or _FIRST_MONTHS_EN.search(folded)
    count = _count_of(leading.group(1)) if leading else None
    if leading is not None and count is not None and 1 <= count <= 12:
        # 前5个月, the first five months: January to that month.
        first, last = 1, count
        labels.append(leading.group(0).strip())
    elif part is not None:
        first, last = w.year_parts[part]
        latin = not _HAN.search(part) and not re.fullmatch(r"[qh]\d", part)
        if latin and year is not None and (first, last) == (1, 12):
            pass  # "annual 2024", "the whole year 2024": the year says it all
        elif part not in labels:
            # "the first half", "the whole year"; Q1 and 上半年 stand alone.
            if re.fullmatch(r"[qh]\d", part):
                labels.append(part.upper())  # Q1, H2
            else:
                labels.append(f"the {part}" if latin and not part.startswith("the ") else part)
    elif months:
        first, last = min(months), max(months)
        found_months = _MONTHS.search(folded)
        labels.append(found_months.group(0) if found_months else _en_months(first, last))
    if year is None and relative is None and first is None:
        return None
    if relative == "next" and part is not None and first is not None and part in w.future:
        relative = None  # 下半年 is a part of this year, said of the future
        labels = [x for x in labels if x != part] + [part]
    han = any(_HAN.search(x) for x in labels)
    if not han and year is not None and len(labels) > 1:
        labels = [*labels[1:], labels[0]]  # the year after the months: "the first half 2025"
    joiner = "" if han else " "
    return AskedPeriod(joiner.join(dict.fromkeys(labels)), year, relative, first, last)


_NUMBER_WORDS = {
    **{w: n for n, w in enumerate("一二三四五六七八九十", 1)},
    "两": 2,
    "十一": 11,
    "十二": 12,
    **{w: n for n, w in enumerate(EN_NUMBER_WORDS[1:13], 1)},  # one to twelve
}
_FIRST_MONTHS_ZH = re.compile(r"前\s*(\d{1,2}|十[一二]|[一二两三四五六七八九十])\s*个?月")
_FIRST_MONTHS_EN = re.compile(r"(?:the )?first (\d{1,2}|[a-z]+) months")


def _count_of(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


def _en_months(first: int, last: int) -> str:
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    if first == last:
        return names[first - 1]
    return f"{names[first - 1]}–{names[last - 1]}"


def period_covers(
    asked: AskedPeriod | None,
    year: int | None,
    month: int | None,
    end_month: int | None,
    current_year: int,
    *,
    exact: bool,
    day: int | None = None,
) -> bool:
    """Whether a dated fact answers the time asked.

    ``exact``: a figure of a period (1—5月) answers only that period, never another one it
    overlaps (上半年, 3月); a dated item (a signing in 3月) answers any time that holds it. A year
    asked needs the fact's own year: one the source does not give never passes for it, except
    for 今年, which the sources use for the year they were written in.
    """
    if asked is None:
        return True
    if asked.days is not None:
        # A week or a day: a fact known only to the month cannot be placed in it.
        if month is None or day is None or end_month is not None or exact:
            return False
        try:
            when = date(year or current_year, month, day)
        except ValueError:
            return False
        return asked.days[0] <= when <= asked.days[1]
    if asked.since is not None and asked.until is not None:
        # A window across a year; a fact whose source gives no year is read as of this year,
        # as 今年 is.
        if month is None:
            return False
        start = (year or current_year, month)
        end = (year or current_year, end_month or month)
        if exact:
            return (start, end) == (asked.since, asked.until)
        return asked.since <= start and end <= asked.until
    wanted = asked.wanted_year(current_year)
    undated_this_year = asked.relative == "this" and asked.year is None and year is None
    if wanted is not None and year != wanted and not undated_this_year:
        return False
    if asked.first_month is None:
        return True
    if month is None:
        # A figure of a whole year (2025年) answers 全年 / annual of that year.
        whole = (asked.first_month, asked.last_month) == (1, 12)
        return whole and year is not None
    last = end_month or month
    first_asked, last_asked = asked.first_month, asked.last_month or asked.first_month
    if exact:
        return (month, last) == (first_asked, last_asked)
    return first_asked <= month and last <= last_asked


Dangling = Literal["opener", "pointer"]


def dangling(parsed: Parsed) -> Dangling | None:
    """How a message leans on an earlier one, when it does: "opener" for "and what about …"
    (那新一代信息技术呢, What about new-generation IT?, And in Suzhou?), "pointer" for a word
    pointing at a record or zone talked about before (它的董事长, its chairman, 这个园区)."""
    w = words()
    folded = parsed.text
    bare = _PUNCT.sub(" ", folded).strip()
    squeezed = bare.replace(" ", "")
    if parsed.han:
        opens = squeezed.startswith(w.openers_zh)
        if opens and squeezed.endswith("呢"):
            return "opener"
        if squeezed.endswith("呢") and not parsed.intents and not parsed.stages:
            return "opener"  # 新一代信息技术呢
        unpointed = squeezed.replace("其它", "").replace("其他", "")  # "the other …": no pointer
        pointer = any(p in unpointed for p in w.record_pointers_zh)
    else:
        tokens = bare.split()
        opens = (
            any(bare == o or bare.startswith(o + " ") for o in w.openers_en) and len(tokens) <= 7
        )
        if opens:
            return "opener"
        pointer = any(_contains(folded, p) for p in w.record_pointers_en)
    if pointer or parsed.zone_pointer:
        return "pointer"
    return None


def asks_which_zones(parsed: Parsed) -> bool:
    """哪些园区…, 哪个园区…, "which zones …": the answer asked for is zones, not one zone's."""
    w = words()
    if any(word in parsed.text for word in w.which_zones_zh):
        return True
    return any(_contains(parsed.text, word) for word in w.which_zones_en)


def _has_followup(folded: str, han: bool) -> bool:
    w = words()
    if han:
        if any(f in folded for f in w.followups_zh if len(f) >= 2 or f in ("它", "其", "该")):
            return True
        # 那新一代信息技术呢？ — "and what about ...": a new value for the last question.
        bare = _PUNCT.sub("", folded)
        return bare.startswith("那") or bare.endswith("呢")
    return any(_contains(folded, f) for f in w.followups_en)


# ---- names -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """A stretch of the message to look up: its folded text, where it sits, how it was made."""

    key: str
    start: int
    end: int
    by_pinyin: bool = False
    surface: str = ""


def squeeze(text: str) -> str:
    """The message as names are indexed: folded, no spaces or punctuation."""
    return normalise(text)


def name_keys(text: str) -> list[Key]:
    """Every stretch of the message a name could be, and its pinyin (德佳 reads as 德加)."""
    keys: dict[tuple[str, bool], Key] = {}
    flat = squeeze(text)[:200]
    runs = [(m.start(), m.group()) for m in re.finditer(r"[\u3400-\u9fff\uf900-\ufaff]+", flat)]
    for start, run in runs:
        # pypinyin (loaded on the first Han question): toneless, lower case, non-Han dropped.
        read = syllables(run)
        if len(read) != len(run):
            read = []
        for i in range(len(run)):
            for j in range(i + 2, min(len(run), i + MAX_NAME) + 1):
                piece = run[i:j]
                keys.setdefault((piece, False), Key(piece, start + i, start + j, False, piece))
                if read and j - i <= 10:
                    py = "".join(read[i:j])
                    keys.setdefault((py, True), Key(py, start + i, start + j, True, piece))
    # Latin words: consecutive words joined (zoomlion construction crane -> one key)
    folded = fold(text)[:300]
    tokens = [
        (m.start(), m.end(), m.group())
        for m in _LATIN_WORD.finditer(folded)
        if m.group() not in UNIT_WORDS_EN  # "1 billion yuan": a size, never a name
    ]
    offset = 1000  # Latin spans live apart from Han spans
    for i in range(len(tokens)):
        for j in range(i + 1, min(len(tokens), i + 7) + 1):
            joined = normalise("".join(t[2] for t in tokens[i:j]))
            if len(joined) < 3:
                continue
            surface = folded[tokens[i][0] : tokens[j - 1][1]]
            keys.setdefault(
                (joined, False),
                Key(joined, offset + tokens[i][0], offset + tokens[j - 1][1], False, surface),
            )
    return list(keys.values())


@dataclass(frozen=True)
class NameHit:
    """A name the store knows, found in the message."""

    kind: str  # zone, company, project, event
    record_id: str
    key: Key
    quality: int

    @property
    def guessed(self) -> bool:
        """Found by sound only (德家 for 德加): the answer says which name it took."""
        return self.key.by_pinyin and _HAN.search(self.key.surface) is not None


_ZONE_TYPE_WORDS = (
    "高新",
    "经开",
    "开发区",
    "园区",
    "新区",
    "hitech",
    "hi-tech",
    "etdz",
    "zone",
    "park",
)


def names_zone_type(surface: str) -> bool:
    """Whether the words that found a zone say what kind of zone (昆山高新区, not just 昆山)."""
    folded = surface.casefold()
    return any(word in folded for word in _ZONE_TYPE_WORDS)


def pick_names(hits: Sequence[NameHit]) -> list[NameHit]:
    """The longest names first, none overlapping another; exact spellings over sound-alikes."""
    ranked = sorted(
        hits,
        key=lambda h: (
            -(h.key.end - h.key.start),
            h.key.by_pinyin,
            -h.quality,
            h.kind != "zone",
            h.record_id,
        ),
    )
    taken: list[tuple[int, int]] = []
    chosen: list[NameHit] = []
    for hit in ranked:
        span = (hit.key.start, hit.key.end)
        if any(span[0] < e and s < span[1] for s, e in taken):
            # The same stretch naming several records (a company and its only project): keep.
            if any(
                c.key.start == hit.key.start and c.key.end == hit.key.end and c.kind != hit.kind
                for c in chosen
            ):
                chosen.append(hit)
            continue
        taken.append(span)
        chosen.append(hit)
    return chosen


def residue(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The squeezed message with the found names blanked out."""
    flat = list(squeeze(text)[:200])
    for start, end in spans:
        for i in range(max(0, start), min(len(flat), end)):
            flat[i] = " "
    return "".join(flat)


# ---- terms and sentences ---------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One thing the question is about, with the words that stand for it."""

    variants: tuple[str, ...]
    weight: float
    typed: str = ""  # the word as the question has it (searched for in full text)

    @property
    def word(self) -> str:
        return self.typed or self.variants[0]


def terms(parsed: Parsed, rest: str, latin_rest: str | None = None) -> list[Unit]:
    """Content words once names, question words and filler are gone, with their synonyms."""
    w = words()
    units: list[Unit] = []
    seen: set[str] = set()
    text = rest
    # Question forms (在哪, 多少, 做了什么, 哪些公司) ask; they are not what is asked about.
    asking = ("where", "when", "count", "does", "companies")
    forms = [k for name in asking for k in w.intents[name] if len(k) >= 2]
    # Time words (今年, 去年, 明年) filter or qualify; they are not what is asked about.
    forms += [k for k in (*w.this_year, *w.last_year, *w.future) if _HAN.search(k)]
    forms += [k for k in w.year_parts if _HAN.search(k)]
    # The time asked (2027年, 前五个月, 1-5月) qualifies the question: not a word to match.
    text = drop_years(text)
    for pattern in (_FIRST_MONTHS_ZH, _MONTHS):
        text = pattern.sub(" ", text)
    for word in sorted((*forms, *w.question_words, *w.followups_zh), key=lambda x: -len(x)):
        if _HAN.search(word):
            text = text.replace(word, " ")
    # Synonym groups first, on the whole residue (幕墙 stays, 塔式起重机 -> 塔机 ...).
    for group in w.synonyms:
        for word in group:
            # One-character variants (赛, 销) only rank sentences: they would cut words apart.
            if _HAN.search(word) and len(word) >= 2 and word in text:
                units.append(Unit(group, 2.0, word))
                seen.add(word)
                text = text.replace(word, " ")
                break
    for word in sorted(w.generic, key=lambda x: -len(x)):
        if _HAN.search(word) and word in text:
            # A generic word splits a run (桂花方面 -> 桂花 + 方面) and counts a little.
            units.append(Unit((word,), 0.25, word))
            text = text.replace(word, " ")
    for raw in _HAN_RUN.findall(text):
        run = raw.strip(w.edge_chars)
        if len(run) < 2 or run in seen:
            continue
        weight = 0.5 if run in w.generic else 1.0
        if len(run) <= 4:
            units.append(Unit((run,), weight * (1.0 + 0.25 * len(run)), run))
        else:
            units.append(Unit((run,), 2.5, run))
        if len(run) >= 3:
            # No word breaks in Chinese: the run's pairs of characters also count, a little.
            for i in range(len(run) - 1):
                pair = run[i : i + 2]
                units.append(Unit((pair,), 0.25 if pair in w.generic else 0.6, pair))
    # English words (and Latin model names such as RL205-10E).
    english = drop_years(latin_rest if latin_rest is not None else parsed.text)
    timed = _time_words() if parsed.period is not None else frozenset()
    for word in re.findall(r"[a-z0-9][a-z0-9\-]*", english):
        if word in w.english_stop or len(word) < 2 or word in timed:
            continue  # "next year", "the first half", "in 2025": when, not what
        found = next((g for g in w.synonyms if word in g), ())
        variants = found if found else (word, word.rstrip("s")) if len(word) > 3 else (word,)
        weight = 0.5 if word in w.generic else 1.5
        if any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word):
            weight = 3.0  # a model or code (RL205-10E): rarer and surer than any word
        units.append(Unit(tuple(dict.fromkeys(variants)), weight, word))
    return units


@lru_cache(maxsize=1)
def _time_words() -> frozenset[str]:
    """English words that only say when (next, year, half, q1, may ...); the years a message
    names are dropped where they are found (drop_years), amounts (2000 mu) stay."""
    w = words()
    phrases = (*w.this_year, *w.last_year, *w.future, *w.year_parts)
    found = {part for p in phrases if not _HAN.search(p) for part in p.split()}
    found |= set(_EN_MONTHS) | {"months", "month", "quarter", "quarters", "year", "years"}
    found |= {k for k in _NUMBER_WORDS if k.isascii()}
    return frozenset(found - {"all", "the", "of"})


def search_words(units: Sequence[Unit], limit: int = 10) -> list[str]:
    """Words worth a full-text search: not generic, the heaviest first, then the character
    pairs of long terms (a term may not be a word of the text: 祖冲之当县令)."""
    w = words()
    out: list[str] = []
    for unit in sorted(units, key=lambda u: -u.weight):
        word = unit.word
        if word in w.generic or len(word) < 2 or word in out:
            continue
        if unit.weight < 1.0 and len(out) >= 4:
            continue
        out.append(word)
        if len(unit.variants) > 1:
            # A synonym group searches as its Chinese words too (比赛 finds 大赛).
            extra = [v for v in unit.variants if _HAN.search(v) and len(v) >= 2 and v != word]
            out.extend(extra[:4])
        if len(out) >= limit:
            break
    return out[: limit + 4]


_SENTENCE_END = re.compile(r"(?<=[。；！!？?])|(?<=\.)\s+")


def sentences(text: str | None) -> list[str]:
    """A record's text cut into sentences (。；! ? and English full stops)."""
    if not text:
        return []
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s and s.strip()]


def score(sentence: str, units: Sequence[Unit]) -> float:
    lowered = fold(sentence)
    total = 0.0
    for unit in units:
        if any(_contains(lowered, v) for v in unit.variants):
            total += unit.weight
    return total


@dataclass(frozen=True)
class Passage:
    """A sentence of a record, to answer with."""

    kind: str
    record_id: str
    text: str
    bonus: float = 0.0


def best_passages(
    passages: Sequence[Passage], units: Sequence[Unit], most: int = 2
) -> list[tuple[float, Passage]]:
    """The sentences that answer best: the top one, and a second one nearly as good."""
    if not units:
        return []
    ranked = sorted(
        ((score(p.text, units) + p.bonus, i, p) for i, p in enumerate(passages)),
        key=lambda t: (-t[0], t[1]),
    )
    ranked = [r for r in ranked if r[0] - r[2].bonus > 0]
    if not ranked:
        return []
    best = ranked[0][0]
    chosen = [(ranked[0][0], ranked[0][2])]
    for value, _i, passage in ranked[1:]:
        if len(chosen) >= most:
            break
        if value >= best * 0.75 and passage.text != chosen[0][1].text:
            chosen.append((value, passage))
    return chosen


# ---- zones the store doesn't hold ------------------------------------------------------------


def named_zone(text: str) -> str | None:
    """A zone-like name in the message (苏州工业园区, Suzhou Industrial Park), as typed."""
    w = words()
    folded = fold(text)
    for suffix in w.zone_suffixes_zh:
        match = re.search(rf"([\u4e00-\u9fff]{{2,6}}?){re.escape(suffix)}", folded)
        if match:
            head = match.group(1)
            for word in ("请问", "帮我查", "查一下", "你们"):
                head = head.removeprefix(word)
            # 四个高新区, 哪个园区, 这个园区: not a name.
            if len(head) >= 2 and not re.search(
                r"[哪几这那该每各个些们里本该其一二两三四五六七八九十]", head
            ):
                return head + suffix
    for suffix in w.zone_suffixes_en:
        match = re.search(rf"((?:[a-z]+ ){{1,3}}){re.escape(suffix)}", folded)
        if match:
            kept = [
                t for t in match.group(1).split() if t not in w.english_stop and t not in ("did",)
            ]
            if kept:
                return " ".join([*kept, suffix]).title()
    return None


# ---- figures ---------------------------------------------------------------------------------


def number(value: Any) -> float:
    return float(value)


_KIND_WORD = re.compile(
    r"([\u4e00-\u9fffa-z0-9]{2,12}?)(?:那个|这个|那家|这家|的)?(项目|公司|企业)"
)


def kind_phrases(rest: str) -> list[tuple[str, str]]:
    """(word, kind) for "幕墙那个项目", "南玻公司": a word naming a project or company by part
    of its name, once question words are gone."""
    w = words()
    out: list[tuple[str, str]] = []
    for match in _KIND_WORD.finditer(rest):
        word = match.group(1)
        for qw in (*w.question_words, *w.followups_zh):
            if _HAN.search(qw):
                word = word.replace(qw, " ")
        runs = [r for r in word.split() if len(r) >= 2]
        if runs:
            kind = "project" if match.group(2) == "项目" else "company"
            out.append((runs[-1], kind))
    return out
