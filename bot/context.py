"""The typed context handlers receive: services from bot_data, the reader's language."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from telegram import Bot
from telegram.ext import Application, CallbackContext, ExtBot

from bot.core.lookup import TokenStore
from bot.core.robots import is_channel_id
from bot.core.zone_cache import FactsView, facts_view
from bot.jobs.delivery import Destination, Pacer, TelegramChat
from bot.jobs.robots import RobotChannel, Robots
from bot.jobs.zone_cards import PreparedCards
from bot.longlived import settle
from bot.ops import Ops
from bot.settings import Settings
from bot.texts.common import Lang, as_lang
from storage import Store
from storage.base import utcnow

Clock = Callable[[], datetime]


@dataclass
class Services:
    """What handlers and jobs share, kept in bot_data under one key."""

    settings: Settings
    # The one clock every handler and job reads (tests set it; the store gets the same one).
    clock: Clock = utcnow
    store: Store | None = None
    # Short-lived answers from Telegram (group admin checks), keyed by (chat, user).
    admin_cache: dict[tuple[int, int], tuple[float, bool]] = field(default_factory=dict)
    # Users promoted in the store, read once (None: not read yet); /promote and /demote edit it.
    promoted_admins: set[int] | None = None
    # When the last error was reported to the admins (time.monotonic()); None: never.
    last_error_report: float | None = None
    # Lookups: the facts at hand (rebuilt when the facts change), the queries behind button
    # tokens, and rendered charts keyed by (facts version, zone, language).
    facts: FactsView | None = None
    lookup_tokens: TokenStore = field(default_factory=TokenStore)
    charts: dict[tuple[int, str, str], bytes] = field(default_factory=dict)
    # Zone cards of the facts at hand, prepared in the background (bot/jobs/zone_cards.py).
    zone_cards: PreparedCards = field(default_factory=PreparedCards)
    # Delivery: one tick of alerts at a time, one digest per chat at a time, one pacer.
    alert_tick_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    digest_locks: dict[int, asyncio.Lock] = field(default_factory=dict)
    pacer: Pacer = field(init=False)
    # Workplace-IM group robots: one HTTP client and their own pacer (bot/jobs/robots.py).
    robots: Robots = field(default_factory=Robots)
    # For /status: start time, the last tick of each job, errors by kind (bot/ops.py).
    ops: Ops = field(default_factory=Ops)

    def __post_init__(self) -> None:
        # The pacer's per-chat spacing runs on the app's clock, so tests can move it.
        self.pacer = Pacer(clock=lambda: self.clock().timestamp())

    async def facts_at_hand(self, store: Store) -> FactsView:
        """The lookups' facts view, rebuilt when the facts changed. A new view lives until
        the next write: it is moved out of the garbage collector's way (bot/longlived.py)."""
        view = await facts_view(store, self.facts)
        if view is not self.facts:
            self.facts = view
            settle("the facts view")
        return view

    def destination(self, bot: Bot, chat_id: int, thread_id: int | None = None) -> Destination:
        """Where the engines send a chat's messages: the Telegram chat itself, or for a
        synthetic channel id (bot/core/robots.py) the workplace-IM group robot."""
        if is_channel_id(chat_id) and self.store is not None:
            return RobotChannel(self.robots, self.store, bot, self.pacer, chat_id)
        return TelegramChat(bot, self.pacer, chat_id, thread_id)


SERVICES_KEY = "services"


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with typed access to the services; the one cast lives here."""

    @property
    def services(self) -> Services:
        return cast(Services, self.bot_data[SERVICES_KEY])

    @property
    def store(self) -> Store:
        store = self.services.store
        if store is None:  # pragma: no cover - post_init opens it before any update
            raise RuntimeError("the store is not open")
        return store

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def app(self) -> BotApp:
        """The Application, typed (PTB types it with an unbound context type)."""
        return cast(BotApp, self.application)

    def now(self) -> datetime:
        """The app's clock, read now."""
        return self.services.clock()

    @property
    def lang(self) -> Lang:
        """The user's chosen language (/lang), else their Telegram language, else Chinese."""
        chosen = self.user_data.get("lang") if self.user_data is not None else None
        if chosen in ("zh", "en"):
            return cast(Lang, chosen)
        return as_lang(self.user_data.get("tg_lang") if self.user_data is not None else None)


BotApp = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


def services_of(app: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    return cast(Services, app.bot_data[SERVICES_KEY])
