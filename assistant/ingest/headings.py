"""Headings written as plain text: "Chương II", "Điều 4. …", "1.2. Mục tiêu", "Article 4".

Vietnamese administrative documents (and many others) mark their structure in the
text itself rather than with heading styles. The patterns live here, used by DOCX
paragraphs without a heading style and by plain text lines.

Levels: Phần/Part 1, Chương/Chapter 2, Mục/Section 3, Điều/Article 4, Roman "I." 4.5,
"1." 5, "1.2." 6. Roman numbers sit between Điều and "1." because plans number their
parts "I." and the items inside them "1.", "2." (a float keeps the documented levels).
A keyword marker may carry body text on its line ("Điều 2. Tổ công tác có nhiệm vụ
…"): the marker and the first sentence become the heading and the whole line stays
body text. A numbered line is a heading only when it is a short title (no sentence
inside, none ending it); numbered lines with no text between them are a list. A numbered
title ending in a colon ("1. Đến ngày 31/12/2027:") leads in its items: it stays body text too.
A line in capitals that opens a table (the table, or one line in parentheses and then the table,
follows it) titles a section of its own at the top level: the list attached to a decision after its
signature is no part of its last article.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.ingest.metadata import truncate
from assistant.language import ORDINAL

#: A heading title longer than this is a sentence, not a title.
MAX_TITLE = 120
KEYWORD_LEVELS = {
    "phần": 1, "part": 1, "chương": 2, "chapter": 2, "mục": 3, "section": 3, "điều": 4, "article": 4,
}  # fmt: skip
ROMAN_LEVEL = 4.5
#: I to XXXIX: higher numbers (and C, L alone) are more often letters of a list or a name.
ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"

#: "Chương II", "PHẦN THỨ NHẤT", "Điều 4.", "Section 3.2:" — the number, then the end or a separator.
KEYWORD = re.compile(
    rf"^(?P<keyword>{'|'.join(KEYWORD_LEVELS)})\s+(?P<number>\d+[a-z]?(?:\.\d+)*|(?-i:{ROMAN})|{ORDINAL})"
    r"(?P<sep>\s*[.:)\-–—]|(?=\s|$))\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
#: "1. Title", "1.2. Title", "II. TITLE".
NUMBERED = re.compile(rf"^(?P<number>\d{{1,2}}(?:\.\d{{1,2}})*|{ROMAN})\.\s+(?P<rest>\S.*)$")
#: A title in capitals is at most this long ("MỤC ĐÍCH, YÊU CẦU"); a longer line in capitals is text.
MAX_CAPS_TITLE = 80
#: The line a table stands for among a document's lines (see :func:`find_headings`).
TABLE_LINE = "[table]"
#: A table's title in capitals opens a section at this level, the top one.
TABLE_TITLE_LEVEL = 1
#: Sentence punctuation followed by more text: a title has none of it.
_SENTENCE_END = re.compile(r"[.?!;](?=\s+\S)")


@dataclass(frozen=True)
class Heading:
    """A heading found in a line; ``body`` is True when the line is also body text."""

    level: float
    title: str
    body: bool = False


def parse_heading(line: str) -> Heading | None:
    """The heading a single line would be, judged on the line alone (see :func:`find_headings`)."""
    line = unicodedata.normalize("NFC", re.sub(r"\s+", " ", line).strip())
    if not line or line[0].islower():  # a line starting in lower case continues a sentence
        return None
    return _keyword_heading(line) or _numbered_heading(line)


def find_headings(lines: Sequence[str | Heading]) -> list[Heading | None]:
    """For each line (or paragraph), its heading or None, judged with its neighbours.

    A heading needs something after it before the next heading of the same or a higher
    level; otherwise its text would be in no unit and no section path (it is then kept
    as body text). Numbered lines directly following one another at one level are a list.
    An item given as a :class:`Heading` is a heading already (e.g. by its DOCX style). A table is
    given as :data:`TABLE_LINE`.
    """
    found = [line if isinstance(line, Heading) else parse_heading(line) for line in lines]
    filled = [i for i, line in enumerate(lines) if isinstance(line, Heading) or line.strip()]
    result: list[Heading | None] = list(found)
    for position, i in enumerate(filled):
        heading = found[i]
        if heading is None or isinstance(lines[i], Heading):
            continue
        after = found[filled[position + 1]] if position + 1 < len(filled) else None
        before = found[filled[position - 1]] if position > 0 else None
        empty = position + 1 == len(filled) or (after is not None and after.level <= heading.level)
        listed = _numbered(heading) and before is not None and _numbered(before) and before.level == heading.level
        if (empty and not heading.body) or listed:
            result[i] = None
    _join_titles(lines, filled, result)
    _table_titles(lines, filled, result)
    return result


def _table_titles(lines: Sequence[str | Heading], filled: list[int], result: list[Heading | None]) -> None:
    """A line in capitals followed by a table, or by one line in parentheses and then a table, is the
    table's title (a list's name in capitals, the document it is attached to in parentheses, the list):
    it opens a top-level section. A title inside a part would close the part too, which costs less than the list
    attached after a decision's signature being filed under its last article."""
    for position, i in enumerate(filled):
        line = lines[i]
        if result[i] is not None or isinstance(line, Heading) or line == TABLE_LINE or not is_caps_title(line):
            continue
        following = [lines[j] for j in filled[position + 1 : position + 3]]
        if following[:1] == [TABLE_LINE] or (
            len(following) == 2 and _parenthesised(following[0]) and following[1] == TABLE_LINE
        ):
            result[i] = Heading(TABLE_TITLE_LEVEL, line.strip())


def _parenthesised(line: str | Heading) -> bool:
    return isinstance(line, str) and line.strip().startswith("(") and line.strip().endswith(")")


def _join_titles(lines: Sequence[str | Heading], filled: list[int], result: list[Heading | None]) -> None:
    """A bare "Chương I" with its title in capitals on the next line ("QUY ĐỊNH CHUNG"), as legal
    documents write them, is one heading: "Chương I. QUY ĐỊNH CHUNG". Both lines get it (the title
    line opens the same section again, so it is no body text)."""
    for i, j in itertools.pairwise(filled):
        heading, title = result[i], lines[j]
        if heading is None or isinstance(lines[i], Heading) or isinstance(title, Heading) or result[j] is not None:
            continue
        match = KEYWORD.match(heading.title)
        if match and not match.group("rest") and is_caps_title(title):
            result[i] = result[j] = Heading(heading.level, f"{heading.title.rstrip(' .:')}. {title.strip()}")


def is_caps_title(line: str) -> bool:
    """A short line in capitals ("QUY ĐỊNH CHUNG", "MỤC ĐÍCH, YÊU CẦU"), not ending like a sentence
    fragment ("BCĐTW.")."""
    line = line.strip()
    letters = [c for c in line if c.isalpha()]
    return (
        len(letters) >= 3
        and not any(c.islower() for c in letters)
        and len(line) <= MAX_CAPS_TITLE
        and not line.endswith((".", ",", ";"))
    )


def _keyword_heading(line: str) -> Heading | None:
    match = KEYWORD.match(line)
    if not match:
        return None
    rest = match.group("rest")
    if rest and not match.group("sep").strip() and not rest[0].isupper():
        return None  # "Article 4 of the Convention …", "Điều 4 của Luật này …": a sentence, not a heading
    level = KEYWORD_LEVELS[match.group("keyword").casefold()]
    if _is_title(line, rest):
        return Heading(level, line)
    marker = line[: match.start("rest")].rstrip()
    first = _SENTENCE_END.split(rest, maxsplit=1)[0].rstrip(" .:;")
    return Heading(level, truncate(f"{marker} {first}", MAX_TITLE), body=True)


def _numbered_heading(line: str) -> Heading | None:
    match = NUMBERED.match(line)
    if not match or not _is_title(line, match.group("rest")):
        return None
    rest = match.group("rest")
    if not (rest[0].isupper() or rest[0].isdigit()) or rest.endswith((".", ";", "!", "?")):
        return None  # "1. Hoàn thành trước ngày 30/6/2025." is a sentence (a fact to keep in the text), not a title
    number = match.group("number")
    level = 5 + number.count(".") if number[0].isdigit() else ROMAN_LEVEL
    # "1. Đến ngày 31/12/2027:" leads in the items below it: a heading that stays body text too, so its
    # date or subject is in the items' chunk and quote, not only in their section path.
    return Heading(level, line, body=rest.endswith(":"))


def _is_title(line: str, rest: str) -> bool:
    return len(line) <= MAX_TITLE and not _SENTENCE_END.search(rest)


def _numbered(heading: Heading) -> bool:
    return heading.level > KEYWORD_LEVELS["điều"]
