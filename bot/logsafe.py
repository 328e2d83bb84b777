"""Logging that never shows the bot token or another secret, wherever it would appear (URLs,
tracebacks), as human-readable lines (default) or one JSON object per line for collectors."""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import quote

# Anything shaped like a bot token, even one we were not told about, also URL-encoded
# (``bot123%3AAA...``, as a server echoing the request path writes it) and after "bot".
_TOKEN_SHAPE = re.compile(r"(?<![0-9])\d{5,12}(?::|%3[aA]|%253[aA])[A-Za-z0-9_-]{20,}")
REDACTED = "[REDACTED]"

# The chat of the update being handled (set once per update, see handlers/ops.py), so every
# log line written while handling it carries the chat id in JSON logs.
LOG_CHAT_ID: ContextVar[int | None] = ContextVar("log_chat_id", default=None)


def _forms(secret: str) -> list[str]:
    """The secret as given and as it may appear in a URL; for a token also its part after
    the colon, which is the secret proper whatever the colon became."""
    forms = {secret, quote(secret, safe=""), quote(quote(secret, safe=""), safe="")}
    _, colon, rest = secret.partition(":")
    if colon and len(rest) >= 20:
        forms.add(rest)
    forms |= {f.replace("%3A", "%3a") for f in forms}
    return sorted(forms, key=len, reverse=True)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        if secret:
            for form in _forms(secret):
                text = text.replace(form, REDACTED)
    return _TOKEN_SHAPE.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes secrets from the whole line, traceback included."""

    def __init__(self, fmt: str, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, chat_id (when the record
    carries one: ``extra={"chat_id": id}``, or while an update of that chat is handled) and
    the traceback, if any."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage(), self.secrets),
        }
        chat_id = getattr(record, "chat_id", None)
        if not isinstance(chat_id, int):
            chat_id = LOG_CHAT_ID.get()
        if isinstance(chat_id, int):
            entry["chat_id"] = chat_id
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info), self.secrets)
        return json.dumps(entry, ensure_ascii=False)


class _ExpectedFailureFilter(logging.Filter):
    """Expected failures without python-telegram-bot's tracebacks.

    Drops its "Network Retry Loop ... Aborting" record (the exception reaches the entry
    point, which says it in one line) and turns "Can not load invalid JSON data" (an answer
    that is not JSON: a captive portal, a wrong address) into one DEBUG line.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "telegram.ext":
            message = record.getMessage()
            return not ("Network Retry Loop" in message and "Abort" in message)
        if record.name == "telegram.request.BaseRequest" and "invalid JSON" in str(record.msg):
            record.msg = "the Bot API answered with something that is not JSON: %.200r"
            body = record.args[0] if isinstance(record.args, tuple) and record.args else ""
            record.args = (str(body),)
            record.exc_info = None
            record.exc_text = None
            # The caller says it too (the entry point's line, or the error handler): the body
            # itself is for DEBUG only.
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger().level <= logging.DEBUG
        return True


class _WebhookRefusalFilter(logging.Filter):
    """On python-telegram-bot's Updater logger: a refused webhook request (no or wrong secret
    token, wrong content type) becomes one WARNING line naming the sender, never its body;
    PTB says it only at DEBUG, with a traceback."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level  # the level the operator asked for

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if isinstance(record.exc_info, tuple) else record.exc_info
        status = getattr(error, "status_code", None)
        if "Exception in TelegramHandler" in record.getMessage() and status in (400, 403):
            sender = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
            record.msg = "webhook: refused a request from %s (%s: %s)"
            record.args = (sender, status, getattr(error, "reason", None) or "forbidden")
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
            return True
        if "secret token" in str(record.msg) and record.levelno < logging.WARNING:
            return False  # said by the line above
        return record.levelno >= self.level


def setup_logging(
    level: str, secrets: tuple[str, ...] = (), log_format: Literal["text", "json"] = "text"
) -> None:
    handler = logging.StreamHandler(sys.stderr)
    formatter: logging.Formatter = (
        JsonFormatter(secrets)
        if log_format == "json"
        else RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    handler.setFormatter(formatter)
    handler.addFilter(_ExpectedFailureFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    updater = logging.getLogger("telegram.ext.Updater")
    updater.setLevel(logging.DEBUG)  # so refusals, said at DEBUG, reach the filter
    updater.filters[:] = [_WebhookRefusalFilter(root.level)]
    # httpx logs every request URL, which holds the token, at INFO.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # With max_retries=0 the limiter logs every 429 with a traceback although bot/jobs/delivery.py
    # handles it (parks the chat and logs one line).
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
