"""The text of a DOCX that python-docx does not reach, brought into its reach before the walk.

python-docx reads a paragraph's text from its *direct* runs and hyperlinks, a body's blocks from its
direct paragraphs and tables, a table's rows and cells from its direct rows and cells. Word puts text
one level deeper in several ordinary cases, and python-docx then reads none of it:

* **content controls** (``w:sdt``): the fields of a fillable template ("Họ và tên: [Ông Lê Văn An]"),
  a cover page, a repeating section of a table's rows;
* **tracked insertions** (``w:ins``, ``w:moveTo``): a draft with its changes not yet accepted;
* **simple fields, smart tags, custom XML** (``w:fldSimple``, ``w:smartTag``, ``w:customXml``);
* **text boxes** (``w:txbxContent`` inside a drawing), often with a second copy for older readers
  (``mc:Fallback``).

:func:`unwrap_hidden_content` rewrites the loaded tree in memory (the file is not touched): each wrapper
is replaced by its content, and each text box's paragraphs follow the paragraph holding the box, once.
Deleted text (``w:del``, ``w:moveFrom``) stays where python-docx does not read it. No library does
this for python-docx (docx2python reads the text, but not the styles and table grid the walk needs).
"""

from __future__ import annotations

from lxml import etree

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
        children = [] if content is None else [child for child in content if child.tag != f"{_W}sdtPr"]
        parent = element.getparent()
        if parent is None:
            continue
        position = parent.index(element)
        parent.remove(element)
        for offset, child in enumerate(children):
            parent.insert(position + offset, child)


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
