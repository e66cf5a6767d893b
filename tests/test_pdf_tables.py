"""Tables of figures in PDF page text become rows with their header (assistant.ingest.pdf_tables)."""

from __future__ import annotations

from assistant.ingest.pdf import page_units
from assistant.ingest.pdf_tables import find_tables
from assistant.types import ChunkMeta

PAGE = """2.2. Chỉ tiêu cụ thể
Các chỉ tiêu chủ yếu được giao theo từng năm như bảng dưới đây.
Chỉ tiêu Năm 2025 Năm 2026
Tỷ lệ thủ tục hành chính đủ điều kiện được cung cấp trực
tuyến toàn trình 85% 100%
Tỷ lệ kết quả giải quyết thủ tục hành chính được số hóa 90% 100%
Số cơ sở dữ liệu chuyên ngành kết nối với Nền tảng tích hợp,
chia sẻ dữ liệu của tỉnh 12 21
Ngoài các chỉ tiêu trên, mỗi xã tự xác định ít nhất 02 chỉ tiêu đặc thù và đăng ký
trước ngày 10/6/2025."""


def test_a_table_of_figures_by_year_becomes_rows_named_by_its_header():
    (table,) = find_tables(PAGE)
    assert table.header == ["Chỉ tiêu", "Năm 2025", "Năm 2026"]
    assert table.rendered() == [
        "Chỉ tiêu: Tỷ lệ thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình; Năm 2025: 85%; Năm 2026: 100%",
        "Chỉ tiêu: Tỷ lệ kết quả giải quyết thủ tục hành chính được số hóa; Năm 2025: 90%; Năm 2026: 100%",
        "Chỉ tiêu: Số cơ sở dữ liệu chuyên ngành kết nối với Nền tảng tích hợp, chia sẻ dữ liệu của tỉnh; Năm 2025: 12; Năm 2026: 21",
    ]
    assert (table.first_line, table.end_line) == (2, 8)


def test_the_page_keeps_its_prose_around_the_rows_each_unit_with_its_page():
    units, carry = page_units(PAGE, 4)
    assert carry is None  # prose follows the table: it does not go on on the next page
    assert [(u.page, u.row) for u in units] == [(4, None), (4, 2), (4, 3), (4, 4), (4, None)]
    assert units[0].text.endswith("như bảng dưới đây.")
    shown = ChunkMeta(source="s.pdf", title="S", language="vi", page=4, row=units[2].row).location
    assert shown == "p. 4, row 3"  # where a citation of the row points
    assert units[-1].text == ("Ngoài các chỉ tiêu trên, mỗi xã tự xác định ít nhất 02 chỉ tiêu đặc thù và đăng ký "
                              "trước ngày 10/6/2025.")  # re-flowed as before


def test_bare_year_columns_are_named_by_their_year():
    (table,) = find_tables("Nhóm chỉ tiêu 2025 2026 2030\nHạ tầng số 40% 60% 90%\nDữ liệu số 20 35 50")
    assert table.header == ["Nhóm chỉ tiêu", "2025", "2026", "2030"]
    assert table.rendered()[1] == "Nhóm chỉ tiêu: Dữ liệu số; 2025: 20; 2026: 35; 2030: 50"


def test_prose_with_figures_is_no_table():
    for text in (
        # A sentence ending with two figures, then one more: no header line, no table.
        "Giai đoạn 2025 2026 gồm hai đợt.\nĐợt 1 đạt 85% 100%\nĐợt 2 đạt 90% 95%",
        # A header but only one row below it.
        "Chỉ tiêu Năm 2025 Năm 2026\nTỷ lệ số hóa 90% 100%\nSau đó các xã báo cáo kết quả.",
        # Rows of shares under a line of shares: values, not column names.
        "Tỷ lệ 85% 100%\nTỷ lệ số hóa 90% 100%\nTỷ lệ trực tuyến 60% 75%",
        # Rows with a different number of figures than the header has columns.
        "Chỉ tiêu Năm 2025 Năm 2026\nTỷ lệ số hóa 90%\nTỷ lệ trực tuyến 60%",
    ):
        assert find_tables(text) == [], text
    assert [u.row for u in page_units("Chỉ tiêu Năm 2025 Năm 2026\nTỷ lệ số hóa 90%", 1)[0]] == [None]


FIRST_PAGE = """Các chỉ tiêu chủ yếu được giao theo từng năm như bảng dưới đây.
Chỉ tiêu Năm 2025 Năm 2026
Tỷ lệ thủ tục hành chính được cung cấp trực tuyến toàn trình 85% 100%
Tỷ lệ kết quả giải quyết thủ tục hành chính được số hóa 90% 100%"""


def test_a_table_that_ends_its_page_goes_on_at_the_top_of_the_next_with_rows_numbered_on():
    first, carry = page_units(FIRST_PAGE, 4)
    assert carry is not None and [u.row for u in first] == [None, 2, 3]
    second_text = "Số cơ sở dữ liệu chuyên ngành kết nối với Nền tảng tích hợp,\nchia sẻ dữ liệu của tỉnh 12 21\n" \
        "Số người dân được hỗ trợ sử dụng dịch vụ công 5000 8000\nNgoài các chỉ tiêu trên, mỗi xã tự xác định chỉ tiêu."
    second, carry = page_units(second_text, 5, carry)
    assert carry is None
    assert [(u.page, u.row) for u in second] == [(5, 4), (5, 5), (5, None)]
    assert second[0].text == ("Chỉ tiêu: Số cơ sở dữ liệu chuyên ngành kết nối với Nền tảng tích hợp, chia sẻ dữ liệu "
                              "của tỉnh; Năm 2025: 12; Năm 2026: 21")


def test_a_repeated_header_on_the_next_page_is_skipped_and_other_rows_do_not_continue_the_table():
    _, carry = page_units(FIRST_PAGE, 4)
    repeated = "Chỉ tiêu Năm 2025 Năm 2026\nSố xã có Tổ công nghệ số cộng đồng 68 68"
    units, _ = page_units(repeated, 5, carry)
    assert [(u.row, u.text) for u in units] == [(4, "Chỉ tiêu: Số xã có Tổ công nghệ số cộng đồng; Năm 2025: 68; Năm 2026: 68")]
    prose = "Chương 3. Tổ chức thực hiện\nSở Nội vụ chủ trì tổ chức 06 lớp bồi dưỡng trong năm 2025."
    assert [u.row for u in page_units(prose, 5, carry)[0]] == [None]  # the next page starts with prose
    three = "Tỷ lệ hồ sơ 85% 90% 100%"  # three figures: not a row of a two-column table
    assert [u.row for u in page_units(three, 5, carry)[0]] == [None]
