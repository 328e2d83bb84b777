"""/subscribe, /unsubscribe, /subscriptions, /alerts and their buttons, through the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.context import services_of
from bot.core.records import FactFile, Zone
from bot.jobs import delivery
from bot.jobs.alerts import alerts_tick
from bot.local_api import ApiCall, callback_update, message_update
from bot.settings import Settings
from storage.subscription_queries import MAX_SUBSCRIPTIONS
from tests.harness import ADMIN_ID, USER_ID, BotHarness, Clock, make_settings, replies, text_of
from tests.test_alerts import START, add_elsewhere, alerts_to, project


@pytest.fixture
async def harness(settings: Settings) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, now=Clock(START)) as bot:
        yield bot


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
    # The zone with records is followed at once; the other the name fits is offered beside it.
    calls = await harness.send("/subscribe 昆山")
    (reply,) = replies(calls)
    assert reply.button_data() == ["sub:zone:kunshan-etdz"]
    assert "昆山经开区" in text_of(calls)
    assert await subs_of(harness) == [("zone", "kunshan")]
    calls = await harness.press(reply, "sub:zone:kunshan-etdz")
    assert await subs_of(harness) == [("zone", "kunshan"), ("zone", "kunshan-etdz")]
    assert "已订阅" in answers(calls)[0]
    (edit,) = [c for c in calls if c.method == "editMessageReplyMarkup"]
    assert [b["text"][0] for row in edit.buttons for b in row] == ["✅"]
    # Two zones without records share a name: a choice, nothing followed silently.
    calls = await harness.send("/subscribe zone 福州")
    (reply,) = replies(calls)
    assert reply.button_data() == ["sub:zone:fuzhou-etdz", "sub:zone:fuzhou-hitech"]


async def test_unknown_name_suggests_and_offers_keyword(harness: BotHarness) -> None:
    calls = await harness.send("/subscribe 量子通信")
    (reply,) = replies(calls)
    assert "没有找到" in text_of(calls)
    assert reply.button_data() == ["sub:keyword:量子通信"]
    await harness.press(reply, "sub:keyword:量子通信")
    assert await subs_of(harness) == [("keyword", "量子通信")]


async def test_unknown_zone_gets_suggestions(harness: BotHarness) -> None:
    calls = await harness.send("/subscribe zone 东京湾")
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
    # Every change asks Telegram again: a demoted administrator loses control at once.
    assert len(harness.api.sent("getChatMember")) == checks + 1

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


# ---- a group becoming a supergroup ------------------------------------------------------

OLD_GROUP, NEW_GROUP = -4001, -1004001


async def _old_group_with_settings(bot: BotHarness) -> int:
    """The old group: followed zone, digest-only, Berlin time, weekly Friday 17:00, English,
    an unfinished digest and a sent alert. Returns its digest watermark."""
    store = bot.store
    await store.ensure_chat(OLD_GROUP, "group", "G")
    await store.subscribe(OLD_GROUP, "zone", "kunshan")
    await store.set_chat_lang(OLD_GROUP, "en")
    await store.set_chat_timezone(OLD_GROUP, "Europe/Berlin", None)
    await store.set_digest_schedule(OLD_GROUP, "weekly", "17:00", 4, None)
    seq = int(str(await store.max_seq()))
    await store.open_digest(OLD_GROUP, "w2026-W10", 0, seq, [[(seq, "new")]])
    await store.set_alert_mode(OLD_GROUP, "digest")
    await store._db.execute(
        "INSERT INTO deliveries(chat_id, seq, sent_at) VALUES (?, ?, ?)",
        (OLD_GROUP, seq, "2026-03-01T00:00:00+00:00"),
    )
    old = await store.chat(OLD_GROUP)
    assert old is not None
    return old.digest_seq


async def _assert_new_group_has_it_all(bot: BotHarness, watermark: int) -> None:
    store = bot.store
    new = await store.chat(NEW_GROUP)
    assert new is not None and new.active
    assert (new.alert_mode, new.timezone, new.lang) == ("digest", "Europe/Berlin", "en")
    assert (new.digest_kind, new.digest_time, new.digest_weekday) == ("weekly", "17:00", 4)
    assert new.digest_seq == watermark
    assert await subs_of(bot, NEW_GROUP) == [("zone", "kunshan")]
    assert await store.pending_digest(NEW_GROUP) is not None
    assert await store.digest_plans([(NEW_GROUP, "w2026-W10")]) != {}
    assert len(await store.delivery_rows(NEW_GROUP)) == 1
    old = await store.chat(OLD_GROUP)
    assert old is not None and not old.active and old.migrated_to == NEW_GROUP


async def test_migration_to_a_new_id_moves_the_whole_chat(harness: BotHarness) -> None:
    watermark = await _old_group_with_settings(harness)
    await harness.store.migrate_chat(OLD_GROUP, NEW_GROUP)
    await _assert_new_group_has_it_all(harness, watermark)


async def test_migration_folds_into_a_new_id_that_already_has_a_row(harness: BotHarness) -> None:
    watermark = await _old_group_with_settings(harness)
    # The supergroup wrote first (as under private access, where the gate makes its row):
    # default settings and a later watermark.
    await harness.store.ensure_chat(NEW_GROUP, "supergroup", "G")
    await harness.store._db.execute(
        "UPDATE chats SET digest_seq = ? WHERE id = ?", (watermark + 5, NEW_GROUP)
    )
    await harness.store.migrate_chat(OLD_GROUP, NEW_GROUP)
    await _assert_new_group_has_it_all(harness, watermark)


async def test_private_access_upgrade_keeps_the_groups_settings(
    tmp_path: Path,
) -> None:
    bot = BotHarness(make_settings(tmp_path, access="private"), now=Clock(START))
    await bot.start()
    try:
        watermark = await _old_group_with_settings(bot)
        await bot.store.set_chat_approved(OLD_GROUP, "group", "G", True, ADMIN_ID)
        raw = message_update("x", chat_id=NEW_GROUP, chat_type="supergroup", user_id=ADMIN_ID)
        del raw["message"]["text"]
        raw["message"]["migrate_from_chat_id"] = OLD_GROUP
        await bot.process(raw)
        await _assert_new_group_has_it_all(bot, watermark)
    finally:
        await bot.stop()


# ---- managing a group's subscriptions from a private chat -------------------------------

GROUP_ID, OTHER_GROUP = -100123, -100456


async def _groups_known(bot: BotHarness) -> None:
    """Two supergroups the bot is in; USER_ID administers only the first."""
    for group in (GROUP_ID, OTHER_GROUP):
        await bot.send("/start", chat_id=group, chat_type="supergroup", user_id=2001)
    await bot.store.ensure_chat(GROUP_ID, "supergroup", "招商<群>&")
    bot.api.chat_members[(GROUP_ID, USER_ID)] = "administrator"


async def _manage_group(bot: BotHarness) -> None:
    (listing,) = replies(await bot.send("/manage"))
    calls = await bot.press(listing, f"mg:{GROUP_ID}")
    assert "招商<群>&" in answers(calls)[0]


async def test_manage_lists_only_groups_where_the_user_is_admin(harness: BotHarness) -> None:
    assert "/start" in text_of(await harness.send("/manage"))  # none yet: how to get there
    await _groups_known(harness)
    calls = await harness.send("/manage")
    (listing,) = replies(calls)
    assert listing.button_data() == [f"mg:{GROUP_ID}", "mg:off"]
    assert all(len(d.encode()) <= 64 for d in listing.button_data())
    # The bot's own admins may manage any group the bot is in.
    (listing,) = replies(await harness.send("/manage", chat_id=ADMIN_ID))
    assert sorted(listing.button_data()) == sorted(
        [f"mg:{GROUP_ID}", f"mg:{OTHER_GROUP}", "mg:off"]
    )
    # In a group, /manage points to the private chat.
    calls = await harness.send("/manage", chat_id=GROUP_ID, chat_type="supergroup")
    assert "私聊" in text_of(calls)


async def test_subscribe_from_private_lands_on_the_managed_group(harness: BotHarness) -> None:
    await _groups_known(harness)
    await _manage_group(harness)
    calls = await harness.send("/subscribe zone 昆山")
    assert "群「招商<群>&」的订阅" in text_of(calls)
    assert "&lt;群&gt;&amp;" in replies(calls)[0].text  # the title is escaped
    assert await subs_of(harness, GROUP_ID) == [("zone", "kunshan")]
    assert await subs_of(harness) == []
    calls = await harness.send("/subscriptions")
    assert "群「招商<群>&」的订阅" in text_of(calls) and "昆山高新区" in text_of(calls)
    (picker,) = replies(await harness.send("/subscribe"))
    calls = await harness.press(picker, "sub:sector:new-energy")
    assert "招商<群>&" in answers(calls)[0]
    await harness.send("/unsubscribe 昆山")
    assert await subs_of(harness, GROUP_ID) == [("sector", "new-energy")]
    await harness.send("/alerts digest")
    group = await harness.store.chat(GROUP_ID)
    assert group is not None and group.alert_mode == "digest"
    mine = await harness.store.chat(USER_ID)
    assert mine is None or mine.alert_mode == "instant"


async def test_after_manage_off_subscriptions_go_to_the_private_chat(
    harness: BotHarness,
) -> None:
    await _groups_known(harness)
    await _manage_group(harness)
    (old_picker,) = replies(await harness.send("/subscribe"))
    calls = await harness.send("/manage off")
    assert "本私聊" in text_of(calls)
    calls = await harness.send("/subscribe zone 昆山")
    assert "群「" not in text_of(calls)
    assert await subs_of(harness) == [("zone", "kunshan")]
    assert await subs_of(harness, GROUP_ID) == []
    # A picker sent for the group does not quietly change the private chat now.
    calls = await harness.press(old_picker, "sub:sector:new-energy")
    assert "另一个聊天" in answers(calls)[0]
    assert await subs_of(harness) == [("zone", "kunshan")]
    assert await subs_of(harness, GROUP_ID) == []
    # The button returns to the private chat too.
    await _manage_group(harness)
    (listing,) = replies(await harness.send("/manage"))
    calls = await harness.press(listing, "mg:off")
    assert answers(calls)
    await harness.send("/subscribe sector 新能源")
    assert await subs_of(harness) == [("zone", "kunshan"), ("sector", "新能源")]


async def test_non_admin_cannot_select_the_group(harness: BotHarness) -> None:
    await _groups_known(harness)
    (listing,) = replies(await harness.send("/manage"))
    # A member of the group (not an admin) pressing a forged or stale button is refused.
    await harness.send("/start", chat_id=2001)
    (hello,) = replies(harness.api.sent("sendMessage", 2001))[-1:]
    message = harness.api.message(2001, hello.result["message_id"])
    assert message is not None
    calls = await harness.process(callback_update(message, f"mg:{GROUP_ID}", user_id=2001))
    assert "不是该群的管理员" in answers(calls)[0]
    await harness.send("/subscribe zone 昆山", chat_id=2001)
    assert await subs_of(harness, GROUP_ID) == []
    # USER_ID stops being an admin after the list was sent: the stale button is refused.
    harness.api.chat_members[(GROUP_ID, USER_ID)] = "member"
    services_of(harness.app).admin_cache.clear()
    calls = await harness.press(listing, f"mg:{GROUP_ID}")
    assert "不是该群的管理员" in answers(calls)[0]
    await harness.send("/subscribe zone 昆山")
    assert await subs_of(harness, GROUP_ID) == []


async def test_rights_are_checked_again_at_each_change(harness: BotHarness) -> None:
    await _groups_known(harness)
    await _manage_group(harness)
    harness.api.chat_members[(GROUP_ID, USER_ID)] = "member"
    services_of(harness.app).admin_cache.clear()
    calls = await harness.send("/subscribe zone 昆山")
    assert "已不是群「招商<群>&」的管理员" in text_of(calls)
    assert await subs_of(harness, GROUP_ID) == []
    await harness.send("/subscribe zone 昆山")  # the choice was dropped: back to private
    assert await subs_of(harness) == [("zone", "kunshan")]


async def test_alert_for_a_managed_subscription_goes_to_the_group(
    harness: BotHarness, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "PRIVATE_INTERVAL", 0.0)
    monkeypatch.setattr(delivery, "GROUP_INTERVAL", 0.0)
    await _groups_known(harness)
    await _manage_group(harness)
    await harness.send("/subscribe zone 昆山")
    await alerts_tick(harness.app)
    harness.api.clear()
    await add_elsewhere(settings, project("t-managed", name_zh="私聊订阅的群提醒项目"))
    await alerts_tick(harness.app)
    (alert,) = alerts_to(harness, GROUP_ID)
    assert "私聊订阅的群提醒项目" in alert.text
    assert "message_thread_id" not in alert.params
    assert alerts_to(harness, USER_ID) == []


async def test_manage_in_english(harness: BotHarness) -> None:
    await _groups_known(harness)
    (listing,) = replies(await harness.send("/manage", lang="en"))
    await harness.press(listing, f"mg:{GROUP_ID}", lang="en")
    calls = await harness.send("/subscribe zone kunshan", lang="en")
    assert "Subscriptions of group 招商<群>&" in text_of(calls)
