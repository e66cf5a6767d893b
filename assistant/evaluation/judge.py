"""The optional LLM judge of a finished run: faithfulness and answer relevance of the answered questions.

:func:`judge_run` sends every answered (not refused) question to the judge configured in
``settings.judge`` (see :class:`~assistant.settings.JudgeSettings`); with ``backend: none``
(the default) it returns a "skipped" report at once, and the deterministic metrics never
depend on it. Metrics come from ragas (:mod:`assistant.evaluation.ragas_judge`, the
``judge`` extra).

Files in the run's output directory:

* ``judge-cache.jsonl`` — one line per metric value obtained: ``{"key", "id", "metric", "value"}``,
  appended and flushed at once. ``key`` is the sha256 of the question, the answer, its contexts,
  the metric and the judge configuration, so a rerun asks only what changed or failed before
  (failures are not cached).
* ``judge.jsonl`` — one :class:`~assistant.evaluation.judge_types.JudgeScore` per judged question.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ModelError
from assistant.evaluation.judge_types import (
    JUDGE_METRICS,
    JudgeReport,
    JudgeScore,
    summarise,
    summarise_by_language,
)
from assistant.evaluation.runner import EvalResult, EvalRun, _canonical, _open_for_append, _write_atomic
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models.chat_models import BaseChatModel

    from assistant.evaluation.ragas_judge import RagasJudge

JudgeProgress = Callable[[int, int], None]

JUDGE_CACHE_FILE = "judge-cache.jsonl"
JUDGE_FILE = "judge.jsonl"
SKIPPED = (
    "LLM judge: skipped (no judge configured; set ASSISTANT_JUDGE__BACKEND=openai with "
    "ASSISTANT_JUDGE__BASE_URL and ASSISTANT_JUDGE__MODEL, or local/ollama, to enable)"
)
NOT_INSTALLED = "ragas is not installed; install the judge extra: pip install -e '.[judge]'"


def judge_settings(settings: Settings) -> Settings:
    """A copy of ``settings`` whose ``settings.judge.backend`` section carries the judge's overrides."""
    j = settings.judge
    if j.backend == "openai":
        section: Any = settings.openai
        update: dict[str, Any] = {"max_tokens": j.max_tokens, "temperature": j.temperature}
        if j.base_url:
            update["base_url"] = j.base_url
        if j.api_key is not None:
            update["api_key"] = j.api_key
        if j.timeout_s is not None:
            update["timeout_s"] = j.timeout_s
    elif j.backend == "ollama":
        section, update = settings.ollama, {"temperature": j.temperature}
        if j.base_url:
            update["base_url"] = j.base_url
    elif j.backend == "local":
        section, update = settings.local, {"max_tokens": j.max_tokens, "temperature": j.temperature}
    else:
        return settings
    if j.model:
        update["model"] = j.model
    return settings.model_copy(update={j.backend: section.model_copy(update=update)})


def _build_model(settings: Settings) -> tuple[BaseChatModel, str]:
    from assistant.models.llm import build_chat_model, llm_label

    copy = judge_settings(settings)
    model = build_chat_model(copy, settings.judge.backend)
    if model is None:  # pragma: no cover - backend none is handled before
        raise ModelError("judge backend 'none' has no model")
    return model, llm_label(copy, settings.judge.backend)


def _default_embeddings(settings: Settings) -> Callable[[], Embeddings]:
    def load() -> Embeddings:
        from assistant.models.embeddings import build_embeddings

        return build_embeddings(settings.embedding)

    return load


def _load_cache(path: Path) -> dict[str, float | None]:
    values: dict[str, float | None] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
                value = entry["value"]
                values[str(entry["key"])] = None if value is None else float(value)
            except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                continue  # a torn last line
    return values


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 240 else text[:239] + "…"


class _Scorer:
    """Scores one result with every judge metric, through the cache; a failed metric becomes an error note."""

    def __init__(self, judge: RagasJudge, config: dict[str, Any], cache: dict[str, float | None], sink: Any) -> None:
        self.judge, self.config, self.cache, self.sink = judge, config, cache, sink

    def _compute(self, metric: str, result: EvalResult) -> float | None:
        question, answer = result.question.question, result.answer.answer
        if metric == "faithfulness":
            return self.judge.faithfulness(question, answer, [c.text for c in result.answer.contexts])
        return self.judge.answer_relevance(question, answer)

    def score(self, result: EvalResult) -> JudgeScore:
        values: dict[str, float | None] = {}
        errors: list[str] = []
        cached = True
        for metric in JUDGE_METRICS:
            payload = {"id": result.question.id, "question": result.question.question, "answer": result.answer.answer,
                       "contexts": [c.text for c in result.answer.contexts], "metric": metric, "judge": self.config}
            key = hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()
            if key in self.cache:
                values[metric] = self.cache[key]
                continue
            cached = False
            try:
                values[metric] = value = self._compute(metric, result)
            except Exception as exc:  # noqa: BLE001 - one question's failure is recorded, never fatal
                values[metric] = None
                errors.append(f"{metric.replace('_', ' ')}: {_one_line(exc)}")
                continue
            self.cache[key] = value
            entry = {"key": key, "id": result.question.id, "metric": metric, "value": value}
            self.sink.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self.sink.flush()
        return JudgeScore(id=result.question.id, language=result.question.language, cached=cached,
                          error="; ".join(errors) or None, **values)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _message(report: JudgeReport) -> str:
    o = report.overall
    if o is None or o.n == 0:
        return f"LLM judge ({report.judge}): no answered questions to judge"
    errors = f"; {o.n_errors} with errors" if o.n_errors else ""
    return (f"LLM judge ({report.judge}, {report.library}): faithfulness {_fmt(o.faithfulness)}, "
            f"answer relevance {_fmt(o.answer_relevance)} over {o.n} answered questions{errors}")


def judge_run(
    run: EvalRun,
    settings: Settings,
    output: Path,
    progress: JudgeProgress | None = None,
    model: BaseChatModel | None = None,
    embeddings: Callable[[], Embeddings] | None = None,
) -> JudgeReport:
    """Judge the answered questions of ``run``; write ``judge.jsonl``; never raise for a judge problem.

    ``model`` replaces the configured judge model (then ``settings.judge.backend`` may be none);
    ``embeddings`` returns the embedder for answer relevance (default: the configured embedding
    model). Returns status ``skipped`` when no judge is configured, ``failed`` when the judge
    cannot start (library missing, model not buildable), else ``done``; errors on single
    questions are recorded in the scores. ``progress(done, total)`` follows each question.
    """
    if model is None and settings.judge.backend == "none":
        return JudgeReport(status="skipped", message=SKIPPED)
    try:
        from assistant.evaluation.ragas_judge import RagasJudge
    except ImportError as exc:
        return JudgeReport(status="failed", message=f"LLM judge: failed to start ({NOT_INSTALLED}: {exc})")
    try:
        model, label = (model, f"{type(model).__name__} (given)") if model is not None else _build_model(settings)
    except ModelError as exc:
        return JudgeReport(status="failed", message=f"LLM judge: failed to start ({_one_line(exc)})")
    judge = RagasJudge(model, embeddings or _default_embeddings(settings), settings.judge.relevance_questions)
    config = {"judge": label, "library": judge.library, "temperature": settings.judge.temperature,
              "max_tokens": settings.judge.max_tokens, "relevance_questions": settings.judge.relevance_questions,
              "embedding": settings.embedding.model}
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    cache_path = output / JUDGE_CACHE_FILE
    answered = [r for r in run.results if not r.answer.refused]
    scores: list[JudgeScore] = []
    with _open_for_append(cache_path) as sink:
        scorer = _Scorer(judge, config, _load_cache(cache_path), sink)
        for done, result in enumerate(answered, start=1):
            scores.append(scorer.score(result))
            if progress is not None:
                progress(done, len(answered))
    _write_atomic(output / JUDGE_FILE, "".join(s.model_dump_json() + "\n" for s in scores))
    report = JudgeReport(status="done", message="", judge=label, library=judge.library, scores=scores,
                         overall=summarise(scores), by_language=summarise_by_language(scores))
    report.message = _message(report)
    return report
