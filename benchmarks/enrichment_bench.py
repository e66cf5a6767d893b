"""Index-time enrichment, measured: every chunk translated into English by the local LLM.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/enrichment_bench.py [evals/dev.jsonl] [--limit N]

The translations (``prompts/enrich.txt``) are cached by chunk text in
``~/.cache/plan02-assistant/enrich-cache.sqlite`` (LangChain ``SQLiteCache``; the key
is the prompt, so a changed chunk or prompt is translated again). They form a second
*view* of the corpus: the same chunks, in English, with their own e5 embeddings and
BM25. Each question is scored against both views and the fused scores are mixed
(``FusionWeights.variants``), exactly as rewritten queries are; hits are still judged
on the original chunk text. Prints the retrieval metrics with and without the
enrichment and its cost (LLM seconds per chunk on a cache miss).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from langchain_core.messages import HumanMessage
from rich.console import Console
from rich.progress import track
from rich.table import Table

from assistant.api import Assistant
from assistant.evaluation.questions import load_questions
from assistant.evaluation.retrieval import evaluate_retrieval
from assistant.models.llm_cache import sqlite_cached
from assistant.retrieval.lexical import build_snapshot, snapshot_for
from assistant.retrieval.search import compute_channels, rank
from assistant.settings import DEFAULT_CACHE, FusionWeights

REPO = Path(__file__).resolve().parents[1]


def translate_chunks(bot: Assistant, chunks, limit: int | None) -> tuple[list[str], list[float]]:
    """English text of each chunk (cached) and the seconds each uncached translation took."""
    llm = sqlite_cached(bot.chat_model, DEFAULT_CACHE / "enrich-cache.sqlite")
    template = (REPO / "prompts" / "enrich.txt").read_text(encoding="utf-8")
    texts, misses = [], []
    for i, chunk in enumerate(track(chunks, description="translating chunks")):
        if limit is not None and i >= limit:
            texts.append(chunk.text)  # untranslated beyond the limit (quick runs)
            continue
        started = time.perf_counter()
        reply = llm.invoke([HumanMessage(template.format(language_name="English", passage=chunk.text))])
        elapsed = time.perf_counter() - started
        if elapsed > 0.5:  # a cache hit takes milliseconds
            misses.append(elapsed)
        texts.append(str(reply.text).strip() or chunk.text)
    return texts, misses


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("questions", nargs="?", type=Path, default=REPO / "evals" / "dev.jsonl")
    parser.add_argument("--limit", type=int, default=None, help="translate only the first N chunks")
    args = parser.parse_args(argv)

    bot = Assistant(backend="local")
    if bot.chat_model is None:
        raise SystemExit(f"enrichment needs the local LLM: {bot.llm_notice}")
    index = bot.index
    snap = snapshot_for(index)
    texts, misses = translate_chunks(bot, snap.chunks, args.limit)
    started = time.perf_counter()
    vectors = np.asarray(index.embeddings.embed_documents(texts), dtype=np.float32)
    embed_s = time.perf_counter() - started
    english = build_snapshot([c.model_copy(update={"text": t}) for c, t in zip(snap.chunks, texts)], vectors, "en")
    questions = load_questions(args.questions)

    def retriever(share: float):
        weights = FusionWeights(variants=share)

        def run(question: str):
            channels = compute_channels(index, snap, question, None)
            views = [compute_channels(index, english, question, None)] if share > 0 else []
            return rank(snap, channels, 10, weights, views)

        return run

    table = Table(title=f"Enrichment on {args.questions.name}: {len(snap.chunks)} chunks translated into English")
    for col in ("configuration", "hit@1", "hit@5", "MRR@10", "vi hit@5", "en hit@5", "p95 ms"):
        table.add_column(col, justify="right")
    for label, share in (("hybrid (shipped)", 0.0), ("+ English view, share 0.3", 0.3), ("+ English view, share 0.5", 0.5)):
        overall, by_language, _ = evaluate_retrieval(questions, retriever(share))
        table.add_row(label, f"{overall.hit_at_1:.3f}", f"{overall.hit_at_5:.3f}", f"{overall.mrr_at_10:.3f}",
                      *(f"{by_language[lang].hit_at_5:.3f}" if lang in by_language else "–" for lang in ("vi", "en")),
                      f"{overall.latency_p95_ms:.0f}")
    console = Console()
    console.print(table)
    if misses:
        console.print(f"cost: {len(misses)} chunks translated, {np.mean(misses):.1f} s each on average, "
                      f"{sum(misses) / 60:.1f} min in all; embedding the translations took {embed_s:.1f} s")
    else:
        console.print(f"cost: every translation came from the cache; embedding them took {embed_s:.1f} s")


if __name__ == "__main__":
    main()
