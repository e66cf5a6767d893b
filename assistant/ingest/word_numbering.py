"""The labels Word numbers paragraphs with ("Điều 1.", "1.", "a)", "II."), written into their text.

An automatically numbered paragraph stores no number: Word draws "Điều 3." or "2.1." from the
numbering definitions (``word/numbering.xml``) and counts as it lays the document out, and python-docx
reads only the stored text. A decision whose articles are numbered this way then has no "Điều 3" for
the heading rules, the answer or the citation, and "the fourth step" of a numbered procedure no 4.

:func:`write_numbering_labels` counts the paragraphs as Word does (per list, each level restarting when
a higher one moves on, from each level's start value or the list's override) and puts each label, as
Word formats it (decimal, letters, Roman numerals, a level's text such as "Điều %1." or "%1.%2."), in
front of the paragraph's text in the loaded tree. Bullets get no label. No maintained library does
this for python-docx's tree (docx2python renders numbering, but not into the styles and tables the walk
reads).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from assistant.ingest.word_styles import StyleChains

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{_W}val"
_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


@dataclass(frozen=True)
class Level:
    """One level of a list: its number format ("decimal", "upperRoman", "bullet", …), its text with
    ``%N`` for level N's number, its start value, and what follows the label (a tab, a space or nothing)."""

    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    suffix: str = "tab"


def write_numbering_labels(
    body: etree._Element, numbering: etree._Element | None, styles: etree._Element | None
) -> int:
    """Put the label of each numbered paragraph of ``body`` in front of its text; returns how many.

    Lists sharing a definition share its counters, as in Word; a list that restarts the numbering
    (a start override) sets its levels to their new start where it is first used."""
    if numbering is None:
        return 0
    lists = _Lists(numbering)
    chains = StyleChains(styles)
    counters: dict[str, list[int]] = {}
    started: set[str] = set()
    labelled = 0
    for paragraph in body.iter(f"{_W}p"):
        num_id, ilvl = _paragraph_number(paragraph, chains)
        found = lists.nums.get(num_id) if num_id else None
        if found is None or ilvl >= len(found.levels):
            continue
        levels = found.levels
        count = counters.setdefault(found.abstract, [level.start - 1 for level in levels])
        if num_id not in started:
            started.add(num_id)
            for level, start in found.restarts.items():
                count[level] = start - 1
        count[ilvl] += 1
        for deeper in range(ilvl + 1, len(levels)):
            count[deeper] = levels[deeper].start - 1
        label = _label(levels, ilvl, count)
        if not label:
            continue
        run, text = etree.Element(f"{_W}r"), etree.Element(f"{_W}t")
        text.text = label + ("" if levels[ilvl].suffix == "nothing" else " ")
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(text)
        properties = paragraph.find(f"{_W}pPr")
        paragraph.insert(0 if properties is None else paragraph.index(properties) + 1, run)
        labelled += 1
    return labelled


def _label(levels: list[Level], ilvl: int, count: list[int]) -> str:
    level = levels[ilvl]
    if level.fmt in ("bullet", "none"):
        return ""

    def number(match: re.Match) -> str:
        n = int(match.group(1)) - 1
        return format_number(count[n], levels[n].fmt) if n < len(levels) else ""

    return _PLACEHOLDER.sub(number, level.text).strip()


def format_number(n: int, fmt: str) -> str:
    """``n`` as a list number of format ``fmt``: 3 → "3", "03", "c", "C", "iii", "III"."""
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letters = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman") and n > 0:
        roman, rest = "", n
        for value, numeral in _ROMAN:
            while rest >= value:
                roman, rest = roman + numeral, rest - value
        return roman.upper() if fmt == "upperRoman" else roman
    return str(n)  # decimal, and the formats read here as decimal (ordinal words, full-width digits, …)


@dataclass(frozen=True)
class _List:
    abstract: str
    levels: list[Level]
    restarts: dict[int, int]  # level -> the start value this list restarts it at


class _Lists:
    """The numbering part: each list (``w:num``), the definition it uses, and its start overrides."""

    def __init__(self, numbering: etree._Element) -> None:
        definitions = {a.get(f"{_W}abstractNumId"): _levels(a) for a in numbering.iter(f"{_W}abstractNum")}
        self.nums: dict[str, _List] = {}
        for num in numbering.iter(f"{_W}num"):
            element = num.find(f"{_W}abstractNumId")
            abstract = element.get(_VAL) if element is not None else None
            if abstract not in definitions:
                continue
            restarts = {}
            for override in num.iter(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                level, value = _int(override.get(f"{_W}ilvl")), _int(start.get(_VAL)) if start is not None else None
                if level is not None and value is not None:
                    restarts[level] = value
            self.nums[num.get(f"{_W}numId")] = _List(abstract, definitions[abstract], restarts)


def _levels(abstract: etree._Element) -> list[Level]:
    found: dict[int, Level] = {}
    for lvl in abstract.iter(f"{_W}lvl"):
        ilvl = _int(lvl.get(f"{_W}ilvl"))
        if ilvl is None or not 0 <= ilvl < 9:
            continue
        fmt, text, start, suffix = (_val(lvl, name) for name in ("numFmt", "lvlText", "start", "suff"))
        found[ilvl] = Level(
            fmt or "decimal", text or "", _int(start) if _int(start) is not None else 1, suffix or "tab"
        )
    return [found.get(i, Level()) for i in range(max(found) + 1)] if found else []


def _val(parent: etree._Element, name: str) -> str | None:
    element = parent.find(f"{_W}{name}")
    return element.get(_VAL) if element is not None else None


def _style_number(style: etree._Element) -> tuple[str, int] | None:
    """The list and level a style numbers its paragraphs with, when it sets them itself."""
    num = style.find(f"{_W}pPr/{_W}numPr")
    num_id = num.find(f"{_W}numId") if num is not None else None
    if num_id is None or num_id.get(_VAL) is None:
        return None
    ilvl = num.find(f"{_W}ilvl")
    return num_id.get(_VAL), (_int(ilvl.get(_VAL)) if ilvl is not None else None) or 0


def _paragraph_number(paragraph: etree._Element, chains: StyleChains) -> tuple[str | None, int]:
    """The list (``numId``, "0" meaning none) and level a paragraph is numbered by: its own, else its style's."""
    properties = paragraph.find(f"{_W}pPr")
    num = properties.find(f"{_W}numPr") if properties is not None else None
    style = properties.find(f"{_W}pStyle") if properties is not None else None
    inherited = (chains.first(style.get(_VAL), _style_number) if style is not None else None) or (None, 0)
    num_id_el = num.find(f"{_W}numId") if num is not None else None
    ilvl_el = num.find(f"{_W}ilvl") if num is not None else None
    num_id = num_id_el.get(_VAL) if num_id_el is not None else inherited[0]
    ilvl = _int(ilvl_el.get(_VAL)) if ilvl_el is not None else inherited[1]
    return (None if num_id in (None, "0") else num_id), (ilvl or 0)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
