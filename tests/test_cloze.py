"""The answer sentence with a blank, built from a Vietnamese question (assistant.answer.cloze)."""

from __future__ import annotations

import pytest

from assistant.answer.cloze import cloze_sentence, filled_in, fills_blanks
from assistant.language import detect_language


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Từ ngày 1/7/2025, bao nhiêu tỉnh, thành phố chính thức vận hành mô hình chính quyền địa phương hai cấp?",
            "Từ ngày 1/7/2025, ___ tỉnh, thành phố chính thức vận hành mô hình chính quyền địa phương hai cấp.",
        ),
        ("Giai đoạn cấp bách kéo dài đến ngày nào?", "Giai đoạn cấp bách kéo dài đến ngày ___."),
        ("Sổ tay gồm bao nhiêu phần và bao nhiêu chương?", "Sổ tay gồm ___ phần và ___ chương."),
        ("Ai chủ trì hội nghị tại điểm cầu tỉnh Bắc Giang?", "___ chủ trì hội nghị tại điểm cầu tỉnh Bắc Giang."),
        ("Phương châm chỉ đạo là gì?", "Phương châm chỉ đạo là ___."),
        ("Giai đoạn đột phá kết thúc khi nào?", "Giai đoạn đột phá kết thúc ___."),
    ],
)
def test_the_question_word_becomes_the_blank(question: str, expected: str) -> None:
    assert cloze_sentence(question, "vi") == expected


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Sổ tay có cung cấp mẫu kế hoạch triển khai cho các địa phương không?", "vi"),  # yes/no
        ("Người đứng đầu có được giao khoán việc triển khai cho bộ phận chuyên môn không?", "vi"),
        ("Hãy tóm tắt Kế hoạch 02.", "vi"),  # no question word
        ("Hồ sơ chưa giải quyết xong thì xử lý thế nào?", "vi"),  # "how": a procedure, not a slot
        ("Hồ sơ được tạo lập và xử lý như thế nào?", "vi"),
        ("When does the urgent phase end?", "en"),
        ("Какое распоряжение издала Канцелярия ЦК партии?", "ru"),
    ],
)
def test_no_cloze_where_a_blank_would_not_make_the_answer_sentence(question: str, language: str) -> None:
    assert cloze_sentence(question, language) is None


def test_question_words_inside_other_words_stay() -> None:
    # "ai" is a question word on its own, not inside "hai" or "tại"
    assert cloze_sentence("Mô hình hai cấp vận hành tại tỉnh nào?", "vi") == "Mô hình hai cấp vận hành tại tỉnh ___."


def test_a_reply_with_a_blank_left_is_not_filled() -> None:
    assert not fills_blanks("Hệ thống phải gửi, nhận những loại văn bản điện tử ___ [1].")
    assert not fills_blanks("Cơ chế __ để theo dõi tiến độ [1].")
    assert fills_blanks("Từ ngày 1/7/2025, 34 tỉnh, thành phố vận hành mô hình hai cấp [1].")


def test_what_was_filled_in_is_the_reply_without_the_sentence_around_the_blank() -> None:
    cloze = "Từ ngày 1/7/2025, ___ tỉnh, thành phố chính thức vận hành mô hình hai cấp."
    assert filled_in(cloze, "Từ ngày 1/7/2025, 34 tỉnh, thành phố chính thức vận hành mô hình hai cấp. [1]") == "34"
    cloze = "Hệ thống quản lý văn bản số phải bảo đảm gửi, nhận những loại văn bản điện tử ___."
    pasted = (
        "Hệ thống quản lý văn bản số phải bảo đảm gửi, nhận những loại văn bản điện tử incluindo documentos "
        "confidenciais [1]."
    )
    filled = filled_in(cloze, pasted)
    assert filled == "incluindo documentos confidenciais."
    assert detect_language(pasted) == "vi", "the frame makes the whole reply look Vietnamese"
    assert detect_language(filled) == "pt", "what was filled in is Portuguese"
