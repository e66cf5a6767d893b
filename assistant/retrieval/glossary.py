"""An optional glossary: one corpus's wording of its concepts across languages, loaded from data.

A glossary file (``corpus/glossary.yaml`` by default, setting ``corpus.glossary``) maps a
concept to its surface forms in any language::

    working_group: [tổ công tác, working group, робоча група, Arbeitsgruppe]

When a form of a concept occurs in a query, the lexical search channel also looks for the
other forms, and the answer prompt tells the model which passage words name the question's
concepts. That helps a corpus whose documents are in other languages than its questions.

It is data about one corpus, never needed: with no file (or an empty one) every function
here returns nothing, and search and answers still work from the embedding model, the
words and the figures. Nothing may answer or refuse because of a glossary hit.

Which glossary is in force is set once per process by :func:`use_glossary` (the
:class:`~assistant.api.Assistant` does it from its settings). Passing the object through
every leaf check instead would widen a dozen signatures for one piece of read-only data.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from assistant.errors import ConfigError
from assistant.retrieval.text_norm import fold

# A one-word form at least this long (folded) also matches inside a word: German compounds put
# the concept last ("Fachdatenbanken", "Projektarbeitsgruppe"); shorter forms ("plan", "ward")
# would match inside unrelated words.
COMPOUND_MIN_CHARS = 9


def _pattern(form: str) -> re.Pattern[str]:
    # A form matches at a word start and may run on: forms are stems ("сценари", "datenbank" also
    # match "сценарии", "Datenbanken").
    folded = fold(form)
    if len(folded) >= COMPOUND_MIN_CHARS and folded.isalpha():
        return re.compile(re.escape(folded))
    return re.compile(rf"(?<!\w){re.escape(folded)}")


@dataclass(frozen=True)
class Glossary:
    """Concept -> surface forms. An empty glossary is valid and matches nothing."""

    concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = "(none)"

    @cached_property
    def _compiled(self) -> list[tuple[str, tuple[re.Pattern[str], ...], tuple[str, ...]]]:
        return [(c, tuple(_pattern(f) for f in forms), forms) for c, forms in self.concepts.items()]

    def __len__(self) -> int:
        return len(self.concepts)

    def forms(self, concept: str) -> tuple[str, ...]:
        return self.concepts.get(concept, ())


EMPTY = Glossary()


def load_glossary(path: Path) -> Glossary:
    """Read and validate a glossary file; a missing file is the empty glossary.

    Raises :class:`ConfigError` naming the file and the offending entry.
    """
    path = Path(path)
    if not path.is_file():
        return Glossary(source=f"{path} (absent)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read glossary: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a glossary is a mapping of concept -> list of forms")
    concepts: dict[str, tuple[str, ...]] = {}
    for concept, forms in data.items():
        if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
            raise ConfigError(f"{path}: concept {concept!r}: expected a non-empty list of non-empty strings")
        concepts[str(concept)] = tuple(f.strip() for f in forms)
    return Glossary(concepts, str(path))


_lock = threading.Lock()
_active: Glossary | None = None


def use_glossary(glossary: Glossary | None) -> None:
    """Make ``glossary`` the one in force for this process (None: the configured corpus's file, read on next use)."""
    global _active
    with _lock:
        _active = glossary


def active_glossary() -> Glossary:
    """The glossary in force; until :func:`use_glossary` is called, the configured corpus's file."""
    global _active
    with _lock:
        if _active is None:
            from assistant.settings import get_settings

            corpus = get_settings().corpus
            _active = load_glossary(corpus.dir / corpus.glossary)
        return _active


def matched_concepts(query: str, glossary: Glossary | None = None) -> list[str]:
    """Concepts whose any form occurs in ``query`` (after folding)."""
    g = glossary or active_glossary()
    folded = fold(query)
    return [concept for concept, patterns, _ in g._compiled if any(p.search(folded) for p in patterns)]


def without_concepts(text: str, concepts: list[str], glossary: Glossary | None = None) -> str:
    """``text`` folded, with every form of ``concepts`` blanked out: what it says beyond them."""
    g = glossary or active_glossary()
    folded = fold(text)
    for concept, patterns, _ in g._compiled:
        if concept in concepts:
            for pattern in patterns:
                folded = pattern.sub(" ", folded)
    return folded


def concept_forms(concept: str, glossary: Glossary | None = None) -> tuple[str, ...]:
    """The surface forms of one concept (empty when the glossary does not have it)."""
    return (glossary or active_glossary()).forms(concept)


def expand(query: str, glossary: Glossary | None = None) -> list[str]:
    """The surface forms (all languages) of every concept found in ``query``."""
    g = glossary or active_glossary()
    forms: list[str] = []
    for concept in matched_concepts(query, g):
        forms.extend(g.forms(concept))
    return forms


def equivalents(question: str, text: str, glossary: Glossary | None = None) -> list[tuple[str, str]]:
    """For each concept of ``question`` that ``text`` words differently: its form in the question
    and the word(s) of ``text`` naming it ("tổ công tác" → "рабочих групп"), in glossary order.

    Small models miss that a Vietnamese question and a Russian passage speak of the same thing;
    the answer prompt lists these pairs (``prompts/terms.txt``).
    """
    g = glossary or active_glossary()
    folded_question, folded_text, lowered = fold(question), fold(text), text.lower()
    pairs: list[tuple[str, str]] = []
    for _, patterns, forms in g._compiled:
        asked = next((f for f, p in zip(forms, patterns, strict=True) if p.search(folded_question)), None)
        if asked is None or _pattern(asked).search(folded_text):
            continue  # not a concept of the question, or the text already words it as the question does
        for form in forms:
            found = re.search(rf"(?<!\w){re.escape(form.lower())}\w*", lowered) if fold(form) != fold(asked) else None
            if found:
                pairs.append((asked, found.group(0)))
                break
    return pairs
