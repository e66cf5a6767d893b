"""The search entry point used by the CLI, the web UI and evaluation: hybrid retrieval.

Three channels score every chunk that passes the filters:

* **dense** – e5 cosine between the query and the stored chunk embeddings, mixed with the cosine of
  the chunk's closest sentence (``FusionWeights.sentence``; see :func:`sentence_dense`);
* **lexical** – BM25 over folded, transliterated, prefix-cut tokens of the query,
  plus (down-weighted) the glossary's wording of the query's concepts in the corpus languages;
* **keys** – exact document codes, dates and numbers shared by query and chunk.

They are mixed by :func:`fusion.fuse` with :data:`fusion.DEFAULT_WEIGHTS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from assistant.index import CorpusIndex
from assistant.language import acronyms, is_vietnamese
from assistant.retrieval.filters import SearchFilters
from assistant.retrieval.fusion import (
    DEFAULT_WEIGHTS,
    FusionWeights,
    fuse,
    lexical_raw,
    mmr,
    top_order,
)
from assistant.retrieval.glossary import expand
from assistant.retrieval.keys import asked_keys, key_overlap
from assistant.retrieval.lexical import PREFIX_LENGTH, Snapshot, snapshot_for
from assistant.retrieval.named import named_sources
from assistant.retrieval.parts import named_parts
from assistant.retrieval.text_norm import bigrams, lexical_terms
from assistant.types import SearchHit


@dataclass
class Channels:
    """Per-candidate channel scores, aligned with ``positions`` (indexes into the snapshot)."""

    positions: np.ndarray
    dense: np.ndarray
    bm25: np.ndarray
    bm25_bigram: np.ndarray
    bm25_expanded: np.ndarray
    keys: np.ndarray
    query_terms: set[str]
    expanded_terms: set[str]
    query_keys: set[str]
    vietnamese: bool

    def lexical(self, weights: FusionWeights = DEFAULT_WEIGHTS) -> np.ndarray:
        return lexical_raw(self.bm25, self.bm25_bigram, self.bm25_expanded, self.vietnamese, weights)


def _rank_at(values: np.ndarray, i: int) -> int:
    """1-based rank of ``values[i]`` in the stable descending sort of ``values`` (ties in position order), without
    sorting them all; 0 for a score of zero or less (meaning: not retrieved)."""
    value = values[i]
    if value <= 0:
        return 0
    return int(np.count_nonzero(values > value) + np.count_nonzero(values[:i] == value)) + 1


def _positions(snap: Snapshot, filters: SearchFilters | None) -> np.ndarray:
    """Positions of the chunks passing ``filters`` (as :meth:`SearchFilters.matches`, vectorised)."""
    mask = np.ones(len(snap), dtype=bool)
    if filters is not None:
        for name, values in (("source", filters.sources), ("doc_type", filters.doc_types),
                             ("language", filters.languages)):  # fmt: skip
            if values:
                mask &= np.isin(snap.column(name), np.array(values, dtype=object))
    return np.flatnonzero(mask)


class _Rows:
    """``snap.embeddings[positions]`` without the copy: rows are fetched only when indexed (MMR's pool)."""

    def __init__(self, embeddings: np.ndarray, positions: np.ndarray) -> None:
        self.embeddings, self.positions = embeddings, positions

    def __getitem__(self, index: object) -> np.ndarray:
        return self.embeddings[self.positions[index]]


def sentence_dense(
    index: CorpusIndex, snap: Snapshot, positions: np.ndarray, dense: np.ndarray, query: str, weights: FusionWeights
) -> np.ndarray:
    """``dense`` with the best ``weights.sentence_pool`` chunks' cosines mixed with their closest sentence's.

    A chunk's vector averages every topic of the chunk; a question matches one sentence of it. Across
    languages most of all, a row or paragraph holding the answer among others scored below a chunk about the
    question's topic as a whole. The sentences' vectors are the ones stored at index time for answer scoring
    (``CorpusIndex.sentences``), so this costs a lookup, not an embedding.
    """
    share = weights.sentence
    if share <= 0 or weights.sentence_pool <= 0 or not len(dense):
        return dense
    pool = np.asarray(top_order(dense, weights.sentence_pool), dtype=int)
    closest = index.sentences.closest([snap.chunks[int(positions[i])] for i in pool], index.query_vector(query))
    scored = np.isfinite(closest)  # a chunk without a sentence keeps its own cosine
    mixed = dense.astype(np.float32, copy=True)
    mixed[pool[scored]] = (1.0 - share) * mixed[pool[scored]] + share * closest[scored]
    return mixed


def compute_channels(
    index: CorpusIndex, snap: Snapshot, query: str, filters: SearchFilters | None,
    weights: FusionWeights = DEFAULT_WEIGHTS,
) -> Channels:  # fmt: skip
    """Score every chunk passing ``filters`` in the three channels."""
    positions = _positions(snap, filters)
    terms = lexical_terms(query, prefix=PREFIX_LENGTH)
    pairs = bigrams(terms)
    expanded: set[str] = set()
    for form in expand(query):
        form_terms = lexical_terms(form, prefix=PREFIX_LENGTH)
        expanded.update(form_terms + bigrams(form_terms))
    expanded -= set(terms) | set(pairs)
    query_keys = asked_keys(query)

    if snap.embeddings is not None:
        dense = (snap.embeddings @ index.query_vector(query))[positions]  # no copy of the matrix
    else:  # very large index: dense scores only for Chroma's top candidates
        where = filters.to_where() if filters else None
        dense_all = np.zeros(len(snap), dtype=np.float32)
        for hit in index.dense_search(query, k=200, where=where):
            if hit.chunk.id in snap.position:
                dense_all[snap.position[hit.chunk.id]] = hit.score
        dense = dense_all[positions]
    dense = sentence_dense(index, snap, positions, dense, query, weights)

    bm25 = snap.bm25_scores(terms)[positions]
    vietnamese = is_vietnamese(query)
    if not vietnamese and len(positions):
        # Across the Vietnamese boundary single words meet by accident: folded and keyed, English "day"
        # is Vietnamese "đai"/"dài", "can" "cần", "may" "máy". Against a Vietnamese chunk a query in
        # another language keeps only its acronyms ("VNeID", "UBND"), as a Vietnamese query keeps no
        # single word at all (``FusionWeights.vi_unigram``).
        in_vietnamese = snap.column("language")[positions] == "vi"
        if in_vietnamese.any():
            shared = lexical_terms(" ".join(acronyms(query)), prefix=PREFIX_LENGTH)
            across = snap.bm25_scores(shared)[positions] if shared else np.zeros(len(positions))
            bm25 = np.where(in_vietnamese, across, bm25)
    bm25_bigram = snap.bm25_scores(pairs)[positions]
    bm25_expanded = snap.bm25_scores(sorted(expanded))[positions] if expanded else np.zeros(len(positions))
    keys = snap.key_scores(query_keys)[positions]
    return Channels(positions, dense, bm25, bm25_bigram, bm25_expanded, keys, set(terms) | set(pairs), expanded,
                    query_keys, vietnamese)


def _subset(ch: Channels, keep: np.ndarray) -> Channels:
    """The channels of the candidates where ``keep`` is true."""
    return replace(ch, positions=ch.positions[keep], dense=ch.dense[keep], bm25=ch.bm25[keep],
                   bm25_bigram=ch.bm25_bigram[keep], bm25_expanded=ch.bm25_expanded[keep], keys=ch.keys[keep])


def rank(
    snap: Snapshot,
    ch: Channels,
    k: int,
    weights: FusionWeights = DEFAULT_WEIGHTS,
    variants: Sequence[Channels] = (),
) -> list[SearchHit]:
    """Fuse the channels and build the top-``k`` hits with their explanations.

    ``variants`` are the channels of rewritten queries (translations): their fused
    scores are averaged and mixed in with weight ``weights.variants``. Keys always come
    from the original question (a translation may garble a figure).
    """
    if len(ch.positions) == 0 or k <= 0:
        return []
    lexical = ch.lexical(weights)
    fused = fuse(ch.dense, lexical, ch.keys, weights)
    if variants:
        rewritten = np.mean([fuse(v.dense, v.lexical(weights), ch.keys, weights) for v in variants], axis=0)
        fused = (1.0 - weights.variants) * fused + weights.variants * rewritten
    vectors = _Rows(snap.embeddings, ch.positions) if snap.embeddings is not None else None
    order = mmr(fused, vectors, k, weights.mmr_lambda)
    hits = []
    query_terms = ch.query_terms.union(ch.expanded_terms, *(v.query_terms for v in variants))
    for position, i in enumerate(order, start=1):
        p = int(ch.positions[i])
        terms = snap.term_hits(p, query_terms)
        keys = key_overlap(ch.query_keys, snap.keys[p])[1]
        hits.append(
            SearchHit(
                chunk=snap.chunks[p],
                score=float(fused[i]),
                rank=position,
                dense_rank=_rank_at(ch.dense, i) or None,
                lexical_rank=_rank_at(lexical, i) or None,
                matched_terms=sorted(keys) + sorted(terms),
            )
        )
    return hits


def search(
    index: CorpusIndex,
    query: str,
    k: int = 5,
    filters: SearchFilters | None = None,
    weights: FusionWeights = DEFAULT_WEIGHTS,
    variants: Sequence[str] = (),
    named_passages: int = 0,
    part_passages: int = 0,
) -> list[SearchHit]:
    """Rank the passages of the index for ``query``, best first (hybrid dense + BM25 + keys).

    ``variants`` are other wordings of the same question, e.g. its translations from
    :class:`~assistant.retrieval.rewrite.QueryRewriter` (multi-query retrieval). When the query
    names a numbered part ("Điều 3", "Article 5": :mod:`assistant.retrieval.parts`), the best
    ``part_passages`` of the chunks heading it come first (of the document the query names, when
    that one has the part; the best one heading a part of its kind when none heads it). Otherwise, when it names a document by its title
    (:mod:`assistant.retrieval.named`), that document's best ``named_passages`` come first.
    """
    snap = snapshot_for(index)
    if not len(snap):
        return []
    index.check_model()
    channels = compute_channels(index, snap, query, filters, weights)
    others = [compute_channels(index, snap, v, filters, weights) for v in variants if v.strip() and v != query]
    hits = rank(snap, channels, k, weights, others)
    named = [] if named_passages <= 0 or (filters and filters.sources) else named_sources(query, snap.title_heads())
    own = np.isin(snap.column("source")[channels.positions], named) if named else None
    parts = named_parts(query) if part_passages > 0 else set()
    heading = np.isin(channels.positions, snap.part_positions(parts)) if parts else None
    heading_passages = part_passages
    if heading is not None and not heading.any():
        # "Article 7" where the documents number articles 1 to 4: the nearest article shows what there is
        # (and lets the answer see that this one is not).
        heading = np.isin(channels.positions, snap.kind_positions({kind for kind, _ in parts}))
        heading_passages = min(part_passages, 1)
    if heading is not None and own is not None and (heading & own).any():
        heading &= own  # "Điều 3" of a document named by its title: that document's article
    # Every channel scores each chunk on its own, so a subset's share of them is its own ranking.
    first: list[SearchHit] = []
    if heading is not None and heading.any():
        # The question names a part ("Điều 3", "Article 5"): the chunks heading it come first.
        first = rank(snap, _subset(channels, heading), heading_passages, weights)
    elif own is not None:
        # The question names a document by its title ("Theo mẫu biên bản, …"): its best passages come first.
        first = rank(snap, _subset(channels, own), named_passages, weights)
    if first:
        ids = {h.chunk.id for h in first}
        hits = [*first, *(h for h in hits if h.chunk.id not in ids)][:k]
        hits = [h.model_copy(update={"rank": n}) for n, h in enumerate(hits, start=1)]
    return hits
