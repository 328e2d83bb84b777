"""Replies to questions in staff's own words: the fact first, its period and source, buttons.

Pure functions from records to escaped HTML (Chinese and English side by side). Each answer is
one message: a head line naming the record, one or two sentences or figures, then the period
and the source, then buttons to the full cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.callbacks import Lookup
from bot.core.records import Company, Event, Project, Source, Stage, Zone, ZoneFigure
from bot.core.values import PartialDate, Quantity
from bot.texts.common import Lang, clip, date, esc, label_clip, money, pick, quantity, stage, tr
from bot.texts.lookup import Button, Names, Reply, flow, plural, record_place, source_line

BUTTON_LABEL = 40  # characters; Telegram shows about this many on a phone
SENTENCE = 260  # characters of one quoted sentence


@dataclass
class Answer:
    """What the handler found, as plain pieces; ``compose`` renders it."""

    head: str = ""  # escaped HTML
    lines: list[str] = field(default_factory=list)  # escaped HTML
    guessed: str | None = None  # the name taken for a typo (德家能源 -> 德加能源)
    typed: str | None = None
    when: str | None = None  # escaped
    sources: list[Source | None] = field(default_factory=list)
    buttons: list[list[Button]] = field(default_factory=list)


def compose(lang: Lang, answer: Answer) -> Reply:
    out: list[str] = []
    if answer.guessed:
        out.append(
            tr(
                lang,
                f"按“{esc(answer.guessed)}”回答（您输入的是“{esc(answer.typed or '')}”）：",
                f"Answering for “{esc(answer.guessed)}” (you typed “{esc(answer.typed or '')}”):",
            )
        )
    if answer.head:
        out.append(answer.head)
    out.extend(answer.lines)
    tail = []
    if answer.when:
        tail.append(tr(lang, "时间：", "When: ") + answer.when)
    seen: set[str] = set()
    for source in answer.sources:
        key = source.id if source else ""
        if key in seen:
            continue
        seen.add(key)
        tail.append(tr(lang, "来源：", "Source: ") + linked_source(source, lang))
    out.extend(tail)
    return Reply("\n".join(out), answer.buttons)


def linked_source(source: Source | None, lang: Lang) -> str:
    """The source line (a source whose locator is a web address links to it)."""
    return source_line(source, lang)


def label(text: str) -> str:
    """A button label that keeps whole words: Latin text is cut at a space, never mid-word."""
    return label_clip(text, BUTTON_LABEL) or "…"


# ---- names and heads ---------------------------------------------------------------------


def zone_name(zone: Zone | None, zone_id: str | None, lang: Lang) -> str:
    if zone is None:
        return zone_id or ""
    return pick(lang, zone.short_zh, zone.name_en)


def company_name(company: Company, lang: Lang) -> str:
    if lang == "en" and company.name_en:
        return company.name_en
    return company.short_zh or company.name_zh


def record_head(kind: str, record: object, lang: Lang, names: Names) -> str:
    if isinstance(record, Company):
        return f"<b>{esc(company_name(record, lang))}</b>"
    if isinstance(record, Project):
        name = pick(lang, record.name_zh, record.name_en)
        return f"<b>{esc(name)}</b> · {esc(names.zone(record.zone, lang))}"
    if isinstance(record, Event):
        title = pick(lang, record.title_zh, record.title_en)
        return f"<b>{esc(title)}</b> · {esc(names.zone(record.zone, lang))}"
    if isinstance(record, Zone):
        return f"<b>{esc(zone_name(record, record.id, lang))}</b>"
    return ""


def card_button(kind: str, record_id: str, title: str, lang: Lang) -> Button:
    icon = {"zone": "🏙 ", "company": "🏢 ", "project": "📌 ", "event": "📅 ", "figure": "📊 "}
    return (label(icon.get(kind, "") + title), Lookup.record(kind, record_id).pack())


def sentence(text: str) -> str:
    return "· " + esc(clip(flow(text), SENTENCE))


# ---- facts as lines ----------------------------------------------------------------------


def figure_line(figure: ZoneFigure, lang: Lang, names: Names, with_zone: bool = True) -> str:
    name = pick(lang, figure.name_zh, figure.name_en)
    zone = esc(names.zone(figure.zone, lang)) + " · " if with_zone else ""
    period = (
        esc(date(figure.period, lang))
        if figure.period
        else tr(lang, "时期未说明", "period not given")
    )
    return (
        f"{zone}{esc(name)}{tr(lang, '：', ': ')}<b>{esc(quantity(figure.value, lang))}</b>"
        f"{tr(lang, '（', ' (')}{period}{tr(lang, '）', ')')}"
    )


def event_figure_line(name_zh: str, name_en: str | None, value: Quantity, lang: Lang) -> str:
    name = pick(lang, name_zh, name_en)
    return f"{esc(name)}{tr(lang, '：', ': ')}<b>{esc(quantity(value, lang))}</b>"


def people_lines(company: Company, role: str | None, lang: Lang) -> list[str]:
    people = [
        p
        for p in company.people
        if role is None or role in (p.role_zh or "") or role in (p.role_en or "").lower()
    ] or list(company.people)
    return [
        f"{esc(pick(lang, p.role_zh, p.role_en) or tr(lang, '人员', 'Person'))}"
        f"{tr(lang, '：', ': ')}<b>{esc(p.name)}</b>"
        for p in people
    ]


def no_people(lang: Lang) -> str:
    return tr(lang, "页面没有给出负责人姓名。", "The source names no person for it.")


def founded_line(company: Company, lang: Lang) -> str:
    if company.founded is None:
        return tr(lang, "成立时间：页面未提及。", "Founded: not given in the source.")
    return tr(lang, "成立于", "Founded in ") + f"<b>{esc(date(company.founded, lang))}</b>"


def where_company(company: Company, zone: Zone | None, lang: Lang) -> str:
    if zone is None:
        return tr(lang, "所在园区：页面未说明。", "Zone: not given in the source.")
    return (
        tr(lang, "所在园区：", "Zone: ")
        + f"<b>{esc(zone_name(zone, zone.id, lang))}</b>"
        + _place(zone, lang)
    )


def zone_where(zone: Zone, lang: Lang) -> str:
    parts = [p for p in (zone.province, zone.city) if p]
    if not parts:
        return tr(lang, "所在省市：页面未说明。", "Province and city: not given.")
    return tr(lang, "位于", "Located in ") + f"<b>{_place(zone, lang).strip('（）() ')}</b>"


def where_record(zone: Zone | None, zone_id: str, places: Sequence[str], lang: Lang) -> list[str]:
    lines = []
    if places:
        lines.append(
            tr(lang, "地点：", "Places: ")
            + "<b>"
            + esc(tr(lang, "、", ", ").join(p if lang == "zh" else record_place(p) for p in places))
            + "</b>"
        )
    lines.append(
        tr(lang, "所在园区：", "Zone: ")
        + esc(zone_name(zone, zone_id, lang))
        + (_place(zone, lang) if zone else "")
    )
    return lines


def _place(zone: Zone, lang: Lang) -> str:
    parts = [p for p in (zone.province, zone.city) if p]
    if not parts:
        return ""
    if lang == "zh":
        return "（" + esc(" ".join(parts)) + "）"
    from bot.texts.lookup import place_pinyin

    return " (" + esc(", ".join(place_pinyin(p) for p in parts)) + ")"


def stage_line(project: Project, lang: Lang) -> str:
    text = tr(lang, "阶段：", "Stage: ") + f"<b>{esc(stage(project.stage, lang))}</b>"
    if project.stage_date is not None:
        text += (
            tr(lang, "（", " (")
            + esc(date(project.stage_date, lang))
            + _year_note(project, lang)
            + tr(lang, "）", ")")
        )
    if project.landed:
        text += tr(lang, "；已落地", "; landed")
        if project.landed_date is not None:
            text += (
                tr(lang, "（", " (") + esc(date(project.landed_date, lang)) + tr(lang, "）", ")")
            )
    return text


def stage_date_unknown(lang: Lang) -> str:
    """When asked and the source gives no date for the stage: said, never guessed."""
    return tr(
        lang,
        "日期：页面未给出具体日期。",
        "Date: the source gives no date.",
    )


def _year_note(project: Project, lang: Lang) -> str:
    if project.stage_date is not None and project.stage_date.year is None:
        return tr(lang, "，页面未给年份", ", year not given")
    return ""


_ORDER = [
    Stage.LEAD,
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.CONSTRUCTION,
    Stage.PRODUCTION,
    Stage.FULL_PRODUCTION,
]


def asked_stage_lines(project: Project, asked: Sequence[str], lang: Lang) -> list[str]:
    """Whether the project reached the stages asked about (开工了吗), from what is recorded."""
    lines = []
    for wanted in asked:
        if wanted == "landed":
            if project.landed:
                continue
            lines.append(tr(lang, "是否落地：页面未提及。", "Landed: not mentioned in the source."))
            continue
        try:
            target = Stage(wanted)
        except ValueError:
            continue
        if project.stage == target:
            continue
        current = project.stage
        if current in _ORDER and target in _ORDER and _ORDER.index(current) > _ORDER.index(target):
            lines.append(
                tr(
                    lang,
                    f"已过{stage(target, lang)}阶段。",
                    f"It is past the {stage(target, lang)} stage.",
                )
            )
            continue
        lines.append(
            tr(
                lang,
                f"{stage(target, lang)}：页面未提及，暂无记录"
                f"（当前记录的阶段是{stage(current, lang)}）。",
                f"{stage(target, lang).capitalize()}: not mentioned in the source; no record yet "
                f"(the recorded stage is {stage(current, lang)}).",
            )
        )
    return lines


def money_lines(project: Project, wants: Sequence[str], lang: Lang) -> list[str]:
    """Investment, output, land, floor area, capital as asked; what is missing said so, and
    what the source does give instead, each under its own name."""
    lines: list[str] = []
    given = {
        "investment": (tr(lang, "总投资", "Total investment"), project.total_investment),
        "capital": (tr(lang, "注册资本", "Registered capital"), project.registered_capital),
        "output": (
            tr(lang, "达产后年产值", "Annual output at full production"),
            project.annual_output,
        ),
        "land": (tr(lang, "用地", "Land"), project.land_mu),
        "floor": (tr(lang, "建筑面积", "Floor area"), project.floor_area_m2),
    }
    missing = []
    for want in wants:
        name, value = given[want]
        if value is None:
            missing.append(want)
            lines.append(f"{esc(name)}{tr(lang, '：页面未披露。', ': not given in the source.')}")
        else:
            lines.append(f"{esc(name)}{tr(lang, '：', ': ')}<b>{esc(_amount(value, lang))}</b>")
    if missing:
        others = [
            f"{esc(name)} {esc(_amount(value, lang))}"
            for key, (name, value) in given.items()
            if value is not None and key not in wants
        ]
        if others:
            lines.append(
                tr(lang, "页面给出的是：", "What the source gives instead: ")
                + tr(lang, "；", "; ").join(others)
                + tr(lang, "（这些不是投资额）。", " (these are not investment).")
                * ("investment" in missing)
            )
    return lines


def _amount(value: object, lang: Lang) -> str:
    if isinstance(value, Quantity):
        if value.unit == "":
            # Land is stored in 亩 without its unit (约150): shown with it, "about 150 mu".
            written = value.written + "亩" if value.written and "亩" not in value.written else None
            value = Quantity(value.value, "亩", value.qualifier, written or value.written)
        return quantity(value, lang)
    return money(value, lang)  # type: ignore[arg-type]


def leading_lines(zone: Zone, lang: Lang, names: Names) -> list[str]:
    lines = []
    if zone.leading:
        lines.append(
            tr(lang, "主导产业：", "Leading industries: ")
            + esc(tr(lang, "、", ", ").join(names.label(x, lang) for x in zone.leading))
        )
    if zone.emerging:
        lines.append(
            tr(lang, "新兴产业：", "Emerging industries: ")
            + esc(tr(lang, "、", ", ").join(names.label(x, lang) for x in zone.emerging))
        )
    if not lines:
        lines.append(
            tr(
                lang,
                "页面未列出该区的主导产业，库里暂无这项记录。",
                "The source does not list the zone's leading industries; no record of them.",
            )
        )
    return lines


# ---- figures -----------------------------------------------------------------------------


def extreme_lines(parts: Sequence[ZoneFigure], most: bool, lang: Lang, names: Names) -> list[str]:
    """The largest (or smallest) named part; a mixed "other" bucket is shown apart."""
    named = [p for p in parts if p.sector]
    pool = named or list(parts)
    chosen = (
        max(pool, key=lambda p: p.value.value) if most else min(pool, key=lambda p: p.value.value)
    )
    word = tr(lang, "最多", "most") if most else tr(lang, "最少", "fewest")
    lines = [
        tr(lang, f"{word}的领域是", f"The field with the {word}: ")
        + f"<b>{esc(pick(lang, chosen.name_zh, chosen.name_en))}</b>{tr(lang, '：', ': ')}"
        + f"<b>{esc(quantity(chosen.value, lang))}</b>"
    ]
    others = [p for p in parts if not p.sector and p is not chosen]
    if most and others:
        big = max(others, key=lambda p: p.value.value)
        if big.value.value > chosen.value.value:
            lines.append(
                tr(
                    lang,
                    f"另有合并统计的“{esc(big.name_zh)}”{esc(quantity(big.value, lang))}"
                    "（多个领域合计，未细分）。",
                    f"A mixed bucket, “{esc(big.name_en)}”, has {esc(quantity(big.value, lang))}"
                    " (several fields together, not split).",
                )
            )
    ranked = sorted(parts, key=lambda p: -p.value.value)
    lines.append(
        tr(lang, "各领域：", "All fields: ")
        + esc(
            tr(lang, "；", "; ").join(
                f"{pick(lang, p.name_zh, p.name_en)} {quantity(p.value, lang)}" for p in ranked
            )
        )
    )
    return lines


def top_lines(
    parts: Sequence[ZoneFigure], count: int, lang: Lang, names: Names, most: bool = True
) -> list[str]:
    """The first ``count`` named parts, largest first (smallest first when not ``most``); a
    mixed "other" bucket is said apart, never ranked as a field."""
    named = sorted((p for p in parts if p.sector), key=lambda p: p.value.value, reverse=most)
    shown = named[:count]
    head = (
        tr(lang, f"前{len(shown)}的领域：", f"Top {len(shown)} fields:")
        if most
        else tr(lang, f"最少的{len(shown)}个领域：", f"Bottom {len(shown)} fields:")
    )
    lines = [head] + [
        f"{i}. <b>{esc(pick(lang, p.name_zh, p.name_en))}</b>{tr(lang, '：', ': ')}"
        f"<b>{esc(quantity(p.value, lang))}</b>"
        for i, p in enumerate(shown, 1)
    ]
    if len(shown) < count:
        lines.append(
            tr(
                lang,
                f"来源只细分了{len(named)}个领域。",
                f"The source splits only {len(named)} fields.",
            )
        )
    for other in (p for p in parts if not p.sector):
        lines.append(
            tr(
                lang,
                f"另有合并统计的“{esc(other.name_zh)}”{esc(quantity(other.value, lang))}"
                "（多个领域合计，未细分，不参与排名）。",
                f"A mixed bucket, “{esc(other.name_en or other.name_zh)}”, has "
                f"{esc(quantity(other.value, lang))} (several fields together, not ranked).",
            )
        )
    return lines


def compare_lines(a: ZoneFigure, b: ZoneFigure, lang: Lang, names: Names) -> list[str]:
    lines = [figure_line(a, lang, names), figure_line(b, lang, names)]
    same = (
        a.value.unit == b.value.unit
        and a.period == b.period
        and a.value.qualifier is None
        and b.value.qualifier is None
    )
    if same:
        diff = a.value.value - b.value.value
        if diff:
            more, less = (a, b) if diff > 0 else (b, a)
            lines.append(
                tr(
                    lang,
                    f"{esc(more.name_zh)}比{esc(less.name_zh)}多<b>{abs(diff)}{esc(a.value.unit)}</b>。",
                    f"{esc(more.name_en)}: <b>{abs(diff)}</b> more than {esc(less.name_en)}.",
                )
            )
        else:
            lines.append(tr(lang, "两者相同。", "They are equal."))
    else:
        lines.append(
            tr(
                lang,
                "两个数字的口径（单位、时期或约数）不同，不宜直接相比。",
                "The two figures measure different things (unit, period or estimate), "
                "so they are not compared.",
            )
        )
    return lines


def no_zone_measure(lang: Lang) -> str:
    """Zones ranked on a measure no zone reports: said, no other figure put in its place."""
    return tr(
        lang,
        "库里没有哪个园区报道过这项数字（来源未报道），无法排名或比较，也不拿别的数字代替。",
        "No zone in the store reports that figure (the sources do not give it), so the zones "
        "cannot be ranked or compared on it, and no other figure is used instead.",
    )


def zone_ranking_lines(
    figures: Sequence[ZoneFigure],
    total_zones: int,
    most: bool,
    lang: Lang,
    names: Names,
    absent: Sequence[str] = (),
) -> list[str]:
    """Zones ranked on one figure; ``absent``: zones named in the question without it."""
    ranked = sorted(figures, key=lambda f: f.value.value, reverse=most)
    lines = [figure_line(f, lang, names) for f in ranked]
    if absent:
        shown = tr(lang, "、", ", ").join(absent)
        lines.append(
            tr(
                lang,
                f"{esc(shown)}没有这项数字（来源未报道），无法比较。",
                f"No such figure for {esc(shown)} (the sources report none), so no comparison.",
            )
        )
        return lines
    missing = total_zones - len({f.zone for f in figures})
    if len({f.zone for f in figures}) == 1:
        lines.insert(
            0,
            tr(
                lang,
                f"只有<b>{esc(names.zone(ranked[0].zone, lang))}</b>报道了这个数字，"
                f"其余{missing}个园区没有可比的数据：",
                f"Only <b>{esc(names.zone(ranked[0].zone, 'en'))}</b> reports this figure; "
                f"the other {missing} zones have no comparable number:",
            ),
        )
    elif missing > 0:
        lines.append(
            tr(
                lang,
                f"另有{missing}个园区没有这个数字。",
                f"{missing} other zones report no such figure.",
            )
        )
    return lines


def held_counts_line(held: Sequence[tuple[str, int]], lang: Lang) -> str:
    """Project records held per zone: what the store has, not a figure the sources report."""
    shown = tr(lang, "、", ", ").join(
        tr(lang, f"{name} {count}个", f"{name}: {count}") for name, count in held
    )
    return tr(
        lang,
        f"本库收录的项目记录（不是来源报道的数字）：{esc(shown)}。",
        f"Project records held here (not figures the sources report): {esc(shown)}.",
    )


def other_period_lines(figures: Sequence[ZoneFigure], lang: Lang, names: Names) -> list[str]:
    """Figures of other periods than the ranked ones: said apart, each with its own period."""
    return [
        tr(
            lang,
            "以下园区的数字时期不同，不能直接比较：",
            "These zones report the figure for other periods, so it is not ranked with them:",
        ),
        *(figure_line(f, lang, names) for f in figures),
    ]


# ---- lists -------------------------------------------------------------------------------


def project_parts(project: Project, company: Company | None, lang: Lang, names: Names) -> list[str]:
    """A listed project's parts, escaped: name, zone, stage (date), company."""
    parts = [
        f"<b>{esc(pick(lang, project.name_zh, project.name_en))}</b>",
        esc(names.zone(project.zone, lang)),
    ]
    text = stage(project.stage, lang)
    if project.stage_date is not None:
        text += tr(lang, "（", " (") + date(project.stage_date, lang) + tr(lang, "）", ")")
    parts.append(esc(text))
    if company is not None:
        parts.append(esc(company_name(company, lang)))
    return parts


def project_item(project: Project, company: Company | None, lang: Lang, names: Names) -> str:
    return "· " + " · ".join(project_parts(project, company, lang, names))


def event_item(event: Event, lang: Lang, names: Names) -> str:
    parts = [
        f"<b>{esc(pick(lang, event.title_zh, event.title_en))}</b>",
        esc(names.zone(event.zone, lang)),
    ]
    parts.append(esc(date(event.date, lang)))
    if event.figures:
        parts.append(
            esc(
                tr(lang, "；", "; ").join(
                    f"{pick(lang, f.name_zh, f.name_en)} {quantity(f.value, lang)}"
                    for f in event.figures[:2]
                )
            )
        )
    return "· " + " · ".join(parts)


def none_in_time(lang: Lang, asked: str, zone: str | None) -> str:
    """最近一个月 asked and nothing dated in it: said, before the latest items held."""
    where_zh, where_en = (zone or "", f" for {zone}") if zone else ("", "")
    return tr(
        lang,
        f"库里没有{esc(where_zh)}{esc(asked)}的动态记录。最近收录的是（日期以各条为准）：",
        f"No record{esc(where_en)} dated {esc(asked)}. The latest held (each with its own date):",
    )


def dated_head(lang: Lang, asked: str, zone: str | None) -> str:
    """3月份有什么活动: the items dated in the time asked (as the question words it)."""
    return tr(
        lang,
        f"<b>{esc(zone or '')}{esc(asked)}的动态</b>",
        f"<b>Items dated {esc(asked)}{(' in ' + esc(zone)) if zone else ''}</b>",
    )


def list_head(lang: Lang, zh: str, en: str) -> str:
    return f"<b>{esc(tr(lang, zh, en))}</b>"


def company_projects_head(lang: Lang, company: Company, count: int) -> str:
    """德加能源的项目（1个）: a company's projects held; none held said plainly."""
    name = company_name(company, lang)
    if not count:
        return tr(
            lang,
            f"库里没有{esc(name)}的项目记录。",
            f"No project of {esc(name)} is recorded.",
        )
    return tr(
        lang,
        f"<b>{esc(name)}的项目</b>（{count}个）：",
        f"<b>Projects of {esc(name)}</b> ({count}):",
    )


def stage_list_head(
    lang: Lang,
    stages: Sequence[str],
    months: Sequence[int],
    zone: str | None,
    count: int,
    asked: str | None = None,
) -> str:
    """``asked``: the time as the question words it (2024年, 3月, last year)."""
    words_zh = "、".join(_stage_word(s, "zh") for s in stages)
    words_en = ", ".join(_stage_word(s, "en") for s in stages)
    when_zh, when_en = _when(months, asked)
    where_zh = zone + " " if zone else ""
    where_en = " in " + zone if zone else ""
    return tr(
        lang,
        f"<b>{esc(where_zh)}{esc(when_zh)}{esc(words_zh)}的项目</b>（{count}个）：",
        f"<b>Projects {esc(words_en)}{esc(when_en)}{esc(where_en)}</b> ({count}):",
    )


def _when(months: Sequence[int], asked: str | None) -> tuple[str, str]:
    if asked:
        return asked, f" ({asked})"
    when_zh = ("—".join(str(m) for m in months) + "月") if months else ""
    when_en = (" in " + "–".join(_month_en(m) for m in months)) if months else ""
    return when_zh, when_en


def closest_items(lang: Lang, count: int) -> str:
    return tr(
        lang,
        f"最接近的是这些（{count}个，日期以各条为准）：",
        f"The closest ({count}, each with its own date):",
    )


def no_stage_items(
    lang: Lang,
    stages: Sequence[str],
    months: Sequence[int],
    zone: str | None,
    asked: str | None = None,
) -> str:
    words_zh = "、".join(_stage_word(s, "zh") for s in stages)
    words_en = ", ".join(_stage_word(s, "en") for s in stages)
    when_zh, when_en = _when(months, asked)
    return tr(
        lang,
        f"库里没有{esc(zone or '')}{esc(when_zh)}{esc(words_zh)}的项目记录（页面未提及）。",
        f"No record of projects {esc(words_en)}{esc(when_en)}"
        f"{(' in ' + esc(zone)) if zone else ''} (the sources do not mention any).",
    )


def year_caveat(lang: Lang) -> str:
    return tr(
        lang,
        "注：页面只写了月份或“今年”，没有写年份，下列日期按页面原样显示。",
        "Note: the source gives months or “this year” without the year; "
        "dates show as the source gives them.",
    )


def _stage_word(value: str, lang: Lang) -> str:
    if value == "landed":
        return tr(lang, "落地", "landed")
    try:
        return stage(Stage(value), lang)
    except ValueError:
        return value


def _month_en(month: int) -> str:
    return ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[
        month - 1
    ]


def zones_held(lang: Lang, zones: Sequence[Zone], with_records: set[str]) -> Reply:
    held = [z for z in zones if z.id in with_records]
    rest = [z for z in zones if z.id not in with_records]
    names = tr(lang, "、", ", ").join(zone_name(z, z.id, lang) for z in held[:30])
    text = tr(
        lang,
        f"库里共收录<b>{len(zones)}</b>个园区。有项目或活动记录的{len(held)}个：{esc(names)}",
        f"The store holds <b>{len(zones)}</b> zones. "
        f"The {len(held)} with projects or events: {esc(names)}",
    )
    if rest:
        text += tr(
            lang,
            f"\n另有{len(rest)}个园区只有名录信息。",
            f"\n{len(rest)} more are listed in the directory only.",
        )
    text += tr(lang, "\n全部园区：/zones", "\nEvery zone: /zones")
    return Reply(
        text, [[card_button("zone", z.id, zone_name(z, z.id, lang), lang)] for z in held[:6]]
    )


# ---- not known ---------------------------------------------------------------------------


def zone_not_held(lang: Lang, name: str, known: Sequence[Zone]) -> Reply:
    shown = tr(lang, "、", ", ").join(zone_name(z, z.id, lang) for z in known[:8])
    text = tr(
        lang,
        f"库里没有收录“{esc(clip(name, 30))}”的资料，无法回答，也不做推测。"
        f"已收录的园区有：{esc(shown)}。",
        f"No record of “{esc(clip(name, 30))}”: the store has no information on it, so no guess. "
        f"Zones with records: {esc(shown)}.",
    )
    return Reply(
        text, [[card_button("zone", z.id, zone_name(z, z.id, lang), lang)] for z in known[:4]]
    )


def zone_no_records(lang: Lang, zone: Zone, known: Sequence[Zone]) -> str:
    """A directory zone asked about that has no records: said plainly, with its full name and
    place, and the zones that do have records (nothing is guessed)."""
    place = "".join(p for p in (zone.province, zone.city) if p)
    shown = tr(lang, "、", ", ").join(zone_name(z, z.id, lang) for z in known[:8])
    return tr(
        lang,
        f"库里没有{esc(zone.name_zh)}"
        + (f"（{esc(place)}）" if place else "")
        + "的项目、活动或数字记录，只有名录信息，无法回答，也不做推测。"
        + f"已收录记录的园区有：{esc(shown)}。",
        f"No record of projects, events or figures for {esc(zone.name_en or zone.name_zh)}: "
        f"the store holds only its directory entry, so no guess. Zones with records: {esc(shown)}.",
    )


def not_stated(lang: Lang) -> str:
    return tr(
        lang,
        "页面未提及您问的这一点，库里暂无记录。已知的是：",
        "The sources don't say that; no record of it. What is known:",
    )


def no_direct_answer(lang: Lang) -> str:
    return tr(
        lang,
        "库里没有直接回答这个问题的记录（页面未提及）。该园区的概况：",
        "No record answers this directly (the source does not say). "
        "What the store has on the zone:",
    )


def nothing_found(lang: Lang, query: str) -> Reply:
    shown = esc(clip(query, 40))
    return Reply(
        tr(
            lang,
            f"没有找到能回答“{shown}”的记录，库里暂无这方面的信息。"
            "可以换个说法，或试试 /zones 看看收录了哪些园区。",
            f"No record answers “{shown}”; the store has no information on it. "
            "Try other words, or /zones for the zones held.",
        )
    )


# ---- small talk --------------------------------------------------------------------------


def hint(lang: Lang, kind: str, examples: Sequence[tuple[str, str]], first: bool) -> Reply:
    """A short friendly hint with two example questions; a first greeting offers to follow."""
    opening = {
        "greeting": tr(
            lang, "您好！我是招商助手。", "Hi! I'm 招商助手, the investment-promotion assistant."
        ),
        "thanks": tr(lang, "不客气！", "You're welcome!"),
        "empty": tr(
            lang,
            "这条消息里没有可以查的文字。我是招商助手，回答园区、企业、项目和数据方面的问题。",
            "There is nothing to look up in that message. I'm 招商助手, the assistant for zones, "
            "companies, projects and figures.",
        ),
        "help": tr(
            lang,
            "我是招商助手，回答园区、企业、项目和数据方面的问题。",
            "I'm 招商助手, the assistant for zones, companies, projects and figures.",
        ),
    }[kind]
    lines = [
        opening,
        tr(lang, "直接用中文或英文提问就行，例如：", "Just ask me in your own words, for example:"),
    ]
    lines += [f"· {esc(tr(lang, zh, en))}" for zh, en in examples[:2]]
    if first:
        lines.append(
            tr(
                lang,
                "想关注哪些园区或行业？发送 /subscribe 选择，例如 /subscribe zone 昆山"
                " 或 /subscribe sector 新能源，新动态会推送给您。",
                "Want to follow zones or sectors? Send /subscribe to pick, e.g. /subscribe zone "
                "kunshan or /subscribe sector new energy, and new items reach you.",
            )
        )
    lines.append(tr(lang, "全部命令：/help", "All commands: /help"))
    return Reply("\n".join(lines))


def period_not_held(
    asked: str, period: PartialDate | None, year_asked: bool, lang: Lang, *, figure: bool = True
) -> str:
    """First line of an answer whose fact is of another time than the one asked: say plainly
    that the store has nothing for that time, then which period the closest fact covers (the
    fact keeps its own period; it is never relabelled)."""
    if period is None:
        return tr(
            lang,
            f"库里没有{esc(asked)}的记录；最接近的是（日期未说明）：",
            f"No record for {esc(asked)}; the closest (date not given):",
        )
    no_year = year_asked and period.year is None
    noun = "数字" if figure else "记录"
    return tr(
        lang,
        f"库里没有{esc(asked)}的{noun}；最接近的是{esc(date(period, 'zh'))}的"
        + ("（来源未注明年份）" if no_year else "")
        + "：",
        f"No record for {esc(asked)}; the closest is for {esc(date(period, 'en'))}"
        + (" (the source gives no year)" if no_year else "")
        + ":",
    )


def amount_not_held(lang: Lang, asked: str, words: str) -> str:
    """An amount of a year asked with no zone or record named, and none held: said plainly."""
    return tr(
        lang,
        f"库里没有{esc(asked)}“{esc(clip(words, 30))}”的数字（来源未报道），不做推测。"
        "可以加上园区名再问该园区报道过的数字。",
        f"No figure for “{esc(clip(words, 30))}” ({esc(asked)}) is held (the sources do not "
        "report it); nothing is guessed. Name a zone to ask about its figures.",
    )


def no_zone_figure(zone: str, asked: str | None, projects: int, events: int, lang: Lang) -> str:
    """A zone asked for a reported count it has none of: said, then what is held of it."""
    when_zh = asked or ""
    when_en = f" ({asked})" if asked else ""
    return tr(
        lang,
        f"库里没有{esc(zone)}{esc(when_zh)}的项目数量（来源未报道这项数字）。"
        f"本库收录该园区的记录：项目 {projects} 个、活动 {events} 个。",
        f"No record of a project count for {esc(zone)}{esc(when_en)} (the sources report no "
        f"such figure). Held here for this zone: {plural(projects, 'project')}, "
        f"{plural(events, 'event')}.",
    )


def companies_line(companies: Sequence[Company], lang: Lang) -> str:
    names = tr(lang, "、", ", ").join(company_name(c, lang) for c in companies)
    return tr(lang, "涉及企业：", "Companies: ") + f"<b>{esc(names)}</b>"


def event_date_line(event: Event, lang: Lang) -> str:
    return tr(lang, "日期：", "Date: ") + esc(date(event.date, lang))


def also_from(title: str, lang: Lang) -> str:
    return esc(tr(lang, f"（{title}）", f" ({title})"))
