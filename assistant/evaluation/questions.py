"""Question sets for evaluation: one JSON object per line in ``evals/*.jsonl``.

Each question carries the regexes a correct answer (or the passage holding the
answer) must contain, and substrings of the source paths where that passage
lives. Questions the corpus cannot answer have ``should_refuse`` set and no
facts or sources. See ``evals/README.md`` for the format.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.errors import QuestionSetError

TAGS: Final[frozenset[str]] = frozenset(
    {"deadline", "numeric", "document", "people", "roles", "structure", "scenario", "unanswerable", "quiz"}
)


class ExpectedLocation(BaseModel):
    """Where, inside an expected source, a citation must point: every given key must match."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    page: int | None = Field(default=None, ge=1, description="1-based PDF page.")
    sheet: str | None = Field(default=None, min_length=1, description="Spreadsheet sheet name (exact).")
    row: int | None = Field(default=None, ge=1, description="1-based spreadsheet row (the header is row 1).")
    section: str | None = Field(default=None, min_length=1, description="Substring of the cited section heading.")

    @model_validator(mode="after")
    def _not_empty(self) -> ExpectedLocation:
        if self.page is None and self.sheet is None and self.row is None and self.section is None:
            raise ValueError("expected_location needs at least one of page, sheet, row, section")
        return self


class Question(BaseModel):
    """One evaluation question."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    question: str = Field(min_length=1)
    language: str = Field(pattern=r"^[a-z]{2,3}$", description="ISO 639 code of the question.")
    expected_facts: list[str] = Field(description="Regexes that must all match (case-insensitive).")
    expected_sources: list[str] = Field(description="Substrings; a source path matching any of them is relevant.")
    should_refuse: bool
    notes: str = ""
    tags: list[str] = []
    expected_location: ExpectedLocation | None = Field(
        default=None, description="Where the answer sits in its source (answerable questions only)."
    )

    @field_validator("question")
    @classmethod
    def _question_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question is blank")
        return value

    @field_validator("expected_facts")
    @classmethod
    def _facts_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            if not pattern.strip():
                raise ValueError("empty regex (it would match anything)")
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"invalid regex {pattern!r}: {exc}") from None
        return value

    @field_validator("expected_sources")
    @classmethod
    def _sources_not_blank(cls, value: list[str]) -> list[str]:
        if any(not source.strip() for source in value):
            raise ValueError("empty source substring (it would match any source)")
        return value

    @field_validator("tags")
    @classmethod
    def _known_tags(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - TAGS)
        if unknown:
            raise ValueError(f"unknown tag(s) {', '.join(unknown)}; allowed: {', '.join(sorted(TAGS))}")
        return value

    @model_validator(mode="after")
    def _facts_agree_with_refusal(self) -> Question:
        if self.should_refuse:
            if self.expected_facts:
                raise ValueError("expected_facts must be empty when should_refuse is true")
            if self.expected_sources:
                raise ValueError("expected_sources must be empty when should_refuse is true")
            if self.expected_location is not None:
                raise ValueError("expected_location must be absent when should_refuse is true")
        else:
            if not self.expected_facts:
                raise ValueError("expected_facts: an answerable question needs at least one regex")
            if not self.expected_sources:
                raise ValueError("expected_sources: an answerable question needs at least one source")
        return self

    def facts_match(self, text: str) -> bool:
        """True when every expected fact matches ``text`` (case-insensitive); vacuously true without facts."""
        return all(re.search(pattern, text, re.IGNORECASE) for pattern in self.expected_facts)

    def source_matches(self, source_or_url: str) -> bool:
        """True when ``source_or_url`` contains any expected source substring."""
        return any(expected in source_or_url for expected in self.expected_sources)


def _reason(exc: ValidationError) -> str:
    """One line naming the offending field(s)."""
    parts = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{field}: {message}" if field else message)
    return "; ".join(parts)


def load_questions(path: Path) -> list[Question]:
    """Read a JSONL question set; blank lines and lines starting with ``//`` are skipped.

    Raises ``QuestionSetError`` (with the 1-based line number) for undecodable text,
    malformed JSON, a line that is not an object, a validation error or a duplicate id.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuestionSetError(path, raw.count(b"\n", 0, exc.start) + 1, "not valid UTF-8") from None

    questions: list[Question] = []
    first_line: dict[str, int] = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        try:
            data: Any = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise QuestionSetError(path, line_no, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(data, dict):
            raise QuestionSetError(path, line_no, f"expected a JSON object, got {type(data).__name__}")
        try:
            question = Question.model_validate(data)
        except ValidationError as exc:
            raise QuestionSetError(path, line_no, _reason(exc)) from None
        if question.id in first_line:
            raise QuestionSetError(
                path, line_no, f"duplicate id {question.id!r} (first used on line {first_line[question.id]})"
            )
        first_line[question.id] = line_no
        questions.append(question)
    return questions
