"""Facts stored with the index, rebuilt for changed files only.

Each document's facts (before merging) live in a Chroma collection beside the chunks
(``<collection>__facts``), with the document's file hash and the extractor version, and
the vector of the sentence that states them. :func:`update_facts` rebuilds the facts of a
document whose hash or extractor changed and drops those of documents gone from the index;
:func:`load_facts` reads them all back and merges them. Being in Chroma, facts follow the
index wherever it lives (embedded or a server) and are versioned with the corpus.

Renderings (a fact's checked wording in other languages, :mod:`assistant.facts.render`) are
stored in the fact's record by :func:`save_renderings`. They are an add-on, not part of the
extractor version: when a document's facts are extracted again, a new fact with the same key
and text gets the renderings its predecessor had, checked again, without asking a model.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, Field

from assistant.facts.extract import extract_facts, extractor_version
from assistant.facts.merge import find_conflicts, merge_facts
from assistant.facts.model import Fact
from assistant.settings import FactSettings

Progress = Callable[[int, int, str], None]
BATCH = 256


class FactsReport(BaseModel):
    rebuilt: list[str] = Field(default_factory=list, description="Documents whose facts were extracted anew.")
    removed: list[str] = Field(default_factory=list, description="Documents whose facts were dropped.")
    facts: int = Field(0, description="Stored facts (before merging).")
    seconds: float = 0.0


def _collection(index):  # noqa: ANN001, ANN202 - a CorpusIndex; a chromadb Collection
    return index.client.get_or_create_collection(
        f"{index.settings.collection}__facts", configuration={"hnsw": {"space": "cosine"}}
    )


def _stored(collection) -> dict[str, tuple[str, str]]:  # noqa: ANN001
    """source -> (chunking key, extractor version) of the stored facts (see :func:`_chunking`)."""
    got = collection.get(include=["metadatas"])
    return {m["source"]: (m.get("chunking"), m["extractor"]) for m in got["metadatas"] or []}


def _chunking(record) -> str:  # noqa: ANN001 - a FileRecord
    """What a document's facts were read from: its bytes *and* how they became chunks (the reader version,
    chunk settings and manifest entry, ``meta_hash``). A re-chunked file whose bytes did not change (a
    reader upgrade) gets its facts read again from its new chunks."""
    return f"{record.hash}|{record.meta_hash}"


def update_facts(index, settings: FactSettings, progress: Progress | None = None) -> FactsReport:  # noqa: ANN001
    """Bring the stored facts in line with the index's documents (see the module docstring)."""
    started = time.perf_counter()
    collection = _collection(index)
    version = extractor_version(settings)
    records = {s: r for s, r in index.file_records().items() if r.status == "ok" and r.hash}
    stored = _stored(collection)
    report = FactsReport()
    for source in sorted(set(stored) - set(records)):
        collection.delete(where={"source": source})
        report.removed.append(source)
    todo = [s for s, r in sorted(records.items()) if stored.get(s) != (_chunking(r), version)]
    sentences = index.sentences
    for n, source in enumerate(todo, start=1):
        facts = extract_facts(index.all_chunks(where={"source": source}), settings)
        facts = _carry_renderings(facts, _stored_renderings(collection, source))
        collection.delete(where={"source": source})
        if facts:
            vectors = sentences.vectors([(source, f.evidence[0].quote) for f in facts])
            for start in range(0, len(facts), BATCH):
                part = facts[start : start + BATCH]
                collection.upsert(
                    ids=[f.id for f in part],
                    embeddings=vectors[start : start + BATCH],
                    documents=[f.text for f in part],
                    metadatas=[
                        {
                            "source": source,
                            "chunking": _chunking(records[source]),
                            "extractor": version,
                            "kind": f.kind,
                            "fact": f.model_dump_json(),
                        }
                        for f in part
                    ],
                )
        else:  # a marker, so an unchanged document with no facts is not re-read every time
            collection.upsert(
                ids=[f"::none::{source}"], embeddings=[np.zeros(vectors_dim(index), dtype=np.float32)],
                documents=[""], metadatas=[{"source": source, "chunking": _chunking(records[source]),
                                            "extractor": version, "kind": "none", "fact": ""}],
            )  # fmt: skip
        report.rebuilt.append(source)
        if progress:
            progress(n, len(todo), "extracting facts")
    if report.rebuilt or report.removed:
        index.mark_changed()  # readers of the facts (Assistant.fact_book) key on the change token
    report.facts = collection.count()
    report.seconds = time.perf_counter() - started
    return report


def _stored_renderings(collection, source: str) -> dict[tuple[str, str], dict[str, str]]:  # noqa: ANN001
    """(key, text) -> renderings of the stored facts of ``source`` that have any."""
    got = collection.get(where={"source": source}, include=["metadatas"])
    found = {}
    for meta in got["metadatas"] or []:
        if meta.get("kind") != "none":
            fact = Fact.model_validate_json(meta["fact"])
            if fact.renderings:
                found[(fact.key, fact.text)] = fact.renderings
    return found


def _carry_renderings(facts: list[Fact], stored: dict[tuple[str, str], dict[str, str]]) -> list[Fact]:
    """New facts with the renderings stored for a fact of the same key and text (checked again)."""
    if not stored:
        return facts
    from assistant.facts.render import apply_renderings

    return [apply_renderings(f, stored[(f.key, f.text)]) if (f.key, f.text) in stored else f for f in facts]


def save_renderings(index, facts: list[Fact]) -> int:  # noqa: ANN001
    """Store the renderings of ``facts`` in their records (a merged fact's is its first statement's,
    whose id it has), beside any already stored; returns how many records changed."""
    with_renderings = {f.id: f.renderings for f in facts if f.renderings}
    if not with_renderings:
        return 0
    collection = _collection(index)
    got = collection.get(ids=list(with_renderings), include=["metadatas"])
    ids, metadatas = [], []
    for record_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
        stored = Fact.model_validate_json(meta["fact"])
        renderings = {**stored.renderings, **with_renderings[record_id]}
        if renderings != stored.renderings:
            ids.append(record_id)
            metadatas.append({**meta, "fact": stored.model_copy(update={"renderings": renderings}).model_dump_json()})
    for start in range(0, len(ids), BATCH):
        collection.update(ids=ids[start : start + BATCH], metadatas=metadatas[start : start + BATCH])
    if ids:
        index.mark_changed()  # readers of the facts (Assistant.fact_book) key on the change token
    return len(ids)


def vectors_dim(index) -> int:  # noqa: ANN001
    return len(index.query_vector("dimension"))


class FactBook(BaseModel):
    """The merged facts of an index, and which of them disagree (see :func:`merge.find_conflicts`)."""

    facts: list[Fact] = Field(default_factory=list)
    conflicts: dict[str, list[Fact]] = Field(default_factory=dict)


def read_stored(index) -> tuple[list[Fact], np.ndarray | None]:  # noqa: ANN001
    got = _collection(index).get(include=["metadatas", "embeddings"])
    facts, vectors = [], []
    for meta, vector in zip(got["metadatas"] or [], got["embeddings"] if got["embeddings"] is not None else []):
        if meta.get("kind") == "none":
            continue
        facts.append(Fact.model_validate(json.loads(meta["fact"])))
        vectors.append(np.asarray(vector, dtype=np.float32))
    order = sorted(range(len(facts)), key=lambda i: (facts[i].evidence[0].source, _position(facts[i])))
    return [facts[i] for i in order], (np.stack([vectors[i] for i in order]) if facts else None)


def load_facts(index, settings: FactSettings, merged: bool = True) -> list[Fact]:  # noqa: ANN001
    """Every stored fact, merged across documents and languages unless ``merged`` is False."""
    facts, vectors = read_stored(index)
    if not merged or not facts:
        return facts
    return _merged(facts, vectors, settings)


def _merged(facts: list[Fact], vectors: np.ndarray | None, settings: FactSettings) -> list[Fact]:
    return merge_facts(facts, vectors, settings.merge_min_similarity, settings.merge_min_similarity_same,
                       settings.merge_min_duty_overlap_same, settings.merge_min_task_overlap_same)  # fmt: skip


def load_book(index, settings: FactSettings) -> FactBook:  # noqa: ANN001
    """The merged facts and their conflicts."""
    facts, vectors = read_stored(index)
    if not facts:
        return FactBook()
    merged = _merged(facts, vectors, settings)
    first = {f.id: i for i, f in enumerate(facts)}
    merged_vectors = np.stack([vectors[first[f.id]] for f in merged])
    conflicts = find_conflicts(
        merged, merged_vectors, settings.conflict_min_similarity, settings.conflict_min_overlap_same
    )
    return FactBook(facts=merged, conflicts=dict(conflicts))


def _position(fact: Fact) -> tuple[int, int, int]:
    first = fact.evidence[0]
    return (first.chunk_index, first.page or 0, first.row or 0)
