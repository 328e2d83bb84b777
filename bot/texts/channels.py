"""Texts of /channel and /channels (workplace-IM group robots). URLs and secrets never
appear here: listings show the masked URL made by bot/core/robots.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.records import ChannelRecord
from bot.texts.common import Lang, esc, tr

KIND_ZH = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书"}
KIND_EN = {"wecom": "WeCom", "dingtalk": "DingTalk", "feishu": "Feishu"}
STATUS_ZH = {"active": "正常", "paused": "已暂停", "inactive": "已失效"}
STATUS_EN = {"active": "active", "paused": "paused", "inactive": "inactive"}


def kind_name(kind: str, lang: Lang) -> str:
    return tr(lang, KIND_ZH.get(kind, kind), KIND_EN.get(kind, kind))


def usage(lang: Lang) -> str:
    return tr(
        lang,
        "用法（仅限私聊）：\n/channel add wecom|dingtalk|feishu 网址 [secret=密钥] [name=名称]"
        " — 添加群机器人\n/channels — 列出\n/channel test 名称 — 发测试消息\n"
        "/channel rename 旧名 新名\n/channel remove 名称\n/channel takeover 名称 — 管理员接管\n"
        "添加后用 /manage 名称 设置它的订阅、提醒方式和摘要。",
        "Usage (private chat only):\n/channel add wecom|dingtalk|feishu URL [secret=SECRET] "
        "[name=NAME] — add a group robot\n/channels — list them\n/channel test NAME — send a "
        "test message\n/channel rename OLD NEW\n/channel remove NAME\n/channel takeover NAME — "
        "an admin takes it over\nThen /manage NAME sets its subscriptions, alerts and digest.",
    )


def private_only(lang: Lang, deleted: bool) -> str:
    tail = (
        tr(lang, "我已删除那条消息。", "I deleted that message.")
        if deleted
        else tr(
            lang,
            "请删除那条消息：它含有机器人的网址或密钥。",
            "Please delete that message: it holds the robot's URL or secret.",
        )
    )
    return tr(
        lang,
        f"群机器人只能在与我的私聊中管理。{tail}",
        f"Group robots are managed only in a private chat with me. {tail}",
    )


def bad_kind(lang: Lang) -> str:
    return tr(
        lang,
        "平台须是 wecom（企业微信）、dingtalk（钉钉）或 feishu（飞书）之一。",
        "The platform must be one of wecom, dingtalk or feishu.",
    )


def bad_url(kind: str, problem: str, lang: Lang) -> str:
    shapes = {
        "wecom": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
        "dingtalk": "https://oapi.dingtalk.com/robot/send?access_token=…",
        "feishu": "https://open.feishu.cn/open-apis/bot/v2/hook/…",
    }
    why = {
        "not_url": ("这不是一个网址", "that is not a URL"),
        "scheme": ("网址须以 https:// 开头", "the URL must start with https://"),
        "host": ("网址的主机不是该平台的", "the URL's host is not the platform's"),
        "shape": ("网址格式不对", "the URL does not have the webhook's shape"),
    }[problem]
    shape = esc(shapes.get(kind, ""))
    return tr(
        lang,
        f"无法添加：{why[0]}。{kind_name(kind, lang)}机器人的网址形如 {shape}",
        f"Not added: {why[1]}. A {kind_name(kind, lang)} robot's URL looks like {shape}",
    )


def bad_name(lang: Lang) -> str:
    return tr(
        lang,
        "名称须为 1–32 个字符，不含空格。",
        "A name is 1–32 characters without spaces.",
    )


def name_taken(name: str, lang: Lang) -> str:
    return tr(lang, f"名称「{esc(name)}」已被使用。", f"The name “{esc(name)}” is taken.")


def test_message(name: str, lang: Lang) -> str:
    """The test message, as Telegram HTML (rendered for the platform like any other)."""
    return tr(
        lang,
        f"<b>招商助手</b>\n这是一条测试消息：群机器人「{esc(name)}」已连接，订阅的提醒和摘要将发到这里。",
        f"<b>招商助手 (Zhaoshang assistant)</b>\nA test message: robot “{esc(name)}” is connected; "
        "alerts and digests it follows will arrive here.",
    )


def _reason(reason: str, lang: Lang) -> str:
    return {
        "key": tr(
            lang,
            "网址中的 key/令牌无效或机器人已被删除",
            "the key in the URL is wrong or the robot was deleted",
        ),
        "keyword": tr(
            lang,
            "消息不含机器人安全设置中的自定义关键词（可加关键词“招商”）",
            "the message lacks the robot's custom keyword (add the keyword 招商)",
        ),
        "ip": tr(
            lang,
            "本服务器的 IP 不在机器人的 IP 白名单中",
            "this server's IP is not on the robot's IP whitelist",
        ),
        "sign": tr(
            lang, "签名不对：请检查密钥（secret）", "the signature does not match: check the secret"
        ),
        "rate": tr(lang, "发送太频繁，请稍后再试", "too many messages; try again later"),
        "network": tr(
            lang,
            "连接不上平台或平台暂时出错，请稍后再试",
            "the platform could not be reached; try again later",
        ),
    }.get(reason, tr(lang, "平台拒绝了消息", "the platform refused the message"))


def add_failed(kind: str, reason: str, code: int | None, message: str, lang: Lang) -> str:
    answer = esc(f"{code} {message}".strip()) if code is not None or message else ""
    said = tr(lang, f"（平台回答：{answer}）", f" (the platform said: {answer})") if answer else ""
    return tr(
        lang,
        f"测试消息未能发到{kind_name(kind, lang)}：{_reason(reason, lang)}{said}。未保存。",
        f"The test message did not reach {kind_name(kind, lang)}: {_reason(reason, lang)}{said}. "
        "Nothing was saved.",
    )


def added(channel: ChannelRecord, masked: str, lang: Lang) -> str:
    name = esc(channel.name)
    return tr(
        lang,
        f"已添加{kind_name(channel.kind, lang)}机器人「{name}」（{esc(masked)}），"
        "测试消息已送达。\n"
        f"用 /manage {name} 选中它，再用 /subscribe 订阅。",
        f"Added {kind_name(channel.kind, lang)} robot “{name}” ({esc(masked)}); the test message "
        f"arrived.\nUse /manage {name} to select it, then /subscribe.",
    )


def _when(moment: datetime | None, lang: Lang) -> str:
    if moment is None:
        return tr(lang, "尚无", "none yet")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def listing(rows: Sequence[tuple[ChannelRecord, str]], lang: Lang) -> str:
    if not rows:
        return tr(
            lang,
            "还没有群机器人。用 /channel add 添加。",
            "No group robots yet. Add one with /channel add.",
        )
    lines = [tr(lang, "<b>群机器人</b>", "<b>Group robots</b>")]
    for channel, masked in rows:
        status = tr(lang, STATUS_ZH[channel.status], STATUS_EN[channel.status])
        last = _when(channel.last_delivery_at, lang)
        lines.append(
            tr(
                lang,
                f"• <b>{esc(channel.name)}</b>（{kind_name(channel.kind, lang)}，{status}）"
                f"{esc(masked)}\n  最近送达：{last}",
                f"• <b>{esc(channel.name)}</b> ({kind_name(channel.kind, lang)}, {status}) "
                f"{esc(masked)}\n  last delivery: {last}",
            )
        )
    return "\n".join(lines)


def not_found(name: str, lang: Lang) -> str:
    return tr(
        lang,
        f"没有你可管理的群机器人叫「{esc(name)}」。/channels 列出它们。",
        f"No group robot named “{esc(name)}” that you manage. /channels lists them.",
    )


def test_ok(name: str, lang: Lang) -> str:
    return tr(lang, f"测试消息已发到「{esc(name)}」。", f"The test message reached “{esc(name)}”.")


def test_failed(
    name: str, kind: str, reason: str, code: int | None, message: str, lang: Lang
) -> str:
    answer = esc(f"{code} {message}".strip()) if code is not None or message else ""
    return tr(
        lang,
        f"测试消息未能发到「{esc(name)}」：{_reason(reason, lang)}（{answer}）。",
        f"The test message did not reach “{esc(name)}”: {_reason(reason, lang)} ({answer}).",
    )


def reactivated(name: str, lang: Lang) -> str:
    return tr(
        lang,
        f"「{esc(name)}」恢复正常，提醒和摘要继续发送。",
        f"“{esc(name)}” is active again; alerts and digests resume.",
    )


def removed(name: str, lang: Lang) -> str:
    return tr(lang, f"已删除「{esc(name)}」。", f"Removed “{esc(name)}”.")


def renamed(old: str, new: str, lang: Lang) -> str:
    return tr(
        lang, f"「{esc(old)}」已改名为「{esc(new)}」。", f"Renamed “{esc(old)}” to “{esc(new)}”."
    )


def taken_over(name: str, lang: Lang) -> str:
    return tr(
        lang,
        f"你已接管「{esc(name)}」。用 /channel test {esc(name)} 恢复发送。",
        f"You now manage “{esc(name)}”. /channel test {esc(name)} resumes sending.",
    )


def admin_only(lang: Lang) -> str:
    return tr(lang, "只有管理员可以接管。", "Only an admin can take a robot over.")


def channel_gone(name: str, kind: str, reason: str, lang: Lang) -> str:
    return tr(
        lang,
        f"{kind_name(kind, lang)}群机器人「{esc(name)}」已失效，不再发送：平台回答 {esc(reason)}。"
        f"修好后用 /channel test {esc(name)} 恢复，或删除后重新添加。",
        f"{kind_name(kind, lang)} robot “{esc(name)}” is inactive, nothing more is sent: the "
        f"platform said {esc(reason)}. Fix it and /channel test {esc(name)} resumes it, or "
        "remove it and add it again.",
    )


def owner_revoked(names: Sequence[str], owner_id: int, lang: Lang) -> str:
    listed = "、".join(f"「{esc(n)}」" for n in names)
    return tr(
        lang,
        f"用户 {owner_id} 的访问已撤销，其群机器人 {listed} 已暂停。"
        "管理员可用 /channel takeover 名称 接管。",
        f"User {owner_id} lost access; their group robots {listed} are paused. An admin can "
        "/channel takeover NAME.",
    )


def robot_lang_set(name: str, chosen: Lang, lang: Lang) -> str:
    shown = tr(lang, "中文", "Chinese") if chosen == "zh" else tr(lang, "英文", "English")
    return tr(
        lang,
        f"「{esc(name)}」的提醒和摘要今后用{shown}。",
        f"Alerts and digests to “{esc(name)}” are now in {shown}.",
    )
