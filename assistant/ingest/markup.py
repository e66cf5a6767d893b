"""HTML pages: visible text by BeautifulSoup, split into sections at h1–h6.

LangChain's ``BSHTMLLoader`` returns one flat ``get_text()`` per page (no sections,
inline elements split onto separate lines), so the page is walked here instead.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, CData, NavigableString, PageElement, Tag

from assistant.ingest.base import Hints, Parsed
from assistant.ingest.furniture import clean_text
from assistant.ingest.metadata import find_date
from assistant.ingest.text import split_sections

#: Elements whose content is never article text.
DROP_TAGS = ("script", "style", "nav", "footer", "noscript", "template", "svg", "iframe", "head")
#: Elements that start a new block of text.
BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure form header hr li main "
    "ol p pre section table tbody thead tfoot ul caption details summary".split()
)
#: Elements that start a new line but not a new paragraph.
LINE_TAGS = frozenset({"tr"})
#: Marks a heading line while the text is cleaned (a private-use character, not whitespace).
HEADING_MARK = "\ue000"
_LINE_GAP, _BLOCK_GAP = "\ue001", "\ue002"
_GAPS = re.compile(r"[ \t]*[\n\ue001\ue002][\s\ue001\ue002]*")
_HEADING_LINE = re.compile(rf"^{HEADING_MARK}([1-6]) (.*)$")
_HEADING_TAG = re.compile(r"^h([1-6])$")
#: The strings bs4's ``get_text`` counts as text (not comments, doctypes, <rt> ruby text...).
_TEXT_TYPES = (NavigableString, CData)


def read_html(text: str, site: str | None = None) -> Parsed:
    """Units per heading section; ``<title>`` (or og:title, first h1) and canonical URL as hints."""
    soup = BeautifulSoup(text, "lxml")
    hints = _hints(soup)
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    root = soup.body or soup
    flat = _flatten(root)
    cleaned, url = clean_text(flat, site)
    units, headings = split_sections(cleaned, _heading, fences=False)
    hints.url = url or hints.url
    hints.date = hints.date or find_date(flat)
    if hints.title is None and headings:
        hints.title = headings[0][1]
    return Parsed(units=units, hints=hints)


def _heading(line: str) -> tuple[int, str] | None:
    match = _HEADING_LINE.match(line)
    return (int(match.group(1)), match.group(2).strip()) if match and match.group(2).strip() else None


def _hints(soup: BeautifulSoup) -> Hints:
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if not title:
        title = _meta(soup, "og:title") or ""
    url = None
    canonical = soup.find("link", rel="canonical")
    if isinstance(canonical, Tag) and str(canonical.get("href", "")).startswith(("http://", "https://")):
        url = str(canonical["href"])
    og_url = _meta(soup, "og:url")
    if url is None and og_url and og_url.startswith(("http://", "https://")):
        url = og_url
    published = _meta(soup, "article:published_time") or ""
    date = published[:10] if re.match(r"\d{4}-\d{2}-\d{2}", published) else None
    return Hints(title=re.sub(r"\s+", " ", title).strip() or None, url=url, date=date)


def _meta(soup: BeautifulSoup, prop: str) -> str | None:
    tag = soup.find("meta", attrs={"property": prop}) or soup.find("meta", attrs={"name": prop})
    if isinstance(tag, Tag) and tag.get("content"):
        return str(tag["content"]).strip()
    return None


def _flatten(root: Tag) -> str:
    """Visible text: blocks separated by blank lines, ``<br>`` as a line break,
    table cells joined by " | ", headings as marked lines.

    One walk over the tree with a stack of its own, in document order, so that nesting costs
    nothing: inserting markers into the tree costs bs4 a walk down (and up) the element for
    each one, quadratic in a page of 20,000 nested ``<div>`` (minutes).
    """
    parts: list[str] = []
    # Items: (node, inside <pre>), or a marker string emitted when an element's children are done.
    stack: list[tuple[PageElement, bool] | str] = [(child, False) for child in reversed(root.contents)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        node, in_pre = item
        if isinstance(node, Tag):
            parts.extend(_open_tag(node, in_pre, stack))
        elif type(node) in _TEXT_TYPES:  # not comments, doctypes, <rt> ruby text...
            parts.append(str(node) if in_pre else re.sub(r"\s+", " ", str(node)))
    text = _GAPS.sub(_gap, "".join(parts))
    lines = [line.strip() for line in text.split("\n")]
    lines = [re.sub(r"\s*\|$", "", line) for line in lines]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _open_tag(tag: Tag, in_pre: bool, stack: list[tuple[PageElement, bool] | str]) -> list[str]:
    """What ``tag`` emits before its children; pushes its children, then what follows them."""
    heading = _HEADING_TAG.match(tag.name)
    if heading:
        words = re.sub(r"\s+", " ", " ".join(_strings(tag)))
        return [f"\n\n{HEADING_MARK}{heading.group(1)} {words}\n\n"]
    if tag.name == "br":
        return ["\n"]
    gap = _LINE_GAP if tag.name in LINE_TAGS else _BLOCK_GAP if tag.name in BLOCK_TAGS else ""
    if gap:
        stack.append(gap)
    if tag.name in ("td", "th"):
        stack.append(" | ")
    in_pre = in_pre or tag.name == "pre"
    stack.extend((child, in_pre) for child in reversed(tag.contents))
    return [gap]


def _strings(tag: Tag) -> list[str]:
    """The stripped, non-empty visible strings under ``tag`` (bs4's ``get_text(" ", strip=True)`` parts)."""
    return [s for d in tag.descendants if type(d) in _TEXT_TYPES and (s := d.strip())]


def _gap(match: re.Match[str]) -> str:
    """A run of breaks: a paragraph break if it holds a block boundary or two newlines."""
    run = match.group()
    return "\n\n" if _BLOCK_GAP in run or run.count("\n") >= 2 else "\n"
