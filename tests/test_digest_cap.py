"""A busy day's digest: capped at MAX_ITEMS items; the rest wait behind a "more" button that
anyone in the chat may press, through the real Application."""

from __future__ import annotations

from bot.jobs.digests import MAX_ITEMS, digest_tick
from bot.local_api import ApiCall, html_to_plain
from tests.harness import BotHarness, Clock
from tests.test_digest import (
    GROUP_ID,
    _item_numbers,
    add,
    clock,
    digests_to,
    follow,
    harness,
    project,
)

__all__ = ["clock", "harness"]  # the fixtures, imported for pytest

PERIOD = "d2026-03-02"
MORE = f"dm:{PERIOD}"


def _new_messages(calls: list[ApiCall]) -> list[ApiCall]:
    return [c for c in calls if c.method == "sendMessage" and c.error is None]


def _alerts(calls: list[ApiCall]) -> list[str]:
    return [
        str(c.params.get("text"))
        for c in calls
        if c.method == "answerCallbackQuery" and c.params.get("show_alert")
    ]


async def test_a_busy_day_shows_the_cap_and_anyone_in_the_group_presses_more(
    harness: BotHarness, clock: Clock
) -> None:
    assert MAX_ITEMS == 30
    await follow(harness, GROUP_ID)
    await digest_tick(harness.app, clock.now)
    await add(harness, *(project(n) for n in range(75)))
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))

    first = digests_to(harness, GROUP_ID)
    assert _item_numbers(first) == list(range(1, 31))
    assert len(first) <= 2  # not dozens of messages
    text = html_to_plain(first[-1].text)
    assert "新签约/项目动态 75 个" in html_to_plain(first[0].text)  # the headline counts all
    assert "还有 45 条未显示" in text
    assert first[-1].button_data()[-1] == MORE
    row = await harness.store.digest(GROUP_ID, PERIOD)
    assert row is not None and row.sent_at is not None  # the digest itself is done

    # A plain member (no admin, no approval needed in this chat) presses "more".
    pressed = await harness.press(first[-1], MORE, user_id=4242)
    second = _new_messages(pressed)
    assert _item_numbers(second) == list(range(31, 61))
    assert "还有 15 条未显示" in html_to_plain(second[-1].text)
    assert second[-1].button_data()[-1] == MORE

    pressed = await harness.press(second[-1], MORE, user_id=4343)
    third = _new_messages(pressed)
    assert _item_numbers(third) == list(range(61, 76))
    assert MORE not in [d for c in third for d in c.button_data()]

    # Pressed again once everything was shown: a short answer, no message.
    again = await harness.press(first[-1], MORE, user_id=4242)
    assert _new_messages(again) == []
    assert _alerts(again) == ["这份摘要已经全部显示。"]

    # Every item went out exactly once; nothing is sent again by later ticks.
    shown = [d for c in [*first, *second, *third] for d in c.button_data() if d != MORE]
    assert sorted(shown) == sorted(f"p:t-kunshan-{n}" for n in range(75))
    await digest_tick(harness.app, clock.set(2026, 3, 3, 0, 30))
    assert len(digests_to(harness, GROUP_ID)) == len(first) + len(second) + len(third)


async def test_a_digest_under_the_cap_has_no_more_button(harness: BotHarness, clock: Clock) -> None:
    await follow(harness)
    await digest_tick(harness.app, clock.now)
    await add(harness, *(project(n) for n in range(MAX_ITEMS)))
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    sent = digests_to(harness)
    assert _item_numbers(sent) == list(range(1, MAX_ITEMS + 1))
    assert not [d for c in sent for d in c.button_data() if d.startswith("dm:")]
    assert "未显示" not in "".join(c.text for c in sent)


async def test_held_items_deleted_meanwhile_are_left_out(harness: BotHarness, clock: Clock) -> None:
    await follow(harness)
    await digest_tick(harness.app, clock.now)
    await add(harness, *(project(n) for n in range(35)))
    await digest_tick(harness.app, clock.set(2026, 3, 2, 0, 30))
    first = digests_to(harness)
    held_ids = {f"t-kunshan-{n}" for n in range(35)} - {
        d.split(":", 1)[1] for c in first for d in c.button_data() if d.startswith("p:")
    }
    assert len(held_ids) == 5
    gone = sorted(held_ids)[0]
    assert await harness.store.delete_record("project", gone, via="test")
    pressed = await harness.press(first[-1], MORE)
    shown = [d for c in _new_messages(pressed) for d in c.button_data()]
    assert sorted(shown) == sorted(f"p:{i}" for i in held_ids - {gone})
