"""Who may receive alerts and digests: the SQL condition the delivery queries share.

With BOT_ACCESS=private only approved users (and the bot's admins) in their private chats and
approved groups receive anything. The condition lives in the queries that plan and send, so a
revoked user stops receiving at the next tick and keeps the subscriptions for a re-approval.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Recipients:
    """``private``: only approved chats receive; ``admins``: the settings' admin ids."""

    private: bool = False
    admins: frozenset[int] = frozenset()

    def condition(self, chats: str) -> tuple[str, tuple[object, ...]]:
        """SQL (with its parameters) true for rows of ``chats`` (a table or alias) that may
        receive."""
        sql = (
            f"(? = 0 OR ({chats}.id < 0 AND {chats}.approved = 1) OR ({chats}.id > 0 AND "
            f"({chats}.id IN (SELECT value FROM json_each(?)) OR EXISTS (SELECT 1 FROM users "
            f"ok WHERE ok.id = {chats}.id AND (ok.status = 'approved' OR ok.role = 'admin')))))"
        )
        return sql, (int(self.private), json.dumps(sorted(self.admins)))


def private_recipients(admin_ids: Iterable[int]) -> Recipients:
    return Recipients(private=True, admins=frozenset(admin_ids))
