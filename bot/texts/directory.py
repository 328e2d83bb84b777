"""Replies about the zone directory: the card of a zone with no records, the directory lines of
any zone's card, /zones lists with filters and a province chooser, directory answers.

Pure functions; every stored or typed string is escaped here. Both languages side by side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.callbacks import Lookup, Subscribe, packed
from bot.core.directory import DirectoryFilter, province_stem
from bot.core.directory_rows import DirectoryEntry
from bot.core.lookup import Page
from bot.core.records import Source, Zone, ZoneCounts
from bot.texts.common import Lang, clip, esc, tr
from bot.texts.lookup import ECHO, Button, Reply, place_pinyin, plural, source_title
from bot.texts.lookup import _nav as nav_row
from bot.texts.lookup import _numbered_buttons as numbered_buttons

TYPE_ZH = {"hitech": "国家级高新区", "etdz": "国家级经开区"}
TYPE_EN = {"hitech": "national hi-tech zone", "etdz": "national ETDZ"}
TYPE_SHORT_ZH = {"hitech": "高新区", "etdz": "经开区"}
TYPE_SHORT_EN = {"hitech": "hi-tech", "etdz": "ETDZ"}
FIELD_ZH = {
    "province": "省份",
    "city": "城市",
    "county_city": "县级市",
    "short": "简称",
    "name_en": "英文名",
}
FIELD_EN = {
    "province": "province",
    "city": "city",
    "county_city": "county-level city",
    "short": "short name",
    "name_en": "English name",
}


def types_text(types: Sequence[str], lang: Lang) -> str:
    names = TYPE_ZH if lang == "zh" else TYPE_EN
    return tr(lang, "、", " and ").join(names[t] for t in types)


def _place_parts(entry: DirectoryEntry) -> list[str]:
    parts = [entry.province]
    if entry.city != entry.province:
        parts.append(entry.city)
    if entry.county_city:
        parts.append(entry.county_city)
    return parts


def entry_place(entry: DirectoryEntry, lang: Lang) -> str:
    """江苏省 苏州市 昆山市 / Jiangsu, Suzhou, Kunshan."""
    parts = _place_parts(entry)
    if lang == "zh":
        return " ".join(parts)
    return ", ".join(place_pinyin(p) for p in parts)


def _title(zone: Zone, lang: Lang) -> str:
    return zone.short_zh if lang == "zh" else zone.name_en or zone.short_zh


def _source_text(source: Source | None, source_id: str, lang: Lang) -> str:
    if source is None:
        return esc(source_id)
    text = esc(source_title(source, lang))
    if source.publication:
        text += tr(lang, "；", "; ") + esc(source.publication)
    return text


def directory_lines(
    entry: DirectoryEntry,
    sources: Mapping[str, Source],
    lang: Lang,
    heading: bool = False,
    *,
    admin: bool = False,
) -> list[str]:
    """What the directory says of a zone, with its sources.

    ``heading``: on a card that also holds page facts, a line saying these are the directory's.
    ``admin``: also how the row was made (which values are derived rather than listed, what is
    still to verify): notes for the people who keep the facts, not for every reader.
    """
    lines = [tr(lang, "<b>国家级园区名录</b>", "<b>National zone directory</b>")] if heading else []
    lines += [
        tr(lang, "🏷 类型：", "🏷 Type: ") + esc(types_text(entry.types, lang)),
        "📍 " + esc(entry_place(entry, lang)),
    ]
    if admin:
        lines.append(_how_made(entry, lang))
    aliases = [a for a in entry.aliases if a != entry.name]
    if aliases:
        lines.append(tr(lang, "别称：", "Also called: ") + esc(tr(lang, "、", ", ").join(aliases)))
    if entry.flag and admin:
        lines.append(tr(lang, "⚠️ 待核实：", "⚠️ To verify: ") + esc(_flag_text(entry.flag, lang)))
    lines.append(tr(lang, "名录来源：", "Directory source: "))
    for source_id in entry.sources:
        lines.append("• " + _source_text(sources.get(source_id), source_id, lang))
    return lines


def _how_made(entry: DirectoryEntry, lang: Lang) -> str:
    """Which of a row's values the lists give and which are derived from the name."""
    names = FIELD_ZH if lang == "zh" else FIELD_EN
    derived = tr(lang, "、", ", ").join(names[d] for d in entry.derived if d in names)
    if "province" in entry.derived:
        how = tr(
            lang,
            f"名单未列、由名称推断：{derived}",
            f"not listed, derived from the name: {derived}",
        )
    else:
        how = tr(
            lang,
            f"省份据名单 B；名单未列、由名称推断：{derived}",
            f"province as list B gives it; not listed, derived from the name: {derived}",
        )
    return tr(lang, "（", "(") + esc(how) + tr(lang, "）", ")")


def _flag_text(flag: str, lang: Lang) -> str:
    if lang == "en":
        return flag
    for letter in ("A", "B"):
        if flag == f"found in list {letter} only":
            return f"仅见于名单 {letter}，另一份名单没有"
        if flag.endswith(f"designation found in list {letter} only"):
            kind = TYPE_SHORT_ZH.get(flag.split()[0], flag.split()[0])
            return f"{kind}身份仅见于名单 {letter}"
    return flag


def directory_card(
    lang: Lang,
    zone: Zone,
    entry: DirectoryEntry | None,
    sources: Mapping[str, Source],
    *,
    admin: bool,
    others: Sequence[Zone] = (),
) -> Reply:
    """A zone with no signings or events yet: what the directory says, honestly."""
    lines = [f"<b>{esc(_title(zone, lang))}</b>"]
    if lang == "zh" and zone.name_zh != zone.short_zh:
        lines[0] += f"（{esc(zone.name_zh)}）"
    second = zone.name_en if lang == "zh" else zone.name_zh
    if second:
        lines.append(esc(second))
    if entry is not None:
        lines += directory_lines(entry, sources, lang, admin=admin)
    lines.append("")
    lines.append(
        tr(
            lang,
            "本库暂无该园区的签约或活动记录。订阅后，一有新记录就会通知你。",
            "No signings or events recorded yet for this zone. Subscribe to be told when the "
            "first one is added.",
        )
    )
    if admin:
        lines.append(
            tr(
                lang,
                f"管理员：用 /add signing 添加一条记录，或发送 /template 取得表格，填好后发回导入"
                f"（园区 id：<code>{esc(zone.id)}</code>）。",
                f"Admins: add a record with /add signing, or send /template for the spreadsheet "
                f"and send it back filled in (zone id: <code>{esc(zone.id)}</code>).",
            )
        )
    buttons: list[list[Button]] = [
        [(tr(lang, "🔔 订阅", "🔔 Subscribe"), Subscribe("zone", zone.id).pack())]
    ]
    buttons += others_buttons(others, lang)
    return Reply("\n".join(lines), buttons)


def also_follow(names: Sequence[str], lang: Lang) -> str:
    """After following the zone with records: others the same name fits, as buttons."""
    shown = esc(tr(lang, "、", ", ").join(names[:6]))
    return tr(
        lang,
        f"同一名称还可能指：{shown}。如也要订阅，请点下方按钮。",
        f"The name may also mean {shown}; tap below to follow it too.",
    )


def picker_more(lang: Lang) -> str:
    """Under the /subscribe buttons: the other zones of the directory are followed by name."""
    return tr(
        lang,
        "其他国家级园区请按名称订阅，如 /subscribe zone 合肥高新区（/zones 查看名录）。",
        "Follow any other national zone by name, e.g. /subscribe zone hefei hitech "
        "(/zones lists them).",
    )


def nothing_recorded_yet(name: str, lang: Lang) -> str:
    """Said when a chat follows a zone with no records: the subscription stands."""
    return tr(
        lang,
        f"ℹ️ 本库暂无{esc(name)}的签约或活动记录；有新记录时会提醒您。",
        f"ℹ️ Nothing is recorded for {esc(name)} yet; you will be told when something is.",
    )


def others_buttons(others: Sequence[Zone], lang: Lang) -> list[list[Button]]:
    """Buttons to the other zones a name also fits (昆山: the ETDZ beside the hi-tech zone)."""
    shown = [
        (tr(lang, "或：", "Or: ") + clip(_title(z, lang), 24), Lookup("z", z.id).pack())
        for z in others[:6]
    ]
    return [shown[i : i + 2] for i in range(0, len(shown), 2)]


def others_line(others: Sequence[Zone], lang: Lang) -> str:
    names = tr(lang, "、", ", ").join(esc(_title(z, lang)) for z in others[:6])
    return tr(lang, f"也可能是：{names}（见下方按钮）", f"Or perhaps: {names} (buttons below)")


# ---- /zones --------------------------------------------------------------------------------


def filter_text(
    wanted: DirectoryFilter, lang: Lang, city_provinces: Mapping[str, str] | None = None
) -> str:
    """江苏省 · 高新区 / Jiangsu · hi-tech (empty for no filter).

    ``city_provinces``: each city's province, so that cities one spelling in English stands for
    (福州 and 抚州, both Fuzhou) read "Fuzhou (Fujian, Jiangxi)", not "Fuzhou or Fuzhou"."""
    parts: list[str] = []
    if wanted.province:
        parts.append(wanted.province if lang == "zh" else place_pinyin(wanted.province))
    if wanted.cities:
        if lang == "zh":
            shown: tuple[str, ...] = wanted.cities
        else:
            spelled: dict[str, list[str]] = {}
            for city in wanted.cities:
                spelled.setdefault(place_pinyin(city), []).append(city)
            shown = tuple(
                f"{name} ({', '.join(place_pinyin(city_provinces[c]) for c in cities)})"
                if len(cities) > 1 and city_provinces and all(c in city_provinces for c in cities)
                else name
                for name, cities in spelled.items()
            )
        parts.append(tr(lang, "或", " or ").join(shown))
    if wanted.types:
        names = TYPE_SHORT_ZH if lang == "zh" else TYPE_SHORT_EN
        parts.append(tr(lang, "、", ", ").join(names[t] for t in wanted.types))
    return " · ".join(parts)


def place_button(
    wanted: DirectoryFilter,
    count: int,
    key: str,
    lang: Lang,
    city_provinces: Mapping[str, str] | None = None,
) -> Button:
    """📋 苏州市全部园区（12）: every zone of the place a zone query also names."""
    label = filter_text(wanted, lang, city_provinces)
    return (
        clip(tr(lang, f"📋 {label}全部园区（{count}）", f"📋 All in {label} ({count})"), 40),
        Lookup("zl", key, 0).pack(),
    )


def filter_key(wanted: DirectoryFilter, tokens: object) -> str:
    """The filter as callback data, or a token for one too long (kept server-side)."""
    key = wanted.key()
    if packed(Lookup("zl", key, 999, edit=True)) is not None:
        return key
    return "~" + tokens.put(key)  # type: ignore[attr-defined]


def zone_list(
    lang: Lang,
    wanted: DirectoryFilter,
    zones: Sequence[Zone],
    entries: Mapping[str, DirectoryEntry],
    counts: Mapping[str, ZoneCounts],
    page: Page,
    key: str,
    *,
    totals: Mapping[str, int],
    provinces: Sequence[tuple[str, int]] = (),
    unknown: Sequence[str] = (),
    city_provinces: Mapping[str, str] | None = None,
) -> Reply:
    """One page of zones: those with records first; counts say they are records held here."""
    scope = filter_text(wanted, lang, city_provinces)
    head = (
        tr(lang, f"<b>国家级园区</b>：{esc(scope)}", f"<b>National zones</b>: {esc(scope)}")
        if scope
        else tr(lang, "<b>全部园区</b>", "<b>All zones</b>")
    )
    head += tr(lang, f"（{page.total} 个）", f" ({page.total})")
    lines = [head]
    lines.append(
        _totals_line(wanted, totals, lang)
        + tr(
            lang,
            "“收录”指本库记录的签约与活动条数，不是园区报道的数字。",
            " “Recorded” counts the signings and events held here, not figures the zones report.",
        )
    )
    if unknown:
        words = esc(clip(" ".join(unknown), ECHO))
        lines.append(
            tr(
                lang,
                f"没看懂“{words}”，已忽略。可按省、市或类型筛选，如 /zones 江苏 高新区。",
                f"Ignored “{words}”: filter by province, city or type, e.g. /zones Jiangsu hitech.",
            )
        )
    if not zones:
        lines.append(tr(lang, "没有符合条件的园区。", "No zone fits that filter."))
    items: list[tuple[str, str]] = []
    for number, zone in enumerate(zones, page.offset + 1):
        count = counts.get(zone.id, ZoneCounts(0, 0))
        entry = entries.get(zone.id)
        kind = ""
        place = ""
        if entry is not None:
            names = TYPE_SHORT_ZH if lang == "zh" else TYPE_SHORT_EN
            kind = "/".join(names[t] for t in entry.types)
            place = entry_place(entry, lang)
        if count.projects or count.events:
            held = tr(
                lang,
                f"收录 项目 {count.projects} · 活动 {count.events}",
                f"recorded: {plural(count.projects, 'project')} · {plural(count.events, 'event')}",
            )
        else:
            held = tr(lang, "暂无记录", "nothing recorded yet")
        detail = " · ".join(p for p in (kind, place) if p)
        lines.append(
            f"{number}. <b>{esc(_title(zone, lang))}</b>"
            + (f" {esc(detail)}" if detail else "")
            + f" — {held}"
        )
        items.append((_title(zone, lang), Lookup("z", zone.id).pack()))
    buttons = numbered_buttons(items, page.offset + 1)
    nav = nav_row("zl", key, page, lang)
    if nav:
        buttons.append(nav)
    if provinces:
        buttons += _chooser(wanted, provinces, lang)
    return Reply("\n".join(lines), buttons)


def _totals_line(wanted: DirectoryFilter, totals: Mapping[str, int], lang: Lang) -> str:
    """How many of each type; under a type filter, how many of those are the other type too
    (苏州工业园区 is both), not a count of "1 ETDZ" among hi-tech zones."""
    hitech, etdz = totals.get("hitech", 0), totals.get("etdz", 0)
    if len(wanted.types) == 1:
        kind = wanted.types[0]
        count, both = (hitech, etdz) if kind == "hitech" else (etdz, hitech)
        other = "etdz" if kind == "hitech" else "hitech"
        head_en = plural(count, "hi-tech zone" if kind == "hitech" else "ETDZ")
        if not both:
            return tr(lang, f"共 {count} 个{TYPE_SHORT_ZH[kind]}。", f"{head_en}.")
        also_en = (
            ("it is also an ETDZ" if other == "etdz" else "it is also a hi-tech zone")
            if both == 1
            else ("are also ETDZs" if other == "etdz" else "are also hi-tech zones")
        )
        return tr(
            lang,
            f"共 {count} 个{TYPE_SHORT_ZH[kind]}，其中 {both} 个同时是{TYPE_SHORT_ZH[other]}。",
            f"{head_en}; {both} of them {also_en.removeprefix('it ')}.",
        )
    return tr(
        lang,
        f"其中高新区 {hitech} 个、经开区 {etdz} 个（两者兼具的各计一次）。",
        f"{plural(hitech, 'hi-tech zone')}, {plural(etdz, 'ETDZ')} "
        "(a zone of both counts in each).",
    )


def _chooser(
    wanted: DirectoryFilter, provinces: Sequence[tuple[str, int]], lang: Lang
) -> list[list[Button]]:
    """Type buttons, then one button per province (with its count), four a row."""
    types: list[Button] = []
    for zone_type, label in (
        (None, tr(lang, "全部类型", "All types")),
        ("hitech", tr(lang, "高新区", "Hi-tech")),
        ("etdz", tr(lang, "经开区", "ETDZ")),
    ):
        choice = DirectoryFilter(wanted.province, wanted.cities, (zone_type,) if zone_type else ())
        mark = "• " if choice.types == wanted.types else ""
        data = packed(Lookup("zl", choice.key(), 0, edit=True))
        if data is not None:
            types.append((mark + label, data))
    rows = [types]
    cells: list[Button] = []
    for province, count in provinces:
        choice = DirectoryFilter(province, (), wanted.types)
        name = province_stem(province) if lang == "zh" else place_pinyin(province)
        data = packed(Lookup("zl", choice.key(), 0, edit=True))
        if data is not None:
            cells.append((f"{name} {count}", data))
    rows += [cells[i : i + 4] for i in range(0, len(cells), 4)]
    return rows


# ---- directory answers ---------------------------------------------------------------------


def count_answer(lang: Lang, wanted: DirectoryFilter, counts: Mapping[str, int]) -> Reply:
    """江苏省：高新区 18 个、经开区 27 个 (from the directory, with its known gaps)."""
    scope = filter_text(DirectoryFilter(wanted.province, wanted.cities), lang) or tr(
        lang, "全国", "China"
    )
    shown = wanted.types or ("hitech", "etdz")
    parts_zh = [f"{TYPE_SHORT_ZH[t]} {counts.get(t, 0)} 个" for t in shown]
    parts_en = [plural(counts.get(t, 0), TYPE_EN[t]) for t in shown]
    text = tr(
        lang,
        f"<b>{esc(scope)}</b>的国家级园区（本库名录）：" + "、".join(parts_zh) + "。",
        f"<b>{esc(scope)}</b>, national zones in the directory here: " + ", ".join(parts_en) + ".",
    )
    if len(shown) == 2:
        text += tr(
            lang,
            f"共 {counts.get('all', 0)} 个园区（两者兼具的各计一次）。",
            f" {plural(counts.get('all', 0), 'zone')} in all"
            " (a zone of both types counts in each).",
        )
    text += "\n" + tr(
        lang,
        "名录据两份公开名单整理，官方数（高新区 178 个、经开区约 230 个）"
        "与之不完全一致，详见 /zones。",
        "Compiled from two public lists; the official counts (178 hi-tech zones, about 230 "
        "ETDZs) differ somewhat. See /zones.",
    )
    key = wanted.key()
    buttons = (
        [[(tr(lang, "查看名单", "See the list"), Lookup("zl", key, 0).pack())]]
        if packed(Lookup("zl", key, 0)) is not None
        else []
    )
    return Reply(text, buttons)


def where_answer(
    lang: Lang, zone: Zone, entry: DirectoryEntry | None, others: Sequence[Zone] = ()
) -> Reply:
    """合肥高新区：安徽省 合肥市 (as the directory gives it; derived places say so)."""
    if entry is not None:
        place = entry_place(entry, lang)
        how = (
            tr(
                lang,
                "（省份据名单 B，城市由名称推断）",
                " (province from list B, city derived from the name)",
            )
            if "province" not in entry.derived
            else tr(lang, "（省份和城市由名称推断）", " (province and city derived from the name)")
        )
    else:
        parts = [p for p in (zone.province, zone.city) if p]
        place = " ".join(parts) if lang == "zh" else ", ".join(place_pinyin(p) for p in parts)
        how = ""
    if not place:
        text = tr(
            lang,
            f"<b>{esc(_title(zone, lang))}</b>：所在地未记录。",
            f"<b>{esc(_title(zone, lang))}</b>: place not recorded.",
        )
    else:
        text = tr(
            lang,
            f"<b>{esc(_title(zone, lang))}</b> 位于 {esc(place)}{esc(how)}",
            f"<b>{esc(_title(zone, lang))}</b> is in {esc(place)}{esc(how)}",
        )
    buttons = [[(tr(lang, "查看园区", "Open the zone"), Lookup("z", zone.id).pack())]]
    if others:
        text += "\n" + others_line(others, lang)
        buttons += others_buttons(others, lang)
    return Reply(text, buttons)
