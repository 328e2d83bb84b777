"""The running bot moves its long-lived objects out of the garbage collector's way
(bot/longlived.py): the facts view it builds after each write is frozen, and a bot that takes
write after write all day neither grows nor shows stale facts."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest

from bot import longlived
from bot.core.records import FactFile
from tests.harness import BotHarness, text_of


@pytest.fixture
def freezing() -> Iterator[None]:
    longlived.enable()
    try:
        yield
    finally:
        longlived.disable()


def _project(n: int) -> dict[str, object]:
    return {
        "id": f"kunshan-longlived-{n}",
        "zone": "kunshan",
        "name_zh": f"长存测试项目{n}号",
        "stage": "signed",
        "source": "p000-kunshan",
    }


def _reachable(root: object) -> int:
    """How many objects the collector tracks that ``root`` reaches (itself included)."""
    seen = {id(root)}
    todo = [root]
    while todo:
        for child in gc.get_referents(todo.pop()):
            if gc.is_tracked(child) and id(child) not in seen and not isinstance(child, type):
                seen.add(id(child))
                todo.append(child)
    return len(seen)


async def test_each_new_facts_view_is_frozen_and_the_old_one_freed(
    freezing: None, bot: BotHarness
) -> None:
    assert "昆山" in text_of(await bot.send("/zone 昆山"))
    view = bot.app.bot_data["services"].facts
    assert view is not None
    # The view and what it holds are out of the collector's generations.
    assert gc.get_freeze_count() >= _reachable(view)

    for n in range(10):
        await bot.store.apply_facts(FactFile.model_validate({"projects": [_project(n)]}), via="t")
        # The next lookups see the write (a new view) and name the new project; others are in
        # flight while the view is rebuilt and frozen.
        answers = await asyncio.gather(
            bot.send("/zone 昆山"), bot.send("昆山有哪些项目"), bot.send("/search 长存测试")
        )
        assert f"长存测试项目{n}号" in text_of(answers[0])
        assert bot.app.bot_data["services"].facts is not view
        view = bot.app.bot_data["services"].facts
    # Nothing dead stays frozen: each freeze re-examined what the last one froze. (Freezing
    # without that kept ~50 objects per write here, cycles of the updates in flight, for
    # good: 494 after these ten writes.)
    gc.collect()
    longlived.disable()  # every frozen object back to the collector
    assert gc.collect() < 100


async def test_nothing_is_frozen_unless_the_process_asks(bot: BotHarness) -> None:
    """Tests (and any other embedder) build and drop applications: no freezing there."""
    before = gc.get_freeze_count()
    await bot.send("/zone 昆山")
    await bot.store.apply_facts(FactFile.model_validate({"projects": [_project(99)]}), via="t")
    assert "长存测试项目99号" in text_of(await bot.send("/zone 昆山"))
    assert gc.get_freeze_count() == before
