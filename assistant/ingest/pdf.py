"""PDF: one unit per page with text (pypdf ``PdfReader``).

pypdf's text has a line break at every visual line and carries the running headers,
footers and page numbers of every page; :mod:`assistant.ingest.reflow` removes those
and joins the lines of each sentence, page by page. A sentence running over a page break
is completed on the page where it starts (the next page's first lines up to the sentence's
end are repeated there), so it is retrieved and quoted whole; the next page keeps those
lines too, so what is printed on it is still found at its page. A table of figures on a page
(:mod:`assistant.ingest.pdf_tables`) becomes one unit per row, "Header: value; …", as a
spreadsheet's rows do, so a row keeps its columns' names ("Năm 2026: 75%").
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from assistant.errors import IngestError
from assistant.ingest.base import Hints, Parsed, Unit, short_cause, tidy, without_page_references
from assistant.ingest.ocr import OcrFailed
from assistant.ingest.pdf_tables import Table, find_tables
from assistant.ingest.reflow import MAX_CARRIED_LINES, reflow, sentence_head, strip_page_furniture

#: What pypdf raises on damaged files besides its own errors.
#: (NotImplementedError: a filter or an encoding pypdf does not support, as a damaged name can read.)
READ_ERRORS: tuple[type[BaseException], ...] = (
    PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
    zlib.error, struct.error, RecursionError, OSError, NotImplementedError,
)  # fmt: skip
NO_TEXT = "no text layer (scanned?)"
OCR_READ = "no text layer; read by OCR (check its figures against the scan)"
ENCRYPTED = "encrypted PDF (password required)"


def read_pdf(path: Path, ocr: Callable[[Any], str] | None = None) -> Parsed:
    """Pages with text become units (``page`` 1-based); pages without text become warnings, unless
    ``ocr`` (:func:`assistant.ingest.ocr.page_reader`) reads their picture, which is then said in one."""
    reader = _open(path)
    try:
        pages = list(reader.pages)
    except READ_ERRORS as exc:
        raise IngestError(path, f"corrupt or unreadable PDF: {short_cause(exc)}") from exc
    if not pages:
        raise IngestError(path, "corrupt or unreadable PDF: no pages")
    texts: list[str] = []  # one per page, "" for pages without text (they take no part in header detection)
    problems: dict[int, str] = {}
    contents: set[int] = set()  # pages of a table of contents
    for number, page in enumerate(pages, start=1):
        try:
            raw = tidy(page.extract_text() or "")
        except READ_ERRORS as exc:
            problems[number] = f"unreadable ({short_cause(exc)})"
            raw = ""
        if ocr is not None and number not in problems and not _has_text(raw):
            raw = _read_picture(ocr, page, number, problems)
        text = without_page_references(raw)
        if text != raw:
            contents.add(number)
        texts.append(text if _has_text(text) else "")
    units: list[Unit] = []
    carry: Table | None = None  # a table that ended the previous page, which this page may go on with
    # Running headers and footers are found across all pages before any page is re-flowed.
    cleaned = strip_page_furniture(texts)
    for number, text in enumerate(cleaned, start=1):
        if _has_text(text):
            previous = carry
            page, carry = page_units(text, number, previous)
            following = cleaned[number] if number < len(cleaned) else ""
            head = sentence_head(following, text, MAX_CARRIED_LINES) if carry is None else 0
            if head:  # the page's last sentence ends on the next page: this page holds it whole too
                lines = following.split("\n")
                page, carry = page_units(text + "\n" + "\n".join(lines[:head]), number, previous)
            read_by_ocr = problems.get(number) == OCR_READ
            units.extend(replace(u, ocr=True) if read_by_ocr else u for u in page)
            continue
        carry = None
        if number not in problems:  # no letter or digit (or only a running header): images or marks
            problems[number] = NO_TEXT
    warnings = [f"page {number}: {problems[number]}" for number in sorted(problems)]
    if not units:
        raise IngestError(path, _no_pages(warnings))
    # Without a title in the file, the first line names the document, unless it heads a table of contents.
    first = next((u for u in units if u.page not in contents), None) if units[0].page in contents else None
    title = _title(reader) or (first.text.split("\n")[0].strip() if first else None)
    return Parsed(units=units, hints=Hints(title=title), warnings=warnings)


def _read_picture(ocr: Callable[[Any], str], page: Any, number: int, problems: dict[int, str]) -> str:
    """The page's picture read by OCR ("" when it has none); a page read so, or one whose reading failed,
    is said in ``problems``."""
    try:
        text = tidy(ocr(page))
    except OcrFailed as exc:
        problems[number] = f"{NO_TEXT}; {exc}"
        return ""
    if _has_text(text):
        problems[number] = OCR_READ
    return text


def page_units(text: str, page: int, carry: Table | None = None) -> tuple[list[Unit], Table | None]:
    """One page's units: its re-flowed text, and each row of a table of figures on it as a unit of its own
    (:mod:`assistant.ingest.pdf_tables`; ``row`` counts from the table's header as row 1, as in a sheet).
    ``carry``: the previous page's table that ended it; returned: this page's table that ends it, if any."""
    lines = text.split("\n")
    units: list[Unit] = []
    done = 0
    tables = find_tables(text, carry)
    for table in tables:
        before = reflow("\n".join(lines[done : table.first_line]))
        if _has_text(before):
            units.append(Unit(text=before, page=page))
        rows = enumerate(table.rendered(), start=table.first_row)
        units.extend(Unit(text=row, page=page, row=n) for n, row in rows)
        done = table.end_line
    rest = reflow("\n".join(lines[done:]))
    if _has_text(rest):
        units.append(Unit(text=rest, page=page))
    last = tables[-1] if tables and tables[-1].ends(lines) else None
    return units, last


def _has_text(text: str) -> bool:
    return bool(re.search(r"[^\W_]", text))


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):  # PasswordType.NOT_DECRYPTED == 0
            raise IngestError(path, ENCRYPTED)
    except FileNotDecryptedError as exc:
        raise IngestError(path, ENCRYPTED) from exc
    except DependencyError as exc:
        raise IngestError(path, f"encrypted PDF needs an extra package: {short_cause(exc)}") from exc
    except READ_ERRORS as exc:
        raise IngestError(path, f"corrupt or unreadable PDF: {short_cause(exc)}") from exc
    return reader


def _title(reader: PdfReader) -> str | None:
    try:
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
    except READ_ERRORS:
        return None  # a damaged info dictionary only costs the title
    if not isinstance(title, str):
        return None
    title = re.sub(r"\s+", " ", title).strip()
    return title or None


def _no_pages(warnings: list[str]) -> str:
    """Why a PDF gave no unit: no text layer (and why OCR did not read it, when it tried), or its first
    unreadable page."""
    if all(NO_TEXT in w for w in warnings):
        failed = [w.split(f"{NO_TEXT}; ", 1)[1] for w in warnings if f"{NO_TEXT}; " in w]
        return f"{NO_TEXT}; {failed[0]}" if failed else NO_TEXT
    return f"corrupt or unreadable PDF: {warnings[0]}" if warnings else NO_TEXT
