"""A phrase the asker quotes or brackets is meant exactly: a passage with a near name does not answer."""

from __future__ import annotations

import pytest

from assistant.answer.extractive import analyse
from assistant.answer.signals import missing_quoted, quoted_phrases
from assistant.types import Context

ROW = ("STT: 16; Tên thủ tục: Đăng ký thường trú; Cơ quan chủ trì: Công an tỉnh; "
       "Thời hạn hoàn thành: 2025-10-30")  # fmt: skip


def ctx(text: str, language: str = "vi") -> Context:
    return Context(rank=1, source="danh-muc.xlsx", title="danh-muc", text=text, score=1.0, language=language, row=17)


@pytest.mark.parametrize(
    ("question", "phrases"),
    [
        ("What is the deadline for temporary residence registration (đăng ký tạm trú)?", [("dang ky tam tru", "vi")]),
        ("Thủ tục “Đăng ký kết hôn” do ai chủ trì?", [("dang ky ket hon", "vi")]),
        ('Who leads "residence registration"?', [("residence registration", "en")]),
        ("Quyết định (số 1487/QĐ-UBND) ký ngày nào?", []),  # a code: checked as a key, not as a phrase
        ("When does the breakthrough (transformation) phase end?", []),  # one word: an aside
    ],
)
def test_quoted_and_bracketed_phrases_of_two_words_or_more(question: str, phrases: list):
    assert quoted_phrases(question) == phrases


def test_a_quoted_name_no_passage_in_its_language_holds_is_missing():
    question = "What is the deadline for putting temporary residence registration (đăng ký tạm trú) online?"
    assert missing_quoted(question, [ctx(ROW)]) == ["q:dang ky tam tru"]
    assert missing_quoted(question.replace("tạm trú", "thường trú"), [ctx(ROW)]) == []
    # Passages in another language word it their own way: they say nothing.
    assert missing_quoted(question, [ctx("Реєстрація місця проживання …", "uk")]) == []


def test_the_extractive_answer_refuses_a_row_with_a_near_name():
    question = "Thủ tục “Đăng ký tạm trú” phải hoàn thành trước ngày nào?"
    analysis = analyse(question, [ctx(ROW)], "vi")
    assert analysis.refusal is not None and "dang ky tam tru" in analysis.refusal
    assert analyse(question.replace("tạm trú", "thường trú"), [ctx(ROW)], "vi").refusal is None
