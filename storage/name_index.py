"""The name index: every name, stem and pinyin form a company, project or event answers to.

Questions look their words up here by key (one indexed read per message, whatever the size of
the store). The fact writer keeps it current; stores made before it are filled once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import aiosqlite
import yaml

from bot.core.text import has_han, normalise, pinyin

WORDS_FILE = Path(__file__).with_name("name_words.yaml")
NAMED_KINDS = ("company", "project", "event")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


@lru_cache(maxsize=1)
def _words() -> dict[str, tuple[str, ...]]:
    data: dict[str, Any] = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return {
        key: tuple(sorted({_fold(str(w)) for w in data[key]}, key=lambda s: (-len(s), s)))
        for key in ("company_suffixes", "company_trades", "place_prefixes")
    }


def stems(name: str, kind: str) -> list[str]:
    """Shorter forms staff type for a company's name: 浙江丰茂科技股份有限公司 -> 丰茂科技, 丰茂."""
    if kind != "company":
        return []
    w = _words()
    out: list[str] = []
    text = re.sub(r"[(（][^)）]*[)）]", "", _fold(name)).strip()
    for _ in range(6):
        changed = False
        for suffix in (*w["company_suffixes"], *w["company_trades"]):
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text = text[: -len(suffix)].strip(" ,.")
                out.append(text)
                changed = True
                break
        for prefix in w["place_prefixes"]:
            if text.startswith(prefix) and len(text) > len(prefix) + 1:
                text = text[len(prefix) :].strip()
                out.append(text)
                changed = True
                break
        if not changed:
            break
    # Each shorter form without its place too: suzhou dejia energy -> dejia energy.
    for form in list(out):
        for prefix in w["place_prefixes"]:
            if form.startswith(prefix) and len(form) > len(prefix) + 1:
                out.append(form[len(prefix) :].strip())
                break
    return [s for s in dict.fromkeys(out) if len(normalise(s)) >= 2]


def name_forms(kind: str, names: Sequence[str | None], parent: str | None = None) -> dict[str, int]:
    """Folded form -> quality: 3 the record's own names, 2 a stem, 1 a parent's name or pinyin."""
    forms: dict[str, int] = {}

    def add(form: str, quality: int) -> None:
        key = normalise(form)
        if len(key) < 2 or (not has_han(key) and len(key) < 3):
            return
        forms[key] = max(forms.get(key, 0), quality)
        if has_han(key) and len(key) <= 12:
            sound = pinyin(key)
            if len(sound) >= 4:
                forms[sound] = max(forms.get(sound, 0), 1)

    for name in names:
        if not name:
            continue
        add(name, 3)
        for stem in stems(name, kind):
            add(stem, 2)
        if kind == "project" and name.endswith("项目") and len(name) > 4:
            add(name.removesuffix("项目"), 2)
    if parent:
        add(parent, 1)
    return forms


async def index_names(
    db: aiosqlite.Connection,
    kind: str,
    record_id: str,
    names: Sequence[str | None],
    parent: str | None = None,
) -> None:
    if kind not in NAMED_KINDS or not any(names):
        return
    await db.executemany(
        "INSERT OR REPLACE INTO entity_names(name, kind, record_id, quality) VALUES (?, ?, ?, ?)",
        [(form, kind, record_id, q) for form, q in name_forms(kind, names, parent).items()],
    )


async def unindex_names(db: aiosqlite.Connection, kind: str, record_id: str) -> None:
    if kind in NAMED_KINDS:
        await db.execute(
            "DELETE FROM entity_names WHERE kind = ? AND record_id = ?", (kind, record_id)
        )
