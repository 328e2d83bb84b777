"""A follow-up sent with nothing before it is answered with a question about what is meant,
in English as in Chinese, never with a guess (the latest items, another record's sentence)."""

from __future__ import annotations

import pytest

from tests.harness import BotHarness, button_labels, replies, text_of


async def _ask(bot: BotHarness, text: str, lang: str) -> tuple[str, list[str]]:
    calls = await bot.send(text, lang=lang)
    assert len(replies(calls)) == 1, calls
    return text_of(calls), button_labels(calls)


@pytest.mark.parametrize(
    ("text", "lang", "asks"),
    [
        ("What about new-generation IT?", "en", "Which zone's"),
        ("那新一代信息技术呢？", "zh-hans", "您问的是哪个园区的"),
    ],
)
async def test_a_sector_follow_up_first_asks_which_zone(
    bot: BotHarness, text: str, lang: str, asks: str
) -> None:
    reply, labels = await _ask(bot, text, lang)
    assert asks in reply, reply
    assert "Latest items" not in reply and "德加能源" not in reply, reply
    # The zone reporting that sector's figure is offered first.
    assert labels and ("Kunshan" in labels[0] or "昆山" in labels[0]), labels


@pytest.mark.parametrize(
    ("text", "lang", "asks"),
    [
        ("And in Suzhou?", "en", "What would you like to know about Suzhou?"),
        ("那苏州呢？", "zh-hans", "您想了解苏州的什么？"),
    ],
)
async def test_a_place_follow_up_first_asks_what_and_which_zone(
    bot: BotHarness, text: str, lang: str, asks: str
) -> None:
    reply, labels = await _ask(bot, text, lang)
    assert asks in reply, reply
    # 苏州 has a hi-tech zone and an industrial park: both offered, not one chosen silently.
    joined = " ".join(labels)
    assert "Suzhou Industrial Park" in joined or "苏州工业园区" in joined, labels
    assert "Suzhou Hi-tech" in joined or "苏州高新区" in joined, labels


@pytest.mark.parametrize(
    ("text", "lang", "asks"),
    [
        ("Who is its chairman?", "en", "Which zone, company or project do you mean?"),
        ("它的董事长是谁", "zh-hans", "您指的是哪个园区、企业或项目"),
    ],
)
async def test_a_pointer_with_nothing_before_asks_what_is_meant(
    bot: BotHarness, text: str, lang: str, asks: str
) -> None:
    reply, _labels = await _ask(bot, text, lang)
    assert asks in reply, reply
    assert "科技局" not in reply and "Science and Technology Bureau" not in reply


async def test_after_a_question_the_same_follow_ups_are_answered(bot: BotHarness) -> None:
    await _ask(bot, "How many new materials projects did Kunshan attract in Jan-May?", "en")
    reply, _ = await _ask(bot, "What about new-generation IT?", "en")
    assert "22" in reply and "Which zone" not in reply, reply
    await _ask(bot, "德加能源是做什么的？", "zh-hans")
    reply, _ = await _ask(bot, "它的董事长是谁", "zh-hans")
    assert "钱涛" in reply, reply


async def test_a_full_question_opening_with_and_is_answered(bot: BotHarness) -> None:
    reply, _ = await _ask(bot, "And how many new materials projects in Kunshan?", "en")
    assert "24" in reply, reply


@pytest.mark.parametrize(
    ("text", "lang", "answer"),
    [
        ("And which zone has the most projects?", "en", "159"),
        ("那5亿以上的呢？", "zh-hans", "投资5亿元以上"),
        ("其它领域有多少项目", "zh-hans", ""),
    ],
)
async def test_a_message_that_asks_on_its_own_is_answered_not_asked_back(
    bot: BotHarness, text: str, lang: str, answer: str
) -> None:
    reply, _ = await _ask(bot, text, lang)
    for asked in ("Which zone", "What would you like", "您问的是哪个园区", "您指的是哪个"):
        assert asked not in reply, reply
    assert answer in reply, reply
