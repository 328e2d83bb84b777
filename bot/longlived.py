"""Long-lived objects kept out of the cyclic garbage collector's way.

The bot holds a few hundred thousand objects for as long as it runs (modules, the zone index
and directory of the facts at hand). CPython's collector walks all of them on every full
collection, and walks every young object that points into them on the others: on the 300k
bench store a full collection paused one update for ~0.3 s, the smaller ones for several ms,
and those pauses made /zone's p99. Objects that will live until replaced are therefore moved
to the collector's permanent generation (``gc.freeze``) right after they are built: the
collector no longer visits them, and reference counting still frees them when they are
dropped (the facts view holds no reference cycles; ``tests/test_longlived.py`` checks that
replacing it many times leaves nothing behind).

A full collection runs just before each freeze, so garbage that only the collector can free
is freed then instead of being kept for good.

This is the running process's policy, switched on by its entry points (``python -m bot``,
the console, the benchmarks): a test process builds and drops hundreds of applications, and
freezing those would keep their cycles for good.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)

_enabled = False


def enable() -> None:
    """Freeze long-lived objects from now on (the bot's process calls this at start)."""
    global _enabled
    _enabled = True


def disable() -> None:
    """Stop freezing, and hand every frozen object back to the collector."""
    global _enabled
    _enabled = False
    gc.unfreeze()


def settle(what: str, *, collect: bool = True) -> None:
    """Freeze every object alive now (after a full collection unless ``collect`` is False:
    at start-up, where the few cycles left by imports are not worth the time)."""
    if not _enabled:
        return
    began = time.perf_counter()
    if collect:
        gc.collect()
    gc.freeze()
    log.debug(
        "settled %s: %d objects frozen in %.0f ms",
        what,
        gc.get_freeze_count(),
        (time.perf_counter() - began) * 1000,
    )
