"""Replies to questions with a size condition (10亿元以上, 2000亩以上, "over 1 billion yuan"):
the condition applied in the first sentence, the projects that meet it with their figures,
and how many lack the figure or give it in another currency or unit."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.conditions import Condition, Judged, Measure, bound_amount
from bot.core.records import Company
from bot.core.values import Amount, Quantity
from bot.texts.answers import _stage_word, project_parts
from bot.texts.common import Lang, clip, esc, money, pick, quantity, tr
from bot.texts.lookup import Names, Reply

_MEASURE: dict[Measure, tuple[str, str]] = {
    "investment": ("投资", "investment"),
    "capital": ("注册资本", "registered capital"),
    "output": ("达产后年产值", "annual output"),
    "land": ("用地", "land"),
    "area": ("面积", "floor area"),
}
_LACKING: dict[Measure, tuple[str, str]] = {
    "investment": ("投资额", "investment figure"),
    "capital": ("注册资本", "registered capital"),
    "output": ("年产值", "output figure"),
    "land": ("用地面积", "land figure"),
    "area": ("面积", "floor area"),
}


def _value(value: Amount | Quantity, lang: Lang, measure: Measure) -> str:
    if isinstance(value, Amount):
        return money(value, lang)
    if measure == "land" and not value.unit:
        value = Quantity(value.value, "亩", value.qualifier, value.written)
        if value.written and "亩" not in value.written:
            value = Quantity(value.value, "亩", value.qualifier, value.written + "亩")
    if measure == "area" and not value.unit:
        value = Quantity(value.value, "平方米", value.qualifier, value.written)
    return quantity(value, lang)


def condition_label(condition: Condition, lang: Lang) -> str:
    """投资10亿元以上, 用地2000亩以上, 投资3亿元到10亿元 / investment of at least CNY 1 billion."""
    word_zh, word_en = _MEASURE[condition.measure]
    low, high = condition.low, condition.high
    low_text = _value(bound_amount(low.value, condition.family), lang, "land") if low else ""
    high_text = _value(bound_amount(high.value, condition.family), lang, "land") if high else ""
    if low and high and low.inclusive and high.inclusive:
        return tr(
            lang,
            f"{word_zh}{low_text}到{high_text}",
            f"{word_en} between {low_text} and {high_text}",
        )
    if low and high:  # 超过10亿但不到20亿: each end as asked
        return tr(
            lang,
            f"{word_zh}{low_text + '以上' if low.inclusive else '超过' + low_text}、"
            f"{high_text + '以下' if high.inclusive else '不到' + high_text}",
            f"{word_en} of {'at least' if low.inclusive else 'over'} {low_text} and "
            f"{'at most' if high.inclusive else 'under'} {high_text}",
        )
    if low:
        return tr(
            lang,
            f"{word_zh}{low_text}以上" if low.inclusive else f"{word_zh}超过{low_text}",
            f"{word_en} of {'at least' if low.inclusive else 'over'} {low_text}",
        )
    assert high is not None
    return tr(
        lang,
        f"{word_zh}{high_text}以下" if high.inclusive else f"{word_zh}不到{high_text}",
        f"{word_en} of {'at most' if high.inclusive else 'under'} {high_text}",
    )


def size_not_read(lang: Lang, typed: str) -> Reply:
    """A size range whose first number could be read two ways, or whose ends differ in unit:
    nothing is filtered by it, and the reply says how to write it."""
    shown = esc(clip(typed, 40))
    return Reply(
        tr(
            lang,
            f"没能确定“{shown}”指的是哪个范围（前一个数的单位不明，或两端单位不一致），"
            "所以没有按它筛选。请把两端都写完整，例如“3000万到5000万”“100亩到200亩”。",
            f"I could not tell which range “{shown}” means (the first number's unit is unclear, "
            "or the two ends differ), so nothing was filtered by it. Please write both ends in "
            "full, e.g. “CNY 30 million to 50 million” or “100 mu to 200 mu”.",
        )
    )


def mid_sentence(name: str) -> str:
    """An English name as it reads inside a sentence: "New energy" -> "new energy" (an
    acronym such as "AI" stays)."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def condition_head(
    lang: Lang,
    condition: Condition,
    zone: str | None,
    stages: Sequence[str],
    when: str | None,
    count: int,
    checked: int | None = None,
    sector: str | None = None,
) -> str:
    """The first sentence: the condition applied and how many records meet it
    (昆山高新区投资10亿元以上的签约项目有3个 / Signed projects in … with investment of …: 3).
    ``checked``: only the latest this many projects were read (a big store): said first, so
    the count is never taken for the whole store's."""
    label = condition_label(condition, lang)
    words_zh = "、".join(_stage_word(s, "zh") for s in stages)
    words_en = ", ".join(_stage_word(s, "en") for s in stages)
    field = f"{sector}领域" if sector else ""
    zh = f"{zone or ''}{when or ''}{field}{label}的{words_zh}项目"
    sector_en = mid_sentence(sector) if sector else None
    kind_en = " ".join(w for w in (words_en, sector_en or "") if w)
    en_parts = [f"{kind_en} projects" if kind_en else "projects"]
    if when:
        en_parts.append(f"({when})")
    if zone:
        en_parts.append(f"in {zone}")
    en_parts.append(f"with {label}")
    en = " ".join(en_parts)
    if checked is not None:
        if count == 0:
            return tr(
                lang,
                f"在最新收录的{checked}个项目中，没有{esc(zh)}。",
                f"Of the latest {checked} projects recorded, none are {esc(en)}.",
            )
        return tr(
            lang,
            f"<b>在最新收录的{checked}个项目中，{esc(zh)}有{count}个</b>：",
            f"<b>Of the latest {checked} projects recorded, {esc(en)}: {count}</b>",
        )
    if count == 0:
        return tr(lang, f"库里没有{esc(zh)}记录。", f"No {esc(en)} on record.")
    return tr(
        lang,
        f"<b>{esc(zh)}有{count}个</b>：",
        f"<b>{esc(en[0].upper() + en[1:])}: {count}</b>",
    )


def by_zone_head(
    lang: Lang,
    condition: Condition,
    stages: Sequence[str],
    when: str | None,
    zones: int,
    count: int,
    checked: int | None = None,
    sector: str | None = None,
) -> str:
    """哪些园区有投资超过5亿元的项目: how many zones have how many projects that meet it
    (the condition said first; ``checked``: only the latest this many projects were read)."""
    label = condition_label(condition, lang)
    words_zh = "、".join(_stage_word(s, "zh") for s in stages)
    words_en = ", ".join(_stage_word(s, "en") for s in stages)
    field = f"{sector}领域" if sector else ""
    zh = f"{when or ''}{field}{label}的{words_zh}项目"
    kind_en = " ".join(w for w in (words_en, mid_sentence(sector) if sector else "") if w)
    en = f"{kind_en} projects" if kind_en else "projects"
    if when:
        en += f" ({when})"
    en += f" with {label}"
    scope_zh = f"在最新收录的{checked}个项目中，" if checked is not None else ""
    scope_en = f"Of the latest {checked} projects recorded, " if checked is not None else ""
    zone_word = "zone has" if zones == 1 else "zones have"
    return tr(
        lang,
        f"<b>{scope_zh}有{esc(zh)}的园区共{zones}个（{count}个项目）</b>：",
        f"<b>{scope_en}{zones} {zone_word} {esc(en)} ({count} in all)</b>:"
        if scope_en
        else f"<b>{zones} {zone_word} {esc(en)} ({count} in all)</b>:",
    )


def zone_group_line(lang: Lang, zone: str, count: int) -> str:
    """One zone of a by-zone answer: its name and how many of its projects meet the size."""
    return tr(
        lang,
        f"<b>{esc(zone)}</b>：{count}个",
        f"<b>{esc(zone)}</b>: {count} {'project' if count == 1 else 'projects'}",
    )


def checked_note(lang: Lang, checked: int, zone: str | None) -> str:
    """Only part of a big store (or zone) was read: how to narrow the question."""
    if zone:
        return tr(
            lang,
            f"{esc(zone)}的项目多于{checked}个，只查了最新收录的{checked}个；"
            "加上阶段或时间（如“3月签约的”）可以缩小范围。",
            f"{esc(zone)} has more than {checked} projects and only the latest {checked} were "
            "checked; add a stage or a time (e.g. “signed in March”) to narrow it.",
        )
    return tr(
        lang,
        f"库里的项目多于{checked}个，只查了最新收录的{checked}个；加上园区名（如“昆山高新区…”）"
        "可以查该园区的全部项目。",
        f"The store holds more than {checked} projects and only the latest {checked} were "
        "checked; name a zone (e.g. “… in Kunshan”) to check all of its projects.",
    )


def failing_line(lang: Lang, condition: Condition, items: Sequence[str]) -> str:
    """None meets it: the records that give the figure, with it, so the check is visible."""
    word_zh, word_en = _LACKING[condition.measure]
    shown = tr(lang, "、", "; ").join(items[:5]) + (tr(lang, "等", " …") * (len(items) > 5))
    return tr(
        lang,
        f"给出{word_zh}的{len(items)}个项目都不符合：{esc(shown)}。",
        f"{len(items)} {'project gives' if len(items) == 1 else 'projects give'} {word_en}, "
        f"outside that range: {esc(shown)}.",
    )


def condition_item(
    judged: Judged, condition: Condition, company: Company | None, lang: Lang, names: Names
) -> str:
    """· name · zone · stage (date) · company · the figure judged, as the source gives it."""
    parts = project_parts(judged.project, company, lang, names)
    if judged.figure is not None:
        parts.append(esc(figure_text(judged, condition, lang)))
    return "· " + " · ".join(parts)


def figure_text(judged: Judged, condition: Condition, lang: Lang) -> str:
    """总投资10亿元, 用地约150亩 / land about 150 mu (plain text, not escaped)."""
    if judged.figure is None:
        return ""
    value = _value(judged.figure, lang, condition.measure)
    return figure_name(judged, condition, lang) + tr(lang, "", " ") + value


def figure_name(judged: Judged, condition: Condition, lang: Lang) -> str:
    """The name of the figure a project was judged by (总投资, 协议投资, 用地)."""
    if judged.figure_name:
        return judged.figure_name if lang == "zh" else _MEASURE[condition.measure][1]
    names = {
        "investment": ("总投资", "total investment"),
        "capital": ("注册资本", "registered capital"),
        "output": ("达产后年产值", "annual output"),
        "land": ("用地", "land"),
        "area": ("面积", "floor area"),
    }
    return tr(lang, *names[condition.measure])


def more_line(lang: Lang, more: int, zones: bool = False) -> str:
    """After the first items (or zones) of a list: how many more meet it."""
    if zones:
        return esc(tr(lang, f"……另有{more}个园区", f"… and {more} more zones"))
    return esc(tr(lang, f"……另有{more}个", f"… and {more} more"))


def with_figure(judged: Judged, condition: Condition, lang: Lang) -> str:
    """A project's name with the figure it was judged by: 昆山甲项目（总投资约10亿元） (plain
    text, escaped by the line it goes into)."""
    title = pick(lang, judged.project.name_zh, judged.project.name_en)
    figure = figure_text(judged, condition, lang)
    return tr(lang, f"{title}（{figure}）", f"{title} ({figure})")


def lacking_line(
    lang: Lang,
    condition: Condition,
    missing: Sequence[str],
    other_unit: Sequence[str],
    more: bool = True,
    unclear: Sequence[str] = (),
) -> list[str]:
    """Records not counted either way: no figure, one in another currency or unit, or a hedged
    one the source leaves on either side of the bound (``unclear``: names with figures).
    ``more``: others were listed before ("另有" / "more")."""
    lines: list[str] = []
    other_zh, other_en = ("另有", " more") if more else ("", "")
    word_zh, word_en = _LACKING[condition.measure]
    if unclear:
        one = len(unclear) == 1
        shown = tr(lang, "、", "; ").join(unclear[:5]) + (tr(lang, "等", " …") * (len(unclear) > 5))
        lines.append(
            tr(
                lang,
                f"{other_zh}{len(unclear)}个项目的{word_zh}是约数或只给了上下限，"
                f"看不出是否符合，未计入：{esc(shown)}。",
                f"{len(unclear)}{other_en} {'project gives' if one else 'projects give'} "
                f"{'an approximate or open-ended' if one else 'approximate or open-ended'} "
                f"{word_en}{'' if one else 's'} that may fall on either side, so "
                f"{'it is' if one else 'they are'} counted neither way: {esc(shown)}.",
            )
        )
    if missing:
        one = len(missing) == 1
        gives, they = ("project gives", "it is") if one else ("projects give", "they are")
        shown = tr(lang, "、", ", ").join(missing[:5]) + (tr(lang, "等", " …") * (len(missing) > 5))
        lines.append(
            tr(
                lang,
                f"{other_zh}{len(missing)}个项目没有给出{word_zh}，无法判断，未计入：{esc(shown)}。",
                f"{len(missing)}{other_en} {gives} no {word_en}, so {they} counted neither way: "
                f"{esc(shown)}.",
            )
        )
    if other_unit:
        shown = tr(lang, "、", ", ").join(other_unit[:5])
        one = len(other_unit) == 1
        if condition.measure in ("investment", "capital", "output"):
            text = tr(
                lang,
                f"{other_zh}{len(other_unit)}个项目的金额是另一种货币，没有换算比较，未计入："
                f"{esc(shown)}。",
                f"{len(other_unit)}{other_en} {'project is' if one else 'projects are'} in another "
                f"currency, not converted and not compared: {esc(shown)}.",
            )
        elif condition.family == "mu":  # a land figure held in 公顷 or 平方米, not in 亩
            text = tr(
                lang,
                f"{other_zh}{len(other_unit)}个项目的用地不是以亩记录的，没有换算比较，未计入："
                f"{esc(shown)}。",
                f"{len(other_unit)}{other_en} {'project gives' if one else 'projects give'} "
                f"land in another unit than mu, not converted and not compared: {esc(shown)}.",
            )
        else:
            text = tr(
                lang,
                f"{other_zh}{len(other_unit)}个项目的用地以亩记录；亩与平方米没有精确换算"
                f"（1亩约666.67平方米），未比较、未计入：{esc(shown)}。",
                f"{len(other_unit)}{other_en} {'project gives' if one else 'projects give'} "
                "land in mu; mu and square metres have no exact conversion (1 mu is about "
                f"666.67 m²), so {'it is' if one else 'they are'} not compared: {esc(shown)}.",
            )
        lines.append(text)
    return lines
