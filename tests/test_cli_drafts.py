"""The terminal shows a streamed reply as a draft, withdraws a rejected draft, then prints the checked answer."""

from __future__ import annotations

from assistant.answer import DiscardEvent, DoneEvent, EvidenceEvent, TokenEvent
from assistant.cli.ask_cmd import _run
from assistant.cli.common import console
from assistant.types import Answer, Timings

FINAL = Answer(question="q", answer="Giai đoạn cấp bách kết thúc ngày 30/6/2025 [1].", refused=False, language="vi",
               mode="local", timings=Timings(retrieval_ms=1, total_ms=2), claims=1, verified_claims=1)  # fmt: skip


class ScriptedBot:
    llm_notice = None

    def __init__(self, events: list) -> None:
        self.events = events

    def stream(self, question: str, history: object):  # noqa: ANN201
        return iter(self.events)


def test_a_rejected_draft_is_withdrawn_and_the_checked_answer_follows() -> None:
    bot = ScriptedBot([
        EvidenceEvent([], "q", 1.0), TokenEvent("kết thúc khi 31/6/2025 [1]"),
        DiscardEvent(("no verified claim",), "compose"), TokenEvent("Giai đoạn cấp bách kết thúc ngày 30/6/2025 [1]."),
        DoneEvent(FINAL),
    ])  # fmt: skip
    with console.capture() as captured:
        answer = _run(bot, "q", None, as_json=False)
    out = captured.get()
    assert answer is FINAL
    assert out.index("draft (checking…)") < out.index("31/6/2025") < out.index("draft withdrawn (no verified claim)")
    assert out.index("draft withdrawn") < out.index("checked answer") < out.rindex("30/6/2025 [1]")
    assert out.count("draft (checking…)") == 2, "the second attempt is a draft too"


def test_an_answer_without_a_draft_prints_no_draft_marks() -> None:
    with console.capture() as captured:
        _run(ScriptedBot([EvidenceEvent([], "q", 1.0), DoneEvent(FINAL)]), "q", None, as_json=False)
    out = captured.get()
    assert "draft" not in out and "checked answer" not in out and "30/6/2025" in out


def test_read_sources_renders_a_foreign_quote_labelled_with_its_differences() -> None:
    from assistant.answer.renderings import Rendering
    from assistant.cli.ask_cmd import _print_renderings
    from assistant.types import Citation, Context

    de = "Die Dringlichkeitsphase dauert bis zum 30. Juni 2025."
    answer = FINAL.model_copy(update={
        "citations": [Citation(n=1, source="de.txt", title="Artikel", quote=de, verified=True)],
        "contexts": [Context(rank=1, source="de.txt", title="Artikel", text=de, score=1.0, language="de")],
    })  # fmt: skip

    class Bot:
        def render_source(self, sentence: str, language: str) -> Rendering:
            assert (sentence, language) == (de, "vi")
            return Rendering(sentence, language, "Giai đoạn cấp bách kéo dài đến 31/7/2025.", ("06-30 is missing",))

    with console.capture() as captured:
        _print_renderings(Bot(), answer)
    out = captured.get()
    assert "machine translation from de, not checked" in out and "31/7/2025" in out
    assert "differs from the original: 06-30 is missing" in out
