"""Workplace-IM group robots (WeCom, DingTalk, Feishu): pure parts only.

The engines make every message as Telegram HTML (bot/texts). A robot shows another markup,
so the message is first read into lines of spans (text, bold, link) and then written in
the platform's own form, split into numbered parts under the platform's size limit (UTF-8
bytes). Also here: the URL checks, the masking used in listings, the signatures, the
spacing that keeps each robot under its rate, and what each platform's answer means.

Channels live in the store as chats with synthetic ids (see ``channel_chat_id``), so every
query the engines use for Telegram chats works unchanged for them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import re
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

ChannelKind = Literal["wecom", "dingtalk", "feishu"]
CHANNEL_KINDS: tuple[ChannelKind, ...] = ("wecom", "dingtalk", "feishu")

# ---- ids ----------------------------------------------------------------------------------
# Telegram's Bot API says chat ids have at most 52 significant bits (|id| < 2**52); users are
# positive, basic groups -1..-999999999999, supergroups and channels -100xxxxxxxxxx (above
# -2*10**12). A channel's chat id is CHANNEL_ID_BASE - n (n >= 1): at or below -(2**53) - 1,
# so no Telegram chat can ever have one. It is still a 64-bit integer SQLite keeps exactly.
CHANNEL_ID_BASE = -(2**53)


CHANNEL_ID_MIN = CHANNEL_ID_BASE - 2**31  # room for two billion channels


def channel_chat_id(number: int) -> int:
    return CHANNEL_ID_BASE - number


def is_channel_id(chat_id: int) -> bool:
    return CHANNEL_ID_MIN <= chat_id < CHANNEL_ID_BASE


# ---- URL checks ---------------------------------------------------------------------------

DEFAULT_HOSTS: dict[ChannelKind, tuple[str, ...]] = {
    "wecom": ("qyapi.weixin.qq.com",),
    "dingtalk": ("oapi.dingtalk.com",),
    "feishu": ("open.feishu.cn", "open.larksuite.com"),
}
_PATHS: dict[ChannelKind, re.Pattern[str]] = {
    "wecom": re.compile(r"/cgi-bin/webhook/send"),
    "dingtalk": re.compile(r"/robot/send"),
    "feishu": re.compile(r"/open-apis/bot/v2/hook/[A-Za-z0-9_-]{8,128}"),
}
_QUERY_KEY: dict[ChannelKind, str | None] = {
    "wecom": "key",
    "dingtalk": "access_token",
    "feishu": None,
}
_KEY_SHAPE = re.compile(r"[A-Za-z0-9_-]{8,128}")
MAX_URL = 600
MAX_SECRET = 200

UrlProblem = Literal["not_url", "scheme", "host", "shape"]


def check_url(
    kind: ChannelKind, url: str, hosts: frozenset[str] | None = None
) -> UrlProblem | None:
    """None when ``url`` is a webhook of ``kind`` on an allowed host. ``hosts`` (host[:port],
    from BOT_CHANNEL_HOSTS) replaces the platform hosts and allows plain http to them."""
    if not url or len(url) > MAX_URL or any(c.isspace() for c in url):
        return "not_url"
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return "not_url"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not_url"
    host = parts.hostname.lower()
    if hosts:
        allowed = host in hosts or f"{host}:{port}" in hosts
        if not allowed:
            return "host"
    else:
        if parts.scheme != "https":
            return "scheme"
        if host not in DEFAULT_HOSTS[kind] or port not in (None, 443) or parts.username:
            return "host"
    if not _PATHS[kind].fullmatch(parts.path):
        return "shape"
    key = _QUERY_KEY[kind]
    if key is not None:
        values = urllib.parse.parse_qs(parts.query).get(key, [])
        if len(values) != 1 or not _KEY_SHAPE.fullmatch(values[0]):
            return "shape"
    elif parts.query:
        return "shape"
    return None


def webhook_key(kind: ChannelKind, url: str) -> str:
    """The secret part of a webhook URL (the key, access token or hook id)."""
    parts = urllib.parse.urlsplit(url)
    key = _QUERY_KEY[kind]
    if key is not None:
        return (urllib.parse.parse_qs(parts.query).get(key) or [""])[0]
    return parts.path.rsplit("/", 1)[-1]


def mask_url(kind: ChannelKind, url: str) -> str:
    """The URL as listings show it: host and shape, and only the key's first four characters
    (``…key=ab12…``)."""
    parts = urllib.parse.urlsplit(url)
    head = webhook_key(kind, url)[:4]
    key = _QUERY_KEY[kind]
    if key is not None:
        return f"{parts.hostname}{parts.path}?…{key}={head}…"
    return f"{parts.hostname}/open-apis/bot/v2/hook/{head}…"


# ---- from Telegram HTML to lines of spans --------------------------------------------------


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    href: str | None = None


Line = tuple[Span, ...]


class _Reader(HTMLParser):
    """Telegram's HTML subset (b, strong, i, em, u, s, code, pre, a, blockquote, tg-spoiler)
    read into lines; unknown tags are dropped, their text kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[Span]] = [[]]
        self.bold = 0
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("b", "strong"):
            self.bold += 1
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.href = href if href.startswith(("http://", "https://")) else None
        elif tag == "br":
            self.lines.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)
        elif tag == "a":
            self.href = None

    def handle_data(self, data: str) -> None:
        pieces = data.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                self.lines.append([])
            if piece:
                self.lines[-1].append(Span(piece, self.bold > 0, self.href))


def read_html(text: str) -> list[Line]:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return [tuple(line) for line in reader.lines]


def plain(line: Line) -> str:
    return "".join(span.text for span in line)


# ---- per-platform markup --------------------------------------------------------------------

# Characters WeCom's and DingTalk's markdown would take as markup, written as the full-width
# forms that look the same to a reader (neither platform documents an escape character).
_MD_SPECIAL = str.maketrans(
    {
        "*": "＊",
        "_": "＿",
        "`": "｀",
        "[": "［",
        "]": "］",
        "<": "＜",
        ">": "＞",
        "#": "＃",
        "~": "～",
        "|": "｜",
    }
)


def _md_text(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def _md_href(href: str) -> str:
    return href.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def _md_line(line: Line) -> str:
    out: list[str] = []
    for span in line:
        text = _md_text(span.text)
        if span.bold and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            text = f"{lead}**{text.strip()}**{trail}"
        if span.href:
            text = f"[{text}]({_md_href(span.href)})"
        out.append(text)
    return "".join(out)


WECOM_LIMIT = 4096  # bytes of markdown.content (WeCom docs)
DINGTALK_LIMIT = 20000  # bytes of the message (DingTalk docs)
FEISHU_LIMIT = 20 * 1024  # bytes of the whole request body (Feishu docs)
_DINGTALK_BREAK = "  \n"  # DingTalk's markdown joins single newlines; two spaces break
# The last line of every DingTalk and Feishu message: a robot protected by a custom keyword
# (自定义关键词) accepts our messages when its keyword is 招商 or 招商助手.
SIGNATURE = "—— 招商助手"


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _part_label(number: int, total: int) -> str:
    return f"({number}/{total})"


def _chunks(lines: list[str], budget: int, sep: str) -> list[list[str]]:
    """Lines grouped so each group joined by ``sep`` stays within ``budget`` bytes; a line
    longer than the budget alone is cut at character boundaries."""
    pieces: list[str] = []
    for line in lines:
        while _size(line) > budget:
            cut = len(line.encode("utf-8")[:budget].decode("utf-8", "ignore"))
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
    groups: list[list[str]] = [[]]
    used = 0
    for piece in pieces:
        extra = _size(piece) + (_size(sep) if groups[-1] else 0)
        if groups[-1] and used + extra > budget:
            groups.append([])
            used = 0
            extra = _size(piece)
        groups[-1].append(piece)
        used += extra
    return [g for g in groups if any(p.strip() for p in g)] or [[""]]


_LABEL_ROOM = 24  # bytes kept for "(12/34)\n" at the head of a part


def _numbered(groups: list[list[str]], sep: str) -> list[str]:
    total = len(groups)
    texts = [sep.join(g).strip("\n ") for g in groups]
    if total == 1:
        return texts
    return [f"{_part_label(n, total)}{sep}{t}" for n, t in enumerate(texts, start=1)]


def wecom_bodies(html_text: str) -> list[dict[str, object]]:
    """WeCom markdown messages (its subset: bold, links), each within 4096 bytes."""
    lines = [_md_line(line) for line in read_html(html_text)]
    parts = _numbered(_chunks(lines, WECOM_LIMIT - _LABEL_ROOM, "\n"), "\n")
    return [{"msgtype": "markdown", "markdown": {"content": p}} for p in parts]


def _title(lines: list[Line]) -> str:
    first = next((plain(line).strip() for line in lines if plain(line).strip()), "招商助手")
    return first[:60]


def dingtalk_bodies(html_text: str) -> list[dict[str, object]]:
    """DingTalk markdown messages (title + text), each within 20,000 bytes."""
    read = read_html(html_text)
    title = _title(read)
    lines = [_md_line(line) for line in read]
    budget = DINGTALK_LIMIT - _LABEL_ROOM - _size(json.dumps(title, ensure_ascii=False)) - 96
    parts = [
        p + _DINGTALK_BREAK + SIGNATURE
        for p in _numbered(_chunks(lines, budget, _DINGTALK_BREAK), _DINGTALK_BREAK)
    ]
    return [
        {"msgtype": "markdown", "markdown": {"title": title, "text": p}, "at": {"isAtAll": False}}
        for p in parts
    ]


def _feishu_line(line: Line) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for span in line:
        if span.href:
            out.append({"tag": "a", "text": span.text, "href": span.href})
        else:
            item: dict[str, object] = {"tag": "text", "text": span.text}
            if span.bold:
                item["style"] = ["bold"]
            out.append(item)
    return out


def _feishu_body(title: str, lines: list[Line]) -> dict[str, object]:
    return {
        "msg_type": "post",
        "content": {
            "post": {
                "zh_cn": {
                    "title": title,
                    "content": [
                        *(_feishu_line(line) for line in lines),
                        [{"tag": "text", "text": SIGNATURE}],
                    ],
                }
            }
        },
    }


FEISHU_SIGN_ROOM = 120  # bytes of the timestamp and sign fields added when sending


def feishu_bodies(html_text: str) -> list[dict[str, object]]:
    """Feishu post messages (rich text: plain text, bold, links; no markup to escape), each
    request body within 20 KB, signature included."""
    read = read_html(html_text)
    title = _title(read)
    lines = read[1:] if read and plain(read[0]).strip()[:60] == title else read
    budget = FEISHU_LIMIT - FEISHU_SIGN_ROOM
    groups: list[list[Line]] = [[]]
    for line in lines:
        candidate = [*groups[-1], line]
        if groups[-1] and _body_size(title, candidate) > budget:
            groups.append([line])
        else:
            groups[-1] = candidate
    # A single line too big alone: cut its text (rare; a digest line is short).
    fixed: list[list[Line]] = []
    for group in groups:
        if _body_size(title, group) <= budget:
            fixed.append(group)
            continue
        text = "\n".join(plain(line) for line in group)
        for chunk in _chunks([text], budget // 2, "\n"):
            fixed.append([(Span(chunk[0]),)])
    total = len(fixed)
    if total == 1:
        return [_feishu_body(title, fixed[0])]
    return [
        _feishu_body(f"{title} {_part_label(n, total)}", group)
        for n, group in enumerate(fixed, start=1)
    ]


def _body_size(title: str, lines: list[Line]) -> int:
    return _size(json.dumps(_feishu_body(title + " (99/99)", lines), ensure_ascii=False))


def bodies(kind: ChannelKind, html_text: str) -> list[dict[str, object]]:
    if kind == "wecom":
        return wecom_bodies(html_text)
    if kind == "dingtalk":
        return dingtalk_bodies(html_text)
    return feishu_bodies(html_text)


@functools.lru_cache(maxsize=256)
def encoded_bodies(kind: ChannelKind, html_text: str) -> tuple[bytes, ...]:
    """``bodies`` as the JSON bytes posted. Cached: a fan-out sends one rendered message to
    every robot of a kind, so it is read, split and encoded once, not once per robot."""
    return tuple(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        for body in bodies(kind, html_text)
    )


# ---- signing ------------------------------------------------------------------------------


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}")),
    URL-encoded; sent as &timestamp=…&sign=… (timestamp in milliseconds)."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def dingtalk_url(url: str, secret: str | None, timestamp_ms: int) -> str:
    if not secret:
        return url
    return f"{url}&timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's 签名校验: base64(HMAC-SHA256(key="{timestamp}\\n{secret}", msg=b"")); sent in
    the body with the timestamp in seconds."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def feishu_signed(body: bytes, secret: str, timestamp_s: int) -> bytes:
    """An encoded Feishu body (a JSON object) with ``timestamp`` and ``sign`` put first."""
    head = json.dumps({"timestamp": str(timestamp_s), "sign": feishu_sign(secret, timestamp_s)})
    return head[:-1].encode() + b"," + body[1:]


# ---- rates --------------------------------------------------------------------------------
# Per robot (the platforms' docs): WeCom 20/minute; DingTalk 20/minute (going over blocks the
# robot for 10 minutes); Feishu 5/second and 100/minute. Even spacing with a small margin
# keeps every sliding window under the limit: 3.1 s (19.4/min) and 0.62 s (96.8/min, 1.6/s).
INTERVAL: dict[ChannelKind, float] = {"wecom": 3.1, "dingtalk": 3.1, "feishu": 0.62}
# The platforms' own windows, (messages, seconds): the pacer never lets a post leave while the
# answers of the last ``messages`` posts came within ``seconds`` (so, as a post reaches the
# platform before its answer comes back, however late posts leave or slow answers come,
# the platform never counts more than its limit in its window).
LIMITS: dict[ChannelKind, tuple[tuple[int, float], ...]] = {
    "wecom": ((20, 60.0),),
    "dingtalk": ((20, 60.0),),
    "feishu": ((5, 1.0), (100, 60.0)),
}
# How long a rate-limit answer parks the robot.
RATE_PARK: dict[ChannelKind, float] = {"wecom": 60.0, "dingtalk": 600.0, "feishu": 60.0}


# ---- what an answer means -----------------------------------------------------------------

Meaning = Literal["ok", "rate", "gone", "refused", "transient"]


@dataclass(frozen=True)
class Verdict:
    meaning: Meaning
    code: int | None
    message: str


# The platforms' documented error codes (from their robot docs; errcode/errmsg for WeCom and
# DingTalk, code/msg for Feishu). Codes not listed: refused (logged, skipped).
_WECOM_GONE = {93000, 93004, 40001, 40014}  # invalid webhook key; robot removed; bad credential
_WECOM_RATE = {45009, 45033}  # "api freq out of limit"
_DINGTALK_GONE = {300001, 300005, 400101, 400102, 310001}  # token invalid/missing; robot off
_DINGTALK_RATE = {130101, 410100}  # "send too fast, exceed 20 times per minute"
_FEISHU_GONE = {19001, 19021, 19022, 19002}  # hook token invalid; sign fail; IP; bad hook
_FEISHU_RATE = {9499, 11232, 11233}  # "too many request", "frequency limited"


def judge(kind: ChannelKind, status: int, body: str) -> Verdict:
    """What one HTTP answer means. 5xx and unreadable answers are transient; 404 (a hook
    that no longer exists) and 401/403 are gone; 429 is a rate limit."""
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    if kind == "feishu":
        raw_code = data.get("code", data.get("StatusCode"))
        message = str(data.get("msg", data.get("StatusMessage", "")))[:200]
    else:
        raw_code = data.get("errcode")
        message = str(data.get("errmsg", ""))[:200]
    code = raw_code if isinstance(raw_code, int) else None
    if status == 429:
        return Verdict("rate", code, message or "HTTP 429")
    if status >= 500:
        return Verdict("transient", code, f"HTTP {status}")
    if code is None:
        if status in (401, 403, 404):
            return Verdict("gone", None, f"HTTP {status}")
        return Verdict("transient" if status != 200 else "refused", None, f"HTTP {status}")
    if code == 0:
        return Verdict("ok", 0, message)
    rate, gone = {
        "wecom": (_WECOM_RATE, _WECOM_GONE),
        "dingtalk": (_DINGTALK_RATE, _DINGTALK_GONE),
        "feishu": (_FEISHU_RATE, _FEISHU_GONE),
    }[kind]
    if code in rate:
        return Verdict("rate", code, message)
    if code in gone:
        return Verdict("gone", code, message)
    if kind == "dingtalk" and code == 310000:
        # One code for every security check: keywords (this message), IP or signature (all).
        lowered = message.lower()
        if "keyword" in lowered:
            return Verdict("refused", code, message)
        return Verdict("gone", code, message)
    return Verdict("refused", code, message)


Reason = Literal["key", "keyword", "ip", "sign", "rate", "network", "other"]


def reason_of(kind: ChannelKind, verdict: Verdict) -> Reason:
    """The answer in a few plain words' worth, for the person adding a channel."""
    lowered = verdict.message.lower()
    if verdict.meaning == "rate":
        return "rate"
    if verdict.meaning == "transient":
        return "network"
    if "keyword" in lowered or "key words" in lowered or verdict.code == 19024:
        return "keyword"
    if "ip" in lowered.split() or "whitelist" in lowered or verdict.code == 19022:
        return "ip"
    if "sign" in lowered or "timestamp" in lowered or verdict.code == 19021:
        return "sign"
    if verdict.meaning == "gone":
        return "key"
    return "other"
