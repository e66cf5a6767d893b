"""The checks an item must pass to be kept; each failure is a :class:`DropReason` (code and message).

- ``key.*``: the key is stated by the cited quote (dates and numbers read as the retrieval reads
  them, actors by folded name) and not by the stem of a question; a false statement's value is not;
- ``distractor.*``: every distractor is of the key's kind, differs from the key, is in none of the
  item's quotes, and is none of the values the corpus states for the item's subject;
- ``retrieval.not_found``: the assistant's own search, given the stem (for matching: each left
  side), ranks the cited passage in its top ``quiz.retrieval_top_k``;
- ``flaw.*``: the item-writing-flaw rules of :mod:`assistant.quiz.flaws`;
- ``duplicate``: a near duplicate of an item already kept (:mod:`assistant.quiz.dedupe`).

The same checks run on a generated item and on an item the trainer edited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.quiz.dedupe import item_text, lexical_similarity
from assistant.quiz.flaws import check_item
from assistant.quiz.items import DropReason, QuizItem
from assistant.quiz.request import ItemSource
from assistant.quiz.values import KeyValue, read_value
from assistant.retrieval.filters import SearchFilters
from assistant.settings import QuizSettings
from assistant.types import SearchHit

SearchFn = Callable[[str, int, SearchFilters | None], list[SearchHit]]


def _reason(code: str, message: str) -> DropReason:
    return DropReason(code=code, message=" ".join(message.split())[:400])


def item_key(item: QuizItem, source: ItemSource) -> KeyValue | None:
    """The key the item states now (read from its text, so an edit is seen), or None when unreadable."""
    if item.type == "multichoice":
        option = item.correct_option
        return read_value(option.text, source.key_kind) if option else None
    if item.type == "shortanswer":
        return read_value(item.answers[0], source.key_kind)
    if item.type == "numerical" and item.value is not None:
        percent = source.key.percent if source.key else False
        return KeyValue(kind="number", number=item.value, percent=percent)
    return source.key


def check_key(item: QuizItem, source: ItemSource) -> list[DropReason]:
    """The key is in the cited quote (matching: each right side in its pair's quote)."""
    quote = item.citation.quote
    if item.type == "matching":
        reasons = []
        for n, (pair, pair_quote) in enumerate(zip(item.pairs, source.pair_quotes, strict=False), start=1):
            value = read_value(pair.right, source.key_kind)
            if value is None or not value.in_text(pair_quote):
                reasons.append(_reason("key.not_in_quote", f"pair {n}: {pair.right!r} is not stated by its quote"))
        if len(source.pair_quotes) != len(item.pairs):
            reasons.append(_reason("key.not_in_quote", "the pairs no longer match their quotes"))
        return reasons
    key = item_key(item, source)
    if key is None:
        return [_reason("key.unreadable", f"the key is not one {source.key_kind}")]
    if item.type == "truefalse":
        if not key.in_text(item.stem) and source.mode != "quote":
            return [_reason("key.not_in_stem", "the statement no longer holds the value it was checked for")]
        if item.truth and not key.in_text(quote):
            return [_reason("key.not_in_quote", "the statement is marked true but its value is not in the quote")]
        return []
    if not key.in_text(quote):
        return [_reason("key.not_in_quote", f"the key is not stated by the cited quote: {quote[:160]!r}")]
    if key.in_text(item.stem):
        return [_reason("key.in_stem", "the stem states the key (in the document's title or the sentence)")]
    return []


def distractor_problem(value: KeyValue | None, key: KeyValue | None, source: ItemSource) -> DropReason | None:
    """Why ``value`` cannot be a distractor (or a false statement's value) for this item; None if it can."""
    if value is None:
        return _reason("distractor.kind", f"a distractor is not one {source.key_kind}, the key's kind")
    if key is not None and value.same(key):
        return _reason("distractor.equals_key", "a distractor states the key")
    if any(value.in_text(quote) for quote in source.quotes):
        return _reason("distractor.in_quote", f"{_shown(value)} is stated by the item's own quote")
    if source.context and value.in_text(source.context):
        return _reason("distractor.in_document", f"{_shown(value)} is stated in the document the stem names")
    if any(value.same(true) for true in source.supported):
        return _reason("distractor.true", f"{_shown(value)} is what the corpus states for this subject too")
    return None


def _shown(value: KeyValue) -> str:
    return repr(value.actor or value.date or value.period or (f"{value.number:g}" if value.number is not None else ""))


def check_distractors(item: QuizItem, source: ItemSource) -> list[DropReason]:
    """Distractors (and a false statement's value) are wrong for the subject and of the key's kind."""
    reasons: list[DropReason] = []
    if item.type == "multichoice":
        key = item_key(item, source)
        for option in item.options:
            if not option.correct:
                problem = distractor_problem(read_value(option.text, source.key_kind), key, source)
                if problem is not None:
                    reasons.append(problem)
    elif item.type == "truefalse" and item.truth is False:
        problem = distractor_problem(source.key, None, source)
        if problem is not None:
            reasons.append(problem)
    elif item.type == "matching":
        rights = [read_value(pair.right, source.key_kind) for pair in item.pairs]
        for i, value in enumerate(rights):
            for j, other in enumerate(rights):
                if i != j and value is not None and other is not None and value.same(other):
                    reasons.append(_reason("matching.ambiguous", f"pairs {i + 1} and {j + 1} have the same answer"))
                elif i != j and value is not None and value.in_text(item.pairs[j].left):
                    reasons.append(
                        _reason("matching.ambiguous", f"pair {j + 1}'s prompt also states {item.pairs[i].right!r}")
                    )
    return list({(r.code, r.message): r for r in reasons}.values())


def check_retrieval(item: QuizItem, source: ItemSource, search: SearchFn, top_k: int) -> list[DropReason]:
    """The search, given the stem (matching: each left side), ranks the cited passage in its top ``top_k``."""
    queries = [pair.left for pair in item.pairs] if item.type == "matching" else [item.stem]
    reasons = []
    for query, target in zip(queries, source.targets, strict=False):
        hits = search(query, top_k, source.filters)[:top_k]
        found = any(
            (hit.chunk.id == target.chunk_id and hit.chunk.meta.source == target.source)
            or target.quote in hit.chunk.text
            for hit in hits
        )
        if not found:
            where = f"{target.source} ({target.chunk_id[:8]})"
            reasons.append(
                _reason(
                    "retrieval.not_found", f"the search for {query[:80]!r} does not rank {where} in its top {top_k}"
                )
            )
    return reasons


def check_flaws(item: QuizItem, longest_ratio: float) -> list[DropReason]:
    return [_reason(f"flaw.{flaw.code}", flaw.message) for flaw in check_item(item, longest_ratio=longest_ratio)]


def check_duplicate(item: QuizItem, kept: Sequence[QuizItem], threshold: float) -> list[DropReason]:
    text = item_text(item)
    for other in kept:
        if other.id == item.id or lexical_similarity(text, item_text(other)) >= threshold:
            return [_reason("duplicate", f"a near duplicate of item {other.id} ({other.stem[:60]!r})")]
    return []


def check_all(
    item: QuizItem,
    source: ItemSource,
    *,
    kept: Sequence[QuizItem],
    search: SearchFn,
    settings: QuizSettings,
) -> list[DropReason]:
    """Every check, cheapest first; the search runs only for an item that passed the others."""
    reasons = check_key(item, source) + check_distractors(item, source) + check_flaws(item, settings.longest_ratio)
    reasons += check_duplicate(item, kept, settings.duplicate_threshold)
    if not reasons:
        reasons = check_retrieval(item, source, search, settings.retrieval_top_k)
    return reasons
