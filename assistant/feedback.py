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
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)  # fmt: skip
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from assistant.errors import AssistantError
from assistant.types import Citation

if TYPE_CHECKING:
    from assistant.settings import Settings

log = logging.getLogger(__name__)

Rating = Literal["up", "down"]
DRAFT_PREFIX = "DRAFT: fill expected_facts"
DEFAULT_DB_NAME = "feedback.sqlite3"
DEFAULT_SPOOL_NAME = "feedback-spool.sqlite3"
SQLITE_BUSY_TIMEOUT_S = 10  # a writer waits this long for another one instead of failing

T = TypeVar("T")


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
