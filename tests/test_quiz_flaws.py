"""Item-writing-flaw rules, table-driven: each row is an item and the flaw codes it must raise (and only those)."""

from __future__ import annotations

from typing import Any

import pytest
from quiz_parsers import make_item

from assistant.quiz.errors import QuizItemError
from assistant.quiz.flaws import check_item, check_quiz
from assistant.quiz.items import QuizItem


def choice(stem: str, key: str, *distractors: str, language: str = "vi", **changes: Any) -> QuizItem:
    """A multiple-choice item whose first option is the key."""
    options = [{"text": key, "correct": True}, *({"text": text} for text in distractors)]
    return make_item("multichoice", stem=stem, options=options, language=language, **changes)


CASES: list[tuple[str, QuizItem, list[str]]] = [
    ("clean", make_item(), []),
    (
        "tất cả các đáp án trên",
        choice("Cơ quan nào chủ trì?", "Bộ Nội vụ", "Bộ Tài chính", "UBND tỉnh", "Tất cả các đáp án trên"),
        ["all_none_of_above"],
    ),
    (
        "không có đáp án nào đúng",
        choice("Cơ quan nào chủ trì?", "Bộ Nội vụ", "Bộ Tài chính", "UBND tỉnh", "Không có đáp án nào đúng"),
        ["all_none_of_above"],
    ),
    (
        "none of the above",
        choice("Which body leads?", "Ministry of Home Affairs", "Finance", "Province", "None of the above.", language="en"),
        ["all_none_of_above"],
    ),
    (
        "key much longer",
        choice(
            "Ai chủ trì?", "Ban Chỉ đạo Trung ương về sắp xếp đơn vị hành chính", "Bộ Tài chính", "UBND", "Sở Nội vụ"
        ),
        ["longest_key"],
    ),
    ("key a little longer", choice("Ai chủ trì?", "Bộ Nội vụ tỉnh", "Bộ Tài chính", "UBND xã", "Sở Nội vụ"), []),
    (
        "stem word only in key",
        choice("Cơ quan nào chủ trì kế hoạch?", "Ban chỉ đạo kế hoạch", "Bộ Nội vụ", "Bộ Tài chính tỉnh", "UBND tỉnh"),
        ["stem_word_in_key"],
    ),
    (
        "stem word in key and a distractor",
        choice("Cơ quan nào chủ trì kế hoạch?", "Ban chỉ đạo kế hoạch", "Tổ kế hoạch", "Bộ Tài chính tỉnh", "UBND tỉnh"),
        [],
    ),
    (
        "stop words do not count",
        choice("Cơ quan nào là của tỉnh?", "Sở là của tỉnh", "Bộ Nội vụ", "Bộ Tài chính", "UBND xã", language="vi"),
        ["stem_word_in_key"],  # "sở" no, "tỉnh" yes: "là", "của" are stop words
    ),
    (
        "a date's parts are not stem words",
        choice("Theo danh mục: «Giai đoạn 1 – Chuẩn bị (từ ____ đến 31/8/2025)» Ngày ở chỗ trống là ngày nào?",
               "1/5/2025", "31/5/2025", "30/6/2025", "1/7/2025"),
        [],
    ),
    (
        "a whole number token is a stem word",
        choice("Nhiệm vụ nào thuộc giai đoạn 1?", "Khảo sát đợt 1", "Khảo sát đợt hai", "Báo cáo năm", "Tổng kết"),
        ["stem_word_in_key"],
    ),
    (
        "a/an cue",
        choice("The plan is coordinated by an", "agency", "ministry", "committee", "board", language="en"),
        ["grammatical_cue"],
    ),
    (
        "a/an agreeing with all",
        choice("The plan is coordinated by an", "agency", "office", "assembly", "inspectorate", language="en"),
        [],
    ),
    (
        "lower-case không",
        choice("Cơ quan nào không tham gia?", "Bộ Nội vụ", "Bộ Tài chính", "UBND tỉnh", "Sở Tư pháp"),
        ["negative_lowercase"],
    ),
    ("capital KHÔNG", choice("Cơ quan nào KHÔNG tham gia?", "Bộ Nội vụ", "Bộ Tài chính", "UBND tỉnh", "Sở Tư pháp"), []),
    (
        "yes/no particle is not a negation",
        make_item("truefalse", stem="Kế hoạch có áp dụng cho cấp xã hay không?"),
        [],
    ),
    ("compound hàng không", make_item("truefalse", stem="Cảng hàng không thuộc tỉnh quản lý."), []),
    ("negative true/false statement", make_item("truefalse", stem="Cấp huyện không còn tồn tại."), ["negative_lowercase"]),
    (
        "lower-case not",
        choice("Which body is not involved?", "Ministry", "Province", "Commune", "District", language="en"),
        ["negative_lowercase"],
    ),
    (
        "contraction",
        choice("Which body isn't involved?", "Ministry", "Province", "Commune", "District", language="en"),
        ["negative_lowercase"],
    ),
    ("capital NOT", choice("Which body is NOT involved?", "Ministry", "Province", "Commune", "District", language="en"), []),
    (
        "duplicate options",
        choice("Cơ quan nào chủ trì?", "Bộ Nội vụ", "bộ  nội vụ", "Bộ Tài chính", "UBND tỉnh"),
        ["duplicate_options"],
    ),
    ("dates out of order", choice("Hạn chót?", "30/6/2025", "15/6/2025", "31/12/2025", "15/7/2025"), ["options_out_of_order"]),
    (
        "dates in words out of order",
        choice("Hạn chót?", "ngày 30 tháng 6 năm 2025", "ngày 1 tháng 7 năm 2025", "ngày 15 tháng 6 năm 2025", "ngày 1 tháng 8 năm 2025"),
        ["options_out_of_order"],
    ),
    ("dates descending", choice("Hạn chót?", "31/12/2025", "15/7/2025", "30/6/2025", "15/6/2025"), []),
    (
        "numbers with units out of order",
        choice("Bao nhiêu người?", "1.000 người", "500 người", "2.000 người", "1.500 người"),
        ["options_out_of_order"],
    ),
    ("numbers in order", choice("Bao nhiêu người?", "500 người", "1.000 người", "1.500 người", "2.000 người"), []),
    ("decimal commas in order", choice("Tỷ lệ?", "0,5", "1,25", "2,5", "10"), []),
    ("mixed units are not compared", choice("Bao lâu?", "30 ngày", "2 tuần", "45 ngày", "1 tháng"), []),
]  # fmt: skip


@pytest.mark.parametrize(("case", "item", "codes"), CASES, ids=[case[0] for case in CASES])
def test_rules(case: str, item: QuizItem, codes: list[str]) -> None:
    flaws = check_item(item)
    assert [flaw.code for flaw in flaws] == codes, [flaw.message for flaw in flaws]
    assert all(flaw.message for flaw in flaws)


def test_the_longest_key_threshold_is_a_parameter() -> None:
    item = choice("Ai chủ trì?", "Bộ Nội vụ tỉnh Hòa Minh", "Bộ Tài chính", "UBND xã", "Sở Nội vụ")
    assert [flaw.code for flaw in check_item(item)] == ["longest_key"]  # 23 > 1.5 × 12
    assert check_item(item, longest_ratio=2.0) == []
    with pytest.raises(QuizItemError) as caught:
        check_item(item, longest_ratio=1.0)
    assert caught.value.field == "longest_ratio"


def test_the_flaw_message_names_the_cue_words() -> None:
    item = choice(
        "Cơ quan nào chủ trì kế hoạch?", "Ban chỉ đạo kế hoạch", "Bộ Nội vụ", "Bộ Tài chính tỉnh", "UBND tỉnh"
    )
    (flaw,) = check_item(item)
    assert "hoạch" in flaw.message and "kế" in flaw.message


def _key_longest(n: int) -> QuizItem:
    return choice(f"Câu {n}: ai chủ trì?", "Ban Chỉ đạo tỉnh", "Bộ Nội vụ", "Sở Tư pháp", "UBND xã")


def _key_shortest(n: int) -> QuizItem:
    return choice(f"Câu {n}: ai chủ trì?", "Bộ", "Bộ Nội vụ", "Sở Tư pháp", "UBND xã")


def test_check_quiz_flags_a_key_that_is_the_longest_too_often() -> None:
    often = [_key_longest(n) for n in range(3)] + [_key_shortest(3)]
    assert [flaw.code for flaw in check_quiz(often)] == ["key_often_longest"]
    assert check_quiz([_key_longest(0), _key_longest(1), _key_shortest(2), _key_shortest(3)]) == []
    assert check_quiz(often[:3]) == []  # too few items to judge
    assert check_quiz(often, longest_share=0.8) == []


def test_stop_words_are_not_cues() -> None:
    item = choice("Cơ quan nào là của tỉnh?", "Sở là của tỉnh", "Bộ Nội vụ", "Bộ Tài chính", "UBND xã")
    (flaw,) = check_item(item)
    assert "tỉnh" in flaw.message
    assert "là" not in flaw.message and "của" not in flaw.message
