"""Texts of /subscribe, /unsubscribe, /subscriptions, /alerts and of the alerts themselves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.records import Event, Project, Zone
from bot.texts.common import Lang, clip, date, esc, event_kind, money, pick, quantity, stage, tr

KIND_ZH = {"zone": "园区", "sector": "行业", "keyword": "关键词"}
KIND_EN = {"zone": "Zone", "sector": "Sector", "keyword": "Keyword"}


def kind_name(kind: str, lang: Lang) -> str:
    return tr(lang, KIND_ZH.get(kind, kind), KIND_EN.get(kind, kind))


def sub_line(kind: str, name: str, lang: Lang) -> str:
    """One subscription as a line: 园区：昆山高新区 / Zone: Kunshan Hi-tech Zone."""
    shown = f"「{esc(name)}」" if kind == "keyword" else esc(name)
    return tr(lang, f"{kind_name(kind, lang)}：{shown}", f"{kind_name(kind, lang)}: {shown}")


def sub_button(kind: str, name: str, lang: Lang) -> str:
    """A subscription's name on a button (plain text, no escaping)."""
    return clip(f"{kind_name(kind, lang)} {name}", 40)


# ---- subscribing --------------------------------------------------------------------------


def usage(lang: Lang) -> str:
    return tr(
        lang,
        "用法：\n/subscribe zone 昆山 — 订阅园区\n/subscribe sector 新能源 — 订阅行业\n"
        "/subscribe keyword 固态电池 — 订阅关键词\n/subscribe 昆山 — 自动判断类型\n"
        "只发 /subscribe 可用按钮选择。",
        "Usage:\n/subscribe zone kunshan — follow a zone\n/subscribe sector new energy — follow a "
        "sector\n/subscribe keyword battery — follow a keyword\n/subscribe kunshan — I work "
        "out which kind\nSend /subscribe alone to pick with buttons.",
    )


def picker(lang: Lang) -> str:
    return tr(
        lang,
        "点按钮订阅或取消订阅（✅ 表示已订阅）。<b>园区</b>在前，<b>行业</b>在后。\n"
        "更细的行业或关键词：/subscribe sector 固态电池、/subscribe keyword 电解质",
        "Tap to follow or stop following (✅ = followed): <b>zones</b> first, then "
        "<b>sectors</b>.\nFiner sectors or keywords: /subscribe sector solid-state batteries, "
        "/subscribe keyword electrolyte",
    )


def subscribed(kind: str, name: str, lang: Lang, thread: bool = False) -> str:
    where = tr(lang, "（新消息会发到本话题）", " (alerts go to this topic)") if thread else ""
    return tr(
        lang,
        f"✅ 已订阅 {sub_line(kind, name, lang)}{where}。之后新入库的签约和活动会提醒您。\n"
        "/subscriptions 查看全部订阅，/alerts 设置提醒方式。",
        f"✅ Following {sub_line(kind, name, lang)}{where}. New signings and events stored "
        "from now on will be sent here.\n/subscriptions lists them; /alerts sets how they "
        "arrive.",
    )


def already(kind: str, name: str, lang: Lang) -> str:
    return tr(
        lang,
        f"本聊天已经订阅了 {sub_line(kind, name, lang)}。",
        f"This chat already follows {sub_line(kind, name, lang)}.",
    )


def limit_reached(limit: int, lang: Lang) -> str:
    return tr(
        lang,
        f"本聊天的订阅已达上限（{limit} 条），请先用 /subscriptions 删除一些再订阅。",
        f"This chat has reached the limit of {limit} subscriptions; remove some with "
        "/subscriptions first.",
    )


def keyword_bad(problem: str, lang: Lang) -> str:
    if problem == "long":
        return tr(lang, "关键词最多 50 个字。", "A keyword may be at most 50 characters.")
    return tr(lang, "关键词至少要 2 个字。", "A keyword needs at least 2 characters.")


def keyword_missing(lang: Lang) -> str:
    return tr(
        lang,
        "请在 keyword 后写关键词，例如：/subscribe keyword 固态电池",
        "Put the keyword after 'keyword', e.g. /subscribe keyword battery",
    )


def unknown_name(query: str, suggestions: Sequence[str], lang: Lang, kind: str | None) -> str:
    what = kind_name(kind, lang) if kind else tr(lang, "园区或行业", "zone or sector")
    head = tr(
        lang,
        f"没有找到名为「{esc(clip(query, 40))}」的{what}。",
        f"No {what.lower()} called “{esc(clip(query, 40))}”.",
    )
    if suggestions:
        shown = tr(lang, "、", ", ").join(esc(s) for s in suggestions)
        head += tr(lang, f"\n您是不是要找：{shown}？", f"\nDid you mean: {shown}?")
    if kind != "keyword":
        head += tr(
            lang,
            "\n也可以按关键词订阅（下方按钮），或用 /zones、/sectors 查看全部名称。",
            "\nYou can also follow it as a keyword (button below), or see /zones and /sectors.",
        )
    return head


def choose(query: str, lang: Lang) -> str:
    return tr(
        lang,
        f"「{esc(clip(query, 40))}」可能指以下几项，请点选要订阅的：",
        f"“{esc(clip(query, 40))}” could mean any of these; tap the one to follow:",
    )


def group_only_admins(lang: Lang) -> str:
    return tr(
        lang,
        "抱歉，在群里只有群管理员可以修改本群的订阅。",
        "Sorry, in a group only the group's administrators may change its subscriptions.",
    )


# ---- unsubscribing and the list -----------------------------------------------------------


def unsubscribed(kind: str, name: str, lang: Lang) -> str:
    return tr(
        lang,
        f"已取消订阅 {sub_line(kind, name, lang)}。",
        f"Stopped following {sub_line(kind, name, lang)}.",
    )


def not_subscribed(query: str, lang: Lang) -> str:
    return tr(
        lang,
        f"本聊天没有订阅「{esc(clip(query, 40))}」。下面是本聊天的订阅，点 ❌ 取消：",
        f"This chat does not follow “{esc(clip(query, 40))}”. Its subscriptions are "
        "below; tap ❌ to remove one:",
    )


def unsubscribe_usage(lang: Lang) -> str:
    return tr(
        lang,
        "用法：/unsubscribe 昆山、/unsubscribe sector 新能源、/unsubscribe keyword 固态电池，"
        "或点下面的 ❌。",
        "Usage: /unsubscribe kunshan, /unsubscribe sector new energy, /unsubscribe keyword "
        "battery, or tap ❌ below.",
    )


@dataclass(frozen=True)
class SubView:
    id: int
    kind: str
    name: str
    thread_id: int | None = None


def subscription_list(
    subs: Sequence[SubView], lang: Lang, mode: str, page: int, pages: int, start: int
) -> str:
    if not subs:
        return tr(
            lang,
            "本聊天还没有订阅。试试 /subscribe zone 昆山，或只发 /subscribe 用按钮选择。",
            "This chat follows nothing yet. Try /subscribe zone kunshan, or /subscribe alone "
            "to pick with buttons.",
        )
    lines = [
        tr(lang, "<b>本聊天的订阅</b>", "<b>This chat's subscriptions</b>")
        + (f" ({page + 1}/{pages})" if pages > 1 else "")
    ]
    for number, sub in enumerate(subs, start=start + 1):
        topic = tr(lang, f"（话题 {sub.thread_id}）", f" (topic {sub.thread_id})")
        lines.append(
            f"{number}. {sub_line(sub.kind, sub.name, lang)}{topic if sub.thread_id else ''}"
        )
    lines.append("")
    lines.append(mode_line(mode, lang))
    lines.append(tr(lang, "点 ❌ 取消对应的订阅。", "Tap ❌ to remove a subscription."))
    return "\n".join(lines)


# ---- alert mode ---------------------------------------------------------------------------

MODE_ZH = {"instant": "即时提醒", "digest": "只进摘要", "off": "关闭"}
MODE_EN = {"instant": "instant", "digest": "digest only", "off": "off"}


def mode_name(mode: str, lang: Lang) -> str:
    return tr(lang, MODE_ZH.get(mode, mode), MODE_EN.get(mode, mode))


def mode_line(mode: str, lang: Lang) -> str:
    return tr(
        lang,
        f"提醒方式：{mode_name(mode, lang)}（/alerts 修改）",
        f"Alerts: {mode_name(mode, lang)} (change with /alerts)",
    )


def alerts_usage(mode: str, lang: Lang) -> str:
    return tr(
        lang,
        f"当前提醒方式：<b>{mode_name(mode, lang)}</b>\n"
        "/alerts instant — 有新签约或活动立即提醒（默认）\n"
        "/alerts digest — 不即时提醒，只放进定时摘要\n/alerts off — 即时提醒和摘要都停止",
        f"Alerts now: <b>{mode_name(mode, lang)}</b>\n"
        "/alerts instant — each new signing or event at once (default)\n"
        "/alerts digest — nothing at once, only in the scheduled digest\n"
        "/alerts off — neither alerts nor digest",
    )


def alerts_set(mode: str, lang: Lang) -> str:
    text = {
        "instant": tr(
            lang,
            "好的，新的签约和活动会即时发到这里。",
            "Done: new signings and events will be sent here at once.",
        ),
        "digest": tr(
            lang,
            "好的，不再即时提醒，新内容只放进定时摘要（/digest 设置时间）。",
            "Done: no instant alerts; new items go into the scheduled digest (see /digest).",
        ),
        "off": tr(
            lang,
            "好的，即时提醒和摘要都已停止。订阅仍保留，/alerts instant 可恢复；"
            "关闭期间的新内容恢复后不会补发。",
            "Done: alerts and digests are off. Subscriptions are kept; /alerts instant "
            "turns alerts back on. Items stored while they are off are not sent later.",
        ),
    }
    return text.get(mode, "")


# ---- button answers ---------------------------------------------------------------------


def toast_subscribed(name: str, lang: Lang) -> str:
    return clip(tr(lang, f"已订阅：{name}", f"Following: {name}"), 190)


def toast_unsubscribed(name: str, lang: Lang) -> str:
    return clip(tr(lang, f"已取消订阅：{name}", f"Stopped following: {name}"), 190)


def toast_limit(limit: int, lang: Lang) -> str:
    return tr(lang, f"订阅已达上限（{limit} 条）", f"Limit of {limit} subscriptions reached")


def toast_stale(lang: Lang) -> str:
    return tr(lang, "这条订阅已经取消了。", "That subscription was already removed.")


def toast_only_admins(lang: Lang) -> str:
    return tr(lang, "只有群管理员可以修改订阅。", "Only group admins may change subscriptions.")


def card_button(subscribed_now: bool, lang: Lang) -> str:
    """The label of a subscribe toggle on a zone or sector card."""
    if subscribed_now:
        return tr(lang, "🔕 取消订阅", "🔕 Unfollow")
    return tr(lang, "🔔 订阅", "🔔 Follow")


def keyword_button(keyword: str, lang: Lang) -> str:
    return clip(tr(lang, f"按关键词订阅「{keyword}」", f"Follow keyword “{keyword}”"), 40)


def remove_button(number: int, name: str) -> str:
    return clip(f"❌ {number}. {name}", 40)


def details_button(lang: Lang) -> str:
    return tr(lang, "查看详情", "Details")


def mode_button(mode: str, current: str, lang: Lang) -> str:
    mark = "✅ " if mode == current else ""
    return mark + mode_name(mode, lang)


def page_button(forward: bool, lang: Lang) -> str:
    return tr(lang, "下一页 ▶", "Next ▶") if forward else tr(lang, "◀ 上一页", "◀ Previous")


# ---- managing a group from a private chat ------------------------------------------------


def group_name(title: str | None, chat_id: int) -> str:
    """A group's name as stored (plain text; escape it before putting it into HTML)."""
    return title or str(chat_id)


def managed_header(title: str, lang: Lang) -> str:
    """The first line of every reply while a private chat manages a group."""
    name = esc(clip(title, 60))
    return tr(lang, f"👥 <b>群「{name}」的订阅</b>", f"👥 <b>Subscriptions of group {name}</b>")


def in_group(title: str | None, text: str, lang: Lang) -> str:
    """A reply, headed with the managed group's name when there is one."""
    return f"{managed_header(title, lang)}\n{text}" if title is not None else text


def toast_in_group(title: str | None, toast: str, lang: Lang) -> str:
    """A button answer, naming the managed group when there is one (plain text)."""
    if title is None:
        return toast
    return clip(tr(lang, f"群「{title}」：{toast}", f"Group {title}: {toast}"), 190)


def manage_private_only(lang: Lang) -> str:
    return tr(
        lang,
        "请在与我的私聊中发送 /manage，选择要管理订阅的群。",
        "Send /manage in a private chat with me to pick a group whose subscriptions to manage.",
    )


def manage_none(lang: Lang) -> str:
    return tr(
        lang,
        "没有找到您担任管理员的群。先把我加入群，在群里发送 /start，"
        "然后回到这里再发 /manage。（只有群管理员或群主可以管理群的订阅。）",
        "I know of no group where you are an administrator. Add me to the group, send /start "
        "there, then come back here and send /manage again. (Only a group's administrators "
        "and its owner may manage its subscriptions.)",
    )


def manage_intro(current: str | None, lang: Lang) -> str:
    now = (
        tr(lang, f"当前管理：群「{esc(current)}」", f"Now managing: group {esc(current)}")
        if current is not None
        else tr(lang, "当前管理：本私聊", "Now managing: this private chat")
    )
    return tr(
        lang,
        f"{now}\n点选一个您管理的群：之后在这里发送的 /subscribe、/unsubscribe、"
        "/subscriptions、/alerts 及其按钮都作用于该群，提醒仍发到群里。\n"
        "这个选择只记在本次会话中（不写入数据库，机器人重启后需重新选择）。"
        "/manage off 或下方按钮回到管理本私聊。",
        f"{now}\nPick a group you administer: /subscribe, /unsubscribe, /subscriptions, "
        "/alerts and their buttons sent here will then act on that group, and its alerts "
        "still go to the group.\nThe choice is kept for this session only (not in the "
        "database; pick again after the bot restarts). /manage off or the button below "
        "returns to this private chat.",
    )


def manage_button(title: str, current: bool, lang: Lang) -> str:
    return clip(("✅ " if current else "👥 ") + title, 40)


def manage_off_button(current: bool, lang: Lang) -> str:
    mark = "✅ " if current else "👤 "
    return mark + tr(lang, "管理本私聊", "Manage this private chat")


def manage_selected(title: str, lang: Lang) -> str:
    name = esc(title)
    return tr(
        lang,
        f"好的，现在管理群「{name}」的订阅。在这里发送 /subscribe、/unsubscribe、"
        "/subscriptions、/alerts 都作用于该群；提醒发到群里。/manage off 回到管理本私聊。",
        f"Done: now managing the subscriptions of group {name}. /subscribe, /unsubscribe, "
        "/subscriptions and /alerts sent here act on that group; its alerts go to the "
        "group. /manage off returns to this private chat.",
    )


def manage_off(lang: Lang) -> str:
    return tr(
        lang,
        "好的，现在管理本私聊自己的订阅。",
        "Done: you now manage this private chat's own subscriptions.",
    )


def toast_manage_set(title: str, lang: Lang) -> str:
    return clip(tr(lang, f"正在管理：群「{title}」", f"Managing group {title}"), 190)


def toast_manage_off(lang: Lang) -> str:
    return tr(lang, "正在管理：本私聊", "Managing this private chat")


def toast_not_group_admin(lang: Lang) -> str:
    return tr(
        lang,
        "抱歉，您已不是该群的管理员（或我已不在该群），不能管理它的订阅。",
        "Sorry, you are no longer an administrator of that group (or I have left it), so "
        "you cannot manage its subscriptions.",
    )


def managed_refused(title: str, lang: Lang) -> str:
    return tr(
        lang,
        f"抱歉，您已不是群「{esc(title)}」的管理员（或我已不在该群），不能修改它的订阅。"
        "已回到管理本私聊；/manage 可重新选择。",
        f"Sorry, you are no longer an administrator of group {esc(title)} (or I have left "
        "it), so you cannot change its subscriptions. Back to managing this private chat; "
        "/manage picks again.",
    )


def toast_other_scope(lang: Lang) -> str:
    return tr(
        lang,
        "这条消息属于另一个聊天的订阅，请重新发送命令。",
        "That message belongs to another chat's subscriptions; send the command again.",
    )


# ---- the alerts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertRecord:
    """A feed item ready to show: the record, its zone and its companies' names."""

    kind: str
    change: str
    record: Project | Event
    zone: Zone | None
    companies: tuple[str, ...] = ()


def _zone_name(item: AlertRecord, lang: Lang) -> str:
    if item.zone is None:
        return item.record.zone
    return pick(lang, item.zone.short_zh, item.zone.name_en)


def _title(item: AlertRecord, lang: Lang) -> str:
    record = item.record
    if isinstance(record, Project):
        return pick(lang, record.name_zh, record.name_en)
    return pick(lang, record.title_zh, record.title_en)


def _headline(item: AlertRecord, lang: Lang) -> str:
    if item.change == "stage":
        return tr(lang, "🔄 项目阶段更新", "🔄 Project stage changed")
    if item.kind == "project":
        return tr(lang, "🆕 新签约项目", "🆕 New signing")
    return tr(lang, "🆕 新活动", "🆕 New event")


def _amount(record: Project, lang: Lang) -> str | None:
    if record.total_investment is not None:
        return tr(lang, "总投资 ", "total investment ") + money(record.total_investment, lang)
    if record.registered_capital is not None:
        return tr(lang, "注册资本 ", "registered capital ") + money(record.registered_capital, lang)
    return None


def _facts(item: AlertRecord, lang: Lang) -> list[str]:
    """The short facts of an item: zone, company, sector, stage or kind, amount or date."""
    record = item.record
    sep = tr(lang, "、", ", ")
    facts = [
        tr(lang, f"园区：{esc(_zone_name(item, lang))}", f"Zone: {esc(_zone_name(item, lang))}")
    ]
    if item.companies:
        names = esc(sep.join(item.companies))
        facts.append(tr(lang, f"企业：{names}", f"Company: {names}"))
    if record.sectors:
        sectors = esc(sep.join(record.sectors))
        facts.append(tr(lang, f"行业：{sectors}", f"Sector: {sectors}"))
    if isinstance(record, Project):
        when = f" ({esc(date(record.stage_date, lang))})" if record.stage_date else ""
        facts.append(
            tr(
                lang,
                f"阶段：{esc(stage(record.stage, lang))}",
                f"Stage: {esc(stage(record.stage, lang))}",
            )
            + when
        )
        amount = _amount(record, lang)
        facts.append(
            tr(lang, f"金额：{esc(amount)}", f"Amount: {esc(amount)}")
            if amount
            else tr(lang, "金额：未披露", "Amount: not given")
        )
    else:
        facts.append(
            tr(
                lang,
                f"类型：{esc(event_kind(record.kind, lang))}",
                f"Kind: {esc(event_kind(record.kind, lang))}",
            )
        )
        facts.append(
            tr(
                lang,
                f"日期：{esc(date(record.date, lang))}",
                f"Date: {esc(date(record.date, lang))}",
            )
        )
        for figure in record.figures[:3]:
            name = pick(lang, figure.name_zh, figure.name_en)
            facts.append(f"{esc(name)}：{esc(quantity(figure.value, lang))}")
    return facts


def alert(item: AlertRecord, lang: Lang) -> str:
    """One new signing or event, with every fact a staff member checks first."""
    lines = [f"<b>{_headline(item, lang)}</b>", f"<b>{esc(_title(item, lang))}</b>"]
    lines.extend(_facts(item, lang))
    return "\n".join(lines)


def alert_list(items: Sequence[AlertRecord], lang: Lang) -> str:
    """Several items at once, one block each, numbered to match the buttons."""
    lines = [
        tr(
            lang,
            f"<b>🆕 {len(items)} 条新的签约和活动</b>",
            f"<b>🆕 {len(items)} new signings and events</b>",
        )
    ]
    sep = tr(lang, "；", "; ")
    for number, item in enumerate(items, start=1):
        lines.append("")
        kind = (
            tr(lang, "阶段更新", "stage change")
            if item.change == "stage"
            else (
                tr(lang, "签约", "signing") if item.kind == "project" else tr(lang, "活动", "event")
            )
        )
        lines.append(f"{number}. <b>{esc(_title(item, lang))}</b> [{kind}]")
        lines.append(sep.join(_facts(item, lang)))
    return "\n".join(lines)


def flood_rest(rest: int, lang: Lang) -> str:
    """The line under the first items when too many arrive at once to send one by one."""
    return tr(
        lang,
        f"……另有 {rest} 条新记录。一次进来的太多，不再逐条提醒；"
        "发送 /digest now 查看完整摘要，或用 /search 查找。",
        f"…and {rest} more new records. Too many arrived at once to alert one by one; "
        "send /digest now for the full digest, or use /search.",
    )


def list_button(number: int, item: AlertRecord, lang: Lang) -> str:
    return clip(f"{number}. {_title(item, lang)}", 40)
