"""Sentence vectors: the embedding of every passage sentence, computed at index time and stored.

Which sentence of the retrieved passages answers a question is scored partly by the
embedding model's cross-lingual similarity between the question and each sentence
(:mod:`assistant.answer.scoring`). Embedding forty sentences per question would cost
about a second on this machine, so :func:`assistant.sync.sync_corpus` embeds each new
chunk's sentences once (in :meth:`CorpusIndex.add_chunks`), with the passage prompt, into a Chroma collection beside the
chunks (``<collection>__sentences``), keyed by a hash of the source and the sentence
text. A question then costs one lookup; a sentence not stored yet (a passage widened
across a chunk boundary) is embedded on the spot and stored.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

import numpy as np

from assistant.answer.text import sentence_spans
from assistant.types import Chunk

# Sentences looked up or written per Chroma call.
BATCH = 512
# Vectors kept in memory (each 384 floats): repeated questions and passages skip Chroma.
MEMORY_ENTRIES = 20_000


def sentence_id(source: str, text: str) -> str:
    """Stable id of one sentence of one source (the same sentence twice in a file is stored once)."""
    return hashlib.sha256(f"{source}\x1f{text}".encode()).hexdigest()[:32]


def chunk_sentences(chunk: Chunk) -> list[str]:
    """The sentences of a chunk, as the answer scorer splits passages."""
    return [chunk.text[s:e] for s, e in sentence_spans(chunk.text)]


class SentenceVectors:
    """Stored passage-sentence vectors of one index (unit length, passage prompt)."""

    def __init__(self, index) -> None:  # noqa: ANN001 - a CorpusIndex (import cycle: index -> sync -> here)
        self.index = index
        self._lock = threading.Lock()
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def collection(self):  # noqa: ANN201 - chromadb Collection
        return self.index.sentence_collection

    def add_chunks(self, chunks: Iterable[Chunk]) -> int:
        """Embed and store the sentences of ``chunks`` not stored yet; returns how many were embedded."""
        items = {sentence_id(c.meta.source, t): (c.meta.source, t) for c in chunks for t in chunk_sentences(c)}
        return self._ensure(items)

    def vectors(self, items: Sequence[tuple[str, str]]) -> np.ndarray:
        """Unit vectors of ``(source, sentence)`` pairs, in order (embedding and storing any missing)."""
        if not items:
            return np.zeros((0, 0), dtype=np.float32)
        ids = [sentence_id(s, t) for s, t in items]
        self._ensure(dict(zip(ids, items)))
        with self._lock:
            return np.stack([self._memory[i] for i in ids])

    def closest(self, chunks: Sequence[Chunk], query: np.ndarray) -> np.ndarray:
        """Each chunk's highest sentence cosine to the unit ``query`` vector (-inf for a chunk without text)."""
        items, owner = [], []
        for n, chunk in enumerate(chunks):
            for text in chunk_sentences(chunk):
                items.append((chunk.meta.source, text))
                owner.append(n)
        best = np.full(len(chunks), -np.inf, dtype=np.float32)
        if items:
            np.maximum.at(best, np.asarray(owner), (self.vectors(items) @ query).astype(np.float32))
        return best

    def _ensure(self, items: dict[str, tuple[str, str]]) -> int:
        """Load the stored vectors of ``items`` into memory; embed and store the rest."""
        with self._lock:
            wanted = [i for i in items if i not in self._memory]
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(wanted), BATCH):
            got = self.collection.get(ids=wanted[start : start + BATCH], include=["embeddings"])
            for i, vector in zip(got["ids"], got["embeddings"] if got["embeddings"] is not None else []):
                found[i] = np.asarray(vector, dtype=np.float32)
        missing = [i for i in wanted if i not in found]
        if missing:
            texts = [items[i][1] for i in missing]
            vectors = np.asarray(self.index.embeddings.embed_documents(texts), dtype=np.float32)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            for start in range(0, len(missing), BATCH):
                part = slice(start, start + BATCH)
                self.collection.upsert(
                    ids=missing[part],
                    embeddings=vectors[part],
                    metadatas=[{"source": items[i][0]} for i in missing[part]],
                )
            found.update(zip(missing, vectors))
        with self._lock:
            for i, vector in found.items():
                self._memory[i] = vector
                self._memory.move_to_end(i)
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)
        return len(missing)


class QuestionSimilarity:
    """Cosine between a question and passage sentences (the embedding model's query prompt)."""

    def __init__(self, index, store: SentenceVectors) -> None:  # noqa: ANN001 - a CorpusIndex
        self.index = index
        self.store = store

    def __call__(self, question: str, items: Sequence[tuple[str, str]]) -> np.ndarray:
        if not items:
            return np.zeros(0, dtype=np.float32)
        return self.store.vectors(items) @ self.index.query_vector(question)  # search embedded it already


class EmbeddingSimilarity:
    """The same cosine as :class:`QuestionSimilarity`, straight from an embedding model, without an index
    (claim-verifier evaluation over passages that are not indexed). Vectors are kept in memory."""

    def __init__(self, embeddings) -> None:  # noqa: ANN001 - a LangChain Embeddings
        self.embeddings = embeddings
        self._queries: dict[str, np.ndarray] = {}
        self._sentences: dict[str, np.ndarray] = {}

    def __call__(self, question: str, items: Sequence[tuple[str, str]]) -> np.ndarray:
        if not items:
            return np.zeros(0, dtype=np.float32)
        if question not in self._queries:
            self._queries[question] = _unit(np.asarray(self.embeddings.embed_query(question), dtype=np.float32))
        missing = list(dict.fromkeys(t for _, t in items if t not in self._sentences))
        if missing:
            vectors = _unit(np.asarray(self.embeddings.embed_documents(missing), dtype=np.float32))
            self._sentences.update(zip(missing, vectors))
        return np.stack([self._sentences[t] for _, t in items]) @ self._queries[question]


def unit_vectors(vectors) -> np.ndarray:  # noqa: ANN001 - a list of lists or an array
    """``vectors`` as a float32 array of unit rows (cosine = dot product)."""
    return _unit(np.asarray(vectors, dtype=np.float32))


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
