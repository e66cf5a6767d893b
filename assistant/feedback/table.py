"""The feedback table, a record's row in it, and the SQLAlchemy engine helpers the store uses."""

from __future__ import annotations

import json
from datetime import UTC

from sqlalchemy import Boolean, Column, DateTime, MetaData, String, Table, Text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from assistant.feedback.records import SQLITE_BUSY_TIMEOUT_S, FeedbackRecord

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


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; survives restarts
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable in WAL mode except on power loss mid-checkpoint
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")  # wait for another writer
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


def _unreachable(exc: SQLAlchemyError) -> bool:
    """True when ``exc`` says the database could not be reached (worth retrying and spooling),
    not that it refused this statement (which a retry would only repeat)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError | PoolTimeout)
