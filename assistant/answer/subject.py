"""The bodies a question names, and the passages that do not name them.

"Sở Du lịch phụ trách những việc gì?" asks about one body. A passage in the question's
language that never names it (not in its text, its section or its document's title) is about
something else, however many of the question's other words it holds: the nearest task list row of
another department, a heading that shares the words "phụ trách". Such a passage is set aside
by the extractive scorer as a row of another item is (:mod:`assistant.answer.list_items`).

Only proper names count: a body's name (found by :func:`assistant.facts.actors.find_actors`, from the
lexicon's head words) with at least two capitalised words ("Sở Du lịch", "Ban Điều phối"), since a
lower-case name ("các sở", "tổ tình nguyện") is a kind of body, which passages word in many ways.
A passage names the body when it holds each of those capitalised words (folded, as whole words).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.retrieval.text_norm import fold
from assistant.settings_tools import FactSettings
from assistant.types import Context


def named_bodies(text: str, language: str, facts: FactSettings) -> list[tuple[str, set[str]]]:
    """Each body ``text`` names by a proper name, with its capitalised words (folded)."""
    from assistant.facts.actors import find_actors  # here: facts.actors reads answer.text, as support.py does

    found = []
    for actor in find_actors(text, language, facts):
        capitals = {fold(w) for w in re.findall(r"\w+", actor.name) if w[0].isupper()}
        if len(capitals) >= 2:
            found.append((actor.name, capitals))
    return found


def unnamed_passages(question: str, contexts: Sequence[Context], language: str, facts: FactSettings) -> dict[int, str]:
    """Why each passage in the question's language is not about the body the question names (by index):
    it names none of it. Only the question's own words count, not its machine translations: a rough
    translation names bodies loosely ("Department of Tourism" may come back as a ministry, "Bộ Du
    lịch", where the documents have the department, "Sở Du lịch")."""
    asked = named_bodies(question, language, facts)
    out: dict[int, str] = {}
    if not asked:
        return out
    for i, c in enumerate(contexts):
        if c.language != language:
            continue
        words = set(re.findall(r"\w+", fold(f"{c.title}\n{c.section or ''}\n{c.text}")))
        unnamed = [name for name, capitals in asked if not capitals <= words]
        if len(unnamed) == len(asked):
            out[i] = f"names no {unnamed[0]}"
    return out
