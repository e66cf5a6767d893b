"""Page-furniture removal for text saved from web articles.

The corpus articles end with a source line (``Nguồn: https://…``) followed by menus,
related-article lists and comment counters, and carry one-line widgets anywhere
("No data", "Коментар (0)", a lone ";"). The rules below are deliberately small
lists: a new pattern is one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Whole-line furniture, matched against the stripped line. ``(description, pattern)``.
LINE_FURNITURE: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Коментар (0), Kommentar (0), Comentário (0), Комментарий (0), Bình luận (12)
    ("comment counter", re.compile(r"^(?:\w+|Bình luận)\s*\(\d+\)$", re.IGNORECASE)),
    ("empty widget", re.compile(r"^(?:No data|No videos available|No comments yet)\.?$", re.IGNORECASE)),
    ("punctuation-only line", re.compile(r"^[;|,:·•]+$")),
    # "Tạp chí Doanh NghiệpTạp chí Doanh Nghiệp27/06/2025": logo text + name + date
    ("doubled byline with date", re.compile(r"^(.{3,80}?)\1\s*\d{1,2}/\d{1,2}/\d{4}$")),
    ("photo caption label", re.compile(r"^(?:Photo caption|Подпись к фотографии|Chú thích ảnh)$", re.IGNORECASE)),
)

#: Site banners known to open saved pages (``Vietnam.vn - Nền tảng quảng bá Việt Nam``).
#: Removed only when they are the first non-empty line.
SITE_BANNERS: tuple[str, ...] = ("vietnam.vn",)

#: A short label (one to three words, no digits), a colon and a URL alone on a line:
#: ``Source:``, ``Nguồn:``, ``Джерело:``, ``Quelle:``, ``Источник:``, ``Fonte:``, ``Fuente:``…
SOURCE_LINE = re.compile(
    r"^(?P<label>[^\W\d_]+(?:[ -][^\W\d_]+){0,2})\s*:\s*<?(?P<url>https?://[^\s<>]+?)>?\.?$"
)
#: A source line is trailing when at most this much text follows it (chars, or share of the text).
TRAILING_MAX_CHARS = 2500
TRAILING_MAX_SHARE = 0.25

#: Spacing artefacts of HTML-to-text conversion: "word ," → "word,", "( Hanoi )" → "(Hanoi)".
#: Not ";:!?": French puts a space before those.
SPACING_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=\S)[ \t]+([,.])(?=\s|$)"), r"\1"),
    (re.compile(r"\([ \t]+"), "("),
    (re.compile(r"(?<=\S)[ \t]+\)"), ")"),
    (re.compile(r"[ \t]+\|$"), ""),  # trailing " |" on photo-caption lines
)


def clean_text(text: str, site: str | None = None) -> tuple[str, str | None]:
    """Remove page furniture; return ``(clean_text, source_url_or_None)``.

    ``site`` is the document's known site name (e.g. from the manifest); a first line
    that is that site's banner (``<site> - <tagline>``) is dropped, as are the
    banners in :data:`SITE_BANNERS`.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    lines, url = _cut_at_source_line(lines)
    lines = _drop_banner(lines, [*SITE_BANNERS, *([site] if site else [])])
    kept = []
    for line in lines:
        stripped = line.strip()
        if stripped and is_furniture(stripped):
            continue
        kept.append(_fix_spacing(line))
    cleaned = "\n".join(kept)
    cleaned = re.sub(r"\n[ \t]*(?:\n[ \t]*)+\n", "\n\n", cleaned)  # 2+ blank lines → one
    return cleaned.strip("\n").strip(), url


def is_furniture(stripped_line: str) -> bool:
    """True when a stripped line matches one of :data:`LINE_FURNITURE`."""
    return any(pattern.match(stripped_line) for _, pattern in LINE_FURNITURE)


def find_source_line(lines: list[str]) -> tuple[int, str] | None:
    """Index and URL of the trailing source line, or None.

    The last line shaped like :data:`SOURCE_LINE` counts only when little text follows
    it, so a "Link: https://…" in the middle of a long document is kept as content.
    """
    total = sum(len(line) + 1 for line in lines)
    for index in range(len(lines) - 1, -1, -1):
        match = SOURCE_LINE.match(lines[index].strip())
        if not match:
            continue
        after = sum(len(line.strip()) for line in lines[index + 1 :])
        if after <= TRAILING_MAX_CHARS or after <= TRAILING_MAX_SHARE * total:
            return index, match.group("url")
        return None
    return None


def _cut_at_source_line(lines: list[str]) -> tuple[list[str], str | None]:
    found = find_source_line(lines)
    if found is None:
        return lines, None
    index, url = found
    return lines[:index], url


def _drop_banner(lines: list[str], sites: Iterable[str]) -> list[str]:
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return lines
    line = lines[first].strip().lower()
    for site in sites:
        name = site.strip().lower().removeprefix("www.")
        if name and re.match(rf"^(?:www\.)?{re.escape(name)}(?:\s*[-–—|:]\s*.*)?$", line):
            return lines[:first] + lines[first + 1 :]
    return lines


def _fix_spacing(line: str) -> str:
    indent = len(line) - len(line.lstrip(" \t"))
    body = re.sub(r"[ \t]{2,}", " ", line[indent:])
    for pattern, replacement in SPACING_FIXES:
        body = pattern.sub(replacement, body)
    return line[:indent] + body
