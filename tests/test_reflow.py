"""Re-flow of PDF page text and removal of running headers/footers (assistant.ingest.reflow)."""

from __future__ import annotations

import pytest

from assistant.ingest.reflow import reflow, sentence_head, strip_page_furniture

WRAPPED = (
    "Kế hoạch được ban hành nhằm thúc đẩy chuyển đổi số liên thông, đồng bộ, nhanh và\n"
    "hiệu quả trong toàn hệ thống chính trị, bảo đảm hoạt động thông suốt của Ban\n"
    "Chỉ đạo Trung ương từ ngày\n"
    "1/7/2025.\n"
    "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025."
)


def test_lines_of_one_sentence_are_joined_and_sentence_ends_kept():
    assert reflow(WRAPPED) == (
        "Kế hoạch được ban hành nhằm thúc đẩy chuyển đổi số liên thông, đồng bộ, nhanh và hiệu quả trong toàn hệ "
        "thống chính trị, bảo đảm hoạt động thông suốt của Ban Chỉ đạo Trung ương từ ngày 1/7/2025.\n"
        "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025."
    )


def test_clauses_wrapped_after_a_semicolon_are_joined_and_short_items_keep_their_lines():
    wrapped = (
        "Sở Du lịch có trách nhiệm: quản lý cơ sở dữ liệu lưu trú của tỉnh và cấp tài khoản; công bố danh mục;\n"
        "hướng dẫn nghiệp vụ cho Ban Điều phối; tổng hợp số liệu hằng tuần."
    )
    assert reflow(wrapped) == wrapped.replace(";\n", "; ")
    items = "Sở Du lịch có trách nhiệm:\nquản lý cơ sở dữ liệu;\nhướng dẫn nghiệp vụ;\ntổng hợp số liệu hằng tuần."
    assert reflow(items) == items


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the digital trans-\nformation of the system", "the digital transformation of the system"),
        ("thúc đẩy chuyển-\nđổi số", "thúc đẩy chuyển đổi số"),  # Vietnamese breaks between syllables
        ("trục Bắc-\nNam và COVID-\n19", "trục Bắc-Nam và COVID-19"),  # a real hyphen stays
        ("từ 2025 -\nđến 2030", "từ 2025 - đến 2030"),  # a dash is no hyphenation
    ],
)
def test_end_of_line_hyphenation(text: str, expected: str):
    assert reflow(text) == expected


def test_paragraphs_list_items_and_headings_keep_their_lines():
    text = (
        "MỤC ĐÍCH, YÊU CẦU\n"
        "Bảo đảm kết nối\n\n"
        "Đoạn mới bắt đầu ở đây\n"
        "- Rà soát thủ tục\n"
        "• Cập nhật dữ liệu\n"
        "a) Điểm a\n"
        "1. Khoản một\n"
        "1.2. Tiểu mục\n"
        "Chương 2\n"
        "Điều 4. Hiệu lực\n"
        "Sổ tay hướng dẫn\n"
        "Kế hoạch số 02"
    )
    assert reflow(text) == text


PAGES = [
    f"Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025\nĐiều {article}. Nội dung trang {page} của văn bản\n"
    f"Nội dung riêng của trang {page} với số {page * 7}\nTrang {page}/5"
    for page, article in zip(range(1, 6), (1, 2, 5, 6, 9))
]


def test_running_header_and_page_footer_are_dropped():
    cleaned = strip_page_furniture(PAGES)
    assert cleaned[0] == "Điều 1. Nội dung trang 1 của văn bản\nNội dung riêng của trang 1 với số 7"
    assert all("Kế hoạch số 02" not in page and "Trang" not in page.split("\n")[-1] for page in cleaned)
    assert all(page.startswith("Điều ") for page in cleaned)  # articles numbered unlike the pages stay


def test_header_on_too_few_pages_is_text():
    pages = ["Tiêu đề chung\nNội dung một", "Tiêu đề chung\nNội dung hai"]  # fewer than 3 pages
    assert strip_page_furniture(pages) == pages


@pytest.mark.parametrize("line", ["3", "- 3 -", "Trang 3", "Trang 3/10", "Page 3", "Page 3 of 10"])
def test_lone_page_numbers_are_dropped(line: str):
    assert strip_page_furniture(["Trang một.", "Trang hai.", f"Nội dung trang ba.\n{line}"])[2] == "Nội dung trang ba."


def test_a_bare_number_that_is_not_the_page_number_is_data():
    assert strip_page_furniture(["Số xã sau sắp xếp:\n25"]) == ["Số xã sau sắp xếp:\n25"]


LONG = "Đối với các nội dung thuộc thẩm quyền của bộ, ngành trung ương, tỉnh thực hiện theo hướng dẫn chung."
CUT = f"{LONG}\nCác vướng mắc cần kiến nghị trung ương trong quá trình thực hiện được tổng hợp bởi Sở"
NEXT = "Khoa học và Công nghệ và gửi theo đợt, mỗi tháng một lần, vào ngày\n25 hằng tháng.\n4.2. Cấp tỉnh\nỞ cấp tỉnh."


@pytest.mark.parametrize(
    ("tail", "page", "head"),
    [
        (CUT, NEXT, 2),  # the sentence ends on the next page's second line
        (f"{LONG}\nCác vướng mắc được Sở tổng hợp.", NEXT, 0),  # the page ended its sentence
        (CUT, "4.2. Cấp tỉnh\nỞ cấp tỉnh.", 0),  # the next page opens with a heading
        (CUT, "Khoa học và Công nghệ\n- gửi theo đợt;", 0),  # a list item before the sentence ends
        (CUT, "khoa học\nvà\ncông\nnghệ\nmỗi tháng.", 0),  # no sentence end within four lines
        ("Số liệu theo bảng:\nChỉ tiêu Năm 2025", "Tỷ lệ hồ sơ 60%", 0),  # a line that ends with ":" ended it
    ],
)
def test_a_sentence_cut_by_a_page_break_takes_the_next_pages_first_lines(tail: str, page: str, head: int) -> None:
    assert sentence_head(page, tail, max_lines=4) == head
