"""Feedback on answers: stored durably, exported, and turned into draft regression cases.

Each vote is one row keyed by a random id: the question, the answer, its
citations, the backend and model that produced it, the embedding model and
corpus version it was retrieved from, and when. By default the rows live in
SQLite in WAL mode (``<index dir>/feedback.sqlite3``), which keeps every
committed row across restarts and lets threads and processes write at once;
any SQLAlchemy URL (``settings.web.feedback_url``, e.g. PostgreSQL) lets several
app instances share one store.

A shared database can be down. A write it cannot take is retried
(``web.feedback_retries``), then kept in a local *spool* — a small SQLite file,
``<index dir>/feedback-spool.sqlite3`` by default — and the caller learns so from
the :class:`Write` it gets back. Spooled writes are sent, in order, before the
next write or read that reaches the database again (or by :meth:`FeedbackStore.flush`);
every write is idempotent (keyed by the vote's id), so a replay never duplicates a row.

A thumbs-down can become a *draft* regression case in the evaluation format
(``evals/*.jsonl``). A draft has empty ``expected_facts`` — only a person can
say what the right answer is — so drafts go to their own file
(``evals/drafts.jsonl`` by default) with ``notes`` starting ``DRAFT:``; they are
promoted by filling the facts and moving the line into a question set.

The package, one module per responsibility: :mod:`~assistant.feedback.records` (the vote record, what a write
reports, the errors, the store URLs), :mod:`~assistant.feedback.table` (the table and a record's row in it),
:mod:`~assistant.feedback.spool` (the local spool), :mod:`~assistant.feedback.store` (the store itself) and
:mod:`~assistant.feedback.export` (exports and draft cases). Import the names from ``assistant.feedback``.
"""

from __future__ import annotations

from assistant.feedback.export import append_draft, draft_case, export, to_csv, to_jsonl, validate_draft
from assistant.feedback.records import (
    DEFAULT_DB_NAME,
    DEFAULT_SPOOL_NAME,
    DRAFT_PREFIX,
    SQLITE_BUSY_TIMEOUT_S,
    FeedbackError,
    FeedbackRecord,
    FeedbackUnavailable,
    FlushReport,
    Rating,
    Write,
    default_url,
    normalise_url,
    safe_url,
)
from assistant.feedback.spool import Spool, SpoolEntry, SpoolOp
from assistant.feedback.store import FeedbackStore, open_feedback_store
from assistant.feedback.table import EXPORT_FIELDS, feedback_table

__all__ = [
    "DEFAULT_DB_NAME",
    "DEFAULT_SPOOL_NAME",
    "DRAFT_PREFIX",
    "EXPORT_FIELDS",
    "SQLITE_BUSY_TIMEOUT_S",
    "FeedbackError",
    "FeedbackRecord",
    "FeedbackStore",
    "FeedbackUnavailable",
    "FlushReport",
    "Rating",
    "Spool",
    "SpoolEntry",
    "SpoolOp",
    "Write",
    "append_draft",
    "default_url",
    "draft_case",
    "export",
    "feedback_table",
    "normalise_url",
    "open_feedback_store",
    "safe_url",
    "to_csv",
    "to_jsonl",
    "validate_draft",
]
