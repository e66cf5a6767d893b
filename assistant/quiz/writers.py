"""Writing one item from one fact (or a matching item from several), with the templates, no LLM.

The stem must be understandable in the quiz language. Which stem a fact gets depends on the
language of the passage the item cites (its *mode*):

- ``row``: a list row in the quiz language: "By when must the task “…” be completed?";
- ``quote``: a sentence in the quiz language, quoted with the key blanked;
- ``rendering``: the fact's checked rendering in the quiz language, blanked the same way;
- ``independent``: a sentence in another language with no rendering: only what is language
  independent (a date or number, the document's language, type and path) is used, and the
  explanation says the source's language. An actor is a name in the source language: no item.

An item that cannot be written honestly comes back as a :class:`Refusal` with its reason.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, NamedTuple

from assistant.facts.model import Evidence, Fact
from assistant.quiz.checks import distractor_problem
from assistant.quiz.distractors import FactPool, choose, key_of
from assistant.quiz.items import DropReason, ItemType, Option, Pair, Position, QuizCitation, QuizItem
from assistant.quiz.request import ItemSource, QuizRequest, RetrievalTarget, StemMode
from assistant.quiz.templates import Templates
from assistant.quiz.values import KeyValue, replace_spans
from assistant.retrieval.filters import SearchFilters
from assistant.retrieval.text_norm import fold

QUOTE_IN_EXPLANATION = 240  # characters of the source quote repeated in an explanation


class Draft(NamedTuple):
    item: QuizItem
    source: ItemSource


class Refusal(NamedTuple):
    stem: str
    reason: DropReason


@dataclass
class WriteContext:
    pool: FactPool
    templates: Templates
    request: QuizRequest
    rng: random.Random
    filters: SearchFilters | None
    title: str


def _refuse(code: str, message: str, stem: str = "") -> Refusal:
    return Refusal(stem, DropReason(code=code, message=message))


def _line(text: str) -> str:
    return " ".join(text.split())


def quiz_language(evidence: Evidence, ctx: WriteContext) -> str | None:
    """The language of an item citing ``evidence``: the request's, or with 'source' the evidence's."""
    language = evidence.language if ctx.request.language == "source" else ctx.request.language
    return language if language in ctx.templates.languages else None


def stem_mode(fact: Fact, evidence: Evidence, language: str) -> StemMode:
    if evidence.language == language:
        return "row" if evidence.row is not None and fact.text.strip() else "quote"
    return "rendering" if language in fact.renderings else "independent"


def _position(evidence: Evidence) -> Position:
    return Position(page=evidence.page, section=_line(evidence.section) if evidence.section else None,
                    sheet=_line(evidence.sheet) if evidence.sheet else None, row=evidence.row)  # fmt: skip


def document_phrase(evidence: Evidence, language: str, templates: Templates) -> str:
    """How a stem names the document: its type and title in the quiz language's own documents, else its
    type, language and path (language independent). The position is left to the citation."""
    doc_type = templates.doc_type(language, evidence.doc_type)
    if evidence.language == language:
        title = _line(evidence.title or evidence.source)
        if fold(title).startswith(fold(doc_type)):
            doc_type = ""
        text = templates.documents[language]["same_language"].format(doc_type=doc_type, title=title)
    else:
        name = templates.language_name(language, evidence.language)
        text = templates.documents[language]["other_language"].format(
            doc_type=doc_type, language=name, source=evidence.source
        )
    return _line(text)


def _explanation(key_text: str, evidence: Evidence, mode: StemMode, language: str, templates: Templates) -> str:
    quote = _line(evidence.quote)
    if len(quote) > QUOTE_IN_EXPLANATION:
        quote = quote[: QUOTE_IN_EXPLANATION - 1].rstrip() + "…"
    label = _position(evidence).label(language)
    parts = [
        templates.explanation(language, "key", key=key_text),
        templates.explanation(language, "source", title=_line(evidence.title or evidence.source),
                              position=f", {label}" if label else "", quote=quote),
    ]  # fmt: skip
    source_language = templates.language_name(language, evidence.language)
    if mode == "independent":
        parts.append(templates.explanation(language, "foreign", language=source_language))
    elif mode == "rendering":
        quiz_name = templates.language_name(language, language)
        parts.append(templates.explanation(language, "rendering", quiz_language=quiz_name, language=source_language))
    return " ".join(parts)


def _subject(fact: Fact, key: KeyValue) -> str:
    """The stems' subject: ``deadline_by`` (a day), ``period_by`` (a month or a quarter), ``target`` …"""
    if fact.kind == "deadline":
        return f"{'period' if key.kind == 'period' else 'deadline'}_{fact.date_role or 'by'}"
    return fact.kind


def _sentence(fact: Fact, evidence: Evidence, mode: StemMode, language: str) -> str:
    return fact.renderings[language] if mode == "rendering" else evidence.quote


def write_item(fact: Fact, evidence: Evidence, item_type: ItemType, ctx: WriteContext) -> Draft | Refusal:
    """One item of ``item_type`` about ``fact``, citing ``evidence`` (not matching: see :func:`write_matching`)."""
    templates = ctx.templates
    language = quiz_language(evidence, ctx)
    if language is None:
        return _refuse("language.no_template", f"no templates in {evidence.language!r}; choose vi or en")
    key = key_of(fact)
    if key is None:
        return _refuse("fact.no_key", f"the {fact.kind} has no date, number or actor to ask for")
    if not evidence.file_hash:
        return _refuse("citation.no_hash", f"{evidence.source}: the document's hash is unknown")
    mode = stem_mode(fact, evidence, language)
    if mode == "independent" and key.kind == "actor":
        return _refuse("language.foreign_actor", f"the actor {key.actor!r} is named in "
                       f"{templates.language_name('en', evidence.language)} and the fact has no {language} rendering")  # fmt: skip
    if key.kind == "actor" and not ctx.pool.actor_confirmed(key.actor or ""):
        return _refuse("actor.unconfirmed", f"{key.actor!r} is named by fewer than "
                       f"{ctx.pool.settings.actor_min_mentions} sentences, or not as a name: perhaps a cut phrase")  # fmt: skip
    if mode == "independent" and item_type in ("shortanswer", "numerical"):
        return _refuse("stem.needs_options", "the source sentence is in another language: only a question with "
                       "options can be asked from its date or number")  # fmt: skip
    document = document_phrase(evidence, language, templates)
    context = ctx.pool.text_of(evidence.source) if mode == "independent" else ""
    source = ItemSource(
        fact_ids=[fact.id], mode=mode, key_kind=key.kind, key=key,
        supported=ctx.pool.supported(fact, evidence.source if mode == "independent" else None),
        quotes=[e.quote for e in fact.evidence], source_language=evidence.language, filters=ctx.filters,
        context=context,
    )  # fmt: skip
    problem = lambda value: distractor_problem(value, key, source)  # noqa: E731
    subject = _subject(fact, key)
    blank = templates.blank
    sentence = _sentence(fact, evidence, mode, language)
    spans = key.spans(sentence) if mode in ("quote", "rendering") else []
    if mode in ("quote", "rendering") and not spans:
        return _refuse("stem.no_blank", "the key cannot be located in the sentence to blank it")
    base = subject.removesuffix("_by").removesuffix("_from") if mode in ("quote", "rendering") else subject
    values = {"document": document}
    if mode == "row":
        values["task"] = _line(fact.text)
    elif mode in ("quote", "rendering"):
        values["blanked"] = _line(replace_spans(sentence, spans, blank))
    stem_name = f"{base}_{mode if mode != 'rendering' else 'quote'}"
    common: dict[str, Any] = {"language": language, "difficulty": ctx.request.difficulty, "category": [ctx.title],
                              "citation": _citation(evidence, evidence.quote)}  # fmt: skip
    explanation = _explanation(key.write(language, templates), evidence, mode, language, templates)

    if item_type == "truefalse":
        truth = ctx.rng.random() < 0.5
        shown = key
        if not truth:
            picked = choose(ctx.pool.candidates(key, fact), problem, ctx.rng, ctx.request.difficulty, n=1)
            if picked:
                shown = picked[0]
            else:
                truth = True
        written = shown.write(language, templates)
        if mode in ("quote", "rendering"):
            statement = sentence if truth else replace_spans(sentence, spans, written)
            stem = templates.stem(language, "true_quote", document=document, statement=_line(statement))
        else:
            stem = templates.stem(language, f"true_{subject}_{mode}", **values, value=written)
        source = source.model_copy(update={"key": shown})
        item = QuizItem(type="truefalse", stem=stem, truth=truth, explanation=explanation, **common)
        return Draft(item, _with_target(source, item, evidence))
    if item_type == "numerical" and key.kind != "number":
        return _refuse("type.not_applicable", f"a {fact.kind} has no number to ask for")
    stem = templates.stem(language, stem_name, **values)
    if item_type == "multichoice":
        distractors = choose(ctx.pool.candidates(key, fact), problem, ctx.rng, ctx.request.difficulty)
        if len(distractors) < 3:
            return _refuse("distractor.too_few", f"only {len(distractors)} distractors of the key's kind pass the "
                           "checks", stem)  # fmt: skip
        values_in_order = [key, *distractors]
        if key.kind == "actor":
            ctx.rng.shuffle(values_in_order)
        else:
            values_in_order.sort(key=_order)
        options = [Option(text=v.write(language, templates), correct=v is key) for v in values_in_order]
        item = QuizItem(type="multichoice", stem=stem, options=options, explanation=explanation, **common)
    elif item_type == "numerical":
        share = ctx.pool.settings.numerical_tolerance[ctx.request.difficulty]
        item = QuizItem(type="numerical", stem=stem, value=key.number, tolerance=round(abs(key.number or 0) * share, 6),
                        explanation=explanation, **common)  # fmt: skip
    else:
        item = QuizItem(type="shortanswer", stem=stem, answers=key.variants(language, templates),
                        explanation=explanation, **common)  # fmt: skip
    return Draft(item, _with_target(source, item, evidence))


def _order(value: KeyValue) -> tuple[float, str]:
    """Where an option goes among options of its kind: numbers by value, dates and periods in time."""
    if value.kind == "number":
        return value.number or 0.0, ""
    if value.kind == "period":
        return 0.0, value.period or ""  # quarters with quarters, months with months: ISO order is time order
    return 0.0, value.month_day if value.year is None else f"{value.year}-{value.month_day}"


def _citation(evidence: Evidence, quote: str) -> QuizCitation:
    return QuizCitation(source=evidence.source, title=_line(evidence.title or evidence.source),
                        position=_position(evidence), quote=quote, doc_hash=evidence.file_hash)  # fmt: skip


def _with_target(source: ItemSource, item: QuizItem, evidence: Evidence) -> ItemSource:
    target = RetrievalTarget(query=item.stem, source=evidence.source, chunk_id=evidence.chunk_id, quote=evidence.quote)
    return source.model_copy(update={"targets": [target]})


def write_matching(group: list[tuple[Fact, Evidence]], ctx: WriteContext) -> Draft | Refusal:
    """A matching item from facts of one document: a task (or a blanked sentence) with its actor or date."""
    templates = ctx.templates
    fact0, evidence0 = group[0]
    language = quiz_language(evidence0, ctx)
    if language is None:
        return _refuse("language.no_template", f"no templates in {evidence0.language!r}; choose vi or en")
    kind = "responsibility" if fact0.kind == "responsibility" else "deadline"
    pairs: list[Pair] = []
    quotes: list[str] = []
    targets: list[RetrievalTarget] = []
    keys: list[KeyValue] = []
    facts: list[Fact] = []
    cited: list[Evidence] = []
    for fact, evidence in group:
        key = key_of(fact)
        mode = stem_mode(fact, evidence, language)
        if key is None or any(key.same(k) for k in keys) or mode == "independent":
            continue
        if keys and not key.comparable(keys[0]):
            continue  # days with days, quarters with quarters, months with months: one kind of answer to match
        if kind == "responsibility" and mode != "row":
            continue  # only a list's lead column says who leads; a sentence's actor may only take part
        if key.kind == "actor" and not ctx.pool.actor_confirmed(key.actor or ""):
            continue
        if mode == "row":
            left = _line(fact.text)
        else:
            spans = key.spans(evidence.quote)
            if not spans:
                continue
            left = _line(replace_spans(evidence.quote, spans, templates.blank))
        if any(fold(left) == fold(pair.left) for pair in pairs):
            continue
        pairs.append(Pair(left=left, right=key.write(language, templates)))
        quotes.append(evidence.quote)
        targets.append(RetrievalTarget(query=left, source=evidence.source, chunk_id=evidence.chunk_id,
                                       quote=evidence.quote))  # fmt: skip
        keys.append(key)
        facts.append(fact)
        cited.append(evidence)
        if len(pairs) == ctx.pool.settings.matching_pairs:
            break
    if kind == "deadline" and keys and keys[0].kind == "period":
        kind = "period"
    stem = templates.stem(language, f"match_{kind}", document=document_phrase(evidence0, language, templates))
    if len(pairs) < 3:
        return _refuse("matching.too_few", f"only {len(pairs)} distinct pairs in the quiz language", stem)
    lines = "; ".join(f"{pair.left[:60]} → {pair.right}" for pair in pairs)
    evidence0 = cited[0]
    explanation = _explanation(lines, evidence0, "row", language, templates)
    item = QuizItem(type="matching", stem=stem, pairs=pairs, explanation=explanation, language=language,
                    difficulty=ctx.request.difficulty, category=[ctx.title],
                    citation=_citation(evidence0, evidence0.quote))  # fmt: skip
    source = ItemSource(
        fact_ids=[f.id for f in facts], mode="row", key_kind=keys[0].kind, supported=[],
        quotes=quotes, pair_quotes=quotes, targets=targets, source_language=evidence0.language, filters=ctx.filters,
    )  # fmt: skip
    return Draft(item, source)


def matching_groups(chosen: list[tuple[Fact, Evidence]]) -> list[list[tuple[Fact, Evidence]]]:
    """Facts that can be matched together: the same document and kind (responsibilities, or deadlines)."""
    groups: dict[tuple[str, str, str], list[tuple[Fact, Evidence]]] = {}
    for fact, evidence in chosen:
        if fact.kind == "target":
            continue
        groups.setdefault((evidence.source, evidence.sheet or "", fact.kind), []).append((fact, evidence))
    return [group for _, group in sorted(groups.items()) if len(group) >= 3]
