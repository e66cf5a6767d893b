"""DOCX (python-docx): body paragraphs and tables in document order.

Heading styles (and "Title") open sections, and so do body paragraphs that are
structural markers written as text ("Chương II", "Điều 4. …", "1.2. Mục tiêu"; see
:mod:`assistant.ingest.headings`). The paragraphs of a section form one unit, and
every table row is a unit rendered header-aware like a spreadsheet row, with
``row`` its 1-based row number in the table (the header is row 1) and the section
it stands in.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import OpcError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import LxmlError

from assistant.errors import IngestError
from assistant.ingest.base import TOC_LINE, TOC_MIN_LINES, Hints, Parsed, Unit, short_cause, tidy
from assistant.ingest.grid import Grid, NoHeader, table_units
from assistant.ingest.headings import TABLE_LINE, Heading, find_headings
from assistant.ingest.tables import is_ole_file
from assistant.ingest.word_numbering import write_numbering_labels
from assistant.ingest.word_styles import StyleChains
from assistant.ingest.word_xml import insert_notes, recode_legacy_runs, unwrap_frames, unwrap_hidden_content

#: Paragraph style names that open a section, with the level in group 1 ("Title" is 0).
HEADING_STYLE = re.compile(r"^(?:heading|titre|überschrift|tiêu đề)\s*([1-9])$", re.IGNORECASE)
TITLE_STYLES = frozenset({"title"})
#: A table of contents' paragraph styles (Word's "TOC 1", LibreOffice's "Contents 1"), and an entry's page after
#: its tab leader.
TOC_STYLE = re.compile(r"^(?:toc|contents)\s*[1-9]$", re.IGNORECASE)
TAB_PAGE = re.compile(r"\s*\t[\s.…·_]*(?:\d{1,4}|[ivxlcdm]{1,7})\s*$", re.IGNORECASE)
#: What python-docx raises on a damaged package: its own error, ZIP and XML errors, and the
#: AttributeError/TypeError/IndexError of an XML element that is not the class it expects (a
#: relationship list or a style where damaged XML put a plain element), also while walking the body.
READ_ERRORS: tuple[type[BaseException], ...] = (
    OpcError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, LxmlError, OSError, EOFError,
    AttributeError, TypeError, IndexError, RecursionError,
)  # fmt: skip


def read_docx(path: Path) -> Parsed:
    """Units per section (paragraphs) and per table row; title from core properties."""
    if is_ole_file(path):
        raise IngestError(path, "password-protected or legacy Word file (save it as .docx)")
    try:
        return _read_docx(path)
    except READ_ERRORS as exc:
        raise IngestError(path, f"corrupt or unreadable DOCX: {short_cause(exc)}") from exc


def _read_docx(path: Path) -> Parsed:
    document = docx.Document(str(path))
    unwrap_hidden_content(document.element.body)  # content controls, tracked insertions, text boxes
    unwrap_frames(document.element.body)  # a template laid out in one cell
    write_numbering_labels(document.element.body, _part_root(document, RT.NUMBERING), document.styles.element)
    notes = {"footnote": _part_root(document, RT.FOOTNOTES), "endnote": _part_root(document, RT.ENDNOTES)}
    insert_notes(document.element.body, notes)  # after the numbering: a note is not a numbered paragraph
    legacy_runs = recode_legacy_runs(document.element.body, document.styles.element)
    blocks = list(document.iter_inner_content())
    core_title = (document.core_properties.title or "").strip()
    styles = ParagraphStyles()
    entries = contents_entries(blocks, styles)
    walker = _Walker(styles)
    for n, (block, plain) in enumerate(zip(blocks, _plain_headings(blocks, entries, styles))):
        if n in entries:
            walker.paragraphs += [entries[n]] if entries[n] else []
        elif isinstance(block, Paragraph):
            walker.paragraph(block, plain)
        elif isinstance(block, Table):
            walker.table(block)
    walker.flush()
    title = core_title or walker.first_heading
    warnings = [f"{encoding.warning} (runs in its fonts: {runs})" for encoding, runs in legacy_runs.items()]
    return Parsed(units=walker.units, hints=Hints(title=title or None), warnings=warnings)


def _part_root(document: DocxDocument, relationship: str) -> Any:
    """The root element of the document's part of this relationship (numbering, footnotes, endnotes), or None
    when the file has none (python-docx's own ``numbering_part`` would try to create it, which it cannot;
    it keeps notes as bytes)."""
    try:
        part = document.part.part_related_by(relationship)
    except KeyError:
        return None
    return part.element if hasattr(part, "element") else parse_xml(part.blob)


class ParagraphStyles:
    """A paragraph's style and its style's outline level, resolved once per style id of a document:
    python-docx's own lookup scans every style of the styles part for a paragraph without a style id (the
    default style), which made a 3,000-paragraph file take 5 s to read (0.6 s so)."""

    def __init__(self) -> None:
        self._found: dict[str | None, Any] = {}
        self._outline: dict[str | None, int | None] = {}
        self._chains: StyleChains | None = None

    def of(self, paragraph: Paragraph) -> Any:
        style_id = paragraph._p.style
        if style_id not in self._found:
            self._found[style_id] = paragraph.style
        return self._found[style_id]

    def outline(self, paragraph: Paragraph) -> int | None:
        """The outline level the paragraph's style gives (its own or up its "based on" chain), or None."""
        style = self.of(paragraph)
        if style is None:
            return None
        if style.style_id not in self._outline:
            if self._chains is None:
                self._chains = StyleChains(style.element.getparent())
            found = self._chains.first(style.style_id, _outline_element)
            self._outline[style.style_id] = _outline_value(found) if found is not None else None
        return self._outline[style.style_id]


def contents_entries(blocks: list[object], styles: ParagraphStyles | None = None) -> dict[int, str]:
    """The paragraphs of a table of contents, by their place among ``blocks``, each as its entry without
    leader and page number ("Chương 2. Tổ chức bộ máy\t5" → "Chương 2. Tổ chức bộ máy"): body text, never a
    heading. A contents paragraph is in a TOC style (Word's "TOC 1", LibreOffice's "Contents 1"), or one of
    :data:`~assistant.ingest.base.TOC_MIN_LINES` or more paragraphs in a row typed with a leader and a page."""
    styles = styles or ParagraphStyles()
    entries: dict[int, str] = {}
    typed: list[tuple[int, str]] = []
    for n, block in enumerate([*blocks, None]):
        if isinstance(block, Paragraph):
            style = styles.of(block)
            if TOC_STYLE.match((style.name or "").strip() if style is not None else ""):
                entries[n] = tidy(TAB_PAGE.sub("", block.text))
                continue
            if match := TOC_LINE.match(tidy(block.text)):
                typed.append((n, match.group("entry")))
                continue
        if len(typed) >= TOC_MIN_LINES:
            entries.update(typed)
        typed = []
    return entries


def heading_level(paragraph: Paragraph, styles: ParagraphStyles | None = None) -> int | None:
    """0 for the Title style, N for "Heading N", N + 1 for an outline level N (a template's own heading
    styles, "Chuong" or "Dieu", are headings to Word by their outline level: its navigation pane lists
    them), None for body text."""
    styles = styles or ParagraphStyles()
    style = styles.of(paragraph)
    name = (style.name or "").strip() if style is not None else ""
    if name.casefold() in TITLE_STYLES:
        return 0
    match = HEADING_STYLE.match(name)
    if match:
        return int(match.group(1))
    own = _outline_element(paragraph._p)
    outline = _outline_value(own) if own is not None else styles.outline(paragraph)
    return outline + 1 if outline is not None else None


def _outline_element(element: Any) -> Any:
    return element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")


def _outline_value(level: Any) -> int | None:
    """An outline level's value (0–8); 9 is body text."""
    value = level.get(qn("w:val"), "")
    return int(value) if value.isdigit() and int(value) < 9 else None


def _plain_headings(blocks: list[object], entries: dict[int, str], styles: ParagraphStyles) -> list[Heading | None]:
    """The heading each unstyled paragraph is by its text, judged in context (tables count as body text; a
    contents entry names a section, it opens none)."""
    lines: list[str | Heading] = []
    for n, block in enumerate(blocks):
        if not isinstance(block, Paragraph) or n in entries:
            lines.append(TABLE_LINE if isinstance(block, Table) else "")
            continue
        level = heading_level(block, styles)
        lines.append(Heading(level, block.text) if level is not None else tidy(block.text))
    found = find_headings(lines)
    return [None if isinstance(line, Heading) else heading for line, heading in zip(lines, found)]


class _Walker:
    """Collects units while walking the body; tracks the heading path."""

    def __init__(self, styles: ParagraphStyles) -> None:
        self.styles = styles
        self.units: list[Unit] = []
        self.stack: list[tuple[float, str]] = []
        self.paragraphs: list[str] = []
        self.rows: list[Unit] = []
        self.first_heading: str | None = None

    @property
    def section(self) -> str | None:
        path = [text for level, text in self.stack if level > 0]
        if path:
            return " > ".join(path)
        return self.stack[0][1] if self.stack else None

    def paragraph(self, paragraph: Paragraph, plain: Heading | None = None) -> None:
        """A body paragraph, a styled heading, or an unstyled ``plain`` heading found by its text."""
        text = tidy(paragraph.text)
        if not text:
            return
        level = heading_level(paragraph, self.styles)
        if level is not None:
            self.first_heading = self.first_heading or text
            self.open_section(level, text)
        elif plain is not None:
            # Not a title candidate: "Điều 1." names a part, not the document.
            self.open_section(plain.level, plain.title)
            if plain.body:
                self.paragraphs.append(text)
        else:
            self.paragraphs.append(text)

    def open_section(self, level: float, title: str) -> None:
        self.flush()
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, title))

    def table(self, table: Table) -> None:
        grid = _grid(table)
        try:
            units = table_units(grid, section=self.section) if len(grid.rows) > 1 else None
        except NoHeader:
            units = None
        if units is None:  # a layout table (a decision's heading block): its cells as one line per row
            units = [Unit(text=" | ".join(grid.distinct(r)), section=self.section, row=grid.numbers[r])
                     for r in range(len(grid.rows))]  # fmt: skip
        self.rows.extend(units)

    def flush(self) -> None:
        """Emit the current section: its paragraphs as one unit, then its table rows."""
        if self.paragraphs:
            self.units.append(Unit(text="\n\n".join(self.paragraphs), section=self.section))
        self.units.extend(self.rows)
        self.paragraphs, self.rows = [], []


def _grid(table: Table) -> Grid:
    """The table's cells by grid column (python-docx repeats a merged cell in every column and row it
    covers), and where a cell runs on from its left neighbour."""
    rows, spans = [], []
    for row in table.rows:
        cells = list(row.cells)
        rows.append([re.sub(r"\s+", " ", cell.text).strip() for cell in cells])
        spans.append([i > 0 and cell._tc is cells[i - 1]._tc for i, cell in enumerate(cells)])
    return Grid.of(rows, spans)
