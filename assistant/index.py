"""The Chroma index: chunks with their embeddings, and one record per corpus file.

One code path serves both modes: :func:`open_client` returns an embedded
``PersistentClient`` under ``index/`` or an ``HttpClient`` to a shared
``chroma run`` server, and everything else talks to the client it gets.
File records (content hash, chunk count, errors) live in a second collection
beside the chunks, so several app instances that share a server also share
what has been indexed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import chromadb
import chromadb.errors
import numpy as np
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel

from assistant.errors import IndexError_
from assistant.settings import IndexSettings, Settings
from assistant.types import Chunk, ChunkMeta, SearchHit

# Question vectors kept per index: search and answer scoring embed the same question once.
QUERY_VECTORS_KEPT = 64

# Bookkeeping records need no vector; Chroma requires one, so each gets this constant.
_NO_VECTOR = [0.0]
# The record (in the files collection) naming the embedding model the chunks were embedded with.
_INDEX_RECORD = "::index::"


class FileRecord(BaseModel):
    """What the index knows about one corpus file."""

    source: str
    hash: str  # sha256 of the bytes
    meta_hash: str = ""  # hash of the file's manifest entry, the chunk settings and the ingest version
    size: int
    mtime: float
    chunks: int
    indexed_at: float
    status: str  # "ok" or "error"
    error: str = ""
    title: str = ""
    language: str = ""
    doc_type: str = ""
    warnings: str = ""


def open_client(settings: IndexSettings) -> ClientAPI:
    """Open Chroma in the configured mode, with anonymized telemetry off."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.mode == "server":
            return chromadb.HttpClient(host=settings.host, port=settings.port, settings=chroma_settings)
        settings.dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.dir), settings=chroma_settings)
    except Exception as exc:  # chromadb raises plain Exception/ValueError subclasses for connection errors
        where = f"{settings.host}:{settings.port}" if settings.mode == "server" else str(settings.dir)
        raise IndexError_(f"cannot open Chroma ({settings.mode}) at {where}: {exc}") from exc


class CorpusIndex:
    """Chunks and file records in Chroma. The embedding model is built only when first needed."""

    def __init__(
        self, settings: IndexSettings, embeddings: Callable[[], Embeddings], model_label: str = ""
    ) -> None:
        self.settings = settings
        self.model_label = model_label
        self._model_checked = not model_label
        self.client = open_client(settings)
        self._embeddings_factory = embeddings
        self._embeddings: Embeddings | None = None
        self._embeddings_lock = threading.Lock()
        self._query_vectors: dict[str, np.ndarray] = {}  # newest last
        self._query_lock = threading.Lock()
        self._open_collections()

    def _open_collections(self) -> None:
        self._store: Chroma | None = None
        self.files = self.client.get_or_create_collection(f"{self.settings.collection}__files")
        # Reads that need no embeddings (counts, ids, neighbours) go to the raw collection.
        self._chunks = self.client.get_or_create_collection(
            self.settings.collection, configuration={"hnsw": {"space": "cosine"}}
        )
        # Passage-sentence vectors for answer scoring (assistant/sentence_vectors.py).
        self.sentence_collection = self.client.get_or_create_collection(
            f"{self.settings.collection}__sentences", configuration={"hnsw": {"space": "cosine"}}
        )

    @property
    def embeddings(self) -> Embeddings:
        with self._embeddings_lock:  # concurrent first requests must not load the model twice
            if self._embeddings is None:
                self._embeddings = self._embeddings_factory()
        return self._embeddings

    def query_vector(self, query: str) -> np.ndarray:
        """The unit-length query embedding of ``query`` (query prompt); the last few are kept, since
        search and answer scoring both need the same question's vector."""
        with self._query_lock:
            cached = self._query_vectors.get(query)
        if cached is not None:
            return cached
        vector = np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        vector /= max(float(np.linalg.norm(vector)), 1e-12)
        with self._query_lock:
            self._query_vectors[query] = vector
            while len(self._query_vectors) > QUERY_VECTORS_KEPT:
                self._query_vectors.pop(next(iter(self._query_vectors)))
        return vector

    @property
    def store(self) -> Chroma:
        """The LangChain vector store over the chunk collection (cosine distance)."""
        if self._store is None:
            self._store = Chroma(
                client=self.client,
                collection_name=self.settings.collection,
                embedding_function=self.embeddings,
                collection_configuration={"hnsw": {"space": "cosine"}},
            )
        return self._store

    # -- file records -------------------------------------------------------------------------

    def file_records(self) -> dict[str, FileRecord]:
        got = self.files.get(include=["metadatas"])
        return {
            rid: FileRecord(**meta)
            for rid, meta in zip(got["ids"], got["metadatas"] or [])
            if rid != _INDEX_RECORD
        }

    def check_model(self) -> None:
        """Refuse to mix embedding models: vectors of two models are not comparable.

        The first write records the model; later runs with another model get an
        error that says how to rebuild, instead of silently wrong rankings.
        """
        if self._model_checked:
            return
        got = self.files.get(ids=[_INDEX_RECORD], include=["metadatas"])
        stored = got["metadatas"][0].get("embedding_model") if got["ids"] else None
        if stored is None:  # a new index (or one from before models were recorded): record ours
            self.files.upsert(
                ids=[_INDEX_RECORD], embeddings=[_NO_VECTOR], metadatas=[{"embedding_model": self.model_label}]
            )
        elif stored != self.model_label:
            raise IndexError_(
                f"the index was built with embedding model {stored!r}, but the settings name {self.model_label!r}; "
                "run `assistant index --rebuild` to re-embed the corpus"
            )
        self._model_checked = True

    def reset(self) -> None:
        """Drop every chunk and record (for a rebuild with another embedding model)."""
        for name in (self.settings.collection, f"{self.settings.collection}__files",
                     f"{self.settings.collection}__sentences"):
            try:
                self.client.delete_collection(name)
            except (ValueError, chromadb.errors.NotFoundError):
                pass  # already absent
        self._open_collections()
        self._model_checked = not self.model_label

    def put_file_record(self, record: FileRecord) -> None:
        self.files.upsert(ids=[record.source], embeddings=[_NO_VECTOR], metadatas=[record.model_dump()])

    def drop_file_record(self, source: str) -> None:
        self.files.delete(ids=[source])

    # -- chunks ---------------------------------------------------------------------------------

    def add_chunks(self, chunks: list[Chunk]) -> None:
        """Embed and upsert chunks and their sentences (ids are stable, so re-adding never duplicates)."""
        from assistant.sentence_vectors import SentenceVectors  # sentence_vectors -> answer -> retrieval -> index

        self.check_model()
        if chunks:
            self.store.add_texts(
                texts=[c.text for c in chunks],
                metadatas=[c.meta.to_chroma() for c in chunks],
                ids=[c.id for c in chunks],
            )
            SentenceVectors(self).add_chunks(chunks)

    def delete_sentences(self, source: str) -> None:
        """Forget the stored sentence vectors of ``source`` (before re-writing a changed file)."""
        self.sentence_collection.delete(where={"source": source})

    def chunk_ids(self, source: str) -> set[str]:
        return set(self._chunks.get(where={"source": source}, include=[])["ids"])

    def delete_chunks(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), 500):
            self._chunks.delete(ids=ids[start : start + 500])

    def delete_source(self, source: str) -> int:
        """Remove a file's chunks and its record. Returns the number of chunks removed."""
        ids = self.chunk_ids(source)
        self.delete_chunks(ids)
        self.delete_sentences(source)
        self.drop_file_record(source)
        return len(ids)

    def neighbours(self, source: str, first: int, last: int) -> list[Chunk]:
        """Chunks of ``source`` with ``first <= chunk_index <= last``, in reading order."""
        where = {"$and": [{"source": source}, {"chunk_index": {"$gte": first}}, {"chunk_index": {"$lte": last}}]}
        return sorted(self.all_chunks(where=where), key=lambda c: c.meta.chunk_index)

    def all_ids(self) -> list[str]:
        """Ids of every chunk (cheap: no documents, no vectors)."""
        return list(self._chunks.get(include=[])["ids"])

    def chunks_with_embeddings(
        self, where: dict | None = None, with_embeddings: bool = True
    ) -> tuple[list[Chunk], list | None]:
        """Chunks (all, or those matching ``where``) and optionally their stored vectors, in the same order."""
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        got = self._chunks.get(where=where, include=include)
        chunks = [
            Chunk(id=i, text=t, meta=ChunkMeta.from_chroma(m))
            for i, t, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [])
        ]
        vectors = got.get("embeddings") if with_embeddings else None
        return chunks, (vectors if vectors is not None and len(vectors) else None)

    def count(self) -> int:
        return self._chunks.count()

    def all_chunks(self, where: dict | None = None) -> list[Chunk]:
        return self.chunks_with_embeddings(where, with_embeddings=False)[0]

    # -- search ---------------------------------------------------------------------------------

    def dense_search(self, query: str, k: int, where: dict | None = None) -> list[SearchHit]:
        """Cosine search with the query prompt; scores are relevance in [0, 1]."""
        if self.count() == 0:
            return []
        self.check_model()
        pairs = self.store.similarity_search_with_relevance_scores(query, k=k, filter=where)
        hits = []
        for rank, (doc, score) in enumerate(pairs, start=1):
            chunk = Chunk(id=str(doc.id), text=doc.page_content, meta=ChunkMeta.from_chroma(doc.metadata))
            hits.append(SearchHit(chunk=chunk, score=float(score), rank=rank, dense_rank=rank))
        return hits


def open_index(settings: Settings) -> CorpusIndex:
    """The index as configured, with the configured embedding model built lazily on first use."""
    from assistant.models.embeddings import build_embeddings, model_version

    return CorpusIndex(
        settings.index, lambda: build_embeddings(settings.embedding), model_label=model_version(settings.embedding)
    )
