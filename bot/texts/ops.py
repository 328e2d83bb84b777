"""Texts of /status and /users (admins only), both languages side by side."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.texts.common import Lang, esc, tr
from storage.ops_queries import AccessEntry, StoreStatus

JOB_NAMES: dict[str, tuple[str, str]] = {
    "alerts": ("即时提醒", "alerts"),
    "digest": ("定时摘要", "digest"),
    "backup": ("每日备份", "daily backup"),
}
RESULT_NAMES: dict[str, tuple[str, str]] = {
    "sent": ("已发送", "sent"),
    "postponed": ("延后", "postponed"),
    "due": ("到期", "due"),
    "failed": ("失败", "failed"),
    "removed": ("删除旧备份", "old removed"),
}
STATUS_NAMES: dict[str, tuple[str, str]] = {
    "approved": ("已批准", "approved"),
    "pending": ("待审批", "pending"),
    "denied": ("已拒绝/撤销", "denied/revoked"),
    "revoked": ("已撤销", "revoked"),
}


@dataclass(frozen=True)
class StatusView:
    version: str
    uptime: timedelta
    mode: str
    store: StoreStatus
    ticks: dict[str, tuple[str, dict[str, int]]]  # job -> (ISO time, what it did)
    errors: dict[str, int]  # kind -> count over the last 24 hours
    chats_held: int  # chats Telegram asked us to wait for (429) right now
    timezone: str  # the times above are in it
    # Zone cards kept in memory; seconds their preparation took when they are all prepared
    # for the facts as they are now, None while they are not (bot/jobs/zone_cards.py).
    zone_cards: int = 0
    zone_cards_seconds: float | None = None


def _duration(value: timedelta, lang: Lang) -> str:
    minutes = int(value.total_seconds()) // 60
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if lang == "en":
        return (f"{days} d " if days else "") + f"{hours} h {mins} min"
    return (f"{days}天" if days else "") + f"{hours}小时{mins}分"


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def status(view: StatusView, lang: Lang) -> str:
    s = view.store
    mode = {"polling": tr(lang, "长轮询", "long polling"), "webhook": "webhook"}.get(
        view.mode, view.mode
    )
    lines = [
        tr(lang, "<b>运行状态</b>", "<b>Status</b>"),
        tr(lang, f"版本 {esc(view.version)}", f"version {esc(view.version)}"),
        tr(lang, "已运行 ", "up for ") + _duration(view.uptime, lang),
        tr(lang, f"模式：{mode}", f"mode: {mode}"),
        tr(lang, f"时间均为 {esc(view.timezone)}", f"times in {esc(view.timezone)}"),
        "",
        tr(
            lang,
            f"数据：{s.zones} 个园区，{s.projects} 个项目，{s.events} 个活动；"
            f"{s.chats_active} 个活跃聊天，{s.chats_inactive} 个不活跃；{s.subscriptions} 个订阅",
            f"store: {s.zones} zones, {s.projects} projects, {s.events} events; "
            f"{s.chats_active} chats active, {s.chats_inactive} inactive; "
            f"{s.subscriptions} subscriptions",
        ),
        tr(
            lang,
            f"待发提醒：现在应发 {s.owed_now} 条，延后 {s.postponed} 条"
            f"（Telegram 要求等待的聊天 {view.chats_held} 个）",
            f"alerts owed now: {s.owed_now}; postponed: {s.postponed} "
            f"(chats Telegram asked us to wait for: {view.chats_held})",
        ),
    ]
    for job, (zh, en) in JOB_NAMES.items():
        tick = view.ticks.get(job)
        name = tr(lang, zh, en)
        if tick is None:
            if job != "backup":
                lines.append(tr(lang, f"{name}：启动后尚未运行", f"{name}: no tick since start"))
            continue
        at, done = tick
        did = ", ".join(
            f"{tr(lang, *RESULT_NAMES.get(k, (k, k)))} {v}" for k, v in sorted(done.items())
        ) or tr(lang, "无", "nothing")
        lines.append(
            tr(lang, f"{name}：上次 {esc(at)}，{esc(did)}", f"{name}: last {esc(at)}, {esc(did)}")
        )
    if view.zone_cards_seconds is not None:
        lines.append(
            tr(
                lang,
                f"园区卡片：已按当前数据备好 {view.zone_cards} 张"
                f"（用时 {view.zone_cards_seconds:.1f} 秒）",
                f"zone cards: {view.zone_cards} prepared for the current facts "
                f"(in {view.zone_cards_seconds:.1f} s)",
            )
        )
    else:
        lines.append(
            tr(
                lang,
                f"园区卡片：准备中，已有 {view.zone_cards} 张（其余在查询时生成）",
                f"zone cards: being prepared, {view.zone_cards} so far "
                "(the others are made when asked)",
            )
        )
    errors = ", ".join(f"{esc(k)} {v}" for k, v in sorted(view.errors.items()))
    lines.append(
        tr(lang, "24 小时内的错误：", "errors in the last 24 h: ")
        + (errors or tr(lang, "无", "none"))
    )
    lines.append(tr(lang, f"数据库大小 {_size(s.size_bytes)}", f"database {_size(s.size_bytes)}"))
    if s.last_backup:
        at, _, where = s.last_backup.partition(" ")
        lines.append(
            tr(lang, f"上次备份 {esc(at)}：{esc(where)}", f"last backup {esc(at)}: {esc(where)}")
        )
    else:
        lines.append(tr(lang, "尚无备份记录", "no backup recorded"))
    return "\n".join(lines)


def users_page(
    entries: list[AccessEntry], page: int, pages: int, total: int, lang: Lang, timezone: str
) -> str:
    if not entries:
        return tr(
            lang,
            "还没有用户或群申请或被审批过。",
            "No user or group has asked or been decided yet.",
        )
    lines = [
        tr(
            lang,
            f"<b>用户和群</b>（共 {total} 个，第 {page + 1}/{pages} 页，时间为 {esc(timezone)}）",
            f"<b>Users and groups</b> ({total}, page {page + 1}/{pages}; times in {esc(timezone)})",
        )
    ]
    for e in entries:
        who = tr(lang, "群", "group") if e.kind == "group" else tr(lang, "用户", "user")
        name = f" {esc(e.name[:40])}" if e.name else ""
        state = tr(lang, *STATUS_NAMES.get(e.status, (e.status, e.status)))
        when = f" {esc(e.at)}" if e.at else ""
        by = tr(lang, f"，由 <code>{e.by}</code>", f" by <code>{e.by}</code>") if e.by else ""
        lines.append(f"{who} <code>{e.id}</code>{name} — {esc(state)}{when}{by}")
    return "\n".join(lines)


def page_button(lang: Lang, forward: bool) -> str:
    return tr(lang, "下一页 ›", "Next ›") if forward else tr(lang, "‹ 上一页", "‹ Previous")


def private_only(lang: Lang) -> str:
    return tr(
        lang, "请在与我的私聊中使用这个命令。", "Please use this command in a private chat with me."
    )
