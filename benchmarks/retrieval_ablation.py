"""Retrieval ablation on a question set: tutorial baselines, dense-only, +lexical, +keys, +glossary, +MMR.

Usage (the index must be built: ``assistant index``)::

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/retrieval_ablation.py [evals/dev.jsonl] [--tune]
        [--baselines-only] [--limit N]

The first two rows are the tutorial baselines (``assistant.evaluation.baseline``):
the corpus cut into 1000/200-character chunks, plain cosine top-k with
all-MiniLM-L6-v2 (from the ``bench`` extra; the row says so when it is missing)
and with e5-small. They are scored by ``evaluate_retrieval``, the hybrid rows by
the same hit definition. Channel scores are computed once per question and
tokenizer variant, so each hybrid configuration only re-runs the fusion;
``--tune`` grid-searches the weights. Latency is measured separately, end to end
through ``assistant.retrieval.search``. ``--limit N`` keeps the first N questions
(a quick run); ``--baselines-only`` needs no index.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.errors import ModelError
from assistant.evaluation.baseline import CosineRetriever, tutorial_chunks
from assistant.evaluation.questions import Question, load_questions
from assistant.evaluation.retrieval import RetrievalMetrics, evaluate_retrieval, percentile
from assistant.index import open_index
from assistant.models.embeddings import build_embeddings
from assistant.models.minilm import minilm_folder
from assistant.retrieval import lexical
from assistant.retrieval.fusion import FusionWeights, fuse, mmr
from assistant.settings import Settings, get_settings

search_mod = importlib.import_module("assistant.retrieval.search")
HEADER = f"{'configuration':44} {'hit@1':>6} {'hit@5':>6} {'MRR':>6} {'vi@5':>6} {'en@5':>6}"
Row = dict[str, float]


def _relevant(question, chunk) -> bool:
    meta = chunk.meta
    from_source = question.source_matches(meta.source) or bool(meta.url and question.source_matches(meta.url))
    return from_source and question.facts_match(chunk.text)


def prepare(index, questions, prefix: int, weights: FusionWeights | None = None):
    """Snapshot with the given prefix length, channels and relevance mask per question (``weights`` for the
    dense channel's share from each chunk's closest sentence; the shipped one by default)."""
    lexical.PREFIX_LENGTH = prefix
    search_mod.PREFIX_LENGTH = prefix
    lexical._CACHE.clear()
    snap = lexical.snapshot_for(index)
    rows = []
    for q in questions:
        ch = search_mod.compute_channels(index, snap, q.question, None, weights or FusionWeights())
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


def _print_row(name: str, m: Row, vi: Row, en: Row) -> None:
    print(f"{name:44} {m['hit@1']:6.3f} {m['hit@5']:6.3f} {m['mrr']:6.3f} {vi['hit@5']:6.3f} {en['hit@5']:6.3f}")


def baselines(questions: list[Question], settings: Settings) -> dict[str, Row]:
    """The tutorial rows: 1000/200 chunks, cosine top-k, MiniLM then e5-small; a missing model is reported."""
    chunks = tutorial_chunks(settings.corpus)
    results: dict[str, Row] = {}
    models: list[tuple[str, Callable[[], str]]] = [
        ("tutorial: all-MiniLM-L6-v2, 1000/200, cosine", lambda: str(minilm_folder())),
        ("e5-small, 1000/200 chunks, cosine", lambda: settings.embedding.model),
    ]
    for name, model in models:
        try:
            embeddings = build_embeddings(settings.embedding.model_copy(update={"model": model()}))
        except ModelError as exc:
            print(f"{name:44} not measured: {exc}")
            continue
        overall, by_language, _ = evaluate_retrieval(questions, CosineRetriever(chunks, embeddings))
        m, vi, en = _row(overall), _row(by_language.get("vi")), _row(by_language.get("en"))
        _print_row(name, m, vi, en)
        results[name] = {**m, "vi@5": vi["hit@5"], "en@5": en["hit@5"], "chunks": len(chunks)}
    return results


def _row(m: RetrievalMetrics | None) -> Row:
    """The ablation's figures from ``evaluate_retrieval``'s metrics (zeros for a language without questions)."""
    if m is None:
        return {"hit@1": 0.0, "hit@5": 0.0, "mrr": 0.0}
    return {"hit@1": m.hit_at_1, "hit@5": m.hit_at_5, "mrr": m.mrr_at_10}


def main(argv: list[str]) -> dict[str, Row]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="?", type=Path, default=Path("evals/dev.jsonl"))
    parser.add_argument("--tune", action="store_true", help="grid-search the fusion weights")
    parser.add_argument("--baselines-only", action="store_true", help="only the tutorial rows (no index needed)")
    parser.add_argument("--limit", type=int, default=None, help="keep the first N answerable questions")
    args = parser.parse_args(argv)
    questions = [q for q in load_questions(args.questions) if not q.should_refuse][: args.limit]
    settings = get_settings()
    print(HEADER)
    results = baselines(questions, settings)
    if args.baselines_only:
        return results
    index = open_index(settings)
    default = FusionWeights()
    tuned_prefix = lexical.PREFIX_LENGTH
    configs = [
        ("dense only (e5-small)", 0, FusionWeights(lexical=0, keys=0, glossary=0, sentence=0)),
        ("+ lexical (BM25, whole words)", 0, FusionWeights(lexical=default.lexical, keys=0, glossary=0, sentence=0)),
        (f"+ prefix-{tuned_prefix} stems", tuned_prefix,
         FusionWeights(lexical=default.lexical, keys=0, glossary=0, sentence=0)),
        ("+ keys", tuned_prefix, FusionWeights(lexical=default.lexical, keys=default.keys, glossary=0, sentence=0)),
        ("+ glossary", tuned_prefix, default.model_copy(update={"sentence": 0})),
        (f"+ closest sentence (share {default.sentence}; = shipped defaults)", tuned_prefix, default),
        ("+ MMR (lambda 0.7)", tuned_prefix, default.model_copy(update={"mmr_lambda": 0.7})),
    ]  # fmt: skip
    prepared = {}
    for name, prefix, w in configs:
        key = (prefix, w.sentence, w.sentence_pool)  # the channels depend on these; the rest is fusion
        if key not in prepared:
            prepared[key] = prepare(index, questions, prefix, w)
        snap, rows = prepared[key]
        m, vi, en = metrics(snap, rows, w), metrics(snap, rows, w, {"vi"}), metrics(snap, rows, w, {"en"})
        _print_row(name, m, vi, en)
        results[name] = {**m, "vi@5": vi["hit@5"], "en@5": en["hit@5"]}

    if args.tune:
        for prefix in (0, 4, 5, 6, 7):
            key = (prefix, default.sentence, default.sentence_pool)
            if key not in prepared:
                prepared[key] = prepare(index, questions, prefix)
            snap, rows = prepared[key]
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
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
