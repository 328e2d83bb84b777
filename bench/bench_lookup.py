"""Benchmark of the lookups on a big generated store.

    python bench/bench_lookup.py [--zones 2000 --projects 300000 --events 60000] [--runs 300]
    python bench/bench_lookup.py --projects 100000 --events 20000   # the earlier, smaller store
    python bench/bench_lookup.py ... --directory   # also time the zone directory's first load

Generates a store (in a child process, through the Store API, cached by size in the temp
dir; --fresh rebuilds it), then runs /zone, /search and /sector updates and plain questions
("ask": messages in staff's own words, for the question engine) through the real
Application over the in-process Bot API and prints, per command, p50 and p99 of the time from
update in to sendMessage out; also start-up time (importing the bot, building the Application,
initialize, post_init: opening the store) and the peak RSS of this process.

The bot is always run on a copy of the cached store (its first start loads the zone directory,
which changes the file). ``--directory`` also times that first load on its own, and draws a
third of the /zone queries from the real directory (~410 national zones: full names, short
names, pinyin, traditional characters) instead of the generated names.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PLACE = (
    "安宝北滨昌长成城川春大丹德东都鄂丰福阜富港广海汉杭合河衡洪湖华淮黄惠吉佳江金锦荆"
    "景九开康兰乐丽连辽临柳龙娄鲁洛马梅绵南宁平莆齐青清泉荣瑞厦山汕韶绍深沈石寿顺松苏"
    "台泰唐天通铜潍渭温文武西咸湘襄新信兴徐许宣阳扬宜义益鹰永榆玉岳云枣湛漳肇镇郑中舟"
    "株珠淄遵"
)
WORDS = [
    "电池",
    "储能",
    "光伏",
    "芯片",
    "半导体",
    "传感器",
    "机器人",
    "塔机",
    "起重",
    "压力容器",
    "幕墙",
    "铝型材",
    "电解质",
    "汽车",
    "零部件",
    "热管理",
    "悬架",
    "密封",
    "传动",
    "医疗",
    "器械",
    "生物",
    "制药",
    "疫苗",
    "香薰",
    "新材料",
    "碳纤维",
    "石墨烯",
    "显示",
    "面板",
    "软件",
    "算力",
    "数据中心",
    "云计算",
    "人工智能",
    "视觉",
    "无人机",
    "卫星",
    "氢能",
    "风电",
    "充电桩",
    "锂电",
    "钠电",
    "精密",
    "橡胶",
    "模具",
    "数控",
    "激光",
    "光学",
    "检测",
    "环保",
    "水处理",
    "固废",
    "节能",
]
SUFFIX = ("科技", "智能", "新能源", "材料", "装备", "电子", "生物", "精工")
KINDS = ("competition", "job_fair", "matchmaking", "university_industry", "roadshow", "plan")
KIND_WORDS = {
    "competition": "创新创业大赛",
    "job_fair": "专场招聘会",
    "matchmaking": "供需对接会",
    "university_industry": "产学研对接",
    "roadshow": "项目路演",
    "plan": "三年行动计划",
}


def _zone_names(count: int) -> list[str]:
    rng = random.Random(7)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = rng.choice(PLACE) + rng.choice(PLACE)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def generate(path: Path, zones: int, projects: int, events: int) -> None:
    """Write the big store through Store.apply_facts, in batches (child process)."""
    from bot.core.records import FactFile
    from bot.core.text import pinyin
    from storage import Store

    async def run() -> None:
        store = await Store.open(path)
        await store.seed()
        rng = random.Random(11)
        source = {"id": "bench", "title": "基准测试生成数据 (generated benchmark data)"}
        labels = [lb.label for lb in await store.labels()]
        cities = _zone_names(zones)
        zone_rows = []
        for i, city in enumerate(cities):
            slug = f"{pinyin(city)}-{i}"
            zone_rows.append(
                {
                    "id": slug,
                    "name_zh": f"{city}高新技术产业开发区",
                    "short_zh": f"{city}高新区",
                    "name_en": f"{pinyin(city).title()} Hi-tech Zone {i}",
                    "province": "某省",
                    "city": f"{city}市",
                    "aliases": [city],
                    "leading": rng.sample(labels, 2),
                    "emerging": rng.sample(labels, 3),
                    "summary_zh": f"{city}高新区聚焦{rng.choice(WORDS)}和{rng.choice(WORDS)}产业。",
                    "source": "bench",
                }
            )
        companies = []
        for i in range(projects // 5):
            zone = zone_rows[i % zones]
            word = rng.choice(WORDS)
            companies.append(
                {
                    "id": f"co-{i}",
                    "name_zh": f"{zone['short_zh'][:2]}{word}{rng.choice(SUFFIX)}有限公司{i}",
                    "short_zh": f"{word}{i}",
                    "zone": zone["id"],
                    "description_zh": f"专注{word}与{rng.choice(WORDS)}的研发和生产。",
                    "source": "bench",
                }
            )
        figures = []
        for zone in zone_rows:
            head = f"{zone['id']}-head"
            parts = [rng.randint(1, 40) for _ in range(3)]
            figures.append(
                {
                    "id": head,
                    "zone": zone["id"],
                    "name_zh": "招引项目",
                    "name_en": "Projects attracted",
                    "value": f"{sum(parts)}个",
                    "period": "XXXX-01/XXXX-05",
                    "source": "bench",
                }
            )
            for k, value in enumerate(parts):
                figures.append(
                    {
                        "id": f"{zone['id']}-p{k}",
                        "zone": zone["id"],
                        "name_zh": f"{labels[k]}领域项目",
                        "name_en": f"Sector {k} projects",
                        "value": f"{value}个",
                        "period": "XXXX-01/XXXX-05",
                        "sector": labels[k],
                        "part_of": head,
                        "source": "bench",
                    }
                )
        await store.apply_facts(
            FactFile.model_validate(
                {
                    "sources": [source],
                    "zones": zone_rows,
                    "companies": companies,
                    "figures": figures,
                }
            ),
            via="bench",
        )
        batch = 5000
        for start in range(0, events, batch):
            rows = []
            for i in range(start, min(events, start + batch)):
                zone = zone_rows[i % zones]
                kind = rng.choice(KINDS)
                rows.append(
                    {
                        "id": f"ev-{i}",
                        "zone": zone["id"],
                        "kind": kind,
                        "title_zh": f"{zone['short_zh']}{rng.choice(WORDS)}{KIND_WORDS[kind]}{i}",
                        "figures": [
                            {"name_zh": "参与企业", "name_en": "Firms", "value": f"{i % 90}家"}
                        ],
                        "sectors": rng.sample(labels, 2),
                        "source": "bench",
                    }
                )
            await store.apply_facts(FactFile.model_validate({"events": rows}), via="bench")
        for start in range(0, projects, batch):
            rows = []
            for i in range(start, min(projects, start + batch)):
                company = companies[i % len(companies)]
                word = rng.choice(WORDS)
                rows.append(
                    {
                        "id": f"pr-{i}",
                        "zone": company["zone"],
                        "name_zh": f"{company['short_zh']}{word}项目",
                        "company": company["id"],
                        "sectors": rng.sample(labels, 2),
                        "stage": rng.choice(["signed", "construction", "production", "lead"]),
                        "stage_date": f"XXXX-{rng.randint(1, 12):02d}",
                        "total_investment": f"{rng.randint(1, 500) / 10}亿元",
                        "land_mu": f"约{rng.randint(10, 500)}",
                        "highlights_zh": [f"年产{rng.randint(1, 99)}万套{word}"],
                        "source": "bench",
                    }
                )
            await store.apply_facts(FactFile.model_validate({"projects": rows}), via="bench")
            print(f"  projects {start + len(rows)}/{projects}", file=sys.stderr, flush=True)
        await store.close()

    asyncio.run(run())


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def load_directory_once(path: Path) -> float:
    """Seconds the first start spends loading the shipped zone directory into ``path``."""
    from storage import Store

    store = await Store.open(path)
    try:
        began = time.perf_counter()
        await store.load_directory()
        return time.perf_counter() - began
    finally:
        await store.close()


def directory_queries() -> list[str]:
    """/zone queries a user would type for the directory's zones, in several scripts."""
    from bot.core.directory_rows import load_shipped_directory
    from bot.core.traditional import TRADITIONAL

    to_traditional = {s: t for t, s in TRADITIONAL.items()}
    queries: list[str] = []
    for entry in load_shipped_directory():
        queries += [entry.name, entry.short, entry.pinyin.replace(" ", "")]
        queries.append("".join(to_traditional.get(ch, ch) for ch in entry.short))
    return queries


async def measure(path: Path, runs: int, directory: bool = False) -> dict[str, Any]:
    began_startup = time.perf_counter()
    from telegram import Update
    from telegram.ext import CommandHandler

    from bot import longlived
    from bot.app import OFFLINE_TOKEN, build_application
    from bot.context import services_of
    from bot.core.text import pinyin
    from bot.jobs import zone_cards
    from bot.local_api import LocalBotApi, message_update
    from bot.settings import Settings

    sent_at: list[float] = []

    class TimedApi(LocalBotApi):
        """Notes when a sendMessage leaves the bot (reaches the Bot API), before the
        in-process API's own work (HTML checks, the message it answers with)."""

        async def do_request(self, url: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
            if url.endswith("/sendMessage"):
                sent_at.append(time.perf_counter())
            return await super().do_request(url, *args, **kwargs)

    api = TimedApi()
    settings = Settings(_env_file=None, database_path=path, access="open")  # type: ignore[call-arg]
    app = build_application(settings, request=api, token=OFFLINE_TOKEN, rate_limit=False)
    longlived.enable()  # as the bot's process does (python -m bot)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    startup = time.perf_counter() - began_startup

    rng = random.Random(3)
    cities = _zone_names(2000)
    labels = ["新能源", "装备制造", "固态电池", "电子信息", "汽车零部件", "人工智能", "new energy"]

    real = directory_queries() if directory else []

    def zone_query() -> str:
        if real and rng.randrange(3) == 0:
            return rng.choice(real)
        city = rng.choice(cities)
        form = rng.randrange(4)
        if form == 0:
            return city
        if form == 1:
            return city + "高新区"
        if form == 2:
            return pinyin(city)
        return pinyin(city)[:-1] + "x"  # a near miss

    def search_query() -> str:
        form = rng.randrange(3)
        if form == 0:
            return rng.choice(WORDS)
        if form == 1:
            return rng.choice(cities) + " " + rng.choice(WORDS)
        return pinyin(rng.choice(cities))

    def question() -> str:
        """A plain message in staff's own words (the question engine, issue 13)."""
        city, word = rng.choice(cities), rng.choice(WORDS)
        return rng.choice(
            [
                f"{city}高新区有多少个{word}项目？",
                f"{city}最近有什么签约？",
                f"请问{city}的{word}项目投资多少？",
                f"{word}领域哪个园区项目最多？",
                f"What {word} projects did {pinyin(city)} sign recently?",
                "德加能源的董事长是谁？",
            ]
        )

    # PTB's own cost per update, for scale: a handler that only replies a fixed line, put
    # at /zone's place in the dispatch order (the user's language and the gate run first).
    async def noop(update: Update, context: Any) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html("ok")

    group = app.handlers[0]
    at = next(i for i, h in enumerate(group) if "zone" in getattr(h, "commands", ()))
    group.insert(at, CommandHandler("noop", noop))

    # "/zone cold": before the cards are prepared (each card read and rendered at the
    # question); "/zone": once the zone-cards job has prepared them (bot/jobs/zone_cards.py).
    commands = {
        "noop": lambda: "",
        "/zone cold": zone_query,
        "/zone": zone_query,
        "/search": search_query,
        "/sector": lambda: rng.choice(labels),
        "ask": question,
    }
    timings: dict[str, list[float]] = {}
    first: dict[str, float] = {}
    asked: dict[str, list[str]] = {}
    message_id = 0
    prepared = 0.0
    for command, make in commands.items():
        if command == "/zone":
            began = time.perf_counter()
            task = await zone_cards.tick(app)
            assert task is not None
            await task
            prepared = time.perf_counter() - began
        for run in range(runs + 1):
            message_id += 1
            text = make()
            asked.setdefault(command, []).append(text)
            typed = {"ask": text, "noop": "/noop", "/zone cold": f"/zone {text}"}.get(
                command, f"{command} {text}"
            )
            raw = message_update(typed, chat_id=5000, user_id=5000, message_id=message_id)
            update = Update.de_json(raw, app.bot)
            sent_at.clear()
            began = time.perf_counter()
            await app.process_update(update)
            assert sent_at, f"{command} sent nothing"
            elapsed = (sent_at[0] - began) * 1000
            if run == 0:
                first[command] = elapsed  # the first one also builds the zone-name cache
            else:
                timings.setdefault(command, []).append(elapsed)
    refused = [c for c in api.calls if c.error is not None]
    view = services_of(app).facts
    assert view is not None
    cards = [zone_card_of(view, text) for text in asked["/zone"][1:]]
    cold_cards = [zone_card_of(view, text) for text in asked["/zone cold"][1:]]
    prepared_cards = len(services_of(app).zone_cards)
    assert app.post_shutdown is not None
    await app.post_shutdown(app)
    await app.shutdown()
    bare = {
        "/zone": bare_zone(path, cards),
        "/zone cold": bare_zone(path, cold_cards),
        "/search": bare_search(path, asked["/search"][1:]),
    }
    return {
        "startup": startup,
        "timings": timings,
        "first": first,
        "refused": len(refused),
        "bare": bare,
        "cards": sum(1 for card in cards if card is not None),
        "prepared": (prepared, prepared_cards),
    }


Card = tuple[str, tuple[str, ...], tuple[str, ...] | None]


def zone_card_of(view: Any, text: str) -> Card | None:
    """What the bot's /zone read for ``text``: (zone, the sources it adds, the sources alone
    of the directory's card for a zone with nothing recorded); None when no card was shown
    (choices, no match)."""
    from bot.core.directory_rows import DIRECTORY_SOURCE_IDS
    from handlers.lookup import clean_query

    match = view.index.resolve(clean_query(text))
    if match.kind != "found" or match.zone_id not in view.zones:
        return None
    zone = view.zones[match.zone_id]
    entry = view.directory.get(zone.id)
    extra = (zone.source, *(entry.sources if entry is not None else ()))
    alone = (
        (entry.sources if entry else (zone.source,))
        if zone.source in DIRECTORY_SOURCE_IDS
        else None
    )
    return zone.id, extra, alone


def bare_zone(path: Path, cards: list[Card | None]) -> list[float]:
    """The floor of /zone: for each /zone update the bot answered, the reads its reply made
    (same SQL, same rows, same zones), straight through sqlite3 (ms each). A query that
    showed choices instead of a card made no reads."""
    import sqlite3

    db = sqlite3.connect(path)
    times = []
    for card in cards:
        began = time.perf_counter()
        if card is not None:
            zone, extra, alone = card
            figures = db.execute(
                "SELECT body, json_extract(body, '$.source') FROM figures "
                "WHERE zone_id = ? AND deleted_at IS NULL ORDER BY rowid",
                (zone,),
            ).fetchall()
            counts = db.execute(
                "SELECT (SELECT COUNT(*) FROM projects WHERE zone_id = ? AND deleted_at IS NULL), "
                "(SELECT COUNT(*) FROM events WHERE zone_id = ? AND deleted_at IS NULL)",
                (zone, zone),
            ).fetchone()
            sources = set(extra)
            if alone is not None and not figures and counts == (0, 0):
                sources = set(alone)
            else:
                projects = db.execute(
                    "SELECT body, learned_at, json_extract(body, '$.source'), company_id "
                    "FROM projects WHERE zone_id = ? AND deleted_at IS NULL "
                    "ORDER BY learned_at DESC, rowid DESC LIMIT 5 OFFSET 0",
                    (zone,),
                ).fetchall()
                events = db.execute(
                    "SELECT body, learned_at, json_extract(body, '$.source') FROM events "
                    "WHERE zone_id = ? AND deleted_at IS NULL "
                    "ORDER BY learned_at DESC, rowid DESC LIMIT 5 OFFSET 0",
                    (zone,),
                ).fetchall()
                companies = sorted({p[3] for p in projects if p[3]})
                if companies:
                    db.execute(
                        "SELECT body FROM companies WHERE id IN "
                        f"({','.join('?' * len(companies))}) AND deleted_at IS NULL",
                        companies,
                    ).fetchall()
                sources |= {r[-1] for r in figures} | {r[2] for r in (*projects, *events)}
            wanted = sorted(sources)
            db.execute(
                f"SELECT body FROM sources WHERE id IN ({','.join('?' * len(wanted))})", wanted
            ).fetchall()
        times.append((time.perf_counter() - began) * 1000)
    db.close()
    return times


def bare_search(path: Path, queries: list[str]) -> list[float]:
    """The floor of /search: the bounded count and the page, as storage runs them (ms)."""
    import sqlite3

    from bot.core.lookup import SEARCH_COUNT_CAP
    from bot.core.text import fts_query
    from storage.fact_queries import broad_page

    db = sqlite3.connect(path)
    times = []
    for text in queries:
        query = fts_query(text)
        began = time.perf_counter()
        count = db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH ? LIMIT ?)",
            (query, SEARCH_COUNT_CAP + 1),
        ).fetchone()[0]
        if count > SEARCH_COUNT_CAP:
            broad_page(db, query, None, 10, 0)  # storage's own statements, no thread hop
        else:
            db.execute(
                "SELECT d.kind, d.record_id, d.zone_id, s.title, s.r FROM "
                "(SELECT rowid AS id, title, rank AS r FROM search_index "
                "WHERE search_index MATCH ? AND rank MATCH 'bm25(5.0, 1.0)' "
                "ORDER BY rank LIMIT 10) s JOIN search_docs d ON d.id = s.id ORDER BY s.r",
                (query,),
            ).fetchall()
        times.append((time.perf_counter() - began) * 1000)
    db.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=2000)
    parser.add_argument("--projects", type=int, default=300_000)
    parser.add_argument("--events", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--fresh", action="store_true", help="regenerate the store")
    parser.add_argument(
        "--directory",
        action="store_true",
        help="time the zone directory's first load and query its zones too",
    )
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate, args.zones, args.projects, args.events)
        return 0
    from storage.migrations import MIGRATIONS

    # Keyed by schema version and the migrations' text: a store generated by a newer bot is
    # refused by an older one, and two branches may each add a different migration N
    # (several branches share the machine's temp dir).
    schema = f"schema-{len(MIGRATIONS)}-{hashlib.sha1(repr(MIGRATIONS).encode()).hexdigest()[:8]}"
    folder = Path(tempfile.gettempdir()) / "zhaoshang-bench" / schema
    path = folder / f"store-{args.zones}-{args.projects}-{args.events}.sqlite3"
    if args.fresh or not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(path.name + "*"):
            old.unlink()
        began = time.perf_counter()
        print(f"generating {path} ...", file=sys.stderr)
        # A child process, so that generating does not count in this process's peak memory.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--generate",
                str(path),
                "--zones",
                str(args.zones),
                "--projects",
                str(args.projects),
                "--events",
                str(args.events),
            ],
            check=True,
        )
        print(f"generated in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    # The bot runs on a copy: its first start adds the zone directory to the store, and the
    # cached file must stay as generated (and readable by older versions of the bot).
    # A copy of this run's own (several runs may share the machine and the cache).
    with tempfile.TemporaryDirectory(dir=folder) as own:
        copy = Path(own) / f"run-{path.name}"
        shutil.copyfile(path, copy)
        load_seconds = asyncio.run(load_directory_once(copy)) if args.directory else None
        result = asyncio.run(measure(copy, args.runs, directory=args.directory))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"store: {args.zones} zones, {args.projects} projects, {args.events} events "
        f"({path.stat().st_size / 1e6:.0f} MB); {args.runs} updates per command"
    )
    for command, values in result["timings"].items():
        line = (
            f"{command:10s} p50 {statistics.median(values):6.2f} ms   "
            f"p99 {_pct(values, 0.99):6.2f} ms   first {result['first'][command]:6.1f} ms"
        )
        bare = result["bare"].get(command)
        if bare:
            line += (
                f"   bare SQLite p50 {statistics.median(bare):5.2f} ms "
                f"p99 {_pct(bare, 0.99):5.2f} ms   "
                f"(x{statistics.median(values) / statistics.median(bare):.1f} / "
                f"x{_pct(values, 0.99) / _pct(bare, 0.99):.1f})"
            )
        if command == "noop":
            line += "   (PTB's own cost: a handler that only replies)"
        print(line)
    print(
        f"/zone: {result['cards']} of {args.runs} updates showed a card (the rest: choices); "
        "bare SQLite times the same reads for the same updates"
    )
    seconds, count = result["prepared"]
    print(
        f"zone cards: {count} prepared in {seconds:.1f} s in the background "
        "(/zone cold: before, each card read and rendered at the question)"
    )
    if load_seconds is not None:
        print(f"directory: first load {load_seconds:.2f} s; 1/3 of /zone queries name its zones")
    print(f"start-up {result['startup']:.2f} s (imports, build, initialize, post_init)")
    print(f"peak RSS {peak_mb:.0f} MB")
    print(f"refused by the Bot API: {result['refused']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
