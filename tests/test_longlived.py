"""The running bot moves its long-lived objects out of the garbage collector's way
(bot/longlived.py): the facts view it builds after each write is frozen, and a bot that takes
write after write all day neither grows nor shows stale facts."""

from __future__ import annotations

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
    size = _reachable(view)
    frozen_first = gc.get_freeze_count()
    # The view and what it holds are out of the collector's generations.
    assert frozen_first >= size

    counts = []
    for n in range(8):
        await bot.store.apply_facts(FactFile.model_validate({"projects": [_project(n)]}), via="t")
        # The next lookup sees the write (a new view) and names the new project.
        assert f"长存测试项目{n}号" in text_of(await bot.send("/zone 昆山"))
        assert bot.app.bot_data["services"].facts is not view
        view = bot.app.bot_data["services"].facts
        counts.append(gc.get_freeze_count())
    # Eight rebuilt views kept nothing of the ones they replaced: had each old view stayed
    # frozen (a reference cycle the collector could no longer break), the count would grow
    # by about one view per write.
    assert counts[-1] - counts[0] < size // 2, (size, counts)


async def test_nothing_is_frozen_unless_the_process_asks(bot: BotHarness) -> None:
    """Tests (and any other embedder) build and drop applications: no freezing there."""
    before = gc.get_freeze_count()
    await bot.send("/zone 昆山")
    await bot.store.apply_facts(FactFile.model_validate({"projects": [_project(99)]}), via="t")
    assert "长存测试项目99号" in text_of(await bot.send("/zone 昆山"))
    assert gc.get_freeze_count() == before
