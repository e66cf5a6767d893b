"""Vietnamese typed in the legacy TCVN3 (.VnTime) encoding, read as Unicode (assistant.ingest.tcvn3)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from assistant.ingest import load_file, load_manifest
from assistant.ingest.tcvn3 import TCVN3_WARNING, from_tcvn3, looks_like_tcvn3
from assistant.settings import CorpusSettings, TCVN3Settings

ROOT = Path(__file__).resolve().parents[1]
# "Cộng hòa xã hội chủ nghĩa Việt Nam" and a deadline, as a .VnTime document stores them.
STORED = "Céng hßa x· héi chñ nghÜa ViÖt Nam. Tæ c«ng t¸c b¸o c¸o kÕt qu¶ tr­íc ngµy 30/9/2025."
READ = "Cộng hòa xã hội chủ nghĩa Việt Nam. Tổ công tác báo cáo kết quả trước ngày 30/9/2025."


def test_the_table_recodes_every_vietnamese_letter_and_keeps_words_typed_in_capitals() -> None:
    assert from_tcvn3(STORED) == READ
    assert from_tcvn3("QUYÕT ®ÞNH") == "QUYẾT ĐỊNH"  # capitals typed in a .VnTime font: ASCII capitals, small codes
    assert from_tcvn3("quyÕt ®Þnh", capitals=True) == "QUYẾT ĐỊNH"  # a .VnTimeH font draws capitals
    assert from_tcvn3("§¬n vÞ: ¦u tiªn") == "Đơn vị: Ưu tiên"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (STORED, True),
        (READ, False),  # Unicode Vietnamese
        ("A transformação digital também é prioridade: não são só os municípios, até à família.", False),
        ("Für die Übergangsphase müssen Größe und Qualität der Daten geprüft werden, später öffentlich.", False),
        ("La información del año está en el número más reciente, según la administración pública.", False),
        ("Báo chí: see the attached list of contacts for this project and the other related documents.", False),
    ],
)
def test_a_text_is_read_as_tcvn3_only_when_its_coded_words_are_vietnamese_syllables(text: str, expected: bool) -> None:
    assert looks_like_tcvn3(text, TCVN3Settings()) is expected


def test_vietnamese_in_cp1258_read_byte_for_byte_is_no_tcvn3() -> None:
    """cp1258 writes tones as separate bytes: read as Latin-1, its words carry two tones or none of a
    syllable's shapes ("Côòng"), so the Windows code page keeps its file."""
    from fixtures_docs import VI_TEXT, encode_cp1258

    assert not looks_like_tcvn3(encode_cp1258(VI_TEXT).decode("latin-1"), TCVN3Settings())


def test_no_article_of_the_sample_corpus_reads_as_tcvn3() -> None:
    articles = sorted((ROOT / "corpus" / "articles").glob("*.txt"))
    assert articles
    assert not [a.name for a in articles if looks_like_tcvn3(a.read_text(encoding="utf-8"), TCVN3Settings())]


def _load(path: Path):
    settings = CorpusSettings(dir=path.parent)
    return load_file(path, path.parent, settings, manifest=load_manifest(path.parent, settings))


def test_a_text_file_stored_in_tcvn3_is_indexed_in_unicode_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "huong-dan.txt"
    stored = f"§iÒu 1. Ph¹m vi\n{STORED}\nC¸c x· hoµn thµnh chuyÓn ®æi sè tr­íc ngµy 31/12/2025.\n"
    path.write_bytes(stored.encode("cp1252"))
    loaded = _load(path)
    text = "\n".join(d.page_content for d in loaded.documents)
    assert READ in text and "Các xã hoàn thành chuyển đổi số trước ngày 31/12/2025." in text
    assert loaded.documents[0].metadata["section"] == "Điều 1. Phạm vi"  # recoded before its headings are read
    assert loaded.warnings == [TCVN3_WARNING]


def _run(text: str, font: str | None = None) -> str:
    fonts = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ""
    return f'<w:r>{fonts}<w:t xml:space="preserve">{text}</w:t></w:r>'


def test_a_docx_run_in_a_tcvn3_font_is_recoded_and_its_heading_read(tmp_path: Path) -> None:
    document = docx.Document()
    normal = document.styles["Normal"].element  # the document's text is .VnTime unless a run says otherwise
    normal.get_or_add_rPr().append(parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii=".VnTime" w:hAnsi=".VnTime"/>'))
    body = document.element.body
    for xml in (
        f"<w:p {nsdecls('w')}>{_run('§iÒu 1. Thµnh lËp Tæ c«ng t¸c', '.VnTimeH')}</w:p>",  # drawn in capitals
        f"<w:p {nsdecls('w')}>{_run(STORED)}{_run(' Email: ®iÒu@example.vn', 'Arial')}</w:p>",
    ):
        body.insert(len(body) - 1, parse_xml(xml))
    document.save(tmp_path / "mau.docx")
    loaded = _load(tmp_path / "mau.docx")
    (unit,) = loaded.documents
    assert unit.metadata["section"] == "ĐIỀU 1. THÀNH LẬP TỔ CÔNG TÁC"
    assert unit.page_content.startswith(READ)
    assert unit.page_content.endswith("Email: ®iÒu@example.vn")  # a run in a Unicode font is left as it is
    assert loaded.warnings and loaded.warnings[0].startswith(TCVN3_WARNING)
