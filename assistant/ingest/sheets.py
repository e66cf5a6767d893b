"""Spreadsheet files: XLSX and XLSM (openpyxl), legacy XLS (xlrd; every sheet, merged cells filled, values as
shown) and CSV (its dialect sniffed), read into table units by :mod:`assistant.ingest.grid`."""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import xlrd
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


#: What xlrd raises on a damaged .xls besides its own XLRDError: errors of the binary records it unpacks.
XLS_ERRORS: tuple[type[BaseException], ...] = (
    xlrd.compdoc.CompDocError, struct.error, AssertionError, KeyError, ValueError, TypeError, IndexError,
    OverflowError, UnicodeDecodeError, OSError, EOFError, RecursionError,
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
    warnings: list[str] = []
    try:
        # A hidden sheet is the workbook's machinery (the lists a drop-down offers, lookups), not what it shows.
        hidden = [ws.title for ws in workbook.worksheets if ws.sheet_state != "visible"]
        warnings += [f"sheet '{name}': hidden, skipped" for name in hidden]
        sheets = [(ws.title, _sheet_grid(ws)) for ws in workbook.worksheets if ws.sheet_state == "visible"]
    except XLSX_ERRORS as exc:
        raise IngestError(path, f"corrupt or unreadable XLSX: {short_cause(exc)}") from exc
    finally:
        workbook.close()
    return _sheet_units(path, sheets, warnings)


def _sheet_units(path: Path, sheets: list[tuple[str, Grid]], warnings: list[str]) -> Parsed:
    """The table units of a workbook's visible sheets; headerless sheets are skipped with a warning (a
    workbook with no usable sheet is an error)."""
    units: list[Unit] = []
    headerless: list[str] = []
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


def read_xls(path: Path) -> Parsed:
    """A legacy Excel 97–2003 workbook (.xls), read by xlrd as :func:`read_xlsx` reads an XLSX: every
    visible sheet, merged cells filled, values as shown."""
    with path.open("rb") as handle:
        if handle.read(4) == b"PK\x03\x04":  # a renamed download; read as .xlsx it passes the ZIP checks first
            raise IngestError(path, "an XLSX workbook named .xls (rename it .xlsx)")
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except xlrd.XLRDError as exc:
        cause = "password-protected (remove the password)" if "encrypt" in str(exc).lower() else short_cause(exc)
        raise IngestError(path, f"corrupt or unreadable XLS: {cause}") from exc
    except XLS_ERRORS as exc:
        raise IngestError(path, f"corrupt or unreadable XLS: {short_cause(exc)}") from exc
    try:
        hidden = [sheet.name for sheet in book.sheets() if sheet.visibility]
        sheets = [(sheet.name, _xls_grid(book, sheet)) for sheet in book.sheets() if not sheet.visibility]
    except XLS_ERRORS as exc:
        raise IngestError(path, f"corrupt or unreadable XLS: {short_cause(exc)}") from exc
    finally:
        book.release_resources()
    return _sheet_units(path, sheets, [f"sheet '{name}': hidden, skipped" for name in hidden])


def _xls_grid(book: Any, sheet: Any) -> Grid:
    """An xlrd sheet's cells as shown (:func:`shown`, with the cell's number format), merged ranges filled."""

    def value(row: int, column: int) -> object:
        cell = sheet.cell(row, column)
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
            return None
        xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
        number_format = book.format_map[xf.format_key].format_str if xf and xf.format_key in book.format_map else ""
        if cell.ctype == xlrd.XL_CELL_DATE:
            return shown(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), number_format)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        return shown(cell.value, number_format)

    rows = [[value(r, c) for c in range(sheet.row_len(r))] for r in range(sheet.nrows)]
    spans = [[False] * len(row) for row in rows]
    for first_row, end_row, first_column, end_column in sheet.merged_cells:
        merged = value(first_row, first_column)
        for r in range(first_row, min(end_row, len(rows))):
            for c in range(first_column, min(end_column, len(rows[r]))):
                rows[r][c] = merged
                spans[r][c] = c > first_column
    return Grid.of(rows, spans)


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
#: What a number format writes as it is, not as a field: quoted text, escaped characters, locale and colour
#: tags ("[$-42A]", "[Red]"), padding and fill ("_)", "*-").
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')
#: A date format's pieces: quoted text, an escaped character, a tag (locale, colour), padding or fill, a
#: field (years, months or minutes, days, hours, seconds, a 12-hour clock), any other character.
_DATE_TOKEN = re.compile(
    r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|\[[^\]]*\]|[_*].|(?P<field>am/pm|a/p|y+|m+|d+|h+|s+)|(?P<other>.)',
    re.IGNORECASE,
)
#: Excel's built-in short date formats draw the reader's own short date (openpyxl names them in US English);
#: a Vietnamese reader's is day first.
_LOCALE_DATES = {"mm-dd-yy": "dd/mm/yyyy", "m/d/yy h:mm": "dd/mm/yyyy hh:mm"}


def printed(cell: Any) -> object:
    """An openpyxl cell's value as the sheet shows it (:func:`shown`)."""
    return shown(cell.value, str(cell.number_format or ""))


def shown(value: object, number_format: str) -> object:
    """A cell's value as the sheet shows it where the stored value says something else: a number in a
    percent format is that many per cent (0.8 shown "80%" is 80%, not 0.8), a date in a day-first format
    reads as shown ("30/09/2025", not 2025-09-30; :func:`date_as_shown`). Spreadsheet libraries give the
    stored value and the format apart and render neither; other values go to
    :func:`~assistant.ingest.tables.cell_text`."""
    section = number_format.split(";")[0]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        match = _PERCENT_FORMAT.search(_LITERAL.sub("", section))  # quoted text and escapes are literal
        if match:
            decimals = len(match.group(1) or "")
            return f"{value * 100:.{decimals}f}%"
    if isinstance(value, (datetime, date)):
        return date_as_shown(value, section) or value
    return value


def date_as_shown(value: date, number_format: str) -> str | None:
    """``value`` drawn in a numeric date format that puts the day before the month or the year first
    ("dd/mm/yyyy", "d.m.yyyy hh:mm", "yyyy-mm-dd"), or None for any other (month names, weekdays, a
    12-hour clock, a month before its day), which then reads as ISO: a date shown "09/10/2025" by a
    month-first format would read as 9 October everywhere in the answer path. A year always has its
    four digits ("30/09/25" would be no date to the readers of dates)."""
    layout = _LOCALE_DATES.get(number_format.strip().lower(), number_format)
    pieces: list[str] = []  # the text drawn, a field's place holding its letters until filled in
    fields: list[tuple[int, str]] = []  # (place in pieces, kind: y m d h s, or i for minutes)
    for token in _DATE_TOKEN.finditer(layout):
        field = (token.group("field") or "").lower()
        if not field:
            pieces.append(token.group("quoted") or token.group("escaped") or token.group("other") or "")
            continue
        kind = field[0]
        if kind == "a" or (kind in "md" and len(field) > 2):
            return None  # a 12-hour clock, a month's or a day's name
        if kind == "m" and fields and fields[-1][1] == "h":
            kind = "i"  # minutes, after the hours
        if kind == "s" and fields and fields[-1][1] == "m":
            fields[-1] = (fields[-1][0], "i")  # minutes, before the seconds
        fields.append((len(pieces), kind))
        pieces.append(field)
    kinds = [kind for _, kind in fields]
    if "d" not in kinds or "m" not in kinds or (kinds.index("m") < kinds.index("d") and kinds[0] != "y"):
        return None
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    numbers = {"y": moment.year, "m": moment.month, "d": moment.day, "h": moment.hour, "i": moment.minute,
               "s": moment.second}  # fmt: skip
    for place, kind in fields:
        pieces[place] = f"{numbers[kind]:0{4 if kind == 'y' else len(pieces[place])}d}"
    return "".join(pieces).strip()


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
