"""Plain text and Markdown.

Plain text becomes one unit, or one unit per section when it has heading lines
written as text ("Chương 2", "Điều 4. …"; see :mod:`assistant.ingest.headings`);
Markdown one unit per heading section. ``section`` is the heading path "H1 > H2".
LangChain's ``MarkdownHeaderTextSplitter`` is not used: it joins lines with
``"  \\n"`` and drops the blank lines between paragraphs, which the chunker relies
on, and strips code indentation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

import yaml

from assistant.ingest.base import Hints, Parsed, Unit
from assistant.ingest.furniture import clean_text
from assistant.ingest.headings import find_headings
from assistant.ingest.metadata import find_date

ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)

HeadingParser = Callable[[str], "tuple[float, str] | None"]
#: Marks a heading line of plain text for :func:`split_sections` (a private-use character, never in text).
_PLAIN_MARK = "\ue003"
_PLAIN_HEADING = re.compile(rf"^{_PLAIN_MARK}([\d.]+)\t(.*)$")


def read_plain(text: str, site: str | None = None) -> Parsed:
    """The cleaned text, split at heading lines if it has any; paragraphs stay separated by blank lines."""
    cleaned, url = clean_text(text, site)
    hints = Hints(url=url, date=find_date(text))
    lines = cleaned.split("\n")
    headings = find_headings(lines)
    if not any(headings):
        return Parsed(units=[Unit(text=cleaned)], hints=hints)
    marked: list[str] = []
    for line, heading in zip(lines, headings):
        if heading is not None:
            marked.append(f"{_PLAIN_MARK}{heading.level}\t{heading.title}")
        if heading is None or heading.body:  # a heading with body text on its line keeps the line
            marked.append(line)
    units, _ = split_sections("\n".join(marked), _plain_heading, fences=False)
    return Parsed(units=units, hints=hints)


def _plain_heading(line: str) -> tuple[float, str] | None:
    match = _PLAIN_HEADING.match(line)
    return (float(match.group(1)), match.group(2)) if match else None


def read_markdown(text: str, site: str | None = None) -> Parsed:
    """One unit per section; YAML front matter (title, date, url) becomes hints."""
    hints, body = _front_matter(text)
    cleaned, url = clean_text(body, site)
    units, headings = split_sections(cleaned, markdown_heading, setext=True)
    hints.url = hints.url or url
    hints.date = hints.date or find_date(body)
    if hints.title is None and headings:
        top = min(level for level, _ in headings)
        hints.title = next(title for level, title in headings if level == top)
    return Parsed(units=units, hints=hints)


def markdown_heading(line: str) -> tuple[int, str] | None:
    """``(level, text)`` for an ATX heading line (``## Title``), else None."""
    match = ATX_HEADING.match(line)
    if not match:
        return None
    title = match.group(2).strip().strip("*_`").strip()
    return (len(match.group(1)), title) if title else None


def split_sections(
    text: str, heading: HeadingParser, *, setext: bool = False, fences: bool = True
) -> tuple[list[Unit], list[tuple[float, str]]]:
    """Split ``text`` at heading lines; return the units and every heading seen.

    ``heading`` recognises a heading line. Fenced code blocks are never split; with
    ``setext`` a paragraph line underlined with ``===``/``---`` is a level 1/2 heading.
    """
    units: list[Unit] = []
    headings: list[tuple[float, str]] = []
    stack: list[tuple[float, str]] = []
    buffer: list[str] = []
    fence: str | None = None

    def flush() -> None:
        body = "\n".join(buffer).strip()
        if body:
            units.append(Unit(text=body, section=" > ".join(t for _, t in stack) or None))
        buffer.clear()

    def open_section(level: float, title: str) -> None:
        flush()
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        headings.append((level, title))

    for line in text.split("\n"):
        opener = FENCE.match(line) if fences else None
        if fence is not None:
            buffer.append(line)
            if opener and opener.group(1) == fence:
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            buffer.append(line)
            continue
        found = heading(line)
        if found:
            open_section(*found)
            continue
        if setext and _is_setext(line, buffer):
            title = buffer.pop().strip()
            open_section(1 if line.strip().startswith("=") else 2, title)
            continue
        buffer.append(line)
    flush()
    return units, headings


def _is_setext(line: str, buffer: list[str]) -> bool:
    """An underline directly below a single-line paragraph (not a list item or rule)."""
    if not SETEXT_UNDERLINE.match(line) or not buffer or not buffer[-1].strip():
        return False
    previous = buffer[-1].strip()
    if re.match(r"^([-*+]|\d+[.)])\s", previous):
        return False
    return len(buffer) == 1 or not buffer[-2].strip()


def _front_matter(text: str) -> tuple[Hints, str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return Hints(), text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return Hints(), text  # not front matter after all: keep it as content
    if not isinstance(data, dict):
        return Hints(), text
    hints = Hints(
        title=_str_or_none(data.get("title")),
        url=_str_or_none(data.get("url") or data.get("source")),
        date=_date_or_none(data.get("date")),
    )
    if hints.url and not hints.url.startswith(("http://", "https://")):
        hints.url = None
    return hints, text[match.end() :]


def _str_or_none(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _date_or_none(value: object) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()
    return None
