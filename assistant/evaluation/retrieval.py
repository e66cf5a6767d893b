"""Retrieval metrics on a question set: hit@1, hit@5, MRR@10, source recall, latency.

A *hit* is a retrieved chunk from an expected source whose text matches every
expected fact. Questions the corpus cannot answer are skipped here (they are
scored by the answer evaluation).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.evaluation.questions import Question
from assistant.types import SearchHit

Retriever = Callable[[str], list[SearchHit]]


class RankedContext(BaseModel):
    rank: int
    source: str
    location: str | None
    score: float
    relevant: bool
    text: str


class QuestionResult(BaseModel):
    id: str
    question: str
    language: str
    tags: list[str]
    first_hit_rank: int | None = Field(description="1-based rank of the first relevant chunk, None if not in the list.")
    source_recall: float
    latency_ms: float
    contexts: list[RankedContext]


class RetrievalMetrics(BaseModel):
    n: int
    hit_at_1: float
    hit_at_5: float
    mrr_at_10: float
    source_recall_at_5: float
    latency_p50_ms: float
    latency_p95_ms: float


def is_relevant(question: Question, hit: SearchHit) -> bool:
    meta = hit.chunk.meta
    from_source = question.source_matches(meta.source) or bool(meta.url and question.source_matches(meta.url))
    return from_source and question.facts_match(hit.chunk.text)


def first_hit_rank(question: Question, hits: Sequence[SearchHit]) -> int | None:
    for position, hit in enumerate(hits, start=1):
        if is_relevant(question, hit):
            return position
    return None


def source_recall(question: Question, hits: Sequence[SearchHit], k: int = 5) -> float:
    """Share of the expected sources that appear among the top-k chunks."""
    if not question.expected_sources:
        return 1.0
    seen = " ".join(f"{h.chunk.meta.source} {h.chunk.meta.url or ''}" for h in hits[:k])
    return sum(1 for s in question.expected_sources if s in seen) / len(question.expected_sources)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return float(values[0])
    return float(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1])


def evaluate_question(question: Question, retrieve: Retriever, k: int = 10) -> QuestionResult:
    started = time.perf_counter()
    hits = retrieve(question.question)[:k]
    latency = (time.perf_counter() - started) * 1000
    return QuestionResult(
        id=question.id, question=question.question, language=question.language, tags=list(question.tags),
        first_hit_rank=first_hit_rank(question, hits),
        source_recall=source_recall(question, hits),
        latency_ms=latency,
        contexts=[
            RankedContext(rank=h.rank, source=h.chunk.meta.source, location=h.chunk.meta.location, score=h.score,
                          relevant=is_relevant(question, h), text=h.chunk.text)
            for h in hits
        ],
    )


def aggregate(results: Sequence[QuestionResult]) -> RetrievalMetrics:
    n = len(results)
    if n == 0:
        return RetrievalMetrics(n=0, hit_at_1=0, hit_at_5=0, mrr_at_10=0, source_recall_at_5=0,
                                latency_p50_ms=0, latency_p95_ms=0)
    ranks = [r.first_hit_rank for r in results]
    latencies = [r.latency_ms for r in results]
    return RetrievalMetrics(
        n=n,
        hit_at_1=sum(1 for r in ranks if r is not None and r <= 1) / n,
        hit_at_5=sum(1 for r in ranks if r is not None and r <= 5) / n,
        mrr_at_10=sum(1 / r for r in ranks if r is not None and r <= 10) / n,
        source_recall_at_5=sum(r.source_recall for r in results) / n,
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
    )


def evaluate_retrieval(
    questions: Sequence[Question], retrieve: Retriever, progress: Callable[[int, int], None] | None = None
) -> tuple[RetrievalMetrics, dict[str, RetrievalMetrics], list[QuestionResult]]:
    """Run every answerable question; return overall metrics, metrics per question language, per-question results."""
    answerable = [q for q in questions if not q.should_refuse]
    results = []
    for i, question in enumerate(answerable, start=1):
        results.append(evaluate_question(question, retrieve))
        if progress:
            progress(i, len(answerable))
    by_language = {
        lang: aggregate([r for r in results if r.language == lang]) for lang in sorted({r.language for r in results})
    }
    return aggregate(results), by_language, results


def write_results(path: Path, results: Sequence[QuestionResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for result in results:
            out.write(result.model_dump_json() + "\n")
