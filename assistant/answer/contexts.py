"""From search hits to the passages shown to the model: expanded, deduplicated, trimmed, cleared of
instructions addressed to an AI model, fenced."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer.constants import PASSAGE_TAG
from assistant.answer.instructions import withhold_instructions
from assistant.answer.text import sentence_spans
from assistant.types import Chunk, Context, SearchHit


@dataclass(frozen=True)
class Evidence:
    """A context together with the cited chunk's page (a :class:`Context` has no page field)."""

    context: Context
    page: int | None = None


def trim_around(text: str, anchor: str, limit: int) -> str:
    """The longest run of whole sentences around ``anchor`` that fits ``limit`` characters.

    The anchor's sentences come before any neighbour's. The result is a contiguous substring
    of ``text``; when even the anchor's first sentence is too long, it is cut at a word boundary.
    """
    if len(text) <= limit:
        return text
    spans = sentence_spans(text) or [(0, len(text))]
    a_start = max(text.find(anchor[:200]), 0) if anchor else 0
    first = next((i for i, (s, e) in enumerate(spans) if e > a_start), 0)
    lo = hi = first
    if spans[first][1] - spans[first][0] > limit:
        start = spans[first][0]
        cut = text.rfind(" ", start, start + limit)
        return text[start : cut if cut > start else start + limit].rstrip()
    # The anchor's own sentences first (it is the retrieved chunk: its last sentence may
    # hold the answer), then neighbours on both sides, one sentence each way per step.
    a_end = a_start + len(anchor)
    while hi + 1 < len(spans) and spans[hi + 1][0] < a_end and spans[hi + 1][1] - spans[lo][0] <= limit:
        hi += 1
    grown = True
    while grown:
        grown = False
        if hi + 1 < len(spans) and spans[hi + 1][1] - spans[lo][0] <= limit:
            hi += 1
            grown = True
        if lo > 0 and spans[hi][1] - spans[lo - 1][0] <= limit:
            lo -= 1
            grown = True
    return text[spans[lo][0] : spans[hi][1]]


# No passage of an LLM prompt is cut below this many characters (about one sentence).
MIN_PASSAGE_CHARS = 120


def weighted_budgets(
    lengths: list[int], weights: list[float], total: int, floor: int = MIN_PASSAGE_CHARS
) -> list[int]:
    """Share ``total`` characters by ``weights``; a text shorter than its share keeps its length
    and the rest is shared again among the others; no share is below ``floor``."""
    budgets = [0] * len(lengths)
    remaining, pending = total, set(range(len(lengths)))
    while pending:
        weight_sum = sum(weights[i] for i in pending) or 1.0
        share = {i: max(floor, remaining * weights[i] / weight_sum) for i in pending}
        whole = [i for i in pending if share[i] >= lengths[i]]
        if not whole:
            for i in pending:
                budgets[i] = int(share[i])
            break
        for i in whole:
            budgets[i] = lengths[i]
            remaining -= lengths[i]
            pending.discard(i)
    return budgets


def build_contexts(hits: list[SearchHit], expand: Callable[[Chunk], str], count: int, max_chars: int) -> list[Evidence]:
    """The first ``count`` distinct hits, each widened by ``expand`` and trimmed to share ``max_chars``.

    A hit whose chunk already lies inside an earlier passage of the same file is skipped.
    """
    chosen: list[tuple[SearchHit, str]] = []
    for hit in hits:
        if len(chosen) >= count:
            break
        chunk = hit.chunk
        if any(h.chunk.meta.source == chunk.meta.source and chunk.text in text for h, text in chosen):
            continue
        chosen.append((hit, expand(chunk) or chunk.text))
    budgets = weighted_budgets([len(text) for _, text in chosen], [1.0] * len(chosen), max_chars, floor=0)
    # Text speaking to an AI model ("ignore previous instructions …") is no evidence: it is withheld
    # before anything quotes it, shows it to the model or checks a claim against it.
    trimmed = [
        withhold_instructions(trim_around(text, hit.chunk.text, max(b, 1))) for (hit, text), b in zip(chosen, budgets)
    ]
    evidence = []
    for rank, ((hit, _), text) in enumerate(zip(chosen, trimmed), start=1):
        meta = hit.chunk.meta
        context = Context(
            rank=rank,
            source=meta.source,
            url=meta.url,
            title=meta.title,
            text=text,
            score=hit.score,
            chunk_id=hit.chunk.id,
            location=meta.location,
            language=meta.language,
            page=meta.page,
            sheet=meta.sheet,
            row=meta.row,
            section=meta.section,
        )
        evidence.append(Evidence(context, meta.page))
    return evidence


def _defuse(text: str) -> str:
    """Neutralise fence tags inside passage text so a passage cannot close its own fence."""
    return text.replace(f"<{PASSAGE_TAG}", f"‹{PASSAGE_TAG}").replace(f"</{PASSAGE_TAG}", f"‹/{PASSAGE_TAG}")


def format_passages(contexts: list[Context]) -> str:
    """Numbered, fenced passages for the prompt: ``<passage n=1>…</passage>``."""
    return "\n".join(
        f"<{PASSAGE_TAG} n={i}>\n{_defuse(c.text.strip())}\n</{PASSAGE_TAG}>" for i, c in enumerate(contexts, start=1)
    )
