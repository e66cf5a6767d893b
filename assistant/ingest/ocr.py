"""Scanned PDF pages read by OCR: Tesseract (Debian's ``tesseract-ocr`` with its Vietnamese model,
``tesseract-ocr-vie``; installed by ``scripts/setup.sh``), run as a program.

Signed and stamped decisions and plans circulate as scans: a page of such a PDF has no text layer, only
the picture of a page. :func:`page_reader` gives :func:`~assistant.ingest.pdf.read_pdf` a function that
reads the largest picture of a page without text (pypdf extracts it as the file stores it, so no PDF
renderer is needed). Its text then goes through the same re-flow as any page and keeps its page number.
Without Tesseract, or with OCR off (``corpus.ocr.enabled``), such a page stays "no text layer (scanned?)".
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from pypdf.errors import DependencyError, PyPdfError

from assistant.settings import OcrSettings

#: What reading a page's pictures or running Tesseract on one raises: pypdf's errors and those of the
#: image codecs (a filter pypdf does not decode, a damaged stream; a JBIG2 scan without Debian's jbig2dec:
#: DependencyError), PIL's (saving the picture), the OS's (Tesseract cannot start). Tesseract's own failures
#: (a missing language model, a page past the time limit) are :class:`OcrFailed` with their cause.
OCR_ERRORS: tuple[type[BaseException], ...] = (
    PyPdfError, DependencyError, ValueError, KeyError, TypeError, AttributeError, IndexError, NotImplementedError, OSError,
    zlib.error, struct.error, UnidentifiedImageError, Image.DecompressionBombError,
)  # fmt: skip


#: The line of Tesseract's complaint that says what went wrong (its others say where it looked).
_CAUSE = re.compile(r"Failed loading language '[^']*'|Could not initialize tesseract|Invalid resolution|Empty page")


class OcrFailed(Exception):
    """A page's pictures could not be read; the message says why (shown in the file's warnings)."""


def page_reader(settings: OcrSettings) -> Callable[[Any], str] | None:
    """A function reading a pypdf page's largest picture by OCR, or None when OCR is off or Tesseract is
    not installed. The function raises :class:`OcrFailed`; it returns "" for a page without a picture."""
    if not settings.enabled or shutil.which("tesseract") is None:
        return None

    def read(page: Any) -> str:
        try:
            pictures = [picture.image for picture in page.images]
            pictures = [p for p in pictures if p is not None and min(p.size) >= settings.min_picture_px]
            if not pictures:
                return ""
            return _tesseract(max(pictures, key=lambda p: p.size[0] * p.size[1]), settings)
        except OCR_ERRORS as exc:
            raise OcrFailed(f"OCR failed: {type(exc).__name__}: {exc}"[:200]) from exc

    return read


def _tesseract(picture: Image.Image, settings: OcrSettings) -> str:
    """The text Tesseract reads in ``picture``.

    Run here rather than through pytesseract, which starts Tesseract with this process's environment and
    no way to add to it: Tesseract's OpenMP threads made a page seven times slower on this 2-core machine
    (benchmarks/ocr_bench.py), so it runs with ``OMP_THREAD_LIMIT`` set to ``settings.threads``.
    """
    with tempfile.TemporaryDirectory(prefix="assistant-ocr-") as work:
        path = Path(work) / "page.png"
        picture.save(path)
        command = ["tesseract", str(path), "stdout", "-l", settings.languages, "--psm", str(settings.page_segmentation)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=settings.page_timeout_s, check=False,
                                  env={**os.environ, "OMP_THREAD_LIMIT": str(settings.threads)})  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise OcrFailed(f"OCR failed: over the {settings.page_timeout_s:g} s limit of a page") from exc
    if done.returncode != 0:
        raise OcrFailed(f"OCR failed: {_tesseract_cause(done.stderr.decode('utf-8', errors='replace'))}")
    return done.stdout.decode("utf-8", errors="replace")


def _tesseract_cause(message: str) -> str:
    found = _CAUSE.search(message)
    return found.group() if found else " ".join(message.split())[:160]
