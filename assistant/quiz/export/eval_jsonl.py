"""The evaluators' question-set format (``evals/*.jsonl``), so a trainer's items become regression questions.

One line per item that has an answer to look for in free text, in the schema
:func:`assistant.evaluation.questions.load_questions` loads: the stem as the question, the key as
regexes (``expected_facts``, escaped from the key's text, with flexible spacing; a number matches
"1000", "1.000", "1,000" or "1 000", a decimal "2.5" or "2,5"), the cited document as the expected
source and its position as ``expected_location``; ``should_refuse`` false; the item id in ``notes``.

True/false and matching items are left out (reported): a true/false statement and a set of pairs
have no single text an answer must contain.

Tags: the loader accepts only the tags listed in ``assistant.evaluation.questions.TAGS``. A
numerical item is tagged ``numeric``; the tag ``quiz`` is added once that list holds it (it does
not yet: until then the item id in ``notes`` and the ``quiz-`` id prefix mark a quiz's questions).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

from assistant.quiz.export.common import ExportResult, SkippedItem, key_display, one_line, write_text
from assistant.quiz.items import Quiz, QuizItem
from assistant.quiz.numbers import format_number

FORMAT: Final[str] = "eval_jsonl"
QUIZ_TAG: Final[str] = "quiz"
ID_PREFIX: Final[str] = "quiz-"


def text_regex(text: str) -> str:
    """A case-insensitive regex for ``text``: its words escaped, any run of spaces between them, and
    no word character glued to either end."""
    body = r"\s+".join(re.escape(word) for word in text.split())
    start = r"(?<!\w)" if re.match(r"\w", text) else ""
    end = r"(?!\w)" if re.search(r"\w$", text) else ""
    return start + body + end


def number_regex(value: float) -> str:
    """A regex for ``value`` as texts write it: thousands grouped by ".", "," or a space (or not), a
    decimal "." or ",", a minus sign of either kind."""
    text = format_number(abs(value))
    integer, _, fraction = text.partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    body = r"[.,\s]?".join(groups)
    if fraction:
        body += r"[.,]" + fraction + "0*"
    sign = "[-−]" if value < 0 else ""
    return rf"(?<![\d.,]){sign}{body}(?![\d]|[.,]\d)"


def _facts(item: QuizItem) -> list[str] | None:
    if item.type == "multichoice":
        option = item.correct_option
        return [text_regex(option.text)] if option else None
    if item.type == "shortanswer":
        return ["(?:" + "|".join(text_regex(answer) for answer in item.answers) + ")"]
    if item.type == "numerical" and item.value is not None:
        return [number_regex(item.value)]
    return None


def question_line(item: QuizItem, tags: list[str]) -> dict[str, Any]:
    """The question-set object of one item (``ValueError`` for an item with no text answer)."""
    facts = _facts(item)
    if facts is None:
        raise ValueError(f"a {item.type} item has no single text an answer must contain")
    position = item.citation.position.model_dump(exclude_none=True)
    line: dict[str, Any] = {
        "id": ID_PREFIX + item.id,
        "question": item.stem,
        "language": item.language,
        "expected_facts": facts,
        "expected_sources": [item.citation.source],
        "should_refuse": False,
        "notes": one_line(f"Quiz item {item.id} ({item.type}); key: {key_display(item)}"),
        "tags": [*tags, *(["numeric"] if item.type == "numerical" else [])],
    }
    if position:
        line["expected_location"] = position
    return line


def write_eval_jsonl(quiz: Quiz, path: Path) -> ExportResult:
    """Write the items that have a text answer as a question set; the others are in ``skipped``."""
    from assistant.evaluation.questions import TAGS

    tags = [QUIZ_TAG] if QUIZ_TAG in TAGS else []
    lines = [f"// {one_line(quiz.title)}; language {quiz.language}; seed {quiz.seed}; {quiz.report.summary()}"]
    skipped: list[SkippedItem] = []
    for item in quiz.items:
        try:
            lines.append(json.dumps(question_line(item, tags), ensure_ascii=False))
        except ValueError as exc:
            skipped.append(SkippedItem(item_id=item.id, reason=str(exc)))
    write_text(path, FORMAT, "\n".join(lines) + "\n")
    return ExportResult(format=FORMAT, path=path, written=len(lines) - 1, skipped=skipped)
