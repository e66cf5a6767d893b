"""The ``none`` backend: an answer quoted from the passages, deterministic and fast.

Each sentence of the passages is scored by general signals, none of which needs
knowledge of one corpus:

* **similarity**: the embedding model's cross-lingual cosine between the question and
  the sentence (stored at index time, :mod:`assistant.sentence_vectors`);
* **coverage**: the weighted share of the question's units the sentence holds
  (:mod:`assistant.answer.signals`: words, word pairs, codes, dates, numbers, names, and
  glossary concepts when a glossary is given), each weighted by how rare it is among the
  passages' sentences, so ``Plan 02`` (everywhere) counts less than ``VNeID``;
* **type**: whether it can give the kind of answer asked for (a date for "when", a figure
  for "how many": :mod:`assistant.answer.answer_types`);
* **language**: whether the passage is in the question's language.

:func:`combine` turns them into a score in [0, 1] with a logistic model whose coefficients are
settings fitted on the development sets. A code, date, number or name of the question that no
passage holds makes the answer a refusal (:func:`~assistant.answer.signals.missing_in_same_language`
adds the checks that only passages in the question's language allow); so does a best score below
``min_support``, as when the only rows holding the question's words name a sibling item of a list
(:mod:`assistant.answer.set_aside`). Every number is a field of :class:`~assistant.settings.ScoringSettings`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from assistant.answer.answer_types import expected_types, supplies
from assistant.answer.constants import LEAD_INS, localized
from assistant.answer.part_scope import PartScope
from assistant.answer.set_aside import other_label, other_quarter, other_year, wrong_rows
from assistant.answer.signals import (
    DEFAULT_SCORING,
    date_near,
    false_friends,
    header_terms,
    labels,
    missing_in_same_language,
    missing_parts,
    missing_quoted,
    question_units,
    sentence_units,
    values_terms,
    word_surfaces,
)
from assistant.answer.subject import unnamed_passages
from assistant.answer.text import keys_of, lead_ins, quote_line, sentence_spans
from assistant.language import detect_language
from assistant.retrieval.parts import named_parts
from assistant.retrieval.text_norm import fold
from assistant.settings import ScoringSettings
from assistant.settings_tools import FactSettings
from assistant.types import Context

# (question, [(source, sentence), ...]) -> cosine per sentence: the embedding model's similarity.
Similarity = Callable[[str, Sequence[tuple[str, str]]], np.ndarray]


@dataclass(frozen=True)
class Candidate:
    """A passage sentence with its score and the signals it came from; ``index`` is the 0-based passage number."""

    index: int
    start: int
    end: int
    text: str
    score: float
    coverage: float = 0.0  # weighted share of the question's units the sentence holds
    similarity: float | None = None  # the embedding model's question-sentence cosine
    same_language: bool = True  # the passage is in the question's language
    type_ok: bool = True  # it can supply the kind of answer asked for (a date, a number, a name)
    set_aside: str | None = None  # why its passage is not about what the question asks (then not type_ok)
    lead: str | None = None  # a list item's lead-in ("Đến ngày 31/12/2027:"), quoted before it
    lead_start: int | None = None  # where the lead-in starts in the passage


def features(
    candidate: Candidate, best_coverage: float, best_similarity: float | None, default_similarity: float
) -> dict[str, float]:
    """The model's inputs for one sentence, named as the coefficients of ``scoring.model`` (bias aside)."""
    sim = default_similarity if candidate.similarity is None else candidate.similarity
    best_sim = default_similarity if best_similarity is None else best_similarity
    same = candidate.same_language
    return {
        "coverage": candidate.coverage,
        "coverage_gap": candidate.coverage - best_coverage,
        "similarity_same": sim if same else 0.0,
        "similarity_cross": 0.0 if same else sim,
        "similarity_gap": sim - best_sim,
        "cross_language": 0.0 if same else 1.0,
        "rank": float(candidate.index),
    }


def combine(candidate: Candidate, best_coverage: float, best_similarity: float | None,
            scoring: ScoringSettings = DEFAULT_SCORING) -> float:
    """The probability-like score in [0, 1] that a sentence answers: a logistic model of its signals.

    Each signal counts as it is and as its gap to the best sentence of the same question (how a
    sentence stands among the passages matters as much as its level). The similarity counts
    separately within and across languages, because e5's cross-lingual cosines run lower.
    Coefficients (``scoring.model``) are fitted on the development sets by
    ``benchmarks/fit_scoring.py``. Without an embedding model (``similarity`` None)
    ``scoring.default_similarity`` stands in.
    """
    m = scoring.model
    signals = features(candidate, best_coverage, best_similarity, scoring.default_similarity)
    z = m["bias"] + sum(m[name] * value for name, value in signals.items())
    probability = 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
    # A sentence without the kind of answer asked for (no date for "when?") cannot answer, however
    # close it is: a multiplier, so such sentences alone always fall below ``min_support``.
    # Across languages the embedding model's cosines barely separate an answer from an off-topic
    # sentence ("What is the capital of France?" scores like a real question): such a sentence
    # needs some shared figure, name or word as well.
    anchored = candidate.same_language or candidate.coverage >= scoring.min_cross_coverage
    return probability if candidate.type_ok and anchored else probability * scoring.type_penalty


@dataclass(frozen=True)
class Analysis:
    """Scored sentences (best first) and, when the passages cannot answer, why."""

    candidates: list[Candidate]
    refusal: str | None = None
    missing: tuple[str, ...] = ()  # required units of the question found in no passage ("k:…" keys, "t:…" names)

    @property
    def missing_keys(self) -> tuple[str, ...]:
        """The codes, dates and numbers of the question found in no passage."""
        return tuple(u[2:] for u in self.missing if u.startswith("k:"))

    @property
    def best_score(self) -> float | None:
        """The best sentence's score; None when no sentence was scored (no passages or no terms)."""
        return self.candidates[0].score if self.candidates else None


def rescore(candidates: list[Candidate], scoring: ScoringSettings = DEFAULT_SCORING) -> list[Candidate]:
    """The candidates with their :func:`combine` scores (best coverage and similarity taken among them)."""
    if not candidates:
        return []
    best_coverage = max(c.coverage for c in candidates)
    sims = [c.similarity for c in candidates if c.similarity is not None]
    best_sim = max(sims) if sims else None
    return [replace(c, score=combine(c, best_coverage, best_sim, scoring)) for c in candidates]


def _coverage(
    weights: dict[str, float], total: float, units: set[str], headers: set[str], passage: set[str],
    scoring: ScoringSettings,
) -> float:
    """Weighted share (of ``total``, the weights' sum) of the question units a sentence holds (a column
    name or the rest of its passage earns a part of a unit's weight)."""
    if total <= 0:
        return 0.0
    got = sum(
        (scoring.header_credit * w if u in headers else w) if u in units
        else scoring.passage_credit * w if u in passage else 0.0
        for u, w in weights.items()
    )  # fmt: skip
    return got / total


def _cosines(
    question: str, contexts: list[Context], sents: list[tuple[int, int, int, set[str]]], similarity: Similarity | None
) -> np.ndarray | None:
    """Each sentence's question similarity (None without a similarity function)."""
    if similarity is None:
        return None
    items = [(contexts[i].source, contexts[i].text[s:e]) for i, s, e, _ in sents]
    return np.asarray(similarity(question, items), dtype=np.float32)


def analyse(
    question: str,
    contexts: list[Context],
    language: str = "vi",
    scoring: ScoringSettings = DEFAULT_SCORING,
    similarity: Similarity | None = None,
    wordings: Sequence[str] = (),
    bridged: Sequence[str] = (),
    facts: FactSettings | None = None,
) -> Analysis:
    """Score every passage sentence by similarity and weighted coverage of the question; decide on refusal.

    ``language`` is the question's language: passages in the same language must hold the
    question's small numbers (:func:`~assistant.answer.signals.missing_in_same_language`), and a
    table row of a sibling item cannot answer (:mod:`assistant.answer.list_items`).
    ``similarity`` gives the embedding model's question-sentence cosines; without it the score is
    coverage alone. ``wordings`` are other wordings of the question (its translations into the
    documents' languages, :mod:`assistant.retrieval.rewrite`): a sentence's coverage is the best of
    all wordings, so an English question meets a Vietnamese row through its Vietnamese wording.
    ``bridged`` wordings are made of the passages' own phrases nearest the question's
    (:mod:`assistant.answer.bridge`): coverage through them earns ``scoring.bridge_credit`` of
    its weight, enough to anchor a sentence in another language, not to outrank a real match.
    Refusal and the kind of answer asked for come from the question itself.
    """
    required, words = question_units(question, scoring)
    concepts = [u[2:] for u in required if u.startswith("c:")]
    wanted = expected_types(question)
    q_keys = keys_of(question)
    sents: list[tuple[int, int, int, set[str]]] = []
    leads: list[int | None] = []  # per sentence: the position in ``sents`` of the lead-in its list item hangs on
    passage_units: list[set[str]] = []
    for i, context in enumerate(contexts):
        spans = sentence_spans(context.text)
        units = [sentence_units(context.text[s:e]) for s, e in spans]
        passage_units.append(set().union(*units) if units else set())
        leads += [None if k is None else len(sents) + k for k in lead_ins(context.text, spans)]
        sents += [(i, s, e, u) for (s, e), u in zip(spans, units)]
    if not sents:
        return Analysis([], "no passages")
    df: dict[str, int] = {}
    for *_, units in sents:
        for u in units:
            df[u] = df.get(u, 0) + 1
    missing = sorted(u for u in required if not df.get(u) and not u.startswith("c:"))
    missing += missing_in_same_language(question, language, contexts)
    missing += missing_quoted(question, contexts)
    missing += missing_parts(question, contexts)
    if missing:
        return Analysis([], f"not in the passages: {', '.join(u[2:] for u in missing)}", tuple(missing))

    def idf(unit: str) -> float:
        return math.log(1 + len(sents) / (df.get(unit, 0) + 1))

    base = scoring.unit_weights

    def weigh(units: dict[str, float], plain: set[str]) -> dict[str, float]:
        weights = {u: w * idf(u) for u, w in units.items()}
        for u in plain:
            kind = base["pair"] if u.startswith("p:") else base["word"]
            weights[u] = (kind if df.get(u) else scoring.unknown_word_weight) * idf(u)
        return weights

    weights = weigh(required, words)
    others = [(w, 1.0) for w in wordings] + [(w, scoring.bridge_credit) for w in bridged]
    weightings = [(weights, 1.0)] + [
        (weigh(*question_units(w, scoring)), credit) for w, credit in others if w.strip() and w != question
    ]
    totals = [sum(w.values()) for w, _ in weightings]
    surfaces = word_surfaces(question, words)
    # The question's own words meet a sentence in another language only as written (no false friends:
    # English "day" is no Vietnamese "đai").
    owns = [
        units if contexts[i].language == language else units - false_friends(units, contexts[i].text[s:e], surfaces)
        for i, s, e, units in sents
    ]
    held: dict[str, int] = {}
    for units in owns:
        for u in units:
            held[u] = held.get(u, 0) + 1
    present = {u: held[u] for u in weights if held.get(u) and not u.startswith("p:")}
    limit = max(min((present[u] for u in required if u in present), default=0), scoring.focus_share * len(sents))
    focus = {u for u, n in present.items() if n <= limit and (u in required or not required)}
    # A row's column names are in every row: matching them says which field, not which row.
    headers = [{f"t:{t}" for t in header_terms(c)} - {f"t:{t}" for t in values_terms(c)} for c in contexts]
    cosines = _cosines(question, contexts, sents, similarity)
    # A passage in another language holds the question's words only as written (no false friends).
    own_passages = [
        units if c.language == language else units - false_friends(units, c.text, surfaces)
        for c, units in zip(contexts, passage_units)
    ]
    set_aside = wrong_rows(question, contexts, language, q_keys, scoring, wordings)
    # The parts the question labels, read in each passage language (its translations read passages of theirs).
    worded = {detect_language(w): w for w in reversed(wordings) if w.strip()} | {language: question}
    asked_labels = {lang: labels(w) for lang, w in worded.items()}
    kinds = [t.name for t in wanted]
    parts = PartScope(question, contexts)  # a question naming "Điều 3" is answered within it
    if facts is not None and scoring.asked_body:  # how bodies' names are read: the facts settings
        set_aside = unnamed_passages(question, contexts, language, facts) | set_aside
    out = []
    for j, (i, s, e, units) in enumerate(sents):
        text = contexts[i].text[s:e]
        if len(text) < scoring.min_sentence_chars:
            continue
        same_language = contexts[i].language == language
        credit = parts.credit(i, s, e)  # within the part named: its words, though the sentence does not repeat them
        own, lead, lead_text, units = owns[j] | credit, leads[j], None, units | credit
        if lead is not None:  # a list item says what it says under its lead-in ("Đến ngày 31/12/2027:" dates it)
            own, units = own | owns[lead], units | sents[lead][3]
            lead_text = contexts[i].text[sents[lead][1] : sents[lead][2]]
        stated = f"{lead_text} {text}" if lead_text else text
        coverage = max(
            credit * _coverage(w, total, own if n == 0 else units, headers[i], own_passages[i] if n == 0 else passage_units[i], scoring)
            for n, ((w, credit), total) in enumerate(zip(weightings, totals))
        )
        new_keys = {u[2:] for u in units if u.startswith("k:")} - q_keys
        # The question's focus may sit in the sentence before or after (same passage).
        around = own.union(*(owns[k] for k in (j - 1, j + 1) if 0 <= k < len(sents) and sents[k][0] == i))
        type_ok = not wanted or (
            bool(around & focus or not focus)
            and all(supplies(t, stated, new_keys) for t in wanted)
            and (wanted[0].name != "date" or date_near(stated, concepts, q_keys, scoring.date_window))
        )
        cosine = None if cosines is None else float(cosines[j])
        asked = asked_labels.get(contexts[i].language)
        wrong = (set_aside.get(i) or other_quarter(q_keys, units) or other_year(q_keys, units, kinds)
                 or (other_label(asked, stated) if asked else None)
                 or parts.outside(i, s, e, stated))  # fmt: skip
        out.append(Candidate(i, s, e, text, 0.0, coverage, cosine, same_language, type_ok and not wrong, wrong,
                             lead_text, None if lead is None else sents[lead][1]))  # fmt: skip
    out = rescore(out, scoring)
    out.sort(key=lambda c: (-c.score, c.index, c.start))
    return Analysis(out)


def score_sentences(
    question: str, contexts: list[Context], language: str = "vi",
    scoring: ScoringSettings = DEFAULT_SCORING, similarity: Similarity | None = None,
) -> list[Candidate]:
    """The scored sentences of :func:`analyse` (empty when it refuses)."""
    return analyse(question, contexts, language, scoring, similarity).candidates


def select_sentences(
    candidates: list[Candidate], min_score: float | None = None, scoring: ScoringSettings = DEFAULT_SCORING
) -> list[Candidate]:
    """Up to ``max_sentences`` distinct best sentences, or none when the best is below ``min_score``
    (default: ``scoring.min_support``)."""
    floor = scoring.min_support if min_score is None else min_score
    if not candidates or candidates[0].score < floor:
        return []
    best = candidates[0].score
    chosen: list[Candidate] = []
    for c in candidates:
        if len(chosen) >= scoring.max_sentences or c.score < scoring.relative_floor * best:
            break
        if any(fold(c.text) == fold(o.text) for o in chosen):
            continue
        chosen.append(c)
    return chosen


def compose(chosen: list[Candidate], language: str) -> str:
    """The answer text: a localized lead-in, then one quoted sentence per line with its ``[n]``; a list item
    after the lead-in it hangs on (once), which states nothing alone and so is no claim to check."""
    lines = [localized(LEAD_INS, language)]
    for c in chosen:
        if c.lead is not None and quote_line(c.lead, c.index + 1) not in lines:
            lines.append(quote_line(c.lead, c.index + 1))
        lines.append(quote_line(c.text, c.index + 1))
    return "\n".join(lines)


def extractive_answer(
    question: str,
    contexts: list[Context],
    language: str,
    min_score: float | None = None,
    candidates: list[Candidate] | None = None,
    scoring: ScoringSettings = DEFAULT_SCORING,
    similarity: Similarity | None = None,
) -> str | None:
    """A quoted answer with ``[n]`` markers (n = passage number), or None when evidence is too weak.

    ``language`` is the question's language (it picks the lead-in). ``candidates`` are the
    scored sentences of :func:`analyse` on these same contexts, when the caller already has them.
    """
    if candidates is None:
        candidates = score_sentences(question, contexts, language, scoring, similarity)
    chosen = select_sentences(candidates, min_score, scoring)
    if named_parts(question):  # a part's provisions ("Điều 3 quy định gì?") are quoted in the order it states them
        chosen.sort(key=lambda c: (c.index, c.start))
    return compose(chosen, language) if chosen else None
