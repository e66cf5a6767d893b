"""Moodle GIFT, written the way Moodle's own importer reads it (moodle/moodle ``question/format/gift/format.php``).

What the importer does, and what this writer does about it:

- Questions are separated by blank lines; lines starting with ``//`` are comments, where
  ``[id:…]`` sets the question's idnumber and ``[tag:…]`` its tags. Each question is one block:
  a comment, ``::name::``, the stem, then ``{`` the answers ``}``, with no blank line inside
  (newlines in a text are written ``\\n``, as Moodle's ``repchar`` does).
- ``~ = # { } :`` and ``\\`` are escaped with a backslash everywhere in names, stems, answers and
  feedback (Moodle replaces the escapes with placeholders before it looks for the answer block,
  the name, weights, feedback and tolerance, and restores them afterwards).
- The stem starts with ``[html]``; the other texts inherit that format (an HTML text starting
  with "[" repeats the marker, so its own bracket is never read as one). Texts are HTML-escaped,
  which also keeps "->" (the matching separator) out of them.
- Short answers and matching right sides are plain text: a short answer starting with "[" gets
  ``[plain]`` (Moodle strips a known marker), one starting like a weight ("%50%…") gets an
  explicit ``%100%``; a distractor starting like a weight gets ``%0%``. A short answer holding
  "->" cannot be written (Moodle would read a matching question): the item is skipped, reported.
- Weights are only Moodle's fractions: ``=`` (100 %) and ``~`` (0 %).
- Numbers use a decimal point: ``{#1000:0.5}`` (value:tolerance), whatever the source wrote.
- ``####`` starts the general feedback: the explanation and the citation.
- ``$CATEGORY: $course$/top/<quiz title>/<category path>`` blocks switch categories (category
  paths are not unescaped by Moodle, so category names must not need escaping).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from assistant.quiz.errors import ExportError, GiftParseError
from assistant.quiz.export.common import (
    ExportResult,
    SkippedItem,
    explanation_with_citation,
    one_line,
    to_html,
    write_text,
)
from assistant.quiz.export.moodle import category_path
from assistant.quiz.items import Quiz, QuizItem
from assistant.quiz.numbers import format_number

FORMAT: Final[str] = "gift"
# Moodle's $giftanswerweightregex.
WEIGHT: Final[re.Pattern[str]] = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
# Moodle's placeholders for escaped characters: a text holding one would be changed on import.
_PLACEHOLDER = re.compile(r"&&(?:\d{3};|010)")
_GIFT_ESCAPES: Final[dict[str, str]] = {
    "\\": "\\\\",
    "#": "\\#",
    "=": "\\=",
    "~": "\\~",
    "{": "\\{",
    "}": "\\}",
    ":": "\\:",
    "\n": "\\n",
    "\r": "",
}
NAME_LENGTH: Final[int] = 80


class _Unwritable(Exception):
    """An item GIFT cannot hold (caught here, reported as skipped)."""


def gift_escape(text: str) -> str:
    """Moodle's ``repchar``: backslash-escape ``\\ # = ~ { } :`` and write newlines as ``\\n``."""
    return "".join(_GIFT_ESCAPES.get(char, char) for char in text)


def _html(text: str, *, marker: bool = False) -> str:
    """An HTML-format text: escaped HTML, with the ``[html]`` marker when asked or when it starts with '['."""
    body = to_html(text)
    return ("[html]" if marker or body.startswith("[") else "") + gift_escape(body)


def _plain(text: str, where: str) -> str:
    if _PLACEHOLDER.search(text):
        raise _Unwritable(f"{where} {text!r} holds '&&' followed by digits, which Moodle's GIFT import rewrites")
    return gift_escape(text)


def _weighted(body: str, weight: str) -> str:
    """``body`` with an explicit weight when it would otherwise be read as one."""
    return f"%{weight}%{body}" if WEIGHT.match(body) else body


def question_name(item: QuizItem) -> str:
    """The question's name in the bank: the stem on one line, shortened, without '<' and '>'."""
    name = re.sub(r"[<>]", "", one_line(item.stem))
    return name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1].rstrip() + "…"


def _comment(item: QuizItem) -> str:
    tags = ["quiz", item.type, item.difficulty, item.language]
    return "// [id:" + item.id + "] " + " ".join(f"[tag:{tag}]" for tag in tags)


def _answers(item: QuizItem) -> str:
    """The answer block's inside (without the general feedback)."""
    if item.type == "multichoice":
        lines = []
        for option in item.options:
            body = _html(option.text)
            line = "=" + body if option.correct else "~" + _weighted(body, "0")
            if option.feedback:
                line += "#" + _html(option.feedback)
            lines.append("\t" + line)
        return "\n" + "\n".join(lines) + "\n"
    if item.type == "truefalse":
        return "TRUE" if item.truth else "FALSE"
    if item.type == "shortanswer":
        lines = []
        for answer in item.answers:
            if "->" in answer:
                raise _Unwritable(f"accepted answer {answer!r} holds '->', which GIFT reads as a matching question")
            body = _plain(answer, "accepted answer")
            if body.startswith("["):
                body = "[plain]" + body
            lines.append("\t=" + _weighted(body, "100"))
        return "\n" + "\n".join(lines) + "\n"
    if item.type == "numerical":
        assert item.value is not None and item.tolerance is not None  # set by the model
        return f"#\n\t={format_number(item.value)}:{format_number(item.tolerance)}\n"
    lines = [f"\t={_html(pair.left)} -> {_plain(pair.right, 'matching answer')}" for pair in item.pairs]
    return "\n" + "\n".join(lines) + "\n"


def gift_question(item: QuizItem) -> str:
    """One item as a GIFT block (comment, name, stem, answers, general feedback); no trailing blank line."""
    feedback = explanation_with_citation(item)
    general = "####" + _html(feedback) if feedback else ""
    answers = _answers(item)
    if answers.endswith("\n"):  # one answer per line: the general feedback on its own line too
        block = answers + (f"\t{general}\n" if general else "")
    else:
        block = answers + general
    name = gift_escape(question_name(item))
    return f"{_comment(item)}\n::{name}::{_html(item.stem, marker=True)}{{{block}}}"


def _header(quiz: Quiz, skipped: list[SkippedItem]) -> str:
    lines = [
        f"// {one_line(quiz.title)}",
        f"// language: {quiz.language}; seed: {quiz.seed}; items: {len(quiz.items) - len(skipped)}",
        f"// quality report: {quiz.report.summary()}",
    ]
    lines += [
        f"// dropped: {one_line(d.stem)[:100]} ({'; '.join(r.code for r in d.reasons)})" for d in quiz.report.dropped
    ]
    lines += [f"// not exported: {s.item_id}: {one_line(s.reason)}" for s in skipped]
    return "\n".join(lines)


def gift_text(quiz: Quiz) -> tuple[str, list[SkippedItem]]:
    """The whole quiz in GIFT, and the items that GIFT cannot hold."""
    blocks: list[str] = []
    skipped: list[SkippedItem] = []
    current: str | None = None
    for item in quiz.items:
        try:
            question = gift_question(item)
        except _Unwritable as exc:
            skipped.append(SkippedItem(item_id=item.id, reason=str(exc)))
            continue
        path = category_path(quiz.title, item.category)
        if path != current:
            blocks.append(f"$CATEGORY: {path}")
            current = path
        blocks.append(question)
    return "\n\n".join([_header(quiz, skipped), *blocks]) + "\n", skipped


def write_gift(quiz: Quiz, path: Path) -> ExportResult:
    """Write ``quiz`` as a UTF-8 GIFT file (what Moodle's "GIFT format" import reads)."""
    from assistant.quiz.export.gift_parse import parse_gift

    text, skipped = gift_text(quiz)
    try:  # the strict reader must read back every question we meant to write
        questions = [question for question in parse_gift(text) if question.qtype != "category"]
    except GiftParseError as exc:
        raise ExportError(FORMAT, f"the GIFT written does not read back: {exc}", path) from exc
    if len(questions) != len(quiz.items) - len(skipped):
        raise ExportError(FORMAT, f"{len(questions)} questions read back, {len(quiz.items) - len(skipped)} written")
    write_text(path, FORMAT, text)
    return ExportResult(format=FORMAT, path=path, written=len(quiz.items) - len(skipped), skipped=skipped)
