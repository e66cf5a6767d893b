"""Sweep the sentence-scoring settings on the development sets (extractive answers).

Retrieval does not depend on these settings, so each question is retrieved once and every
setting combination re-scores the same passages. Only development sets may be swept: the
held-out set is run once, at the end, with ``assistant eval`` (docs/answers.md).

    .venv/bin/python benchmarks/scoring_sweep.py \\
        --set evals/dev.jsonl --set evals/vi-docs-dev.jsonl=evals/fixtures/vi-docs \\
        --grid dense_weight=0.3,0.5,0.7 --grid min_support=0.25,0.3,0.35

A set given as ``SET=DIR`` is answered over DIR's documents (its cached evaluation index).
Prints one row per combination: correct with a verified citation, answerable refused,
unanswerable refused, location accuracy, per set and pooled.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant import Assistant  # noqa: E402
from assistant.cli.common import settings_from  # noqa: E402
from assistant.evaluation.corpus import corpus_overrides, sync_eval_index  # noqa: E402
from assistant.evaluation.questions import Question, load_questions  # noqa: E402
from assistant.evaluation.verdicts import judge  # noqa: E402
from assistant.retrieval.glossary import use_glossary  # noqa: E402
from assistant.settings import ScoringSettings  # noqa: E402
from benchmarks.sweep_grid import parse_grid  # noqa: E402

console = Console()


def _bot(corpus: Path | None) -> Assistant:
    settings = settings_from(**corpus_overrides(corpus))
    bot = Assistant(settings, backend="none")
    if corpus is not None:
        sync_eval_index(bot.index, settings)
    return bot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", required=True, help="SET.jsonl or SET.jsonl=CORPUS_DIR")
    parser.add_argument("--grid", action="append", default=[], help="field=v1,v2 of ScoringSettings")
    parser.add_argument("--show-failures", action="store_true", help="List failing questions of the first combination")
    args = parser.parse_args()
    if any("heldout" in s for s in args.set):
        parser.error("the held-out set is never swept")

    sets: list[tuple[str, Assistant, list[Question]]] = []
    for spec in args.set:
        path, _, corpus = spec.partition("=")
        bot = _bot(Path(corpus) if corpus else None)
        sets.append((Path(path).stem, bot, load_questions(Path(path))))

    grid = parse_grid(ScoringSettings, args.grid)
    names = list(grid)
    table = Table(title="Sentence-scoring sweep (extractive)")
    for col in [*names, "set", "correct+verified", "answerable refused", "unanswerable refused", "location"]:
        table.add_column(col, justify="right")
    retrieved: dict[tuple[str, str], list] = {}
    for n, combo in enumerate(itertools.product(*grid.values()) if grid else [()]):
        pooled = [0, 0, 0, 0, 0, 0, 0, 0]
        for label, bot, questions in sets:
            use_glossary(bot.glossary)  # each corpus its own (the glossary in force is per process)
            base = bot.settings.answer
            scoring = base.scoring.model_copy(update=dict(zip(names, combo)))
            bot.settings.answer = base.model_copy(update={"scoring": scoring})
            answerer = bot.answerer()
            search = answerer.retrieve
            answerer.retrieve = lambda q, label=label, search=search: retrieved.setdefault((label, q), search(q))
            good = refused_ok = refused_bad = answerable = unanswerable = loc_ok = loc_n = 0
            for q in questions:
                answer = answerer.ask(q.question)
                v = judge(q, answer)
                if q.should_refuse:
                    unanswerable += 1
                    refused_ok += answer.refused
                else:
                    answerable += 1
                    good += v.passed
                    refused_bad += answer.refused
                    if q.expected_location is not None:
                        loc_n += 1
                        loc_ok += bool(v.location_correct)
                    if n == 0 and args.show_failures and not v.passed:
                        console.print(f"[yellow]{label} {q.id}[/yellow] {q.question} -> {v.failures}", highlight=False)
                if n == 0 and args.show_failures and q.should_refuse and not answer.refused:
                    console.print(f"[red]{label} {q.id}[/red] {q.question} answered", highlight=False)
            bot.settings.answer = base
            for i, x in enumerate((good, answerable, refused_bad, answerable, refused_ok, unanswerable, loc_ok, loc_n)):
                pooled[i] += x
            table.add_row(*map(str, combo), label, f"{good / max(answerable, 1):.3f}",
                          f"{refused_bad}/{answerable}", f"{refused_ok}/{unanswerable}", f"{loc_ok}/{loc_n}")
        table.add_row(*map(str, combo), "pooled", f"{pooled[0] / max(pooled[1], 1):.3f}",
                      f"{pooled[2]}/{pooled[3]}", f"{pooled[4]}/{pooled[5]}", f"{pooled[6]}/{pooled[7]}",
                      end_section=True)
    console.print(table)


if __name__ == "__main__":
    main()
