"""The ZIP container of DOCX and XLSX files, checked before a reader opens it.

python-docx and openpyxl read whole parts into memory, so a zip bomb (a few kilobytes
whose parts unpack to gigabytes) would exhaust the machine. :func:`check_archive` refuses
one cheaply, in this order:

1. the number of parts, from the end-of-archive record (22 bytes), before the central
   directory is parsed;
2. the unpacked sizes the central directory declares, added up: an archive over the limit
   is refused without unpacking anything;
3. every part unpacked as a stream, a block at a time, and stopped as soon as it passes its
   declared size, so a part that lies about its size costs at most that size. Its CRC is
   checked too. (``zipfile`` alone would not do: reading a whole part, as the readers do,
   inflates all its compressed bytes in one call before cutting the output to size.)

A damaged part (a broken deflate stream, a wrong CRC, encryption, a compression Office does
not use) is reported here too, naming the file, instead of escaping a reader as a library
error. Only stored and deflated parts are accepted: bzip2 and LZMA parts cannot be unpacked
a bounded block at a time by ``zipfile``.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from assistant.errors import IngestError
from assistant.ingest.base import short_cause

MB = 1024 * 1024
#: Parts of one archive: a DOCX or XLSX has tens, a few hundred with many images or sheets.
MAX_MEMBERS = 10_000
#: Bytes read or unpacked at a time while checking a part.
BLOCK = 1 << 20
#: What ``zipfile`` and ``zlib`` raise for a damaged archive or part.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError, struct.error,
)  # fmt: skip
_EOCD = b"PK\x05\x06"
_LOCAL_HEADER = b"PK\x03\x04"


def check_archive(path: Path, max_unzipped_mb: float, kind: str) -> None:
    """Refuse a ZIP-based file (``kind``: "DOCX" or "XLSX") that unpacks past ``max_unzipped_mb``,
    has too many parts or has a damaged part: raises ``IngestError(path, reason)``.

    A file that is no readable ZIP archive at all is left to its reader, which can tell what
    it is instead (a legacy or password-protected Office file, a truncated download).
    """
    parts = _declared_parts(path)
    if parts is not None and parts > MAX_MEMBERS:
        raise IngestError(path, f"{kind} archive has {parts} parts, more than {MAX_MEMBERS}")
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS:
        return
    with archive, path.open("rb") as handle:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise IngestError(path, f"{kind} archive has {len(members)} parts, more than {MAX_MEMBERS}")
        declared = sum(member.file_size for member in members)
        if declared > max_unzipped_mb * MB:
            raise IngestError(
                path, f"{kind} unpacks to {declared / MB:.0f} MB, over the {max_unzipped_mb:g} MB limit (a zip bomb?)"
            )
        for member in members:
            try:
                problem = _check_part(handle, member)
            except ZIP_ERRORS as exc:
                problem = short_cause(exc)
            if problem:
                raise IngestError(path, f"corrupt or unreadable {kind}: part '{member.filename[:80]}': {problem}")


def _declared_parts(path: Path) -> int | None:
    """The number of parts the end-of-archive record gives, or None (no record, ZIP64)."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            tail_size = min(size, 22 + 0xFFFF)  # the record, then a comment of at most 64 KiB
            handle.seek(size - tail_size)
            tail = handle.read(tail_size)
    except OSError:
        return None
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 22:
        return None
    (total,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return None if total == 0xFFFF else total


def _check_part(handle: BinaryIO, member: zipfile.ZipInfo) -> str | None:
    """None when the part unpacks to exactly its declared size and CRC; else what is wrong."""
    if member.flag_bits & 0x1:
        return "encrypted"
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return f"compression method {member.compress_type} is not used by Office files"
    handle.seek(member.header_offset)
    header = handle.read(30)
    if len(header) < 30 or not header.startswith(_LOCAL_HEADER):
        return "bad local header"
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(member.header_offset + 30 + name_length + extra_length)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if member.compress_type == zipfile.ZIP_DEFLATED else None
    left, pending, size, crc = member.compress_size, b"", 0, 0
    while True:
        if not pending and left > 0:
            pending = handle.read(min(BLOCK, left))
            if not pending:
                return "truncated"
            left -= len(pending)
        if inflater is None:
            data, pending = pending, b""
        else:
            data = inflater.decompress(pending, BLOCK)
            pending = inflater.unconsumed_tail
        size += len(data)
        if size > member.file_size:
            return f"unpacks past its declared size of {member.file_size} bytes (a zip bomb?)"
        crc = zlib.crc32(data, crc)
        if (inflater is not None and inflater.eof) or (not data and not pending and left <= 0):
            break
    if inflater is not None and not inflater.eof:
        return "truncated deflate stream"
    if size != member.file_size:
        return f"unpacks to {size} bytes, not the declared {member.file_size}"
    if crc != member.CRC:
        return "bad CRC-32"
    return None
