"""Regression floors for hybrid retrieval on evals/dev.jsonl over the sample corpus (real e5 model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.questions import load_questions
from assistant.evaluation.retrieval import evaluate_retrieval
from assistant.retrieval import SearchFilters, search
from assistant.sync import sync_corpus

DEV = Path(__file__).resolve().parents[1] / "evals" / "dev.jsonl"

# Achieved with the shipped weights (issue 3 glossary and keys): hit@1 0.716, hit@5 0.938, MRR@10 0.814
# (see docs/retrieval.md); the floors sit ~0.02 below.
FLOORS = {"hit_at_1": 0.69, "hit_at_5": 0.91, "mrr_at_10": 0.79}


@pytest.mark.slow
def test_hybrid_retrieval_quality_floors(settings, sample_corpus, make_index) -> None:
    index = make_index(settings)
    sync_corpus(index, settings)
    questions = load_questions(DEV)
    overall, _, _ = evaluate_retrieval(questions, lambda q: search(index, q, k=10))
    for metric, floor in FLOORS.items():
        assert getattr(overall, metric) >= floor, f"{metric} {getattr(overall, metric):.3f} < {floor}"
    hits = search(index, "Trần Cẩm Tú", k=3)
    assert hits and hits[0].matched_terms, "explanations are filled"
    assert all(h.dense_rank for h in hits)
    only_de = search(index, "Dringlichkeitsphase", k=5, filters=SearchFilters(languages=["de"]))
    assert only_de and all(h.chunk.meta.language == "de" for h in only_de)
