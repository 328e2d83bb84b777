"""The layout's rules, read from the source with ``ast``: each fails when the rule is broken.

- ``bot/core`` (the domain) imports neither ``telegram``, ``storage``, ``handlers`` nor
  ``bot.texts`` (nor the wiring around it: ``bot.jobs``, ``bot.context``);
- ``storage`` imports neither ``telegram``, ``handlers``, ``bot.texts`` nor ``bot.jobs``;
- no SQL outside ``storage/``;
- button data is built and parsed only in ``bot/callbacks.py``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE = ("bot", "handlers", "storage")


def _files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _module(path: Path) -> str:
    if not path.is_relative_to(ROOT):
        return path.name
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # "from bot import texts" imports bot.texts
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _hits(found: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(m for m in found if any(m == b or m.startswith(b + ".") for b in banned))


def broken_imports(folder: str, banned: tuple[str, ...]) -> dict[str, list[str]]:
    broken = {}
    for path in _files(folder):
        hits = _hits(imports(path), banned)
        if hits:
            broken[_module(path)] = hits
    return broken


CORE_BANS = (
    "telegram",
    "storage",
    "handlers",
    "bot.texts",
    "bot.jobs",
    "bot.context",
    "bot.callbacks",
)
STORAGE_BANS = ("telegram", "handlers", "bot.texts", "bot.jobs", "bot.context", "bot.callbacks")


def test_core_knows_neither_telegram_nor_sql_nor_texts() -> None:
    assert broken_imports("bot/core", CORE_BANS) == {}


def test_storage_knows_neither_telegram_nor_handlers_nor_texts_nor_jobs() -> None:
    assert broken_imports("storage", STORAGE_BANS) == {}


_SQL = re.compile(
    r"\b(SELECT\b[\s\S]*\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+(OR\s+\w+\s+)?\w+\s+SET"
    r"|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIEW|TRIGGER)|DROP\s+(TABLE|INDEX)|PRAGMA\s+\w+)"
)


def sql_outside_storage(paths: list[Path]) -> list[str]:
    """String literals that read as SQL, and .execute*() calls, outside storage/."""
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _SQL.search(node.value):
                    found.append(f"{_module(path)}:{node.lineno}: {node.value[:60]!r}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("execute", "executemany", "executescript")
            ):
                found.append(f"{_module(path)}:{node.lineno}: .{node.func.attr}()")
    return found


def test_no_sql_outside_storage() -> None:
    assert sql_outside_storage(_files("bot", "handlers")) == []


# Every prefix button data has had, old and new.
_PREFIXES = "z|zl|zp|ze|zc|p|e|c|f|s|sp|sc|sub|unsub|subs|alerts|mg|dg|dm|acc|adm"
_DATA_LITERAL = re.compile(rf"^({_PREFIXES}):[^\s%]")


def callback_data_outside_its_module(paths: list[Path]) -> list[str]:
    """Places outside bot/callbacks.py that write or read button data by hand: a string
    literal (or f-string head) shaped like button data, callback_data= given a literal, a
    CallbackQueryHandler pattern given as a string, or .data taken apart with str methods."""
    found = []
    for path in paths:
        if path == ROOT / "bot" / "callbacks.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = _module(path)
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in docs and _DATA_LITERAL.match(node.value):
                    found.append(f"{where}:{node.lineno}: literal {node.value[:40]!r}")
            elif isinstance(node, ast.keyword) and node.arg == "callback_data":
                if isinstance(node.value, ast.Constant | ast.JoinedStr):
                    found.append(f"{where}:{node.value.lineno}: callback_data literal")
            elif isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else ""
                for keyword in node.keywords:
                    if (
                        name == "CallbackQueryHandler"
                        and keyword.arg == "pattern"
                        and isinstance(keyword.value, ast.Constant | ast.JoinedStr)
                    ):
                        found.append(f"{where}:{node.lineno}: pattern as a string")
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in ("split", "rsplit", "partition", "removeprefix", "startswith")
                    and _reads_data(func.value)
                ):
                    found.append(f"{where}:{node.lineno}: .data.{func.attr}()")
    return found


def _docstrings(tree: ast.Module) -> set[int]:
    """The docstring nodes (they may describe button data)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _reads_data(node: ast.expr) -> bool:
    """``query.data`` / ``button.callback_data`` (or ``(x.data or "")``)."""
    if isinstance(node, ast.BoolOp):
        return any(_reads_data(v) for v in node.values)
    return isinstance(node, ast.Attribute) and node.attr in ("data", "callback_data")


def test_button_data_is_built_and_parsed_only_in_bot_callbacks() -> None:
    assert callback_data_outside_its_module(_files("bot", "handlers")) == []


# ---- the checks themselves catch what they are for ----------------------------------------


@pytest.mark.parametrize(
    ("source", "rule"),
    [
        ("from telegram import Bot\n", "core"),
        ("import storage.base\n", "core"),
        ("def f():\n    from bot.texts import lookup\n", "core"),
        ("from bot import texts\n", "core"),
        ("from handlers.basic import is_admin\n", "storage"),
        ("from bot.jobs.delivery import send\n", "storage"),
        ('Q = "SELECT id FROM zones WHERE id = ?"\n', "sql"),
        ("async def f(db):\n    await db.execute(q)\n", "sql"),
        ('B = InlineKeyboardButton("x", callback_data=f"sub:zone:{z}")\n', "callbacks"),
        ('H = CallbackQueryHandler(f, pattern=r"^dg:")\n', "callbacks"),
        ('def f(q):\n    return q.data.split(":")\n', "callbacks"),
        ('X = "adm:save"\n', "callbacks"),
    ],
)
def test_each_rule_fails_when_broken(tmp_path: Path, source: str, rule: str) -> None:
    path = tmp_path / "broken.py"
    path.write_text(source, encoding="utf-8")
    if rule == "core":
        assert _hits(imports(path), CORE_BANS)
    elif rule == "storage":
        assert _hits(imports(path), STORAGE_BANS)
    elif rule == "sql":
        assert sql_outside_storage([path])
    else:
        assert callback_data_outside_its_module([path])


def test_plain_words_are_not_taken_for_sql_or_button_data(tmp_path: Path) -> None:
    path = tmp_path / "fine.py"
    path.write_text(
        'A = "Select a zone from the list"\nB = "e.g. /zone 昆山"\nC = "Update: done"\n',
        encoding="utf-8",
    )
    assert sql_outside_storage([path]) == []
    assert callback_data_outside_its_module([path]) == []
