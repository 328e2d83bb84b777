"""A fake Telegram Bot API server for end-to-end tests.

The real bot talks to it exactly as it would talk to api.telegram.org: python-telegram-bot
is pointed at ``FakeBotApi.base_url`` / ``FakeBotApi.file_base_url`` (for the bot subprocess
via ``BOT_API_BASE_URL`` / ``BOT_API_FILE_BASE_URL``).  Tests play the user's side with
``send_message`` / ``press_button`` / ``send_document`` / ... and inspect what the bot sent
through ``sent``, ``messages_to`` and ``wait_for``.

The server deliberately refuses what Telegram would refuse (broken HTML markup, over-long
texts, oversized callback data, "message is not modified", ...) with Telegram's own error
descriptions, so ``validation_errors`` being empty at the end of a test means the bot never
produced a request the real API would reject.  Faults that real deployments meet (rate
limits, 429 storms, blocked users, group migrations, 502s, hanging requests) are off by
default and switched on per test.

Everything runs on the caller's event loop; nothing here is thread-safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import mimetypes
import random
import re
import struct
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.loopback import Served, serve_on_loopback

JSONDict = dict[str, Any]

BOT_ID = 7000000001
BOT_USERNAME = "zhaoshang_test_bot"
BOT_FIRST_NAME = "招商助手"
DEFAULT_USER_ID = 100001
DEFAULT_FIRST_NAME = "测试用户"

MAX_TEXT_LEN = 4096
MAX_CAPTION_LEN = 1024

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"

# Methods that count as "sending" for rate limits and injected faults.
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText"})
# Methods that a blocked user makes fail with 403.
_BLOCKABLE_METHODS = SEND_METHODS | {"editMessageReplyMarkup", "sendChatAction"}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Form fields whose values are plain strings; every other form field carries a JSON-encoded
# value (python-telegram-bot sends ints as "123", bools as "true", objects as JSON text).
_STRING_PARAMS = _words(
    "text caption parse_mode callback_query_id inline_query_id url file_id language_code action "
    "inline_message_id next_offset title description short_description name photo document "
    "thumbnail business_connection_id message_effect_id emoji custom_title"
)
# Complex parameters that Telegram also accepts as JSON text inside a JSON body.
_JSON_PARAMS = _words(
    "reply_markup entities caption_entities commands scope results allowed_updates "
    "link_preview_options reply_parameters button"
)
_CHAT_ACTIONS = _words(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note"
)
_INLINE_BUTTON_ACTIONS = _words(
    "url callback_data web_app login_url switch_inline_query switch_inline_query_current_chat "
    "switch_inline_query_chosen_chat copy_text callback_game pay"
)
# Required fields of ChatMemberAdministrator / ChatMemberRestricted (as python-telegram-bot
# 22.8 insists on them when parsing).
_ADMIN_RIGHTS = _words(
    "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
    "can_change_info can_invite_users can_post_stories can_edit_stories can_delete_stories "
    "can_pin_messages"
)
_RESTRICTED_FLAGS = _words(
    "can_send_messages can_send_audios can_send_documents can_send_photos can_send_videos "
    "can_send_video_notes can_send_voice_notes can_send_polls can_send_other_messages "
    "can_add_web_page_previews can_change_info can_invite_users can_pin_messages "
    "can_manage_topics can_edit_tag can_react_to_messages"
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


class ApiError(Exception):
    """A Telegram error answer; ``injected`` marks faults the test asked for."""

    def __init__(
        self,
        code: int,
        description: str,
        parameters: JSONDict | None = None,
        *,
        injected: bool = False,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters
        self.injected = injected

    def body(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class EntityParseError(ValueError):
    """HTML markup that Telegram would refuse with "can't parse entities"."""


@dataclass
class UploadedFile:
    """A file part of a multipart request as the bot uploaded it."""

    filename: str
    data: bytes
    content_type: str


@dataclass
class StoredFile:
    """A file reachable through getFile and the file download endpoint."""

    file_id: str
    file_unique_id: str
    data: bytes
    filename: str
    mime_type: str
    file_path: str


@dataclass
class SentRecord:
    """One request the bot made (every method except getUpdates) and how it was answered."""

    method: str
    chat_id: int | str | None
    params: JSONDict
    status: int = 200
    result: Any = None
    error: str | None = None
    error_parameters: JSONDict | None = None
    files: dict[str, UploadedFile] = field(default_factory=dict)
    injected: bool = False
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def message(self) -> JSONDict | None:
        """The Message the server answered with, if the call returned one."""
        if isinstance(self.result, dict) and "message_id" in self.result:
            return self.result
        return None

    @property
    def text(self) -> str | None:
        """Text or caption as sent (before markup parsing)."""
        value = self.params.get("text", self.params.get("caption"))
        return value if isinstance(value, str) else None


# --------------------------------------------------------------------------------------------
# HTML parse mode, mirroring tdlib's parser (td/telegram/MessageEntity.cpp) so error
# descriptions and byte offsets match what the real Bot API reports.

_HTML_TAGS = _words(
    "a b strong i em s strike del u ins tg-spoiler tg-emoji span pre code blockquote"
)
_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "a": "text_link",
}
_SPACE_BYTES = frozenset(b" \t\r\n\v\0")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram measures texts and offsets in."""
    return len(text.encode("utf-16-le")) // 2


def _decode_html_entity(data: bytes, pos: int) -> tuple[int, int]:
    """Return (code point, position after the entity), or (0, pos) when none starts here."""
    end = pos + 1
    res = 0
    if data[end] == ord("#"):
        end += 1
        if data[end] == ord("x"):
            end += 1
            while chr(data[end]) in "0123456789abcdefABCDEF":
                res = res * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while ord("0") <= data[end] <= ord("9"):
                res = res * 10 + data[end] - ord("0")
                end += 1
        # Surrogates are excluded too: they cannot be encoded back to UTF-8.
        if res == 0 or res >= 0x10FFFF or end - pos >= 10 or 0xD800 <= res <= 0xDFFF:
            return 0, pos
    else:
        while chr(data[end]).isascii() and chr(data[end]).isalpha():
            end += 1
        name = data[pos + 1 : end]
        named = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}
        if name not in named:
            return 0, pos
        res = named[name]
    # Like tdlib, the terminating semicolon is optional.
    return res, end + 1 if data[end] == ord(";") else end


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[JSONDict]]:
    """Parse Telegram HTML into (plain text, entities) or raise EntityParseError.

    Real Telegram keeps a bare "&" literally, but the Bot API documentation requires it to be
    escaped; ``strict_ampersand`` (default) refuses it so such bot bugs surface in tests.
    """
    data = text.encode("utf-8") + b"\0"  # NUL sentinel, like tdlib's CSlice
    size = len(data) - 1
    out = bytearray()
    utf16_offset = 0
    # (tag name, argument, utf16 start offset, expandable, byte start in out)
    stack: list[tuple[str, str, int, bool, int]] = []
    entities: list[JSONDict] = []
    i = 0
    while i < size:
        c = data[i]
        if c == ord("&"):
            ch, new_i = _decode_html_entity(data, i)
            if ch:
                out += chr(ch).encode("utf-8")
                utf16_offset += 2 if ch > 0xFFFF else 1
                i = new_i
                continue
            if strict_ampersand:
                raise EntityParseError(f'Character "&" at byte offset {i} must be escaped as &amp;')
        if c != ord("<"):
            out.append(c)
            if c & 0xC0 != 0x80:  # first byte of a UTF-8 sequence
                utf16_offset += 2 if c >= 0xF0 else 1
            i += 1
            continue
        begin = i
        i += 1
        if data[i] != ord("/"):
            while data[i] not in _SPACE_BYTES and data[i] != ord(">"):
                i += 1
            if data[i] == 0:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            tag = data[begin + 1 : i].decode("utf-8", "replace").lower()
            if tag not in _HTML_TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            argument = ""
            expandable = False
            while data[i] != ord(">"):
                while data[i] != 0 and data[i] in _SPACE_BYTES:
                    i += 1
                if data[i] == ord(">"):
                    break
                attr_begin = i
                while data[i] not in _SPACE_BYTES and data[i] not in b"=>":
                    i += 1
                attr = data[attr_begin:i].decode("utf-8", "replace")
                if not attr:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                    )
                while data[i] != 0 and data[i] in _SPACE_BYTES:
                    i += 1
                if data[i] != ord("="):
                    if tag == "blockquote" and attr == "expandable":
                        expandable = True
                        continue
                    raise EntityParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {begin}'
                    )
                i += 1
                while data[i] != 0 and data[i] in _SPACE_BYTES:
                    i += 1
                if data[i] == 0:
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                value = bytearray()
                if data[i] not in (ord("'"), ord('"')):
                    token_begin = i
                    while chr(data[i]).isascii() and (chr(data[i]).isalnum() or data[i] in b".-"):
                        i += 1
                    value += data[token_begin:i].lower()
                    if data[i] not in _SPACE_BYTES and data[i] != ord(">"):
                        raise EntityParseError(
                            f"Unexpected end of name token at byte offset {token_begin}"
                        )
                else:
                    quote = data[i]
                    i += 1
                    while data[i] != quote and data[i] != 0:
                        if data[i] == ord("&"):
                            ch, new_i = _decode_html_entity(data, i)
                            if ch:
                                value += chr(ch).encode("utf-8")
                                i = new_i
                                continue
                        value.append(data[i])
                        i += 1
                    if data[i] == quote:
                        i += 1
                if data[i] == 0:
                    raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
                val = value.decode("utf-8", "replace")
                if (tag == "a" and attr == "href") or (tag == "tg-emoji" and attr == "emoji-id"):
                    argument = val
                elif tag == "code" and attr == "class" and val.startswith("language-"):
                    argument = val[9:]
                elif tag == "span" and attr == "class" and val.startswith("tg-"):
                    argument = val[3:]
                elif tag == "blockquote" and attr == "expandable":
                    expandable = True
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
                )
            stack.append((tag, argument, utf16_offset, expandable, len(out)))
            if len(stack) > 1000:
                raise EntityParseError("Too many nested entities")
        else:
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
            while data[i] not in _SPACE_BYTES and data[i] != ord(">"):
                i += 1
            end_tag = data[begin + 2 : i].decode("utf-8", "replace")
            while data[i] != 0 and data[i] in _SPACE_BYTES:
                i += 1
            if data[i] != ord(">"):
                raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
            tag, argument, start, expandable, out_start = stack.pop()
            if end_tag and end_tag != tag:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{tag}>", '
                    f'found "</{end_tag}>"'
                )
            if utf16_offset > start:
                entity: JSONDict = {
                    "type": _TAG_ENTITY[tag],
                    "offset": start,
                    "length": utf16_offset - start,
                }
                if tag == "a":
                    # Without href tdlib uses the link text itself as the URL.
                    entity["url"] = argument or out[out_start:].decode("utf-8", "replace")
                elif tag == "tg-emoji":
                    entity["custom_emoji_id"] = argument
                elif tag == "code" and argument:
                    entity["language"] = argument
                elif tag == "blockquote" and expandable:
                    entity["type"] = "expandable_blockquote"
                entities.append(entity)
        i += 1  # skip the closing ">"
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return out.decode("utf-8", "replace"), entities


def _strip_text(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim surrounding whitespace as Telegram does, keeping entity offsets consistent."""
    stripped = text.strip()
    shift = utf16_len(text) - utf16_len(text.lstrip())
    total = utf16_len(stripped)
    kept: list[JSONDict] = []
    for ent in entities:
        start = max(0, ent["offset"] - shift)
        end = min(total, ent["offset"] + ent["length"] - shift)
        if end > start:
            kept.append({**ent, "offset": start, "length": end - start})
    return stripped, kept


# --------------------------------------------------------------------------------------------
# Parameter helpers


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _decode_form_value(name: str, value: str) -> Any:
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _int_param(params: Mapping[str, Any], name: str) -> int:
    value = params.get(name)
    if value is None or value == "":
        raise _bad(f"{name} is empty")
    if isinstance(value, bool):
        raise _bad(f"invalid {name} specified")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad(f"invalid {name} specified") from None


def _opt_int(params: Mapping[str, Any], name: str) -> int | None:
    return None if params.get(name) in (None, "") else _int_param(params, name)


def _bool_param(params: Mapping[str, Any], name: str) -> bool:
    return params.get(name) in (True, 1, "true", "True", "1")


def _chat_type(chat_id: int) -> str:
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"


def _validate_inline_keyboard(markup: Any) -> None:
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise _bad("text buttons are unallowed in the inline keyboard")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                    raise _bad("BUTTON_DATA_INVALID")
            elif "url" in button:
                if not re.match(r"(https?|tg)://\S+$", str(button["url"])):
                    raise _bad("BUTTON_URL_INVALID")
            elif not any(key in button for key in _INLINE_BUTTON_ACTIONS):
                raise _bad("text buttons are unallowed in the inline keyboard")


def _validate_markup(markup: Any, *, inline_only: bool = False) -> JSONDict | None:
    """Validate reply_markup; return it only if it is an inline keyboard (the part Telegram
    echoes back in the Message)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _validate_inline_keyboard(markup)
        return markup
    if inline_only:
        raise _bad("inline keyboard expected")
    return None


def _image_size(data: bytes) -> tuple[int, int]:
    # Only PNG is sniffed; anything else gets a plausible fixed size.
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 320, 320


@dataclass
class _Call:
    """One decoded API request as handed to a method implementation."""

    params: JSONDict
    files: dict[str, UploadedFile]
    request: web.Request


Handler = Callable[[_Call], Awaitable[Any]]


class FakeBotApi(Served):
    """In-process fake of the Telegram Bot API on aiohttp.web.

    ``token=None`` accepts any token; otherwise other tokens get 401 Unauthorized.
    Use as ``async with FakeBotApi(token) as api:`` or call ``start()`` / ``stop()``.

    User side: ``send_message``, ``press_button``, ``inline_query``, ``send_document``,
    ``my_chat_member``, ``migrate_update``, ``queue_update`` (each returns the update_id).
    Observation: ``sent``, ``rejected``, ``validation_errors``, ``calls``, ``messages_to``,
    ``callback_answers``, ``inline_answers``, ``commands``, ``files``, ``wait_for``,
    ``wait_for_message``, ``wait_confirmed``.
    Faults: ``enforce_rates`` and the limit attributes, ``storm``, ``block_chat``,
    ``migrate_chat``, ``fail_fraction``, ``set_chat_member``.
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        enforce_rates: bool = False,
        seed: int | None = None,
        strict_ampersand: bool = True,
        known_chats_only: bool = False,
    ) -> None:
        self.token = token
        self.strict_ampersand = strict_ampersand
        # When set, sends to chats never seen in an update fail with "chat not found".
        self.known_chats_only = known_chats_only

        # Rate limits (all configurable); checked only when enforce_rates is on.
        self.enforce_rates = enforce_rates
        self.global_per_sec = 30
        self.per_chat_per_sec = 1
        self.per_chat_burst = 0  # extra sends tolerated within the per-chat window
        self.per_chat_window = 1.0
        self.group_per_min = 20

        # Fault injection.
        self.timeout_delay = 15.0
        self.timeout_delivers = True  # a hung request still takes effect, like a slow Telegram
        self.fault_methods: frozenset[str] = SEND_METHODS
        self.callback_ttl: float | None = None  # seconds a callback query stays answerable
        self._rng = random.Random(seed)
        self._fail_p = 0.0
        self._fail_kinds: tuple[str, ...] = ("502", "timeout")
        self._storm_until = 0.0
        self._storm_retry_after = 1
        self._blocked: set[int] = set()
        self._migrated: dict[int, int] = {}

        # Observable state for tests.
        self.sent: list[SentRecord] = []
        self.rejected: list[SentRecord] = []
        self.calls: Counter[str] = Counter()
        self.callback_answers: list[JSONDict] = []
        self.inline_answers: list[JSONDict] = []
        # (scope key, language_code) -> commands; scope keys: "default", "all_private_chats",
        # "chat:<id>", "chat_member:<chat>:<user>", ...
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.update_log: list[JSONDict] = []
        self.files: dict[str, StoredFile] = {}
        # method -> an answer with this body (not JSON at all) instead of the method's JSON.
        self.raw_answers: dict[str, bytes] = {}
        self.raw_status = 200  # the status of those answers
        # The parameters of the last setWebhook, None while no webhook is set.
        self.webhook: JSONDict | None = None

        self.port = 0
        self.host = "127.0.0.1"
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._changed = asyncio.Event()
        self._updates: list[JSONDict] = []
        self._update_ids = itertools.count(1)
        self._poll_generation = 0
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(4382000000000000001)
        self._inline_ids = itertools.count(9182000000000000001)
        self._callbacks: dict[str, float] = {}  # unanswered id -> creation time
        self._inline_queries: set[str] = set()
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._bot_message_keys: list[tuple[int, int]] = []
        self._chats: dict[int, JSONDict] = {}
        self._users: dict[int, JSONDict] = {}
        self._members: dict[tuple[int, int], JSONDict] = {}
        self._global_times: deque[float] = deque()
        self._chat_times: dict[int, deque[float]] = {}
        self._group_times: dict[int, deque[float]] = {}

        self._methods: dict[str, tuple[str, Handler]] = {}
        # Every _m_<method> below implements the Telegram method of that name.
        for attr in dir(self):
            if attr.startswith("_m_"):
                self._methods[attr[3:].lower()] = (attr[3:], getattr(self, attr))

    # ---------------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def bot_user(self) -> JSONDict:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._closing = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{file_path:.+}", self._handle_file)
        # Short shutdown timeout: hung fault-injected requests must not stall test teardown.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        self.port = await serve_on_loopback(self._runner, host, port)
        self.host = host

    async def stop(self) -> None:
        self._closing.set()
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _notify(self) -> None:
        # Broadcast to every waiter (long polls, wait_for) by swapping in a fresh Event.
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def _wait_change(self, timeout: float) -> None:
        if timeout <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    # ---------------------------------------------------------------- fault controls

    def storm(self, seconds: float, retry_after: int = 1) -> None:
        """Answer every send with 429 for ``seconds``."""
        self._storm_until = time.monotonic() + seconds
        self._storm_retry_after = retry_after

    def stop_storm(self) -> None:
        self._storm_until = 0.0

    def block_chat(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        self._migrated[old_id] = new_id

    def fail_fraction(
        self, p: float, kinds: tuple[str, ...] = ("502", "timeout"), seed: int | None = None
    ) -> None:
        """Make fraction ``p`` of requests to ``fault_methods`` fail with 502 or hang."""
        if seed is not None:
            self._rng = random.Random(seed)
        self._fail_p = p
        self._fail_kinds = kinds

    def set_chat_member(self, chat_id: int, user_id: int, status: str, **fields: Any) -> None:
        """Set the getChatMember answer; ``fields`` override the generated permission flags."""
        self._members[(chat_id, user_id)] = {"status": status, **fields}

    # ---------------------------------------------------------------- user side

    def _user(
        self,
        user_id: int,
        first_name: str | None = None,
        language_code: str | None = None,
        username: str | None = None,
    ) -> JSONDict:
        user = self._users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": DEFAULT_FIRST_NAME}
        )
        if first_name is not None:
            user["first_name"] = first_name
        if language_code is not None:
            user["language_code"] = language_code
        if username is not None:
            user["username"] = username
        return dict(user)

    def _chat(
        self,
        chat_id: int,
        chat_type: str | None = None,
        title: str | None = None,
        user: JSONDict | None = None,
    ) -> JSONDict:
        chat = self._chats.get(chat_id)
        if chat is None:
            kind = chat_type or _chat_type(chat_id)
            chat = {"id": chat_id, "type": kind}
            if kind == "private":
                chat["first_name"] = (user or {}).get("first_name", DEFAULT_FIRST_NAME)
                if user and "username" in user:
                    chat["username"] = user["username"]
            else:
                chat["title"] = title or f"测试群 {chat_id}"
            self._chats[chat_id] = chat
        elif title is not None and chat["type"] != "private":
            chat["title"] = title
        return dict(chat)

    def _message_id(self, chat_id: int) -> int:
        self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
        return self._next_message_id[chat_id]

    def queue_update(self, update: JSONDict) -> int:
        """Queue a raw update (``update_id`` is assigned) and return its id."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self.update_log.append(update)
        self._notify()
        return int(update["update_id"])

    def _user_message(
        self,
        chat_id: int | None,
        user_id: int,
        chat_type: str | None,
        first_name: str | None,
        language_code: str | None,
        username: str | None,
        chat_title: str | None,
        message_thread_id: int | None,
    ) -> JSONDict:
        user = self._user(user_id, first_name, language_code, username)
        cid = user_id if chat_id is None else chat_id
        chat = self._chat(cid, chat_type, chat_title, user)
        if message_thread_id is not None and chat["type"] == "supergroup":
            self._chats[cid]["is_forum"] = chat["is_forum"] = True
        msg: JSONDict = {
            "message_id": self._message_id(cid),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
        }
        if message_thread_id is not None:
            msg["message_thread_id"] = message_thread_id
            msg["is_topic_message"] = True
        return msg

    def send_message(
        self,
        text: str,
        chat_id: int | None = None,
        user_id: int = DEFAULT_USER_ID,
        chat_type: str | None = None,
        message_thread_id: int | None = None,
        language_code: str | None = "zh-hans",
        first_name: str | None = None,
        reply_to: JSONDict | int | None = None,
        *,
        username: str | None = None,
        chat_title: str | None = None,
    ) -> int:
        """Queue a text message from a user; ``chat_id`` defaults to the user's private chat."""
        msg = self._user_message(
            chat_id,
            user_id,
            chat_type,
            first_name,
            language_code,
            username,
            chat_title,
            message_thread_id,
        )
        msg["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        if reply_to is not None:
            key = (
                msg["chat"]["id"],
                reply_to if isinstance(reply_to, int) else reply_to["message_id"],
            )
            if key not in self._messages:
                raise ValueError(f"reply_to message {key} is unknown")
            msg["reply_to_message"] = dict(self._messages[key])
        self._messages[(msg["chat"]["id"], msg["message_id"])] = msg
        return self.queue_update({"message": msg})

    def send_document(
        self,
        filename: str,
        data: bytes,
        chat_id: int | None = None,
        user_id: int = DEFAULT_USER_ID,
        caption: str | None = None,
        mime_type: str | None = None,
        *,
        chat_type: str | None = None,
        language_code: str | None = "zh-hans",
    ) -> int:
        """Queue a document message; the file becomes available via getFile and download."""
        stored = self.register_file(data, filename, mime_type)
        msg = self._user_message(chat_id, user_id, chat_type, None, language_code, None, None, None)
        msg["document"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "mime_type": stored.mime_type,
            "file_size": len(data),
        }
        if caption is not None:
            msg["caption"] = caption
        self._messages[(msg["chat"]["id"], msg["message_id"])] = msg
        return self.queue_update({"message": msg})

    def press_button(
        self,
        message: JSONDict | SentRecord,
        callback_data: str,
        user_id: int = DEFAULT_USER_ID,
        *,
        strict: bool = True,
    ) -> int:
        """Queue a callback query for a bot message; returns the update id.

        With ``strict`` the button must exist in the message's current keyboard, because a
        real user can only press buttons that are displayed.
        """
        msg = message.message if isinstance(message, SentRecord) else message
        if msg is None:
            raise ValueError("record carries no message")
        key = (int(msg["chat"]["id"]), int(msg["message_id"]))
        current = self._messages.get(key)
        if current is None:
            raise ValueError(f"message {key} was not sent by the bot or was deleted")
        if strict:
            buttons = [
                b for row in current.get("reply_markup", {}).get("inline_keyboard", []) for b in row
            ]
            if not any(b.get("callback_data") == callback_data for b in buttons):
                raise ValueError(f"no button with callback_data {callback_data!r} on {key}")
        query_id = str(next(self._callback_ids))
        self._callbacks[query_id] = time.monotonic()
        return self.queue_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self._user(user_id),
                    "message": dict(current),
                    "chat_instance": str(abs(key[0]) * 7 + 13),
                    "data": callback_data,
                }
            }
        )

    def inline_query(
        self,
        query: str,
        user_id: int = DEFAULT_USER_ID,
        offset: str = "",
        chat_type: str = "sender",
    ) -> int:
        query_id = str(next(self._inline_ids))
        self._inline_queries.add(query_id)
        return self.queue_update(
            {
                "inline_query": {
                    "id": query_id,
                    "from": self._user(user_id),
                    "query": query,
                    "offset": offset,
                    "chat_type": chat_type,
                }
            }
        )

    def my_chat_member(
        self,
        chat_id: int,
        old_status: str = "left",
        new_status: str = "member",
        user_id: int = DEFAULT_USER_ID,
        chat_title: str | None = None,
    ) -> int:
        """Queue the update Telegram sends when the bot is added to / removed from a chat.

        In a private chat "kicked" means the user blocked the bot, so later sends get 403;
        in groups "left"/"kicked" make sends fail the way Telegram does.
        """
        chat = self._chat(chat_id, None, chat_title)
        self._members[(chat_id, BOT_ID)] = {"status": new_status}
        if chat_id > 0 and new_status == "kicked":
            self.block_chat(chat_id)
        elif chat_id > 0:
            self.unblock_chat(chat_id)
        return self.queue_update(
            {
                "my_chat_member": {
                    "chat": chat,
                    "from": self._user(user_id),
                    "date": int(time.time()),
                    "old_chat_member": self._member_obj(chat_id, BOT_ID, {"status": old_status}),
                    "new_chat_member": self._member_obj(chat_id, BOT_ID, {"status": new_status}),
                }
            }
        )

    def migrate_update(self, old_id: int, new_id: int, user_id: int = DEFAULT_USER_ID) -> int:
        """Upgrade a group: queue the service messages and make sends to old_id fail."""
        self.migrate_chat(old_id, new_id)
        old = self._user_message(old_id, user_id, None, None, None, None, None, None)
        old["migrate_to_chat_id"] = new_id
        self.queue_update({"message": old})
        new = self._user_message(
            new_id, user_id, "supergroup", None, None, None, old["chat"].get("title"), None
        )
        new["migrate_from_chat_id"] = old_id
        return self.queue_update({"message": new})

    def register_file(
        self,
        data: bytes,
        filename: str = "file",
        mime_type: str | None = None,
        folder: str = "documents",
    ) -> StoredFile:
        n = next(self._file_ids)
        suffix = ("." + filename.rsplit(".", 1)[1]) if "." in filename else ""
        stored = StoredFile(
            file_id=f"BQACAgUAAxkBAAI{n:06d}fake",
            file_unique_id=f"AgAD{n:06d}",
            data=data,
            filename=filename,
            mime_type=mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream",
            file_path=f"{folder}/file_{n}{suffix}",
        )
        self.files[stored.file_id] = stored
        return stored

    # ---------------------------------------------------------------- reading

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by the bot through getUpdates' offset."""
        return list(self._updates)

    @property
    def validation_errors(self) -> list[SentRecord]:
        """4xx answers the test did not inject: requests the real Telegram would refuse too."""
        return [r for r in self.rejected if not r.injected]

    def messages_to(self, chat_id: int) -> list[JSONDict]:
        """Current state (after edits, without deleted ones) of bot messages in a chat."""
        return [
            dict(self._messages[k])
            for k in self._bot_message_keys
            if k[0] == chat_id and k in self._messages
        ]

    def file_bytes(self, file_id: str) -> bytes:
        return self.files[file_id].data

    def mark(self) -> int:
        """Index to pass as ``since`` to wait_for, so only later requests match."""
        return len(self.sent)

    async def wait_for(
        self, predicate: Callable[[SentRecord], bool], timeout: float = 10.0, *, since: int = 0
    ) -> SentRecord:
        """Return the first recorded request (from index ``since``) matching ``predicate``."""
        deadline = time.monotonic() + timeout
        index = since
        while True:
            while index < len(self.sent):
                record = self.sent[index]
                index += 1
                if predicate(record):
                    return record
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                recent = [(r.method, r.chat_id, r.status, r.text) for r in self.sent[-5:]]
                raise TimeoutError(f"no matching request within {timeout}s; last: {recent}")
            await self._wait_change(remaining)

    async def wait_for_message(
        self,
        chat_id: int | None = None,
        contains: str | None = None,
        timeout: float = 10.0,
        *,
        since: int = 0,
    ) -> JSONDict:
        """Wait for a successfully delivered bot message and return it."""

        def match(r: SentRecord) -> bool:
            msg = r.message
            return (
                r.ok
                and r.method.startswith("send")
                and msg is not None
                and (chat_id is None or msg["chat"]["id"] == chat_id)
                and (contains is None or contains in (msg.get("text") or msg.get("caption") or ""))
            )

        record = await self.wait_for(match, timeout, since=since)
        assert record.message is not None
        return record.message

    async def wait_confirmed(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until the bot has confirmed (received and moved past) ``update_id``."""
        deadline = time.monotonic() + timeout
        while any(u["update_id"] <= update_id for u in self._updates):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"update {update_id} not confirmed within {timeout}s")
            await self._wait_change(remaining)

    # ---------------------------------------------------------------- HTTP layer

    @staticmethod
    def _json_response(body: JSONDict, status: int = 200) -> web.Response:
        return web.json_response(
            body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False)
        )

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, UploadedFile]]:
        params: JSONDict = {k: _decode_form_value(k, v) for k, v in request.query.items()}
        files: dict[str, UploadedFile] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise _bad("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise _bad("can't parse JSON object")
                params.update(body)
            elif request.content_type in (
                "multipart/form-data",
                "application/x-www-form-urlencoded",
            ):
                for key, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        files[key] = UploadedFile(
                            value.filename, value.file.read(), value.content_type
                        )
                    else:
                        text = value if isinstance(value, str) else bytes(value).decode()
                        params[key] = _decode_form_value(key, text)
        for key in _JSON_PARAMS & params.keys():
            if isinstance(params[key], str):
                try:
                    params[key] = json.loads(params[key])
                except ValueError:
                    raise _bad(f"can't parse {key} JSON object") from None
        return params, files

    async def _handle_api(self, request: web.Request) -> web.Response:
        if self.token is not None and request.match_info["token"] != self.token:
            return self._json_response(ApiError(401, "Unauthorized").body(), 401)
        raw_name = request.match_info["method"]
        name, handler = self._methods.get(raw_name.lower(), (raw_name, None))
        self.calls[name] += 1
        if name in self.raw_answers:
            # A captive portal or a misconfigured proxy: 200 with a body that is not JSON.
            return web.Response(
                body=self.raw_answers[name], status=self.raw_status, content_type="text/html"
            )
        record = SentRecord(method=name, chat_id=None, params={})
        try:
            record.params, record.files = await self._read_params(request)
            chat = record.params.get("chat_id")
            record.chat_id = (
                int(chat)
                if isinstance(chat, int) or (isinstance(chat, str) and re.fullmatch(r"-?\d+", chat))
                else chat
            )
            if handler is None:
                raise ApiError(404, "Not Found")
            record.result = await self._dispatch(name, handler, record, request)
            body: JSONDict = {"ok": True, "result": record.result}
        except ApiError as err:
            record.status, record.error = err.code, err.description
            record.error_parameters, record.injected = err.parameters, err.injected
            body = err.body()
        except Exception as exc:  # a bug in the fake: make it visible in `sent`, not just logs
            record.status, record.error = 500, f"Internal Server Error: {exc!r}"
            body = {"ok": False, "error_code": 500, "description": record.error}
        if name != "getUpdates":
            self.sent.append(record)
        if 400 <= record.status < 500 and not (name == "getUpdates" and record.injected):
            self.rejected.append(record)
        self._notify()
        return self._json_response(body, record.status)

    async def _dispatch(
        self, name: str, handler: Handler, record: SentRecord, request: web.Request
    ) -> Any:
        params = record.params
        chat_id = record.chat_id if isinstance(record.chat_id, int) else None
        if chat_id is not None:
            if chat_id in self._migrated:
                raise ApiError(
                    400,
                    "Bad Request: group chat was upgraded to a supergroup chat",
                    {"migrate_to_chat_id": self._migrated[chat_id]},
                    injected=True,
                )
            if chat_id in self._blocked and name in _BLOCKABLE_METHODS:
                raise ApiError(403, "Forbidden: bot was blocked by the user", injected=True)
            bot_status = self._members.get((chat_id, BOT_ID), {}).get("status")
            if chat_id < 0 and bot_status in ("left", "kicked") and name in _BLOCKABLE_METHODS:
                kind = "group" if _chat_type(chat_id) == "group" else "supergroup"
                reason = (
                    f"bot was kicked from the {kind} chat"
                    if bot_status == "kicked"
                    else f"bot is not a member of the {kind} chat"
                )
                raise ApiError(403, f"Forbidden: {reason}", injected=True)
            if self.known_chats_only and chat_id not in self._chats:
                raise _bad("chat not found")
        if name in self.fault_methods:
            if time.monotonic() < self._storm_until:
                n = self._storm_retry_after
                raise ApiError(
                    429, f"Too Many Requests: retry after {n}", {"retry_after": n}, injected=True
                )
            if self._fail_p and self._rng.random() < self._fail_p:
                kind = self._rng.choice(self._fail_kinds)
                if kind != "timeout":
                    raise ApiError(502, "Bad Gateway", injected=True)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), self.timeout_delay)
                if not self.timeout_delivers or self._closing.is_set():
                    raise ApiError(504, "Gateway Timeout", injected=True)
        return await handler(_Call(params, record.files, request))

    async def _handle_file(self, request: web.Request) -> web.Response:
        if self.token is not None and request.match_info["token"] != self.token:
            return self._json_response(ApiError(401, "Unauthorized").body(), 401)
        path = request.match_info["file_path"]
        for stored in self.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.data, content_type=stored.mime_type)
        return self._json_response(ApiError(404, "Not Found").body(), 404)

    # ---------------------------------------------------------------- validation helpers

    def _check_rate(self, chat_id: int) -> None:
        if not self.enforce_rates:
            return
        now = time.monotonic()
        checks = [
            (self._global_times, 1.0, self.global_per_sec),
            (
                self._chat_times.setdefault(chat_id, deque()),
                self.per_chat_window,
                self.per_chat_per_sec + self.per_chat_burst,
            ),
        ]
        if chat_id < 0:
            checks.append(
                (self._group_times.setdefault(chat_id, deque()), 60.0, self.group_per_min)
            )
        wait = 0.0
        for times, window, limit in checks:
            while times and times[0] <= now - window:
                times.popleft()
            if len(times) >= limit:
                wait = max(wait, times[0] + window - now)
        if wait > 0:
            n = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {n}", {"retry_after": n})
        for times, _, _ in checks:
            times.append(now)

    def _prepare_text(
        self, params: JSONDict, key: str, limit: int, too_long: str
    ) -> tuple[str, list[JSONDict]]:
        raw = params.get(key)
        text = "" if raw is None else str(raw)
        mode = str(params.get("parse_mode") or "").lower()
        entities: list[JSONDict] = []
        if mode == "html":
            try:
                text, entities = parse_html(text, strict_ampersand=self.strict_ampersand)
            except EntityParseError as err:
                raise _bad(f"can't parse entities: {err}") from None
        elif mode not in ("", "markdown", "markdownv2"):
            raise _bad("unsupported parse_mode")
        else:
            given = params.get("entities" if key == "text" else "caption_entities")
            entities = list(given) if isinstance(given, list) else []
        text, entities = _strip_text(text, entities)
        if utf16_len(text) > limit:
            raise _bad(too_long)
        return text, entities

    def _chat_id(self, params: JSONDict) -> int:
        value = params.get("chat_id")
        if isinstance(value, str) and value.startswith("@"):
            for chat in self._chats.values():
                if chat.get("username", "").lower() == value[1:].lower():
                    return int(chat["id"])
            raise _bad("chat not found")
        return _int_param(params, "chat_id")

    def _new_bot_message(self, params: JSONDict, chat_id: int) -> JSONDict:
        """Common Message skeleton; validation must be done before (it allocates an id)."""
        chat = self._chat(chat_id)
        msg: JSONDict = {
            "message_id": self._message_id(chat_id),
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
        }
        thread = _opt_int(params, "message_thread_id")
        if thread is not None:
            msg["message_thread_id"] = thread
            msg["is_topic_message"] = True
        return msg

    def _reply_target(self, params: JSONDict, chat_id: int) -> JSONDict | None:
        reply = params.get("reply_parameters")
        allow = _bool_param(params, "allow_sending_without_reply")
        if isinstance(reply, dict):
            target = _opt_int(reply, "message_id")
            allow = allow or _bool_param(reply, "allow_sending_without_reply")
        else:
            target = _opt_int(params, "reply_to_message_id")
        if target is None:
            return None
        found = self._messages.get((chat_id, target))
        if found is None and not allow:
            raise _bad("message to be replied not found")
        return dict(found) if found else None

    def _store_bot_message(
        self, msg: JSONDict, markup: JSONDict | None, reply: JSONDict | None
    ) -> JSONDict:
        if markup is not None:
            msg["reply_markup"] = markup
        if reply is not None:
            msg["reply_to_message"] = {k: v for k, v in reply.items() if k != "reply_to_message"}
        key = (msg["chat"]["id"], msg["message_id"])
        self._messages[key] = msg
        self._bot_message_keys.append(key)
        return dict(msg)

    def _member_obj(self, chat_id: int, user_id: int, override: JSONDict | None = None) -> JSONDict:
        info = dict(override or self._members.get((chat_id, user_id), {"status": "member"}))
        status = info.pop("status")
        user = self.bot_user if user_id == BOT_ID else self._user(user_id)
        member: JSONDict = {"user": user, "status": status}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
            member.update(can_be_edited=False, is_anonymous=False, can_promote_members=False)
        elif status == "restricted":
            member.update(dict.fromkeys(_RESTRICTED_FLAGS, False))
            member.update(is_member=True, until_date=0)
        elif status == "kicked":
            member["until_date"] = 0
        member.update(info)
        return member

    # ---------------------------------------------------------------- methods

    async def _m_getMe(self, c: _Call) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_getUpdates(self, c: _Call) -> Any:
        p = c.params
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _opt_int(p, "offset") or 0
        limit = min(100, max(1, _opt_int(p, "limit") or 100))
        timeout = max(0.0, float(p.get("timeout") or 0))
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        # Telegram cancels an older concurrent getUpdates with 409; generations detect that.
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                # A client that already hung up is not a second bot instance.
                transport = c.request.transport
                injected = transport is None or transport.is_closing()
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure "
                    "that only one bot instance is running",
                    injected=injected,
                )
            remaining = deadline - time.monotonic()
            if self._updates or remaining <= 0 or self._closing.is_set():
                return self._updates[:limit]
            await self._wait_change(remaining)

    async def _m_deleteWebhook(self, c: _Call) -> Any:
        p = c.params
        if _bool_param(p, "drop_pending_updates"):
            self._updates.clear()
            self._notify()
        self.webhook = None
        return True

    async def _m_setWebhook(self, c: _Call) -> Any:
        p = c.params
        url = str(p.get("url") or "")
        if not url:
            self.webhook = None  # Telegram: an empty url removes the webhook
            return True
        if not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad("bad webhook: secret token contains unallowed characters")
        if _bool_param(p, "drop_pending_updates"):
            self._updates.clear()
        self.webhook = dict(p)
        # Telegram ends a long poll in flight when a webhook is set.
        self._poll_generation += 1
        self._notify()
        return True

    async def _m_getWebhookInfo(self, c: _Call) -> Any:
        hook = self.webhook or {}
        return {
            "url": str(hook.get("url") or ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _commands_key(self, p: JSONDict) -> tuple[str, str]:
        lang = str(p.get("language_code") or "")
        if lang and not re.fullmatch(r"[a-z]{2}", lang):
            raise _bad("invalid language code specified")
        scope = p.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise _bad("can't parse BotCommandScope JSON object")
        parts = [str(scope["type"])] + [str(scope[k]) for k in ("chat_id", "user_id") if k in scope]
        return ":".join(parts), lang

    async def _m_setMyCommands(self, c: _Call) -> Any:
        p = c.params
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("too many commands")
        for cmd in commands:
            if not isinstance(cmd, dict) or not _COMMAND_RE.fullmatch(str(cmd.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description") or "")) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(p)] = [dict(c) for c in commands]
        return True

    async def _m_getMyCommands(self, c: _Call) -> Any:
        p = c.params
        return self.commands.get(self._commands_key(p), [])

    async def _m_deleteMyCommands(self, c: _Call) -> Any:
        p = c.params
        self.commands.pop(self._commands_key(p), None)
        return True

    async def _m_sendMessage(self, c: _Call) -> Any:
        p = c.params
        chat_id = self._chat_id(p)
        text, entities = self._prepare_text(p, "text", MAX_TEXT_LEN, "message is too long")
        if not text:
            raise _bad("message text is empty")
        markup = _validate_markup(p.get("reply_markup"))
        reply = self._reply_target(p, chat_id)
        self._check_rate(chat_id)
        msg = self._new_bot_message(p, chat_id)
        msg["text"] = text
        if entities:
            msg["entities"] = entities
        return self._store_bot_message(msg, markup, reply)

    async def _send_media(self, p: JSONDict, files: dict[str, UploadedFile], kind: str) -> Any:
        chat_id = self._chat_id(p)
        caption, entities = self._prepare_text(
            p, "caption", MAX_CAPTION_LEN, "message caption is too long"
        )
        markup = _validate_markup(p.get("reply_markup"))
        reply = self._reply_target(p, chat_id)
        upload = files.get(kind)
        if upload is not None:
            stored = self.register_file(
                upload.data,
                upload.filename,
                None if kind == "photo" else upload.content_type or None,
                "photos" if kind == "photo" else "documents",
            )
        else:
            ref = p.get(kind)
            if not isinstance(ref, str) or not ref:
                raise _bad(f"there is no {kind} in the request")
            if ref in self.files:
                stored = self.files[ref]
            elif re.match(r"https?://", ref):
                # Telegram would download the URL; the fake cannot, so it stores no bytes.
                stored = self.register_file(b"", ref.rsplit("/", 1)[-1] or "file")
            else:
                raise _bad("wrong file identifier/HTTP URL specified")
        self._check_rate(chat_id)
        msg = self._new_bot_message(p, chat_id)
        if kind == "photo":
            width, height = _image_size(stored.data)
            msg["photo"] = [
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": width,
                    "height": height,
                    "file_size": len(stored.data),
                }
            ]
        else:
            msg["document"] = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": stored.filename,
                "mime_type": stored.mime_type,
                "file_size": len(stored.data),
            }
        if caption:
            msg["caption"] = caption
            if entities:
                msg["caption_entities"] = entities
        return self._store_bot_message(msg, markup, reply)

    async def _m_sendPhoto(self, c: _Call) -> Any:
        p = c.params
        return await self._send_media(p, c.files, "photo")

    async def _m_sendDocument(self, c: _Call) -> Any:
        p = c.params
        return await self._send_media(p, c.files, "document")

    def _editable(self, p: JSONDict) -> tuple[int, JSONDict] | None:
        """The stored message an edit targets, or None for inline messages."""
        if p.get("inline_message_id"):
            return None
        chat_id = self._chat_id(p)
        msg = self._messages.get((chat_id, _int_param(p, "message_id")))
        if msg is None:
            raise _bad("message to edit not found")
        if msg["from"]["id"] != BOT_ID:
            raise _bad("message can't be edited")
        return chat_id, msg

    async def _m_editMessageText(self, c: _Call) -> Any:
        p = c.params
        text, entities = self._prepare_text(p, "text", MAX_TEXT_LEN, "message is too long")
        if not text:
            raise _bad("message text is empty")
        markup = _validate_markup(p.get("reply_markup"), inline_only=True)
        target = self._editable(p)
        if target is None:
            return True
        chat_id, msg = target
        if "text" not in msg:
            raise _bad("there is no text in the message to edit")
        # Omitting reply_markup removes the keyboard, so None is compared as-is.
        if (msg["text"], msg.get("entities", []), msg.get("reply_markup")) == (
            text,
            entities,
            markup,
        ):
            raise _bad(NOT_MODIFIED[len("Bad Request: ") :])
        self._check_rate(chat_id)
        msg["text"] = text
        msg["edit_date"] = int(time.time())
        msg.pop("entities", None)
        if entities:
            msg["entities"] = entities
        msg.pop("reply_markup", None)
        if markup is not None:
            msg["reply_markup"] = markup
        return dict(msg)

    async def _m_editMessageReplyMarkup(self, c: _Call) -> Any:
        p = c.params
        markup = _validate_markup(p.get("reply_markup"), inline_only=True)
        target = self._editable(p)
        if target is None:
            return True
        _, msg = target
        if msg.get("reply_markup") == markup:
            raise _bad(NOT_MODIFIED[len("Bad Request: ") :])
        msg.pop("reply_markup", None)
        if markup is not None:
            msg["reply_markup"] = markup
        msg["edit_date"] = int(time.time())
        return dict(msg)

    async def _m_answerCallbackQuery(self, c: _Call) -> Any:
        p = c.params
        query_id = str(p.get("callback_query_id") or "")
        created = self._callbacks.get(query_id)
        expired = (
            created is not None
            and self.callback_ttl is not None
            and time.monotonic() - created > self.callback_ttl
        )
        if created is None or expired:
            raise _bad(QUERY_TOO_OLD[len("Bad Request: ") :])
        del self._callbacks[query_id]
        self.callback_answers.append(dict(p))
        return True

    async def _m_answerInlineQuery(self, c: _Call) -> Any:
        p = c.params
        results = p.get("results")
        if not isinstance(results, list):
            raise _bad("can't parse inline query results JSON object")
        if len(results) > 50:
            raise _bad("RESULTS_TOO_MUCH")
        ids = [str(res.get("id")) for res in results if isinstance(res, dict)]
        if len(set(ids)) != len(ids):
            raise _bad("RESULT_ID_DUPLICATE")
        for res in results:
            if isinstance(res, dict) and res.get("reply_markup") is not None:
                _validate_markup(res["reply_markup"], inline_only=True)
        query_id = str(p.get("inline_query_id") or "")
        if query_id not in self._inline_queries:
            raise _bad(QUERY_TOO_OLD[len("Bad Request: ") :])
        self._inline_queries.discard(query_id)
        self.inline_answers.append(dict(p))
        return True

    async def _m_getFile(self, c: _Call) -> Any:
        p = c.params
        stored = self.files.get(str(p.get("file_id") or ""))
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored.data) > 20 * 1024 * 1024:
            raise _bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    async def _m_getChatMember(self, c: _Call) -> Any:
        p = c.params
        chat_id = self._chat_id(p)
        user_id = _int_param(p, "user_id")
        if chat_id > 0 and user_id not in (chat_id, BOT_ID):
            raise _bad("user not found")
        return self._member_obj(chat_id, user_id)

    async def _m_getChat(self, c: _Call) -> Any:
        p = c.params
        chat_id = self._chat_id(p)
        return {
            **self._chat(chat_id),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        }

    async def _m_deleteMessage(self, c: _Call) -> Any:
        p = c.params
        chat_id = self._chat_id(p)
        key = (chat_id, _int_param(p, "message_id"))
        msg = self._messages.get(key)
        if msg is None:
            raise _bad("message to delete not found")
        can_moderate = self._members.get((chat_id, BOT_ID), {}).get("status") in (
            "administrator",
            "creator",
        )
        if chat_id < 0 and msg["from"]["id"] != BOT_ID and not can_moderate:
            raise _bad("message can't be deleted")
        del self._messages[key]
        return True

    async def _m_sendChatAction(self, c: _Call) -> Any:
        p = c.params
        self._chat_id(p)
        if p.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    async def _m_close(self, c: _Call) -> Any:
        return True

    async def _m_logOut(self, c: _Call) -> Any:
        return True
