"""The ``facts`` step: a deadline, target or responsibility question answered from a verified fact.

The best-scored passage sentence (the same scoring as extractive answers, above the same
``min_support``) is looked up among the corpus's facts (:mod:`assistant.facts`). When it states
exactly one verified fact of the kind the question asks for (a date for "when", and then with
the role asked for: an end for "until when", a start for "since when"; a number for "how many";
an actor for "who"), the answer quotes it and every other document stating the same fact (merged
across documents and languages), each with its own citation, and says how many documents agree.
When a document states the same thing with another date or number, the answer says so and
quotes it too. Anything else goes on to the usual steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.answer_types import expected_types
from assistant.answer.constants import AGREE, DISAGREE, LEAD_INS, localized
from assistant.answer.contexts import Evidence as ContextEvidence
from assistant.answer.extractive import Candidate
from assistant.answer.text import quote_line
from assistant.facts.lexicon import question_role
from assistant.facts.model import Evidence, Fact, FactKind
from assistant.types import Context

# The expected answer types (answer_types) each fact kind answers.
KIND_OF_TYPE: dict[str, FactKind] = {
    "date": "deadline", "count": "target", "percent": "target", "money": "target",
    "person": "responsibility", "organisation": "responsibility",
}  # fmt: skip


@dataclass(frozen=True)
class FactAnswer:
    text: str
    fact: Fact
    evidence: list[ContextEvidence]  # the contexts with the other documents' passages added
    conflicts: list[Fact]


def asked_kinds(question: str) -> set[FactKind]:
    return {KIND_OF_TYPE[t.name] for t in expected_types(question) if t.name in KIND_OF_TYPE}


def _states(evidence: Evidence, context: Context, sentence: str) -> bool:
    return evidence.source == context.source and (sentence in evidence.quote or evidence.quote in sentence)


def fact_answer(
    question: str,
    evidence: list[ContextEvidence],
    candidates: list[Candidate],
    facts: list[Fact],
    conflicts: dict[str, list[Fact]],
    language: str,
    min_score: float,
) -> FactAnswer | None:
    """The answer from the fact the best sentence states, or None (see the module docstring)."""
    kinds = asked_kinds(question)
    if not kinds or not candidates or candidates[0].score < min_score:
        return None
    best = candidates[0]
    context = evidence[best.index].context
    stated = [f for f in facts if f.verified and f.kind in kinds and any(_states(e, context, best.text) for e in f.evidence)]
    if len(stated) != 1:
        return None  # none, or the sentence states several (two dates, four numbers): not one answer
    fact = stated[0]
    role = question_role(question, language)
    if fact.kind == "deadline" and role is not None and fact.date_role != role:
        return None  # asked when it ends, the sentence says when it starts
    contexts = list(evidence)
    lines = [localized(LEAD_INS, language)]
    stating = next(e for e in fact.evidence if _states(e, context, best.text))
    if stating.lead and stating.lead not in context.text:  # a list item: its lead-in names who acts
        contexts.append(_context(stating.model_copy(update={"quote": stating.lead}), len(contexts) + 1))
        lines.append(quote_line(stating.lead, len(contexts)))
    elif best.lead:  # a list item: the lead-in it hangs on ("Đến ngày 31/12/2027:")
        lines.append(quote_line(best.lead, best.index + 1))
    lines.append(quote_line(best.text, best.index + 1))
    others = [e for e in fact.evidence if not _states(e, context, best.text)]
    others = list({e.source: e for e in reversed(others)}.values())[::-1]  # one quote per other document
    if others:
        lines.append(localized(AGREE, language).format(n=len(others)))
        for item in others:
            contexts.append(_context(item, len(contexts) + 1))
            lines.append(quote_line(item.quote, len(contexts)))
    disagreeing = [c for c in conflicts.get(fact.id, []) if c.verified]
    for other in disagreeing[:1]:
        item = other.evidence[0]
        contexts.append(_context(item, len(contexts) + 1))
        lines += [localized(DISAGREE, language), quote_line(item.quote, len(contexts))]
    return FactAnswer("\n".join(lines), fact, contexts, disagreeing)


def _context(item: Evidence, rank: int) -> ContextEvidence:
    """A stated fact's sentence as a passage of its own, so it can be cited and checked like any other."""
    context = Context(
        rank=rank, source=item.source, title=item.title or item.source, text=item.quote, score=0.0,
        chunk_id=item.chunk_id, location=item.location, language=item.language, page=item.page,
        sheet=item.sheet, row=item.row, section=item.section,
    )  # fmt: skip
    return ContextEvidence(context=context, page=item.page)
