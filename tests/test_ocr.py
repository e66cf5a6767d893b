"""Scanned PDF pages read by OCR (assistant.ingest.ocr, Tesseract with its Vietnamese model)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import fixtures_docs as fx
import pytest
from pypdf.errors import DependencyError

from assistant.errors import IngestError
from assistant.ingest import load_file, load_manifest
from assistant.ingest.ocr import OcrFailed, page_reader
from assistant.ingest.pdf import NO_TEXT, OCR_READ
from assistant.settings import CorpusSettings, OcrSettings
from assistant.types import ChunkMeta

# scripts/setup.sh installs Tesseract where it can (as root, as CI runs): there a missing one fails.
pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None and os.geteuid() != 0, reason="Tesseract not installed (scripts/setup.sh as root)"
)


def _load(path: Path, ocr: OcrSettings | None = None):
    settings = CorpusSettings(dir=path.parent, ocr=ocr or OcrSettings())
    return load_file(path, path.parent, settings, manifest=load_manifest(path.parent, settings))


def test_a_scanned_page_is_read_by_ocr_keeps_its_page_and_says_so(tmp_path: Path, font: Path) -> None:
    loaded = _load(fx.make_scan_of_text_pdf(tmp_path, font))
    assert [d.metadata["page"] for d in loaded.documents] == [1, 2]
    scanned = loaded.documents[1].page_content
    for line in fx.SCANNED_LINES:  # every letter and mark, the date and the figures
        assert line in scanned
    assert loaded.warnings == [f"page 2: {OCR_READ}"]
    # The passage says it was read by OCR wherever its position is shown (citations, facts).
    assert [d.metadata["ocr"] for d in loaded.documents] == [False, True]
    assert [ChunkMeta(**d.metadata).location for d in loaded.documents] == ["p. 1", "p. 2 (OCR)"]


def test_with_ocr_off_a_scanned_page_is_reported_as_before(tmp_path: Path, font: Path) -> None:
    loaded = _load(fx.make_scan_of_text_pdf(tmp_path, font), OcrSettings(enabled=False))
    assert [d.metadata["page"] for d in loaded.documents] == [1]
    assert loaded.warnings == [f"page 2: {NO_TEXT}"]


def test_an_ocr_failure_names_its_cause_and_keeps_the_rest_of_the_file(tmp_path: Path, font: Path) -> None:
    loaded = _load(fx.make_scan_of_text_pdf(tmp_path, font), OcrSettings(languages="xyz"))  # no such model
    assert [d.metadata["page"] for d in loaded.documents] == [1]
    (warning,) = loaded.warnings
    assert warning.startswith(f"page 2: {NO_TEXT}; OCR failed: ") and "xyz" in warning


def test_a_page_over_the_time_limit_fails_alone(tmp_path: Path, font: Path) -> None:
    loaded = _load(fx.make_scan_of_text_pdf(tmp_path, font), OcrSettings(page_timeout_s=0.001))
    assert [d.metadata["page"] for d in loaded.documents] == [1]
    assert loaded.warnings == [f"page 2: {NO_TEXT}; OCR failed: over the 0.001 s limit of a page"]


class _Page:
    """A pypdf page whose pictures cannot be decoded (a JBIG2 scan without the jbig2dec program)."""

    @property
    def images(self):
        raise DependencyError("jbig2dec binary is not available.")


def test_a_picture_that_cannot_be_decoded_fails_the_page_with_its_cause() -> None:
    read = page_reader(OcrSettings())
    assert read is not None
    with pytest.raises(OcrFailed, match="OCR failed: DependencyError: jbig2dec binary is not available."):
        read(_Page())


def test_a_pdf_of_pictures_that_are_no_pages_stays_without_text(tmp_path: Path, font: Path) -> None:
    """Drawn shapes and a stamp-sized picture are no scan: nothing to read, the reason is the old one."""
    with pytest.raises(IngestError) as info:
        _load(fx.make_scanned_pdf(tmp_path, font))
    assert info.value.reason == NO_TEXT


@pytest.mark.slow
def test_a_question_is_answered_from_a_scanned_page_with_its_page(settings, index_corpus, font: Path) -> None:
    """The real path: a decision that exists only as a scan is indexed, retrieved and quoted, verified, at its page."""
    fx.make_scan_of_text_pdf(settings.corpus.dir, font)
    report, assistant = index_corpus()
    assert report.files_indexed == 1 and not report.failed
    answer = assistant.ask("Tổ công tác phải báo cáo kết quả trước ngày nào?")
    assert not answer.refused and "15/10/2025" in answer.answer
    cited = answer.citations[0]
    assert cited.verified and cited.page == 2 and cited.location == "p. 2 (OCR)"
