"""A per-index snapshot for the lexical and key channels: BM25 over folded tokens, keys, embeddings.

The snapshot is built lazily from ``index.all_chunks()`` (plus the stored
embeddings, so dense scores can be computed for every candidate without
re-embedding) and cached per :class:`CorpusIndex`. It is rebuilt when the
chunk count or the set of chunk ids changes, which a cheap ids-only read detects.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from dataclasses import dataclass, field

import bm25s
import numpy as np

from assistant.index import CorpusIndex
from assistant.retrieval.keys import extract_keys
from assistant.retrieval.text_norm import bigrams, lexical_terms
from assistant.types import Chunk

# Word tokens are cut to this many characters (0 = off): a crude multilingual stemmer.
PREFIX_LENGTH = 6
# Above this many chunks the embeddings are not cached; dense scores then come from Chroma only.
MAX_CACHED_EMBEDDINGS = 200_000


def _signature(ids: list[str]) -> str:
    return hashlib.sha1("\n".join(sorted(ids)).encode("utf-8")).hexdigest()


@dataclass
class Snapshot:
    """Everything the non-dense channels need, aligned by position."""

    signature: str
    chunks: list[Chunk]
    terms: list[list[str]]
    keys: list[set[str]]
    embeddings: np.ndarray | None  # unit-normalised rows, or None for very large indexes
    bm25: bm25s.BM25 | None
    position: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.position = {c.id: i for i, c in enumerate(self.chunks)}

    def __len__(self) -> int:
        return len(self.chunks)

    def bm25_scores(self, query_terms: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the (deduplicated) query terms; zeros when none is known."""
        if self.bm25 is None:
            return np.zeros(len(self.chunks), dtype=np.float32)
        ids = sorted({self.bm25.vocab_dict[t] for t in query_terms if t in self.bm25.vocab_dict})
        if not ids:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32)

    def term_hits(self, position: int, query_terms: set[str]) -> set[str]:
        """The query terms present in one chunk."""
        return query_terms.intersection(self.terms[position])


def build_snapshot(chunks: list[Chunk], embeddings: np.ndarray | None, signature: str) -> Snapshot:
    """Tokenize, extract keys and index ``chunks`` with BM25."""
    unigrams = [lexical_terms(c.text, prefix=PREFIX_LENGTH) for c in chunks]
    terms = [u + bigrams(u) for u in unigrams]
    keys = [extract_keys(c.text) for c in chunks]
    bm25 = None
    if chunks:
        bm25 = bm25s.BM25()
        bm25.index([t or [""] for t in terms], show_progress=False)
    if embeddings is not None and len(embeddings):
        norms = np.linalg.norm(embeddings, axis=1, keepdims=True)
        embeddings = embeddings / np.where(norms == 0, 1.0, norms)
    return Snapshot(signature=signature, chunks=chunks, terms=terms, keys=keys, embeddings=embeddings, bm25=bm25)


_CACHE: weakref.WeakKeyDictionary[CorpusIndex, Snapshot] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _load(index: CorpusIndex) -> tuple[list[Chunk], np.ndarray | None]:
    chunks, vectors = index.chunks_with_embeddings(with_embeddings=index.count() <= MAX_CACHED_EMBEDDINGS)
    matrix = np.asarray(vectors, dtype=np.float32) if vectors is not None else None
    return chunks, matrix


def snapshot_for(index: CorpusIndex) -> Snapshot:
    """The cached snapshot of ``index``, rebuilt if its chunks changed since it was built."""
    ids = index.all_ids()
    signature = _signature(ids)
    with _LOCK:
        cached = _CACHE.get(index)
        if cached is not None and cached.signature == signature:
            return cached
        chunks, matrix = _load(index)
        snap = build_snapshot(chunks, matrix, _signature([c.id for c in chunks]))
        _CACHE[index] = snap
        return snap
