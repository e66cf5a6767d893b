"""What :meth:`assistant.answer.Answerer.stream` yields, in order.

1. one :class:`EvidenceEvent` as soon as the passages are known (before generation starts);
2. :class:`TokenEvent` pieces of the answer as it is written (raw model text; the
   final, checked text with renumbered citations is in the :class:`DoneEvent`);
3. one :class:`DoneEvent` with the complete :class:`~assistant.types.Answer`.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.types import Answer, Context


@dataclass(frozen=True)
class EvidenceEvent:
    """The passages the answer will be based on."""

    contexts: list[Context]
    standalone_question: str
    retrieval_ms: float


@dataclass(frozen=True)
class TokenEvent:
    """A piece of the answer text as it streams."""

    text: str


@dataclass(frozen=True)
class DoneEvent:
    """The finished, verified answer."""

    answer: Answer


AnswerEvent = EvidenceEvent | TokenEvent | DoneEvent
