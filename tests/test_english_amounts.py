"""English amounts typed in /add and /edit: stored in the facts' Chinese form with every digit
typed (1.5 billion is 15亿元), dollars kept as dollars, land in mu only; the English prompts
show English examples, and every example they show is accepted."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from bot.callbacks import Admin
from bot.core.values import Amount, Qualifier, Quantity
from bot.texts import admin as admin_texts
from tests.harness import ADMIN_ID, BotHarness, text_of
from tests.test_english_screens import unintended_han

DEJIA = "kunshan-dejia-solid-state-battery-hq"


@pytest.mark.parametrize(
    ("typed", "stored", "currency"),
    [
        ("500 million yuan", "5亿元", "CNY"),
        ("RMB 1.5 billion", "15亿元", "CNY"),
        ("1.5bn", "15亿元", "CNY"),
        ("300m", "3亿元", "CNY"),
        ("CNY 2 billion", "20亿元", "CNY"),
        ("1,500 million yuan", "15亿元", "CNY"),
        ("1.23456 billion", "12.3456亿元", "CNY"),
        ("0.5 million", "50万元", "CNY"),
        ("50,000 yuan", "5万元", "CNY"),
        ("US$50 million", "5000万美元", "USD"),
        ("USD 1.5 billion", "15亿美元", "USD"),
        ("30 million US dollars", "3000万美元", "USD"),
        ("about 1.5 billion", "约15亿元", "CNY"),
        ("over 300 million", "超3亿元", "CNY"),
        ("under CNY 50 million", "不足5000万元", "CNY"),
    ],
)
def test_english_money_is_stored_in_the_chinese_form_with_its_precision(
    typed: str, stored: str, currency: str
) -> None:
    amount = Amount.parse(typed)
    assert amount.text() == stored
    assert amount.currency == currency
    assert Amount.parse(amount.text()) == amount  # read back the same


def test_english_hedges_keep_their_meaning() -> None:
    assert Amount.parse("over 300 million").qualifier is Qualifier.OVER
    assert Amount.parse("under 5 million").qualifier is Qualifier.UNDER
    assert Amount.parse("approximately 2 billion").qualifier is Qualifier.ABOUT


@pytest.mark.parametrize("typed", ["1,5 billion", "3 apples", "billion", "5 million euros"])
def test_english_money_that_does_not_read_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        Amount.parse(typed)


def test_a_bare_number_is_still_wan_yuan() -> None:
    assert Amount.parse("5000").text() == "5000万元"


@pytest.mark.parametrize(
    ("typed", "value", "unit", "qualifier"),
    [
        ("10,000 mu", "10000", "亩", None),
        ("about 150 mu", "150", "亩", Qualifier.ABOUT),
        ("50 hectares", "50", "公顷", None),
        ("20,000 square metres", "20000", "平方米", None),
        ("7000 m2", "7000", "平方米", None),
    ],
)
def test_english_areas(typed: str, value: str, unit: str, qualifier: Qualifier | None) -> None:
    quantity = Quantity.parse(typed, "亩")
    assert (quantity.value, quantity.unit, quantity.qualifier) == (Decimal(value), unit, qualifier)


def _examples(key: str) -> list[str]:
    english = admin_texts._EXAMPLES[key][1]
    assert not re.search(r"[\u4e00-\u9fff]", english), english
    body = english.split("e.g. ", 1)[1]
    return [p.strip() for p in re.split(r",| or ", body) if p.strip()]


@pytest.mark.parametrize("key", ["investment", "registered_capital", "annual_output"])
def test_every_english_money_example_is_accepted(key: str) -> None:
    examples = _examples(key)
    assert len(examples) >= 2
    for example in examples:
        Amount.parse(example)


def test_every_english_land_example_is_accepted() -> None:
    for example in _examples("land_mu"):
        assert Quantity.parse(example, "亩").unit == "亩", example


# ---- through /edit in English ----------------------------------------------------------------


async def _edit_field(bot: BotHarness, key: str) -> tuple[Any, str]:
    calls = await bot.send(f"/edit {DEJIA}", lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID)
    summary = next(c for c in calls if c.buttons)
    calls = await bot.press(summary, Admin("f", key).pack(), user_id=ADMIN_ID, lang="en")
    return summary, text_of(calls)


async def test_english_edit_prompt_shows_english_examples(bot: BotHarness) -> None:
    for key in ("investment", "registered_capital", "annual_output", "land_mu"):
        _summary, prompt = await _edit_field(bot, key)
        assert "e.g." in prompt, prompt
        assert unintended_han(prompt) == [], prompt
        assert "3亿" not in prompt and "3000万" not in prompt and "约150亩" not in prompt
        await bot.send("/cancel", lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID)


async def test_an_english_amount_is_saved_in_the_chinese_form(bot: BotHarness) -> None:
    def admin(text: str) -> Any:
        return bot.send(text, lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID)

    await _edit_field(bot, "investment")
    calls = await admin("RMB 1.5 billion")
    shown = text_of(calls)
    assert "total investment: CNY 1.5 billion" in shown, shown
    summary = next(c for c in calls if c.buttons)
    calls = await bot.press(summary, Admin("f", "registered_capital").pack(), user_id=ADMIN_ID)
    calls = await admin("US$50 million")
    shown = text_of(calls)
    assert "registered capital: USD 50 million" in shown, shown  # never converted to yuan
    summary = next(c for c in calls if c.buttons)
    calls = await bot.press(summary, Admin("f", "land_mu").pack(), user_id=ADMIN_ID, lang="en")
    calls = await admin("10,000 mu")
    assert "land (mu): 10000 mu" in text_of(calls), text_of(calls)
    summary = next(c for c in calls if c.buttons)
    await bot.press(summary, Admin("save").pack(), user_id=ADMIN_ID, lang="en")
    project = await bot.store.project(DEJIA)
    assert project is not None
    assert project.total_investment == Amount(Decimal(15), "亿元")
    assert project.total_investment.text() == "15亿元"
    assert project.registered_capital == Amount(Decimal(5000), "万美元")
    assert project.land_mu == Quantity(Decimal(10000), "亩")
    # The Chinese card shows the stored form.
    shown = text_of(await bot.send(f"/edit {DEJIA}", user_id=ADMIN_ID, chat_id=ADMIN_ID))
    assert "15亿元" in shown and "5000万美元" in shown, shown


async def test_hectares_for_land_are_refused_as_in_chinese(bot: BotHarness) -> None:
    await _edit_field(bot, "land_mu")
    calls = await bot.send("50 hectares", lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID)
    shown = text_of(calls)
    assert "must be given in mu" in shown, shown
    calls = await bot.send("50公顷", lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID)
    assert "must be given in mu" in text_of(calls)
