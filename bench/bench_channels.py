"""Group-robot fan-out benchmark: 300 robots (100 WeCom, 100 DingTalk, 100 Feishu) next to
Telegram chats, all on loopback fakes.

    python bench/bench_channels.py [--robots-per-kind 100] [--chats 300] [--messages 25]

1. Telegram alone: one record imported, the real alert tick to ``--chats`` Telegram chats
   over real HTTP to the fake Bot API (tests/botapi_server.py, rate checks on) through
   python-telegram-bot's AIORateLimiter; the time until the last chat has its alert.
2. Fan-out: another record, the same tick now also to the 300 robots (fake platform servers
   of tests/robot_servers.py with their rate checks, in a child process of their own so
   their work is not counted as the bot's), while every robot is also being sent
   ``--messages`` more messages back to back through its RobotChannel destination (the
   robots' pacer), which keeps each at its limit. Prints the Telegram time again, every
   robot's highest count of messages in any 60 s (and for Feishu in any 1 s) window, and
   how many rate-limit answers the fakes gave (should be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application
from bot.context import BotApp, services_of
from bot.core.records import FactFile, Project
from bot.jobs.alerts import alerts_tick
from bot.jobs.delivery import Outgoing, RetryLater, Sent
from bot.settings import Settings
from storage import Store
from tests.botapi_server import FakeBotApi
from tests.robot_servers import webhook_url

TOKEN = "123456:bench-token"


SECRET = "benchsecret"


def fetch_stats(port: int) -> dict[str, dict[str, Any]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=30) as answer:
        data: dict[str, dict[str, Any]] = json.loads(answer.read())
    return data


def window_max(times: list[float], width: float) -> int:
    best = 0
    start = 0
    for end, moment in enumerate(times):
        while times[start] <= moment - width:
            start += 1
        best = max(best, end - start + 1)
    return best


async def import_one(path: Path, record_id: str) -> None:
    other = await Store.open(path)
    try:
        project = Project(
            id=record_id,
            zone="kunshan",
            name_zh=f"基准项目{record_id}",
            sectors=("新能源",),
            stage="signed",  # type: ignore[arg-type]
            source="p000-kunshan",
        )
        await other.apply_facts(FactFile(projects=(project,)), via="cli")
    finally:
        await other.close()


async def telegram_time(app: BotApp, fake: FakeBotApi, chats: list[int], needle: str) -> float:
    """Run ticks until every Telegram chat got the alert naming ``needle``; seconds taken."""
    start = time.monotonic()
    wanted = set(chats)
    while True:
        await alerts_tick(app)
        got = {
            r.chat_id
            for r in fake.sent
            if r.ok and r.method == "sendMessage" and needle in (r.text or "")
        }
        if wanted <= got:
            return time.monotonic() - start
        await asyncio.sleep(0.2)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--robots-per-kind", type=int, default=100)
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--messages", type=int, default=25)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    fake = FakeBotApi(TOKEN, enforce_rates=True)
    await fake.start()
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.robot_servers", str(args.robots_per_kind), SECRET],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert child.stdout is not None
    port, stats_port = (int(x) for x in child.stdout.readline().split())
    host = f"127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            token=TOKEN,
            database_path=db,
            api_base_url=fake.base_url,
            api_file_base_url=fake.file_base_url,
            channel_hosts=frozenset({host}),
        )
        app = build_application(settings, rate_limit=True)
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        services = services_of(app)
        store = services.store
        assert store is not None
        try:
            chats = [10_000 + n for n in range(args.chats)]
            for chat_id in chats:
                await store.ensure_chat(chat_id, "private")
                await store.subscribe(chat_id, "zone", "kunshan")
            await import_one(db, "bench-alone")
            alone = await telegram_time(app, fake, chats, "bench-alone")
            print(f"Telegram alone: {len(chats)} chats alerted in {alone:.1f} s")

            channel_ids: list[tuple[str, int]] = []
            for kind in ("wecom", "dingtalk", "feishu"):
                for n in range(args.robots_per_kind):
                    key = f"{kind}bench{n:04d}"
                    secret = SECRET if kind != "wecom" else None
                    added = await store.add_channel(
                        kind, key, webhook_url(host, kind, key), secret, 1, "zh"
                    )
                    assert added is not None
                    await store.subscribe(added.chat_id, "zone", "kunshan")
                    channel_ids.append((kind, added.chat_id))

            async def flood(chat_id: int) -> int:
                """Back-to-back messages to one robot, each retried when told to wait, as
                the engines' parked items are."""
                to = services.destination(app.bot, chat_id)
                sent = 0
                for number in range(args.messages):
                    while True:
                        outcome = await to.deliver(Outgoing(f"<b>第{number}条</b> 招商助手"))
                        if isinstance(outcome, Sent):
                            sent += 1
                            break
                        if not isinstance(outcome, RetryLater):
                            break
                        await asyncio.sleep(outcome.seconds)
                return sent

            await import_one(db, "bench-fanout")
            started = time.monotonic()
            floods = asyncio.gather(*(flood(chat_id) for _, chat_id in channel_ids))
            mixed = await telegram_time(app, fake, chats, "bench-fanout")
            print(
                f"Telegram with {len(channel_ids)} robots sending: "
                f"{len(chats)} chats alerted in {mixed:.1f} s"
            )
            sent_counts = await floods
            # The tick's alert to each robot may have been parked behind the flood: finish it.
            while True:
                stats = fetch_stats(stats_port)
                if all(any("bench-fanout" in t for t in r["texts"]) for r in stats.values()):
                    break
                await alerts_tick(app)
                await asyncio.sleep(1.0)
            took = time.monotonic() - started
            for kind in ("wecom", "dingtalk", "feishu"):
                group = [r for r in stats.values() if r["kind"] == kind]
                per_minute = max(window_max(r["arrivals"], 60.0) for r in group)
                per_second = max(window_max(r["arrivals"], 1.0) for r in group)
                received = sum(len(r["texts"]) for r in group)
                limited = sum(r["rate_answers"] for r in group)
                print(
                    f"{kind}: {len(group)} robots, {received} messages accepted, busiest robot "
                    f"{per_minute} in a 60 s window and {per_second} in a 1 s window, "
                    f"rate-limit answers {limited}"
                )
            print(
                f"robot sends accepted {sum(sent_counts)} of {len(sent_counts) * args.messages}"
                f"; fan-out finished in {took:.1f} s; Telegram 429s: "
                f"{sum(1 for r in fake.sent if r.status == 429)}"
            )
        finally:
            assert app.post_shutdown is not None
            await app.post_shutdown(app)
            await app.shutdown()
            child.kill()
            child.wait()
            await fake.stop()


if __name__ == "__main__":
    asyncio.run(main())
