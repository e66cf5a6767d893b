"""``assistant eval-retrieval``: retrieval metrics of the search pipeline on a question set."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress
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
