"""``assistant eval`` (answers, through the chat's pipeline) and ``assistant eval-retrieval`` (search only)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from assistant.cli.common import console, settings_from, user_errors


def eval_retrieval(
    question_set: Path = typer.Argument(..., exists=True, dir_okay=False, help="A question set, e.g. evals/dev.jsonl."),
    output: Path = typer.Option(Path("eval-results/retrieval.jsonl"), "--output", "-o", help="Per-question JSONL with the ranked contexts."),
) -> None:
    """Print hit@1, hit@5, MRR@10, source recall and latency, overall and per question language."""
    from assistant.evaluation.questions import load_questions
    from assistant.evaluation.retrieval import evaluate_retrieval, write_results
    from assistant.index import open_index
    from assistant.retrieval import search

    with user_errors():
        settings = settings_from()
        questions = load_questions(question_set)
        index = open_index(settings)
        search(index, "warm-up", k=1)  # load the model before timing
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("retrieving", total=None)
            overall, by_language, results = evaluate_retrieval(
                questions, lambda q: search(index, q, k=10, weights=settings.retrieval.fusion),
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        write_results(output, results)

    table = Table(title=f"Retrieval on {question_set} ({overall.n} answerable questions)")
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
) -> None:
    """Run every question through the chat's pipeline; print metrics, compare, write reports.

    Interrupted runs resume: answers are cached by question and configuration.
    """
    from assistant import Assistant
    from assistant.evaluation.questions import load_questions
    from assistant.evaluation.session import evaluate_set

    with user_errors():
        questions = load_questions(question_set)
        bot = Assistant(settings_from(), backend=llm)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("pass {task.fields[rate]}"),
            console=console, transient=True,
        ) as bar:
            task = bar.add_task("answering", total=len(questions), rate="–")
            outcome = evaluate_set(
                bot, questions, output, baseline, threshold,
                progress=lambda done, total, rate: bar.update(task, completed=done, rate=f"{rate:.0%}"),
            )
        run, comparison, reports, dropped = outcome.run, outcome.comparison, outcome.reports, outcome.regressions

    _print_metrics(run, comparison)
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
