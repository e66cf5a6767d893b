"""Distractors from the corpus: the other facts' dates, numbers and actors, never one true for the subject.

:class:`FactPool` holds the verified facts of the whole corpus (not only the quiz's material, so a
distractor is never a value another document states for the same subject). For a key it offers the
values of the same kind (dates with dates, with a year only when the key has one; quarters with quarters
and months with months; percentages with
percentages and counts with counts; actors named in the key's language and confirmed by
``quiz.actor_min_mentions`` sentences or a list row's lead column), and :func:`choose` picks among those that pass the item's
distractor check, the closest first for a hard quiz and at random for an easy one.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from assistant.facts.model import Fact, is_month, is_quarter
from assistant.quiz.items import Difficulty, DropReason
from assistant.quiz.values import KeyValue
from assistant.retrieval.text_norm import fold
from assistant.settings import QuizSettings

DISTRACTORS = 3  # a multiple-choice item has four options


def _date_key(fact: Fact) -> KeyValue | None:
    """The fact's date as a key: a day, or a period when its source gives only the month or the quarter
    ("Tháng 9/2027", "Quý III/2027")."""
    if not fact.date:
        return None
    if is_month(fact.date) or is_quarter(fact.date):
        return KeyValue(kind="period", period=fact.date)
    return KeyValue(kind="date", date=fact.date)


def key_of(fact: Fact) -> KeyValue | None:
    """The value an item about ``fact`` asks for: its date (a day or a period), its number or its actor."""
    if fact.kind == "deadline" and (when := _date_key(fact)):
        return when
    if fact.kind == "target" and fact.value is not None:
        return KeyValue(kind="number", number=fact.value, percent=(fact.unit or "").strip() == "%")
    if fact.kind == "responsibility" and fact.actor:
        return KeyValue(kind="actor", actor=fact.actor)
    return None


def _values(fact: Fact) -> list[KeyValue]:
    """Every value a fact states (a list row's responsibility also has the row's date)."""
    values = []
    if when := _date_key(fact):
        values.append(when)
    if fact.value is not None:
        values.append(KeyValue(kind="number", number=fact.value, percent=(fact.unit or "").strip() == "%"))
    if fact.actor:
        values.append(KeyValue(kind="actor", actor=fact.actor))
    return values


@dataclass
class FactPool:
    """The corpus's verified facts, indexed for distractors and for what is true of a subject."""

    facts: list[Fact]
    settings: QuizSettings
    document_text: Callable[[str], str] | None = None
    _texts: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.facts = sorted((f for f in self.facts if f.verified), key=lambda f: f.id)

    @cached_property
    def _statements(self) -> dict[str, int]:
        """Actor name -> how many distinct quotes state a fact with that actor (one sentence counts once)."""
        quotes: dict[str, set[str]] = defaultdict(set)
        for fact in self.facts:
            if fact.actor:
                quotes[fact.actor].update(e.quote for e in fact.evidence)
        return {name: len(found) for name, found in quotes.items()}

    @cached_property
    def _row_leads(self) -> set[str]:
        """Actors a list row names in its lead column (a structured statement, never a cut sentence)."""
        return {
            f.actor
            for f in self.facts
            if f.actor and f.kind == "responsibility" and any(e.row is not None for e in f.evidence)
        }

    def actor_confirmed(self, actor: str) -> bool:
        """A name (written with a capital) that a list row gives as lead, or that enough sentences give a duty."""
        if not actor[:1].isupper():
            return False
        return actor in self._row_leads or self._statements.get(actor, 0) >= self.settings.actor_min_mentions

    def equivalents(self, fact: Fact) -> list[Fact]:
        """Facts stating the same subject: the fact, and any sharing a quote, its wording or its list row."""
        quotes = {e.quote for e in fact.evidence}
        rows = {(e.source, e.sheet, e.row) for e in fact.evidence if e.row is not None}
        text = fold(fact.text)
        return [
            other
            for other in self.facts
            if other.id == fact.id
            or fold(other.text) == text
            or quotes & {e.quote for e in other.evidence}
            or rows & {(e.source, e.sheet, e.row) for e in other.evidence if e.row is not None}
        ]

    def supported(self, fact: Fact, source: str | None = None) -> list[KeyValue]:
        """Values true for the fact's subject; with ``source``, the subject is that whole document."""
        if source is None:
            related = self.equivalents(fact)
        else:
            related = [f for f in self.facts if any(e.source == source for e in f.evidence)]
        related = related if any(f.id == fact.id for f in related) else [fact, *related]
        return [value for other in related for value in _values(other)]

    def text_of(self, source: str) -> str:
        """The whole text of a document (empty when the pool has no access to texts)."""
        if self.document_text is None:
            return ""
        if source not in self._texts:
            self._texts[source] = self.document_text(source)
        return self._texts[source]

    def candidates(self, key: KeyValue, fact: Fact) -> list[KeyValue]:
        """Values of the key's kind stated by other facts, distinct, closest to the key first."""
        found: list[KeyValue] = []
        for other in self.facts:
            value = key_of(other)
            if value is None or not value.comparable(key) or other.id == fact.id:
                continue
            if key.kind == "date" and key.year is None:
                value = value.without_year()
            elif key.kind == "date" and value.year is None:
                continue
            if key.kind == "number" and value.percent != key.percent:
                continue
            if key.kind == "actor":
                if other.language != fact.language or not self.actor_confirmed(value.actor or ""):
                    continue
                a, b = fold(value.actor or ""), fold(key.actor or "")
                if a in b or b in a:
                    continue
            if not value.same(key) and not any(value.same(seen) for seen in found):
                found.append(value)
        return sorted(found, key=lambda value: (_distance(key, value), value.model_dump_json()))


def _distance(key: KeyValue, value: KeyValue) -> float:
    if key.kind == "date":
        return abs((_day(key) - _day(value)).days)
    if key.kind == "period":
        return abs(_months(key) - _months(value))
    if key.kind == "number":
        return abs(math.log1p(abs(key.number or 0)) - math.log1p(abs(value.number or 0)))
    return abs(len(key.actor or "") - len(value.actor or ""))


def _months(value: KeyValue) -> int:
    """A period's first month, counted from year 0 (to compare periods)."""
    month = value.month or 3 * ((value.quarter or 1) - 1) + 1
    return 12 * (value.year or 0) + month - 1


def _day(value: KeyValue) -> date:
    month, day = int(value.month_day[:2]), int(value.month_day[3:])
    return date(value.year or 2000, month, min(day, 28) if month == 2 else day)


def choose(
    candidates: list[KeyValue],
    problem: Callable[[KeyValue], DropReason | None],
    rng: random.Random,
    difficulty: Difficulty,
    n: int = DISTRACTORS,
) -> list[KeyValue]:
    """Up to ``n`` candidates that pass ``problem`` (closest first when hard, from the closest few when
    medium, from all when easy), in the candidates' order."""
    valid = [value for value in candidates if problem(value) is None]
    if len(valid) <= n or difficulty == "hard":
        return valid[:n]
    window = valid if difficulty == "easy" else valid[: max(2 * n + 2, n)]
    picked = set(rng.sample(range(len(window)), n))
    return [value for i, value in enumerate(window) if i in picked]
