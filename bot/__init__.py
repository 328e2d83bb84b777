"""招商助手: the bot's wiring (settings, Application, console, delivery) and its texts."""

import os

# Opt in to python-telegram-bot's coming behaviour (durations as timedelta, e.g. RetryAfter's
# retry_after) so the code is written once for it and no deprecation warning repeats.
os.environ.setdefault("PTB_TIMEDELTA", "1")
