"""``assistant eval`` (answers, through the chat's pipeline) and ``assistant eval-retrieval`` (search only).

Both take ``--corpus DIR`` to evaluate on a folder of one's own documents instead of the
configured corpus, through a cached index of that folder (:mod:`assistant.evaluation.corpus`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from assistant.cli.common import console, settings_from, user_errors

if TYPE_CHECKING:
    from assistant.api import Assistant

CORPUS_HELP = ("Evaluate on this folder's documents instead of the configured corpus "
               "(indexed into a cache folder; reruns re-embed only changed files).")


def _holding(corpus: Path | None):  # noqa: ANN202 - a context manager
    """With ``--corpus``: hold the folder's cached index for the whole run (another run on it waits)."""
    from assistant.evaluation.corpus import eval_index_lock

    def waiting() -> None:
        console.print(f"waiting for another evaluation on {corpus} to finish", highlight=False)

    return eval_index_lock(corpus, on_wait=waiting)


def _sync_eval_corpus(bot: Assistant, corpus: Path | None) -> None:
    """With ``--corpus``: sync the folder's cached index with a progress bar and list the skipped files."""
    if corpus is None:
        return
    from assistant.cli.index_cmd import print_report
    from assistant.evaluation.corpus import require_documents, sync_eval_index

    settings = bot.settings
    console.print(f"indexing {settings.corpus.dir} into {settings.index.dir}", highlight=False)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    ) as bar:
        task = bar.add_task("indexing", total=None)
        report = sync_eval_index(
            bot.index, settings,
            progress=lambda done, total, what: bar.update(task, completed=done, total=total, description=what),
        )
    print_report(report)
    require_documents(report, settings.corpus.dir)


def eval_retrieval(
    question_set: Path = typer.Argument(..., exists=True, dir_okay=False, help="A question set, e.g. evals/dev.jsonl."),
    output: Path = typer.Option(Path("eval-results/retrieval.jsonl"), "--output", "-o", help="Per-question JSONL with the ranked contexts."),
    rewrite: bool = typer.Option(None, "--rewrite/--no-rewrite", help="Also search LLM translations of each question (default: setting retrieval.rewrite)."),
    llm: str = typer.Option(None, "--llm", help="LLM backend for --rewrite: local, openai or ollama."),
    corpus: Path = typer.Option(None, "--corpus", exists=True, file_okay=False, help=CORPUS_HELP),
) -> None:
    """Print hit@1, hit@5, MRR@10, source recall and latency, overall and per question language.

    With --rewrite, latency includes the LLM rewrite (cached rewrites cost only the lookup).
    """
    from assistant import Assistant
    from assistant.evaluation.corpus import corpus_overrides, require_passages
    from assistant.evaluation.questions import load_questions
    from assistant.evaluation.retrieval import evaluate_retrieval, write_results

    with user_errors(), _holding(corpus):
        questions = load_questions(question_set)
        settings = settings_from(retrieval__rewrite=rewrite, **corpus_overrides(corpus))
        bot = Assistant(settings, backend=llm)
        _sync_eval_corpus(bot, corpus)
        require_passages(bot.index, bot.settings)
        bot.search("warm-up", k=1)  # load the models before timing
        if bot.settings.retrieval.rewrite is True and bot.rewriter is None:
            console.print(f"[yellow]query rewriting needs an LLM ({bot.llm_notice or 'backend none'}); measuring without it[/yellow]")
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("retrieving", total=None)
            overall, by_language, results = evaluate_retrieval(
                questions, lambda q: bot.search(q, k=10),
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        write_results(output, results)

    policy = bot.settings.retrieval.rewrite
    mode = "without rewriting" if bot.rewriter is None else (
        "with LLM rewriting" if policy is True else "with LLM rewriting of questions not in the documents' main language"
    )  # fmt: skip
    table = Table(title=f"Retrieval on {question_set} ({overall.n} answerable questions, {mode})")
    for col in ("slice", "n", "hit@1", "hit@5", "MRR@10", "source recall@5", "p50 ms", "p95 ms"):
        table.add_column(col, justify="right")
    for name, m in [("all", overall), *by_language.items()]:
        table.add_row(name, str(m.n), f"{m.hit_at_1:.3f}", f"{m.hit_at_5:.3f}", f"{m.mrr_at_10:.3f}",
                      f"{m.source_recall_at_5:.3f}", f"{m.latency_p50_ms:.0f}", f"{m.latency_p95_ms:.0f}")
    console.print(table)
    missed = [r for r in results if r.first_hit_rank is None or r.first_hit_rank > 5]
    for r in missed:
        console.print(f"[yellow]miss@5[/yellow] {r.id}: {r.question}", highlight=False)
    console.print(f"per-question results: {output}")


def eval_answers(
    question_set: Path = typer.Argument(..., exists=True, dir_okay=False, help="A question set, e.g. evals/dev.jsonl."),
    llm: str = typer.Option(None, "--llm", help="Answer backend: local, openai, ollama or none."),
    baseline: Path = typer.Option(None, "--baseline", help="A previous run's output folder to compare with."),
    output: Path = typer.Option(Path("eval-results/latest"), "--output", "-o", help="Folder for results and reports."),
    fail_on_regression: bool = typer.Option(False, "--fail-on-regression", help="Exit 1 when a metric drops."),
    threshold: float = typer.Option(0.02, "--threshold", help="Largest allowed drop of a rate (absolute)."),
    corpus: Path = typer.Option(None, "--corpus", exists=True, file_okay=False, help=CORPUS_HELP),
) -> None:
    """Run every question through the chat's pipeline; print metrics, compare, write reports.

    Interrupted runs resume: answers are cached by question and configuration. With a judge
    configured (ASSISTANT_JUDGE__BACKEND), an LLM also scores faithfulness and answer relevance;
    otherwise that step is skipped with one line. With --corpus, cached answers are reused
    only for the same folder and the same file contents.
    """
    from assistant import Assistant
    from assistant.evaluation.corpus import corpus_overrides
    from assistant.evaluation.questions import load_questions
    from assistant.evaluation.session import evaluate_set

    with user_errors(), _holding(corpus):
        questions = load_questions(question_set)
        settings = settings_from(**corpus_overrides(corpus))
        bot = Assistant(settings, backend=llm)
        _sync_eval_corpus(bot, corpus)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
            console=console, transient=True,
        ) as bar:
            task = bar.add_task("answering", total=len(questions), rate="pass –")
            judging: list = []

            def on_judged(done: int, total: int) -> None:
                if not judging:
                    judging.append(bar.add_task("judging", total=total, rate=""))
                bar.update(judging[0], completed=done)

            outcome = evaluate_set(
                bot, questions, output, baseline, threshold,
                progress=lambda done, total, rate: bar.update(task, completed=done, rate=f"pass {rate:.0%}"),
                judge_progress=on_judged, corpus_dir=corpus,
            )
        run, comparison, reports, dropped = outcome.run, outcome.comparison, outcome.reports, outcome.regressions

    _print_metrics(run, comparison)
    _print_judge(run, comparison)
    console.print(f"results: {output / 'results.jsonl'}; reports: {', '.join(str(p) for p in reports if p.suffix in ('.md', '.html'))}")
    if comparison is not None:
        for flip in comparison.flipped:
            colour = "green" if flip.direction == "fail_to_pass" else "red"
            console.print(f"[{colour}]{flip.direction}[/] {flip.id}: {flip.question}", highlight=False)
            console.print(f"    before: {flip.baseline_answer[:160]}\n    now:    {flip.current_answer[:160]}", highlight=False)
        if dropped:
            console.print(f"[red]regression:[/red] {', '.join(dropped)} dropped by more than {threshold}")
            if fail_on_regression:
                raise typer.Exit(1)


def _print_metrics(run, comparison) -> None:
    from assistant.evaluation.metrics import LABELS

    table = Table(title=f"Answers: {len(run.results)} questions ({run.config.get('backend')})")
    table.add_column("metric")
    table.add_column("value", justify="right")
    if comparison is not None:
        table.add_column("baseline", justify="right")
        table.add_column("Δ", justify="right")
    overall = run.overall.model_dump()
    for name, label in LABELS.items():
        value = overall.get(name)
        if name == "location_accuracy":
            label += f" (n={run.overall.location_n})"
        cells = [label, "–" if value is None else f"{value:.3f}"]
        if comparison is not None:
            d = comparison.delta(name)
            cells += ["–" if not d or d.baseline is None else f"{d.baseline:.3f}",
                      "–" if not d or d.delta is None else f"{d.delta:+.3f}"]
        table.add_row(*cells)
    console.print(table)
    for title, slices in (("language", run.by_language), ("tag", run.by_tag)):
        sub = Table(title=f"By {title}")
        for col in (title, "n", "correct", "citations valid", "refusal recall", "language match"):
            sub.add_column(col, justify="right")
        for key, m in slices.items():
            fmt = lambda v: "–" if v is None else f"{v:.2f}"  # noqa: E731
            sub.add_row(key, str(m.n), fmt(m.correctness), fmt(m.citation_validity), fmt(m.refusal_recall), fmt(m.language_match))
        console.print(sub)


def _print_judge(run, comparison) -> None:
    """The judge's one line; when it ran, its means per language (with Δ to the baseline) and its errors."""
    report = run.judge
    if report is None:
        return
    if report.status != "done" or report.overall is None:
        colour = "red" if report.status == "failed" else "dim"
        console.print(f"[{colour}]{report.message}[/{colour}]", highlight=False)
        return
    console.print(report.message, highlight=False)
    fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
    table = Table(title=f"LLM judge: {report.judge}")
    for col in ("slice", "judged", "errors", "faithfulness", "answer relevance"):
        table.add_column(col, justify="right")
    for key, m in [("all", report.overall), *report.by_language.items()]:
        table.add_row(key, str(m.n), str(m.n_errors), fmt(m.faithfulness), fmt(m.answer_relevance))
    console.print(table)
    if comparison is not None:
        for name in ("judge_faithfulness", "judge_answer_relevance"):
            d = comparison.delta(name)
            if d is not None and d.delta is not None:
                console.print(f"{d.label}: {d.baseline:.3f} → {d.current:.3f} ({d.delta:+.3f}; not gated)", highlight=False)
    for score in report.scores:
        if score.error:
            console.print(f"[yellow]judge error[/yellow] {score.id}: {score.error}", highlight=False)
