"""Errors of the quiz builder. Each names what is wrong (a field, a line, a format) for the edge to show."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import AssistantError


class QuizError(AssistantError):
    """Base class of the quiz builder's errors."""


class QuizItemError(QuizError):
    """An item (or a quiz) breaks a rule of the model. ``field`` names the offending field."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class ExportError(QuizError):
    """A quiz could not be written in a format (an unknown format, an unwritable path, a text the format cannot hold)."""

    def __init__(self, fmt: str, reason: str, path: Path | str | None = None) -> None:
        self.fmt = fmt
        self.path = Path(path) if path is not None else None
        self.reason = reason
        where = f"{self.path}: " if self.path is not None else ""
        super().__init__(f"{where}{fmt}: {reason}")


class GiftParseError(QuizError):
    """A GIFT question that Moodle's importer would reject (or silently mangle). ``question`` is 1-based."""

    def __init__(self, question: int, reason: str, text: str = "") -> None:
        self.question = question
        self.reason = reason
        self.text = text
        super().__init__(f"GIFT question {question}: {reason}")


class MoodleXmlError(QuizError):
    """A Moodle XML file that lacks what Moodle's importer needs. ``question`` is 1-based (0: the file)."""

    def __init__(self, question: int, reason: str) -> None:
        self.question = question
        self.reason = reason
        super().__init__(f"Moodle XML question {question}: {reason}" if question else f"Moodle XML: {reason}")


class QuizRequestError(QuizError):
    """A quiz request (or a review action on a built quiz) that cannot be carried out. ``field`` names the option."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")
