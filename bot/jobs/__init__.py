"""The delivery engines: alerts (alerts.py) and digests (digests.py), sent through one pacer
and one outcome handler (delivery.py) to a Destination; the daily backup (backup.py); and the
zone cards prepared before anyone asks (zone_cards.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.context import BotApp


async def start_jobs(app: BotApp) -> None:
    """Called from post_init once the store is open: the alert tick, the digest tick and the
    history clean-up; the daily backup when BOT_BACKUP_DIR is set; the zone cards' preparation."""
    from bot.jobs.alerts import start_alerts_job
    from bot.jobs.backup import start_backup_job
    from bot.jobs.digests import start_job
    from bot.jobs.zone_cards import start_job as start_cards_job

    await start_alerts_job(app)
    start_job(app)
    start_backup_job(app)
    start_cards_job(app)
