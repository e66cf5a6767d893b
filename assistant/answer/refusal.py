"""Refusals: deciding that the documents do not answer, and saying so in the user's language.

Before any generation, the answer is a refusal when there are no passages, the
best one scores below ``min_relevance``, or a code/date/number of the question
occurs in none of them. A refusal never carries a figure: its text comes from ``prompts/refusal.txt``
(checked at load to hold no digits) and it has no citations. The closest
passages are still returned as contexts, so the user can see what was searched.
"""

from __future__ import annotations

import re

from assistant.answer.citations import MARKER
from assistant.answer.constants import REFUSAL_MARKER
from assistant.answer.prompts import PromptSet
from assistant.types import Answer, Context, Timings

# Leading decoration a model may put around the marker: quotes, asterisks, backticks, brackets.
_DECORATION = re.compile(r"^[\s\"'`*_\[(«“]+")


def is_refusal_output(text: str) -> bool:
    """True when model output is the refusal marker: it starts with it, or holds it and cites nothing."""
    head = _DECORATION.sub("", text)
    if head.startswith(REFUSAL_MARKER):
        return True
    return REFUSAL_MARKER in text and not MARKER.search(text)


def could_become_refusal(text: str) -> bool:
    """True while streamed output may still turn out to be the refusal marker (so it is held back)."""
    head = _DECORATION.sub("", text)
    return REFUSAL_MARKER.startswith(head) or head.startswith(REFUSAL_MARKER)


def weak_evidence(contexts: list[Context], min_relevance: float) -> bool:
    """True when there is nothing to answer from, or the best passage scores below ``min_relevance`` (> 0)."""
    if not contexts:
        return True
    return min_relevance > 0 and max(c.score for c in contexts) < min_relevance


def refusal_answer(
    *,
    question: str,
    language: str,
    prompts: PromptSet,
    contexts: list[Context],
    timings: Timings,
    mode: str,
    standalone_question: str | None = None,
    notice: str | None = None,
) -> Answer:
    """An :class:`Answer` saying, in ``language``, that the documents do not hold the answer."""
    return Answer(
        question=question,
        answer=prompts.refusal(language),
        refused=True,
        language=language,
        mode=mode,
        citations=[],
        contexts=contexts,
        timings=timings,
        standalone_question=standalone_question,
        claims=0,
        verified_claims=0,
        notice=notice,
    )
