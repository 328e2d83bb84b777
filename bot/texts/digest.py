"""Texts of the digest and of /digest, /timezone: both languages side by side, HTML escaped.

A digest is rendered as blocks (title, headline, zone, sector, one block per item) and packed
into parts below Telegram's 4096 characters, cutting only between items; a continued part
repeats its zone and sector headings. Each part carries buttons to the full records of the
items it shows (``p:<id>``, ``e:<id>``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.callbacks import DigestAction, DigestButton, DigestMore, Lookup
from bot.core.digest import NO_SECTOR, Digest, Entry, Headline
from bot.core.records import Company, Event, Project, Zone
from bot.core.schedule import WEEKDAY_NAMES_EN, WEEKDAY_NAMES_ZH
from bot.core.values import Amount, Qualifier, Quantity
from bot.texts.common import (
    Lang,
    clip,
    date,
    esc,
    event_kind,
    money,
    pick,
    quantity,
    split_message,
    stage,
    tr,
)

# Parts are measured as HTML (longer than the visible text Telegram counts), with room to spare
# for the continuation heading.
PART_LIMIT = 3900
MAX_BUTTONS = 40  # per part; Telegram allows 100, forty keeps a phone screen usable


@dataclass(frozen=True)
class DigestPart:
    text: str
    buttons: tuple[tuple[str, str], ...]  # (label, callback_data)
    items: tuple[tuple[int, str], ...] = ()  # (feed seq, change as shown) of each item, in order


@dataclass(frozen=True)
class _Block:
    text: str
    role: str  # "zone", "sector", "item", "head"
    entry: Entry | None = None
    number: int = 0
    label: str = ""


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def period_title(period: str, lang: Lang) -> str:
    """A digest's period for its heading: d2026-03-29 -> 2026-03-29; w2026-W14; now-... -> now."""
    if period.startswith("d"):
        return period[1:]
    if period.startswith("w"):
        return tr(lang, f"{period[1:]} 周", f"week {period[1:]}")
    return tr(lang, "即时", "on request")


_APART_SHOWN = 5


def _sum_zh(total: Amount) -> str:
    """A sum as precise as its parts: 约3.5亿元, 超3.5亿元 (a lower bound), 不足3.5亿元."""
    plain = money(Amount(total.value, total.unit), "zh")
    if total.qualifier is Qualifier.OVER:
        return f"超{plain}"
    if total.qualifier is Qualifier.UNDER:
        return f"不足{plain}"
    return money(total, "zh")


def _apart(value: Headline, lang: Lang) -> str:
    shown = [money(a, lang) for a in value.apart[:_APART_SHOWN]]
    more = len(value.apart) - len(shown)
    listed = tr(lang, "、", ", ").join(shown)
    if more:
        listed += tr(lang, f" 等 {len(value.apart)} 个", f" and {more} more")
    return listed


def _investment_zh(value: Headline) -> str:
    if not value.apart:
        assert value.total is not None
        covered = f"（{value.with_amount} 个披露）" if value.with_amount < value.signings else ""
        return f"，总投资合计 {_sum_zh(value.total)}{covered}"
    # Hedged the other way round (约 and 不足): never one hedged sum.
    exact = (
        f"确切金额合计 {_sum_zh(value.total)}（{value.with_amount} 个项目），另有 "
        if value.total is not None
        else ""
    )
    return f"，总投资：{exact}{_apart(value, 'zh')}（估计方式不一，未加总）"


def _investment_en(value: Headline) -> str:
    if not value.apart:
        assert value.total is not None
        covered = (
            f" ({value.with_amount} of them give one)" if value.with_amount < value.signings else ""
        )
        return f", total investment {money(value.total, 'en')}{covered}"
    exact = (
        f"exact figures total {money(value.total, 'en')} "
        f"({value.with_amount} project{'s' if value.with_amount != 1 else ''}), plus "
        if value.total is not None
        else ""
    )
    return f", investment: {exact}{_apart(value, 'en')} (hedged differently, so not added up)"


def headline(value: Headline, lang: Lang) -> str:
    pieces: list[str] = []
    if value.signings:
        given = value.total is not None or bool(value.apart)
        if lang == "zh":
            text = f"新签约/项目动态 {value.signings} 个"
            if given:
                text += _investment_zh(value)
            if value.foreign:
                text += f"，另有 {value.foreign} 个以外币计"
        else:
            text = f"{value.signings} project{'s' if value.signings != 1 else ''}"
            if given:
                text += _investment_en(value)
            if value.foreign:
                text += f", {value.foreign} in foreign currency"
        pieces.append(text)
    if value.events:
        pieces.append(
            tr(
                lang,
                f"活动 {value.events} 场",
                f"{value.events} event{'s' if value.events != 1 else ''}",
            )
        )
    return esc(tr(lang, "；", "; ").join(pieces))


def _zone_name(zone_id: str, zones: Mapping[str, Zone], lang: Lang) -> str:
    zone = zones.get(zone_id)
    if zone is None:
        return zone_id
    return (zone.name_en or zone.short_zh) if lang == "en" else zone.short_zh


def _sector_name(label: str, label_en: Mapping[str, str | None], lang: Lang) -> str:
    if label == NO_SECTOR:
        return tr(lang, "其他", "Other")
    return (label_en.get(label) or label) if lang == "en" else label


def _company_name(company: Company | None, lang: Lang) -> str | None:
    if company is None:
        return None
    if lang == "en":
        return company.name_en or company.short_zh or company.name_zh
    return company.short_zh or company.name_zh


def _project_line(
    entry: Entry, project: Project, companies: Mapping[str, Company], lang: Lang
) -> str:
    name = pick(lang, project.name_zh, project.name_en)
    company = _company_name(companies.get(project.company or ""), lang)
    head = ""
    if company and company not in name:
        head += f"<b>{esc(company)}</b> {esc(name)}"
    else:
        head += f"<b>{esc(name)}</b>"
    facts: list[str] = []
    stage_text = stage(project.stage, lang)
    if project.stage_date is not None:
        stage_text += f" {date(project.stage_date, lang)}"
    if entry.change == "stage":
        stage_text = tr(lang, f"阶段更新为{stage_text}", f"now {stage_text}")
    facts.append(stage_text)
    if project.total_investment is not None:
        facts.append(tr(lang, "总投资 ", "investment ") + money(project.total_investment, lang))
    if project.land_mu is not None:
        land = _with_unit(project.land_mu, "亩")
        facts.append(tr(lang, "用地 ", "land ") + quantity(land, lang))
    elif project.floor_area_m2 is not None:
        area = _with_unit(project.floor_area_m2, "平方米")
        facts.append(tr(lang, "建筑面积 ", "floor area ") + quantity(area, lang))
    return head + " — " + esc(" · ".join(facts))


def _with_unit(value: Quantity, unit: str) -> Quantity:
    """The field names the unit (land_mu is in 亩); a bare number gets it for display."""
    if value.unit:
        return value
    written = value.written + unit if value.written else None  # 300余 -> 300余亩, as written
    return Quantity(value.value, unit, value.qualifier, written)


def _event_line(event: Event, lang: Lang) -> str:
    title = pick(lang, event.title_zh, event.title_en)
    head = f"[{esc(event_kind(event.kind, lang))}] <b>{esc(title)}</b>"
    facts: list[str] = []
    if event.date is not None:
        facts.append(date(event.date, lang))
    for figure in event.figures:
        label = (figure.name_en or figure.name_zh) if lang == "en" else figure.name_zh
        facts.append(f"{label} {quantity(figure.value, lang)}")
    return head + (" — " + esc(" · ".join(facts)) if facts else "")


def _button_label(entry: Entry, lang: Lang) -> str:
    record = entry.record
    if isinstance(record, Project):
        name = pick(lang, record.name_zh, record.name_en)
    else:
        name = pick(lang, record.title_zh, record.title_en)
    return clip(name, 18)


def _callback(entry: Entry) -> str:
    return Lookup("p" if entry.kind == "project" else "e", entry.record_id).pack()


def render_digest(
    digest: Digest,
    *,
    period: str,
    lang: Lang,
    zones: Mapping[str, Zone],
    companies: Mapping[str, Company],
    label_en: Mapping[str, str | None],
    limit: int = PART_LIMIT,
    cache: dict[tuple[int, str, str], tuple[str, str]] | None = None,
    first_number: int = 1,
    continued: bool = False,
) -> list[DigestPart]:
    """The digest as message parts, each below ``limit``, cut only between items.

    ``cache`` keeps each item's rendered line across digests (many chats share items).
    A resumed digest renders each stored part alone: ``continued`` leaves out the headline
    and marks the heading as continued, ``first_number`` carries the numbering on.
    """
    lines_of = cache if cache is not None else {}
    if digest.empty:
        return []
    title = tr(lang, "招商摘要", "Investment digest") + " · " + esc(period_title(period, lang))
    blocks: list[_Block] = [] if continued else [_Block(headline(digest.headline, lang), "head")]
    number = first_number - 1
    for group in digest.groups:
        blocks.append(_Block(f"\n<b>{esc(_zone_name(group.zone_id, zones, lang))}</b>", "zone"))
        for sector in group.sectors:
            sector_name = esc(_sector_name(sector.sector, label_en, lang))
            blocks.append(_Block(f"<i>{sector_name}</i>", "sector"))
            for entry in (*sector.projects, *sector.events):
                number += 1
                key = (entry.seq, entry.change, lang)
                cached = lines_of.get(key)
                if cached is None:
                    record = entry.record
                    body = (
                        _project_line(entry, record, companies, lang)
                        if isinstance(record, Project)
                        else _event_line(record, lang)
                    )
                    cached = (body, _button_label(entry, lang))
                    lines_of[key] = cached
                blocks.append(_Block(f"{number}. {cached[0]}", "item", entry, number, cached[1]))
    return _pack(blocks, title, lang, limit, continued)


def _pack(
    blocks: list[_Block], title: str, lang: Lang, limit: int, continued: bool = False
) -> list[DigestPart]:
    parts: list[DigestPart] = []
    lines: list[str] = []
    buttons: list[tuple[str, str]] = []
    items_shown: list[tuple[int, str]] = []
    size = body = items = 0
    zone_line = sector_line = ""

    def new_part(repeat: list[str]) -> None:
        nonlocal lines, buttons, items_shown, size, body, items
        if lines:
            parts.append(DigestPart("\n".join(lines), tuple(buttons), tuple(items_shown)))
        more = parts or continued
        heading = f"<b>{title}</b>" + (tr(lang, "（续）", " (continued)") if more else "")
        lines = [heading, *(line for line in repeat if line)]
        buttons, items_shown, body, items = [], [], 0, 0
        size = sum(_u16(line) + 1 for line in lines)

    new_part([])
    for block in blocks:
        texts = [block.text]
        if _u16(block.text) + 1 > limit - 400:
            texts = split_message(block.text, limit - 400)  # one absurdly long item
        for text in texts:
            length = _u16(text) + 1
            # A zone or sector heading is never left alone at the foot of a part.
            reserve = 0 if block.role == "item" else 300
            over = size + length + reserve > limit
            if block.role == "item" and items >= MAX_BUTTONS:
                over = True
            if over and body:
                if block.role == "zone":
                    new_part([])
                elif block.role == "sector":
                    new_part([zone_line])
                else:
                    new_part([zone_line, sector_line])
            lines.append(text)
            size += length
            body += 1
        if block.role == "zone":
            zone_line, sector_line = block.text, ""
        elif block.role == "sector":
            sector_line = block.text
        elif block.entry is not None:
            items += 1
            buttons.append((f"{block.number}. {block.label}", _callback(block.entry)))
            items_shown.append((block.entry.seq, block.entry.change))
    parts.append(DigestPart("\n".join(lines), tuple(buttons), tuple(items_shown)))
    return parts


def with_more(part: DigestPart, period: str, held: int, lang: Lang) -> DigestPart:
    """The last part of a digest cut at its cap: a line saying how many items wait, and the
    button that shows the next ones."""
    line = tr(
        lang,
        f"\n还有 {held} 条未显示，点「更多」查看（本群任何人都可以点）。",
        f"\n{held} more {'item is' if held == 1 else 'items are'} waiting: press “More” "
        "(anyone in this chat may).",
    )
    button = (tr(lang, f"更多（{held}）▶", f"More ({held}) ▶"), DigestMore(period).pack())
    return DigestPart(part.text + "\n" + line, (*part.buttons, button), part.items)


def no_more(lang: Lang) -> str:
    """A "more" button pressed after everything was shown (or the digest was forgotten)."""
    return tr(lang, "这份摘要已经全部显示。", "Everything in this digest has been shown.")


# ---- /digest and /timezone ------------------------------------------------------------------


def weekday_name(weekday: int, lang: Lang) -> str:
    return WEEKDAY_NAMES_ZH[weekday] if lang == "zh" else WEEKDAY_NAMES_EN[weekday].title()


def schedule_line(kind: str, hhmm: str, weekday: int, lang: Lang) -> str:
    if kind == "off":
        return tr(lang, "已关闭", "off")
    if kind == "weekly":
        return tr(
            lang,
            f"每{weekday_name(weekday, lang)} {hhmm}",
            f"weekly, {weekday_name(weekday, lang)} {hhmm}",
        )
    return tr(lang, f"每天 {hhmm}", f"daily at {hhmm}")


def schedule(
    kind: str,
    hhmm: str,
    weekday: int,
    tz: ZoneInfo,
    next_at: datetime | None,
    alert_mode: str,
    lang: Lang,
    changed: bool = False,
) -> str:
    """The chat's digest schedule, its next time in the chat's zone, and how to change it."""
    head = tr(lang, "已更新。", "Updated. ") if changed else ""
    lines = [
        head
        + tr(lang, "<b>定时摘要</b>：", "<b>Scheduled digest</b>: ")
        + esc(schedule_line(kind, hhmm, weekday, lang))
        + tr(lang, f"（时区 {esc(tz.key)}）", f" (time zone {esc(tz.key)})")
    ]
    if alert_mode == "off":
        lines.append(
            tr(
                lang,
                "本聊天的提醒已关闭（/alerts），摘要也不会发送。",
                "Alerts are off in this chat (/alerts), so no digest is sent either.",
            )
        )
    elif next_at is not None and kind != "off":
        local = next_at.astimezone(tz)
        lines.append(tr(lang, "下一次：", "Next: ") + esc(local.strftime("%Y-%m-%d %H:%M")))
    lines.append("")
    lines.append(
        tr(
            lang,
            "修改：/digest 09:00 · /digest weekly mon 08:30（或 周一）· /digest off\n"
            "立即发送：/digest now · 时区：/timezone Asia/Shanghai",
            "Change: /digest 09:00 · /digest weekly mon 08:30 · /digest off\n"
            "Send now: /digest now · Time zone: /timezone Europe/Berlin",
        )
    )
    return "\n".join(lines)


def _dg(action: DigestAction) -> str:
    return DigestButton(action).pack()


def schedule_buttons(kind: str, lang: Lang) -> list[list[tuple[str, str]]]:
    mark = "✓ "
    return [
        [
            ((mark if kind == "daily" else "") + tr(lang, "每天", "Daily"), _dg("daily")),
            ((mark if kind == "weekly" else "") + tr(lang, "每周", "Weekly"), _dg("weekly")),
            ((mark if kind == "off" else "") + tr(lang, "关闭", "Off"), _dg("off")),
        ],
        [(t, DigestButton("time", t).pack()) for t in ("07:30", "08:30", "09:00", "18:00")],
        [(tr(lang, "立即发送", "Send now"), _dg("now"))],
    ]


def usage(lang: Lang) -> str:
    return tr(
        lang,
        "用法：/digest 09:00 · /digest daily 08:30 · /digest weekly mon 08:30"
        "（或 weekly 周一 08:30）· /digest off · /digest now",
        "Usage: /digest 09:00 · /digest daily 08:30 · /digest weekly mon 08:30 · "
        "/digest off · /digest now",
    )


def nothing_new(lang: Lang) -> str:
    return tr(
        lang,
        "自上次摘要以来，您订阅的园区、行业和关键词没有新的签约或活动。",
        "Nothing new in what this chat follows since the last digest.",
    )


def no_subscriptions(lang: Lang) -> str:
    return tr(
        lang,
        "本聊天还没有订阅，摘要无内容可发。先订阅，例如：\n"
        "/subscribe zone 昆山 — 园区\n/subscribe sector 新能源 — 行业\n"
        "/subscribe keyword 电池 — 关键词",
        "This chat follows nothing yet, so a digest would be empty. Subscribe first, e.g.:\n"
        "/subscribe zone kunshan — a zone\n/subscribe sector new energy — a sector\n"
        "/subscribe keyword battery — a keyword",
    )


def sending_now(parts: int, lang: Lang) -> str:
    return tr(lang, f"摘要已发送（{parts} 条消息）。", f"Digest sent ({parts} message(s)).")


def send_failed(lang: Lang) -> str:
    return tr(
        lang,
        "摘要暂时没能发完，稍后会自动续发剩下的部分。",
        "The digest could not be sent completely just now; the rest follows automatically.",
    )


def busy(lang: Lang) -> str:
    return tr(lang, "本聊天的摘要正在发送。", "This chat's digest is being sent right now.")


def admins_only(lang: Lang) -> str:
    return tr(
        lang,
        "只有群管理员可以修改本群的摘要设置。",
        "Only the group's admins can change its digest settings.",
    )


def timezone_show(name: str, lang: Lang) -> str:
    return tr(
        lang,
        f"本聊天的时区：{esc(name)}\n修改：/timezone Asia/Shanghai（任何 IANA 时区名）",
        f"This chat's time zone: {esc(name)}\nChange: /timezone Europe/Berlin (any IANA name)",
    )


def timezone_set(name: str, next_line: str | None, lang: Lang) -> str:
    text = tr(lang, f"时区已设为 {esc(name)}。", f"Time zone set to {esc(name)}.")
    if next_line:
        text += "\n" + tr(lang, "下一次摘要：", "Next digest: ") + esc(next_line)
    return text


def timezone_unknown(text: str, lang: Lang) -> str:
    return tr(
        lang,
        f"不认识时区 {esc(clip(text, 40))}。请用 IANA 名称，例如 Asia/Shanghai、Europe/Berlin。",
        f"Unknown time zone {esc(clip(text, 40))}. Use an IANA name such as Asia/Shanghai or "
        "Europe/Berlin.",
    )
