"""A quiz under review in one browser session, and its downloads (no Gradio here).

:class:`Review` holds the :class:`~assistant.quiz.session.QuizSession` of one trainer's browser
session, the items kept despite failed checks, and the folder of its files; :func:`write_downloads`
writes the current version in every export format with its quality report. :mod:`assistant.web.quiz_tab`
keeps a Review in the session state.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from assistant.quiz.errors import ExportError
from assistant.quiz.export import EXTENSIONS, FORMATS, export
from assistant.quiz.export.common import ExportResult
from assistant.quiz.items import DropReason, QuizItem
from assistant.quiz.report import report_json
from assistant.quiz.request import QuizRequest
from assistant.quiz.session import QuizSession
from assistant.web.i18n import t
from assistant.web.quiz_view import message_html, quality_markdown, quality_report, skipped_notes

FILE_STEM = "plan02-quiz"


@dataclass
class Downloads:
    """The files of one version of the quiz, and what the formats left out."""

    results: dict[str, ExportResult]  # format -> what its writer wrote
    report: list[str]  # the quality report as Markdown and JSON
    errors: dict[str, str] = field(default_factory=dict)  # format -> why it could not be written

    @property
    def files(self) -> dict[str, str]:
        return {fmt: str(result.path) for fmt, result in self.results.items()}

    def notes(self, lang: str) -> str:
        """Formats that left items out, and formats that failed, in the interface language."""
        names = {fmt: t(lang, f"quiz.download.{fmt}").removeprefix("⬇️ ") for fmt in FORMATS}
        notes = skipped_notes(lang, self.results, names)
        notes += [t(lang, "quiz.export_error", format=names[fmt], error=why) for fmt, why in self.errors.items()]
        return "".join(message_html(note) for note in notes)


@dataclass
class Review:
    """A built quiz under review in one browser session, with the items kept despite failed checks."""

    session: QuizSession
    request: QuizRequest
    forced: dict[str, list[DropReason]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)  # one change at a time (a double click)
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="plan02-quiz-")))
    version: int = 0
    downloads: Downloads | None = None  # the latest version's files

    def item(self, item_id: str | None) -> QuizItem | None:
        return next((item for item in self.session.quiz.items if item.id == item_id), None)


def write_downloads(review: Review) -> Downloads:
    """The quiz in every format and its quality report, in a fresh folder (the previous one is removed:
    Gradio serves copies from its own cache)."""
    quiz = review.session.quiz
    review.version += 1
    folder = review.folder / f"v{review.version}"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(review.folder / f"v{review.version - 1}", ignore_errors=True)
    results: dict[str, ExportResult] = {}
    errors: dict[str, str] = {}
    for fmt in FORMATS if quiz.items else ():
        try:
            results[fmt] = export(quiz, fmt, folder / f"{FILE_STEM}{EXTENSIONS[fmt]}")
        except ExportError as exc:
            errors[fmt] = exc.reason
    data = quality_report(quiz, review.request, review.session.quiz_flaws(), review.session.seconds, results,
                          review.forced)  # fmt: skip
    markdown, json_file = folder / f"{FILE_STEM}.report.md", folder / f"{FILE_STEM}.report.json"
    markdown.write_text(quality_markdown(data), encoding="utf-8")
    json_file.write_text(report_json(data), encoding="utf-8")
    review.downloads = Downloads(results, [str(markdown), str(json_file)], errors)
    return review.downloads


def forget(review: Review | None) -> None:
    """Remove a review's files (a new quiz replaced it, or the browser session ended)."""
    if review is not None:
        shutil.rmtree(review.folder, ignore_errors=True)
