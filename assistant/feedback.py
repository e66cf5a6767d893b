"""Feedback on answers: stored durably, exported, and turned into draft regression cases.

Each vote is one row keyed by a random id: the question, the answer, its
citations, the backend and model that produced it, the embedding model and
corpus version it was retrieved from, and when. By default the rows live in
SQLite in WAL mode (``<index dir>/feedback.sqlite3``), which keeps every
committed row across restarts and lets threads and processes write at once;
any SQLAlchemy URL (``settings.web.feedback_url``, e.g. PostgreSQL) lets several
app instances share one store.

A thumbs-down can become a *draft* regression case in the evaluation format
(``evals/*.jsonl``). A draft has empty ``expected_facts`` — only a person can
say what the right answer is — so drafts go to their own file
(``evals/drafts.jsonl`` by default) with ``notes`` starting ``DRAFT:``; they are
promoted by filling the facts and moving the line into a question set.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)  # fmt: skip
from sqlalchemy.exc import SQLAlchemyError

from assistant.errors import AssistantError
from assistant.types import Citation

Rating = Literal["up", "down"]
DRAFT_PREFIX = "DRAFT: fill expected_facts"
DEFAULT_DB_NAME = "feedback.sqlite3"


class FeedbackError(AssistantError):
    """The feedback store could not be opened, read or written."""


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


_metadata = MetaData()
feedback_table = Table(
    "feedback",
    _metadata,
    Column("id", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("rating", String(8), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("language", String(16), nullable=False),
    Column("refused", Boolean, nullable=False),
    Column("citations", Text, nullable=False),  # JSON list of Citation
    Column("backend", String(32), nullable=False),
    Column("model", String(200), nullable=False),
    Column("embedding_model", String(200), nullable=False),
    Column("corpus_version", String(200), nullable=False),
    Column("user", String(200), nullable=True),
)

EXPORT_FIELDS = [c.name for c in feedback_table.columns]


def default_url(index_dir: Path) -> str:
    """SQLite file in the index folder."""
    return f"sqlite:///{(Path(index_dir) / DEFAULT_DB_NAME).absolute()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; survives restarts
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable in WAL mode except on power loss mid-checkpoint
    cursor.execute("PRAGMA busy_timeout=10000")  # wait for another writer instead of failing
    cursor.close()


def _row(record: FeedbackRecord) -> dict:
    data = record.model_dump(mode="python")
    data["citations"] = json.dumps([c.model_dump() for c in record.citations], ensure_ascii=False)
    return data


def _record(row: dict) -> FeedbackRecord:
    data = dict(row)
    data["citations"] = json.loads(data["citations"] or "[]")
    if data["created_at"].tzinfo is None:  # SQLite returns naive datetimes
        data["created_at"] = data["created_at"].replace(tzinfo=UTC)
    return FeedbackRecord(**data)


class FeedbackStore:
    """Feedback rows behind one SQLAlchemy engine; safe to share between threads."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._write_lock = threading.Lock()  # serialises this process's SQLite writers (others wait on busy_timeout)
        try:
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url, pool_pre_ping=True)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            _metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            raise FeedbackError(f"cannot open feedback store {self._safe_url()}: {exc}") from exc

    def _safe_url(self) -> str:
        try:
            from sqlalchemy.engine import make_url

            return make_url(self.url).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - only for an error message
            return "<url>"

    def save(self, record: FeedbackRecord) -> FeedbackRecord:
        """Insert ``record``, or replace the row with its id (a changed vote)."""
        row = _row(record)
        try:
            with self._write_lock, self.engine.begin() as conn:
                changed = conn.execute(
                    update(feedback_table).where(feedback_table.c.id == record.id).values(**row)
                ).rowcount
                if not changed:
                    conn.execute(insert(feedback_table).values(**row))
        except SQLAlchemyError as exc:
            raise FeedbackError(f"cannot save feedback: {exc}") from exc
        return record

    def set_comment(self, record_id: str, comment: str) -> bool:
        """Attach a comment to a saved vote; False when no such vote exists."""
        try:
            with self._write_lock, self.engine.begin() as conn:
                result = conn.execute(
                    update(feedback_table).where(feedback_table.c.id == record_id).values(comment=comment.strip())
                )
        except SQLAlchemyError as exc:
            raise FeedbackError(f"cannot save comment: {exc}") from exc
        return bool(result.rowcount)

    def delete(self, record_id: str) -> bool:
        """Remove a vote (taken back by its author)."""
        try:
            with self._write_lock, self.engine.begin() as conn:
                result = conn.execute(delete(feedback_table).where(feedback_table.c.id == record_id))
        except SQLAlchemyError as exc:
            raise FeedbackError(f"cannot delete feedback: {exc}") from exc
        return bool(result.rowcount)

    def get(self, record_id: str) -> FeedbackRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(feedback_table).where(feedback_table.c.id == record_id)).mappings().first()
        return _record(row) if row else None

    def records(self, limit: int | None = None, rating: Rating | None = None) -> list[FeedbackRecord]:
        """Newest first."""
        query = select(feedback_table).order_by(feedback_table.c.created_at.desc())
        if rating:
            query = query.where(feedback_table.c.rating == rating)
        if limit:
            query = query.limit(limit)
        try:
            with self.engine.connect() as conn:
                return [_record(row) for row in conn.execute(query).mappings()]
        except SQLAlchemyError as exc:
            raise FeedbackError(f"cannot read feedback: {exc}") from exc

    def count(self) -> int:
        return len(self.records())

    def close(self) -> None:
        self.engine.dispose()


# -- export -------------------------------------------------------------------------------------


def _flat(record: FeedbackRecord) -> dict[str, str]:
    row = _row(record)
    row["created_at"] = record.created_at.isoformat()
    return {key: "" if row[key] is None else str(row[key]) for key in EXPORT_FIELDS}


def to_csv(records: Iterable[FeedbackRecord]) -> str:
    """CSV with a header row; citations as a JSON string."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for record in records:
        writer.writerow(_flat(record))
    return out.getvalue()


def to_jsonl(records: Iterable[FeedbackRecord]) -> str:
    """One JSON object per line, citations as objects."""
    return "".join(record.model_dump_json() + "\n" for record in records)


def export(records: Iterable[FeedbackRecord], path: Path, fmt: Literal["csv", "jsonl"]) -> Path:
    text = to_csv(records) if fmt == "csv" else to_jsonl(records)
    path.write_text(text, encoding="utf-8", newline="")
    return path


# -- draft regression cases ---------------------------------------------------------------------


def draft_case(record: FeedbackRecord) -> dict:
    """A thumbs-down as a draft evaluation question (``expected_facts`` left for a person to fill)."""
    sources = sorted({c.source for c in record.citations})
    notes = f"{DRAFT_PREFIX}. Feedback {record.created_at.date().isoformat()}"
    if record.comment:
        notes += f"; comment: {record.comment}"
    notes += f"; answer given ({record.backend}): {record.answer[:300]}"
    language = record.language if record.language.isalpha() and 2 <= len(record.language) <= 3 else "und"
    return {
        "id": f"draft-{record.id[:12]}",
        "question": record.question,
        "language": language.lower(),
        "expected_facts": [],
        "expected_sources": sources,
        "should_refuse": False,
        "notes": notes,
        "tags": [],
    }


def validate_draft(case: dict) -> None:
    """Check a draft against the question-set schema, with placeholders for what a person must fill."""
    from assistant.evaluation.questions import Question

    filled = dict(case, expected_facts=case["expected_facts"] or ["TODO"])
    filled["expected_sources"] = case["expected_sources"] or ["TODO"]
    Question.model_validate(filled)


def append_draft(record: FeedbackRecord, path: Path) -> dict:
    """Append the draft of ``record`` to ``path`` (JSONL) unless a draft with its id is already there."""
    case = draft_case(record)
    validate_draft(case)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and json.loads(line).get("id") == case["id"]:
                return case
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(case, ensure_ascii=False) + "\n")
    return case
