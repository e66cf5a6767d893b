"""Counting the rows of a list: "Danh sách có bao nhiêu điểm du lịch?", "how many sites does the list have?".

A list states its items, not how many there are; its rows are numbered instead (a "STT" column
holding 1, 2, … n). The :mod:`~assistant.answer.outline` step counts them when the question's count
cue is followed by the words of one of the table's *item* columns: a column whose values all differ
from row to row ("Tên điểm du lịch", "Công việc", a code column), not one that repeats (a lead
agency, a level), since "how many lead agencies" is not the number of rows.

A table is the row chunks of one document sharing a sheet and section (each row a chunk: ingestion
makes table rows units, ``Header: value; Header: value``); rows under group rows ("I. Lĩnh vực lữ hành",
whose name ingestion adds to their section) are one table. The count is trusted only when the numbered
column runs 1 to n with none missing (:func:`~assistant.answer.outline.complete`): a list whose groups
each number their own rows gets no count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.ingest.tables import split_row
from assistant.retrieval.text_norm import fold
from assistant.types import Chunk


def numbered_rows(chunks: Iterable[Chunk], asked: str) -> list[tuple[int, Chunk]]:
    """The rows of the first table of ``chunks`` whose item column the folded ``asked`` words name, with
    their numbers (empty when none does)."""
    rows_in_order = [c for c in sorted(chunks, key=lambda c: c.meta.chunk_index) if c.meta.row is not None]
    groups = {(c.meta.sheet, c.text) for c in rows_in_order if not split_row(c.text)}  # title and group rows
    tables: dict[tuple[str | None, str | None], list[Chunk]] = {}
    for chunk in rows_in_order:
        if split_row(chunk.text):
            tables.setdefault((chunk.meta.sheet, _table_section(chunk, groups)), []).append(chunk)
    for rows in tables.values():
        cells = [dict(split_row(chunk.text)) for chunk in rows]
        numbers = _number_column(cells)
        if numbers is None:
            continue
        column, values = numbers
        if any(_names_items(asked, header) for header in _item_headers(cells, column)):
            return list(zip(values, rows))
    return []


def _table_section(chunk: Chunk, groups: set[tuple[str | None, str]]) -> str | None:
    """The row's section without the group ingestion added to it (the section of its whole table)."""
    section = chunk.meta.section
    if section is None:
        return None
    head, _, last = section.rpartition(" > ")
    return (head or None) if (chunk.meta.sheet, last) in groups else section


def _number_column(cells: list[dict[str, str]]) -> tuple[str, list[int]] | None:
    """The first column whose every value is a whole number, with those numbers (the rows' own numbering)."""
    if not cells:
        return None
    for header in cells[0]:
        values = [row.get(header, "").strip() for row in cells]
        if all(v.isdigit() for v in values):
            return header, [int(v) for v in values]
    return None


def _item_headers(cells: list[dict[str, str]], number_column: str) -> list[str]:
    """The columns whose values differ in every row (besides the numbering): what the rows list."""
    out = []
    for header in cells[0]:
        values = [fold(row.get(header, "")).strip() for row in cells]
        if header != number_column and all(values) and len(set(values)) == len(values):
            out.append(header)
    return out


def _names_items(asked: str, header: str) -> bool:
    """The asked words (folded, up to three) begin with two words of the header in a row, or the header's
    one word: "diem du" names "Tên điểm du lịch", "cong viec" names "Công việc"."""
    words = asked.split()
    head = fold(header).split()
    wanted = words[:2] if len(head) > 1 else words[:1]
    if len(wanted) < min(2, len(head)):
        return False
    return re.search(rf"(?<!\w){re.escape(' '.join(wanted))}(?!\w)", " ".join(head)) is not None
