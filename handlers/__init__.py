"""Telegram handlers: each module translates one area's updates into store calls and replies.

``register`` adds every module's handlers in order. The periodic jobs are bot/jobs.
"""

from __future__ import annotations

from bot.context import BotApp
from handlers import access, admin, articles, basic, forged, lookup, ops, review, subscriptions
from handlers import digest as digest_handlers


def register(app: BotApp) -> None:
    # Forged or out-of-range button data is answered before any handler parses it.
    forged.register(app)
    access.register(app)
    # Article files before the admin import handler, which takes every other file.
    articles.register_files(app)
    # The /add and /edit conversation goes first in its group, so typed answers reach it.
    admin.register(app)
    review.register(app)
    # Admins' long texts, forwards and links; everyone else's text goes on to lookup.
    articles.register(app)
    basic.register(app)
    lookup.register(app)
    subscriptions.register(app)
    digest_handlers.register(app)
    ops.register(app)
    # Fallbacks last: the unknown-command pointer and the error handler.
    basic.register_fallbacks(app)
