"""A template as provincial offices make them, answered end to end (real embedding model, real Chroma): its
text in a .VnTime font (TCVN3), its articles numbered by Word, its deadline typed into a content control."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from assistant.ingest.legacy_encodings import TCVN3_TABLE

pytestmark = pytest.mark.slow
W = nsdecls("w")
_TO_TCVN3 = {unicode: code for code, unicode in TCVN3_TABLE.items()}


def tcvn3(text: str) -> str:
    """``text`` as a .VnTime document stores it (letters TCVN3 has no capital of are stored small)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(_TO_TCVN3.get(c, _TO_TCVN3.get(c.lower(), c)) for c in text)


def _paragraph(text: str, article: bool = False, control: str | None = None) -> str:
    numbered = "<w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='71'/></w:numPr></w:pPr>" if article else ""
    filled = ("<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t xml:space='preserve'>"
              f"{tcvn3(control)}</w:t></w:r></w:sdtContent></w:sdt>") if control else ""  # fmt: skip
    return f"<w:p {W}>{numbered}<w:r><w:t xml:space='preserve'>{tcvn3(text)}</w:t></w:r>{filled}</w:p>"


def _template(path: Path) -> None:
    document = docx.Document()
    fonts = f'<w:rFonts {W} w:ascii=".VnTime" w:hAnsi=".VnTime"/>'
    document.styles["Normal"].element.get_or_add_rPr().append(parse_xml(fonts))
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f"<w:abstractNum {W} w:abstractNumId='70'><w:lvl w:ilvl='0'><w:start w:val='1'/>"
                               f"<w:numFmt w:val='decimal'/><w:lvlText w:val='{tcvn3('Điều')} %1.'/></w:lvl>"
                               "</w:abstractNum>"))  # fmt: skip
    numbering.append(parse_xml(f"<w:num {W} w:numId='71'><w:abstractNumId w:val='70'/></w:num>"))
    body = document.element.body
    for xml in (
        _paragraph("QUYẾT ĐỊNH về việc thành lập Tổ công tác chuyển đổi số xã Hòa Bình"),
        _paragraph("Thành lập Tổ công tác", article=True),
        _paragraph("Tổ công tác gồm 7 thành viên do Phó Chủ tịch UBND xã làm Tổ trưởng."),
        _paragraph("Nhiệm vụ của Tổ công tác", article=True),
        _paragraph("Tổ công tác rà soát hồ sơ tồn đọng và báo cáo kết quả cho Chủ tịch UBND xã ", control="trước ngày 15/10/2025."),
        _paragraph("Hiệu lực thi hành", article=True),
        _paragraph("Quyết định này có hiệu lực kể từ ngày ký."),
    ):
        body.insert(len(body) - 1, parse_xml(xml))
    document.save(path)


def test_a_tcvn3_template_with_numbered_articles_and_a_filled_field_answers_with_its_article(
    settings, index_corpus
) -> None:
    _template(settings.corpus.dir / "mau-quyet-dinh.docx")
    report, assistant = index_corpus()
    assert report.files_indexed == 1 and not report.failed
    answer = assistant.ask("Tổ công tác phải báo cáo kết quả trước ngày nào?")
    assert not answer.refused and "15/10/2025" in answer.answer
    cited = answer.citations[0]
    assert cited.verified and cited.location == "Điều 2. Nhiệm vụ của Tổ công tác"
