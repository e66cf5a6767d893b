"""Headings written as plain text (assistant.ingest.headings)."""

from __future__ import annotations

import pytest

from assistant.ingest.headings import Heading, find_headings, parse_heading


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("Phần I", 1),
        ("PHẦN THỨ NHẤT", 1),
        ("Part II", 1),
        ("Chương 2", 2),
        ("CHƯƠNG II", 2),
        ("Chương 1. Mục tiêu", 2),
        ("Chapter 3: Scope", 2),
        ("Mục 3", 3),
        ("Section 3", 3),
        ("Điều 4.", 4),
        ("Điều 1. Thành lập Tổ công tác", 4),
        ("Article 4", 4),
        ("I. MỤC ĐÍCH, YÊU CẦU", 4.5),
        ("1. Mục đích", 5),
        ("1.2. Giai đoạn cấp bách", 6),
    ],
)
def test_structural_markers_are_headings(line: str, level: float):
    assert parse_heading(line) == Heading(level, line)


@pytest.mark.parametrize(
    "line",
    [
        "Article 4 of the Convention applies here.",
        "Điều 4 của Luật này quy định về thủ tục.",
        "Mục tiêu chung của Kế hoạch",
        "Phần lớn thủ tục đã được số hóa",
        "1. Rà soát thủ tục hành chính. Sau đó cập nhật dữ liệu dân cư.",
        "1. " + "Rà soát thủ tục hành chính " * 6,
        "chương 2 bắt đầu bằng chữ thường",
        "I. think therefore I am",
        "2025. Năm bản lề",
        "1.2 Không có dấu chấm sau số",
        "1. Hoàn thành trước ngày 30/6/2025.",
    ],
)
def test_sentences_are_not_headings(line: str):
    assert parse_heading(line) is None


def test_marker_with_body_text_on_its_line_keeps_the_line_as_body():
    line = "Điều 2. Tổ công tác có nhiệm vụ rà soát thủ tục hành chính. Kết quả báo cáo Ban Chỉ đạo hằng tháng."
    assert parse_heading(line) == Heading(4, "Điều 2. Tổ công tác có nhiệm vụ rà soát thủ tục hành chính", body=True)


def test_numbered_lines_one_after_another_are_a_list():
    lines = ["Nhiệm vụ gồm:", "1. Rà soát thủ tục", "2. Cập nhật dữ liệu", "3. Báo cáo kết quả", "Các cơ quan thực hiện."]
    assert find_headings(lines) == [None] * 5


def test_a_heading_needs_a_body_before_the_next_heading_of_its_level():
    lines = ["Chương 1", "Chương 2", "Nội dung.", "I. MỤC ĐÍCH", "1. Mục đích", "Nội dung.", "Điều 9."]
    found = find_headings(lines)
    assert found[0] is None  # "Chương 1" would be in no section path: it stays text
    assert [h.level if h else None for h in found[1:]] == [2, None, 4.5, 5, None, None]


def test_a_bare_chapter_marker_takes_its_title_in_capitals_from_the_next_line():
    """Legal documents write "Chương I" and, on the next line, "QUY ĐỊNH CHUNG": one heading."""
    lines = ["Chương I", "QUY ĐỊNH CHUNG", "Điều 1. Phạm vi điều chỉnh", "Nội dung.", "Chương II", "Nội dung khác."]
    found = find_headings(lines)
    assert found[0] == found[1] == Heading(2, "Chương I. QUY ĐỊNH CHUNG")
    assert found[2] == Heading(4, "Điều 1. Phạm vi điều chỉnh")
    assert found[4] == Heading(2, "Chương II")  # its next line is a sentence, not a title


def test_a_document_with_chapter_titles_on_their_own_lines_keeps_them_in_the_section_path(tmp_path):
    from assistant.ingest.text import read_plain

    parsed = read_plain("Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nNghị định này quy định việc kết nối dữ liệu.\n")
    assert [(u.section, u.text) for u in parsed.units] == [
        ("Chương I. QUY ĐỊNH CHUNG > Điều 1. Phạm vi", "Nghị định này quy định việc kết nối dữ liệu.")
    ]


@pytest.mark.parametrize(("text", "value"), [("thứ nhất", 1), ("THỨ HAI", 2), ("thứ tư", 4), ("thứ mười", 10),
                                             ("thứ mười lăm", 15), ("thứ bảy mươi", None), ("hai", None)])  # fmt: skip
def test_vietnamese_ordinals_have_their_numbers(text: str, value: int | None):
    from assistant.language import ordinal_value

    assert ordinal_value(text) == value


def test_a_numbered_lead_in_is_a_heading_that_stays_body_text():
    # Its items hang on it: "Đến ngày …" must be in their chunk and quotes, not only in the section path.
    assert parse_heading("1. Đến ngày 31/12/2027:") == Heading(5, "1. Đến ngày 31/12/2027:", body=True)
    lines = ["II. CHỈ TIÊU", "1. Đến ngày 31/12/2027:", "a) 100% điểm du lịch có bản đồ số;", "2. Đến hết quý II/2028:",
             "a) 80% homestay đăng ký lưu trú trực tuyến."]  # fmt: skip
    found = find_headings(lines)
    assert [(h.level, h.body) if h else None for h in found] == [(4.5, False), (5, True), None, (5, True), None]


def test_a_title_in_capitals_that_opens_a_table_is_a_top_level_section():
    """The list attached after a decision's signature is no part of its last article; a signature
    line in capitals with its note in parentheses opens nothing, and neither does a table with no title."""
    from assistant.ingest.headings import TABLE_LINE

    lines = ["Điều 1. Thành lập", TABLE_LINE, "Điều 4. Hiệu lực", "Quyết định có hiệu lực.", "CHỦ TỊCH",
             "(Chữ ký số)", "DANH SÁCH THÀNH VIÊN", "(Kèm theo Quyết định số 12/QĐ-UBND)", TABLE_LINE,
             "Ghi chú: thay đổi do Trưởng ban quyết định.", "BẢNG CHỈ TIÊU", TABLE_LINE]  # fmt: skip
    found = find_headings(lines)
    assert [h.level if h else None for h in found] == [4, None, 4, None, None, None, 1, None, None, None, 1, None]
    assert found[6] == Heading(1, "DANH SÁCH THÀNH VIÊN")
    # a title in capitals followed by text (a chapter's title, a document's name) is no table's title
    assert find_headings(["QUYẾT ĐỊNH", "Về việc thành lập Tổ công tác", TABLE_LINE])[0] is None
