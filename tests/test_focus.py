"""LLM contexts cut around the best sentence, and the support gate that refuses before calling the LLM."""

from __future__ import annotations

from test_answer import PT, Retriever, fake, hit

from assistant.answer import Answerer
from assistant.answer.contexts import Evidence
from assistant.answer.extractive import analyse
from assistant.answer.focus import focus_evidence
from assistant.settings import AnswerSettings
from assistant.types import Context

FILLER = " ".join(f"Satz Nummer {i} beschreibt allgemeine Verwaltungsarbeit ohne besondere Angaben." for i in range(12))
TARGET = "Die Dringlichkeitsphase dauert bis zum 30. Juni 2025 und beseitigt institutionelle Engpässe."
AFTER = " ".join(f"Abschnitt {i} nennt weitere Aufgaben der Behörden ohne Fristen." for i in range(12))
LONG = f"{FILLER} {TARGET} {AFTER}"


def _evidence(*texts: str) -> list[Evidence]:
    return [Evidence(Context(rank=i, source=f"s{i}.txt", title="T", text=t, score=1.0)) for i, t in enumerate(texts, 1)]


def test_focus_keeps_the_best_sentence_within_budget_as_a_verbatim_substring() -> None:
    evidence = _evidence(LONG, "Kurzer Text über den Plan 02.")
    analysis = analyse("When does the urgent phase end?", [e.context for e in evidence], "en")
    focused = focus_evidence(evidence, analysis.candidates, 400)
    first = focused[0].context.text
    assert TARGET in first and len(first) <= 400 - len("Kurzer Text über den Plan 02.")
    assert first in LONG, "the focused passage is a verbatim substring, so quotes still verify"
    assert "Satz Nummer 0 " not in first, "text far from the answer is dropped"
    assert focused[1].context.text == "Kurzer Text über den Plan 02.", "short passages are kept whole"
    assert [e.context.rank for e in focused] == [1, 2], "numbering is unchanged"


def test_focus_without_scored_sentences_keeps_the_passage_head() -> None:
    focused = focus_evidence(_evidence(LONG), [], 200)
    assert LONG.startswith(focused[0].context.text) and 0 < len(focused[0].context.text) <= 200


def _answerer(model, hits, **settings) -> Answerer:
    return Answerer(Retriever(hits), lambda c: c.text, model, AnswerSettings(**settings), "local")


def test_gate_refuses_unsupported_question_without_calling_the_llm() -> None:
    model = fake("Hanoi's metro budget is 5 trillion dong [1].")
    answer = _answerer(model, [hit(PT)]).ask("What is the annual budget of the Hanoi metro railway?")
    assert answer.refused and model.calls == [], "the model is never asked"
    assert answer.contexts, "the closest passages are still shown"


def test_gate_refuses_when_a_name_of_the_question_is_absent() -> None:
    model = fake("Nguyễn Văn Khương chủ trì [1].")
    answer = _answerer(model, [hit(PT)]).ask("Ông Nguyễn Văn Khương đã chủ trì hội nghị nào về Kế hoạch 02?")
    assert answer.refused and model.calls == []


def test_gate_passes_a_supported_question_and_the_prompt_holds_the_focused_passage() -> None:
    model = fake("The urgent phase runs until 30 June 2025 [1].")
    answer = _answerer(model, [hit(LONG, "articles/de.txt")], llm_context_chars=500).ask("When does the urgent phase end?")
    assert not answer.refused and len(model.calls) == 1
    user = model.calls[0][-1].content
    assert TARGET in user and "Satz Nummer 0 " not in user
    assert answer.verified_claims == 1 and answer.contexts[0].text in LONG


def test_gate_can_be_switched_off() -> None:
    model = fake("The budget is not given [1].")
    _answerer(model, [hit(PT)], llm_min_support=0.0).ask("What is the annual budget of the Hanoi metro railway?")
    assert len(model.calls) == 1


def test_model_declining_supported_passages_gets_the_quoted_sentences_with_a_notice() -> None:
    from assistant.answer.constants import REFUSAL_MARKER

    model = fake(REFUSAL_MARKER)
    answer = _answerer(model, [hit(LONG, "articles/de.txt")]).ask("When does the urgent phase end?")
    assert len(model.calls) == 1 and not answer.refused
    assert "30. Juni 2025" in answer.answer and answer.citations and answer.citations[0].verified
    assert answer.mode == "extractive" and answer.notice and "found no answer" in answer.notice


def test_model_declining_weak_passages_is_a_plain_refusal() -> None:
    from assistant.answer.constants import REFUSAL_MARKER

    model = fake(REFUSAL_MARKER)
    answer = _answerer(model, [hit(PT)], llm_min_support=0.0).ask("What is the annual budget of the Hanoi metro railway?")
    assert len(model.calls) == 1 and answer.refused and answer.mode == "local" and answer.notice is None


def test_weighted_budgets_favour_the_best_passage_and_give_back_unused_room() -> None:
    from assistant.answer.focus import weighted_budgets

    assert weighted_budgets([2000, 2000], [0.64, 0.04], 1400) == [1317, 120], "1400 × 0.64 / 0.68; the floor lifts 82 to 120"
    assert weighted_budgets([100, 2000, 2000], [1.0, 1.0, 1.0], 1400) == [100, 650, 650], "a short text keeps its length"


def test_focus_gives_the_answering_passage_most_of_the_budget() -> None:
    other = " ".join(f"Absatz {i} behandelt die Schulung von Beamten in den Provinzen." for i in range(20))
    evidence = _evidence(other, LONG)
    analysis = analyse("When does the urgent phase end?", [e.context for e in evidence], "en")
    focused = focus_evidence(evidence, analysis.candidates, 600)
    assert TARGET in focused[1].context.text and len(focused[1].context.text) > len(focused[0].context.text)
