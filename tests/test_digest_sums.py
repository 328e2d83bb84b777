"""A digest's investment sum is no more precise than its parts: 约 figures make it about, only
不足 figures an upper bound (不足), only 超/多 figures a lower bound (超); figures hedged in
different ways are listed, never folded into one hedged sum."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.digest import Entry, headline
from bot.core.records import AlertCandidate, Project
from bot.core.values import Amount, Qualifier
from bot.local_api import html_to_plain
from bot.texts.digest import headline as render_headline
from tests.harness import BotHarness, Clock
from tests.test_digest import add, clock, follow, harness, project  # noqa: F401 (fixtures)


def _entries(*amounts: str | None) -> list[Entry]:
    entries = []
    for seq, amount in enumerate(amounts, 1):
        record: Project = project(seq, total_investment=amount)
        candidate = AlertCandidate(seq, "project", record.id, record.zone, frozenset(), record.id)
        entries.append(Entry.of(candidate, "new", record))
    return entries


@pytest.mark.parametrize(
    ("amounts", "zh", "en"),
    [
        (("5亿元", "3000万元"), "总投资合计 5.3亿元", "total investment CNY 530 million"),
        (("5亿元", "约3亿元"), "总投资合计 约8亿元", "total investment about CNY 800 million"),
        (("5亿元", "不足1亿元"), "总投资合计 不足6亿元", "total investment under CNY 600 million"),
        (("不足1亿元", "不到5000万元"), "总投资合计 不足1.5亿元", "under CNY 150 million"),
        (("5亿元", "超3亿元", "10多亿元"), "总投资合计 超18亿元", "over CNY 1.8 billion"),
    ],
)
def test_a_sum_is_hedged_the_way_all_its_parts_are(
    amounts: tuple[str, ...], zh: str, en: str
) -> None:
    value = headline(_entries(*amounts))
    assert zh in render_headline(value, "zh")
    assert en in render_headline(value, "en")
    # 约 only where a part is about (签约 in the headline is no hedge).
    assert ("合计 约" in render_headline(value, "zh")) == any("约" in a for a in amounts)


def test_an_under_figure_never_makes_the_sum_about() -> None:
    value = headline(_entries("6.63亿元", "不足1亿元"))
    assert value.total == Amount(Decimal("76300"), "万元", Qualifier.UNDER)
    shown = render_headline(value, "zh")
    assert "合计 约" not in shown and "不足7.63亿元" in shown, shown


def test_hedges_that_disagree_are_listed_not_summed() -> None:
    value = headline(_entries("5亿元", "约3亿元", "不足1亿元", None))
    assert value.total == Amount(Decimal("50000"), "万元") and value.with_amount == 1
    zh = render_headline(value, "zh")
    assert "确切金额合计 5亿元（1 个项目）" in zh and "约3亿元、不足1亿元" in zh, zh
    assert "未加总" in zh and "约9亿" not in zh and "约8亿" not in zh
    en = render_headline(value, "en")
    assert "exact figures total CNY 500 million (1 project)" in en, en
    assert "about CNY 300 million, under CNY 100 million" in en and "not added up" in en


def test_disagreeing_hedges_with_no_exact_figure() -> None:
    value = headline(_entries("约3亿元", "超1亿元"))
    assert value.total is None and len(value.apart) == 2
    zh = render_headline(value, "zh")
    assert "总投资：约3亿元、超1亿元（估计方式不一，未加总）" in zh, zh


async def test_the_digest_sent_shows_an_upper_bound_for_an_under_figure(
    harness: BotHarness,  # noqa: F811
    clock: Clock,  # noqa: F811
) -> None:
    await follow(harness)
    await add(
        harness,
        project(1, total_investment="2亿元"),
        project(2, total_investment="不足5000万元"),
    )
    calls = await harness.send("/digest now")
    text = html_to_plain(calls[-1].text)
    assert "总投资合计 不足2.5亿元" in text and "约2.5亿" not in text, text
