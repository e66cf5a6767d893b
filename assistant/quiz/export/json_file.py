"""JSON: the whole quiz (items, citations, quality report) as the model dumps it, readable back.

The file is an envelope ``{"format": "plan02-quiz", "version": 1, "quiz": {…}}`` so a reader can
tell it from other JSON. Numbers are JSON numbers (a decimal point, whatever the source wrote).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from assistant.quiz.errors import QuizItemError
from assistant.quiz.export.common import ExportResult, write_text
from assistant.quiz.items import Quiz

FORMAT: Final[str] = "json"
ENVELOPE: Final[str] = "plan02-quiz"
VERSION: Final[int] = 1


def quiz_json(quiz: Quiz) -> str:
    """The quiz in its envelope, indented, UTF-8 text (not ASCII-escaped)."""
    envelope = {"format": ENVELOPE, "version": VERSION, "quiz": quiz.model_dump(mode="json")}
    return json.dumps(envelope, ensure_ascii=False, indent=2) + "\n"


def write_json(quiz: Quiz, path: Path) -> ExportResult:
    """Write ``quiz`` as JSON."""
    write_text(path, FORMAT, quiz_json(quiz))
    return ExportResult(format=FORMAT, path=path, written=len(quiz.items))


def read_json(path: Path) -> Quiz:
    """A quiz written by :func:`write_json`, re-checked (every item id against its content)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise QuizItemError("json", f"{path}: malformed JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != ENVELOPE:
        raise QuizItemError("format", f"{path}: not a {ENVELOPE} file")
    if data.get("version") != VERSION:
        raise QuizItemError("version", f"{path}: version {data.get('version')!r}, this reader knows {VERSION}")
    return Quiz.parse(data.get("quiz"))
