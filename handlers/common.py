"""Small helpers every handler module shares."""

from __future__ import annotations

from collections.abc import Awaitable

from telegram.error import BadRequest


async def edit_in_place(edit: Awaitable[object]) -> None:
    """Run an edit of a message; a press that changes nothing ("not modified") is no error."""
    try:
        await edit
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise
