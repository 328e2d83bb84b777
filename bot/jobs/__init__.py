"""The delivery engines: alerts (alerts.py) and digests (digests.py), sent through one pacer
and one outcome handler (delivery.py) to a Destination."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.context import BotApp


async def start_jobs(app: BotApp) -> None:
    """Called from post_init once the store is open: the alert tick, the digest tick and the
    history clean-up."""
    from bot.jobs.alerts import start_alerts_job
    from bot.jobs.digests import start_job

    await start_alerts_job(app)
    start_job(app)
