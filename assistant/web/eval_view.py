"""What the Evaluation tab shows, without Gradio: sets and baselines on disk, set checks, escaped report pieces.

Every run text (questions, answers, regexes, file names) goes through
:func:`~assistant.web.sources.esc` or :func:`~assistant.web.sources.html_table`.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import QuestionSetError
from assistant.evaluation.compare import Comparison
from assistant.evaluation.judge_types import JudgeReport
from assistant.evaluation.metrics import HIGHER_IS_BETTER, LABELS, LOWER_IS_BETTER
from assistant.evaluation.questions import Question, load_questions
from assistant.evaluation.runner import METRICS_FILE, EvalRun
from assistant.evaluation.session import EvalOutcome
from assistant.uploads import UploadRejected, check_size
from assistant.web.i18n import VI, t
from assistant.web.sources import esc, html_table

THRESHOLD = 0.02  # largest allowed drop of a rate, as in `assistant eval --threshold`
DRAFTS = "drafts.jsonl"  # draft cases from feedback: not valid questions until someone writes their facts
DOWNLOADS = ("results.jsonl", "metrics.json", "report.html", "report.md")
PLOTS = ("metrics", "languages", "latency")  # report.PLOT_FILES, in display order
ANSWER_CHARS = 600
RECENT_RUNS = 30
# Reasons from assistant.evaluation.verdicts.judge, by prefix; anything else is shown as written.
_REASONS = (
    ("answer lacks expected fact(s): ", "eval.why.facts"),
    ("answered a question the corpus cannot answer", "eval.why.should_refuse"),
    ("refused an answerable question", "eval.why.refused"),
    ("no verified citation", "eval.why.citation"),
    ("no citations", "eval.why.no_citations"),
)


class SetRejected(Exception):
    """A question set that cannot be run; the message is for the user, in their language."""


def question_sets(folder: Path) -> list[str]:
    """Names of the ``*.jsonl`` question sets in ``folder`` (not hidden files, not the feedback drafts)."""
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.glob("*.jsonl") if p.is_file() and not p.name.startswith(".") and p.name != DRAFTS
    )


def baselines(evals_dir: Path, runs_dir: Path) -> dict[str, Path]:
    """Runs to compare with, ``key -> folder``: saved baselines first, then previous runs, newest first."""

    def runs(folder: Path) -> list[Path]:
        return [p for p in folder.iterdir() if (p / METRICS_FILE).is_file()] if folder.is_dir() else []

    saved = sorted(runs(evals_dir / "baselines"), key=lambda p: p.name)
    previous = sorted(runs(runs_dir), key=lambda p: p.name, reverse=True)[:RECENT_RUNS]
    return {f"baselines/{p.name}": p for p in saved} | {f"runs/{p.name}": p for p in previous}


def check_question_set(path: Path, name: str, max_mb: float, lang: str) -> list[Question]:
    """The questions of a set, or SetRejected naming the file (and the line, for a bad line)."""
    if Path(name).suffix.lower() != ".jsonl":
        raise SetRejected(t(lang, "eval.bad_type", name=name))
    try:
        check_size(name, path.stat().st_size, max_mb)
        questions = load_questions(path)
    except UploadRejected as exc:
        raise SetRejected(t(lang, f"upload.{exc.code}", name=name, **exc.detail)) from None
    except QuestionSetError as exc:
        raise SetRejected(t(lang, "eval.bad_line", name=name, line=exc.line, reason=exc.reason)) from None
    if not questions:
        raise SetRejected(t(lang, "eval.empty_set", name=name))
    return questions


def new_run_dir(runs_dir: Path, set_name: str, backend: str, now: datetime | None = None) -> Path:
    """A fresh folder ``<time>-<set>-<backend>`` under ``runs_dir`` (suffixed when the name is taken)."""
    stamp = f"{now or datetime.now(UTC):%Y%m%d-%H%M%S}"
    slug = "-".join(
        re.sub(r"[^A-Za-z0-9_.]+", "-", part).strip("-.")[:40] or "x" for part in (Path(set_name).stem, backend)
    )
    runs_dir.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        folder = runs_dir / (f"{stamp}-{slug}" + (f"-{n}" if n > 1 else ""))
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise FileExistsError(f"no free run folder under {runs_dir}")


# Run folders are named by new_run_dir: "<YYYYmmdd-HHMMSS>-<set>-<backend>[-n]".
_RUN_FOLDER = re.compile(r"^\d{8}-\d{6}-")


def prune_runs(runs_dir: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest run folders under ``runs_dir``; returns what was removed.

    Only folders named like :func:`new_run_dir`'s are touched; ``keep`` ≤ 0 keeps everything.
    """
    if keep <= 0 or not runs_dir.is_dir():
        return []
    runs = sorted((p for p in runs_dir.iterdir() if p.is_dir() and _RUN_FOLDER.match(p.name)), key=lambda p: p.name)
    removed = runs[: max(len(runs) - keep, 0)]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def metric_name(lang: str, name: str) -> str:
    return t(lang, f"eval.m.{name}") if f"eval.m.{name}" in VI else LABELS.get(name, name)


def _number(name: str, value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    digits = 0 if name in LOWER_IS_BETTER else 3
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def metrics_table(lang: str, outcome: EvalOutcome) -> str:
    """Every metric, with baseline and Δ columns when there is a baseline; regressed Δ carry ⚠️.

    Deltas of metrics outside the standard set (an LLM judge's means) follow, labelled as compared.
    """
    run, comparison = outcome.run, outcome.comparison
    headers = [t(lang, "eval.col.metric"), t(lang, "eval.col.value")]
    if comparison is not None:
        headers += [t(lang, "eval.col.baseline"), t(lang, "eval.col.delta")]
    current, rows = run.overall.model_dump(), []
    for name in (*HIGHER_IS_BETTER, *LOWER_IS_BETTER):
        row = [metric_name(lang, name), _number(name, current.get(name))]
        if comparison is not None:
            d = comparison.delta(name)
            flag = " ⚠️" if name in outcome.regressions else ""
            row += [_number(name, d.baseline if d else None), _number(name, d.delta if d else None, signed=True) + flag]
        rows.append(row)
    known = {*HIGHER_IS_BETTER, *LOWER_IS_BETTER}
    for d in comparison.deltas if comparison is not None else []:  # others, e.g. an LLM judge's (never gated)
        if d.name not in known:
            rows.append([d.label, _number(d.name, d.current), _number(d.name, d.baseline),
                         _number(d.name, d.delta, signed=True)])  # fmt: skip
    m = run.overall
    title = t(lang, "eval.h.metrics", n=m.n, answerable=m.n_answerable, refuse=m.n_should_refuse)
    return f"<h4>{esc(title)}</h4>" + html_table(headers, rows)


def regression_banner(lang: str, outcome: EvalOutcome) -> str:
    """A red alert listing the metrics that dropped, a green line when none did, nothing without a baseline."""
    if outcome.comparison is None:
        return ""
    baseline = outcome.comparison.baseline_path.name
    if outcome.regressions:
        text = t(lang, "eval.regression", baseline=baseline, threshold=THRESHOLD,
                 metrics=", ".join(metric_name(lang, n) for n in outcome.regressions))  # fmt: skip
        return f'<div class="p2-regression" role="alert">{esc(text)}</div>'
    return f'<div class="p2-no-regression">{esc(t(lang, "eval.no_regression", baseline=baseline, threshold=THRESHOLD))}</div>'


def failure_text(lang: str, reason: str) -> str:
    """A verdict's failure reason in ``lang`` (unknown reasons as written)."""
    for prefix, key in _REASONS:
        if reason.startswith(prefix):
            return t(lang, key, facts=reason[len(prefix) :])
    return reason


def _short(text: str, limit: int = ANSWER_CHARS) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + " …"


def failing_rows(lang: str, run: EvalRun) -> list[list[str]]:
    """id, question, expected facts, answer, why it failed — for each question that did not pass."""
    return [
        [r.question.id, r.question.question,
         "; ".join(r.question.expected_facts) or t(lang, "eval.should_refuse"),
         _short((t(lang, "eval.refused") + " " if r.answer.refused else "") + r.answer.answer),
         "; ".join(failure_text(lang, reason) for reason in r.verdicts.failures)]
        for r in run.results if not r.verdicts.passed
    ]  # fmt: skip


def _section(title: str, headers: list[str], rows: list[list[str]], lang: str) -> str:
    body = html_table(headers, rows) if rows else f"<p>{esc(t(lang, 'eval.none'))}</p>"
    return f"<h4>{esc(title)}</h4>{body}"


def failing_table(lang: str, run: EvalRun) -> str:
    rows = failing_rows(lang, run)
    headers = [t(lang, f"eval.col.{c}") for c in ("id", "question", "facts", "answer", "why")]
    return _section(t(lang, "eval.h.failing", n=len(rows)), headers, rows, lang)


def flipped_table(lang: str, comparison: Comparison | None) -> str:
    if comparison is None:
        return ""
    rows = [
        [f.id, t(lang, f"eval.{f.direction}"), f.question, _short(f.baseline_answer), _short(f.current_answer),
         "; ".join(failure_text(lang, r) for r in (f.current_failures or f.baseline_failures))]
        for f in comparison.flipped
    ]  # fmt: skip
    headers = [t(lang, f"eval.col.{c}") for c in ("id", "flip", "question", "before", "now", "why")]
    return _section(t(lang, "eval.h.flipped", n=len(rows)), headers, rows, lang)


def plot_items(lang: str, output: Path) -> list[tuple[str, str]]:
    """(PNG path, caption) of the plots written into ``output``."""
    return [(str(output / f"{p}.png"), t(lang, f"eval.plot.{p}")) for p in PLOTS if (output / f"{p}.png").is_file()]


def download_files(output: Path) -> list[str]:
    return [str(output / name) for name in DOWNLOADS if (output / name).is_file()]


def summary(lang: str, outcome: EvalOutcome, set_name: str, output: Path) -> str:
    run = outcome.run
    passed = sum(r.verdicts.passed for r in run.results)
    rate = f"{run.overall.pass_rate:.0%}" if run.overall.pass_rate is not None else "–"
    backend = str(run.config.get("backend", "?"))
    backend = t(lang, f"mode.{backend}") if f"mode.{backend}" in VI else backend  # "extractive": in words
    text = t(lang, "eval.done", n=len(run.results), name=set_name, backend=backend,
             passed=passed, rate=rate, folder=output)  # fmt: skip
    if run.judge is not None:  # the judge's one line: its means, or why it was skipped or failed
        return status_html(text) + status_html(judge_text(lang, run.judge))
    return status_html(text)


def judge_text(lang: str, report: JudgeReport) -> str:
    """The LLM judge's line in ``lang``, from the report's fields (its ``message`` is the CLI's, in English)."""
    if report.status == "skipped":
        return t(lang, "eval.judge.skipped")
    if report.status == "failed":  # "LLM judge: failed to start (<the error, as raised>)"
        reason = report.message.partition("(")[2].rpartition(")")[0] or report.message
        return t(lang, "eval.judge.failed", reason=reason)
    overall = report.overall
    if overall is None or overall.n == 0:
        return t(lang, "eval.judge.empty", judge=report.judge)
    errors = t(lang, "eval.judge.errors", n=overall.n_errors) if overall.n_errors else ""
    return t(lang, "eval.judge.done", judge=report.judge, faithfulness=_score(overall.faithfulness),
             relevance=_score(overall.answer_relevance), n=overall.n, errors=errors)  # fmt: skip


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def progress_reporter(progress: Callable[..., Any], lang: str) -> Callable[[int, int, float | None], None]:
    """Report ``(done, total, running pass rate)`` to a ``gr.Progress``: a done/total bar, the pass rate as text."""

    def report(done: int, total: int, rate: float | None) -> None:
        shown = "–" if rate is None else f"{rate:.0%}"
        progress((done, total), desc=t(lang, "eval.progress", rate=shown), unit=t(lang, "eval.unit"))

    return report


def judge_reporter(progress: Callable[..., Any], lang: str) -> Callable[[int, int], None]:
    """Report ``(done, total)`` of the LLM judge (after the answers; only when a judge is configured)."""

    def report(done: int, total: int) -> None:
        progress((done, total), desc=t(lang, "eval.judging"), unit=t(lang, "eval.unit"))

    return report


def status_html(text: str) -> str:
    return f'<div class="p2-eval-status">{esc(text)}</div>' if text else ""
