"""What the optional LLM judge found: per-question scores and their means, overall and per language.

Kept apart from :mod:`assistant.evaluation.judge` (which needs the judge library and a model)
so that the runner, the comparison and the reports can read a judge result without either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

JudgeStatus = Literal["skipped", "failed", "done"]
#: The judge's metrics, in the order they are shown.
JUDGE_METRICS: tuple[str, ...] = ("faithfulness", "answer_relevance")
JUDGE_LABELS: dict[str, str] = {"faithfulness": "judge faithfulness", "answer_relevance": "judge answer relevance"}


class JudgeScore(BaseModel):
    """One answered question as the judge scored it; a metric that failed is None and named in ``error``."""

    id: str
    language: str
    faithfulness: float | None = Field(None, description="Share of the answer's statements its contexts support.")
    answer_relevance: float | None = Field(
        None, description="Mean cosine between the question and questions generated back from the answer."
    )
    error: str | None = Field(None, description="Why a metric has no value (one line per failed metric, '; '-joined).")
    cached: bool = False


class JudgeSummary(BaseModel):
    """Means over the judged questions of a slice (a metric's mean skips the questions it failed on)."""

    n: int = Field(description="Answered (not refused) questions sent to the judge.")
    n_errors: int = Field(description="Questions with at least one failed metric.")
    faithfulness: float | None
    answer_relevance: float | None


class JudgeReport(BaseModel):
    """The judge's result for a run. ``message`` is one line for the CLI and the UI."""

    status: JudgeStatus
    message: str
    judge: str | None = Field(None, description="The judge model, e.g. 'openai: gpt-4o-mini @ http://...'.")
    library: str | None = Field(None, description="The library that computed the metrics, e.g. 'ragas 0.4.3'.")
    scores: list[JudgeScore] = Field(default_factory=list)
    overall: JudgeSummary | None = None
    by_language: dict[str, JudgeSummary] = Field(default_factory=dict)

    @property
    def asked(self) -> int:
        """Questions judged in this invocation (not taken from the judge cache)."""
        return sum(1 for s in self.scores if not s.cached)

    def document(self) -> dict[str, Any] | None:
        """The ``judge`` block of ``metrics.json``; None unless the judge ran."""
        if self.status != "done":
            return None
        return {
            "judge": self.judge,
            "library": self.library,
            "overall": self.overall.model_dump(mode="json") if self.overall else None,
            "by_language": {k: v.model_dump(mode="json") for k, v in self.by_language.items()},
            "errors": {s.id: s.error for s in self.scores if s.error},
        }


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def summarise(scores: Sequence[JudgeScore]) -> JudgeSummary:
    """Means of each judge metric over ``scores``."""
    return JudgeSummary(
        n=len(scores),
        n_errors=sum(1 for s in scores if s.error),
        faithfulness=_mean([s.faithfulness for s in scores]),
        answer_relevance=_mean([s.answer_relevance for s in scores]),
    )


def summarise_by_language(scores: Sequence[JudgeScore]) -> dict[str, JudgeSummary]:
    """:func:`summarise` per question language, languages sorted."""
    return {lang: summarise([s for s in scores if s.language == lang]) for lang in sorted({s.language for s in scores})}
