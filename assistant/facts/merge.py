"""One fact stated in several documents or languages becomes one, with all its evidence.

Statements merge when they agree on what makes the fact (:attr:`Fact.key`: the date and its
role, the number, or the actor) and say the same thing: their sentences are at least
``merge_min_similarity`` apart by the embedding model's passage vectors, which are
cross-lingual ("the urgent phase ends 30 June 2025" in Ukrainian, German and Portuguese).
Within one language the embedding model finds any two sentences of one topic alike, so there two
statements must also speak of the same task: share enough of their rarer words (:class:`TaskWords`).
Rows never merge with each other (each row of a list is its own fact), nor do two different
sentences of one document giving one actor duties (a list of that actor's duties).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

from assistant.facts.model import Fact
from assistant.facts.verify import verify
from assistant.retrieval.text_norm import bigrams, lexical_terms


def merge_facts(
    facts: list[Fact], vectors: np.ndarray | None, min_similarity: float, min_similarity_same: float | None = None,
    min_duty_overlap_same: float = 0.0, min_task_overlap_same: float = 0.0,
) -> list[Fact]:
    """Merged facts, in the order of their first statement. ``vectors[i]`` is the unit vector of
    ``facts[i]``'s sentence (None: only identical sentences merge). ``min_similarity`` holds across
    languages, ``min_similarity_same`` (default: the same) within one: two sentences of one language
    about one subject are alike by their words alone, so they must be closer to say the same thing.
    Two responsibilities in one language (whose key is only their actor) must also share at least
    ``min_duty_overlap_same`` of their word pairs (:func:`word_pair_overlap`): one body's two duties in two
    documents of one language are alike to the embedding model whatever they say. Two deadlines or targets
    in one language must share at least ``min_task_overlap_same`` of their words by rarity
    (:meth:`TaskWords.overlap`): a task row and a guidebook sentence of the same date are alike to the
    model when they speak of two tasks.

    Complete linkage: a statement joins a group only when it says the same as every statement
    already in it, so a chain of loosely similar sentences never becomes one fact."""
    words = TaskWords(facts) if min_task_overlap_same > 0 else None
    clusters: list[list[int]] = []
    by_key: dict[str, list[int]] = defaultdict(list)  # key -> positions in ``clusters``
    for i, fact in enumerate(facts):
        for c in by_key[fact.key]:
            if all(_same(facts[j], fact, vectors, j, i, min_similarity, min_similarity_same, min_duty_overlap_same)
                   and _same_task(facts[j], fact, words, j, i, min_task_overlap_same)
                   for j in clusters[c]):  # fmt: skip
                clusters[c].append(i)
                break
        else:
            by_key[fact.key].append(len(clusters))
            clusters.append([i])
    return [_combine([facts[i] for i in members]) for members in clusters]


def _same(
    a: Fact, b: Fact, vectors: np.ndarray | None, i: int, j: int, min_similarity: float, min_same: float | None,
    min_duty_overlap: float = 0.0,
) -> bool:
    if a.evidence[0].row is not None and b.evidence[0].row is not None:
        return a.text == b.text and a.evidence[0].source != b.evidence[0].source  # one task listed in two lists
    if a.text == b.text:
        return True
    if a.kind == "responsibility" and (a.evidence[0].source == b.evidence[0].source or a.date != b.date):
        # One actor's duties in one document are several facts (the key is only the actor); and a
        # dated duty is not one with another date or none (the merged fact's date is in every quote).
        return False
    if a.kind == "responsibility" and a.language == b.language and word_pair_overlap(a.text, b.text) < min_duty_overlap:
        return False
    floor = min_same if min_same is not None and a.language == b.language else min_similarity
    return vectors is not None and float(vectors[i] @ vectors[j]) >= floor


def _same_task(a: Fact, b: Fact, words: TaskWords | None, i: int, j: int, min_overlap: float) -> bool:
    if words is None or a.kind == "responsibility" or a.language != b.language or a.text == b.text:
        return True
    return words.overlap(i, j) >= min_overlap


class TaskWords:
    """The words of each statement's text (folded, numbers aside), each weighted by how rare it is among
    all the statements (its inverse document frequency): words every statement of a corpus uses ("xã",
    "ngày", "100%") say little about which task two statements speak of, a task's own words say much.

    Written here rather than taken from bm25s: the weights are needed for one pairwise share, not a ranking."""

    def __init__(self, facts: list[Fact]) -> None:
        self.terms = [frozenset(t for t in lexical_terms(f.text) if not t[0].isdigit()) for f in facts]
        counts = Counter(t for terms in self.terms for t in terms)
        self.weight = {t: math.log(len(facts) / n) for t, n in counts.items()}

    def overlap(self, i: int, j: int) -> float:
        """The weight of the words statements ``i`` and ``j`` share, as a share of the lighter one's words."""
        a, b = self.terms[i], self.terms[j]
        lighter = min(self._weight(a), self._weight(b))
        return self._weight(a & b) / lighter if lighter > 0 else 0.0

    def _weight(self, terms: frozenset[str]) -> float:
        return sum(self.weight[t] for t in terms)


def _combine(group: list[Fact]) -> Fact:
    """The first statement, with the evidence and levels of all (actor from the first that names one)."""
    first = group[0]
    if len(group) == 1:
        return first
    evidence = [e for fact in group for e in fact.evidence]
    levels = [lvl for lvl in ("central", "province", "commune") if any(lvl in f.levels for f in group)]
    actor = first.actor or next((f.actor for f in group if f.actor), None)
    return verify(first.model_copy(update={"evidence": evidence, "levels": levels, "actor": actor}))


def find_conflicts(
    facts: list[Fact], vectors: np.ndarray | None, min_similarity: float, min_overlap_same: float = 0.0
) -> dict[str, list[Fact]]:
    """Facts that state the same thing with another date or number: same kind (and date role),
    a different key, no sentence in common, and sentences at least ``min_similarity`` alike.
    ``vectors[i]`` is the unit vector of ``facts[i]``'s first sentence. Responsibilities never
    conflict (several actors may share one duty), nor do two rows of lists about different tasks
    (each row is its own fact). Two statements in one language must also share at least
    ``min_overlap_same`` of their word pairs (:func:`word_pair_overlap`): within one language the
    embedding model finds any two sentences of one document type alike (two unrelated sentences of one
    guidebook, a conference's date and a phase's end, are 0.90 apart), so it cannot say alone
    that they speak of the same thing."""
    conflicts: dict[str, list[Fact]] = defaultdict(list)
    if vectors is None:
        return conflicts
    for i, a in enumerate(facts):
        for j in range(i + 1, len(facts)):
            b = facts[j]
            if a.kind != b.kind or a.kind == "responsibility" or a.key == b.key or a.date_role != b.date_role:
                continue
            if {e.quote for e in a.evidence} & {e.quote for e in b.evidence}:
                continue  # one sentence stating two dates ("until 30 June, then from 1 July") is no conflict
            if a.evidence[0].row is not None and b.evidence[0].row is not None and a.text != b.text:
                continue  # two rows of lists: two tasks
            if a.language == b.language and word_pair_overlap(a.text, b.text) < min_overlap_same:
                continue
            if float(vectors[i] @ vectors[j]) >= min_similarity:
                conflicts[a.id].append(b)
                conflicts[b.id].append(a)
    return conflicts


def word_pair_overlap(a: str, b: str) -> float:
    """The share of the shorter text's adjacent word pairs (folded, stop words aside) that the other holds:
    within one language, how much two statements speak of the same thing."""
    pairs_a, pairs_b = _word_pairs(a), _word_pairs(b)
    if not pairs_a or not pairs_b:
        return 0.0
    return len(pairs_a & pairs_b) / min(len(pairs_a), len(pairs_b))


def _word_pairs(text: str) -> set[str]:
    return set(bigrams([t for t in lexical_terms(text) if not t[0].isdigit()]))
