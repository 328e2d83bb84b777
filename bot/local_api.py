"""An in-process Bot API: a python-telegram-bot BaseRequest that answers like Telegram.

Console mode and the tests run the real Application over it: nothing leaves the process, no
token is needed, and every call the bot makes is recorded. It checks what Telegram checks
(text length, HTML entities, callback_data size) so a reply Telegram would refuse fails here.
It is production code, not a test helper: `python -m bot console` depends on it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

BOT_ID = 7000000001
BOT_USERNAME = "zhaoshang_bot"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
_SEND_METHODS = {"sendMessage", "sendPhoto", "sendDocument", "editMessageText"}
_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=\"[^\"<>]*\"|='[^'<>]*')?)*)\s*>"
)
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


class TelegramRefusal(Exception):
    """What Telegram would answer with a 400: the description text."""


def _size(data: bytes | Path) -> int:
    return data.stat().st_size if isinstance(data, Path) else len(data)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def html_to_plain(text: str) -> str:
    """Check HTML as Telegram does and return the visible text; raise TelegramRefusal."""
    out: list[str] = []
    stack: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "<":
            match = _TAG.match(text, index)
            if not match:
                raise TelegramRefusal(
                    f"Bad Request: can't parse entities: Unexpected character at byte offset "
                    f"{len(text[:index].encode())}"
                )
            closing, name = match.group(1) == "/", match.group(2).lower()
            if name not in _ALLOWED_TAGS:
                raise TelegramRefusal(
                    f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" at '
                    f"byte offset {len(text[:index].encode())}"
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise TelegramRefusal(
                        "Bad Request: can't parse entities: Unexpected end tag at byte offset "
                        f"{len(text[:index].encode())}"
                    )
                stack.pop()
            else:
                stack.append(name)
            index = match.end()
        elif char == "&":
            match = _ENTITY.match(text, index)
            if not match:
                raise TelegramRefusal(
                    "Bad Request: can't parse entities: Character entity expected at byte "
                    f"offset {len(text[:index].encode())}"
                )
            entity = match.group(1)
            names = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
            if entity in names:
                out.append(names[entity])
            elif entity.startswith("#x"):
                out.append(chr(int(entity[2:], 16)))
            else:
                out.append(chr(int(entity[1:])))
            index = match.end()
        else:
            out.append(char)
            index += 1
    if stack:
        raise TelegramRefusal(
            f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1]}"'
        )
    return "".join(out)


@dataclass
class ApiCall:
    """One request the bot made: the method, its decoded parameters and any uploaded files."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    result: Any = None
    error: str | None = None

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return list(markup.get("inline_keyboard", []))

    def button_data(self) -> list[str]:
        return [b["callback_data"] for row in self.buttons for b in row if "callback_data" in b]


class LocalBotApi(BaseRequest):
    """Answers Bot API calls in-process; records them in ``calls``.

    ``fail_next`` queues error answers per method (status, description, parameters) so tests
    can provoke a 429, 403 or a group migration without a server; status 0 makes that call
    time out (TimedOut, as when Telegram does not answer in time).
    """

    def __init__(self, on_call: Callable[[ApiCall], None] | None = None) -> None:
        self.calls: list[ApiCall] = []
        self.on_call = on_call
        # A file's bytes, or the path of a file on disk read when the bot downloads it (as
        # a server would serve it: a benchmark's 18 MB upload is not held meanwhile).
        self.files: dict[str, bytes | Path] = {}
        self.chat_members: dict[tuple[int, int], str] = {}
        self.fail_next: dict[str, list[tuple[int, str, dict[str, Any] | None]]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._message_ids: dict[int, count[int]] = {}
        self._callbacks_answered: set[str] = set()

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    # ---- what the bot sent -------------------------------------------------------------

    def sent(self, method: str | None = None, chat_id: int | None = None) -> list[ApiCall]:
        """Successful calls, optionally of one method and to one chat."""
        return [
            c
            for c in self.calls
            if c.error is None
            and (method is None or c.method == method)
            and (chat_id is None or c.chat_id == chat_id)
        ]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """The visible text of every message sent or edited, in order."""
        return [
            html_to_plain(c.text) if c.params.get("parse_mode") == "HTML" else c.text
            for c in self.calls
            if c.error is None
            and c.method in _SEND_METHODS
            and (chat_id is None or c.chat_id == chat_id)
        ]

    def last(self, method: str = "sendMessage") -> ApiCall:
        found = self.sent(method)
        if not found:
            raise AssertionError(f"the bot made no {method} call")
        return found[-1]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return self._messages.get((chat_id, message_id))

    def clear(self) -> None:
        self.calls.clear()

    # ---- the transport -----------------------------------------------------------------

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/" in url:
            file_path = url.rsplit("/", 1)[-1]
            data = self.files.get(file_path)
            if isinstance(data, Path):
                data = data.read_bytes()
            return (200, data) if data is not None else (404, b"Not Found")
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data is not None and request_data.contains_files:
            for name, part in request_data.multipart_data.items():
                filename, content = str(part[0]), part[1]
                raw = content if isinstance(content, bytes) else content.read()
                files[name] = (filename, raw)
        call = ApiCall(api_method, params, files)
        self.calls.append(call)
        queued = self.fail_next.get(api_method)
        if queued and queued[0][0] == 0:
            queued.pop(0)
            call.error = "timed out"
            raise TimedOut()
        status, payload = self._answer(call)
        if self.on_call is not None:
            self.on_call(call)
        return status, json.dumps(payload).encode()

    def _error(
        self, call: ApiCall, status: int, description: str, parameters: dict[str, Any] | None
    ) -> tuple[int, dict[str, Any]]:
        call.error = description
        payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            payload["parameters"] = parameters
        return status, payload

    def _answer(self, call: ApiCall) -> tuple[int, dict[str, Any]]:
        queued = self.fail_next.get(call.method)
        if queued:
            status, description, parameters = queued.pop(0)
            return self._error(call, status, description, parameters)
        handler = getattr(self, f"_m_{call.method}", None)
        if handler is None:
            return self._error(call, 404, "Not Found", None)
        try:
            result = handler(call)
        except TelegramRefusal as exc:
            return self._error(call, 400, str(exc), None)
        call.result = result
        return 200, {"ok": True, "result": result}

    # ---- methods -----------------------------------------------------------------------

    def _m_getMe(self, call: ApiCall) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "招商助手",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    def _m_setMyCommands(self, call: ApiCall) -> bool:
        return True

    def _m_deleteMyCommands(self, call: ApiCall) -> bool:
        return True

    def _m_deleteWebhook(self, call: ApiCall) -> bool:
        return True

    def _m_sendChatAction(self, call: ApiCall) -> bool:
        return True

    def _m_getUpdates(self, call: ApiCall) -> list[Any]:
        return []

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": "Group"}

    def _check_markup(self, call: ApiCall) -> None:
        for data in call.button_data():
            if not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise TelegramRefusal("Bad Request: BUTTON_DATA_INVALID")
        for row in call.buttons:
            for button in row:
                if not button.get("text"):
                    raise TelegramRefusal("Bad Request: BUTTON_TEXT_INVALID")

    def _visible(self, call: ApiCall, key: str, limit: int) -> str:
        raw = str(call.params.get(key) or "")
        text = html_to_plain(raw) if call.params.get("parse_mode") == "HTML" else raw
        if key == "text" and not text.strip():
            raise TelegramRefusal("Bad Request: message text is empty")
        if utf16_len(text) > limit:
            kind = "message caption" if key == "caption" else "message"
            raise TelegramRefusal(f"Bad Request: {kind} is too long")
        return text

    def _new_message(self, call: ApiCall, extra: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(call.params["chat_id"])
        ids = self._message_ids.setdefault(chat_id, count(1))
        message: dict[str, Any] = {
            "message_id": next(ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self._m_getMe(call),
            **extra,
        }
        if call.params.get("reply_markup"):
            markup = call.params["reply_markup"]
            message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        if call.params.get("message_thread_id"):
            message["message_thread_id"] = int(call.params["message_thread_id"])
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _m_sendMessage(self, call: ApiCall) -> dict[str, Any]:
        text = self._visible(call, "text", MAX_TEXT)
        self._check_markup(call)
        return self._new_message(call, {"text": text})

    def _m_sendPhoto(self, call: ApiCall) -> dict[str, Any]:
        caption = self._visible(call, "caption", MAX_CAPTION)
        self._check_markup(call)
        photo = [
            {
                "file_id": f"photo{len(self.calls)}",
                "file_unique_id": "p",
                "width": 800,
                "height": 600,
            }
        ]
        return self._new_message(
            call, {"photo": photo, **({"caption": caption} if caption else {})}
        )

    def _m_sendDocument(self, call: ApiCall) -> dict[str, Any]:
        caption = self._visible(call, "caption", MAX_CAPTION)
        name = next(iter(call.files.values()), ("file", b""))[0]
        document = {"file_id": f"doc{len(self.calls)}", "file_unique_id": "d", "file_name": name}
        return self._new_message(
            call, {"document": document, **({"caption": caption} if caption else {})}
        )

    def _to_edit(self, call: ApiCall) -> dict[str, Any]:
        """The message an edit names, its new markup checked, as Telegram checks both."""
        self._check_markup(call)
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        message = self._messages.get(key)
        if message is None:
            raise TelegramRefusal("Bad Request: message to edit not found")
        return message

    def _m_editMessageText(self, call: ApiCall) -> dict[str, Any]:
        text = self._visible(call, "text", MAX_TEXT)
        message = self._to_edit(call)
        markup = call.params.get("reply_markup")
        markup = json.loads(markup) if isinstance(markup, str) else markup
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise TelegramRefusal(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        message["text"] = text
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    def _m_editMessageReplyMarkup(self, call: ApiCall) -> dict[str, Any]:
        message = self._to_edit(call)
        markup = call.params.get("reply_markup")
        message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        return message

    def _m_deleteMessage(self, call: ApiCall) -> bool:
        return True

    def _m_answerCallbackQuery(self, call: ApiCall) -> bool:
        query_id = str(call.params["callback_query_id"])
        if query_id in self._callbacks_answered:
            raise TelegramRefusal(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self._callbacks_answered.add(query_id)
        return True

    def _m_answerInlineQuery(self, call: ApiCall) -> bool:
        results = call.params.get("results") or []
        if isinstance(results, str):
            results = json.loads(results)
        if len(results) > 50:
            raise TelegramRefusal("Bad Request: RESULTS_TOO_MUCH")
        return True

    def _m_getChatMember(self, call: ApiCall) -> dict[str, Any]:
        chat_id, user_id = int(call.params["chat_id"]), int(call.params["user_id"])
        status = self.chat_members.get((chat_id, user_id), "member")
        return _member(status, {"id": user_id, "is_bot": False, "first_name": "User"})

    def _m_getChat(self, call: ApiCall) -> dict[str, Any]:
        chat = self._chat(int(call.params["chat_id"]))
        chat["accent_color_id"] = 0
        chat["max_reaction_count"] = 11
        chat["accepted_gift_types"] = {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
        }
        return chat

    def _m_getFile(self, call: ApiCall) -> dict[str, Any]:
        file_id = str(call.params["file_id"])
        if file_id not in self.files:
            raise TelegramRefusal("Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": _size(self.files[file_id]),
            "file_path": file_id,
        }


# ---- updates as Telegram would send them ---------------------------------------------------

_update_ids = count(1)


def _user(user_id: int, lang: str | None, first_name: str = "Test") -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if lang:
        user["language_code"] = lang
    return user


def _chat_for(chat_id: int, chat_type: str | None) -> dict[str, Any]:
    kind = chat_type or ("private" if chat_id > 0 else "supergroup")
    chat: dict[str, Any] = {"id": chat_id, "type": kind}
    if kind == "private":
        chat["first_name"] = "Test"
    else:
        chat["title"] = "Test group"
        if kind == "supergroup":
            chat["is_forum"] = False
    return chat


def message_update(
    text: str,
    *,
    chat_id: int = 1001,
    user_id: int | None = None,
    chat_type: str | None = None,
    lang: str | None = "zh-hans",
    thread_id: int | None = None,
    message_id: int = 1,
    document: dict[str, Any] | None = None,
    reply_to: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Update JSON for a user's message; a leading /command gets its bot_command entity."""
    user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1001)
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": _chat_for(chat_id, chat_type),
        "from": _user(user_id, lang),
    }
    if document is not None:
        message["document"] = document
        if text:
            message["caption"] = text
    else:
        message["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
    if thread_id is not None:
        message["message_thread_id"] = thread_id
        message["is_topic_message"] = True
        message["chat"]["is_forum"] = True
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    return {"update_id": next(_update_ids), "message": message}


def callback_update(
    message: dict[str, Any], data: str, *, user_id: int, lang: str | None = "zh-hans"
) -> dict[str, Any]:
    """Update JSON for a press of a button on a message the bot sent."""
    update_id = next(_update_ids)
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb{update_id}",
            "from": _user(user_id, lang),
            "chat_instance": "ci",
            "message": message,
            "data": data,
        },
    }


def inline_update(query: str, *, user_id: int, lang: str | None = "zh-hans") -> dict[str, Any]:
    update_id = next(_update_ids)
    return {
        "update_id": update_id,
        "inline_query": {
            "id": f"iq{update_id}",
            "from": _user(user_id, lang),
            "query": query,
            "offset": "",
        },
    }


def my_chat_member_update(
    chat_id: int, *, user_id: int, old: str, new: str, chat_type: str = "group"
) -> dict[str, Any]:
    """Update JSON for the bot being added to (new='member') or removed from a chat."""
    bot = {"id": BOT_ID, "is_bot": True, "first_name": "招商助手", "username": BOT_USERNAME}
    return {
        "update_id": next(_update_ids),
        "my_chat_member": {
            "chat": _chat_for(chat_id, chat_type),
            "from": _user(user_id, None),
            "date": int(time.time()),
            "old_chat_member": _member(old, bot),
            "new_chat_member": _member(new, bot),
        },
    }


def _member(status: str, user: dict[str, Any]) -> dict[str, Any]:
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "kicked":
        member["until_date"] = 0
    elif status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(
            can_be_edited=False,
            is_anonymous=False,
            can_manage_chat=True,
            can_delete_messages=True,
            can_manage_video_chats=True,
            can_restrict_members=True,
            can_promote_members=False,
            can_change_info=True,
            can_invite_users=True,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
        )
    return member
