"""Every reply of the lookups (/zone /zones /sector /sectors /project /search /stats, inline).

Pure functions from records to a ``Reply``: HTML text (every stored or typed string escaped
here and only here) and buttons as (label, callback_data) pairs. Both languages side by side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from bot.callbacks import Lookup, LookupKind, Subscribe, packed
from bot.core.charts import Bar, BarChart
from bot.core.lookup import Page
from bot.core.place_pinyin import PLACE_PINYIN as DIRECTORY_PINYIN
from bot.core.records import (
    Company,
    Event,
    Project,
    SearchHit,
    SectorArea,
    SectorLabel,
    Source,
    Zone,
    ZoneCounts,
    ZoneFigure,
)
from bot.core.text import has_han, syllables
from bot.core.values import Quantity
from bot.texts.common import (
    Lang,
    clip,
    date,
    esc,
    event_kind,
    label_clip,
    money,
    pick,
    quantity,
    stage,
    tr,
)

Button = tuple[str, str]  # (label, callback_data)
ECHO = 40  # characters of the user's input echoed back in a reply


@dataclass
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)


@dataclass(frozen=True)
class Names:
    """What rendering needs to name zones and sectors in either language."""

    zones: Mapping[str, Zone]
    labels: Mapping[str, SectorLabel]
    areas: Mapping[str, SectorArea]

    def zone(self, zone_id: str | None, lang: Lang) -> str:
        zone = self.zones.get(zone_id or "")
        if zone is None:
            return zone_id or tr(lang, "园区未说明", "zone not given")
        return pick(lang, zone.short_zh, zone.name_en)

    def label(self, label: str, lang: Lang) -> str:
        found = self.labels.get(label)
        return (found.name_en or label) if lang == "en" and found else label

    def area(self, area_id: str, lang: Lang) -> str:
        area = self.areas.get(area_id)
        if area is None:
            return area_id
        return area.name_zh if lang == "zh" else area.name_en


# ---- small pieces ------------------------------------------------------------------------

_WIDE_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


def flow(text: str) -> str:
    """Stored prose on one line: no stray spaces between Chinese characters from line breaks."""
    return _WIDE_GAP.sub("", " ".join(text.split()))


# Remarks on how a record was made (for admins and /history, not for the cards users read).
RECORD_NOTES = (
    "本记录",
    "本库",
    "一栏取自",
    "页面并未列出产业清单",
    "listed here",
    "our classification",
    "page writes the category",
)
_ASIDE = re.compile(r"[（(][^（）()]*[）)]")


def public(text: str) -> str:
    """Prose for users: asides and sentences that are remarks on the record itself removed."""
    text = flow(text)
    text = _ASIDE.sub(
        lambda m: "" if any(n in m.group() for n in RECORD_NOTES) else m.group(), text
    )
    pieces = re.split(r"(?<=[。；！？!?])|(?<=[.;])\s+", text)
    kept = [p for p in pieces if p and not any(n in p for n in RECORD_NOTES)]
    return " ".join(k.strip() for k in kept).replace("。 ", "。").replace("； ", "；").strip()


def _sep(lang: Lang) -> str:
    return tr(lang, "、", ", ")


def _button_label(text: str, limit: int = 40) -> str:
    return label_clip(text, limit) or "…"


def _zone_title(zone: Zone, lang: Lang) -> str:
    return pick(lang, zone.short_zh, zone.name_en)


def _zone_button(zone: Zone, lang: Lang) -> str:
    """A zone's name on a button, whole: "… Hi-tech Zone" for "… Industrial Development Zone"."""
    if lang == "zh" or not zone.name_en:
        return zone.short_zh
    return _button_label(zone.name_en.replace(" Industrial Development Zone", " Zone"))


_SHORT_EN = (
    (" Economic and Technological Development Zone", " ETDZ"),
    (" Industrial Development Zone", " Zone"),
)


def zone_buttons(zones: Sequence[Zone], lang: Lang) -> list[tuple[Zone, str]]:
    """Each zone once, with a label no other button of the list shares: zones of one name
    ("Fuzhou Hi-tech Zone": 福州 and 抚州) say their province, then their city too, then
    their id (English names are transliterations, so they collide where Chinese ones do not)."""
    unique = list({z.id: z for z in zones}.values())
    labels = [_zone_button(z, lang) for z in unique]
    for depth in (1, 2, 3):
        clash = {v for v in labels if labels.count(v) > 1}
        if not clash:
            break
        labels = [
            _told_apart(zone, lang, depth) if shown in clash else shown
            for zone, shown in zip(unique, labels, strict=True)
        ]
    return list(zip(unique, labels, strict=True))


def _told_apart(zone: Zone, lang: Lang, depth: int) -> str:
    """The zone's name with its province (depth 1), city (2) and id (3) in parentheses."""
    name = zone.short_zh if lang == "zh" or not zone.name_en else zone.name_en
    if lang != "zh":
        for long, short in _SHORT_EN:
            name = name.replace(long, short)
    places = [p for p in (zone.province, zone.city)[:depth] if p]
    shown = [province_stem_of(p) if lang == "zh" else place_pinyin(p) for p in places]
    if depth >= 3:
        shown.append(zone.id)
    details = tr(lang, "，", ", ").join(dict.fromkeys(shown)) or zone.id
    return _button_label(f"{name} ({details})", 48)


def province_stem_of(place: str) -> str:
    """安徽省 -> 安徽, 苏州市 -> 苏州 (a place in a button's parentheses)."""
    for suffix in ("省", "市"):
        if place.endswith(suffix) and len(place) > 2:
            return place[: -len(suffix)]
    return place


def plural(count: int, noun: str, many: str | None = None) -> str:
    """An English count with its noun: 1 project, 2 projects (many: an irregular plural)."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


# Reviewed readings where pypinyin's first guess is not the place's name (DOMAIN.md).
PLACE_PINYIN = {"长治": "Changzhi", "陕西": "Shaanxi", "六安": "Lu'an"}
_PLACE_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "地区",
    "省",
    "市",
    "盟",
)


def place_pinyin(name: str) -> str:
    """A province or city in pinyin for English readers: 江苏省 -> Jiangsu, 西安市 -> Xi'an.

    Reference data derived from the stored name, not a new fact: the administrative suffix
    goes, syllables join as in official spellings (an apostrophe before a, o, e).
    """
    stem = _place_stem(name)
    if stem in PLACE_PINYIN:
        return PLACE_PINYIN[stem]
    if not has_han(stem):
        return stem  # already in Latin letters
    out = ""
    for syllable in syllables(stem):
        if out and syllable[:1] in ("a", "o", "e"):
            out += "'"
        out += syllable
    return out[:1].upper() + out[1:] if out else name


def _place_stem(name: str) -> str:
    stem = name.strip()
    for suffix in _PLACE_SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix) + 1:
            return stem[: -len(suffix)]
    return stem


def record_place(name: str) -> str:
    """A place a record names, for English readers: a province or city of the zone directory
    in pinyin (江苏省 -> Jiangsu); any other place as written (G60科创走廊, A3地块, 印尼雅加达):
    joined syllables would be neither English nor the place's name, and would lose its
    letters and digits."""
    if _place_stem(name) in DIRECTORY_PINYIN:
        return place_pinyin(name)
    return name.strip()


def zone_place(zone: Zone, lang: Lang) -> str:
    """江苏省 昆山市 / Jiangsu, Kunshan (empty when the facts give neither)."""
    parts = [p for p in (zone.province, zone.city) if p]
    if lang == "zh":
        return " ".join(parts)
    return ", ".join(place_pinyin(p) for p in parts)


def _company_name(company: Company, lang: Lang) -> str:
    if lang == "en" and company.name_en:
        return company.name_en
    return company.name_zh


def source_title(source: Source, lang: Lang) -> str:
    """A source's title for the reader: in English its English title where one is known,
    otherwise the title as written, labelled as Chinese (it names the document to look for)."""
    if lang == "zh":
        return source.title
    if source.title_en:
        return source.title_en
    return f"(in Chinese) {source.title}" if has_han(source.title) else source.title


def source_line(source: Source | None, lang: Lang) -> str:
    """The source as the facts give it.

    A document (one with a locator) that names neither its publication nor its date says so;
    a source typed by staff is its title, which often holds both ("《新华日报》2025-06-01"),
    so no such note contradicts it.
    """
    if source is None:
        return tr(lang, "来源未记录", "source not recorded")
    title = esc(source_title(source, lang))
    if source.locator and source.locator.startswith(("https://", "http://")):
        title = f'<a href="{esc(source.locator)}">{title}</a>'  # a source with a link links
    parts = [title]
    if source.publication:
        parts.append(esc(source.publication))
    if source.date is not None:
        parts.append(esc(date(source.date, lang)))
    if source.authors:
        parts.append(tr(lang, "作者：", "by ") + esc(_sep(lang).join(source.authors)))
    if not source.publication and source.date is None and source.locator:
        parts.append(tr(lang, "未注明刊物和日期", "publication and date not given"))
    return tr(lang, "；", "; ").join(parts)


def _with(written: str | None, unit: str) -> str | None:
    """A value written without its unit (约150 in land_mu) shown with it (约150亩)."""
    if written is None or written.endswith(unit) or unit in written:
        return written
    return written + unit


def amounts(project: Project, lang: Lang) -> str:
    """Every amount the source gives for a project, or the words for none."""
    parts = []
    if project.total_investment is not None:
        parts.append(
            tr(lang, "总投资", "total investment ") + money(project.total_investment, lang)
        )
    if project.registered_capital is not None:
        parts.append(
            tr(lang, "注册资本", "registered capital ") + money(project.registered_capital, lang)
        )
    if project.annual_output is not None:
        parts.append(
            tr(lang, "达产年产值", "annual output at full production ")
            + money(project.annual_output, lang)
        )
    if not parts:
        return tr(lang, "金额未披露", "amount not given")
    return tr(lang, "，", ", ").join(parts)


def _stage_with_date(project: Project, lang: Lang) -> str:
    """签约（3月）; 阶段未说明（2025年3月） when only the date is known; no date, no brackets."""
    text = stage(project.stage, lang)
    if project.stage is not None or project.stage_date is not None:
        text += tr(lang, "（", " (") + date(project.stage_date, lang) + tr(lang, "）", ")")
    return text


def _figure_value(figures: Sequence[object], lang: Lang) -> str:
    out = []
    for figure in figures:
        name = pick(lang, figure.name_zh, figure.name_en)  # type: ignore[attr-defined]
        out.append(f"{esc(name)} {esc(quantity(figure.value, lang))}")  # type: ignore[attr-defined]
    return tr(lang, "；", "; ").join(out)


def _labels_line(labels: Iterable[str], names: Names, lang: Lang) -> str:
    return esc(_sep(lang).join(names.label(lb, lang) for lb in labels))


def project_line(
    project: Project, company: Company | None, names: Names, lang: Lang, show_zone: bool = True
) -> str:
    name = pick(lang, project.name_zh, project.name_en)
    parts = [f"<b>{esc(name)}</b>"]
    if show_zone:
        parts.append(esc(names.zone(project.zone, lang)))
    parts.append(esc(_stage_with_date(project, lang)))
    if company is not None:
        parts.append(
            esc(
                company.short_zh or company.name_zh
                if lang == "zh"
                else _company_name(company, lang)
            )
        )
    parts.append(esc(amounts(project, lang)))
    return " · ".join(parts)


def event_line(event: Event, names: Names, lang: Lang) -> str:
    title = pick(lang, event.title_zh, event.title_en)
    head = f"[{esc(event_kind(event.kind, lang))}] <b>{esc(title)}</b>"
    parts = [head, esc(names.zone(event.zone, lang)), esc(date(event.date, lang))]
    if event.figures:
        parts.append(_figure_value(event.figures, lang))
    return " · ".join(parts)


def _nav(prefix: LookupKind, key: str, page: Page, lang: Lang) -> list[Button]:
    row: list[Button] = []
    if page.has_prev:
        row.append(
            (tr(lang, "◀ 上一页", "◀ Prev"), Lookup(prefix, key, page.number - 1, edit=True).pack())
        )
    if page.count > 1:
        row.append(
            (
                f"{page.number + 1}/{page.count}",
                Lookup(prefix, key, page.number, counter=True).pack(),
            )
        )
    if page.has_next:
        row.append(
            (tr(lang, "下一页 ▶", "Next ▶"), Lookup(prefix, key, page.number + 1, edit=True).pack())
        )
    return row


def _numbered_buttons(items: Sequence[tuple[str, str]], start: int) -> list[list[Button]]:
    """Two buttons a row: '3 德加能源…' → its card."""
    buttons = [
        (_button_label(f"{start + i} {label}"), data) for i, (label, data) in enumerate(items)
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


# ---- input problems ------------------------------------------------------------------------


def too_long(lang: Lang, limit: int) -> Reply:
    return Reply(
        tr(
            lang,
            f"输入太长了。请输入不超过 {limit} 个字的名称或关键词。",
            f"That is too long. Please send a name or words of at most "
            f"{plural(limit, 'character')}.",
        )
    )


def usage(lang: Lang, command: str) -> Reply:
    examples = {
        "zone": ("/zone 昆山 或 /zone kunshan", "/zone kunshan or /zone 昆山"),
        "sector": ("/sector 新能源", "/sector new energy or /sector 新能源"),
        "project": ("/project 德加", "/project 德加 or /project fengmao"),
        "search": ("/search 电池", "/search battery or /search 电池"),
        "stats": ("/stats 昆山", "/stats kunshan"),
    }
    zh, en = examples.get(command, (f"/{command}", f"/{command}"))
    return Reply(tr(lang, f"用法：{esc(zh)}", f"Usage: {esc(en)}"))


def expired(lang: Lang) -> str:
    """callback answer (plain text, no HTML) when a list's query is no longer kept."""
    return tr(lang, "这个列表已过期，请重新查询。", "This list has expired; please search again.")


def gone(lang: Lang) -> str:
    """callback answer when the record was deleted since the button was sent."""
    return tr(lang, "该记录已删除或不存在。", "That record was deleted or does not exist.")


def unknown_button(lang: Lang) -> str:
    return tr(lang, "这个按钮已失效。", "This button no longer works.")


# ---- zones ---------------------------------------------------------------------------------


def zone_choices(lang: Lang, zones: Sequence[Zone], query: str | None) -> Reply:
    if query:
        head = tr(
            lang,
            f"“{esc(clip(query, ECHO))}”对应多个园区，请选择：",
            f"Several zones match “{esc(clip(query, ECHO))}”; choose one:",
        )
    else:
        head = tr(lang, "请选择园区（或发送 /zone 名称）：", "Choose a zone (or send /zone NAME):")
    buttons = [[(label, Lookup("z", z.id).pack())] for z, label in zone_buttons(zones[:20], lang)]
    return Reply(head, buttons)


def no_zone(lang: Lang, query: str, suggestions: Sequence[Zone]) -> Reply:
    shown = esc(clip(query, ECHO))
    text = tr(lang, f"没有与“{shown}”匹配的园区。", f"No zone matches “{shown}”.")
    if suggestions:
        text += tr(lang, "最接近的是：", " The closest names:")
    else:
        text += tr(lang, "发送 /zones 查看全部园区。", " Send /zones for the list.")
    buttons = [[(label, Lookup("z", z.id).pack())] for z, label in zone_buttons(suggestions, lang)]
    return Reply(text, buttons)


def zone_card(
    lang: Lang,
    zone: Zone,
    *,
    names: Names,
    counts: ZoneCounts,
    figures: Sequence[ZoneFigure],
    projects: Sequence[Project],
    companies: Mapping[str, Company],
    events: Sequence[Event],
    sources: Mapping[str, Source],
    directory: Sequence[str] = (),
    others: Sequence[str] = (),
) -> Reply:
    """A zone's profile: place, industries, figures with period and source, latest records.

    ``others``: lines naming the other zones the query may have meant, shown under the place;
    ``directory``: the zone directory's lines (already rendered), after the records: reference
    data, not what a reader of this zone's card looks for first.
    """
    notes: list[str] = []  # source ids in order of first mention

    def cite(source_id: str) -> str:
        if source_id not in notes:
            notes.append(source_id)
        return f"[{notes.index(source_id) + 1}]"

    title = _zone_title(zone, lang)
    lines = [f"<b>{esc(title)}</b>"]
    if lang == "zh":
        if zone.name_zh != title:
            lines[0] += f"（{esc(zone.name_zh)}）"
        if zone.name_en:
            lines.append(esc(zone.name_en))
    place = zone_place(zone, lang)
    if place:
        lines.append("📍 " + esc(place))
    lines.extend(others)
    if zone.leading:
        lines.append(
            tr(lang, "主导产业：", "Leading industries: ") + _labels_line(zone.leading, names, lang)
        )
    if zone.emerging:
        lines.append(
            tr(lang, "新兴产业：", "Emerging industries: ")
            + _labels_line(zone.emerging, names, lang)
        )
    summary = pick(lang, zone.summary_zh, zone.summary_en)
    if summary:
        lines.append("")
        lines.append(esc(public(summary)) + " " + cite(zone.source))
    if figures:
        lines.append("")
        lines.append(
            tr(lang, "<b>主要数据</b>（来源报道的数字）", "<b>Headline figures</b> (as reported)")
        )
        by_id = {f.id: f for f in figures}
        heads = [f for f in figures if f.part_of is None or f.part_of not in by_id]
        for head in heads:
            lines.append("• " + _figure_line(head, lang, cite))
            for part in (f for f in figures if f.part_of == head.id):
                same = part.period == head.period and part.source == head.source
                shown = _figure_line(part, lang, cite, with_period=not same)
                lines.append("  ◦ " + shown)
    lines.append("")
    lines.append(
        tr(lang, "<b>最新签约与项目</b>", "<b>Latest signings and projects</b>")
        + tr(
            lang,
            f"（本库收录 {counts.projects} 个项目）",
            f" ({plural(counts.projects, 'project')} in all recorded here)",
        )
    )
    if not projects:
        lines.append(tr(lang, "暂无项目记录。", "No projects recorded yet."))
    for project in projects:
        company = companies.get(project.company or "")
        lines.append(
            "• "
            + project_line(project, company, names, lang, show_zone=False)
            + " "
            + cite(project.source)
        )
    lines.append("")
    lines.append(
        tr(lang, "<b>近期活动与计划</b>", "<b>Recent events and programmes</b>")
        + tr(lang, f"（本库收录 {counts.events} 项）", f" ({counts.events} in all recorded here)")
    )
    if not events:
        lines.append(tr(lang, "暂无活动记录。", "No events recorded yet."))
    for event in events:
        lines.append("• " + event_line(event, names, lang) + " " + cite(event.source))
    lines.extend(directory)
    lines.append("")
    lines.append(tr(lang, "<b>来源</b>", "<b>Sources</b>"))
    for number, source_id in enumerate(notes, 1):
        lines.append(f"[{number}] {source_line(sources.get(source_id), lang)}")
    buttons = [
        [
            (tr(lang, "🔔 订阅", "🔔 Subscribe"), Subscribe("zone", zone.id).pack()),
            (tr(lang, "📊 图表", "📊 Chart"), Lookup("zc", zone.id).pack()),
        ],
        [
            (
                tr(lang, f"项目（{counts.projects}）", f"Projects ({counts.projects})"),
                Lookup("zp", zone.id, 0).pack(),
            ),
            (
                tr(lang, f"活动（{counts.events}）", f"Events ({counts.events})"),
                Lookup("ze", zone.id, 0).pack(),
            ),
        ],
    ]
    return Reply("\n".join(lines), buttons)


def _figure_line(figure: ZoneFigure, lang: Lang, cite: object, with_period: bool = True) -> str:
    name = pick(lang, figure.name_zh, figure.name_en)
    text = (
        f"{esc(name)}：{esc(quantity(figure.value, lang))}"
        if lang == "zh"
        else (f"{esc(name)}: {esc(quantity(figure.value, lang))}")
    )
    if with_period:
        text += tr(lang, "（", " (") + esc(date(figure.period, lang)) + tr(lang, "）", ")")
        text += " " + cite(figure.source)  # type: ignore[operator]
    return text


def zone_projects(
    lang: Lang,
    zone: Zone,
    projects: Sequence[Project],
    companies: Mapping[str, Company],
    names: Names,
    page: Page,
) -> Reply:
    lines = [
        tr(
            lang,
            f"<b>{esc(zone.short_zh)}的项目</b>（共 {page.total} 个）",
            f"<b>Projects of {esc(pick(lang, zone.short_zh, zone.name_en))}</b> ({page.total})",
        )
    ]
    if not projects:
        lines.append(tr(lang, "暂无项目记录。", "No projects recorded yet."))
    items = []
    for number, project in enumerate(projects, page.offset + 1):
        lines.append(
            f"{number}. " + project_line(project, companies.get(project.company or ""), names, lang)
        )
        items.append((pick(lang, project.name_zh, project.name_en), Lookup("p", project.id).pack()))
    buttons = _numbered_buttons(items, page.offset + 1)
    nav = _nav("zp", zone.id, page, lang)
    if nav:
        buttons.append(nav)
    buttons.append([(tr(lang, "↩ 园区概况", "↩ Zone profile"), Lookup("z", zone.id).pack())])
    return Reply("\n".join(lines), buttons)


def zone_events(lang: Lang, zone: Zone, events: Sequence[Event], names: Names, page: Page) -> Reply:
    lines = [
        tr(
            lang,
            f"<b>{esc(zone.short_zh)}的活动与计划</b>（共 {page.total} 项）",
            f"<b>Events and programmes of {esc(pick(lang, zone.short_zh, zone.name_en))}</b> "
            f"({page.total})",
        )
    ]
    if not events:
        lines.append(tr(lang, "暂无活动记录。", "No events recorded yet."))
    items = []
    for number, event in enumerate(events, page.offset + 1):
        lines.append(f"{number}. " + event_line(event, names, lang))
        items.append((pick(lang, event.title_zh, event.title_en), Lookup("e", event.id).pack()))
    buttons = _numbered_buttons(items, page.offset + 1)
    nav = _nav("ze", zone.id, page, lang)
    if nav:
        buttons.append(nav)
    buttons.append([(tr(lang, "↩ 园区概况", "↩ Zone profile"), Lookup("z", zone.id).pack())])
    return Reply("\n".join(lines), buttons)


# ---- sectors -------------------------------------------------------------------------------


def sector_key_button(name: str) -> str | None:
    """callback_data that reopens a sector by name, if the name fits."""
    return packed(Lookup("sc", name))


def no_sector(lang: Lang, query: str, suggestions: Sequence[str], ambiguous: bool) -> Reply:
    shown = esc(clip(query, ECHO))
    if ambiguous:
        text = tr(
            lang,
            f"“{shown}”对应多个行业，请选择：",
            f"Several sectors match “{shown}”; choose one:",
        )
    else:
        text = tr(lang, f"没有与“{shown}”匹配的行业。", f"No sector matches “{shown}”.")
        text += (
            tr(lang, "最接近的是：", " The closest:")
            if suggestions
            else tr(lang, "发送 /sectors 查看全部行业。", " Send /sectors for the list.")
        )
    buttons = []
    for name in suggestions:
        data = sector_key_button(name)
        if data:
            buttons.append([(_button_label(name), data)])
    return Reply(text, buttons)


def sector_card(
    lang: Lang,
    *,
    key: str,
    area: str | None,
    label: str | None,
    labels: Sequence[str],
    names: Names,
    projects: Sequence[Project],
    events: Sequence[Event],
    companies: Mapping[str, Company],
    total_projects: int,
    total_events: int,
    page: Page,
) -> Reply:
    """Projects and events of one sector across zones; a page of each."""
    title = names.label(label, lang) if label else names.area(area or "", lang)
    lines = [f"<b>{esc(title)}</b>"]
    if area:
        lines.append(
            tr(lang, "国家分类：", "National area: ")
            + esc(names.area(area, lang))
            + tr(lang, "（战略性新兴产业分类2018）", " (strategic emerging industries, 2018)")
        )
    elif label:
        lines.append(tr(lang, "（此标签未对应国家分类）", "(this label maps to no national area)"))
    if labels:
        lines.append(
            tr(lang, "包含标签：", "Labels covered: ") + _labels_line(sorted(labels), names, lang)
        )
    lines.append("")
    lines.append(
        tr(lang, f"<b>项目</b>（共 {total_projects} 个）", f"<b>Projects</b> ({total_projects})")
    )
    items: list[tuple[str, str]] = []
    for number, project in enumerate(projects, page.offset + 1):
        lines.append(
            f"{number}. " + project_line(project, companies.get(project.company or ""), names, lang)
        )
        items.append((pick(lang, project.name_zh, project.name_en), Lookup("p", project.id).pack()))
    if not projects:
        lines.append(tr(lang, "本页无项目。", "No projects on this page."))
    lines.append("")
    lines.append(
        tr(lang, f"<b>活动</b>（共 {total_events} 项）", f"<b>Events</b> ({total_events})")
    )
    start = page.offset + 1
    for number, event in enumerate(events, start):
        lines.append(f"{number}. " + event_line(event, names, lang))
    if not events:
        lines.append(tr(lang, "本页无活动。", "No events on this page."))
    buttons = _numbered_buttons(items, page.offset + 1)
    event_items = [(pick(lang, e.title_zh, e.title_en), Lookup("e", e.id).pack()) for e in events]
    buttons += [
        [(_button_label(tr(lang, "活动 ", "Event ") + str(start + i) + " " + label_), data)]
        for i, (label_, data) in enumerate(event_items)
    ]
    nav = _nav("sp", key, page, lang)
    if nav:
        buttons.append(nav)
    sub_key = area or label or ""
    if packed(Subscribe("sector", sub_key)) is not None:
        buttons.append(
            [
                (
                    tr(lang, "🔔 订阅此行业", "🔔 Follow this sector"),
                    Subscribe("sector", sub_key).pack(),
                )
            ]
        )
    return Reply("\n".join(lines), buttons)


def sectors_list(
    lang: Lang,
    areas: Sequence[SectorArea],
    labels: Sequence[SectorLabel],
    counts: Mapping[str, int],
) -> Reply:
    """The nine national areas with the local labels under each and their record counts."""
    lines = [
        tr(
            lang,
            "<b>全部行业</b>（战略性新兴产业分类2018 + 园区标签）",
            "<b>All sectors</b> (national areas and zones' labels)",
        )
    ]
    names = Names({}, {lb.label: lb for lb in labels}, {a.id: a for a in areas})
    buttons: list[list[Button]] = []
    for area in areas:
        under = [lb for lb in labels if lb.area == area.id]
        total = sum(counts.get(lb.label, 0) for lb in under)
        shown = _sep(lang).join(
            f"{names.label(lb.label, lang)} {counts.get(lb.label, 0)}" for lb in under
        )
        lines.append(
            f"• <b>{esc(names.area(area.id, lang))}</b>（{total}）"
            if lang == "zh"
            else f"• <b>{esc(names.area(area.id, lang))}</b> ({total})"
        )
        if shown:
            lines.append("  " + esc(shown))
        buttons.append([(_button_label(names.area(area.id, lang)), Lookup("sc", area.id).pack())])
    loose = [lb for lb in labels if lb.area is None or lb.area not in names.areas]
    if loose:
        lines.append(tr(lang, "• <b>未对应国家分类</b>", "• <b>No national area</b>"))
        lines.append(
            "  "
            + esc(
                _sep(lang).join(
                    f"{names.label(lb.label, lang)} {counts.get(lb.label, 0)}" for lb in loose
                )
            )
        )
        for lb in loose:
            data = sector_key_button(lb.label)
            if data:
                buttons.append([(_button_label(names.label(lb.label, lang)), data)])
    pairs = [b for row in buttons for b in row]
    return Reply("\n".join(lines), [pairs[i : i + 2] for i in range(0, len(pairs), 2)])


# ---- records -------------------------------------------------------------------------------


def project_card(
    lang: Lang,
    project: Project,
    *,
    names: Names,
    company: Company | None,
    event: Event | None,
    source: Source | None,
) -> Reply:
    lines = [f"<b>{esc(pick(lang, project.name_zh, project.name_en))}</b>"]
    other = project.name_en if lang == "zh" else project.name_zh
    if other and other != pick(lang, project.name_zh, project.name_en):
        lines.append(esc(other))
    lines.append(tr(lang, "园区：", "Zone: ") + esc(names.zone(project.zone, lang)))
    if company is not None:
        who = _company_name(company, lang)
        if lang == "zh" and company.short_zh:
            who += f"（{company.short_zh}）"
        if company.parent:
            who += tr(lang, f"，母公司 {company.parent}", f", parent {company.parent}")
        lines.append(tr(lang, "企业：", "Company: ") + esc(who))
        for person in company.people:
            role = pick(lang, person.role_zh, person.role_en)
            lines.append(tr(lang, "人物：", "People: ") + esc(f"{person.name} {role}".strip()))
    if project.sectors:
        line = tr(lang, "行业：", "Sectors: ") + _labels_line(project.sectors, names, lang)
        found = (names.labels[lb].area for lb in project.sectors if lb in names.labels)
        areas = sorted({a for a in found if a})
        if areas:
            line += (
                tr(lang, "（国家分类：", " (national area: ")
                + esc(_sep(lang).join(names.area(a or "", lang) for a in areas))
                + tr(lang, "）", ")")
            )
        lines.append(line)
    lines.append(tr(lang, "阶段：", "Stage: ") + esc(_stage_with_date(project, lang)))
    if project.landed is not None:
        landed = tr(lang, "是", "yes") if project.landed else tr(lang, "否", "no")
        if project.landed:
            landed += tr(lang, "（", " (") + date(project.landed_date, lang) + tr(lang, "）", ")")
        lines.append(tr(lang, "落地：", "Landed: ") + esc(landed))
    lines.append(tr(lang, "金额：", "Amounts: ") + esc(amounts(project, lang)))
    if project.land_mu is not None:
        land = project.land_mu
        land = Quantity(land.value, land.unit or "亩", land.qualifier, _with(land.written, "亩"))
        lines.append(tr(lang, "用地：", "Land: ") + esc(quantity(land, lang)))
    if project.floor_area_m2 is not None:
        area = project.floor_area_m2
        area = Quantity(
            area.value, area.unit or "平方米", area.qualifier, _with(area.written, "平方米")
        )
        lines.append(tr(lang, "建筑面积：", "Floor area: ") + esc(quantity(area, lang)))
    for figure in project.figures:
        label = pick(lang, figure.name_zh, figure.name_en)
        lines.append(f"{esc(label)}{tr(lang, '：', ': ')}{esc(quantity(figure.value, lang))}")
    if project.chain_role:
        lines.append(tr(lang, "产业链作用：", "Chain role: ") + esc(project.chain_role))
    highlights = (
        project.highlights_en if lang == "en" and project.highlights_en else project.highlights_zh
    )
    if highlights:
        lines.append(tr(lang, "亮点：", "Highlights:"))
        lines.extend(f"• {esc(h)}" for h in highlights)
    if event is not None:
        lines.append(
            tr(lang, "相关活动：", "Event: ") + esc(pick(lang, event.title_zh, event.title_en))
        )
    note = public(pick(lang, project.note, project.note_en))
    if note:
        lines.append(tr(lang, "备注：", "Note: ") + esc(note))
    lines.append(tr(lang, "来源：", "Source: ") + source_line(source, lang))
    if project.learned_at is not None:
        lines.append(
            tr(lang, "收录于：", "Recorded: ") + esc(project.learned_at.strftime("%Y-%m-%d"))
        )
    buttons = [[(tr(lang, "🏙 园区", "🏙 Zone"), Lookup("z", project.zone).pack())]]
    if company is not None:
        buttons[0].append((tr(lang, "🏢 企业", "🏢 Company"), Lookup("c", company.id).pack()))
    if event is not None:
        buttons[0].append((tr(lang, "📅 活动", "📅 Event"), Lookup("e", event.id).pack()))
    return Reply("\n".join(lines), buttons)


def company_card(
    lang: Lang,
    company: Company,
    *,
    names: Names,
    projects: Sequence[Project],
    events: Sequence[Event],
    source: Source | None,
) -> Reply:
    lines = [f"<b>{esc(_company_name(company, lang))}</b>"]
    if lang == "zh":
        extra = [x for x in (company.short_zh, company.name_en) if x]
    else:
        extra = [company.name_zh]
    if extra:
        lines.append(esc(" / ".join(extra)))
    kind = (
        tr(lang, "企业", "company")
        if company.kind == "company"
        else tr(lang, "机构", "institution")
    )
    lines.append(tr(lang, "类型：", "Kind: ") + kind)
    if company.parent:
        lines.append(tr(lang, "母公司/上级：", "Parent: ") + esc(company.parent))
    if company.zone:
        lines.append(tr(lang, "园区：", "Zone: ") + esc(names.zone(company.zone, lang)))
    if company.founded is not None:
        lines.append(tr(lang, "成立：", "Founded: ") + esc(date(company.founded, lang)))
    for person in company.people:
        role = pick(lang, person.role_zh, person.role_en)
        lines.append(tr(lang, "人物：", "People: ") + esc(f"{person.name} {role}".strip()))
    description = public(pick(lang, company.description_zh, company.description_en))
    if description:
        lines.append(esc(flow(description)))
    if company.highlights_zh:  # the article's own words (drafted from news); Chinese only
        lines.append(tr(lang, "要点：", "Highlights (as the source words them):"))
        lines.extend(f"• {esc(h)}" for h in company.highlights_zh)
    if projects:
        lines.append("")
        lines.append(tr(lang, "<b>项目</b>", "<b>Projects</b>"))
        lines.extend("• " + project_line(p, company, names, lang) for p in projects)
    if events:
        lines.append("")
        lines.append(tr(lang, "<b>相关活动</b>", "<b>Events</b>"))
        lines.extend("• " + event_line(e, names, lang) for e in events)
    lines.append(tr(lang, "来源：", "Source: ") + source_line(source, lang))
    buttons: list[list[Button]] = []
    row: list[Button] = []
    if company.zone:
        row.append((tr(lang, "🏙 园区", "🏙 Zone"), Lookup("z", company.zone).pack()))
    row += [
        (_button_label(pick(lang, p.name_zh, p.name_en)), Lookup("p", p.id).pack())
        for p in projects[:3]
    ]
    row += [
        (_button_label(pick(lang, e.title_zh, e.title_en)), Lookup("e", e.id).pack())
        for e in events[:3]
    ]
    buttons = [row[i : i + 2] for i in range(0, len(row), 2)]
    return Reply("\n".join(lines), buttons)


def event_card(
    lang: Lang,
    event: Event,
    *,
    names: Names,
    companies: Mapping[str, Company],
    projects: Sequence[Project],
    source: Source | None,
) -> Reply:
    title = pick(lang, event.title_zh, event.title_en)
    lines = [f"<b>{esc(title)}</b>"]
    other = event.title_en if lang == "zh" else event.title_zh
    if other and other != title:
        lines.append(esc(other))
    lines.append(tr(lang, "类型：", "Kind: ") + esc(event_kind(event.kind, lang)))
    lines.append(tr(lang, "园区：", "Zone: ") + esc(names.zone(event.zone, lang)))
    lines.append(tr(lang, "日期：", "Date: ") + esc(date(event.date, lang)))
    for figure in event.figures:
        name = pick(lang, figure.name_zh, figure.name_en)
        lines.append(f"• {esc(name)}{tr(lang, '：', ': ')}{esc(quantity(figure.value, lang))}")
    if event.places:
        lines.append(tr(lang, "地点：", "Places: ") + esc(_sep(lang).join(event.places)))
    if event.sectors:
        lines.append(tr(lang, "行业：", "Sectors: ") + _labels_line(event.sectors, names, lang))
    shown = [companies[c] for c in event.companies if c in companies]
    if shown:
        lines.append(
            tr(lang, "参与方：", "Participants: ")
            + esc(_sep(lang).join(_company_name(c, lang) for c in shown))
        )
    summary = pick(lang, event.summary_zh, event.summary_en)
    if summary:
        lines.append(esc(flow(summary)))
    if projects:
        lines.append(tr(lang, "<b>相关项目</b>", "<b>Projects</b>"))
        lines.extend("• " + project_line(p, None, names, lang) for p in projects)
    lines.append(tr(lang, "来源：", "Source: ") + source_line(source, lang))
    row: list[Button] = [(tr(lang, "🏙 园区", "🏙 Zone"), Lookup("z", event.zone).pack())]
    row += [
        (_button_label(pick(lang, p.name_zh, p.name_en)), Lookup("p", p.id).pack())
        for p in projects[:5]
    ]
    row += [(_button_label(_company_name(c, lang)), Lookup("c", c.id).pack()) for c in shown[:4]]
    return Reply("\n".join(lines), [row[i : i + 2] for i in range(0, len(row), 2)])


def figure_card(lang: Lang, figure: ZoneFigure, names: Names, source: Source | None) -> Reply:
    name = pick(lang, figure.name_zh, figure.name_en)
    lines = [
        f"<b>{esc(names.zone(figure.zone, lang))}</b> · {esc(name)}{tr(lang, '：', ': ')}"
        f"<b>{esc(quantity(figure.value, lang))}</b>",
        tr(lang, "时期：", "Period: ") + esc(date(figure.period, lang)),
    ]
    if figure.sector:
        lines.append(tr(lang, "行业：", "Sector: ") + esc(names.label(figure.sector, lang)))
    note = public(pick(lang, figure.note, figure.note_en))
    if note:
        lines.append(tr(lang, "备注：", "Note: ") + esc(note))
    lines.append(tr(lang, "来源：", "Source: ") + source_line(source, lang))
    return Reply(
        "\n".join(lines),
        [
            [
                (tr(lang, "🏙 园区", "🏙 Zone"), Lookup("z", figure.zone).pack()),
                (tr(lang, "📊 图表", "📊 Chart"), Lookup("zc", figure.zone).pack()),
            ]
        ],
    )


def project_choices(lang: Lang, query: str, hits: Sequence[SearchHit]) -> Reply:
    shown = esc(clip(query, ECHO))
    text = tr(
        lang,
        f"“{shown}”对应多个项目或企业，请选择：",
        f"Several projects or companies match “{shown}”:",
    )
    buttons = [
        [
            (
                _button_label(("🏢 " if h.kind == "company" else "📌 ") + h.title, 40),
                Lookup("c" if h.kind == "company" else "p", h.record_id).pack(),
            )
        ]
        for h in hits
    ]
    return Reply(text, buttons)


def no_project(lang: Lang, query: str) -> Reply:
    shown = esc(clip(query, ECHO))
    return Reply(
        tr(
            lang,
            f"没有找到与“{shown}”匹配的项目或企业。试试 /search {shown}",
            f"No project or company matches “{shown}”. Try /search {shown}",
        )
    )


# ---- search --------------------------------------------------------------------------------

KIND_ZH = {"zone": "园区", "project": "项目", "event": "活动", "company": "企业", "figure": "数据"}
KIND_EN = {
    "zone": "zone",
    "project": "project",
    "event": "event",
    "company": "company",
    "figure": "figure",
}


@dataclass(frozen=True)
class Found:
    """One search hit with its record loaded (None when it vanished in between)."""

    hit: SearchHit
    record: Zone | Project | Event | Company | ZoneFigure | None


def _found_line(found: Found, names: Names, lang: Lang) -> tuple[str, str]:
    """(HTML line, button label) of one hit."""
    kind = tr(
        lang,
        KIND_ZH.get(found.hit.kind, found.hit.kind),
        KIND_EN.get(found.hit.kind, found.hit.kind),
    )
    record = found.record
    if isinstance(record, Zone):
        title = _zone_title(record, lang)
        detail = esc(zone_place(record, lang))
    elif isinstance(record, Project):
        title = pick(lang, record.name_zh, record.name_en)
        detail = " · ".join(
            [
                esc(names.zone(record.zone, lang)),
                esc(_stage_with_date(record, lang)),
                esc(amounts(record, lang)),
            ]
        )
    elif isinstance(record, Event):
        title = pick(lang, record.title_zh, record.title_en)
        detail = " · ".join(
            [
                esc(event_kind(record.kind, lang)),
                esc(names.zone(record.zone, lang)),
                esc(date(record.date, lang)),
            ]
        )
        if record.figures:
            detail += " · " + _figure_value(record.figures, lang)
    elif isinstance(record, Company):
        title = _company_name(record, lang)
        detail = esc(names.zone(record.zone, lang)) if record.zone else ""
    elif isinstance(record, ZoneFigure):
        title = pick(lang, record.name_zh, record.name_en)
        detail = " · ".join(
            [
                esc(names.zone(record.zone, lang)),
                f"<b>{esc(quantity(record.value, lang))}</b>",
                esc(date(record.period, lang)),
            ]
        )
    else:
        title = found.hit.title
        detail = tr(lang, "（已删除）", "(deleted)")
    line = f"[{esc(kind)}] <b>{esc(title)}</b>" + (f" — {detail}" if detail else "")
    return line, title


def search_nothing_to_search(lang: Lang, query: str) -> Reply:
    """A search with no word left to look for (symbols, single letters, OR/NOT)."""
    shown = esc(clip(query, ECHO))
    return Reply(
        tr(
            lang,
            f"“{shown}”里没有可搜索的词：符号、单个字母和 AND/OR/NOT 都不算。"
            "请输入关键词，如 /search 电池。",
            f"Nothing to search for in “{shown}”: symbols, single letters and AND/OR/NOT "
            "are left out. Send words, e.g. /search battery.",
        )
    )


def search_note(lang: Lang, ignored: Sequence[str]) -> str:
    """Said under a search that left something out: how the search reads what is typed."""
    left = esc(clip(" ".join(ignored), ECHO))
    return tr(
        lang,
        f'（未作搜索：{left}。所有词都须出现；整句请加引号，如 "固态 电池"。）',
        f"(Left out: {left}. Every word must appear; put a phrase in double quotes, "
        'e.g. "solid state".)',
    )


def search_results(
    lang: Lang,
    query: str,
    found: Sequence[Found],
    names: Names,
    page: Page,
    key: str,
    *,
    more: bool = False,
) -> Reply:
    """One page of search results. ``more``: matches went past the count's cap (page.total):
    the count reads "1,000+" and the pages cover the best-ranked ones."""
    shown = esc(clip(query, ECHO))
    if not found:
        return Reply(
            tr(
                lang,
                f"没有找到与“{shown}”相关的内容。试试更短的词，或用 /zones、/sectors 浏览。",
                f"Nothing found for “{shown}”. Try fewer or shorter words, "
                "or browse /zones and /sectors.",
            )
        )
    if more:
        head = tr(
            lang,
            f"<b>搜索“{shown}”</b>：{page.total:,}+ 条，按相关度列出前 {page.total:,} 条",
            f"<b>Search “{shown}”</b>: {page.total:,}+ results; the best {page.total:,} listed",
        )
    else:
        head = tr(
            lang,
            f"<b>搜索“{shown}”</b>：共 {page.total} 条",
            f"<b>Search “{shown}”</b>: {plural(page.total, 'result')}",
        )
    lines = [head]
    items = []
    for number, item in enumerate(found, page.offset + 1):
        line, title = _found_line(item, names, lang)
        lines.append(f"{number}. {line}")
        items.append((title, Lookup.record(item.hit.kind, item.hit.record_id).pack()))
    buttons = _numbered_buttons(items, page.offset + 1)
    nav = _nav("s", key, page, lang)
    if nav:
        buttons.append(nav)
    return Reply("\n".join(lines), buttons)


# ---- stats ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    """A headline figure and the figures that are part of it."""

    head: ZoneFigure
    parts: tuple[ZoneFigure, ...]

    @property
    def parts_sum(self) -> Decimal:
        return sum((p.value.value for p in self.parts), Decimal(0))


def breakdowns(figures: Sequence[ZoneFigure]) -> list[Breakdown]:
    by_id = {f.id: f for f in figures}
    result = []
    for head in figures:
        parts = tuple(f for f in figures if f.part_of == head.id)
        if parts and head.id in by_id:
            result.append(Breakdown(head, parts))
    return result


def _footer(lang: Lang) -> str:
    """Whether the parts add up is a check for admins; users see where the numbers come from."""
    return tr(lang, "数据来自报道原文", "Figures as the source reports them")


def chart_spec(lang: Lang, zone: Zone, b: Breakdown, source: Source | None) -> BarChart:
    """The chart's words (plain text: it is drawn, not sent as HTML)."""
    head = pick(lang, b.head.name_zh, b.head.name_en)
    period = date(b.head.period, lang)
    title = tr(
        lang,
        f"{zone.short_zh} · {head} {quantity(b.head.value, lang)}（{period}）按领域",
        f"{zone.name_en or zone.short_zh}: {head}, {quantity(b.head.value, lang)} ({period}), "
        "by sector",
    )
    src = source_title(source, lang) if source else tr(lang, "来源未记录", "source not recorded")
    subtitle = tr(
        lang,
        f"时期：{period} · 来源：{clip(src, 60)}",
        f"Period: {period} · Source: {clip(src, 70)}",
    )
    bars = tuple(
        Bar(pick(lang, p.name_zh, p.name_en), float(p.value.value), quantity(p.value, lang))
        for p in b.parts
    )
    return BarChart(title=title, subtitle=subtitle, footer=_footer(lang), bars=bars)


def stats_caption(lang: Lang, zone: Zone, b: Breakdown, source: Source | None) -> str:
    head = pick(lang, b.head.name_zh, b.head.name_en)
    period = esc(date(b.head.period, lang))
    text = tr(
        lang,
        f"<b>{esc(zone.short_zh)} · {esc(head)}按领域</b>\n时期：{period}\n来源：",
        f"<b>{esc(zone.name_en or zone.short_zh)}: {esc(head)} by sector</b>\n"
        f"Period: {period}\nSource: ",
    )
    if source is not None:
        # A caption holds 1024 characters: shorten the stored title before escaping it.
        title_en = clip(source.title_en, 300) if source.title_en else None
        source = source.model_copy(
            update={"title": clip(source.title, 300), "title_en": title_en, "authors": ()}
        )
    return text + source_line(source, lang)


def stats_text(lang: Lang, zone: Zone, b: Breakdown, source: Source | None) -> Reply:
    head = pick(lang, b.head.name_zh, b.head.name_en)
    lines = [
        f"<b>{esc(_zone_title(zone, lang))} · {esc(head)}{tr(lang, '：', ': ')}"
        f"{esc(quantity(b.head.value, lang))}</b>"
        f"{tr(lang, '（', ' (')}{esc(date(b.head.period, lang))}{tr(lang, '）', ')')}"
    ]
    for part in sorted(b.parts, key=lambda p: -p.value.value):
        name = pick(lang, part.name_zh, part.name_en)
        lines.append(f"• {esc(name)}{tr(lang, '：', ': ')}{esc(quantity(part.value, lang))}")
        note = public(pick(lang, part.note, part.note_en))
        if note:
            lines.append(f"  <i>{esc(note)}</i>")
    lines.append(tr(lang, "来源：", "Source: ") + source_line(source, lang))
    return Reply(
        "\n".join(lines),
        [[(tr(lang, "🏙 园区概况", "🏙 Zone profile"), Lookup("z", zone.id).pack())]],
    )


def no_breakdown(lang: Lang, zone: Zone) -> Reply:
    name = esc(_zone_title(zone, lang))
    return Reply(
        tr(
            lang,
            f"资料中没有{name}按行业划分的签约数据，无法作图。",
            f"The facts give no sector breakdown of signings for {name}, so there is no chart.",
        ),
        [[(tr(lang, "🏙 园区概况", "🏙 Zone profile"), Lookup("z", zone.id).pack())]],
    )


# ---- inline --------------------------------------------------------------------------------


def inline_zone_title(lang: Lang, zone: Zone) -> tuple[str, str]:
    """(title, description) of an inline result; plain text."""
    return (
        tr(lang, f"🏙 {zone.short_zh}", f"🏙 {zone.name_en or zone.short_zh}"),
        zone_place(zone, lang) or pick(lang, zone.name_zh, zone.name_en),
    )


def inline_hit_title(lang: Lang, found: Found, names: Names) -> tuple[str, str]:
    """(title, description) of an inline result for a search hit; plain text."""
    kind = tr(lang, KIND_ZH.get(found.hit.kind, ""), KIND_EN.get(found.hit.kind, ""))
    record = found.record
    zone_id = getattr(record, "zone", None) or found.hit.zone_id
    title = found.hit.title
    if isinstance(record, Project):
        title = pick(lang, record.name_zh, record.name_en)
    elif isinstance(record, Company):
        title = _company_name(record, lang)
    elif isinstance(record, Event):
        title = pick(lang, record.title_zh, record.title_en)
    elif isinstance(record, ZoneFigure):
        title = pick(lang, record.name_zh, record.name_en) + " " + quantity(record.value, lang)
    elif isinstance(record, Zone):
        title = _zone_title(record, lang)
    return f"{kind} · {clip(title, 60)}", names.zone(zone_id, lang) if zone_id else kind


def first_part(text: str) -> str:
    """The first message-sized part of a reply (inline results are one message)."""
    from bot.texts.common import split_message

    return split_message(text)[0]
