"""A printable HTML sheet: the questions, then (on a new page) the answer key with explanations and sources.

Every text from an item is HTML-escaped. The sheet prints as it is (a browser's "Print to PDF"
makes the PDF). Matching items list their left sides numbered and their right sides lettered in
an order shuffled by the quiz seed, so the sheet does not give the pairs away; the key maps them.
The quality report closes the sheet, for the trainer.
"""

from __future__ import annotations

import random
from html import escape
from pathlib import Path
from typing import Final

from assistant.quiz.export.common import (
    OPTION_LETTERS,
    ExportResult,
    citation_line,
    labels,
    to_html,
    write_text,
)
from assistant.quiz.items import Quiz, QuizItem
from assistant.quiz.numbers import format_number

FORMAT: Final[str] = "html"
STYLE: Final[str] = """
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; max-width: 48em; margin: 2em auto; line-height: 1.4; }
.items, .keys { list-style: none; padding-left: 0; }
.item, .key-entry { margin-bottom: 1.2em; break-inside: avoid; }
.options { list-style-type: upper-alpha; }
.blank { border-bottom: 1px solid #000; min-height: 1.6em; width: 60%; }
table.matching td { padding: 0.2em 1em; vertical-align: top; }
.answer-key, .quality { break-before: page; page-break-before: always; }
.citation { font-size: 0.9em; color: #333; }
"""


def _letters(count: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:count]


def matching_order(quiz: Quiz, item: QuizItem) -> list[int]:
    """The printed order of a matching item's right sides (indices into ``pairs``), fixed by seed and item."""
    order = list(range(len(item.pairs)))
    random.Random(f"{quiz.seed}:{item.id}").shuffle(order)
    return order


def _question(quiz: Quiz, item: QuizItem, number: int) -> str:
    words = labels(item.language)
    body = f'<p class="stem"><strong>{number}.</strong> {to_html(item.stem)}</p>'
    if item.type == "multichoice":
        options = "".join(f'<li class="option">{to_html(option.text)}</li>' for option in item.options)
        body += f'<ol class="options" type="A">{options}</ol>'
    elif item.type == "truefalse":
        body += (
            f'<p class="prompt">{escape(words["true_false"])} ☐ {escape(words["true"])} ☐ {escape(words["false"])}</p>'
        )
    elif item.type == "matching":
        order = matching_order(quiz, item)
        letters = _letters(len(order))
        rows = "".join(
            f'<tr><td class="left">{i + 1}. {to_html(pair.left)}</td>'
            f'<td class="right">{letters[row]}. {to_html(item.pairs[order[row]].right)}</td></tr>'
            for row, (i, pair) in enumerate(enumerate(item.pairs))
        )
        body += f'<p class="prompt">{escape(words["match_prompt"])}</p><table class="matching">{rows}</table>'
    else:
        body += f'<p class="blank">{escape(words["answer_blank"])}:</p>'
    return f'<li class="item" data-item-id="{escape(item.id)}" data-type="{item.type}">{body}</li>'


def _key(quiz: Quiz, item: QuizItem, number: int) -> str:
    words = labels(item.language)
    if item.type == "multichoice":
        index = next(i for i, option in enumerate(item.options) if option.correct)
        key = (
            f'<span class="key" data-letter="{OPTION_LETTERS[index]}">'
            f"{OPTION_LETTERS[index]}. {to_html(item.options[index].text)}</span>"
        )
    elif item.type == "truefalse":
        word = words["true"] if item.truth else words["false"]
        key = f'<span class="key" data-truth="{str(item.truth).lower()}">{escape(word)}</span>'
    elif item.type == "shortanswer":
        key = '<ul class="key answers">' + "".join(f"<li>{to_html(a)}</li>" for a in item.answers) + "</ul>"
    elif item.type == "numerical":
        assert item.value is not None and item.tolerance is not None  # set by the model
        value, tolerance = format_number(item.value), format_number(item.tolerance)
        shown = value + (f" (± {tolerance})" if item.tolerance else "")
        key = f'<span class="key" data-value="{value}" data-tolerance="{tolerance}">{escape(shown)}</span>'
    else:
        order = matching_order(quiz, item)
        letters = _letters(len(order))
        key = '<ul class="key pairs">' + "".join(
            f'<li>{i + 1} → {letters[order.index(i)]}: <span class="left">{to_html(pair.left)}</span> → '
            f'<span class="right">{to_html(pair.right)}</span></li>'
            for i, pair in enumerate(item.pairs)
        )
        key += "</ul>"
    explanation = f'<p class="explanation">{to_html(item.explanation)}</p>' if item.explanation else ""
    citation = f'<p class="citation">{to_html(citation_line(item))}</p>'
    return (
        f'<li class="key-entry" data-item-id="{escape(item.id)}"><strong>{number}.</strong> '
        f"{key}{explanation}{citation}</li>"
    )


def _quality(quiz: Quiz) -> str:
    words = labels(quiz.language)
    rows = "".join(
        f"<li>{to_html(d.stem)}: {escape('; '.join(f'{r.code} ({r.message})' for r in d.reasons))}</li>"
        for d in quiz.report.dropped
    )
    return (
        f'<section class="quality"><h2>{escape(words["quality"])}</h2>'
        f"<p>{escape(words['kept'])}: {quiz.report.kept}. {escape(words['dropped'])}: {len(quiz.report.dropped)}.</p>"
        + (f'<ul class="dropped">{rows}</ul>' if rows else "")
        + "</section>"
    )


def sheet_html(quiz: Quiz) -> str:
    """The whole sheet as an HTML document."""
    words = labels(quiz.language)
    questions = "".join(_question(quiz, item, number) for number, item in enumerate(quiz.items, start=1))
    keys = "".join(_key(quiz, item, number) for number, item in enumerate(quiz.items, start=1))
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(quiz.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(quiz.title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(quiz.title)}</h1>"
        f'<section class="questions"><ol class="items">{questions}</ol></section>'
        f'<section class="answer-key"><h2>{escape(words["answer_key"])}</h2><ol class="keys">{keys}</ol></section>'
        f"{_quality(quiz)}</body></html>\n"
    )


def write_html(quiz: Quiz, path: Path) -> ExportResult:
    """Write the printable sheet of ``quiz``."""
    write_text(path, FORMAT, sheet_html(quiz))
    return ExportResult(format=FORMAT, path=path, written=len(quiz.items))
