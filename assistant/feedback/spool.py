"""The local spool: writes the feedback database could not take, kept in a SQLite file until it is back."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from assistant.feedback.records import (
    SQLITE_BUSY_TIMEOUT_S,
    FeedbackError,
    FeedbackRecord,
    FeedbackUnavailable,
    FlushReport,
)

log = logging.getLogger(__name__)

# -- the spool ----------------------------------------------------------------------------------

SpoolOp = Literal["save", "comment", "delete"]


@dataclass(frozen=True)
class SpoolEntry:
    seq: int
    op: SpoolOp
    record_id: str
    payload: str  # save: the record as JSON; comment: the text; delete: ""


class Spool:
    """Writes the feedback database could not take, in arrival order, in a local SQLite file.

    Several processes may share one spool: appends wait for each other, and one flush at a time
    holds the file's write lock while it sends (``BEGIN IMMEDIATE``)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise FeedbackError(f"cannot open the feedback spool {self.path}: {exc}") from exc
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS spool (seq INTEGER PRIMARY KEY AUTOINCREMENT, op TEXT NOT NULL, "
                "record_id TEXT NOT NULL, payload TEXT NOT NULL, queued_at TEXT NOT NULL, error TEXT)"
            )
            yield conn
        except sqlite3.Error as exc:
            raise FeedbackError(f"cannot use the feedback spool {self.path}: {exc}") from exc
        finally:
            conn.close()

    def append(self, op: SpoolOp, record_id: str, payload: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO spool (op, record_id, payload, queued_at) VALUES (?, ?, ?, ?)",
                (op, record_id, payload, datetime.now(UTC).isoformat()),
            )

    def pending(self) -> int:
        """Writes waiting to be sent (not those refused for good)."""
        if not self.path.exists():
            return 0
        with self._connect() as conn:
            return conn.execute("SELECT count(*) FROM spool WHERE error IS NULL").fetchone()[0]

    def spooled(self, record_id: str) -> tuple[bool, FeedbackRecord | None]:
        """What the spool alone says about a vote: (known, record); known is False unless it holds the
        vote's saving or deletion (a comment alone needs the row in the database)."""
        if not self.path.exists():
            return False, None
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT op, payload FROM spool WHERE record_id = ? AND error IS NULL ORDER BY seq", (record_id,)
            ).fetchall()
        known, record = False, None
        for op, payload in rows:
            if op == "save":
                known, record = True, FeedbackRecord.model_validate_json(payload)
            elif op == "delete":
                known, record = True, None
            elif record is not None:
                record = record.model_copy(update={"comment": payload})
        return known, record

    def drain(self, send: Callable[[SpoolEntry], None]) -> FlushReport:
        """Send the waiting writes in order with ``send``; stop at the first :class:`FeedbackUnavailable`.

        An entry is removed once sent; one the database refuses (another :class:`FeedbackError`) stays in
        the file with its error and is not sent again. A crash between sending and removing only means it
        is sent again, which every write tolerates."""
        if not self.path.exists():
            return FlushReport(0, 0, 0)
        sent = failed = 0
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")  # one flush at a time, across processes
            try:
                entries = [
                    SpoolEntry(*row)
                    for row in conn.execute(
                        "SELECT seq, op, record_id, payload FROM spool WHERE error IS NULL ORDER BY seq"
                    )
                ]
                for entry in entries:
                    try:
                        send(entry)
                    except FeedbackUnavailable:
                        break
                    except FeedbackError as exc:
                        log.error("feedback spool: %s of %s refused for good: %s", entry.op, entry.record_id, exc)
                        conn.execute("UPDATE spool SET error = ? WHERE seq = ?", (str(exc), entry.seq))
                        failed += 1
                        continue
                    conn.execute("DELETE FROM spool WHERE seq = ?", (entry.seq,))
                    sent += 1
            finally:
                conn.execute("COMMIT")
            left = conn.execute("SELECT count(*) FROM spool WHERE error IS NULL").fetchone()[0]
        return FlushReport(sent, left, failed)
