"""Choosing facts: by kind, level, actor, document type or document (the view's and the CLI's filters)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.facts.model import Fact, FactKind, Level
from assistant.retrieval.text_norm import fold


class FactFilter(BaseModel):
    """Empty lists and None mean no restriction."""

    kinds: list[FactKind] = Field(default_factory=list)
    levels: list[Level] = Field(default_factory=list, description="Facts applying to any of these levels.")
    actor: str | None = Field(None, description="Text the actor's name contains (case and accents ignored).")
    doc_types: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    verified_only: bool = False

    def __call__(self, fact: Fact) -> bool:
        if self.kinds and fact.kind not in self.kinds:
            return False
        if self.levels and not set(self.levels) & set(fact.levels):
            return False
        if self.actor and fold(self.actor) not in fold(fact.actor or ""):
            return False
        if self.doc_types and not any(e.doc_type in self.doc_types for e in fact.evidence):
            return False
        if self.sources and not any(e.source in self.sources for e in fact.evidence):
            return False
        return fact.verified or not self.verified_only


def select(facts: list[Fact], fact_filter: FactFilter | None = None) -> list[Fact]:
    """The facts passing ``fact_filter``, deadlines in date order first, then the rest as stored."""
    chosen = [f for f in facts if fact_filter is None or fact_filter(f)]
    return sorted(chosen, key=lambda f: (f.kind != "deadline", _order(f) if f.kind == "deadline" else ""))


def _order(fact: Fact) -> str:
    """A deadline's place in date order: its day (a month's last day), or ``--MM-DD`` before every year."""
    return day.isoformat() if (day := fact.day) else (fact.date or "9999")[-10:]
