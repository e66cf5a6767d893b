"""DOCX text python-docx does not reach by itself: content controls, tracked changes, fields, text boxes."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from assistant.ingest import load_file, load_manifest
from assistant.settings import CorpusSettings

W = nsdecls("w")
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _sdt(content: str) -> str:
    return f"<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"


def _text_box(text: str) -> str:
    box = f"<w:txbxContent><w:p>{_run(text)}</w:p></w:txbxContent>"
    return (
        f"<mc:AlternateContent><mc:Choice Requires='wps'><w:drawing>{box}</w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent>"
    )


def _template(path: Path) -> Path:
    """A fillable decision: its values in content controls, a draft's tracked changes, a stamp in a text box."""
    document = docx.Document()
    body = document.element.body
    blocks = [
        f"<w:p {W}>{_run('Điều 1. Thành lập Tổ công tác')}</w:p>",
        # a field of the form: the value typed into a content control inside the paragraph
        f"<w:p {W}>{_run('Tổ trưởng: ')}{_sdt(_run('Ông Lê Văn An'))}</w:p>",
        # a paragraph inside a block-level content control
        f"<w:sdt {W}><w:sdtContent><w:p>{_run('Hạn hoàn thành trước ngày 30/9/2025.')}</w:p></w:sdtContent></w:sdt>",
        # a draft: an insertion not yet accepted, a deletion, a date field
        (
            f"<w:p {W}>{_run('Báo cáo gửi ')}<w:ins w:id='1' w:author='a'>{_run('Sở Nội vụ ')}</w:ins>"
            f"<w:del w:id='2' w:author='a'><w:r><w:delText>Sở Tài chính </w:delText></w:r></w:del>"
            f"<w:fldSimple w:instr='DATE'>{_run('hằng tháng')}</w:fldSimple>{_run('.')}</w:p>"
        ),
        # a stamp in a text box, stored twice (for new and old readers)
        f"<w:p {W} {MC}><w:r>{_text_box('DỰ THẢO LẦN 2')}</w:r>{_run('Điều 2. Hiệu lực thi hành')}</w:p>",
        f"<w:p {W}>{_run('Quyết định có hiệu lực từ ngày ký.')}</w:p>",
    ]
    for xml in blocks:
        body.insert(len(body) - 1, parse_xml(xml))  # before the section properties
    table = document.add_table(rows=2, cols=2)
    for cell, value in zip(table.rows[0].cells + table.rows[1].cells, ("STT", "Họ và tên", "1", "Bà Trần Thị Bình")):
        cell.text = value
    # a repeating section: the third row inside a content control, its name in a control of its cell
    row = parse_xml(f"<w:tr {W}><w:tc><w:p>{_run('2')}</w:p></w:tc><w:tc><w:p>{_sdt(_run('Ông Phạm Văn Cường'))}</w:p></w:tc></w:tr>")
    table._tbl.append(parse_xml(f"<w:sdt {W}><w:sdtContent/></w:sdt>"))
    table._tbl[-1][0].append(row)
    document.save(path)
    return path


@pytest.fixture
def loaded(tmp_path: Path):
    settings = CorpusSettings(dir=tmp_path)
    path = _template(tmp_path / "mau-quyet-dinh.docx")
    return load_file(path, tmp_path, settings, manifest=load_manifest(tmp_path, settings)).documents


def test_a_templates_filled_fields_and_a_drafts_insertions_are_read(loaded) -> None:
    text = "\n".join(d.page_content for d in loaded)
    assert "Tổ trưởng: Ông Lê Văn An" in text
    assert "Hạn hoàn thành trước ngày 30/9/2025." in text
    assert "Báo cáo gửi Sở Nội vụ hằng tháng." in text
    assert "Sở Tài chính" not in text  # deleted in the draft


def test_a_text_box_is_read_once_and_does_not_hide_the_heading_beside_it(loaded) -> None:
    text = "\n".join(d.page_content for d in loaded)
    assert text.count("DỰ THẢO LẦN 2") == 1
    (article,) = [d for d in loaded if "Quyết định có hiệu lực" in d.page_content]
    assert article.metadata["section"] == "Điều 2. Hiệu lực thi hành"  # the box's host is still a heading


def test_a_tables_rows_in_a_repeating_section_are_rows(loaded) -> None:
    rows = [d.page_content for d in loaded if d.metadata.get("row")]
    assert rows == ["STT: 1; Họ và tên: Bà Trần Thị Bình", "STT: 2; Họ và tên: Ông Phạm Văn Cường"]


def _with_footnotes(path: Path) -> Path:
    """A decision citing its legal basis in a footnote (python-docx writes no notes: the part is added)."""
    import zipfile

    document = docx.Document()
    document.add_paragraph("Điều 1. Phạm vi")
    body = document.element.body
    cited = (f"<w:p {W}>{_run('Căn cứ Nghị định số 42/2022/NĐ-CP')}<w:r><w:footnoteReference w:id='1'/></w:r>"
             f"{_run(' về dịch vụ công trực tuyến.')}</w:p>")  # fmt: skip
    body.insert(len(body) - 1, parse_xml(cited))
    document.add_paragraph("Điều 2. Hiệu lực")
    document.add_paragraph("Quyết định có hiệu lực từ ngày ký.")
    document.save(path.with_suffix(".tmp"))
    notes = (
        f"<w:footnotes {W}><w:footnote w:type='separator' w:id='-1'><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
        f"<w:footnote w:id='1'><w:p><w:r><w:footnoteRef/></w:r>{_run(' Ngày 24/6/2022, do Chính phủ ban hành.')}</w:p>"
        "</w:footnote></w:footnotes>"
    )
    rel = ('<Relationship Id="rId99" Target="footnotes.xml" '
           'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"/>')  # fmt: skip
    override = ('<Override PartName="/word/footnotes.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>')  # fmt: skip
    with zipfile.ZipFile(path.with_suffix(".tmp")) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            target.writestr(item, data)
        target.writestr("word/footnotes.xml", notes)
    return path


def test_a_footnote_follows_the_paragraph_citing_it(tmp_path: Path) -> None:
    settings = CorpusSettings(dir=tmp_path)
    path = _with_footnotes(tmp_path / "quyet-dinh.docx")
    documents = load_file(path, tmp_path, settings, manifest=load_manifest(tmp_path, settings)).documents
    assert [(d.metadata["section"], d.page_content) for d in documents] == [
        ("Điều 1. Phạm vi", ("Căn cứ Nghị định số 42/2022/NĐ-CP về dịch vụ công trực tuyến.\n\n"
                            "Ngày 24/6/2022, do Chính phủ ban hành.")),
        ("Điều 2. Hiệu lực", "Quyết định có hiệu lực từ ngày ký."),
    ]  # fmt: skip


def test_a_template_framed_in_one_cell_reads_as_if_unframed(tmp_path: Path) -> None:
    """Forms are often drawn inside a one-cell table for the border: their articles, paragraphs and member
    tables read as they would outside it, not as one table cell."""
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "Điều 1. Thành lập Tổ công tác"
    frame.add_paragraph("Tổ công tác gồm các thành viên sau:")
    members = frame.add_table(rows=2, cols=2)
    for cell, value in zip(members.rows[0].cells + members.rows[1].cells, ("STT", "Họ và tên", "1", "Ông Lê Văn An")):
        cell.text = value
    frame.add_paragraph("Điều 2. Hiệu lực")
    frame.add_paragraph("Quyết định có hiệu lực từ ngày ký.")
    document.save(tmp_path / "mau.docx")
    settings = CorpusSettings(dir=tmp_path)
    documents = load_file(tmp_path / "mau.docx", tmp_path, settings, manifest=load_manifest(tmp_path, settings)).documents
    assert [(d.metadata["section"], d.page_content) for d in documents] == [
        ("Điều 1. Thành lập Tổ công tác", "Tổ công tác gồm các thành viên sau:"),
        ("Điều 1. Thành lập Tổ công tác", "STT: 1; Họ và tên: Ông Lê Văn An"),
        ("Điều 2. Hiệu lực", "Quyết định có hiệu lực từ ngày ký."),
    ]


def test_a_templates_own_heading_styles_are_headings_by_their_outline_level(tmp_path: Path) -> None:
    """"Chuong" and "Muc" are headings to Word (its navigation pane lists them) by their outline level."""
    document = docx.Document()
    styles = document.styles.element
    for style_id, level, based in (("Chuong", 0, None), ("Muc", 1, None), ("MucPhu", None, "Muc")):
        outline = f"<w:pPr><w:outlineLvl w:val='{level}'/></w:pPr>" if level is not None else ""
        base = f"<w:basedOn w:val='{based}'/>" if based else ""
        styles.append(parse_xml(f"<w:style {W} w:type='paragraph' w:styleId='{style_id}'><w:name w:val='{style_id}'/>"
                                f"{base}{outline}</w:style>"))  # fmt: skip
    for text, style in (("Mục tiêu và phạm vi", "Chuong"), ("Mục tiêu chung", "Muc"), ("Hoàn thành năm 2026.", None),
                        ("Phạm vi áp dụng", "MucPhu"), ("Áp dụng cho cấp xã.", None)):  # fmt: skip
        document.add_paragraph(text, style=document.styles[style] if style else None)
    document.save(tmp_path / "ke-hoach.docx")
    settings = CorpusSettings(dir=tmp_path)
    documents = load_file(tmp_path / "ke-hoach.docx", tmp_path, settings,
                          manifest=load_manifest(tmp_path, settings)).documents  # fmt: skip
    assert [(d.metadata["section"], d.page_content) for d in documents] == [
        ("Mục tiêu và phạm vi > Mục tiêu chung", "Hoàn thành năm 2026."),
        ("Mục tiêu và phạm vi > Phạm vi áp dụng", "Áp dụng cho cấp xã."),  # its level from the style it is based on
    ]
