"""Long-lived objects kept out of the cyclic garbage collector's way.

The bot holds a few hundred thousand objects for as long as it runs (modules, the zone index
and directory of the facts at hand). CPython's collector walks all of them on every full
collection, and walks every young object that points into them on the others: on the 300k
bench store a full collection paused one update for ~0.3 s, the smaller ones for several ms,
and those pauses made /zone's p99. Objects that will live until replaced are therefore moved
to the collector's permanent generation (``gc.freeze``) right after they are built: the
collector no longer visits them, and reference counting still frees them when they are
dropped (``tests/test_longlived.py`` checks that write after write leaves nothing behind).

Each freeze after start-up first hands every frozen object back (``gc.unfreeze``) and runs a
full collection: whatever died since the last freeze in a reference cycle (an update that was
in flight then, say) is freed now instead of staying frozen for good. That full pass costs
what the collector's own full passes cost (~0.1-0.3 s on the 300k store), once per facts
change, in the lookup that already rebuilds the view; between changes no full pass runs.

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
    """Freeze every object alive now, after unfreezing and a full collection unless
    ``collect`` is False (at start-up, where the few cycles left by imports are not worth
    the time)."""
    if not _enabled:
        return
    began = time.perf_counter()
    if collect:
        gc.unfreeze()
        gc.collect()
    gc.freeze()
    log.debug(
        "settled %s: %d objects frozen in %.0f ms",
        what,
        gc.get_freeze_count(),
        (time.perf_counter() - began) * 1000,
    )
