"""Table cells and the header-aware row rendering shared by spreadsheets, DOCX and PDF tables.

Every data row becomes one unit whose text is ``"Header: value; Header: value"`` (empty cells
skipped); :func:`split_row` reads it back. The layout (title rows, header, groups) is read by
:mod:`assistant.ingest.grid`, the files by :mod:`assistant.ingest.sheets` and
:mod:`assistant.ingest.word`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

from openpyxl.utils import get_column_letter

Cell = object
_NUMBER = re.compile(r"^[-+]?[\d\s.,%]*\d[\d\s.,%]*$")
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
    return unique_names([name or f"Column {get_column_letter(index + 1)}" for index, name in enumerate(cells)])


def unique_names(names: Sequence[str]) -> list[str]:
    """Column names made distinct, case aside: a repeated name gets " (2)", " (3)" …"""
    out: list[str] = []
    for name in names:
        base, n = name, 2
        while name.casefold() in (existing.casefold() for existing in out):
            name, n = f"{base} ({n})", n + 1
        out.append(name)
    return out


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


def is_ole_file(path: Path) -> bool:
    """An OLE2 container: a legacy .xls/.doc, or an Office file encrypted with a password."""
    with path.open("rb") as handle:
        return handle.read(8) == OLE_MAGIC
