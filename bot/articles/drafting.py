"""From an article to a queued review: recognise a repeat, extract, match the store, queue.

Nothing is stored unless at least one record was drafted, and then in one transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.articles.fetch import normalise_url
from bot.articles.model import ArticleError, ArticleText, sentence_prints, text_hash
from bot.articles.review import Draft, DraftItem, Stored, match, split_draft
from bot.core.matching import ZoneIndex
from bot.core.records import Company, Event, Project, ZoneFigure
from bot.core.zone_cache import zone_index
from storage import Store
from storage.review_queries import NewItem, ReviewArticle

log = logging.getLogger(__name__)

ZoneNames = tuple[str, tuple[str, ...]]
Labels = Mapping[str, str | None]
# (article, known zones as (id, names), source id, known sector labels -> area) -> a fact-file
# document whose records carry `review:`.
Extractor = Callable[[ArticleText, Sequence[ZoneNames], str, Labels], dict[str, Any]]
MODELS: dict[str, type[BaseModel]] = {
    "projects": Project,
    "events": Event,
    "figures": ZoneFigure,
    "companies": Company,
}
NEAR_LIMIT = 2000


def keeps_review() -> bool:
    """Whether the record models hold the `review:` evidence mapping themselves."""
    return "review" in Project.model_fields


def default_extractor(
    article: ArticleText,
    zones: Sequence[ZoneNames],
    source_id: str,
    labels: Labels,
    *,
    index: ZoneIndex | None = None,
) -> dict[str, Any]:
    """The embedded rule-based extractor (bot.core.extraction), loaded on first use.

    ``index``: the store's zone index, so the zones an article names resolve as /zone
    resolves them (aliases, pinyin, the national directory).
    """
    from bot.core import extraction

    known = [extraction.KnownZone(id=zone_id, names=names) for zone_id, names in zones]
    return extraction.extract(
        extraction.Article(**article.fields()),
        known,
        source_id=source_id,
        labels=labels,
        index=index,
    )


@dataclass
class Drafted:
    """What drafting did: the queued article (new or seen before), or nothing found."""

    article: ReviewArticle | None
    created: bool
    counts: Counter[str] = field(default_factory=Counter)
    dropped: int = 0
    llm_failed: bool = False


async def known_zones(store: Store) -> list[ZoneNames]:
    out: list[ZoneNames] = []
    for zone in await store.zones():
        names = [zone.name_zh, zone.short_zh, *zone.aliases, zone.name_en]
        out.append((zone.id, tuple(dict.fromkeys(n for n in names if n))))
    return out


def _valid(item: DraftItem, keep_review: bool) -> bool:
    record = dict(item.record)
    if not keep_review:
        record.pop("review", None)
    try:
        MODELS[item.section].model_validate(record)
    except ValidationError as exc:
        log.info("dropped a drafted %s: %s", item.section, exc.errors()[0].get("msg"))
        return False
    return True


async def _stored_near(store: Store, draft: Draft) -> Stored:
    zones = {str(i.record.get("zone")) for i in draft.items if i.record.get("zone")}
    projects: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    for zone_id in sorted(zones):
        projects += [
            p.model_dump(mode="json", exclude_none=True)
            for p in await store.projects_in_zone(zone_id, limit=NEAR_LIMIT)
        ]
        events += [
            e.model_dump(mode="json", exclude_none=True)
            for e in await store.events_in_zone(zone_id, limit=NEAR_LIMIT)
        ]
        figures += [
            f.model_dump(mode="json", exclude_none=True) for f in await store.zone_figures(zone_id)
        ]
    companies = [(ref.id, ref.names) for ref in await store.company_refs()]
    return Stored(projects, events, figures, companies)


async def draft_article(
    store: Store,
    article: ArticleText,
    *,
    submitted_by: int | None,
    extractor: Extractor | None = None,
    propose: Callable[[ArticleText, dict[str, Any], Sequence[ZoneNames]], Any] | None = None,
    index: ZoneIndex | None = None,
) -> Drafted:
    """Queue an article's drafts for review, unless the same article is queued already.

    ``index`` is the zone index the bot's lookups use (built from the store when not given):
    the embedded extractor resolves the article's zones through it.

    ``propose`` (the optional language model) gets the article and the rule-based draft and
    returns the draft to queue; any failure there leaves the rule-based draft as it was.
    """
    url = normalise_url(article.url) if article.url else None
    digest = text_hash(article.text)
    prints = sentence_prints(article.text)
    seen = await store.find_review_article(url, digest, prints)
    if seen is not None:
        return Drafted(seen, created=False)
    zones = await known_zones(store)
    source_id = f"art-{digest[:12]}"
    labels = {label.label: label.area for label in await store.labels()}
    if extractor is None:
        run: Extractor = partial(default_extractor, index=index or await zone_index(store))
    else:
        run = extractor
    try:
        doc = await asyncio.to_thread(run, article, zones, source_id, labels)
    except ValueError as exc:
        # The extractor's own refusals (empty, too long, nothing recognised) carry a code.
        code = getattr(exc, "code", None)
        if code == "not_article":
            return Drafted(None, created=False)
        if isinstance(code, str):
            raise ArticleError(code) from None
        raise
    llm_failed = False
    if propose is not None:
        try:
            doc = await propose(article, doc, zones)
        except Exception as exc:  # the model is optional: its failure never loses the rules
            log.warning("the language model's drafts were left out: %s", type(exc).__name__)
            llm_failed = True
    draft = split_draft(doc)
    keep = keeps_review()
    valid = [i for i in draft.items if _valid(i, keep)]
    dropped = len(draft.items) - len(valid)
    draft.items = valid
    if not draft.items:
        return Drafted(None, created=False, dropped=dropped, llm_failed=llm_failed)
    stored = await _stored_near(store, draft)
    known = await store.known_ids()
    taken = set(known.companies | known.events | known.figures)
    taken |= {str(p["id"]) for p in stored.projects}
    for item in draft.items:
        if item.section == "projects" and await store.project(item.record_id) is not None:
            taken.add(item.record_id)
    match(draft, stored, taken)
    source = draft.source or {}
    article_id, created = await store.add_review_article(
        url=url,
        text_hash=digest,
        title=article.title or source.get("title"),
        outlet=article.outlet or source.get("publication"),
        published=article.published,
        source_id=str(source.get("id") or source_id),
        support=draft.support,
        items=[NewItem(i.section, i.record, i.evidence, i.target) for i in draft.items],
        submitted_by=submitted_by,
        prints=prints,
    )
    queued = await store.review_article(article_id)
    counts = Counter(i.section for i in draft.items)
    return Drafted(queued, created, counts, dropped, llm_failed)
