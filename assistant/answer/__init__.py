"""Answers with verified citations: prompting, citations, refusal, conversation, extractive fallback.

Build an :class:`Answerer` (the :class:`~assistant.api.Assistant` builds the configured one) and call :meth:`Answerer.stream` (events) or :meth:`Answerer.ask`.
"""

from assistant.answer.events import AnswerEvent, DiscardEvent, DoneEvent, EvidenceEvent, SentenceEvent, TokenEvent
from assistant.answer.pipeline import Answerer
from assistant.answer.prompts import PromptError, PromptSet, load_prompts

__all__ = [
    "AnswerEvent",
    "Answerer",
    "DiscardEvent",
    "DoneEvent",
    "EvidenceEvent",
    "PromptError",
    "PromptSet",
    "SentenceEvent",
    "TokenEvent",
    "load_prompts",
]
