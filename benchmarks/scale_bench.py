"""Scale benchmark: synthetic multilingual corpora of 1k, 10k and 100k chunks, embedded and server Chroma.

    .venv/bin/python benchmarks/scale_bench.py [--sizes 1000 10000 100000] [--modes embedded server]
                                               [--real-max 1000] [--queries 50] [--work DIR]

**Corpus.** The real chunks of the sample corpus (``corpus/``) and of the Vietnamese fixtures
(``evals/fixtures/vi-docs/``) are split into sentences (as the answer scorer splits them). A
synthetic file takes one real document as its model (its language, title and type) and is
written as 20 chunks, each made of that document's sentences recombined (runs of neighbours
and jumps, each chunk as long as one of the model's real chunks), with a seed per file: the
corpora are deterministic and nested (the 1k corpus is the first 50 files of the 10k one).

**Vectors.** Sizes up to ``--real-max`` are indexed for real: ``CorpusIndex.add_chunks`` embeds
every chunk and its sentences with the configured model, exactly as ``assistant index`` does,
and the file records are written per file. Larger sizes are written straight through Chroma
with precomputed vectors: every distinct sentence is embedded once with the real model
(passage prompt); a chunk's vector is the normalised mean of its sentences' vectors, and its
sentences are stored with their real vectors (as ``add_chunks`` would store them).

**Measures**, per mode and size: indexing throughput; then two fresh processes open the index
as the app does (``open_index``), load the model and run the real
:func:`assistant.retrieval.search` over ``--queries`` questions of ``evals/dev.jsonl``: the
first query after start-up (the lexical snapshot: built by the first process, loaded from
disk by the second when ``index.lexical_snapshot`` is on), retrieval p50/p95 of the rest,
peak RSS (and its growth over the loaded model), the chroma server's peak RSS, the size of
the index on disk. Prints a table, writes ``benchmarks/results/scale_bench.json`` and
``benchmarks/results/scale_bench.png`` (git-ignored; the README's copies are ``docs/scale_bench.*``).
Every row carries the load average when it ran.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
SOURCES = (REPO / "corpus", REPO / "evals" / "fixtures" / "vi-docs")
CHUNKS_PER_FILE = 20
WRITE_BATCH = 2000  # rows per Chroma call (below Chroma's max batch size)
SEED = 2026


@dataclass
class Model:
    """A real document the synthetic files imitate."""

    source: str
    title: str
    language: str
    doc_type: str
    sentences: list[str]
    lengths: list[int]  # lengths of its real chunks


# -- the corpus ------------------------------------------------------------------------------------


def real_models() -> list[Model]:
    """The real documents, as sentence pools (sample corpus and Vietnamese fixtures)."""
    from assistant.chunking import split_documents
    from assistant.ingest import load_file, load_manifest
    from assistant.sentence_vectors import chunk_sentences
    from assistant.settings import load_settings
    from assistant.sync import scan_corpus

    settings = load_settings()
    by_source: dict[str, list] = defaultdict(list)
    for root in SOURCES:
        corpus = settings.corpus.model_copy(update={"dir": root})
        manifest = load_manifest(root, corpus)
        for rel, path in scan_corpus(root, *corpus.sidecars).items():
            loaded = load_file(path, root, corpus, manifest=manifest)
            by_source[f"{root.name}/{rel}"] += split_documents(loaded.documents, settings.chunking, file_hash="")
    models = []
    for source, chunks in sorted(by_source.items()):
        sentences = list(dict.fromkeys(s for c in chunks for s in chunk_sentences(c)))
        if len(sentences) < 3:
            continue
        meta = chunks[0].meta
        models.append(Model(source, meta.title, meta.language, meta.doc_type, sentences, [len(c.text) for c in chunks]))
    return models


def synthetic_file(models: list[Model], number: int, seed: int = SEED) -> list:
    """The chunks of synthetic file ``number`` (deterministic: its own seeded generator)."""
    from assistant.chunking import chunk_id
    from assistant.types import Chunk, ChunkMeta

    rng = random.Random(f"{seed}:{number}")
    model = rng.choices(models, weights=[len(m.lengths) for m in models])[0]
    stem = Path(model.source).stem[:24]
    source = f"synthetic/{number:06d}-{stem}{Path(model.source).suffix}"
    file_hash = hashlib.sha256(source.encode()).hexdigest()
    chunks = []
    for position in range(CHUNKS_PER_FILE):
        target = rng.choice(model.lengths)
        at = rng.randrange(len(model.sentences))
        picked: list[str] = []
        length = 0
        while len(picked) < 12:  # sentences while half of the next still fits the target length
            sentence = model.sentences[at]
            if picked and length + len(sentence) / 2 > target:
                break
            picked.append(sentence)
            length += len(sentence) + 1
            at = (at + 1 if rng.random() < 0.6 else rng.randrange(len(model.sentences))) % len(model.sentences)
        text = "\n".join(picked)  # lines always end a sentence: the stored sentences are exactly these
        meta = ChunkMeta(source=source, title=f"{model.title} ({number})", language=model.language,
                         doc_type=model.doc_type, chunk_index=position, file_hash=file_hash)  # fmt: skip
        chunks.append(Chunk(id=chunk_id(source, str(position), text), text=text, meta=meta))
    return chunks


def synthetic_corpus(models: list[Model], size: int, seed: int = SEED) -> list[list]:
    """``size`` chunks as a list of files (each a list of chunks)."""
    files, total = [], 0
    for number in range((size + CHUNKS_PER_FILE - 1) // CHUNKS_PER_FILE):
        chunks = synthetic_file(models, number, seed)[: size - total]
        files.append(chunks)
        total += len(chunks)
    return files


def file_record(chunks: list):
    from assistant.index import FileRecord

    meta = chunks[0].meta
    return FileRecord(source=meta.source, hash=meta.file_hash, meta_hash="synthetic", size=sum(len(c.text) for c in chunks),
                      mtime=0.0, chunks=len(chunks), indexed_at=time.time(), status="ok", title=meta.title,
                      language=meta.language, doc_type=meta.doc_type)  # fmt: skip


# -- writing the index ------------------------------------------------------------------------------


def add_sentence_vectors(table: dict[str, object], files: list[list], embeddings) -> None:
    """Put the real passage vector (unit length) of every sentence of ``files`` not in ``table`` yet into it."""
    import numpy as np

    from assistant.sentence_vectors import chunk_sentences

    missing = sorted({s for chunks in files for c in chunks for s in chunk_sentences(c)} - set(table))
    if missing:
        vectors = np.asarray(embeddings.embed_documents(missing), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        table.update(zip(missing, vectors))


def write_real(index, files: list[list]) -> None:
    """Embed and write like ``assistant index``: chunks and sentences in batches of 256, then each file's record."""
    batch: list = []
    pending: list[list] = []
    for chunks in files:
        batch += chunks
        pending.append(chunks)
        if len(batch) >= 256:
            index.add_chunks(batch)
            for done in pending:
                index.put_file_record(file_record(done))
            batch, pending = [], []
    if batch:
        index.add_chunks(batch)
    for done in pending:
        index.put_file_record(file_record(done))


def write_precomputed(index, files: list[list], vectors: dict[str, object]) -> None:
    """Write chunks (mean of their sentences' real vectors) and sentences (real vectors) through Chroma."""
    import numpy as np

    from assistant.sentence_vectors import chunk_sentences, sentence_id

    index.check_model()
    rows: list = []
    sentences: dict[str, tuple[str, object]] = {}

    def flush(force: bool = False) -> None:
        nonlocal rows, sentences
        if rows and (force or len(rows) >= WRITE_BATCH):
            index._chunks.upsert(
                ids=[c.id for c, _ in rows], documents=[c.text for c, _ in rows],
                metadatas=[c.meta.to_chroma() for c, _ in rows], embeddings=np.stack([v for _, v in rows]),
            )  # fmt: skip
            rows = []
        while sentences and (force or len(sentences) >= WRITE_BATCH):
            part = list(sentences.items())[:WRITE_BATCH]
            index.sentence_collection.upsert(
                ids=[i for i, _ in part], embeddings=np.stack([v for _, (_, v) in part]),
                metadatas=[{"source": s} for _, (s, _) in part],
            )  # fmt: skip
            for i, _ in part:
                del sentences[i]

    for chunks in files:
        for chunk in chunks:
            parts = chunk_sentences(chunk)
            mean = np.mean([vectors[s] for s in parts], axis=0)
            rows.append((chunk, mean / max(float(np.linalg.norm(mean)), 1e-12)))
            for s in parts:
                sentences[sentence_id(chunk.meta.source, s)] = (chunk.meta.source, vectors[s])
        flush()
        index.put_file_record(file_record(chunks))
    flush(force=True)


# -- the probe (a fresh process) ------------------------------------------------------------------------


def _status_kb(pid: int | str, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def load_questions(limit: int) -> list[str]:
    lines = (REPO / "evals" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()][:limit]


def pct(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def probe(queries: int) -> dict[str, float]:
    """Open the index as configured (environment), as the app would, and time the searches."""
    from assistant.index import open_index
    from assistant.privacy import disable_telemetry
    from assistant.retrieval import lexical
    from assistant.retrieval.search import search
    from assistant.settings import load_settings

    disable_telemetry()
    started = time.perf_counter()
    settings = load_settings()
    index = open_index(settings)
    index.embeddings.embed_query("warm-up")  # the model load, apart from the first query
    model_s = time.perf_counter() - started
    rss_model_kb = _status_kb("self", "VmRSS")
    questions = load_questions(queries + 1)
    t0 = time.perf_counter()
    search(index, questions[0], k=settings.retrieval.k)
    first_s = time.perf_counter() - t0
    snapshot_source = lexical.snapshot_for(index).source
    times, encode = [], []
    for question in questions[1:]:
        t0 = time.perf_counter()
        index.embeddings.embed_query(question)  # the query encoding alone (the index's own cache is not used)
        encode.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        hits = search(index, question, k=settings.retrieval.k)
        times.append(time.perf_counter() - t0)
        assert hits, f"no hit for {question!r}"
    return {
        "chunks": index.count(),
        "model_load_s": model_s,
        "first_query_s": first_s,
        "snapshot": snapshot_source,
        "p50_ms": pct(times, 50) * 1000,
        "p95_ms": pct(times, 95) * 1000,
        "encode_p50_ms": pct(encode, 50) * 1000,
        "rss_model_mb": rss_model_kb / 1024,
        "rss_peak_mb": _status_kb("self", "VmHWM") / 1024,  # not ru_maxrss: that keeps the parent's peak across exec
    }


def run_probe(env: dict[str, str], queries: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--probe", "--queries", str(queries)], env=env, cwd=REPO,
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"probe failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- one mode × size -----------------------------------------------------------------------------------


@dataclass
class Row:
    mode: str
    size: int
    vectors: str  # "real" or "precomputed"
    index_chunks_per_s: float
    index_s: float
    first_query_built_s: float
    first_query_loaded_s: float
    snapshot_loaded: str
    model_load_s: float
    p50_ms: float
    p95_ms: float
    encode_p50_ms: float
    rss_peak_mb: float
    rss_over_model_mb: float
    server_rss_peak_mb: float | None
    disk_mb: float
    snapshot_mb: float
    load_start: str
    load_end: str
    rss_loaded_over_model_mb: float | None = None  # the process that loaded the snapshot (not built it)


def _du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6 if path.exists() else 0.0


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def measure(mode: str, size: int, files: list[list], vectors, real_max: int, queries: int, work: Path,
            query_threads: int) -> Row:  # fmt: skip
    sys.path.insert(0, str(REPO / "tests"))  # the service helpers the tests use (tests/servers.py)
    from servers import ChromaServer

    from assistant.index import open_index
    from assistant.settings import load_settings

    load_start = _load()
    root = work / f"{mode}-{size}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_INDEX__")}
    env.update(ASSISTANT_INDEX__DIR=str(root / "index"), ASSISTANT_INDEX__MODE=mode,
               ASSISTANT_CORPUS__DIR=str(REPO / "corpus"), ASSISTANT_FACTS__ENABLED="false",
               ASSISTANT_INDEX__LEXICAL_CACHE_DIR=str(root / "lexical-cache"),
               ASSISTANT_EMBEDDING__THREADS=str(query_threads))  # fmt: skip
    server = None
    if mode == "server":
        server = ChromaServer(root / "chroma-server").start()
        env["ASSISTANT_INDEX__PORT"] = str(server.port)
    try:
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            settings = load_settings()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        index = open_index(settings)
        real = size <= real_max
        if real:
            index.embeddings.embed_query("warm-up")
        t0 = time.perf_counter()
        write_real(index, files) if real else write_precomputed(index, files, vectors)
        index_s = time.perf_counter() - t0
        assert index.count() == size, (index.count(), size)
        del index
        if server is not None:  # a fresh server: its peak memory is that of serving the searches
            server.stop()
            server.start()
        built = run_probe(env, queries)
        loaded = run_probe(env, queries)
        server_peak = _status_kb(server.process.pid, "VmHWM") / 1024 if server is not None else None
        store = root / ("chroma-server" if server is not None else "index")
        snapshot_mb = _du_mb(root / "lexical-cache") + sum(p.stat().st_size for p in store.glob("lexical-*")) / 1e6
        return Row(
            mode=mode, size=size, vectors="real" if real else "precomputed", index_chunks_per_s=size / index_s,
            index_s=index_s, first_query_built_s=built["first_query_s"], first_query_loaded_s=loaded["first_query_s"],
            snapshot_loaded=loaded["snapshot"], model_load_s=loaded["model_load_s"],
            p50_ms=statistics.mean([built["p50_ms"], loaded["p50_ms"]]),
            p95_ms=max(built["p95_ms"], loaded["p95_ms"]),
            encode_p50_ms=statistics.mean([built["encode_p50_ms"], loaded["encode_p50_ms"]]),
            rss_peak_mb=max(built["rss_peak_mb"], loaded["rss_peak_mb"]),
            rss_over_model_mb=max(built["rss_peak_mb"] - built["rss_model_mb"],
                                  loaded["rss_peak_mb"] - loaded["rss_model_mb"]),
            server_rss_peak_mb=server_peak, disk_mb=_du_mb(store) - snapshot_mb * (server is None),
            snapshot_mb=snapshot_mb, load_start=load_start, load_end=_load(),
            rss_loaded_over_model_mb=loaded["rss_peak_mb"] - loaded["rss_model_mb"],
        )  # fmt: skip
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


# -- report --------------------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    header = (
        "| mode | chunks | vectors | indexing | first query: snapshot built / loaded | retrieval p50 / p95 "
        "(query encoding p50) | peak RSS (over the model: snapshot built / loaded) | chroma server peak RSS | index on disk "
        "(+ lexical snapshot) | load avg (1/5/15 min) before → after |"
    )
    lines = [header, "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        server = f"{r.server_rss_peak_mb:.0f} MB" if r.server_rss_peak_mb is not None else "–"
        loaded_mb = f"{r.rss_loaded_over_model_mb:,.0f} MB" if r.rss_loaded_over_model_mb is not None else "–"
        lines.append(
            f"| {r.mode} | {r.size:,} | {r.vectors} | {r.index_chunks_per_s:,.0f} chunks/s ({r.index_s:.0f} s) "
            f"| {r.first_query_built_s:.2f} s / {r.first_query_loaded_s:.2f} s ({r.snapshot_loaded}) "
            f"| {r.p50_ms:.0f} ms / {r.p95_ms:.0f} ms ({r.encode_p50_ms:.0f} ms) "
            f"| {r.rss_peak_mb:,.0f} MB ({r.rss_over_model_mb:,.0f} MB / {loaded_mb}) "
            f"| {server} | {r.disk_mb:,.0f} MB (+ {r.snapshot_mb:,.0f} MB) | {r.load_start} → {r.load_end} |"
        )
    return "\n".join(lines)


def plot(rows: list[Row], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    panels = [
        ("retrieval p95 (ms)", lambda r: r.p95_ms, 300),
        ("first query after start-up (s)", lambda r: r.first_query_loaded_s, 10),
        ("memory and disk (MB)", None, None),
    ]
    for ax, (title, value, goal) in zip(axes, panels):
        for mode, marker in (("embedded", "o"), ("server", "s")):
            mine = sorted((r for r in rows if r.mode == mode), key=lambda r: r.size)
            if not mine:
                continue
            sizes = [r.size for r in mine]
            if value is not None:
                ax.plot(sizes, [value(r) for r in mine], marker=marker, label=mode)
                if title.startswith("first"):
                    ax.plot(sizes, [r.first_query_built_s for r in mine], marker=marker, linestyle=":",
                            label=f"{mode}, snapshot built")  # fmt: skip
            else:
                ax.plot(
                    sizes,
                    [r.rss_over_model_mb for r in mine],
                    marker=marker,
                    label=f"{mode}: RSS over the model, snapshot built",
                )
                loaded = [(r.size, r.rss_loaded_over_model_mb) for r in mine if r.rss_loaded_over_model_mb is not None]
                if loaded:
                    ax.plot(
                        *zip(*loaded),
                        marker=marker,
                        linestyle="-.",
                        label=f"{mode}: RSS over the model, snapshot loaded",
                    )
                ax.plot(sizes, [r.disk_mb for r in mine], marker=marker, linestyle="--", label=f"{mode}: index on disk")
        if goal is not None:
            ax.axhline(goal, color="grey", linestyle=":", linewidth=1)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("chunks")
        ax.set_title(title)
        ax.legend(fontsize=7)
    fig.suptitle("benchmarks/scale_bench.py (2-core CPU)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000], help="corpus sizes in chunks")
    parser.add_argument("--modes", nargs="+", default=["embedded", "server"], choices=["embedded", "server"])
    parser.add_argument("--real-max", type=int, default=1000, help="largest size embedded for real (default 1000)")
    parser.add_argument("--queries", type=int, default=50, help="dev questions timed per probe (default 50)")
    parser.add_argument(
        "--query-threads",
        type=int,
        default=1,
        help="torch threads of the probes, which encode one question at a time (default 1)",
    )
    parser.add_argument("--work", type=Path, help="folder for the indexes (default: a temporary folder)")
    parser.add_argument("--out", type=Path, default=RESULTS / "scale_bench.json", help="results JSON (merged by row)")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(args.queries)))
        return []

    from assistant.models.embeddings import build_embeddings, ensure_embedding_model
    from assistant.privacy import disable_telemetry
    from assistant.settings import load_settings

    disable_telemetry()
    settings = load_settings()
    ensure_embedding_model(settings.embedding, progress=False)
    models = real_models()
    embeddings = None
    vectors: dict[str, object] = {}  # sentence -> real vector, for the sizes written with precomputed vectors
    print(f"{len(models)} real documents, {sum(len(m.sentences) for m in models)} distinct sentences", flush=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="scale-bench-", dir=args.work) as tmp:
        for size in sorted(args.sizes):
            files = synthetic_corpus(models, size)
            if size > args.real_max:
                embeddings = embeddings or build_embeddings(settings.embedding)
                add_sentence_vectors(vectors, files, embeddings)
            for mode in args.modes:
                row = measure(mode, size, files, vectors, args.real_max, args.queries, Path(tmp), args.query_threads)
                rows.append(row)
                print(table([row]).splitlines()[-1], flush=True)
    print()
    print(table(rows))
    previous = json.loads(args.out.read_text()) if args.out.exists() else []
    merged = {(r["mode"], r["size"]): r for r in previous}
    merged.update({(r.mode, r.size): asdict(r) for r in rows})
    everything = sorted(merged.values(), key=lambda r: (r["mode"], r["size"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(everything, indent=1) + "\n")
    plot([Row(**r) for r in everything], args.out.with_suffix(".png"))
    print(f"\nwrote {args.out} and {args.out.with_suffix('.png')}")
    return [asdict(r) for r in rows]


if __name__ == "__main__":
    main()
