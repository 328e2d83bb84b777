"""The typed context handlers receive: services from bot_data, the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from telegram.ext import Application, CallbackContext, ExtBot

from bot.settings import Settings
from bot.texts.common import Lang, as_lang
from storage import Store


@dataclass
class Services:
    """What handlers and jobs share, kept in bot_data under one key."""

    settings: Settings
    store: Store | None = None
    # Short-lived answers from Telegram (group admin checks), keyed by (chat, user).
    admin_cache: dict[tuple[int, int], tuple[float, bool]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


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
    def lang(self) -> Lang:
        """The user's chosen language (/lang), else their Telegram language, else Chinese."""
        chosen = self.user_data.get("lang") if self.user_data is not None else None
        if chosen in ("zh", "en"):
            return cast(Lang, chosen)
        return as_lang(self.user_data.get("tg_lang") if self.user_data is not None else None)


BotApp = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


def services_of(app: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    return cast(Services, app.bot_data[SERVICES_KEY])
