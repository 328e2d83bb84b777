"""Replies to questions about several names together (A与B的合作项目) and to questions that name
no subject (今年投资情况怎么样): escaped HTML, Chinese and English side by side."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.records import Zone
from bot.texts.answers import card_button, zone_name
from bot.texts.common import Lang, esc, tr
from bot.texts.lookup import Reply


def _joined(lang: Lang, names: Sequence[str]) -> str:
    shown = [f"<b>{esc(n)}</b>" for n in names]
    if lang == "en":
        both = "both " if len(shown) == 2 else "all of "
        return both + ", ".join(shown[:-1]) + " and " + shown[-1]
    return "、".join(shown[:-1]) + "和" + shown[-1]


def joint_head(lang: Lang, names: Sequence[str], count: int, *, at_least: bool = False) -> str:
    """同时涉及A和B的记录（2条）: what the store holds about the names together. ``at_least``:
    only the most relevant records were looked at, so the count is a floor."""
    return tr(
        lang,
        f"同时涉及{_joined(lang, names)}的记录（{'至少' if at_least else ''}{count}条）：",
        f"Records involving {_joined(lang, names)} ({'at least ' if at_least else ''}{count}):",
    )


def joint_none(lang: Lang, names: Sequence[str], *, looked: int | None = None) -> str:
    """Nothing in the store involves all the names: said plainly, never guessed. ``looked``:
    only that many of the most relevant records were looked at (more matched the names)."""
    if looked is not None:
        return tr(
            lang,
            f"在最相关的 {looked} 条记录里没有找到同时涉及{_joined(lang, names)}的记录"
            "（可换个说法或分别查询）。以下是各自的记录：",
            f"None of the {looked} most relevant records involves {_joined(lang, names)} "
            "(try other words, or ask about each). Here are the records of each:",
        )
    return tr(
        lang,
        f"库里没有同时涉及{_joined(lang, names)}的记录（只按已收录的资料回答，不做推测）。"
        "以下是各自的记录：",
        f"No record involves {_joined(lang, names)} (only what the store holds, no "
        "guessing). Here are the records of each:",
    )


def own_head(lang: Lang, name: str) -> str:
    return f"<b>{esc(name)}</b>{tr(lang, '：', ':')}"


def own_none(lang: Lang, name: str) -> str:
    return tr(
        lang,
        f"· 库里没有{esc(name)}的项目或活动记录。",
        f"· No project or event of {esc(name)} is recorded.",
    )


def which_subject(lang: Lang, zones: Sequence[Zone], example: Zone | None) -> Reply:
    """今年投资情况怎么样 with no zone, sector or company named (and no 它/there): ask which is
    meant rather than answer about the last record talked about."""
    shown = tr(lang, "、", ", ").join(zone_name(z, z.id, lang) for z in zones[:8])
    sample = example or (zones[0] if zones else None)
    lines = [
        tr(
            lang,
            "这个问题没有说是哪个园区、领域或企业。请问您指的是哪个园区或哪个领域？",
            "The question names no zone, sector or company. Which zone or which sector do you "
            "mean?",
        )
    ]
    if shown:
        lines.append(
            tr(lang, f"已收录记录的园区：{esc(shown)}。", f"Zones with records: {esc(shown)}.")
        )
    if sample is not None:
        name = zone_name(sample, sample.id, lang)
        lines.append(
            tr(
                lang,
                f"例如：{esc(name)}今年投资情况怎么样？",
                f"For example: how did investment in {esc(name)} change this year?",
            )
        )
    buttons = [[card_button("zone", z.id, zone_name(z, z.id, lang), lang)] for z in zones[:4]]
    return Reply("\n".join(lines), buttons)
