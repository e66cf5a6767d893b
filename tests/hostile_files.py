"""Builders of hostile files (zip bombs, XML entity attacks, PDF bombs and loops, deep nesting).

Used by the loader tests (``tests/test_fuzz_loaders.py``) and the upload tests
(``tests/test_hostile_web.py``). Every builder returns bytes and is cheap: a bomb that unpacks
to gigabytes is written from one compressed block repeated, never by compressing gigabytes.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VI_DOCS = REPO / "evals" / "fixtures" / "vi-docs"
DOCX_SEED = VI_DOCS / "mau-quyet-dinh-to-cong-tac.docx"
XLSX_SEED = VI_DOCS / "danh-muc-thu-tuc.xlsx"
MB = 1024 * 1024
_ZEROS = bytes(MB)
_SPACES = b" " * MB  # white space before the root element is valid XML: a parser keeps reading


# -- ZIP ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawMember:
    """One ZIP part as written: its compressed bytes and what the directory declares."""

    name: str
    data: bytes  # compressed (raw deflate) or stored bytes
    size: int  # declared unpacked size
    crc: int  # declared CRC-32
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0  # general purpose bits (bit 0: encrypted)


def deflated(name: str, content: bytes) -> RawMember:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return RawMember(name, packer.compress(content) + packer.flush(), len(content), zlib.crc32(content))


def _filler_blocks(megabytes: int, filler: bytes = _ZEROS) -> tuple[bytes, int]:
    """Raw deflate blocks unpacking to ``megabytes`` MiB of ``filler`` (not final), and their CRC-32.

    One MiB compressed and full-flushed is a self-contained run of blocks, so the same bytes
    repeated unpack to as many MiB; only the CRC needs the whole (it is cheap).
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(filler) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(filler, crc)
    return block * megabytes, crc


_FINAL_EMPTY_BLOCK = b"\x03\x00"  # a final, empty, fixed-Huffman block: ends a raw deflate stream


def bomb_member(name: str, megabytes: int) -> RawMember:
    """A part that unpacks to ``megabytes`` MiB of spaces and says so (less than 4 GiB: no ZIP64)."""
    blocks, crc = _filler_blocks(megabytes, _SPACES)
    return RawMember(name, blocks + _FINAL_EMPTY_BLOCK, megabytes * MB, crc)


def lying_member(name: str, content: bytes, extra_megabytes: int) -> RawMember:
    """A part that declares ``content`` (its size and CRC) but unpacks to ``extra_megabytes`` MiB more."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = packer.compress(content) + packer.flush(zlib.Z_FULL_FLUSH)
    blocks, _ = _filler_blocks(extra_megabytes)
    return RawMember(name, head + blocks + _FINAL_EMPTY_BLOCK, len(content), zlib.crc32(content))


def raw_zip(members: Sequence[RawMember]) -> bytes:
    """A ZIP archive written field by field, so that sizes and CRCs can be declared at will."""
    out, directory = io.BytesIO(), io.BytesIO()
    for member in members:
        name = member.name.encode()
        offset = out.tell()
        fields = (20, member.flags, member.method, 0, 0x21, member.crc, len(member.data), member.size, len(name), 0)
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + name + member.data)
        entry = (20, 20, member.flags, member.method, 0, 0x21, member.crc, len(member.data), member.size, len(name),
                 0, 0, 0, 0, 0, offset)  # fmt: skip
        directory.write(b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", *entry) + name)
    start, listing = out.tell(), directory.getvalue()
    out.write(listing)
    out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(listing), start, 0))
    return out.getvalue()


def seed_members(seed: Path) -> list[RawMember]:
    with zipfile.ZipFile(seed) as archive:
        return [deflated(info.filename, archive.read(info)) for info in archive.infolist()]


def replace_member(members: list[RawMember], name: str, new: RawMember) -> list[RawMember]:
    return [new if m.name == name else m for m in members]


def zip_bomb(seed: Path, part: str, megabytes: int = 3 * 1024) -> bytes:
    """``seed`` (a DOCX or XLSX) whose ``part`` unpacks to ``megabytes`` MiB (3 GiB by default) and says so."""
    return raw_zip(replace_member(seed_members(seed), part, bomb_member(part, megabytes)))


def lying_zip_bomb(seed: Path, part: str, extra_megabytes: int = 2 * 1024) -> bytes:
    """``seed`` whose ``part`` declares its true size and CRC but unpacks to gigabytes more."""
    members = seed_members(seed)
    content = next(zlib.decompress(m.data, -zlib.MAX_WBITS) for m in members if m.name == part)
    return raw_zip(replace_member(members, part, lying_member(part, content, extra_megabytes)))


def encrypted_part_zip(seed: Path, part: str) -> bytes:
    """``seed`` whose ``part`` is marked encrypted (its bytes unchanged)."""
    members = seed_members(seed)
    marked = next(m for m in members if m.name == part)
    return raw_zip(replace_member(members, part, RawMember(marked.name, marked.data, marked.size, marked.crc, flags=1)))


def many_parts_zip(seed: Path, parts: int = 20_000) -> bytes:
    """``seed`` with ``parts`` more empty parts."""
    return raw_zip([*seed_members(seed), *(deflated(f"customXml/item{i}.xml", b"") for i in range(parts))])


def with_part(seed: Path, part: str, transform) -> bytes:  # noqa: ANN001 - bytes -> bytes
    """``seed`` with ``part``'s XML replaced by ``transform(xml)``."""
    members = seed_members(seed)
    content = next(zlib.decompress(m.data, -zlib.MAX_WBITS) for m in members if m.name == part)
    return raw_zip(replace_member(members, part, deflated(part, transform(content))))


# -- XML entity attacks ---------------------------------------------------------------------------

SECRET_FILE = "/etc/passwd"
SECRET_MARK = "root:"  # the first line of /etc/passwd on every Linux system


def _doctype(root: bytes, entities: bytes) -> bytes:
    return b"<!DOCTYPE " + root + b" [" + entities + b"]>"


def _insert_doctype(xml: bytes, root: bytes, entities: bytes) -> bytes:
    """``xml`` with a DOCTYPE declaring ``entities`` before its root element."""
    at = xml.index(b"<" + root)
    return xml[:at] + _doctype(root, entities) + xml[at:]


def _in_first_text(xml: bytes, open_tag: bytes, reference: bytes) -> bytes:
    """``reference`` (``&name;``) put into the first text element (``open_tag``: a regex such as ``<w:t\\b[^>]*>``)."""
    match = re.search(open_tag, xml)
    assert match is not None, open_tag
    return xml[: match.end()] + reference + xml[match.end() :]


XXE = b'<!ENTITY xxe SYSTEM "file://' + SECRET_FILE.encode() + b'">'
LAUGHS = b"".join(
    [b'<!ENTITY l0 "ha ha ha ha ha ha ha ha ha ha">']
    + [b'<!ENTITY l%d "%s">' % (i, b"".join(b"&l%d;" % (i - 1) for _ in range(10))) for i in range(1, 10)]
)  # &l9; would unpack to 10^9 "ha "s


def docx_with_entity(entities: bytes, reference: bytes) -> bytes:
    """The real DOCX seed with a DOCTYPE in its document part and ``reference`` in its first run."""
    return with_part(DOCX_SEED, "word/document.xml",
                     lambda xml: _in_first_text(_insert_doctype(xml, b"w:document", entities), rb"<w:t(?:\s[^>]*)?>", reference))  # fmt: skip


def xlsx_with_entity(entities: bytes, reference: bytes) -> bytes:
    """The real XLSX seed with a DOCTYPE in its first sheet and ``reference`` in the first (inline) string."""
    return with_part(XLSX_SEED, "xl/worksheets/sheet1.xml",
                     lambda xml: _in_first_text(_insert_doctype(xml, b"worksheet", entities), rb"<t(?:\s[^>]*)?>", reference))  # fmt: skip


# -- PDF ------------------------------------------------------------------------------------------


def tiny_pdf(objects: Sequence[bytes], root: int = 1) -> bytes:
    """A PDF of ``objects`` (bodies of objects 1..n, in order) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page_objects(content: bytes, stream_dict: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s >>\nstream\n" % (len(content), stream_dict) + content + b"\nendstream",
        _FONT,
    ]


def pdf_text(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII) in Helvetica."""
    return tiny_pdf(_page_objects(b"BT /F1 12 Tf 72 720 Td (" + text.encode("ascii") + b") Tj ET"))


def pdf_flate_bomb(megabytes: int = 1024) -> bytes:
    """A page whose content stream (FlateDecode) unpacks to ``megabytes`` MiB of zeros after one line of text."""
    head = b"BT /F1 12 Tf 72 720 Td (Flate bomb page) Tj ET\n"
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    blocks, _ = _filler_blocks(megabytes)
    adler = zlib.adler32(head)
    for _ in range(megabytes):
        adler = zlib.adler32(_ZEROS, adler)
    stream = b"\x78\xda" + first + blocks + _FINAL_EMPTY_BLOCK + struct.pack(">I", adler)
    return tiny_pdf(_page_objects(stream, b"/Filter /FlateDecode"))


def pdf_page_cycle() -> bytes:
    """A page tree whose node lists itself (and its parent) among its kids."""
    objects = _page_objects(b"BT /F1 12 Tf 72 720 Td (Cycle) Tj ET")
    objects[1] = b"<< /Type /Pages /Kids [3 0 R 2 0 R 1 0 R] /Count 3 >>"
    return tiny_pdf(objects)


def pdf_deep_nesting(depth: int = 100_000) -> bytes:
    """A page resource dictionary nested ``depth`` arrays deep."""
    objects = _page_objects(b"BT /F1 12 Tf 72 720 Td (Deep) Tj ET")
    objects[2] = objects[2].replace(b"/Resources <<", b"/Deep " + b"[" * depth + b"]" * depth + b" /Resources <<")
    return tiny_pdf(objects)


def pdf_huge_count() -> bytes:
    """A page tree claiming two billion pages, with one."""
    objects = _page_objects(b"BT /F1 12 Tf 72 720 Td (Count) Tj ET")
    objects[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>"
    return tiny_pdf(objects)


def pdf_self_referencing_length() -> bytes:
    """A content stream whose /Length is a reference to itself."""
    content = b"BT /F1 12 Tf 72 720 Td (Length) Tj ET"
    objects = _page_objects(content)
    objects[3] = objects[3].replace(b"/Length %d " % len(content), b"/Length 4 0 R ")
    return tiny_pdf(objects)
