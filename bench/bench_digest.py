"""Digest benchmark: computing every digest for 10,000 chats, and the sustained send rate.

    python bench/bench_digest.py [--chats 10000] [--records 1000] [--send-chats 900]

1. Compute: 10,000 chats with 3 subscriptions each (zones, sectors, keywords), 1,000 new
   records in the feed, every chat due. Times ``plan_digests`` (the store reads, matching,
   grouping and rendering of every chat's digest), as the tick runs it.
2. Send: the real tick (``digest_tick``) over real HTTP to the fake Bot API of
   tests/botapi_server.py with its rate checks on (429 above 30 messages a second overall,
   1 a second per chat, 20 a minute per group), through python-telegram-bot's
   AIORateLimiter(overall_max_rate=30) and the digest pacing. Prints messages a second and
   how many 429s the fake answered.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application
from bot.context import services_of
from bot.core.records import Event, EventKind, FactFile, Figure, Project
from bot.jobs.digests import MAX_ITEMS, digest_tick, plan_digests
from bot.settings import Settings
from storage import Store
from storage.base import iso
from tests.botapi_server import FakeBotApi
from tests.harness import start_app, stop_app

TOKEN = "123456:bench-token"
ZONES = [("kunshan", "p000-kunshan"), ("xianning", "p000-xianning"),
         ("changde", "p000-changde"), ("jiaxing", "p000-jiaxing")]  # fmt: skip
KEYWORDS = ["电池", "芯片", "智能", "汽车", "医药", "机器人", "材料", "检测", "装备", "光伏"]


def records(count: int, rng: random.Random, labels: list[str]) -> FactFile:
    """``count`` new projects and events spread over the seed's zones and labels."""
    projects: list[Project] = []
    events: list[Event] = []
    for number in range(count):
        zone, source = ZONES[number % len(ZONES)]
        sectors = tuple(rng.sample(labels, 2))
        word = KEYWORDS[number % len(KEYWORDS)]
        if number % 5 == 4:
            events.append(
                Event(
                    id=f"bench-e{number}",
                    zone=zone,
                    kind=EventKind.MATCHMAKING,
                    title_zh=f"{word}产业供需对接会第{number}场",
                    figures=(Figure(name_zh="签约", name_en="signed", value=f"{number % 30}个"),),  # type: ignore[arg-type]
                    sectors=sectors,
                    source=source,
                )
            )
        else:
            projects.append(
                Project(
                    id=f"bench-p{number}",
                    zone=zone,
                    name_zh=f"{word}新型研发制造基地项目{number}",
                    sectors=sectors,
                    stage="signed",  # type: ignore[arg-type]
                    total_investment=f"{1 + number % 50}亿元",  # type: ignore[arg-type]
                    land_mu=f"{50 + number % 200}",  # type: ignore[arg-type]
                    source=source,
                )
            )
    return FactFile(projects=tuple(projects), events=tuple(events))


async def populate(
    store: Store, chats: int, record_count: int, rng: random.Random, due: datetime
) -> None:
    labels = [lb.label for lb in await store.labels()]
    areas = sorted({lb.area for lb in await store.labels() if lb.area})
    mark = await store.max_seq()
    created = iso(due - timedelta(days=1))
    pool = (
        [("zone", z) for z, _ in ZONES]
        + [("sector", v) for v in labels + areas]
        + [("keyword", k) for k in KEYWORDS]
    )
    async with store.transaction() as db:
        await db.executemany(
            "INSERT INTO chats(id, type, digest_seq, next_digest_at, created_at) "
            "VALUES (?, 'private', ?, ?, ?)",
            [(10_000_000 + n, mark, iso(due), created) for n in range(chats)],
        )
        rows = []
        for n in range(chats):
            for kind, value in rng.sample(pool, 3):
                rows.append((10_000_000 + n, kind, value, mark, created))
        await db.executemany(
            "INSERT INTO subscriptions(chat_id, kind, value, since_seq, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    await store.apply_facts(records(record_count, rng, labels), via="bench")


async def bench_compute(chats: int, record_count: int, folder: Path) -> None:
    now = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)
    store = await Store.open(folder / "compute.sqlite3", now=lambda: now)
    try:
        await store.seed()
        await populate(store, chats, record_count, random.Random(5), now)
        start, cpu = time.perf_counter(), time.process_time()
        due = await store.due_chats(now)
        plans = await plan_digests(store, due, now, "Asia/Shanghai")
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu  # both threads: the event loop's and the reader's
        start = time.perf_counter()
        # Render each digest in turn, as the tick does just before its send, and let it go.
        parts = most = 0
        for plan in plans:
            count = len(plan.parts)
            parts += count
            most = max(most, count)
        rendering = time.perf_counter() - start
        bare = _bare_planning_reads(store.path, now)
    finally:
        await store.close()
    with_content = [p for p in plans if not p.empty]
    items = sum(p.selection.bit_count() for p in plans)
    print(
        f"compute: {len(plans)} chats due, {len(with_content)} digests with content "
        f"({items / max(1, len(with_content)):.0f} items each on average): selected and "
        f"counted in {elapsed:.2f} s (CPU {cpu:.2f} s)"
    )
    print(f"         bare SQLite, the same reads (due chats, subscriptions, window): {bare:.2f} s")
    print(
        f"render:  all {parts} message parts of those digests rendered in {rendering:.2f} s "
        f"(done per chat just before its send; {rendering / max(1, len(plans)) * 1000:.1f} ms "
        f"a chat); at most {most} messages in one digest (cap {MAX_ITEMS} items)"
    )
    print(f"peak RSS after planning and rendering: {_peak_mb():.0f} MB")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _bare_planning_reads(path: Path, now: datetime) -> float:
    """The reads plan_digests makes, run straight through sqlite3 (the floor)."""
    db = sqlite3.connect(path)
    try:
        start = time.perf_counter()
        due = [
            r[0]
            for r in db.execute(
                "SELECT id FROM chats WHERE active = 1 AND next_digest_at <= ?", (now.isoformat(),)
            )
        ]
        db.execute("SELECT chat_id, kind, value FROM subscriptions").fetchall()
        db.execute("SELECT chat_id, period FROM digests WHERE sent_at IS NULL").fetchall()
        low = db.execute("SELECT MIN(digest_seq) FROM chats").fetchone()[0] or 0
        rows = db.execute(
            "SELECT f.seq, f.kind, f.record_id, p.body, e.body FROM feed f "
            "LEFT JOIN projects p ON f.kind = 'project' AND p.id = f.record_id "
            "LEFT JOIN events e ON f.kind = 'event' AND e.id = f.record_id WHERE f.seq > ?",
            (low,),
        ).fetchall()
        db.execute("SELECT record_id, label FROM record_labels").fetchall()
        db.execute("SELECT id, body FROM zones").fetchall()
        assert due and rows
        return time.perf_counter() - start
    finally:
        db.close()


async def bench_send(chats: int, folder: Path) -> None:
    fake = FakeBotApi(TOKEN, enforce_rates=True)
    await fake.start()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        token=TOKEN,
        database_path=folder / "send.sqlite3",
        access="open",  # every chat may get digests (private mode would want approvals)
        api_base_url=fake.base_url,
        api_file_base_url=fake.file_base_url,
    )
    now = datetime.now(UTC)
    app = build_application(settings, rate_limit=True)
    await start_app(app)
    store = services_of(app).store
    assert store is not None
    try:
        # Small records so each chat's digest is one message: this measures messages.
        await populate(store, chats, 40, random.Random(7), now - timedelta(minutes=1))
        before = len(fake.sent)
        start = time.perf_counter()
        report = await digest_tick(app, now)
        elapsed = time.perf_counter() - start
        sends = [r for r in fake.sent[before:] if r.method == "sendMessage"]
        accepted = [r for r in sends if r.status == 200]
        limited = [r for r in sends if r.status == 429]
        rejected = [r for r in fake.rejected if r.status == 429]
        print(
            f"send: {len(accepted)} messages accepted in {elapsed:.1f} s = "
            f"{len(accepted) / elapsed:.1f} messages/s; 429 answered: "
            f"{max(len(limited), len(rejected))}; tick results {report.results}"
        )
    finally:
        await stop_app(app)
        await fake.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=1_000)
    parser.add_argument("--send-chats", type=int, default=900)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        await bench_compute(args.chats, args.records, Path(tmp))
        await bench_send(args.send_chats, Path(tmp))


if __name__ == "__main__":
    asyncio.run(main())
