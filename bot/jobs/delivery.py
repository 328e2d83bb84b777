"""Sending to a destination under its limits, and one answer to every outcome.

Alerts and digests both hand an ``Outgoing`` message to a ``Destination`` (today a Telegram
chat, ``TelegramChat``; another kind, such as a workplace-IM robot, implements the same two
attributes and one method). Its ``deliver`` waits for the pacing slot, sends, and turns the
answer into an Outcome (sent, retry later, gone, migrated, refused) without raising.
``settle`` is the one place that says what each outcome means for the chat (429: parked;
blocked: inactive; migrated: moved to the new id; refused: that message abandoned) and asks
the engine's ``Parcel`` to record its own part (mark sent, postpone, give up).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

log = logging.getLogger(__name__)

PRIVATE_INTERVAL = 1.0  # about one message a second per private chat
GROUP_INTERVAL = 3.0  # twenty a minute per group
MAX_WAIT = 5.0  # the longest a send sleeps for its chat's slot; longer holds are handed back
_GONE_PHRASES = (
    "chat not found",
    "user not found",
    "have no rights",
    "not enough rights",
    "need administrator rights",
    "chat_write_forbidden",
    "topic_closed",
    "topic was deleted",
    "message thread not found",
)


@dataclass(frozen=True)
class Sent:
    message_id: int


@dataclass(frozen=True)
class RetryLater:
    """Rate limited (Telegram's retry_after) or a transient network/server failure."""

    seconds: float
    reason: str


@dataclass(frozen=True)
class Gone:
    """The bot may no longer write here: blocked, kicked, chat deleted, account deactivated."""

    reason: str


@dataclass(frozen=True)
class Migrated:
    new_chat_id: int


@dataclass(frozen=True)
class Refused:
    """Telegram refused this message itself (a bug on our side); retrying will not help."""

    reason: str


Outcome = Sent | RetryLater | Gone | Migrated | Refused


OVERALL_RATE = 28.0  # messages a second over all chats; Telegram allows about 30


@dataclass
class Pacer:
    """Spacing of sends: per chat (~1/s private, 20/min groups) and overall (28/s, even).

    The per-chat spacing runs on ``clock`` (the app's clock, which tests can set); the overall
    spacing runs on real time, since it is about what Telegram sees per second. It is even
    rather than a bucket: python-telegram-bot's AIORateLimiter lets a burst of 30 through at
    once, which a strict per-second counter (Telegram's) answers with 429s.
    """

    clock: Callable[[], float] = time.monotonic
    overall_rate: float = OVERALL_RATE
    _next: dict[int, float] = field(default_factory=dict)
    _locks: dict[int, asyncio.Lock] = field(default_factory=dict)
    _overall_next: float = 0.0
    _overall_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @staticmethod
    def interval(chat_id: int) -> float:
        return PRIVATE_INTERVAL if chat_id > 0 else GROUP_INTERVAL

    def wait_time(self, chat_id: int) -> float:
        return max(0.0, self._next.get(chat_id, 0.0) - self.clock())

    async def slot(self, chat_id: int) -> None:
        """Wait for this chat's next slot, then an overall one, and claim both.

        The chat's own wait comes first, so a send held back for its chat never lands on
        top of the others' evenly spaced ones; other chats are not held up meanwhile.
        """
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            delay = self.wait_time(chat_id)
            if delay > 0:
                await asyncio.sleep(delay)
            await self._overall_slot()
            self._next[chat_id] = self.clock() + self.interval(chat_id)

    async def _overall_slot(self) -> None:
        if self.overall_rate <= 0:
            return
        async with self._overall_lock:
            now = time.monotonic()
            delay = self._overall_next - now
            if delay > 0:
                await asyncio.sleep(delay)
            self._overall_next = max(self._overall_next, now) + 1.0 / self.overall_rate

    def held_chats(self) -> int:
        """Chats held back longer than their own pace: Telegram asked us to wait (429)."""
        return sum(
            1 for chat_id in list(self._next) if self.wait_time(chat_id) > self.interval(chat_id)
        )

    def hold(self, chat_id: int, seconds: float) -> None:
        """Telegram asked us to wait (429): no send to this chat before then."""
        self._next[chat_id] = max(self._next.get(chat_id, 0.0), self.clock() + seconds)


def backoff(attempts: int, base: float = 5.0, cap: float = 900.0) -> float:
    """Seconds before retry number ``attempts`` after a transient failure."""
    return float(min(cap, base * (2 ** max(0, attempts - 1))))


async def send(
    bot: Bot,
    pacer: Pacer,
    chat_id: int,
    text: str,
    *,
    thread_id: int | None = None,
    markup: InlineKeyboardMarkup | None = None,
    attempts: int = 0,
) -> Outcome:
    """One HTML message to one chat, paced; the answer classified, never raised.

    A chat Telegram told us to leave alone for longer than MAX_WAIT is not waited for here:
    the caller gets RetryLater at once and parks the item, so one rate-limited chat never
    holds up a tick, an update or shutdown.
    """
    held = pacer.wait_time(chat_id)
    if held > MAX_WAIT:
        return RetryLater(held, "rate limited")
    await pacer.slot(chat_id)
    try:
        message = await bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            message_thread_id=thread_id,
            reply_markup=markup,
        )
    except RetryAfter as exc:
        seconds = exc.retry_after
        wait = seconds.total_seconds() if hasattr(seconds, "total_seconds") else float(seconds)
        pacer.hold(chat_id, wait)
        return RetryLater(wait, "rate limited")
    except ChatMigrated as exc:
        return Migrated(int(exc.new_chat_id))
    except Forbidden as exc:
        return Gone(exc.message)
    except BadRequest as exc:
        lowered = exc.message.lower()
        if any(phrase in lowered for phrase in _GONE_PHRASES):
            return Gone(exc.message)
        log.error("Telegram refused a message to %s: %s", chat_id, exc.message)
        return Refused(exc.message)
    except (TimedOut, NetworkError) as exc:
        # NetworkError covers 5xx answers and connection failures; TimedOut may mean the
        # message did arrive, an accepted risk: a late duplicate beats a lost alert.
        return RetryLater(backoff(attempts + 1), f"network: {exc.message}")
    return Sent(message.message_id)


# ---- destinations -------------------------------------------------------------------------

Button = tuple[str, str]  # (label, callback data from bot/callbacks.py)


@dataclass(frozen=True)
class Outgoing:
    """One message as the engines make it: HTML text (rendered by bot/texts) and rows of
    buttons. A destination that has no buttons leaves them out."""

    text: str
    rows: tuple[tuple[Button, ...], ...] = ()


class Destination(Protocol):
    """Where an engine's messages go. ``chat_id`` is the key the store keeps the chat's
    deliveries, digests and state under; ``thread_id`` a topic within it, if any."""

    @property
    def chat_id(self) -> int: ...

    @property
    def thread_id(self) -> int | None: ...

    async def deliver(self, message: Outgoing, *, attempts: int = 0) -> Outcome: ...


@dataclass(frozen=True)
class TelegramChat:
    """A Telegram chat (or a forum topic of one), paced by the app's one Pacer."""

    bot: Bot
    pacer: Pacer
    chat_id: int
    thread_id: int | None = None

    async def deliver(self, message: Outgoing, *, attempts: int = 0) -> Outcome:
        markup = (
            InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                    for row in message.rows
                ]
            )
            if message.rows
            else None
        )
        return await send(
            self.bot,
            self.pacer,
            self.chat_id,
            message.text,
            thread_id=self.thread_id,
            markup=markup,
            attempts=attempts,
        )


# ---- the one outcome handler --------------------------------------------------------------


class ChatStates(Protocol):
    """The store's writes ``settle`` makes about a chat itself."""

    async def set_chat_active(self, chat_id: int, active: bool) -> None: ...

    async def migrate_chat(self, old_id: int, new_id: int) -> None: ...


class Parcel(Protocol):
    """What an engine records for the message it sent, outcome by outcome."""

    async def accepted(self) -> None:
        """Telegram accepted it: mark it sent."""

    async def postpone(self, later: RetryLater) -> None:
        """Not now (429 or the network): park it until ``later.seconds`` from now."""

    async def abandon(self) -> None:
        """This message can never go (refused, or its topic is gone): give it up."""


Settled = Literal["sent", "postponed", "gone", "migrated", "abandoned"]


def topic_gone(reason: str) -> bool:
    lowered = reason.lower()
    return "thread" in lowered or "topic" in lowered


async def settle(
    store: ChatStates, to: Destination, outcome: Outcome, parcel: Parcel, what: str
) -> Settled:
    """Record one send's outcome: the parcel's own part, and the chat's state when the
    answer is about the chat (gone, migrated). ``what`` names the engine in logs."""
    chat_id = to.chat_id
    if isinstance(outcome, Sent):
        await parcel.accepted()
        return "sent"
    if isinstance(outcome, RetryLater):
        await parcel.postpone(outcome)
        log.info("%s to %s wait %.0fs: %s", what, chat_id, outcome.seconds, outcome.reason)
        return "postponed"
    if isinstance(outcome, Migrated):
        # The chat's rows follow it to the new id; the next tick sends there.
        await store.migrate_chat(chat_id, outcome.new_chat_id)
        return "migrated"
    if isinstance(outcome, Gone):
        if to.thread_id is not None and topic_gone(outcome.reason):
            await parcel.abandon()  # that topic is gone, not the chat
            return "abandoned"
        await store.set_chat_active(chat_id, False)
        log.info("chat %s is gone (%s): no more alerts or digests", chat_id, outcome.reason)
        return "gone"
    log.error("%s to %s refused: %s", what, chat_id, outcome.reason)
    await parcel.abandon()
    return "abandoned"
