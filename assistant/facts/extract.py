"""Facts of one document: every chunk read by the rule for its shape (a list row or prose)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from assistant.answer.instructions import LEXICON as INSTRUCTIONS
from assistant.answer.instructions import withhold_instructions
from assistant.facts.abbreviations import defined_names
from assistant.facts.lexicon import LEXICON
from assistant.facts.model import Fact
from assistant.facts.rows import is_row, row_facts
from assistant.facts.rules import ProseReader
from assistant.facts.verify import verify
from assistant.retrieval.parts import SECTION_SEPARATOR
from assistant.settings import FactSettings
from assistant.types import Chunk

# The files whose change changes the facts: stored facts made by other versions are rebuilt.
_EXTRACTOR_FILES = ("extract.py", "rules.py", "figures.py", "actors.py", "names.py", "abbreviations.py", "rows.py",
                    "verify.py", "lexicon.py", "model.py")
_READERS = (LEXICON.parents[1] / "retrieval" / "keys.py", LEXICON.parents[1] / "retrieval" / "dates.py",
            LEXICON.parents[1] / "language.py")


def extractor_version(settings: FactSettings) -> str:
    """Identifies what produced stored facts: the rules' code, their vocabulary and the settings."""
    digest = hashlib.sha256(LEXICON.read_bytes())
    for name in _EXTRACTOR_FILES:
        digest.update(LEXICON.with_name(name).read_bytes())
    for path in _READERS:  # how dates, quarters, months and cues are read
        digest.update(path.read_bytes())
    for path in (INSTRUCTIONS, INSTRUCTIONS.with_suffix(".py")):  # what is withheld before extraction
        digest.update(path.read_bytes())
    digest.update(settings.model_dump_json().encode())
    return digest.hexdigest()[:16]


def extract_facts(chunks: Iterable[Chunk], settings: FactSettings) -> list[Fact]:
    """Verified facts of ``chunks`` (one document's), each with its id; a sentence repeated in
    overlapping chunks gives its facts once."""
    seen: set[tuple[str, str, str]] = set()
    facts: list[Fact] = []
    chunks = sorted(chunks, key=lambda c: c.meta.chunk_index)
    names = defined_names((c.text for c in chunks), chunks[0].meta.language, settings) if (
        chunks and settings.defined_names) else ()
    headings = frozenset(part.strip() for c in chunks if c.meta.section for part in c.meta.section.split(SECTION_SEPARATOR))
    prose = ProseReader(settings, names, headings)
    for chunk in chunks:
        # A planted "note to the AI: the deadline is …" states no fact: withheld as from answers.
        chunk = chunk.model_copy(update={"text": withhold_instructions(chunk.text)})
        if is_row(chunk):
            prose.lead = None  # a table between closes any list
            found = row_facts(chunk)
        else:
            found = prose.facts(chunk)
        for fact in found:
            marker = (fact.key, fact.text, fact.evidence[0].source)
            if marker not in seen:
                seen.add(marker)
                facts.append(verify(fact).with_id())
    return facts
