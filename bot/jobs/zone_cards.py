"""Zone cards: built from the store, and prepared before anyone asks.

A /zone answer is the zone's card: one round trip of indexed reads and a render. On the 300k
bench store the SQL takes ~0.1 ms and the Python around it (the thread hop, decoding the rows,
rendering) ~1 ms. So the cards are prepared: once the facts have been quiet for a tick
(``TICK`` seconds) after a change, a background task renders every zone's card, in Chinese
and in English, for that facts version, one card per step, giving the event loop back after
each, and /zone, its buttons and inline answers serve the card from memory.

A card is served only for the facts version it was rendered for: any fact written moves the
version (bot/core/zone_cache.py), and from then on the zone's card is read and rendered at the
question again, as before, until the task has prepared the new version's cards. Cards rendered
at a question are kept too. Besides each zone's own card, the task prepares the card that each
name fitting several zones shows (昆山: 昆山高新区, with a line and a button for 昆山经开区).
Cards for admins (with notes on how records were made) are always rendered at the question.

Cards are kept as tuples of strings (text as UTF-8, button rows): the collector does not
track them, so thousands of them add nothing to its passes (bot/longlived.py), and a card's
text takes a third to half the memory of a str (one emoji makes a str four bytes a
character). The 300k bench store's 4,900 cards take about 15 MB.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.core.directory_rows import DIRECTORY_SOURCE_IDS
from bot.core.records import ZoneCounts
from bot.core.zone_cache import FactsView
from bot.texts import directory as directory_texts
from bot.texts import lookup as texts
from bot.texts.common import Lang
from storage import Store

if TYPE_CHECKING:
    from bot.context import BotApp, BotContext

log = logging.getLogger(__name__)

CARD_PROJECTS = 5
CARD_EVENTS = 5
LANGS: tuple[Lang, ...] = ("zh", "en")
TICK = 2.0  # seconds between checks of the facts version
JOB_NAME = "zone-cards"

Rows = tuple[tuple[tuple[str, str], ...], ...]
Kept = tuple[bytes, Rows]
Others = tuple[str, ...]  # the other zones a name fits, shown on the card
Build = Callable[[FactsView, str, Others, Lang], Awaitable["texts.Reply | None"]]


async def build_card(
    store: Store,
    view: FactsView,
    zone_id: str,
    lang: Lang,
    *,
    others: tuple[str, ...] = (),
    admin: bool = False,
) -> texts.Reply | None:
    """A zone's card read from the store; a zone with nothing recorded gets the directory's
    honest card. ``others``: zones the same name also fits, offered beside this one."""
    zone = view.zones.get(zone_id)
    if zone is None:
        return None
    entry = view.directory.get(zone_id)
    other_zones = [view.zones[z] for z in others if z in view.zones]
    read = await view.card_reads(
        store,
        zone_id,
        projects=CARD_PROJECTS,
        events=CARD_EVENTS,
        sources=(zone.source, *(entry.sources if entry is not None else ())),
        only_sources=(
            (entry.sources if entry else (zone.source,))
            if zone.source in DIRECTORY_SOURCE_IDS
            else None
        ),
    )
    figures, counts, sources = read.figures, read.counts, read.sources
    if not figures and counts == ZoneCounts(0, 0) and zone.source in DIRECTORY_SOURCE_IDS:
        return directory_texts.directory_card(
            lang, zone, entry, sources, admin=admin, others=other_zones
        )
    extra: list[str] = []
    if entry is not None:
        extra = [
            "",
            *directory_texts.directory_lines(entry, sources, lang, heading=True, admin=admin),
        ]
    also_meant = [directory_texts.others_line(other_zones, lang)] if other_zones else []
    reply = texts.zone_card(
        lang,
        zone,
        names=texts.Names(view.zones, view.labels, view.areas),
        counts=counts,
        figures=figures,
        projects=read.projects,
        companies=read.companies,
        events=read.events,
        sources=sources,
        directory=extra,
        others=also_meant,
    )
    reply.buttons += directory_texts.others_buttons(other_zones, lang)
    return reply


def _keep(reply: texts.Reply) -> Kept:
    return reply.text.encode(), tuple(tuple(row) for row in reply.buttons)


def _reply(kept: Kept) -> texts.Reply:
    """A fresh Reply each time: callers may add buttons to theirs."""
    text, rows = kept
    return texts.Reply(text.decode(), [list(row) for row in rows])


class PreparedCards:
    """The readers' cards (no admin notes) of one facts version."""

    def __init__(self) -> None:
        self.version: int | None = None
        self._cards: dict[tuple[str, Others, Lang], Kept] = {}
        self._task: asyncio.Task[None] | None = None
        self._seen: int | None = None  # the version the last tick found
        self._closed = False
        self.prepared: int | None = None  # the last version whose preparation ran to its end
        self.seconds: float | None = None  # how long that took
        self.failed = 0  # cards of that version that could not be made (each logged)

    def __len__(self) -> int:
        return len(self._cards)

    def count(self, version: int) -> int:
        """Cards kept for ``version`` (none if they are of another)."""
        return len(self._cards) if version == self.version else 0

    def get(self, version: int, zone_id: str, others: Others, lang: Lang) -> texts.Reply | None:
        if version != self.version:
            return None
        kept = self._cards.get((zone_id, others, lang))
        return None if kept is None else _reply(kept)

    def put(
        self, version: int, zone_id: str, others: Others, lang: Lang, reply: texts.Reply
    ) -> None:
        """Keep a card rendered at a question, if its version is the newest seen."""
        if self.version is None or version > self.version:
            self._renew(version)
        if version == self.version:
            self._cards[(zone_id, others, lang)] = _keep(reply)

    def _renew(self, version: int) -> None:
        """Drop the cards of an older version (and stop preparing them)."""
        self.version = version
        self._cards = {}
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def should_prepare(self, version: int) -> bool:
        """A tick's question: prepare ``version`` now? Yes once the facts were quiet for a
        tick (the same version found twice running), or at start-up (first tick); no while
        preparing or prepared."""
        quiet = self._seen is None or self._seen == version
        self._seen = version
        busy = self._task is not None and not self._task.done() and self.version == version
        return quiet and not busy and self.prepared != version and not self._closed

    def start(self, view: FactsView, build: Build) -> asyncio.Task[None] | None:
        """Prepare every zone's card of ``view`` in the background; None (nothing started)
        once closed, or when a newer version's cards are already kept."""
        if self._closed or (self.version is not None and view.version < self.version):
            return None
        if self.version is None or view.version > self.version:
            self._renew(view.version)
        elif self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = asyncio.get_running_loop().create_task(
            self._prepare(view, build), name=JOB_NAME
        )
        return self._task

    async def _prepare(self, view: FactsView, build: Build) -> None:
        began = time.perf_counter()
        failed = 0
        # The near-miss filter too, so that no reader's typo waits for it (40-80 ms of CPU,
        # in a thread: the loop keeps answering meanwhile).
        try:
            await asyncio.to_thread(view.index.prepare_near_misses)
        except Exception:  # then the first near miss builds it, as before
            log.exception("building the near-miss filter failed")
        shown = cards_shown(view)
        for lang in LANGS:
            for zone_id, others in shown:
                if view.version != self.version:
                    return
                key = (zone_id, others, lang)
                if key not in self._cards:
                    try:
                        reply = await build(view, zone_id, others, lang)
                    except Exception:
                        # That card is read and rendered at the question (and fails there
                        # as it would have, with the error reported); the others go on.
                        failed += 1
                        if failed == 1:
                            log.exception("preparing the zone card of %s failed", zone_id)
                        continue
                    if reply is not None and view.version == self.version:
                        self._cards[key] = _keep(reply)
                await asyncio.sleep(0)  # one card per step: updates go first
        # Ran to its end: the next tick prepares again only once the facts change.
        self.prepared = view.version
        self.seconds = time.perf_counter() - began
        self.failed = failed
        log.info(
            "prepared %d zone cards for facts version %d in %.1f s%s",
            len(self._cards),
            view.version,
            self.seconds,
            f" ({failed} could not be made)" if failed else "",
        )

    async def close(self) -> None:
        """Stop preparing, for good (before the store closes): a tick still running then
        starts nothing."""
        self._closed = True
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def cards_shown(view: FactsView) -> list[tuple[str, Others]]:
    """Every card a reader's /zone can show: each zone's own (zones with records first, the
    most asked, then the directory's), then each name's that fits several zones."""
    index = view.index
    weights = index.weights
    shown: list[tuple[str, Others]] = [
        (zone_id, ()) for zone_id in sorted(view.zones, key=lambda z: (-weights.get(z, 0), z))
    ]
    seen = set(shown)
    for name, zone_ids in index.names.items():
        if len(zone_ids) < 2:
            continue
        match = index.resolve(name)
        if match.kind != "found" or not match.others:
            continue
        card = (match.zone_id, match.others)
        if card not in seen:
            seen.add(card)
            shown.append(card)
    return shown


def start_job(app: BotApp) -> None:
    """The tick that notices a new facts version and, once it is quiet, prepares its cards."""
    if app.job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        return
    for job in app.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    app.job_queue.run_repeating(
        _tick,
        interval=TICK,
        first=TICK / 2,
        name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def _tick(context: BotContext) -> None:
    await tick(context.app)


async def tick(app: BotApp) -> asyncio.Task[None] | None:
    """Start preparing the cards if the facts changed and have been quiet since; the task
    started, if any."""
    from bot.context import services_of

    services = services_of(app)
    store = services.store
    if store is None:
        return None
    cards = services.zone_cards
    if not cards.should_prepare(await store.facts_version()):
        return None
    view = await services.facts_at_hand(store)
    return cards.start(
        view,
        lambda v, zone_id, others, lang: build_card(store, v, zone_id, lang, others=others),
    )
