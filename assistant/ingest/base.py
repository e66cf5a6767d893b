"""Types shared by the format readers and the loader."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.documents import Document
from pydantic import BaseModel, ConfigDict

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(
    {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".xlsx", ".xlsm", ".xls", ".csv"}
)

#: Formats officials often keep, with the supported format to save them as (the office suite's "Save as").
SAVE_AS: dict[str, str] = {
    ".doc": ".docx", ".dot": ".docx", ".rtf": ".docx", ".odt": ".docx",
    ".ods": ".xlsx",
}  # fmt: skip

#: The version of what the readers and the chunker make of a file. Bump it when a change alters the
#: units or chunks of files already indexed (PDF re-flow, heading detection): the next sync then
#: re-indexes every file, as it does after a manifest edit, instead of keeping the old chunks.
INGEST_VERSION = "2026-12-08.1"

#: Metadata keys every Document carries (ChunkMeta minus chunk_index and file_hash).
METADATA_KEYS: tuple[str, ...] = (
    "source", "title", "url", "language", "doc_type", "site", "date", "page", "section", "sheet", "row", "ocr",
)  # fmt: skip


class LoadedFile(BaseModel):
    """One corpus file turned into Documents, one per structural unit."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    source: str
    documents: list[Document]
    warnings: list[str]


@dataclass
class Unit:
    """One structural unit of a file: a page, a section or a table row."""

    text: str
    page: int | None = None
    section: str | None = None
    sheet: str | None = None
    row: int | None = None
    #: Read by OCR from the picture of a scanned page (:mod:`assistant.ingest.ocr`), not from a text layer.
    ocr: bool = False


@dataclass
class Hints:
    """Document-level facts a reader found in the file itself."""

    title: str | None = None
    url: str | None = None
    date: str | None = None


@dataclass
class Parsed:
    """What a format reader returns."""

    units: list[Unit]
    hints: Hints = field(default_factory=Hints)
    warnings: list[str] = field(default_factory=list)


def tidy(text: str) -> str:
    """Strip line ends, collapse runs of spaces and of blank lines (for PDF and Office text)."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


#: A line of a table of contents: its entry, a leader (". . . .", "……", "____") and the page it points to.
TOC_LINE = re.compile(
    r"^(?P<entry>.*?[^\s:.…·_])\s*(?:(?:[.·_]\s?){4,}|(?:…\s?){2,}[.…\s]*)\s*(?:\d{1,4}|[ivxlcdm]{1,7})$", re.IGNORECASE
)
#: A page holding at least this many such lines is a table of contents (one line with a leader and a number
#: may be a filled-in form: "Số hồ sơ tiếp nhận: ........ 125").
TOC_MIN_LINES = 3


def without_page_references(text: str) -> str:
    """A table of contents' lines without their leaders and page numbers ("Chương 2. Tổ chức bộ máy ....... 5"
    → "Chương 2. Tổ chức bộ máy"): the printed page is no figure of the document, and the entry stays a line
    of its own. Text with fewer than :data:`TOC_MIN_LINES` such lines is returned unchanged."""
    lines = text.split("\n")
    matches = [TOC_LINE.match(line.strip()) for line in lines]
    if sum(m is not None for m in matches) < TOC_MIN_LINES:
        return text
    return "\n".join(m.group("entry") if m else line for line, m in zip(lines, matches))


def relative_source(path: Path, corpus_dir: Path) -> str | None:
    """``path`` relative to ``corpus_dir`` with forward slashes, or None if outside it.

    Tried as given first, so a symlinked sub-folder keeps its name inside the corpus.
    """
    for inner, outer in ((path.absolute(), corpus_dir.absolute()), (path.resolve(), corpus_dir.resolve())):
        try:
            return inner.relative_to(outer).as_posix()
        except ValueError:
            continue
    return None


def short_cause(exc: BaseException, limit: int = 120) -> str:
    """The first line of an exception message, shortened, or its class name."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
