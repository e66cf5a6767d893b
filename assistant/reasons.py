"""Why a check turned something down, as text a person reads, in one registry of templates.

The checks (a claim against its passages, a fact against its quotes, a translation against its original)
record their reasons as English strings: logs, ``ask --json``, evaluation records and stored facts keep
them readable and stable. Each string is made by :func:`reason` from a template here, so the web interface
can read it back (:func:`parse`) into its code and fields and show it in the interface language
(``reason.<code>`` in :mod:`assistant.web.texts_vi`; :func:`assistant.web.i18n.reason_text`).

Field conventions the interface relies on: ``problem`` is another reason, ``problems`` several reasons
joined by "; ", ``language`` a language code, and a field ending in ``_role`` date roles ("start", "end")
joined by "/". Every other field is shown as written (a date, a number, a name, a passage's words).

Why not a library: gettext and Babel translate whole messages from code, but these reasons are also data
(stored with facts, read back from evaluation records), so each must stay one plain string that can be
parsed back into its template; that round trip is what this module adds.
"""

from __future__ import annotations

import re
from functools import cache

TEMPLATES: dict[str, str] = {
    # A claim's citations and figures (assistant.answer.citations).
    "no_citation": "no citation",
    "no_passage": "no passage [{n}]",
    "figure_absent": "{figure} not in the cited passages",
    "number_absent": "number {n} not in the cited passages",
    "figure_rival": "{figure}: the passage gives {rival} for what was asked",
    "garbled_word": "garbled word {word}",
    "person_absent": "name {name} not in the cited passages",
    # A claim against the sentence that matches it (assistant.answer.support).
    "no_sentence": "the cited passages have no sentence",
    "no_model": "no embedding model to compare the claim with a passage in another language",
    "low_similarity": "no passage sentence says this (closest: similarity {similarity} < {floor})",
    "low_coverage": "the closest sentence holds under {share} of the claim's words",
    "not_in_sentence": "{figures} not stated in the sentence that matches the claim",
    "other_year": "{date}: the passage gives the year {years}",
    "misplaced_figure": "{figure}: the sentence gives {rival} for that",
    "row_column": "the row gives {value} as {header}, not {rival}",
    "other_item": "the claim names another item: {item}",
    "turned_round": "the claim turns round what the passage says: {first} … {second}",
    "other_label": "the sentence gives {word} {there}, not {word} {number}",  # one word, numbers: one token each
    "sentence_actor": "the sentence gives this to {rival}, not {name}",
    "negates": "the claim negates what the passage says",
    "does_not_negate": "the claim does not negate what the passage says",
    "date_role": "{date} is the {passage_role} in the passage, the {claim_role} in the claim",
    "name_absent": "name {name} not in the passage",
    "premise": "the passage does not say what the question asks: {words}",
    "asked_actor": "the question asks about {name}; the sentence names {rival}",
    # A translation against its original (assistant.answer.renderings).
    "value_missing": "{value} is missing",
    "value_added": "{value} is not in the original",
    "person_missing": "the name {name} is missing",
    # A fact against its quotes and renderings (assistant.facts.verify, assistant.facts.render).
    "quarter_absent": "quarter {date} not stated",
    "month_absent": "month {date} not stated",
    "date_absent": "date {date} not stated",
    "year_absent": "year {year} not stated",
    "fact_number_absent": "number {value} not stated",
    "in_source": "{problem} (in {source})",
    "actor_not_quoted": "actor {actor} not in any quote",
    "actor_missing": "actor missing",
    "actor_left_out": "actor {actor} missing",
    "rendering_dropped": "{language} rendering dropped: {problems}",
    "no_evidence": "no evidence",
    "wrong_language": "not written in {language}",
    "copied": "the source sentence repeated",
    "empty_reply": "the model wrote nothing",
    "declined": "the model declined",
}

_FIELD = re.compile(r"{(\w+)}")


def reason(code: str, **fields: object) -> str:
    """The reason ``code`` with its ``fields`` filled in (a KeyError names an unknown code)."""
    return TEMPLATES[code].format(**fields)


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each template as a pattern, the most specific first (the longest fixed text), so that "name X not in
    the cited passages" is read as a missing name, not as a figure "name X" missing."""
    compiled = []
    for code, template in TEMPLATES.items():
        seen: set[str] = set()
        parts, fixed = [], 0
        for i, piece in enumerate(_FIELD.split(template)):
            if i % 2 == 0:
                parts.append(re.escape(piece))
                fixed += len(piece)
            elif piece in seen:
                parts.append(f"(?P={piece})")  # a field written twice holds the same text twice
            else:
                seen.add(piece)
                parts.append(f"(?P<{piece}>.+?)")
        compiled.append((fixed, code, re.compile("".join(parts), re.DOTALL)))
    compiled.sort(key=lambda item: -item[0])
    return [(code, pattern) for _, code, pattern in compiled]


def parse(text: str) -> tuple[str, dict[str, str]] | None:
    """The code and fields of a reason :func:`reason` made, or None for any other text."""
    for code, pattern in _patterns():
        match = pattern.fullmatch(text)
        if match:
            return code, match.groupdict()
    return None


def code_of(text: str) -> str | None:
    parsed = parse(text)
    return parsed[0] if parsed else None
