"""A question about an item a list does not hold is not answered by its siblings' rows."""

from __future__ import annotations

import pytest

from assistant.answer.extractive import analyse, extractive_answer
from assistant.answer.list_items import other_items
from assistant.types import Context

PROCEDURES = {
    1: "STT: 1; Tên thủ tục: Cấp giấy phép xây dựng nhà ở; Cơ quan chủ trì: Sở Xây dựng; Thời hạn: 2025-08-31",
    2: "STT: 2; Tên thủ tục: Cấp giấy phép lái xe; Cơ quan chủ trì: Sở Giao thông; Thời hạn: 2025-10-15",
    3: "STT: 3; Tên thủ tục: Cấp bản sao trích lục hộ tịch; Cơ quan chủ trì: Sở Tư pháp; Thời hạn: 2025-11-30",
}
TARGETS = {
    1: "Chỉ tiêu: Tỷ lệ hồ sơ được tiếp nhận, giải quyết trực tuyến; Năm 2025: 50%; Năm 2026: 80%",
    2: "Chỉ tiêu: Tỷ lệ hồ sơ được số hóa kết quả; Năm 2025: 40%; Năm 2026: 70%",
}


@pytest.mark.parametrize(
    ("question", "rows", "flagged"),
    [
        # The question follows "Cấp giấy phép" and names an item no row holds: every sibling is set aside.
        ("Thủ tục cấp giấy phép kinh doanh rượu do ai chủ trì?", PROCEDURES, {1, 2}),
        # Its own row is kept, its siblings are set aside.
        ("Thủ tục cấp giấy phép lái xe do ai chủ trì?", PROCEDURES, {1}),
        # A row alone has no siblings among the passages: nothing says which words name the item.
        ("Thủ tục cấp giấy phép kinh doanh rượu do ai chủ trì?", {1: PROCEDURES[1]}, set()),
        # Unless the words before the shared ones differ too: they are only the middle of two names.
        ("Thủ tục đổi giấy phép kinh doanh do ai chủ trì?", {1: PROCEDURES[1]}, {1}),
        # Synonyms at a name's end ("qua mạng" for "trực tuyến") with no sibling sharing that part: kept.
        ("Tỷ lệ hồ sơ được tiếp nhận, giải quyết qua mạng năm 2026 là bao nhiêu?", TARGETS, set()),
        # A paraphrase inside the name comes back to the cell's words: its row is kept, the sibling set aside.
        ("Tỷ lệ hồ sơ được xử lý trực tuyến năm 2026 là bao nhiêu?", TARGETS, {2}),
        # Its own row, named shorter (the question stops where the cell goes on), is kept.
        ("Ai chủ trì cấp giấy phép xây dựng?", PROCEDURES, {2}),
        # The word where the question goes on is a field of the row (its header): not another item.
        ("Cấp giấy phép lái xe thời hạn nào?", PROCEDURES, {1}),
    ],
)
def test_rows_of_another_item(question: str, rows: dict[int, str], flagged: set[int]) -> None:
    assert set(other_items(question, rows)) == flagged


def test_the_reason_names_both_items() -> None:
    why = other_items("Thủ tục cấp giấy phép kinh doanh rượu do ai chủ trì?", PROCEDURES)[2]
    assert why == '"cấp giấy phép kinh", where the row has "Cấp giấy phép lái xe"'


def test_a_longer_shared_run_counts_only_with_enough_words() -> None:
    question = "Thủ tục cấp giấy phép kinh doanh rượu do ai chủ trì?"
    assert other_items(question, PROCEDURES, min_shared=4) == {}


def _contexts(rows: dict[int, str], language: str = "vi") -> list[Context]:
    return [Context(rank=k, source="danh-muc.xlsx", title="danh-muc", text=text, score=1.0, language=language,
                    row=k + 1) for k, text in rows.items()]  # fmt: skip


def test_the_extractive_answer_refuses_an_item_the_list_lacks_and_says_why() -> None:
    question = "Cấp giấy phép kinh doanh do cơ quan nào chủ trì?"
    analysis = analyse(question, _contexts(PROCEDURES), "vi")
    assert analysis.refusal is None  # most of its words are in the rows: only the item's name differs
    set_aside = [c for c in analysis.candidates if c.set_aside]
    assert {c.index for c in set_aside} == {0, 1} and not any(c.type_ok for c in set_aside)
    assert extractive_answer(question, _contexts(PROCEDURES), "vi") is None
    answer = extractive_answer(question.replace("kinh doanh", "lái xe"), _contexts(PROCEDURES), "vi")
    assert answer is not None and "Sở Giao thông" in answer and "Sở Xây dựng" not in answer


def test_rows_in_another_language_than_the_question_are_not_compared() -> None:
    analysis = analyse("Cấp giấy phép kinh doanh do cơ quan nào chủ trì?", _contexts(PROCEDURES), "en")
    assert not any(c.set_aside for c in analysis.candidates)


def test_a_refusal_records_the_rows_set_aside() -> None:
    from test_answer import answerer

    from assistant.types import Chunk, ChunkMeta, SearchHit

    def row_hit(k: int, text: str) -> SearchHit:
        meta = ChunkMeta(source="danh-muc.xlsx", title="danh-muc", language="vi", chunk_index=k, sheet="Thủ tục",
                         row=k + 1)  # fmt: skip
        return SearchHit(chunk=Chunk(id=f"danh-muc.xlsx#{k}", text=text, meta=meta), score=1.0, rank=k)

    hits = [row_hit(k, text) for k, text in PROCEDURES.items()]
    answer = answerer(None, hits)[0].ask("Cấp giấy phép kinh doanh do cơ quan nào chủ trì?")
    assert answer.refused
    (quotes,) = answer.attempts
    assert quotes.step == "quotes" and not quotes.accepted
    assert "passage 2: names another list item: \"Cấp giấy phép kinh\", where the row has \"Cấp giấy phép lái xe\"" \
        in quotes.reasons


def test_rows_are_read_against_the_questions_translation_in_their_language() -> None:
    question = "Which department leads the business licence procedure?"
    wording = "Cấp giấy phép kinh doanh do cơ quan nào chủ trì?"
    plain = analyse(question, _contexts(PROCEDURES), "en")
    assert not any(c.set_aside for c in plain.candidates)
    translated = analyse(question, _contexts(PROCEDURES), "en", wordings=[wording])
    assert {c.index for c in translated.candidates if c.set_aside} == {0, 1}
    # A row that one wording names is not set aside because another wording misses it.
    both = analyse(question, _contexts(PROCEDURES), "en", wordings=[wording, "Cấp giấy phép lái xe do ai chủ trì?"])
    assert {c.index for c in both.candidates if c.set_aside} == {0}


def test_a_lists_title_row_is_read_as_text_not_as_a_row_without_the_questions_words() -> None:
    # A title row above the header is a unit with a row number and no columns: it is not a list item.
    rows = {0: "DANH MỤC THỦ TỤC ƯU TIÊN TRIỂN KHAI TRONG NĂM 2027", **{k + 1: t for k, t in PROCEDURES.items()}}
    analysis = analyse("Danh mục thủ tục ưu tiên triển khai trong năm nào?", _contexts(rows), "vi")
    title = [c for c in analysis.candidates if c.index == 0]
    assert title and title[0].set_aside is None and analysis.candidates[0].index == 0
