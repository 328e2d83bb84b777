"""Optional drafts from an OpenAI-compatible chat-completions endpoint, checked like the rules'.

Off unless BOT_LLM_BASE_URL and BOT_LLM_MODEL are set. The model is asked for records in the
fact-file shape; its answer is validated by the same record models, every value holding a
number the article does not hold (as written, hedge and unit included) is dropped, and what
is left is merged into the rule-based draft: the rules' records win, the model adds records
they missed and fills fields they left empty. Any timeout or error leaves the rules' draft.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import httpx
from pydantic import ValidationError

from bot.articles.model import ArticleText
from bot.articles.review import similar
from bot.core.records import Company, Event, Project, ZoneFigure
from bot.settings import Settings

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 45.0
MAX_ANSWER_BYTES = 512 * 1024
SECTIONS: dict[str, type[Any]] = {
    "companies": Company,
    "projects": Project,
    "events": Event,
    "figures": ZoneFigure,
}
NAME_KEYS = {
    "projects": "name_zh",
    "events": "title_zh",
    "figures": "name_zh",
    "companies": "name_zh",
}
DATE_KEYS = frozenset({"stage_date", "landed_date", "date", "period", "founded"})
FREE_TEXT = frozenset({"review", "summary_zh", "summary_en", "note", "note_en", "description_zh"})
Propose = Callable[
    [ArticleText, dict[str, Any], Sequence[tuple[str, tuple[str, ...]]]], Awaitable[dict[str, Any]]
]

SYSTEM = "\n".join(
    [
        "你是招商信息整理助手。从用户给出的中文新闻中提取结构化记录，只输出一个 JSON 对象，",
        "键为 companies、projects、events、figures（均为数组）。规则：",
        "- 只写文章明确写出的事实，绝不推测；文章没写的字段省略。",
        "- 数字与原文完全一致，保留“约、近、超、超过、逾、多、余、以上”和单位（亿元、万元、",
        "  亩、平方米、个、家、人）；不换算、不求和。",
        "- zone 只能取下面列出的园区 id。",
        '- projects: {"name_zh", "zone", "company_name", "stage" (signed|registered|',
        '  construction|production), "stage_date", "total_investment", "registered_capital",',
        '  "annual_output", "land_mu", "floor_area_m2", "review": {字段: 原句}}',
        '- events: {"title_zh", "zone", "kind" (competition|job_fair|matchmaking|',
        '  university_industry|roadshow|plan|delivery|service|other), "date", "review"}',
        '- figures: {"name_zh", "zone", "value", "period", "review"}',
        '- companies: {"name_zh", "review"}',
        "- 日期用 EDTF：有年写 2025-06-18；文章没写年份写 XXXX-06-18。",
        "- 每条记录的 review 写出字段所依据的原句。",
    ]
)


def proposer(settings: Settings) -> Propose:
    """The propose step draft_article calls: ask the model, check its answer, merge."""

    async def propose(
        article: ArticleText, doc: dict[str, Any], zones: Sequence[tuple[str, tuple[str, ...]]]
    ) -> dict[str, Any]:
        answer = await ask(settings, article, zones)
        return merge(doc, answer, article, {zone_id for zone_id, _ in zones})

    return propose


async def ask(
    settings: Settings,
    article: ArticleText,
    zones: Sequence[tuple[str, tuple[str, ...]]],
    *,
    timeout: float | None = None,
) -> dict[str, Any]:
    """The model's JSON answer; httpx errors, bad status and bad JSON raise."""
    assert settings.llm_base_url and settings.llm_model
    zone_list = "\n".join(f"- {zone_id}: {'、'.join(names[:4])}" for zone_id, names in zones[:200])
    body = {
        "model": settings.llm_model,
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": f"{SYSTEM}\n园区：\n{zone_list}"},
            {"role": "user", "content": article.text[:30_000]},
        ],
    }
    headers = {"Content-Type": "application/json"}
    if settings.llm_api_key is not None:
        headers["Authorization"] = f"Bearer {settings.llm_api_key.get_secret_value()}"
    async with httpx.AsyncClient(timeout=timeout or TIMEOUT_SECONDS) as client:
        response = await client.post(
            f"{settings.llm_base_url}/chat/completions", json=body, headers=headers
        )
    if response.status_code != 200:
        raise LLMError(f"status {response.status_code}")
    if len(response.content) > MAX_ANSWER_BYTES:
        raise LLMError("answer too large")
    try:
        content = response.json()["choices"][0]["message"]["content"]
        answer = json.loads(_unfence(str(content)))
    except (ValueError, KeyError, IndexError, TypeError):
        raise LLMError("answer is not the JSON asked for") from None
    if not isinstance(answer, dict):
        raise LLMError("answer is not a JSON object")
    return answer


class LLMError(Exception):
    """The endpoint answered, but not usably (status, size, shape); never holds the key."""


def _unfence(content: str) -> str:
    fenced = re.search(r"```(?:json)?\s*(.*?)```", content, re.S)
    return fenced.group(1) if fenced else content


# ---- checking and merging ----------------------------------------------------------------


def _text(article: ArticleText) -> str:
    from bot.core.extraction.text import normalise

    return normalise(article.text).replace(" ", "")


_HEDGE = r"(约|近|超过|超|逾|不足|不到)?"
_DIGITS = re.compile(_HEDGE + r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])")


def number_ok(value: str, text: str) -> bool:
    """Every number of value is in the article as written: its hedge and unit with it.

    Stricter than the scorer: 8.5亿元 where the article only says 约8.5亿元 is refused, since
    dropping a hedge changes the fact.
    """
    from bot.core.extraction.text import foreign_numbers, normalise

    flat = normalise(value).replace(" ", "")
    if foreign_numbers(flat, text):
        return False
    written = {(m.group(1) or "", m.group(2)) for m in _DIGITS.finditer(text)}
    return all((m.group(1) or "", m.group(2)) in written for m in _DIGITS.finditer(flat))


def date_ok(value: str, text: str, published: str | None) -> bool:
    """An EDTF date whose month and day (and year, unless from the dateline) the text gives."""
    found = re.fullmatch(r"(\d{4}|XXXX)(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if found is None:
        return False
    year, month, day = found.groups()
    if month and f"{int(month)}月" not in text:
        return False
    if day and not re.search(rf"(?<!\d){int(day)}[日号]", text):
        return False
    return not (
        year != "XXXX" and f"{year}年" not in text and not (published or "").startswith(year)
    )


def _clean(record: Mapping[str, Any], text: str, published: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in FREE_TEXT:
            out[key] = value
        elif isinstance(value, str):
            ok = (
                date_ok(value, text, published)
                if key in DATE_KEYS
                else (not re.search(r"\d", value) or number_ok(value, text))
            )
            if ok and value.strip():
                out[key] = value.strip()
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if number_ok(str(value), text):
                out[key] = str(value)
        elif isinstance(value, list):
            kept = [v for v in value if not isinstance(v, str) or number_ok(v, text)]
            if kept:
                out[key] = kept
    review = out.get("review")
    if review is not None and not (
        isinstance(review, dict) and all(isinstance(v, str) for v in review.values())
    ):
        out.pop("review")
    return out


def merge(
    doc: dict[str, Any], answer: Mapping[str, Any], article: ArticleText, zone_ids: set[str]
) -> dict[str, Any]:
    """The rules' draft with the model's checked records added and its empty fields filled.

    A record must name a zone of the store (or one the rules drafted); anything else is left
    out rather than guessed.
    """
    text = _text(article)
    merged = {key: list(value) if isinstance(value, list) else value for key, value in doc.items()}
    sources = merged.get("sources") or []
    source_id = sources[0]["id"] if sources else None
    zones = zone_ids | {str(z.get("id")) for z in doc.get("zones") or []}
    companies: list[dict[str, Any]] = merged.setdefault("companies", [])
    added = 0
    for section in ("companies", "events", "figures", "projects"):
        proposed = answer.get(section)
        if not isinstance(proposed, list) or source_id is None:
            continue
        rows: list[dict[str, Any]] = merged.setdefault(section, [])
        for raw in proposed[:50]:
            if not isinstance(raw, dict):
                continue
            record = _clean(raw, text, article.published)
            company_name = record.pop("company_name", None)
            if section == "projects" and isinstance(company_name, str) and company_name:
                record["company"] = _company_id(companies, company_name, source_id)
            name = record.get(NAME_KEYS[section])
            if not name or (section != "companies" and not record.get("zone")):
                continue
            if section != "companies" and record["zone"] not in zones:
                continue
            twin = next((r for r in rows if similar(r.get(NAME_KEYS[section]), name)), None)
            if twin is not None:
                _fill(twin, record, section)
                continue
            added += 1
            record["id"] = f"{section[0]}-llm-{added}"
            record["source"] = source_id
            if _valid(section, record):
                rows.append(record)
    return merged


def _company_id(companies: list[dict[str, Any]], name: str, source_id: str) -> str:
    for company in companies:
        if similar(company.get("name_zh"), name) or company.get("short_zh") == name:
            return str(company["id"])
    company_id = f"c-llm-{len(companies) + 1}"
    companies.append({"id": company_id, "name_zh": name, "source": source_id})
    return company_id


def _fill(target: dict[str, Any], record: Mapping[str, Any], section: str) -> None:
    """Fields the rules left empty, from the model, each kept only if the record stays valid."""
    for key, value in record.items():
        if key in ("id", "source", "review", "zone") or target.get(key) not in (None, "", []):
            continue
        trial = {**target, key: value}
        if _valid(section, trial):
            target[key] = value
            evidence = (record.get("review") or {}).get(key)
            if isinstance(evidence, str):
                target.setdefault("review", {})[key] = evidence


def _valid(section: str, record: Mapping[str, Any]) -> bool:
    try:
        SECTIONS[section].model_validate(record)
    except ValidationError:
        return False
    return True
