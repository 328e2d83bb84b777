"""Telegram handlers: each module translates one area's updates into store calls and replies.

``register`` adds every module's handlers in order; ``on_startup`` starts their periodic jobs.
"""

from __future__ import annotations

from telegram.ext import Application

from handlers import access, admin, articles, basic, lookup, review, subscriptions
from handlers import digest as digest_handlers


def register(app: Application) -> None:  # type: ignore[type-arg]
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
    # Fallbacks last: the unknown-command pointer and the error handler.
    basic.register_fallbacks(app)


async def on_startup(app: Application) -> None:  # type: ignore[type-arg]
    """Called from post_init once the store is open (jobs, caches)."""
    await subscriptions.start_jobs(app)
    await digest_handlers.on_startup(app)
