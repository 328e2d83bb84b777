"""Draft records from an English-language news article about a zone (China Daily, Xinhua, a
government's English site): the same records and rules as the Chinese reader, read the
English way.

- the source: title, outlet, author ("By X"), date from the byline or the Xinhua-style
  dateline ("WUHU, Oct. 21 --");
- the zone: an English zone name in the text ("Hefei High-tech Industrial Development Zone",
  "Wuhu ETDZ", "Suzhou Industrial Park") resolved through the store's zone index, as /zone
  resolves it; without a resolved zone nothing is filed (the caller may name one);
- events (signed ... projects, a groundbreaking ceremony, a conference) with their date and
  figures; projects (a factory, base, centre, park ... with its investor and money);
  zone figures of a period ("In the first five months of this year");
- every figure kept as written (about 1.8 billion yuan, US$150 million, HK$600 million,
  nine, 15.2 percent): nothing converted, nothing summed; a date keeps the precision the text
  gives, a year taken from the article's date only when that makes it certain (the review
  says so); a target ("aims to", "is expected to") is labelled as one, never a fact.

Names are the article's English names: `name_zh` holds them as written (the format requires
one name; no Chinese name is invented) and `name_en` the same.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.extraction.rules import Draft, slug
from bot.core.values import EN_NUMBER_WORDS

# An article is read the English way when its letters are Latin, not Han.
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def is_english(text: str) -> bool:
    """Whether a text is an English article: 100+ Latin letters and Han under 3% of them."""
    latin = len(_LATIN.findall(text))
    return latin >= 100 and len(_HAN.findall(text)) * 33 < latin


MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = r"(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ISO = re.compile(r"\b((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})\b")
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d{{2}}))?",
    re.I,
)
_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z .'-]{{1,40}}),\s+(?P<date>{_MONTH}\s+\d{{1,2}})"
    r"(?:\s*\([A-Za-z ]+\))?\s*(?:--|—|–|-)\s*"
)
_WEEKDAY = re.compile(
    r"\bon\s+(?P<weekday>" + "|".join(WEEKDAYS) + r")\b(?:\s*\((?P<date>[^()]{3,20})\))?", re.I
)
_ON_DATE = re.compile(rf"\bon\s+(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+(?:19|20)\d{{2}})?)", re.I)

# Numbers and what they count or measure
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUM = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
_HEDGE = (
    r"about|around|approximately|nearly|almost|roughly|some|over|more than|above|at least|"
    r"up to|less than|under"
)
_SCALE = r"trillion|billion|million|bn|mln"
_CURRENCY_WORD = r"yuan|renminbi|(?:U\.S\.|US|Hong Kong|Singapore)?\s?dollars|euros?|yen|won|pounds"
MONEY = re.compile(
    rf"(?:(?:{_HEDGE})\s+)?(?:"
    rf"(?:(?:US|HK|NT|S|A)?\$|RMB|CNY|USD|HKD|EUR|€|¥|£)\s?(?:{_NUM})(?:\s?(?:{_SCALE}))?(?:\s+(?:{_CURRENCY_WORD}))?"
    rf"|(?:{_NUM})(?:\s?(?:{_SCALE}))?\s+(?:{_CURRENCY_WORD})"
    rf")(?:\s+or more)?",
    re.I,
)
_AREA = re.compile(
    rf"(?:(?:{_HEDGE})\s+)?(?:{_NUM})\s+(?:mu|square\s+met(?:er|re)s|sq\s?m|hectares)\b", re.I
)
PERCENT = re.compile(rf"(?:(?:{_HEDGE})\s+)?(?:{_NUM})\s?(?:percent|per cent|%)", re.I)
_COUNT_NOUNS = (
    r"projects|deals|agreements|enterprises|companies|firms|units|jobs|vehicles|tons|tonnes|"
    r"exhibitors|participants|entrepreneurs|investors|talents|patents|contracts|parks|teams"
)
COUNT = re.compile(
    rf"\b(?P<value>(?:(?:{_HEDGE})\s+)?(?:{_NUM}|{_WORD_NUM}))(?P<after>(?:\s+[A-Za-z][\w'-]*){{0,5}}?\s+(?:{_COUNT_NOUNS}))\b",
    re.I,
)
MEASURED = re.compile(
    rf"(?:(?:{_HEDGE})\s+)?(?:{_NUM})\s+(?:units|jobs|tons|tonnes|vehicles|sets)\b", re.I
)
# An output a year, whatever is made: "can turn out 5,000 drones a year", "200,000 chips annually".
PER_YEAR = re.compile(
    rf"(?:(?:{_HEDGE})\s+)?(?:{_NUM})(?:\s+[a-z][a-z-]*){{1,3}}"
    r"(?=\s+(?:a|per|each|every)\s+year\b|\s+annually\b)",
    re.I,
)

# Records
_ZONE_KINDS = (
    r"High[- ]?[Tt]ech Industrial Development Zone|Hi-[Tt]ech Industrial Development Zone|"
    r"High[- ]?[Tt]ech Industrial Zone|High[- ]?[Tt]ech Zone|Hi-[Tt]ech Zone|High[- ]?[Tt]ech Park|"
    r"Economic and Technological Development Zone|Economic-Technological Development Zone|"
    r"Economic-Technological Development Area|Economic Development Zone|ETDZ|Industrial Park|"
    r"Development Zone|New Area|Science City|Science Park|Free Trade Zone"
)
# (the kind in lower case too: "the Wuxi high-tech zone", as wire copy writes it)
ZONE = re.compile(rf"\b(?P<place>(?:[A-Z][a-z']+[ -]){{1,4}})(?P<kind>(?i:{_ZONE_KINDS}))\b")
_RANK_WORDS = frozenset({"National", "State-level", "State", "National-level"})
_KIND_ZH = (
    ("High", "高新区"),
    ("Hi-", "高新区"),
    ("Economic", "经开区"),
    ("ETDZ", "经开区"),
    ("Development Zone", "经开区"),
)
_COMPANY_SUFFIX = (
    r"Co\.,?\s?Ltd\.?|Company Limited|Co\.|Corp\.|Corporation|Inc\.|Ltd\.|Limited|GmbH|AG|"
    r"S\.A\.|SE|LLC|PLC|Group|Holdings|Institute|University|Academy|A/S|AB|ASA|Oy|S\.p\.A\.|"
    r"N\.V\.|B\.V\.|K\.K\.|Pte\.? Ltd\.?|SAS|KG"
)
COMPANY = re.compile(
    rf"\b(?P<name>(?:[A-Z][\w&'.-]*\s+){{1,6}}(?:{_COMPANY_SUFFIX}))(?=[\s,.;)]|$)"
)
# A named investor without a company suffix: the capitalised run before an investing verb
INVESTOR = re.compile(
    r"(?:^|[,;]\s+|\bwhile\s+|\band\s+)(?:[a-z-]+\s+){0,4}?(?P<name>(?:[A-Z][\w&'.-]*\s+){0,4}[A-Z][\w&'.-]*)"
    r"(?:,\s+[^,]{3,60},)?\s+(?:will invest|invested|invests|plans to invest|committed|commits|"
    r"will build|is building|started building|signed an agreement|will set up|set up)\b"
)
_NOT_INVESTOR = re.compile(
    r"\b(?:Zone|Park|District|Province|City|Area|Administration|Committee|Government|The|It|"
    r"Among|Last|In|This|These|Those|They|We|He|She)\b"
)
PROJECT_NOUNS = (
    r"factory|plant|base|cent(?:er|re)|park|project|institute|incubator|production line|"
    r"facility|hub|headquarters|laborator(?:y|ies)|lab|campus|warehouse|mill|complex|"
    r"(?:packaging|assembly|manufacturing|processing) line"
)
_PROJECT = re.compile(
    rf"(?P<phase>Phase\s+(?:I{{1,3}}|IV|\d|one|two|three)\s+of\s+)?"
    rf"(?:(?:a|an|the|its|their|his|her)\s+)"
    # "an 8.6 billion yuan ($1.2 billion) micro-display module plant": the amount is no name
    rf"(?P<amount>(?:{MONEY.pattern})\s*(?:\([^)]*\)\s*)?)?"
    rf"(?P<name>(?:[\w&/.-]+\s+){{0,5}}?(?:{PROJECT_NOUNS}))\b"
    r"(?P<tail>\s+for\s+(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*)?",
    re.I,
)
_NAME_STOP = {
    "in", "of", "for", "on", "at", "with", "by", "to", "from", "will", "and", "or", "its", "the",
    "a", "an", "which", "that", "is", "are", "was", "be", "been", "largest", "zone",
    "zone's",
}  # fmt: skip
_SO_FAR = re.compile(
    r"\b(?:so far this year|since the (?:start|beginning) of (?:the|this) year|year to date|"
    r"in the first (?:half|quarter|three quarters|\w+ months))\b",
    re.I,
)
# The subject of a wider area than the zone (the city, the province, the country).
_WIDER = re.compile(
    r"\b(?:(?:[A-Z][\w'-]*\s+){1,3}as a whole|the (?:whole|entire) (?:city|province|country)|"
    r"the city(?!'s)|citywide|city-wide|province-wide|provincewide|nationwide)\b"
)
_SIGNING = re.compile(r"\b(?:signed|signs|sign|inks|inked|signing)\b", re.I)
_GROUNDBREAKING = re.compile(
    r"\b(?:groundbreaking|breaks ground|broke ground|break ground)\b", re.I
)
_EVENT_NOUN = re.compile(
    r"\b(?P<title>(?:[\w-]+\s+){0,4}?(?:ceremony|conference|forum|expo|fair|summit|roadshow|"
    r"fest(?:ival)?|matchmaking meeting|promotion meeting|symposium))\b",
    re.I,
)
_TARGET = re.compile(
    r"\b(?:aims? to|aiming to|plans? to|planning to|is expected to|are expected to|expects? to|"
    r"targets?|will strive to|strives? to|seeks? to|is set to|projected to|forecast)\b",
    re.I,
)
_PERIODS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[int, int]]], ...] = (
    (
        re.compile(r"\b(?:in\s+)?the first (?P<n>\w+) months\b", re.I),
        lambda m: (1, _word_int(m.group("n"))),
    ),
    (
        re.compile(rf"\bfrom (?P<a>{_MONTH}) to (?P<b>{_MONTH})", re.I),
        lambda m: (_month(m.group("a")), _month(m.group("b"))),
    ),
    (re.compile(r"\b(?:in\s+)?the first half\b", re.I), lambda m: (1, 6)),
    (re.compile(r"\b(?:in\s+)?the first three quarters\b", re.I), lambda m: (1, 9)),
    (re.compile(r"\b(?:in\s+)?the first quarter\b", re.I), lambda m: (1, 3)),
)
_WORD_INTS = {w: i for i, w in enumerate(EN_NUMBER_WORDS[:13])}  # zero to twelve


def _word_int(word: str) -> int:
    return int(word) if word.isdigit() else _WORD_INTS.get(word.lower(), 0)


def _month(word: str) -> int:
    return MONTHS.get(word.lower().rstrip("."), 0)


@dataclass
class Head:
    title: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    date: dt.date | None = None
    date_text: str | None = None
    provenance: str | None = None
    dateline: tuple[int, int] | None = None  # (month, day) of "WUHU, Oct. 21 --"
    dateline_text: str | None = None


def read_head(lines: list[str]) -> tuple[Head, list[str]]:
    """The title, byline and provenance lines, and the body's paragraphs."""
    head = Head()
    body: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if line.startswith("#") and head.title is None and not body:
            head.provenance = line.lstrip("# ").strip() or None
            continue
        if head.title is None:
            head.title = line
            continue
        if not body and _is_byline(line):
            _read_byline(head, line)
            continue
        body.append(line)
    if body:
        match = _DATELINE.match(body[0])
        if match:
            month, day = _month_day(match.group("date"))
            if month and day:
                head.dateline = (month, day)
                head.dateline_text = match.group(0).strip(" -—–")
            body[0] = body[0][match.end() :]
    return head, body


def _is_byline(line: str) -> bool:
    if len(line) > 160 or (re.search(r"[.!?]\s*$", line) and not _ISO.search(line)):
        return bool(_ISO.search(line) or re.match(r"(?i)^(?:by|source)\b", line))
    return bool(
        "|" in line
        or re.match(r"(?i)^(?:by|source|updated|published)\b", line)
        or _ISO.search(line)
        or re.fullmatch(rf"(?i)[\w .]*\|?\s*{_MONTH}\s+\d{{1,2}},\s+\d{{4}}.*", line)
    )


def _read_byline(head: Head, line: str) -> None:
    for part in re.split(r"\s*\|\s*", line):
        part = part.strip()
        iso = _ISO.search(part)
        named = _MONTH_DAY.search(part)
        if iso or (named and named.group("year")):
            if head.date is None:
                try:
                    if iso:
                        head.date = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
                    elif named:
                        head.date = dt.date(
                            int(named["year"]), _month(named["month"]), int(named["day"])
                        )
                    head.date_text = line
                except ValueError:
                    pass
            rest = re.sub(r"(?i)^(?:updated|published|source)\s*:?\s*", "", part)
            rest = (_ISO.sub("", rest) if iso else _MONTH_DAY.sub("", rest)).strip(" :,|")
            rest = re.sub(r"^\d{1,2}:\d{2}\s*", "", rest).strip()
            if rest and not re.fullmatch(r"[\d:\s]*", rest):
                head.outlet = head.outlet or rest
            continue
        by = re.match(
            r"^[Bb]y\s+(?P<who>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}?)(?:\s+in\s+.*)?$", part
        )
        if by:
            head.authors.append(re.sub(r"\s+in$", "", by.group("who")))  # By X in Suzhou
            continue
        source = re.match(r"(?i)^source\s*:\s*(?P<outlet>.+)$", part)
        if source:
            head.outlet = head.outlet or source.group("outlet").strip()
            continue
        if part and not re.match(r"(?i)^(?:updated|published)\b", part):
            head.outlet = head.outlet or part


def _month_day(text: str) -> tuple[int, int]:
    match = re.match(rf"(?i)(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})", text.strip())
    if not match:
        return 0, 0
    return _month(match.group("month")), int(match.group("day"))


def sentences(paragraph: str) -> list[str]:
    """Sentences, not cut after Co., Ltd., Oct., U.S. or a decimal point."""
    protected = re.sub(
        r"\b(Co|Ltd|Inc|Corp|Oct|Sept|Sep|Nov|Dec|Jan|Feb|Aug|Mr|Ms|Dr|No|St|U\.S|Jr)\.",
        lambda m: m.group(1) + "\u2024",
        paragraph,
    )
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", protected)
    return [p.replace("\u2024", ".").strip() for p in parts if p.strip()]


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses: split at '; ' and ', while '."""
    return [c.strip() for c in re.split(r";\s+|,\s+while\s+", sentence) if c.strip()]


@dataclass
class Found:
    """A number in a clause: its text as written, where it stands, and its label."""

    value: str
    start: int
    end: int
    kind: str  # money, area, floor, percent, count, measured


def numbers_in(clause: str) -> list[Found]:
    """Every figure of a clause, left to right, none inside another."""
    found: list[Found] = []

    def add(pattern: re.Pattern[str], kind: str, group: str | int = 0) -> None:
        for match in pattern.finditer(clause):
            start, end = match.span(group)
            if any(f.start < end and start < f.end for f in found):
                continue
            found.append(Found(match.group(group).strip(), start, end, kind))

    add(MONEY, "money")
    # "5 billion yuan ($690 million)": the paper's conversion of the amount before, no figure
    found[:] = [
        f
        for f in found
        if not (
            f.kind == "money"
            and re.search(r"\(\s*$", clause[: f.start])
            and any(g.kind == "money" and g.end <= f.start for g in found)
        )
    ]
    add(_AREA, "area")
    add(PERCENT, "percent")
    add(MEASURED, "measured")
    add(PER_YEAR, "measured")
    add(COUNT, "count", "value")
    # "Fortune Global 500 companies", "top 100 firms": a number inside a name or a ranking
    found[:] = [
        f for f in found if not re.search(r"\b(?:Fortune|Global|[Tt]op)\s*$", clause[: f.start])
    ]
    return sorted(found, key=lambda f: f.start)


def _noun_phrase(text: str, start: int, end: int) -> str:
    """The words of text[start:end] after its last determiner, verb or preposition: "Zone held
    a groundbreaking ceremony" -> "groundbreaking ceremony"."""
    words = text[start:end].split()
    kept: list[str] = []
    for word in reversed(words):
        low = word.lower()
        if low in _NAME_STOP or (low.endswith("ed") and kept) or (word[:1].isupper() and kept):
            break
        kept.insert(0, word)
    return " ".join(kept)


_THIN_LABEL = {"combined", "total", "a", "an", "the", "aggregate", "overall"}


def _words_before(clause: str, start: int, limit: int = 9) -> str:
    """The label words before a number: back to a determiner, a comma or a capital."""
    words = re.findall(r"[\w'&/-]+|[,;:()]", clause[:start])
    kept: list[str] = []
    for word in reversed(words):
        if word in ",;:()" or _is_number(word):
            break
        if word.lower() in ("a", "an", "the", "its", "their", "with", "while"):
            if all(k.lower() in _THIN_LABEL for k in kept):  # "worth a combined"
                kept.insert(0, word)
                continue
            break
        if word[:1].isupper() and kept:
            break
        kept.insert(0, word)
        if len(kept) >= limit:
            break
    while kept and kept[-1].lower() in ("of", "to", "at", "by", "reached", "hit", "was", "is"):
        kept.pop()
    while kept and kept[0].lower() in ("and", "or", "while", "but"):
        kept.pop(0)
    # "the zone in Sichuan province has attracted": the province is where the zone is, and the
    # figure is not the province's
    while kept and kept[0].lower() in ("province", "city", "county", "district", "region"):
        kept.pop(0)
    return " ".join(kept)


_CHANGE_VERB = re.compile(
    r"\s+(?:rose|increased|grew|climbed|jumped|surged|soared|expanded|fell|dropped|declined|"
    r"decreased|was up|were up|went up|was down|were down)(?:\s+by)?\s*$",
    re.I,
)
_CHANGE_TO = re.compile(
    r"\s*(?:(?:year[- ]on[- ]year|from a year (?:earlier|ago)|from last year)\s+)?to\s*", re.I
)


# What an amount is, told after it: "$1.45 billion in foreign investment".
_MONEY_OF = re.compile(
    r"\s+(?:in|of)\s+((?:[\w-]+\s+){0,3}?(?:investment|capital|funds?|revenue|output|sales|"
    r"exports?|imports?|taxes|tax revenue|FDI))\b",
    re.I,
)


def _changed_to(clause: str, change: Found, number: Found) -> str | None:
    """The subject of "X rose 14.2 percent (year on year) to 31.6 billion yuan": X is what the
    second number measures, not the words between the two numbers."""
    if change.kind != "percent" or not _CHANGE_TO.fullmatch(clause[change.end : number.start]):
        return None
    before = clause[: change.start]
    verb = _CHANGE_VERB.search(before)
    if verb is None:
        return None
    subject = _words_before(before, verb.start())
    return subject.strip(" ,:;.") or None


def _words_after(clause: str, end: int) -> str:
    """The counted thing after a number, up to a preposition or a comma."""
    rest = re.split(
        r"[,;]|\s(?:with|worth|at|on|in|from|to|as|by)\s", clause[end:] + " ", maxsplit=1
    )
    return " ".join(rest[0].split()[:12])


@dataclass
class Reader:
    """Reads one English article into drafts (see the module doc)."""

    text: str
    source_id: str
    resolve_zone: Callable[[str], str | None]
    fallback_zone: str | None = None
    published: str | None = None
    head: Head = field(default_factory=Head)
    body: list[str] = field(default_factory=list)
    zone_id: str | None = None
    zone_name: str | None = None
    taken: set[str] = field(default_factory=set)
    companies: list[Draft] = field(default_factory=list)
    projects: list[Draft] = field(default_factory=list)
    events: list[Draft] = field(default_factory=list)
    figures: list[Draft] = field(default_factory=list)
    last_project: Draft | None = None
    event: Draft | None = None

    def run(self) -> None:
        self.head, self.body = read_head(self.text.splitlines())
        if self.published and self.head.date is None:
            with contextlib.suppress(ValueError):
                self.head.date = dt.date.fromisoformat(self.published[:10])
        self._find_zone()
        for paragraph in self.body:
            for sentence in sentences(paragraph):
                self._sentence(sentence)

    # ---- the zone ---------------------------------------------------------------------------

    def _find_zone(self) -> None:
        text = "\n".join([self.head.title or "", *self.body])
        counts: dict[str, int] = {}
        names: dict[str, str] = {}
        for match in ZONE.finditer(text):
            written = match.group(0).strip()
            kind = match.group("kind")
            if kind.islower():  # high-tech zone: the kind as names write it
                kind = kind.title().replace("-Tech", "-tech").replace(" And ", " and ")
                kind = kind.replace("Etdz", "ETDZ")
            zone_id = self._resolve(match.group("place").strip(), kind, written)
            if zone_id:
                counts[zone_id] = counts.get(zone_id, 0) + 1
                if len(written) > len(names.get(zone_id, "")):  # the zone's full name
                    names[zone_id] = written
        if counts:
            self.zone_id = max(counts, key=lambda z: counts[z])
            self.zone_name = names[self.zone_id]
        elif self.fallback_zone:
            self.zone_id = self.fallback_zone

    def _resolve(self, place: str, kind: str, written: str) -> str | None:
        zh = next((z for k, z in _KIND_ZH if kind.startswith(k) or k in kind), "")
        # "National" (or "State-level") before the kind is the zone's rank (国家级), no part of
        # its place: Haikou National High-tech Industrial Development Zone is Haikou's.
        words = [w for w in place.split() if w not in _RANK_WORDS]
        ranked = " ".join([*words, kind])
        candidates = [
            written,
            written.replace("High-tech", "Hi-tech").replace("High-Tech", "Hi-tech"),
            ranked,
            ranked.replace("High-tech", "Hi-tech").replace("High-Tech", "Hi-tech"),
        ]
        for first in range(len(words)):  # "Shanghai Zhangjiang": the whole place, then its tail
            part = " ".join(words[first:])
            candidates += (
                [f"{part} {kind}", part.lower().replace(" ", "") + zh] if zh else [f"{part} {kind}"]
            )
        for name in candidates:
            zone_id = self.resolve_zone(name)
            if zone_id:
                return zone_id
        return None

    # ---- dates ------------------------------------------------------------------------------

    def _date(self, sentence: str) -> tuple[str | None, str | None]:
        """The sentence's date as EDTF and a review note where the year (or day) is inferred."""
        reference = self.head.date
        year = reference.year if reference else None
        weekday = _WEEKDAY.search(sentence)
        written: tuple[int, int] | None = None
        if weekday and weekday.group("date"):
            written = _month_day(weekday.group("date"))
        elif (on := _ON_DATE.search(sentence)) is not None:
            found = _MONTH_DAY.search(on.group("date"))
            if found and found.group("year"):
                return (
                    f"{int(found['year']):04d}-{_month(found['month']):02d}-{int(found['day']):02d}",
                    None,
                )
            written = _month_day(on.group("date"))
        elif weekday and self.head.dateline:
            written = self.head.dateline
            note = f"“on {weekday.group('weekday')}” 取自电头 {self.head.dateline_text}"
            return self._with_year(written, year, reference, note)
        elif weekday and reference:
            # "on Monday" in a paper of Tuesday 2025-11-04: the Monday before, said so
            back = (reference.weekday() - WEEKDAYS.index(weekday.group("weekday").lower())) % 7
            day = reference - dt.timedelta(days=back)
            note = (
                f"“on {weekday.group('weekday')}” 按文章日期（{reference.isoformat()}）推算为"
                f"{day.isoformat()}"
            )
            return day.isoformat(), note
        if not written or not written[0]:
            return None, None
        return self._with_year(written, year, reference, None)

    def _with_year(
        self,
        month_day: tuple[int, int],
        year: int | None,
        reference: dt.date | None,
        note: str | None,
    ) -> tuple[str | None, str | None]:
        month, day = month_day
        if year and reference:
            try:
                candidate = dt.date(year, month, day)
            except ValueError:
                return None, None
            if candidate <= reference and (reference - candidate).days <= 180:
                said = f"年份取自文章日期（{reference.isoformat()}），文中只写{month}月{day}日"
                return candidate.isoformat(), f"{note}；{said}" if note else said
        return f"XXXX-{month:02d}-{day:02d}", note

    def _period(self, sentence: str) -> tuple[str | None, str | None]:
        year = self.head.date.year if self.head.date else None
        for pattern, months in _PERIODS:
            match = pattern.search(sentence)
            if not match:
                continue
            first, last = months(match)
            if not (1 <= first <= last <= 12):
                continue
            this_year = re.search(
                r"\b(?:this year|the year|of (?:this|the) year)\b", sentence, re.I
            )
            explicit = re.search(r"\b((?:19|20)\d{2})\b", sentence)
            if explicit:
                y = int(explicit.group(1))
                return f"{y}-{first:02d}/{y}-{last:02d}", None
            if this_year and year:
                note = f"年份取自文章日期（{year}），原文为“{match.group(0)} of this year”"
                return f"{year}-{first:02d}/{year}-{last:02d}", note
            return f"XXXX-{first:02d}/XXXX-{last:02d}", f"原文期间为“{match.group(0)}”，未给年份"
        if year and re.search(r"\blast year\b", sentence, re.I):
            return str(year - 1), f"“last year”按文章日期（{year}）为{year - 1}年"
        explicit = re.match(r"\s*In ((?:19|20)\d{2}),", sentence)
        if explicit:
            return explicit.group(1), None
        return None, None

    # ---- sentences --------------------------------------------------------------------------

    def _sentence(self, sentence: str) -> None:
        event = self._event(sentence)
        for clause in clauses(sentence):
            self._clause(clause, sentence, event)

    def _event(self, sentence: str) -> Draft | None:
        if not self.zone_id:
            return None
        signing = _SIGNING.search(sentence)
        ground = _GROUNDBREAKING.search(sentence)
        noun = _EVENT_NOUN.search(sentence)
        if not (signing or ground or noun):
            return None
        verb = signing or ground
        if (
            signing
            and not ground
            and re.search(r"(?i)signed (?:an|a) (?:agreement|deal|contract)", sentence)
        ):
            return None  # one agreement with one firm: its project's signing, not an event
        if verb and _TARGET.search(sentence[: verb.start()]):
            return None  # "aims to sign 60 projects": a goal, no event
        if verb and _SO_FAR.search(sentence):
            return None  # "has signed 18 projects so far this year": a running total, no event
        if verb and _WIDER.search(sentence[: verb.start()]):
            return None  # "Mianyang as a whole signed 312 projects": the city's total, no event
        subject = COMPANY.search(sentence)
        if verb and subject and subject.end() <= verb.start():
            # a firm signing its own deal, or breaking ground on its own plant: its project's
            # step, not an event
            return None
        if self.event is not None and re.search(
            r"\b(?:at the (?:ceremony|conference|event|signing)|also|during the)\b", sentence, re.I
        ):
            return self.event
        if not numbers_in(sentence) and not noun:
            return None
        if not (signing or ground) and self.event is not None:
            return None
        if noun:
            title = _noun_phrase(sentence, noun.start("title"), noun.end("title"))
        else:
            title = "groundbreaking" if ground else "signing"
        zone = self.zone_name or ""
        if zone and zone.lower() not in title.lower():
            title = f"{zone} {title}"
        for known in self.events:  # the same event named again
            if known.fields.get("title_zh") == title:
                return known
        event = Draft("event", {})
        event.fields["id"] = slug("e", _ascii(title), self.taken)
        event.fields["zone"] = self.zone_id
        event.fields["kind"] = (
            "roadshow" if re.search(r"(?i)promotion|roadshow", title) else "other"
        )
        event.put("title_zh", title, sentence)
        event.put("title_en", title, sentence)
        date, note = self._date(sentence)
        event.put("date", date, sentence)
        if note:
            event.review["date_note"] = note
        self.events.append(event)
        self.event = event
        return event

    def _clause(self, clause: str, sentence: str, event: Draft | None) -> None:
        numbers = numbers_in(clause)
        company = self._company(clause, sentence)
        project = self._project(clause, sentence, company)
        if not numbers:
            return
        target = _TARGET.search(clause)
        holder = project
        first = numbers[0].start
        if holder is None and event is None and _IT.search(clause[:first]):
            holder = self.last_project
        previous_label = ""
        numbers = _without_bands(clause, numbers)
        # "Mianyang as a whole signed 312 projects": the city's figures, said so in each label
        wider = _WIDER.search(clause[:first])
        for index, number in enumerate(numbers):
            floor = numbers[index - 1].end if index else 0
            label = self._label(clause, number, previous_label, floor)
            if index and (subject := _changed_to(clause, numbers[index - 1], number)):
                label = subject  # "output rose 14.2 percent year on year to 31.6 billion yuan"
            joined = index and "," not in clause[numbers[index - 1].end : number.start]
            if joined and number.kind == "money" and previous_label and holder is None:
                # "attracted 136 new projects with total investment of ...": whose investment
                label = f"{previous_label}: {label}"
            previous_label = label if number.kind != "percent" else previous_label
            if target and not _TARGET.search(label):
                label = f"{target.group(0)}: {label}"
            if wider and wider.group(0).lower() not in label.lower():
                label = f"{wider.group(0)}: {label}"
            if holder is not None:  # a project's output is expected by nature
                self._project_figure(holder, number, label, clause, sentence)
            elif event is not None and not target:
                self._event_figure(event, number, label, sentence)
            else:
                self._zone_figure(number, label, sentence)

    def _label(self, clause: str, number: Found, previous: str, floor: int = 0) -> str:
        before = _words_before(clause[floor:], number.start - floor)
        if number.kind == "count":
            after = _words_after(clause, number.end)
            label = f"{before} {after}".strip()
        elif number.kind == "percent":
            yoy = re.match(r"\s+(year[- ]on[- ]year)", clause[number.end :], re.I)
            after = yoy.group(1) if yoy else _words_after(clause, number.end)
            change = f"{before} {after}".strip() or "change"
            label = f"{previous}: {change}" if previous else change
        else:
            label = before
            what = re.match(_MONEY_OF, clause[number.end :]) if number.kind == "money" else None
            if what:  # "utilized $1.45 billion in foreign investment": what the money is
                label = f"{before} {what.group(1)}".strip()
            if number.kind == "measured" and not label:
                label = number.value.split()[-1]
        return label.strip(" ,:;.") or number.value

    def _company(self, clause: str, sentence: str) -> Draft | None:
        match = COMPANY.search(clause)
        name = None
        if match:
            name = re.sub(r"^(?:The|A|An|Among|In|Last)\s+", "", match.group("name")).strip()
        else:
            investor = INVESTOR.search(clause)
            if investor and not _NOT_INVESTOR.search(investor.group("name")):
                name = investor.group("name").strip()
        if name:
            name = re.sub(r"^(?:[A-Z][\w.]*\s+)*[A-Z][\w.]*-based\s+", "", name)
        if not name or (self.zone_name and name in self.zone_name):
            return None
        for company in self.companies:
            if company.fields["name_zh"] == name:
                return company
        company = Draft("company", {})
        company.fields["id"] = slug("co", _ascii(name), self.taken)
        company.put("name_zh", name, sentence)
        company.put("name_en", name, sentence)
        company.fields["kind"] = (
            "institution" if re.search(r"Institute|University|Academy", name) else "company"
        )
        self.companies.append(company)
        return company

    def _project(self, clause: str, sentence: str, company: Draft | None) -> Draft | None:
        if not self.zone_id:
            return None
        for match in _PROJECT.finditer(clause):
            if re.search(rf"(?:{_ZONE_KINDS})\s*,\s*$", clause[: match.start()]):
                continue  # "Suzhou Industrial Park, a flagship cooperation project,": the zone
            words = match.group("name").split()
            while words and (words[0].lower() in _NAME_STOP or _is_number(words[0])):
                words.pop(0)
            if len(words) < 2 and not match.group("tail"):
                continue  # "the park", "a base": no name
            name = " ".join(words) + (match.group("tail") or "")
            if re.search(r"(?i)\b(?:zone|ceremony|conference)\b", name):
                continue
            if match.group("phase"):
                name = f"{name} ({match.group('phase').strip()[:-3].strip()})"
            project = Draft("project", {})
            project.fields["id"] = slug("p", _ascii(name), self.taken)
            project.fields["zone"] = self.zone_id
            project.put("name_zh", name, sentence)
            project.put("name_en", name, sentence)
            if company is not None:
                project.put("company", company.fields["id"], sentence)
            stage = self._stage(clause)
            if stage:
                project.put("stage", stage[0], sentence)
                project.review["stage_note"] = f"阶段取自“{stage[1]}”"
                date, note = self._date(sentence)
                project.put("stage_date", date, sentence)
                if note:
                    project.review["stage_date_note"] = note
            self.projects.append(project)
            self.last_project = project
            return project
        return None

    @staticmethod
    def _stage(clause: str) -> tuple[str, str] | None:
        for pattern, stage in (
            (r"started building|broke ground|breaks ground|started construction", "construction"),
            (r"started production|went into operation|was put into production", "production"),
            (r"signed an agreement|signed a deal|signed a contract", "signed"),
        ):
            match = re.search(pattern, clause, re.I)
            if match and not _TARGET.search(clause[: match.start()]):
                return stage, match.group(0)
        return None

    def _project_figure(
        self, project: Draft, number: Found, label: str, clause: str, sentence: str
    ) -> None:
        low = label.lower()
        value = number.value
        if number.kind == "area":
            key = "land_mu" if re.search(r"\bmu\b", value, re.I) else "floor_area_m2"
            if key == "floor_area_m2" and re.search(r"hectare", value, re.I):
                key = ""
            if key and key not in project.fields:
                project.put(key, value, sentence)
                return
        if (
            number.kind == "money"
            and _amount_ok(value)
            and re.search(r"\bregister", clause, re.I)
            and "capital" in low
            and "registered_capital" not in project.fields
        ):
            project.put("registered_capital", value, sentence)
            return
        name_zh = re.escape(str(project.fields.get("name_zh", "")))
        before_name = re.match(rf"\s*(?:\([^)]*\)\s*)?{name_zh}", clause[number.end :])
        if number.kind == "money" and _amount_ok(value):
            if before_name and name_zh and "total_investment" not in project.fields:
                project.put("total_investment", value, sentence)  # "an X yuan plant"
                return
            if (
                re.search(r"annual output|output|revenue|sales", low)
                and "annual_output" not in project.fields
            ):
                project.put("annual_output", value, sentence)
                return
            if (
                re.search(r"invest|cost|involv|receive|commit|worth|^$", low)
                or low == value.lower()
            ) and "total_investment" not in project.fields:
                project.put("total_investment", value, sentence)
                return
        name = label if label != value else ("investment" if number.kind == "money" else "figure")
        project.add("figures", {"name_zh": name, "name_en": name, "value": value}, sentence)

    def _event_figure(self, event: Draft, number: Found, label: str, sentence: str) -> None:
        name = label if label != number.value else "figure"
        event.add("figures", {"name_zh": name, "name_en": name, "value": number.value}, sentence)

    def _zone_figure(self, number: Found, label: str, sentence: str) -> None:
        if not self.zone_id:
            return
        figure = Draft("figure", {})
        figure.fields["id"] = slug("f", _ascii(label), self.taken)
        figure.fields["zone"] = self.zone_id
        figure.put("name_zh", label, sentence)
        figure.put("name_en", label, sentence)
        figure.put("value", number.value, sentence)
        period, note = self._period(sentence)
        figure.put("period", period, sentence)
        if note:
            figure.review["period_note"] = note
        self.figures.append(figure)


_IT = re.compile(
    r"(?i)\b(?:it|the (?:project|factory|plant|base|centre|center|facility))\s+"
    r"(?:is|will|would|was|can|could|has|covers|involves)\b"
)


def _without_bands(clause: str, numbers: list[Found]) -> list[Found]:
    """The figures of a clause, less the amounts that only say which projects a count counts:
    "9 projects each involve an investment of over 1 billion yuan" is one figure, 9."""
    kept: list[Found] = []
    band_end = -1
    for number in numbers:
        if number.start < band_end:
            continue
        kept.append(number)
        if number.kind == "count":
            after = clause[number.end :]
            band = re.match(r"[^,;]*?\beach\b[^,;]*", after)
            if band:
                band_end = number.end + band.end()
    return kept


def _is_number(word: str) -> bool:
    return bool(re.fullmatch(rf"(?:{_NUM}|{_WORD_NUM})", word, re.I))


def _amount_ok(value: str) -> bool:
    """Whether the money field can hold it (yuan or US dollars); others stay labelled figures."""
    from bot.core.values import Amount

    try:
        Amount.parse(value)
    except ValueError:
        return False
    return True


def _ascii(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", " ", name).strip().lower() or "x"


def read(
    text: str,
    source_id: str,
    resolve_zone: Callable[[str], str | None],
    *,
    fallback_zone: str | None = None,
    published: str | None = None,
) -> Reader:
    reader = Reader(text, source_id, resolve_zone, fallback_zone, published)
    reader.run()
    return reader


def document(
    reader: Reader,
    title: str | None,
    outlet: str | None,
    author: str | None,
    published: str | None,
    url: str | None,
) -> dict[str, Any]:
    """The fact-file document of an English article (the shape rules.document gives)."""
    from bot.core.extraction.rules import _record, source_entry

    head = reader.head
    source = source_entry(
        reader.source_id,
        title or head.title or "untitled",
        title_en=True,
        outlet=outlet or head.outlet,
        date=published or (head.date.isoformat() if head.date else None),
        authors=[author] if author else head.authors,
        url=url,
        provenance=head.provenance,
        date_text=head.date_text,
    )
    doc: dict[str, Any] = {"version": 1, "sources": [source]}
    sections: Sequence[tuple[str, list[Draft]]] = (
        ("companies", reader.companies),
        ("projects", reader.projects),
        ("events", reader.events),
        ("figures", reader.figures),
    )
    for key, drafts in sections:
        records = [_record(d, reader.source_id) for d in drafts]
        if records:
            doc[key] = records
    return doc
