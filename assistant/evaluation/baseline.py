"""The tutorial baseline retriever, to measure the hybrid search against (not used at run time).

It is what a LangChain RAG tutorial builds: whole documents cut by
``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`` with its
default separators, one sentence-transformers embedder, cosine top-k. A numpy
matrix stands in for the tutorial's Chroma collection: on unit vectors both rank
by cosine, and a throwaway matrix writes nothing to disk. Hits are ordinary
:class:`SearchHit` objects, so :func:`evaluate_retrieval` scores them with the same
hit definition as the hybrid search.
"""

from __future__ import annotations

import numpy as np
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.errors import IngestError
from assistant.ingest.loader import load_file
from assistant.ingest.metadata import load_manifest
from assistant.settings import CorpusSettings
from assistant.sync import scan_corpus
from assistant.types import Chunk, ChunkMeta, SearchHit

TUTORIAL_CHUNK_SIZE = 1000
TUTORIAL_CHUNK_OVERLAP = 200
_DOCUMENT_KEYS = ("source", "title", "url", "language", "doc_type", "site", "date")


def tutorial_chunks(
    corpus: CorpusSettings, size: int = TUTORIAL_CHUNK_SIZE, overlap: int = TUTORIAL_CHUNK_OVERLAP
) -> list[Chunk]:
    """Every corpus file as one text (its loaded units joined), cut into fixed-size overlapping chunks."""
    manifest = load_manifest(corpus.dir, corpus)
    splitter = RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=overlap)
    chunks: list[Chunk] = []
    for source, path in scan_corpus(corpus.dir, *corpus.sidecars).items():
        try:
            loaded = load_file(path, corpus.dir, corpus, manifest)
        except IngestError:
            continue  # the indexer skips such files too
        text = "\n\n".join(doc.page_content for doc in loaded.documents)
        first = loaded.documents[0].metadata
        base = {key: first.get(key) for key in _DOCUMENT_KEYS if first.get(key) is not None}
        for i, piece in enumerate(splitter.split_text(text)):
            chunks.append(Chunk(id=f"{source}#{i}", text=piece, meta=ChunkMeta(**base, chunk_index=i)))
    return chunks


class CosineRetriever:
    """Plain dense top-k over a fixed set of chunks (a :data:`Retriever` for ``evaluate_retrieval``)."""

    def __init__(self, chunks: list[Chunk], embeddings: Embeddings, k: int = 10) -> None:
        self.chunks = chunks
        self.k = k
        self._embeddings = embeddings
        self._matrix = _unit_rows(np.asarray(embeddings.embed_documents([c.text for c in chunks]), dtype=np.float32))

    def __call__(self, query: str) -> list[SearchHit]:
        vector = _unit_rows(np.asarray([self._embeddings.embed_query(query)], dtype=np.float32))[0]
        scores = self._matrix @ vector
        order = np.argsort(-scores, kind="stable")[: self.k]
        return [
            SearchHit(chunk=self.chunks[i], score=float(scores[i]), rank=rank, dense_rank=rank)
            for rank, i in enumerate(order, start=1)
        ]


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
