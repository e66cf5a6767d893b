"""Ingestion: one corpus file → Documents with metadata, and its one-line errors."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from assistant.chunking import split_documents
from assistant.errors import IngestError
from assistant.ingest import METADATA_KEYS, SUPPORTED_EXTENSIONS, LoadedFile, clean_text, load_file, load_manifest
from assistant.ingest.metadata import find_date, infer_doc_type, truncate
from assistant.ingest.text import read_plain
from assistant.language import document_language as detect_language
from assistant.settings import ChunkSettings, CorpusSettings
from assistant.types import ChunkMeta

try:
    from tests import fixtures_docs as fx
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    import fixtures_docs as fx

SEEDS = {
    "000_80bf7b546d8b9867.txt": (
        "uk",
        (
            "https://binhdinh.gov.vn/tin-tuc/hoat-dong-cua-lanh-dao/"
            "hoi-nghi-quan-triet-trien-khai-ke-hoach-so-02-kh-bcdtw-cua-ban-chi-dao-trung-uong.html"
        ),
        "Джерело:",
    ),
    "001_b9c937dc86475d3f.txt": (
        "de",
        (
            "https://huengaynay.vn/chinh-tri-xa-hoi/"
            "chuyen-doi-lien-thong-dong-bo-nhanh-hieu-qua-dap-ung-sap-xep-to-chuc-bo-may-he-thong-chinh-tri-154941.html"
        ),
        "Quelle:",
    ),
    "002_56c2ad4b1914ca9a.txt": (
        "ru",
        (
            "https://doanhnghiepvn.vn/chuyen-doi-so/"
            "ban-hanh-so-tay-huong-dan-trien-khai-ke-hoch-so-02-ve-thuc-day-chuyen-doi-so-lien-thong-dong-bo/"
            "20250627100806768"
        ),
        "Источник:",
    ),
    "003_be6f62edfe8253c2.txt": (
        "pt",
        "https://baobacgiang.vn/thuc-day-chuyen-doi-so-dap-ung-yeu-cau-sap-xep-to-chuc-bo-may-postid420595.bbg",
        "Fonte:",
    ),
    "004_b579605fbec747db.txt": (
        "es",
        (
            "https://travinh.gov.vn/thoi-su-chinh-tri/"
            "tiep-tuc-day-manh-chuyen-doi-so-lien-thong-dap-ung-yeu-cau-sap-xep-to-chuc-bo-may-nha-nuoc-741535"
        ),
        "Fuente:",
    ),
}
FURNITURE = ("(0)", "No data", "No videos available", "Vietnam.vn - ", "Подпись к фотографии")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)  # conftest's autouse fixture may have made it already
    return folder


@pytest.fixture
def settings(corpus: Path) -> CorpusSettings:
    return CorpusSettings(dir=corpus, max_file_mb=1, min_chars=20)


@pytest.fixture
def seeds(corpus: Path) -> dict[str, Path]:
    copied = fx.copy_seeds(corpus / "articles")
    if not copied:
        pytest.skip(f"seed articles not found in {fx.seeds_dir()} (set ASSISTANT_SEEDS_DIR)")
    return {p.name: p for p in copied}


def load(path: Path, corpus: Path, settings: CorpusSettings) -> LoadedFile:
    loaded = load_file(path, corpus, settings)
    for document in loaded.documents:
        assert tuple(document.metadata) == METADATA_KEYS
        ChunkMeta(**document.metadata)  # every key is a valid ChunkMeta field and value
        assert document.page_content == document.page_content.strip()
        assert unicodedata.is_normalized("NFC", document.page_content)
    return loaded


def error_of(path: Path, corpus: Path, settings: CorpusSettings) -> IngestError:
    with pytest.raises(IngestError) as info:
        load_file(path, corpus, settings)
    error = info.value
    assert error.path == path
    assert path.name in str(error) and "\n" not in str(error)
    return error


# --- seeds: real web articles ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_article_is_cleaned_with_url_and_language(name: str, seeds: dict[str, Path], corpus: Path, settings):
    language, url, label = SEEDS[name]
    loaded = load(seeds[name], corpus, settings)

    assert loaded.source == f"articles/{name}"
    assert loaded.warnings == []
    [document] = loaded.documents
    meta = document.metadata
    assert meta["language"] == language
    assert meta["url"] == url
    assert meta["site"] == url.split("/")[2]
    assert meta["doc_type"] == "article"
    assert meta["section"] is None and meta["page"] is None and meta["row"] is None
    text = document.page_content
    assert label not in text and "https://" not in text
    for furniture in FURNITURE:
        assert furniture not in text
    assert "\n\n\n" not in text
    assert not any(line.rstrip().endswith(" |") for line in text.split("\n"))
    assert len(text) > 2000


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_article_has_no_false_headings(name: str, seeds: dict[str, Path]):
    raw = seeds[name].read_text(encoding="utf-8")
    [unit] = read_plain(raw).units  # one unit, as before plain-text headings were recognised
    assert unit.text == clean_text(raw)[0] and unit.section is None


def test_seed_002_drops_banner_byline_and_related_links(seeds, corpus, settings):
    loaded = load(seeds["002_56c2ad4b1914ca9a.txt"], corpus, settings)
    [document] = loaded.documents
    text = document.page_content
    assert text.startswith("Выпуск Руководства по реализации Плана № 02")
    assert document.metadata["title"].startswith("Выпуск Руководства")
    assert document.metadata["date"] == "2025-06-27"  # from the byline, which is then dropped
    assert "Tạp chí Doanh Nghiệp" not in text
    for related in ("Та же тема", "Улица Ханг Ма", "Политическая система"):
        assert related not in text
    assert "\n;\n" not in text
    assert text.rstrip().endswith("операционной модели...).")


def test_seed_titles_come_from_the_first_line(seeds, corpus, settings):
    first = load(seeds["001_b9c937dc86475d3f.txt"], corpus, settings).documents[0]
    assert first.metadata["title"] == "Überblick über die Brücke in Hue City"  # trailing " |" stripped
    long = load(seeds["003_be6f62edfe8253c2.txt"], corpus, settings).documents[0]
    assert len(long.metadata["title"]) <= 120 and long.metadata["title"].endswith("…")


# --- furniture rules -----------------------------------------------------------------------


def test_clean_text_cuts_at_trailing_source_line():
    body = "Title line\n" + "Body sentence of the article.\n" * 20
    text = body + "Nguồn: https://example.vn/a.html\n\nTin liên quan\nBài khác\nBình luận (3)\n"
    cleaned, url = clean_text(text)
    assert url == "https://example.vn/a.html"
    assert cleaned == body.strip()


def test_clean_text_keeps_a_link_line_in_the_middle_of_a_long_text():
    text = "Intro.\nLink: https://example.vn/x\n" + "Long paragraph of real content here.\n" * 200
    cleaned, url = clean_text(text)
    assert url is None
    assert "Link: https://example.vn/x" in cleaned


def test_clean_text_line_furniture_and_blank_lines():
    text = "Photo of the bridge |\nKommentar (0)\n;\n|\nNo data\nText , with ( spacing ) .\n\n\n\n\nEnd."
    cleaned, url = clean_text(text)
    assert url is None
    assert cleaned == "Photo of the bridge\nText, with (spacing).\n\nEnd."


def test_clean_text_drops_banner_of_the_known_site_only_on_first_line():
    text = "Example.org - News portal\n\nBody text.\nExample.org - News portal"
    assert clean_text(text)[0] == text.strip()
    cleaned, _ = clean_text(text, site="www.example.org")
    assert cleaned == "Body text.\nExample.org - News portal"


# --- text encodings --------------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "language"), [("cp1258", "vi"), ("cp1251", "ru"), ("latin-1", "fr")])
def test_legacy_encodings_round_trip(encoding: str, language: str, corpus, settings):
    path, original = fx.make_legacy_txt(corpus, encoding)
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the fixture really is not UTF-8
    [document] = load(path, corpus, settings).documents
    assert document.page_content == unicodedata.normalize("NFC", original)
    assert document.metadata["language"] == language


@pytest.mark.parametrize(
    "text",
    [
        "A transformação digital não pode parar: as instituições e as populações são o centro das ações.",
        "Però così il piano può funzionare: è più semplice, ciò è già stato detto lì, perciò sì.",
    ],
)
def test_latin1_portuguese_and_italian_are_not_read_as_vietnamese(text: str, corpus, settings):
    path = corpus / "latin.txt"
    path.write_bytes(text.encode("latin-1"))
    assert load(path, corpus, settings).documents[0].page_content == text


def test_html_in_declared_legacy_charset(corpus, settings):
    page = '<html><head><meta charset="windows-1251"><title>План</title></head><body><p>' + fx.RU_TEXT + "</p></body></html>"
    path = corpus / "ru.htm"
    path.write_bytes(page.encode("cp1251"))
    [document] = load(path, corpus, settings).documents
    assert document.page_content == fx.RU_TEXT and document.metadata["title"] == "План"


def test_utf8_bom_and_crlf(corpus, settings):
    path = corpus / "bom.txt"
    path.write_bytes("\ufeffĐoạn một của văn bản.\r\n\r\nĐoạn hai của văn bản.\r\n".encode())
    [document] = load(path, corpus, settings).documents
    assert document.page_content == "Đoạn một của văn bản.\n\nĐoạn hai của văn bản."


# --- errors --------------------------------------------------------------------------------


def test_binary_txt(corpus, settings):
    assert error_of(fx.make_binary_txt(corpus), corpus, settings).reason == "binary content, not text"


def test_empty_file(corpus, settings):
    assert error_of(fx.make_empty(corpus), corpus, settings).reason == "empty file"


def test_furniture_only_file_has_no_text(corpus, settings):
    path = corpus / "furniture.txt"
    path.write_text("Коментар (0)\n;\nNo data\n", encoding="utf-8")
    assert error_of(path, corpus, settings).reason == "no text"
    short = corpus / "short.txt"
    short.write_text("Too short.", encoding="utf-8")
    assert error_of(short, corpus, settings).reason.startswith("no text (only 10 characters")


def test_oversized_file(corpus, settings):
    error = error_of(fx.make_oversized(corpus, 1.5), corpus, settings)
    assert error.reason == "file is 1.5 MB, over the 1 MB limit"


def test_unsupported_extension(corpus, settings):
    reason = error_of(fx.make_unsupported(corpus), corpus, settings).reason
    assert reason.startswith("unsupported file type '.xyz' (supported: ")
    assert all(ext in reason for ext in SUPPORTED_EXTENSIONS)


@pytest.mark.parametrize(("name", "target"), [("mau-bao-cao.doc", ".docx"), ("danh-muc.ods", ".xlsx"),
                                              ("ke-hoach.odt", ".docx")])
def test_a_legacy_office_file_is_refused_with_the_format_to_save_it_as(corpus, settings, name, target):
    path = corpus / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    reason = error_of(path, corpus, settings).reason
    assert reason.startswith(f"unsupported file type '{path.suffix}'; save it as {target} (supported: ")


def test_missing_file_and_file_outside_corpus(corpus, settings, tmp_path):
    assert error_of(corpus / "missing.txt", corpus, settings).reason == "file not found"
    outside = tmp_path / "outside.txt"
    outside.write_text("Text that lives outside the corpus folder.", encoding="utf-8")
    assert "not inside the corpus folder" in error_of(outside, corpus, settings).reason


def test_supported_extensions():
    assert SUPPORTED_EXTENSIONS == {
        ".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".xlsx", ".xlsm", ".xls", ".csv"
    }  # fmt: skip


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_pages_and_blank_page_warning(corpus, settings, font):
    loaded = load(fx.make_pdf(corpus, font), corpus, settings)
    assert [d.metadata["page"] for d in loaded.documents] == [1, 3]
    assert loaded.warnings == ["page 2: no text layer (scanned?)"]
    first, third = (d.page_content for d in loaded.documents)
    assert "Chương 1. Mục tiêu" in first and "chuyển đổi số" in first
    assert "двухуровневой" in third
    meta = loaded.documents[0].metadata
    assert meta["title"] == "Sổ tay hướng dẫn Kế hoạch 02"
    assert meta["doc_type"] == "guidebook"  # "so-tay" in the file name
    assert meta["language"] == "vi"


def test_a_pdf_table_of_contents_keeps_its_entries_without_leaders_and_page_numbers(corpus, settings, font):
    pdf = fx._pdf(font)  # no title in the file
    pdf.add_page()
    pdf.multi_cell(0, 8, "MỤC LỤC", new_x="LMARGIN", new_y="NEXT")
    for entry, page in (("Phần I. TỔNG QUAN", 3), ("Chương 1. Bối cảnh", 3), ("Chương 2. Tổ chức bộ máy", 5)):
        pdf.cell(150, 8, f"{entry} {'.' * (60 - len(entry))}", new_x="RIGHT", new_y="TOP")
        pdf.cell(20, 8, str(page), new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.multi_cell(0, 8, "Chương 2. Tổ chức bộ máy\nMỗi xã bố trí 02 cán bộ đầu mối.", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(corpus / "so-tay-muc-luc.pdf"))
    loaded = load(corpus / "so-tay-muc-luc.pdf", corpus, settings)
    first, second = (d.page_content for d in loaded.documents)
    assert loaded.documents[0].metadata["title"] == "Chương 2. Tổ chức bộ máy"  # not the contents' heading
    # The printed page of an entry is no figure of the document ("5" is no count), and an entry stays a line.
    assert first == "MỤC LỤC\nPhần I. TỔNG QUAN\nChương 1. Bối cảnh\nChương 2. Tổ chức bộ máy"
    assert second == "Chương 2. Tổ chức bộ máy\nMỗi xã bố trí 02 cán bộ đầu mối."


def test_a_form_line_with_a_leader_and_a_value_is_kept() -> None:
    from assistant.ingest.base import without_page_references

    form = "Số hồ sơ tiếp nhận: ........ 125\nSố hồ sơ đã trả ........ 12\nGhi chú ……"
    assert without_page_references(form) == form  # one or two such lines: a filled-in form, not a contents page


def test_a_docx_table_of_contents_opens_no_section(corpus, settings):
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.add_paragraph("MỤC LỤC")
    document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    for entry, page in (("Chương I. Quy định chung", 1), ("Điều 1. Phạm vi", 1), ("Điều 2. Đối tượng", 2)):
        document.add_paragraph(f"{entry}\t{page}", style="TOC 1")
    for text in ("Chương I. QUY ĐỊNH CHUNG", "Điều 1. Phạm vi", "Quy chế áp dụng cho Tổ công tác.",
                 "Điều 2. Đối tượng", "Áp dụng với Sở Du lịch."):  # fmt: skip
        document.add_paragraph(text)
    document.save(corpus / "quy-che.docx")
    expected = [
        (None, "MỤC LỤC\n\nChương I. Quy định chung\n\nĐiều 1. Phạm vi\n\nĐiều 2. Đối tượng"),
        ("Chương I. QUY ĐỊNH CHUNG > Điều 1. Phạm vi", "Quy chế áp dụng cho Tổ công tác."),
        ("Chương I. QUY ĐỊNH CHUNG > Điều 2. Đối tượng", "Áp dụng với Sở Du lịch."),
    ]
    got = [(d.metadata["section"], d.page_content) for d in load(corpus / "quy-che.docx", corpus, settings).documents]
    assert got == expected
    # The same contents typed by hand, with dot leaders, in plain paragraphs.
    for paragraph in document.paragraphs[1:4]:
        entry, page = paragraph.text.split("\t")
        paragraph.text, paragraph.style = f"{entry} {'.' * 20} {page}", document.styles["Normal"]
    document.save(corpus / "quy-che.docx")
    got = [(d.metadata["section"], d.page_content) for d in load(corpus / "quy-che.docx", corpus, settings).documents]
    assert got == expected


def test_pdf_is_reflowed_without_running_header_and_footer(corpus, settings, font):
    from pypdf import PdfReader

    path = fx.make_paged_pdf(corpus, font)
    raw = PdfReader(path).pages[0].extract_text()
    assert fx.PAGED_HEADER in raw and "Trang 1/4" in raw and fx.WRAPPED_SENTENCES[0] not in raw  # as pypdf reads it
    loaded = load(path, corpus, settings)
    assert [d.metadata["page"] for d in loaded.documents] == [1, 2, 3, 4]
    for document, article, sentence in zip(loaded.documents, fx.PAGED_ARTICLES, fx.WRAPPED_SENTENCES):
        assert document.page_content.split("\n") == [
            f"Điều {article}. Nhiệm vụ",
            sentence,  # one line again
            f"- Báo cáo kết quả thực hiện Điều {article}.",
        ]
    assert loaded.warnings == []


def test_pdf_without_text_layer(corpus, settings, font):
    assert error_of(fx.make_scanned_pdf(corpus, font), corpus, settings).reason == "no text layer (scanned?)"


def test_encrypted_pdf_needs_password(corpus, settings, font):
    error = error_of(fx.make_encrypted_pdf(corpus, font), corpus, settings)
    assert error.reason == "encrypted PDF (password required)"


def test_encrypted_pdf_with_empty_user_password_is_read(corpus, settings, font):
    path = fx.make_encrypted_pdf(corpus, font, name="owner-only.pdf", user_password=None)
    [document] = load(path, corpus, settings).documents
    assert "chuyển đổi số" in document.page_content


def test_corrupt_pdf(corpus, settings, font):
    reason = error_of(fx.make_corrupt_pdf(corpus, font), corpus, settings).reason
    assert reason.startswith("corrupt or unreadable PDF: ") and len(reason) < 200


# --- DOCX ----------------------------------------------------------------------------------


def test_docx_sections_and_table_rows(corpus, settings):
    loaded = load(fx.make_docx(corpus), corpus, settings)
    docs = [(d.metadata["section"], d.metadata["row"], d.page_content) for d in loaded.documents]
    assert docs[0] == (
        "Chương 1. Mục tiêu",
        None,
        "Bảo đảm kết nối, đồng bộ trong toàn hệ thống chính trị.\n\nKhông để gián đoạn thủ tục hành chính.",
    )
    assert docs[1] == ("Chương 1. Mục tiêu > 1.1. Giai đoạn cấp bách", None, "Hoàn thành trước ngày 30/6/2025.")
    assert docs[2][0] == "Chương 2. Nhiệm vụ" and "báo cáo tiến độ" in docs[2][2]
    rows = docs[3:]
    assert [(section, row) for section, row, _ in rows] == [("Chương 2. Nhiệm vụ", n) for n in (2, 3, 4)]
    assert rows[0][2] == "Thủ tục: Đăng ký khai sinh; Cơ quan chủ trì: Bộ Tư pháp; Thời hạn: 30/06/2025"
    meta = loaded.documents[0].metadata
    assert meta["title"] == "Hướng dẫn triển khai Kế hoạch 02"  # the Title paragraph
    assert meta["doc_type"] == "guidebook" and meta["language"] == "vi"


def test_docx_plain_article_paragraphs_open_sections(corpus, settings):
    loaded = load(fx.make_articles_docx(corpus), corpus, settings)
    got = [(d.metadata["section"], d.page_content) for d in loaded.documents]
    second = fx.ARTICLE_BODIES[1]
    assert got == [
        (None, "QUYẾT ĐỊNH về việc thành lập Tổ công tác"),
        ("Chương I > Điều 1. Thành lập", fx.ARTICLE_BODIES[0]),
        # The heading line carries its text: the first sentence names the section, the line stays text.
        (f"Chương I > Điều 2. {second.rstrip('.')}", f"Điều 2. {second} Trưởng nhóm do Ban Chỉ đạo chỉ định."),
        ("Chương II > Điều 3. Chế độ làm việc", fx.ARTICLE_BODIES[2]),
        ("Chương II > Điều 4.", fx.ARTICLE_BODIES[3]),
    ]
    assert loaded.documents[0].metadata["title"] == "QUYẾT ĐỊNH về việc thành lập Tổ công tác"


def test_docx_identical_rows_are_distinct_units_with_distinct_chunk_ids(corpus, settings):
    loaded = load(fx.make_repeated_docx(corpus), corpus, settings)
    rows = [d for d in loaded.documents if d.metadata["row"] is not None]
    assert [d.metadata["row"] for d in rows[:2]] == [2, 3]
    assert rows[0].page_content == rows[1].page_content == (
        "Thủ tục: Đăng ký khai sinh; Cơ quan chủ trì: Bộ Tư pháp; Thời hạn: 30/06/2025"
    )  # the row alone: no section or table name in front of it
    assert {d.metadata["section"] for d in rows} == {"Danh sách thủ tục"}
    chunks = split_documents(loaded.documents, ChunkSettings())
    assert len(chunks) == len(loaded.documents) == 10
    assert len({c.id for c in chunks}) == 10
    assert [c.id for c in split_documents(loaded.documents, ChunkSettings())] == [c.id for c in chunks]


def test_corrupt_docx(corpus, settings):
    path = corpus / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert error_of(path, corpus, settings).reason.startswith("corrupt or unreadable DOCX: ")


# --- spreadsheets ----------------------------------------------------------------------------


def test_xlsx_rows_are_header_aware_with_sheet_and_row(corpus, settings):
    loaded = load(fx.make_xlsx(corpus), corpus, settings)
    assert [(d.metadata["sheet"], d.metadata["row"]) for d in loaded.documents] == [
        ("Thủ tục", 4),
        ("Thủ tục", 5),
        ("Thủ tục", 6),
    ]  # header in row 3 after two empty rows
    texts = [d.page_content for d in loaded.documents]
    assert texts[0] == "Thủ tục: Đăng ký khai sinh; Cơ quan chủ trì: Bộ Tư pháp; Thời hạn: 30/06/2025"
    assert texts[1] == "Thủ tục: Cấp căn cước; Cơ quan chủ trì: Bộ Công an"  # empty cell skipped
    assert loaded.warnings == ["sheet 'Số liệu': no header row, skipped"]
    meta = loaded.documents[0].metadata
    assert meta["doc_type"] == "list" and meta["title"] == "danh-sach-thu-tuc" and meta["date"] is None
    assert ChunkMeta(**meta).location == "Thủ tục, row 4"


def test_a_legacy_xls_workbook_reads_as_an_xlsx_does(corpus, settings):
    """Excel 97–2003 lists are still common in provincial offices: rows with their header, a field merged
    down over two rows in each, dates and percentages as shown, the hidden sheet skipped."""
    loaded = load(fx.make_xls(corpus), corpus, settings)
    assert [d.page_content for d in loaded.documents] == [
        ("STT: 1; Lĩnh vực: Hộ tịch; Tên thủ tục: Đăng ký khai sinh; Cơ quan chủ trì: Sở Tư pháp; Thời hạn: 30/09/2025; "
         "Tỷ lệ trực tuyến: 80%"),
        ("STT: 2; Lĩnh vực: Hộ tịch; Tên thủ tục: Đăng ký khai tử; Cơ quan chủ trì: Sở Tư pháp; Thời hạn: 15/10/2025; "
         "Tỷ lệ trực tuyến: 100%"),
    ]
    assert loaded.warnings == ["sheet 'DM': hidden, skipped"]
    meta = loaded.documents[0].metadata
    assert meta["doc_type"] == "list" and ChunkMeta(**meta).location == "Thủ tục, row 2"


def test_a_damaged_or_misnamed_xls_is_refused_with_its_reason(corpus, settings):
    good = fx.make_xls(corpus).read_bytes()
    (corpus / "cat-ngang.xls").write_bytes(good[: len(good) // 3])
    assert error_of(corpus / "cat-ngang.xls", corpus, settings).reason.startswith("corrupt or unreadable XLS: ")
    xlsx = fx.make_xlsx(corpus)
    assert error_of(xlsx.rename(corpus / "tai-ve.xls"), corpus, settings).reason == (
        "an XLSX workbook named .xls (rename it .xlsx)"
    )


def test_an_xlsm_workbook_is_read_for_its_cells(corpus, settings):
    path = fx.make_xlsx(corpus)
    loaded = load(path.rename(path.with_suffix(".xlsm")), corpus, settings)
    assert loaded.documents[0].page_content.startswith("Thủ tục: Đăng ký khai sinh; Cơ quan chủ trì: Bộ Tư pháp")


def test_xlsx_single_sheet_without_header(corpus, settings):
    error = error_of(fx.make_headerless_xlsx(corpus), corpus, settings)
    assert error.reason == "no header row in sheet 'Data'"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1258"])
def test_csv_sniffed_dialect_and_rows(encoding: str, corpus, settings):
    path = fx.make_csv(corpus, encoding=encoding) if encoding != "cp1258" else _cp1258_csv(corpus)
    loaded = load(path, corpus, settings)
    assert [(d.metadata["sheet"], d.metadata["row"]) for d in loaded.documents] == [(None, 2), (None, 3), (None, 4)]
    assert loaded.documents[0].page_content == (
        "Thủ tục: Đăng ký khai sinh; khai tử; Cơ quan chủ trì: Bộ Tư pháp; Thời hạn: 30/06/2025"
    )
    assert loaded.documents[0].metadata["doc_type"] == "list"


def _cp1258_csv(corpus: Path) -> Path:
    utf8 = fx.make_csv(corpus, name="_tmp.csv", encoding="utf-8")
    path = corpus / "procedures-cp1258.csv"
    path.write_bytes(fx.encode_cp1258(utf8.read_text(encoding="utf-8")))
    utf8.unlink()
    return path


# --- HTML and Markdown ---------------------------------------------------------------------------


def test_html_visible_text_sections_and_title(corpus, settings):
    loaded = load(fx.make_html(corpus), corpus, settings)
    text = "\n".join(d.page_content for d in loaded.documents)
    for hidden in ("SHOULD_NOT_APPEAR", "SCRIPT_TEXT", "NAV_LINK", "FOOTER_TEXT", "color: red"):
        assert hidden not in text
    sections = [d.metadata["section"] for d in loaded.documents]
    assert sections == ["Triển khai Kế hoạch 02", "Triển khai Kế hoạch 02 > Mục tiêu", "Triển khai Kế hoạch 02 > Lộ trình"]
    assert "liên thông, đồng bộ." in loaded.documents[0].page_content  # inline tags and newlines joined
    assert loaded.documents[1].page_content == "Đến năm 2025, 100% thủ tục trực tuyến.\nDòng thứ hai."
    assert loaded.documents[2].page_content == "Giai đoạn | Thời hạn\nCấp bách | 30/06/2025"
    meta = loaded.documents[0].metadata
    assert meta["title"] == "Triển khai Kế hoạch 02 | Báo Điện tử"
    assert meta["url"] == "https://example.gov.vn/tin-tuc/ke-hoach-02.html" and meta["site"] == "example.gov.vn"


def test_markdown_sections(corpus, settings):
    loaded = load(fx.make_markdown(corpus), corpus, settings)
    got = [(d.metadata["section"], d.page_content) for d in loaded.documents]
    assert got == [
        (None, "Lời mở đầu về Kế hoạch 02."),
        ("Kế hoạch 02", "Đoạn một.\n\nĐoạn hai."),
        ("Kế hoạch 02 > Giai đoạn cấp bách", "Đến 30/6/2025.\n\n```\n# not a heading\n```"),
        ("Kế hoạch 02 > Giai đoạn đột phá", "Đến 31/12/2025."),
        ("Phụ lục", "Danh mục biểu mẫu."),
    ]
    assert loaded.documents[0].metadata["title"] == "Kế hoạch 02"


def test_markdown_front_matter_and_setext_headings(corpus, settings):
    path = corpus / "fm.md"
    path.write_text(
        "---\ntitle: Ghi chú cuộc họp\ndate: 2025-06-19\nurl: https://example.vn/ghi-chu\n---\n"
        "Tổng quan\n=========\n\nNội dung tổng quan.\n\nChi tiết\n--------\n\nNội dung chi tiết.\n",
        encoding="utf-8",
    )
    loaded = load(path, corpus, settings)
    assert [(d.metadata["section"], d.page_content) for d in loaded.documents] == [
        ("Tổng quan", "Nội dung tổng quan."),
        ("Tổng quan > Chi tiết", "Nội dung chi tiết."),
    ]
    meta = loaded.documents[0].metadata
    assert (meta["title"], meta["date"], meta["url"]) == ("Ghi chú cuộc họp", "2025-06-19", "https://example.vn/ghi-chu")


def test_symlinked_folder_keeps_its_corpus_path(corpus, settings, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "note.txt").write_text("A note stored outside but linked into the corpus.", encoding="utf-8")
    (corpus / "linked").symlink_to(outside, target_is_directory=True)
    assert load(corpus / "linked" / "note.txt", corpus, settings).source == "linked/note.txt"


def test_plain_text_keeps_paragraphs(corpus, settings):
    path = corpus / "notes" / "plain.txt"
    path.parent.mkdir()
    path.write_text("First paragraph line one.\nLine two.\n\nSecond paragraph.\n", encoding="utf-8")
    loaded = load(path, corpus, settings)
    assert loaded.source == "notes/plain.txt"
    [document] = loaded.documents
    assert document.page_content == "First paragraph line one.\nLine two.\n\nSecond paragraph."
    assert document.metadata["title"] == "First paragraph line one."


def test_plain_text_with_chapter_lines_is_split_into_sections(corpus, settings):
    path = corpus / "chapters.txt"
    path.write_text(
        "Sổ tay hướng dẫn Kế hoạch 02\n\nChương 1\nMục tiêu của Kế hoạch.\n\nChương 2\nNhiệm vụ của các cơ quan.\n",
        encoding="utf-8",
    )
    got = [(d.metadata["section"], d.page_content) for d in load(path, corpus, settings).documents]
    assert got == [
        (None, "Sổ tay hướng dẫn Kế hoạch 02"),
        ("Chương 1", "Mục tiêu của Kế hoạch."),
        ("Chương 2", "Nhiệm vụ của các cơ quan."),
    ]


def test_plain_text_plan_numbering_nests_and_lists_stay_text(corpus, settings):
    path = corpus / "plan.txt"
    path.write_text(
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nBảo đảm kết nối.\n2. Yêu cầu\nCác nhiệm vụ gồm:\n"
        "1. Rà soát thủ tục\n2. Cập nhật dữ liệu\nII. NHIỆM VỤ\nTriển khai đồng bộ.\n",
        encoding="utf-8",
    )
    got = [(d.metadata["section"], d.page_content) for d in load(path, corpus, settings).documents]
    assert got == [
        ("I. MỤC ĐÍCH, YÊU CẦU > 1. Mục đích", "Bảo đảm kết nối."),
        ("I. MỤC ĐÍCH, YÊU CẦU > 2. Yêu cầu", "Các nhiệm vụ gồm:\n1. Rà soát thủ tục\n2. Cập nhật dữ liệu"),
        ("II. NHIỆM VỤ", "Triển khai đồng bộ."),
    ]


# --- manifest and metadata -----------------------------------------------------------------------


def test_manifest_entry_wins(seeds, corpus, settings):
    (corpus / "manifest.yaml").write_text(
        "articles/002_56c2ad4b1914ca9a.txt:\n"
        "  title: Sổ tay hướng dẫn (bản tin)\n"
        "  language: ru\n"
        "  site: vietnam.vn\n"
        "  date: 2025-06-26\n"
        "  doc_type: guidebook\n",
        encoding="utf-8",
    )
    meta = load(seeds["002_56c2ad4b1914ca9a.txt"], corpus, settings).documents[0].metadata
    assert meta["title"] == "Sổ tay hướng dẫn (bản tin)"
    assert meta["site"] == "vietnam.vn" and meta["date"] == "2025-06-26" and meta["doc_type"] == "guidebook"
    assert meta["url"].startswith("https://doanhnghiepvn.vn/")  # not in the manifest: from the source line


def test_manifest_site_banner_is_removed(corpus, settings):
    path = corpus / "page.txt"
    path.write_text("Báo Mới - Tin tức 24h\n\nNội dung chính của bài viết về chuyển đổi số.\n", encoding="utf-8")
    (corpus / "manifest.yaml").write_text("page.txt: {site: Báo Mới}\n", encoding="utf-8")
    [document] = load(path, corpus, settings).documents
    assert document.page_content == "Nội dung chính của bài viết về chuyển đổi số."


def test_manifest_unknown_key(corpus, settings):
    manifest = corpus / "manifest.yaml"
    manifest.write_text("a.txt:\n  title: A\n  author: Somebody\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        load_manifest(corpus, settings)
    assert info.value.path == manifest and "'author'" in info.value.reason and "a.txt" in info.value.reason


def test_manifest_bad_yaml_names_the_manifest(corpus, settings):
    manifest = corpus / "manifest.yaml"
    manifest.write_text("a.txt: {title: [unclosed\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        load_manifest(corpus, settings)
    assert info.value.path == manifest and info.value.reason.startswith("invalid YAML")
    path = corpus / "a.txt"
    path.write_text("Some text that is long enough to be read.", encoding="utf-8")
    with pytest.raises(IngestError) as again:
        load_file(path, corpus, settings)
    assert again.value.path == manifest


def test_manifest_missing_and_invalid_values(corpus, settings):
    assert load_manifest(corpus, settings) == {}
    (corpus / "manifest.yaml").write_text("a.txt: {doc_type: novel}\n", encoding="utf-8")
    with pytest.raises(IngestError, match="doc_type must be one of"):
        load_manifest(corpus, settings)
    (corpus / "manifest.yaml").write_text(".\\sub\\a.txt: {date: 2025-07-01, url: 'https://x.vn/a'}\n", encoding="utf-8")
    assert load_manifest(corpus, settings) == {"sub/a.txt": {"date": "2025-07-01", "url": "https://x.vn/a"}}


@pytest.mark.parametrize(
    ("source", "url", "expected"),
    [
        ("guidebook/plan.pdf", None, "guidebook"),
        ("Sổ tay hướng dẫn.pdf", None, "guidebook"),
        ("templates/report.docx", None, "template"),
        ("bieu-mau-01.docx", None, "template"),
        ("danh-sach-thu-tuc.docx", None, "list"),
        ("data/anything.xlsx", None, "list"),
        ("misc/page.txt", "https://x.vn/a", "article"),
        ("misc/notes.txt", None, "other"),
    ],
)
def test_doc_type_inference(source: str, url: str | None, expected: str):
    assert infer_doc_type(source, url) == expected


def test_dates_language_and_titles():
    assert find_date("Báo X27/06/2025\nBody") == "2025-06-27"
    assert find_date("Published 2025-07-01 by us") == "2025-07-01"
    assert find_date("31/02/2025 is no date") is None
    assert detect_language("12345 ---") == "und"
    assert detect_language("这是一个关于数字化转型的计划，旨在提高政府服务的效率。") == "zh"
    assert truncate("word " * 50).endswith("…") and len(truncate("word " * 50)) <= 120


def test_a_sentence_over_a_page_break_is_read_whole_on_the_page_where_it_starts_and_the_next_keeps_its_lines(
    corpus, font
):
    from fpdf import FPDF

    from assistant.ingest.pdf import read_pdf

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_font("DejaVu", size=11)
    pages = [
        ["4.1. Cấp trung ương",
         "Các bộ, ngành trung ương cung cấp nền tảng dùng chung và ban hành chuẩn dữ liệu dùng chung cho các",
         "địa phương. Các vướng mắc cần kiến nghị trung ương được Văn phòng Ủy ban nhân dân tỉnh tổng hợp và"],
        ["gửi theo đợt, mỗi tháng một lần, vào ngày 25 hằng tháng.", "4.2. Cấp tỉnh",
         "Sở Khoa học và Công nghệ chủ trì triển khai Đề án."],
    ]  # fmt: skip
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    path = corpus / "so-tay-trang.pdf"
    pdf.output(str(path))
    units = read_pdf(path).units
    assert [u.page for u in units] == [1, 2]
    assert units[0].text.endswith("được Văn phòng Ủy ban nhân dân tỉnh tổng hợp và gửi theo đợt, mỗi tháng một "
                                  "lần, vào ngày 25 hằng tháng.")
    assert units[1].text.startswith("gửi theo đợt, mỗi tháng một lần, vào ngày 25 hằng tháng.\n4.2. Cấp tỉnh")


def test_a_pdf_table_of_figures_split_over_two_pages_keeps_its_header_on_both(corpus, font):
    """The rows at the top of page 3 continue the table that ended page 2 (page footers stripped first)."""
    from fpdf import FPDF

    from assistant.ingest.pdf import read_pdf

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_font("DejaVu", size=11)
    pdf.set_auto_page_break(False)  # the footer sits below the break margin
    pages = [
        ["Chương 2. Mục tiêu", "Đề án hướng tới chính quyền số vận hành thông suốt từ cấp tỉnh đến cấp xã."],
        ["Các chỉ tiêu chủ yếu được giao theo từng năm như bảng dưới đây.", "Chỉ tiêu Năm 2025 Năm 2026",
         "Tỷ lệ hồ sơ được tiếp nhận trực tuyến 60% 75%", "Tỷ lệ kết quả được số hóa 90% 100%"],
        ["Số cơ sở dữ liệu chuyên ngành được kết nối 12 21", "Số xã có Tổ công nghệ số cộng đồng 68 68",
         "Ngoài các chỉ tiêu trên, mỗi xã tự xác định thêm chỉ tiêu của mình."],
    ]  # fmt: skip
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        pdf.multi_cell(0, 8, "\n".join(lines))
        pdf.set_y(-20)
        pdf.cell(0, 8, f"Trang {number}/3")
    path = corpus / "so-tay-bang.pdf"
    pdf.output(str(path))
    units = read_pdf(path).units
    rows = [(u.page, u.row, u.text) for u in units if u.row is not None]
    assert rows == [
        (2, 2, "Chỉ tiêu: Tỷ lệ hồ sơ được tiếp nhận trực tuyến; Năm 2025: 60%; Năm 2026: 75%"),
        (2, 3, "Chỉ tiêu: Tỷ lệ kết quả được số hóa; Năm 2025: 90%; Năm 2026: 100%"),
        (3, 4, "Chỉ tiêu: Số cơ sở dữ liệu chuyên ngành được kết nối; Năm 2025: 12; Năm 2026: 21"),
        (3, 5, "Chỉ tiêu: Số xã có Tổ công nghệ số cộng đồng; Năm 2025: 68; Năm 2026: 68"),
    ]


def test_a_docx_list_attached_after_the_signature_is_its_own_section(corpus, settings):
    import docx

    document = docx.Document()
    for text in ("QUYẾT ĐỊNH:", "Điều 1. Thành lập Ban Chỉ đạo.", "Điều 2. Quyết định có hiệu lực từ ngày ký.",
                 "Nơi nhận:", "- Lưu: VT.", "CHỦ TỊCH", "(Chữ ký số)", "DANH SÁCH THÀNH VIÊN BAN CHỈ ĐẠO",
                 "(Kèm theo Quyết định số 12/QĐ-UBND)"):  # fmt: skip
        document.add_paragraph(text)
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(table.rows, (("STT", "Họ và tên"), ("1", "Ông Lê Văn An"), ("2", "Bà Trần Thị Bình"))):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.save(corpus / "qd.docx")
    sections = {d.page_content: d.metadata["section"] for d in load(corpus / "qd.docx", corpus, settings).documents}
    assert sections["STT: 1; Họ và tên: Ông Lê Văn An"] == "DANH SÁCH THÀNH VIÊN BAN CHỈ ĐẠO"
    assert sections["(Kèm theo Quyết định số 12/QĐ-UBND)"] == "DANH SÁCH THÀNH VIÊN BAN CHỈ ĐẠO"
    signed = next(text for text in sections if "CHỦ TỊCH" in text)
    assert sections[signed].startswith("Điều 2.")  # the signature stays where it was
