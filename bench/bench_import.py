"""Benchmark of large imports (issue 15, item 7).

    python bench/bench_import.py [--rows 200000] [--busy-rows 20000] [--users 20]
                                 [--upload] [--upload-rows 200000] [--companies]
                                 [--reimport]

Big: writes a CSV of ``--rows`` new signings (names of three words drawn from 58, so each
name is new while its words repeat, as in real files) and runs ``python -m bot import FILE``
on a fresh store in a child process; prints its wall time, its CPU time (user + system: what
the import costs whatever else runs on the machine) and peak RSS (the child's own maximum,
from wait4).

Upload (``--upload``): the same kind of file (``--upload-rows`` rows, 200,000 by default) sent
to the bot by an admin, through the real Application over the in-process Bot API, in a child
process of its own: prints the upload's wall time (document received to the final reply), the
child's CPU time and peak RSS (which include starting the Application and the fake Telegram
holding the file), and the reply's first line.

``--reimport``: after the big import, 40,000 rows go into the same store (15,000 of its rows
with a changed figure, 25,000 new): an import into a big store reads only the records its rows
name (an import used to decode every stored record first).

``--companies``: every row of the big and the uploaded file names a new company of its own
(``17号厂``), so each row makes two records: the shape of a company directory imported as
projects.

Busy: while ``python -m bot import`` loads ``--busy-rows`` more rows into the same store in
another process, the real Application (over the in-process Bot API, same database file)
answers /subscribe and /zone from ``--users`` users in turn and runs the alerts tick; prints
how many commands were answered, how many failed ("something went wrong"), the slowest
answer, and how many alerts ticks failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ZONES = ("昆山", "咸宁", "常德", "嘉兴")
SECTORS = ("新能源", "电子信息", "装备制造", "新材料", "生物医药", "汽车零部件")
STAGES = ("签约", "洽谈", "开工", "投产")
WORDS = (
    "固态电池",
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
    "智能",
    "装备",
    "精密",
    "模具",
    "数控",
    "激光",
    "显示",
    "面板",
    "电子",
    "元件",
    "线缆",
    "光纤",
    "通信",
    "基站",
    "服务器",
    "算力",
    "数据",
    "软件",
    "平台",
    "物流",
    "冷链",
    "食品",
    "纺织",
    "化工",
    "涂料",
    "环保",
    "水处理",
    "风电",
    "氢能",
    "充电桩",
    "电机",
    "电控",
)
HEADER = "园区,企业,项目,行业,阶段,日期,总投资,注册资本,用地亩,达产产值,备注,来源"


def write_csv(path: Path, rows: int, tag: str, companies: bool = False) -> None:
    """``companies``: every row names a company of its own (a file of 200,000 rows then
    makes 400,000 records)."""
    rng = random.Random(rows)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for n in range(rows):
            company = f"{n}号厂" if companies else ""  # short: the file stays under 20 MB
            out.write(
                f"{rng.choice(ZONES)},{company},{tag}{''.join(rng.sample(WORDS, 3))}项目{n}号,"
                f"{rng.choice(SECTORS)},"
                f"{rng.choice(STAGES)},2025-{n % 12 + 1:02d},{n % 90 + 1}亿,,{n % 300 + 10},,,\n"
            )


def write_reimport(big: Path, path: Path) -> None:
    """A file an admin sends back: the big file's first 15,000 rows with a new investment
    figure, and 25,000 rows of new names (the next 25,000, renamed)."""
    with big.open(encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        out.write(next(source))
        for n, line in enumerate(source):
            if n >= 40_000:
                break
            cells = line.rstrip("\n").split(",")
            if n < 15_000:
                cells[6] = "123亿"  # 总投资
            else:
                cells[2] += "续"  # 项目: a new name
            out.write(",".join(cells) + "\n")


def env_for(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(BOT_DATABASE_PATH=str(database), BOT_ACCESS="open", BOT_LOG_LEVEL="WARNING")
    return env


def run_import(database: Path, csv_path: Path, cwd: Path) -> tuple[float, float, float, int, str]:
    """Seconds, CPU seconds, peak RSS in MB, exit code and the output tail of
    ``python -m bot import``."""
    return run_child(["-m", "bot", "import", str(csv_path)], database, cwd)


def run_child(args: list[str], database: Path, cwd: Path) -> tuple[float, float, float, int, str]:
    """``python ARGS`` on ``database``: seconds, CPU seconds (user + system), peak RSS in MB
    (from wait4), exit code and the output tail."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=cwd,
        env=env_for(database) | {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert proc.stdout is not None
    output = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, proc.returncode, output[-800:]


async def busy(database: Path, csv_path: Path, cwd: Path, users: int) -> str:
    from bot.jobs.alerts import alerts_tick
    from tests.harness import BotHarness, make_settings, text_of

    settings = make_settings(cwd, database_path=database)
    bot = BotHarness(settings)
    await bot.start()
    answered = failed = ticks_failed = 0
    latencies: list[float] = []
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "import",
            str(csv_path),
            cwd=cwd,
            env=env_for(database) | {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        n = 0
        while proc.returncode is None:
            user = 5000 + n % users
            command = ("/subscribe keyword 电池{n}", "/zone 昆山")[n % 2].format(n=n)
            started = time.perf_counter()
            calls = await bot.send(command, chat_id=user)
            latencies.append(time.perf_counter() - started)
            text = text_of(calls)
            answered += bool(text)
            failed += "出错" in text or not text
            if n % 20 == 0:
                try:
                    await alerts_tick(bot.app)
                except Exception:
                    ticks_failed += 1
            n += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), 0.05)
        code = proc.returncode
    finally:
        await bot.stop()
    slowest = max(latencies) if latencies else 0.0
    median = statistics.median(latencies) if latencies else 0.0
    return (
        f"busy: import exit {code}; {answered} commands answered, {failed} failed; "
        f"answer median {median * 1000:.0f} ms, slowest {slowest * 1000:.0f} ms; "
        f"alerts ticks failed: {ticks_failed}"
    )


async def upload(csv_path: Path, database: Path) -> dict[str, object]:
    """In the child: one admin sends ``csv_path`` to the bot; the seconds until the final
    reply, and that reply's first line."""
    from bot.local_api import message_update
    from tests.harness import ADMIN_ID, BotHarness, make_settings, text_of

    bot = BotHarness(make_settings(database.parent, database_path=database))
    await bot.start()
    try:
        # Served from disk when the bot downloads it, as Telegram would: the child's peak RSS
        # is the bot's, not a fake server's copy of the file held throughout.
        bot.api.files["bench-file"] = csv_path
        document = {
            "file_id": "bench-file",
            "file_unique_id": "bench-file",
            "file_name": csv_path.name,
            "file_size": csv_path.stat().st_size,
        }
        before = len(bot.api.calls)
        started = time.perf_counter()
        raw = message_update(
            "", chat_id=ADMIN_ID, user_id=ADMIN_ID, lang="zh-hans", document=document
        )
        tasks = await bot.process_nowait(raw)
        if tasks:
            await asyncio.wait(tasks)
        seconds = time.perf_counter() - started
        edits = [c for c in bot.api.calls[before:] if c.method == "editMessageText"]
        final = text_of(edits[-1:]) if edits else text_of(bot.api.calls[before:])
    finally:
        await bot.stop()
    return {"seconds": seconds, "reply": final.splitlines()[0] if final else ""}


def run_upload(csv_path: Path, database: Path, cwd: Path) -> str:
    """The upload in a child process of its own: wall time, CPU time and peak RSS."""
    _, cpu, rss, code, output = run_child(
        [__file__, "--upload-child", str(csv_path), str(database)], database, cwd
    )
    if code != 0:
        return f"upload: exit {code}\n{output}"
    result = json.loads(output.strip().splitlines()[-1])
    return (
        f"upload: {len(csv_path.read_text(encoding='utf-8').splitlines()) - 1} rows "
        f"({csv_path.stat().st_size / 1e6:.1f} MB CSV) sent to the bot, answered in "
        f"{result['seconds']:.1f} s (child CPU {cpu:.1f} s), peak RSS {rss:.0f} MB; "
        f"reply: {result['reply']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--busy-rows", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--upload", action="store_true", help="also time a file sent to the bot")
    parser.add_argument(
        "--companies", action="store_true", help="every row names a new company of its own"
    )
    parser.add_argument(
        "--reimport",
        action="store_true",
        help="then import 40,000 rows into the big store: 15,000 of its rows changed, 25,000 new",
    )
    parser.add_argument("--upload-only", action="store_true", help="only time the upload")
    parser.add_argument("--upload-rows", type=int, default=200_000)
    parser.add_argument("--upload-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.upload_child is not None:
        print(json.dumps(asyncio.run(upload(*args.upload_child))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        work = Path(folder)
        if not args.upload_only:
            big, small = work / "big.csv", work / "busy.csv"
            write_csv(big, args.rows, "大批", args.companies)
            write_csv(small, args.busy_rows, "并发")
            database = work / "bench.sqlite3"
            seconds, cpu, rss, code, tail = run_import(database, big, work)
            print(
                f"import: {args.rows} rows ({big.stat().st_size / 1e6:.1f} MB CSV) by the CLI "
                f"in {seconds:.1f} s (CPU {cpu:.1f} s), peak RSS {rss:.0f} MB, exit {code}"
            )
            if code != 0:
                print(tail)
            if args.reimport:
                again = work / "again.csv"
                write_reimport(big, again)
                seconds, cpu, rss, code, tail = run_import(database, again, work)
                print(
                    f"re-import: 40000 rows (15000 changed, 25000 new) into that store by the "
                    f"CLI in {seconds:.1f} s (CPU {cpu:.1f} s), peak RSS {rss:.0f} MB, exit {code}"
                )
                if code != 0:
                    print(tail)
            print(asyncio.run(busy(database, small, work, args.users)))
        if args.upload or args.upload_only:
            sent = work / "upload.csv"
            write_csv(sent, args.upload_rows, "上传", args.companies)
            (work / "upload").mkdir()
            print(run_upload(sent, work / "upload" / "bot.sqlite3", work))


if __name__ == "__main__":
    main()
