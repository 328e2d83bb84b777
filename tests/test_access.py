"""BOT_ACCESS=private: access requests, Approve/Deny cards, the gate, group approval."""

from __future__ import annotations

import copy

from bot.local_api import callback_update
from tests.harness import ADMIN_ID, USER_ID, BotHarness, replies, text_of

GROUP_ID = -100200


async def _request_and_card(bot: BotHarness) -> tuple[str, object]:
    calls = await bot.send("/start")
    user_text = "\n".join(bot.api.texts(USER_ID))
    cards = [c for c in replies(calls) if c.chat_id == ADMIN_ID]
    assert len(cards) == 1
    return user_text, cards[0]


async def test_unknown_user_start_is_pending_and_admins_get_a_card(
    private_bot: BotHarness,
) -> None:
    user_text, card = await _request_and_card(private_bot)
    assert "等待管理员审批" in user_text
    assert "招商助手" not in user_text  # the welcome is not shown before approval
    assert str(USER_ID) in card.text  # type: ignore[attr-defined]
    assert card.button_data() == [f"acc:ok:{USER_ID}", f"acc:no:{USER_ID}"]  # type: ignore[attr-defined]
    assert (await private_bot.store.user_status(USER_ID)) == "pending"
    # A second /start does not send the admins another card.
    calls = await private_bot.send("/start")
    assert not [c for c in replies(calls) if c.chat_id == ADMIN_ID]
    assert "仍在等待" in text_of(calls)


async def test_pending_user_is_stopped_everywhere(private_bot: BotHarness) -> None:
    await private_bot.send("/start")
    calls = await private_bot.send("/zone 昆山")
    assert len(replies(calls)) == 1 and "仍在等待" in text_of(calls)
    calls = await private_bot.send("昆山")
    assert len(replies(calls)) == 1
    inline = await private_bot.inline("昆山")
    answers = [c for c in inline if c.method == "answerInlineQuery"]
    assert len(answers) == 1 and answers[0].params.get("results") in ("[]", [])


async def test_unknown_user_buttons_are_answered(private_bot: BotHarness) -> None:
    admin_calls = await private_bot.send("/start", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    message = replies(admin_calls)[0]
    stored = private_bot.api.message(ADMIN_ID, message.result["message_id"])
    assert stored is not None
    calls = await private_bot.process(callback_update(stored, "anything", user_id=USER_ID))
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1 and answers[0].params.get("show_alert") in (True, "true")


async def test_approval_is_told_and_lets_the_user_in(private_bot: BotHarness) -> None:
    _, card = await _request_and_card(private_bot)
    calls = await private_bot.press(card, f"acc:ok:{USER_ID}", user_id=ADMIN_ID)  # type: ignore[arg-type]
    assert any(c.chat_id == USER_ID and "已获批准" in c.text for c in replies(calls))
    edits = replies(calls, "editMessageText")
    assert edits and "已批准" in edits[0].text
    assert (await private_bot.store.user_status(USER_ID)) == "approved"
    calls = await private_bot.send("/help")
    assert "/zone" in text_of(calls)
    history = await private_bot.store.history("user", str(USER_ID))
    assert history[-1].actor_id == ADMIN_ID and history[-1].after == "approved"


async def test_denial_is_told_and_keeps_the_user_out(private_bot: BotHarness) -> None:
    _, card = await _request_and_card(private_bot)
    # Another admin's copy of the card, still with its buttons.
    other_copy = copy.deepcopy(private_bot.api.message(ADMIN_ID, card.result["message_id"]))  # type: ignore[attr-defined]
    calls = await private_bot.press(card, f"acc:no:{USER_ID}", user_id=ADMIN_ID)  # type: ignore[arg-type]
    assert any(c.chat_id == USER_ID and "未获批准" in c.text for c in replies(calls))
    calls = await private_bot.send("/start")
    assert "未获批准" in text_of(calls)
    assert not [c for c in replies(calls) if c.chat_id == ADMIN_ID]
    # A press on another copy of the card changes nothing.
    assert other_copy is not None
    calls = await private_bot.process(
        callback_update(other_copy, f"acc:ok:{USER_ID}", user_id=ADMIN_ID)
    )
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answers and "已处理" in str(answers[0].params.get("text"))
    assert (await private_bot.store.user_status(USER_ID)) == "denied"


async def test_only_admins_can_approve(private_bot: BotHarness) -> None:
    _, card = await _request_and_card(private_bot)
    other = 3003
    await private_bot.store.set_user_status(other, "approved", ADMIN_ID)
    calls = await private_bot.press(card, f"acc:ok:{USER_ID}", user_id=other)  # type: ignore[arg-type]
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answers and "管理员" in str(answers[0].params.get("text"))
    assert (await private_bot.store.user_status(USER_ID)) == "pending"


async def test_admin_is_always_let_in(private_bot: BotHarness) -> None:
    calls = await private_bot.send("/help", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert "/promote" in text_of(calls)


async def test_promoted_admin_is_let_in_and_can_approve(private_bot: BotHarness) -> None:
    await private_bot.send(f"/promote {USER_ID}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert "/zone" in text_of(await private_bot.send("/help"))


async def test_group_added_by_an_approved_user_is_approved(private_bot: BotHarness) -> None:
    await private_bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
    await private_bot.member_change(GROUP_ID, user_id=USER_ID, old="left", new="member")
    assert await private_bot.store.chat_approved(GROUP_ID)
    stranger = 5005
    calls = await private_bot.send("/help", chat_id=GROUP_ID, user_id=stranger)
    assert "/zone" in text_of(calls)
    # Removing the bot withdraws the approval.
    await private_bot.member_change(GROUP_ID, user_id=USER_ID, old="member", new="left")
    assert not await private_bot.store.chat_approved(GROUP_ID)


async def test_group_added_by_an_unknown_user_is_not_approved(private_bot: BotHarness) -> None:
    stranger = 5005
    await private_bot.member_change(GROUP_ID, user_id=stranger, old="left", new="member")
    assert not await private_bot.store.chat_approved(GROUP_ID)
    calls = await private_bot.send("/help", chat_id=GROUP_ID, user_id=stranger)
    assert len(replies(calls)) == 1 and "本群尚未获准" in text_of(calls)
    # Ordinary talk in the group gets no answer at all.
    assert not replies(await private_bot.send("大家好", chat_id=GROUP_ID, user_id=stranger))


async def test_group_added_by_an_admin_is_approved(private_bot: BotHarness) -> None:
    await private_bot.member_change(GROUP_ID, user_id=ADMIN_ID, old="left", new="administrator")
    assert await private_bot.store.chat_approved(GROUP_ID)


async def test_open_access_lets_anyone_look_things_up(bot: BotHarness) -> None:
    calls = await bot.send("/help", chat_id=4444, user_id=4444)
    assert "/zone" in text_of(calls)
    assert "/promote" not in text_of(calls)


async def test_an_approved_group_upgraded_to_a_supergroup_stays_approved(
    private_bot: BotHarness,
) -> None:
    from bot.local_api import message_update

    await private_bot.member_change(-300, user_id=ADMIN_ID, old="left", new="member")
    raw = message_update("", chat_id=-100300, user_id=ADMIN_ID, chat_type="supergroup")
    del raw["message"]["text"]
    raw["message"]["migrate_from_chat_id"] = -300
    await private_bot.process(raw)
    assert await private_bot.store.chat_approved(-100300)


async def test_a_denied_user_can_be_approved_later(private_bot: BotHarness) -> None:
    _, card = await _request_and_card(private_bot)
    await private_bot.press(card, f"acc:no:{USER_ID}", user_id=ADMIN_ID)  # type: ignore[arg-type]
    assert "未获批准" in text_of(await private_bot.send("/zone 昆山"))
    calls = await private_bot.send(f"/approve {USER_ID}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert f"已批准 {USER_ID}（此前被拒绝）。已通知对方。" in text_of(calls)
    assert any(c.chat_id == USER_ID and "已获批准" in c.text for c in replies(calls))
    assert "昆山高新区" in text_of(await private_bot.send("/zone 昆山"))
    last = (await private_bot.store.history("user", str(USER_ID)))[-1]
    assert (last.actor_id, last.before, last.after) == (ADMIN_ID, "denied", "approved")
    calls = await private_bot.send(f"/approve {USER_ID}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert "已获批准，无需再批准" in text_of(calls)


async def test_an_approval_can_be_revoked(private_bot: BotHarness) -> None:
    _, card = await _request_and_card(private_bot)
    await private_bot.press(card, f"acc:ok:{USER_ID}", user_id=ADMIN_ID)  # type: ignore[arg-type]
    assert "/zone" in text_of(await private_bot.send("/help"))
    calls = await private_bot.send(f"/revoke {USER_ID}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert f"已撤销 {USER_ID} 的使用权限" in text_of(calls)
    assert any(c.chat_id == USER_ID and "撤销你的使用权限" in c.text for c in replies(calls))
    calls = await private_bot.send("/zone 昆山")
    assert len(replies(calls)) == 1 and "昆山高新区" not in text_of(calls)
    assert (await private_bot.store.user_status(USER_ID)) == "denied"
    last = (await private_bot.store.history("user", str(USER_ID)))[-1]
    assert (last.actor_id, last.before, last.after) == (ADMIN_ID, "approved", "denied")
    calls = await private_bot.send(f"/revoke {USER_ID}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert "没有使用权限，无需撤销" in text_of(calls)


async def test_revoke_declines_a_pending_request(private_bot: BotHarness) -> None:
    await _request_and_card(private_bot)
    calls = await private_bot.send(f"/revoke {USER_ID}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert f"已拒绝 {USER_ID} 的申请" in text_of(calls)
    assert any(c.chat_id == USER_ID and "未获批准" in c.text for c in replies(calls))


async def test_approve_and_revoke_are_for_admins_with_a_valid_id(private_bot: BotHarness) -> None:
    await private_bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
    for command in ("/approve 5", "/revoke 5"):
        calls = await private_bot.send(command)
        assert len(replies(calls)) == 1 and "仅限管理员" in text_of(calls)
    assert await private_bot.store.user_status(5) == "new"
    for arg in ("", "-100200", "0", "99999999999999999999999", "abc"):
        for command in ("approve", "revoke"):
            calls = await private_bot.send(
                f"/{command} {arg}".strip(), chat_id=ADMIN_ID, user_id=ADMIN_ID
            )
            assert text_of(calls).startswith(f"用法：/{command} 用户ID")
    calls = await private_bot.send(f"/revoke {ADMIN_ID}", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert "是管理员" in text_of(calls)
    help_text = text_of(await private_bot.send("/help", chat_id=ADMIN_ID, user_id=ADMIN_ID))
    assert "/approve" in help_text and "/revoke" in help_text
    assert "/approve" not in text_of(await private_bot.send("/help"))
