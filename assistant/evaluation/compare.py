"""Compare a run with a previous one: metric deltas, regressions, questions that flipped.

A baseline is a previous output directory; only its ``metrics.json`` and
``results.jsonl`` are read, as plain JSON, so a baseline written by an older
version (with fewer or more metrics) still compares on the metrics both share.
The LLM judge's means (``metrics.json`` → ``judge.overall``) are compared only when both
runs have them; they are shown but never gate a run (:func:`regressions` skips them),
since a judge is optional and not deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from assistant.evaluation.judge_types import JUDGE_LABELS, JUDGE_METRICS, JudgeReport
from assistant.evaluation.metrics import HIGHER_IS_BETTER, LABELS, LOWER_IS_BETTER, Metrics
from assistant.evaluation.runner import METRICS_FILE, RESULTS_FILE, EvalRun

#: Tolerance so that a drop of exactly ``threshold`` is not a regression because of float rounding.
_EPSILON = 1e-9


class Baseline(BaseModel):
    """A previous run as read from disk."""

    path: Path
    overall: dict[str, Any]
    by_language: dict[str, dict[str, Any]] = {}
    by_tag: dict[str, dict[str, Any]] = {}
    config: dict[str, Any] = {}
    records: dict[str, dict[str, Any]] = {}
    judge: dict[str, Any] | None = None


class MetricDelta(BaseModel):
    """One metric in both runs; ``delta`` is current minus baseline (None when either is missing)."""

    name: str
    label: str
    baseline: float | None
    current: float | None
    delta: float | None
    higher_is_better: bool
    gated: bool = True  # False for the LLM judge's means: shown, never a regression


class FlippedQuestion(BaseModel):
    """A question whose pass/fail verdict changed, with both answers side by side."""

    id: str
    question: str
    direction: Literal["pass_to_fail", "fail_to_pass"]
    baseline_answer: str
    current_answer: str
    baseline_failures: list[str]
    current_failures: list[str]


class Comparison(BaseModel):
    """Everything the report and the CLI need about a baseline."""

    baseline_path: Path
    deltas: list[MetricDelta]
    flipped: list[FlippedQuestion]
    config_changes: dict[str, tuple[Any, Any]]

    def delta(self, name: str) -> MetricDelta | None:
        """The delta of metric ``name``, if both runs have it."""
        return next((d for d in self.deltas if d.name == name), None)


def load_baseline(path: Path) -> Baseline:
    """Read ``metrics.json`` and ``results.jsonl`` of a previous run directory.

    Raises ``FileNotFoundError`` when ``metrics.json`` is missing; ``results.jsonl`` is optional
    (without it no flipped questions are reported). Raises ``ValueError`` on malformed JSON.
    """
    path = Path(path)
    document = json.loads((path / METRICS_FILE).read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("overall"), dict):
        raise ValueError(f"{path / METRICS_FILE}: no 'overall' metrics")  # noqa: TRY004 - a malformed file, as documented
    records: dict[str, dict[str, Any]] = {}
    results = path / RESULTS_FILE
    if results.exists():
        for line in results.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                records[str(record["id"])] = record
    judge = document.get("judge")
    return Baseline(path=path, overall=document["overall"], by_language=document.get("by_language") or {},
                    by_tag=document.get("by_tag") or {}, config=document.get("config") or {}, records=records,
                    judge=judge if isinstance(judge, dict) else None)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def metric_deltas(current: Metrics | Mapping[str, Any], baseline: Metrics | Mapping[str, Any]) -> list[MetricDelta]:
    """Deltas of every known metric present in either run (rates first, then latencies)."""
    now = current.model_dump() if isinstance(current, Metrics) else dict(current)
    before = baseline.model_dump() if isinstance(baseline, Metrics) else dict(baseline)
    deltas = []
    for name in (*HIGHER_IS_BETTER, *LOWER_IS_BETTER):
        if name not in now and name not in before:
            continue
        b, c = _number(before.get(name)), _number(now.get(name))
        deltas.append(MetricDelta(name=name, label=LABELS.get(name, name), baseline=b, current=c,
                                  delta=None if b is None or c is None else c - b,
                                  higher_is_better=name in HIGHER_IS_BETTER))
    return deltas


def regressions(deltas: Sequence[MetricDelta], threshold: float, latency_threshold: float | None = None) -> list[str]:
    """Names of the metrics that got worse by more than allowed.

    A rate regresses when it dropped by more than ``threshold`` (absolute, e.g. 0.02 = 2 points).
    A latency regresses only when ``latency_threshold`` is given and it rose by more than that
    fraction of the baseline (e.g. 0.25 = 25 % slower); by default latency never fails a run.
    Metrics missing from either run are not regressions.
    """
    names = []
    for d in deltas:
        if d.delta is None or d.baseline is None or not d.gated:
            continue
        if d.higher_is_better:
            if d.delta < -threshold - _EPSILON:
                names.append(d.name)
        elif latency_threshold is not None and d.baseline > 0 and d.delta / d.baseline > latency_threshold + _EPSILON:
            names.append(d.name)
    return names


def judge_deltas(current: JudgeReport | None, baseline: Mapping[str, Any] | None) -> list[MetricDelta]:
    """Deltas of the judge's overall means, when both runs have them (never gated)."""
    now = current.overall.model_dump() if current is not None and current.overall is not None else None
    before = (baseline or {}).get("overall")
    if now is None or not isinstance(before, Mapping):
        return []
    deltas = []
    for name in JUDGE_METRICS:
        b, c = _number(before.get(name)), _number(now.get(name))
        deltas.append(MetricDelta(name=f"judge_{name}", label=JUDGE_LABELS[name], baseline=b, current=c,
                                  delta=None if b is None or c is None else c - b, higher_is_better=True,
                                  gated=False))
    return deltas


def _passed(record: Mapping[str, Any]) -> bool:
    return bool((record.get("verdicts") or {}).get("passed"))


def flipped_questions(
    current: Mapping[str, Mapping[str, Any]], baseline: Mapping[str, Mapping[str, Any]]
) -> list[FlippedQuestion]:
    """Questions (by id, in ``current`` order) in both runs whose ``passed`` verdict changed."""
    flips = []
    for qid, now in current.items():
        before = baseline.get(qid)
        if before is None or _passed(before) == _passed(now):
            continue
        flips.append(FlippedQuestion(
            id=qid, question=str(now.get("question", "")),
            direction="fail_to_pass" if _passed(now) else "pass_to_fail",
            baseline_answer=str(before.get("answer", "")), current_answer=str(now.get("answer", "")),
            baseline_failures=list((before.get("verdicts") or {}).get("failures") or []),
            current_failures=list((now.get("verdicts") or {}).get("failures") or []),
        ))
    return flips


def config_changes(current: Mapping[str, Any], baseline: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Top-level configuration keys whose value differs: ``{key: (baseline, current)}``."""
    keys = sorted(set(current) | set(baseline))
    return {k: (baseline.get(k), current.get(k)) for k in keys if baseline.get(k) != current.get(k)}


def compare(run: EvalRun, baseline: Baseline) -> Comparison:
    """Deltas, flipped questions and configuration changes of ``run`` against ``baseline``."""
    records = {r.question.id: r.record() for r in run.results}
    changes = config_changes(json.loads(json.dumps(run.config, default=str)), baseline.config)
    judged = judge_deltas(run.judge, baseline.judge)
    if judged and run.judge is not None and (baseline.judge or {}).get("judge") != run.judge.judge:
        changes["judge"] = ((baseline.judge or {}).get("judge"), run.judge.judge)
    return Comparison(
        baseline_path=baseline.path,
        deltas=metric_deltas(run.overall, baseline.overall) + judged,
        flipped=flipped_questions(records, baseline.records),
        config_changes=changes,
    )
