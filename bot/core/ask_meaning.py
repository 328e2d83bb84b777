"""What a parsed question means: which names it joins, whether it compares or lists, which
sectors and figures it is about, whether a record or figure is of the time asked. Plain
functions over the parsed question and plain records; no Telegram and no SQL (handlers/ask.py
reads the store and replies)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz, process

from bot.core import questions as q
from bot.core.english_words import is_english
from bot.core.matching import ZoneIndex
from bot.core.records import Company, Event, Project, SectorLabel, Zone, ZoneFigure
from bot.core.text import has_han
from bot.core.values import PartialDate

TYPO_MIN = 85  # similarity of a mistyped Latin zone name (kunshn: 92; chang vs changde: 83)
NAMED = ("company", "project", "event")
FIGURE_INTENTS = {"count", "most", "least", "compare", "each", "breakdown"}
MONEY_INTENTS = ("investment", "capital", "output", "land", "floor")
ROLE_WORDS = (
    "董事长",
    "总经理",
    "负责人",
    "总裁",
    "创始人",
    "老板",
    "chairman",
    "ceo",
    "founder",
    "president",
    "boss",
    "chair",
    "法定代表人",
    "法人",
)
STRUCTURED = {"who", "when", "where", "founded", "companies", *MONEY_INTENTS}

# ---- names joined in one question ---------------------------------------------------------

# Between two names asked about together: 和, 与, 跟, 及, 、, "and", "&".
_JOINER_ZH = re.compile(r"^(?:和|与|跟|及|以及|还有|、|同)$")
_JOINER_EN = re.compile(r"^\s*(?:,|&|and|,\s*and)\s*$")
_EACH_WORDS = re.compile(r"分别|各自|(?<![a-z])(?:respectively|each)(?![a-z])")


def joined_names(text: str, chosen: Sequence[q.NameHit]) -> list[q.NameHit]:
    """The names of the message joined by 和/与/、/and (昆山和咸宁, Dejia and Fengmao), in
    order; fewer than two when none are."""
    spans: dict[tuple[int, int], q.NameHit] = {}
    for hit in chosen:
        spans.setdefault((hit.key.start, hit.key.end), hit)
    ordered = [spans[k] for k in sorted(spans)]
    flat, folded = q.squeeze(text), q.fold(text)
    best: list[q.NameHit] = []
    run: list[q.NameHit] = []
    for hit in ordered:
        if run:
            last = run[-1]
            latin = hit.key.start >= 1000 and last.key.start >= 1000
            han = hit.key.start < 1000 and last.key.start < 1000
            gap = (
                folded[last.key.end - 1000 : hit.key.start - 1000]
                if latin
                else flat[last.key.end : hit.key.start]
                if han
                else None
            )
            pattern = _JOINER_EN if latin else _JOINER_ZH
            if gap is None or not pattern.match(gap):
                best = run if len(run) > len(best) else best
                run = []
        run.append(hit)
    best = run if len(run) > len(best) else best
    return best[:4] if len(best) >= 2 else []


def one_each(text: str, joined: Sequence[q.NameHit]) -> list[str]:
    """The message once per joined name, the others (and 分别, each) left out."""
    latin = joined[0].key.start >= 1000
    base = q.fold(text) if latin else q.squeeze(text)
    offset = 1000 if latin else 0
    start, end = joined[0].key.start - offset, joined[-1].key.end - offset
    out = []
    for hit in joined:
        name = base[hit.key.start - offset : hit.key.end - offset]
        question = _EACH_WORDS.sub(" ", base[:start] + name + base[end:]).strip()
        out.append(question if question.endswith(("?", "？")) else question + "？")
    return out


def compares(parsed: q.Parsed) -> bool:
    """A comparison or ranking: names joined in it are compared, not asked about each."""
    return bool(parsed.intents & {"most", "least", "compare"}) or parsed.top is not None


# ---- what the question is about ------------------------------------------------------------


def about_the_zone(parsed: q.Parsed, zones: Sequence[q.NameHit]) -> bool:
    """Whether a question naming a zone (and no record) is about the zone rather than about
    the record talked about before: the zone named as such (昆山高新区), or a count, ranking
    or amount asked."""
    asked = parsed.intents & (FIGURE_INTENTS | set(MONEY_INTENTS)) or parsed.top is not None
    return bool(asked) or any(q.names_zone_type(h.key.surface) for h in zones)


_PROJECTS_ASKED = re.compile(
    r"(?:什么|哪些|哪几|几个|多少|有没有)[^，。？?]{0,4}项目|项目(?:有)?(?:哪些|几个|多少)"
    r"|(?<![a-z])(?:what|which|any|how many)\s+(?:\w+\s+){0,2}projects?(?![a-z])"
)


def asks_for_projects(parsed: q.Parsed) -> bool:
    """德加能源有什么项目, 丰茂有几个项目, "does Dejia Energy have any projects": the projects
    themselves are asked for (not an attribute of the one project)."""
    return _PROJECTS_ASKED.search(parsed.text) is not None


def asks_for_a_list(parsed: q.Parsed) -> bool:
    """最近有什么签约, 3月签约了什么: a list over the store, not more on the last record."""
    if "recent" in parsed.intents or "zones_list" in parsed.intents:
        return True
    listy = ("什么", "哪些", "what", "which")
    return bool(parsed.stages) and any(w in parsed.text for w in listy)


def find_word(text: str, name: str) -> int:
    """Where a sector name stands in the text; a Latin name only as whole words (the alias
    "equipment" is not inside "equipments'", "it" never inside "with")."""
    if has_han(name):
        return text.find(name)
    found = re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", text)
    return found.start() if found else -1


def blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with the spans (names found) blanked out, positions kept."""
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = " "
    return "".join(chars)


def sectors(text: str, labels: Mapping[str, SectorLabel]) -> list[str]:
    """Sector labels the message names (新材料, new materials), longest first."""
    found: list[tuple[int, str]] = []
    aliases = q.words().sector_aliases
    for lb in labels.values():
        for name in (lb.label, lb.name_en, *aliases.get(lb.label, ())):
            if not name or len(name) < 2:
                continue
            at = find_word(text.replace("-", " "), q.fold(name).replace("-", " "))
            if at >= 0:
                found.append((at, lb.label))
                break
    found.sort()
    out: list[str] = []
    for _, label in found:
        if not any(label in o or o in label for o in out):
            out.append(label)
    return out


# ---- zone names the index does not find as typed ---------------------------------------------


def zone_sound_ok(key: q.Key, zone: Zone | None) -> bool:
    """A zone found by the sound of what was typed: only a near spelling (坤山 -> 昆山), one
    that shares a character with the zone's name (with 400 zones, 的氧 sounds like 德阳)."""
    if len(key.surface) < 2 or zone is None:
        return False
    return any(ch in zone.short_zh or ch in zone.name_zh for ch in key.surface)


def latin_zone_typo(text: str, index: ZoneIndex) -> q.NameHit | None:
    """A zone's Latin name mistyped in a question (kunshn): one word of five letters or
    more, neither a word of the engine's nor an English word, within a typo (similarity
    85) of one zone's name."""
    w = q.words()
    folded = q.fold(text)
    for match in re.finditer(r"[a-z]{5,}", folded):
        word = match.group()
        if word in w.english_stop or word in w.generic or word in q.UNIT_WORDS_EN:
            continue
        if is_english(word):  # "change" is not a mistyped changde
            continue
        best = process.extractOne(
            word,
            index.near_miss_candidates(word),
            scorer=fuzz.ratio,
            score_cutoff=TYPO_MIN,
        )
        if best is None:
            continue
        found = index.resolve(best[0])
        if found.kind == "found":
            key = q.Key(word, 1000 + match.start(), 1000 + match.end(), False, word)
            return q.NameHit("zone", found.zone_ids[0], key, 2)
    return None


# ---- time ------------------------------------------------------------------------------------


def dated_event(asked: q.AskedPeriod, event: Event, year: int) -> bool:
    """Whether an event is dated in the time asked (``year``: the current year)."""
    d = event.date
    return d is not None and q.period_covers(
        asked, d.year, d.month, d.end_month, year, exact=False, day=d.day
    )


def dated_in(asked: q.AskedPeriod, projects: Sequence[Project], year: int) -> list[Project]:
    """The projects signed or landed in the period asked."""
    return [
        p
        for p in projects
        if any(
            d is not None
            and q.period_covers(asked, d.year, d.month, d.end_month, year, exact=False, day=d.day)
            for d in (p.stage_date, p.landed_date)
        )
    ]


def covers(parsed: q.Parsed, figure: ZoneFigure, year: int) -> bool:
    """Whether a figure is of exactly the time asked (any figure when none is asked)."""
    p = figure.period
    return q.period_covers(
        parsed.period,
        p.year if p else None,
        p.month if p else None,
        p.end_month if p else None,
        year,
        exact=True,
    )


def one_period(
    parsed: q.Parsed, figures: Sequence[ZoneFigure], year: int
) -> tuple[list[ZoneFigure], list[ZoneFigure]]:
    """Figures to rank against each other, all of one period, and the rest (shown apart,
    each with its own period, never ranked with them): those of the time asked when any
    are, else those of the period most zones report (the latest on a tie)."""
    if parsed.period is not None and any(covers(parsed, f, year) for f in figures):
        keep = [f for f in figures if covers(parsed, f, year)]
    else:
        groups: dict[PartialDate | None, list[ZoneFigure]] = {}
        for f in figures:
            groups.setdefault(f.period, []).append(f)
        keep = max(
            groups.values(),
            key=lambda g: (
                len(g),
                g[0].period.year or 0 if g[0].period else 0,
                g[0].period.month or 0 if g[0].period else 0,
            ),
        )
    return keep, [f for f in figures if f not in keep]


def figure_by_words(
    pool: Sequence[ZoneFigure], content: Sequence[q.Unit], labels: Mapping[str, SectorLabel]
) -> list[ZoneFigure]:
    """The one figure whose names hold the question's words ("the emerging ones",
    "new-generation IT"); a word that fits several figures counts for less."""
    w = q.words()
    tokens: list[str] = []
    for unit in content:
        for part in re.split(r"[-\s]+", unit.word):
            if len(part) >= 2 and part not in w.english_stop and part not in w.generic:
                tokens.append(part)
    if not tokens:
        return []

    def names(f: ZoneFigure) -> str:
        label = labels.get(f.sector or "")
        extra = f"{f.sector or ''} {label.name_en if label and label.name_en else ''}"
        return q.fold(f"{f.name_zh} {f.name_en or ''} {extra}")

    texts = {f.id: names(f) for f in pool}
    scores: dict[str, float] = dict.fromkeys(texts, 0.0)
    for token in dict.fromkeys(tokens):
        fits = [fid for fid, text in texts.items() if q.score(text, [q.Unit((token,), 1.0)])]
        for fid in fits:
            scores[fid] += 1.0 / len(fits)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 0.5:
        return []
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1]:
        return []
    return [f for f in pool if f.id == ranked[0][0]]


# ---- a record's words ----------------------------------------------------------------------


def kind_of(record: object) -> str:
    """The kind a record is kept under in a follow-up's context."""
    if isinstance(record, Company):
        return "company"
    if isinstance(record, Project):
        return "project"
    if isinstance(record, Event):
        return "event"
    if isinstance(record, Zone):
        return "zone"
    return "figure"


def record_texts(record: object, han: bool) -> list[str]:
    """A record's prose in the question's language (the other language as a fallback)."""

    def both(zh: str | None, en: str | None) -> list[str]:
        first, second = (zh, en) if han else (en, zh)
        return [x for x in (first,) if x] or [x for x in (second,) if x]

    if isinstance(record, Company):
        out = both(record.description_zh, record.description_en)
        if record.founded is not None:
            out.append(
                f"成立于{record.founded.zh()}。" if han else f"Founded in {record.founded.en()}."
            )
        for p in record.people:
            out.append(f"{p.role_zh or ''}{p.name}。" if han else f"{p.role_en or ''} {p.name}.")
        return out
    if isinstance(record, Project):
        highlights = list(record.highlights_zh if han else record.highlights_en) or list(
            record.highlights_zh
        )
        # The highlights are one list (热管理系统、空气悬架系统…): one passage, not four.
        joined = ("、" if han else ", ").join(h.rstrip("。.;；") for h in highlights)
        return [
            *((joined + ("。" if han else "."),) if joined else ()),
            *both(record.note, record.note_en),
        ]
    if isinstance(record, Event):
        figures = [
            (
                f"{f.name_zh}{f.value.text()}。"
                if han
                else f"{f.name_en or f.name_zh}: {f.value.text()}."
            )
            for f in record.figures
        ]
        return [*both(record.summary_zh, record.summary_en), *figures]
    if isinstance(record, Zone):
        return both(record.summary_zh, record.summary_en)
    return []


def title_of(record: object) -> str:
    """A record's names in both languages, as one string to match words against."""
    if isinstance(record, Event):
        return f"{record.title_zh} {record.title_en or ''}"
    if isinstance(record, Project):
        return f"{record.name_zh} {record.name_en or ''}"
    if isinstance(record, Company):
        return f"{record.name_zh} {record.short_zh or ''} {record.name_en or ''}"
    if isinstance(record, Zone):
        return f"{record.name_zh} {record.short_zh} {record.name_en or ''}"
    return ""


def record_text(record: object, han: bool) -> str:
    """A record's title and prose as one string, to score a question's words against."""
    title = ""
    if isinstance(record, Event):
        title = f"{record.title_zh} {record.title_en or ''} {record.kind.value}"
    elif isinstance(record, Project):
        title = f"{record.name_zh} {record.name_en or ''}"
    return title + " " + " ".join(record_texts(record, han))


# ---- names asked about together ------------------------------------------------------------


def asks_jointly(parsed: q.Parsed) -> bool:
    """德加能源与丰茂的合作项目, A和B合作了什么, "what did A and B do together": the names
    joined in the question are asked about together (the records involving all of them), not
    one by one (昆山和常州的签约项目). 分别/各自/each asks one by one, whatever else is said
    (昆山和嘉兴分别签了哪些合作项目)."""
    if _EACH_WORDS.search(parsed.text):
        return False
    return any(q.contains_word(parsed.text, word) for word in q.words().joint)


def _name_fields(record: object) -> tuple[str | None, ...]:
    if isinstance(record, Company | Zone):
        return (record.name_zh, record.short_zh, record.name_en)
    if isinstance(record, Project):
        return (record.name_zh, record.name_en)
    if isinstance(record, Event):
        return (record.title_zh, record.title_en)
    return ()


def record_names(record: object) -> list[str]:
    """The names a record goes by (full, short, English), folded, as other records' text
    may mention it; none shorter than two characters."""
    names = _name_fields(record)
    return [q.fold(n) for n in dict.fromkeys(n for n in names if n and len(n) >= 2)]


def search_forms(record: object) -> list[str]:
    """The names to look a record up by in other records' search text, at most two: its
    Chinese names, shortest first (its English one when it has no Chinese)."""
    forms = _name_fields(record)
    if isinstance(record, Zone):
        # A zone by its place (昆山), not the 高新区 every zone's records share (slow to match).
        forms = (zone_place(record.short_zh), record.name_en)
    han = sorted((f for f in forms if f and has_han(f) and len(f) >= 2), key=len)
    latin = [f for f in forms if f and not has_han(f) and len(f) >= 2]
    return list(dict.fromkeys(han or latin))[:2]


def zone_place(name: str) -> str:
    """A zone's short name without its type (昆山高新区 -> 昆山)."""
    for suffix in q.words().zone_suffixes_zh:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def joint_searches(forms: Sequence[Sequence[str]], limit: int = 4) -> list[str]:
    """Searches for the records naming all the subjects together: one quoted name of each
    (every word of a search is required), over the combinations of their names."""
    combos: list[list[str]] = [[]]
    for names in forms:
        combos = [[*c, n] for c in combos for n in names][:limit]
    return [" ".join('"' + n.replace('"', " ") + '"' for n in c) for c in combos if c]


def involves(record: object, kind: str, record_id: str, names: Sequence[str]) -> bool:
    """Whether a project or event involves one of the names asked about: it is that record,
    it is in that zone, the company is its owner or a participant, or its text names it."""
    if getattr(record, "id", None) == record_id and kind_of(record) == kind:
        return True
    if kind == "zone" and getattr(record, "zone", None) == record_id:
        return True
    if kind == "company":
        if isinstance(record, Project) and record.company == record_id:
            return True
        if isinstance(record, Event) and record_id in record.companies:
            return True
    text = q.fold(f"{title_of(record)} {record_text(record, True)} {record_text(record, False)}")
    return any(name in text for name in names)


def involving_all(
    candidates: Sequence[object], asked: Sequence[tuple[str, str, Sequence[str]]]
) -> list[Project | Event]:
    """The projects and events among the candidates that involve every one of the records
    asked about (kind, id, names), each once, in the candidates' order."""
    seen: set[tuple[str, str]] = set()
    out: list[Project | Event] = []
    for record in candidates:
        if not isinstance(record, Project | Event):
            continue
        key = (kind_of(record), record.id)
        if key in seen:
            continue
        seen.add(key)
        if all(involves(record, kind, rid, names) for kind, rid, names in asked):
            out.append(record)
    return out


# ---- questions with no subject ------------------------------------------------------------


def points_back(parsed: q.Parsed) -> bool:
    """Whether a question leans on what was talked about before: a pointer (它, 该项目, this
    project, there, 这个园区) or an opener (那…呢, "and what about")."""
    if parsed.followup and parsed.han:
        return True  # 它, 其中, 该, 那…呢 (this in "this year" is English only)
    if q.dangling(parsed) is not None or parsed.zone_pointer:
        return True
    return any(q.contains_word(parsed.text, word) for word in q.words().place_pointers)


def asks_overall(parsed: q.Parsed, units: Sequence[q.Unit]) -> bool:
    """今年投资情况怎么样, "how did investment change this year": the overall picture, asked
    with no subject of its own: no topic word either (招聘会情况怎么样 is about job fairs,
    answered from the store)."""
    if parsed.condition is not None or parsed.stages or asks_for_a_list(parsed):
        return False
    w = q.words()
    if not any(q.contains_word(parsed.text, word) for word in w.overall):
        return False
    asked = {k for keys in w.intents.values() for k in keys} | set(w.overall) | w.generic
    return all(u.weight < 1.0 or q.fold(u.word) in asked for u in units)
