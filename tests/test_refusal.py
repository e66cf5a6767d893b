"""The gate: why the passages cannot answer, decided before any answer is written (table-driven)."""

from __future__ import annotations

import pytest

from assistant.answer.extractive import Analysis, Candidate
from assistant.answer.refusal import gate_reasons
from assistant.settings import AnswerSettings
from assistant.types import Context

SETTINGS = AnswerSettings(min_relevance=0.3, llm_min_support=0.25)


def _passage(score: float) -> Context:
    return Context(rank=1, source="a.txt", title="A", text="Quyết định có hiệu lực từ ngày ký.", score=score)


def _analysis(best: float | None, missing: tuple[str, ...] = ()) -> Analysis:
    candidates = [] if best is None else [Candidate(index=0, start=0, end=10, text="Quyết định …", score=best)]
    return Analysis(candidates=candidates, missing=missing)


CASES = [
    # (passages' best score, analysis, with a model, the reason expected or None to go on)
    (0.9, _analysis(0.8), False, None),
    (0.9, _analysis(0.8), True, None),
    (0.1, _analysis(0.8), False, "no passage scores min_relevance 0.3"),
    (0.9, _analysis(0.8, ("k:2031",)), False, "in no passage: 2031"),
    (0.9, _analysis(0.8, ("k:2031",)), True, "in no passage: 2031"),
    # A missing name and a weak best sentence refuse only with a model: quotes have their own threshold.
    (0.9, _analysis(0.8, ("t:Lâm Đồng",)), False, None),
    (0.9, _analysis(0.8, ("t:Lâm Đồng",)), True, "in no passage: Lâm Đồng"),
    (0.9, _analysis(0.1), False, None),
    (0.9, _analysis(0.1), True, "best sentence scores 0.10 < llm_min_support 0.25"),
    (0.9, None, True, None),
]


@pytest.mark.parametrize(("score", "analysis", "with_llm", "expected"), CASES)
def test_gate(score: float, analysis: Analysis | None, with_llm: bool, expected: str | None) -> None:
    reasons = gate_reasons([_passage(score)], analysis, SETTINGS, with_llm=with_llm)
    assert reasons == ([] if expected is None else [expected])


def test_no_passage_at_all_is_refused() -> None:
    assert gate_reasons([], None, SETTINGS, with_llm=False) == ["no passage scores min_relevance 0.3"]
