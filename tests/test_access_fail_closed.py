"""BOT_ACCESS=private fails closed: a refusal that cannot be sent still stops the update."""

from __future__ import annotations

import pytest

from bot.local_api import callback_update, inline_update
from tests.harness import ADMIN_ID, USER_ID, BotHarness, replies

GROUP_ID = -100300
FAULTS = {
    "502": (502, "Bad Gateway", None),
    "timeout": (0, "timed out", None),  # LocalBotApi: status 0 raises TimedOut
}


def _fail(bot: BotHarness, method: str, fault: str) -> None:
    bot.api.fail_next.setdefault(method, []).append(FAULTS[fault])


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("text", ["/zone 昆山", "昆山", "/search 电池", "/subscribe zone 昆山"])
async def test_stranger_gets_nothing_when_the_refusal_fails(
    private_bot: BotHarness, fault: str, text: str
) -> None:
    _fail(private_bot, "sendMessage", fault)
    calls = await private_bot.send(text)
    # Only the refusal was tried (and failed); no card, no results, no error reply.
    assert [c.method for c in calls] == ["sendMessage"]
    assert calls[0].error is not None
    assert "本机器人仅限已批准的用户使用" in calls[0].text
    assert await private_bot.store.subscriptions(USER_ID) == []


@pytest.mark.parametrize("fault", FAULTS)
async def test_group_command_from_unapproved_group_stops_when_refusal_fails(
    private_bot: BotHarness, fault: str
) -> None:
    _fail(private_bot, "sendMessage", fault)
    calls = await private_bot.send("/zone 昆山", chat_id=GROUP_ID, user_id=5005)
    assert [c.method for c in calls] == ["sendMessage"]
    assert "本群尚未获准" in calls[0].text


@pytest.mark.parametrize("fault", FAULTS)
async def test_forged_subscribe_button_writes_nothing_when_the_answer_fails(
    private_bot: BotHarness, fault: str
) -> None:
    admin_calls = await private_bot.send("/help", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    stored = private_bot.api.message(ADMIN_ID, replies(admin_calls)[0].result["message_id"])  # type: ignore[index]
    assert stored is not None
    _fail(private_bot, "answerCallbackQuery", fault)
    calls = await private_bot.process(callback_update(stored, "sub:zone:kunshan", user_id=USER_ID))
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert await private_bot.store.subscriptions(ADMIN_ID) == []
    assert await private_bot.store.subscriptions(USER_ID) == []


@pytest.mark.parametrize("fault", FAULTS)
async def test_stranger_inline_query_gets_no_results_when_the_answer_fails(
    private_bot: BotHarness, fault: str
) -> None:
    _fail(private_bot, "answerInlineQuery", fault)
    calls = await private_bot.process(inline_update("昆山", user_id=USER_ID))
    assert [c.method for c in calls] == ["answerInlineQuery"]
    assert calls[0].params.get("results") in ("[]", [])


@pytest.mark.parametrize("fault", FAULTS)
async def test_stranger_file_is_never_downloaded_when_the_refusal_fails(
    private_bot: BotHarness, fault: str
) -> None:
    private_bot.api.files["f1"] = b"zone,project\nkunshan,x\n"
    document = {"file_id": "f1", "file_unique_id": "f1", "file_name": "a.csv", "file_size": 24}
    _fail(private_bot, "sendMessage", fault)
    calls = await private_bot.send("", document=document)
    assert [c.method for c in calls] == ["sendMessage"]


async def test_approved_user_still_passes(private_bot: BotHarness) -> None:
    await private_bot.store.set_user_status(USER_ID, "approved", ADMIN_ID)
    calls = await private_bot.send("/zone 昆山")
    assert "昆山" in replies(calls)[0].text
