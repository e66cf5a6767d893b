"""Regression floors for extractive answers (``llm: none``) on evals/dev.jsonl over the sample corpus.

Real e5 model and a real index in tmp_path. An answerable question is correct
when the answer is not a refusal and every ``expected_facts`` regex matches it
(case-insensitive); an unanswerable one must be refused.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answer.constants import UNVERIFIED_FLAG
from assistant.evaluation.questions import load_questions
from assistant.sync import sync_corpus

DEV = Path(__file__).resolve().parents[1] / "evals" / "dev.jsonl"

# Achieved with the shipped extractive settings: 15/15 unanswerable refused, 64/81 (0.79) answerable correct.
FLOORS = {"refusal_recall": 0.93, "correct": 0.75}


@pytest.mark.slow
def test_extractive_answers_on_dev_set(settings, sample_corpus, make_index) -> None:
    index = make_index(settings)
    sync_corpus(index, settings)
    answerer = Assistant(settings, backend="none", index=index).answerer()
    refused = correct = unanswerable = answerable = 0
    for q in load_questions(DEV):
        answer = answerer.ask(q.question)
        assert answer.mode == "extractive" and answer.contexts
        if q.should_refuse:
            unanswerable += 1
            refused += answer.refused
            if answer.refused:
                assert not re.search(r"\d", answer.answer) and not answer.citations
            continue
        answerable += 1
        correct += not answer.refused and all(re.search(f, answer.answer, re.IGNORECASE) for f in q.expected_facts)
        if not answer.refused:
            assert answer.claims == answer.verified_claims and UNVERIFIED_FLAG not in answer.answer, q.id
            texts = [c.text for c in answer.contexts]
            assert all(any(c.quote in t for t in texts) for c in answer.citations), q.id
    assert refused / unanswerable >= FLOORS["refusal_recall"], f"refused {refused}/{unanswerable}"
    assert correct / answerable >= FLOORS["correct"], f"correct {correct}/{answerable}"
    # Speed is measured by benchmarks/answer_bench.py (--llm none) and recorded in docs/answers.md,
    # not asserted here.
