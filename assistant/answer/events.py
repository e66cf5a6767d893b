"""What :meth:`assistant.answer.Answerer.stream` yields, in order.

1. one :class:`EvidenceEvent` as soon as the passages are known (before generation starts);
2. :class:`TokenEvent` pieces of the answer as it is written. This is a *draft*: raw model
   text, not yet checked. Interfaces show it as a draft (muted, "checking…"), never with a badge.
   As each sentence of the draft is complete it is checked, and a :class:`SentenceEvent` says
   whether it verified: interfaces show that sentence in its checked form, with its mark;
3. a :class:`DiscardEvent` whenever the draft so far is rejected and another attempt begins:
   interfaces remove the draft from the screen (the reasons say why it was rejected);
4. one :class:`DoneEvent` with the complete, checked :class:`~assistant.types.Answer`, which
   replaces the draft.
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
class SentenceEvent:
    """A complete sentence of the current draft, checked: it ends at character ``end`` of the draft
    (the text of the token events since the last discard); ``problems`` when it did not verify."""

    text: str
    end: int
    verified: bool
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiscardEvent:
    """The draft streamed so far was rejected (``reasons``); the next attempt (``next_step``) starts."""

    reasons: tuple[str, ...]
    next_step: str


@dataclass(frozen=True)
class DoneEvent:
    """The finished, verified answer."""

    answer: Answer


AnswerEvent = EvidenceEvent | TokenEvent | SentenceEvent | DiscardEvent | DoneEvent
