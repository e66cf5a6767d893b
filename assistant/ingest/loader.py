"""``load_file``: common checks, dispatch by extension, metadata, Documents."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from assistant.errors import IngestError
from assistant.ingest.archive import check_archive
from assistant.ingest.base import SAVE_AS, SUPPORTED_EXTENSIONS, LoadedFile, Parsed, Unit, relative_source
from assistant.ingest.encoding import decode_bytes, normalize_text
from assistant.ingest.legacy_encodings import syllable_share, text_encoding
from assistant.ingest.markup import read_html
from assistant.ingest.metadata import load_manifest, resolve_metadata
from assistant.ingest.ocr import page_reader
from assistant.ingest.pdf import read_pdf
from assistant.ingest.sheets import read_csv, read_xls, read_xlsx
from assistant.ingest.text import read_markdown, read_plain
from assistant.ingest.word import read_docx
from assistant.settings import CorpusSettings

MB = 1024 * 1024

#: Readers of decoded text: ``(text, site) -> Parsed``.
TEXT_READERS: dict[str, Callable[[str, str | None], Parsed]] = {
    ".txt": read_plain,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
}
#: Readers that open the file themselves: ``(path) -> Parsed``.
FILE_READERS: dict[str, Callable[[Path], Parsed]] = {
    ".docx": read_docx,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,  # a workbook with macros: openpyxl reads its cells (the macros are never run)
    ".xls": read_xls,
}
#: ZIP-based formats, checked by :func:`check_archive` (zip bombs, damaged parts) before their reader opens them.
ARCHIVES: dict[str, str] = {".docx": "DOCX", ".xlsx": "XLSX", ".xlsm": "XLSX"}


def load_file(
    path: Path, corpus_dir: Path, settings: CorpusSettings, manifest: dict[str, dict] | None = None
) -> LoadedFile:
    """Turn one corpus file into Documents (one per page, section or table row).

    ``manifest`` is the result of :func:`load_manifest`; when omitted it is read from
    ``corpus_dir``. Raises ``IngestError(path, reason)`` with a one-line reason.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    _check_file(path, suffix, settings)
    source = relative_source(path, Path(corpus_dir))
    if source is None:
        raise IngestError(path, f"not inside the corpus folder {corpus_dir}")
    if manifest is None:
        manifest = load_manifest(Path(corpus_dir), settings)
    entry = manifest.get(source, {})

    parsed = _recode_legacy(_read(path, suffix, entry.get("site"), settings), settings)
    units = [_normalise(u) for u in parsed.units]
    units = [u for u in units if u.text]
    chars = sum(len(u.text) for u in units)
    if chars == 0:
        raise IngestError(path, "no text")
    if chars < settings.min_chars:
        raise IngestError(path, f"no text (only {chars} characters after cleaning)")

    prose = [u.text for u in units if u.row is None]  # table rows make poor titles and dates
    meta = resolve_metadata(source, entry, parsed.hints, prose, [u.text for u in units])
    documents = [Document(page_content=u.text, metadata=_unit_metadata(meta, u)) for u in units]
    return LoadedFile(source=source, documents=documents, warnings=parsed.warnings)



def _check_file(path: Path, suffix: str, settings: CorpusSettings) -> None:
    if suffix not in SUPPORTED_EXTENSIONS:
        shown = f"'{suffix}'" if suffix else "(no extension)"
        hint = f"; save it as {SAVE_AS[suffix]}" if suffix in SAVE_AS else ""
        raise IngestError(
            path, f"unsupported file type {shown}{hint} (supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))})"
        )
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise IngestError(path, "file not found") from exc
    except OSError as exc:
        raise IngestError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if not path.is_file():
        raise IngestError(path, "not a regular file")
    if stat.st_size > settings.max_file_mb * MB:
        raise IngestError(path, f"file is {stat.st_size / MB:.1f} MB, over the {settings.max_file_mb:g} MB limit")
    if stat.st_size == 0:
        raise IngestError(path, "empty file")


def _read(path: Path, suffix: str, site: str | None, settings: CorpusSettings) -> Parsed:
    if suffix in ARCHIVES:
        check_archive(path, settings.max_unzipped_mb, ARCHIVES[suffix])
    if suffix == ".pdf":
        return read_pdf(path, ocr=page_reader(settings.ocr))
    if suffix in FILE_READERS:
        return FILE_READERS[suffix](path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, f"cannot read file: {exc.strerror or exc}") from exc
    text, encoding = decode_bytes(data, path, html=suffix in (".html", ".htm"))
    if not encoding.startswith("utf"):
        # A legacy encoding's code points are bytes read as Latin-1; a detector picks any single-byte code
        # page. cp1258 also writes a letter and then its tone, so its Latin-1 reading may pass for VNI: the
        # reading whose words are more often Vietnamese syllables wins.
        latin = normalize_text(data.decode("latin-1"))
        latin_legacy = text_encoding(latin, settings.legacy)
        if latin_legacy and syllable_share(latin_legacy.read(latin, False)) > syllable_share(text):
            text = latin
    legacy = text_encoding(text, settings.legacy)  # before the reader, which reads headings in the text
    text = legacy.read(text, False) if legacy else text
    parsed = read_csv(text, path) if suffix == ".csv" else TEXT_READERS[suffix](text, site)
    parsed.warnings.extend([legacy.warning] if legacy else [])
    return parsed


def _recode_legacy(parsed: Parsed, settings: CorpusSettings) -> Parsed:
    """A PDF or XLSX stored in a legacy encoding (TCVN3, VNI), in Unicode, said in a warning (a text file is
    recoded before its reader, a DOCX run by its font; a DOCX in legacy fonts of other names is recoded
    here, after its headings were read: "§iÒu 1." is no "Điều 1." to the heading rules)."""
    text = "\n".join([*(u.text for u in parsed.units), *(u.section or "" for u in parsed.units)])
    legacy = text_encoding(text, settings.legacy)
    if legacy is None:
        return parsed

    def read(text: str | None) -> str | None:
        return legacy.read(text, False) if text else text

    units = [replace(u, text=legacy.read(u.text, False), section=read(u.section), sheet=read(u.sheet))
             for u in parsed.units]  # fmt: skip
    hints = replace(parsed.hints, title=read(parsed.hints.title))
    return Parsed(units=units, hints=hints, warnings=[*parsed.warnings, legacy.warning])


def _normalise(unit: Unit) -> Unit:
    text = unicodedata.normalize("NFC", unit.text).strip()
    section = unicodedata.normalize("NFC", unit.section) if unit.section else None
    return replace(unit, text=text, section=section)


def _unit_metadata(meta: dict[str, Any], unit: Unit) -> dict[str, Any]:
    return {**meta, "page": unit.page, "section": unit.section, "sheet": unit.sheet, "row": unit.row, "ocr": unit.ocr}
