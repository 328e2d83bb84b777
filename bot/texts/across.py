"""Replies to questions over every zone (哪些园区有签约项目, 除了昆山还有哪些园区有新能源项目, which
parks have semiconductor projects): escaped HTML, Chinese and English side by side."""

from __future__ import annotations

from collections.abc import Sequence

from bot.texts.common import Lang, esc, tr


def topic(lang: Lang, sector: str | None, stages: Sequence[str], when: str | None) -> str:
    """What is asked for, as a noun: 3月新能源签约项目, signed new energy projects (Mar)."""
    from bot.texts.answers import _stage_word

    if lang == "en":
        words = [", ".join(_stage_word(s, "en") for s in stages), sector or "", "projects"]
        shown = " ".join(w for w in words if w)
        return f"{shown} ({when})" if when else shown
    stage_zh = "、".join(_stage_word(s, "zh") for s in stages)
    return f"{when or ''}{sector or ''}{stage_zh}项目"


def _zones(lang: Lang, names: Sequence[str]) -> str:
    return tr(lang, "、", ", ").join(f"<b>{esc(n)}</b>" for n in names)


def head(lang: Lang, what: str, zones: int, total: int, left_out: Sequence[str]) -> str:
    """有新能源项目的园区：2个（共3个项目），不含昆山高新区."""
    but_zh = f"（{_zones(lang, left_out)}除外）" if left_out else ""
    but_en = f", leaving out {_zones(lang, left_out)}" if left_out else ""
    return tr(
        lang,
        f"库里有<b>{esc(what)}</b>的园区{but_zh}：{zones}个，共{total}个项目：",
        f"Zones with <b>{esc(what)}</b> on record{but_en}: {zones}, with {total} in all:",
    )


def none(lang: Lang, what: str, left_out: Sequence[str]) -> str:
    """Nothing found: said plainly, with the zones left out named."""
    if left_out:
        return tr(
            lang,
            f"除{_zones(lang, left_out)}外，库里没有其他园区的{esc(what)}记录"
            "（只按已收录的资料回答）。",
            f"No record of {esc(what)} in any zone other than {_zones(lang, left_out)} "
            "(only what the store holds).",
        )
    return tr(
        lang,
        f"库里没有{esc(what)}的记录（只按已收录的资料回答）。",
        f"No record of {esc(what)} in any zone (only what the store holds).",
    )


def zone_line(lang: Lang, zone: str, count: int) -> str:
    return tr(lang, f"<b>{esc(zone)}</b>（{count}个）", f"<b>{esc(zone)}</b> ({count})")


def left_out_line(lang: Lang, zone: str, count: int) -> str:
    """The projects of a zone left out, shown after "none elsewhere" for reference."""
    return tr(
        lang,
        f"{esc(zone)}本身有{count}个：",
        f"{esc(zone)} itself has {count}:",
    )


def more(lang: Lang, count: int) -> str:
    return tr(lang, f"…… 另有{count}个", f"… and {count} more")


def zone_projects_head(lang: Lang, zone: str, count: int, sector: str | None = None) -> str:
    """嘉兴高新区的项目（收录1个）, 昆山高新区的人工智能项目; none held said plainly."""
    what_zh = f"{sector}项目" if sector else "项目"
    what_en = f"{sector} projects" if sector else "projects"
    if not count:
        return tr(
            lang,
            f"库里没有{esc(zone)}的{esc(what_zh)}记录。",
            f"No {esc(what_en)} of {esc(zone)} are recorded.",
        )
    return tr(
        lang,
        f"<b>{esc(zone)}的{esc(what_zh)}</b>（收录{count}个）：",
        f"<b>{esc(what_en[:1].upper() + what_en[1:])} of {esc(zone)}</b> ({count} on record):",
    )


def reported_head(lang: Lang) -> str:
    """Before a zone's reported figures: counts the source gives, not records held."""
    return tr(lang, "来源报道的数字：", "Figures the source reports:")


def zone_events_head(lang: Lang, zone: str) -> str:
    return tr(lang, f"{esc(zone)}收录的动态：", f"Items on record for {esc(zone)}:")
