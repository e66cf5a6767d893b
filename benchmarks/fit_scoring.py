"""Fit the sentence-scoring model (``answer.scoring.model``) on the development sets.

Every sentence of the passages retrieved for a development question becomes one example:
its signals (coverage, the embedding model's similarity, same language or not, whether it
can supply the kind of answer asked for, its passage rank) and a label: it comes from an
expected source and matches one of the question's expected facts. A logistic regression
(L2-regularised, plain numpy) is fitted; the coefficients are printed as the YAML to put in
a config file or in the settings' defaults, with how often the best-scored sentence of an
answerable question is a labelled one, and the score of the best sentence for answerable
and unanswerable questions (to place ``min_support``).

    .venv/bin/python benchmarks/fit_scoring.py --set evals/dev.jsonl \\
        --set evals/vi-docs-dev.jsonl=evals/fixtures/vi-docs

The held-out set is refused: it is run once, at the end, with ``assistant eval``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant import Assistant  # noqa: E402
from assistant.answer.contexts import build_contexts  # noqa: E402
from assistant.answer.extractive import Candidate, analyse, features, rescore  # noqa: E402
from assistant.cli.common import settings_from  # noqa: E402
from assistant.evaluation.corpus import corpus_overrides, sync_eval_index  # noqa: E402
from assistant.evaluation.questions import load_questions  # noqa: E402
from assistant.language import detect_language  # noqa: E402
from assistant.retrieval import expand_context  # noqa: E402
from assistant.retrieval.glossary import use_glossary  # noqa: E402
from assistant.settings import ScoringSettings  # noqa: E402

console = Console()
def _rows(candidates: list) -> list[list[float]]:
    """The model's inputs for each candidate, exactly as :func:`~assistant.answer.extractive.combine` reads them."""
    if not candidates:
        return []
    best_cov = max(c.coverage for c in candidates)
    sims = [c.similarity for c in candidates if c.similarity is not None]
    best_sim = max(sims) if sims else None
    default = ScoringSettings().default_similarity
    return [list(features(c, best_cov, best_sim, default).values()) for c in candidates]


def collect(specs: list[str]) -> list[dict]:
    """One record per question: its set, whether it should be refused, its candidates and their labels."""
    records = []
    for spec in specs:
        path, _, corpus = spec.partition("=")
        settings = settings_from(**corpus_overrides(Path(corpus) if corpus else None))
        bot = Assistant(settings, backend="none")
        if corpus:
            sync_eval_index(bot.index, settings)
        use_glossary(bot.glossary)
        a = settings.answer
        for q in load_questions(Path(path)):
            hits = bot.search(q.question, k=max(a.contexts * 3, 10))
            evidence = build_contexts(hits, lambda c: expand_context(bot.index, c, a.context_window),  # noqa: B023
                                      a.contexts, a.max_context_chars)
            contexts = [e.context for e in evidence]
            analysis = analyse(q.question, contexts, detect_language(q.question), a.scoring, bot.similarity)
            labels = [
                not q.should_refuse and q.source_matches(contexts[c.index].source)
                and any(re.search(p, c.text, re.IGNORECASE) for p in q.expected_facts)
                for c in analysis.candidates
            ]
            records.append({"set": Path(path).stem, "id": q.id, "refuse": q.should_refuse,
                            "candidates": analysis.candidates, "labels": labels, "missing": bool(analysis.missing)})
    return records


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 4000, lr: float = 0.5) -> np.ndarray:
    """Logistic regression by gradient descent on standardised features; returns [bias, *weights] in raw units."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / std
    w = np.zeros(z.shape[1] + 1)
    positive = max(y.mean(), 1e-6)
    weights = np.where(y > 0, 0.5 / positive, 0.5 / (1 - positive))  # balance the rare positives
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(w[0] + z @ w[1:])))
        g = (p - y) * weights
        w[0] -= lr * g.mean()
        w[1:] -= lr * ((z.T @ g) / len(y) + l2 * w[1:])
    raw = w[1:] / std
    return np.concatenate([[w[0] - (raw * mean).sum()], raw])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", required=True, help="SET.jsonl or SET.jsonl=CORPUS_DIR")
    parser.add_argument("--l2", type=float, default=0.01)
    args = parser.parse_args()
    if any("heldout" in s for s in args.set):
        parser.error("the held-out set is never used for fitting")
    records = collect(args.set)
    x = np.array([row for r in records for row in _rows(r["candidates"])], dtype=float)
    y = np.array([float(lab) for r in records for lab in r["labels"]])
    coef = fit(x, y, args.l2)
    names = list(features(Candidate(0, 0, 0, "", 0.0), 0.0, None, 0.0))  # the coefficients' names, in order
    # The type check is not fitted: it multiplies the score (``scoring.type_penalty``), a gate for refusal.
    model = {"bias": round(float(coef[0]), 3)} | {f: round(float(v), 3) for f, v in zip(names, coef[1:])}
    console.print("answer:\n  scoring:\n    model: " + str(model).replace("'", '"'))
    scoring = ScoringSettings(model=model)

    table = Table(title="Fitted model on the development sets")
    for col in ("set", "answerable: best is labelled", "best score p10/p50 (answerable)",
                "best score p50/p90 (unanswerable, not refused by a missing key)"):
        table.add_column(col, justify="right")
    for name in dict.fromkeys(r["set"] for r in records):
        mine = [r for r in records if r["set"] == name]
        hit, best_ok, best_no = 0, [], []
        for r in mine:
            scored = sorted(((c.score, lab) for c, lab in zip(rescore(r["candidates"], scoring), r["labels"])),
                            key=lambda t: -t[0])
            if r["refuse"]:
                if not r["missing"]:
                    best_no.append(scored[0][0] if scored else 0.0)
                continue
            hit += bool(scored and scored[0][1])
            best_ok.append(scored[0][0] if scored else 0.0)
        answerable = sum(not r["refuse"] for r in mine)
        q_ok = np.percentile(best_ok, [10, 50]).round(3) if best_ok else "-"
        q_no = np.percentile(best_no, [50, 90]).round(3) if best_no else "-"
        table.add_row(name, f"{hit}/{answerable}", str(q_ok), str(q_no))
    console.print(table)


if __name__ == "__main__":
    main()
