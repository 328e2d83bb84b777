"""The zone card's reads are kept per facts version: a write shows at once, and every reader's
card is still rendered for them (language, admin or not) from the kept reads."""

from __future__ import annotations

from bot.core.records import FactFile
from storage import Store
from tests.harness import ADMIN_ID, BotHarness, text_of

PROJECT = {
    "id": "kunshan-new-chip-line",
    "zone": "kunshan",
    "name_zh": "新建晶圆封测产线项目",
    "name_en": "New wafer packaging line project",
    "stage": "signed",
    "source": "p000-kunshan",
}


async def test_a_project_written_here_shows_on_the_next_card(bot: BotHarness) -> None:
    for _ in range(2):  # the second card comes from the kept reads
        assert "新建晶圆封测产线项目" not in text_of(await bot.send("/zone 昆山"))
    await bot.store.apply_facts(FactFile.model_validate({"projects": [PROJECT]}), via="test")
    text = text_of(await bot.send("/zone 昆山"))
    assert "新建晶圆封测产线项目" in text
    assert "本库收录 5 个项目" in text


async def test_a_project_written_by_another_process_shows_on_the_next_card(
    bot: BotHarness,
) -> None:
    assert "新建晶圆封测产线项目" not in text_of(await bot.send("/zone kunshan"))
    other = await Store.open(bot.settings.database_path)
    try:
        await other.apply_facts(FactFile.model_validate({"projects": [PROJECT]}), via="test")
        assert "新建晶圆封测产线项目 · 签约" in text_of(await bot.send("/zone kunshan"))
        # A stage change is a write too: the card shows the new stage, not the kept one.
        moved = {**PROJECT, "stage": "construction"}
        await other.apply_facts(FactFile.model_validate({"projects": [moved]}), via="test")
    finally:
        await other.close()
    text = text_of(await bot.send("/zone kunshan"))
    assert "新建晶圆封测产线项目 · 开工" in text and "新建晶圆封测产线项目 · 签约" not in text


async def test_the_kept_card_is_rendered_in_each_readers_language(bot: BotHarness) -> None:
    chinese = text_of(await bot.send("/zone 昆山"))
    assert "主导产业" in chinese and "Leading industries" not in chinese
    english = text_of(await bot.send("/zone 昆山", lang="en"))
    assert "Leading industries: Electronic information" in english
    assert "主导产业" not in english
    again = text_of(await bot.send("/zone 昆山"))
    assert again == chinese


async def test_admin_notes_stay_with_admins_when_the_card_is_kept(bot: BotHarness) -> None:
    reader = text_of(await bot.send("/zone 合肥高新区"))
    assert "国家级高新区" in reader and "由名称推断" not in reader and "/add" not in reader
    admin = text_of(await bot.send("/zone 合肥高新区", chat_id=ADMIN_ID, user_id=ADMIN_ID))
    assert "由名称推断" in admin and "/add signing" in admin
    # The reader's next card, from the same kept reads, still has no admin notes.
    assert text_of(await bot.send("/zone 合肥高新区")) == reader
