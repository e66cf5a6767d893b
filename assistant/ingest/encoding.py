"""Bytes → text for the text formats (TXT, MD, HTML, CSV).

Order: a Unicode BOM, strict UTF-8, a declared charset (HTML ``<meta charset>``),
then the legacy single-byte encodings the corpus is known to use, ranked with
charset-normalizer. cp1258 (Vietnamese) is recognised by its combining tone marks,
because charset-normalizer alone cannot tell it from cp1252 on short texts.
The result is always NFC-normalised with ``\\n`` line ends.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

from assistant.errors import IngestError

BINARY = "binary content, not text"

#: Preferred legacy encodings, most preferred first. charset-normalizer often ranks a
#: rare sibling (iso8859_14, mac_cyrillic) equal or better on short texts.
PREFERRED = ("cp1252", "cp1251", "cp1258", "latin_1", "cp1250", "iso8859_15", "koi8_r", "cp866")
#: How much worse (charset-normalizer "chaos", 0..1) a preferred encoding may be than the best.
CHAOS_TOLERANCE = 0.1

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_VI_TONES = "\u0300\u0301\u0303\u0309\u0323"  # the five combining tone marks cp1258 encodes
_VI_TONE_AFTER_VOWEL = re.compile(rf"[aăâeêioôơuưyAĂÂEÊIOÔƠUƯY][{_VI_TONES}]")
_VI_LETTERS = re.compile("[ăơưđĂƠƯĐ]")  # cp1258 bytes that are õ ý ð ã in cp1252
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\ufeff]")


def decode_bytes(data: bytes, path: Path, *, html: bool = False) -> tuple[str, str]:
    """Decode ``data`` (the content of ``path``); return ``(text, encoding)``.

    Raises ``IngestError(path, "binary content, not text")`` for NUL bytes, failed
    detection or mostly non-printable results.
    """
    text, encoding = _decode(data, path, html=html)
    if not _mostly_printable(text):
        raise IngestError(path, BINARY)
    return normalize_text(text), encoding


def normalize_text(text: str) -> str:
    """NFC, ``\\n`` line ends, no NUL/zero-width/control characters (tabs kept)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


def _decode(data: bytes, path: Path, *, html: bool) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise IngestError(path, f"invalid {name} text: {exc.reason}") from exc
    if b"\x00" in data:
        raise IngestError(path, BINARY)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if html:
        declared = _declared_charset(data)
        if declared is not None:
            return declared
    vietnamese = _try_cp1258(data)
    if vietnamese is not None:
        return vietnamese, "cp1258"
    return _detect(data, path)


def _declared_charset(data: bytes) -> tuple[str, str] | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return data.decode(name), codecs.lookup(name).name
    except (LookupError, UnicodeDecodeError):
        return None


def _try_cp1258(data: bytes) -> str | None:
    """cp1258 when the bytes read as Vietnamese: tone marks combining with vowels, and
    ă/ơ/ư/đ. (Italian ò/ì share bytes with two tone marks, but not those letters.)"""
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    letters = sum(ch.isalpha() for ch in text)
    tones = len(_VI_TONE_AFTER_VOWEL.findall(text))
    if tones >= 3 and tones >= 0.01 * letters and _VI_LETTERS.search(text):
        return text
    return None


def _detect(data: bytes, path: Path) -> tuple[str, str]:
    matches = list(from_bytes(data))
    if not matches:
        raise IngestError(path, BINARY)
    best_chaos = min(m.chaos for m in matches)
    acceptable = {m.encoding: m for m in matches if m.chaos <= best_chaos + CHAOS_TOLERANCE}
    for name in PREFERRED:
        if name in acceptable:
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                continue
    best = min(matches, key=lambda m: m.chaos)
    return str(best), best.encoding


def _mostly_printable(text: str, threshold: float = 0.95) -> bool:
    if not text:
        return True
    sample = text[:20000]
    good = sum(ch.isprintable() or ch in "\n\r\t" for ch in sample)
    return good / len(sample) >= threshold
