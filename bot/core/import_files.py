"""Import, step 1: file bytes into tables (CSV, XLSX), the column contract, cleaned cells, and
the structured errors of the steps (FileProblem for a whole file, RowError for a cell)."""

from __future__ import annotations

import csv
import io
import operator
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import compress
from pathlib import Path
from typing import Any, Literal

from bot.core.factfile import MAX_FACT_FILE_BYTES
from bot.core.text import clean_text, normalise

TableKind = Literal["signing", "event"]


SIGNING_COLUMNS: tuple[str, ...] = (
    "zone",
    "company",
    "project",
    "sector",
    "stage",
    "date",
    "investment",
    "registered_capital",
    "land_mu",
    "annual_output",
    "note",
    "source",
)


EVENT_COLUMNS: tuple[str, ...] = ("zone", "title", "kind", "date", "figures", "note", "source")


SIGNING_ZH: dict[str, str] = {
    "zone": "园区",
    "company": "企业",
    "project": "项目",
    "sector": "行业",
    "stage": "阶段",
    "date": "日期",
    "investment": "总投资",
    "registered_capital": "注册资本",
    "land_mu": "用地亩",
    "annual_output": "达产产值",
    "note": "备注",
    "source": "来源",
}


EVENT_ZH: dict[str, str] = {
    "zone": "园区",
    "title": "名称",
    "kind": "类型",
    "date": "日期",
    "figures": "数据",
    "note": "备注",
    "source": "来源",
}


_HEADER_KEYS: dict[str, str] = {
    **{k: k for k in (*SIGNING_COLUMNS, *EVENT_COLUMNS)},
    **{normalise(k): k for k in (*SIGNING_COLUMNS, *EVENT_COLUMNS)},
    **{normalise(v): k for v, k in ((v, k) for k, v in SIGNING_ZH.items())},
    **{normalise(v): k for v, k in ((v, k) for k, v in EVENT_ZH.items())},
    # Common variants staff type.
    "用地": "land_mu",
    "用地亩数": "land_mu",
    "投资": "investment",
    "总投资额": "investment",
    "企业名称": "company",
    "项目名称": "project",
    "产业": "sector",
    "活动": "title",
    "活动名称": "title",
}


SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml", ".json": "yaml"}


MAX_BYTES = MAX_FACT_FILE_BYTES
# Limits that keep a small hostile file from taking the memory and the CPU (issue 15).
MAX_ROWS = 200_000  # data rows a file (all sheets)
MAX_COLUMNS = 64  # read from each row; a template has 12
MAX_DECLARED_COLUMNS = 1024
BLANK_ROWS = 10_000  # empty rows tolerated in a sheet beyond MAX_ROWS
MAX_CELL_CHARS = 5000
MAX_UNZIPPED = 200 * 1024 * 1024  # an XLSX's members, unpacked, together
MAX_RATIO = 100  # unpacked / packed size of any member bigger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ZIP_ENTRIES = 1000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')


class FileProblem(Exception):
    """The file as a whole cannot be read: ``code`` says why (texts render it in both languages)."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)


@dataclass(frozen=True)
class RowError:
    """One bad cell (or row): spreadsheet row number as Excel shows it (the header is row 1)."""

    row: int
    field: str
    code: str
    value: str = ""
    detail: str = ""
    sheet: str | None = None

    def __str__(self) -> str:
        where = f"{self.sheet} " if self.sheet else ""
        value = f" {self.value!r}" if self.value else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{where}row {self.row}, field {self.field}: {self.code}{value}{detail}"


@dataclass
class Table:
    """One sheet (or CSV file) of one kind: its rows as column key -> cell text."""

    kind: TableKind
    sheet: str | None
    rows: list[tuple[int, dict[str, str]]]
    ignored_columns: tuple[str, ...] = ()
    # A big CSV read for streaming keeps its text, not its rows: ``later`` reads them again
    # (checked already) and ``later_count`` says how many there are.
    later: Callable[[], Iterator[tuple[int, dict[str, str]]]] | None = None
    later_count: int = 0

    @property
    def count(self) -> int:
        return len(self.rows) if self.later is None else self.later_count

    def each(self) -> Iterator[tuple[int, dict[str, str]]]:
        if self.later is None:
            yield from self.rows
        else:
            yield from self.later()


def file_format(name: str) -> str:
    """csv, xlsx or yaml by the file name; FileProblem for anything else."""
    suffix = Path(name).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if suffix in (".xls", ".et", ".numbers", ".ods"):
        raise FileProblem("old_spreadsheet", suffix)
    raise FileProblem("type", suffix or "(none)")


MULTILINE_KEYS = frozenset({"note", "figures"})


# OWASP: = + - @ and a leading TAB or CR make a spreadsheet take a cell for a formula.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def quote_formula(text: str) -> str:
    """Export: a leading ``'`` so that ``=1+2`` stays text in Excel and WPS (read back as is)."""
    return f"'{text}" if _FORMULA_START.match(text) else text


def unquote_formula(text: str) -> str:
    """Import: drop the one ``'`` that ``quote_formula`` added."""
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text) else text


def clean_cell(key: str, text: str) -> str:
    """A cell's text as stored: cleaned, and the formula guard removed."""
    return unquote_formula(clean_text(text, key in MULTILINE_KEYS))


def _header_key(cell: str) -> str | None:
    text = clean_text(cell)
    if not text:
        return None
    key = _HEADER_KEYS.get(normalise(text)) or _HEADER_KEYS.get(text.lower())
    if key:
        return key
    # Template headers carry both languages: 园区 zone, 园区(zone), 园区/zone.
    for part in re.split(r"[\s()（）/|]+", text):
        key = _HEADER_KEYS.get(normalise(part)) or _HEADER_KEYS.get(part.lower())
        if key:
            return key
    return None


class _TableReader:
    """Rows of one sheet turned into column key -> cleaned text as they are read (no copy of
    the whole sheet kept): a 200,000-row file is held once, as the table."""

    def __init__(self, header: Sequence[str], sheet: str | None) -> None:
        keys = [_header_key(h) for h in header]
        known = {k for k in keys if k}
        if "project" in known and "title" in known:
            raise FileProblem("mixed", sheet or "")
        if "project" in known:
            kind: TableKind = "signing"
        elif "title" in known:
            kind = "event"
        else:
            self.table: Table | None = None
            return
        if "zone" not in known:
            raise FileProblem("missing_column", "zone / 园区")
        columns = SIGNING_COLUMNS if kind == "signing" else EVENT_COLUMNS
        ignored = tuple(
            h.strip() for h, k in zip(header, keys, strict=True) if h.strip() and k not in columns
        )
        # (position, key, multiline) of each column kept; of a repeated column, the first
        # cell with text counts.
        self.wanted: list[tuple[int, str, bool]] = [
            (position, key, key in MULTILINE_KEYS)
            for position, key in enumerate(keys)
            if key is not None and key in columns
        ]
        # The key of each column by position (None: not kept), for plain rows (see _plain).
        self.keys = [key if key in columns else None for key in keys]
        self.kept = [key is not None for key in self.keys]
        self.repeated = len(self.wanted) > len({key for _, key, _ in self.wanted})
        self.sheet = sheet
        self.table = Table(kind, sheet, [], ignored)

    def add(self, number: int, cells: Sequence[str]) -> None:
        if self.table is None:
            return
        values = self.values(number, cells)
        if values:
            self.table.rows.append((number, values))

    def values(self, number: int, cells: Sequence[str]) -> dict[str, str]:
        """The row's cells by column key, cleaned; empty for a row with nothing in it."""
        if not self.repeated and _plain(cells):
            # zip stops at the shorter: a row's cells past the header, or its missing ones
            return {key: cell for key, cell in zip(self.keys, cells, strict=False) if key and cell}
        values: dict[str, str] = {}
        width = len(cells)
        for position, key, multiline in self.wanted:
            if position >= width:
                break
            cell = cells[position]
            if not cell or key in values:
                continue
            if len(cell) > MAX_CELL_CHARS:
                raise FileProblem("cell_too_long", f"{self.sheet or ''} row {number}".strip())
            if cell.isprintable():
                # clean_text and unquote_formula of the usual cell, without two calls a cell
                text = cell.strip()
                if text.startswith("'"):
                    text = unquote_formula(text)
            else:
                text = unquote_formula(clean_text(cell, multiline))
            if text:
                values[key] = text
        return values

    def filled(self, number: int, cells: Sequence[str]) -> bool:
        """``bool(self.values(number, cells))``, raising as it does, without the dict."""
        if _plain(cells):
            return any(compress(cells, self.kept))
        return bool(self.values(number, cells))


def _plain(cells: Sequence[str]) -> bool:
    """True for the usual row, whose cells are taken as they are: short, printable (nothing for
    clean_text to remove), without a space (nothing to strip: the one printable whitespace
    character) and without ``'`` (no formula guard to drop)."""
    joined = "".join(cells)
    return (
        len(joined) <= MAX_CELL_CHARS
        and joined.isprintable()
        and " " not in joined
        and "'" not in joined
    )


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and encoding of a CSV: UTF-8 (with or without BOM), UTF-16, else GBK/GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise FileProblem("encoding")


_LONE_CR = re.compile(r"\r(?!\n)")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, without a second copy of the text (a StringIO
    holds four bytes a character); files whose lines end in a lone CR go through StringIO."""
    if _LONE_CR.search(text):
        yield from io.StringIO(text, newline="")
        return
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def read_csv(data: bytes, later: bool = False) -> tuple[Table, str]:
    """The table of a CSV file and its encoding. ``later``: keep the text, not the rows (the
    rows are checked and counted now, and read again by ``Table.each``): for big files."""
    text, encoding = decode_text(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    if delimiter == "," and first.count(";") > first.count(","):
        delimiter = ";"
    table: _TableReader | None = None
    header_at = 0
    filled = rows = 0
    try:
        lines = csv.reader(_lines(text), delimiter=delimiter)
        for count, line in enumerate(lines, start=1):
            while line and not line[-1].strip():
                line.pop()  # Excel's CSV pads rows with empty cells
            filled += bool(line)
            if filled > MAX_ROWS + 1 or count > MAX_ROWS + BLANK_ROWS:
                raise FileProblem("too_many_rows", f"> {MAX_ROWS}")
            if len(line) > MAX_COLUMNS:
                raise FileProblem("too_many_columns", f"{len(line)}")
            if table is not None:
                if not later:
                    table.add(count, line)
                elif table.filled(count, line):
                    rows += 1
            elif any(c.strip() for c in line):
                header_at, table = count, _TableReader(line, None)
                if table.table is None:
                    # A GBK file misread would show no known header either; say which it is.
                    raise FileProblem("headers", ", ".join(c for c in line[:12] if c)[:200])
    except csv.Error as exc:
        raise FileProblem("csv", str(exc)) from None
    if table is None or table.table is None:
        raise FileProblem("empty")
    if later:
        reader = table

        def again() -> Iterator[tuple[int, dict[str, str]]]:
            lines = csv.reader(_lines(text), delimiter=delimiter)
            for count, line in enumerate(lines, start=1):
                if count > header_at:
                    values = reader.values(count, line)
                    if values:
                        yield count, values

        table.table.later, table.table.later_count = again, rows
    return table.table, encoding


def _cell_text(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        # A cell formatted without a day (yyyy-mm, yyyy"年"m"月") keeps month precision.
        fmt = str(getattr(cell, "number_format", "") or "").lower()
        if "d" not in fmt and ("m" in fmt or "月" in fmt):
            return f"{value.year:04d}-{value.month:02d}"
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value).strip()


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def check_xlsx_archive(data: bytes) -> None:
    """Refuse a zip bomb before any parser sees it: members, unpacked size, ratio, and each
    sheet's declared dimension. FileProblem says which limit it passed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileProblem("xlsx_broken", type(exc).__name__) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_ENTRIES:
            raise FileProblem("unpacked_too_big", f"{len(members)} members")
        total = sum(m.file_size for m in members)
        if total > MAX_UNZIPPED:
            raise FileProblem("unpacked_too_big", f"{total // (1024 * 1024)} MB")
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise FileProblem("unpacked_too_big", f"{member.filename} {ratio:.0f}:1")
        for member in members:
            if not member.filename.startswith("xl/worksheets/"):
                continue
            try:
                with archive.open(member) as handle:
                    head = handle.read(4096)
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
                raise FileProblem("xlsx_broken", type(exc).__name__) from None
            found = _DIMENSION.search(head)
            if found is None or found.group(4) is None:
                continue
            rows = int(found.group(4))
            columns = _column_number(found.group(3))
            if rows > MAX_ROWS + BLANK_ROWS:
                raise FileProblem("too_many_rows", f"{rows}")
            if columns > MAX_DECLARED_COLUMNS:
                raise FileProblem("too_many_columns", f"{columns}")


_VALUE = operator.attrgetter("value")


def _limited_text(cell: Any, sheet: str) -> str:
    text = _cell_text(cell)
    if len(text) > MAX_CELL_CHARS:
        where = getattr(cell, "coordinate", "")
        raise FileProblem("cell_too_long", f"{sheet} {where}".strip())
    return text


def read_xlsx(data: bytes) -> list[Table]:
    """Sheets into tables, in openpyxl's streaming mode and within the limits above.

    Synchronous and CPU-bound: callers on the event loop run it in a worker thread.
    """
    import openpyxl

    check_xlsx_archive(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileProblem("xlsx_broken", type(exc).__name__) from None
    tables: list[Table] = []
    rows_seen = 0
    try:
        for sheet in book.worksheets:
            reader: _TableReader | None = None
            # The declared dimension is not trusted: rows and cells are read as they come,
            # only up to MAX_COLUMNS wide, empty rows skipped, and the count is bounded.
            sheet.reset_dimensions()  # type: ignore[union-attr]
            for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
                if number > MAX_ROWS + BLANK_ROWS:
                    raise FileProblem("too_many_rows", f"> {MAX_ROWS}")
                values = list(map(_VALUE, cells))
                if values.count(None) == len(values):
                    continue  # blank (the usual padding of a sparse sheet): skipped cheaply
                texts = [_limited_text(c, sheet.title) for c in cells]
                while texts and not texts[-1]:
                    texts.pop()
                if not texts:
                    continue
                if reader is None:
                    reader = _TableReader(texts, sheet.title)
                    continue
                rows_seen += 1
                if rows_seen > MAX_ROWS:
                    raise FileProblem("too_many_rows", f"> {MAX_ROWS}")
                reader.add(number, texts)
            if reader is not None and reader.table is not None:
                tables.append(reader.table)
    finally:
        book.close()
    if not tables:
        raise FileProblem("headers", "")
    return tables
