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
- within one language, a range or contrast is not turned round ("từ A đến B" against "từ B đến A",
  "A, а не B" against "B, а не A": :func:`assistant.language.ordered_pairs`);
- within one language, the names the claim capitalises (agencies, people) are in the passage;
- within one language, a claim answering a yes/no question holds no word of the question that the
  passage lacks (a yes asserts the question's premise);
- in any language, the sentence is about the body the question asks about: when the question (or its
  translation into the passage's language) names a body ("Sở Du lịch") that the sentence does not
  name, and the sentence names another of its kind ("Sở Giao thông": the same head word, nothing after it
  in common), the claim answers about another body (:func:`other_actors`; names are found by
  :func:`assistant.facts.actors.find_actors`, from the lexicon's head words).

With no embedding model (logic tests) only quotes and same-language sentences holding the
claim's words can support; across languages nothing is then verified.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.answer_types import is_yes_no
from assistant.answer.conflicts import (
    label_conflicts,
    name_words,
    other_actors,
    row_conflicts,
    share,
    swapped,
    year_conflicts,
)
from assistant.answer.extractive import Similarity
from assistant.answer.figure_fit import misplaced_figures
from assistant.answer.list_items import names_other_item
from assistant.answer.text import (
    capitalised_words,
    clock_times,
    figure_keys,
    mentions_number,
    person_names,
    sentence_spans,
    small_numbers,
    terms,
    time_stated,
)
from assistant.ingest.tables import split_row
from assistant.language import date_roles, detect_language, negated, spelled_numbers
from assistant.reasons import reason
from assistant.settings import FactSettings, SupportSettings
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


# A verbatim piece shorter than this many words (and without a figure) is no quote: "Có." occurs anywhere.
MIN_QUOTE_WORDS = 4


def _quoted(claim: str, passage: str) -> bool:
    """True when ``claim`` (without a bullet and closing punctuation) is a verbatim piece of ``passage``
    that says something: at least :data:`MIN_QUOTE_WORDS` words, or a code, date or number."""
    body = _TRAILING.sub("", _BULLET.sub("", claim))
    if len(body.split()) < MIN_QUOTE_WORDS and not figure_keys(body):
        return False
    return _normal(body) in _normal(passage)


def _figures(text: str) -> set[str]:
    """The codes, dates, numbers and times of day (``time:16:30``) of ``text`` that a sentence must back."""
    times, plain = clock_times(text)
    return figure_keys(plain) | times


def _said_of(claim: str, sentence: str, language: str) -> str:
    """What a table row says of the claim's subject, for its polarity: a yes/no column (a value of one or two
    words that negates: "Trực tuyến: Không", "Online: No") answers its own header, so it is left out unless
    the claim speaks of that column."""
    fields = split_row(sentence)
    if len(fields) < 2:
        return sentence
    said = terms(claim)
    kept = [f"{header}: {value}" for header, value in fields
            if not (len(value.split()) <= 2 and negated(value, language) and not terms(header) & said)]  # fmt: skip
    return "; ".join(kept)


def _backed(term: str, there: set[str], exact: bool, stem: int) -> bool:
    """``term`` is among ``there``; outside Vietnamese (which does not inflect), a term sharing its first
    ``stem`` letters will do ("плана" for "план")."""
    if exact or len(term) < stem:
        return term in there
    return any(t[:stem] == term[:stem] for t in there)


def _question_words(question: str) -> list[str]:
    """The words of ``question`` as written, in order, without repeats."""
    return list(dict.fromkeys(re.findall(r"[^\W\d_]+", question)))


def _coverage(claim: str, sentence: str) -> float:
    wanted = terms(claim)
    return share(wanted, terms(sentence)) if wanted else 1.0


class SupportChecker:
    """Checks claims against the passages they cite (see the module docstring)."""

    def __init__(
        self, similarity: Similarity | None, settings: SupportSettings | None = None, facts: FactSettings | None = None
    ) -> None:
        self.similarity = similarity
        self.settings = settings or SupportSettings()
        self.facts = facts or FactSettings()  # how bodies' names are read (facts.actor_* settings)

    def check(
        self, claim: str, passages: Sequence[Context], question: str = "", wordings: Sequence[str] = ()
    ) -> Support:
        """Whether one of ``passages`` (the ones ``claim`` cites) supports ``claim`` (plain text, no markers).

        Small numbers and names the ``question`` gives ("Kế hoạch 02", "Sở Tư pháp có…?") are its
        subject, not the claim's news, and need not be in the matching sentence; but the sentence must
        not be about another body of the same kind. ``wordings``: the question's translations (the
        rewriter's), read for the bodies it names in the passage's language."""
        for i, passage in enumerate(passages):
            if _quoted(claim, passage.text):
                return Support(True, "quoted", i, claim)
        sentences = [
            (i, passage.text[s:e]) for i, passage in enumerate(passages) for s, e in sentence_spans(passage.text)
        ]
        if not sentences:
            return Support(False, "none", reasons=(reason("no_sentence"),))
        figures = _figures(claim)
        holding = [k for k, (_, text) in enumerate(sentences) if figures & _figures(text)]
        eligible = holding or list(range(len(sentences)))
        claim_language = detect_language(claim)
        by_passage = [self._language(passage) for passage in passages]
        languages = [by_passage[i] for i, _ in sentences]
        cosines = self._cosines(claim, passages, sentences)

        def rank(k: int) -> float:
            if cosines is not None:
                return float(cosines[k])
            return _coverage(claim, sentences[k][1]) if languages[k] == claim_language else -1.0

        best = max(eligible, key=rank)
        index, sentence = sentences[best]
        similarity = float(cosines[best]) if cosines is not None else None
        reasons = self._reasons(
            claim, claim_language, sentences, languages, best, similarity, passages[index], question
        )
        reasons += self._other_actors(question, wordings, sentence, languages[best])
        return Support(not reasons, "similar" if not reasons else "none", index, sentence, similarity, tuple(reasons))

    def _reasons(
        self, claim: str, claim_language: str, sentences: list[tuple[int, str]], languages: list[str], best: int,
        similarity: float | None, passage: Context, question: str,
    ) -> list[str]:  # fmt: skip
        """Why the ``best`` sentence does not support ``claim`` (empty when it does)."""
        settings = self.settings
        index, sentence = sentences[best]
        same = languages[best] == claim_language
        reasons: list[str] = []
        if similarity is None and not same:
            reasons.append(reason("no_model"))
        elif similarity is not None:
            anchored = bool(figure_keys(claim) or small_numbers(claim) or person_names(claim))
            floor = (
                settings.min_similarity_same if same
                else settings.min_similarity_cross if anchored else settings.min_similarity_cross_unanchored
            )  # fmt: skip
            if similarity < floor:
                reasons.append(reason("low_similarity", similarity=f"{similarity:.2f}", floor=f"{floor:.2f}"))
        if same and _coverage(claim, sentence) < settings.min_coverage_same:
            reasons.append(reason("low_coverage", share=f"{settings.min_coverage_same:.0%}"))
        figures = _figures(claim)
        apart = {k for k in figures - _figures(sentence) if not (k.startswith("time:") and time_stated(k, sentence))}
        # A claim joining two facts may take one from the next sentence, or from another passage it cites.
        near = [t for k, (i, t) in enumerate(sentences) if (i == index and abs(k - best) == 1) or i != index]
        if apart and len(figures) > 1:
            apart -= set().union(*(_figures(t) for t in near))
        if apart:
            reasons.append(reason("not_in_sentence", figures=", ".join(sorted(apart))))
        claim_plain = clock_times(claim)[1]
        counts = small_numbers(claim_plain) | spelled_numbers(claim_plain, claim_language)
        counts -= small_numbers(question) | spelled_numbers(question)
        reasons += [reason("not_in_sentence", figures=n)
                    for n in sorted(counts) if not mentions_number(n, sentence)]  # fmt: skip
        reasons += year_conflicts(claim, sentence)
        if same:
            reasons += [reason("misplaced_figure", figure=key.split(":")[1], rival=rival.split(":")[1])
                        for key, rival in misplaced_figures(claim, sentence)]  # fmt: skip
            reasons += row_conflicts(claim, sentence, lambda value: bool(self._bodies(value, claim_language)))
            others = [t for k, (i, t) in enumerate(sentences) if i == index and k != best]
            if other := names_other_item(claim, sentence, others, settings.item_shared_words):
                reasons.append(reason("other_item", item=other))
            reasons += swapped(claim, sentence, claim_language, settings.pair_words)
            if settings.labelled_numbers:
                reasons += label_conflicts(claim, sentence, near)
            if settings.sentence_actor:
                reasons += self._sentence_actors(claim, sentence, claim_language)
        denies = negated(claim, claim_language)
        if denies != negated(_said_of(claim, sentence, languages[best]), languages[best]):
            reasons.append(reason("negates" if denies else "does_not_negate"))
        claim_roles = date_roles(claim, settings.role_window)
        passage_roles = date_roles(sentence, settings.role_window)
        for key, roles in sorted(claim_roles.items()):
            there = passage_roles.get(key)
            if there and not roles & there:
                reasons.append(reason("date_role", date=key.removeprefix("date:"), passage_role="/".join(sorted(there)),
                                      claim_role="/".join(sorted(roles))))  # fmt: skip
        if same:
            known = terms(passage.text) | terms(question)
            absent = [w for w in capitalised_words(claim) if terms(w) and not terms(w) <= known]
            reasons += [reason("name_absent", name=w) for w in absent]
            if question and is_yes_no(question):
                # A yes or a restatement asserts the question's premise ("Отменён ли План № 02?" → "Да, План
                # № 02 отменён"): every word the claim takes from the question must be in the passage.
                there = terms(passage.text)
                unbacked = {
                    w
                    for w in terms(claim) & terms(question)
                    if not _backed(w, there, claim_language == "vi", settings.premise_stem_chars)
                }
                if unbacked:
                    words = ", ".join(w for w in _question_words(question) if terms(w) & unbacked)
                    reasons.append(reason("premise", words=words))
        return reasons

    def _other_actors(self, question: str, wordings: Sequence[str], sentence: str, language: str) -> list[str]:
        """:func:`other_actors` for the bodies the question, or its translation, names in ``language``."""
        if not self.settings.asked_actor or not question:
            return []
        from assistant.facts.actors import find_actors  # here: facts.actors reads answer.text, which imports this

        asked = [a.name for text in (question, *wordings) if detect_language(text) == language
                 for a in find_actors(text, language, self.facts)]  # fmt: skip
        if not asked:
            return []
        named = [a.name for a in find_actors(sentence, language, self.facts)]
        return [reason("asked_actor", name=name, rival=rival)
                for name, rival in other_actors(asked, named, sentence)]  # fmt: skip

    def _sentence_actors(self, claim: str, sentence: str, language: str) -> list[str]:
        """Within one language, a duty the sentence gives its own body, claimed for another body of that kind
        ("Sở Giao thông chủ trì …" against "Sở Du lịch: chủ trì …"). A body the claim names beside the
        sentence's own (a claim joining two duties) is no rival."""
        said = f" {' '.join(name_words(claim))} "
        rivals = [name for name in self._bodies(sentence, language) if f" {' '.join(name_words(name))} " not in said]
        return [reason("sentence_actor", rival=rival, name=name)
                for name, rival in other_actors(self._bodies(claim, language), rivals, sentence)]  # fmt: skip

    def _bodies(self, text: str, language: str) -> list[str]:
        """The capitalised names of bodies in ``text`` (:func:`assistant.facts.actors.find_actors`): the names
        of bodies, not a common noun phrase the rules read as one ("đơn vị tính")."""
        from assistant.facts.actors import find_actors  # here: see _other_actors

        return [a.name for a in find_actors(text, language, self.facts) if a.name[:1].isupper()]

    def _cosines(self, claim: str, passages: Sequence[Context], sentences: list[tuple[int, str]]):  # noqa: ANN202
        if self.similarity is None:
            return None
        return self.similarity(claim, [(passages[i].source, text) for i, text in sentences])

    @staticmethod
    def _language(passage: Context) -> str:
        return passage.language if passage.language not in ("", "und") else detect_language(passage.text)
