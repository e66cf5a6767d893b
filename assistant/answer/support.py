"""Does a cited passage support a claim? Presence of its figures is not enough.

:func:`~assistant.answer.citations.check_claim` checks that a claim's codes, dates, numbers
and names occur in the passages it cites. That passes "The plan was cancelled [1]" against
any passage, and "the leader may delegate [1]" against one saying he must *not*. A claim is
supported when one sentence of a cited passage says the same thing:

- it is quoted verbatim from the passage (extractive answers), or
- the embedding model finds a passage sentence close to it: cosine at least
  ``min_similarity_same`` (same language) or ``min_similarity_cross`` (another language);
  within one language the sentence must also hold ``min_coverage_same`` of the claim's words;
- that sentence holds the claim's figures (dates of one phase are not another phase's);
- it has the same polarity (:func:`assistant.language.negated`, in each corpus language);
- a date that is a period's start there is not the claim's end, and the reverse
  (:func:`assistant.language.date_roles`);
- within one language, the names the claim capitalises (agencies, people) are in the passage.

With no embedding model (logic tests) only quotes and same-language sentences holding the
claim's words can support; across languages nothing is then verified.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.extractive import Similarity
from assistant.answer.text import capitalised_words, figure_keys, sentence_spans, terms
from assistant.language import date_roles, detect_language, negated
from assistant.settings import SupportSettings
from assistant.types import Context

_SPACE = re.compile(r"\s+")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+")
_TRAILING = re.compile(r"[\s.;:!?…]+$")


@dataclass(frozen=True)
class Support:
    """The verdict on one claim: the passage sentence that backs it (or came closest), and why not."""

    supported: bool
    how: str  # "quoted", "similar" or "none"
    passage: int | None = None  # 0-based index into the cited passages
    sentence: str | None = None
    similarity: float | None = None
    reasons: tuple[str, ...] = ()


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _quoted(claim: str, passage: str) -> bool:
    """True when ``claim`` (without a bullet and closing punctuation) is a verbatim piece of ``passage``."""
    body = _TRAILING.sub("", _BULLET.sub("", claim))
    return bool(body) and _normal(body) in _normal(passage)


def _coverage(claim: str, sentence: str) -> float:
    wanted = terms(claim)
    return len(wanted & terms(sentence)) / len(wanted) if wanted else 1.0


class SupportChecker:
    """Checks claims against the passages they cite (see the module docstring)."""

    def __init__(self, similarity: Similarity | None, settings: SupportSettings | None = None) -> None:
        self.similarity = similarity
        self.settings = settings or SupportSettings()

    def check(self, claim: str, passages: Sequence[Context]) -> Support:
        """Whether one of ``passages`` (the ones ``claim`` cites) supports ``claim`` (plain text, no markers)."""
        for i, passage in enumerate(passages):
            if _quoted(claim, passage.text):
                return Support(True, "quoted", i, claim)
        sentences = [
            (i, passage.text[s:e]) for i, passage in enumerate(passages) for s, e in sentence_spans(passage.text)
        ]
        if not sentences:
            return Support(False, "none", reasons=("the cited passages have no sentence",))
        figures = figure_keys(claim)
        holding = [k for k, (_, text) in enumerate(sentences) if figures & figure_keys(text)]
        eligible = holding or list(range(len(sentences)))
        claim_language = detect_language(claim)
        languages = [self._language(passages[i]) for i, _ in sentences]
        cosines = self._cosines(claim, passages, sentences)

        def rank(k: int) -> float:
            if cosines is not None:
                return float(cosines[k])
            return _coverage(claim, sentences[k][1]) if languages[k] == claim_language else -1.0

        best = max(eligible, key=rank)
        index, sentence = sentences[best]
        same = languages[best] == claim_language
        similarity = float(cosines[best]) if cosines is not None else None
        reasons = self._reasons(claim, claim_language, sentences, best, same, similarity, passages[index])
        return Support(not reasons, "similar" if not reasons else "none", index, sentence, similarity, tuple(reasons))

    def _reasons(
        self, claim: str, claim_language: str, sentences: list[tuple[int, str]], best: int, same: bool,
        similarity: float | None, passage: Context,
    ) -> list[str]:  # fmt: skip
        """Why the ``best`` sentence does not support ``claim`` (empty when it does)."""
        settings = self.settings
        index, sentence = sentences[best]
        reasons: list[str] = []
        if similarity is None and not same:
            reasons.append("no embedding model to compare the claim with a passage in another language")
        elif similarity is not None:
            floor = settings.min_similarity_same if same else settings.min_similarity_cross
            if similarity < floor:
                reasons.append(f"no passage sentence says this (closest: similarity {similarity:.2f} < {floor:.2f})")
        if same and _coverage(claim, sentence) < settings.min_coverage_same:
            reasons.append(f"the closest sentence holds under {settings.min_coverage_same:.0%} of the claim's words")
        figures = figure_keys(claim)
        apart = figures - figure_keys(sentence)
        if apart and len(figures) > 1:
            # A claim joining two facts may take one from the next sentence, or from another passage it cites.
            near = [t for k, (i, t) in enumerate(sentences) if (i == index and abs(k - best) == 1) or i != index]
            apart -= set().union(*(figure_keys(t) for t in near))
        if apart:
            reasons.append(f"{', '.join(sorted(apart))} not stated in the sentence that matches the claim")
        sentence_language = detect_language(sentence) if not same else claim_language
        if negated(claim, claim_language) != negated(sentence, sentence_language):
            said = "negates" if negated(claim, claim_language) else "does not negate"
            reasons.append(f"the claim {said} what the passage says")
        claim_roles = date_roles(claim, settings.role_window)
        passage_roles = date_roles(sentence, settings.role_window)
        for key, roles in sorted(claim_roles.items()):
            there = passage_roles.get(key)
            if there and not roles & there:
                reasons.append(f"{key.removeprefix('date:')} is the {'/'.join(sorted(there))} in the passage, "
                               f"the {'/'.join(sorted(roles))} in the claim")  # fmt: skip
        if same:
            known = terms(passage.text)
            absent = [w for w in capitalised_words(claim) if terms(w) and not terms(w) <= known]
            reasons += [f"name {w} not in the passage" for w in absent]
        return reasons

    def _cosines(self, claim: str, passages: Sequence[Context], sentences: list[tuple[int, str]]):  # noqa: ANN202
        if self.similarity is None:
            return None
        return self.similarity(claim, [(passages[i].source, text) for i, text in sentences])

    @staticmethod
    def _language(passage: Context) -> str:
        return passage.language if passage.language not in ("", "und") else detect_language(passage.text)
