"""Run a question set through an answering callable, resumably, and write the results.

Files in the output directory:

* ``cache.jsonl`` — one line per answered question, appended and flushed as soon as the
  answer arrives: ``{"key", "id", "answer"}``. ``key`` is the sha256 of the question's
  JSON and the run's ``config`` (which names the corpus), so an interrupted run resumes where
  it stopped and a changed question, configuration or corpus is asked again. The question's
  ``expected_location`` is left out of the key: it is scored, not asked. A torn last line is ignored.
* ``results.jsonl`` — one line per question, in set order: the ``Answer`` record
  (``Answer.model_dump()``, as ``ask --json`` prints it) plus ``id`` and ``verdicts``.
* ``metrics.json`` — ``{"overall", "by_language", "by_tag", "config"}``, plus, once the optional
  LLM judge has run (:mod:`assistant.evaluation.judge`), ``"judge"`` (its means, or null when it
  was skipped or failed) and ``"judge_reason"`` (its one-line message).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel, ValidationError

from assistant.evaluation.judge_types import JudgeReport
from assistant.evaluation.metrics import Metrics, by_language, by_tag, compute_metrics
from assistant.evaluation.questions import Question
from assistant.evaluation.verdicts import Verdicts, judge
from assistant.types import Answer

AnswerFn = Callable[[Question], Answer]
Progress = Callable[[int, int, float], None]

CACHE_FILE = "cache.jsonl"
RESULTS_FILE = "results.jsonl"
METRICS_FILE = "metrics.json"


class EvalResult(BaseModel):
    """One question, its answer and the verdicts."""

    question: Question
    answer: Answer
    verdicts: Verdicts
    cached: bool = False

    def record(self) -> dict[str, Any]:
        """The ``results.jsonl`` line: the answer record plus ``id`` and ``verdicts``."""
        return {"id": self.question.id, **self.answer.model_dump(mode="json"),
                "verdicts": self.verdicts.model_dump(mode="json")}


class EvalRun(BaseModel):
    """A finished run: per-question results (set order), metrics and the configuration."""

    results: list[EvalResult]
    overall: Metrics
    by_language: dict[str, Metrics]
    by_tag: dict[str, Metrics]
    config: dict[str, Any]
    judge: JudgeReport | None = None

    @property
    def asked(self) -> int:
        """Questions answered in this invocation (not taken from the cache)."""
        return sum(1 for r in self.results if not r.cached)

    def metrics_document(self) -> dict[str, Any]:
        """The ``metrics.json`` content (``judge`` and ``judge_reason`` only once the judge step ran)."""
        document: dict[str, Any] = {
            "overall": self.overall.model_dump(mode="json"),
            "by_language": {k: m.model_dump(mode="json") for k, m in self.by_language.items()},
            "by_tag": {k: m.model_dump(mode="json") for k, m in self.by_tag.items()},
            "config": self.config,
        }
        if self.judge is not None:
            document["judge"] = self.judge.document()
            document["judge_reason"] = self.judge.message
        return document


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def cache_key(question: Question, config: dict[str, Any]) -> str:
    """sha256 of the question's JSON (without ``expected_location``) and the configuration (key order does not matter)."""
    asked = question.model_dump(mode="json", exclude={"expected_location"})
    payload = _canonical({"question": asked, "config": config})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def load_cache(path: Path) -> dict[str, Answer]:
    """Answers by key; undecodable or invalid lines (a torn write) are skipped; the last line wins."""
    answers: dict[str, Answer] = {}
    if not path.exists():
        return answers
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
            answers[entry["key"]] = Answer.model_validate(entry["answer"])
        except (json.JSONDecodeError, KeyError, TypeError, ValidationError):
            continue
    return answers


def _open_for_append(path: Path) -> TextIO:
    """Open the cache for appending, first ending a torn last line so the next entry starts cleanly."""
    needs_newline = False
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as existing:
            existing.seek(-1, os.SEEK_END)
            needs_newline = existing.read(1) != b"\n"
    handle = path.open("a", encoding="utf-8")
    if needs_newline:
        handle.write("\n")
    return handle


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_run(run: EvalRun, output: Path) -> None:
    """Write ``results.jsonl`` and ``metrics.json`` (each replaced atomically)."""
    output.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(r.record(), ensure_ascii=False) + "\n" for r in run.results)
    _write_atomic(output / RESULTS_FILE, lines)
    document = json.dumps(run.metrics_document(), ensure_ascii=False, indent=2, default=str)
    _write_atomic(output / METRICS_FILE, document + "\n")


def build_run(results: Sequence[EvalResult], config: dict[str, Any]) -> EvalRun:
    """Aggregate per-question results into an ``EvalRun``."""
    scored = [(r.question, r.answer, r.verdicts) for r in results]
    return EvalRun(results=list(results), overall=compute_metrics(scored), by_language=by_language(scored),
                   by_tag=by_tag(scored), config=dict(config))


def run_eval(
    questions: Sequence[Question],
    answer_fn: AnswerFn,
    output: Path,
    config: dict[str, Any],
    progress: Progress | None = None,
) -> EvalRun:
    """Answer every question in set order (reusing cached answers), judge, aggregate and write the files.

    ``progress(done, total, running_pass_rate)`` is called after each question. An exception
    from ``answer_fn`` propagates; the answers obtained before it stay in the cache.
    """
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    cache_path = output / CACHE_FILE
    cached = load_cache(cache_path)
    results: list[EvalResult] = []
    passed = 0
    with _open_for_append(cache_path) as cache:
        for done, question in enumerate(questions, start=1):
            key = cache_key(question, config)
            answer = cached.get(key)
            from_cache = answer is not None
            if answer is None:
                answer = answer_fn(question)
                entry = {"key": key, "id": question.id, "answer": answer.model_dump(mode="json")}
                cache.write(json.dumps(entry, ensure_ascii=False) + "\n")
                cache.flush()
                cached[key] = answer
            verdicts = judge(question, answer)
            results.append(EvalResult(question=question, answer=answer, verdicts=verdicts, cached=from_cache))
            passed += verdicts.passed
            if progress is not None:
                progress(done, len(questions), passed / done)
    run = build_run(results, config)
    write_run(run, output)
    return run
