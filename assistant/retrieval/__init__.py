"""Retrieval: from a question to ranked passages."""

from assistant.retrieval.context import expand_context
from assistant.retrieval.filters import SearchFilters
from assistant.retrieval.search import search

__all__ = ["SearchFilters", "expand_context", "search"]
