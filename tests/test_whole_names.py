"""Names typed after admin commands are taken whole, never cut at the first space."""

from __future__ import annotations

import pytest

from tests.harness import BotHarness, say, text_of

DEJIA = "kunshan-dejia-solid-state-battery-hq"


async def _admin(bot: BotHarness, text: str, lang: str = "en") -> str:
    return text_of(await say(bot, text, lang=lang))


@pytest.mark.parametrize(
    "typed",
    [
        "/history Dejia Energy solid-state battery headquarters project",
        "/history Dejia Energy battery",
        "/history 德加能源 固态电池总部项目",
        "/history 德加 固态 电池",
    ],
)
async def test_history_takes_a_multi_word_name_whole(bot: BotHarness, typed: str) -> None:
    shown = await _admin(bot, typed)
    assert f"History of {DEJIA}" in shown, shown


async def test_a_name_not_held_is_named_whole_with_the_near_records(bot: BotHarness) -> None:
    shown = await _admin(bot, "/history Dejia Energy battery HQ")
    assert "No record is named exactly Dejia Energy battery HQ." in shown, shown
    assert "No record Dejia." not in shown
    # The record whose name holds most of the words is offered with its id to type.
    assert "Dejia Energy solid-state battery headquarters project" in shown
    assert DEJIA in shown
    shown = await _admin(bot, "/history nothing here at all")
    assert "No record nothing here at all." in shown and "Did you mean" not in shown, shown


async def test_edit_and_delete_take_the_name_whole(bot: BotHarness) -> None:
    shown = await _admin(bot, "/edit Dejia Energy battery")
    assert f"Editing {DEJIA}" in shown, shown
    await _admin(bot, "/cancel")
    shown = await _admin(bot, "/delete Fengmao Jiaxing auto-parts production base")
    assert "jiaxing-fengmao-auto-parts-base" in shown and "Delete" in shown, shown
    # A word in several names deletes nothing: the records are offered by id.
    shown = await _admin(bot, "/delete 项目", lang="zh")
    assert "没有正好叫 项目 的记录" in shown and DEJIA in shown, shown
    assert "删除项目" not in shown


async def test_a_single_hit_is_taken_only_when_its_name_holds_every_word(
    bot: BotHarness,
) -> None:
    # 新能源 finds the 德加能源 project by 能源, but its name holds no 新能源: nothing is offered
    # for deletion or editing; the usual not-found reply instead.
    shown = await _admin(bot, "/delete 新能源", lang="zh")
    assert "没有找到记录 新能源" in shown and "删除项目" not in shown, shown
    assert DEJIA not in shown
    shown = await _admin(bot, "/edit 新能源", lang="zh")
    assert "没有找到记录 新能源" in shown and DEJIA not in shown, shown
    # A word the name does hold still takes the one record.
    shown = await _admin(bot, "/edit 固态电池", lang="zh")
    assert DEJIA in shown and "没有正好叫" not in shown, shown
