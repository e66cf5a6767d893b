"""Word's automatic numbering written into the text (assistant.ingest.word_numbering)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from assistant.ingest.word import read_docx
from assistant.ingest.word_numbering import format_number

W = nsdecls("w")


def _level(ilvl: int, fmt: str, text: str, start: int = 1, suffix: str | None = None) -> str:
    suff = f"<w:suff w:val='{suffix}'/>" if suffix else ""
    return (f"<w:lvl w:ilvl='{ilvl}'><w:start w:val='{start}'/><w:numFmt w:val='{fmt}'/>{suff}"
            f"<w:lvlText w:val='{text}'/></w:lvl>")  # fmt: skip


def _paragraph(text: str, num_id: int | None = None, ilvl: int = 0, style: str | None = None) -> str:
    props = f"<w:pStyle w:val='{style}'/>" if style else ""
    if num_id is not None:
        props += f"<w:numPr><w:ilvl w:val='{ilvl}'/><w:numId w:val='{num_id}'/></w:numPr>"
    return f"<w:p {W}><w:pPr>{props}</w:pPr><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def _decision(path: Path) -> Path:
    """Articles numbered "Điều N." by a style, duties numbered 1., 2. with a), b) under them, a second
    list restarting at 1, a bulleted list, and a paragraph taken out of its list."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    definitions = [
        (901, _level(0, "decimal", "Điều %1.", suffix="space")),
        (902, _level(0, "decimal", "%1.") + _level(1, "lowerLetter", "%2)") + _level(2, "decimal", "%1.%2.%3.")),
        (903, _level(0, "bullet", "•")),
        (904, _level(0, "upperRoman", "%1.")),
    ]
    for abstract, levels in definitions:
        numbering.append(parse_xml(f"<w:abstractNum {W} w:abstractNumId='{abstract}'>{levels}</w:abstractNum>"))
    for num_id, abstract, restart in ((91, 901, None), (92, 902, None), (93, 902, 1), (94, 903, None), (95, 904, None)):
        override = (f"<w:lvlOverride w:ilvl='0'><w:startOverride w:val='{restart}'/></w:lvlOverride>"
                    if restart else "")  # fmt: skip
        numbering.append(parse_xml(f"<w:num {W} w:numId='{num_id}'><w:abstractNumId w:val='{abstract}'/>{override}</w:num>"))
    styles = document.styles.element
    styles.append(parse_xml(f"<w:style {W} w:type='paragraph' w:styleId='Dieu'><w:name w:val='Dieu'/>"
                            "<w:pPr><w:numPr><w:numId w:val='91'/></w:numPr></w:pPr></w:style>"))  # fmt: skip
    body = document.element.body
    for xml in [
        _paragraph("NỘI DUNG CHÍNH", 95),
        _paragraph("Thành lập Tổ công tác.", style="Dieu"),
        _paragraph("Tổ công tác gồm 5 thành viên."),
        _paragraph("Nhiệm vụ của Tổ công tác", style="Dieu"),
        _paragraph("Rà soát thủ tục hành chính:", 92),
        _paragraph("cấp xã;", 92, 1),
        _paragraph("cấp tỉnh.", 92, 1),
        _paragraph("Báo cáo trước ngày 20 hằng tháng.", 92),
        _paragraph("hằng tháng;", 92, 1),  # level 1 restarts under the new item
        _paragraph("Ghi chú của mẫu, không thuộc danh sách.", 0),  # numId 0: taken out of the list
        _paragraph("Một danh sách khác bắt đầu lại từ đầu.", 93),
        _paragraph("Tài liệu kèm theo", 94),
        _paragraph("Hiệu lực thi hành", style="Dieu"),
        _paragraph("Quyết định có hiệu lực từ ngày ký."),
    ]:
        body.insert(len(body) - 1, parse_xml(xml))
    document.save(path)
    return path


@pytest.fixture
def units(tmp_path: Path):
    return read_docx(_decision(tmp_path / "quyet-dinh.docx")).units


def test_numbered_articles_are_headings_with_their_numbers(units) -> None:
    assert units[0].text == "I. NỘI DUNG CHÍNH"  # upper-case Roman numerals
    assert [u.section.split(" > ")[0] for u in units[1:]] == [
        "Điều 1. Thành lập Tổ công tác.", "Điều 2. Nhiệm vụ của Tổ công tác", "Điều 3. Hiệu lực thi hành",
    ]  # fmt: skip


def test_list_items_carry_the_labels_word_draws(units) -> None:
    (duties,) = [u.text for u in units if u.section and u.section.startswith("Điều 2. Nhiệm vụ của Tổ công tác")]
    assert duties.split("\n\n") == [
        "1. Rà soát thủ tục hành chính:",
        "a) cấp xã;",
        "b) cấp tỉnh.",
        "2. Báo cáo trước ngày 20 hằng tháng.",
        "a) hằng tháng;",
        "Ghi chú của mẫu, không thuộc danh sách.",
        "1. Một danh sách khác bắt đầu lại từ đầu.",
        "Tài liệu kèm theo",  # a bullet: no label
    ]


@pytest.mark.parametrize(
    ("n", "fmt", "text"),
    [(3, "decimal", "3"), (3, "decimalZero", "03"), (3, "lowerLetter", "c"), (28, "lowerLetter", "bb"),
     (4, "upperLetter", "D"), (14, "lowerRoman", "xiv"), (1999, "upperRoman", "MCMXCIX"), (5, "ordinal", "5")],
)  # fmt: skip
def test_numbers_are_formatted_as_word_formats_them(n: int, fmt: str, text: str) -> None:
    assert format_number(n, fmt) == text


def test_a_document_without_numbering_definitions_reads_as_before(tmp_path: Path) -> None:
    """python-docx's own ``numbering_part`` would try to create the missing part and fail."""
    import re
    import zipfile

    document = docx.Document()
    document.add_paragraph("Điều 1. Phạm vi")
    document.add_paragraph("Quy chế áp dụng cho Tổ công tác.")
    document.save(tmp_path / "full.docx")
    with zipfile.ZipFile(tmp_path / "full.docx") as source, zipfile.ZipFile(tmp_path / "bare.docx", "w") as bare:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/numbering.xml":
                continue
            if item.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb"<Relationship [^>]*numbering[^>]*/>", b"", data)
            bare.writestr(item, data)
    (unit,) = read_docx(tmp_path / "bare.docx").units
    assert (unit.section, unit.text) == ("Điều 1. Phạm vi", "Quy chế áp dụng cho Tổ công tác.")
