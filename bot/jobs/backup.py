"""The optional daily backup (BOT_BACKUP_DIR): a dated copy of the store, the newest
BOT_BACKUP_KEEP kept. Checked hourly, so a bot restarted every day is still covered."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from bot.context import BotApp, BotContext, services_of
from bot.ops import record_tick
from storage.backup import backup_into_folder, newest_backup
from storage.base import StoreError

log = logging.getLogger(__name__)

JOB_NAME = "daily-backup"
CHECK_INTERVAL = 3600.0  # seconds between two looks at the newest backup
FIRST_CHECK = 60.0  # after start, once the first alert and digest ticks are done
EVERY = timedelta(hours=24)


def start_backup_job(app: BotApp) -> None:
    settings = services_of(app).settings
    if settings.backup_dir is None or app.job_queue is None:
        return
    for job in app.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    app.job_queue.run_repeating(
        _job,
        interval=CHECK_INTERVAL,
        first=FIRST_CHECK,
        name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def _job(context: BotContext) -> None:
    await backup_tick(context.app)


async def backup_tick(app: BotApp, now: datetime | None = None) -> bool:
    """Back up when the newest backup in BOT_BACKUP_DIR is 24 hours old or missing; True if
    one was made. A failure is logged (and counted for /status); the next check retries."""
    services = services_of(app)
    settings = services.settings
    if settings.backup_dir is None:
        return False
    moment = (now or services.clock()).astimezone(UTC)
    newest = newest_backup(settings.backup_dir)
    if newest is not None:
        made = datetime.strptime(newest.stem.removeprefix("zhaoshang-"), "%Y%m%d-%H%M%S")
        if moment.replace(tzinfo=None) - made < EVERY:
            return False
    try:
        # The copy runs in a thread: the backup API reads the file while the bot goes on.
        report, removed = await asyncio.to_thread(
            backup_into_folder,
            settings.database_path,
            settings.backup_dir,
            settings.backup_keep,
            now=moment,
        )
    except StoreError as exc:
        log.error("daily backup failed: %s", exc, extra={"error_kind": "backup"})
        return False
    log.info("daily backup: %s; %d old backups removed", report.summary(), len(removed))
    record_tick(services.ops, "backup", {"removed": len(removed), **report.counts})
    return True
