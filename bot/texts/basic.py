"""Texts of /start, /help, /lang, unknown commands, errors and the command menu."""

from __future__ import annotations

from dataclasses import dataclass

from bot.texts.common import Lang, esc, tr


@dataclass(frozen=True)
class Command:
    name: str
    zh: str
    en: str
    example: str
    admin: bool = False
    example_en: str | None = None  # the example as an English reader would type it


# Every command, in menu order, with one example each. The menu (setMyCommands) and /help
# are both built from this list, so they cannot drift apart.
COMMANDS: tuple[Command, ...] = (
    Command("zone", "园区概况", "Zone profile", "/zone 昆山", example_en="/zone kunshan"),
    Command("zones", "全部园区", "All zones", "/zones"),
    Command(
        "sector",
        "行业的项目和活动",
        "Projects and events of a sector",
        "/sector 新能源",
        example_en="/sector new energy",
    ),
    Command("sectors", "全部行业", "All sectors", "/sectors"),
    Command(
        "project",
        "项目或企业详情",
        "A project or company in full",
        "/project 德加",
        example_en="/project dejia",
    ),
    Command(
        "search", "全文搜索", "Search everything", "/search 电池", example_en="/search battery"
    ),
    Command(
        "stats",
        "园区签约按行业统计图",
        "Chart of a zone's signings by sector",
        "/stats 昆山",
        example_en="/stats kunshan",
    ),
    Command(
        "subscribe",
        "订阅园区、行业或关键词",
        "Follow a zone, sector or keyword",
        "/subscribe zone 昆山",
        example_en="/subscribe zone kunshan",
    ),
    Command(
        "unsubscribe",
        "取消订阅",
        "Stop following",
        "/unsubscribe 昆山",
        example_en="/unsubscribe kunshan",
    ),
    Command("subscriptions", "本聊天的订阅", "This chat's subscriptions", "/subscriptions"),
    Command("alerts", "即时提醒方式", "How alerts arrive", "/alerts instant"),
    Command("manage", "在私聊中管理群的订阅", "Manage a group's subscriptions here", "/manage"),
    Command("digest", "定时摘要", "Scheduled digest", "/digest 09:00"),
    Command("timezone", "本聊天的时区", "This chat's time zone", "/timezone Asia/Shanghai"),
    Command("lang", "界面语言", "Language", "/lang en"),
    Command("help", "帮助", "Help", "/help"),
    Command("add", "添加签约项目或活动", "Add a signing or event", "/add signing", admin=True),
    Command(
        "edit",
        "修改记录",
        "Edit a record",
        "/edit 德加能源固态电池总部项目",
        admin=True,
        example_en="/edit Dejia Energy solid-state battery headquarters project",
    ),
    Command(
        "delete",
        "删除记录",
        "Delete a record",
        "/delete 德加能源固态电池总部项目",
        admin=True,
        example_en="/delete Dejia Energy solid-state battery headquarters project",
    ),
    Command("template", "导入模板", "Import templates", "/template", admin=True),
    Command(
        "review",
        "审核文章提取的草稿（发文章、链接或文件给我即可提取）",
        "Review drafts from articles (send me an article, a link or a file)",
        "/review",
        admin=True,
    ),
    Command(
        "export",
        "导出表格",
        "Export spreadsheets",
        "/export 昆山",
        admin=True,
        example_en="/export kunshan",
    ),
    Command(
        "history",
        "记录的修改历史",
        "A record's change history",
        "/history 德加能源固态电池总部项目",
        admin=True,
        example_en="/history Dejia Energy solid-state battery headquarters project",
    ),
    Command("promote", "设为管理员", "Make a user an admin", "/promote 123456789", admin=True),
    Command("demote", "取消管理员", "Remove an admin", "/demote 123456789", admin=True),
    Command("approve", "批准用户使用", "Let a user in", "/approve 123456789", admin=True),
    Command(
        "revoke", "撤销用户的使用权限", "Withdraw a user's access", "/revoke 123456789", admin=True
    ),
    Command("status", "运行状态", "Health of the bot", "/status", admin=True),
    Command("users", "用户和群的审批", "Approved, pending, revoked users", "/users", admin=True),
)


def menu(lang: Lang, admin: bool = False) -> list[tuple[str, str]]:
    """(command, description) pairs for setMyCommands."""
    return [(c.name, tr(lang, c.zh, c.en)) for c in COMMANDS if admin or not c.admin]


def start(lang: Lang, first_name: str | None) -> str:
    name = esc(first_name) if first_name else tr(lang, "您", "there")
    return tr(
        lang,
        f"您好，{name}！我是<b>招商助手</b>，为高新区、园区的招商同事查园区、行业、项目和活动，"
        "并按您的订阅推送新签约和新活动。\n\n"
        "试试：\n/zone 昆山 — 园区概况\n/sector 新能源 — 行业项目\n/search 电池 — 全文搜索\n"
        "/subscribe zone 昆山 — 订阅新签约提醒\n\n/help 查看全部命令，/lang en 切换英文。",
        f"Hello, {name}! I am <b>招商助手</b> (Investment Promotion Assistant). I look up "
        "high-tech zones, sectors, projects and events for investment-promotion staff, and "
        "send you new signings and events in what you follow.\n\n"
        "Try:\n/zone kunshan — a zone's profile\n/sector new energy — a sector's projects\n"
        "/search battery — search everything\n/subscribe zone kunshan — alerts on new signings"
        "\n\n/help lists every command; /lang zh switches to Chinese.",
    )


def help_text(lang: Lang, admin: bool) -> str:
    lines = [tr(lang, "<b>命令</b>（每条一个示例）", "<b>Commands</b> (one example each)")]
    for command in COMMANDS:
        if not command.admin:
            lines.append(
                f"{esc(_example(command, lang))} — {esc(tr(lang, command.zh, command.en))}"
            )
    if admin:
        lines.append("")
        lines.append(tr(lang, "<b>管理员命令</b>", "<b>Admin commands</b>"))
        for command in COMMANDS:
            if command.admin:
                lines.append(
                    f"{esc(_example(command, lang))} — {esc(tr(lang, command.zh, command.en))}"
                )
    lines.append("")
    lines.append(
        tr(
            lang,
            "私聊中直接发园区名或关键词也可以查询；在群里请用命令或 @我。"
            "在任意聊天输入 @机器人用户名 昆山 可以分享园区卡片。",
            "In a private chat, just send a zone's name or any words to search; in groups use "
            "commands or mention me. Type @botname kunshan in any chat to share a zone card.",
        )
    )
    return "\n".join(lines)


def lang_set(lang: Lang) -> str:
    return tr(lang, "已切换为中文。", "Language set to English.")


def lang_usage(lang: Lang) -> str:
    return tr(lang, "用法：/lang zh 或 /lang en", "Usage: /lang zh or /lang en")


def unknown_command(lang: Lang, command: str) -> str:
    return tr(
        lang,
        f"没有 {esc(command)} 这个命令。发送 /help 查看全部命令。",
        f"There is no {esc(command)} command. Send /help for the list.",
    )


def internal_error(lang: Lang) -> str:
    return tr(
        lang,
        "抱歉，处理时出错了，已通知管理员。请稍后再试。",
        "Sorry, something went wrong; the admins have been told. Please try again later.",
    )


def storage_fault(lang: Lang, fault: str) -> str:
    """The reply when the database failed under a command: what happened, what to do."""
    zh, en = {
        "locked": (
            "数据库正忙（可能正在导入大量数据），这次操作没有执行。请稍等片刻再试。",
            "The database is busy (probably a large import); nothing was changed. "
            "Please try again in a moment.",
        ),
        "full": (
            "服务器磁盘已满，这次操作没有保存。已通知管理员。",
            "The server's disk is full; nothing was saved. The admins have been told.",
        ),
        "readonly": (
            "数据库目前是只读的，这次操作没有保存。已通知管理员。",
            "The database is read-only at the moment; nothing was saved. "
            "The admins have been told.",
        ),
        "corrupt": (
            "数据库文件损坏，无法完成这次操作。已通知管理员（需要从备份恢复）。",
            "The database file is damaged; this could not be done. The admins have been "
            "told (it needs a restore from a backup).",
        ),
    }.get(
        fault,
        (
            "读写数据库时出错（磁盘故障），这次操作没有完成。已通知管理员。",
            "Reading or writing the database failed (a disk error); this was not done. "
            "The admins have been told.",
        ),
    )
    return tr(lang, zh, en)


def admin_error_report(update_summary: str, error: str) -> str:
    return f"⚠️ <b>Error</b>\n{esc(update_summary[:300])}\n<code>{esc(error[:1500])}</code>"


def button_expired(lang: Lang) -> str:
    """callback answer (plain text) for a button whose data no handler knows (old or odd)."""
    return tr(lang, "这个按钮已失效。", "This button no longer works.")


def store_busy(lang: Lang) -> str:
    """The store stayed locked (a large import is being written): wait, nothing was lost."""
    return tr(
        lang,
        "数据库正忙（可能正在写入一个大文件），请稍等片刻再试一次。",
        "The database is busy (probably writing a large import); please try again in a moment.",
    )


def _example(command: Command, lang: Lang) -> str:
    return command.example_en if lang == "en" and command.example_en else command.example
