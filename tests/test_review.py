"""Articles to drafts to the store, through the real Application: ask, draft, review, accept."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.local_api import ApiCall, message_update
from bot.settings import Settings
from handlers.articles import EXTRACTOR
from tests.article_support import (
    ARTICLE,
    PAGES,
    PageServer,
    StandInExtractor,
    docx_bytes,
    pdf_bytes,
)
from tests.harness import ADMIN_ID, USER_ID, BotHarness, make_settings, replies, say, text_of
from tests.test_import_export import upload

SECOND_ADMIN = 901


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, admin_ids=frozenset({ADMIN_ID, SECOND_ADMIN}))


@pytest.fixture
def extractor() -> StandInExtractor:
    return StandInExtractor()  # fixed drafts; the real rules run in the last tests below


@pytest.fixture
async def bot(settings: Settings, extractor: StandInExtractor) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings) as harness:
        harness.app.bot_data[EXTRACTOR] = extractor
        yield harness


def with_button(calls: list[ApiCall], prefix: str) -> tuple[ApiCall, str]:
    """The last message among these calls with a button whose data starts with prefix."""
    for call in reversed([c for c in calls if c.error is None and c.buttons]):
        for data in call.button_data():
            if data.startswith(prefix):
                return call, data
    raise AssertionError(f"no {prefix!r} button in {[c.button_data() for c in calls]}")


async def draft(bot: BotHarness, text: str = ARTICLE, user_id: int = ADMIN_ID) -> list[ApiCall]:
    calls = await say(bot, text, user_id)
    assert "提取" in text_of(calls)
    call, data = with_button(calls, "art:go:")
    return await bot.press(call, data, user_id=user_id)


async def open_review(
    bot: BotHarness, calls: list[ApiCall], user_id: int = ADMIN_ID
) -> list[ApiCall]:
    call, data = with_button(calls, "rv:a:")
    return await bot.press(call, data, user_id=user_id)


def card_for(calls: list[ApiCall], name: str) -> ApiCall:
    for call in replies(calls):
        if name in call.text and any(d.startswith("rv:y:") for d in call.button_data()):
            return call
    raise AssertionError(f"no card for {name}")


def button(call: ApiCall, prefix: str) -> str:
    return next(d for d in call.button_data() if d.startswith(prefix))


async def test_admin_article_is_drafted_reviewed_and_accepted_into_the_store(
    bot: BotHarness, extractor: StandInExtractor
) -> None:
    seq = await bot.store.max_seq()
    calls = await draft(bot)
    assert "起草 2 条记录" in text_of(calls), text_of(calls)
    assert len(extractor.seen) == 1
    calls = await open_review(bot, calls)
    shown = text_of(calls)
    assert "昆山高新区举行二季度重大项目集中签约仪式" in shown  # the article's title
    new_card = card_for(calls, "星澜智能装备制造项目")
    assert "约8.5亿元" in new_card.text and "约120亩" in new_card.text
    assert "阶段：签约" in new_card.text
    assert "江苏星澜智能装备有限公司" in new_card.text  # the company by name, not its id
    assert "依据" in new_card.text and "投资约8.5亿元建设" in new_card.text  # the evidence
    calls = await bot.press(new_card, button(new_card, "rv:y:"), user_id=ADMIN_ID)
    assert "已接受" in text_of(calls)
    hits = await bot.store.search("星澜智能装备")
    assert any(h.kind == "project" for h in hits)
    project = await bot.store.project(next(h.record_id for h in hits if h.kind == "project"))
    assert project is not None and project.zone == "kunshan"
    # The amount as written, hedge kept (as the investment or a labelled figure).
    amounts = [f.value.text() for f in project.figures]
    if project.total_investment is not None:
        amounts.append(project.total_investment.text())
    assert amounts == ["约8.5亿元"]
    assert project.land_mu is not None and project.land_mu.text() == "约120亩"
    company = await bot.store.company(project.company or "")
    assert company is not None and company.name_zh == "江苏星澜智能装备有限公司"
    feed = await bot.store.feed_after(seq)
    assert [(f.kind, f.record_id, f.change) for f in feed] == [("project", project.id, "new")]
    history = await bot.store.history("project", project.id)
    assert history[0].via == "review" and history[0].actor_id == ADMIN_ID
    # /search finds it at once.
    assert "星澜智能装备制造项目" in text_of(await say(bot, "/search 星澜"))


async def test_a_draft_of_a_stored_project_is_an_update_showing_the_change(
    bot: BotHarness,
) -> None:
    calls = await open_review(bot, await draft(bot))
    card = card_for(calls, "德加能源固态电池总部项目")
    assert "更新已有记录" in card.text and "kunshan-dejia-solid-state-battery-hq" in card.text
    assert "将修改" in card.text and "20亿元" in card.text
    before = await bot.store.project("kunshan-dejia-solid-state-battery-hq")
    assert before is not None and before.total_investment is None
    calls = await bot.press(card, button(card, "rv:y:"), user_id=ADMIN_ID)
    decided = text_of(calls)  # the card, edited in place: what it updated and who accepted
    assert "已接受" in decided and "kunshan-dejia-solid-state-battery-hq" in decided
    after = await bot.store.project("kunshan-dejia-solid-state-battery-hq")
    assert after is not None and after.total_investment is not None
    assert after.total_investment.text() == "20亿元"
    # Credited to the article and, for what it kept, to the record's earlier source.
    source = await bot.store.source(after.source)
    assert source is not None and "昆山高新区举行二季度重大项目集中签约仪式" in source.title
    assert "原始来源" in source.title and "p000-kunshan" in (source.note or "")
    # The rest of the stored record is kept, and no second project was added.
    assert after.name_en == before.name_en and after.company == "dejia-energy"
    assert after.highlights_zh == before.highlights_zh
    assert not [p for p in await bot.store.projects_in_zone("kunshan", 500) if p.id.endswith("-2")]
    assert (
        len([h for h in await bot.store.search("德加能源固态电池总部") if h.kind == "project"]) == 1
    )


async def test_the_same_article_sent_again_is_not_drafted_again(
    bot: BotHarness, extractor: StandInExtractor
) -> None:
    await draft(bot)
    calls = await draft(bot, "  " + ARTICLE.replace("\n", "\n\n") + " ")
    assert "已于" in text_of(calls) and "不再重复起草" in text_of(calls)
    assert len(extractor.seen) == 1
    assert len(await bot.store.pending_review_articles()) == 1


async def test_a_long_paste_split_by_telegram_is_one_article(
    bot: BotHarness, extractor: StandInExtractor
) -> None:
    first, second = ARTICLE[:300] + "。" * 250, ARTICLE[300:]
    calls = await say(bot, first)
    question, _ = with_button(calls, "art:go:")
    calls = await say(bot, second)  # a moment later: the rest of the same paste
    assert "2 条消息" in text_of(calls)
    assert not [c for c in replies(calls) if c.buttons]  # no second question
    _, data = with_button([question], "art:go:")
    calls = await bot.press(question, data, user_id=ADMIN_ID)
    assert "起草" in text_of(calls)
    assert extractor.seen[0].text.endswith(second.strip()[-20:])


async def test_a_short_message_later_is_a_lookup_not_part_of_the_article(
    bot: BotHarness,
) -> None:
    await say(bot, ARTICLE)
    raw = message_update("昆山", chat_id=ADMIN_ID, user_id=ADMIN_ID, message_id=77)
    raw["message"]["date"] = int(time.time()) + 60
    calls = await bot.process(raw)
    assert "昆山高新技术产业开发区" in text_of(calls)


async def test_short_text_from_an_admin_and_long_text_from_a_user_are_lookups(
    bot: BotHarness, extractor: StandInExtractor
) -> None:
    calls = await say(bot, "昆山")
    assert "昆山高新技术产业开发区" in text_of(calls)
    assert not any(d.startswith("art:") for c in replies(calls) for d in c.button_data())
    calls = await say(bot, ARTICLE, user_id=USER_ID)
    assert not any(d.startswith("art:") for c in replies(calls) for d in c.button_data())
    assert replies(calls)  # answered as a lookup
    assert extractor.seen == [] and await bot.store.pending_review_articles() == []


async def test_declining_drafts_nothing(bot: BotHarness, extractor: StandInExtractor) -> None:
    calls = await say(bot, ARTICLE)
    call, data = with_button(calls, "art:no:")
    calls = await bot.press(call, data, user_id=ADMIN_ID)
    assert "未提取" in text_of(calls)
    assert extractor.seen == [] and await bot.store.pending_review_articles() == []


async def test_two_admins_review_and_the_audit_names_who_accepted(bot: BotHarness) -> None:
    drafted = await draft(bot)
    calls = await open_review(bot, drafted)
    update_card = card_for(calls, "德加能源固态电池总部项目")
    # The second admin opens the same article before the first one decides.
    their_cards = await open_review(bot, drafted, user_id=SECOND_ADMIN)
    their_copy = card_for(their_cards, "德加能源固态电池总部项目")
    calls = await bot.press(update_card, button(update_card, "rv:n:"), user_id=ADMIN_ID)
    assert "已拒绝" in text_of(calls)
    calls = await bot.press(their_copy, button(their_copy, "rv:y:"), user_id=SECOND_ADMIN)
    assert any(c.method == "answerCallbackQuery" and "已被拒绝" in str(c.params) for c in calls)
    pending = len(await bot.store.review_items(1, "pending"))
    calls = await say(bot, "/review", SECOND_ADMIN)
    assert f"{pending} 条待审" in text_of(calls)
    call, data = with_button(calls, "rv:a:")
    calls = await bot.press(call, data, user_id=SECOND_ADMIN)
    assert "德加能源固态电池总部项目" not in text_of(calls)  # decided cards are not shown again
    call, data = with_button(calls, "rv:all:")
    calls = await bot.press(call, data, user_id=SECOND_ADMIN)
    assert f"已接受 {pending} 条" in text_of(calls)
    project = next(h for h in await bot.store.search("星澜智能装备") if h.kind == "project")
    history = await bot.store.history("project", project.record_id)
    assert history[0].actor_id == SECOND_ADMIN
    dejia = await bot.store.project("kunshan-dejia-solid-state-battery-hq")
    assert dejia is not None and dejia.total_investment is None  # rejected: unchanged
    assert "没有待审核" in text_of(await say(bot, "/review"))


async def test_buttons_recheck_admin_rights_when_pressed(bot: BotHarness) -> None:
    calls = await open_review(bot, await draft(bot))
    card = card_for(calls, "星澜智能装备制造项目")
    calls = await bot.press(card, button(card, "rv:y:"), user_id=USER_ID)
    assert any(c.method == "answerCallbackQuery" and "仅限管理员" in str(c.params) for c in calls)
    assert not [h for h in await bot.store.search("星澜智能装备") if h.kind == "project"]
    items = await bot.store.review_items((await bot.store.pending_review_articles())[0].id)
    assert all(i.status == "pending" for i in items)


async def test_edit_a_field_then_accept_stores_the_edited_value(bot: BotHarness) -> None:
    calls = await open_review(bot, await draft(bot))
    card = card_for(calls, "星澜智能装备制造项目")
    calls = await bot.press(card, button(card, "rv:e:"), user_id=ADMIN_ID)
    call, _ = with_button(calls, "rv:f:")
    data = next(d for d in call.button_data() if d.endswith(":land_mu"))
    calls = await bot.press(call, data, user_id=ADMIN_ID)
    assert "约120亩" in text_of(calls)
    calls = await say(bot, "很多")
    assert "无法读取" in text_of(calls)
    calls = await say(bot, "约125亩")
    edited = card_for(calls, "星澜智能装备制造项目")
    assert "约125亩" in edited.text
    await bot.press(edited, button(edited, "rv:y:"), user_id=ADMIN_ID)
    hit = next(h for h in await bot.store.search("星澜智能装备") if h.kind == "project")
    project = await bot.store.project(hit.record_id)
    assert project is not None and project.land_mu is not None
    assert project.land_mu.text() == "约125亩"


async def test_stage_and_date_are_edited_in_words(bot: BotHarness) -> None:
    calls = await open_review(bot, await draft(bot))
    card = card_for(calls, "星澜智能装备制造项目")
    for key, typed, shown in (("stage", "开工", "阶段：开工"), ("stage_date", "2025年7月", "7月")):
        calls = await bot.press(card, button(card, "rv:e:"), user_id=ADMIN_ID)
        call, _ = with_button(calls, "rv:f:")
        field = next(d for d in call.button_data() if d.endswith(f":{key}"))
        await bot.press(call, field, user_id=ADMIN_ID)
        calls = await say(bot, typed)
        card = card_for(calls, "星澜智能装备制造项目")
        assert shown in card.text
    calls = await bot.press(card, button(card, "rv:e:"), user_id=ADMIN_ID)
    call, _ = with_button(calls, "rv:f:")
    await bot.press(
        call, next(d for d in call.button_data() if d.endswith(":stage")), user_id=ADMIN_ID
    )
    assert "无法读取" in text_of(await say(bot, "差不多了"))
    assert "已取消" in text_of(await say(bot, "/cancel"))
    await bot.press(card, button(card, "rv:y:"), user_id=ADMIN_ID)
    hit = next(h for h in await bot.store.search("星澜智能装备") if h.kind == "project")
    project = await bot.store.project(hit.record_id)
    assert project is not None and project.stage is not None
    assert project.stage.value == "construction"
    assert project.stage_date is not None and project.stage_date.edtf() == "2025-07"


async def test_the_queue_survives_a_restart(
    settings: Settings, extractor: StandInExtractor
) -> None:
    first = BotHarness(settings)
    await first.start()
    first.app.bot_data[EXTRACTOR] = extractor
    try:
        await draft(first)
    finally:
        await first.stop()
    second = BotHarness(settings)
    await second.start()
    try:
        pending = len(await second.store.review_items(1, "pending"))
        calls = await say(second, "/review")
        assert pending >= 2 and f"{pending} 条待审" in text_of(calls)
        calls = await open_review(second, calls)
        assert "星澜智能装备制造项目" in text_of(calls)
    finally:
        await second.stop()


async def test_a_forwarded_channel_post_is_offered_with_its_channel_as_outlet(
    bot: BotHarness, extractor: StandInExtractor
) -> None:
    raw = message_update(ARTICLE[:200], chat_id=ADMIN_ID, user_id=ADMIN_ID, message_id=88)
    raw["message"]["forward_origin"] = {
        "type": "channel",
        "chat": {"id": -100500, "type": "channel", "title": "昆山发布", "username": "ksfabu"},
        "message_id": 321,
        "date": 1_750_000_000,
    }
    calls = await bot.process(raw)
    assert "转发" in text_of(calls) and "昆山发布" in text_of(calls)
    call, data = with_button(calls, "art:go:")
    await bot.press(call, data, user_id=ADMIN_ID)
    article = extractor.seen[0]
    assert article.outlet == "昆山发布" and article.url == "https://t.me/ksfabu/321"
    assert article.published == "2025-06-15"  # 23:06 in Shanghai


async def test_a_docx_file_is_read_and_drafted(
    bot: BotHarness, extractor: StandInExtractor
) -> None:
    calls = await upload(bot, "签约.docx", docx_bytes(ARTICLE.split("\n"), title="签约新闻"))
    assert "签约.docx" in text_of(calls)
    call, data = with_button(calls, "art:go:")
    calls = await bot.press(call, data, user_id=ADMIN_ID)
    assert "起草" in text_of(calls)
    assert extractor.seen[0].title == "签约新闻"


@pytest.mark.parametrize(
    ("name", "data", "size", "expected"),
    [
        ("scan.pdf", pdf_bytes(None), None, "没有可读的文字"),
        ("huge.pdf", b"%PDF-1.4", 10 * 1024 * 1024, "文件太大"),
        ("empty.txt", b"   \n\n ", None, "文章是空的"),
        ("broken.docx", b"PK\x03\x04 not really a zip", None, "已损坏"),
    ],
)
async def test_bad_files_get_a_clear_answer_and_nothing_is_queued(
    bot: BotHarness,
    extractor: StandInExtractor,
    name: str,
    data: bytes,
    size: int | None,
    expected: str,
) -> None:
    calls = await upload(bot, name, data, size=size)
    if "art:go:" in str([c.button_data() for c in calls]):
        call, go = with_button(calls, "art:go:")
        calls = await bot.press(call, go, user_id=ADMIN_ID)
    assert expected in text_of(calls)
    assert extractor.seen == [] and await bot.store.pending_review_articles() == []


async def test_spreadsheets_and_fact_files_still_import(bot: BotHarness) -> None:
    calls = await upload(bot, "facts.yaml", b"version: 1\n")
    assert "art:" not in str([c.button_data() for c in calls])
    assert "导入" in text_of(calls)


async def test_a_non_admin_file_is_refused_as_before(bot: BotHarness) -> None:
    calls = await upload(bot, "a.pdf", pdf_bytes(["hello"]), user_id=USER_ID)
    assert "仅限管理员" in text_of(calls)


async def test_an_article_with_nothing_to_draft_stores_nothing(bot: BotHarness) -> None:
    text = "这是一篇与园区无关的随笔。" * 60
    calls = await draft(bot, text)
    assert "没有找到可起草的记录" in text_of(calls)
    assert await bot.store.pending_review_articles() == []


async def test_a_link_is_fetched_drafted_and_sent_again_is_recognised(
    tmp_path: Path, extractor: StandInExtractor
) -> None:
    settings = make_settings(tmp_path, fetch_allow_private=True)
    harness = BotHarness(settings)
    await harness.start()
    harness.app.bot_data[EXTRACTOR] = extractor
    try:
        async with PageServer() as site:
            link = f"{site.base}/article.html"
            calls = await say(harness, link)
            assert "收到链接" in text_of(calls) and link in text_of(calls)
            assert site.hits == []  # nothing is fetched before the admin says yes
            call, data = with_button(calls, "art:go:")
            calls = await harness.press(call, data, user_id=ADMIN_ID)
            assert "起草" in text_of(calls)
            article = extractor.seen[0]
            assert article.outlet == "昆山日报" and article.url == link
            assert "999亿元" not in article.text  # the page's scripts never reach the drafts
            calls = await say(harness, link + "#comments")
            call, data = with_button(calls, "art:go:")
            calls = await harness.press(call, data, user_id=ADMIN_ID)
            assert "不再重复起草" in text_of(calls)
            assert site.hits == ["article.html", "article.html"] and len(extractor.seen) == 1
    finally:
        await harness.stop()


@pytest.mark.parametrize(
    ("path", "allow", "expected"),
    [
        ("article.html", False, "出于安全考虑"),
        ("missing", True, "网站返回错误（404）"),
        ("error", True, "网站返回错误（500）"),
        ("front-page.html", True, "不像一篇文章"),
    ],
)
async def test_bad_links_get_a_clear_answer_and_nothing_is_queued(
    tmp_path: Path, extractor: StandInExtractor, path: str, allow: bool, expected: str
) -> None:
    harness = BotHarness(make_settings(tmp_path, fetch_allow_private=allow))
    await harness.start()
    harness.app.bot_data[EXTRACTOR] = extractor
    try:
        async with PageServer() as site:
            calls = await say(harness, f"{site.base}/{path}")
            call, data = with_button(calls, "art:go:")
            calls = await harness.press(call, data, user_id=ADMIN_ID)
            assert expected in text_of(calls)
            if not allow:
                assert site.hits == []
        assert extractor.seen == [] and await harness.store.pending_review_articles() == []
    finally:
        await harness.stop()


async def test_the_real_extractor_drafts_an_article_that_is_reviewed_into_the_store(
    settings: Settings,
) -> None:
    harness = BotHarness(settings)  # no stand-in: bot.core.extraction drafts
    await harness.start()
    try:
        seq = await harness.store.max_seq()
        calls = await draft(harness)
        assert "起草" in text_of(calls), text_of(calls)
        article = (await harness.store.pending_review_articles())[0]
        items = await harness.store.review_items(article.id)
        assert items and all(i.evidence for i in items)  # every card says where it came from
        calls = await open_review(harness, calls)
        call, data = with_button(calls, "rv:all:")
        calls = await harness.press(call, data, user_id=ADMIN_ID)
        assert f"已接受 {len(items)} 条" in text_of(calls)
        for item in await harness.store.review_items(article.id):
            assert item.status == "accepted" and item.decided_by == ADMIN_ID
            record_id = item.target or str(item.record["id"])
            if item.section == "projects":
                assert await harness.store.project(record_id) is not None
            elif item.section == "events":
                assert await harness.store.event(record_id) is not None
        feed = await harness.store.feed_after(seq)
        assert feed and all(f.change in ("new", "stage") for f in feed)
        history = await harness.store.history(feed[0].kind, feed[0].record_id)
        assert history[-1].actor_id == ADMIN_ID and history[-1].via == "review"
    finally:
        await harness.stop()


async def test_a_long_article_shows_its_cards_a_page_at_a_time(bot: BotHarness) -> None:
    lines = [
        f"昆山高新区新签约第{n}批项目，苏州{g}号科技有限公司投资约{n}.5亿元建设{g}号测试项目，"
        f"占地约{n}0亩。"
        for n, g in enumerate("甲乙丙丁戊己庚辛壬癸", 1)
    ]
    calls = await open_review(bot, await draft(bot, "\n".join(lines) + "项目情况良好。" * 30))
    cards = [c for c in replies(calls) if any(d.startswith("rv:y:") for d in c.button_data())]
    assert len(cards) == 8
    call, more = with_button(calls, "rv:m:")
    assert "显示其余 2 条" in str(call.buttons)
    calls = await bot.press(call, more, user_id=ADMIN_ID)
    rest = [c for c in replies(calls) if any(d.startswith("rv:y:") for d in c.button_data())]
    assert len(rest) == 2 and "癸号测试项目" in rest[-1].text


async def test_an_accept_that_loses_the_race_writes_nothing(bot: BotHarness) -> None:
    """The card is marked in the record's own transaction: the second accept changes nothing."""
    from bot.articles.review import DraftItem, acceptance
    from bot.core.factfile import parse
    from storage.review_queries import AlreadyDecided

    await draft(bot)
    article = (await bot.store.pending_review_articles())[0]
    item = next(i for i in await bot.store.review_items(article.id) if i.target is None)
    assert await bot.store.decide_review_item(article.id, item.position, "rejected", ADMIN_ID)
    doc = acceptance(
        DraftItem(item.section, item.record, item.evidence, None),
        article.support,
        existing=None,
        known={"zones": (await bot.store.known_ids()).zones},
        keep_review=True,
    )
    seq = await bot.store.max_seq()
    with pytest.raises(AlreadyDecided):
        await bot.store.apply_facts(
            parse(doc),
            via="review",
            actor_id=SECOND_ADMIN,
            first=bot.store.claim_review_item(article.id, item.position, SECOND_ADMIN),
        )
    assert await bot.store.project(str(item.record["id"])) is None
    assert await bot.store.feed_after(seq) == []
    fresh = await bot.store.review_item(article.id, item.position)
    assert fresh is not None and fresh.status == "rejected" and fresh.decided_by == ADMIN_ID


ARTICLES = Path(__file__).parent / "articles"


@pytest.mark.parametrize("name", sorted(p.name for p in ARTICLES.glob("*.txt")))
async def test_every_test_article_is_drafted_and_accepted_whole(
    settings: Settings, name: str
) -> None:
    """Whatever the rules draft from a real report (new zones, companies, labels, figures),
    the review path accepts it whole: no card fails, every record lands in the store."""
    lines = (ARTICLES / name).read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[1:] if lines[0].startswith("#") else lines)  # no provenance line
    harness = BotHarness(settings)
    await harness.start()
    try:
        calls = await upload(harness, name, text.encode("utf-8"))  # any length, as a file
        call, data = with_button(calls, "art:go:")
        calls = await harness.press(call, data, user_id=ADMIN_ID)
        calls = await open_review(harness, calls)
        call, data = with_button(calls, "rv:all:")
        article = (await harness.store.pending_review_articles())[0]
        total = article.pending
        calls = await harness.press(call, data, user_id=ADMIN_ID)
        assert f"已接受 {total} 条。" == text_of(calls).strip()
        assert await harness.store.pending_review_articles() == []
    finally:
        await harness.stop()


async def test_the_same_report_as_a_saved_page_after_a_paste_is_recognised(
    bot: BotHarness, extractor: StandInExtractor
) -> None:
    await draft(bot)
    # The page has a byline, a date line and menus the paste did not: most sentences match.
    calls = await upload(bot, "page.html", (PAGES / "article.html").read_bytes())
    call, data = with_button(calls, "art:go:")
    calls = await bot.press(call, data, user_id=ADMIN_ID)
    assert "不再重复起草" in text_of(calls)
    assert len(extractor.seen) == 1
    # Another report that shares a sentence or two is a new article.
    other = (
        ARTICLE.split("\n")[-1]
        + "\n"
        + "苏州某某科技有限公司投资约3亿元建设某某项目，占地约30亩。" * 20
    )
    calls = await draft(bot, "昆山高新区又有新项目签约。\n" + other)
    assert "起草" in text_of(calls) and "不再重复起草" not in text_of(calls)
