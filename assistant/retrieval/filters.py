"""Metadata filters by document, document type and language, as a Chroma ``where`` clause."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.types import ChunkMeta


class SearchFilters(BaseModel):
    """Restrict a search; an empty list means no restriction on that field."""

    sources: list[str] = Field(default_factory=list, description="Relative source paths.")
    doc_types: list[str] = Field(default_factory=list, description="guidebook, template, list, article, other.")
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes.")

    def to_where(self) -> dict | None:
        clauses = [
            {field: {"$in": values}}
            for field, values in (("source", self.sources), ("doc_type", self.doc_types), ("language", self.languages))
            if values
        ]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def matches(self, meta: ChunkMeta) -> bool:
        """The same restriction as :meth:`to_where`, applied in Python (for the lexical and key channels)."""
        return (
            (not self.sources or meta.source in self.sources)
            and (not self.doc_types or meta.doc_type in self.doc_types)
            and (not self.languages or meta.language in self.languages)
        )
