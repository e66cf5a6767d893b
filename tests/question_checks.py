"""Helpers for the tests that check question sets against the documents they are about."""

from __future__ import annotations

import re


def smallest_span(text: str, facts: list[str]) -> int | None:
    """Shortest stretch of ``text`` holding one match of every fact (anchored on the first fact), or None."""
    spans = [[m.span() for m in re.finditer(fact, text, re.IGNORECASE)] for fact in facts]
    if not all(spans):
        return None
    best: int | None = None
    for start, end in spans[0]:
        lo, hi = start, end
        for others in spans[1:]:
            s, e = min(others, key=lambda span: abs(span[0] - start))
            lo, hi = min(lo, s), max(hi, e)
        best = hi - lo if best is None else min(best, hi - lo)
    return best
