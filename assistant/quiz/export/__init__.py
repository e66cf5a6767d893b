"""Exports of a quiz: one module per format, one function (:func:`export`) choosing the writer.

Each writer returns an :class:`~assistant.quiz.export.common.ExportResult`: the file, how many
items went in, and the items the format cannot hold with the reason (e.g. a 130-character question
for Kahoot, a matching item for Kahoot or the evaluators' set). Writers import their libraries
(openpyxl, genanki, lxml) when called.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal, get_args

from assistant.quiz.errors import ExportError
from assistant.quiz.export.common import ExportResult
from assistant.quiz.items import Quiz

ExportFormat = Literal["gift", "moodle_xml", "kahoot_xlsx", "csv", "json", "anki", "html", "eval_jsonl"]
FORMATS: Final[tuple[str, ...]] = get_args(ExportFormat)
# The file name extension of each format.
EXTENSIONS: Final[dict[str, str]] = {
    "gift": ".gift.txt",
    "moodle_xml": ".xml",
    "kahoot_xlsx": ".xlsx",
    "csv": ".csv",
    "json": ".json",
    "anki": ".apkg",
    "html": ".html",
    "eval_jsonl": ".jsonl",
}


def export(quiz: Quiz, fmt: str, path: Path) -> ExportResult:
    """Write ``quiz`` to ``path`` in ``fmt`` (one of :data:`FORMATS`); ``ExportError`` lists them for an unknown one."""
    path = Path(path)
    if fmt in FORMATS and not quiz.items:
        raise ExportError(fmt, "the quiz has no items to export", path)
    if fmt == "gift":
        from assistant.quiz.export.gift import write_gift

        return write_gift(quiz, path)
    if fmt == "moodle_xml":
        from assistant.quiz.export.moodle_xml import write_moodle_xml

        return write_moodle_xml(quiz, path)
    if fmt == "kahoot_xlsx":
        from assistant.quiz.export.kahoot import write_kahoot

        return write_kahoot(quiz, path)
    if fmt == "csv":
        from assistant.quiz.export.csv_file import write_csv

        return write_csv(quiz, path)
    if fmt == "json":
        from assistant.quiz.export.json_file import write_json

        return write_json(quiz, path)
    if fmt == "anki":
        from assistant.quiz.export.anki import write_anki

        return write_anki(quiz, path)
    if fmt == "html":
        from assistant.quiz.export.html_sheet import write_html

        return write_html(quiz, path)
    if fmt == "eval_jsonl":
        from assistant.quiz.export.eval_jsonl import write_eval_jsonl

        return write_eval_jsonl(quiz, path)
    raise ExportError(fmt, f"unknown format; choose one of {', '.join(FORMATS)}", path)
