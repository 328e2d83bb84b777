"""Write bot/core/seed_pinyin.json: the pinyin readings a new store's first start computes
(seeding it from bot/facts/seed.yaml, loading the shipped zone directory), as ``pinyin`` and
``pinyin_terms`` give them.

Run by hand after the seed, the directory or the indexing changes
(python tools/make_seed_pinyin.py). It seeds a store in a temporary folder, notes every text
read as pinyin, then reads each with pypinyin. The bot ships the table, so its first start
never loads pypinyin's dictionaries (about 54 MB resident); a text the table lacks is read by
pypinyin then, so a stale table costs memory, never a wrong answer (a test checks it matches).
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import text  # noqa: E402
from storage.store import Store  # noqa: E402

KINDS: tuple[text.ReadingKind, ...] = ("pinyin", "terms")


class _Noting(dict[str, str]):
    """A table that has nothing and notes every text asked of it."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, key: str, default: object = None) -> None:  # type: ignore[override]
        self.asked.add(key)
        return None


async def _first_start(folder: Path) -> None:
    store = await Store.open(folder / "new.sqlite3")
    try:
        await store.seed()
        await store.load_directory()
    finally:
        await store.close()


def asked_texts() -> dict[text.ReadingKind, set[str]]:
    """Every text a first start reads as pinyin, by kind."""
    noting = {kind: _Noting() for kind in KINDS}
    shipped = text._tables
    text._tables = lambda: noting  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(_first_start(Path(folder)))
    finally:
        text._tables = shipped  # type: ignore[assignment]
    return {kind: table.asked for kind, table in noting.items()}


def computed(kind: text.ReadingKind, texts: set[str]) -> dict[str, str]:
    """pypinyin's readings of ``texts``, the shipped table set aside."""
    empty: Mapping[text.ReadingKind, Mapping[str, str]] = {k: {} for k in KINDS}
    shipped = text._tables
    text._tables = lambda: empty  # type: ignore[assignment]
    try:
        read = text.pinyin if kind == "pinyin" else text.pinyin_terms
        return {t: read(t) for t in sorted(texts)}
    finally:
        text._tables = shipped  # type: ignore[assignment]


def main(target: Path) -> None:
    asked = asked_texts()
    tables = {kind: computed(kind, asked[kind]) for kind in KINDS}
    body = json.dumps(tables, ensure_ascii=False, indent=0, sort_keys=True)
    target.write_text(body + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(text.SEED_PINYIN_FILE)
