"""A Kahoot-style spreadsheet (the columns of Kahoot's quiz import template).

One header row — Question, Answer 1 … Answer 4, Time limit (sec), Correct answer(s) — then one row
per question. Kahoot quizzes hold multiple choice (2 to 4 answers) and true/false (written as two
answers in the quiz language). Kahoot's limits are kept, never worked around: a question of at most
120 characters, answers of at most 75, a time limit from 5, 10, 20, 30, 60, 90, 120 or 240 seconds.
An item that does not fit (too long, or a type Kahoot's quiz has no form for) is left out and
reported in the result, not truncated.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Final

from assistant.quiz.errors import ExportError
from assistant.quiz.export.common import ExportResult, SkippedItem, ensure_parent, labels
from assistant.quiz.items import Quiz, QuizItem
from assistant.spreadsheet import as_text

FORMAT: Final[str] = "kahoot_xlsx"
HEADER: Final[tuple[str, ...]] = (
    "Question",
    "Answer 1",
    "Answer 2",
    "Answer 3",
    "Answer 4",
    "Time limit (sec)",
    "Correct answer(s)",
)
MAX_QUESTION: Final[int] = 120
MAX_ANSWER: Final[int] = 75
TIME_LIMITS: Final[tuple[int, ...]] = (5, 10, 20, 30, 60, 90, 120, 240)
DEFAULT_TIME_LIMIT: Final[int] = 20
SHEET: Final[str] = "Sheet1"


def _length(text: str) -> int:
    """Characters as Kahoot counts them (composed, so a Vietnamese letter with its marks is one)."""
    return len(unicodedata.normalize("NFC", text))


def kahoot_row(item: QuizItem, time_limit: int) -> list[str | int]:
    """The row of one item; ``ValueError`` naming what does not fit."""
    if item.type == "multichoice":
        answers = [option.text for option in item.options]
        correct = next(i for i, option in enumerate(item.options) if option.correct) + 1
    elif item.type == "truefalse":
        words = labels(item.language)
        answers = [words["true"], words["false"]]
        correct = 1 if item.truth else 2
    else:
        raise ValueError(f"a {item.type} item has no Kahoot quiz form (multiple choice and true/false only)")
    if "\n" in item.stem:
        raise ValueError("the question spans several lines (Kahoot's is one line)")
    if _length(item.stem) > MAX_QUESTION:
        raise ValueError(f"the question has {_length(item.stem)} characters (Kahoot: at most {MAX_QUESTION})")
    for number, answer in enumerate(answers, start=1):
        if _length(answer) > MAX_ANSWER:
            raise ValueError(f"answer {number} has {_length(answer)} characters (Kahoot: at most {MAX_ANSWER})")
        if "\n" in answer:
            raise ValueError(f"answer {number} spans several lines")
    return [item.stem, *answers, *([""] * (4 - len(answers))), time_limit, correct]


def write_kahoot(quiz: Quiz, path: Path, *, time_limit: int = DEFAULT_TIME_LIMIT) -> ExportResult:
    """Write the items Kahoot can hold to an XLSX sheet; the others are in the result's ``skipped``."""
    from openpyxl import Workbook

    if time_limit not in TIME_LIMITS:
        raise ExportError(FORMAT, f"time limit {time_limit} s is not one of Kahoot's {TIME_LIMITS}", path)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = SHEET
    sheet.append(list(HEADER))
    skipped: list[SkippedItem] = []
    written = 0
    for item in quiz.items:
        try:
            row = kahoot_row(item, time_limit)
        except ValueError as exc:
            skipped.append(SkippedItem(item_id=item.id, reason=str(exc)))
            continue
        sheet.append(row)
        as_text(sheet[sheet.max_row])
        written += 1
    try:
        workbook.save(ensure_parent(path, FORMAT))
    except OSError as exc:
        raise ExportError(FORMAT, f"cannot write: {exc.strerror}", path) from exc
    return ExportResult(format=FORMAT, path=path, written=written, skipped=skipped)
