"""Vietnamese typed in a legacy font encoding, TCVN3 (.VnTime) or VNI (VNI-Times), read as Unicode
(assistant.ingest.legacy_encodings)."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from assistant.ingest import load_file, load_manifest
from assistant.ingest.legacy_encodings import TCVN3, VNI, LegacyEncoding, from_tcvn3, from_vni, text_encoding
from assistant.settings import CorpusSettings, LegacyEncodingSettings

ROOT = Path(__file__).resolve().parents[1]
READ = "Cộng hòa xã hội chủ nghĩa Việt Nam. Tổ công tác báo cáo kết quả trước ngày 30/9/2025."
# The same text as a document typed in each encoding's fonts stores it (the VNI one as pages
# whose font went missing show it: "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam").
STORED = {
    TCVN3: "Céng hßa x· héi chñ nghÜa ViÖt Nam. Tæ c«ng t¸c b¸o c¸o kÕt qu¶ tr­íc ngµy 30/9/2025.",
    VNI: "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Toå coâng taùc baùo caùo keát quaû tröôùc ngaøy 30/9/2025.",
}
HEADING = {TCVN3: "§iÒu 1. Ph¹m vi", VNI: "Ñieàu 1. Phaïm vi"}
DEADLINE = {
    TCVN3: "C¸c x· hoµn thµnh chuyÓn ®æi sè tr­íc ngµy 31/12/2025.",
    VNI: "Caùc xaõ hoaøn thaønh chuyeån ñoåi soá tröôùc ngaøy 31/12/2025.",
}
FONT = {TCVN3: ".VnTime", VNI: "VNI-Times"}
BOTH = pytest.mark.parametrize("encoding", [TCVN3, VNI], ids=["tcvn3", "vni"])


def test_the_tcvn3_table_recodes_every_vietnamese_letter_and_keeps_words_typed_in_capitals() -> None:
    assert from_tcvn3(STORED[TCVN3]) == READ
    assert from_tcvn3("QUYÕT ®ÞNH") == "QUYẾT ĐỊNH"  # capitals typed in a .VnTime font: ASCII capitals, small codes
    assert from_tcvn3("quyÕt ®Þnh", capitals=True) == "QUYẾT ĐỊNH"  # a .VnTimeH font draws capitals
    assert from_tcvn3("§¬n vÞ: ¦u tiªn") == "Đơn vị: Ưu tiên"


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        (STORED[VNI], READ),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("QUYEÁT ÑÒNH", "QUYẾT ĐỊNH"),  # capitals have marks of their own
        ("Ñôn vò: Öu tieân; UÛy ban nhaân daân", "Đơn vị: Ưu tiên; Ủy ban nhân dân"),  # ơ, ư, ị: one code point
        ("Ñaø Naüng haèng naêm", "Đà Nẵng hằng năm"),  # ă and its tones
        ("ngöôøi; yù kieán; Kî; nghæ; ò", "người; ý kiến; Kỵ; nghỉ; ị"),  # ươ, y's tones, i's
        ("Email: vanthu@example.vn, 16:30", "Email: vanthu@example.vn, 16:30"),  # ASCII stays
    ],
)
def test_the_vni_table_reads_a_letter_and_the_marks_that_follow_it(stored: str, read: str) -> None:
    assert from_vni(stored) == read


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (STORED[TCVN3], TCVN3),
        (STORED[VNI], VNI),
        (READ, None),  # Unicode Vietnamese
        ("A transformação digital também é prioridade: não são só os municípios, até à família.", None),
        ("Für die Übergangsphase müssen Größe und Qualität der Daten geprüft werden, später öffentlich.", None),
        ("La información del año está en el número más reciente, según la administración pública.", None),
        ("Báo chí: see the attached list of contacts for this project and the other related documents.", None),
        ("O avó só pôs o pó no nó: é o que você vê às vezes, não é? Sim, é só isso.", None),
    ],
)
def test_a_text_is_read_in_an_encoding_only_when_its_coded_words_are_vietnamese_syllables(
    text: str, expected: LegacyEncoding | None
) -> None:
    assert text_encoding(text, LegacyEncodingSettings()) is expected


def test_vietnamese_in_cp1258_read_byte_for_byte_is_no_legacy_encoding() -> None:
    """cp1258 writes tones as separate bytes: read as Latin-1, its words carry two tones or none of a
    syllable's shapes ("Côòng"), so the Windows code page keeps its file."""
    from fixtures_docs import VI_TEXT, encode_cp1258

    assert text_encoding(encode_cp1258(VI_TEXT).decode("latin-1"), LegacyEncodingSettings()) is None


def test_no_article_of_the_sample_corpus_reads_as_a_legacy_encoding() -> None:
    articles = sorted((ROOT / "corpus" / "articles").glob("*.txt"))
    assert articles
    settings = LegacyEncodingSettings()
    assert not [a.name for a in articles if text_encoding(a.read_text(encoding="utf-8"), settings)]


def _load(path: Path):
    settings = CorpusSettings(dir=path.parent)
    return load_file(path, path.parent, settings, manifest=load_manifest(path.parent, settings))


@BOTH
def test_a_text_file_stored_in_a_legacy_encoding_is_indexed_in_unicode_and_says_so(
    tmp_path: Path, encoding: LegacyEncoding
) -> None:
    path = tmp_path / "huong-dan.txt"
    path.write_bytes(f"{HEADING[encoding]}\n{STORED[encoding]}\n{DEADLINE[encoding]}\n".encode("cp1252"))
    loaded = _load(path)
    text = "\n".join(d.page_content for d in loaded.documents)
    assert READ in text and "Các xã hoàn thành chuyển đổi số trước ngày 31/12/2025." in text
    assert loaded.documents[0].metadata["section"] == "Điều 1. Phạm vi"  # recoded before its headings are read
    assert loaded.warnings == [encoding.warning]


@BOTH
def test_a_sheet_stored_in_a_legacy_encoding_is_indexed_in_unicode_sheet_name_and_all(
    tmp_path: Path, encoding: LegacyEncoding
) -> None:
    """A workbook has no font name to go by: its text as a whole tells (a PDF's goes the same way)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = HEADING[encoding].split(". ")[1]
    sheet.append([from_header for from_header in ("TT", HEADING[encoding], "Ghi chú")])
    sheet.append([1, STORED[encoding], DEADLINE[encoding]])
    workbook.save(tmp_path / "danh-sach.xlsx")
    loaded = _load(tmp_path / "danh-sach.xlsx")
    (row,) = loaded.documents
    assert READ in row.page_content and "Điều 1. Phạm vi" in row.page_content
    assert row.metadata["sheet"] == "Phạm vi"
    assert loaded.warnings == [encoding.warning]


def _run(text: str, font: str | None = None) -> str:
    fonts = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ""
    return f'<w:r>{fonts}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _load_docx(folder: Path, paragraphs: list[str], normal_font: str | None = None):
    """A DOCX of these paragraphs (each its runs' XML), its Normal style in ``normal_font``, as loaded."""
    document = docx.Document()
    if normal_font:
        fonts = f'<w:rFonts {nsdecls("w")} w:ascii="{normal_font}" w:hAnsi="{normal_font}"/>'
        document.styles["Normal"].element.get_or_add_rPr().append(parse_xml(fonts))
    body = document.element.body
    for runs in paragraphs:
        body.insert(len(body) - 1, parse_xml(f"<w:p {nsdecls('w')}>{runs}</w:p>"))
    document.save(folder / "mau.docx")
    return _load(folder / "mau.docx")


def test_a_docx_run_in_a_tcvn3_font_is_recoded_and_its_heading_read(tmp_path: Path) -> None:
    paragraphs = [
        _run("§iÒu 1. Thµnh lËp Tæ c«ng t¸c", ".VnTimeH"),  # drawn in capitals
        _run(STORED[TCVN3]) + _run(" Email: ®iÒu@example.vn", "Arial"),
    ]
    loaded = _load_docx(tmp_path, paragraphs, normal_font=".VnTime")  # .VnTime unless a run says otherwise
    (unit,) = loaded.documents
    assert unit.metadata["section"] == "ĐIỀU 1. THÀNH LẬP TỔ CÔNG TÁC"
    assert unit.page_content.startswith(READ)
    assert unit.page_content.endswith("Email: ®iÒu@example.vn")  # a run in a Unicode font is left as it is
    assert loaded.warnings and loaded.warnings[0].startswith(TCVN3.warning)


def test_a_docx_mixing_vni_and_tcvn3_fonts_reads_each_run_in_its_own(tmp_path: Path) -> None:
    """Templates pasted together from older files carry both; a run's font says which table reads it."""
    paragraphs = [
        _run("Ñieàu 1. Thaønh laäp Toå coâng taùc", "VNI-Helve"),
        _run(STORED[VNI], "VNI-Times"),
        _run(DEADLINE[TCVN3], ".VnTime") + _run(" Email: ñieàu@example.vn", "Arial"),
    ]
    loaded = _load_docx(tmp_path, paragraphs)
    (unit,) = loaded.documents
    assert unit.metadata["section"] == "Điều 1. Thành lập Tổ công tác"
    assert unit.page_content.startswith(READ)
    assert unit.page_content.endswith("Các xã hoàn thành chuyển đổi số trước ngày 31/12/2025. Email: ñieàu@example.vn")
    assert sorted(loaded.warnings) == [
        f"{TCVN3.warning} (runs in its fonts: 1)",
        f"{VNI.warning} (runs in its fonts: 2)",
    ]
