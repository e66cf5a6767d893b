"""Spreadsheet files: XLSX (every sheet, merged cells filled) and CSV (its dialect sniffed), read into
table units by :mod:`assistant.ingest.grid`."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections import Counter
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from lxml.etree import LxmlError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from assistant.errors import IngestError
from assistant.ingest.base import Parsed, Unit, short_cause
from assistant.ingest.grid import Grid, NoHeader, table_units
from assistant.ingest.tables import is_ole_file

#: What openpyxl raises on a damaged workbook: its own error, ZIP and XML errors (lxml or the
#: standard library's, depending on the part), and the errors of values that are not what it expects.
XLSX_ERRORS: tuple[type[BaseException], ...] = (
    InvalidFileException, zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, AttributeError, IndexError,
    OSError, EOFError, LxmlError, ParseError, RecursionError,
)  # fmt: skip


def read_xlsx(path: Path) -> Parsed:
    """Every visible sheet, its merged cells filled (:mod:`assistant.ingest.grid`); hidden and headerless sheets
    are skipped with a warning (a file with no usable sheet is an error)."""
    if is_ole_file(path):
        raise IngestError(path, "password-protected or legacy Excel file (save it as .xlsx)")
    try:
        # Not read-only: a read-only sheet does not report its merged cells.
        workbook = load_workbook(path, data_only=True)
    except XLSX_ERRORS as exc:
        raise IngestError(path, f"corrupt or unreadable XLSX: {short_cause(exc)}") from exc
    units: list[Unit] = []
    warnings: list[str] = []
    headerless: list[str] = []
    try:
        # A hidden sheet is the workbook's machinery (the lists a drop-down offers, lookups), not what it shows.
        hidden = [ws.title for ws in workbook.worksheets if ws.sheet_state != "visible"]
        warnings += [f"sheet '{name}': hidden, skipped" for name in hidden]
        sheets = [(ws.title, _sheet_grid(ws)) for ws in workbook.worksheets if ws.sheet_state == "visible"]
    except XLSX_ERRORS as exc:
        raise IngestError(path, f"corrupt or unreadable XLSX: {short_cause(exc)}") from exc
    finally:
        workbook.close()
    usable = 0
    for name, grid in sheets:
        try:
            sheet_units = table_units(grid, name)
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


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect: csv.Sniffer's, or, when it cannot tell (it gives up when a delimiter's count varies
    between lines, as when cells hold commas: "Cán bộ, công chức" in a file separated by semicolons), the
    delimiter that splits most lines into one same number of two or more columns."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        pass
    lines = sample.splitlines()[:-1] or sample.splitlines()  # the sample's last line may be cut
    best, chosen = (0, 0), ","
    for delimiter in ",;\t|":
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter) if row)
        width, count = widths.most_common(1)[0] if widths else (0, 0)
        if width >= 2 and (count, width) > best:
            best, chosen = (count, width), delimiter
    dialect = csv.excel()
    dialect.delimiter = chosen
    return dialect


def _sheet_grid(ws: Any) -> Grid:
    """The sheet's cells (:func:`printed`), every merged range filled with its first cell's value, and where a
    merge runs on from the left."""
    rows = [[printed(cell) for cell in row] for row in ws.iter_rows()]
    spans = [[False] * len(row) for row in rows]
    for merged in ws.merged_cells.ranges:
        value = printed(ws.cell(merged.min_row, merged.min_col))
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                rows[r][c] = value
                spans[r][c] = c > merged.min_col - 1
    return Grid.of(rows, spans)


#: A number format's decimals before its percent sign: "0%" has none, "0.0%" one, "#,##0.00%" two.
_PERCENT_FORMAT = re.compile(r"(?:\.(0+))?%")


def printed(cell: Any) -> object:
    """A cell's value as the sheet shows it where the stored value says something else: a number in a
    percent format is that many per cent (0.8 shown "80%" is 80%, not 0.8). openpyxl gives the stored
    value and the format apart and renders neither; other values go to :func:`~assistant.ingest.tables.cell_text`."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        section = str(cell.number_format or "").split(";")[0]
        match = _PERCENT_FORMAT.search(re.sub(r'"[^"]*"|\\.', "", section))  # quoted text and escapes are literal
        if match:
            decimals = len(match.group(1) or "")
            return f"{value * 100:.{decimals}f}%"
    return value


def read_csv(text: str, path: Path) -> Parsed:
    """Rows of a decoded CSV text; the dialect is sniffed (``, ; TAB |``)."""
    try:
        rows = list(csv.reader(io.StringIO(text), _dialect(text[:8192])))
    except csv.Error as exc:
        raise IngestError(path, f"malformed CSV: {short_cause(exc)}") from exc
    try:
        return Parsed(units=table_units(Grid.of(rows), None))
    except NoHeader as exc:
        raise IngestError(path, "no header row in the CSV file") from exc
