"""Group-robot fan-out benchmark: 300 robots (100 WeCom, 100 DingTalk, 100 Feishu) next to
Telegram chats, all on loopback fakes that run in child processes, so the CPU time printed
is the bot's own.

    python bench/bench_channels.py [--robots-per-kind 100] [--chats 300] [--seconds 70]

1. Telegram alone: a record imported by another connection, the real alert tick to
   ``--chats`` Telegram chats over real HTTP (the fake Bot API of tests/botapi_server.py,
   Telegram's rates enforced) through python-telegram-bot's AIORateLimiter: the time from
   the first tick to the last chat's alert, and the bot's CPU time meanwhile.
2. Fan-out: 300 robots added and subscribed (the fake platforms of tests/robot_servers.py,
   checking shape, signature and rate per robot, connections kept alive as the real ones
   do). Every robot owes a backlog of ``--seconds`` worth of messages at its own limit
   (WeCom and DingTalk 20 a minute, Feishu 100 a minute, i.e. parked digest parts and
   alerts retried at the robot's slot, through its RobotChannel as the engines send); once
   they run, another record is imported and the same tick alerts the Telegram chats and the
   robots. Prints the Telegram time again, when the robots had the alert, each kind's
   busiest and quietest robot in any 60 s window (and Feishu's in any 1 s), rate-limit
   answers, and the bot's CPU time (user+sys) and CPU per robot post.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application
from bot.context import BotApp, services_of
from bot.core import robots as robot_rules
from bot.core.records import FactFile, Project
from bot.jobs.alerts import alerts_tick
from bot.jobs.delivery import Outgoing, RetryLater, Sent
from bot.settings import Settings
from tests.harness import start_app, stop_app, write_elsewhere
from tests.robot_servers import webhook_url

TOKEN = "123456:bench-token"
SECRET = "benchsecret"
ROOT = Path(__file__).resolve().parent.parent
KINDS = ("wecom", "dingtalk", "feishu")


def cpu_seconds() -> float:
    """This process's CPU time, user + system (the fakes run in other processes)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return json.loads(answer.read())


def window_max(times: list[float], width: float) -> int:
    """The most arrivals in any window of ``width`` seconds."""
    best = 0
    start = 0
    for end, moment in enumerate(times):
        while times[start] <= moment - width:
            start += 1
        best = max(best, end - start + 1)
    return best


async def import_one(path: Path, record_id: str) -> None:
    project = Project(
        id=record_id,
        zone="kunshan",
        name_zh=f"基准项目{record_id}",
        sectors=("新能源",),
        stage="signed",  # type: ignore[arg-type]
        source="p000-kunshan",
    )
    await write_elsewhere(path, FactFile(projects=(project,)))


# ---- the fake Bot API, in a child process ----------------------------------------------


async def serve_telegram() -> None:
    """Child process: the fake Bot API with Telegram's rates on; GET /arrivals?needle=X on a
    second port answers, per chat, when the first accepted message showing X arrived."""
    from aiohttp import web

    from tests.botapi_server import FakeBotApi
    from tests.loopback import serve_one_route

    fake = FakeBotApi(TOKEN, enforce_rates=True)
    await fake.start()

    async def arrivals(request: web.Request) -> web.Response:
        needle = request.query["needle"]
        first: dict[str, float] = {}
        refused = 0
        for r in fake.sent:
            if r.method != "sendMessage":
                continue
            if r.status == 429:
                refused += 1
            elif r.ok and needle in str(r.params.get("text", "")):
                first.setdefault(str(r.chat_id), r.at)
        return web.json_response({"first": first, "429s": refused})

    stats_port = await serve_one_route("/arrivals", arrivals)
    print(f"{fake.base_url} {fake.file_base_url} {stats_port}", flush=True)
    while True:
        await asyncio.sleep(3600)


def child(args: list[str]) -> tuple[subprocess.Popen[bytes], list[str]]:
    process = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None
    return process, process.stdout.readline().decode().split()


# ---- the benchmark ----------------------------------------------------------------------


async def telegram_run(
    app: BotApp, stats_port: int, chats: list[int], needle: str
) -> tuple[float, int]:
    """Ticks until every chat has the alert naming ``needle``: seconds from the first tick to
    the last chat's alert (arrival times at the fake), and Telegram's 429 answers so far."""
    start = time.monotonic()
    url = f"http://127.0.0.1:{stats_port}/arrivals?needle={urllib.parse.quote(needle)}"
    while True:
        await alerts_tick(app)
        got = await asyncio.to_thread(get_json, url)
        first = {int(k): v for k, v in got["first"].items()}
        if all(c in first for c in chats):
            return max(first[c] for c in chats) - start, int(got["429s"])
        await asyncio.sleep(0.5)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--robots-per-kind", type=int, default=100)
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument(
        "--seconds", type=float, default=70.0, help="each robot's backlog, in seconds at its limit"
    )
    parser.add_argument("--serve-telegram", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_telegram:
        await serve_telegram()
        return
    logging.basicConfig(level=logging.ERROR)
    # The limiter logs a 429 with a traceback though the bot handles it (as bot/logsafe.py
    # silences it); the 429s are counted and printed instead.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    print(
        f"machine: {os.cpu_count()} cores, load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    telegram, (base_url, file_base_url, tg_stats) = child(
        [str(Path(__file__).resolve()), "--serve-telegram"]
    )
    robots_child, (port, stats_port) = child(
        ["-m", "tests.robot_servers", str(args.robots_per_kind), SECRET]
    )
    host = f"127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            await run(
                args,
                Path(tmp) / "bench.sqlite3",
                base_url,
                file_base_url,
                int(tg_stats),
                host,
                int(stats_port),
            )
    finally:
        for process in (telegram, robots_child):
            process.kill()
            process.wait()
    print("machine after: load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


async def run(
    args: argparse.Namespace,
    db: Path,
    base_url: str,
    file_base_url: str,
    tg_stats: int,
    host: str,
    stats_port: int,
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        token=TOKEN,
        database_path=db,
        api_base_url=base_url,
        api_file_base_url=file_base_url,
        channel_hosts=frozenset({host}),
        access="open",
    )
    app = build_application(settings, rate_limit=True)
    await start_app(app)
    services = services_of(app)
    store = services.store
    assert store is not None
    try:
        chats = [10_000 + n for n in range(args.chats)]
        for chat_id in chats:
            await store.ensure_chat(chat_id, "private")
            await store.subscribe(chat_id, "zone", "kunshan")
        await import_one(db, "bench-alone")
        cpu = cpu_seconds()
        alone, alone_429s = await telegram_run(app, tg_stats, chats, "bench-alone")
        alone_cpu = cpu_seconds() - cpu
        print(
            f"Telegram alone: {len(chats)} chats alerted in {alone:.1f} s "
            f"(bot CPU {alone_cpu:.1f} s, Telegram 429s {alone_429s})"
        )

        channels: list[tuple[str, int]] = []
        for kind in KINDS:
            for n in range(args.robots_per_kind):
                key = f"{kind}bench{n:04d}"
                secret = SECRET if kind != "wecom" else None
                added = await store.add_channel(
                    kind, key, webhook_url(host, kind, key), secret, 1, "zh"
                )
                assert added is not None
                await store.subscribe(added.chat_id, "zone", "kunshan")
                channels.append((kind, added.chat_id))

        async def backlog(kind: str, chat_id: int) -> int:
            """The robot's owed messages, each sent at the robot's slot and retried when told
            to wait, as the engines retry parked items."""
            to = services.destination(app.bot, chat_id)
            count = math.ceil(args.seconds / robot_rules.INTERVAL[kind])  # type: ignore[index]
            sent = 0
            for number in range(count):
                while True:
                    outcome = await to.deliver(Outgoing(f"<b>积压第{number}条</b> 招商助手"))
                    if isinstance(outcome, Sent):
                        sent += 1
                        break
                    if not isinstance(outcome, RetryLater):
                        break
                    await asyncio.sleep(outcome.seconds)
            return sent

        cpu = cpu_seconds()
        started = time.monotonic()
        owed = asyncio.gather(*(backlog(kind, chat_id) for kind, chat_id in channels))
        await asyncio.sleep(5.0)  # the robots are sending at their limits
        await import_one(db, "bench-fanout")
        tick_start = time.monotonic()
        mixed, telegram_429s = await telegram_run(app, tg_stats, chats, "bench-fanout")
        print(
            f"Telegram with {len(channels)} robots sending: {len(chats)} chats alerted in "
            f"{mixed:.1f} s (alone: {alone:.1f} s)"
        )
        # The tick's alert to each robot waits behind its backlog (it is parked until the
        # robot's slot): keep ticking, as the job does, until every robot has it.
        url = f"http://127.0.0.1:{stats_port}/stats?needle=bench-fanout"
        while True:
            stats: dict[str, dict[str, Any]] = await asyncio.to_thread(get_json, url)
            if all(r["needle_at"] is not None for r in stats.values()):
                break
            await asyncio.sleep(2.0)
            await alerts_tick(app)
        sent = await owed
        took = time.monotonic() - started
        fanout_cpu = cpu_seconds() - cpu
        stats = await asyncio.to_thread(get_json, url)
        posts = sum(len(r["arrivals"]) for r in stats.values())
        total_owed = sum(
            math.ceil(args.seconds / robot_rules.INTERVAL[kind])  # type: ignore[index]
            for kind, _ in channels
        )
        print(
            f"robots: backlog {sum(sent)} of {total_owed} messages accepted, "
            f"{posts} posts in {took:.1f} s; bot CPU {fanout_cpu:.1f} s "
            f"({1000 * fanout_cpu / max(1, posts):.2f} ms a robot post, Telegram included); "
            f"Telegram 429s {telegram_429s - alone_429s}"
        )
        for kind in KINDS:
            group = [r for r in stats.values() if r["kind"] == kind]
            per_minute = [window_max(r["arrivals"], 60.0) for r in group]
            per_second = [window_max(r["arrivals"], 1.0) for r in group]
            alert_after = [r["needle_at"] - tick_start for r in group]
            limits = "5/s, 100/min" if kind == "feishu" else "20/min"
            rate = sum(r["rate_answers"] for r in group)
            other = sum(r["rejected"] for r in group) - rate
            print(
                f"{kind} ({len(group)} robots, limit {limits}): in any 60 s the busiest robot "
                f"got {max(per_minute)}, the quietest {min(per_minute)}; in any 1 s at most "
                f"{max(per_second)}; rate-limit answers {rate}, other refusals {other}"
                f"; the alert arrived {statistics.median(alert_after):.1f} s after the tick "
                f"(median), last {max(alert_after):.1f} s"
            )
    finally:
        await stop_app(app)


if __name__ == "__main__":
    asyncio.run(main())
