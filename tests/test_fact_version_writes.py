"""Every fact write moves the facts version: an import that changes only a source (or an area,
or a label) shows on the next card, whether this process or another one wrote it."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.core.records import FactFile
from tests.harness import BotHarness, run_bot, text_of

OLD_TITLE = "抓好科技招商关键一招"
NEW_TITLE = "昆山高新区科技招商新路径"
NEW_TITLE_EN = "Kunshan Hi-tech Zone finds a new path for tech-led promotion"


def kunshan_source(title: str, title_en: str) -> dict[str, object]:
    return {
        "id": "p000-kunshan",
        "title": title,
        "title_en": title_en,
        "publication": None,
        "date": None,
        "authors": ["吕科", "汤天伦"],
        "locator": "shared/seeds/000_1583015d0ddebf3e.txt",
    }


async def test_a_source_title_fixed_here_shows_on_the_next_card(bot: BotHarness) -> None:
    for _ in range(2):  # the second card comes from the kept reads
        assert OLD_TITLE in text_of(await bot.send("/zone 昆山"))
    facts = {"sources": [kunshan_source(NEW_TITLE, NEW_TITLE_EN)]}
    await bot.store.apply_facts(FactFile.model_validate(facts), via="test")
    text = text_of(await bot.send("/zone 昆山"))
    assert NEW_TITLE in text and OLD_TITLE not in text
    assert NEW_TITLE_EN in text_of(await bot.send("/zone 昆山", lang="en"))


async def test_a_source_title_imported_by_the_cli_shows_on_the_next_card(
    bot: BotHarness, tmp_path: Path
) -> None:
    assert OLD_TITLE in text_of(await bot.send("/zone 昆山"))
    english = text_of(await bot.send("/zone 昆山", lang="en"))
    assert NEW_TITLE_EN not in english
    path = tmp_path / "fix.yaml"
    facts = {"version": 1, "sources": [kunshan_source(NEW_TITLE, NEW_TITLE_EN)]}
    path.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    env = {"BOT_DATABASE_PATH": str(bot.settings.database_path)}
    done = run_bot(tmp_path, "import", str(path), env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    text = text_of(await bot.send("/zone 昆山"))
    assert NEW_TITLE in text and OLD_TITLE not in text
    assert NEW_TITLE_EN in text_of(await bot.send("/zone 昆山", lang="en"))


async def test_a_label_renamed_here_shows_on_the_next_card(bot: BotHarness) -> None:
    assert "Leading industries: Electronic information" in text_of(
        await bot.send("/zone 昆山", lang="en")
    )
    label = {"label": "电子信息", "name_en": "Electronics and information", "area": "ngit"}
    await bot.store.apply_facts(FactFile.model_validate({"labels": [label]}), via="test")
    text = text_of(await bot.send("/zone 昆山", lang="en"))
    assert "Leading industries: Electronics and information" in text
    # The change is in the record's history like any other fact write.
    assert [e.action for e in await bot.store.history("label", "电子信息")] == ["new", "update"]
