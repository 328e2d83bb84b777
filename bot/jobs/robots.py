"""Sending to workplace-IM group robots: a Destination next to TelegramChat.

``RobotChannel`` renders the engine's message for its platform (bot/core/robots.py), waits
for the robot's own pacing slot, posts it with httpx straight to the webhook (never through
the Telegram API base URL), signs it where the platform asks, and turns the answer into the
same Outcomes as a Telegram send, so ``settle`` decides what each means. The URL and the
secret are never logged: log lines name the channel and the platform's code and message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

import httpx
from telegram import Bot

from bot.core import robots
from bot.core.records import ChannelRecord
from bot.core.robots import ChannelKind, Verdict
from bot.jobs.delivery import (
    Gone,
    Outcome,
    Outgoing,
    Pacer,
    Refused,
    RetryLater,
    Sent,
    backoff,
    send,
)
from bot.texts import channels as texts
from bot.texts.common import as_lang

if TYPE_CHECKING:
    from storage import Store

log = logging.getLogger(__name__)

TIMEOUT = 10.0  # seconds for one webhook call
# The longest a send sleeps for its robot's slot inside an engine's tick; a longer wait is
# handed back as "not now" (the engine parks the item until the slot), so robots waiting
# for their slots never hold the tick's workers that Telegram chats need.
ROBOT_MAX_WAIT = 1.0
RECORD_EVERY = 60.0  # seconds: "last delivery" is written at most this often per robot
CACHE_SECONDS = 5.0  # a robot's stored row is read again after this (handlers forget it at once)
POSTS_IN_FLIGHT = 8  # robot webhook posts at the same time, over all robots
WINDOW_MARGIN = 0.1  # seconds added to a platform's window (its clock is not ours)


@dataclass
class RobotPacer:
    """Per robot, on real time (the platforms count real seconds): even spacing from one
    post's start to the next (bot/core/robots.py INTERVAL), one post at a time, and the
    platform's own windows (LIMITS) counted from the answers, which no post can arrive after.
    A robot's wait never holds up another robot or Telegram."""

    clock: Callable[[], float] = time.monotonic
    _next: dict[int, float] = field(default_factory=dict)
    _locks: dict[int, asyncio.Lock] = field(default_factory=dict)
    _answers: dict[int, deque[float]] = field(default_factory=dict)
    _kinds: dict[int, ChannelKind] = field(default_factory=dict)

    def wait_time(self, chat_id: int) -> float:
        now = self.clock()
        wait = self._next.get(chat_id, 0.0) - now
        answers = self._answers.get(chat_id)
        kind = self._kinds.get(chat_id)
        if answers and kind is not None:
            for count, seconds in robots.LIMITS[kind]:
                if len(answers) >= count:
                    wait = max(wait, answers[-count] + seconds + WINDOW_MARGIN - now)
        return max(0.0, wait)

    @contextlib.asynccontextmanager
    async def turn(
        self, chat_id: int, kind: ChannelKind, gate: asyncio.Semaphore | None = None
    ) -> AsyncIterator[None]:
        """One post to this robot, when its spacing and its platform's windows allow; the
        robot's posts go one at a time, and each one's answer time is kept for the windows.

        ``gate``: the bound on posts in flight over all robots, held for the post. The slot
        is taken once the gate is passed: a post that queued there leaves at its own time,
        and the next one to this robot is spaced from that, not from when it began queueing.
        The gate is not held while sleeping for this robot's spacing."""
        self._kinds[chat_id] = kind
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock, contextlib.AsyncExitStack() as held:
            while True:
                while (delay := self.wait_time(chat_id)) > 0:
                    await asyncio.sleep(delay)
                if gate is None:
                    break
                await gate.acquire()
                if self.wait_time(chat_id) <= 0:  # a hold may have come while queueing
                    held.callback(gate.release)
                    break
                gate.release()
            started = self.clock()
            self._next[chat_id] = max(self._next.get(chat_id, 0.0), started + robots.INTERVAL[kind])
            try:
                yield
            finally:
                size = max(count for count, _ in robots.LIMITS[kind])
                answers = self._answers.setdefault(chat_id, deque(maxlen=size))
                answers.append(self.clock())

    def hold(self, chat_id: int, seconds: float) -> None:
        self._next[chat_id] = max(self._next.get(chat_id, 0.0), self.clock() + seconds)


_JSON = {"Content-Type": "application/json; charset=utf-8"}


async def post(
    client: httpx.AsyncClient,
    kind: ChannelKind,
    url: str,
    secret: str | None,
    body: bytes,
) -> Verdict:
    """One signed POST of an encoded body (bot/core/robots.py ``encoded_bodies``); the answer
    judged, never raised (a timeout or a broken connection is transient)."""
    target = url
    if kind == "dingtalk":
        target = robots.dingtalk_url(url, secret, int(time.time() * 1000))
    elif kind == "feishu" and secret:
        body = robots.feishu_signed(body, secret, int(time.time()))
    try:
        answer = await client.post(target, content=body, headers=_JSON, timeout=TIMEOUT)
    except httpx.TimeoutException:
        return Verdict("transient", None, "timeout")
    except httpx.HTTPError as exc:
        return Verdict("transient", None, type(exc).__name__)
    return robots.judge(kind, answer.status_code, answer.text)


@dataclass
class Robots:
    """What every robot destination shares: one HTTP client (kept-alive connections), one
    pacer, and a bound on posts in flight.

    The bound is what keeps a fan-out to hundreds of robots cheap: httpx's connection pool
    costs more per request the more requests are in flight at once (measured on loopback:
    about 1 ms of CPU a post at 8 in flight, 5-7 ms at 300), and the robots' pacing, not
    the number of parallel posts, is what limits their rate.
    """

    pacer: RobotPacer = field(default_factory=RobotPacer)
    in_flight: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(POSTS_IN_FLIGHT))
    _client: httpx.AsyncClient | None = None
    _recorded: dict[int, float] = field(default_factory=dict)
    _rows: dict[int, tuple[float, ChannelRecord | None]] = field(default_factory=dict)

    async def channel(self, store: Store, chat_id: int) -> ChannelRecord | None:
        """The robot's row, read at most every CACHE_SECONDS (every send would otherwise
        queue a read in front of the engines' own)."""
        now = time.monotonic()
        cached = self._rows.get(chat_id)
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        row = await store.channel(chat_id)
        self._rows[chat_id] = (now, row)
        return row

    def forget(self, chat_id: int) -> None:
        """A handler changed the robot (status, name, owner, removal): read it afresh."""
        self._rows.pop(chat_id, None)

    def due_record(self, chat_id: int) -> bool:
        """Whether to write this robot's last delivery now (not on every message)."""
        now = time.monotonic()
        if now - self._recorded.get(chat_id, -RECORD_EVERY) < RECORD_EVERY:
            return False
        self._recorded[chat_id] = now
        return True

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            # trust_env=False: no proxy from the environment sees the webhook URLs.
            self._client = httpx.AsyncClient(
                trust_env=False,
                follow_redirects=False,
                limits=httpx.Limits(
                    max_connections=POSTS_IN_FLIGHT * 2,
                    max_keepalive_connections=POSTS_IN_FLIGHT * 2,
                    keepalive_expiry=30.0,
                ),
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


@dataclass(frozen=True)
class RobotChannel:
    """A WeCom, DingTalk or Feishu group robot; ``chat_id`` is its synthetic chat id."""

    robots: Robots
    store: Store
    bot: Bot
    telegram_pacer: Pacer
    chat_id: int
    thread_id: int | None = None

    async def deliver(self, message: Outgoing, *, attempts: int = 0) -> Outcome:
        channel = await self.robots.channel(self.store, self.chat_id)
        if channel is None:
            return Gone("channel removed")
        if channel.status != "active":
            return RetryLater(600.0, "rate limited")  # paused meanwhile: not now, not lost
        kind = cast(ChannelKind, channel.kind)
        pacer = self.robots.pacer
        held = pacer.wait_time(self.chat_id)
        if held > ROBOT_MAX_WAIT:
            return RetryLater(held, "rate limited")
        for body in robots.encoded_bodies(kind, message.text):
            async with pacer.turn(self.chat_id, kind, self.robots.in_flight):
                verdict = await post(self.robots.client, kind, channel.url, channel.secret, body)
            if verdict.meaning == "ok":
                continue
            described = f"{verdict.code}: {verdict.message}" if verdict.code else verdict.message
            if verdict.meaning == "rate":
                park = robots.RATE_PARK[kind]
                pacer.hold(self.chat_id, park)
                log.warning("%s channel %r rate limited (%s)", kind, channel.name, described)
                return RetryLater(park, "rate limited")
            if verdict.meaning == "gone":
                return Gone(described)
            if verdict.meaning == "transient":
                return RetryLater(backoff(attempts + 1), f"network: {described}")
            log.error("%s channel %r refused a message (%s)", kind, channel.name, described)
            return Refused(described)
        if self.robots.due_record(self.chat_id):
            await self.store.record_channel_delivery(self.chat_id)
        return Sent(0)

    async def on_gone(self, reason: str) -> None:
        """Inactive, and the person who added it is told in Telegram (the bot's admins when
        that person cannot be reached)."""
        channel = await self.store.channel(self.chat_id)
        if channel is None:
            return
        await self.store.set_channel_status(self.chat_id, "inactive", reason)
        self.robots.forget(self.chat_id)
        log.warning("%s channel %r inactive: %s", channel.kind, channel.name, reason)
        await tell_owner(self.store, self.bot, self.telegram_pacer, channel, reason)


async def tell_owner(
    store: Store, bot: Bot, pacer: Pacer, channel: ChannelRecord, reason: str
) -> bool:
    lang = as_lang(await store.user_lang(channel.owner_id))
    text = texts.channel_gone(channel.name, channel.kind, reason, lang)
    outcome = await send(bot, pacer, channel.owner_id, text)
    return isinstance(outcome, Sent)


async def test_channel(
    client: httpx.AsyncClient, kind: ChannelKind, url: str, secret: str | None, text: str
) -> Verdict:
    """The message sent on /channel add and /channel test, not paced (one at a time, by a
    person) and not recorded."""
    return await post(client, kind, url, secret, robots.encoded_bodies(kind, text)[0])
