"""Extracted facts against a hand-written gold list (``evals/glance_gold.json``).

Both sides are compared statement by statement: one extracted fact before merging (one
sentence or row of one document) against one place a gold fact is stated. They match when
they come from the same document and the same sentence or row (the quotes overlap, or the
same sheet and row), are of the same kind, and agree on what makes the fact: the date and its
role, the number, or the actor (sharing most of the gold actor's words, by word stem, as
inflected languages change endings). Merging is scored on pairs of statements: two extracted
statements in one merged fact should be two places of one gold fact.

A target's date (by when) and a responsibility's related deadline are not part of the match; they
are scored apart, on the matched statements (:func:`score_dates`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from assistant.facts.model import Fact, is_year, last_day
from assistant.retrieval.text_norm import fold

STEM = 5  # letters of a word compared (inflection changes endings)
MIN_QUOTE_OVERLAP = 0.5  # share of the shorter quote's words the other must hold


@dataclass(frozen=True)
class GoldStatement:
    fact_id: str
    kind: str
    date: str | None
    date_role: str | None
    value: float | None
    actor: str | None
    source: str
    quote: str
    sheet: str | None = None
    row: int | None = None
    by: str | None = None  # a target's date: by when it must be reached

    @property
    def related_date(self) -> str | None:
        """The date a target or responsibility is bound to (its by-when, its related deadline); None for a deadline."""
        return self.by if self.kind == "target" else self.date if self.kind == "responsibility" else None


@dataclass
class DateScore:
    """The dates of matched targets and responsibilities against the gold's: how many the gold dates and
    how many of those carry the gold's date or none, and how many the gold leaves undated yet carry one."""

    dated: int = 0
    right: int = 0
    missing: int = 0
    undated: int = 0
    added: int = 0


@dataclass
class GlanceScore:
    extracted: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0


@dataclass
class GlanceResult:
    overall: GlanceScore = field(default_factory=GlanceScore)
    by_group: dict[str, GlanceScore] = field(default_factory=lambda: defaultdict(GlanceScore))
    missed: list[GoldStatement] = field(default_factory=list)
    wrong: list[Fact] = field(default_factory=list)


def load_gold(path: Path) -> tuple[list[GoldStatement], list[str]]:
    """The gold statements and the documents the gold covers (also those with no fact)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    statements = [
        GoldStatement(
            fact_id=fact["id"], kind=fact["kind"], date=fact.get("date"), date_role=fact.get("date_role"),
            value=fact.get("value"), actor=fact.get("actor"), source=place["source"], quote=place["quote"],
            sheet=place.get("sheet"), row=place.get("row"), by=fact.get("by"),
        )
        for fact in data["facts"]
        for place in fact["stated_in"]
    ]  # fmt: skip
    return statements, list(data.get("documents", []))


def _words(text: str, short: bool = False) -> list[str]:
    """Word stems; ``short`` keeps one- and two-letter words (Vietnamese syllables: "Sở Y tế")."""
    return [w[:STEM] for w in re.findall(r"[^\W_]+", fold(text)) if short or len(w) > 2 or w.isdigit()]


def same_place(fact: Fact, gold: GoldStatement) -> bool:
    evidence = fact.evidence[0]
    if evidence.source != gold.source:
        return False
    if gold.row is not None and evidence.row is not None:
        return gold.row == evidence.row and (gold.sheet or None) == (evidence.sheet or None)
    a, b = set(_words(evidence.quote)), set(_words(gold.quote))
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= MIN_QUOTE_OVERLAP


def same_actor(extracted: str | None, gold: str | None) -> bool:
    if not extracted or not gold:
        return False
    a, b = set(_words(extracted, short=True)), set(_words(gold, short=True))
    return bool(b) and len(a & b) / len(b) >= 0.5


def same_date(extracted: str | None, gold: str | None) -> bool:
    """A fact's date against a gold one. A period the fact gives ("2025-Q4", "2025-11") is the gold list's
    day when that day is the period's last (the gold lists write "quý IV/2025" as 2025-12-31)."""
    if not extracted or not gold:
        return False
    if is_year(gold):  # a year only: "by the end of 2025"
        return extracted.startswith(gold)
    day = last_day(extracted)
    return extracted == gold or (day is not None and day.isoformat() == gold) or (
        extracted.startswith("--") and extracted[-5:] == gold[-5:])


def matches(fact: Fact, gold: GoldStatement) -> bool:
    if fact.kind != gold.kind or not same_place(fact, gold):
        return False
    if fact.kind == "deadline":
        return same_date(fact.date, gold.date) and fact.date_role == gold.date_role
    if fact.kind == "target":
        return fact.value is not None and gold.value is not None and abs(fact.value - gold.value) < 1e-6
    return same_actor(fact.actor, gold.actor)


def score(extracted: list[Fact], gold: list[GoldStatement], group_of) -> GlanceResult:  # noqa: ANN001
    """Statement precision and recall, overall and per group (``group_of(source)`` -> label)."""
    result = GlanceResult()
    for fact in extracted:
        ok = any(matches(fact, g) for g in gold)
        for s in (result.overall, result.by_group[group_of(fact.evidence[0].source)]):
            s.extracted += 1
            s.correct += ok
        if not ok:
            result.wrong.append(fact)
    for g in gold:
        ok = any(matches(f, g) for f in extracted)
        for s in (result.overall, result.by_group[group_of(g.source)]):
            s.gold += 1
            s.found += ok
        if not ok:
            result.missed.append(g)
    return result


def score_dates(extracted: list[Fact], gold: list[GoldStatement]) -> dict[str, DateScore]:
    """Per kind (target, responsibility), the dates of the extracted statements that match a gold one
    (:func:`matches`): the gold's date, none, or one the gold does not give."""
    scores = {"target": DateScore(), "responsibility": DateScore()}
    for g in gold:
        if g.kind not in scores:
            continue
        found = [f for f in extracted if matches(f, g)]
        if not found:
            continue
        s = scores[g.kind]
        if g.related_date:
            s.dated += 1
            s.right += any(same_date(f.date, g.related_date) for f in found)
            s.missing += all(f.date is None for f in found)
        else:
            s.undated += 1
            s.added += all(f.date is not None for f in found)
    return scores


def merge_pairs(merged: list[Fact], gold: list[GoldStatement], sources: set[str] | None = None) -> tuple[float, float]:
    """Precision and recall of merging, over pairs of matched statements from different documents
    (only statements of ``sources``, when given)."""
    if sources is not None:
        merged = [m.model_copy(update={"evidence": [e for e in m.evidence if e.source in sources]}) for m in merged]
        merged = [m for m in merged if m.evidence]

    def gold_id(fact: Fact, evidence_index: int) -> str | None:
        single = fact.model_copy(update={"evidence": [fact.evidence[evidence_index]]})
        return next((g.fact_id for g in gold if matches(single, g)), None)

    predicted, placed = set(), []
    for n, fact in enumerate(merged):
        ids = [(gold_id(fact, i), fact.evidence[i].source) for i in range(len(fact.evidence))]
        placed += [(n, gid, src) for gid, src in ids if gid]
        for i, (a, sa) in enumerate(ids):
            for b, sb in ids[i + 1 :]:
                if a and b and sa != sb:
                    predicted.add((a, sa, b, sb) if sa < sb else (b, sb, a, sa))
    truth = {(a, sa, b, sb) for _, a, sa in placed for _, b, sb in placed if a == b and sa < sb}
    by_gold = {(a, sa, b, sb) for (a, sa, b, sb) in predicted if a == b}
    precision = len(by_gold) / len(predicted) if predicted else 1.0
    recall = len(by_gold & truth) / len(truth) if truth else 1.0
    return precision, recall
