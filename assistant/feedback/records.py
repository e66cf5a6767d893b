"""Feedback data: the vote record, what a write and a flush report back, the errors, and the store URLs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from assistant.errors import AssistantError
from assistant.types import Citation

Rating = Literal["up", "down"]
DRAFT_PREFIX = "DRAFT: fill expected_facts"
DEFAULT_DB_NAME = "feedback.sqlite3"
DEFAULT_SPOOL_NAME = "feedback-spool.sqlite3"
SQLITE_BUSY_TIMEOUT_S = 10  # a writer waits this long for another one instead of failing


class FeedbackError(AssistantError):
    """The feedback store could not be opened, read or written."""


class FeedbackUnavailable(FeedbackError):
    """The feedback database could not be reached (after the configured retries)."""


class FeedbackRecord(BaseModel):
    """One vote on one answer."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    rating: Rating
    comment: str = ""
    question: str
    answer: str
    language: str = "und"
    refused: bool = False
    citations: list[Citation] = Field(default_factory=list)
    backend: str = Field(description="Mode that produced the answer: local, openai, ollama, extractive.")
    model: str = Field("", description="LLM label, e.g. 'local: qwen2.5-1.5b Q4_K_M'.")
    embedding_model: str = ""
    corpus_version: str = ""
    user: str | None = None


@dataclass(frozen=True)
class Write:
    """What became of one write (a vote, a comment, a vote taken back)."""

    id: str  # the vote's id
    found: bool = True  # False: the comment or deletion named no stored vote
    queued: bool = False  # the database was unreachable: kept in the local spool, sent once it is back


@dataclass(frozen=True)
class FlushReport:
    """What :meth:`FeedbackStore.flush` did with the spool."""

    sent: int  # writes now in the database
    left: int  # still waiting (the database is unreachable again)
    failed: int  # refused by the database for good; kept in the spool file with the error, not retried


def default_url(index_dir: Path) -> str:
    """SQLite file in the index folder."""
    return f"sqlite:///{(Path(index_dir) / DEFAULT_DB_NAME).absolute()}"


def normalise_url(url: str) -> str:
    """``url`` with a PostgreSQL URL given no driver (``postgresql://``, ``postgres://``) set to psycopg 3,
    the driver installed (SQLAlchemy's default for ``postgresql://`` is psycopg2, which is not)."""
    try:
        parsed = make_url(url)
    except SQLAlchemyError as exc:
        raise FeedbackError(f"invalid feedback URL: {exc}") from exc
    if parsed.drivername in {"postgresql", "postgres"}:
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def safe_url(url: str) -> str:
    """``url`` for messages: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return "<url>"
