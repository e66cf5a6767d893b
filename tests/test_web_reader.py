"""The source reader's logic: which citations it offers and how a rendering is shown."""

from __future__ import annotations

from assistant.answer.renderings import Rendering
from assistant.types import Answer, Citation, Context, Timings
from assistant.web.reader import foreign_citations, reader_choices, rendering_html
from assistant.web.sources import esc
from assistant.web.texts_en import EN
from assistant.web.texts_vi import VI

DE = "Die Dringlichkeitsphase dauert bis zum 30. Juni 2025 <b>fett</b>."
VI_TEXT = "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025 theo kế hoạch của tỉnh."


def answer() -> Answer:
    contexts = [Context(rank=1, source="de.txt", title="Artikel", text=DE, score=1.0, language="de"),
                Context(rank=2, source="vi.pdf", title="Sổ tay", text=VI_TEXT, score=0.9, language="vi")]  # fmt: skip
    citations = [Citation(n=1, source="de.txt", title="Artikel", quote=DE, verified=True),
                 Citation(n=2, source="vi.pdf", title="Sổ tay", quote=VI_TEXT, verified=True)]  # fmt: skip
    return Answer(question="q", answer="a [1][2]", refused=False, language="vi", mode="local", citations=citations,
                  contexts=contexts, timings=Timings(retrieval_ms=1, total_ms=2))  # fmt: skip


def test_only_citations_in_another_language_are_offered() -> None:
    assert [(c.n, language) for c, language in foreign_citations(answer(), "vi")] == [(1, "de")]
    assert [c.n for c, _ in foreign_citations(answer(), "en")] == [1, 2]
    update = reader_choices([{"answer": answer().model_dump(mode="json")}], "vi")
    assert update["choices"] == [("[1] Artikel (de)", 1)] and update["value"] == 1
    assert reader_choices([], "vi")["choices"] == []


def test_a_rendering_is_labelled_unchecked_with_its_differences_and_escaped() -> None:
    citation = answer().citations[0]
    shown = rendering_html("vi", citation, "de", Rendering(DE, "vi", "Giai đoạn cấp bách đến 31/7/2025.", ("06-30 is missing",)))
    assert VI["reader.machine"] in shown and VI["reader.mismatch"] in shown and "thiếu 06-30" in shown
    assert "<b>fett</b>" not in shown and "&lt;b&gt;fett&lt;/b&gt;" in shown
    ok = rendering_html("en", citation, "de", Rendering(DE, "en", "The urgent phase lasts until 30 June 2025."))
    assert esc(EN["reader.match"]) in ok and esc(EN["reader.mismatch"]) not in ok


def test_no_model_gives_a_note_in_the_interface_language() -> None:
    shown = rendering_html("vi", answer().citations[0], "de", Rendering(DE, "vi", note="no model"))
    assert VI["reader.why.no_model"] in shown and VI["reader.machine"] not in shown
