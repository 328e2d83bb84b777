"""Asking back: a follow-up sent with nothing before it to refer to (那新一代信息技术呢？,
"What about new-generation IT?", "And in Suzhou?", 它的董事长是谁) gets a question about what
is meant, never a guess."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.records import Zone
from bot.texts.answers import card_button, zone_name
from bot.texts.common import Lang, esc, pick, tr
from bot.texts.conditions import mid_sentence
from bot.texts.lookup import Reply


def which_zone(lang: Lang, topic: str, zones: Sequence[Zone]) -> Reply:
    """A topic (a sector, a time) with no zone: which zone's figures are meant?"""
    if lang == "en":
        topic = mid_sentence(topic)
    example = zones[0] if zones else None
    ex_zh = f"“{example.short_zh}的{topic}呢？”" if example else ""
    ex_en = f"“What about {topic} in {example.name_en or example.short_zh}?”" if example else ""
    text = tr(
        lang,
        f"您问的是哪个园区的<b>{esc(topic)}</b>？我这里没有您之前的问题可以接着答（上下文只保留30分钟）。"
        f"请带上园区名再问，例如{esc(ex_zh)}",
        f"Which zone's <b>{esc(topic)}</b> do you mean? I have no earlier question of yours to "
        "follow on from (context is kept for 30 minutes). "
        f"Please name the zone, for example {esc(ex_en)}",
    )
    return Reply(text, _zone_buttons(zones, lang))


def what_about_zone(lang: Lang, place: str, zones: Sequence[Zone]) -> Reply:
    """A zone with no question ("And in Suzhou?"): what about it, and which zone if several."""
    several = len(zones) > 1
    names_zh = "、".join(z.short_zh for z in zones)
    names_en = ", ".join(z.name_en or z.short_zh for z in zones)
    first = zones[0] if zones else None
    ex_zh = f"“{first.short_zh}最近有什么签约？”" if first else ""
    ex_en = f"“What has {first.name_en or first.short_zh} signed recently?”" if first else ""
    text = tr(
        lang,
        f"您想了解{esc(place)}的什么？我这里没有您之前的问题可以接着答（上下文只保留30分钟）。"
        + (f"{esc(place)}有{len(zones)}个园区：{esc(names_zh)}。" if several else "")
        + f"请问具体一点，例如{esc(ex_zh)}",
        f"What would you like to know about {esc(place)}? I have no earlier question of yours "
        "to follow on from (context is kept for 30 minutes). "
        + (f"{esc(place)} has {len(zones)} zones: {esc(names_en)}. " if several else "")
        + f"Please ask in full, for example {esc(ex_en)}",
    )
    return Reply(text, _zone_buttons(zones, lang))


def what_is_meant(lang: Lang, examples: Sequence[tuple[str, str]]) -> Reply:
    """A pointer (它, its, 这个园区) or "and for 2027?" with nothing before it."""
    shown = "；".join(f"“{zh}”" for zh, _en in examples[:2])
    shown_en = "; ".join(f"“{en}”" for _zh, en in examples[:2])
    return Reply(
        tr(
            lang,
            "您指的是哪个园区、企业或项目？我这里没有您之前的问题可以指代（上下文只保留30分钟）。"
            f"请带上名称再问，例如{esc(shown)}",
            "Which zone, company or project do you mean? I have no earlier question of yours for "
            "it to refer to (context is kept for 30 minutes). "
            f"Please name it, for example {esc(shown_en)}",
        )
    )


def _zone_buttons(zones: Sequence[Zone], lang: Lang) -> list[list[tuple[str, str]]]:
    return [
        [
            card_button(
                "zone", z.id, zone_name(z, z.id, lang) or pick(lang, z.short_zh, z.name_en), lang
            )
        ]
        for z in zones[:4]
    ]
