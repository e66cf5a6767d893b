"""Checks for documents uploaded through the web UI: pure functions, no I/O except
:func:`read_head` and :func:`check_archive_upload` (which read the file).

An upload is accepted only when its extension is one of :data:`UPLOAD_EXTENSIONS`,
its size is within the limit, its first bytes look like that format, and its
name is a plain file name that can be made safe. A name carrying a path (``/``,
``\\``, ``..``) or a control character (a NUL) is refused: a browser sends the bare
name, so such a name comes from a hostile or broken client. The name is then
Unicode-normalised (NFC, so Vietnamese names survive), freed of leading dots,
underscores and ``~$`` (which the corpus scan would skip), and placed strictly
inside the upload folder. A DOCX or XLSX must also be an Office archive of its
kind that does not unpack past ``corpus.max_unzipped_mb`` (a zip bomb). An older office file (.doc,
.xls, .odt …) is refused with the format to save it as. Each
rejection carries a ``code`` that the web layer turns into a translated message.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from assistant.errors import AssistantError, IngestError
from assistant.ingest.archive import ZIP_ERRORS, check_archive
from assistant.ingest.base import SAVE_AS, SUPPORTED_EXTENSIONS
from assistant.ingest.tables import OLE_MAGIC

#: What officials may upload (a subset of what the indexer reads; HTML is for crawled pages only).
UPLOAD_EXTENSIONS: frozenset[str] = (
    frozenset({".pdf", ".docx", ".xlsx", ".xlsm", ".xls", ".csv", ".md", ".txt"}) & SUPPORTED_EXTENSIONS
)
MAX_NAME_CHARS = 120
HEAD_BYTES = 4096
_ZIP_MAGIC = b"PK\x03\x04"
_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",), ".docx": (_ZIP_MAGIC,), ".xlsx": (_ZIP_MAGIC,), ".xlsm": (_ZIP_MAGIC,), ".xls": (OLE_MAGIC,),
}  # fmt: skip
_TEXT_EXTENSIONS = frozenset({".csv", ".md", ".txt"})
#: The part every file of a ZIP-based type holds: another ZIP (a .zip, .jar or .apk) renamed is refused.
_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml", ".xlsm": "xl/workbook.xml"}
# A path separator or a control character: never in the bare file name a browser sends.
_PATH_OR_CONTROL = re.compile(r"[/\\\x00-\x1f\x7f]")
# Anything but letters, digits, marks, spaces and a few safe punctuation marks becomes "_".
_UNSAFE = re.compile(r"[^\w\s.\-()+,]", re.UNICODE)
_WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})


class UploadRejected(AssistantError):
    """One uploaded file was refused. ``code`` names the rule; ``detail`` fills the message."""

    def __init__(self, filename: str, code: str, **detail: object) -> None:
        self.filename = filename
        self.code = code
        self.detail = detail
        super().__init__(f"{filename}: {code} {detail}" if detail else f"{filename}: {code}")


@dataclass(frozen=True)
class Accepted:
    original: str
    safe_name: str


@dataclass
class UploadPlan:
    accepted: list[Accepted] = field(default_factory=list)
    rejected: list[UploadRejected] = field(default_factory=list)


def sanitize_filename(name: str) -> str:
    """A safe file name for ``name``, or "" when nothing usable is left.

    >>> sanitize_filename("../../etc/Kế hoạch 02.pdf")
    'Kế hoạch 02.pdf'
    >>> sanitize_filename(".hidden.md")
    'hidden.md'
    """
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").split("/")[-1]  # last component, whichever separator was used
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # control, format, private use
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"_{2,}", "_", name)
    name = name.strip(" .")
    while name.startswith((".", "_", "~$", "-", " ")):
        name = name[2:] if name.startswith("~$") else name[1:]
    if not name:
        return ""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem.rstrip(" .")
    if not stem or stem.strip("._- ") == "":
        return ""
    if stem.lower() in _WINDOWS_RESERVED:
        stem = f"file-{stem}"
    suffix = f".{ext.lower()}" if ext else ""
    stem = stem[: max(1, MAX_NAME_CHARS - len(suffix))].rstrip(" .")
    return stem + suffix


def check_type(filename: str, safe_name: str) -> str:
    """The lower-case extension of ``safe_name`` when it may be uploaded; raises UploadRejected otherwise."""
    ext = PurePosixPath(safe_name).suffix.lower()
    if ext in SAVE_AS:  # an older office format: the office suite's "Save as" makes one that is read
        raise UploadRejected(filename, "save_as", ext=ext, target=SAVE_AS[ext])
    if ext not in UPLOAD_EXTENSIONS:
        raise UploadRejected(filename, "bad_type", ext=ext or "-", allowed=", ".join(sorted(UPLOAD_EXTENSIONS)))
    return ext


def check_size(filename: str, size: int, max_mb: float) -> None:
    if size <= 0:
        raise UploadRejected(filename, "empty")
    if size > max_mb * 1024 * 1024:
        raise UploadRejected(filename, "too_large", size_mb=round(size / 1024 / 1024, 1), limit_mb=max_mb)


def check_content(filename: str, ext: str, head: bytes) -> None:
    """The first bytes must look like the format the extension claims."""
    magic = _MAGIC.get(ext)
    if magic is not None and not head.startswith(magic):
        raise UploadRejected(filename, "bad_content", ext=ext)
    if ext in _TEXT_EXTENSIONS and b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadRejected(filename, "bad_content", ext=ext)


def destination(folder: Path, safe_name: str) -> Path:
    """``folder / safe_name``, refusing anything that would land outside ``folder``."""
    if not safe_name or safe_name in {".", ".."} or "/" in safe_name or "\\" in safe_name:
        raise UploadRejected(safe_name, "bad_name")
    target = (folder / safe_name).resolve()
    if target.parent != folder.resolve():
        raise UploadRejected(safe_name, "bad_name")
    return target


def check_name(filename: str) -> str:
    """The safe name of ``filename``; UploadRejected("bad_name") for a path, a control character or nothing usable."""
    if _PATH_OR_CONTROL.search(filename) or filename.strip() in {"", ".", ".."}:
        raise UploadRejected(filename, "bad_name")
    safe = sanitize_filename(filename)
    if not safe:
        raise UploadRejected(filename, "bad_name")
    return safe


def check_archive_upload(filename: str, path: Path, max_unzipped_mb: float) -> None:
    """For a DOCX or XLSX: refuse a zip bomb or a damaged archive (``bad_archive``, with the reason) and
    a ZIP of another kind (``bad_content``). Reads the archive's directory, and unpacks its parts as a
    bounded stream (:func:`assistant.ingest.archive.check_archive`); other types pass."""
    ext = PurePosixPath(filename).suffix.lower()
    if ext not in _MAIN_PART:
        return
    try:
        check_archive(path, max_unzipped_mb, ext[1:].upper())
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except IngestError as exc:
        raise UploadRejected(filename, "bad_archive", reason=exc.reason) from exc
    except ZIP_ERRORS:
        raise UploadRejected(filename, "bad_content", ext=ext) from None
    if _MAIN_PART[ext] not in names:
        raise UploadRejected(filename, "bad_content", ext=ext)


def check_upload(filename: str, size: int, head: bytes, max_mb: float) -> Accepted:
    """Every rule for one file: name, type, size, content. Raises UploadRejected for the first broken rule."""
    safe = check_name(filename)
    ext = check_type(filename, safe)
    check_size(filename, size, max_mb)
    check_content(filename, ext, head)
    return Accepted(original=filename, safe_name=safe)


def plan_uploads(files: list[tuple[str, int, bytes]], max_mb: float) -> UploadPlan:
    """Check ``(name, size, first bytes)`` of each file; later files with the same safe name are refused."""
    plan = UploadPlan()
    seen: set[str] = set()
    for name, size, head in files:
        try:
            accepted = check_upload(name, size, head, max_mb)
        except UploadRejected as exc:
            plan.rejected.append(exc)
            continue
        if accepted.safe_name.casefold() in seen:
            plan.rejected.append(UploadRejected(name, "duplicate", safe_name=accepted.safe_name))
            continue
        seen.add(accepted.safe_name.casefold())
        plan.accepted.append(accepted)
    return plan


def read_head(path: Path) -> bytes:
    """The first bytes of a file, for :func:`check_content`."""
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)
