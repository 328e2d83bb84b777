"""Dates at their precision, money and quantities as staff write them, message splitting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.values import Amount, PartialDate, Qualifier, Quantity
from bot.local_api import html_to_plain, utf16_len
from bot.texts.common import date, esc, money, quantity, split_message


@pytest.mark.parametrize(
    ("text", "edtf", "zh", "en"),
    [
        ("2025-03", "2025-03", "2025年3月", "Mar 2025"),
        ("2025-03-14", "2025-03-14", "2025年3月14日", "14 Mar 2025"),
        ("2025年3月", "2025-03", "2025年3月", "Mar 2025"),
        ("3月", "XXXX-03", "3月", "Mar"),
        ("1—5月", "XXXX-01/XXXX-05", "1—5月", "Jan–May"),
        ("1-5月", "XXXX-01/XXXX-05", "1—5月", "Jan–May"),
        ("XXXX-03-14", "XXXX-03-14", "3月14日", "14 Mar"),
        ("2002", "2002", "2002年", "2002"),
    ],
)
def test_dates_keep_the_precision_given(text: str, edtf: str, zh: str, en: str) -> None:
    parsed = PartialDate.parse(text)
    assert parsed.edtf() == edtf
    assert parsed.zh() == zh
    assert parsed.en() == en
    assert PartialDate.parse(parsed.edtf()) == parsed


@pytest.mark.parametrize("text", ["2025-13-40", "2025-02-30", "abc", "", "13月", "5—1月"])
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_a_missing_date_is_said_not_invented() -> None:
    assert date(None, "zh") == "日期未说明"
    assert date(None, "en") == "date not given"


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("3亿", "3", "亿元", None),
        ("3000万", "3000", "万元", None),
        ("1.5亿元", "1.5", "亿元", None),
        ("约15亿元", "15", "亿元", Qualifier.ABOUT),
        ("500万美元", "500", "万美元", None),
        ("6.63亿元", "6.63", "亿元", None),
        ("1,200万元", "1200", "万元", None),
    ],
)
def test_amounts_parse_as_written(
    text: str, value: str, unit: str, qualifier: Qualifier | None
) -> None:
    amount = Amount.parse(text)
    assert amount.value == Decimal(value)
    assert amount.unit == unit
    assert amount.qualifier == qualifier
    assert Amount.parse(amount.text()) == amount


@pytest.mark.parametrize("text", ["abc", "-3亿", "3千", "", "亿"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Amount.parse(text)


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("6.63亿元", "6.63亿元", "CNY 663 million"),
        ("5000万", "5000万元", "CNY 50 million"),
        ("0.5亿元", "5000万元", "CNY 50 million"),
        ("12000万元", "1.2亿元", "CNY 120 million"),
        ("约15亿元", "约15亿元", "about CNY 1.5 billion"),
        ("500万美元", "500万美元", "USD 5 million"),
        ("123456万元", "12.3456亿元", "CNY 1.23456 billion"),
        ("1000元", "0.1万元", "CNY 1000"),
    ],
)
def test_money_shows_as_staff_write_it(text: str, zh: str, en: str) -> None:
    amount = Amount.parse(text)
    assert money(amount, "zh") == zh
    assert money(amount, "en") == en
    assert "," not in money(amount, "zh")


def test_quantities_keep_their_hedges() -> None:
    assert quantity(Quantity.parse("约150亩"), "zh") == "约150亩"
    assert quantity(Quantity.parse("约150亩"), "en") == "about 150 mu"
    assert quantity(Quantity.parse("20多件"), "zh") == "20多件"
    assert quantity(Quantity.parse("159个"), "zh") == "159个"


def test_split_message_keeps_every_part_within_telegram_limits() -> None:
    lines = [f"<b>第{i}条</b> 德加能源固态电池总部项目 😀" for i in range(400)]
    parts = split_message("\n".join(lines))
    assert len(parts) > 1
    for part in parts:
        assert len(part.encode("utf-16-le")) // 2 <= 4096
        assert part.count("<b>") == part.count("</b>")
    assert "\n".join(parts).count("<b>") == 400


def test_split_message_cuts_one_huge_line() -> None:
    parts = split_message("字" * 10000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]


def test_a_huge_line_is_never_cut_inside_an_entity_or_a_tag() -> None:
    line = "<b>备注</b>：" + esc('<"a&b<c>" ') * 1000 + "<i>" + "斜体" * 3000 + "</i>"
    parts = split_message(line)
    assert len(parts) > 2
    visible = ""
    for part in parts:
        assert utf16_len(part) <= 4096
        visible += html_to_plain(part)  # raises if Telegram would refuse the HTML
    assert visible == html_to_plain(line)


def test_search_terms_skip_lone_letters_and_control_characters() -> None:
    from bot.core.text import fts_query, normalise

    assert fts_query("<b>&</b>") is None
    assert fts_query("b 电池") == '"电池"'
    assert normalise("昆\u200b山\x07") == "昆山"


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("不足10亿元", "不足10亿元", "under CNY 1 billion"),
        ("不到500万元", "不到500万元", "under CNY 5 million"),
        ("超10亿元", "超10亿元", "over CNY 1 billion"),
        ("约15亿元", "约15亿元", "about CNY 1.5 billion"),
    ],
)
def test_a_hedged_amount_keeps_its_hedge_in_both_languages(text: str, zh: str, en: str) -> None:
    amount = Amount.parse(text)
    assert money(amount, "zh") == zh
    assert money(amount, "en") == en
