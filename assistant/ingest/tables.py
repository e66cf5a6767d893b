"""Spreadsheets (XLSX, CSV) and the header-aware row rendering shared with DOCX tables.

Every data row becomes one unit whose text is ``"Header: value; Header: value"``
(empty cells skipped) and whose ``row`` is the 1-based row number in the sheet.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from xml.etree.ElementTree import ParseError

from lxml.etree import LxmlError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from assistant.errors import IngestError
from assistant.ingest.base import Parsed, Unit, short_cause

Cell = object
_NUMBER = re.compile(r"^[-+]?[\d\s.,%]*\d[\d\s.,%]*$")
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")
#: Rows examined to find how many columns a sheet really uses.
WIDTH_SAMPLE = 50
#: Single-cell rows above the header (a sheet title) skipped while looking for it.
MAX_TITLE_ROWS = 3
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: What openpyxl raises on a damaged workbook: its own error, ZIP and XML errors (lxml or the
#: standard library's, depending on the part), and the errors of values that are not what it expects.
XLSX_ERRORS: tuple[type[BaseException], ...] = (
    InvalidFileException, zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, AttributeError, IndexError,
    OSError, EOFError, LxmlError, ParseError, RecursionError,
)  # fmt: skip


class NoHeader(Exception):
    """Internal: a sheet has data but no usable header row."""


def cell_text(value: Cell) -> str:
    """A cell as text: integral floats without ".0", dates as ISO, whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


def looks_like_value(value: Cell) -> bool:
    """Numbers and dates are data, not column names."""
    if isinstance(value, (int, float, date, time)):
        return True
    text = cell_text(value)
    return bool(_NUMBER.match(text) or _DATE.match(text))


def header_from(row: Sequence[Cell], width: int) -> list[str]:
    """Column names from ``row``, or raise :class:`NoHeader`.

    A row is no header when most of its non-empty cells are numbers/dates, or when
    empty and duplicate cells cover most of the ``width`` columns. Minor gaps are
    filled with "Column C"; minor duplicates get " (2)".
    """
    cells = [cell_text(c) for c in list(row)[:width]] + [""] * max(0, width - len(row))
    filled = [c for c in cells if c]
    values = sum(looks_like_value(c) for c in list(row)[:width] if cell_text(c))
    if not filled or values * 2 > len(filled):
        raise NoHeader
    duplicates = len(filled) - len({c.casefold() for c in filled})
    if (width - len(filled)) + duplicates > width / 2:
        raise NoHeader
    names: list[str] = []
    for index, name in enumerate(cells):
        name = name or f"Column {get_column_letter(index + 1)}"
        base, n = name, 2
        while name.casefold() in (existing.casefold() for existing in names):
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return names


def render_row(header: Sequence[str], row: Sequence[Cell]) -> str:
    """``"Header: value; …"`` for the non-empty cells; extra cells get "Column X"."""
    parts = []
    for index, value in enumerate(row):
        text = cell_text(value)
        if text:
            name = header[index] if index < len(header) else f"Column {get_column_letter(index + 1)}"
            parts.append(f"{name}: {text}")
    return "; ".join(parts)


def split_row(text: str) -> list[tuple[str, str]]:
    """The ``(header, value)`` pairs of a row rendered by :func:`render_row`. A part without ": " goes on the
    value before it: a cell listing several values ("Cơ quan phối hợp: Sở Du lịch; Sở Giao thông")."""
    pairs: list[tuple[str, str]] = []
    for part in text.split("; "):
        name, sep, value = part.partition(": ")
        if sep:
            pairs.append((name, value))
        elif pairs:
            pairs[-1] = (pairs[-1][0], f"{pairs[-1][1]}; {part}")
    return pairs


def table_units(rows: Sequence[Sequence[Cell]], sheet: str | None) -> list[Unit]:
    """Units for the data rows of one sheet; ``[]`` when empty; NoHeader when headerless."""
    numbered = [(i, r) for i, r in enumerate(rows, start=1) if any(cell_text(c) for c in r)]
    if not numbered:
        return []
    width = max(_last_filled(r) for _, r in numbered[:WIDTH_SAMPLE])
    start = 0
    while (
        start < min(MAX_TITLE_ROWS, len(numbered) - 1)
        and width >= 3
        and sum(bool(cell_text(c)) for c in numbered[start][1]) == 1
    ):
        start += 1  # a one-cell title row above the header
    header = header_from(numbered[start][1], width)
    units = []
    for number, row in numbered[start + 1 :]:
        text = render_row(header, row)
        if text:
            units.append(Unit(text=text, sheet=sheet, row=number))
    return units


def read_xlsx(path: Path) -> Parsed:
    """Every sheet; headerless sheets are skipped with a warning unless none is usable."""
    if is_ole_file(path):
        raise IngestError(path, "password-protected or legacy Excel file (save it as .xlsx)")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except XLSX_ERRORS as exc:
        raise IngestError(path, f"corrupt or unreadable XLSX: {short_cause(exc)}") from exc
    units: list[Unit] = []
    warnings: list[str] = []
    headerless: list[str] = []
    try:
        sheets = [(ws.title, list(ws.iter_rows(values_only=True))) for ws in workbook.worksheets]
    except XLSX_ERRORS as exc:
        raise IngestError(path, f"corrupt or unreadable XLSX: {short_cause(exc)}") from exc
    finally:
        workbook.close()
    usable = 0
    for name, rows in sheets:
        try:
            sheet_units = table_units(rows, name)
        except NoHeader:
            headerless.append(name)
            warnings.append(f"sheet '{name}': no header row, skipped")
            continue
        usable += bool(sheet_units)
        units.extend(sheet_units)
    if headerless and not usable:
        names = ", ".join(f"'{n}'" for n in headerless)
        raise IngestError(path, f"no header row in sheet{'s' if len(headerless) > 1 else ''} {names}")
    return Parsed(units=units, warnings=warnings)


def read_csv(text: str, path: Path) -> Parsed:
    """Rows of a decoded CSV text; the dialect is sniffed (``, ; TAB |``)."""
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise IngestError(path, f"malformed CSV: {short_cause(exc)}") from exc
    try:
        return Parsed(units=table_units(rows, None))
    except NoHeader as exc:
        raise IngestError(path, "no header row in the CSV file") from exc


def is_ole_file(path: Path) -> bool:
    """An OLE2 container: a legacy .xls/.doc, or an Office file encrypted with a password."""
    with path.open("rb") as handle:
        return handle.read(8) == OLE_MAGIC


def _last_filled(row: Sequence[Cell]) -> int:
    return max((i + 1 for i, c in enumerate(row) if cell_text(c)), default=0)
