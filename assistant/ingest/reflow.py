"""Re-flow PDF page text, and drop running headers, footers and page numbers.

pypdf ends a line at every visual line, so a sentence wrapped over three lines
arrives as three lines: the chunker would cut it there and the embedder would see
sentence fragments. :func:`reflow` joins the lines of one sentence again while
keeping the breaks that carry structure (blank lines, list items, headings).
:func:`strip_page_furniture` removes the lines a printer adds to every page,
which otherwise end up in the middle of the text of every page.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence

from assistant.ingest.headings import ROMAN, is_caps_title, parse_heading

#: Lines at the top and at the bottom of a page where headers and footers are looked for.
ZONE = 3
#: A running line is on at least this share of the pages, and on at least MIN_PAGES of them.
RUNNING_SHARE = 0.5
MIN_PAGES = 3
#: "3", "- 3 -", "Trang 3", "Trang 3/10", "Page 3 of 10", "3/10".
PAGE_NUMBER = re.compile(
    r"^[-–—]?\s*(?:(?:trang|page|p\.)\s*)?(?P<n>\d{1,4})(?:\s*(?:/|of|trên)\s*\d{1,4})?\s*[-–—]?$", re.IGNORECASE
)
#: A line this long (as a share of the longest line of its page) ran into the right margin: it was wrapped.
WRAP_SHARE = 0.7
#: The narrowest page width assumed, so that on a page of short lines only (a cover page) none counts as wrapped.
MIN_WRAP_WIDTH = 60
#: "- ", "• ", "a) ", "1. ", "1.2. ", "1) ", "II. ": a list item starts a new line.
LIST_ITEM = re.compile(rf"^(?:[-–•●▪◦*+]\s|[^\W\d_]\)\s|\d{{1,2}}(?:\.\d{{1,2}})*[.)]\s|{ROMAN}\.\s)")
#: A sentence cut by a page break is completed on its page with at most this many lines of the next page.
MAX_CARRIED_LINES = 4
#: Sentence punctuation at the end of a line, before closing quotes or brackets.
SENTENCE_END = re.compile(r"[.?!:;…][\"'”’»)\]]*$")
#: Letters only Vietnamese uses (not the accents it shares with French or Portuguese): a word holding one is Vietnamese.
VIETNAMESE = re.compile(r"[ăđơưảẻỉỏủỷạặậẹệịọộợụựỵầấẩẫằắẳẵềếểễồốổỗờớởỡừứửữẽỹĩũ]", re.IGNORECASE)


def strip_page_furniture(pages: Sequence[str]) -> list[str]:
    """Each page's text without running headers/footers and page-number lines.

    Lines are peeled off each edge of a page, at most :data:`ZONE` deep, while they are
    furniture: a page number ("- 3 -", "Trang 3/10", a bare "3" equal to the page number),
    or a running line, found at the same distance from the same edge on most pages.
    Digits are compared as a placeholder, so "Trang 3/10" and "Trang 4/10" are one line,
    but its numbers must be constant or follow the page number ("Điều 5." opening pages
    3 and 9 is no header).
    """
    split = [[line for line in page.split("\n") if line.strip()] for page in pages]
    top = _running_keys([lines[:ZONE] for lines in split])
    bottom = _running_keys([lines[::-1][:ZONE] for lines in split])
    cleaned = []
    for number, lines in enumerate(split, start=1):
        first = _peel(lines, top, number)
        last = len(lines) - _peel(lines[first:][::-1], bottom, number)
        cleaned.append(_keep_between(pages[number - 1], first, last))
    return cleaned


def reflow(text: str) -> str:
    """Join the visual lines of each sentence; keep blank lines, list items and headings on their own lines."""
    lines = text.split("\n")
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    previous = ""
    for line in lines:
        line = line.strip()
        if out and previous and line and continues(previous, line, width):
            out[-1] = _join(out[-1], previous, line)
        else:
            out.append(line)
        previous = line
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def _join(text: str, previous: str, line: str) -> str:
    """``text`` (ending with the line ``previous``) continued by ``line``, undoing end-of-line hyphenation."""
    if previous.endswith("\u00ad"):
        return text[:-1] + line
    if not (previous.endswith("-") and previous[-2:-1].isalpha()):
        return f"{text} {line}"
    if not line[0].islower():
        return text + line  # a compound split at its hyphen ("Bắc-Nam", "COVID-19"): keep the hyphen
    if VIETNAMESE.search(previous.rsplit(" ", 1)[-1] + line.split(" ", 1)[0]):
        # Vietnamese lines break between syllables, never inside one: the hyphen stood for the space.
        return text[:-1] + " " + line
    return text[:-1] + line  # "trans-" + "formation"


def continues(previous: str, line: str, width: int) -> bool:
    """Whether ``line`` goes on with the sentence of ``previous`` (the line before it)."""
    if _starts_block(line) or is_caps_title(previous):
        return False
    if SENTENCE_END.search(previous):
        # A series of clauses wrapped at the margin goes on after a semicolon in lower case ("…; cấp tài khoản …;
        # hướng dẫn du khách …"); a short line ending in one is a list's item.
        return previous.endswith(";") and line[0].islower() and len(previous) >= WRAP_SHARE * max(width, MIN_WRAP_WIDTH)
    if previous.endswith(("-", "\u00ad")) and previous[-2:-1].isalpha():
        return True
    if line[0].islower() or line[0].isdigit() or line[0] in ",;:)]}%”’»":
        return True  # a number that is no list item ("1/7/2025", "12 cơ sở dữ liệu") goes on with the sentence
    title = parse_heading(previous)
    if title is not None and not title.body:
        return False  # "Điều 4. Hiệu lực", "1. Mục đích": the text below starts a paragraph
    # Upper case or an opening quote: a proper noun mid-sentence only if the line before was
    # cut by the margin (a short line without punctuation is a title).
    return len(previous) >= WRAP_SHARE * max(width, MIN_WRAP_WIDTH)


def sentence_head(page: str, tail: str, max_lines: int) -> int:
    """How many first lines of ``page`` end the sentence that ``tail`` (the previous page's text) left
    open: 0 unless its last line goes on into this page's first line (:func:`continues`) and a sentence
    ends within ``max_lines`` lines, none of them a list item or heading."""
    before = [line.strip() for line in tail.split("\n") if line.strip()]
    lines = page.split("\n")
    if not before or not lines or not lines[0].strip():
        return 0
    width = max(len(line) for line in before)
    if not continues(before[-1], lines[0].strip(), width):
        return 0
    for n, line in enumerate(lines[:max_lines], start=1):
        if n > 1 and (not line.strip() or _starts_block(line.strip())):
            return 0
        if SENTENCE_END.search(line.strip()):
            return n
    return 0


def _starts_block(line: str) -> bool:
    if LIST_ITEM.match(line) or is_caps_title(line):
        return True
    heading = parse_heading(line)
    return heading is not None and heading.level <= 4  # Phần, Chương, Mục, Điều, Part, Chapter, …


def _key(line: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line)).strip().casefold()


def _keep_between(page: str, first: int, last: int) -> str:
    """``page`` with only its non-blank lines ``first`` to ``last - 1`` (blank lines between them stay)."""
    kept, filled = [], -1
    for line in page.split("\n"):
        if line.strip():
            filled += 1
            if not first <= filled < last:
                continue
        kept.append(line)
    return "\n".join(kept).strip()


def _peel(lines: list[str], running: dict[int, dict[str, set[int]]], number: int) -> int:
    """How many lines from the start of ``lines`` (one edge of page ``number``) are furniture."""
    depth = 0
    while depth < min(ZONE, len(lines)):
        line = lines[depth]
        if not (number in running.get(depth, {}).get(_key(line), set()) or _is_page_number(line, number)):
            break
        depth += 1
    return depth


def _running_keys(edges: list[list[str]]) -> dict[int, dict[str, set[int]]]:
    """Per distance from the edge, the running lines' keys and the pages they run on.

    ``edges`` holds, per page, its lines from one edge inwards.
    """
    with_text = sum(1 for lines in edges if lines)
    need = max(MIN_PAGES, math.ceil(RUNNING_SHARE * with_text))
    seen: dict[tuple[int, str], list[tuple[int, list[int]]]] = defaultdict(list)
    for number, lines in enumerate(edges, start=1):
        for depth, line in enumerate(lines):
            seen[depth, _key(line)].append((number, [int(d) for d in re.findall(r"\d+", line)]))
    running: dict[int, dict[str, set[int]]] = defaultdict(dict)
    for (depth, key), found in seen.items():
        if len(found) >= need and _numbers_are_furniture(found):
            running[depth][key] = {number for number, _ in found}
    return running


def _numbers_are_furniture(found: list[tuple[int, list[int]]]) -> bool:
    """Each number of the line is constant (a date, a document number) or follows the page number."""
    for column in zip(*(numbers for _, numbers in found)):
        constant = len(set(column)) == 1
        offsets = {value - number for value, (number, _) in zip(column, found)}
        if not constant and len(offsets) != 1:
            return False
    return True


def _is_page_number(line: str, number: int) -> bool:
    """A lone page number; a bare "3" only when it is this page's number (elsewhere it may be data)."""
    line = line.strip()
    match = PAGE_NUMBER.match(line)
    return bool(match) and (line != match.group("n") or int(line) == number)
