"""The ``outline`` step: "how many articles / phases …?" answered by counting numbered parts (no model, no index)."""

from __future__ import annotations

import pytest

from assistant.answer.contexts import Evidence
from assistant.answer.outline import asked_parts, asks_more, complete, numbered_parts, outline_answer, with_quotes
from assistant.answer.text import sentences
from assistant.types import Chunk, ChunkMeta, Context, SearchHit

DECISION = "mau-quyet-dinh.docx"
GUIDE = "so-tay.pdf"


def chunk(source: str, index: int, text: str, section: str | None = None, page: int | None = None) -> Chunk:
    meta = ChunkMeta(source=source, title=source.split(".")[0], language="vi", chunk_index=index, section=section, page=page)
    return Chunk(id=f"{source}#{index}", text=text, meta=meta)


# A decision whose articles are headings (in the chunks' section paths, not their text), with a
# member table under Điều 1 and a closing line that refers to Điều 4.
DECISION_CHUNKS = [
    chunk(DECISION, 0, "QUYẾT ĐỊNH\nVề việc thành lập Tổ công tác"),
    chunk(DECISION, 1, "Thành lập Tổ công tác gồm các ông (bà) có tên sau đây.", "Điều 1. Thành lập Tổ công tác"),
    chunk(DECISION, 2, "STT: 1; Chức vụ: Chủ tịch UBND xã; Vai trò: Tổ trưởng", "Điều 1. Thành lập Tổ công tác"),
    chunk(DECISION, 3, "1. Tham mưu ban hành kế hoạch.\n2. Rà soát hồ sơ.", "Điều 2. Nhiệm vụ của Tổ công tác"),
    chunk(DECISION, 4, "Tổ công tác làm việc theo chế độ kiêm nhiệm.", "Điều 3. Chế độ làm việc"),
    chunk(DECISION, 5, "Quyết định này có hiệu lực kể từ ngày ký.\nNơi nhận:\n- Như Điều 4;", "Điều 4. Hiệu lực thi hành"),
]
# A guidebook whose phases are numbered lines inside the text, under outline numbers, one repeated.
GUIDE_CHUNKS = [
    chunk(GUIDE, 0, "PHẦN III. LỘ TRÌNH\nChương 5. Lộ trình triển khai\n5.1. Giai đoạn 1 – Chuẩn bị (từ 01/5/2025 "
          "đến 31/8/2025)\nCác sở rà soát hệ thống.", page=7),
    chunk(GUIDE, 1, "5.1. Giai đoạn 1 – Chuẩn bị (từ 01/5/2025 đến 31/8/2025)\n5.2. Giai đoạn 2 – Triển khai "
          "(từ 01/9/2025 đến 30/4/2026)", page=7),
    chunk(GUIDE, 2, "5.3. Giai đoạn 3 – Hoàn thiện (từ 01/5/2026 đến 30/11/2026)\nGiai đoạn 2 kết thúc khi các "
          "xã hoàn thành chuyển đổi.", page=8),
]
CHUNKS = {DECISION: DECISION_CHUNKS, GUIDE: GUIDE_CHUNKS}


def evidence(*sources: str) -> list[Evidence]:
    return [
        Evidence(Context(rank=i, source=s, title=s, text=CHUNKS[s][1].text, score=1.0, language="vi"))
        for i, s in enumerate(sources, 1)
    ]


def answer(question: str, *sources: str, language: str = "vi", stated: tuple[str, ...] = (), max_listed: int = 12):  # noqa: ANN201
    return outline_answer(question, language, evidence(*sources), CHUNKS.__getitem__, 2, max_listed, stated)


@pytest.mark.parametrize(
    ("question", "language", "asked"),
    [
        ("Quyết định có tất cả bao nhiêu điều?", "vi", ["dieu"]),
        ("Đề án có mấy giai đoạn, và giai đoạn chuẩn bị kéo dài bao lâu?", "vi", ["giai doan"]),  # a comma ends the words
        ("Sổ tay có mấy phần và bao nhiêu chương?", "vi", ["phan va bao", "chuong"]),
        ("How many chapters does the guidebook have?", "en", ["chapters does the"]),
        ("Which agency may approve the plan?", "en", []),  # "may" counts only in Vietnamese ("mấy")
        ("Ai ký quyết định?", "vi", []),
    ],
)
def test_the_part_a_question_counts_is_the_words_after_its_count_cue(question: str, language: str, asked: list[str]):
    assert asked_parts(question, language) == asked


def test_numbered_parts_come_from_heading_paths_and_line_starts_not_from_references():
    parts = numbered_parts(DECISION_CHUNKS)
    assert [p.line for p in parts["dieu"]] == [
        "Điều 1. Thành lập Tổ công tác", "Điều 2. Nhiệm vụ của Tổ công tác", "Điều 3. Chế độ làm việc",
        "Điều 4. Hiệu lực thi hành",
    ]  # fmt: skip
    assert "nhu dieu" not in parts  # "- Như Điều 4;" refers to an article; it is none
    phases = numbered_parts(GUIDE_CHUNKS)["giai doan"]
    assert [(p.number, p.chunk.meta.page) for p in phases] == [(1, 7), (2, 7), (3, 8)]  # each once, where first seen
    assert phases[0].line.startswith("5.1. Giai đoạn 1 – Chuẩn bị")
    assert numbered_parts(GUIDE_CHUNKS)["phan"][0].written == "III"


def test_a_series_counts_only_when_it_runs_from_one_without_a_gap():
    guide = numbered_parts(GUIDE_CHUNKS)
    assert complete(guide["giai doan"], 2)
    assert not complete(guide["phan"], 2)  # PHẦN III alone: the other parts are not in this document
    assert not complete(guide["giai doan"][1:], 2)  # 2 and 3 without 1
    assert not complete(guide["giai doan"], 4)


def test_the_count_is_a_lead_in_and_every_numbered_line_is_quoted_and_cited_where_it_stands():
    found = answer("Quyết định mẫu có bao nhiêu điều?", GUIDE, DECISION)  # the guide numbers no articles
    assert found is not None and found.counts == {"dieu": 4}
    lines = found.text.splitlines()
    assert lines[0] == "mau-quyet-dinh có 4 điều (Điều 1 đến Điều 4):"
    assert lines[1:] == [f"- {p.line} [{n}]" for n, p in enumerate(numbered_parts(DECISION_CHUNKS)["dieu"], 1)]
    cited = [e.context for e in found.evidence]
    assert [c.text for c in cited] == [p.line for p in numbered_parts(DECISION_CHUNKS)["dieu"]]
    assert cited[0].section == "Điều 1. Thành lập Tổ công tác" and cited[0].source == DECISION


def test_an_english_question_finds_the_parts_by_the_heading_keyword_of_the_same_level():
    found = answer("How many articles does the decision template have?", DECISION, language="en")
    assert found is not None and found.counts == {"dieu": 4}
    assert found.text.splitlines()[0] == "mau-quyet-dinh has 4 parts numbered “điều” (Điều 1 to Điều 4):"


def test_no_count_when_no_retrieved_document_numbers_the_asked_parts_or_a_sentence_states_it():
    assert answer("Quyết định có bao nhiêu khoản?", DECISION) is None  # no "Khoản 1, 2 …"
    assert answer("Tổ công tác có bao nhiêu thành viên?", DECISION, GUIDE) is None
    assert answer("Ai ký quyết định?", DECISION) is None  # no count asked
    stated = ("Lộ trình gồm 3 giai đoạn.",)
    assert answer("Đề án có mấy giai đoạn?", GUIDE, stated=stated) is None  # quoting the statement is better
    assert answer("Đề án có mấy giai đoạn?", GUIDE, stated=("Lộ trình gồm 4 giai đoạn.",)) is not None


def test_a_long_series_shows_its_first_lines_an_ellipsis_and_its_last():
    found = answer("Quyết định có bao nhiêu điều?", DECISION, max_listed=3)
    assert found is not None and found.counts == {"dieu": 4}
    assert found.text.splitlines()[1:] == [
        "- Điều 1. Thành lập Tổ công tác [1]", "- Điều 2. Nhiệm vụ của Tổ công tác [2]", "- …",
        "- Điều 4. Hiệu lực thi hành [3]",
    ]  # fmt: skip


def test_outline_numbers_and_roman_part_numbers_do_not_end_a_sentence():
    assert sentences("5.1. Giai đoạn 1 – Chuẩn bị (từ 01/5/2025 đến 31/8/2025)") == [
        "5.1. Giai đoạn 1 – Chuẩn bị (từ 01/5/2025 đến 31/8/2025)"
    ]
    assert sentences("PHẦN II. TỔ CHỨC THỰC HIỆN") == ["PHẦN II. TỔ CHỨC THỰC HIỆN"]
    assert sentences("Kế hoạch ban hành năm 2025. Sở Nội vụ chủ trì.") == [
        "Kế hoạch ban hành năm 2025.", "Sở Nội vụ chủ trì."
    ]


def _answerer(hits: list[SearchHit]):  # noqa: ANN202
    from assistant.answer import Answerer
    from assistant.settings import AnswerSettings

    return Answerer(lambda q: hits, lambda c: c.text, None, AnswerSettings(), "none", chunks_of=CHUNKS.__getitem__)


def test_the_pipeline_answers_a_count_with_the_outline_step_and_every_quoted_line_verified():
    hits = [SearchHit(chunk=c, score=1.0 - i / 10, rank=i + 1) for i, c in enumerate(DECISION_CHUNKS[1:])]
    answer = _answerer(hits).ask("Quyết định thành lập tổ công tác có bao nhiêu điều?")
    assert [a.step for a in answer.attempts] == ["outline"]
    assert "có 4 điều" in answer.answer and not answer.refused
    assert answer.claims == answer.verified_claims == 4 and all(c.verified for c in answer.citations)
    assert {c.source for c in answer.citations} == {DECISION}


def test_the_outline_step_stays_out_when_the_passages_lack_the_questions_words():
    """Another document's articles are no answer: the quotes' refusal signals decide first."""
    hits = [SearchHit(chunk=c, score=1.0 - i / 10, rank=i + 1) for i, c in enumerate(DECISION_CHUNKS[1:])]
    answer = _answerer(hits).ask("Nghị định 47/2024/NĐ-CP có bao nhiêu điều?")
    assert "outline" not in [a.step for a in answer.attempts]


def test_the_outline_step_stays_out_when_most_question_words_are_in_no_passage():
    hits = [SearchHit(chunk=c, score=1.0 - i / 10, rank=i + 1) for i, c in enumerate(DECISION_CHUNKS[1:])]
    answer = _answerer(hits).ask("Luật Giao dịch điện tử về chữ ký số có bao nhiêu điều?")
    assert "outline" not in [a.step for a in answer.attempts]


def test_a_count_cue_asking_for_a_percentage_or_money_counts_no_parts():
    """"Phần I … IV" are parts; "bao nhiêu phần trăm" asks for a percentage."""
    parts = [chunk(GUIDE, i, f"Phần {n}. Nội dung {n}") for i, n in enumerate(("I", "II", "III"))]
    chunks = {GUIDE: parts}
    context = [Evidence(Context(rank=1, source=GUIDE, title=GUIDE, text=parts[0].text, score=1.0))]

    def ask(question: str):  # noqa: ANN202
        return outline_answer(question, "vi", context, chunks.__getitem__, 2, 12)

    assert ask("Sổ tay có mấy phần?") is not None
    assert ask("Năm 2025 phải đạt bao nhiêu phần trăm hồ sơ trực tuyến?") is None
    assert ask("Bao nhiêu phần kinh phí do ngân sách tỉnh bảo đảm, bao nhiêu tỷ đồng?") is None


@pytest.mark.parametrize(
    ("question", "language", "more"),
    [
        ("Quyết định mẫu có bao nhiêu điều và ai làm tổ trưởng?", "vi", True),
        ("Đề án có mấy giai đoạn, và giai đoạn chuẩn bị kéo dài đến ngày nào?", "vi", True),
        ("Quyết định mẫu có tất cả bao nhiêu điều?", "vi", False),
        ("How many chapters does the guidebook have?", "en", False),
        ("How many chapters does the guidebook have, and who issued it?", "en", True),
    ],
)
def test_a_question_asking_more_than_a_count_is_told_apart(question: str, language: str, more: bool):
    assert asks_more(question, language) is more


def test_sentences_answering_the_rest_of_the_question_follow_the_count_with_their_own_citations():
    found = answer("Quyết định mẫu có bao nhiêu điều và ai làm tổ trưởng?", DECISION)
    assert found is not None
    member = evidence(DECISION)[0]
    both = with_quotes(found, [(member.context.text, member)], "vi")
    lines = both.text.splitlines()
    assert lines[-2:] == ["Theo tài liệu:", f"- {member.context.text} [5]"]
    assert both.evidence[-1].context.rank == 5 and both.evidence[-1].context.text == member.context.text
    assert with_quotes(found, [], "vi") == found


def test_a_bare_numbered_line_takes_the_title_in_capitals_on_the_next_line():
    """Legal documents write "Chương I" and, on the next line, "QUY ĐỊNH CHUNG"."""
    text = "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nChương II\nTỔ CHỨC THỰC HIỆN\nChương III\nđiều khoản thi hành"
    parts = numbered_parts([chunk("nghi-dinh.docx", 0, text)])["chuong"]
    assert [p.line for p in parts] == ["Chương I QUY ĐỊNH CHUNG", "Chương II TỔ CHỨC THỰC HIỆN", "Chương III"]


def test_parts_numbered_by_vietnamese_ordinals_are_counted():
    text = "PHẦN THỨ NHẤT\nNHỮNG QUY ĐỊNH CHUNG\nNội dung.\nPHẦN THỨ HAI\nTỔ CHỨC THỰC HIỆN\nPhần thứ ba. Điều khoản thi hành"
    parts = numbered_parts([chunk("nghi-quyet.docx", 0, text)])["phan"]
    assert [(p.number, p.line) for p in parts] == [
        (1, "PHẦN THỨ NHẤT NHỮNG QUY ĐỊNH CHUNG"), (2, "PHẦN THỨ HAI TỔ CHỨC THỰC HIỆN"),
        (3, "Phần thứ ba. Điều khoản thi hành"),
    ]  # fmt: skip
    assert complete(parts, 2)


def test_with_a_model_the_count_is_still_read_from_the_numbering_not_asked_of_the_model():
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    from assistant.answer import Answerer
    from assistant.settings import AnswerSettings

    hits = [SearchHit(chunk=c, score=1.0 - i / 10, rank=i + 1) for i, c in enumerate(DECISION_CHUNKS[1:])]
    llm = GenericFakeChatModel(messages=iter(["Quyết định có 7 điều [1]."] * 5))  # a model that miscounts
    answerer = Answerer(lambda q: hits, lambda c: c.text, llm, AnswerSettings(llm_min_support=0.0), "local",
                        chunks_of=CHUNKS.__getitem__)  # fmt: skip
    answer = answerer.ask("Quyết định thành lập tổ công tác có bao nhiêu điều?")
    assert [a.step for a in answer.attempts] == ["outline"]
    assert "có 4 điều" in answer.answer and "7 điều" not in answer.answer


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("How many phases does the plan have?", "en"),
        ("Сколько этапов предусматривает план?", "ru"),
        ("Quantas fases tem o plano?", "pt"),
    ],
)
def test_a_count_asked_in_another_language_finds_the_parts_by_their_kind(question: str, language: str):
    found = answer(question, GUIDE, language=language)
    assert found is not None and found.counts == {"giai doan": 3}


@pytest.mark.parametrize("question", ["How many partners does the plan have?", "How many members does it have?"])
def test_words_that_only_begin_like_a_part_name_count_nothing(question: str):
    assert answer(question, GUIDE, DECISION, language="en") is None


def _row(source: str, index: int, text: str, sheet: str = "Danh mục") -> Chunk:
    meta = ChunkMeta(source=source, title="Danh mục thủ tục", language="vi", chunk_index=index, sheet=sheet,
                     row=index + 1)  # fmt: skip
    return Chunk(id=f"{source}#{index}", text=text, meta=meta)


def test_a_lists_numbered_rows_are_counted_by_its_item_column() -> None:
    names = ["Cấp phép lữ hành", "Cấp thẻ hướng dẫn viên", "Công nhận điểm du lịch", "Thẩm định khách sạn"]
    leads = ["Sở Du lịch", "Sở Du lịch", "Ban Điều phối", "Sở Du lịch"]
    rows = [_row("ds.xlsx", k, f"STT: {k + 1}; Tên thủ tục: {name}; Cơ quan chủ trì: {lead}")
            for k, (name, lead) in enumerate(zip(names, leads))]  # fmt: skip
    context = [Evidence(Context(rank=1, source="ds.xlsx", title="Danh mục thủ tục", text=rows[0].text, score=1.0,
                                language="vi"))]  # fmt: skip
    found = outline_answer("Danh mục có tất cả bao nhiêu thủ tục?", "vi", context, {"ds.xlsx": rows}.__getitem__, 2, 3)
    assert found is not None and found.text.startswith("Danh mục thủ tục (Danh mục) có 4 thủ tục (các dòng số 1 đến 4):")
    assert "Thẩm định khách sạn" in found.text and found.evidence[-1].context.row == 4
    # The lead agencies repeat: "how many lead agencies" is not the number of rows.
    assert outline_answer("Danh mục có bao nhiêu cơ quan chủ trì?", "vi", context, {"ds.xlsx": rows}.__getitem__, 2, 3) is None
    gap = [rows[0], rows[1], rows[3]]  # rows 1, 2, 4: a numbering with a gap is not trusted
    assert outline_answer("Danh mục có bao nhiêu thủ tục?", "vi", context, {"ds.xlsx": gap}.__getitem__, 2, 3) is None


def test_rows_under_a_title_and_groups_are_counted_as_one_list() -> None:
    def grouped(sections: list[str | None], numbers: list[int]) -> list[Chunk]:
        chunks = [_row("ds.xlsx", 0, "DANH MỤC THỦ TỤC NĂM 2027")]  # a title row: a unit without columns
        names = iter(["Cấp phép lữ hành", "Cấp thẻ hướng dẫn viên", "Công nhận điểm du lịch", "Thẩm định khách sạn"])
        for section, number in zip(sections, numbers):
            if section not in {c.meta.section for c in chunks}:
                chunks.append(_row("ds.xlsx", len(chunks), section))  # the group row
            row = _row("ds.xlsx", len(chunks), f"STT: {number}; Tên thủ tục: {next(names)}; Cơ quan chủ trì: Sở Du lịch")
            chunks.append(row.model_copy(update={"meta": row.meta.model_copy(update={"section": section})}))
        return chunks

    context = [Evidence(Context(rank=1, source="ds.xlsx", title="Danh mục thủ tục", text="x", score=1.0, language="vi"))]
    groups = ["I. Lữ hành", "I. Lữ hành", "II. Lưu trú", "II. Lưu trú"]
    whole = grouped(groups, [1, 2, 3, 4])  # numbered through the groups: one list of 4
    found = outline_answer("Danh mục có bao nhiêu thủ tục?", "vi", context, {"ds.xlsx": whole}.__getitem__, 2, 3)
    assert found is not None and "có 4 thủ tục (các dòng số 1 đến 4)" in found.text
    each = grouped(groups, [1, 2, 1, 2])  # each group numbers its own rows: no count (2 would be wrong)
    assert outline_answer("Danh mục có bao nhiêu thủ tục?", "vi", context, {"ds.xlsx": each}.__getitem__, 2, 3) is None
