"""Building the Application: settings in, handlers registered, store opened in post_init."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeDefault,
    LinkPreviewOptions,
)
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

import handlers
from bot.context import SERVICES_KEY, BotApp, BotContext, Services, services_of
from bot.inbound import CleaningApplication
from bot.jobs import start_jobs
from bot.longlived import settle
from bot.menu import set_admin_menu
from bot.ops import start_error_counter, stop_error_counter
from bot.settings import Settings
from bot.texts import basic as basic_texts
from storage import Store
from storage.base import utcnow
from storage.recipients import private_recipients

log = logging.getLogger(__name__)

# Used where no real token is needed (console mode, tests): the in-process API accepts it.
OFFLINE_TOKEN = "123456:offline-console-token"


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    now: Callable[[], datetime] = utcnow,
    token: str | None = None,
    rate_limit: bool = True,
) -> BotApp:
    """The bot's Application. ``request`` replaces HTTP (console mode and tests)."""
    builder = (
        ApplicationBuilder()
        .token(token or settings.token_value())
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_file_base_url)
        .application_class(CleaningApplication)
        .context_types(ContextTypes(context=BotContext))
        .defaults(
            Defaults(
                tzinfo=_tz(settings),
                # Cards cite sources; a link preview would bury the facts under a picture.
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if rate_limit:
        # Overall and per-group ceilings; a RetryAfter is raised to the sender (max_retries=0)
        # so delivery can park that one chat instead of blocking every other send.
        limiter: Any = AIORateLimiter(
            overall_max_rate=30,
            overall_time_period=1,
            group_max_rate=20,
            group_time_period=60,
            max_retries=0,
        )
        builder = builder.rate_limiter(limiter)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        # With PTB's default pool of one, a long poll cancelled by SIGTERM can keep the only
        # connection, so the final getUpdates that confirms handled updates times out and
        # they are answered again after a restart (python-telegram-bot #3893).
        builder = builder.get_updates_connection_pool_size(2)
        if settings.proxy_url is not None:
            # Every Bot API call and file download, getUpdates included; nothing else.
            proxy = settings.proxy_url.get_secret_value()
            builder = builder.proxy(proxy).get_updates_proxy(proxy)
    app = builder.build()
    # Services.ops starts here: the uptime /status shows counts from now.
    app.bot_data[SERVICES_KEY] = Services(settings=settings, clock=now)
    handlers.register(app)
    return app


def _tz(settings: Settings) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.timezone)


async def post_init(app: BotApp) -> None:
    """Open and seed the store, register the command menu, start the periodic jobs."""
    services = services_of(app)
    store = await Store.open(services.settings.database_path, now=services.clock)
    if services.settings.access == "private":
        # Alerts and digests reach only approved users and groups (and the bot's admins).
        store.recipients = private_recipients(services.settings.admin_ids)
    services.store = store
    report = await store.seed()
    if report is not None:
        log.info(
            "seeded the store: %d new, %d updated", report.count("new"), report.count("updated")
        )
    directory = await store.load_directory()
    if directory is not None:
        log.info(
            "loaded the zone directory: %d zones created, %d rows added, %d corrected",
            len(directory.zones_created),
            len(directory.added),
            len(directory.corrected),
        )
    await start_jobs(app)
    start_error_counter(services.ops)
    await set_menu(app)
    # Modules, settings and tables live as long as the process (bot/longlived.py).
    settle("start-up", collect=False)


async def set_menu(app: BotApp) -> None:
    """The command menu in Chinese (default) and English for everyone; the admin commands
    only in the private chats of the bot's admins (configured and promoted), never for every
    group administrator."""
    services = services_of(app)
    admins = set(services.settings.admin_ids)
    if services.store is not None:
        admins |= await services.store.promoted_admins()
    try:
        for lang_code, lang in ((None, "zh"), ("en", "en")):
            user_menu = [BotCommand(n, d) for n, d in basic_texts.menu(lang)]  # type: ignore[arg-type]
            await app.bot.set_my_commands(
                user_menu, scope=BotCommandScopeDefault(), language_code=lang_code
            )
        for user_id in sorted(admins):
            await set_admin_menu(app.bot, user_id, True)
    except TelegramError as exc:
        # A missing menu is cosmetic; the bot still answers every command.
        log.warning("could not set the command menu: %s", exc)


async def post_shutdown(app: BotApp) -> None:
    services = services_of(app)
    stop_error_counter(services.ops)
    await services.robots.close()
    await services.zone_cards.close()
    if services.store is not None:
        await services.store.close()
        services.store = None
