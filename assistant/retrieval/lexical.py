"""A per-index snapshot for the lexical and key channels: BM25 over folded tokens, keys, embeddings.

The snapshot is built from every chunk of the index (plus the stored embeddings, so
dense scores can be computed for every candidate without re-embedding) and cached
per :class:`CorpusIndex`. Building it tokenizes the whole corpus (about 7 s per 10k
chunks on the 2-core machine), so it is also saved on disk
(:mod:`assistant.retrieval.snapshot_store`) and a new process loads it instead,
when ``index.lexical_snapshot`` is on.

Freshness: every write to the index changes its change token
(:meth:`CorpusIndex.change_token`, one cheap read per search). When the token moved,
the corpus key (:func:`corpus_key`: the file records' hashes, the chunk count, the
embedding model, the collection's identity and this code's version) is computed
again; a snapshot is used only while its key is the index's key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import bm25s
import numpy as np

from assistant.index import _CHANGE_RECORD, CorpusIndex
from assistant.retrieval.keys import extract_keys, key_weight
from assistant.retrieval.named import title_heads
from assistant.retrieval.parts import Part, part_index
from assistant.retrieval.text_norm import bigrams, lexical_terms
from assistant.types import Chunk, ChunkMeta

log = logging.getLogger(__name__)

# Word tokens are cut to this many characters (0 = off): a crude multilingual stemmer.
PREFIX_LENGTH = 6
# Above this many chunks the embeddings are not cached; dense scores then come from Chroma only.
MAX_CACHED_EMBEDDINGS = 200_000
# Bump when the snapshot's content changes meaning (the code's own hash is in the key as well).
SNAPSHOT_FORMAT = 1
# File-record fields left out of the key: a touched but unchanged file only refreshes them.
_VOLATILE = ("mtime", "size")


def chunk_terms(text: str) -> list[str]:
    """The BM25 terms of a text: folded, prefix-cut words and their adjacent pairs."""
    unigrams = lexical_terms(text, prefix=PREFIX_LENGTH)
    return unigrams + bigrams(unigrams)


class ChunkRows(Sequence):
    """Chunks kept as stored rows ``[id, text, metadata]`` and made into :class:`Chunk` objects when read.

    A loaded snapshot of 100k chunks then creates no 100k model objects at start-up (3.6 s here):
    a search reads only its top hits."""

    def __init__(self, rows: list[list]) -> None:
        self.rows = rows
        self._made: dict[int, Chunk] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):  # noqa: ANN001, ANN204 - int or slice, as a list
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.rows)))]
        index = index + len(self.rows) if index < 0 else index
        chunk = self._made.get(index)
        if chunk is None:
            cid, text, meta = self.rows[index]
            chunk = Chunk.model_construct(id=cid, text=text, meta=ChunkMeta.model_construct(**meta))
            self._made[index] = chunk
        return chunk

    def ids(self) -> list[str]:
        return [row[0] for row in self.rows]

    def field(self, name: str) -> list:
        return [row[2].get(name) for row in self.rows]


@dataclass
class Snapshot:
    """Everything the non-dense channels need, aligned by position."""

    signature: str  # the corpus key it was built for (see corpus_key)
    chunks: Sequence[Chunk]  # a list, or ChunkRows when loaded from disk
    keys: list[set[str]]
    embeddings: np.ndarray | None  # unit-normalised rows, or None for very large indexes
    bm25: bm25s.BM25 | None
    source: str = "built"  # "built" in this process, or "loaded" from disk
    token: str | None = None  # the index's change token when the signature was last checked
    position: dict[str, int] = field(default_factory=dict)
    _key_index: dict[str, np.ndarray] | None = field(default=None, repr=False)
    _columns: dict[str, np.ndarray] | None = field(default=None, repr=False)
    _title_heads: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)
    _parts: dict[Part, list[int]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        ids = self.chunks.ids() if isinstance(self.chunks, ChunkRows) else [c.id for c in self.chunks]
        self.position = {cid: i for i, cid in enumerate(ids)}

    def __len__(self) -> int:
        return len(self.chunks)

    def title_heads(self) -> dict[str, tuple[str, ...]]:
        """Each source's title head (:func:`~assistant.retrieval.named.title_heads`), computed once."""
        if self._title_heads is None:
            if isinstance(self.chunks, ChunkRows):
                pairs = zip(self.chunks.field("source"), self.chunks.field("title"), strict=True)
            else:
                pairs = ((c.meta.source, c.meta.title) for c in self.chunks)
            titles: dict[str, str] = {}
            for source, title in pairs:
                titles.setdefault(source, title or "")
            self._title_heads = title_heads(titles)
        return self._title_heads

    def _part_index(self) -> dict[Part, list[int]]:
        """Every part a chunk heads → those chunks' positions (:func:`~assistant.retrieval.parts.part_index`),
        built on first use (a regular expression over each chunk's lines)."""
        if self._parts is None:
            if isinstance(self.chunks, ChunkRows):
                pairs = ((row[1], row[2].get("section")) for row in self.chunks.rows)
            else:
                pairs = ((c.text, c.meta.section) for c in self.chunks)
            self._parts = part_index(pairs)
        return self._parts

    def part_positions(self, parts: set[Part]) -> np.ndarray:
        """Positions of the chunks that head one of ``parts``."""
        index = self._part_index()
        return np.asarray(sorted({p for part in parts for p in index.get(part, [])}), dtype=np.int64)

    def kind_positions(self, kinds: set[str]) -> np.ndarray:
        """Positions of the chunks that head a part of one of ``kinds`` (any number)."""
        return self.part_positions({part for part in self._part_index() if part[0] in kinds})

    def bm25_scores(self, query_terms: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the (deduplicated) query terms; zeros when none is known."""
        if self.bm25 is None:
            return np.zeros(len(self.chunks), dtype=np.float32)
        ids = sorted({self.bm25.vocab_dict[t] for t in query_terms if t in self.bm25.vocab_dict})
        if not ids:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32)

    def key_scores(self, query_keys: set[str]) -> np.ndarray:
        """:func:`~assistant.retrieval.keys.key_overlap` of every chunk, through an inverted index of keys."""
        scores = np.zeros(len(self.chunks), dtype=np.float32)
        total = sum(key_weight(k) for k in query_keys)
        if not total:
            return scores
        if self._key_index is None:
            found: dict[str, list[int]] = {}
            for i, keys in enumerate(self.keys):
                for key in keys:
                    found.setdefault(key, []).append(i)
            self._key_index = {k: np.asarray(v, dtype=np.int64) for k, v in found.items()}
        for key in query_keys:
            if key in self._key_index:
                scores[self._key_index[key]] += key_weight(key) / total
        return scores

    def column(self, name: str) -> np.ndarray:
        """One metadata field of every chunk (``source``, ``doc_type``, ``language``), for vectorised filters."""
        if self._columns is None:
            self._columns = {}
        if name not in self._columns:
            values = (
                self.chunks.field(name) if isinstance(self.chunks, ChunkRows)
                else [getattr(c.meta, name) for c in self.chunks]
            )  # fmt: skip
            self._columns[name] = np.array(values, dtype=object)
        return self._columns[name]

    def term_hits(self, position: int, query_terms: set[str]) -> set[str]:
        """The query terms present in one chunk."""
        return query_terms.intersection(chunk_terms(self.chunks[position].text))


def build_snapshot(chunks: list[Chunk], embeddings: np.ndarray | None, signature: str) -> Snapshot:
    """Tokenize, extract keys and index ``chunks`` with BM25.

    Terms become ids as each chunk is tokenized: 100k chunks' terms as strings would hold ~10M string objects."""
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in chunk_terms(c.text) or [""]] for c in chunks]
    keys = [extract_keys(c.text) for c in chunks]
    bm25 = None
    if chunks:
        bm25 = bm25s.BM25()
        bm25.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    del ids
    if embeddings is not None and len(embeddings):
        norms = np.linalg.norm(embeddings, axis=1, keepdims=True)
        embeddings = (embeddings / np.where(norms == 0, 1.0, norms)).astype(np.float32)
    return Snapshot(signature=signature, chunks=chunks, keys=keys, embeddings=embeddings, bm25=bm25)


@cache
def code_version() -> str:
    """Hash of the code that decides a snapshot's content (tokenizer, keys, the dates they read and the language
    test those use, this module)
    and of bm25s's version."""
    from assistant import language
    from assistant.retrieval import dates, keys, text_norm

    digest = hashlib.sha256(f"{SNAPSHOT_FORMAT}\x1f{PREFIX_LENGTH}\x1f{bm25s.__version__}".encode())
    for module in (text_norm, dates, keys, language):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def corpus_key(index: CorpusIndex) -> str:
    """The corpus version a snapshot belongs to: every file record (hashes, chunk counts, when indexed; the
    embedding model's record), the chunk count, the collection's identity and :func:`code_version`."""
    got = index.files.get(include=["metadatas"])
    records = sorted(
        f"{rid}\x1f{json.dumps({k: v for k, v in (meta or {}).items() if k not in _VOLATILE}, sort_keys=True)}"
        for rid, meta in zip(got["ids"], got["metadatas"] or [])
        if rid != _CHANGE_RECORD  # moves with every write, even one that changes nothing indexed
    )
    head = f"{index.collection_id}\x1f{index.count()}\x1f{code_version()}"
    return hashlib.sha256("\n".join([head, *records]).encode("utf-8")).hexdigest()


_CACHE: weakref.WeakKeyDictionary[CorpusIndex, Snapshot] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _load(index: CorpusIndex) -> tuple[list[Chunk], np.ndarray | None]:
    """Every chunk and (unless the index is very large) its vector, read page by page."""
    with_embeddings = index.count() <= MAX_CACHED_EMBEDDINGS
    chunks: list[Chunk] = []
    pages: list[np.ndarray] = []
    for page, vectors in index.chunk_pages(with_embeddings=with_embeddings):
        chunks += page
        if with_embeddings and vectors is not None:
            pages.append(np.asarray(vectors, dtype=np.float32))
    matrix = np.concatenate(pages) if pages and sum(len(p) for p in pages) == len(chunks) else None
    return chunks, matrix


def _fresh(index: CorpusIndex, key: str) -> Snapshot:
    """The snapshot for ``key``: loaded from disk when saved there with that key, else built (and saved)."""
    from assistant.retrieval import snapshot_store

    store = snapshot_store.location(index) if index.settings.lexical_snapshot else None
    started = time.perf_counter()
    if store is not None:
        loaded = snapshot_store.load(store, key)
        if loaded is not None:
            log.info("lexical snapshot of %d chunks loaded in %.1f s", len(loaded), time.perf_counter() - started)
            return loaded
    chunks, matrix = _load(index)
    after = corpus_key(index)
    snap = build_snapshot(chunks, matrix, key)
    log.info("lexical snapshot of %d chunks built in %.1f s", len(snap), time.perf_counter() - started)
    if store is not None and after == key:  # the index did not change while it was read: the data is key's
        snapshot_store.save(store, snap)
    return snap


def snapshot_for(index: CorpusIndex) -> Snapshot:
    """The snapshot of ``index``, checked against the index's corpus key whenever its change token moved."""
    token = index.change_token()  # read before the data: a write after this moves it again
    with _LOCK:
        cached = _CACHE.get(index)
        if cached is not None and cached.token == token:
            return cached
        key = corpus_key(index)
        if cached is None or cached.signature != key:
            cached = _fresh(index, key)
            _CACHE[index] = cached
        cached.token = token
        return cached


def save_snapshot(index: CorpusIndex) -> bool:
    """Make sure a snapshot of the index as it is now is saved (built now if not): ``assistant index`` calls it,
    so the app's first question loads it instead of building it. Returns whether one was built."""
    from assistant.retrieval import snapshot_store

    if not index.settings.lexical_snapshot or snapshot_store.saved(snapshot_store.location(index), corpus_key(index)):
        return False
    return snapshot_for(index).source == "built"
