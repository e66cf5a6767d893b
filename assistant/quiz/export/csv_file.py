"""CSV: one row per item, every field of the item, readable back into items (:func:`read_csv`).

UTF-8 with a byte-order mark (so spreadsheet programs read Vietnamese correctly), comma-separated,
quoted where needed. Lists (category, accepted answers, pairs) are JSON in their cell; numbers
are written with a decimal point; a cell starting like a formula ("=", "-"…) gets a leading apostrophe,
taken off again on reading (:mod:`assistant.spreadsheet`). A trainer can edit the sheet and load it back: every row is
re-checked as an item, and its id recomputed when the stem or the key changed (an empty ``id``
cell is filled in).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Final

from assistant.quiz.errors import ExportError, QuizItemError
from assistant.quiz.export.common import OPTION_LETTERS, ExportResult, ensure_parent
from assistant.quiz.items import Quiz, QuizItem
from assistant.quiz.numbers import format_number
from assistant.spreadsheet import guarded, unguard

FORMAT: Final[str] = "csv"
COLUMNS: Final[tuple[str, ...]] = (
    "id", "type", "language", "difficulty", "category", "stem",
    "option_a", "option_b", "option_c", "option_d", "feedback_a", "feedback_b", "feedback_c", "feedback_d",
    "correct", "answers", "value", "tolerance", "pairs", "explanation",
    "source", "title", "page", "section", "sheet", "row", "quote", "doc_hash", "url",
)  # fmt: skip


def _row(item: QuizItem) -> dict[str, str]:
    cite = item.citation
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        id=item.id,
        type=item.type,
        language=item.language,
        difficulty=item.difficulty,
        category=json.dumps(item.category, ensure_ascii=False) if item.category else "",
        stem=item.stem,
        explanation=item.explanation,
        source=cite.source,
        title=cite.title,
        page="" if cite.position.page is None else str(cite.position.page),
        section=cite.position.section or "",
        sheet=cite.position.sheet or "",
        row="" if cite.position.row is None else str(cite.position.row),
        quote=cite.quote,
        doc_hash=cite.doc_hash,
        url=cite.url or "",
    )
    for letter, option in zip(OPTION_LETTERS.lower(), item.options, strict=False):
        row[f"option_{letter}"] = option.text
        row[f"feedback_{letter}"] = option.feedback
    if item.type == "multichoice":
        row["correct"] = next(OPTION_LETTERS[i] for i, option in enumerate(item.options) if option.correct)
    elif item.type == "truefalse":
        row["correct"] = "TRUE" if item.truth else "FALSE"
    elif item.type == "shortanswer":
        row["answers"] = json.dumps(item.answers, ensure_ascii=False)
    elif item.type == "numerical":
        assert item.value is not None and item.tolerance is not None  # set by the model
        row["value"] = format_number(item.value)
        row["tolerance"] = format_number(item.tolerance)
    else:
        row["pairs"] = json.dumps([[pair.left, pair.right] for pair in item.pairs], ensure_ascii=False)
    return row


def write_csv(quiz: Quiz, path: Path) -> ExportResult:
    """Write every item of ``quiz`` as a CSV row."""
    try:
        with ensure_parent(path, FORMAT).open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            for item in quiz.items:
                writer.writerow(guarded(_row(item)))
    except OSError as exc:
        raise ExportError(FORMAT, f"cannot write: {exc.strerror}", path) from exc
    return ExportResult(format=FORMAT, path=path, written=len(quiz.items))


def _json_cell(row: dict[str, str], column: str, number: int) -> Any:
    try:
        return json.loads(row[column]) if row[column] else []
    except json.JSONDecodeError as exc:
        raise QuizItemError(f"record {number}: {column}", f"not a JSON list: {exc.msg}") from None


def _item(row: dict[str, str], number: int) -> QuizItem:
    kind = row["type"]
    data: dict[str, Any] = {
        "id": row["id"],
        "type": kind,
        "language": row["language"],
        "difficulty": row["difficulty"],
        "category": _json_cell(row, "category", number),
        "stem": row["stem"],
        "explanation": row["explanation"],
        "citation": {
            "source": row["source"],
            "title": row["title"],
            "position": {
                key: (int(row[key]) if key in ("page", "row") else row[key])
                for key in ("page", "section", "sheet", "row")
                if row[key]
            },
            "quote": row["quote"],
            "doc_hash": row["doc_hash"],
            "url": row["url"] or None,
        },
    }
    if kind == "multichoice":
        data["options"] = [
            {"text": row[f"option_{letter}"], "feedback": row[f"feedback_{letter}"], "correct": row["correct"] == upper}
            for letter, upper in zip(OPTION_LETTERS.lower(), OPTION_LETTERS, strict=True)
        ]
    elif kind == "truefalse":
        if row["correct"] not in ("TRUE", "FALSE"):
            raise QuizItemError(f"record {number}: correct", f"{row['correct']!r} is neither TRUE nor FALSE")
        data["truth"] = row["correct"] == "TRUE"
    elif kind == "shortanswer":
        data["answers"] = _json_cell(row, "answers", number)
    elif kind == "numerical":
        data["value"] = row["value"]
        data["tolerance"] = row["tolerance"] or "0"
    else:
        data["pairs"] = [{"left": left, "right": right} for left, right in _json_cell(row, "pairs", number)]
    try:
        return QuizItem.parse(data)
    except QuizItemError as exc:
        raise QuizItemError(f"record {number}: {exc.field}", exc.reason) from None


def read_csv(path: Path) -> list[QuizItem]:
    """The items of a CSV written by :func:`write_csv` (perhaps edited); ``QuizItemError`` naming the record (1-based) and field."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise QuizItemError("header", f"missing column(s) {', '.join(missing)}")
        rows = ({key: unguard(value or "") for key, value in row.items() if key is not None} for row in reader)
        return [_item(row, number) for number, row in enumerate(rows, start=1)]
