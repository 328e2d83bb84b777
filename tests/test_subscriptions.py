"""/subscribe, /unsubscribe, /subscriptions, /alerts and their buttons, through the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.local_api import ApiCall, callback_update
from bot.settings import Settings
from storage.models import FactFile, Zone
from storage.subscription_queries import MAX_SUBSCRIPTIONS
from tests.harness import ADMIN_ID, USER_ID, BotHarness, replies, text_of
from tests.test_alerts import Clock


@pytest.fixture
async def harness(settings: Settings) -> AsyncIterator[BotHarness]:
    bot = BotHarness(settings, now=Clock())
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


async def subs_of(bot: BotHarness, chat_id: int = USER_ID) -> list[tuple[str, str]]:
    return [(s.kind, s.value) for s in await bot.store.subscriptions(chat_id)]


def answers(calls: list[ApiCall]) -> list[str]:
    return [str(c.params.get("text", "")) for c in calls if c.method == "answerCallbackQuery"]


async def test_subscribe_zone_by_name_pinyin_and_near_miss(harness: BotHarness) -> None:
    calls = await harness.send("/subscribe zone 昆山")
    assert "已订阅" in text_of(calls) and "昆山高新区" in text_of(calls)
    assert await subs_of(harness) == [("zone", "kunshan")]
    calls = await harness.send("/subscribe zone kunshan")
    assert "已经订阅" in text_of(calls)
    await harness.send("/subscribe zone xianing", chat_id=1002)  # near miss of xianning
    assert await subs_of(harness, 1002) == [("zone", "xianning")]


async def test_subscribe_sector_and_keyword(harness: BotHarness) -> None:
    await harness.send("/subscribe sector 新能源")
    await harness.send("/subscribe keyword 固态电池")
    assert await subs_of(harness) == [("sector", "新能源"), ("keyword", "固态电池")]


async def test_bare_name_works_out_the_kind(harness: BotHarness) -> None:
    await harness.send("/subscribe 昆山")
    await harness.send("/subscribe 新能源")
    assert await subs_of(harness) == [("zone", "kunshan"), ("sector", "新能源")]


async def test_ambiguous_name_offers_choices_and_a_press_subscribes(harness: BotHarness) -> None:
    kaifa = Zone(
        id="kunshan-etdz",
        name_zh="昆山经济技术开发区",
        short_zh="昆山经开区",
        name_en="Kunshan ETDZ",
        city="昆山市",
        source="p000-kunshan",
    )
    await harness.store.apply_facts(FactFile(zones=(kaifa,)), via="test")
    calls = await harness.send("/subscribe 昆山")
    (reply,) = replies(calls)
    assert reply.button_data() == ["sub:zone:kunshan", "sub:zone:kunshan-etdz"]
    assert await subs_of(harness) == []
    calls = await harness.press(reply, "sub:zone:kunshan-etdz")
    assert await subs_of(harness) == [("zone", "kunshan-etdz")]
    assert "已订阅" in answers(calls)[0]
    (edit,) = [c for c in calls if c.method == "editMessageReplyMarkup"]
    assert [b["text"][0] for row in edit.buttons for b in row] == ["⬜", "✅"]


async def test_unknown_name_suggests_and_offers_keyword(harness: BotHarness) -> None:
    calls = await harness.send("/subscribe 量子通信")
    (reply,) = replies(calls)
    assert "没有找到" in text_of(calls)
    assert reply.button_data() == ["sub:keyword:量子通信"]
    await harness.press(reply, "sub:keyword:量子通信")
    assert await subs_of(harness) == [("keyword", "量子通信")]


async def test_unknown_zone_gets_suggestions(harness: BotHarness) -> None:
    calls = await harness.send("/subscribe zone 常熟")
    assert "没有找到" in text_of(calls)


async def test_picker_buttons_toggle_in_place(harness: BotHarness) -> None:
    calls = await harness.send("/subscribe")
    (picker,) = replies(calls)
    assert "sub:zone:kunshan" in picker.button_data()
    assert "sub:sector:new-energy" in picker.button_data()
    calls = await harness.press(picker, "sub:sector:new-energy")
    assert await subs_of(harness) == [("sector", "new-energy")]
    edited = harness.api.message(USER_ID, picker.result["message_id"])
    assert edited is not None
    labels = {
        b["callback_data"]: b["text"]
        for row in edited["reply_markup"]["inline_keyboard"]
        for b in row
    }
    assert labels["sub:sector:new-energy"].startswith("✅")
    assert labels["sub:zone:kunshan"].startswith("⬜")
    await harness.press(picker, "sub:sector:new-energy")
    assert await subs_of(harness) == []


async def test_card_button_toggles_and_relabels(harness: BotHarness) -> None:
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🔔 订阅", callback_data="sub:zone:kunshan"),
                InlineKeyboardButton("📊 图表", callback_data="zc:kunshan"),
            ]
        ]
    )
    await harness.app.bot.send_message(USER_ID, "昆山高新区", reply_markup=markup)
    card = harness.api.last()
    await harness.press(card, "sub:zone:kunshan")
    assert await subs_of(harness) == [("zone", "kunshan")]
    message = harness.api.message(USER_ID, card.result["message_id"])
    assert message is not None
    row = message["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in row] == ["🔕 取消订阅", "📊 图表"]
    await harness.press(card, "sub:zone:kunshan")
    assert await subs_of(harness) == []


async def test_keyword_length_bounds(harness: BotHarness) -> None:
    assert "至少" in text_of(await harness.send("/subscribe keyword 电"))
    assert "最多" in text_of(await harness.send("/subscribe keyword " + "字" * 51))
    await harness.send("/subscribe keyword " + "字" * 50)
    assert await subs_of(harness) == [("keyword", "字" * 50)]


async def test_limit_of_200_subscriptions(harness: BotHarness) -> None:
    await harness.send("/subscribe zone 昆山")
    for n in range(MAX_SUBSCRIPTIONS - 1):
        await harness.store.subscribe(USER_ID, "keyword", f"词{n:03d}")
    calls = await harness.send("/subscribe keyword 最后一个")
    assert "上限" in text_of(calls)
    assert await harness.store.subscription_count(USER_ID) == MAX_SUBSCRIPTIONS


async def test_list_remove_button_and_stale_press(harness: BotHarness) -> None:
    await harness.send("/subscribe zone 昆山")
    await harness.send("/subscribe keyword 电池")
    calls = await harness.send("/subscriptions")
    (listing,) = replies(calls)
    assert "昆山高新区" in text_of(calls) and "电池" in text_of(calls)
    (first_id,) = [s.id for s in await harness.store.subscriptions(USER_ID) if s.kind == "zone"]
    data = f"unsub:{first_id}:0"
    assert data in listing.button_data()
    before = dict(harness.api.message(USER_ID, listing.result["message_id"]) or {})
    calls = await harness.press(listing, data)
    assert "已取消" in answers(calls)[0]
    assert await subs_of(harness) == [("keyword", "电池")]
    # The same button pressed again on an old copy of the message: answered, nothing breaks.
    calls = await harness.process(callback_update(before, data, user_id=USER_ID))
    assert "已经取消" in answers(calls)[0]
    assert replies(calls) == []  # no error reply


async def test_unsubscribe_by_name(harness: BotHarness) -> None:
    await harness.send("/subscribe zone 昆山")
    await harness.send("/subscribe keyword 固态电池")
    assert "已取消" in text_of(await harness.send("/unsubscribe kunshan"))
    assert "已取消" in text_of(await harness.send("/unsubscribe keyword 固态电池"))
    assert await subs_of(harness) == []
    assert "没有订阅" in text_of(await harness.send("/unsubscribe 昆山"))


async def test_alerts_mode(harness: BotHarness) -> None:
    await harness.send("/subscribe zone 昆山")
    calls = await harness.send("/alerts digest")
    assert "摘要" in text_of(calls)
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.alert_mode == "digest"
    calls = await harness.send("/alerts")
    (reply,) = replies(calls)
    await harness.press(reply, "alerts:instant")
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.alert_mode == "instant"


async def test_group_member_is_refused_and_admin_allowed(harness: BotHarness) -> None:
    group = -200
    calls = await harness.send(
        "/subscribe zone 昆山", chat_id=group, chat_type="group", user_id=2001
    )
    assert "管理员" in text_of(calls)
    assert await subs_of(harness, group) == []

    harness.api.chat_members[(group, 2002)] = "administrator"
    await harness.send("/subscribe zone 昆山", chat_id=group, chat_type="group", user_id=2002)
    assert await subs_of(harness, group) == [("zone", "kunshan")]
    checks = len(harness.api.sent("getChatMember"))
    await harness.send("/subscribe sector 新能源", chat_id=group, chat_type="group", user_id=2002)
    assert len(harness.api.sent("getChatMember")) == checks  # cached

    # The bot's own admins need no group role.
    await harness.send("/unsubscribe 昆山", chat_id=group, chat_type="group", user_id=ADMIN_ID)
    assert await subs_of(harness, group) == [("sector", "新能源")]


async def test_group_member_cannot_press_subscription_buttons(harness: BotHarness) -> None:
    group = -300
    harness.api.chat_members[(group, 2002)] = "administrator"
    calls = await harness.send("/subscribe", chat_id=group, chat_type="group", user_id=2002)
    (picker,) = replies(calls)
    calls = await harness.press(picker, "sub:zone:kunshan", user_id=2001)
    assert "管理员" in answers(calls)[0]
    assert await subs_of(harness, group) == []


async def test_bot_added_and_removed_from_group(harness: BotHarness) -> None:
    await harness.member_change(-400, user_id=2002, old="left", new="member")
    chat = await harness.store.chat(-400)
    assert chat is not None and chat.active
    await harness.member_change(-400, user_id=2002, old="member", new="left")
    chat = await harness.store.chat(-400)
    assert chat is not None and not chat.active


async def test_start_reactivates_an_inactive_chat(harness: BotHarness) -> None:
    await harness.send("/subscribe zone 昆山")
    await harness.store.set_chat_active(USER_ID, False)
    await harness.send("/start")
    chat = await harness.store.chat(USER_ID)
    assert chat is not None and chat.active


async def test_english_replies(harness: BotHarness) -> None:
    calls = await harness.send("/subscribe zone kunshan", lang="en")
    assert "Following" in text_of(calls)
