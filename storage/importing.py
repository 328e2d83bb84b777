"""Reading import files into a FactFile: the YAML fact-file format (CSV and XLSX: see below)."""

from __future__ import annotations

from pathlib import Path

from storage.base import StoreBase
from storage.facts import FactFileError, load_path
from storage.models import FactFile


async def load_any(path: Path, store: StoreBase) -> FactFile:
    """Read a fact file by its extension; the store resolves names in spreadsheets."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        return load_path(path)
    raise FactFileError([f"{path.name}: unsupported file type {suffix or '(none)'}; use .yaml"])
