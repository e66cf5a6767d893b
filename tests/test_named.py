"""A question that names a document by the opening words of its title gets that document's passages first."""

from __future__ import annotations

import pytest

from assistant.retrieval.named import named_sources, title_heads

TITLES = {
    "so-tay.pdf": "Sổ tay hướng dẫn triển khai Đề án chuyển đổi số (tài liệu mẫu)",
    "mau-qd.docx": "Mẫu Quyết định thành lập Tổ công tác triển khai Đề án cấp xã",
    "mau-bc.docx": "Mẫu báo cáo số liệu hằng ngày",
    "danh-muc-thu-tuc.xlsx": "danh-muc-thu-tuc",
}


def test_a_title_head_is_its_shortest_opening_no_other_title_shares() -> None:
    assert title_heads(TITLES) == {
        "so-tay.pdf": ("so", "tay"),
        "mau-qd.docx": ("mau", "quyet"),
        "mau-bc.docx": ("mau", "bao"),
        "danh-muc-thu-tuc.xlsx": ("danh", "muc"),
    }
    # Two titles opening alike need a longer head; a title that is another's opening whole has none.
    assert title_heads({"a": "Mẫu quyết định số 1", "b": "Mẫu quyết định số 2", "c": "Mẫu quyết định"}) == {
        "a": ("mau", "quyet", "dinh", "so", "1"), "b": ("mau", "quyet", "dinh", "so", "2"),
    }


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Theo mẫu quyết định, ai làm tổ trưởng?", ["mau-qd.docx"]),
        ("Theo mau quyet dinh, ai lam to truong?", ["mau-qd.docx"]),  # typed without accents
        ("Trong sổ tay, báo cáo gửi trước mấy giờ?", ["so-tay.pdf"]),
        ("Danh mục thủ tục có bao nhiêu dòng?", ["danh-muc-thu-tuc.xlsx"]),
        # The rest of a title is its topic: a question about the topic does not ask for the document.
        ("Ai triển khai hệ thống báo cáo số liệu hằng ngày?", []),
        ("Tổ công tác cấp xã có mấy thành viên?", []),
        # Another language names no Vietnamese title.
        ("In the decision template, who leads the group?", []),
    ],
)
def test_questions_that_name_a_document(question: str, named: list[str]) -> None:
    assert named_sources(question, title_heads(TITLES)) == named


@pytest.mark.slow
def test_the_named_documents_best_passages_come_first(settings, make_index) -> None:
    from assistant.retrieval.search import search
    from assistant.sync import sync_corpus

    settings.facts.enabled = False
    files = {
        # The guidebook says it in the question's very words; the template says it in its own.
        "so-tay.md": "# Sổ tay hướng dẫn triển khai\n\nTổ trưởng tổ công tác của xã là Chủ tịch UBND xã, "
        "tổ trưởng tổ công tác điều hành tổ công tác của xã.",
        "mau-qd.md": "# Mẫu quyết định thành lập tổ công tác\n\nĐiều 1. Thành lập Tổ công tác gồm các ông, bà: "
        "Chủ tịch UBND xã giữ vai trò Tổ trưởng.",
    }
    for name, text in files.items():
        (settings.corpus.dir / name).write_text(text, encoding="utf-8")
    index = make_index(settings)
    sync_corpus(index, settings)
    question = "ai làm tổ trưởng tổ công tác của xã?"
    assert search(index, question, k=2)[0].chunk.meta.source == "so-tay.md"
    named = search(index, "Theo mẫu quyết định, " + question, k=2, named_passages=1)
    assert [h.chunk.meta.source for h in named] == ["mau-qd.md", "so-tay.md"]
    assert [h.rank for h in named] == [1, 2]
    unnamed = search(index, "Theo mẫu quyết định, " + question, k=2, named_passages=0)
    assert unnamed[0].chunk.meta.source == "so-tay.md"
