"""What a question asks for and what a passage sentence holds: the units the extractive scorer compares.

A question is broken into *units* that can be recognised in any corpus language: words and
adjacent word pairs (folded, transliterated, prefix-cut), exact keys (codes, dates, numbers),
people's and places' names (matched phonetically) and, when a glossary file is given, its
concepts. A sentence is described by the same units. In passages of the question's own language
the absence of a number is evidence too (:func:`missing_in_same_language`). Table rows ("Header:
value; Header: value") are read with their column names apart from their values.
"""

from __future__ import annotations

import re

from assistant.answer.text import (
    CLOCK_TIME,
    keys_of,
    mentions_number,
    person_names,
    place_names,
    question_keys,
    small_numbers,
    terms,
)
from assistant.ingest.tables import split_row
from assistant.language import detect_language
from assistant.retrieval.dates import without_quarters
from assistant.retrieval.glossary import concept_forms, matched_concepts
from assistant.retrieval.lexical import PREFIX_LENGTH
from assistant.retrieval.parts import headed_parts, named_parts, number_value, part_mentions
from assistant.retrieval.text_norm import bigrams, fold, lexical_terms
from assistant.settings import ScoringSettings
from assistant.types import Context

DEFAULT_SCORING = ScoringSettings()


def _concept_spans(question: str) -> tuple[set[str], set[str]]:
    """Glossary concepts of the question (none without a glossary) and the word terms their forms account for."""
    # "breakthrough (transformation) phase": also read the question without its parenthesised alternatives.
    plain = re.sub(r"\s*\([^)]*\)", "", question)
    folded = fold(question) + " | " + fold(plain)
    concepts = set(matched_concepts(question)) | set(matched_concepts(plain))
    covered: set[str] = set()
    for concept in concepts:
        for form in concept_forms(concept):
            if fold(form) in folded:
                covered |= terms(form)
    return concepts, covered


_WHEN_KEYS = ("date:", "month:", "quarter:")  # what answers "when" (as the answer kind "date" reads it)


def date_near(sentence: str, concepts: list[str], q_keys: set[str], window: int) -> bool:
    """True when a date, month or quarter not given in the question, or a time of day, lies within ``window``
    characters of a concept (or when the question has no glossary concept to anchor it).

    "Hội nghị … diễn ra vào ngày nào?" is not answered by a sentence that
    mentions the conference at its start and an unrelated deadline 300 characters later.
    """
    folded = fold(sentence)
    for concept in concepts:
        for form in concept_forms(concept):
            for m in re.finditer(rf"(?<!\w){re.escape(fold(form))}", folded):
                near = folded[max(0, m.start() - window) : m.end() + window]
                if any(k.startswith(_WHEN_KEYS) for k in keys_of(near) - q_keys) or CLOCK_TIME.search(near):
                    return True
    return not concepts


def _pairs(words: list[str]) -> set[str]:
    """Adjacent word pairs: Vietnamese words are often two syllables ("cơ quan", "chủ trì")."""
    return set(bigrams(words))


def _ordered_terms(text: str) -> list[str]:
    """The word terms of :func:`terms`, in reading order (stop words dropped)."""
    return [t for t in lexical_terms(text, prefix=PREFIX_LENGTH) if not t[0].isdigit() and len(t) > 1]


def question_units(
    question: str, scoring: ScoringSettings = DEFAULT_SCORING
) -> tuple[dict[str, float], set[str]]:
    """Units of the question with their base weights: *required* ones (concepts, keys, people's
    names), and (separately) its word and word-pair units, weighted later by where they occur."""
    weights = scoring.unit_weights
    concepts, covered = _concept_spans(question)
    units: dict[str, float] = {f"c:{c}": weights["concept"] for c in concepts}
    small: set[str] = set()
    for key in question_keys(question):
        kind, _, value = key.partition(":")
        if kind == "num" and value.rstrip("%").isdigit() and int(value.rstrip("%")) <= 10:
            small.add(f"k:{key}")  # "Chương 2", "Plan 02": counted like a word
            continue
        units[f"k:{key}"] = weights.get(kind, 1.0)
    names: set[str] = set()
    for name in person_names(question) + place_names(question):
        names |= terms(name)
    units.update({f"t:{t}": weights["name"] for t in names})
    # A quarter's words ("quý II") are its key's: as words they would match any second quarter of any year.
    plain = without_quarters(question)
    words = terms(plain) - covered - names
    pairs = _pairs([t for t in _ordered_terms(plain) if t in words])
    return units, {f"t:{t}" for t in words} | {f"p:{p}" for p in pairs} | small


def word_surfaces(question: str, words: set[str]) -> dict[str, set[str]]:
    """For each plain word unit of the question (``t:…``), the words of the question it comes
    from, lower-cased with their accents: across languages a unit counts only written exactly so."""
    found: dict[str, set[str]] = {}
    for word in re.findall(r"[^\W\d_]+", question):
        for term in terms(word):
            if f"t:{term}" in words:
                found.setdefault(f"t:{term}", set()).add(word.casefold())
    return found


def false_friends(units: set[str], text: str, surfaces: dict[str, set[str]]) -> set[str]:
    """The word and word-pair units of ``units`` that ``text`` (a sentence in another language than
    the question) holds only through accent folding: English "day" is not Vietnamese "đầy", nor
    "long" "lòng". Folding serves spelling variants within a language; across languages a shared
    word (an acronym, a name in Latin letters) is written the same."""
    written = {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}
    false = {u for u, forms in surfaces.items() if u in units and not forms & written}
    false_terms = {u[2:] for u in false}
    false |= {u for u in units if u.startswith("p:") and set(u[2:].split("_")) & false_terms}
    return false


def sentence_units(text: str) -> set[str]:
    """Concept, key, word and word-pair units present in a passage sentence."""
    return (
        {f"c:{c}" for c in matched_concepts(text)}
        | {f"k:{k}" for k in keys_of(text)}
        | {f"t:{t}" for t in terms(text)}
        | {f"p:{p}" for p in _pairs(_ordered_terms(text))}
    )


def missing_in_same_language(question: str, language: str, contexts: list[Context]) -> list[str]:
    """Numbers of the question that passages written in its own language should hold and do not.

    Across languages a passage words things its own way, but a Vietnamese passage that answers a
    Vietnamese question about "Điều 5" or "giai đoạn 4" has that number. Returns ``k:num:N`` for
    each small number missing (digits or spelled out, :func:`~assistant.answer.text.mentions_number`)
    and ``k:label N`` for a labelled one the passages number otherwise (by a number, a letter or a
    Roman numeral). (Words are not counted so:
    a question words its frame — "phải hoàn tất khi nào" — as no passage does; a row of a near
    item is told apart by :mod:`assistant.answer.list_items`.)
    """
    same = [c for c in contexts if c.language == language]
    if not same:
        return []
    question = without_quarters(question)  # a quarter is a key ("quý 2 năm 2027" is no count and no label)
    # A question names its document ("quyết định mẫu") and section ("Điều 4") as well as the text.
    text = "\n".join(f"{c.title}\n{c.section or ''}\n{c.text}" for c in same)
    folded = fold(text)
    out = [f"k:num:{n}" for n in sorted(small_numbers(question)) if not mentions_number(n, text)]
    # A label counts only where the passages number that kind of part ("Điều 4" but no "Điều 5"); a
    # label they never number ("xã loại 1" where they say "xã đạt chuẩn") is the asker's own wording.
    # (Its number is still looked for: "hợp đồng 3 năm" reads the same way, and its 3 is a quantity.)
    out += [f"k:{label} {n}" for label, n in labelled_small_numbers(question)
            if f"k:num:{n}" not in out and re.search(rf"(?<!\w){re.escape(label)}\s+0*\d", folded)
            and not re.search(rf"(?<!\w){re.escape(label)}\s+0*{n}(?!\d)", folded)]
    # The same for parts marked by a letter or a Roman numeral ("Nhóm C" where the passages have only
    # "Nhóm A", "khách sạn hạng II" where they have "hạng III, hạng IV").
    marked = marks(text)
    out += [f"k:{label} {mark}" for label, held in marks(question).items() for mark in sorted(held)
            if marked.get(label) and mark not in marked[label]]
    return out


# A word, then a capital letter or a Roman numeral standing alone: "Nhóm C", "Phụ lục IV", "hạng II".
_MARK = re.compile(r"([^\W\d_]+)\s+([IVX]{1,4}|[A-Z])(?![\w.,]\w)(?!\w)")


def marks(text: str) -> dict[str, set[str]]:
    """For each word (folded) that ``text`` follows with a letter or Roman numeral, the marks it takes (a
    Roman numeral as digits: "Phụ lục IV" and "phụ lục 4" name one part)."""
    found: dict[str, set[str]] = {}
    for match in _MARK.finditer(text):
        found.setdefault(fold(match.group(1)), set()).add(_arabic(match.group(2)))
    return found


def labels(text: str) -> dict[str, set[str]]:
    """For each word (folded) that ``text`` follows with a label, its labels: marks (:func:`marks`) and small
    numbers (:func:`labelled_small_numbers`) alike ("Giai đoạn II" and "giai đoạn 2" are one part). A
    quarter is a date, no label."""
    text = without_quarters(text)
    found = marks(text)
    for kind, number in labelled_small_numbers(text):
        found.setdefault(kind, set()).add(str(number))
    return found


def _arabic(mark: str) -> str:
    """A Roman numeral as digits ("IV" → "4"); a letter that is none stays as it is."""
    return mark if len(mark) == 1 and mark not in "IVX" else str(number_value(mark))


# A phrase the asker quotes or puts in brackets: "thủ tục “Đăng ký tạm trú”", "residence registration
# (đăng ký tạm trú)". At least two words, no figure (a bracketed code or year is a key, checked as one).
_QUOTED = re.compile(r'"([^"\n]{3,80})"|“([^”\n]{3,80})”|«([^»\n]{3,80})»|\(([^()\n]{3,80})\)')


def quoted_phrases(question: str) -> list[tuple[str, str]]:
    """``(folded phrase, its language)`` for each phrase ``question`` quotes or brackets (:data:`_QUOTED`)."""
    found = []
    for match in _QUOTED.finditer(question):
        written = next(g for g in match.groups() if g)
        phrase = " ".join(re.findall(r"[^\W\d_]+", fold(written)))
        if len(phrase.split()) >= 2 and not re.search(r"\d", written):
            found.append((phrase, detect_language(written)))
    return found


def missing_quoted(question: str, contexts: list[Context]) -> list[str]:
    """``q:…`` for each phrase the question quotes that no passage in the phrase's language holds word
    for word (folded): a quoted name is meant exactly, and a row naming a near one ("Đăng ký thường
    trú" for "đăng ký tạm trú") is about something else. Passages in other languages word it their
    own way, so they say nothing (the question's language does not matter: an English question may
    quote a Vietnamese name)."""
    out = []
    for phrase, language in quoted_phrases(question):
        same = [c for c in contexts if c.language == language]
        texts = [" ".join(re.findall(r"[^\W\d_]+", fold(f"{c.title} {c.section or ''} {c.text}"))) for c in same]
        if same and not any(re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", t) for t in texts):
            out.append(f"q:{phrase}")
    return out


def missing_parts(question: str, contexts: list[Context]) -> list[str]:
    """``k:…`` for each numbered part the question names ("Article 5", "Điều 5", "the fourth step":
    :mod:`~assistant.retrieval.parts`) that no passage heads or names, in any language, where passages
    head other parts of that kind ("Điều 1." to "Điều 4."): the documents number those parts, and not
    this one. (Retrieval puts the passages heading a named part first, so they are here when it exists.)"""
    asked = part_mentions(question)
    if not asked:
        return []
    headed = set().union(*(headed_parts(c.text, c.section) for c in contexts))
    named = set().union(*(named_parts(f"{c.section or ''}\n{c.text}") for c in contexts))
    kinds = {kind for kind, _ in headed}
    return [f"k:{mention}" for part, mention in asked.items()
            if part[0] in kinds and part not in headed and part not in named]


def labelled_small_numbers(text: str) -> list[tuple[str, int]]:
    """Small numbers a text gives as labels, with the word before them: ("dieu", 5) for "Điều 5",
    ("giai doan", 4) is read as ("doan", 4). Such a label names one part of a document."""
    return [
        (fold(m.group(1)), int(m.group(2)))
        for m in re.finditer(r"([^\W\d_]+)\s+0*(\d{1,2})(?!\d)(?![.,/:-]\d|\s*%)", text)
        if 1 <= int(m.group(2)) <= 10
    ]


def header_terms(context: Context) -> set[str]:
    """Word terms of the column names of a table-row passage ("Header: value; Header: value")."""
    return _row_terms(context, 0)


def values_terms(context: Context) -> set[str]:
    """Word terms of the cell values of a table-row passage."""
    return _row_terms(context, 1)


def _row_terms(context: Context, part: int) -> set[str]:
    if context.row is None:
        return set()
    return set().union(set(), *(terms(cell[part]) for cell in split_row(context.text)))
