"""Extraction benchmark: drafting one article of about 3,000 characters.

    python bench/bench_extract.py [--chars 3000] [--runs 30]

The article is built from the test articles in tests/articles (their paragraphs in
turn, provenance lines left out) up to --chars characters, cut at a paragraph. It is drafted
--runs times with the seed's zones as the store's; the first run (which also loads pypinyin
for the ids) is reported apart. Also times `python -m bot extract` on that article as a user
runs it (start-up, store opening and seeding, drafting, writing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.extraction import Article, KnownZone, extract  # noqa: E402


def build_article(chars: int) -> str:
    paragraphs: list[str] = []
    for path in sorted((ROOT / "tests" / "articles").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        paragraphs += [line for line in lines if line.strip() and not line.startswith("#")]
    text = ""
    for paragraph in paragraphs * 3:
        if len(text) + len(paragraph) + 1 > chars:
            break
        text += paragraph + "\n"
    return text


def seed_zones() -> list[KnownZone]:
    import yaml

    seed = yaml.safe_load((ROOT / "bot" / "facts" / "seed.yaml").read_text(encoding="utf-8"))
    return [
        KnownZone(z["id"], (z["name_zh"], z["short_zh"], *z.get("aliases", [])))
        for z in seed["zones"]
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    text = build_article(args.chars)
    zones = seed_zones()
    times = []
    for _ in range(args.runs + 1):
        start = time.perf_counter()
        doc = extract(Article(text), zones, source_id="bench")
        times.append(time.perf_counter() - start)
    first, rest = times[0], sorted(times[1:])
    counts = ", ".join(
        f"{len(doc.get(k) or [])} {k}"
        for k in ("zones", "companies", "projects", "events", "figures")
    )
    print(f"article: {len(text)} characters; drafted {counts}")
    print(
        f"draft   median {statistics.median(rest) * 1000:.1f} ms   "
        f"p90 {rest[int(len(rest) * 0.9) - 1] * 1000:.1f} ms   "
        f"first {first * 1000:.1f} ms   ({args.runs} runs)"
    )
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "article.txt"
        article.write_text(text, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env["BOT_DATABASE_PATH"] = str(Path(folder) / "bench.sqlite3")
        command = [sys.executable, "-m", "bot", "extract", str(article), "--out", folder]
        walls = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
        print(
            f"command python -m bot extract: median {statistics.median(walls):.2f} s of 3 "
            "(start-up, store opened and seeded, one article drafted and written)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
