"""招商助手: the bot's wiring (settings, Application, context, button data, console), its
domain (core), delivery engines (jobs) and texts."""

import os

# Opt in to python-telegram-bot's coming behaviour (durations as timedelta, e.g. RetryAfter's
# retry_after) so the code is written once for it and no deprecation warning repeats.
os.environ.setdefault("PTB_TIMEDELTA", "1")
