"""A question's words found in passages of another language, by the embedding model alone.

Without an LLM nothing translates an English question for a Vietnamese row: the sentence's
cosine to the whole question is the only cross-language signal, and e5-small's cosines barely
tell an answer from noise across languages (see ``docs/answers.md``). Short phrases translate
better than whole sentences: "working days" lies closest to "ngày làm việc", "monthly" to
"mỗi tháng". :class:`PhraseBridge` embeds the question's phrases (1 to ``max_words`` words, 2 by default) and the phrases of
the passages written in another language, links each question phrase to its nearest passage
phrase, and keeps a link only when it is close and stands out (CSLS, the hubness correction of
bilingual lexicon induction: a phrase near everything, "example" in e-mail addresses, is
discounted). The kept passage phrases, joined, are one more *wording* of the question
(:func:`assistant.answer.extractive.analyse`), exactly as an LLM's translation would be.

It is a mechanism of the embedding model and of the passages at hand: no vocabulary of any
corpus or language pair is listed. Thresholds are ``answer.bridge`` settings.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from assistant.retrieval.text_norm import fold, is_stop_word
from assistant.settings import BridgeSettings
from assistant.types import Context

# Texts → unit vectors, in the model's *passage* form on both sides: phrase to phrase is symmetric.
EmbedTexts = Callable[[list[str]], np.ndarray]

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Phrases never cross a clause: punctuation, brackets, quotes, a dash between spaces.
_CLAUSE = re.compile(r"[,.;:!?()\[\]{}\n\"“”«»|/]|\s[-–—]\s")
# E-mail addresses and web addresses are no words of any language ("diepvtn@example.vn" would offer
# "diepvtn" and "example" as phrases, near everything and crowding out the real ones).
_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+", re.IGNORECASE)


def phrases(text: str, max_words: int, min_single_chars: int) -> list[str]:
    """The text's phrases of 1 to ``max_words`` words, in reading order, without repeats.

    A phrase neither starts nor ends with a function word and holds no digit (numbers and
    codes are matched exactly elsewhere); a one-word phrase has at least ``min_single_chars``
    letters (single Vietnamese syllables and abbreviations link to anything)."""
    found: dict[str, None] = {}
    for clause in _CLAUSE.split(_ADDRESS.sub(" | ", text)):
        words = _WORD.findall(clause.lower())
        for n in range(1, max_words + 1):
            for i in range(len(words) - n + 1):
                gram = words[i : i + n]
                if is_stop_word(gram[0]) or is_stop_word(gram[-1]):
                    continue
                if n == 1 and len(gram[0]) < min_single_chars:
                    continue
                found[" ".join(gram)] = None
    return list(found)


class PhraseBridge:
    """Callable: (question, passages, question language) → wordings of the question in the passages' words.

    Vectors are cached by phrase (``bridge.cache_entries``), so a passage seen again costs nothing.
    """

    def __init__(self, embed: EmbedTexts, settings: BridgeSettings) -> None:
        self.embed = embed
        self.settings = settings
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vector in zip(missing, self.embed(missing)):
                self._cache[text] = vector
        for text in texts:
            self._cache.move_to_end(text)
        while len(self._cache) > self.settings.cache_entries:
            self._cache.popitem(last=False)
        return np.stack([self._cache[t] for t in texts])

    def links(self, question: str, texts: Sequence[str]) -> list[tuple[str, str, float, float]]:
        """(question phrase, passage phrase, cosine, CSLS margin) for each kept link, in question order."""
        s = self.settings
        asked = phrases(question, s.max_words, s.min_single_chars)
        offered = list(dict.fromkeys(p for t in texts for p in phrases(t, s.max_words, s.min_single_chars)))
        shared = {fold(a) for a in asked}
        offered = [p for p in offered if fold(p) not in shared]  # shared words are matched already
        if not asked or not offered:
            return []
        sims = self._vectors(asked) @ self._vectors(offered).T
        k_asked = min(s.neighbours, sims.shape[1])
        k_offered = min(s.neighbours, sims.shape[0])
        # CSLS: 2·cos − (mean cos of the question phrase to its k nearest passage phrases)
        #              − (mean cos of the passage phrase to its k nearest question phrases).
        r_asked = np.sort(sims, axis=1)[:, -k_asked:].mean(axis=1)
        r_offered = np.sort(sims, axis=0)[-k_offered:, :].mean(axis=0)
        margins = 2 * sims - r_asked[:, None] - r_offered[None, :]
        kept = []
        for i, phrase in enumerate(asked):
            j = int(np.argmax(margins[i]))
            if sims[i, j] >= s.min_similarity and margins[i, j] >= s.min_margin:
                kept.append((phrase, offered[j], float(sims[i, j]), float(margins[i, j])))
        return kept

    def __call__(self, question: str, contexts: Sequence[Context], language: str) -> list[str]:
        """One wording made of the linked phrases of the passages not in ``language``; none when
        every passage is in the question's language or nothing links."""
        # A passage of unknown language (a row of names and codes) may still hold phrases to link.
        foreign = [c.text for c in contexts if c.language != language]
        if not foreign:
            return []
        linked = list(dict.fromkeys(target for _, target, _, _ in self.links(question, foreign)))
        return ["; ".join(linked)] if linked else []
