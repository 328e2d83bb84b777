"""Digest schedules as pure functions: next times in a zone (with DST), /digest args, periods."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.schedule import (
    ScheduleSyntaxError,
    SendNow,
    SetSchedule,
    ShowSchedule,
    next_digest_at,
    now_period_key,
    parse_digest_args,
    parse_time,
    period_key,
    resolve_timezone,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_daily_0830_in_shanghai_is_0030_utc_today_when_before_it() -> None:
    assert next_digest_at("daily", "08:30", 0, SHANGHAI, utc(2026, 3, 2, 0, 0)) == utc(
        2026, 3, 2, 0, 30
    )


def test_daily_next_time_is_strictly_after_now() -> None:
    at = utc(2026, 3, 2, 0, 30)
    assert next_digest_at("daily", "08:30", 0, SHANGHAI, at) == utc(2026, 3, 3, 0, 30)


def test_local_date_differs_from_utc_date() -> None:
    # 2026-03-01 23:00 UTC is already 2 March 07:00 in Shanghai.
    assert next_digest_at("daily", "08:30", 0, SHANGHAI, utc(2026, 3, 1, 23, 0)) == utc(
        2026, 3, 2, 0, 30
    )


def test_weekly_monday() -> None:
    # 2026-03-04 is a Wednesday; the next Monday is 9 March.
    at = next_digest_at("weekly", "08:30", 0, SHANGHAI, utc(2026, 3, 4, 12, 0))
    assert at == utc(2026, 3, 9, 0, 30)
    assert at is not None and at.astimezone(SHANGHAI).weekday() == 0


def test_weekly_on_the_day_before_and_after_the_time() -> None:
    monday_early = utc(2026, 3, 9, 0, 0)
    assert next_digest_at("weekly", "08:30", 0, SHANGHAI, monday_early) == utc(2026, 3, 9, 0, 30)
    monday_late = utc(2026, 3, 9, 1, 0)
    assert next_digest_at("weekly", "08:30", 0, SHANGHAI, monday_late) == utc(2026, 3, 16, 0, 30)


def test_off_has_no_next_time() -> None:
    assert next_digest_at("off", "08:30", 0, SHANGHAI, utc(2026, 3, 2)) is None


def test_berlin_keeps_local_0830_across_the_spring_change() -> None:
    # CET (UTC+1) until 29 March 2026 02:00, CEST (UTC+2) from then on.
    before = next_digest_at("daily", "08:30", 0, BERLIN, utc(2026, 3, 28, 0, 0))
    after = next_digest_at("daily", "08:30", 0, BERLIN, utc(2026, 3, 28, 8, 0))
    assert before == utc(2026, 3, 28, 7, 30)
    assert after == utc(2026, 3, 29, 6, 30)
    assert after is not None and after.astimezone(BERLIN).strftime("%H:%M") == "08:30"


def test_nonexistent_local_time_goes_out_after_the_gap_once() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026: it is read as 03:30 CEST (01:30 UTC).
    first = next_digest_at("daily", "02:30", 0, BERLIN, utc(2026, 3, 28, 12, 0))
    assert first == utc(2026, 3, 29, 1, 30)
    assert first is not None
    following = next_digest_at("daily", "02:30", 0, BERLIN, first)
    assert following == utc(2026, 3, 30, 0, 30)  # 02:30 CEST the next day


def test_repeated_local_time_goes_out_at_the_first_occurrence_only() -> None:
    # 02:30 happens twice in Berlin on 25 October 2026: first at 00:30 UTC (CEST).
    first = next_digest_at("daily", "02:30", 0, BERLIN, utc(2026, 10, 24, 12, 0))
    assert first == utc(2026, 10, 25, 0, 30)
    assert first is not None
    # Right after the first one, the second 02:30 (01:30 UTC) is not another slot.
    following = next_digest_at("daily", "02:30", 0, BERLIN, first)
    assert following == utc(2026, 10, 26, 1, 30)


def test_period_keys_name_the_local_day_and_iso_week() -> None:
    due = utc(2026, 3, 1, 23, 30)  # 2 March 07:30 in Shanghai
    assert period_key("daily", due, SHANGHAI) == "d2026-03-02"
    assert period_key("weekly", due, SHANGHAI) == "w2026-W10"
    assert now_period_key(utc(2026, 3, 2)).startswith("now-")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", ShowSchedule()),
        ("09:00", SetSchedule("daily", "09:00")),
        ("9:00", SetSchedule("daily", "09:00")),
        ("9：05", SetSchedule("daily", "09:05")),
        ("daily 08:30", SetSchedule("daily", "08:30")),
        ("每天 7:30", SetSchedule("daily", "07:30")),
        ("daily", SetSchedule("daily")),
        ("weekly mon 08:30", SetSchedule("weekly", "08:30", 0)),
        ("weekly 周一 08:30", SetSchedule("weekly", "08:30", 0)),
        ("weekly 08:30 fri", SetSchedule("weekly", "08:30", 4)),
        ("每周五 17:00", SetSchedule("weekly", "17:00", 4)),
        ("星期日 09:00", SetSchedule("weekly", "09:00", 6)),
        ("weekly", SetSchedule("weekly")),
        ("off", SetSchedule("off")),
        ("关闭", SetSchedule("off")),
        ("now", SendNow()),
        ("NOW", SendNow()),
    ],
)
def test_digest_arguments(args: str, expected: object) -> None:
    assert parse_digest_args(args.split()) == expected


@pytest.mark.parametrize(
    "args", ["25:00", "8:61", "weekly funday 08:30", "daily mon", "tomorrow", "a b c d e"]
)
def test_bad_digest_arguments_are_refused(args: str) -> None:
    with pytest.raises(ScheduleSyntaxError):
        parse_digest_args(args.split())


def test_parse_time_pads_hours() -> None:
    assert parse_time("7:05") == "07:05"
    assert parse_time("7") is None


def test_timezones_resolve_case_insensitively_and_unknown_ones_do_not() -> None:
    assert resolve_timezone("asia/shanghai") == "Asia/Shanghai"
    assert resolve_timezone("Europe/Berlin") == "Europe/Berlin"
    assert resolve_timezone("北京") == "Asia/Shanghai"
    assert resolve_timezone("Mars/Olympus") is None
    assert resolve_timezone("<b>") is None


def test_time_zone_names_are_listed_once_not_per_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.core import schedule

    calls = []
    real = schedule.available_timezones

    def counting() -> set[str]:
        calls.append(1)
        return real()

    monkeypatch.setattr(schedule, "available_timezones", counting)
    schedule._zone_names.cache_clear()
    try:
        assert resolve_timezone("europe/berlin") == "Europe/Berlin"
        assert resolve_timezone("ASIA/TOKYO") == "Asia/Tokyo"
        assert resolve_timezone("Mars/Olympus") is None
        assert len(calls) == 1
    finally:
        schedule._zone_names.cache_clear()
