"""Names asked about together (德加能源与丰茂的合作项目, what did A and B do together) and
questions that name no subject (今年投资情况怎么样): through the real Application, each test
checks the one reply the user sees; the deciding rules are also checked alone (bot/core)."""

from __future__ import annotations

import pytest

from bot.core import ask_meaning as m
from bot.core import questions as q
from bot.core.factfile import load_seed
from bot.core.records import FactFile
from handlers.ask import JOINT_LOOKED
from tests import test_ask
from tests.harness import BotHarness
from tests.test_ask import ask

clock = test_ask.clock
asker = test_ask.asker


# ---- joint questions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "lang", "wanted"),
    [
        ("申江压力容器与南玻玻璃有什么合作？", "zh-hans", ("同时涉及", "供需对接")),
        ("天香古桂子公司和上海应用技术大学合作了什么", "zh-hans", ("同时涉及", "产学研对接")),
        ("丰茂股份和嘉兴高新区共同的项目是什么？", "zh-hans", ("同时涉及", "汽车零部件")),
        (
            "What did Shenjiang Pressure Vessel and Nanbo Glass do together?",
            "en",
            ("involving both", "Supplier matchmaking"),
        ),
    ],
)
async def test_names_asked_about_together_get_the_records_involving_both(
    asker: BotHarness, question: str, lang: str, wanted: tuple[str, str]
) -> None:
    head, record = wanted
    reply = await ask(asker, question, lang)
    # One answer, naming the record involving both (not one answer per name).
    assert reply.count(head) == 1 and record in reply, reply
    assert "来源" in reply or "Source" in reply


async def test_a_joint_question_answers_once_not_once_per_name(asker: BotHarness) -> None:
    reply = await ask(asker, "申江压力容器与南玻玻璃有什么合作？")
    # One answer about the matchmaking, not an answer about each company in turn.
    assert reply.count("供需对接") == 1, reply
    assert "深耕压力容器" not in reply  # Shenjiang's own description is not the answer


async def test_nothing_involving_both_is_said_plainly_with_each_ones_records(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "德加能源与丰茂的合作项目")
    assert "库里没有同时涉及" in reply, reply
    assert "德加能源固态电池总部项目" in reply and "丰茂嘉兴汽车零部件生产基地项目" in reply
    # Never invented: no record is presented as involving both.
    assert "条）" not in reply, reply  # the head of records found: "同时涉及…的记录（1条）"


async def test_nothing_involving_both_in_english(asker: BotHarness) -> None:
    reply = await ask(asker, "Any joint project between Dejia Energy and Fengmao?", "en")
    assert "No record involves both" in reply, reply
    assert "solid-state battery" in reply and "auto-parts" in reply


async def test_names_joined_without_a_joint_word_are_still_asked_one_by_one(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "昆山高新区和嘉兴高新区的签约项目")
    assert "同时涉及" not in reply and "库里没有同时涉及" not in reply, reply
    assert "德加能源固态电池总部项目" in reply and "丰茂嘉兴汽车零部件生产基地项目" in reply


async def test_a_follow_up_after_a_joint_answer_is_about_the_joint_record(
    asker: BotHarness,
) -> None:
    await ask(asker, "丰茂股份和嘉兴高新区共同的项目是什么？")
    reply = await ask(asker, "它占地多少亩？")
    assert "约150亩" in reply, reply


def test_joint_words_decide_together_or_one_by_one() -> None:
    together = ["德加能源与丰茂的合作项目", "A和B合作了什么", "joint projects of A and B"]
    together += ["what did A and B do together", "the deal between A and B", "两家合资"]
    apart = ["昆山和常州的签约项目", "德加能源和丰茂分别在哪个园区", "Kunshan and Jiaxing projects"]
    # 分别/各自/each asks one by one even beside a joint word.
    apart += ["昆山和嘉兴分别签了哪些合作项目", "德加能源和丰茂各自的合作项目"]
    apart += ["each of Kunshan and Jiaxing's joint projects"]
    for text in together:
        assert m.asks_jointly(q.parse(text)), text
    for text in apart:
        assert not m.asks_jointly(q.parse(text)), text


def test_only_records_involving_every_name_are_kept() -> None:
    facts = load_seed()
    events = {e.id: e for e in facts.events}
    projects = {p.id: p for p in facts.projects}
    companies = {c.id: c for c in facts.companies}
    candidates = [*events.values(), *projects.values()]

    def asked(*ids: str) -> list[tuple[str, str, list[str]]]:
        return [("company", i, m.record_names(companies[i])) for i in ids]

    both = m.involving_all(candidates, asked("shenjiang-pressure-vessel", "nanbo-glass"))
    assert [r.id for r in both] == ["xianning-shenjiang-nanbo-matchmaking"]
    assert m.involving_all(candidates, asked("dejia-energy", "fengmao")) == []
    # A company and a zone: the company's project in that zone.
    zone_and_company = [*asked("fengmao"), ("zone", "jiaxing", ["嘉兴高新区"])]
    assert [r.id for r in m.involving_all(candidates, zone_and_company)] == [
        "jiaxing-fengmao-auto-parts-base"
    ]
    # The same company in another zone is not involved.
    assert m.involving_all(candidates, [*asked("fengmao"), ("zone", "kunshan", [])]) == []


# ---- questions that name no subject ---------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "question", "lang", "wanted", "not_wanted"),
    [
        (
            "德加能源固态电池总部项目在哪个园区？",
            "今年投资情况怎么样？",
            "zh-hans",
            "哪个园区",
            "固态电池",
        ),
        (
            "Who is the chairman of Dejia Energy?",
            "How did investment change this year?",
            "en",
            "Which zone",
            "钱涛",
        ),
    ],
)
async def test_a_question_with_no_subject_does_not_borrow_the_last_record(
    asker: BotHarness, first: str, question: str, lang: str, wanted: str, not_wanted: str
) -> None:
    await ask(asker, first, lang)
    reply = await ask(asker, question, lang)
    assert wanted in reply, reply
    assert not_wanted not in reply, reply


async def test_a_question_with_no_subject_and_no_context_asks_which_is_meant(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "今年投资情况怎么样")
    assert "哪个园区" in reply and "昆山高新区" in reply, reply


@pytest.mark.parametrize(
    ("first", "question", "lang", "wanted"),
    [
        ("德加能源固态电池总部项目在哪个园区？", "该项目的研发中心多大？", "zh-hans", "7000"),
        ("Who is the chairman of Dejia Energy?", "What does it focus on?", "en", "solid-state"),
        ("昆山高新区1-5月招引了多少科技项目？", "那新能源呢？", "zh-hans", "新能源领域项目"),
    ],
)
async def test_a_follow_up_with_a_pointer_still_uses_the_context(
    asker: BotHarness, first: str, question: str, lang: str, wanted: str
) -> None:
    await ask(asker, first, lang)
    reply = await ask(asker, question, lang)
    assert wanted in reply, reply


async def test_the_context_survives_a_question_asked_back(asker: BotHarness) -> None:
    await ask(asker, "德加能源固态电池总部项目在哪个园区？")
    await ask(asker, "今年投资情况怎么样？")
    reply = await ask(asker, "该项目的研发中心多大？")
    assert "7000" in reply, reply


async def test_a_subject_named_with_the_overall_question_is_answered_not_asked_back(
    asker: BotHarness,
) -> None:
    reply = await ask(asker, "昆山高新区今年招商情况怎么样？")
    assert "这个问题没有说是哪个园区" not in reply, reply


def _overall(text: str) -> bool:
    parsed = q.parse(text)
    return m.asks_overall(parsed, q.terms(parsed, q.residue(text, []), q.fold(text)))


def test_pointers_and_overall_words_are_told_apart() -> None:
    assert _overall("今年投资情况怎么样")
    assert _overall("how did investment change this year")
    assert _overall("整体情况如何")
    assert not _overall("招聘会情况怎么样")  # a topic: answered from the store
    assert not _overall("What is the overall trend of battery projects?")
    assert not m.points_back(q.parse("how did investment change this year"))  # "this year"
    assert m.points_back(q.parse("how did investment change there"))
    assert m.points_back(q.parse("它今年的情况怎么样"))
    assert m.points_back(q.parse("那今年呢"))
    assert not _overall("今年签约了哪些项目")  # a list over the store


def test_a_joint_search_names_each_subject_once_by_its_distinctive_name() -> None:
    facts = load_seed()
    companies = {c.id: c for c in facts.companies}
    zones = {z.id: z for z in facts.zones}
    # A zone by its place, not the 高新区 every record of every zone holds.
    assert m.search_forms(zones["kunshan"]) == ["昆山"]
    searches = m.joint_searches(
        [m.search_forms(companies["dejia-energy"]), m.search_forms(companies["fengmao"])]
    )
    assert searches[0] == '"德加能源" "丰茂股份"'
    assert len(searches) == 4 and all(s.count('"') == 4 for s in searches)


async def test_a_topic_with_no_zone_is_answered_from_the_store_not_asked_back(
    asker: BotHarness,
) -> None:
    await ask(asker, "德加能源的董事长是谁？")
    reply = await ask(asker, "招聘会情况怎么样？")
    assert "这个问题没有说是哪个园区" not in reply, reply
    assert "招聘会" in reply and "钱涛" not in reply, reply


async def test_more_records_than_are_looked_at_are_counted_as_a_floor(asker: BotHarness) -> None:
    projects = [
        {
            "id": f"jiaxing-fengmao-line-{n}",
            "zone": "jiaxing",
            "name_zh": f"丰茂嘉兴第{n}条汽配产线项目",
            "company": "fengmao",
            "stage": "signed",
            "source": "p000-jiaxing",
        }
        for n in range(JOINT_LOOKED + 5)
    ]
    await asker.store.apply_facts(FactFile.model_validate({"projects": projects}), via="test")
    reply = await ask(asker, "丰茂股份和嘉兴高新区共同的项目是什么？")
    # Not all of them were looked at: the count is "at least", never a made-up total.
    assert "同时涉及" in reply and "（至少" in reply, reply
    english = await ask(
        asker, "What projects do Fengmao and Jiaxing Hi-tech Zone have together?", "en"
    )
    assert "Records involving both" in english and "(at least " in english, english
