"""One evaluation run as the CLI and the web UI both perform it: answer, compare, write reports.

:func:`run_config` describes everything that changes answers (the cache key of a run),
including the corpus (a hash of its files' contents); :func:`evaluate_set` adds ``corpus_dir``,
the folder's absolute path, for a run on a folder of one's own (``assistant eval --corpus DIR``).
:func:`evaluate_set` composes :func:`~assistant.evaluation.runner.run_eval`, the optional
LLM judge (:func:`~assistant.evaluation.judge.judge_run`, skipped unless configured),
:func:`~assistant.evaluation.compare.compare` and
:func:`~assistant.evaluation.report.write_reports`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.evaluation.compare import Comparison, compare, load_baseline, regressions
from assistant.evaluation.corpus import require_passages
from assistant.evaluation.judge import JudgeProgress, judge_run
from assistant.evaluation.questions import Question
from assistant.evaluation.report import write_reports
from assistant.evaluation.runner import EvalRun, Progress, run_eval, write_run

if TYPE_CHECKING:
    from assistant.api import Assistant


def run_config(bot: Assistant) -> dict[str, Any]:
    """Everything that changes answers, so cached answers are reused only for the same setup."""
    from assistant.answer.prompts import default_prompts_dir
    from assistant.models.embeddings import model_version
    from assistant.models.llm import llm_label

    prompts = hashlib.sha256()
    for path in sorted(default_prompts_dir().glob("*")):
        prompts.update(path.name.encode() + path.read_bytes())
    corpus = hashlib.sha256("".join(sorted(r.hash for r in bot.documents().values())).encode()).hexdigest()
    s = bot.settings
    return {
        "backend": bot.mode,
        "llm": llm_label(s, bot.backend) if bot.mode != "extractive" else "extractive",
        "embedding": model_version(s.embedding),
        "prompts": prompts.hexdigest()[:16],
        "corpus": corpus[:16],
        "retrieval": s.retrieval.model_dump(mode="json"),
        "answer": s.answer.model_dump(mode="json"),
    }


@dataclass
class EvalOutcome:
    """A finished evaluation: the run, the comparison with a baseline (if any) and the report files."""

    run: EvalRun
    comparison: Comparison | None
    reports: list[Path]
    regressions: list[str] = field(default_factory=list)


def evaluate_set(
    bot: Assistant,
    questions: Sequence[Question],
    output: Path,
    baseline: Path | None = None,
    threshold: float = 0.02,
    progress: Progress | None = None,
    judge_progress: JudgeProgress | None = None,
    corpus_dir: Path | None = None,
) -> EvalOutcome:
    """Answer ``questions`` through ``bot`` (the chat's pipeline), judge, compare with ``baseline``, write reports.

    ``progress(done, total, running_pass_rate)`` is called after each question, and
    ``judge_progress(done, total)`` after each judged one (only when a judge is configured).
    The deterministic metrics are computed before, and independently of, the judge; the
    judge's result is ``outcome.run.judge`` (status ``skipped`` when none is configured).
    ``regressions`` lists the metrics that dropped by more than ``threshold``. ``corpus_dir`` names
    the folder ``bot`` was indexed from when it is not the configured corpus (see :func:`run_config`).
    """
    require_passages(bot.index, bot.settings)
    config = run_config(bot)
    if corpus_dir is not None:  # only then: the configured corpus keeps the cache keys of earlier runs
        config["corpus_dir"] = str(Path(corpus_dir).resolve())
    run = run_eval(questions, lambda q: bot.ask(q.question), output, config, progress=progress)
    run.judge = judge_run(run, bot.settings, output, progress=judge_progress, embeddings=lambda: bot.index.embeddings)
    write_run(run, output)  # metrics.json gains the judge block
    comparison = compare(run, load_baseline(baseline)) if baseline else None
    reports = write_reports(run, output, comparison)
    dropped = regressions(comparison.deltas, threshold) if comparison is not None else []
    return EvalOutcome(run=run, comparison=comparison, reports=reports, regressions=dropped)
