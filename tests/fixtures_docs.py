"""Generators of ingestion fixtures. Each ``make_*`` writes into ``folder`` and returns the path.

Nothing is generated at import; tests call these on a ``tmp_path`` corpus folder.
"""

from __future__ import annotations

import os
import random
import shutil
import unicodedata
from pathlib import Path

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)

VI_TEXT = (
    "Kế hoạch số 02-KH/BCĐTW về thúc đẩy chuyển đổi số liên thông, đồng bộ, nhanh và hiệu quả "
    "đáp ứng yêu cầu sắp xếp tổ chức bộ máy của hệ thống chính trị. Thủ tục hành chính được thực "
    "hiện trực tuyến toàn trình trên Cổng Dịch vụ công quốc gia."
)
RU_TEXT = (
    "План № 02 направлен на обеспечение бесперебойной работы двухуровневой системы местного "
    "самоуправления с 1 июля 2025 года. Граждане и предприятия находятся в центре внимания."
)
FR_TEXT = (
    "Le plan n° 02 vise à garantir une transformation numérique rapide, synchronisée et efficace : "
    "l'appareil fonctionnera sans interruption dès le 1er juillet 2025, au service des citoyens "
    "et des entreprises. « Un système unifié, une seule base de données » ; voilà l'idée maîtresse."
)
PROCEDURES = (
    ("Thủ tục", "Cơ quan chủ trì", "Thời hạn"),
    ("Đăng ký khai sinh", "Bộ Tư pháp", "30/06/2025"),
    ("Cấp căn cước", "Bộ Công an", "01/07/2025"),
    ("Đăng ký doanh nghiệp", "Bộ Tài chính", "31/12/2025"),
)


def find_font() -> Path | None:
    """DejaVuSans.ttf (Vietnamese and Cyrillic glyphs), or None when not installed."""
    override = os.environ.get("ASSISTANT_TEST_FONT")
    for path in ([Path(override)] if override else []) + list(FONT_CANDIDATES):
        if path.is_file():
            return path
    return None


def seeds_dir() -> Path:
    """The seed articles: ``$ASSISTANT_SEEDS_DIR``, or their verbatim copies shipped in ``corpus/articles``."""
    default = Path(__file__).resolve().parents[1] / "corpus" / "articles"
    return Path(os.environ.get("ASSISTANT_SEEDS_DIR", default))


def _pdf(font: Path):  # noqa: ANN202 - fpdf is a test-only dependency
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_font("DejaVu", size=12)
    return pdf


def make_pdf(folder: Path, font: Path, name: str = "so-tay-02.pdf") -> Path:
    """3 pages: Vietnamese text, a drawing without text (a "scan"), Cyrillic text."""
    pdf = _pdf(font)
    pdf.set_title("Sổ tay hướng dẫn Kế hoạch 02")
    pdf.add_page()
    pdf.multi_cell(0, 8, "Chương 1. Mục tiêu\n" + VI_TEXT)
    pdf.add_page()
    pdf.set_fill_color(120, 120, 120)
    pdf.rect(20, 20, 160, 220, style="F")  # stands in for a scanned image
    pdf.add_page()
    pdf.multi_cell(0, 8, RU_TEXT)
    path = folder / name
    pdf.output(str(path))
    return path


def make_scanned_pdf(folder: Path, font: Path, name: str = "scan.pdf") -> Path:
    """2 pages, neither with a text layer."""
    pdf = _pdf(font)
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 160, 220, style="F")
    path = folder / name
    pdf.output(str(path))
    return path


#: The text of the scanned page of :func:`make_scan_of_text_pdf`: a decision's articles, a date, figures.
SCANNED_LINES = (
    "QUYẾT ĐỊNH",
    "Điều 1. Thành lập Tổ công tác chuyển đổi số cấp xã.",
    "Điều 2. Tổ công tác báo cáo kết quả trước ngày 15/10/2025.",
    "Kinh phí thực hiện: 186,4 tỷ đồng; tỷ lệ hồ sơ trực tuyến đạt 80%.",
)


def make_scan_of_text_pdf(folder: Path, font: Path, name: str = "quyet-dinh-scan.pdf") -> Path:
    """2 pages: one with a text layer; one that is only the picture of a page (a scan at 200 dpi, grey, of
    :data:`SCANNED_LINES`), with a small stamp-sized picture beside it."""
    from PIL import Image, ImageDraw, ImageFont

    scan = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    draw, face = ImageDraw.Draw(scan), ImageFont.truetype(str(font), 28)
    for number, line in enumerate(SCANNED_LINES):
        draw.text((120, 150 + 60 * number), line, font=face, fill=0)
    pdf = _pdf(font)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Chương 1. Mục tiêu\n" + VI_TEXT)
    pdf.add_page()
    pdf.image(scan, x=0, y=0, w=210, h=297)
    pdf.image(Image.new("RGB", (120, 120), (200, 30, 30)), x=150, y=250, w=30)  # a stamp: no page
    path = folder / name
    pdf.output(str(path))
    return path


def make_encrypted_pdf(folder: Path, font: Path, name: str = "secret.pdf", user_password: str | None = "secret") -> Path:
    """An AES-encrypted PDF; with ``user_password=None`` it opens without a password."""
    from fpdf.enums import EncryptionMethod

    pdf = _pdf(font)
    pdf.set_encryption(owner_password="owner", user_password=user_password, encryption_method=EncryptionMethod.AES_128)
    pdf.add_page()
    pdf.multi_cell(0, 8, VI_TEXT)
    path = folder / name
    pdf.output(str(path))
    return path


def make_corrupt_pdf(folder: Path, font: Path, name: str = "broken.pdf") -> Path:
    """A valid PDF cut to its first 30% of bytes."""
    good = make_pdf(folder, font, name="_whole.pdf")
    data = good.read_bytes()
    good.unlink()
    path = folder / name
    path.write_bytes(data[: len(data) * 3 // 10])
    return path


def make_docx(folder: Path, name: str = "huong-dan-trien-khai.docx") -> Path:
    """Title, two heading levels, paragraphs and a table (header + 3 rows), in Vietnamese."""
    import docx

    document = docx.Document()
    document.add_paragraph("Hướng dẫn triển khai Kế hoạch 02", style="Title")
    document.add_heading("Chương 1. Mục tiêu", level=1)
    document.add_paragraph("Bảo đảm kết nối, đồng bộ trong toàn hệ thống chính trị.")
    document.add_paragraph("Không để gián đoạn thủ tục hành chính.")
    document.add_heading("1.1. Giai đoạn cấp bách", level=2)
    document.add_paragraph("Hoàn thành trước ngày 30/6/2025.")
    document.add_heading("Chương 2. Nhiệm vụ", level=1)
    document.add_paragraph("Các thủ tục ưu tiên được liệt kê trong bảng sau.")
    table = document.add_table(rows=0, cols=3)
    for values in PROCEDURES:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = value
    document.add_paragraph("Các cơ quan báo cáo tiến độ hằng tuần.")
    path = folder / name
    document.save(str(path))
    return path


def make_xlsx(folder: Path, name: str = "danh-sach-thu-tuc.xlsx", with_headerless: bool = True) -> Path:
    """Sheet "Thủ tục": two empty rows, then the header (row 3) and procedures, one empty
    cell; sheet "Số liệu": numbers only (no header row)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Thủ tục"
    for index, values in enumerate(PROCEDURES, start=3):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=index, column=column, value=value)
    sheet.cell(row=5, column=3).value = None  # "Cấp căn cước" has no deadline
    if with_headerless:
        numbers = workbook.create_sheet("Số liệu")
        for row in ([25, 982, 1139], [80, 100, 12]):
            numbers.append(row)
    workbook.create_sheet("Trống")  # empty: skipped silently
    path = folder / name
    workbook.save(str(path))
    return path


def make_xls(folder: Path, name: str = "danh-muc-cu.xls") -> Path:
    """A legacy Excel 97–2003 workbook, written by xlwt: sheet "Thủ tục" with a field merged down over two
    procedures, deadlines as dates drawn dd/mm/yyyy, a target in a percent format; a hidden sheet "DM"."""
    from datetime import date

    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Thủ tục")
    deadline, percent = xlwt.easyxf(num_format_str="dd/mm/yyyy"), xlwt.easyxf(num_format_str="0%")
    for column, title in enumerate(("STT", "Lĩnh vực", "Tên thủ tục", "Cơ quan chủ trì", "Thời hạn", "Tỷ lệ trực tuyến")):
        sheet.write(0, column, title)
    sheet.write_merge(1, 2, 1, 1, "Hộ tịch")
    for row, (procedure, agency, day, share) in enumerate(
        (("Đăng ký khai sinh", "Sở Tư pháp", date(2025, 9, 30), 0.8), ("Đăng ký khai tử", "Sở Tư pháp", date(2025, 10, 15), 1)),
        start=1,
    ):
        sheet.write(row, 0, row)
        sheet.write(row, 2, procedure)
        sheet.write(row, 3, agency)
        sheet.write(row, 4, day, deadline)
        sheet.write(row, 5, share, percent)
    lists = workbook.add_sheet("DM")
    lists.write(0, 0, "Cơ quan")
    lists.write(1, 0, "Sở Tài chính")
    lists.visibility = 1
    path = folder / name
    workbook.save(str(path))
    return path


def make_headerless_xlsx(folder: Path, name: str = "so-lieu.xlsx") -> Path:
    """One sheet of numbers and dates only."""
    from datetime import date

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append([1, 2.5, date(2025, 7, 1)])
    sheet.append([3, 4.5, date(2025, 12, 31)])
    path = folder / name
    workbook.save(str(path))
    return path


def make_csv(folder: Path, name: str = "procedures.csv", encoding: str = "utf-8-sig") -> Path:
    """Semicolon-separated procedure list with a quoted field containing the delimiter."""
    lines = [";".join(PROCEDURES[0])]
    lines.append('"Đăng ký khai sinh; khai tử";Bộ Tư pháp;30/06/2025')
    lines += [";".join(row) for row in PROCEDURES[2:]]
    path = folder / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def make_html(folder: Path, name: str = "bai-viet.html") -> Path:
    """A page with head title, script, style, nav, footer, headings and a table."""
    html = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Triển khai Kế hoạch 02 | Báo Điện tử</title>
<link rel="canonical" href="https://example.gov.vn/tin-tuc/ke-hoach-02.html">
<style>body {{ color: red; }}</style><script>var tracking = "SHOULD_NOT_APPEAR";</script></head>
<body><nav><a href="/">Trang chủ</a> | <a href="/tin">Tin tức NAV_LINK</a></nav>
<h1>Triển khai   Kế hoạch 02</h1>
<p>{VI_TEXT[:120]} <b>liên thông</b>,
   đồng bộ.</p>
<h2>Mục tiêu</h2><p>Đến năm 2025, 100% thủ tục <i>trực tuyến</i>.<br>Dòng thứ hai.</p>
<h2>Lộ trình</h2>
<table><tr><th>Giai đoạn</th><th>Thời hạn</th></tr><tr><td>Cấp bách</td><td>30/06/2025</td></tr></table>
<script>document.write("SCRIPT_TEXT")</script>
<footer>Bản quyền FOOTER_TEXT</footer></body></html>"""
    path = folder / name
    path.write_text(html, encoding="utf-8")
    return path


def make_markdown(folder: Path, name: str = "ghi-chu.md") -> Path:
    """Intro paragraph, nested headings, a code fence with a '#' line."""
    text = (
        "Lời mở đầu về Kế hoạch 02.\n\n"
        "# Kế hoạch 02\n\nĐoạn một.\n\nĐoạn hai.\n\n"
        "## Giai đoạn cấp bách\n\nĐến 30/6/2025.\n\n"
        "```\n# not a heading\n```\n\n"
        "## Giai đoạn đột phá\n\nĐến 31/12/2025.\n\n"
        "# Phụ lục\n\nDanh mục biểu mẫu.\n"
    )
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese as Windows-1258: base letter + combining tone mark where needed."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append((base + "".join(c for c in parts if c in tones)).encode("cp1258"))
    return b"".join(out)


def make_legacy_txt(folder: Path, encoding: str) -> tuple[Path, str]:
    """A .txt in cp1258 (Vietnamese), cp1251 (Russian) or latin-1 (French); returns (path, text)."""
    text = {"cp1258": VI_TEXT, "cp1251": RU_TEXT, "latin-1": FR_TEXT}[encoding]
    data = encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path = folder / f"legacy-{encoding}.txt"
    path.write_bytes(data)
    return path, text


def make_binary_txt(folder: Path, name: str = "image.txt") -> Path:
    """Random bytes with NULs (e.g. an image renamed to .txt)."""
    rng = random.Random(2)
    path = folder / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(rng.randrange(256) for _ in range(4000)))
    return path


def make_empty(folder: Path, name: str = "empty.txt") -> Path:
    path = folder / name
    path.write_bytes(b"")
    return path


def make_oversized(folder: Path, megabytes: float, name: str = "big.txt") -> Path:
    path = folder / name
    path.write_bytes(b"a" * int(megabytes * 1024 * 1024))
    return path


def make_unsupported(folder: Path, name: str = "notes.xyz") -> Path:
    path = folder / name
    path.write_text("Some notes that are long enough to count as text.", encoding="utf-8")
    return path


def copy_seeds(folder: Path) -> list[Path]:
    """Copy the shared seed articles into ``folder``; [] when they are not available."""
    source = seeds_dir()
    if not source.is_dir():
        return []
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(p, folder / p.name)) for p in sorted(source.glob("*.txt"))]


#: Running header of :func:`make_paged_pdf` (its date's digits must not mislead the page-number logic).
PAGED_HEADER = "Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025 của Ban Chỉ đạo Trung ương"
#: Sentences long enough to wrap over several lines of an A4 page; the first one on page 1.
WRAPPED_SENTENCES = (
    ("Các bộ, ngành và địa phương rà soát toàn bộ thủ tục hành chính, cập nhật dữ liệu dân cư, đất đai và "
     "doanh nghiệp, bảo đảm kết nối liên thông với Cổng Dịch vụ công quốc gia trước ngày 30/6/2025 để người dân "
     "không phải nộp lại giấy tờ đã có trong cơ sở dữ liệu."),
    ("Trung tâm phục vụ hành chính công cấp xã tiếp nhận hồ sơ của người dân và doanh nghiệp không phụ thuộc "
     "vào địa giới hành chính, trả kết quả trực tuyến hoặc qua dịch vụ bưu chính công ích theo yêu cầu."),
    ("Văn phòng Trung ương Đảng chủ trì hướng dẫn việc kết nối các hệ thống thông tin giữa cơ quan đảng, nhà "
     "nước, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội ở cấp tỉnh và cấp xã."),
    ("Bộ Công an bảo đảm an ninh mạng, an toàn thông tin cho các hệ thống dùng chung, phối hợp xử lý kịp thời "
     "các sự cố và báo cáo Ban Chỉ đạo khi phát hiện nguy cơ gián đoạn dịch vụ."),
)
#: The article opening each page of :func:`make_paged_pdf` (not the page number: such lines are no header).
PAGED_ARTICLES = (1, 3, 4, 7)


def make_paged_pdf(folder: Path, font: Path, name: str = "ke-hoach-trien-khai.pdf") -> Path:
    """One page per :data:`WRAPPED_SENTENCES`, each with the running header :data:`PAGED_HEADER`,
    a "Trang N/M" footer, an "Điều N." heading, that sentence (wrapping over several lines)
    and a list item."""
    from fpdf import FPDF

    class Paged(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", size=9)
            self.cell(0, 6, PAGED_HEADER, align="C")
            self.ln(12)
            self.set_font("DejaVu", size=12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("DejaVu", size=9)
            self.cell(0, 6, f"Trang {self.page_no()}/{{nb}}", align="C")

    pdf = Paged()
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_font("DejaVu", size=12)
    for article, sentence in zip(PAGED_ARTICLES, WRAPPED_SENTENCES):
        pdf.add_page()
        for text in (f"Điều {article}. Nhiệm vụ", sentence, f"- Báo cáo kết quả thực hiện Điều {article}."):
            pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    path = folder / name
    pdf.output(str(path))
    return path


def make_repeated_docx(folder: Path, name: str = "bang-trung-lap.docx") -> Path:
    """One section holding a table with two identical rows, then the same table again, and two
    identical paragraphs in two sections of the same name: units whose text and place repeat."""
    import docx

    document = docx.Document()
    for _ in range(2):
        document.add_heading("Danh sách thủ tục", level=1)
        document.add_paragraph("Các thủ tục dưới đây được thực hiện trực tuyến toàn trình.")
        for _table in range(2):
            table = document.add_table(rows=0, cols=3)
            for values in (PROCEDURES[0], PROCEDURES[1], PROCEDURES[1]):
                for cell, value in zip(table.add_row().cells, values):
                    cell.text = value
    path = folder / name
    document.save(str(path))
    return path


def make_truncated_docx(folder: Path, name: str = "cat-ngang.docx") -> Path:
    """A valid DOCX cut to its first half (a download that stopped)."""
    good = make_docx(folder, name="_whole.docx")
    data = good.read_bytes()
    good.unlink()
    path = folder / name
    path.write_bytes(data[: len(data) // 2])
    return path


#: Bodies of the four articles of :func:`make_articles_docx`.
ARTICLE_BODIES = (
    "Thành lập Tổ công tác triển khai Kế hoạch số 02-KH/BCĐTW.",
    "Tổ công tác gồm đại diện Văn phòng, Bộ Công an và Bộ Khoa học và Công nghệ.",
    "Tổ công tác họp định kỳ hằng tháng và báo cáo Ban Chỉ đạo.",
    "Quyết định này có hiệu lực từ ngày ký.",
)


def make_articles_docx(folder: Path, name: str = "quyet-dinh.docx") -> Path:
    """A decision whose "Chương"/"Điều N." headings are Normal paragraphs (no heading style);
    Điều 2 carries its text on the heading line."""
    import docx

    document = docx.Document()
    document.add_paragraph("QUYẾT ĐỊNH về việc thành lập Tổ công tác")
    document.add_paragraph("Chương I")
    document.add_paragraph("Điều 1. Thành lập")
    document.add_paragraph(ARTICLE_BODIES[0])
    document.add_paragraph(f"Điều 2. {ARTICLE_BODIES[1]} Trưởng nhóm do Ban Chỉ đạo chỉ định.")
    document.add_paragraph("Chương II")
    document.add_paragraph("Điều 3. Chế độ làm việc")
    document.add_paragraph(ARTICLE_BODIES[2])
    document.add_paragraph("Điều 4.")
    document.add_paragraph(ARTICLE_BODIES[3])
    path = folder / name
    document.save(str(path))
    return path
