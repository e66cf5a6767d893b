"""The feedback store: votes behind one SQLAlchemy engine, with retries and the spool for outages."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, inspect, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from assistant.feedback.records import (
    DEFAULT_SPOOL_NAME,
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
from assistant.feedback.table import _metadata, _record, _row, _sqlite_pragmas, _unreachable, feedback_table

if TYPE_CHECKING:
    from assistant.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")


def open_feedback_store(settings: Settings) -> FeedbackStore:
    """The store the settings name: ``web.feedback_url`` with retries and a spool, else SQLite in the index
    folder (local: no retries, its writers already wait for each other; a spool only if one is named)."""
    web = settings.web
    if not web.feedback_url:
        return FeedbackStore(default_url(settings.index.dir), spool=web.feedback_spool)
    return FeedbackStore(
        web.feedback_url, spool=web.feedback_spool or Path(settings.index.dir) / DEFAULT_SPOOL_NAME,
        retries=web.feedback_retries, retry_wait_s=web.feedback_retry_wait_s,
        connect_timeout_s=web.feedback_connect_timeout_s,
    )  # fmt: skip


# -- the store ----------------------------------------------------------------------------------


class FeedbackStore:
    """Feedback rows behind one SQLAlchemy engine; safe to share between threads.

    ``spool`` names the local file that keeps writes while the database is unreachable (none: such a
    write raises :class:`FeedbackUnavailable`); ``retries`` further attempts are made first, waiting
    ``retry_wait_s`` and then twice as long each time; ``connect_timeout_s`` bounds a PostgreSQL
    connection attempt. ``create_schema=False`` opens an existing store without creating its table.
    """

    def __init__(
        self,
        url: str,
        *,
        spool: Path | None = None,
        retries: int = 0,
        retry_wait_s: float = 0.5,
        connect_timeout_s: int | None = None,
        create_schema: bool = True,
    ) -> None:
        self.url = normalise_url(url)
        self.spool = Spool(spool) if spool is not None else None
        self.retries = retries
        self.retry_wait_s = retry_wait_s
        self._write_lock = threading.Lock()  # serialises this process's SQLite writers (others wait on busy_timeout)
        self._flush_lock = threading.Lock()
        self._schema_lock = threading.Lock()
        self._schema_ready = not create_schema
        try:
            if self.url.startswith("sqlite:///"):
                Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            connect_args = {}
            if connect_timeout_s is not None and make_url(self.url).get_backend_name() == "postgresql":
                connect_args["connect_timeout"] = connect_timeout_s
            self.engine: Engine = create_engine(self.url, pool_pre_ping=True, connect_args=connect_args)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
        except (SQLAlchemyError, OSError) as exc:
            raise FeedbackError(f"cannot open feedback store {self._safe_url()}: {exc}") from exc
        try:
            self._ensure_schema()
        except FeedbackUnavailable:
            if self.spool is None:
                raise
            log.warning("feedback database %s unreachable; votes are kept in %s", self._safe_url(), self.spool.path)

    def _safe_url(self) -> str:
        return safe_url(self.url)

    # -- plumbing -------------------------------------------------------------------------------

    def _ensure_schema(self) -> None:
        """Create the table once, on the first connection that succeeds."""
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            try:
                try:
                    _metadata.create_all(self.engine)
                except SQLAlchemyError as exc:
                    if _unreachable(exc):
                        raise
                    _metadata.create_all(self.engine)  # another instance created it meanwhile: now it is there
            except SQLAlchemyError as exc:
                if _unreachable(exc):
                    raise FeedbackUnavailable(f"feedback database {self._safe_url()} unreachable: {exc}") from exc
                raise FeedbackError(f"cannot open feedback store {self._safe_url()}: {exc}") from exc
            self._schema_ready = True

    def _locked(self) -> contextlib.AbstractContextManager:
        return self._write_lock if self.engine.dialect.name == "sqlite" else contextlib.nullcontext()

    def _run(self, action: Callable[[Connection], T], what: str, *, write: bool, retries: int | None = None) -> T:
        """``action`` in one transaction; retried while the database is unreachable, then
        :class:`FeedbackUnavailable`. Any other database error is a :class:`FeedbackError` at once."""
        attempts = 1 + (self.retries if retries is None else retries)
        last: Exception | None = None
        for attempt in range(attempts):
            if attempt:
                time.sleep(self.retry_wait_s * 2 ** (attempt - 1))
            try:
                self._ensure_schema()
                lock = self._locked() if write else contextlib.nullcontext()
                with lock, self.engine.begin() as conn:
                    return action(conn)
            except FeedbackUnavailable as exc:
                last = exc
            except SQLAlchemyError as exc:
                if not _unreachable(exc):
                    raise FeedbackError(f"cannot {what}: {exc}") from exc
                last = exc
        raise FeedbackUnavailable(
            f"cannot {what}: feedback database {self._safe_url()} unreachable after {attempts} attempt(s): {last}"
        ) from last

    def _upsert(self, conn: Connection, row: dict) -> None:
        name = self.engine.dialect.name
        if name in {"postgresql", "sqlite"}:
            if name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as dialect_insert
            else:
                from sqlalchemy.dialects.sqlite import insert as dialect_insert
            stmt = dialect_insert(feedback_table).values(**row)
            changes = {key: stmt.excluded[key] for key in row if key != "id"}
            conn.execute(stmt.on_conflict_do_update(index_elements=[feedback_table.c.id], set_=changes))
            return
        changed = conn.execute(update(feedback_table).where(feedback_table.c.id == row["id"]).values(**row)).rowcount
        if not changed:
            conn.execute(insert(feedback_table).values(**row))

    def _action(self, op: SpoolOp, record_id: str, payload: str) -> Callable[[Connection], bool]:
        """The database side of one write; returns whether it found its vote."""
        if op == "save":
            row = _row(FeedbackRecord.model_validate_json(payload))

            def save(conn: Connection) -> bool:
                self._upsert(conn, row)
                return True

            return save
        if op == "comment":
            query = update(feedback_table).where(feedback_table.c.id == record_id).values(comment=payload)
        else:
            query = delete(feedback_table).where(feedback_table.c.id == record_id)
        return lambda conn: bool(conn.execute(query).rowcount)

    def _write(self, op: SpoolOp, record_id: str, payload: str, what: str) -> Write:
        """Send one write, or spool it when the database is unreachable (or older writes still wait)."""
        if self.spool is not None and self.spool.pending() and self.flush().left:
            self.spool.append(op, record_id, payload)  # queued behind the older writes, to keep their order
            return Write(record_id, queued=True)
        try:
            found = self._run(self._action(op, record_id, payload), what, write=True)
        except FeedbackUnavailable as exc:
            if self.spool is None:
                raise
            self.spool.append(op, record_id, payload)
            log.warning("feedback %s of %s kept in %s: %s", op, record_id, self.spool.path, exc)
            return Write(record_id, queued=True)
        return Write(record_id, found=found)

    def _read(self, action: Callable[[Connection], T], what: str) -> T:
        if self.spool is not None and self.spool.pending():
            self.flush()  # reads show the spooled writes once the database takes them
        return self._run(action, what, write=False)

    # -- writes ---------------------------------------------------------------------------------

    def save(self, record: FeedbackRecord) -> Write:
        """Insert ``record``, or replace the row with its id (a changed vote)."""
        return self._write("save", record.id, record.model_dump_json(), "save feedback")

    def set_comment(self, record_id: str, comment: str) -> Write:
        """Attach a comment to a saved vote; ``found`` is False when no such vote exists."""
        return self._write("comment", record_id, comment.strip(), "save comment")

    def delete(self, record_id: str) -> Write:
        """Remove a vote (taken back by its author)."""
        return self._write("delete", record_id, "", "delete feedback")

    def flush(self) -> FlushReport:
        """Send the spooled writes, oldest first, while the database takes them (one attempt each)."""
        if self.spool is None:
            return FlushReport(0, 0, 0)
        with self._flush_lock:

            def send(entry: SpoolEntry) -> None:
                found = self._run(self._action(entry.op, entry.record_id, entry.payload), f"send spooled {entry.op}",
                                  write=True, retries=0)  # fmt: skip
                if not found:
                    log.warning("feedback spool: %s of %s found no vote (taken back meanwhile)", entry.op,
                                entry.record_id)  # fmt: skip

            report = self.spool.drain(send)
        if report.sent:
            log.info("feedback spool: %d write(s) sent, %d waiting", report.sent, report.left)
        return report

    def pending(self) -> int:
        """Writes waiting in the spool for the database."""
        return self.spool.pending() if self.spool is not None else 0

    # -- reads ----------------------------------------------------------------------------------

    def get(self, record_id: str) -> FeedbackRecord | None:
        """The vote with this id; while the database is unreachable, a vote saved or deleted in the spool."""
        query = select(feedback_table).where(feedback_table.c.id == record_id)
        try:
            row = self._read(lambda conn: conn.execute(query).mappings().first(), "read feedback")
        except FeedbackUnavailable:
            if self.spool is None:
                raise
            known, record = self.spool.spooled(record_id)
            if not known:
                raise
            return record
        return _record(row) if row else None

    def records(self, limit: int | None = None, rating: Rating | None = None) -> list[FeedbackRecord]:
        """Newest first."""
        query = select(feedback_table).order_by(feedback_table.c.created_at.desc())
        if rating:
            query = query.where(feedback_table.c.rating == rating)
        if limit:
            query = query.limit(limit)
        rows = self._read(lambda conn: list(conn.execute(query).mappings()), "read feedback")
        return [_record(row) for row in rows]

    def count(self) -> int:
        return self._read(lambda conn: conn.execute(select(func.count()).select_from(feedback_table)).scalar_one(),
                          "count feedback")  # fmt: skip

    def stored_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` have a row (none when the table does not exist yet)."""
        ids = list(ids)
        if not ids:
            return set()

        def find(conn: Connection) -> set[str]:
            if not inspect(conn).has_table(feedback_table.name):
                return set()
            query = select(feedback_table.c.id).where(feedback_table.c.id.in_(ids))
            return set(conn.execute(query).scalars())

        return self._run(find, "read feedback", write=False)

    def add_missing(self, records: Iterable[FeedbackRecord]) -> int:
        """Insert the records whose id has no row yet, in one transaction; rows already there are kept as they
        are. Returns how many were inserted."""
        records = list(records)

        def add(conn: Connection) -> int:
            present = set(
                conn.execute(
                    select(feedback_table.c.id).where(feedback_table.c.id.in_([r.id for r in records]))
                ).scalars()
            )
            rows = [_row(r) for r in records if r.id not in present]
            if rows:
                conn.execute(insert(feedback_table), rows)
            return len(rows)

        return self._run(add, "copy feedback", write=True) if records else 0

    def close(self) -> None:
        self.engine.dispose()
