"""Which numbered part of a document a question names, and which chunks are that part.

"Điều 3 quy định gì?", "What does Article 5 provide?", "ở bước thứ hai …",
"the second phase": a question that names a part asks what that part says. The part's passages
seldom repeat its label (a DOCX article's heading is its chunk's section; its sentences say what
the article provides), so neither the words nor the embedding find it.

A chunk *heads* a part when its section path holds the part's heading or one of its lines starts
one ("Điều 3. …", "5.1. Giai đoạn 2 – …", "PHẦN III. …", "Bước 4:"): a capitalised
part name, a number (Arabic, Roman in capitals, a Vietnamese ordinal), then a separator or the
line's end, as ingestion reads headings ("Điều 4 của Quyết định …" is a reference, no heading).

The names of each kind of part, in every language the assistant reads, are data
(``part_names.yaml``): "Article 5" finds "Điều 5.", "the fourth step" finds "Bước 4:". A kind is
known by its group's first name, folded ("dieu").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import yaml

from assistant.ingest.headings import ROMAN
from assistant.language import EN_ORDINALS, ORDINAL, ordinal_value, spelled_numbers
from assistant.retrieval.text_norm import fold

PART_NAMES = Path(__file__).with_name("part_names.yaml")
SECTION_SEPARATOR = " > "  # how ingestion joins a chunk's heading path (assistant.ingest.word / text)
# A part name is matched inflected ("chapters", "главы", "этапов") when it has this many letters; shorter
# names ("mục", "bước") match whole words only. An inflected word has at most _ENDING letters after the stem.
_STEM = 4
_ENDING = 3

Part = tuple[str, int]  # (kind: the folded first name of its group, number)

_NUMBER = rf"(?P<number>\d{{1,2}}|{ROMAN}|(?i:{ORDINAL}))"
# A number as a question writes it after a part's name: not the start of a date or a decimal ("Điều 3/2025").
_ASKED_NUMBER = re.compile(rf"(?<![\w.,/]){_NUMBER}(?![\w]|[.,/:-]\d)")
# "the fourth step", "the fourth implementation phase": the name right after the ordinal or one word on.
_EN_ORDINAL = re.compile(rf"(?i)(?<!\w)({'|'.join(EN_ORDINALS)})\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?")
# The one or two words right before a number (only spaces between).
_WORDS_BEFORE = re.compile(r"(?:([^\W\d_]+)\s+)?([^\W\d_]+)\s+$")
# A heading line: an optional bullet or outline number ("5.1.", "II."), a name, its number, a separator.
_HEADING = re.compile(
    r"^[ \t]*(?:[-–—•*+][ \t]*|\d{1,2}(?:\.\d{1,2})*\.[ \t]+|[IVX]{1,5}\.[ \t]+)?"
    rf"(?P<label>[^\W\d_]+(?:[ \t]+[^\W\d_]+)?)[ \t]+{_NUMBER}(?=[ \t]*(?:[:)–—-]|\.(?!\d)|$))",
    re.MULTILINE,
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
# A line that names a part within this many characters opens with it ("In Chapter 2, the guide …").
_OPENING = 30


@cache
def _written_groups() -> tuple[tuple[str, ...], ...]:
    """The names of each kind of part as ``part_names.yaml`` writes them, one tuple per kind."""
    return tuple(tuple(group) for group in yaml.safe_load(PART_NAMES.read_text(encoding="utf-8")))


@cache
def part_groups() -> tuple[tuple[str, ...], ...]:
    """The folded names of each kind of part (``part_names.yaml``), one tuple per kind."""
    return tuple(tuple(fold(name) for name in group) for group in _written_groups())


@cache
def _kinds() -> dict[str, tuple[str, bool]]:
    """Each folded part name → its kind, and whether the name is written in Cyrillic."""
    return {fold(name): (fold(group[0]), _cyrillic(name)) for group in _written_groups() for name in group}


def _cyrillic(word: str) -> bool:
    return bool(re.search(r"[\u0400-\u04ff]", word))


def names(words: Sequence[str], name: str) -> bool:
    """The folded ``words`` start with ``name`` (folded), its last word inflected: the same stem (all but its
    last letter, at least :data:`_STEM` letters) and at most :data:`_ENDING` letters more ("parts", "главы",
    "этапов"; not "partners")."""
    wanted = name.split()
    if len(words) < len(wanted) or list(words[: len(wanted) - 1]) != wanted[:-1]:
        return False
    last, word = wanted[-1], words[len(wanted) - 1]
    if word == last:
        return True
    stem = last[: max(_STEM, len(last) - 1)]
    return len(last) >= _STEM and word.startswith(stem) and len(word) <= len(stem) + _ENDING


def kind_named(words: Sequence[str]) -> str | None:
    """The kind of part the ``words`` (as written) name, all of them, inflection allowed (:func:`names`), or
    None. A name matches words of its own script only: a Cyrillic word that folds to "parti…" is no English
    "part"."""
    folded = [fold(w) for w in words]
    cyrillic = any(_cyrillic(w) for w in words)
    for name, (kind, script) in _kinds().items():
        if script == cyrillic and len(name.split()) == len(words) and names(folded, name):
            return kind
    return None


def number_value(written: str) -> int:
    """The number of a part as written: "3", "III", "thứ ba"."""
    if written.isdigit():
        return int(written)
    return ordinal_value(written) or _roman(written)


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def named_parts(question: str) -> set[Part]:
    """The parts ``question`` names (:func:`part_mentions`)."""
    return set(part_mentions(question))


def part_mentions(question: str) -> dict[Part, str]:
    """The parts ``question`` names, each with its words as written: a part's name (any language,
    inflected) followed by its number ("Điều 3", "Article 5", "giai đoạn thứ hai", "Chương II"), or an
    English ordinal followed by the name ("the fourth step")."""
    found: dict[Part, str] = {}
    for match in _ASKED_NUMBER.finditer(question):
        words = _WORDS_BEFORE.search(question, 0, match.start())
        if words is None:
            continue
        before = [w for w in words.groups() if w]
        # "giai đoạn 2", then "Điều 3"
        n = next((n for n in (2, 1) if len(before) >= n and kind_named(before[-n:])), None)
        if n is not None:
            start = words.start(2) if n == 1 else words.start(1)
            found.setdefault((kind_named(before[-n:]), number_value(match.group("number"))),
                             question[start : match.end()])  # fmt: skip
    for match in _EN_ORDINAL.finditer(question):
        if spelled_numbers(match.group(2), "en"):
            continue  # "the first two steps" names no step
        kind = next((k for w in match.groups()[1:] if w and (k := kind_named([w]))), None)
        if kind is not None:
            found.setdefault((kind, EN_ORDINALS[match.group(1).lower()]), match.group(0))
    return found


def headed_parts(text: str, section: str | None = None) -> set[Part]:
    """The parts a chunk heads: the headings of its section path and the lines of its text that start a part."""
    found: set[Part] = set()
    for part in [text, *(section.split(SECTION_SEPARATOR) if section else [])]:
        found |= {p for match in _HEADING.finditer(part) if (p := _heading_part(match)) is not None}
    return found


def part_layout(text: str, section: str | None, kinds: set[str]) -> list[tuple[int, int, Part]]:
    """Where ``text`` (a chunk under ``section``) is a part of one of ``kinds``: all of it when its section
    path heads one (the deepest such heading); else from each line that heads one, or opens by naming one
    ("In Chapter 2, …", "In Step 4, …"), to the next such line of the same kind, or the end. Text
    before the first such line is in no known part (it may continue a part headed in an earlier chunk)."""
    headings = section.split(SECTION_SEPARATOR) if section else []
    for heading in reversed(headings):
        own = [part for part in headed_parts(heading) if part[0] in kinds]
        if own:
            return [(0, len(text), own[0])]
    starts: list[tuple[int, Part]] = []
    for line in re.finditer(r"[^\n]+", text):
        match = _HEADING.match(line.group())
        part = _heading_part(match) if match else None
        if part is None:  # a line that names a part in its first words is about that part
            part = next((p for p in part_mentions(line.group()[:_OPENING]) if p[0] in kinds), None)
        if part is not None and part[0] in kinds:
            starts.append((line.start(), part))
    return [(start, next((s for s, other in starts[k + 1 :] if other[0] == part[0]), len(text)), part)
            for k, (start, part) in enumerate(starts)]  # fmt: skip


def _heading_part(match: re.Match[str]) -> Part | None:
    """The part a heading line's match starts, or None (no part name, or not capitalised)."""
    label = match.group("label")
    kind = kind_named(label.split())
    return (kind, number_value(match.group("number"))) if kind is not None and label[0].isupper() else None


def part_index(chunks: Iterable[tuple[str, str | None]]) -> dict[Part, list[int]]:
    """For each part, the positions of the ``(text, section)`` chunks that head it (:func:`headed_parts`)."""
    index: dict[Part, list[int]] = {}
    for position, (text, section) in enumerate(chunks):
        for part in headed_parts(text, section):
            index.setdefault(part, []).append(position)
    return index
