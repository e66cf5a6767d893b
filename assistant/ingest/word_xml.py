"""The text of a DOCX that python-docx does not reach, brought into its reach before the walk.

python-docx reads a paragraph's text from its *direct* runs and hyperlinks, a body's blocks from its
direct paragraphs and tables, a table's rows and cells from its direct rows and cells. Word puts text
one level deeper in several ordinary cases, and python-docx then reads none of it:

* **content controls** (``w:sdt``): the fields of a fillable template ("Họ và tên: [Ông Lê Văn An]"),
  a cover page, a repeating section of a table's rows;
* **tracked insertions** (``w:ins``, ``w:moveTo``): a draft with its changes not yet accepted;
* **simple fields, smart tags, custom XML** (``w:fldSimple``, ``w:smartTag``, ``w:customXml``);
* **text boxes** (``w:txbxContent`` inside a drawing), often with a second copy for older readers
  (``mc:Fallback``);
* **footnotes and endnotes** (their own parts of the package): the legal basis a guidebook cites.

:func:`unwrap_hidden_content` rewrites the loaded tree in memory (the file is not touched): each wrapper
is replaced by its content, and each text box's paragraphs follow the paragraph holding the box, once;
:func:`insert_notes` puts each note's paragraphs after the paragraph that refers to it.
Deleted text (``w:del``, ``w:moveFrom``) stays where python-docx does not read it. No library does
this for python-docx (docx2python reads the text, but not the styles and table grid the walk needs).
"""

from __future__ import annotations

from collections import Counter
from copy import deepcopy

from lxml import etree

from assistant.ingest.legacy_encodings import LegacyEncoding, font_encoding
from assistant.ingest.word_styles import StyleChains

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: Wrappers whose children are the content: replaced by them.
WRAPPERS = (f"{_W}ins", f"{_W}moveTo", f"{_W}fldSimple", f"{_W}smartTag", f"{_W}customXml")
_SDT, _SDT_CONTENT = f"{_W}sdt", f"{_W}sdtContent"
_TEXT_BOX, _PARAGRAPH, _TABLE = f"{_W}txbxContent", f"{_W}p", f"{_W}tbl"
_FALLBACK = f"{_MC}Fallback"


def unwrap_hidden_content(body: etree._Element) -> None:
    """Make the text under content controls, tracked insertions, fields, smart tags, custom XML and
    text boxes direct content of its paragraph, table or body, as python-docx reads it."""
    for fallback in list(body.iter(_FALLBACK)):  # a second copy of a text box (or drawing) for older readers
        fallback.getparent().remove(fallback)
    _lift_text_boxes(body)
    for element in list(body.iter(_SDT, *WRAPPERS)):  # outer wrappers first; inner ones are moved, not lost
        content = element.find(_SDT_CONTENT) if element.tag == _SDT else element
        if element.getparent() is not None:
            _replace_with(element, [] if content is None else [c for c in content if c.tag != f"{_W}sdtPr"])


def unwrap_frames(body: etree._Element) -> int:
    """A table of one cell drawn round the content (a form framed by a border, a whole template laid out in
    one cell) is no table: its paragraphs and tables take its place, so that its headings and lists are
    read as they are outside a frame (python-docx would give the cell's text as one run-on value). Frames
    inside frames too; a cell of a real table is left alone. Returns how many frames were opened."""
    opened = 0
    while True:
        frames = [table for table in body.iterchildren(_TABLE) if _single_cell(table) is not None]
        if not frames:
            return opened
        for table in frames:
            _replace_with(table, [child for child in _single_cell(table) if child.tag in (_PARAGRAPH, _TABLE, _SDT)])
            opened += 1


def _replace_with(element: etree._Element, children: list[etree._Element]) -> None:
    """Put ``children`` (moved, in order) where ``element`` stood, and drop ``element``."""
    parent = element.getparent()
    position = parent.index(element)
    parent.remove(element)
    for offset, child in enumerate(children):
        parent.insert(position + offset, child)


def _single_cell(table: etree._Element) -> etree._Element | None:
    rows = table.findall(f"{_W}tr")
    cells = rows[0].findall(f"{_W}tc") if len(rows) == 1 else []
    return cells[0] if len(cells) == 1 else None


def insert_notes(body: etree._Element, notes: dict[str, etree._Element | None]) -> int:
    """Copy each footnote's or endnote's paragraphs (``notes``: "footnote" and "endnote" to the root of their
    part, or None) after the paragraph of ``body`` that refers to it, in the order referred to; returns how
    many notes were placed. The separators Word keeps among the notes are no notes."""
    placed = 0
    for kind, root in notes.items():
        if root is None:
            continue
        by_id = {note.get(f"{_W}id"): note for note in root.iter(f"{_W}{kind}")
                 if note.get(f"{_W}type") in (None, "normal")}  # fmt: skip
        for paragraph in list(body.iter(_PARAGRAPH)):
            anchor = paragraph
            for reference in paragraph.iter(f"{_W}{kind}Reference"):
                note = by_id.get(reference.get(f"{_W}id"))
                if note is None:
                    continue
                for block in [child for child in note if child.tag in (_PARAGRAPH, _TABLE)]:
                    copy = deepcopy(block)
                    anchor.addnext(copy)
                    anchor = copy
                placed += 1
    return placed


def _lift_text_boxes(body: etree._Element) -> None:
    """Each text box's paragraphs and tables, moved to follow the paragraph that holds the box (in its
    order), innermost boxes first so that a box inside a box is lifted out of both."""
    boxes = list(body.iter(_TEXT_BOX))
    for box in reversed(boxes):
        host = next((a for a in box.iterancestors(_PARAGRAPH)), None)
        if host is None or host.getparent() is None:
            continue
        anchor = host
        for block in [child for child in box if child.tag in (_PARAGRAPH, _TABLE, _SDT)]:
            anchor.addnext(block)
            anchor = block
        box.getparent().remove(box)


def recode_legacy_runs(body: etree._Element, styles: etree._Element | None) -> Counter[LegacyEncoding]:
    """Recode the text of each run drawn in a legacy font, TCVN3 or VNI
    (:mod:`assistant.ingest.legacy_encodings`), to Unicode, in place; returns how many runs of each
    encoding were. A run's font is its own, else its character style's, else its
    paragraph style's (or the default paragraph style's), else the document default, styles followed
    up their "based on" chain; for each, the font of characters past ASCII (``w:hAnsi``), else ``w:ascii``."""
    chains = StyleChains(styles)
    document_default = _font(chains.defaults.find(f"{_W}rPrDefault/{_W}rPr")) if chains.defaults is not None else None

    def style_font(style_id: str | None) -> str | None:
        return chains.first(style_id, lambda style: _font(style.find(f"{_W}rPr")))

    recoded: Counter[LegacyEncoding] = Counter()
    for paragraph in body.iter(_PARAGRAPH):
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        paragraph_font = style_font(style.get(f"{_W}val") if style is not None else chains.default_paragraph)
        for run in paragraph.iter(f"{_W}r"):
            properties = run.find(f"{_W}rPr")
            character = properties.find(f"{_W}rStyle") if properties is not None else None
            font = (_font(properties) or (style_font(character.get(f"{_W}val")) if character is not None else None)
                    or paragraph_font)  # fmt: skip
            legacy, capitals = font_encoding(font or document_default)
            if legacy is None:
                continue
            recoded[legacy] += 1
            for text in run.iter(f"{_W}t"):
                text.text = legacy.read(text.text or "", capitals)
    return recoded


def _font(properties: etree._Element | None) -> str | None:
    fonts = properties.find(f"{_W}rFonts") if properties is not None else None
    if fonts is None:
        return None
    return fonts.get(f"{_W}hAnsi") or fonts.get(f"{_W}ascii")
