"""Updates cleaned on the way in: lone UTF-16 surrogates (which Telegram's JSON can carry as
``\\ud800`` escapes) are dropped before any handler, store or reply sees them; they cannot be
encoded as UTF-8 and would fail every write and every reply that quotes the text."""

from __future__ import annotations

import re
from typing import Any

from telegram import Update
from telegram.ext import Application

_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(value: Any) -> tuple[Any, bool]:
    """The value with surrogates removed from every string in it, and whether any was."""
    if isinstance(value, str):
        cleaned = _SURROGATE.sub("", value)
        return cleaned, cleaned != value
    if isinstance(value, dict):
        changed = False
        out: dict[Any, Any] = {}
        for key, item in value.items():
            out[key], hit = _clean(item)
            changed |= hit
        return out, changed
    if isinstance(value, list | tuple):
        items = [_clean(item) for item in value]
        return [item for item, _ in items], any(hit for _, hit in items)
    return value, False


def clean_update(update: Update) -> Update:
    """The same update, or a copy without lone surrogates when it held any."""
    data, changed = _clean(update.to_dict())
    if not changed:
        return update
    cleaned = Update.de_json(data, update.get_bot())
    return cleaned if cleaned is not None else update


class CleaningApplication(Application):  # type: ignore[type-arg]
    """The Application, with every update cleaned before the handlers see it."""

    async def process_update(self, update: object) -> None:
        if isinstance(update, Update):
            update = clean_update(update)
        await super().process_update(update)
