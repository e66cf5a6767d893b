"""The facts layer's per-language vocabulary (``lexicon.yaml``) and matching over folded words.

Text is read as words with their spans in the original string, each word folded on its own
(:func:`~assistant.retrieval.text_norm.fold` changes lengths, so spans are kept per word).
A phrase matches a run of words exactly in Vietnamese, whose words are syllables, and by
prefix elsewhere (a stem such as "ministerstv" covers every case ending).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from assistant.retrieval.text_norm import fold

LEXICON = Path(__file__).with_name("lexicon.yaml")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Stems shorter than this match whole words only ("amt" must not match "amtlich").
MIN_PREFIX = 4


@dataclass(frozen=True)
class Word:
    folded: str
    text: str
    start: int
    end: int

    def key(self, language: str) -> str:
        """What a phrase is matched against: the word in lower case with its diacritics in Vietnamese
        ("sở", "sổ" and "số" are three words), folded elsewhere."""
        return self.text.lower() if language == "vi" else self.folded


def words(text: str) -> list[Word]:
    """The words of ``text`` with their spans, each folded."""
    return [Word(fold(m.group()), m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    return yaml.safe_load(LEXICON.read_text(encoding="utf-8"))


def _folded(phrases: list[str], language: str = "") -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(w.key(language) for w in words(p)) for p in phrases if words(p))


@cache
def phrases(table: str, language: str) -> tuple[tuple[str, ...], ...]:
    """The phrases of one table (``obligation``, ``goal``, ``actor_heads``…) for ``language``, as matched."""
    return _folded(_lexicon().get(table, {}).get(language, []), language)


@cache
def level_phrases(level: str, language: str) -> tuple[tuple[str, ...], ...]:
    return _folded(_lexicon()["levels"][level].get(language, []), language)


@cache
def column_phrases(role: str) -> tuple[tuple[str, ...], ...]:
    """Header words of a list column role (every language at once, folded: headers are short)."""
    return _folded(_lexicon()["columns"][role])


@cache
def endings(language: str, table: str = "left_modifier_endings") -> tuple[str, ...]:
    """The word endings of ``table`` for ``language`` (folded): adjective endings by default."""
    return tuple(fold(e) for e in _lexicon().get(table, {}).get(language, []))


def _word_matches(word: str, stem: str, exact: bool) -> bool:
    if exact or len(stem) < MIN_PREFIX:
        return word == stem
    return word.startswith(stem)


def match_at(seq: list[Word], i: int, phrase: tuple[str, ...], language: str) -> bool:
    """True when ``phrase`` starts at word ``i`` of ``seq``."""
    exact = language == "vi"
    return i + len(phrase) <= len(seq) and all(
        _word_matches(seq[i + j].key(language), stem, exact) for j, stem in enumerate(phrase)
    )


def find(seq: list[Word], table: tuple[tuple[str, ...], ...], language: str) -> list[tuple[int, int]]:
    """``(first, last + 1)`` word positions of every match of the phrases in ``table``, longest first at a position."""
    found = []
    for i in range(len(seq)):
        lengths = [len(p) for p in table if match_at(seq, i, p, language)]
        if lengths:
            found.append((i, i + max(lengths)))
    return found


def header_role(header: str) -> str | None:
    """The role of a list column from its header: deadline, start, actor, partner, unit, person, position, role,
    task, target, title or when (None when unclear).

    Partner is tested before actor ("Cơ quan phối hợp" names cooperating bodies, not the lead)."""
    readings = [words(header)]
    if "/" in header:  # "Người/đơn vị thực hiện": "Người thực hiện" or "đơn vị thực hiện"
        before, after = (words(part) for part in header.split("/", 1))
        readings += [before + after[k:] for k in range(1, len(after))]
    for role in ("partner", "unit", "person", "position", "role", "start", "deadline", "actor", "target", "task", "title",
                 "when"):
        if any(match_at(seq, i, p, "") for seq in readings for p in column_phrases(role) for i in range(len(seq))):
            return role
    return None


def question_role(question: str, language: str) -> str | None:
    """``by`` when a question asks for an end or a deadline, ``from`` for a start, None when unclear."""
    seq = words(question)
    found = set()
    for role in ("by", "from"):
        table = _folded(_lexicon()["question_roles"][role].get(language, []), language)
        if find(seq, table, language):
            found.add(role)
    return found.pop() if len(found) == 1 else None
