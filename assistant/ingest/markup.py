"""HTML pages: visible text by BeautifulSoup, split into sections at h1–h6.

LangChain's ``BSHTMLLoader`` returns one flat ``get_text()`` per page (no sections,
inline elements split onto separate lines), so the page is walked here instead.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

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
    table cells joined by " | ", headings as marked lines."""
    for heading in root.find_all(re.compile(r"^h[1-6]$")):
        words = heading.get_text(" ", strip=True)
        words = re.sub(r"\s+", " ", words)
        heading.replace_with(NavigableString(f"\n\n{HEADING_MARK}{heading.name[1]} {words}\n\n"))
    for string in list(root.find_all(string=True)):
        if (
            type(string) is NavigableString
            and string.find_parent("pre") is None
            and not string.startswith(f"\n\n{HEADING_MARK}")
        ):
            string.replace_with(NavigableString(re.sub(r"\s+", " ", str(string))))
    for br in root.find_all("br"):
        br.replace_with(NavigableString("\n"))
    for cell in root.find_all(["td", "th"]):
        cell.append(NavigableString(" | "))
    for block in root.find_all(BLOCK_TAGS | LINE_TAGS):
        gap = _LINE_GAP if block.name in LINE_TAGS else _BLOCK_GAP
        block.insert_before(NavigableString(gap))
        block.insert_after(NavigableString(gap))
    text = _GAPS.sub(_gap, root.get_text())
    lines = [line.strip() for line in text.split("\n")]
    lines = [re.sub(r"\s*\|$", "", line) for line in lines]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _gap(match: re.Match[str]) -> str:
    """A run of breaks: a paragraph break if it holds a block boundary or two newlines."""
    run = match.group()
    return "\n\n" if _BLOCK_GAP in run or run.count("\n") >= 2 else "\n"
