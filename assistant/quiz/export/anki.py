"""Anki: a deck package (.apkg, built with genanki) with one note per item.

Ids are stable, so importing a newer export into Anki updates the notes instead of adding copies:
the note type's id is derived from a fixed string, the deck's from the quiz title, and each note's
guid from the item id (:func:`note_guid`). Fields are HTML (every text escaped): the question
(with its options or left sides), the answer (key and explanation), the source (citation), and
the item id.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

from assistant.quiz.errors import ExportError
from assistant.quiz.export.common import (
    OPTION_LETTERS,
    ExportResult,
    citation_line,
    ensure_parent,
    key_display,
    labels,
    to_html,
)
from assistant.quiz.items import Quiz, QuizItem

FORMAT: Final[str] = "anki"
MODEL_NAME: Final[str] = "Plan 02 quiz item"
FIELDS: Final[tuple[str, ...]] = ("Question", "Answer", "Source", "ItemId")
_ID_LOW, _ID_HIGH = 1 << 30, 1 << 31  # the range genanki recommends for model and deck ids
CSS: Final[str] = ".card { font-family: sans-serif; font-size: 18px; text-align: left; } .source { font-size: 14px; }"


def stable_id(text: str) -> int:
    """An Anki model or deck id derived from ``text`` (same text, same id), in [2**30, 2**31)."""
    digest = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    return _ID_LOW + digest % (_ID_HIGH - _ID_LOW)


MODEL_ID: Final[int] = stable_id("plan02-assistant/quiz/anki-model/v1")


def deck_id(title: str) -> int:
    """The deck id of a quiz: from its title, so re-exports of the same quiz land in the same deck."""
    return stable_id("plan02-assistant/quiz/deck/" + title)


def note_guid(item: QuizItem) -> str:
    """The note guid: from the item id (genanki's guid_for), so a re-export updates the note."""
    from genanki import guid_for

    return guid_for("plan02-quiz", item.id)


def question_html(item: QuizItem) -> str:
    """The card's front: the stem, and the options (lettered) or the left sides to match."""
    words = labels(item.language)
    html = f'<div class="stem">{to_html(item.stem)}</div>'
    if item.type == "multichoice":
        rows = "".join(f"<li>{OPTION_LETTERS[i]}. {to_html(option.text)}</li>" for i, option in enumerate(item.options))
        html += f'<ul class="options">{rows}</ul>'
    elif item.type == "truefalse":
        html += f'<div class="prompt">{to_html(words["true_false"])}</div>'
    elif item.type == "matching":
        html += f'<ol class="lefts">{"".join(f"<li>{to_html(pair.left)}</li>" for pair in item.pairs)}</ol>'
    return html


def answer_html(item: QuizItem) -> str:
    """The card's back: the key, then the explanation."""
    html = f'<div class="key">{to_html(key_display(item))}</div>'
    if item.explanation:
        html += f'<div class="explanation">{to_html(item.explanation)}</div>'
    return html


def write_anki(quiz: Quiz, path: Path) -> ExportResult:
    """Write ``quiz`` as an Anki package with one deck named after the quiz."""
    import genanki

    model = genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Question}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}<div class="source">{{Source}}</div>',
            }
        ],
        css=CSS,
    )
    deck = genanki.Deck(deck_id(quiz.title), quiz.title)
    for item in quiz.items:
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[question_html(item), answer_html(item), to_html(citation_line(item)), item.id],
                guid=note_guid(item),
                tags=["plan02-quiz", item.type, item.difficulty, item.language],
            )
        )
    try:
        genanki.Package(deck).write_to_file(str(ensure_parent(path, FORMAT)))
    except OSError as exc:
        raise ExportError(FORMAT, f"cannot write: {exc.strerror}", path) from exc
    return ExportResult(format=FORMAT, path=path, written=len(quiz.items))
