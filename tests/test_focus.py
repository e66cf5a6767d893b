"""LLM contexts cut to the best sentences, and the support gate that refuses before calling the LLM."""

from __future__ import annotations

import pytest
from support_fakes import AGREEING
from test_answer import PT, Retriever, fake, hit

from assistant.answer import Answerer
from assistant.answer.contexts import Evidence
from assistant.answer.extractive import analyse
from assistant.answer.focus import focus_evidence
from assistant.settings import AnswerSettings
from assistant.types import Context

# These tests use passages in the sample corpus's languages: its glossary (corpus/glossary.yaml) is in force.
pytestmark = pytest.mark.usefixtures("sample_glossary")

FILLER = " ".join(f"Satz Nummer {i} beschreibt allgemeine Verwaltungsarbeit ohne besondere Angaben." for i in range(12))
TARGET = "Die Dringlichkeitsphase dauert bis zum 30. Juni 2025 und beseitigt institutionelle Engpässe."
AFTER = " ".join(f"Abschnitt {i} nennt weitere Aufgaben der Behörden ohne Fristen." for i in range(12))
LONG = f"{FILLER} {TARGET} {AFTER}"



def asked(answer) -> list[tuple[str, bool]]:  # noqa: ANN001 - an Answer
    """The model steps an answer records (step, accepted): the outcome, not the mock's call count."""
    return [(a.step, a.accepted) for a in answer.attempts if a.step in ("answer", "compose", "cloze", "translate")]

def _evidence(*texts: str) -> list[Evidence]:
    return [Evidence(Context(rank=i, source=f"s{i}.txt", title="T", text=t, score=1.0)) for i, t in enumerate(texts, 1)]


def test_focus_keeps_only_the_best_sentences_as_verbatim_substrings() -> None:
    evidence = _evidence(LONG, "Kurzer Text über den Plan 02.")
    analysis = analyse("When does the urgent phase end?", [e.context for e in evidence], "en")
    focused = focus_evidence(evidence, analysis.candidates, 1400)
    assert [e.context.text for e in focused] == [TARGET], "only the sentence that answers; the other passage is left out"
    assert focused[0].context.source == "s1.txt" and focused[0].context.rank == 1


def test_focus_spans_the_chosen_sentences_of_one_passage_and_keeps_passage_order() -> None:
    second = "Die Durchbruchsphase dauert bis zum 31. Dezember 2025 und beseitigt Schwächen."
    evidence = _evidence("Kurzer Text über den Plan 02.", f"{TARGET} Zwischensatz ohne Inhalt hier. {second}")
    analysis = analyse("When do the urgent phase and the breakthrough phase end?", [e.context for e in evidence], "en")
    focused = focus_evidence(evidence, analysis.candidates, 1400)
    assert len(focused) == 1 and focused[0].context.source == "s2.txt"
    assert focused[0].context.text == f"{TARGET} Zwischensatz ohne Inhalt hier. {second}", "one verbatim run"


def test_focus_keeps_the_lead_in_a_chosen_list_item_hangs_on() -> None:
    lead, item = "1. Bis zum 31. Dezember 2027:", "b) 60 % der Gästehäuser melden Übernachtungen online;"
    evidence = _evidence(f"{FILLER}\n{lead}\na) Alle Orte haben eine digitale Karte;\n{item}\n{AFTER}")
    analysis = analyse("Bis zum 31. Dezember 2027: wie viel Prozent der Gästehäuser melden online?",
                       [e.context for e in evidence], "de")  # fmt: skip
    focused = focus_evidence(evidence, analysis.candidates, 1400)
    assert focused[0].context.text.startswith(lead) and item in focused[0].context.text


def test_focus_within_budget_trims_around_the_best_sentence() -> None:
    tail = ", ".join(f"Engpass {i} der Verwaltung" for i in range(20))
    sentence = f"Die Dringlichkeitsphase dauert bis zum 30. Juni 2025 und beseitigt {tail}."
    evidence = _evidence(f"{FILLER} {sentence} {AFTER}")
    analysis = analyse("When does the urgent phase end?", [e.context for e in evidence], "en")
    focused = focus_evidence(evidence, analysis.candidates, 200)
    assert len(focused[0].context.text) <= 200 and sentence.startswith(focused[0].context.text)
    assert "30. Juni 2025" in focused[0].context.text


def test_focus_without_scored_sentences_keeps_the_passage_head() -> None:
    focused = focus_evidence(_evidence(LONG), [], 200)
    assert LONG.startswith(focused[0].context.text) and 0 < len(focused[0].context.text) <= 200


def _answerer(model, hits, **settings) -> Answerer:
    return Answerer(Retriever(hits), lambda c: c.text, model, AnswerSettings(**settings), "local", support=AGREEING)


def test_gate_refuses_unsupported_question_without_calling_the_llm() -> None:
    model = fake("Hanoi's metro budget is 5 trillion dong [1].")
    answer = _answerer(model, [hit(PT)]).ask("What is the annual budget of the Hanoi metro railway?")
    assert answer.refused and [a.step for a in answer.attempts] == ["gate"], "the model is never asked"
    assert answer.contexts, "the closest passages are still shown"


def test_gate_refuses_when_a_name_of_the_question_is_absent() -> None:
    model = fake("Nguyễn Văn Khương chủ trì [1].")
    answer = _answerer(model, [hit(PT)]).ask("Ông Nguyễn Văn Khương đã chủ trì hội nghị nào về Kế hoạch 02?")
    assert answer.refused and [a.step for a in answer.attempts] == ["gate"]


def test_gate_passes_a_supported_question_and_the_prompt_holds_the_focused_passage() -> None:
    model = fake("The urgent phase runs until 30 June 2025 [1].")
    answer = _answerer(model, [hit(LONG, "articles/de.txt")], llm_context_chars=500).ask("When does the urgent phase end?")
    assert not answer.refused and len(asked(answer)) == 1
    user = model.calls[0][-1].content
    assert TARGET in user and "Satz Nummer 0 " not in user
    assert answer.verified_claims == 1 and answer.contexts[0].text in LONG


def test_gate_can_be_switched_off() -> None:
    model = fake("The budget is not given [1].")
    answer = _answerer(model, [hit(PT)], llm_min_support=0.0).ask("What is the annual budget of the Hanoi metro railway?")
    assert len(asked(answer)) == 1 and answer.attempts[0].step == "answer", "past the gate, the model is asked"


def test_model_declining_supported_passages_gets_the_quoted_sentences_with_a_notice() -> None:
    from assistant.answer.constants import REFUSAL_MARKER

    model = fake(REFUSAL_MARKER, REFUSAL_MARKER, REFUSAL_MARKER)
    answer = _answerer(model, [hit(LONG, "articles/de.txt")]).ask("When does the urgent phase end?")
    assert len(asked(answer)) == 2, "strong evidence: the model is asked once more to restate it"
    assert not answer.refused
    assert "30. Juni 2025" in answer.answer and answer.citations and answer.citations[0].verified
    assert answer.mode == "extractive" and answer.notice and "found no answer" in answer.notice


def test_model_declining_weak_passages_is_a_plain_refusal() -> None:
    from assistant.answer.constants import REFUSAL_MARKER

    model = fake(REFUSAL_MARKER)
    answer = _answerer(model, [hit(PT)], llm_min_support=0.0).ask("What is the annual budget of the Hanoi metro railway?")
    assert len(asked(answer)) == 1 and answer.refused and answer.mode == "local" and answer.notice is None


def test_weighted_budgets_favour_the_best_passage_and_give_back_unused_room() -> None:
    from assistant.answer.focus import weighted_budgets

    assert weighted_budgets([2000, 2000], [0.64, 0.04], 1400) == [1317, 120], "1400 × 0.64 / 0.68; the floor lifts 82 to 120"
    assert weighted_budgets([100, 2000, 2000], [1.0, 1.0, 1.0], 1400) == [100, 650, 650], "a short text keeps its length"


def test_focus_keeps_zero_scored_sentences_as_verbatim_pieces() -> None:
    from assistant.answer.extractive import Candidate

    other = " ".join(f"Absatz {i} behandelt die Schulung von Beamten in den Provinzen." for i in range(20))
    evidence = _evidence(other, LONG)
    start = LONG.index(TARGET)
    weak = [Candidate(1, start, start + len(TARGET), TARGET, 0.0), Candidate(0, 0, 10, other[:10], 0.0)]
    focused = focus_evidence(evidence, weak, 600)  # scores of 0 are still chosen (only an empty list is not)
    assert len(focused) == 2 and all(e.context.text in t for e, t in zip(focused, (other, LONG)))
