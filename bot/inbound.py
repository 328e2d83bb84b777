"""Updates cleaned on the way in: lone UTF-16 surrogates (which Telegram's JSON can carry as
``\\ud800`` escapes) are dropped before any handler, store or reply sees them; they cannot be
encoded as UTF-8 and would fail every write and every reply that quotes the text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from operator import attrgetter
from typing import Any

from telegram import TelegramObject, Update
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


# Per class, a getter of the attributes ``to_dict`` serialises, or None when this PTB's
# objects cannot be read that way (then ``to_dict`` is used).
_FIELDS: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}


def _ptb_fields_getter(obj: TelegramObject) -> Callable[[Any], tuple[Any, ...]]:
    """PTB compatibility, the one place that relies on PTB internals (python-telegram-bot
    22): the attributes ``TelegramObject.to_dict`` serialises are the public ``__slots__``
    of the class and its bases, the private ones PTB keeps for deprecated names
    (``_is_deprecated_attr``, a private method) and ``api_kwargs``. Read together with
    operator.attrgetter (in C), a clean update is checked without being converted. Raises
    (AttributeError, TypeError, ...) when PTB's internals differ; the caller falls back."""
    slots = [s for c in type(obj).__mro__[:-1] for s in getattr(c, "__slots__", ())]
    names = [s for s in slots if not s.startswith("_") or obj._is_deprecated_attr(s)]
    return attrgetter(*names, "api_kwargs")


def _fields(obj: TelegramObject) -> Iterable[Any]:
    """The values ``to_dict`` would give of ``obj``: read in place where PTB's internals are
    as expected, else through the public ``to_dict`` (slower, same answer)."""
    kind = type(obj)
    if kind not in _FIELDS:
        try:
            _FIELDS[kind] = _ptb_fields_getter(obj)
        except (AttributeError, TypeError, ValueError):  # PTB internals differ: public path
            _FIELDS[kind] = None
    getter = _FIELDS[kind]
    if getter is not None:
        try:
            return getter(obj)
        except AttributeError:  # a slot this object never set: the public path
            _FIELDS[kind] = None
    return obj.to_dict().values()


def _has_surrogate(value: Any) -> bool:
    """Whether any string in the update (as ``to_dict`` would give it) holds a surrogate;
    reads the objects in place, without converting them (most updates are clean)."""
    if isinstance(value, str):
        return not value.isascii() and _SURROGATE.search(value) is not None
    if isinstance(value, TelegramObject):
        items: Iterable[Any] = _fields(value)
    elif isinstance(value, list | tuple):
        items = value
    elif isinstance(value, Mapping):
        items = value.values()
    else:
        return False
    return any(item is not None and _has_surrogate(item) for item in items)


def clean_update(update: Update) -> Update:
    """The same update, or a copy without lone surrogates when it held any."""
    if not _has_surrogate(update):
        return update
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
