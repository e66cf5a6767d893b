"""Per-question verdicts: how one ``Answer`` scores against one ``Question``.

Definitions (all case-insensitive regex matching goes through ``Question.facts_match``):

* **relevant context** — a context whose ``source`` (or ``url``) contains an expected
  source substring *and* whose text matches every expected fact; the context-based
  twin of ``retrieval.is_relevant``.
* **retrieval_hit_rank** — 1-based position, in ``Answer.contexts`` order (the pipeline's
  rank order), of the first relevant context; ``None`` when there is none, or the
  question should be refused.
* **source_recall** — share of the expected sources found among *all* the answer's
  contexts (those shown to the model); 1.0 (vacuous) for questions to refuse.
* **correct** — answerable: not refused and every expected fact matches the answer text;
  unanswerable: refused.
* **citation_valid** — ``None`` unless the question is answerable and the answer was not
  refused. Otherwise ``True`` when at least one citation is ``verified``, cites an expected
  source, and its *cited passage* matches every expected fact. The cited passage is the
  text of the contexts with the citation's source (narrowed to those with the citation's
  location when any share it), joined; when no context has that source, the quote.
* **language_match** — ``answer.language == question.language`` and, for an answer that
  is not a refusal, its text (markers and flags stripped) is written in that language too:
  sentences quoted verbatim from a Russian passage are not a Vietnamese answer. Texts too
  short to judge (under 20 letters) count as matching.
* **location_correct** — ``None`` unless the question has an ``expected_location``. Otherwise
  ``False`` when the answer was refused, else ``True`` when some ``verified`` citation of an
  expected source points at that location (:func:`citation_at`): the same page; the same
  sheet (when given) and row; a section heading holding the expected section (case-insensitive).
* **passed** — ``correct and citation_valid is not False`` (language and location are reported,
  not gated).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from assistant.answer.citations import strip_markers
from assistant.evaluation.questions import ExpectedLocation, Question
from assistant.language import written_in
from assistant.types import Answer, Citation, Context


class Verdicts(BaseModel):
    """How one answer fared; ``failures`` says in words why ``passed`` is false."""

    retrieval_hit_rank: int | None = Field(description="1-based position of the first relevant context.")
    source_recall: float
    correct: bool
    citation_valid: bool | None
    refused: bool
    should_refuse: bool
    language_match: bool
    location_correct: bool | None = Field(default=None, description="None without an expected_location.")
    passed: bool
    failures: list[str] = Field(default_factory=list, description="Reasons the question failed (empty when passed).")


def _from_expected_source(question: Question, source: str, url: str | None) -> bool:
    return question.source_matches(source) or bool(url and question.source_matches(url))


def context_is_relevant(question: Question, context: Context) -> bool:
    """A context from an expected source whose text matches every expected fact."""
    return _from_expected_source(question, context.source, context.url) and question.facts_match(context.text)


def first_context_hit_rank(question: Question, contexts: Sequence[Context]) -> int | None:
    """1-based position of the first relevant context, or None."""
    if question.should_refuse:
        return None
    for position, context in enumerate(contexts, start=1):
        if context_is_relevant(question, context):
            return position
    return None


def context_source_recall(question: Question, contexts: Sequence[Context]) -> float:
    """Share of the expected sources that appear among the contexts (vacuously 1.0 without any)."""
    if not question.expected_sources:
        return 1.0
    seen = " ".join(f"{c.source} {c.url or ''}" for c in contexts)
    return sum(1 for s in question.expected_sources if s in seen) / len(question.expected_sources)


def cited_passage(citation: Citation, contexts: Sequence[Context]) -> str:
    """The text a citation points at: its source's contexts (same location if possible), else its quote."""
    same_source = [c for c in contexts if c.source == citation.source]
    if citation.location is not None:
        same_location = [c for c in same_source if c.location == citation.location]
        same_source = same_location or same_source
    if not same_source:
        return citation.quote
    return "\n".join(c.text for c in same_source)


def citation_supports(question: Question, citation: Citation, contexts: Sequence[Context]) -> bool:
    """Verified, from an expected source, and its cited passage holds every expected fact."""
    return (
        citation.verified
        and _from_expected_source(question, citation.source, citation.url)
        and question.facts_match(cited_passage(citation, contexts))
    )


def _shown_at(expected: ExpectedLocation, shown: str) -> bool:
    """Sheet, row and section against a citation's display location, formatted as ``ChunkMeta.location`` does.

    Only for citations without structured fields (answers recorded before citations carried them).
    """
    if expected.row is not None:
        wanted = f"row {expected.row}" if expected.sheet is None else f"{expected.sheet}, row {expected.row}"
        if shown != wanted and not (expected.sheet is None and shown.endswith(f", {wanted}")):
            return False
    elif expected.sheet is not None and not shown.startswith(f"{expected.sheet}, row "):
        return False
    return expected.section is None or expected.section.casefold() in shown.casefold()


def citation_at(expected: ExpectedLocation, citation: Citation) -> bool:
    """True when ``citation`` points at ``expected``: every key the question gives must match."""
    if expected.page is not None and citation.page != expected.page:
        return False
    if citation.sheet is None and citation.row is None and citation.section is None:
        return _shown_at(expected, citation.location or "")
    if expected.sheet is not None and citation.sheet != expected.sheet:
        return False
    if expected.row is not None and citation.row != expected.row:
        return False
    return expected.section is None or expected.section.casefold() in (citation.section or "").casefold()


def location_verdict(question: Question, answer: Answer) -> bool | None:
    """Whether a verified citation of an expected source is at the expected location (None without one)."""
    expected = question.expected_location
    if expected is None:
        return None
    if answer.refused:
        return False
    return any(
        c.verified and _from_expected_source(question, c.source, c.url) and citation_at(expected, c)
        for c in answer.citations
    )


def answer_in_language(answer: Answer, language: str) -> bool:
    """True when ``answer`` is labelled ``language`` and, unless refused, its text is written in it."""
    if answer.language != language:
        return False
    if answer.refused:
        return True
    return written_in(strip_markers(answer.answer), language)


def _missing_facts(question: Question, text: str) -> list[str]:
    """The expected-fact regexes that do not match ``text`` (same matching as ``Question.facts_match``)."""
    return [p for p in question.expected_facts if not re.search(p, text, re.IGNORECASE)]


def judge(question: Question, answer: Answer) -> Verdicts:
    """Score ``answer`` against ``question`` (see the module docstring for the definitions)."""
    failures: list[str] = []
    citation_valid: bool | None = None
    if question.should_refuse:
        correct = answer.refused
        if not correct:
            failures.append("answered a question the corpus cannot answer (should refuse)")
    elif answer.refused:
        correct = False
        failures.append("refused an answerable question")
    else:
        missing = _missing_facts(question, answer.answer)
        correct = not missing
        if missing:
            failures.append("answer lacks expected fact(s): " + ", ".join(missing))
        citation_valid = any(citation_supports(question, c, answer.contexts) for c in answer.citations)
        if not citation_valid:
            failures.append(
                "no verified citation of an expected source whose passage holds the facts"
                if answer.citations else "no citations"
            )
    return Verdicts(
        retrieval_hit_rank=first_context_hit_rank(question, answer.contexts),
        source_recall=context_source_recall(question, answer.contexts),
        correct=correct,
        citation_valid=citation_valid,
        refused=answer.refused,
        should_refuse=question.should_refuse,
        language_match=answer_in_language(answer, question.language),
        location_correct=location_verdict(question, answer),
        passed=correct and citation_valid is not False,
        failures=failures,
    )
