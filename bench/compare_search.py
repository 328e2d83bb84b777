"""/search's results under two versions of the code, compared query by query (issue 16).

    python bench/compare_search.py dump STORE OUT.json [--code DIR]
    python bench/compare_search.py diff OLD.json NEW.json

``dump`` runs a fixed list of searches through the Store of the code in DIR (default: this
checkout) on STORE (a copy: opening it may migrate it) and writes, per search, the first two
pages (kind, id, score), the bounded count, and what the question engine's and /project's
searches (``search_any``, ``search_kinds``) find. ``diff`` prints every search whose results
differ and a summary line. The searches: the lookup benchmark's (words, a zone and a word,
pinyin) and the forms a re-tokenised index could get wrong (one character, odd lengths,
Latin and Han mixed, quoted phrases, text across punctuation and across a record's parts).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def queries() -> list[str]:
    sys.path.insert(0, str(HERE))
    import random

    from bench_lookup import WORDS, _zone_names

    from bot.core.text import pinyin

    rng = random.Random(16)
    cities = _zone_names(2000)
    found = list(WORDS)
    found += [f"{rng.choice(cities)} {rng.choice(WORDS)}" for _ in range(200)]
    found += [pinyin(rng.choice(cities)) for _ in range(60)]
    found += [pinyin(rng.choice(cities))[:-1] for _ in range(10)]
    found += sorted({ch for word in WORDS for ch in word})[:40]  # one character
    found += ["人工智", "工智能", "数据中", "据中心", "碳纤维", "新材料", "石墨烯", "据中", "纤维"]
    found += [f"{rng.choice(cities)}高新区" for _ in range(20)]
    found += ["ai芯片", "芯片ai", "Hi-tech 电池", "Zone 960", "hi-tech zone", "电池12", "起重49960"]
    found += [f"{rng.choice(WORDS)}{rng.randint(1, 60000)}" for _ in range(20)]  # short names
    found += ["49960 模具", "年产94万套", "万套", "产94", "zone", "kun", "ＡＩ", "Ｈｉ-ｔｅｃｈ"]
    found += ["“固态 电池”", '"高新 技术"', '"hi-tech zone"', "「人工 智能」", '"电池 项目"']
    found += ["高新区某省", "某省", "聚焦光伏", "产业。", "和制药", "区聚焦", "香薰日化"]
    found += ["高新区，聚焦", "人工，智能", "电池 AND 储能", "电池 OR", "NOT 电池", "(电池)"]
    found += [f"{rng.choice(WORDS)}{rng.choice(WORDS)}" for _ in range(20)]
    return list(dict.fromkeys(found))


async def dump(store_path: Path, out: Path) -> None:
    from storage import Store

    store = await Store.open(store_path)
    result: dict[str, Any] = {}
    spent = 0.0
    try:
        for text in queries():
            began = time.perf_counter()
            first = await store.search(text, limit=10)
            spent += time.perf_counter() - began
            second = await store.search(text, limit=10, offset=10)
            words = text.split()
            result[text] = {
                "count": await store.search_count(text),
                "pages": [[h.kind, h.record_id, h.score, h.title] for h in (*first, *second)],
                "any": [[h.kind, h.record_id, h.score] for h in await store.search_any(words)],
                "kinds": [
                    [h.kind, h.record_id, h.score]
                    for h in await store.search_kinds(text, ("project", "company"))
                ],
            }
    finally:
        await store.close()
    out.write_text(json.dumps(result, ensure_ascii=False, indent=0))
    print(f"{len(result)} searches, first pages in {spent:.1f} s", file=sys.stderr)


def diff(old_path: Path, new_path: Path) -> int:
    old = json.loads(old_path.read_text())
    new = json.loads(new_path.read_text())
    same = 0
    for text, before in old.items():
        after = new.get(text)
        if after == before:
            same += 1
            continue
        print(f"DIFFERS {text!r}")
        for key in ("count", "pages", "any", "kinds"):
            if after is None or after[key] != before[key]:
                shown = None if after is None else after[key]
                print(f"  {key}: before {before[key]!r:.300}\n  {key}: after  {shown!r:.300}")
    empty = sum(1 for r in old.values() if not r["pages"])
    print(
        f"{same} of {len(old)} searches identical (pages with scores and titles, count, "
        f"search_any, search_kinds); {empty} of them find nothing"
    )
    return 0 if same == len(old) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("dump")
    one.add_argument("store", type=Path)
    one.add_argument("out", type=Path)
    one.add_argument("--code", type=Path, default=HERE.parent)
    two = sub.add_parser("diff")
    two.add_argument("old", type=Path)
    two.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "diff":
        return diff(args.old, args.new)
    sys.path.insert(0, str(args.code.resolve()))
    asyncio.run(dump(args.store, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
