"""Article intake benchmark: reading pages and files, and an admin's article to its drafts.

    python bench/bench_articles.py [--runs 20]

Reads: the saved news page tests/data/articles/article.html (trafilatura, main text and
metadata), the same article five times over as a Word file, and a one-page PDF of 50 lines.
Bot: the real Application over the in-process Bot API; an admin pastes a 2,600-character
article (each run a different one, so none is recognised as a repeat) and presses "extract":
timed from the press to the report, i.e. reading, the rule-based extractor, matching the
store and queueing. The first of each is reported apart (it loads trafilatura, pypdf or
pypinyin).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.articles.readers import read_file  # noqa: E402
from tests.article_support import ARTICLE, PAGES, docx_bytes, pdf_bytes  # noqa: E402
from tests.harness import ADMIN_ID, BotHarness, make_settings  # noqa: E402


def timed(runs: int, work: object) -> tuple[float, float]:
    """(first, median of the rest) in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return times[0], statistics.median(times[1:])


async def bot_runs(runs: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        bot = BotHarness(make_settings(Path(folder)))
        await bot.start()
        times = []
        chars = 0
        try:
            for run in range(runs):
                text = "\n".join([ARTICLE] * 5) + f"\n第{run}次测试。"
                chars = len(text)
                calls = await bot.send(text, chat_id=ADMIN_ID, user_id=ADMIN_ID)
                question = next(c for c in calls if c.buttons)
                data = next(d for d in question.button_data() if d.startswith("art:go:"))
                start = time.perf_counter()
                calls = await bot.press(question, data, user_id=ADMIN_ID)
                times.append((time.perf_counter() - start) * 1000)
                assert any("起草" in c.text for c in calls), [c.text for c in calls]
        finally:
            await bot.stop()
    return times[0], statistics.median(times[1:]), chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    page = (PAGES / "article.html").read_bytes()
    docx = docx_bytes(ARTICLE.split("\n") * 5)
    pdf = pdf_bytes(["Kunshan high-tech zone signed 27 projects worth 93.57 billion yuan."] * 50)
    for name, data in (("html", page), ("docx", docx), ("pdf", pdf)):
        first, median = timed(args.runs, lambda d=data, n=name: read_file(f"a.{n}", d))
        print(
            f"read {name:<5} {len(data):>7} bytes  median {median:7.1f} ms   first {first:7.1f} ms"
        )
    first, median, chars = asyncio.run(bot_runs(args.runs))
    print(
        f"bot: paste of {chars} characters, press to drafts queued: median {median:.0f} ms, "
        f"first {first:.0f} ms ({args.runs} runs)"
    )


if __name__ == "__main__":
    main()
