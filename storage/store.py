"""The Store: one object owning the SQLite connection, its query methods grouped by area."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from storage.base import StoreBase, utcnow
from storage.channel_queries import ChannelQueries
from storage.chat_queries import ChatQueries
from storage.digest_queries import DigestQueries
from storage.directory import DirectoryQueries
from storage.fact_queries import FactQueries
from storage.ops_queries import OpsQueries
from storage.question_queries import QuestionQueries
from storage.review_queries import ReviewQueries
from storage.subscription_queries import SubscriptionQueries
from storage.user_queries import UserQueries


class Store(
    FactQueries,
    ChatQueries,
    UserQueries,
    DigestQueries,
    SubscriptionQueries,
    OpsQueries,
    ReviewQueries,
    QuestionQueries,
    ChannelQueries,
    DirectoryQueries,
):
    """Facts, chats and subscriptions, deliveries, digests, users, the audit trail, operations,
    the review queue of articles, the questions' name index and context, group robots and the
    zone directory."""

    @classmethod
    async def open(cls, path: Path, now: Callable[[], datetime] = utcnow) -> Store:
        """Open (creating if needed) and migrate the database at ``path``."""
        store = await cls.connect(path, now)
        assert isinstance(store, Store)
        return store


__all__ = ["Store", "StoreBase"]
