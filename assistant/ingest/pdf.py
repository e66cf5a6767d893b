"""PDF: one unit per page with text (pypdf ``PdfReader``)."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from assistant.errors import IngestError
from assistant.ingest.base import Hints, Parsed, Unit, short_cause, tidy

#: What pypdf raises on damaged files besides its own errors.
READ_ERRORS: tuple[type[BaseException], ...] = (
    PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
    zlib.error, struct.error, RecursionError, OSError,
)  # fmt: skip
NO_TEXT = "no text layer (scanned?)"
ENCRYPTED = "encrypted PDF (password required)"


def read_pdf(path: Path) -> Parsed:
    """Pages with text become units (``page`` 1-based); pages without text become warnings."""
    reader = _open(path)
    units: list[Unit] = []
    warnings: list[str] = []
    try:
        pages = list(reader.pages)
    except READ_ERRORS as exc:
        raise IngestError(path, f"corrupt or unreadable PDF: {short_cause(exc)}") from exc
    if not pages:
        raise IngestError(path, "corrupt or unreadable PDF: no pages")
    for number, page in enumerate(pages, start=1):
        try:
            text = tidy(page.extract_text() or "")
        except READ_ERRORS as exc:
            warnings.append(f"page {number}: unreadable ({short_cause(exc)})")
            continue
        if not re.search(r"[^\W_]", text):  # no letter or digit: nothing but images or marks
            warnings.append(f"page {number}: {NO_TEXT}")
            continue
        units.append(Unit(text=text, page=number))
    if not units:
        raise IngestError(path, NO_TEXT if all(NO_TEXT in w for w in warnings) else _no_pages(warnings))
    return Parsed(units=units, hints=Hints(title=_title(reader)), warnings=warnings)


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
    return f"corrupt or unreadable PDF: {warnings[0]}" if warnings else NO_TEXT
