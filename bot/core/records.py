"""The domain's records: the facts (zones, sectors, companies, projects, events, figures,
sources) and what the store hands back about chats, subscriptions, deliveries and digests.

One set of frozen pydantic models serves the fact file (what people write), the store (what SQL
returns) and the views (what is rendered). Value types keep the source's precision. The plain
dataclasses below them are the store's answers; ``storage`` imports them from here, never the
reverse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from bot.core.values import Amount, PartialDate, Quantity

# A record is read again and again (every card, every digest), and its values are immutable:
# each distinct text is parsed once (a bounded cache; errors are not kept).
_parse_date = lru_cache(maxsize=2048)(PartialDate.parse)
_parse_amount = lru_cache(maxsize=2048)(Amount.parse)
_parse_quantity = lru_cache(maxsize=2048)(Quantity.parse)


def _to_date(value: Any) -> Any:
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, int):
        return PartialDate(year=value)
    if isinstance(value, str):
        return _parse_date(value)
    # YAML reads 2025-03-14 as a date object.
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        return PartialDate(year=value.year, month=value.month, day=value.day)
    raise ValueError(f"cannot read date {value!r}")


def _to_amount(value: Any) -> Any:
    if value is None or isinstance(value, Amount):
        return value
    if isinstance(value, bool):
        raise ValueError("an amount is not true/false")
    if isinstance(value, int | float | Decimal):
        return _parse_amount(str(value))
    if isinstance(value, str):
        return _parse_amount(value)
    raise ValueError(f"cannot read amount {value!r}")


def _to_quantity(value: Any) -> Any:
    if value is None or isinstance(value, Quantity):
        return value
    if isinstance(value, bool):
        raise ValueError("a number is not true/false")
    if isinstance(value, int | float | Decimal | str):
        quantity = _parse_quantity(str(value))
        if quantity.value < 0:
            raise ValueError("a figure cannot be negative")
        return quantity
    raise ValueError(f"cannot read number {value!r}")


DateP = Annotated[
    PartialDate,
    BeforeValidator(_to_date),
    PlainSerializer(lambda d: d.edtf(), return_type=str),
]
Money = Annotated[
    Amount,
    BeforeValidator(_to_amount),
    PlainSerializer(lambda a: a.text(), return_type=str),
]
Number = Annotated[
    Quantity,
    BeforeValidator(_to_quantity),
    PlainSerializer(lambda q: q.text(), return_type=str),
]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,47}$")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
# Notes, summaries and descriptions: long enough for any press item, short enough that a card
# stays within one Telegram message.
LongText = Annotated[str, Field(max_length=3000)]
# What a drafted record's fields rest on, for the person who reviews it: field name -> the
# sentence it came from (or a remark such as "年份取自文章日期"). Import keeps it with the record.
Review = dict[
    Annotated[str, Field(min_length=1, max_length=50)], Annotated[str, Field(max_length=1000)]
]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Stage(StrEnum):
    """Where a project stands on the main path, or a side state."""

    LEAD = "lead"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    REGISTERED = "registered"
    CONSTRUCTION = "construction"
    PRODUCTION = "production"
    FULL_PRODUCTION = "full_production"
    PAUSED = "paused"
    TERMINATED = "terminated"


STAGE_ZH: dict[Stage, str] = {
    Stage.LEAD: "线索",
    Stage.NEGOTIATING: "洽谈",
    Stage.SIGNED: "签约",
    Stage.REGISTERED: "注册",
    Stage.CONSTRUCTION: "开工",
    Stage.PRODUCTION: "投产",
    Stage.FULL_PRODUCTION: "达产",
    Stage.PAUSED: "暂缓",
    Stage.TERMINATED: "终止",
}


def parse_stage(text: str) -> Stage:
    """A stage from its English id or Chinese name (签约, signed, Signed)."""
    raw = text.strip()
    for stage, zh in STAGE_ZH.items():
        if raw == zh or raw.lower().replace(" ", "_").replace("-", "_") == stage.value:
            return stage
    aliases = {"已签约": Stage.SIGNED, "在谈": Stage.NEGOTIATING, "建设": Stage.CONSTRUCTION}
    if raw in aliases:
        return aliases[raw]
    names = ", ".join(f"{zh}/{s.value}" for s, zh in STAGE_ZH.items())
    raise ValueError(f"unknown stage {text!r}; use one of {names}")


class EventKind(StrEnum):
    COMPETITION = "competition"
    JOB_FAIR = "job_fair"
    MATCHMAKING = "matchmaking"
    UNIVERSITY_INDUSTRY = "university_industry"
    ROADSHOW = "roadshow"
    PLAN = "plan"
    DELIVERY = "delivery"
    SERVICE = "service"
    OTHER = "other"


EVENT_KIND_ZH: dict[EventKind, str] = {
    EventKind.COMPETITION: "赛事",
    EventKind.JOB_FAIR: "招聘会",
    EventKind.MATCHMAKING: "供需对接",
    EventKind.UNIVERSITY_INDUSTRY: "产学研",
    EventKind.ROADSHOW: "路演活动",
    EventKind.PLAN: "规划计划",
    EventKind.DELIVERY: "产品交付",
    EventKind.SERVICE: "企业服务",
    EventKind.OTHER: "其他",
}


def parse_event_kind(text: str) -> EventKind:
    raw = text.strip()
    for kind, zh in EVENT_KIND_ZH.items():
        if raw == zh or raw.lower().replace(" ", "_").replace("-", "_") == kind.value:
            return kind
    names = ", ".join(f"{zh}/{k.value}" for k, zh in EVENT_KIND_ZH.items())
    raise ValueError(f"unknown event kind {text!r}; use one of {names}")


class Source(Record):
    """Where facts came from: a publication page, an import file, a staff member's entry."""

    id: Id
    title: Text
    publication: str | None = None
    date: DateP | None = None
    authors: tuple[str, ...] = ()
    locator: str | None = None
    note: LongText | None = None
    review: Review | None = None
    title_en: str | None = None  # the title in English, where one is known


class SectorArea(Record):
    """One of the nine areas of 战略性新兴产业分类(2018)."""

    id: Id
    name_zh: Text
    name_en: Text


class SectorLabel(Record):
    """A zone's own sector label and the national area it maps to (None: no clear area)."""

    label: Annotated[str, Field(min_length=1, max_length=50)]
    name_en: str | None = None
    area: Id | None = None


class Person(Record):
    name: Text
    role_zh: str | None = None
    role_en: str | None = None


class Zone(Record):
    id: Id
    name_zh: Text
    short_zh: Text
    name_en: str | None = None  # never invented: cards show the Chinese name where none is known
    province: str | None = None
    city: str | None = None
    level: str | None = None
    aliases: tuple[str, ...] = ()
    leading: tuple[str, ...] = ()
    emerging: tuple[str, ...] = ()
    summary_zh: LongText | None = None
    summary_en: LongText | None = None
    source: Id
    review: Review | None = None


class Company(Record):
    id: Id
    name_zh: Text
    short_zh: str | None = None
    name_en: str | None = None
    kind: str = Field(default="company", pattern=r"^(company|institution)$")
    parent: str | None = None
    zone: Id | None = None
    founded: DateP | None = None
    people: tuple[Person, ...] = ()
    highlights_zh: tuple[str, ...] = ()
    description_zh: LongText | None = None
    description_en: LongText | None = None
    source: Id
    review: Review | None = None


class Project(Record):
    id: Id
    zone: Id
    name_zh: Text
    name_en: str | None = None
    company: Id | None = None
    sectors: tuple[str, ...] = ()
    stage: Stage | None = None
    stage_date: DateP | None = None
    landed: bool | None = None
    landed_date: DateP | None = None
    registered_capital: Money | None = None
    total_investment: Money | None = None
    annual_output: Money | None = None
    land_mu: Number | None = None
    floor_area_m2: Number | None = None
    highlights_zh: tuple[str, ...] = ()
    highlights_en: tuple[str, ...] = ()
    # Labelled figures with no field of their own: 协议投资, 计划总投资, 授信, 税收, 就业 ...
    figures: tuple[Figure, ...] = ()
    chain_role: str | None = None
    event: Id | None = None
    note: LongText | None = None
    note_en: LongText | None = None
    source: Id
    review: Review | None = None
    learned_at: datetime | None = None


class Figure(Record):
    """A number reported within an event or a project, with its own label: 21 projects
    competed, 86 intents, 协议投资 5亿元, 年创税收 约6000余万元."""

    name_zh: Text
    name_en: str | None = None
    value: Number


Project.model_rebuild()


class Event(Record):
    id: Id
    zone: Id
    kind: EventKind
    title_zh: Text
    title_en: str | None = None
    date: DateP | None = None
    figures: tuple[Figure, ...] = ()
    companies: tuple[Id, ...] = ()
    sectors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    summary_zh: LongText | None = None
    summary_en: LongText | None = None
    source: Id
    review: Review | None = None
    learned_at: datetime | None = None


class ZoneFigure(Record):
    """A headline figure of a zone, always with its period and its source."""

    id: Id
    zone: Id
    name_zh: Text
    name_en: str | None = None
    value: Number
    period: DateP | None = None
    sector: str | None = None
    part_of: Id | None = None
    note: LongText | None = None
    note_en: LongText | None = None
    source: Id
    review: Review | None = None


class FactFile(Record):
    """The fact-file format: the seed shipped with the bot and any file imported later."""

    version: int = 1
    sources: tuple[Source, ...] = ()
    areas: tuple[SectorArea, ...] = ()
    labels: tuple[SectorLabel, ...] = ()
    zones: tuple[Zone, ...] = ()
    companies: tuple[Company, ...] = ()
    projects: tuple[Project, ...] = ()
    events: tuple[Event, ...] = ()
    figures: tuple[ZoneFigure, ...] = ()


# ---- from storage/chat_queries.py ----------------------------------------


@dataclass(frozen=True)
class ChatRecord:
    """A chat as the store keeps it (not telegram.Chat): its settings and digest schedule."""

    id: int
    type: str
    title: str | None
    lang: str | None
    active: bool
    approved: bool
    migrated_to: int | None
    alert_mode: AlertMode
    timezone: str | None
    digest_kind: DigestKind
    digest_time: str
    digest_weekday: int
    next_digest_at: datetime | None
    digest_seq: int


# ---- from storage/digest_queries.py ----------------------------------------


@dataclass(frozen=True)
class DigestRow:
    chat_id: int
    period: str
    from_seq: int
    to_seq: int
    parts_sent: int
    created_at: str
    sent_at: str | None

    @property
    def done(self) -> bool:
        return self.sent_at is not None


# A stored digest plan: for each part, the (feed seq, change as shown) of its items in order.
StoredPlan = tuple[tuple[tuple[int, str], ...], ...]


@dataclass(frozen=True)
class Pruned:
    """What one clean-up removed."""

    deliveries: int
    digests: int


@dataclass(frozen=True)
class WindowItem:
    """A feed item of a digest's window: how alerts see it, its change, and the record."""

    candidate: AlertCandidate
    change: Change
    record: Project | Event


# ---- from storage/fact_queries.py ----------------------------------------


RecordKind = Literal["project", "event"]
HitKind = Literal["zone", "project", "event", "company", "figure"]  # what search finds


@dataclass
class ApplyReport:
    """What applying a fact file did, per section: new, updated, unchanged ids."""

    new: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: dict[str, list[str]] = field(default_factory=dict)
    skipped_deleted: list[str] = field(default_factory=list)

    def add(self, bucket: str, section: str, record_id: str) -> None:
        getattr(self, bucket).setdefault(section, []).append(record_id)

    def count(self, bucket: str) -> int:
        return sum(len(ids) for ids in getattr(self, bucket).values())


@dataclass(frozen=True)
class FeedItem:
    """One entry of the feed: a new record or a stage change, in the order it was stored."""

    seq: int
    kind: RecordKind
    record_id: str
    change: Literal["new", "stage"]
    at: str


@dataclass(frozen=True)
class SearchHit:
    kind: HitKind
    record_id: str
    zone_id: str | None
    title: str
    score: float


@dataclass(frozen=True)
class ZoneCounts:
    projects: int
    events: int


@dataclass(frozen=True)
class ZoneCardReads:
    """Everything a zone's card shows, read in one round trip (storage ``zone_card_reads``)."""

    figures: list[ZoneFigure]
    counts: ZoneCounts
    projects: list[Project]
    events: list[Event]
    companies: dict[str, Company]
    sources: dict[str, Source]


# ---- from storage/subscription_queries.py ----------------------------------------


SubKind = Literal["zone", "sector", "keyword"]


AlertMode = Literal["instant", "digest", "off"]
DigestKind = Literal["daily", "weekly", "off"]
Change = Literal["new", "stage"]  # a feed item: a new record, or a record's new stage


@dataclass(frozen=True)
class Subscription:
    id: int
    chat_id: int
    kind: SubKind
    value: str
    thread_id: int | None
    since_seq: int


class SubscribeResult(StrEnum):
    ADDED = "added"
    ALREADY = "already"
    LIMIT = "limit"


@dataclass(frozen=True)
class AlertCandidate:
    """A feed item as matching sees it: where it is, its sector labels and its words."""

    seq: int
    kind: RecordKind
    record_id: str
    zone_id: str
    labels: frozenset[str]
    text: str


# (candidates, subscriptions of chats that take instant alerts, all labels) -> for each
# (chat id, seq) owed an alert, the forum topic to send it to.
Matcher = Callable[
    [Sequence[AlertCandidate], Sequence[Subscription], Sequence[SectorLabel]],
    dict[tuple[int, int], int | None],
]


@dataclass(frozen=True)
class PendingDelivery:
    chat_id: int
    seq: int
    thread_id: int | None
    attempts: int
    kind: RecordKind
    record_id: str
    change: Change
    lang: str | None


# ---- from storage/user_queries.py ----------------------------------------


UserStatus = Literal["new", "pending", "approved", "denied"]
UserRole = Literal["user", "admin"]


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str | None
    username: str | None
    role: UserRole
    status: UserStatus


@dataclass(frozen=True)
class AuditEntry:
    """One change of one record: who, when, how, and the stored body before and after."""

    id: int
    at: str
    actor_id: int | None
    via: str
    kind: str
    record_id: str
    action: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class NamedRef:
    """A company or source id with the names it can be written as in a spreadsheet."""

    id: str
    names: tuple[str, ...]


# ---- from storage/channel_queries.py ---------------------------------------


ChannelStatus = Literal["active", "paused", "inactive"]


@dataclass(frozen=True)
class ChannelRecord:
    """A workplace-IM group robot (bot/core/robots.py): its chat id (synthetic, so the
    engines treat it as a chat), where and how to send, who manages it, its state."""

    chat_id: int
    kind: str  # wecom | dingtalk | feishu
    name: str
    url: str
    secret: str | None
    owner_id: int
    status: ChannelStatus
    status_reason: str | None
    last_delivery_at: datetime | None
