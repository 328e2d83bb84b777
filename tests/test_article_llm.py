"""The optional language model: a fake chat-completions endpoint on 127.0.0.1 proposes drafts;
they are checked (numbers as written, known zones, valid records), merged with the rules'
drafts, and any failure falls back to the rules."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.articles import llm
from bot.settings import Settings
from tests.article_support import ARTICLE
from tests.harness import ADMIN_ID, BotHarness, make_settings, text_of
from tests.loopback import Served, serve_on_loopback

KEY = "sk-" + "test-" + "0123456789abcdef"


class FakeModel(Served):
    """An OpenAI-compatible /v1/chat/completions on loopback answering what a test sets."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.auth: list[str] = []
        self.answer: Any = {}
        self.status = 200
        self.delay = 0.0
        self.raw: str | None = None
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._complete)
        self._runner = web.AppRunner(app)
        self.port = 0

    async def start(self) -> None:
        self.port = await serve_on_loopback(self._runner)

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def _complete(self, request: web.Request) -> web.Response:
        self.requests.append(await request.json())
        self.auth.append(request.headers.get("Authorization", ""))
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.Response(status=self.status, text="overloaded")
        content = self.raw if self.raw is not None else json.dumps(self.answer, ensure_ascii=False)
        return web.json_response(
            {"choices": [{"message": {"role": "assistant", "content": content}}]}
        )


@pytest.fixture
async def model() -> AsyncIterator[FakeModel]:
    async with FakeModel() as fake:
        yield fake


@pytest.fixture
def settings(tmp_path: Path, model: FakeModel) -> Settings:
    """The model switched on (conftest's ``bot`` runs on these settings)."""
    return make_settings(
        tmp_path,
        llm_base_url=f"http://127.0.0.1:{model.port}/v1",
        llm_model="fake-model",
        llm_api_key=KEY,
    )


PROPOSAL = {
    "projects": [
        {  # the rules drafted it too: merged, not added twice
            "name_zh": "星澜智能装备制造项目",
            "zone": "kunshan",
            "stage_date": "2025-06-18",  # the article gives no year: dropped
        },
        {  # new, with an invented amount and a hedge dropped from a real one
            "name_zh": "工业机器人关键部件项目",
            "zone": "kunshan",
            "company_name": "江苏星澜智能装备有限公司",
            "total_investment": "30亿元",
            "land_mu": "120",
            "review": {"name_zh": "主要生产工业机器人关键部件和智能产线"},
        },
        {"name_zh": "别处的项目", "zone": "shenzhen-nowhere", "total_investment": "20亿元"},
    ],
    "figures": [{"name_zh": "签约项目", "zone": "kunshan", "value": "27个"}],
    "events": [
        {"title_zh": "人才引进交流会", "zone": "kunshan", "kind": "other", "date": "XXXX-06-18"}
    ],
}


async def drafted_records(bot: BotHarness) -> list[dict[str, Any]]:
    articles = await bot.store.pending_review_articles()
    assert len(articles) == 1
    return [i.record for i in await bot.store.review_items(articles[0].id)]


async def draft(bot: BotHarness) -> list[Any]:
    calls = await bot.send(ARTICLE, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    question = next(c for c in calls if any(d.startswith("art:go:") for d in c.button_data()))
    data = next(d for d in question.button_data() if d.startswith("art:go:"))
    return await bot.press(question, data, user_id=ADMIN_ID)


async def test_model_drafts_are_checked_and_merged_with_the_rules(
    bot: BotHarness, model: FakeModel, caplog: pytest.LogCaptureFixture
) -> None:
    model.answer = PROPOSAL
    caplog.set_level(logging.DEBUG)
    calls = await draft(bot)
    assert "起草" in text_of(calls) and "语言模型暂不可用" not in text_of(calls)
    assert model.auth == [f"Bearer {KEY}"]
    sent = model.requests[0]
    assert sent["model"] == "fake-model" and ARTICLE[:50] in sent["messages"][1]["content"]
    assert "kunshan" in sent["messages"][0]["content"]  # the zones it may use
    records = await drafted_records(bot)
    names = [r.get("name_zh") or r.get("title_zh") for r in records]
    assert names.count("星澜智能装备制造项目") == 1
    assert "工业机器人关键部件项目" in names and "人才引进交流会" in names
    assert "别处的项目" not in names  # not a zone of the store
    proposed = next(r for r in records if r.get("name_zh") == "工业机器人关键部件项目")
    assert "total_investment" not in proposed and "land_mu" not in proposed
    assert not any(r.get("value") == "27个" for r in records)
    xinglan = next(r for r in records if r.get("name_zh") == "星澜智能装备制造项目")
    assert xinglan.get("stage_date") != "2025-06-18"
    everything = json.dumps(records, ensure_ascii=False)
    assert "30亿元" not in everything and "2025-06-18" not in everything
    # The key never reaches a log line or a reply.
    assert KEY not in caplog.text and KEY not in json.dumps([c.params for c in calls])


@pytest.mark.parametrize("failure", ["status", "json", "timeout"])
async def test_any_model_failure_falls_back_to_the_rules(
    bot: BotHarness, model: FakeModel, failure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if failure == "status":
        model.status = 500
    elif failure == "json":
        model.raw = "Sorry, I cannot help with that."
    else:
        monkeypatch.setattr(llm, "TIMEOUT_SECONDS", 0.3)
        model.delay = 2
    calls = await draft(bot)
    assert "语言模型暂不可用" in text_of(calls)
    records = await drafted_records(bot)  # the rules' drafts, nothing from the model
    assert records and not any("-llm-" in str(r.get("id")) for r in records)


def test_numbers_must_be_written_as_in_the_article() -> None:
    text = llm._text(llm.ArticleText(text=ARTICLE))
    assert llm.number_ok("约8.5亿元", text) and llm.number_ok("约120亩", text)
    assert not llm.number_ok("8.5亿元", text)  # the article says 约8.5亿元
    assert not llm.number_ok("超20亿元", text) and not llm.number_ok("85000万元", text)
    assert llm.date_ok("XXXX-06-18", text, None) and not llm.date_ok("2025-06-18", text, None)
    assert llm.date_ok("2025-06-18", text, "2025-06-19")  # the year from the dateline


def test_the_model_settings_are_read_and_the_key_is_a_secret(tmp_path: Path) -> None:
    from bot.settings import SettingsError, load_settings

    settings = make_settings(
        tmp_path, llm_base_url="http://127.0.0.1:9/v1/", llm_model="m", llm_api_key=KEY
    )
    assert settings.llm_enabled and settings.llm_base_url == "http://127.0.0.1:9/v1"
    assert KEY not in repr(settings) and KEY not in str(settings.model_dump())
    assert not make_settings(tmp_path).llm_enabled  # off by default
    assert not make_settings(tmp_path).fetch_allow_private  # refused by default
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None, llm_base_url="api.example.com")
    assert "BOT_LLM_BASE_URL" in str(caught.value)
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None, fetch_allow_private="perhaps")
    assert "BOT_FETCH_ALLOW_PRIVATE" in str(caught.value)
