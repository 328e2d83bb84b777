"""The main screens in English, through the real Application: no Chinese words of ours.

Chinese may appear in an English reply only where it is data: a name or title as the source
writes it (a zone's, company's or person's name, a source's title, an author). Every run of
Han characters in an English reply (text and buttons) must be part of such a data string,
taken from the shipped fact files; a label, note or count word of the bot's own ("经开区 1 个")
fails the test. Counts say "1 ETDZ", never "1 ETDZs".
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.local_api import ApiCall
from tests.harness import ADMIN_ID, BotHarness, button_labels, text_of

FACTS = Path(__file__).resolve().parents[1] / "bot" / "facts"
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# What counts as data in the fact files: names and titles as the sources write them, by
# section. Figures, sector labels and areas are the bot's own labels: they have English names.
DATA_FIELDS = {
    "sources": ("title", "authors", "publication"),
    "zones": ("name_zh", "short_zh", "aliases", "aliases_zh", "province", "city"),
    "companies": ("name_zh", "short_zh", "name"),
    "projects": ("name_zh",),
    "events": ("title_zh",),
}


def _data_strings() -> list[str]:
    found: list[str] = []

    def walk(node: Any, fields: tuple[str, ...], key: str | None = None) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, fields, str(k))
        elif isinstance(node, list):
            for item in node:
                walk(item, fields, key)
        elif isinstance(node, str) and key in fields:
            found.append(node)

    seed = yaml.safe_load((FACTS / "seed.yaml").read_text(encoding="utf-8"))
    for section, fields in DATA_FIELDS.items():
        walk(seed.get(section), fields)
    with (FACTS / "national_zones.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found += [row["name"], row["short"], *row["aliases"].split("|")]
            found += [row["province"], row["city"], row["county_city"]]
    found.append("招商助手")  # the bot's own name, shown beside its English one
    return [s for s in found if s]


DATA = _data_strings()


def unintended_han(text: str) -> list[str]:
    """Han runs of a reply that are not part of any name or title of the data."""
    return [run for run in HAN_RUN.findall(text) if not any(run in d for d in DATA)]


def _shown(calls: list[ApiCall]) -> str:
    """Everything a reader sees: the texts and the button labels."""
    labels = [b.get("text", "") for c in calls for row in c.buttons for b in row]
    return text_of(calls) + "\n" + "\n".join(labels)


SCREENS = [
    "/start",
    "/help",
    "/zone kunshan",
    "/zone 合肥高新区",
    "/zone fuzhou",
    "/zone xianning",
    "/zone jiaxing",
    "/zone changde",
    "/zones",
    "/zones hitech",
    "/zones etdz",
    "/zones jiangsu",
    "/zones fuzhou",
    "/sectors",
    "/sector new energy",
    "/sector 新材料",
    "/project dejia",
    "/project fengmao",
    "/search battery",
    "/search 电池",
    "/stats kunshan",
    "/subscriptions",
    "/digest",
    "which province is hefei hitech in",
    "how many etdzs in jiangsu",
    "how many hitech zones in hainan",
    "Who is the chairman of Dejia Energy?",
    "How many new materials projects did Kunshan attract in Jan-May?",
    "What about new-generation IT?",
    "And in Suzhou?",
    "Who is its chairman?",
    "projects over 1 billion yuan in Kunshan",
    "Jiaxing projects with at least 100 mu",
    "which zones have projects with at least 100 mu of land",
    "What will Kunshan attract in 2027?",
    "Which zones do you cover?",
    "hello",
]


@pytest.mark.parametrize("screen", SCREENS)
async def test_english_screen_has_no_chinese_words_of_ours(bot: BotHarness, screen: str) -> None:
    calls = await bot.send(screen, lang="en")
    shown = _shown(calls)
    assert shown.strip(), screen
    assert unintended_han(shown) == [], shown
    assert not re.search(r"(?<!\d)1 (ETDZs|hi-tech zones|projects|events|zones)\b", shown), shown


async def test_english_size_follow_up_has_no_chinese_words_of_ours(bot: BotHarness) -> None:
    await bot.send("Jiaxing projects with at least 100 mu", lang="en")
    calls = await bot.send("What about Kunshan?", lang="en")
    shown = _shown(calls)
    assert "Kunshan" in shown and "100 mu" in shown, shown
    assert unintended_han(shown) == [], shown


async def test_english_subscriptions_have_no_chinese_words_of_ours(bot: BotHarness) -> None:
    for screen in (
        "/subscribe sector new energy",
        "/subscribe zone kunshan",
        "/subscribe keyword battery",
        "/subscriptions",
        "/digest now",
    ):
        shown = _shown(await bot.send(screen, lang="en"))
        assert shown.strip() and unintended_han(shown) == [], shown


async def test_admin_english_card_has_no_chinese_words_of_ours(bot: BotHarness) -> None:
    # Admins also see how a directory row was made and what is still to verify.
    for screen in ("/zone 绥化经开区", "/zone 合肥高新区", "/zone kunshan"):
        calls = await bot.send(screen, lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID)
        assert unintended_han(_shown(calls)) == [], _shown(calls)


async def test_admin_english_help_has_english_examples(bot: BotHarness) -> None:
    # A record's Chinese name is data, so the check above lets it through: an admin's English
    # help must still show examples an English reader can type.
    shown = _shown(await bot.send("/help", lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID))
    assert unintended_han(shown) == [], shown
    for command in ("/edit", "/delete", "/history"):
        assert f"{command} Dejia Energy solid-state battery headquarters project" in shown, shown
    assert HAN_RUN.findall(shown) == [] or set(HAN_RUN.findall(shown)) <= {"招商助手"}, shown


def test_the_check_catches_a_chinese_label_of_ours() -> None:
    # The check itself: names pass, the bot's own words do not.
    assert unintended_han("Kunshan Hi-tech Zone (昆山高新区)") == []
    assert unintended_han("174 hi-tech zones, 经开区 1 个") == ["个"]
    assert unintended_han("Note: 页面未提及") == ["页面未提及"]


# ---- zones of one name, counts ---------------------------------------------------------------


async def test_zones_of_one_english_name_get_buttons_told_apart(bot: BotHarness) -> None:
    labels = button_labels(await bot.send("/zone fuzhou", lang="en"))
    zones = [x for x in labels if not x.startswith("📋")]
    assert len(zones) == len(set(zones)) >= 3, labels
    assert "Fuzhou Hi-tech Zone (Fujian)" in zones and "Fuzhou Hi-tech Zone (Jiangxi)" in zones
    place = next(x for x in labels if x.startswith("📋"))
    assert "Fuzhou or Fuzhou" not in place and "Fujian" in place and "Jiangxi" in place
    # In Chinese the names differ already: shown as they are.
    labels = button_labels(await bot.send("/zone fuzhou"))
    assert "福州高新区" in labels and "抚州高新区" in labels


async def test_a_zone_listed_twice_is_one_button(bot: BotHarness) -> None:
    from bot.texts.lookup import zone_choices

    zone = (await bot.store.zones())[0]
    reply = zone_choices("en", [zone, zone], "x")
    assert len(reply.buttons) == 1


async def test_type_filter_counts_read_right(bot: BotHarness) -> None:
    shown = text_of(await bot.send("/zones hitech", lang="en"))
    assert "174 hi-tech zones; 1 of them is also an ETDZ." in shown
    assert "ETDZs" not in shown.split("\n")[1]
    shown = text_of(await bot.send("/zones hitech"))
    assert "共 174 个高新区，其中 1 个同时是经开区。" in shown
    shown = text_of(await bot.send("how many etdzs in hainan", lang="en"))
    assert "1 national ETDZ." in shown


# ---- admin screens: /edit and /history ----------------------------------------------------------

ADMIN_SCREENS = [
    "/edit kunshan-dejia-solid-state-battery-hq",
    "/edit Fengmao Jiaxing auto-parts production base",
    "/edit xianning-job-fairs-chongyang-tongshan",
    "/edit changde-zoomlion-cranes-jakarta-oasis",
    "/history Dejia Energy solid-state battery headquarters project",
    "/history jiaxing-fengmao-auto-parts-base",
]


def _no_full_width(shown: str) -> None:
    # The bot's own punctuation on an English screen is ASCII (data may keep its own).
    for mark in ("：", "，", "；", "（", "）"):
        assert mark not in shown, shown


@pytest.mark.parametrize("screen", ADMIN_SCREENS)
async def test_admin_edit_and_history_screens_are_english(bot: BotHarness, screen: str) -> None:
    calls = await bot.send(screen, lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID)
    shown = _shown(calls)
    assert shown.strip(), screen
    assert unintended_han(shown) == [], shown
    _no_full_width(shown)
    if screen.startswith("/edit"):
        await bot.send("/cancel", lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID)


async def test_edit_shows_the_english_form_of_values(bot: BotHarness) -> None:
    calls = await bot.send(
        "/edit kunshan-dejia-solid-state-battery-hq", lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID
    )
    shown = text_of(calls)
    for line in (
        "zone: Kunshan Hi-tech Industrial Development Zone",
        "company: Suzhou Dejia Energy Technology Co., Ltd.",
        "project name: Dejia Energy solid-state battery headquarters project",
        "stage: signed",
        "date: Mar",
    ):
        assert line in shown, shown
    assert "sector: Solid-state batteries" in shown, shown
    # In Chinese the same screen keeps the stored values and Chinese punctuation.
    await bot.send("/cancel", lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID)
    shown = text_of(
        await bot.send(
            "/edit kunshan-dejia-solid-state-battery-hq", user_id=ADMIN_ID, chat_id=ADMIN_ID
        )
    )
    assert "园区：昆山高新区" in shown and "阶段：签约" in shown, shown


async def test_an_english_edit_and_its_history_stay_english(bot: BotHarness) -> None:
    from bot.callbacks import Admin

    def admin(text: str) -> Any:
        return bot.send(text, lang="en", user_id=ADMIN_ID, chat_id=ADMIN_ID)

    calls = await admin("/edit kunshan-dejia-solid-state-battery-hq")
    summary = next(c for c in calls if c.buttons)
    calls = await bot.press(summary, Admin("f", "investment").pack(), user_id=ADMIN_ID, lang="en")
    calls = await admin("5亿元")
    shown = _shown(calls)
    assert "total investment: CNY 500 million" in shown, shown
    assert unintended_han(shown) == [], shown
    _no_full_width(shown)
    summary = next(c for c in calls if c.buttons)
    await bot.press(summary, Admin("save").pack(), user_id=ADMIN_ID, lang="en")
    shown = _shown(await admin("/history kunshan-dejia-solid-state-battery-hq"))
    assert "total investment: — → CNY 500 million" in shown, shown
    assert unintended_han(shown) == [], shown
    _no_full_width(shown)
