"""The claim verifier's precision and recall on ``evals/claims.jsonl``, with the real embedding model.

    .venv/bin/python benchmarks/claims_bench.py                       # both splits, the settings in force
    .venv/bin/python benchmarks/claims_bench.py --sweep min_similarity_cross=0.84,0.86,0.88
    .venv/bin/python benchmarks/claims_bench.py --failures           # misjudged dev pairs

Thresholds are chosen on the ``dev`` split only: ``--sweep`` and ``--failures`` never look at
``heldout``, whose figures are reported as they come out (docs/answers.md).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.answer.support import SupportChecker  # noqa: E402
from assistant.cli.common import settings_from  # noqa: E402
from assistant.evaluation.claims import (  # noqa: E402
    ClaimVerdict,
    claim_metrics,
    grouped_metrics,
    load_claims,
    verify_pairs,
)
from assistant.models.embeddings import build_embeddings  # noqa: E402
from assistant.sentence_vectors import EmbeddingSimilarity  # noqa: E402
from assistant.settings import SupportSettings  # noqa: E402
from benchmarks.sweep_grid import parse_grid  # noqa: E402

console = Console()
CLAIMS = Path(__file__).resolve().parents[1] / "evals" / "claims.jsonl"


def _table(title: str, rows: dict[str, dict]) -> Table:
    table = Table(title=title)
    for column in ("group", "n", "supported", "unsupported", "precision", "recall", "false accept"):
        table.add_column(column, justify="left" if column == "group" else "right")
    for name, m in rows.items():
        table.add_row(name, str(m["n"]), str(m["supported"]), str(m["unsupported"]), f"{m['precision']:.3f}",
                      f"{m['recall']:.3f}", f"{m['false_accept']:.3f}")  # fmt: skip
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=Path, default=CLAIMS)
    parser.add_argument("--sweep", action="append", default=[], help="field=v1,v2 of SupportSettings (dev only)")
    parser.add_argument("--failures", action="store_true", help="List misjudged dev pairs")
    args = parser.parse_args()

    settings = settings_from()
    pairs = load_claims(args.claims)
    similarity = EmbeddingSimilarity(build_embeddings(settings.embedding))
    base = settings.answer.support

    if args.sweep:
        dev = [p for p in pairs if p.split == "dev"]
        grid = parse_grid(SupportSettings, args.sweep)
        table = Table(title=f"dev split ({len(dev)} pairs): sweep")
        for name in grid:
            table.add_column(name, justify="right")
        for column in ("precision", "recall", "false accept"):
            table.add_column(column, justify="right")
        for values in itertools.product(*grid.values()):
            checker = SupportChecker(similarity, base.model_copy(update=dict(zip(grid, values))))
            m = claim_metrics(verify_pairs(dev, checker))
            table.add_row(*map(str, values), f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['false_accept']:.3f}")
        console.print(table)
        return

    if args.failures:  # dev only: held-out pairs are never read for tuning
        dev = [p for p in pairs if p.split == "dev"]
        verdicts = verify_pairs(dev, SupportChecker(similarity, base))
        console.print(_table("dev: by kind", grouped_metrics(verdicts, "kind")))
        _print_failures(verdicts, {p.id: p for p in dev})
        return
    started = time.perf_counter()
    verdicts = verify_pairs(pairs, SupportChecker(similarity, base))
    per_pair_ms = (time.perf_counter() - started) * 1000 / max(len(pairs), 1)
    console.print(_table("by split", grouped_metrics(verdicts, "split")))
    for split in ("dev", "heldout"):
        part = [v for v in verdicts if v.split == split]
        console.print(_table(f"{split}: by kind", grouped_metrics(part, "kind")))
        console.print(_table(f"{split}: claim and passage in another language", grouped_metrics(part, "cross_language")))
    console.print(f"{len(pairs)} pairs, {per_pair_ms:.0f} ms per pair (first run embeds every sentence)")


def _print_failures(verdicts: list[ClaimVerdict], pairs: dict) -> None:
    for v in verdicts:
        if v.verified != v.supported:
            pair = pairs[v.id]
            wrong = "verified, unsupported" if v.verified else "supported, not verified"
            sim = f"{v.similarity:.3f}" if v.similarity is not None else "-"
            console.print(f"[bold]{v.id}[/] {pair.kind} ({wrong}) sim={sim} {pair.claim_language}/{pair.passage_language}")
            console.print(f"  claim: {pair.claim}\n  evidence: {pair.evidence}\n  problems: {v.problems}")


if __name__ == "__main__":
    main()
