"""A demoted admin cannot finish /add or /edit begun before the demotion, nor press admin
buttons (issue 15, item 4): rights are checked again at every step and at the write."""

from __future__ import annotations

from typing import Any

from tests.harness import ADMIN_ID, BotHarness, replies, text_of

EDITOR = 4242


def _buttons(calls: list[Any]) -> Any:
    return [c for c in replies(calls) if c.button_data()][-1]


async def _say(bot: BotHarness, text: str) -> list[Any]:
    return await bot.send(text, chat_id=EDITOR, user_id=EDITOR)


async def _promoted_editor_halfway(bot: BotHarness) -> list[Any]:
    await bot.send(f"/promote {EDITOR}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    calls = await _say(bot, "/add signing")
    calls = await bot.press(_buttons(calls), "adm:v:zone:kunshan", user_id=EDITOR)
    assert "企业" in text_of(calls)
    return calls


async def test_demoted_admin_cannot_continue_an_add(bot: BotHarness) -> None:
    await _promoted_editor_halfway(bot)
    await bot.send(f"/demote {EDITOR}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    calls = await _say(bot, "降级测试有限公司")
    assert "管理员" in text_of(calls)
    # The draft is gone: later answers start nothing and save nothing.
    await _say(bot, "降级后录入的项目")
    names = [p.name_zh for p in await bot.store.live_projects("kunshan")]
    assert "降级后录入的项目" not in names


async def test_demoted_admin_cannot_save_a_finished_draft(bot: BotHarness) -> None:
    calls = await _promoted_editor_halfway(bot)
    await _say(bot, "降级测试有限公司")
    await _say(bot, "降级保存测试项目")
    calls = await _say(bot, "新能源")
    calls = await bot.press(_buttons(calls), "adm:v:stage:signed", user_id=EDITOR)
    for answer in ("2025-03", "3亿", "3000万", "50"):
        calls = await _say(bot, answer)
    calls = await bot.press(_buttons(calls), "adm:skip:annual_output", user_id=EDITOR)
    await _say(bot, "备注")
    calls = await _say(bot, "某报 2025-03-14")
    summary = _buttons(calls)
    assert "adm:save" in summary.button_data()
    # Demoted directly in the store (another admin, another path): no cache to trust.
    await bot.store.set_user_role(EDITOR, "user", ADMIN_ID)
    calls = await bot.press(summary, "adm:save", user_id=EDITOR)
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answers and "管理员" in str(answers[0].params.get("text"))
    names = [p.name_zh for p in await bot.store.live_projects("kunshan")]
    assert "降级保存测试项目" not in names
    # The editor's draft is gone: pressing save again does not write either.
    calls = await bot.press(summary, "adm:save", user_id=EDITOR)
    assert "降级保存测试项目" not in [p.name_zh for p in await bot.store.live_projects("kunshan")]
