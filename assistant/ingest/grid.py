"""A table's layout read from its grid: title rows, a header of one or two rows, a row numbering the
columns, group rows, and the data rows (XLSX sheets, CSV files and DOCX tables alike).

Official lists are laid out for print, not for machines. A sheet opens with its title merged across
the columns ("DANH MỤC ĐIỂM DU LỊCH CỘNG ĐỒNG NĂM 2027"), a header cell spans two columns whose names are
in the row below ("Cơ quan thực hiện" over "Cấp tỉnh" | "Cấp xã"), a row under the header numbers
the columns ("(1)", "(2)", …), rows are grouped under a row that names the group ("I. Lĩnh vực lữ
hành"), and one value is merged down over the rows it applies to (one lead agency for three tasks).
The readers give a :class:`Grid` with every merged region filled with its first cell's value, so a
data row keeps the values merged over it and can be cited alone; :func:`table_units` reads the layout
from the grid's shape (merges, numerals, repeated texts), never from the words of one list. Title rows
become the section of the rows (with the group they stand in); group rows are also units of their own.

Why not a library: pandas' ``read_excel(header=[0, 1])`` needs the header's depth and place given, and
drops what is merged; no well-kept reader infers a printed list's layout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.ingest.base import Unit
from assistant.ingest.tables import NoHeader, cell_text, header_from, looks_like_value, render_row, unique_names

#: Rows examined to find how many columns a table really uses.
WIDTH_SAMPLE = 50
#: Rows above the header that hold one text only (a title, a "Kèm theo …" line) skipped while looking for it.
MAX_TITLE_ROWS = 3
# A cell numbering a column ("(1)", "1", "(12)"), and a group's label in the first column ("I", "II.", "A", "B.").
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,2})\s*\)?$")
_GROUP_LABEL = re.compile(r"^(?:[IVXLC]{1,6}|[A-Z])\.?$")


@dataclass(frozen=True)
class Grid:
    """A table's cell texts, row by row (every row at least ``width`` cells, the columns the table uses), with
    each merged region filled with its first cell's text; ``spans[r][c]`` is True where the cell continues
    a merge from its left neighbour; ``numbers`` are the rows' own numbers in the sheet or table (1-based)."""

    rows: list[list[str]]
    numbers: list[int]
    spans: list[list[bool]]
    width: int = 0

    @staticmethod
    def of(rows: Sequence[Sequence[object]], spans: Sequence[Sequence[bool]] | None = None,
           numbers: Sequence[int] | None = None) -> Grid:  # fmt: skip
        """A grid of ``rows`` (any cell values, read by :func:`cell_text`), its empty rows left out."""
        numbers = list(numbers) if numbers is not None else list(range(1, len(rows) + 1))
        texts, kept, flags = [], [], []
        for n, row in enumerate(rows):
            cells = [cell_text(c) for c in row]
            if any(cells):
                texts.append(cells)
                kept.append(numbers[n])
                flags.append(list(spans[n]) if spans is not None else [False] * len(cells))
        # How many columns the table uses, from its first rows; a later row's cells past them are kept.
        width = max((_last_filled(cells) for cells in texts[:WIDTH_SAMPLE]), default=0)
        texts = [cells + [""] * (width - len(cells)) for cells in texts]
        flags = [f + [False] * (len(cells) - len(f)) for f, cells in zip(flags, texts)]
        return Grid(texts, kept, flags, width)

    def distinct(self, r: int) -> list[str]:
        """The texts of row ``r``, a merged cell counted once."""
        return [text for c, text in enumerate(self.rows[r]) if text and not self.spans[r][c]]


def table_units(grid: Grid, sheet: str | None = None, section: str | None = None) -> list[Unit]:
    """One unit per data row (``"Header: value; …"``) and per group row (its text; a group is also the section
    of the rows under it, after the table's title rows); ``[]`` for an empty table; :class:`NoHeader` when no
    row reads as a header."""
    if not grid.rows:
        return []
    start = 0
    titles: list[str] = []
    while start < min(MAX_TITLE_ROWS, len(grid.rows) - 1) and grid.width >= 3 and len(set(grid.distinct(start))) == 1:
        # A title row: one text, alone or merged across the columns. It is the section of the rows below, not
        # a unit: a short line naming what every row is about would be found for any question on the list.
        titles.append(grid.distinct(start)[0])
        start += 1
    section = " > ".join(part for part in (section, *titles) if part) or None
    header, start = _header(grid, start)
    if start < len(grid.rows) and _numbers_columns(grid.rows[start]):
        start += 1
    units: list[Unit] = []
    group = None
    notes = _notes(grid, start, header)
    for r in range(start, len(grid.rows)):
        if r >= notes:  # a note under the table ("Ghi chú: …", a source line): its text, under no column's name
            units.append(Unit(text=grid.distinct(r)[0], sheet=sheet, row=grid.numbers[r], section=section))
            continue
        label = _group(grid, r)
        if label is not None:
            group = label
            units.append(Unit(text=label, sheet=sheet, row=grid.numbers[r], section=section))
            continue
        text = render_row(header, grid.rows[r])
        if text:
            path = " > ".join(part for part in (section, group) if part) or None
            units.append(Unit(text=text, sheet=sheet, row=grid.numbers[r], section=path))
    return units


def _header(grid: Grid, r: int) -> tuple[list[str], int]:
    """The column names from row ``r`` (with the row below when it names the parts of a merged header cell),
    and the index of the first row after the header."""
    top = [text if not grid.spans[r][c] else "" for c, text in enumerate(grid.rows[r])]
    names = header_from(top, grid.width)
    for c in range(1, grid.width):  # a merged header cell names every column under it
        if grid.spans[r][c]:
            names[c] = names[c - 1]
    below = r + 1
    if below >= len(grid.rows) - 1 or not any(grid.spans[r]):
        return unique_names(names), below
    under = grid.rows[below]
    spanned = {c for c in range(grid.width) if grid.spans[r][c] or (c + 1 < grid.width and grid.spans[r][c + 1])}
    parts = [c for c, text in enumerate(under) if text and text != grid.rows[r][c]]
    if not parts or any(c not in spanned or looks_like_value(under[c]) for c in parts):
        return unique_names(names), below
    for c in parts:
        names[c] = f"{names[c]} – {under[c]}"
    return unique_names(names), below + 1


def _numbers_columns(cells: Sequence[str]) -> bool:
    """A row numbering the columns: "(1)", "(2)", "(3)" … or 1, 2, 3 … in order, at least three."""
    filled = [text for text in cells if text]
    found = [_COLUMN_NUMBER.match(text) for text in filled]
    numbers = [int(m.group(1)) for m in found if m]
    return len(filled) >= 3 and len(numbers) == len(filled) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _group(grid: Grid, r: int) -> str | None:
    """The name of a group when row ``r`` opens one: one text merged across columns, or a Roman numeral or a
    capital letter in the first column and one text beside it ("I" | "Lĩnh vực lữ hành")."""
    texts = grid.distinct(r)
    cells = grid.rows[r]
    if grid.width >= 3 and len(texts) == 1 and any(grid.spans[r]):
        return texts[0]
    if grid.width >= 3 and len(texts) == 2 and cells[0] == texts[0] and _GROUP_LABEL.match(texts[0]):
        return f"{texts[0].rstrip('.')}. {texts[1]}"
    return None


def _notes(grid: Grid, start: int, header: Sequence[str]) -> int:
    """The first of the rows that close the table as notes: one text each, longer than the header's names
    together and than any value of its column above them, or words under a column of numbers (a sentence
    under the list, not a row whose other cells are empty)."""
    end = len(grid.rows)
    width = len(" ".join(name for name in header if name))
    while end - 1 > start and len(texts := grid.distinct(end - 1)) == 1:
        column = next(c for c, text in enumerate(grid.rows[end - 1]) if text)
        above = [grid.rows[r][column] for r in range(start, end - 1)]
        numbered = all(value.isdigit() for value in above) and not texts[0].isdigit()
        if not numbered and len(texts[0]) <= max(width, *map(len, above)):
            break
        end -= 1
    return end


def _last_filled(cells: Sequence[str]) -> int:
    return max((i + 1 for i, c in enumerate(cells) if c), default=0)


__all__ = ["Grid", "NoHeader", "table_units"]
