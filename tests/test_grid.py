"""A printed list's layout read from its grid (assistant/ingest/grid.py): title rows, a header over two rows
under a merged cell, a row numbering the columns, group rows, and values merged down over several rows,
in XLSX, DOCX and CSV alike. Every text is invented."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from assistant.ingest.grid import Grid, table_units
from assistant.ingest.sheets import date_as_shown, read_csv, read_xlsx
from assistant.ingest.word import read_docx

TITLE = "DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2027"
# The printed layout, row by row (None: a cell covered by a merge).
LAYOUT = [
    [TITLE, None, None, None, None],
    ["STT", "Nhiệm vụ", "Cơ quan thực hiện", None, "Thời hạn"],
    [None, None, "Cấp tỉnh", "Cấp xã", None],
    ["(1)", "(2)", "(3)", "(4)", "(5)"],
    ["I", "Lĩnh vực du lịch", "", "", ""],
    ["1", "Số hóa điểm đến", "Sở Du lịch", "UBND xã", "30/6/2027"],
    ["2", "Mở bản đồ số", None, "UBND phường", "31/12/2027"],
    ["II. LĨNH VỰC GIAO THÔNG", None, None, None, None],
    ["3", "Cập nhật tuyến xe buýt", "Ban Điều phối", "", "Quý IV/2027"],
]
# Merged ranges as (first row, first column, last row, last column), 0-based.
MERGES = [(0, 0, 0, 4), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 1, 3), (1, 4, 2, 4), (5, 2, 6, 2), (7, 0, 7, 4)]

EXPECTED = [
    ("I. Lĩnh vực du lịch", None),
    (("STT: 1; Nhiệm vụ: Số hóa điểm đến; Cơ quan thực hiện – Cấp tỉnh: Sở Du lịch; Cơ quan thực hiện – Cấp xã: UBND xã; "
     "Thời hạn: 30/6/2027"), "I. Lĩnh vực du lịch"),
    # The lead merged down over two tasks is each task's lead: the row can be cited alone.
    (("STT: 2; Nhiệm vụ: Mở bản đồ số; Cơ quan thực hiện – Cấp tỉnh: Sở Du lịch; Cơ quan thực hiện – Cấp xã: UBND phường; "
     "Thời hạn: 31/12/2027"), "I. Lĩnh vực du lịch"),
    ("II. LĨNH VỰC GIAO THÔNG", None),
    ("STT: 3; Nhiệm vụ: Cập nhật tuyến xe buýt; Cơ quan thực hiện – Cấp tỉnh: Ban Điều phối; Thời hạn: Quý IV/2027",
     "II. LĨNH VỰC GIAO THÔNG"),
]  # fmt: skip


def _under(*parts: str | None) -> str:
    """A section path: the heading, the table's title, the group (those given)."""
    return " > ".join(part for part in parts if part)


def _xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    for r, row in enumerate(LAYOUT, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(r, c, value)
    for r0, c0, r1, c1 in MERGES:
        sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    book.save(path)
    return path


def _docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Phụ lục 2. Nhiệm vụ", level=1)
    table = document.add_table(rows=len(LAYOUT), cols=len(LAYOUT[0]))
    for r0, c0, r1, c1 in MERGES:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    for r, row in enumerate(LAYOUT):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    document.save(path)
    return path


def test_an_xlsx_list_printed_with_merges_reads_as_rows_each_citable_alone(tmp_path: Path) -> None:
    units = read_xlsx(_xlsx(tmp_path / "nhiem-vu.xlsx")).units
    assert [(u.text, u.section) for u in units] == [(text, _under(TITLE, group)) for text, group in EXPECTED]
    assert [u.row for u in units] == [5, 6, 7, 8, 9]  # the sheet's own row numbers
    assert {u.sheet for u in units} == {"Nhiệm vụ"}


def test_a_docx_table_with_the_same_layout_reads_the_same_under_its_heading(tmp_path: Path) -> None:
    rows = [u for u in read_docx(_docx(tmp_path / "phu-luc.docx")).units if u.row is not None]
    heading = "Phụ lục 2. Nhiệm vụ"
    expected = [(text, _under(heading, TITLE, group)) for text, group in EXPECTED]
    assert [(u.text, u.section) for u in rows] == expected


def test_a_csv_reads_groups_by_their_numeral_and_skips_the_column_numbers(tmp_path: Path) -> None:
    text = (
        "STT,Nhiệm vụ,Cơ quan chủ trì,Thời hạn\n"
        "1,2,3,4\n"
        "A,Nhiệm vụ chung,,\n"
        "1,Số hóa điểm đến,Sở Du lịch,30/6/2027\n"
        "2,Mở bản đồ số,,\n"  # one task with no lead yet: a data row, not a group
        "B,Nhiệm vụ riêng,,\n"
        "3,Cập nhật tuyến xe buýt,Ban Điều phối,Quý IV/2027\n"
    )
    units = read_csv(text, tmp_path / "nhiem-vu.csv").units
    assert [(u.text, u.section, u.row) for u in units] == [
        ("A. Nhiệm vụ chung", None, 3),
        ("STT: 1; Nhiệm vụ: Số hóa điểm đến; Cơ quan chủ trì: Sở Du lịch; Thời hạn: 30/6/2027", "A. Nhiệm vụ chung", 4),
        ("STT: 2; Nhiệm vụ: Mở bản đồ số", "A. Nhiệm vụ chung", 5),
        ("B. Nhiệm vụ riêng", None, 6),
        ("STT: 3; Nhiệm vụ: Cập nhật tuyến xe buýt; Cơ quan chủ trì: Ban Điều phối; Thời hạn: Quý IV/2027",
         "B. Nhiệm vụ riêng", 7),
    ]  # fmt: skip


def test_a_csv_separated_by_semicolons_whose_cells_hold_commas_is_read_by_its_columns(tmp_path: Path) -> None:
    # csv.Sniffer gives up on such a file (the commas' count varies from line to line).
    text = (
        "STT;Tên lớp;Đối tượng;Xã, phường tham gia;Ngày khai giảng;Đơn vị chủ trì\n"
        "1;Hướng dẫn viên số – cụm 1;Cán bộ, công chức cấp xã;Xã Hồ Sen, Xã Đồi Chè, Phường Bến Cát;10/9/2027;Sở Du lịch\n"
        "2;Hướng dẫn viên số – cụm 2;Cán bộ, công chức cấp xã;Xã Suối Mơ;24/9/2027;Sở Du lịch\n"
    )
    units = read_csv(text, tmp_path / "lich.csv").units
    assert [u.text for u in units] == [
        ("STT: 1; Tên lớp: Hướng dẫn viên số – cụm 1; Đối tượng: Cán bộ, công chức cấp xã; Xã, phường tham gia: Xã Hồ "
         "Sen, Xã Đồi Chè, Phường Bến Cát; Ngày khai giảng: 10/9/2027; Đơn vị chủ trì: Sở Du lịch"),
        ("STT: 2; Tên lớp: Hướng dẫn viên số – cụm 2; Đối tượng: Cán bộ, công chức cấp xã; Xã, phường tham gia: Xã "
         "Suối Mơ; Ngày khai giảng: 24/9/2027; Đơn vị chủ trì: Sở Du lịch"),
    ]


def test_what_is_not_layout_stays_data() -> None:
    # A merged header cell with no names below it names both its columns; the row below is data.
    grid = Grid.of(
        [["STT", "Cơ quan", None, "Thời hạn"], ["1", "Sở Du lịch", "UBND xã", "30/6/2027"],
         ["2", "Ban Điều phối", "UBND phường", "31/12/2027"]],
        spans=[[False, False, True, False], [False] * 4, [False] * 4],
    )  # fmt: skip
    assert [u.text for u in table_units(grid)] == [
        "STT: 1; Cơ quan: Sở Du lịch; Cơ quan (2): UBND xã; Thời hạn: 30/6/2027",
        "STT: 2; Cơ quan: Ban Điều phối; Cơ quan (2): UBND phường; Thời hạn: 31/12/2027",
    ]
    # Numbers in a row are data unless they number the columns in order; a row with one value is data.
    grid = Grid.of([["Mã", "Số hồ sơ", "Số ngày"], ["1", "2", "3"], ["4", "12", "30"], ["7", "", ""]])
    assert [u.text for u in table_units(grid)] == ["Mã: 4; Số hồ sơ: 12; Số ngày: 30", "Mã: 7"]
    grid = Grid.of([["Mã", "Số hồ sơ", "Số ngày"], ["2", "1", "3"], ["X", "Hồ sơ giấy", ""]])
    assert [u.text for u in table_units(grid)] == ["Mã: 2; Số hồ sơ: 1; Số ngày: 3", "X. Hồ sơ giấy"]


def test_a_note_under_a_table_is_its_own_text_not_a_row() -> None:
    rows = [["Đơn vị", "Người đầu mối", "Điện thoại"], ["Sở Du lịch", "Lò Văn Hải", "0200 111 0101"],
            ["UBND xã Hồ Sen", "", ""],  # a row whose other cells are empty stays a row
            ["Ghi chú: số điện thoại trực cập nhật đến ngày 30/6/2027", "", ""]]  # fmt: skip
    assert [u.text for u in table_units(Grid.of(rows))] == [
        "Đơn vị: Sở Du lịch; Người đầu mối: Lò Văn Hải; Điện thoại: 0200 111 0101",
        "Đơn vị: UBND xã Hồ Sen",
        "Ghi chú: số điện thoại trực cập nhật đến ngày 30/6/2027",
    ]
    # Under a column of numbers, words are a note however short.
    rows = [["STT", "Nhiệm vụ", "Thời hạn"], ["1", "Số hóa điểm đến", "30/6/2027"], ["Nguồn: Sở Du lịch", "", ""]]
    assert [u.text for u in table_units(Grid.of(rows))][-1] == "Nguồn: Sở Du lịch"


def test_a_later_row_wider_than_the_first_rows_keeps_its_cells() -> None:
    rows = [["Mã", "Nhiệm vụ", "Thời hạn"], *[[str(n), f"Việc {n}", "30/6/2027"] for n in range(1, 60)]]
    rows.append(["60", "Việc 60", "31/12/2027", "ghi chú thêm"])  # past the columns the first rows use
    units = table_units(Grid.of(rows))
    assert units[-1].text == "Mã: 60; Nhiệm vụ: Việc 60; Thời hạn: 31/12/2027; Column D: ghi chú thêm"


def test_an_xlsx_number_in_a_percent_format_reads_as_printed(tmp_path: Path) -> None:
    """A target of 80 % is stored as 0.8 and shown "80%": the row says 80%, as the sheet shows it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Chỉ tiêu", "Năm 2026", "Năm 2027", "Ghi chú"])
    sheet.append(["Hồ sơ trực tuyến toàn trình", 0.8, 0.955, 0.8])
    sheet["B2"].number_format, sheet["C2"].number_format = "0%", '0.0%;[Red]-0.0%'
    sheet["D2"].number_format = '0.0" %"'  # a quoted per cent sign is a literal: the number is not scaled
    workbook.save(tmp_path / "chi-tieu.xlsx")
    (row,) = read_xlsx(tmp_path / "chi-tieu.xlsx").units
    assert row.text == "Chỉ tiêu: Hồ sơ trực tuyến toàn trình; Năm 2026: 80%; Năm 2027: 95.5%; Ghi chú: 0.8"


def test_an_xlsx_date_reads_as_the_sheet_shows_it_where_it_cannot_be_misread(tmp_path: Path) -> None:
    """A deadline stored as a date and shown "30/09/2025" is quoted "30/09/2025"; one a month-first or
    a month-name format shows keeps the unambiguous ISO form."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nhiệm vụ", "Hạn", "Họp", "Hạn (US)", "Hạn (chữ)", "Mặc định"])
    sheet.append(["Số hóa hồ sơ", datetime(2025, 9, 30), datetime(2025, 9, 3, 16, 30), date(2025, 9, 3),
                  date(2025, 9, 3), date(2025, 9, 3)])  # fmt: skip
    sheet["B2"].number_format, sheet["C2"].number_format = "dd/mm/yyyy", "[$-42A]dd/mm/yyyy hh:mm"
    sheet["D2"].number_format, sheet["E2"].number_format = "mm/dd/yyyy", "d mmmm yyyy"
    sheet["F2"].number_format = "mm-dd-yy"  # Excel's built-in short date: the reader's own, day first here
    workbook.save(tmp_path / "han.xlsx")
    (row,) = read_xlsx(tmp_path / "han.xlsx").units
    assert row.text == (
        "Nhiệm vụ: Số hóa hồ sơ; Hạn: 30/09/2025; Họp: 03/09/2025 16:30; Hạn (US): 2025-09-03; "
        "Hạn (chữ): 2025-09-03; Mặc định: 03/09/2025"
    )


@pytest.mark.parametrize(
    ("number_format", "shown"),
    [
        ("d/m/yyyy", "3/9/2025"),
        ("dd.mm.yy", "03.09.2025"),  # a year always has its four digits
        ("yyyy-mm-dd", "2025-09-03"),
        ('dd"/"mm"/"yyyy', "03/09/2025"),  # quoted and escaped separators are drawn as they are
        ("dd\\/mm\\/yyyy hh:mm:ss", "03/09/2025 16:30:05"),
        ('"Ngày "dd/mm/yyyy', "Ngày 03/09/2025"),
        ("m/d/yy h:mm", "03/09/2025 16:30"),  # the built-in date and time: the reader's own
        ("mm/dd/yyyy", None),  # a month before its day
        ("dddd, dd/mm/yyyy", None),  # a weekday's name
        ("dd/mm/yyyy h:mm AM/PM", None),  # a 12-hour clock
        ("h:mm:ss", None),  # no date
    ],
)
def test_a_date_format_is_drawn_when_it_is_numeric_and_day_first(number_format: str, shown: str | None) -> None:
    assert date_as_shown(datetime(2025, 9, 3, 16, 30, 5), number_format) == shown


def test_a_hidden_sheet_is_skipped_and_said_so(tmp_path: Path) -> None:
    """The lists a drop-down offers live in a hidden sheet: the workbook's machinery, not its content."""
    workbook = Workbook()
    tasks = workbook.active
    tasks.title = "Nhiệm vụ"
    tasks.append(["Nhiệm vụ", "Cơ quan chủ trì"])
    tasks.append(["Số hóa hồ sơ", "Sở Nội vụ"])
    lists = workbook.create_sheet("DM")
    lists.append(["Cơ quan"])
    lists.append(["Sở Tài chính"])
    lists.sheet_state = "hidden"
    workbook.save(tmp_path / "nhiem-vu.xlsx")
    parsed = read_xlsx(tmp_path / "nhiem-vu.xlsx")
    assert [u.text for u in parsed.units] == ["Nhiệm vụ: Số hóa hồ sơ; Cơ quan chủ trì: Sở Nội vụ"]
    assert parsed.warnings == ["sheet 'DM': hidden, skipped"]
