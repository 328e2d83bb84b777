"""Reading and checking fact files (YAML or JSON, the FactFile format) before they touch the store.

A file is validated whole: every record against its model, then every reference (zone,
company, source, event, sector label) against the file and what the store already holds.
Errors name the record and the field, and nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from importlib import resources
from operator import attrgetter
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.core.records import FactFile
from bot.core.text import clean_tree

SEED_PACKAGE = "bot.facts"
SEED_FILE = "seed.yaml"
MAX_FACT_FILE_BYTES = 20 * 1024 * 1024


class FactFileError(Exception):
    """A fact file cannot be applied; ``problems`` lists each with its record and field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{len(problems)} problem(s): {shown}{more}")


@dataclass(frozen=True)
class KnownIds:
    """Ids already in the store, so a file may refer to them without repeating them."""

    zones: frozenset[str] = frozenset()
    # A big import's check adds the companies it staged as it goes (storage/import_spool.py).
    companies: AbstractSet[str] = frozenset()
    sources: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()


@dataclass
class _Checker:
    facts: FactFile
    known: KnownIds
    problems: list[str] = field(default_factory=list)
    # A big import checks each chunk of records against every id the file and the store
    # hold: the ids of a section are gathered once a check, not once a reference.
    _ids: dict[str, tuple[set[str], AbstractSet[str]]] = field(default_factory=dict)

    def ids(self, section: str) -> tuple[set[str], AbstractSet[str]]:
        """The ids of ``section`` in the file, and in the store."""
        if section not in self._ids:
            records = getattr(self.facts, section)
            get = attrgetter("label" if section == "labels" else "id")
            self._ids[section] = (set(map(get, records)), getattr(self.known, section))
        return self._ids[section]

    def duplicates(self, section: str) -> None:
        key = "label" if section == "labels" else "id"
        records = getattr(self.facts, section)
        if len(set(map(attrgetter(key), records))) == len(records):
            return  # no duplicate (the usual file): nothing to name
        seen: set[str] = set()
        for index, record in enumerate(records):
            value = getattr(record, key)
            if value in seen:
                self.problems.append(f"{section}[{index}] ({value}): {key} is a duplicate")
            seen.add(value)

    def refs(self, section: str, attr: str, target: str, many: bool = False) -> None:
        records = getattr(self.facts, section)
        if not records:
            return
        in_file, in_store = self.ids(target)
        get = attrgetter(attr)
        used = {v for r in records for v in get(r)} if many else set(map(get, records))
        used.discard(None)
        if not used - in_file - in_store:
            return  # every reference resolves (the usual file): nothing to name
        for index, record in enumerate(records):
            values: Iterable[Any] = get(record) if many else [get(record)]
            for value in values:
                if value is not None and value not in in_file and value not in in_store:
                    rid = getattr(record, "id", "?")
                    self.problems.append(
                        f"{section}[{index}] ({rid}): field {attr}: unknown {target[:-1]} {value!r}"
                    )


def check(facts: FactFile, known: KnownIds = KnownIds()) -> None:
    """Raise FactFileError naming every duplicate id and dangling reference."""
    checker = _Checker(facts, known)
    for section in ("sources", "areas", "labels", "zones", "companies", "projects", "events"):
        checker.duplicates(section)
    checker.duplicates("figures")
    checker.refs("labels", "area", "areas")
    for section in ("zones", "companies", "projects", "events", "figures"):
        checker.refs(section, "source", "sources")
    checker.refs("companies", "zone", "zones")
    checker.refs("projects", "zone", "zones")
    checker.refs("projects", "company", "companies")
    checker.refs("projects", "event", "events")
    checker.refs("projects", "sectors", "labels", many=True)
    checker.refs("events", "zone", "zones")
    checker.refs("events", "companies", "companies", many=True)
    checker.refs("events", "sectors", "labels", many=True)
    checker.refs("figures", "zone", "zones")
    checker.refs("figures", "sector", "labels")
    checker.refs("figures", "part_of", "figures")
    checker.refs("zones", "leading", "labels", many=True)
    checker.refs("zones", "emerging", "labels", many=True)
    if checker.problems:
        raise FactFileError(checker.problems)


def _describe(error: dict[str, Any], data: Any) -> str:
    loc = list(error["loc"])
    where = ""
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        section, index = loc[0], loc[1]
        record = data.get(section, [])[index] if isinstance(data, dict) else None
        rid = record.get("id") or record.get("label") if isinstance(record, dict) else None
        where = f"{section}[{index}]" + (f" ({rid})" if rid else "")
        loc = loc[2:]
    field_name = ".".join(str(p) for p in loc) or "record"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: field {field_name}: {message}" if where else f"{field_name}: {message}"


def parse(data: Any) -> FactFile:
    """Validate decoded data as a FactFile; errors name the record and field."""
    if not isinstance(data, dict):
        raise FactFileError(["the file must be a mapping with sections such as zones, projects"])
    # The cleaning step every import path shares: no control character or lone surrogate
    # reaches the store (it would break every later export).
    data = clean_tree(data)
    try:
        return FactFile.model_validate(data)
    except ValidationError as exc:
        raise FactFileError([_describe(dict(e), data) for e in exc.errors()]) from None


MAX_YAML_DEPTH = 40  # a fact file nests about 5 deep; 50,000 "[" must not exhaust the stack


class _NestingTooDeep(Exception):
    pass


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than MAX_YAML_DEPTH before recursing."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _NestingTooDeep
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_text(text: str, name: str = "file") -> FactFile:
    """Decode YAML (JSON is YAML too) and validate it."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except (_NestingTooDeep, RecursionError):
        raise FactFileError(
            [f"{name} is nested more than {MAX_YAML_DEPTH} levels deep; a fact file needs a few"]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise FactFileError([f"{name} is not valid YAML{where}"]) from None
    return parse(data)


def read_file_text(path: Path) -> str:
    """A fact file's text (UTF-8, at most 20 MB); FactFileError saying what is wrong."""
    if not path.is_file():
        raise FactFileError([f"{path} does not exist or is not a file"])
    if path.stat().st_size > MAX_FACT_FILE_BYTES:
        raise FactFileError([f"{path} is larger than 20 MB"])
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FactFileError([f"{path} is not UTF-8 text; save it as UTF-8"]) from None


def load_path(path: Path) -> FactFile:
    return load_text(read_file_text(path), name=path.name)


def load_seed() -> FactFile:
    """The facts shipped with the bot."""
    text = resources.files(SEED_PACKAGE).joinpath(SEED_FILE).read_text(encoding="utf-8")
    return load_text(text, name=SEED_FILE)


def dump(facts: FactFile) -> str:
    """A fact file as YAML that load_text reads back unchanged."""
    data = json.loads(facts.model_dump_json(exclude_none=True, exclude_defaults=True))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
