"""The search entry point used by the CLI, the web UI and evaluation."""

from __future__ import annotations

from assistant.index import CorpusIndex
from assistant.retrieval.filters import SearchFilters
from assistant.types import SearchHit


def search(index: CorpusIndex, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[SearchHit]:
    """Rank the passages of the index for ``query``, best first."""
    where = filters.to_where() if filters else None
    return index.dense_search(query, k=k, where=where)
