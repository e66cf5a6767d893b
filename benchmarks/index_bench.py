"""Indexing benchmark: throughput against raw encoding, unchanged re-sync time, peak RSS.

    .venv/bin/python benchmarks/index_bench.py [--copies N]

Indexes N copies of the sample corpus into a fresh temporary index with the
configured embedding model and prints a table. Goal: indexing ≥ 0.8 × raw
encoding throughput; unchanged re-sync ≤ 2 s.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]


def build_corpus(dest: Path, copies: int) -> None:
    """Copies of the sample articles, each file made distinct so no chunk id repeats."""
    src = REPO / "corpus"
    for i in range(copies):
        for path in sorted((src / "articles").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            out = dest / f"copy{i}" / path.name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(f"[copy {i}]\n" + text, encoding="utf-8")


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=4, help="copies of the sample corpus to index")
    args = parser.parse_args(argv)

    from assistant.chunking import split_documents
    from assistant.index import CorpusIndex
    from assistant.ingest import load_file
    from assistant.models.embeddings import build_embeddings, ensure_embedding_model, model_version
    from assistant.privacy import disable_telemetry
    from assistant.settings import load_settings
    from assistant.sync import scan_corpus, sync_corpus

    disable_telemetry()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = load_settings()
        settings.corpus.dir = root / "corpus"
        settings.index.dir = root / "index"
        build_corpus(settings.corpus.dir, args.copies)
        ensure_embedding_model(settings.embedding, progress=False)

        t0 = time.perf_counter()
        embeddings = build_embeddings(settings.embedding)
        load_s = time.perf_counter() - t0

        chunks = []
        for path in scan_corpus(settings.corpus.dir, *settings.corpus.sidecars).values():
            loaded = load_file(path, settings.corpus.dir, settings.corpus)
            chunks += split_documents(loaded.documents, settings.chunking)
        texts = [c.text for c in chunks]
        embeddings.embed_documents(texts[:8])  # warm-up
        t0 = time.perf_counter()
        embeddings.embed_documents(texts)
        raw_s = time.perf_counter() - t0

        index = CorpusIndex(settings.index, lambda: embeddings)
        t0 = time.perf_counter()
        report = sync_corpus(index, settings)
        index_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        again = sync_corpus(CorpusIndex(settings.index, lambda: embeddings), settings)
        resync_s = time.perf_counter() - t0
        assert again.chunks_written == 0

        env = {"ASSISTANT_CORPUS__DIR": str(settings.corpus.dir), "ASSISTANT_INDEX__DIR": str(settings.index.dir)}
        cli = shutil.which("assistant") or str(Path(sys.executable).with_name("assistant"))
        t0 = time.perf_counter()
        subprocess.run([cli, "index"], env={**__import__("os").environ, **env}, check=True, capture_output=True)
        resync_cli_s = time.perf_counter() - t0

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = len(texts)
    results = {
        "chunks": n,
        "raw_encode_chunks_per_s": n / raw_s,
        "index_chunks_per_s": report.chunks_written / index_s,
        "ratio": (report.chunks_written / index_s) / (n / raw_s),
        "resync_unchanged_s": resync_s,
        "resync_unchanged_cli_s": resync_cli_s,
        "model_load_s": load_s,
        "peak_rss_mb": rss_mb,
    }
    table = Table(title=f"Indexing benchmark: {args.copies} × sample corpus, {model_version(settings.embedding)}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("goal", justify="right")
    table.add_row("chunks", str(n), "")
    table.add_row("raw encode throughput", f"{results['raw_encode_chunks_per_s']:.1f} chunks/s", "")
    table.add_row("indexing throughput (load, chunk, embed, write)", f"{results['index_chunks_per_s']:.1f} chunks/s", "")
    table.add_row("indexing / raw encoding", f"{results['ratio']:.2f}", "≥ 0.80")
    table.add_row("re-sync unchanged corpus (in process)", f"{resync_s:.2f} s", "≤ 2 s")
    table.add_row("re-sync unchanged corpus (`assistant index`, incl. start-up)", f"{resync_cli_s:.2f} s", "")
    table.add_row("model load", f"{load_s:.2f} s", "")
    table.add_row("peak RSS", f"{rss_mb:.0f} MB", "")
    Console().print(table)
    return results


if __name__ == "__main__":
    main()
