"""Which of a passage sentence's figures the question asks for.

One Plan 02 sentence often lists several targets: "… надання 25 повноцінних онлайн-державних
послуг …; надання 982 онлайн-державних послуг із середньою кількістю записів …". Asked for the
number of *full* online services ("toàn trình" = "повноцінних"), the 1.5B model answered 982:
a figure that is in the cited passage, so the figure check alone shows it as verified.

Each figure is judged by the clause around it (split at ";", ":" and ", "): how many of the
question's concepts (as the passage words them, :func:`~assistant.retrieval.glossary.equivalents`)
and of its own words the clause holds. A claimed figure loses to a rival of the same kind (a
number to a number, a date to a date) whose clause fits the question strictly better.
Measured on the dev set's local-model answers: it flagged vi-005's 982 and en-002's "1 July"
(the urgent phase ends on 30 June) and none of the correct answers.
"""

from __future__ import annotations

import re

from assistant.answer.text import figure_keys, sentences, terms
from assistant.retrieval.glossary import equivalents
from assistant.retrieval.text_norm import fold

# Clause boundaries inside a sentence; a comma before a digit is a decimal or list of figures, not one.
_CLAUSE = re.compile(r"[;:]|,\s(?!\d)")


def _kind(key: str) -> str:
    return key.partition(":")[0]


def _fit(clause: str, question_terms: set[str], passage_words: list[str]) -> int:
    """How many of the question's concepts (passage wording, folded) and words ``clause`` holds."""
    folded = fold(clause)
    return sum(word in folded for word in passage_words) + len(terms(clause) & question_terms)


def better_figures(claim: str, passage: str, question: str) -> list[tuple[str, str]]:
    """(claimed figure, rival) pairs: figures of ``claim`` that a sentence of ``passage`` holds
    beside a figure of the same kind in a clause fitting ``question`` strictly better.

    Figures the question itself names ("đến ngày 30/6/2025") are neither claims nor rivals.
    """
    asked = figure_keys(question)
    claimed = figure_keys(claim) - asked
    if not claimed:
        return []
    passage_words = [fold(found) for _, found in equivalents(question, passage)]
    return _rivals(claimed, asked, sentences(passage), terms(question), passage_words)


def misplaced_figures(claim: str, sentence: str) -> list[tuple[str, str]]:
    """(claimed figure, rival) pairs where ``sentence`` gives the claim's figure for something else:
    "hạ tầng số (20 điểm), dữ liệu số (25 điểm)" does not back "hạ tầng số có 25 điểm", since the
    clause holding 20 shares more of the claim's words than the one holding 25."""
    claimed = figure_keys(claim)
    return _rivals(claimed, set(), [sentence], terms(claim), []) if claimed else []


def _rivals(
    claimed: set[str], asked: set[str], passage_sentences: list[str], question_terms: set[str], passage_words: list[str]
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for sentence in passage_sentences:
        keys = figure_keys(sentence) - asked
        mine = claimed & keys
        if not mine or len(keys) < 2:
            continue
        clauses = [
            (_fit(clause, question_terms, passage_words), figure_keys(clause) - asked)
            for clause in _CLAUSE.split(sentence)
            if clause.strip()
        ]
        for key in sorted(mine):
            own = max((fit for fit, figures in clauses if key in figures), default=None)
            if own is None:
                continue  # the figure spans a clause boundary ("1,139"): nothing to compare
            rivals = [
                (fit, rival)
                for fit, figures in clauses
                for rival in sorted(figures - claimed)
                if _kind(rival) == _kind(key)
            ]
            best = max(rivals, default=None)
            if best is not None and best[0] > own:
                found.append((key, best[1]))
    return found
