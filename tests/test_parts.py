"""A question that names a numbered part ("Điều 3", "Article 5") gets the passages heading that part first."""

from __future__ import annotations

import pytest

from assistant.answer.extractive import analyse
from assistant.answer.part_scope import PartScope
from assistant.answer.signals import missing_parts
from assistant.retrieval.parts import headed_parts, named_parts, part_index, part_layout
from assistant.types import Context


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("Điều 3 của quyết định mẫu quy định những gì?", {("dieu", 3)}),
        ("What does Article 5 of the draft decision provide?", {("dieu", 5)}),  # across languages
        ("Что предусматривает статья 5?", {("dieu", 5)}),  # inflected, in its own script
        ("Ở bước thứ tư khi xây dựng phương án, phải làm gì?", {("buoc", 4)}),  # a Vietnamese ordinal
        ("What is the timeframe of the fourth implementation phase?", {("giai doan", 4)}),  # an English one
        ("Chương II gồm những mục nào?", {("chuong", 2)}),  # a Roman numeral
        ("giai doan 2 bat dau khi nao?", {("giai doan", 2)}),  # typed without accents
        ("Khoản 2 Điều 3 quy định gì?", {("khoan", 2), ("dieu", 3)}),
        # No part: a count, a year, a date, a number after punctuation, a word that only folds like a name.
        ("Quyết định có 3 điều, ký năm 2025?", set()),
        ("Điều 3/2025 là văn bản nào?", set()),
        ("Trong phụ lục, 3 mẫu nào được ban hành?", set()),
        ("Какое распоряжение издала Канцелярия ЦК партии 26 июня?", set()),  # "партии" (party) is no "part"
        ("What do the first two steps require?", set()),
    ],
)
def test_the_parts_a_question_names(question: str, parts: set[tuple[str, int]]) -> None:
    assert named_parts(question) == parts


def test_a_chunk_heads_the_parts_of_its_heading_lines_and_its_section_path() -> None:
    text = (
        "Điều 3. Chế độ làm việc\nTổ công tác họp mỗi tuần.\n5.1. Giai đoạn 2 – Nhân rộng (2026)\n"
        "PHẦN III. LỘ TRÌNH\nBước 4: Lấy ý kiến các sở.\n"
        # References and lower-case mentions head nothing.
        "Điều 4 của Quyết định này quy định hiệu lực.\ntheo điều 6. của luật\n"
    )
    assert headed_parts(text, "Chương I > Điều 2. Nhiệm vụ") == {
        ("dieu", 3), ("giai doan", 2), ("phan", 3), ("buoc", 4), ("chuong", 1), ("dieu", 2),
    }  # fmt: skip
    assert headed_parts("Trong Điều 3 nêu rõ nhiệm vụ.", None) == set()


def test_the_part_index_lists_the_chunks_heading_each_part() -> None:
    chunks = [("Điều 1. Thành lập", None), ("Tổ công tác họp mỗi tuần.", "Điều 3. Chế độ làm việc"),
              ("Article 3. Duties", None)]  # fmt: skip
    index = part_index(chunks)
    assert index[("dieu", 1)] == [0]
    assert index[("dieu", 3)] == [1, 2]  # "Article 3" and "Điều 3" are one kind of part


def _ctx(text: str, section: str | None = None, title: str = "Mẫu quyết định thành lập tổ công tác",
         source: str = "mau-qd.docx") -> Context:
    return Context(rank=1, source=source, title=title, text=text, score=1.0, language="vi", section=section)


STEPS = ("Các bước xây dựng phương án:\n– Bước 3. Xác định lộ trình chuyển đổi;\n"
         "– Bước 4. Lấy ý kiến Công an tỉnh về an toàn thông tin;\n– Bước 5. Trình phê duyệt.\n6.3. Thời hạn gửi")


def test_a_part_is_its_whole_chunk_under_its_heading_or_its_lines_up_to_the_next_part_of_its_kind() -> None:
    text = "Tổ công tác họp mỗi tuần."
    assert part_layout(text, "Chương I > Điều 3. Chế độ làm việc", {"dieu"}) == [(0, 25, ("dieu", 3))]
    assert part_layout(text, "Chương I > Điều 3. Chế độ làm việc", {"chuong"}) == [(0, 25, ("chuong", 1))]
    assert part_layout(text, None, {"dieu"}) == []  # a continuation: in no known part
    layout = part_layout(STEPS, None, {"buoc"})
    assert [(STEPS[a:b].strip(), part) for a, b, part in layout] == [
        ("– Bước 3. Xác định lộ trình chuyển đổi;", ("buoc", 3)),
        ("– Bước 4. Lấy ý kiến Công an tỉnh về an toàn thông tin;", ("buoc", 4)),
        ("– Bước 5. Trình phê duyệt.\n6.3. Thời hạn gửi", ("buoc", 5)),  # the last one runs to the end
    ]
    # A paragraph that opens by naming a part is about it, though it heads nothing.
    guide = "Глава 1 — общие положения.\nВ главе 2 представлена общая модель.\nЗадачи структурированы в шесть групп."
    assert [(guide[a:b].split()[0], part) for a, b, part in part_layout(guide, None, {"chuong"})] == [
        ("Глава", ("chuong", 1)), ("В", ("chuong", 2)),
    ]


def test_a_part_the_documents_number_otherwise_is_missing_in_any_language() -> None:
    articles = [_ctx("Tổ công tác họp mỗi tuần.", "Điều 3. Chế độ làm việc"), _ctx("Quyết định có hiệu lực.", "Điều 4. Hiệu lực")]
    assert missing_parts("What does Article 5 of the template provide?", articles) == ["k:Article 5"]
    assert missing_parts("Điều 5 của quyết định mẫu quy định gì?", articles) == ["k:Điều 5"]
    assert missing_parts("Điều 3 của quyết định mẫu quy định gì?", articles) == []
    # Named in a passage ("theo Điều 5 của Luật …"), or a kind the passages do not number: not missing.
    assert missing_parts("Điều 5 quy định gì?", [*articles, _ctx("Theo Điều 5 của Luật Dữ liệu, …")]) == []
    assert missing_parts("Chương 5 nói gì?", articles) == []


def test_a_sentence_in_another_part_of_the_kind_named_is_set_aside() -> None:
    steps = _ctx("Các sở phải lấy ý kiến đơn vị chủ trì.\n" + STEPS)
    scope = PartScope("Ở bước thứ tư, phải lấy ý kiến ai?", [steps, _ctx("Trình Sở Nội vụ phê duyệt.")])
    def where(sentence: str, index: int = 0) -> str | None:
        text = scope.contexts[index].text
        start = text.index(sentence)
        return scope.outside(index, start, start + len(sentence), sentence)

    assert where("Trình phê duyệt.") == "in buoc 5, not bước thứ tư"
    assert where("Lấy ý kiến Công an tỉnh") is None
    assert where("Các sở phải lấy ý kiến đơn vị chủ trì.") == "before bước thứ tư"
    # In no known part of the part's document: it may continue the part.
    assert where("Trình Sở Nội vụ phê duyệt.", 1) is None
    assert PartScope("Ai phê duyệt?", [steps]).outside(0, 0, 10, "Các sở") is None  # no part named


def test_what_a_named_article_provides_is_quoted_from_that_article() -> None:
    contexts = [
        # Other passages share the question's words ("quy định", "quyết định"); the article does not.
        _ctx("Phần IV quy định việc bảo đảm điều kiện; quyết định phải được ban hành trước ngày 15/8/2025.",
             title="Sổ tay hướng dẫn", source="so-tay.pdf"),
        _ctx("Quyết định này quy định hiệu lực kể từ ngày ký.", "Điều 4. Hiệu lực"),
        _ctx("Tổ công tác làm việc theo chế độ kiêm nhiệm. Tổ công tác họp định kỳ mỗi tuần một lần.",
             "Điều 3. Chế độ làm việc của Tổ công tác"),
    ]
    analysis = analyse("Điều 3 của quyết định mẫu quy định những gì?", contexts, "vi")
    assert analysis.candidates[0].index == 2 and analysis.candidates[1].index == 2
    aside = {c.index: c.set_aside for c in analysis.candidates}
    assert aside == {0: "in another document than Điều 3", 1: "in dieu 4, not Điều 3", 2: None}
    # In a passage that has the part, what comes before its heading is outside it.
    steps = analyse("Ở bước thứ tư, phải lấy ý kiến những đơn vị nào?", [_ctx("Các sở phải lấy ý kiến đơn vị chủ trì. " + STEPS)], "vi")
    assert [c.text for c in steps.candidates if c.set_aside is None] == ["– Bước 4. Lấy ý kiến Công an tỉnh về an toàn thông tin;"]


@pytest.mark.slow
def test_the_passages_heading_a_named_part_come_first(settings, make_index) -> None:
    from assistant.retrieval.search import search
    from assistant.sync import sync_corpus

    settings.facts.enabled = False
    # The articles' sentences do not repeat their labels: only the headings say which is "Điều 3".
    text = "# Mẫu quyết định thành lập tổ công tác\n\n" + "\n\n".join(
        f"## Điều {n}. {title}\n\n{body}" for n, title, body in [
            (1, "Thành lập", "Thành lập Tổ công tác triển khai đề án của xã gồm các thành viên có tên sau đây."),
            (2, "Nhiệm vụ", "Tổ công tác quy định lịch họp, tham mưu kế hoạch và quy định việc báo cáo hằng tháng."),
            (3, "Chế độ làm việc", "Tổ công tác làm việc theo chế độ kiêm nhiệm; họp mỗi tuần một lần."),
            (4, "Hiệu lực", "Quyết định này có hiệu lực kể từ ngày ký."),
        ]
    )  # fmt: skip
    (settings.corpus.dir / "mau-qd.md").write_text(text, encoding="utf-8")
    index = make_index(settings)
    sync_corpus(index, settings)
    for question in ("Điều 3 của quyết định mẫu quy định những gì?", "What does Article 3 of the template provide?"):
        hits = search(index, question, k=3, part_passages=1)
        assert "kiêm nhiệm" in hits[0].chunk.text, question
        assert [h.rank for h in hits] == [1, 2, 3]
        assert not any("kiêm nhiệm" in h.chunk.text for h in search(index, question, k=1, part_passages=0))
    # No chunk heads "Article 7": the best one heading an article comes first, and the answer sees there is none.
    hits = search(index, "What does Article 7 of the template provide?", k=3, part_passages=2)
    assert any(kind == "dieu" for kind, _ in headed_parts(hits[0].chunk.text, hits[0].chunk.meta.section))
    contexts = [Context(rank=h.rank, source=h.chunk.meta.source, title="", text=h.chunk.text, score=h.score, language="vi",
                        section=h.chunk.meta.section) for h in hits]  # fmt: skip
    assert missing_parts("What does Article 7 of the template provide?", contexts) == ["k:Article 7"]


def test_a_named_parts_sentences_are_quoted_in_the_order_it_states_them() -> None:
    from assistant.answer.extractive import Candidate, extractive_answer

    text = "Tổ công tác làm việc theo chế độ kiêm nhiệm. Tổ công tác họp định kỳ mỗi tuần một lần."
    contexts = [_ctx(text, "Điều 3. Chế độ làm việc của Tổ công tác")]
    first, second = text.split(". ", 1)
    # best first, as scored: the second sentence of the article scored higher
    scored = [Candidate(0, len(first) + 2, len(text), second, 0.9), Candidate(0, 0, len(first) + 1, first + ".", 0.8)]
    answer = extractive_answer("Điều 3 của quyết định mẫu quy định những gì?", contexts, "vi", candidates=scored)
    assert answer.index("kiêm nhiệm") < answer.index("họp định kỳ")
    # a question naming no part keeps the best sentence first
    answer = extractive_answer("Tổ công tác họp khi nào?", contexts, "vi", candidates=scored)
    assert answer.index("họp định kỳ") < answer.index("kiêm nhiệm")
