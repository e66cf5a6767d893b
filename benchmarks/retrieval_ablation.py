"""Retrieval ablation on a question set: dense-only, +lexical, +keys, +glossary, tuned fusion, +MMR.

Usage (the index must be built: ``assistant index``)::

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/retrieval_ablation.py [evals/dev.jsonl] [--tune]

Channel scores are computed once per question and tokenizer variant, so each
configuration only re-runs the fusion; ``--tune`` grid-searches the weights.
Latency is measured separately, end to end through ``assistant.retrieval.search``.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import numpy as np

from assistant.evaluation.questions import load_questions
from assistant.evaluation.retrieval import percentile
from assistant.index import open_index
import importlib

from assistant.retrieval import lexical
from assistant.retrieval.fusion import FusionWeights, fuse, mmr
from assistant.settings import get_settings

search_mod = importlib.import_module("assistant.retrieval.search")


def _relevant(question, chunk) -> bool:
    meta = chunk.meta
    from_source = question.source_matches(meta.source) or bool(meta.url and question.source_matches(meta.url))
    return from_source and question.facts_match(chunk.text)


def prepare(index, questions, prefix: int):
    """Snapshot with the given prefix length, channels and relevance mask per question."""
    lexical.PREFIX_LENGTH = prefix
    search_mod.PREFIX_LENGTH = prefix
    lexical._CACHE.clear()
    snap = lexical.snapshot_for(index)
    rows = []
    for q in questions:
        ch = search_mod.compute_channels(index, snap, q.question, None)
        rel = np.array([_relevant(q, snap.chunks[p]) for p in ch.positions])
        rows.append((q, ch, rel))
    return snap, rows


def metrics(snap, rows, w: FusionWeights, langs=None) -> dict[str, float]:
    ranks = []
    for q, ch, rel in rows:
        if langs and q.language not in langs:
            continue
        fused = fuse(ch.dense, ch.lexical(w), ch.keys, w)
        vectors = snap.embeddings[ch.positions] if snap.embeddings is not None else None
        order = mmr(fused, vectors, 10, w.mmr_lambda)
        hit = [r for r, i in enumerate(order, start=1) if rel[i]]
        ranks.append(hit[0] if hit else None)
    n = len(ranks) or 1
    return {
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        "hit@5": sum(1 for r in ranks if r and r <= 5) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
    }


def latency(index, questions, repeats: int = 1) -> tuple[float, float]:
    times = []
    search_mod.search(index, "warm-up", k=1)
    for _ in range(repeats):
        for q in questions:
            t = time.perf_counter()
            search_mod.search(index, q.question, k=10)
            times.append((time.perf_counter() - t) * 1000)
    return percentile(times, 50), percentile(times, 95)


def main(argv: list[str]) -> None:
    path = Path(next((a for a in argv if not a.startswith("--")), "evals/dev.jsonl"))
    questions = [q for q in load_questions(path) if not q.should_refuse]
    index = open_index(get_settings())
    default = FusionWeights()
    tuned_prefix = lexical.PREFIX_LENGTH
    configs = [
        ("dense only (e5-small)", 0, FusionWeights(lexical=0, keys=0, glossary=0)),
        ("+ lexical (BM25, whole words)", 0, FusionWeights(lexical=default.lexical, keys=0, glossary=0)),
        (f"+ prefix-{tuned_prefix} stems", tuned_prefix, FusionWeights(lexical=default.lexical, keys=0, glossary=0)),
        ("+ keys", tuned_prefix, FusionWeights(lexical=default.lexical, keys=default.keys, glossary=0)),
        ("+ glossary (= shipped defaults)", tuned_prefix, default),
        ("+ MMR (lambda 0.7)", tuned_prefix, default.model_copy(update={"mmr_lambda": 0.7})),
    ]
    prepared = {}
    print(f"{'configuration':36} {'hit@1':>6} {'hit@5':>6} {'MRR':>6} {'vi@5':>6} {'en@5':>6}")
    for name, prefix, w in configs:
        if prefix not in prepared:
            prepared[prefix] = prepare(index, questions, prefix)
        snap, rows = prepared[prefix]
        m, vi, en = metrics(snap, rows, w), metrics(snap, rows, w, {"vi"}), metrics(snap, rows, w, {"en"})
        print(f"{name:36} {m['hit@1']:6.3f} {m['hit@5']:6.3f} {m['mrr']:6.3f} {vi['hit@5']:6.3f} {en['hit@5']:6.3f}")

    if "--tune" in argv:
        for prefix in (0, 4, 5, 6, 7):
            if prefix not in prepared:
                prepared[prefix] = prepare(index, questions, prefix)
            snap, rows = prepared[prefix]
            best = []
            grid = itertools.product((0.1, 0.2, 0.3, 0.5, 0.8), (0.0, 0.25, 0.5, 1.0), (0.0, 0.2, 0.4, 0.7),
                                     (0.0, 0.5, 0.8))
            for lex, gl, key, fq in grid:
                w = FusionWeights(lexical=lex, glossary=gl, keys=key, dense_floor_quantile=fq)
                m = metrics(snap, rows, w)
                best.append((m["mrr"] + m["hit@5"], m, w))
            best.sort(key=lambda b: -b[0])
            for _, m, w in best[:3]:
                print(f"prefix={prefix} {w.lexical} gl={w.glossary} key={w.keys} fq={w.dense_floor_quantile} -> {m}")

    lexical.PREFIX_LENGTH = search_mod.PREFIX_LENGTH = tuned_prefix
    lexical._CACHE.clear()
    p50, p95 = latency(index, questions)
    print(f"latency end to end (search, k=10): p50 {p50:.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
