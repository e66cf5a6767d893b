"""The ``none`` backend: an answer quoted from the passages, deterministic and fast.

Each sentence of the passages is scored by how much of the question it
covers. The question is broken into *units* that can be recognised in any
corpus language: glossary concepts (``assistant.retrieval.glossary``), exact
keys (codes, dates, numbers), capitalised names (matched phonetically, so
``Trần Cẩm Tú`` meets ``Тран Кам Ту``) and other words that happen to occur in
the passages. Each unit is weighted by how rare it is among the passages'
sentences, so ``Plan 02`` (everywhere) counts less than ``VNeID``. A question
asking for a figure ("bao nhiêu", "how many", "when") needs a sentence with a
figure the question does not already contain. When the best coverage is below
:data:`MIN_SCORE` the answer is a refusal.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.answer.answer_types import expected_types, supplies
from assistant.answer.constants import LEAD_INS, localized, word_set
from assistant.answer.text import keys_of, sentence_spans, terms
from assistant.retrieval.glossary import GLOSSARY, matched_concepts
from assistant.retrieval.text_norm import fold
from assistant.types import Context

# Refuse when the best sentence covers less than this (tuned on evals/dev.jsonl).
MIN_SCORE = 0.33
# At most this many sentences are quoted, each scoring at least RELATIVE_FLOOR × the best.
MAX_SENTENCES = 3
RELATIVE_FLOOR = 0.5
# A unit found only elsewhere in the sentence's passage earns this share of its weight.
PASSAGE_CREDIT = 0.3
# Base weights of question units by kind.
UNIT_WEIGHTS = {"concept": 1.0, "code": 2.0, "date": 1.5, "num": 1.0, "year": 1.0, "name": 1.5, "word": 0.5}
# Weight of a question word found in no passage (Vietnamese and English words rarely occur in the corpus).
UNKNOWN_WORD_WEIGHT = 0.05
# Score multiplier of a sentence that cannot supply the kind of answer asked for (a date, a %, ...).
TYPE_PENALTY = 0.25
# Each lower passage rank costs this share of the score.
RANK_DECAY = 0.04
# Sentences shorter than this are headings, not answers.
MIN_SENTENCE_CHARS = 25

# Languages whose capitalised words are names.
NAME_LANGUAGES = ("vi", "en")
# A passage sentence must contain one of the question's units found in at most this share of sentences.
FOCUS_SHARE = 0.34
# For a "when" question, the date must lie this close (characters) to one of the question's concepts.
DATE_WINDOW = 120
# Capitalised question words that are not names (folded).
_NOT_NAMES = word_set(
    "ke hoach ban chi dao trung uong dang nha nuoc chinh phu bo nganh hoi nghi so tay cong dich vu quoc "
    "gia tinh uy thanh pho nhan dan ubnd hdnd chu tich bi thu pho thu tuong van phong vi co quan thuong "
    "truc chuong phan nghi quyet ket luan tong cuc ai tu tai theo sau what which who how when where why "
    "does did is are the according over plan guidebook chapter national central party steering committee "
    "secretariat politburo conference portal public service provincial deputy prime minister resolution "
    "conclusion no january february march april may june july august september october november december"
)
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Candidate:
    """A passage sentence with its score; ``index`` is the 0-based passage number."""

    index: int
    start: int
    end: int
    text: str
    score: float


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


def _concept_spans(question: str) -> tuple[set[str], set[str]]:
    """Concepts of the question and the word terms their matched forms account for."""
    # "breakthrough (transformation) phase": also read the question without its parenthesised alternatives.
    plain = re.sub(r"\s*\([^)]*\)", "", question)
    folded = fold(question) + " | " + fold(plain)
    concepts = set(matched_concepts(question)) | set(matched_concepts(plain))
    covered: set[str] = set()
    for concept in concepts:
        for form in GLOSSARY[concept]:
            if fold(form) in folded:
                covered |= terms(form)
    return concepts, covered


def _names(question: str) -> set[str]:
    """Word terms of capitalised words that are not the first word of the question: likely names."""
    names: set[str] = set()
    for m in _WORDS.finditer(question):
        if m.start() == 0 or not m.group()[0].isupper() or fold(m.group()) in _NOT_NAMES:
            continue
        names |= terms(m.group())
    return names


def _date_near(sentence: str, concepts: list[str], q_keys: set[str]) -> bool:
    """True when a date not given in the question lies within :data:`DATE_WINDOW` characters of a concept.

    "Hội nghị … diễn ra vào ngày nào?" is not answered by a sentence that
    mentions the conference at its start and an unrelated deadline 300 characters later.
    """
    folded = fold(sentence)
    for concept in concepts:
        for form in GLOSSARY[concept]:
            for m in re.finditer(rf"(?<!\w){re.escape(fold(form))}", folded):
                window = folded[max(0, m.start() - DATE_WINDOW) : m.end() + DATE_WINDOW]
                if any(k.startswith("date:") for k in keys_of(window) - q_keys):
                    return True
    return not concepts


def question_units(question: str, language: str = "vi") -> tuple[dict[str, float], set[str]]:
    """Units of the question with their base weights, and (separately) its other word units.

    Concepts, keys and names are always counted; other words count fully only
    when some passage contains them (see :data:`UNKNOWN_WORD_WEIGHT`).
    """
    concepts, covered = _concept_spans(question)
    units: dict[str, float] = {f"c:{c}": UNIT_WEIGHTS["concept"] for c in concepts}
    small: set[str] = set()
    for key in keys_of(question):
        kind, _, value = key.partition(":")
        if kind == "num" and value.rstrip("%").isdigit() and int(value.rstrip("%")) <= 10:
            small.add(f"k:{key}")  # "Chương 2", "Plan 02": counted like a word
            continue
        units[f"k:{key}"] = UNIT_WEIGHTS.get(kind, 1.0)
    # Capitalised words are names in Vietnamese and English (German capitalises every noun).
    names = _names(question) - covered if language in NAME_LANGUAGES else set()
    units.update({f"t:{t}": UNIT_WEIGHTS["name"] for t in names})
    words = terms(question) - covered - names
    return units, {f"t:{t}" for t in words} | small


def sentence_units(text: str) -> set[str]:
    """Concept, key and word units present in a passage sentence."""
    return (
        {f"c:{c}" for c in matched_concepts(text)} | {f"k:{k}" for k in keys_of(text)} | {f"t:{t}" for t in terms(text)}
    )


def analyse(question: str, contexts: list[Context], language: str = "vi") -> Analysis:
    """Score every passage sentence by weighted coverage of the question, and decide on refusal."""
    required, words = question_units(question, language)
    concepts = [u[2:] for u in required if u.startswith("c:")]
    wanted = expected_types(question)
    q_keys = keys_of(question)
    sents: list[tuple[int, int, int, set[str]]] = []
    passage_units: list[set[str]] = []
    for i, context in enumerate(contexts):
        spans = sentence_spans(context.text)
        units = [sentence_units(context.text[s:e]) for s, e in spans]
        passage_units.append(set().union(*units) if units else set())
        sents += [(i, s, e, u) for (s, e), u in zip(spans, units)]
    if not sents:
        return Analysis([], "no passages")
    if not required:
        return Analysis([], "no recognisable terms in the question")
    df: dict[str, int] = {}
    for *_, units in sents:
        for u in units:
            df[u] = df.get(u, 0) + 1
    missing = sorted(u for u in required if not df.get(u) and not u.startswith("c:"))
    if missing:
        return Analysis([], f"not in the passages: {', '.join(u[2:] for u in missing)}", tuple(missing))

    def idf(unit: str) -> float:
        return math.log(1 + len(sents) / (df.get(unit, 0) + 1))

    weights = {u: w * idf(u) for u, w in required.items()}
    weights.update({u: (UNIT_WEIGHTS["word"] if df.get(u) else UNKNOWN_WORD_WEIGHT) * idf(u) for u in words})
    total = sum(weights.values())
    present = {u: df[u] for u in required if df.get(u)}
    limit = max(min(present.values(), default=0), FOCUS_SHARE * len(sents))
    focus = {u for u, n in present.items() if n <= limit}
    out = []
    for j, (i, s, e, units) in enumerate(sents):
        text = contexts[i].text[s:e]
        if len(text) < MIN_SENTENCE_CHARS:
            continue
        got = sum(w if u in units else PASSAGE_CREDIT * w if u in passage_units[i] else 0.0 for u, w in weights.items())
        score = got / total * (1 - RANK_DECAY * i)
        new_keys = {u[2:] for u in units if u.startswith("k:")} - q_keys
        # The question's focus may sit in the sentence before or after (same passage).
        around = units.union(*(sents[k][3] for k in (j - 1, j + 1) if 0 <= k < len(sents) and sents[k][0] == i))
        if wanted and not (
            around & focus
            and all(supplies(t, text, new_keys) for t in wanted)
            and (wanted[0].name != "date" or _date_near(text, concepts, q_keys))
        ):
            score *= TYPE_PENALTY
        out.append(Candidate(i, s, e, text, score))
    out.sort(key=lambda c: (-c.score, c.index, c.start))
    return Analysis(out)


def score_sentences(question: str, contexts: list[Context], language: str = "vi") -> list[Candidate]:
    """The scored sentences of :func:`analyse` (empty when it refuses)."""
    return analyse(question, contexts, language).candidates


def select_sentences(candidates: list[Candidate], min_score: float = MIN_SCORE) -> list[Candidate]:
    """Up to :data:`MAX_SENTENCES` distinct best sentences, or none when the best is below ``min_score``."""
    if not candidates or candidates[0].score < min_score:
        return []
    best = candidates[0].score
    chosen: list[Candidate] = []
    for c in candidates:
        if len(chosen) >= MAX_SENTENCES or c.score < RELATIVE_FLOOR * best:
            break
        if any(fold(c.text) == fold(o.text) for o in chosen):
            continue
        chosen.append(c)
    return chosen


def compose(chosen: list[Candidate], language: str) -> str:
    """The answer text: a localized lead-in, then one quoted sentence per line with its ``[n]``."""
    lines = [localized(LEAD_INS, language)]
    lines += [f"- {c.text} [{c.index + 1}]" for c in chosen]
    return "\n".join(lines)


def extractive_answer(
    question: str,
    contexts: list[Context],
    language: str,
    min_score: float = MIN_SCORE,
    candidates: list[Candidate] | None = None,
) -> str | None:
    """A quoted answer with ``[n]`` markers (n = passage number), or None when evidence is too weak.

    ``language`` is the question's language: it picks the lead-in and whether
    capitalised words are read as names. ``candidates`` are the scored sentences of
    :func:`analyse` on these same contexts, when the caller already has them.
    """
    if candidates is None:
        candidates = score_sentences(question, contexts, language)
    chosen = select_sentences(candidates, min_score)
    return compose(chosen, language) if chosen else None
