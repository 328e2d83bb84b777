"""When a chat's digest is due: next times in the chat's zone, /digest arguments, period keys.

Plain functions, no bot and no database. Times are computed in the chat's IANA zone through
zoneinfo, so daylight saving is honoured; stored and compared times are UTC.

Daylight-saving choices (deliberate, tested):

- A local time that does not exist on a spring-forward day (02:30 in Berlin on 2026-03-29)
  is read with the offset in force before the change, which lands the same length of time
  after the gap: 02:30 becomes 03:30 local. The digest still goes out that day, once.
- A local time that happens twice on a fall-back day (02:30 in Berlin on 2026-10-25) is the
  first occurrence (``fold=0``). The digest goes out once, at the earlier instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.records import DigestKind

DEFAULT_TIME = "08:30"

WEEKDAY_NAMES_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

_WEEKDAYS: dict[str, int] = {}
for _index, _name in enumerate(WEEKDAY_NAMES_EN):
    _WEEKDAYS[_name] = _index
for _index, _name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
):
    _WEEKDAYS[_name] = _index
for _index, _char in enumerate("一二三四五六日"):
    for _prefix in ("周", "星期", "礼拜", "每周", ""):
        _WEEKDAYS[_prefix + _char] = _index
for _prefix in ("周", "星期", "礼拜", "每周"):
    _WEEKDAYS[_prefix + "天"] = 6
_WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})

_TIME = re.compile(r"^([01]?\d|2[0-3])[:：.]([0-5]\d)$")
_DAILY_WORDS = {"daily", "day", "每天", "每日", "天"}
_WEEKLY_WORDS = {"weekly", "week", "每周", "周"}
_OFF_WORDS = {"off", "stop", "关闭", "关", "停止", "取消"}
_NOW_WORDS = {"now", "立即", "现在", "马上"}


def zone_of(name: str | None, default: str) -> ZoneInfo:
    """The chat's zone, or the bot's default zone when the chat has none or a stale name."""
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def resolve_timezone(text: str) -> str | None:
    """An IANA name from what a user typed (any case, a few Chinese names); None if unknown."""
    raw = text.strip()
    aliases = {
        "北京": "Asia/Shanghai",
        "上海": "Asia/Shanghai",
        "中国": "Asia/Shanghai",
        "beijing": "Asia/Shanghai",
        "china": "Asia/Shanghai",
        "香港": "Asia/Hong_Kong",
        "台北": "Asia/Taipei",
        "东京": "Asia/Tokyo",
        "新加坡": "Asia/Singapore",
        "伦敦": "Europe/London",
        "柏林": "Europe/Berlin",
        "纽约": "America/New_York",
        "utc": "UTC",
        "gmt": "UTC",
    }
    if raw.lower() in aliases:
        return aliases[raw.lower()]
    if not raw or len(raw) > 64 or not re.fullmatch(r"[A-Za-z0-9_+\-/]+", raw):
        return None
    return _zone_names().get(raw.lower())


@cache
def _zone_names() -> dict[str, str]:
    """Every IANA name by its lower-case form, read once: listing them scans the disk."""
    return {name.lower(): name for name in available_timezones()}


def parse_time(text: str) -> str | None:
    """'9:00', '09:00', '9：00', '9.00' -> '09:00'; None when it is not a time of day."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_weekday(text: str) -> int | None:
    """mon / Monday / 周一 / 星期一 / 一 -> 0 ... 6; None otherwise."""
    return _WEEKDAYS.get(text.strip().lower())


def _local_time(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def _at(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    """``day`` at local ``hhmm`` in UTC; gaps and repeats resolved as the module says."""
    local = datetime.combine(day, _local_time(hhmm), tzinfo=tz)  # fold=0
    return local.astimezone(UTC)


def next_digest_at(
    kind: str, hhmm: str, weekday: int, tz: ZoneInfo, now: datetime
) -> datetime | None:
    """The first scheduled moment strictly after ``now`` (UTC), or None when digests are off."""
    if kind not in ("daily", "weekly"):
        return None
    today = now.astimezone(tz).date()
    # Look a little back as well as forward: the local date of `now` and of the slot may differ.
    for offset in range(-1, 9):
        day = today + timedelta(days=offset)
        if kind == "weekly" and day.weekday() != weekday:
            continue
        moment = _at(day, hhmm, tz)
        if moment > now:
            return moment
    raise AssertionError("unreachable: a slot exists within eight days")  # pragma: no cover


def period_key(kind: str, due: datetime, tz: ZoneInfo) -> str:
    """The period a scheduled digest covers, named by the slot's local date.

    daily: ``d2026-03-29``; weekly: ``w2026-W14`` (ISO week). A chat gets one digest per key,
    so a changed schedule or a restart never sends the same period twice.
    """
    local = due.astimezone(tz)
    if kind == "weekly":
        year, week, _ = local.isocalendar()
        return f"w{year}-W{week:02d}"
    return f"d{local.date().isoformat()}"


def now_period_key(now: datetime) -> str:
    """A /digest now digest: its own key; it still moves the chat's watermark when sent."""
    return f"now-{int(now.timestamp())}"


@dataclass(frozen=True)
class ShowSchedule:
    pass


@dataclass(frozen=True)
class SendNow:
    pass


@dataclass(frozen=True)
class SetSchedule:
    """A new schedule; ``time``/``weekday`` None keep the chat's current values."""

    kind: DigestKind
    time: str | None = None
    weekday: int | None = None


DigestCommand = ShowSchedule | SendNow | SetSchedule


class ScheduleSyntaxError(ValueError):
    """The /digest arguments are not a schedule; the handler answers with the usage line."""


def parse_digest_args(args: list[str]) -> DigestCommand:
    """/digest arguments: '', '09:00', 'daily 08:30', 'weekly mon 08:30', 'weekly 周一 08:30',
    '每周一 08:30', 'off', 'now'. Raises ScheduleSyntaxError on anything else."""
    words = [w for arg in args for w in arg.replace("，", " ").replace(",", " ").split()]
    if not words:
        return ShowSchedule()
    if len(words) > 4:
        raise ScheduleSyntaxError("too many words")
    head = words[0].lower()
    if len(words) == 1 and head in _NOW_WORDS:
        return SendNow()
    if len(words) == 1 and head in _OFF_WORDS:
        return SetSchedule("off")
    hhmm = parse_time(words[0])
    if hhmm is not None and len(words) == 1:
        return SetSchedule("daily", hhmm)
    if head in _DAILY_WORDS:
        rest = words[1:]
        if not rest:
            return SetSchedule("daily")
        if len(rest) == 1 and (hhmm := parse_time(rest[0])) is not None:
            return SetSchedule("daily", hhmm)
        raise ScheduleSyntaxError("daily takes one time, e.g. daily 08:30")
    # 'weekly mon 08:30', 'weekly 周一 08:30', '每周一 08:30', 'mon 08:30'
    rest = words
    weekday: int | None = None
    if head in _WEEKLY_WORDS:
        rest = words[1:]
    elif parse_weekday(head) is not None and head not in _DAILY_WORDS:
        weekday = parse_weekday(head)
        rest = words[1:]
    else:
        raise ScheduleSyntaxError(f"unknown word {words[0]!r}")
    hhmm = None
    for word in rest:
        if (found := parse_time(word)) is not None and hhmm is None:
            hhmm = found
        elif (day := parse_weekday(word)) is not None and weekday is None:
            weekday = day
        else:
            raise ScheduleSyntaxError(f"unknown word {word!r}")
    return SetSchedule("weekly", hhmm, weekday)
