"""Near-duplicate items: two items that ask the same thing with the same key.

An item is compared by its stem and key together (:func:`item_text`), so a true/false statement
and a multiple-choice question about the same fact are near duplicates, while two questions with
the same wording about different phases ("phase 1 ends when?" / "phase 2 ends when?", different
keys) are not.

The lexical similarity (:func:`lexical_similarity`) is the larger of two Jaccard indices over the
normalised texts (case-folded, NFC, single-spaced): of word tokens (catches reordering) and of
character n-grams (catches inflection, typos and spacing). An optional embedding function can
be passed in (texts -> vectors); a pair is then also a duplicate when the cosine of its vectors
reaches ``embedding_threshold``. This module never loads a model.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict

from assistant.quiz.errors import QuizItemError
from assistant.quiz.items import QuizItem
from assistant.quiz.numbers import format_number

# Pairs at or above this lexical similarity are near duplicates.
DEFAULT_THRESHOLD: Final[float] = 0.8
# Character n-gram size of the lexical similarity.
DEFAULT_NGRAM: Final[int] = 3
# Pairs whose embeddings have at least this cosine are near duplicates (when an embedder is given).
DEFAULT_EMBEDDING_THRESHOLD: Final[float] = 0.92

Embedder = Callable[[list[str]], Sequence[Sequence[float]]]
_TOKEN = re.compile(r"\w+", re.UNICODE)


class DuplicatePair(BaseModel):
    """Two near-duplicate items: ``second`` repeats ``first`` (which comes earlier in the list)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first: str
    second: str
    score: float
    method: Literal["lexical", "embedding"]


def item_text(item: QuizItem) -> str:
    """The stem followed by the key in words (a true/false statement is its own key)."""
    if item.type == "multichoice":
        key = item.correct_option.text if item.correct_option else ""
    elif item.type == "truefalse":
        key = ""
    elif item.type == "shortanswer":
        key = item.answers[0]
    elif item.type == "numerical":
        key = format_number(item.value) if item.value is not None else ""
    else:
        key = "; ".join(f"{pair.left} {pair.right}" for pair in item.pairs)
    return f"{item.stem} {key}".strip()


def normalise(text: str) -> str:
    """Case-folded NFC text, punctuation dropped, single-spaced."""
    return " ".join(_TOKEN.findall(unicodedata.normalize("NFC", text).casefold()))


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def token_jaccard(a: str, b: str) -> float:
    """Jaccard index of the two texts' word sets (normalised)."""
    return _jaccard(set(normalise(a).split()), set(normalise(b).split()))


def ngram_jaccard(a: str, b: str, n: int = DEFAULT_NGRAM) -> float:
    """Jaccard index of the two texts' character n-gram sets (normalised; a short text is its own gram)."""

    def grams(text: str) -> set[str]:
        text = normalise(text)
        return {text[i : i + n] for i in range(max(1, len(text) - n + 1))}

    return _jaccard(grams(a), grams(b))


def lexical_similarity(a: str, b: str, n: int = DEFAULT_NGRAM) -> float:
    """The larger of the word and the character n-gram Jaccard indices, in [0, 1]."""
    return max(token_jaccard(a, b), ngram_jaccard(a, b, n))


def _cosine(u: Sequence[float], v: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(u, v, strict=True))
    norm = math.sqrt(sum(x * x for x in u)) * math.sqrt(sum(y * y for y in v))
    return dot / norm if norm else 0.0


def find_near_duplicates(
    items: Sequence[QuizItem],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    ngram: int = DEFAULT_NGRAM,
    embed: Embedder | None = None,
    embedding_threshold: float = DEFAULT_EMBEDDING_THRESHOLD,
) -> list[DuplicatePair]:
    """Every pair of near-duplicate items, in list order (a lexical match is reported before an embedding one)."""
    if not 0 < threshold <= 1:
        raise QuizItemError("threshold", f"must be in (0, 1], got {threshold}")
    if ngram < 1:
        raise QuizItemError("ngram", f"must be at least 1, got {ngram}")
    texts = [item_text(item) for item in items]
    vectors: Sequence[Sequence[float]] | None = None
    if embed is not None:
        vectors = embed(texts)
        if len(vectors) != len(texts):
            raise QuizItemError("embed", f"returned {len(vectors)} vectors for {len(texts)} texts")
    pairs: list[DuplicatePair] = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            score = lexical_similarity(texts[i], texts[j], ngram)
            if score >= threshold:
                pairs.append(DuplicatePair(first=items[i].id, second=items[j].id, score=score, method="lexical"))
            elif vectors is not None:
                cosine = _cosine(vectors[i], vectors[j])
                if cosine >= embedding_threshold:
                    pairs.append(DuplicatePair(first=items[i].id, second=items[j].id, score=cosine, method="embedding"))
    return pairs


def drop_near_duplicates(
    items: Sequence[QuizItem],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    ngram: int = DEFAULT_NGRAM,
    embed: Embedder | None = None,
    embedding_threshold: float = DEFAULT_EMBEDDING_THRESHOLD,
) -> tuple[list[QuizItem], list[tuple[QuizItem, DuplicatePair]]]:
    """Keep the first of each group of near duplicates; return (kept, [(dropped item, the pair that dropped it)])."""
    pairs = find_near_duplicates(
        items, threshold=threshold, ngram=ngram, embed=embed, embedding_threshold=embedding_threshold
    )
    by_id = {item.id: item for item in items}
    dropped: dict[str, DuplicatePair] = {}
    for pair in pairs:
        if pair.first in dropped or pair.second in dropped:
            continue  # the first is already gone: its own original decides
        dropped[pair.second] = pair
    kept = [item for item in items if item.id not in dropped]
    return kept, [(by_id[item_id], pair) for item_id, pair in dropped.items()]
