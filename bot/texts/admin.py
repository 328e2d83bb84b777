"""What the bot says about access, admin commands, adding and editing facts, import and export.

Both languages stand side by side; every stored or typed string is escaped here.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.import_files import EVENT_ZH, SIGNING_ZH, RowError
from bot.core.importing import ImportResult
from bot.core.records import AuditEntry
from bot.texts import admin_en
from bot.texts.common import Lang, clip, esc, tr

# ---- access -------------------------------------------------------------------------------


def admin_only(lang: Lang) -> str:
    return tr(lang, "此命令仅限管理员使用。", "This command is for admins only.")


def need_access(lang: Lang) -> str:
    return tr(
        lang,
        "本机器人仅限已批准的用户使用。发送 /start 申请使用权限。",
        "This bot is for approved users only. Send /start to ask for access.",
    )


def request_sent(lang: Lang) -> str:
    return tr(
        lang,
        "已收到你的使用申请，正在等待管理员审批；批准后会通知你。",
        "Your request for access is pending; an admin will decide and you will be told.",
    )


def still_pending(lang: Lang) -> str:
    return tr(
        lang,
        "你的申请仍在等待管理员审批。",
        "Your request is still waiting for an admin's decision.",
    )


def access_denied(lang: Lang) -> str:
    return tr(
        lang,
        "你的使用申请未获批准。如有疑问请联系管理员。",
        "Your request for access was declined. Ask an admin if you think this is a mistake.",
    )


def access_approved(lang: Lang) -> str:
    return tr(
        lang,
        "你的使用申请已获批准。发送 /help 查看可用命令。",
        "Your request was approved. Send /help to see what the bot can do.",
    )


def group_not_approved(lang: Lang) -> str:
    return tr(
        lang,
        "本群尚未获准使用此机器人：需由已批准的用户或管理员把机器人拉进群。",
        "This group may not use the bot yet: an approved user or an admin must add it.",
    )


def _who(user_id: int, name: str | None, username: str | None) -> str:
    handle = f" @{esc(username)}" if username else ""
    return f"{esc(clip(name or '?', 60))}{handle} (<code>{user_id}</code>)"


def access_card(lang: Lang, user_id: int, name: str | None, username: str | None) -> str:
    who = _who(user_id, name, username)
    return tr(lang, f"🔑 使用申请：{who}", f"🔑 Access request: {who}")


def access_buttons(lang: Lang) -> tuple[str, str]:
    return tr(lang, "✅ 批准", "✅ Approve"), tr(lang, "⛔ 拒绝", "⛔ Deny")


def access_decided(
    lang: Lang, user_id: int, name: str | None, username: str | None, approved: bool, by: str
) -> str:
    who = _who(user_id, name, username)
    if approved:
        return tr(lang, f"✅ 已批准 {who}（{esc(by)}）", f"✅ Approved {who} (by {esc(by)})")
    return tr(lang, f"⛔ 已拒绝 {who}（{esc(by)}）", f"⛔ Denied {who} (by {esc(by)})")


def already_decided(lang: Lang, status: str) -> str:
    if status == "approved":
        return tr(lang, "该用户已获批准。", "That user is already approved.")
    return tr(lang, "该申请已处理。", "That request was already decided.")


def access_revoked(lang: Lang) -> str:
    return tr(
        lang,
        "管理员已撤销你的使用权限。如有疑问请联系管理员。",
        "An admin has withdrawn your access. Ask an admin if you think this is a mistake.",
    )


def access_usage(lang: Lang, command: str) -> str:
    if command == "approve":
        what = tr(
            lang, "批准用户使用本机器人（被拒绝过的也可以）", "let a user in (also after a denial)"
        )
    else:
        what = tr(lang, "撤销用户的使用权限", "withdraw a user's access")
    return tr(
        lang,
        f"用法：/{command} 用户ID，或回复该用户的消息并发送 /{command}：{what}。",
        f"Usage: /{command} USER_ID, or reply to the user's message with /{command}: {what}.",
    )


def access_unchanged(lang: Lang, user_id: int, status: str) -> str:
    if status == "approved":
        return tr(
            lang,
            f"<code>{user_id}</code> 已获批准，无需再批准。",
            f"<code>{user_id}</code> is already approved.",
        )
    return tr(
        lang,
        f"<code>{user_id}</code> 没有使用权限，无需撤销。",
        f"<code>{user_id}</code> has no access to withdraw.",
    )


def access_changed(lang: Lang, user_id: int, status: str, before: str, told: bool) -> str:
    who = f"<code>{user_id}</code>"
    if status == "approved":
        text = tr(lang, f"✅ 已批准 {who}。", f"✅ Approved {who}.")
        if before == "denied":
            text = tr(
                lang, f"✅ 已批准 {who}（此前被拒绝）。", f"✅ Approved {who} (denied before)."
            )
    elif before == "pending":
        text = tr(lang, f"⛔ 已拒绝 {who} 的申请。", f"⛔ Declined the request of {who}.")
    else:
        text = tr(lang, f"⛔ 已撤销 {who} 的使用权限。", f"⛔ Withdrew the access of {who}.")
    if told:
        return text + tr(lang, "已通知对方。", " They were told.")
    return text + tr(
        lang,
        "未能通知对方（对方可能从未打开与机器人的对话）。",
        " They could not be told (they may never have opened a chat with the bot).",
    )


def cannot_revoke_admin(lang: Lang, user_id: int) -> str:
    return tr(
        lang,
        f"<code>{user_id}</code> 是管理员，总能使用机器人；请先 /demote"
        "（BOT_ADMIN_IDS 中配置的管理员只能在配置中移除）。",
        f"<code>{user_id}</code> is an admin and always has access; /demote them first "
        "(admins in BOT_ADMIN_IDS can only be removed there).",
    )


# ---- roles --------------------------------------------------------------------------------


def role_usage(lang: Lang, command: str) -> str:
    return tr(
        lang,
        f"用法：/{command} 用户ID，或在群里回复该用户的消息并发送 /{command}。",
        f"Usage: /{command} USER_ID, or reply to the user's message with /{command}.",
    )


def promoted(lang: Lang, user_id: int, already: bool) -> str:
    if already:
        return tr(lang, f"<code>{user_id}</code> 已是管理员。", f"{user_id} is already an admin.")
    return tr(
        lang,
        f"已将 <code>{user_id}</code> 设为管理员。",
        f"<code>{user_id}</code> is now an admin.",
    )


def demoted(lang: Lang, user_id: int, was_admin: bool) -> str:
    if not was_admin:
        return tr(lang, f"<code>{user_id}</code> 不是管理员。", f"{user_id} is not an admin.")
    return tr(
        lang,
        f"已取消 <code>{user_id}</code> 的管理员身份。",
        f"<code>{user_id}</code> is no longer an admin.",
    )


def cannot_demote_configured(lang: Lang, user_id: int) -> str:
    return tr(
        lang,
        f"<code>{user_id}</code> 是 BOT_ADMIN_IDS 中配置的管理员，只能在配置中移除。",
        f"<code>{user_id}</code> is an admin by BOT_ADMIN_IDS; remove it there.",
    )


# ---- adding and editing -------------------------------------------------------------------

FIELD_NAMES: dict[str, tuple[str, str]] = {
    "zone": ("园区", "zone"),
    "company": ("企业", "company"),
    "project": ("项目名称", "project name"),
    "sector": ("行业", "sector"),
    "stage": ("阶段", "stage"),
    "date": ("日期", "date"),
    "investment": ("总投资", "total investment"),
    "registered_capital": ("注册资本", "registered capital"),
    "land_mu": ("用地（亩）", "land (mu)"),
    "annual_output": ("达产产值", "output at full production"),
    "note": ("备注", "note"),
    "source": ("来源", "source"),
    "title": ("活动名称", "event title"),
    "kind": ("类型", "kind"),
    "figures": ("数据", "figures"),
}

_EXAMPLES: dict[str, tuple[str, str]] = {
    "zone": ("例如：昆山、kunshan、嘉兴高新区", "e.g. 昆山, kunshan, 嘉兴高新区"),
    "company": ("企业名称，例如：德加能源", "company name, e.g. 德加能源"),
    "project": ("例如：固态电池总部项目", "e.g. 固态电池总部项目"),
    "sector": ("国家领域或园区标签，例如：新能源、固态电池", "an area or label, e.g. 新能源"),
    "stage": ("选择阶段，或输入：签约、开工、signed", "pick one, or type signed, construction"),
    "date": ("例如：2025-03、2025-03-14、2025年3月", "e.g. 2025-03 (a month) or 2025-03-14"),
    "investment": (
        "例如：3亿、3000万、1.5亿元",
        "e.g. 300 million, 1.5 billion, CNY 30 million, US$5 million",
    ),
    "registered_capital": ("例如：5000万、1亿元", "e.g. 50 million, CNY 100 million"),
    "land_mu": ("亩数，例如：150 或 约150亩", "in mu, e.g. 150 mu or about 150 mu"),
    "annual_output": ("例如：10亿、5000万元", "e.g. 1 billion, 50 million yuan"),
    "note": ("一句话说明", "one line"),
    "source": (
        "信息来源，例如报纸名称和日期；跳过则记为你本人录入",
        "where this came from, e.g. a paper and date; skip to record it as entered by you",
    ),
    "title": ("例如：第九届祖冲之杯北京赛", "e.g. 第九届祖冲之杯北京赛"),
    "kind": ("选择类型", "pick a kind"),
    "figures": (
        "例如：参赛项目=21个; 落地=6个",
        "Chinese name, optional English name after |, then the value, e.g. "
        "参赛项目|entries=21; 落地|landed=6",
    ),
}

_ERRORS: dict[str, tuple[str, str]] = {
    "required": ("必填", "is required"),
    "zone_unknown": ("找不到这个园区", "no zone by that name"),
    "zone_ambiguous": ("园区名称有歧义", "more than one zone has that name"),
    "stage": ("无法识别的阶段", "unknown stage"),
    "kind": ("无法识别的活动类型", "unknown event kind"),
    "date": ("无法识别的日期", "not a valid date"),
    "amount": ("无法识别的金额", "not an amount"),
    "negative": ("不能为负数", "cannot be negative"),
    "number": ("无法识别的数字", "not a number"),
    "land_unit": ("须以亩为单位", "must be given in mu"),
    "figures": ("数据格式应为 名称=数值; 名称=数值", "figures must be name=value; name=value"),
    "duplicate": ("与前面的行重复", "repeats an earlier row"),
    "invalid": ("取值无效", "is not valid"),
}


def field_name(lang: Lang, key: str) -> str:
    zh, en = FIELD_NAMES.get(key, (key, key))
    return tr(lang, zh, en)


def add_usage(lang: Lang) -> str:
    return tr(
        lang,
        "要添加什么？也可以直接发送 /add signing 或 /add event。",
        "What would you like to add? You can also send /add signing or /add event.",
    )


def kind_buttons(lang: Lang) -> tuple[str, str]:
    return tr(lang, "签约项目", "Signing"), tr(lang, "活动", "Event")


def ask(lang: Lang, key: str, step: int, total: int, optional: bool) -> str:
    name = field_name(lang, key)
    example = tr(lang, *_EXAMPLES.get(key, ("", "")))
    skip = tr(lang, "（可跳过）", " (optional)") if optional else ""
    cancel = tr(lang, "随时发送 /cancel 取消。", "Send /cancel at any time to stop.")
    return f"<b>{step}/{total} {esc(name)}</b>{skip}\n{esc(example)}\n<i>{cancel}</i>"


def ask_edit(lang: Lang, key: str) -> str:
    name = field_name(lang, key)
    example = tr(lang, *_EXAMPLES.get(key, ("", "")))
    return tr(lang, f"输入新的<b>{esc(name)}</b>：", f"Type the new <b>{esc(name)}</b>:") + (
        f"\n{esc(example)}"
    )


def reask(lang: Lang, key: str, code: str, value: str, detail: str = "") -> str:
    """A typed value that cannot be used: what was wrong, then the question again."""
    name = esc(field_name(lang, key))
    example = esc(tr(lang, *_EXAMPLES.get(key, ("", ""))))
    if lang != "zh":
        example = example[:1].upper() + example[1:]  # it starts a line of its own
    if code == "required":
        return tr(
            lang, f"{name}为必填项，请输入。\n{example}", f"The {name} is required.\n{example}"
        )
    reason = tr(lang, *_ERRORS.get(code, ("无效", "is not valid")))
    if lang != "zh":
        reason = reason.removeprefix("is ")
    reason += _detail(lang, code, detail)
    if value:
        shown = f"“{esc(clip(value, 60))}”"
        return tr(
            lang,
            f"{shown}：{reason}。请重新输入{name}。\n{example}",
            f"{shown}: {reason}. Please type the {name} again.\n{example}",
        )
    return tr(
        lang,
        f"{name}{reason}。请重新输入。\n{example}",
        f"The {name} is {reason}. Please type it again.\n{example}",
    )


def skip_button(lang: Lang) -> str:
    return tr(lang, "跳过", "Skip")


def save_button(lang: Lang) -> str:
    return tr(lang, "✅ 保存", "✅ Save")


def cancel_button(lang: Lang) -> str:
    return tr(lang, "取消", "Cancel")


def draft_summary(
    lang: Lang, kind: str, values: dict[str, str], record_id: str | None = None
) -> str:
    """The values entered so far, one per line, for the confirmation step."""
    heads = {
        ("signing", None): ("新签约项目", "New signing"),
        ("event", None): ("新活动", "New event"),
    }
    head = tr(lang, *heads.get((kind, None), ("", "")))
    if record_id is not None:
        head = tr(lang, f"修改 {record_id}", f"Editing {record_id}")
    keys = SIGNING_ZH if kind == "signing" else EVENT_ZH
    lines = [f"<b>{esc(head)}</b>"]
    for key in keys:
        value = values.get(key)
        shown = esc(clip(value, 200)) if value else "—"
        lines.append(f"{esc(field_name(lang, key))}{tr(lang, '：', ': ')}{shown}")
    lines.append(
        tr(
            lang,
            "确认无误请点“保存”；点字段名可修改。",
            "Press Save if this is right; press a field to change it.",
        )
    )
    return "\n".join(lines)


def saved(lang: Lang, kind: str, record_id: str, action: str, new_labels: Sequence[str]) -> str:
    what = tr(lang, "项目", "project") if kind == "signing" else tr(lang, "活动", "event")
    if action == "new":
        text = tr(lang, f"已保存新{what}", f"Saved the new {what}")
    elif action == "updated":
        text = tr(lang, f"已更新{what}", f"Updated the {what}")
    else:
        text = tr(lang, f"{what}没有变化", f"The {what} is unchanged")
    text += (
        f" <code>{esc(record_id)}</code>。" if lang == "zh" else f" <code>{esc(record_id)}</code>."
    )
    if new_labels:
        labels = "、".join(esc(x) for x in new_labels)
        text += tr(lang, f"\n新增行业标签：{labels}", f"\nNew sector labels: {labels}")
    return text


def deleted_name_taken(lang: Lang, record_id: str) -> str:
    return tr(
        lang,
        f"同名记录 <code>{esc(record_id)}</code> 已被删除，未保存。请换一个名称。",
        f"A deleted record <code>{esc(record_id)}</code> has that name; nothing was saved. "
        "Use another name.",
    )


def cancelled(lang: Lang) -> str:
    return tr(lang, "已取消，没有保存任何内容。", "Cancelled; nothing was saved.")


def timed_out(lang: Lang) -> str:
    return tr(
        lang,
        "长时间没有回复，录入已取消，没有保存任何内容。",
        "No answer for a while, so the entry was cancelled; nothing was saved.",
    )


def stale_button(lang: Lang) -> str:
    return tr(lang, "这个按钮已失效。", "That button is no longer active.")


def edit_usage(lang: Lang, command: str) -> str:
    return tr(
        lang,
        f"用法：/{command} 项目或活动的名称（或编号），例如 /{command} 德加能源固态电池总部项目",
        f"Usage: /{command} the project's or event's name (or id), "
        f"e.g. /{command} 德加能源固态电池总部项目",
    )


def not_found(lang: Lang, record_id: str, choices: Sequence[tuple[str, str]] = ()) -> str:
    """No record by that id or name (as typed, whole); records whose names hold some of its
    words are listed with their ids to type."""
    typed = esc(clip(record_id, 120))
    if not choices:
        return tr(lang, f"没有找到记录 <code>{typed}</code>。", f"No record <code>{typed}</code>.")
    text = tr(
        lang,
        f"没有正好叫 <code>{typed}</code> 的记录。是不是下面这些？请用编号指定：",
        f"No record is named exactly <code>{typed}</code>. Did you mean one of these? Type its id:",
    )
    if choices:
        for choice_id, title in choices:
            text += f"\n· {esc(clip(title, 80))} <code>{esc(choice_id)}</code>"
    return text


def confirm_delete(lang: Lang, kind: str, record_id: str, name: str) -> str:
    what = tr(lang, "项目", "project") if kind == "project" else tr(lang, "活动", "event")
    return tr(
        lang,
        f"确定删除{what} <code>{esc(record_id)}</code>「{esc(clip(name, 80))}」？"
        "删除后不再显示，但修改记录会保留。",
        f"Delete the {what} <code>{esc(record_id)}</code> “{esc(clip(name, 80))}”? "
        "It will no longer show; its history is kept.",
    )


def delete_buttons(lang: Lang) -> tuple[str, str]:
    return tr(lang, "🗑 删除", "🗑 Delete"), tr(lang, "保留", "Keep")


def deleted(lang: Lang, record_id: str) -> str:
    return tr(
        lang, f"已删除 <code>{esc(record_id)}</code>。", f"Deleted <code>{esc(record_id)}</code>."
    )


def kept(lang: Lang) -> str:
    return tr(lang, "未删除。", "Not deleted.")


# ---- history ------------------------------------------------------------------------------

_ACTIONS: dict[str, tuple[str, str]] = {
    "new": ("新增", "created"),
    "update": ("修改", "changed"),
    "delete": ("删除", "deleted"),
}
_VIA: dict[str, tuple[str, str]] = {
    "command": ("机器人命令", "bot command"),
    "file": ("文件导入", "file import"),
    "cli": ("命令行", "command line"),
    "seed": ("内置数据", "shipped facts"),
    "review": ("文章草稿审核", "article review"),
}


def _changes(before: str | None, after: str | None) -> list[tuple[str, Any, Any]]:
    old: dict[str, Any] = json.loads(before) if before else {}
    new: dict[str, Any] = json.loads(after) if after else {}
    return [
        (k, old.get(k), new.get(k)) for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)
    ]


def _short(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    return esc(clip(str(value), 80))


def history(
    lang: Lang,
    kind: str,
    record_id: str,
    entries: Sequence[AuditEntry],
    labels: Mapping[str, str] | None = None,
) -> str:
    """Who changed a record, when, how, and what; in English, field names and values in
    English where they have an English form (``labels``: sector label -> English name)."""
    if not entries:
        return tr(
            lang,
            f"<code>{esc(record_id)}</code> 没有修改记录。",
            f"No changes recorded for <code>{esc(record_id)}</code>.",
        )
    lines = [tr(lang, f"<b>{esc(record_id)} 的修改记录</b>", f"<b>History of {esc(record_id)}</b>")]
    for entry in entries:
        action = tr(lang, *_ACTIONS.get(entry.action, (entry.action, entry.action)))
        via = tr(lang, *_VIA.get(entry.via, (entry.via, entry.via)))
        who = (
            tr(lang, f"用户 {entry.actor_id}", f"user {entry.actor_id}")
            if entry.actor_id is not None
            else tr(lang, "系统", "system")
        )
        when = entry.at.replace("T", " ")[:16]
        lines.append(f"\n<b>{esc(when)}</b> · {esc(action)} · {esc(who)} · {esc(via)}")
        if entry.action == "update":
            for key, old, new in _changes(entry.before, entry.after)[:12]:
                if lang == "en":
                    english = labels or {}
                    lines.append(
                        f"  {esc(admin_en.history_field(key))}: "
                        f"{_short(admin_en.history_value(key, old, english) or old)} → "
                        f"{_short(admin_en.history_value(key, new, english) or new)}"
                    )
                else:
                    lines.append(f"  {esc(key)}: {_short(old)} → {_short(new)}")
    return "\n".join(lines)


# ---- import and export --------------------------------------------------------------------

_PROBLEMS: dict[str, tuple[str, str]] = {
    "too_big": (
        "文件超过 20 MB，机器人无法下载。请拆分成几个较小的文件。",
        "The file is larger than 20 MB, which bots cannot download. Split it into smaller files.",
    ),
    "empty": ("文件是空的。", "The file is empty."),
    "no_rows": ("文件只有表头，没有数据行。", "The file has headers but no rows."),
    "type": (
        "不支持的文件类型 {detail}。请发送 CSV、XLSX 或 YAML 文件（/template 获取模板）。",
        "Unsupported file type {detail}. Send a CSV, XLSX or YAML file (/template for templates).",
    ),
    "old_spreadsheet": (
        "不支持 {detail} 格式。请在 Excel 或 WPS 中“另存为” .xlsx 后再发送。",
        "{detail} files are not supported. "
        "Save the file as .xlsx in Excel or WPS and send it again.",
    ),
    "encoding": (
        "无法识别文件编码。请保存为 UTF-8：Excel 中“另存为 → CSV UTF-8（逗号分隔）”，"
        "WPS 中“另存为 → CSV，编码选 UTF-8”。",
        "Cannot tell the file's encoding. Save it as UTF-8: in Excel “Save As → CSV UTF-8 "
        "(Comma delimited)”, in WPS “Save As → CSV” with UTF-8 encoding.",
    ),
    "headers": (
        "找不到可识别的表头（需要 园区 和 项目，或 园区 和 名称）。首行是：{detail}。"
        "若文件是 GBK 编码，请另存为 UTF-8；/template 可获取模板。",
        "No known header row (zone and project, or zone and title). The first row is: {detail}. "
        "If the file is in GBK, save it as UTF-8; /template sends templates.",
    ),
    "missing_column": ("缺少必需的列：{detail}。", "A required column is missing: {detail}."),
    "mixed": (
        "同一个表里既有项目列又有活动列（{detail}）。签约项目和活动请分开放。",
        "One table has both project and event columns ({detail}). Keep signings and events apart.",
    ),
    "xlsx_broken": (
        "无法打开这个 XLSX 文件（可能已损坏或不是 Excel 文件）。",
        "Cannot open this XLSX file (it may be damaged or not an Excel file).",
    ),
    "csv": ("CSV 格式有误：{detail}。", "The CSV is malformed: {detail}."),
    "unpacked_too_big": (
        "这个 XLSX 解压后过大或压缩比异常（{detail}），为安全起见不予读取。"
        "请只保留数据表，另存为新的 .xlsx 后再发送。",
        "This XLSX unpacks to too much data or is compressed suspiciously well ({detail}), so "
        "it was not read. Keep only the data sheets, save as a new .xlsx and send it again.",
    ),
    "too_many_rows": (
        "行数过多（{detail}）：每个文件最多 200000 行，请拆分成几个文件。",
        "Too many rows ({detail}): at most 200000 rows a file; split it into several files.",
    ),
    "too_many_columns": (
        "列数过多（{detail}）：最多 64 列，请删去多余的列。",
        "Too many columns ({detail}): at most 64; delete the extra columns.",
    ),
    "cell_too_long": (
        "单元格内容过长（{detail}）：每格最多 5000 个字符。",
        "A cell is too long ({detail}): at most 5000 characters a cell.",
    ),
    "download": ("下载文件失败，请稍后重试。", "Could not download the file; please try again."),
    "disk": (
        "服务器暂存空间已满或不可写，文件未导入，库中数据没有任何改动。请稍后重试，或请运维检查磁盘。",
        "The server's scratch space is full or not writable: nothing was imported and the "
        "stored facts are unchanged. Try again later, or ask the operator to check the disk.",
    ),
}


def file_problem(code: str, detail: str, lang: Lang) -> str:
    zh, en = _PROBLEMS.get(code, ("无法读取这个文件。", "Cannot read this file."))
    template = tr(lang, zh, en)
    return esc(template).replace(
        "{detail}", f"<code>{esc(clip(detail, 200))}</code>" if detail else "?"
    )


def import_refused(lang: Lang) -> str:
    return admin_only(lang)


def import_started(lang: Lang, name: str) -> str:
    return tr(lang, f"正在检查 {esc(clip(name, 80))} …", f"Checking {esc(clip(name, 80))} …")


def import_progress(lang: Lang, name: str, done: int, total: int) -> str:
    return tr(
        lang,
        f"正在检查 {esc(clip(name, 80))}：{done}/{total} 行",
        f"Checking {esc(clip(name, 80))}: {done}/{total} rows",
    )


def _detail(lang: Lang, code: str, detail: str) -> str:
    """The bracketed detail of an error: the earlier row, the zones it could be, and so on."""
    if not detail:
        return ""
    if code == "duplicate":
        return tr(lang, f"（第 {esc(detail)} 行）", f" (row {esc(detail)})")
    if code == "zone_ambiguous":
        return tr(lang, f"（可能是：{esc(detail)}）", f" (could be: {esc(detail)})")
    if code == "zone_unknown":
        return tr(lang, f"（相近：{esc(detail)}）", f" (close: {esc(detail)})")
    return tr(lang, f"（{esc(clip(detail, 120))}）", f" ({esc(clip(detail, 120))})")


def row_error(lang: Lang, error: RowError) -> str:
    sheet = f"[{esc(error.sheet)}] " if error.sheet else ""
    where = tr(lang, f"第 {error.row} 行", f"row {error.row}")
    name = field_name(lang, error.field)
    reason = tr(lang, *_ERRORS.get(error.code, ("无效", "is not valid")))
    value = f" “{esc(clip(error.value, 60))}”" if error.value else ""
    detail = _detail(lang, error.code, error.detail)
    return (
        f"{sheet}{where} · {esc(name)}{value}：{reason}{detail}"
        if lang == "zh"
        else (f"{sheet}{where}, {esc(name)}{value}: {reason}{detail}")
    )


def import_failed(lang: Lang, name: str, result: ImportResult) -> str:
    count = result.error_count
    lines = [
        tr(
            lang,
            f"❌ {esc(clip(name, 80))}：发现 {count} 处错误，<b>没有写入任何内容</b>。"
            "改正后请重新发送。",
            f"❌ {esc(clip(name, 80))}: {count} error(s); <b>nothing was written</b>. "
            "Fix them and send the file again.",
        )
    ]
    lines += [row_error(lang, e) for e in result.errors[:40]]
    lines += [esc(clip(p, 300)) for p in result.problems[:40]]
    shown = min(len(result.errors), 40) + min(len(result.problems), 40)
    if count > shown:
        lines.append(tr(lang, f"……另有 {count - shown} 处错误", f"… and {count - shown} more"))
    return "\n".join(lines)


def import_done(
    lang: Lang,
    name: str,
    result: ImportResult,
    new: int,
    updated: int,
    unchanged: int,
    skipped: Sequence[str],
) -> str:
    lines = [
        tr(
            lang,
            f"✅ 已导入 {esc(clip(name, 80))}（{result.rows} 行）："
            f"新增 {new}，更新 {updated}，未变 {unchanged}。",
            f"✅ Imported {esc(clip(name, 80))} ({result.rows} rows): "
            f"{new} new, {updated} updated, {unchanged} unchanged.",
        )
    ]
    if result.encoding and result.encoding not in ("utf-8",):
        lines.append(
            tr(
                lang,
                f"文件按 {esc(result.encoding.upper())} 编码读取；以后建议保存为 UTF-8。",
                f"The file was read as {esc(result.encoding.upper())}; UTF-8 is preferred.",
            )
        )
    if result.new_labels:
        labels = "、".join(esc(x) for x in result.new_labels[:30])
        lines.append(
            tr(
                lang,
                f"新的行业标签（已保留，尚未对应国家领域）：{labels}",
                f"New sector labels (kept, not yet mapped to a national area): {labels}",
            )
        )
    if result.new_companies:
        companies = "、".join(esc(clip(x, 40)) for x in result.new_companies[:30])
        count = max(result.new_company_count, len(result.new_companies))
        more = count - min(30, len(result.new_companies))
        tail = tr(lang, f" 等 {count} 家", f" and {more} more") if more > 0 else ""
        lines.append(tr(lang, f"新增企业：{companies}{tail}", f"New companies: {companies}{tail}"))
    if skipped:
        ids = ", ".join(f"<code>{esc(x)}</code>" for x in skipped[:20])
        lines.append(
            tr(lang, f"已删除的记录未恢复：{ids}", f"Deleted records were left deleted: {ids}")
        )
    if result.ignored_columns:
        cols = "、".join(esc(clip(c, 30)) for c in result.ignored_columns[:20])
        lines.append(tr(lang, f"未使用的列：{cols}", f"Columns not used: {cols}"))
    return "\n".join(lines)


def export_caption(lang: Lang, title_zh: str, title_en: str, projects: int, events: int) -> str:
    """``title_zh``/``title_en``: the zone or sector exported, empty for everything."""
    title = tr(lang, title_zh, title_en or title_zh)
    what = esc(clip(title, 60)) if title else tr(lang, "全部", "everything")
    return tr(
        lang,
        f"导出（{what}）：{projects} 个项目，{events} 项活动。",
        f"Export ({what}): {projects} projects, {events} events.",
    )


def export_scope_error(lang: Lang, code: str, what: str, choices: Sequence[str]) -> str:
    shown = "、".join(esc(c) for c in choices[:6])
    if code == "ambiguous":
        return tr(
            lang,
            f"“{esc(clip(what, 40))}”有多个匹配：{shown}。请写得更具体。",
            f"“{esc(clip(what, 40))}” matches several: {shown}. Please be more specific.",
        )
    hint = tr(lang, f"相近的有：{shown}", f"Close: {shown}") if choices else ""
    return tr(
        lang,
        f"找不到园区或行业“{esc(clip(what, 40))}”。{hint}",
        f"No zone or sector “{esc(clip(what, 40))}”. {hint}",
    ).strip()


def template_caption(lang: Lang) -> str:
    return tr(
        lang,
        "导入模板：表头中英文均可；一个文件只放签约项目或只放活动。填好后直接发给我。",
        "Import templates: Chinese or English headers; one file holds signings or events. "
        "Fill one in and send it to me.",
    )


# ---- the command line (python -m bot import): the same words, plain text, in English ------


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def cli_file_problem(name: str, code: str, detail: str) -> str:
    """A file the CLI cannot read, as the bot words it, without HTML."""
    return f"{name}: {_plain(clip(file_problem(code, detail, 'en'), 500))}"


def cli_row_errors(errors: Sequence[RowError]) -> list[str]:
    """Each bad cell of a file, as the bot words it, without HTML."""
    return [_plain(row_error("en", e)) for e in errors]
