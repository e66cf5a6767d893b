"""Refusals: deciding that the documents do not answer, and saying so in the user's language.

Before any generation (:func:`gate_reasons`), the answer is a refusal when there are no passages,
the best one scores below ``min_relevance``, or a code/date/number of the question occurs in none
of them; with a model also when a name or most of the question's words are in none, or no sentence
scores ``llm_min_support``. Later refusals come from the steps themselves (no sentence to quote). A refusal never carries a figure: its text comes from ``prompts/refusal.txt``
(checked at load to hold no digits) and it has no citations. The closest
passages are still returned as contexts, so the user can see what was searched.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.answer.citations import MARKER
from assistant.answer.constants import REFUSAL_MARKER
from assistant.answer.prompts import PromptSet
from assistant.settings import AnswerSettings
from assistant.types import Answer, Context, Timings

if TYPE_CHECKING:
    from assistant.answer.extractive import Analysis

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


def gate_reasons(found: list[Context], analysis: Analysis | None, settings: AnswerSettings, *, with_llm: bool) -> list[str]:
    """Why the passages cannot answer, before any answer is written (empty: go on).

    Always: no passage scores ``min_relevance``, or a code, date or number of the question is in
    no passage. With an LLM also: a name or (in the question's language) most of its words are
    in no passage, or no sentence scores ``llm_min_support`` — the 1.5B model, given loosely
    related passages, answers rather than refusing."""
    if weak_evidence(found, settings.min_relevance):
        return [f"no passage scores min_relevance {settings.min_relevance}"]
    if analysis is None:
        return []
    if analysis.missing_keys:
        return [f"in no passage: {', '.join(analysis.missing_keys)}"]
    if not with_llm:
        return []
    if analysis.missing:
        return [f"in no passage: {', '.join(u[2:] for u in analysis.missing)}"]
    best = analysis.best_score
    if best is not None and best < settings.llm_min_support:
        return [f"best sentence scores {best:.2f} < llm_min_support {settings.llm_min_support}"]
    return []
