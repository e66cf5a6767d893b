"""Tables of figures inside PDF page text, turned into rows with their header.

pypdf gives a table as lines of text: a header line, then one line per row (or two, when a
long row label wraps), each ending with the row's figures::

    Chỉ tiêu Năm 2025 Năm 2026
    Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, xử lý trực
    tuyến 60% 75%
    Mức độ hài lòng của người dân, doanh nghiệp 85% 92%

Re-flowed as prose, the rows run into one another and "75%" loses its year. Here such a
block becomes rows rendered as spreadsheet rows are (:func:`assistant.ingest.tables.render_row`):
"Chỉ tiêu: Tỷ lệ hồ sơ …; Năm 2025: 60%; Năm 2026: 75%", each its own unit.

A table is recognised by its shape alone, no word of any language: a header line ending with at
least two whole numbers (the columns' years or ordinals, "Năm 2025 Năm 2026", "2025 2026 2030"),
not like a sentence, followed by at least :data:`MIN_ROWS` rows that each end with exactly
that many figures. Column names repeat the header's words before each figure ("Năm"); the
header's text before the first column names the row labels ("Chỉ tiêu"). A text column
among the figures, or a table without such a header, is left to the re-flow: pypdf's text
does not say where its columns are.

A table that ends its page goes on at the top of the next one: rows there with as many figures
(after its header, when the page repeats it) are more rows of the same table, numbered on from
the previous page's (:func:`find_tables` with ``carry``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.reflow import SENTENCE_END
from assistant.ingest.tables import render_row

#: A figure cell: 85%, 1.000, 186,4, 12, 30/6/2025 (a lone figure, no words).
FIGURE = re.compile(r"^[-+]?\d[\d.,]*%?$|^\d{1,2}/\d{1,2}(?:/\d{2,4})?$")
#: A figure naming a column: a whole number (a year, an ordinal), never a share or a decimal.
_NAME_FIGURE = re.compile(r"^\d{1,4}$")
#: Fewest rows a table has (below that, two figures ending two lines is more likely prose).
MIN_ROWS = 2
#: Most figure columns a table is looked for with.
MAX_COLUMNS = 8
#: Most lines one row label wraps over.
MAX_ROW_LINES = 3


@dataclass(frozen=True)
class Table:
    """One table of a page: its header cells and its rows' cells, and the lines it spans."""

    header: list[str]
    rows: list[list[str]]
    first_line: int  # index of the header line in the page's lines (of its first row, when continued)
    end_line: int  # index after its last row line
    first_row: int = 2  # the row number of its first row: the header is row 1, a continued table numbers on

    @property
    def columns(self) -> int:
        return len(self.header) - 1

    def ends(self, lines: list[str]) -> bool:
        """Whether nothing but blank lines follows the table on its page (it may go on on the next)."""
        return not any(line.strip() for line in lines[self.end_line :])

    def rendered(self) -> list[str]:
        """Each row as "Header: value; …"."""
        return [render_row(self.header, row) for row in self.rows]


def _trailing_figures(line: str) -> int:
    """How many figure cells end ``line``."""
    count = 0
    for token in reversed(line.split()):
        if not FIGURE.match(token):
            break
        count += 1
    return count


def _header(line: str, columns: int) -> list[str] | None:
    """The header's cells for ``columns`` figure columns, or None when the line is no such header.

    "Chỉ tiêu Năm 2025 Năm 2026" → ["Chỉ tiêu", "Năm 2025", "Năm 2026"]: each column name is a figure
    and the words before it, as many as stand between the last two figures ("Năm")."""
    line = line.strip()
    if not line or SENTENCE_END.search(line):
        return None
    tokens = line.split()
    figures = [i for i, token in enumerate(tokens) if FIGURE.match(token)]
    if len(figures) < columns:
        return None
    figures = figures[-columns:]
    if figures[-1] != len(tokens) - 1:
        return None  # words after the last column's figure: not a header of figure columns
    words = figures[-1] - figures[-2] - 1  # the words each column name has before its figure
    starts = [i - words for i in figures]
    if any(start != figure + 1 for figure, start in zip(figures, starts[1:])) or starts[0] < 1:
        return None  # columns named unevenly, or nothing left to name the row labels
    if not all(_NAME_FIGURE.match(tokens[i]) for i in figures):
        return None  # "85% 100%", "186,4": values of a row, not the names of columns
    label = " ".join(tokens[: starts[0]])
    return [label] + [" ".join(tokens[s : f + 1]) for s, f in zip(starts, figures)]


def _row(lines: list[str], i: int, columns: int) -> tuple[list[str] | None, int]:
    """The row starting at ``lines[i]`` (its label may wrap over :data:`MAX_ROW_LINES` lines) and the index
    after it; ``(None, i)`` when no row of ``columns`` figures starts there."""
    label: list[str] = []
    for j in range(i, min(i + MAX_ROW_LINES, len(lines))):
        line = lines[j].strip()
        if not line:
            return None, i
        count = _trailing_figures(line)
        if count == columns:
            tokens = line.split()
            text = " ".join([*label, *tokens[:-columns]])
            return ([text, *tokens[-columns:]], j + 1) if text else (None, i)
        if count or SENTENCE_END.search(line):
            return None, i  # another number of figures, or a sentence: the table has ended
        label.append(line)
    return None, i


def _rows(lines: list[str], start: int, columns: int) -> tuple[list[list[str]], int]:
    """The rows from ``lines[start]`` on, and the index after the last."""
    rows: list[list[str]] = []
    i = start
    while i < len(lines):
        row, after = _row(lines, i, columns)
        if row is None:
            break
        rows.append(row)
        i = after
    return rows, i


def find_tables(text: str, carry: Table | None = None) -> list[Table]:
    """The tables of figures in one page's text (see the module docstring), in reading order.

    ``carry``: the previous page's last table, when it ended that page; rows at the top of this
    page with its number of figures continue it (its header repeated above them is skipped)."""
    lines = text.split("\n")
    tables: list[Table] = []
    i = 0
    if carry is not None:
        continued = _continued(lines, carry)
        if continued is not None:
            tables.append(continued)
            i = continued.end_line
    while i < len(lines):
        found = None
        figures = sum(1 for token in lines[i].split() if FIGURE.match(token))
        for columns in range(min(figures, MAX_COLUMNS), 1, -1):
            header = _header(lines[i], columns)
            if header is None:
                continue
            rows, end = _rows(lines, i + 1, columns)
            if len(rows) >= MIN_ROWS:
                found = Table(header=header, rows=rows, first_line=i, end_line=end)
                break
        if found is None:
            i += 1
            continue
        tables.append(found)
        i = found.end_line
    return tables


def _continued(lines: list[str], carry: Table) -> Table | None:
    """The rows of ``carry`` at the top of a page (after its header, when repeated), or None."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    start = first + 1 if _header(lines[first], carry.columns) == carry.header else first
    rows, end = _rows(lines, start, carry.columns)
    if not rows:
        return None
    return Table(header=carry.header, rows=rows, first_line=first, end_line=end,
                 first_row=carry.first_row + len(carry.rows))  # fmt: skip
