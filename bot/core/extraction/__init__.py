"""Draft fact records from a Chinese 招商 news article (rule-based, offline).

Pure: no Telegram, no SQL, no network. The caller reads the article (a file, a fetched page)
into an `Article`, passes the zones already in the store as `KnownZone`s, and gets back a
fact-file document (the YAML shape of bot/facts/seed.yaml) whose every record carries a
`review:` mapping {field: evidence sentence} for the person who reviews the draft.

Every number in a draft is copied from the article as written (hedge and unit included); a
last check leaves out any string holding a number the article does not hold.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.core.extraction.known import KnownCompany

if TYPE_CHECKING:
    from bot.core.extraction.hant import Restorer
    from bot.core.matching import ZoneIndex

__all__ = ["Article", "ExtractionError", "KnownCompany", "KnownZone", "extract"]


class ExtractionError(ValueError):
    """The input is not something drafts can be made from (empty, too long, not an article).

    `code` is stable for callers that word the message themselves: "empty", "too_long",
    "not_article" (nothing recognised), "no_zone" (records drafted but the text names no zone
    the rules recognise: call again with `zone=`); str(exc) is an English sentence for the
    command line.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Article:
    """One article: its main text (already taken out of HTML/PDF/...) and what the page says."""

    text: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # EDTF/ISO date as given by the page, if any
    url: str | None = None


@dataclass(frozen=True)
class KnownZone:
    """A zone already in the store: drafts refer to it by id instead of drafting it again."""

    id: str
    names: tuple[str, ...]  # full and short names and aliases


# The sections of a draft that hold records (sources and labels aside).
RECORD_KINDS = ("zones", "companies", "projects", "events", "figures")
# The longest text drafted in one go (characters); longer input is refused, not cut.
MAX_ARTICLE_CHARS = 200_000


def extract(
    article: Article,
    zones: Sequence[KnownZone],
    *,
    source_id: str,
    labels: Mapping[str, str | None] | None = None,
    zone: str | None = None,
    index: ZoneIndex | None = None,
    companies: Sequence[KnownCompany] = (),
    taken_company_ids: Collection[str] = (),
) -> dict[str, Any]:
    """A draft fact file for one article (see the module doc); ExtractionError on bad input.

    `labels` are the sector labels already in the store with their national area: a drafted
    sector that is one of them is not declared again; a new one is declared with the area the
    taxonomy's keywords give it (or none). `zone` is the id of the zone to file records under
    when the text names none the rules recognise (a zone the text names always wins).

    `index` is the store's zone index (the resolver /zone uses: names, aliases, pinyin, the
    national directory): where given, a zone the text names is resolved through it, exactly
    as /zone resolves the name; without it (or for a name it doesn't know) the rules compare
    the names of `zones` themselves. `companies` are the companies already in the store: a
    drafted company of the same normalised name takes the stored company's id, and a new one
    never takes an id in `taken_company_ids` (every id the store has used, deleted included).

    Every number in the result is in the article as written; a string that would hold any
    other number is left out.
    """
    text = article.text.strip()
    if not text:
        raise ExtractionError("empty", "the article is empty")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ExtractionError(
            "too_long", f"the article is longer than {MAX_ARTICLE_CHARS} characters"
        )
    from bot.core.extraction.hant import Restorer, is_traditional, simplified_article
    from bot.core.extraction.known import reuse_company_ids
    from bot.core.extraction.rules import Extractor, document

    said = "\n".join(filter(None, (text, article.title, article.outlet, article.author)))
    restorer: Restorer | None = None
    if is_traditional(said):  # read in simplified characters, drafted in the article's own
        restorer = Restorer(said)
        article = simplified_article(article)
        text = article.text.strip()
    from bot.core.extraction.english import is_english

    if is_english(text):
        doc = _extract_english(article, zones, source_id, zone, index)
        reuse_company_ids(doc, companies, taken_company_ids)
        return _checked(doc, said, restorer)
    known = [(zone.id, zone.names) for zone in zones]
    extractor = Extractor(
        text, known, source_id, fallback_zone=zone, published=article.published, index=index
    )
    extractor.run()
    if not extractor.body:
        raise ExtractionError("not_article", "no article text found (only a title or a byline)")
    if not extractor.zone_id and (extractor.projects or extractor.events):
        raise ExtractionError(
            "no_zone",
            "the article names no zone the rules recognise (高新区, 经开区, 开发区 …); "
            "say which zone it is about (--zone ID)",
        )
    doc = document(
        extractor,
        article.title,
        article.outlet,
        article.author,
        article.published,
        article.url,
        labels or {},
    )
    reuse_company_ids(doc, companies, taken_company_ids)
    return _checked(doc, said, restorer)


def _checked(doc: dict[str, Any], said: str, restorer: Restorer | None = None) -> dict[str, Any]:
    """The draft without any string holding a number the article (the page's own title and
    credits included) does not hold; ExtractionError when no record is left. A draft read in
    simplified characters is first written back in the article's own (`restorer`)."""
    from bot.core.extraction.rules import drop_foreign_numbers
    from bot.core.extraction.text import normalise

    if restorer is not None:
        doc = restorer.restore_all(doc)

    checked: dict[str, Any] = drop_foreign_numbers(doc, normalise(said).replace(" ", ""))
    for source in checked.get("sources") or []:
        # a title made of the text's first words lost to the check above: the rules' own
        # placeholder, which holds no number
        source.setdefault("title", "未命名文章")
    if not any(checked.get(key) for key in RECORD_KINDS):
        raise ExtractionError(
            "not_article",
            "nothing to draft: no zone, company, project, event or figure found "
            "(is this an investment-promotion news article, in Chinese or English?)",
        )
    return checked


def _extract_english(
    article: Article,
    zones: Sequence[KnownZone],
    source_id: str,
    zone: str | None,
    index: ZoneIndex | None,
) -> dict[str, Any]:
    """An English article's draft: zones resolved through the index (as /zone resolves an
    English name), or among `zones`' names folded the same way when there is no index."""
    from bot.core.extraction import english

    def resolve(name: str) -> str | None:
        if index is not None:
            found = index.exact(name)
            return next(iter(found)) if len(found) == 1 else None
        wanted = re.sub(r"[^a-z0-9]", "", name.lower())
        hits = {
            z.id for z in zones for n in z.names if re.sub(r"[^a-z0-9]", "", n.lower()) == wanted
        }
        return next(iter(hits)) if len(hits) == 1 else None

    reader = english.read(
        article.text, source_id, resolve, fallback_zone=zone, published=article.published
    )
    if not reader.body:
        raise ExtractionError("not_article", "no article text found (only a title or a byline)")
    if not reader.zone_id and (reader.companies or english.MONEY.search(article.text)):
        raise ExtractionError(
            "no_zone",
            "the article names no zone the rules recognise (a High-tech Zone, ETDZ, "
            "Industrial Park …); say which zone it is about (--zone ID)",
        )
    return english.document(
        reader, article.title, article.outlet, article.author, article.published, article.url
    )
