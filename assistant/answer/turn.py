"""One question on its way through the answer pipeline: its clock and what the answering steps share."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from assistant.answer.contexts import Evidence
from assistant.types import Context, Timings


class Clock:
    """Milliseconds since the question arrived."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def ms(self) -> float:
        return (time.perf_counter() - self.start) * 1000.0


@dataclass(frozen=True)
class Turn:
    """One question on its way through the pipeline: what the answering steps share."""

    base: dict[str, Any]  # the Answer fields known up front: question, language, standalone_question
    standalone: str
    evidence: list[Evidence]
    clock: Clock
    retrieval_ms: float
    # Other wordings of the question the sentence scores used: translations, and the foreign passages'
    # phrases nearest the question's (assistant.answer.bridge); later re-scorings use them too.
    wordings: tuple[str, ...] = ()
    bridged: tuple[str, ...] = ()

    @property
    def contexts(self) -> list[Context]:
        return [e.context for e in self.evidence]

    @property
    def language(self) -> str:
        return str(self.base["language"])

    def timings(self, first_token_ms: float | None = None) -> Timings:
        return Timings(retrieval_ms=self.retrieval_ms, first_token_ms=first_token_ms, total_ms=self.clock.ms())
