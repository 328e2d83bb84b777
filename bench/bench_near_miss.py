"""Benchmark of zone resolution's near misses: the character filter against scoring every name
whose length could reach the bar (the algorithm before it), on the 300k bench store's names.

    python bench/bench_near_miss.py [--store PATH] [--queries 400] [--repeat 3]

Reads the cached bench store (made by bench/bench_lookup.py) read-only with sqlite3, adds the
shipped zone directory's names as the bot's first start would (the cached copy lacks them),
builds one ZoneIndex, and for each shape of query that reaches the near-miss step (pinyin with
its last letter wrong, as bench_lookup's /zone queries; Han names with a wrong or missing
character; pinyin with a suffix; a mistyped prefix) times ``resolve`` and ``near_misses``,
old and new alternating per query, and checks that both give the same answer. Prints p50 and
p99 per shape (the best of ``--repeat`` timings of each query) and the CPU time of all runs.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process

from bot.core.directory_rows import load_shipped_directory
from bot.core.matching import SUGGEST_MIN, ZoneIndex, fold
from bot.core.text import pinyin
from storage.fact_queries import zone_name_forms

STORE = Path("/tmp/zhaoshang-bench/schema-9-038ddfed/store-2000-300000-60000.sqlite3")
WRONG = "嘬"  # a character no zone name holds


class OldIndex(ZoneIndex):
    """The near misses as they were: every name of the length window scored."""

    def near_misses(self, text: str) -> list[tuple[str, float]]:
        scored = process.extract(
            text, self._length_window(text), scorer=fuzz.ratio, limit=12, score_cutoff=SUGGEST_MIN
        )
        return [(name, float(score)) for name, score, _ in scored]


def load(store: Path) -> tuple[list[tuple[str, str]], dict[str, int], dict[str, tuple[str, ...]]]:
    """(name, zone) pairs, records per zone and zone types, as the bot's view would hold."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        pairs = [
            (str(name), str(zone))
            for name, zone in db.execute(
                "SELECT n.name, n.zone_id FROM zone_names n JOIN zones z ON z.id = n.zone_id "
                "WHERE z.deleted_at IS NULL"
            )
        ]
        weights: dict[str, int] = {}
        for table in ("projects", "events"):
            for zone, count in db.execute(
                f"SELECT zone_id, COUNT(*) FROM {table} WHERE deleted_at IS NULL GROUP BY zone_id"
            ):
                weights[str(zone)] = weights.get(str(zone), 0) + int(count)
    finally:
        db.close()
    entries = load_shipped_directory()
    for entry in entries:
        pairs += [(name, entry.zone_id) for name in zone_name_forms(entry.zone()) | entry.names()]
    return pairs, weights, {e.zone_id: e.types for e in entries}


def cities(pairs: list[tuple[str, str]]) -> list[str]:
    """The generated zones' two-character place names (their alias)."""
    return sorted(
        {n for n, _ in pairs if len(n) == 2 and all("\u4e00" <= c <= "\u9fff" for c in n)}
    )


SHAPES: dict[str, Callable[[random.Random, str], str]] = {
    "pinyin, last letter x (bench_lookup)": lambda r, c: pinyin(c)[:-1] + "x",
    "pinyin, a letter dropped": lambda r, c: (lambda p, i: p[:i] + p[i + 1 :])(
        pinyin(c), r.randrange(len(pinyin(c)))
    ),
    "Han, one wrong character": lambda r, c: c[0] + WRONG + "高新区",
    "Han full name, one dropped": lambda r, c: c + "高新技产业开发区",
    "pinyin + gaoxinqu, typo": lambda r, c: pinyin(c) + "gaoxinqx",
    "mistyped prefix": lambda r, c: pinyin(c)[:3] + "q",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=STORE)
    parser.add_argument("--queries", type=int, default=400, help="queries per shape")
    parser.add_argument("--repeat", type=int, default=3, help="timings per query (best kept)")
    args = parser.parse_args()
    pairs, weights, types = load(args.store)
    new = ZoneIndex.build(pairs, weights, types)
    old = OldIndex.build(pairs, weights, types)
    places = cities(pairs)
    print(f"{len(new.names)} names, {len(places)} generated places")
    started = time.perf_counter()
    new.near_misses("x")  # the filter is built on the first near miss
    print(f"filter built in {(time.perf_counter() - started) * 1000:.0f} ms (once per facts)")
    old.near_misses("x")
    rng = random.Random(16)
    cpu = {"old": 0.0, "new": 0.0}
    print(f"{'shape':38} {'':9} {'old p50':>8} {'p99':>7} {'new p50':>8} {'p99':>7}  (us)")
    for shape, make in SHAPES.items():
        queries = [make(rng, rng.choice(places)) for _ in range(args.queries)]
        timings: dict[tuple[str, str], list[float]] = {}
        for query in queries:
            text = fold(query)
            if old.resolve(query) != new.resolve(query) or (
                old.near_misses(text) != new.near_misses(text)
            ):
                raise SystemExit(f"different answers for {query!r}")
            for step in ("resolve", "near_misses"):
                for label, index in (("old", old), ("new", new)):
                    call = index.resolve if step == "resolve" else index.near_misses
                    arg = query if step == "resolve" else text
                    best = float("inf")
                    for _ in range(args.repeat):
                        wall, spent = time.perf_counter(), time.process_time()
                        call(arg)
                        best = min(best, time.perf_counter() - wall)
                        cpu[label] += time.process_time() - spent
                    timings.setdefault((step, label), []).append(best * 1e6)
        for step in ("resolve", "near_misses"):
            o, n = timings[(step, "old")], timings[(step, "new")]
            print(
                f"{shape:38} {step:9} {statistics.median(o):8.0f} {percentile(o, 0.99):7.0f} "
                f"{statistics.median(n):8.0f} {percentile(n, 0.99):7.0f}"
            )
    print(f"all answers equal; CPU time old {cpu['old']:.2f} s, new {cpu['new']:.2f} s")


if __name__ == "__main__":
    main()
