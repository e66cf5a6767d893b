"""Aggregate per-question verdicts into run metrics, overall and per slice.

Denominators (a metric is ``None`` when its denominator is zero, never 0/0):

* retrieval (``hit_at_1``, ``hit_at_5``, ``mrr_at_10``, ``source_recall``) and
  ``correctness``: answerable questions (``should_refuse`` false);
* ``citation_validity``: answerable questions that were answered (not refused);
* ``refusal_precision``: refused answers (positive class = refused);
  ``refusal_recall``: questions that should be refused;
* ``language_match`` and ``pass_rate``: all questions;
* ``location_accuracy``: answerable questions with an ``expected_location`` (``location_n`` of
  them); a refused answer, or one with no verified citation of an expected source at that
  location, counts as wrong;
* latency percentiles: answers with a value (``first_token_ms`` may be None).

Rates are fractions in [0, 1]; latencies are milliseconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Final

from pydantic import BaseModel, Field

from assistant.evaluation.questions import Question
from assistant.evaluation.retrieval import percentile
from assistant.evaluation.verdicts import Verdicts
from assistant.types import Answer

Scored = tuple[Question, Answer, Verdicts]


class Metrics(BaseModel):
    """Metrics of a run or of a slice of it (see the module docstring for denominators)."""

    n: int
    n_answerable: int
    n_should_refuse: int
    hit_at_1: float | None
    hit_at_5: float | None
    mrr_at_10: float | None
    source_recall: float | None
    correctness: float | None
    citation_validity: float | None
    refusal_precision: float | None
    refusal_recall: float | None
    language_match: float | None
    pass_rate: float | None
    location_accuracy: float | None = None
    location_n: int = 0
    retrieval_ms_p50: float | None
    retrieval_ms_p95: float | None
    first_token_ms_p50: float | None
    first_token_ms_p95: float | None
    total_ms_p50: float | None
    total_ms_p95: float | None
    first_verified_ms_p50: float | None = None
    first_verified_ms_p95: float | None = None
    answered_by: dict[str, int] = Field(
        default_factory=dict, description="How many answers each step of the answer policy made (its last attempt)."
    )


#: Rate metrics, where a drop is a regression.
HIGHER_IS_BETTER: Final[tuple[str, ...]] = (
    "pass_rate", "correctness", "citation_validity", "hit_at_1", "hit_at_5", "mrr_at_10", "source_recall",
    "refusal_precision", "refusal_recall", "language_match", "location_accuracy",
)
#: Latency metrics, where a rise is a regression.
LOWER_IS_BETTER: Final[tuple[str, ...]] = (
    "retrieval_ms_p50", "retrieval_ms_p95", "first_token_ms_p50", "first_token_ms_p95", "total_ms_p50", "total_ms_p95",
)
LABELS: Final[dict[str, str]] = {
    "pass_rate": "pass rate", "correctness": "answer correctness", "citation_validity": "citation validity",
    "hit_at_1": "retrieval hit@1", "hit_at_5": "retrieval hit@5", "mrr_at_10": "retrieval MRR@10",
    "source_recall": "expected-source recall", "refusal_precision": "refusal precision",
    "refusal_recall": "refusal recall", "language_match": "answer-language match",
    "location_accuracy": "citation location accuracy",
    "retrieval_ms_p50": "retrieval p50 (ms)", "retrieval_ms_p95": "retrieval p95 (ms)",
    "first_token_ms_p50": "first token p50 (ms)", "first_token_ms_p95": "first token p95 (ms)",
    "total_ms_p50": "total p50 (ms)", "total_ms_p95": "total p95 (ms)",
}


def _ratio(numerator: float, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _rate(items: Sequence[Scored], keep: Callable[[Scored], bool], hit: Callable[[Scored], float]) -> float | None:
    """Mean of ``hit`` over the items ``keep`` selects; None when it selects none."""
    selected = [item for item in items if keep(item)]
    return _ratio(sum(hit(item) for item in selected), len(selected))


def _latency(values: Iterable[float | None], q: float) -> float | None:
    present = [v for v in values if v is not None]
    return percentile(present, q) if present else None


def _hit(k: int) -> Callable[[Scored], float]:
    return lambda item: float(item[2].retrieval_hit_rank is not None and item[2].retrieval_hit_rank <= k)


def _answerable(item: Scored) -> bool:
    return not item[2].should_refuse


def _located(item: Scored) -> bool:
    return item[0].expected_location is not None and not item[0].should_refuse


def _everything(item: Scored) -> bool:
    return True


def compute_metrics(items: Sequence[Scored]) -> Metrics:
    """Metrics over ``(question, answer, verdicts)`` triples."""
    rank = [item[2].retrieval_hit_rank for item in items if _answerable(item)]
    refused_right = sum(1 for _, _, v in items if v.refused and v.should_refuse)
    timings = [a.timings for _, a, _ in items]
    return Metrics(
        n=len(items),
        n_answerable=len(rank),
        n_should_refuse=sum(1 for _, _, v in items if v.should_refuse),
        hit_at_1=_rate(items, _answerable, _hit(1)),
        hit_at_5=_rate(items, _answerable, _hit(5)),
        mrr_at_10=_ratio(sum(1 / r for r in rank if r is not None and r <= 10), len(rank)),
        source_recall=_rate(items, _answerable, lambda item: item[2].source_recall),
        correctness=_rate(items, _answerable, lambda item: float(item[2].correct)),
        citation_validity=_rate(items, lambda item: item[2].citation_valid is not None,
                                lambda item: float(bool(item[2].citation_valid))),
        refusal_precision=_ratio(refused_right, sum(1 for _, _, v in items if v.refused)),
        refusal_recall=_ratio(refused_right, sum(1 for _, _, v in items if v.should_refuse)),
        language_match=_rate(items, _everything, lambda item: float(item[2].language_match)),
        pass_rate=_rate(items, _everything, lambda item: float(item[2].passed)),
        location_accuracy=_rate(items, _located, lambda item: float(bool(item[2].location_correct))),
        location_n=sum(1 for item in items if _located(item)),
        retrieval_ms_p50=_latency((t.retrieval_ms for t in timings), 50),
        retrieval_ms_p95=_latency((t.retrieval_ms for t in timings), 95),
        first_token_ms_p50=_latency((t.first_token_ms for t in timings), 50),
        first_token_ms_p95=_latency((t.first_token_ms for t in timings), 95),
        total_ms_p50=_latency((t.total_ms for t in timings), 50),
        total_ms_p95=_latency((t.total_ms for t in timings), 95),
        first_verified_ms_p50=_latency((t.first_verified_ms for t in timings), 50),
        first_verified_ms_p95=_latency((t.first_verified_ms for t in timings), 95),
        answered_by=dict(Counter(final_step(a) for _, a, _ in items).most_common()),
    )


def final_step(answer: Answer) -> str:
    """The step of the answer policy that made ``answer`` ("quotes", "compose"…; "… (refused)" for a refusal)."""
    if not answer.attempts:
        return "unrecorded"
    last = answer.attempts[-1]
    return last.step if last.accepted else f"{last.step} (refused)"


def by_language(items: Sequence[Scored]) -> dict[str, Metrics]:
    """Metrics per question language, languages sorted."""
    languages = sorted({q.language for q, _, _ in items})
    return {lang: compute_metrics([item for item in items if item[0].language == lang]) for lang in languages}


def by_tag(items: Sequence[Scored]) -> dict[str, Metrics]:
    """Metrics per tag (a question counts in each of its tags; untagged questions are in no slice)."""
    tags = sorted({tag for q, _, _ in items for tag in q.tags})
    return {tag: compute_metrics([item for item in items if tag in item[0].tags]) for tag in tags}
