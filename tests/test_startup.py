"""Start-up stays light: heavy libraries load on first use, not when the app is built."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("matplotlib", "pypinyin")


def _loaded_after(code: str, tmp_path: Path) -> list[str]:
    """Which of the heavy libraries a fresh interpreter holds after running ``code``."""
    script = (
        f"import json, sys\n{code}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


BUILD = (
    "from bot.app import OFFLINE_TOKEN, build_application\n"
    "from bot.local_api import LocalBotApi\n"
    "from bot.settings import Settings\n"
    "settings = Settings(_env_file=None, database_path='{db}')\n"
    "app = build_application(settings, request=LocalBotApi(), token=OFFLINE_TOKEN)\n"
)


def test_building_the_app_imports_neither_matplotlib_nor_pypinyin(tmp_path: Path) -> None:
    code = BUILD.format(db=tmp_path / "bot.sqlite3")
    assert _loaded_after(code, tmp_path) == []


def test_the_first_chart_loads_matplotlib(tmp_path: Path) -> None:
    code = BUILD.format(db=tmp_path / "bot.sqlite3") + (
        "from bot.core.charts import Bar, BarChart, render_bars\n"
        "png = render_bars(BarChart('t', 's', 'f', (Bar('新能源', 3.0, '3个'),)))\n"
        "assert png.startswith(b'\\x89PNG')\n"
    )
    assert "matplotlib" in _loaded_after(code, tmp_path)


def test_reading_han_as_pinyin_loads_pypinyin_on_demand(tmp_path: Path) -> None:
    # Han text read as pinyin (for matching and the English card) loads pypinyin then; 昆善
    # is no text of the seed's or the directory's, whose readings are shipped.
    code = "from bot.core.text import pinyin\nassert pinyin('昆善') == 'kunshan'\n"
    assert _loaded_after(code, tmp_path) == ["pypinyin"]


def test_latin_text_needs_no_pinyin_dictionary(tmp_path: Path) -> None:
    code = (
        "from bot.core.text import pinyin, pinyin_terms\n"
        "assert pinyin('kunshn') == '' and pinyin_terms('Kunshan Hi-tech') == ''\n"
    )
    assert _loaded_after(code, tmp_path) == []


def test_the_directory_places_and_a_han_zone_name_need_no_pinyin_dictionary(
    tmp_path: Path,
) -> None:
    # The directory's provinces and cities come with their pinyin (bot/core/place_pinyin.py),
    # a zone typed by its Han name is found before any pinyin is read, and Han text that no
    # reading could make a name (bot/core/han_readings.py) is not read as pinyin at all.
    code = (
        "from bot.core.directory import Places, parse_filter\n"
        "from bot.core.directory_rows import load_shipped_directory\n"
        "from bot.core.matching import ZoneIndex\n"
        "places = Places.build(load_shipped_directory())\n"
        "assert parse_filter('jiangsu', places).province == '江苏省'\n"
        "assert parse_filter('suzhou', places).cities\n"
        "index = ZoneIndex.build([('昆山', 'kunshan'), ('kunshan', 'kunshan')])\n"
        "assert index.resolve('昆山').zone_id == 'kunshan'\n"
        "assert index.resolve('kunshna').zone_id == 'kunshan'\n"
        "assert index.exact('固态电池') == set()  # cannot read as a name: pypinyin not asked\n"
    )
    assert _loaded_after(code, tmp_path) == []


def test_the_han_spacing_table_fills_as_characters_are_met(tmp_path: Path) -> None:
    # It used to hold all 28,000 Han code points from start-up on (4.5 MB).
    code = (
        "from bot.core import text\n"
        "assert len(text._HAN_SPACED) == 0\n"
        "assert text.fts_text('昆山 Kunshan') == ' 昆  山  Kunshan'\n"
        "assert len(text._HAN_SPACED) == len(set('昆山 Kunshan'))\n"
    )
    assert _loaded_after(code, tmp_path) == []


def test_a_new_stores_first_start_needs_no_pinyin_dictionary(tmp_path: Path) -> None:
    # Seeding a new store and loading the zone directory index their names' pinyin: those
    # readings are shipped (bot/core/seed_pinyin.json, tools/make_seed_pinyin.py).
    code = (
        "import asyncio\n"
        "from pathlib import Path\n"
        "from storage.store import Store\n"
        "async def first_start():\n"
        f"    store = await Store.open(Path({str(tmp_path / 'new.sqlite3')!r}))\n"
        "    assert (await store.seed()).count('new') > 50\n"
        "    assert len((await store.load_directory()).zones_created) > 400\n"
        "    assert [h.title for h in await store.search('kunshan')]\n"
        "    await store.close()\n"
        "asyncio.run(first_start())\n"
    )
    assert _loaded_after(code, tmp_path) == []


def test_a_question_in_latin_needs_no_pinyin_dictionary(tmp_path: Path) -> None:
    # bot/core/questions.py reads Han runs as pinyin on first use, not when it is imported.
    code = (
        "from bot.core.questions import name_keys\n"
        "assert any(k.key == 'kunshan' for k in name_keys('How many projects in Kunshan?'))\n"
    )
    assert _loaded_after(code, tmp_path) == []
