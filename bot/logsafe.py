"""Logging that never shows the bot token, wherever it would appear (URLs, tracebacks)."""

from __future__ import annotations

import logging
import re
import sys
from urllib.parse import quote

# Anything shaped like a bot token, even one we were not told about, also URL-encoded
# (``bot123%3AAA...``, as a server echoing the request path writes it) and after "bot".
_TOKEN_SHAPE = re.compile(r"(?<![0-9])\d{5,12}(?::|%3[aA]|%253[aA])[A-Za-z0-9_-]{20,}")
REDACTED = "[REDACTED]"


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


def setup_logging(level: str, secrets: tuple[str, ...] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, which holds the token, at INFO.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # With max_retries=0 the limiter logs every 429 with a traceback although bot/jobs/delivery.py
    # handles it (parks the chat and logs one line).
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
