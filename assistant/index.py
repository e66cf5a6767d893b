"""The Chroma index: chunks with their embeddings, and one record per corpus file.

One code path serves both modes: :func:`open_client` returns an embedded
``PersistentClient`` under ``index/`` or an ``HttpClient`` to a shared
``chroma run`` server, and everything else talks to the client it gets.
File records (content hash, chunk count, errors) live in a second collection
beside the chunks, so several app instances that share a server also share
what has been indexed.
"""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING

import chromadb
import chromadb.errors
import numpy as np
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel

from assistant.chroma_client import index_errors, open_client
from assistant.errors import IndexError_, IndexFull
from assistant.settings import IndexSettings, Settings
from assistant.types import Chunk, ChunkMeta, SearchHit

if TYPE_CHECKING:
    from assistant.sentence_vectors import SentenceVectors

# Question vectors kept per index: search and answer scoring embed the same question once.
QUERY_VECTORS_KEPT = 64

# Bookkeeping records need no vector; Chroma requires one, so each gets this constant.
_NO_VECTOR = [0.0]
# The record (in the files collection) naming the embedding model the chunks were embedded with.
_INDEX_RECORD = "::index::"
# The record (in the files collection) whose token changes with every write to the index: readers that keep
# something derived from the chunks (the lexical snapshot) compare it instead of re-reading the index.
_CHANGE_RECORD = "::changed::"
# Chunks read per request when all of them are read (a single request for 100k vectors is ~1 GB of JSON).
CHUNK_PAGE = 5000


def _new_token() -> dict[str, str]:
    return {"token": uuid.uuid4().hex}


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
        with index_errors(settings):
            self._open_collections()

    def check_space(self) -> None:
        """Raise :class:`IndexFull` when the embedded folder's disk has less than ``min_free_mb`` free.

        Called before each write batch: when the disk fills up in the middle of a write, Chroma's
        embedded database hangs (measured with chromadb 1.5.9 on a full tmpfs) instead of failing."""
        if self.settings.mode != "embedded":
            return  # a server watches its own disk
        free = shutil.disk_usage(self.settings.dir).free
        if free < self.settings.min_free_mb * 1024 * 1024:
            raise IndexFull(
                f"the disk holding the index folder {self.settings.dir} has {free / 1024 / 1024:.1f} MB free, "
                f"less than index.min_free_mb = {self.settings.min_free_mb:g}: indexing stopped before the disk "
                "filled up. Free some space (or point index.dir elsewhere) and run `assistant index` again; "
                "the files indexed so far are kept and the others are indexed then"
            )

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

    @cached_property
    def sentences(self) -> SentenceVectors:
        """The stored passage-sentence vectors of this index, with one in-memory cache shared by indexing,
        search (:mod:`assistant.retrieval.search`) and answer scoring."""
        from assistant.sentence_vectors import SentenceVectors  # sentence_vectors -> answer -> retrieval -> index

        return SentenceVectors(self)

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
            if not rid.startswith("::")  # bookkeeping records (_INDEX_RECORD, _CHANGE_RECORD)
        }

    def mark_changed(self) -> None:
        """Give the index a new change token (called after every write of chunks or records)."""
        self.files.upsert(ids=[_CHANGE_RECORD], embeddings=[_NO_VECTOR], metadatas=[_new_token()])

    def change_token(self) -> str:
        """The token of the last write (one cheap read); "" for an index never written since tokens exist."""
        got = self.files.get(ids=[_CHANGE_RECORD], include=["metadatas"])
        return str(got["metadatas"][0].get("token", "")) if got["ids"] else ""

    @property
    def collection_id(self) -> str:
        """Chroma's id of the chunk collection: a rebuilt or migrated collection gets a new one."""
        return str(self._chunks.id)

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
        self.mark_changed()

    def put_file_record(self, record: FileRecord) -> None:
        """Write a file's record, and a new change token with it (one write, not two)."""
        self.files.upsert(ids=[record.source, _CHANGE_RECORD], embeddings=[_NO_VECTOR, _NO_VECTOR],
                          metadatas=[record.model_dump(), _new_token()])  # fmt: skip

    def drop_file_record(self, source: str) -> None:
        self.files.delete(ids=[source])
        self.mark_changed()

    # -- chunks ---------------------------------------------------------------------------------

    def add_chunks(self, chunks: list[Chunk]) -> None:
        """Embed and upsert chunks and their sentences (ids are stable, so re-adding never duplicates)."""
        self.check_model()
        if chunks:
            # Embedded here rather than by the LangChain store: the vector is of the chunk with its
            # context header, the stored document the chunk's own text (what quotes and BM25 read).
            vectors = self.embeddings.embed_documents([c.embedding_text for c in chunks])
            self._chunks.upsert(
                ids=[c.id for c in chunks],
                embeddings=vectors,
                documents=[c.text for c in chunks],
                metadatas=[c.meta.to_chroma() for c in chunks],
            )
            self.sentences.add_chunks(chunks)
            self.mark_changed()

    def delete_sentences(self, source: str) -> None:
        """Forget the stored sentence vectors of ``source`` (before re-writing a changed file)."""
        self.sentence_collection.delete(where={"source": source})

    def chunk_ids(self, source: str) -> set[str]:
        return set(self._chunks.get(where={"source": source}, include=[])["ids"])

    def delete_chunks(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), 500):
            self._chunks.delete(ids=ids[start : start + 500])
        if ids:
            self.mark_changed()

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

    def chunk_pages(self, with_embeddings: bool = True, page: int = CHUNK_PAGE) -> Iterator[tuple[list[Chunk], list | None]]:
        """Every chunk (and optionally its vector), ``page`` at a time: memory stays flat while a large index is read."""
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        offset = 0
        while True:
            got = self._chunks.get(include=include, limit=page, offset=offset)
            chunks = [
                Chunk(id=i, text=t, meta=ChunkMeta.from_chroma(m))
                for i, t, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [])
            ]
            vectors = got.get("embeddings") if with_embeddings else None
            if chunks:
                yield chunks, (vectors if vectors is not None and len(vectors) else None)
            if len(chunks) < page:
                return
            offset += page

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
