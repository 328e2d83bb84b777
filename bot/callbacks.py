"""Every kind of button data (Telegram's callback_data), packed and parsed here and only here.

Each kind is a frozen dataclass with ``pack()``; ``unpack(data)`` turns what a button sent back
into one of them, or None for anything it does not recognise (forged, garbled, or a kind no
longer made): it never raises. The wire format is the one buttons already sent in chats use
(``z:kunshan``, ``zp:kunshan:2:e``, ``sub:zone:kunshan``, ``dg:t:08:30``, ``dm:d2026-03-29``,
``adm:del:p:ID``, ...), so old buttons keep working. Telegram refuses callback data over 64
bytes: ``pack`` raises ``TooLong`` and ``packed`` returns None for such a button, the one
place that checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

from bot.core import records

MAX_BYTES = 64


class TooLong(ValueError):
    """Callback data Telegram would refuse (empty or over 64 bytes)."""


def _join(*parts: object) -> str:
    data = ":".join(str(p) for p in parts)
    size = len(data.encode())
    if not 1 <= size <= MAX_BYTES:
        raise TooLong(f"callback_data of {size} bytes: {data[:80]!r}")
    return data


def _page(text: str) -> int:
    """A page number; anything odd is the first page (as buttons always did)."""
    return int(text) if text.isdigit() and len(text) <= 6 else 0


# ---- lookups -------------------------------------------------------------------------------

LookupKind = Literal["z", "zl", "zp", "ze", "zc", "p", "e", "c", "f", "s", "sp", "sc"]
LOOKUP_KINDS: tuple[str, ...] = get_args(LookupKind)
# What a search hit of each kind opens.
RECORD_KIND: dict[str, LookupKind] = {
    "zone": "z",
    "project": "p",
    "event": "e",
    "company": "c",
    "figure": "f",
}


@dataclass(frozen=True)
class Lookup:
    """A card or list of the lookups: ``kind:arg[:page][:e|n]``.

    ``edit``: redraw the pressed message (paging); ``counter``: the page counter between the
    arrows, which does nothing. For ``s`` the arg is a search token; for ``sp``/``sc`` a
    sector name or ``~token``.
    """

    kind: LookupKind
    arg: str = ""
    page: int | None = None
    edit: bool = False
    counter: bool = False

    def pack(self) -> str:
        parts: list[object] = [self.kind, self.arg]
        if self.page is not None:
            parts.append(self.page)
        if self.counter:
            parts.append("n")
        elif self.edit:
            parts.append("e")
        return _join(*parts)

    @classmethod
    def record(cls, kind: str, record_id: str) -> Lookup:
        """The card of a record of ``kind`` (zone, project, event, company, figure)."""
        return cls(RECORD_KIND.get(kind, "z"), record_id)


def _lookup(parts: list[str]) -> Lookup | None:
    kind = parts[0]
    if kind not in LOOKUP_KINDS or len(parts) < 2:
        return None
    rest = parts[2:]
    edit = counter = False
    if rest and rest[-1] in ("e", "n"):
        edit, counter = rest[-1] == "e", rest[-1] == "n"
        rest = rest[:-1]
    page = _page(rest[0]) if rest else None
    return Lookup(kind, parts[1], page, edit, counter)  # type: ignore[arg-type]


# ---- subscriptions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Subscribe:
    """Toggle following a zone, sector or keyword: ``sub:KIND:VALUE``."""

    kind: records.SubKind
    value: str

    def pack(self) -> str:
        return _join("sub", self.kind, self.value)


@dataclass(frozen=True)
class Unsubscribe:
    """Remove one subscription from the list, then redraw that page: ``unsub:ID:PAGE``."""

    subscription_id: int
    page: int = 0

    def pack(self) -> str:
        return _join("unsub", self.subscription_id, self.page)


@dataclass(frozen=True)
class SubscriptionsPage:
    """Another page of /subscriptions: ``subs:PAGE``."""

    page: int

    def pack(self) -> str:
        return _join("subs", self.page)


@dataclass(frozen=True)
class UsersPage:
    """Another page of /users (admins): ``users:PAGE``."""

    page: int

    def pack(self) -> str:
        return _join("users", self.page)


@dataclass(frozen=True)
class AlertMode:
    """/alerts buttons: ``alerts:MODE``."""

    mode: records.AlertMode

    def pack(self) -> str:
        return _join("alerts", self.mode)


@dataclass(frozen=True)
class Manage:
    """/manage: manage a group from a private chat (``mg:CHAT_ID``), or stop (``mg:off``)."""

    group_id: int | None  # None: manage this chat again

    def pack(self) -> str:
        return _join("mg", "off" if self.group_id is None else self.group_id)


# ---- digests, access, admin ----------------------------------------------------------------

DigestAction = Literal["daily", "weekly", "off", "now", "time"]


@dataclass(frozen=True)
class DigestButton:
    """Under /digest: ``dg:daily``, ``dg:weekly``, ``dg:off``, ``dg:now``, ``dg:t:HH:MM``."""

    action: DigestAction
    time: str = ""  # HH:MM, for "time"

    def pack(self) -> str:
        if self.action == "time":
            return _join("dg", "t", self.time)
        return _join("dg", self.action)


@dataclass(frozen=True)
class DigestMore:
    """Under a digest cut at its cap: ``dm:PERIOD``, the next held items of that digest (the
    chat is the one the button is in; anyone there may press it)."""

    period: str

    def pack(self) -> str:
        return _join("dm", self.period)


_PERIOD = re.compile(r"^(d\d{4}-\d{2}-\d{2}|w\d{4}-W\d{2}|now-\d{1,12})$")


@dataclass(frozen=True)
class AccessDecision:
    """An admin approves or denies an access request: ``acc:ok:USER`` / ``acc:no:USER``."""

    approve: bool
    user_id: int

    def pack(self) -> str:
        return _join("acc", "ok" if self.approve else "no", self.user_id)


AdminAction = Literal["kind", "v", "skip", "f", "save", "cancel", "del", "keep"]
_ADMIN_ARGS: dict[str, int] = {
    "kind": 1,  # signing | event
    "v": 2,  # field, value: a choice for a field of /add
    "skip": 1,  # field
    "f": 1,  # field to change before saving
    "save": 0,
    "cancel": 0,
    "del": 2,  # p | e, record id
    "keep": 0,
}


@dataclass(frozen=True)
class Admin:
    """/add, /edit and /delete buttons: ``adm:ACTION[:KEY[:VALUE]]``."""

    action: AdminAction
    key: str = ""
    value: str = ""

    def pack(self) -> str:
        args = (self.key, self.value)[: _ADMIN_ARGS[self.action]]
        return _join("adm", self.action, *args)


@dataclass(frozen=True)
class ArticleOffer:
    """The question before an admin's article is read: ``art:go|no:TOKEN``."""

    extract: bool
    token: str

    def pack(self) -> str:
        return _join("art", "go" if self.extract else "no", self.token)


ReviewAction = Literal["a", "m", "all", "y", "n", "e", "f"]
# How many numbers follow the article id: an offset (m) or a card's position (y, n, e, f).
_REVIEW_NUMBERS: dict[str, int] = {"a": 0, "all": 0, "m": 1, "y": 1, "n": 1, "e": 1, "f": 1}


@dataclass(frozen=True)
class ReviewButton:
    """/review: ``rv:a:ART`` opens an article, ``rv:m:ART:OFFSET`` more cards, ``rv:all:ART``
    accepts the rest, ``rv:y|n|e:ART:POS`` accepts, rejects or edits a card, and
    ``rv:f:ART:POS:FIELD`` picks the field to edit."""

    action: ReviewAction
    article: int
    number: int = 0
    field: str = ""

    def pack(self) -> str:
        parts: list[object] = [self.article]
        if _REVIEW_NUMBERS[self.action]:
            parts.append(self.number)
        if self.action == "f":
            parts.append(self.field)
        return _join("rv", self.action, *parts)


def _review(rest: str) -> ReviewButton | None:
    parts = rest.split(":")
    action = parts[0]
    numbers = _REVIEW_NUMBERS.get(action)
    if numbers is None:
        return None
    want = 2 + numbers + (1 if action == "f" else 0)
    if len(parts) != want or not all(p.isdigit() and len(p) <= 9 for p in parts[1 : 2 + numbers]):
        return None
    field = parts[-1] if action == "f" else ""
    if action == "f" and not (field.replace("_", "").isalnum() and field.isascii()):
        return None
    number = int(parts[2]) if numbers else 0
    return ReviewButton(action, int(parts[1]), number, field)  # type: ignore[arg-type]


Callback = (
    Lookup
    | Subscribe
    | Unsubscribe
    | SubscriptionsPage
    | UsersPage
    | AlertMode
    | Manage
    | DigestButton
    | DigestMore
    | AccessDecision
    | Admin
    | ArticleOffer
    | ReviewButton
)


def _int(text: str) -> int | None:
    """A (possibly negative) integer as ids are written, else None."""
    digits = text[1:] if text.startswith("-") else text
    return int(text) if digits.isdigit() and len(digits) <= 20 else None


def _unpack(data: str) -> Callback | None:
    prefix, _, rest = data.partition(":")
    if prefix in LOOKUP_KINDS:
        return _lookup(data.split(":"))
    if prefix == "sub":
        kind, _, value = rest.partition(":")
        if kind in ("zone", "sector", "keyword") and value:
            return Subscribe(kind, value)  # type: ignore[arg-type]
        return None
    if prefix == "unsub":
        parts = rest.split(":")
        if len(parts) == 2 and parts[0].isdigit():
            return Unsubscribe(int(parts[0]), _page(parts[1]))
        return None
    if prefix == "subs":
        return SubscriptionsPage(int(rest)) if rest.isdigit() and len(rest) <= 6 else None
    if prefix == "users":
        return UsersPage(int(rest)) if rest.isdigit() and len(rest) <= 6 else None
    if prefix == "alerts":
        return AlertMode(rest) if rest in ("instant", "digest", "off") else None  # type: ignore[arg-type]
    if prefix == "mg":
        if rest == "off":
            return Manage(None)
        group_id = _int(rest)
        return Manage(group_id) if group_id is not None else None
    if prefix == "dg":
        if rest in ("daily", "weekly", "off", "now"):
            return DigestButton(rest)  # type: ignore[arg-type]
        if rest.startswith("t:"):
            return DigestButton("time", rest[2:])
        return None
    if prefix == "dm":
        return DigestMore(rest) if _PERIOD.match(rest) else None
    if prefix == "acc":
        verdict, _, raw = rest.partition(":")
        user_id = _int(raw)
        if verdict in ("ok", "no") and user_id is not None:
            return AccessDecision(verdict == "ok", user_id)
        return None
    if prefix == "adm":
        action, _, args = rest.partition(":")
        count = _ADMIN_ARGS.get(action)
        if count is None:
            return None
        values = args.split(":", count - 1) if count else ([] if not args else None)
        if values is None or len(values) != count or not all(values):
            return None
        if action == "kind" and values[0] not in ("signing", "event"):
            return None
        if action == "del" and values[0] not in ("p", "e"):
            return None
        return Admin(action, *values)  # type: ignore[arg-type]
    if prefix == "art":
        action, _, token = rest.partition(":")
        hexdigits = token and all(c in "0123456789abcdef" for c in token)
        if action in ("go", "no") and hexdigits and len(token) <= 16:
            return ArticleOffer(action == "go", token)
        return None
    if prefix == "rv":
        return _review(rest)
    return None


def unpack(data: object) -> Callback | None:
    """What a button sent back, or None: unknown, forged or garbled data never raises."""
    if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_BYTES:
        return None
    try:
        return _unpack(data)
    except (ValueError, TypeError):
        return None


def packed(button: Callback) -> str | None:
    """``button.pack()``, or None when Telegram would refuse it (over 64 bytes)."""
    try:
        return button.pack()
    except TooLong:
        return None


def pattern(kind: type, **fields: object) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: data that unpacks to ``kind`` whose fields have these
    values (a tuple: any of them)."""

    def matches(data: object) -> bool:
        found = unpack(data)
        if not isinstance(found, kind):
            return False
        for name, wanted in fields.items():
            value = getattr(found, name)
            if not (value in wanted if isinstance(wanted, tuple) else value == wanted):
                return False
        return True

    return matches


def unknown(data: object) -> bool:
    """A pattern for the fallback: data no kind here recognises (an expired or odd button)."""
    return unpack(data) is None
