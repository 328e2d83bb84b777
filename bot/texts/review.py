"""What the bot says about articles sent to it and the review queue of their drafts.

Both languages side by side; every drafted, stored or typed string is escaped here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.records import EventKind, Stage
from bot.core.values import PartialDate
from bot.texts.common import Lang, clip, date, esc, event_kind, stage, tr
from storage.review_queries import ReviewArticle, ReviewItem

SECTION_NAMES: dict[str, tuple[str, str]] = {
    "projects": ("项目", "Project"),
    "events": ("活动", "Event"),
    "figures": ("园区数据", "Zone figure"),
    "companies": ("企业/机构", "Company"),
}
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "id": ("编号", "id"),
    "zone": ("园区", "zone"),
    "name_zh": ("名称", "name"),
    "name_en": ("英文名称", "English name"),
    "short_zh": ("简称", "short name"),
    "title_zh": ("标题", "title"),
    "company": ("企业", "company"),
    "companies": ("企业", "companies"),
    "kind": ("类别", "kind"),
    "sectors": ("产业", "sectors"),
    "sector": ("产业", "sector"),
    "stage": ("阶段", "stage"),
    "stage_date": ("日期", "date"),
    "date": ("日期", "date"),
    "period": ("期间", "period"),
    "value": ("数值", "value"),
    "total_investment": ("总投资", "total investment"),
    "registered_capital": ("注册资本", "registered capital"),
    "annual_output": ("年产值", "annual output"),
    "land_mu": ("占地（亩）", "land (mu)"),
    "floor_area_m2": ("建筑面积（平方米）", "floor area (m²)"),
    "highlights_zh": ("要点", "highlights"),
    "figures": ("数据", "figures"),
    "places": ("地点", "places"),
    "summary_zh": ("摘要", "summary"),
    "note": ("备注", "note"),
    "part_of": ("属于", "part of"),
    "founded": ("成立", "founded"),
    "event": ("所属活动", "event"),
    "stage_note": ("阶段依据", "stage from"),
    "date_note": ("日期说明", "date note"),
    "title": ("标题", "title"),
    "authors": ("作者", "authors"),
    "landed": ("已落地", "landed"),
    "landed_date": ("落地日期", "landed on"),
    "…": ("…", "…"),
}
HIDDEN = frozenset({"id", "source", "review", "learned_at", "name_en", "summary_en", "note_en"})
ARTICLE_ERRORS: dict[str, tuple[str, str]] = {
    "empty": ("文章是空的，没有可读的文字。", "The article is empty: there is no text to read."),
    "too_big": (
        "文件太大（上限 5 MB）。请只发送文章本身。",
        "The file is too large (5 MB at most). Send the article alone.",
    ),
    "too_long": (
        "文章太长（上限 10 万字）。请只发送一篇文章。",
        "The article is too long (100,000 characters at most). Send one article at a time.",
    ),
    "type": (
        "不支持这种文件。文章请发送 .txt、.md、.html、.docx 或 .pdf。",
        "This kind of file is not supported. Send articles as .txt, .md, .html, .docx or .pdf.",
    ),
    "encoding": (
        "无法识别文件的文字编码；请另存为 UTF-8。",
        "The file's text encoding could not be recognised; save it as UTF-8.",
    ),
    "no_text": (
        "文件里没有可读的文字（可能是扫描图片）。请发送带文字层的文件，或直接粘贴文章。",
        "The file holds no readable text (probably a scanned image). Send a file with text, "
        "or paste the article.",
    ),
    "corrupt": (
        "文件已损坏或格式不对，无法打开。",
        "The file is damaged or not what its name says; it could not be opened.",
    ),
    "encrypted": (
        "PDF 有密码保护，无法读取。",
        "The PDF is password-protected and cannot be read.",
    ),
    "not_article": (
        "这个页面不像一篇文章（正文太少）。请发送文章页面的链接，或直接粘贴正文。",
        "That page does not look like an article (too little text). Send the article's own "
        "page, or paste its text.",
    ),
    "bad_url": (
        "链接无效：只接受 http:// 或 https:// 开头的网址。",
        "That link is not valid: only http:// and https:// addresses are accepted.",
    ),
    "fetch_dns": ("找不到这个网站。", "That site could not be found."),
    "fetch_private": (
        "出于安全考虑，不读取内网、本机或链路本地地址的链接。",
        "For safety, links to private, loopback or link-local addresses are not fetched.",
    ),
    "fetch_timeout": (
        "网站响应超时。请稍后再试，或直接粘贴正文。",
        "The site did not answer in time. Try again later, or paste the text.",
    ),
    "fetch_status": (
        "网站返回错误（{detail}），未能取得文章。",
        "The site answered with an error ({detail}); the article could not be fetched.",
    ),
    "fetch_type": (
        "链接指向的不是网页或文档（{detail}）。",
        "The link is not a page or a document ({detail}).",
    ),
    "fetch_redirects": ("链接跳转次数太多。", "The link redirects too many times."),
    "fetch_failed": (
        "无法连接到该网站。请稍后再试，或直接粘贴正文。",
        "The site could not be reached. Try again later, or paste the text.",
    ),
    "download": (
        "无法从 Telegram 下载该文件，请重新发送。",
        "Could not download the file; send it again.",
    ),
    "expired": (
        "这个请求已过期（机器人可能已重启）。请重新发送文章。",
        "This request has expired (the bot may have restarted). Send the article again.",
    ),
}


def _title(lang: Lang, article: ReviewArticle, limit: int) -> str:
    return esc(clip(article.title or tr(lang, "（无标题）", "(untitled)"), limit))


def article_error(lang: Lang, code: str, detail: str = "") -> str:
    zh, en = ARTICLE_ERRORS.get(code, ARTICLE_ERRORS["fetch_failed"])
    return esc(tr(lang, zh, en).replace("{detail}", clip(detail, 40)))


def section_name(lang: Lang, section: str) -> str:
    return tr(lang, *SECTION_NAMES.get(section, (section, section)))


def field_name(lang: Lang, key: str) -> str:
    return tr(lang, *FIELD_NAMES.get(key, (key, key)))


# ---- intake ------------------------------------------------------------------------------


def ask_extract(lang: Lang, what: str, detail: str, chars: int = 0, parts: int = 1) -> str:
    """The question before anything is drafted: 'extract records from this article?'."""
    if what == "link":
        head = tr(lang, "收到链接：", "A link: ") + f"<code>{esc(clip(detail, 200))}</code>"
    elif what == "file":
        head = tr(lang, "收到文件：", "A file: ") + f"<b>{esc(clip(detail, 100))}</b>"
    elif what == "forward":
        head = tr(lang, "收到转发的文章", "A forwarded post") + (
            f"（{esc(clip(detail, 60))}）" if detail else ""
        )
    else:
        head = tr(lang, "收到一段长文字", "A long text")
    if chars:
        head += tr(
            lang,
            f"，共 {chars} 字" + (f"（{parts} 条消息）" if parts > 1 else ""),
            f", {chars} characters" + (f" ({parts} messages)" if parts > 1 else ""),
        )
    question = tr(
        lang,
        "从这篇文章提取记录草稿吗？草稿需要审核后才会入库。",
        "Extract draft records from this article? Drafts enter the store only after review.",
    )
    return f"{head}\n{question}"


def ask_buttons(lang: Lang) -> tuple[str, str]:
    return tr(lang, "提取记录", "Extract records"), tr(lang, "不用", "No")


def reading(lang: Lang) -> str:
    return tr(lang, "正在读取并提取……", "Reading and drafting…")


def declined(lang: Lang) -> str:
    return tr(lang, "好的，未提取。", "All right, nothing extracted.")


def nothing_found(lang: Lang) -> str:
    return tr(
        lang,
        "读完了这篇文章，但没有找到可起草的记录（项目、活动、园区数据）。未保存任何内容。",
        "The article was read, but no records (projects, events, zone figures) could be "
        "drafted from it. Nothing was saved.",
    )


def _counts(lang: Lang, counts: Mapping[str, int]) -> str:
    parts = [f"{section_name(lang, s)} {n}" for s, n in counts.items() if n]
    return tr(lang, "、", ", ").join(parts)


def drafted(lang: Lang, article: ReviewArticle, counts: Mapping[str, int], llm_note: bool) -> str:
    title = _title(lang, article, 80)
    total = sum(counts.values())
    text = tr(
        lang,
        f"已从《{title}》起草 {total} 条记录：{_counts(lang, counts)}。请逐条审核。",
        f"Drafted {total} records from “{title}”: {_counts(lang, counts)}. Review them one by one.",
    )
    if llm_note:
        text += "\n" + tr(
            lang,
            "（语言模型暂不可用，本次仅用内置规则。）",
            "(The language model was unavailable; the built-in rules drafted these.)",
        )
    return text


def already_queued(lang: Lang, article: ReviewArticle) -> str:
    title = _title(lang, article, 80)
    when = esc(article.created_at[:10])
    if article.pending:
        return tr(
            lang,
            f"这篇文章（《{title}》）已于 {when} 收到，还有 {article.pending} 条草稿待审核，"
            "不再重复起草。",
            f"This article (“{title}”) was received on {when}; {article.pending} drafts still "
            "wait for review. It is not drafted again.",
        )
    return tr(
        lang,
        f"这篇文章（《{title}》）已于 {when} 收到并审核完毕，不再重复起草。",
        f"This article (“{title}”) was received on {when} and fully reviewed; it is not "
        "drafted again.",
    )


def review_button(lang: Lang) -> str:
    return tr(lang, "开始审核", "Review now")


# ---- the queue ---------------------------------------------------------------------------


def queue(lang: Lang, articles: Sequence[ReviewArticle]) -> str:
    if not articles:
        return tr(lang, "没有待审核的文章。", "No articles wait for review.")
    head = tr(
        lang,
        f"待审核的文章（{len(articles)} 篇），点选一篇查看草稿：",
        f"Articles waiting for review ({len(articles)}); pick one to see its drafts:",
    )
    lines = [head]
    for article in articles:
        title, when, n = _title(lang, article, 60), esc(article.created_at[:10]), article.pending
        lines.append(
            tr(lang, f"• {title}：{n} 条待审（{when}）", f"• {title}: {n} pending ({when})")
        )
    return "\n".join(lines)


def queue_button(lang: Lang, article: ReviewArticle) -> str:
    title = clip(article.title or tr(lang, "（无标题）", "(untitled)"), 30)  # a button: plain
    return tr(lang, f"{title}（{article.pending} 条待审）", f"{title} ({article.pending} pending)")


def article_head(lang: Lang, article: ReviewArticle) -> str:
    title = _title(lang, article, 120)
    lines = [f"<b>{title}</b>"]
    meta = [m for m in (article.outlet, article.published) if m]
    if meta:
        lines.append(esc(" · ".join(meta)))
    if article.url:
        lines.append(f'<a href="{esc(article.url)}">{esc(clip(article.url, 80))}</a>')
    lines.append(
        tr(
            lang,
            f"草稿 {article.total} 条，待审核 {article.pending} 条。",
            f"{article.total} drafts, {article.pending} waiting for review.",
        )
    )
    return "\n".join(lines)


def accept_all_button(lang: Lang, pending: int) -> str:
    return tr(lang, f"全部接受（{pending}）", f"Accept all ({pending})")


def more_button(lang: Lang, rest: int) -> str:
    return tr(lang, f"显示其余 {rest} 条", f"Show the other {rest}")


def card_buttons(lang: Lang) -> tuple[str, str, str]:
    return tr(lang, "接受", "Accept"), tr(lang, "修改", "Edit"), tr(lang, "拒绝", "Reject")


def show_value(value: Any) -> str:
    """A drafted value as plain text (lists joined, event figures as name value)."""
    if isinstance(value, Mapping):
        name = value.get("name_zh") or value.get("label") or ""
        inner = value.get("value") or value.get("text") or ""
        return f"{name} {inner}".strip() or ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(show_value(v) for v in value)
    return str(value)


DATE_FIELDS = frozenset({"stage_date", "landed_date", "date", "period", "founded"})


def _field_value(lang: Lang, key: str, value: Any, names: Mapping[str, str]) -> str:
    """A drafted value as a reader says it: names for ids, 签约 for signed, 6月18日 for a date."""
    try:
        if key in ("zone", "company"):
            return names.get(str(value), show_value(value))
        if key == "companies" and isinstance(value, list | tuple):
            return "、".join(names.get(str(v), str(v)) for v in value)
        if key == "stage":
            return stage(Stage(str(value)), lang)
        if key == "kind":
            return event_kind(EventKind(str(value)), lang)
        if key in DATE_FIELDS:
            return date(PartialDate.parse(str(value)), lang)
    except ValueError:
        pass
    return show_value(value)


def card(
    lang: Lang,
    item: ReviewItem,
    names: Mapping[str, str],
    changes: Sequence[tuple[str, Any, Any]] | None,
    decided: str | None = None,
) -> str:
    """One draft record: its fields, the evidence for them, and what it would change."""
    record = item.record
    name = record.get("name_zh") or record.get("title_zh") or record.get("id") or ""
    kind = esc(section_name(lang, item.section))
    lines = [f"<b>{kind}</b> #{item.position}: <b>{esc(clip(str(name), 120))}</b>"]
    if item.target:
        lines.append(
            tr(
                lang,
                f"↻ 更新已有记录 <code>{esc(item.target)}</code>（不会新增重复记录）",
                f"↻ updates stored record <code>{esc(item.target)}</code> (no duplicate is added)",
            )
        )
    for key, value in record.items():
        if key in HIDDEN or key in ("name_zh", "title_zh") or value in (None, "", [], {}):
            continue
        shown = _field_value(lang, key, value, names)
        lines.append(f"{esc(field_name(lang, key))}：{esc(clip(shown, 300))}")
    if changes:
        lines.append(tr(lang, "<b>将修改：</b>", "<b>Would change:</b>"))
        for key, old, new in changes[:12]:
            before = show_value(old) if old not in (None, "", []) else tr(lang, "（空）", "(empty)")
            after = show_value(new)
            lines.append(
                f"• {esc(field_name(lang, key))}：{esc(clip(before, 80))} → {esc(clip(after, 80))}"
            )
    elif item.target and changes is not None:
        lines.append(
            tr(
                lang,
                "与已有记录一致，接受后不变。",
                "Same as the stored record; accepting changes nothing.",
            )
        )
    if item.evidence:
        lines.append(tr(lang, "<b>依据：</b>", "<b>Evidence:</b>"))
        seen: set[str] = set()
        for key, sentence in item.evidence.items():
            if sentence in seen:
                continue
            seen.add(sentence)
            label = ""
            if key:
                keys = [field_name(lang, k.strip()) for k in key.split(",") if k.strip()]
                label = esc(tr(lang, "、", ", ").join(dict.fromkeys(keys))) + "："
            lines.append(f"<i>{label}{esc(clip(sentence, 240))}</i>")
            if len(seen) >= 6:
                break
    if decided:
        lines.append(decided)
    return "\n".join(lines)


def decided_line(lang: Lang, status: str, who: str, record_id: str | None = None) -> str:
    if status == "accepted":
        rid = f" <code>{esc(record_id)}</code>" if record_id else ""
        return tr(lang, f"✅ 已接受{rid}（{esc(who)}）", f"✅ Accepted{rid} ({esc(who)})")
    return tr(lang, f"✖️ 已拒绝（{esc(who)}）", f"✖️ Rejected ({esc(who)})")


def already_decided(lang: Lang, status: str) -> str:
    if status == "accepted":
        return tr(lang, "这条草稿已被接受。", "This draft was already accepted.")
    if status == "rejected":
        return tr(lang, "这条草稿已被拒绝。", "This draft was already rejected.")
    return tr(lang, "这条草稿已不存在。", "This draft no longer exists.")


def accept_failed(lang: Lang, problems: Sequence[str]) -> str:
    shown = "\n".join(f"• {esc(clip(p, 200))}" for p in problems[:5])
    return tr(
        lang,
        f"无法接受这条草稿，请先修改：\n{shown}",
        f"This draft cannot be accepted as it is; edit it first:\n{shown}",
    )


def accepted_all(lang: Lang, accepted: int, failed: int, taken: int) -> str:
    text = tr(lang, f"已接受 {accepted} 条。", f"Accepted {accepted}.")
    if failed:
        text += tr(
            lang,
            f" {failed} 条有问题未接受，请逐条修改。",
            f" {failed} could not be accepted; edit them one by one.",
        )
    if taken:
        text += tr(lang, f" {taken} 条已由他人处理。", f" {taken} were decided by someone else.")
    return text


def edit_fields(lang: Lang) -> str:
    return tr(lang, "修改哪一项？", "Which field?")


def ask_value(lang: Lang, key: str, current: str) -> str:
    name = esc(field_name(lang, key))
    now = esc(clip(current, 200)) if current else tr(lang, "（空）", "(empty)")
    return tr(
        lang,
        f"输入新的<b>{name}</b>（现为：{now}）。发送 - 清空，/cancel 取消。",
        f"Type the new <b>{name}</b> (now: {now}). Send - to clear it, /cancel to stop.",
    )


def bad_value(lang: Lang, key: str, reason: str) -> str:
    return tr(
        lang,
        f"<b>{esc(field_name(lang, key))}</b>无法读取：{esc(clip(reason, 200))}。"
        "请重新输入，或 /cancel。",
        f"<b>{esc(field_name(lang, key))}</b> cannot be read: {esc(clip(reason, 200))}. "
        "Type it again, or /cancel.",
    )


def edit_cancelled(lang: Lang) -> str:
    return tr(lang, "已取消修改。", "Edit cancelled.")


def stale(lang: Lang) -> str:
    return tr(
        lang,
        "这个按钮已失效。发送 /review 查看待审核的草稿。",
        "That button has expired. Send /review to see pending drafts.",
    )
