"""Keep the index in sync with the corpus folder.

New files are added, changed files re-embedded and deleted files' chunks
removed, tracked by content hashes. A file's record is written only after all
of its chunks are, so a run killed half-way leaves the previous index usable
and the next run redoes exactly the unfinished files (chunk ids are stable, so
redoing never duplicates).

Errors are per file: a file that cannot be read, or whose chunks cannot be
embedded or written, is listed in ``SyncReport.failed`` with a one-line reason,
keeps no chunk in the index, and the run goes on with the other files. A disk
too full to write on stops the whole run between two batches with
:class:`~assistant.errors.IndexFull`, which leaves the index as a kill would.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.chunking import split_documents
from assistant.errors import IngestError
from assistant.index import CorpusIndex, FileRecord
from assistant.ingest import load_file, load_manifest
from assistant.ingest.base import INGEST_VERSION, short_cause
from assistant.settings import ChunkSettings, Settings
from assistant.types import Chunk

# progress(done, total, what): called as chunks are embedded.
Progress = Callable[[int, int, str], None]


class SkippedFile(BaseModel):
    source: str
    reason: str


class SyncReport(BaseModel):
    """What one sync did. ``failed`` lists every file that is not indexed, with the reason."""

    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    failed: list[SkippedFile] = Field(default_factory=list)
    warnings: dict[str, list[str]] = Field(default_factory=dict)
    chunks_written: int = 0
    facts: int = Field(0, description="Facts stored for the at-a-glance view (0 when the facts layer is off).")
    facts_rebuilt: list[str] = Field(default_factory=list, description="Documents whose facts were extracted anew.")
    chunks_total: int = 0
    files_indexed: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def scan_corpus(corpus_dir: Path, *sidecars: str) -> dict[str, Path]:
    """Every candidate file under the corpus folder, keyed by its relative path.

    Hidden files and folders, the ``sidecars`` (the manifest, the glossary, the example questions:
    ``CorpusSettings.sidecars``), and names starting with ``_`` or ``~$`` (editor lock files) are not documents.
    """
    found: dict[str, Path] = {}
    if not corpus_dir.exists():
        return found
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if not path.is_file() or any(part.startswith((".", "_", "~$")) for part in rel.parts):
            continue
        if rel.as_posix() in sidecars:
            continue
        found[rel.as_posix()] = path
    return found


def content_hash(path: Path) -> str:
    """sha256 of the file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def entry_hash(manifest_entry: dict | None, settings: ChunkSettings | None = None) -> str:
    """Hash of how a file is turned into chunks: its manifest entry, the chunk settings and
    :data:`~assistant.ingest.base.INGEST_VERSION`, so editing its metadata, resizing chunks or
    upgrading the readers re-indexes it."""
    how = {"entry": manifest_entry or {}, "ingest": INGEST_VERSION,
           "chunking": settings.model_dump() if settings is not None else None}
    return hashlib.sha256(json.dumps(how, sort_keys=True, default=str).encode()).hexdigest()[:16]


class _Pending(BaseModel):
    record: FileRecord
    chunks: list[Chunk]
    old_ids: set[str]
    is_new: bool


def sync_corpus(index: CorpusIndex, settings: Settings, progress: Progress | None = None) -> SyncReport:
    """Bring the index in line with ``settings.corpus.dir``; see the module docstring."""
    started = time.perf_counter()
    corpus = settings.corpus
    report = SyncReport()
    manifest = load_manifest(corpus.dir, corpus)
    files = scan_corpus(corpus.dir, *corpus.sidecars)
    records = index.file_records()

    for source in sorted(set(records) - set(files)):
        index.delete_source(source)
        report.removed.append(source)

    pending: list[_Pending] = []
    for source, path in files.items():
        stat = path.stat()
        old = records.get(source)
        meta_digest = entry_hash(manifest.get(source), settings.chunking)
        if old and old.hash and old.size == stat.st_size and old.mtime == stat.st_mtime:
            digest = old.hash  # cheap path: bytes untouched since the last sync (no hash: a failed write, retried)
        else:
            digest = content_hash(path)
        same = old is not None and old.hash == digest and old.meta_hash == meta_digest
        if old and same and old.mtime == stat.st_mtime:
            _carry_over(report, old)
            continue
        if old and same:
            # Touched but identical: refresh the stat so the next sync takes the cheap path.
            index.put_file_record(old.model_copy(update={"mtime": stat.st_mtime, "size": stat.st_size}))
            _carry_over(report, old)
            continue
        record = FileRecord(
            source=source, hash=digest, meta_hash=meta_digest, size=stat.st_size, mtime=stat.st_mtime, chunks=0,
            indexed_at=time.time(), status="ok",
        )
        try:
            loaded = load_file(path, corpus.dir, corpus, manifest=manifest)
        except IngestError as exc:
            # Keep the old chunks out of the index too: the file as it is now is unreadable.
            index.delete_chunks(index.chunk_ids(source))
            index.put_file_record(record.model_copy(update={"status": "error", "error": exc.reason}))
            report.failed.append(SkippedFile(source=source, reason=exc.reason))
            continue
        chunks = split_documents(loaded.documents, settings.chunking, file_hash=digest)
        first = chunks[0].meta if chunks else None
        record = record.model_copy(
            update={
                "chunks": len(chunks),
                "warnings": "; ".join(loaded.warnings),
                "title": first.title if first else "",
                "language": first.language if first else "",
                "doc_type": first.doc_type if first else "",
            }
        )
        if loaded.warnings:
            report.warnings[source] = loaded.warnings
        pending.append(_Pending(record=record, chunks=chunks, old_ids=index.chunk_ids(source) if old else set(), is_new=old is None))

    _write(index, pending, settings.index.batch_size, report, progress)
    if settings.facts.enabled:
        from assistant.facts.store import update_facts  # facts -> answer -> retrieval -> index -> here

        facts = update_facts(index, settings.facts, progress)
        report.facts, report.facts_rebuilt = facts.facts, facts.rebuilt
    report.chunks_total = index.count()
    report.files_indexed = sum(1 for r in index.file_records().values() if r.status == "ok")
    report.seconds = time.perf_counter() - started
    return report


def _carry_over(report: SyncReport, old: FileRecord) -> None:
    report.unchanged.append(old.source)
    if old.status == "error":
        report.failed.append(SkippedFile(source=old.source, reason=old.error))


def _write(index: CorpusIndex, pending: list[_Pending], batch_size: int, report: SyncReport, progress: Progress | None) -> None:
    """Embed all new chunks in full batches across files, committing each file once its chunks are in."""
    if any(p.chunks for p in pending):
        index.check_model()  # a model mismatch concerns the whole index, not one file: let it stop the run
    _Writer(index, pending, report).run(batch_size, progress)


class _Writer:
    """Writes the pending files' chunks; an error in one file's chunks fails only that file.

    Chunks are embedded in cross-file batches (large batches encode much faster).
    When a batch fails, its files are retried one by one, so the file at fault is
    found, its chunks are removed again and the other files are written.
    """

    def __init__(self, index: CorpusIndex, pending: list[_Pending], report: SyncReport) -> None:
        self.index, self.pending, self.report = index, pending, report
        self.remaining = [len(p.chunks) for p in pending]
        self.written: list[set[str]] = [set() for _ in pending]
        self.failed: set[int] = set()

    def run(self, batch_size: int, progress: Progress | None) -> None:
        queue = [(i, c) for i, p in enumerate(self.pending) for c in p.chunks]
        if queue:
            self.index.check_space()
        for item in self.pending:  # a changed file's sentences are stored anew with its chunks
            if not item.is_new:
                self.index.delete_sentences(item.record.source)
        for i, item in enumerate(self.pending):  # files that produced no chunk at all
            if not item.chunks:
                self._commit(i)
        for start in range(0, len(queue), batch_size):
            batch = [(i, c) for i, c in queue[start : start + batch_size] if i not in self.failed]
            # A full disk stops the whole run between batches, like a kill: Chroma hangs when it fills up mid-write.
            self.index.check_space()
            try:
                self._add(batch)
            except Exception:  # noqa: BLE001 - any embedding or Chroma error: find the file at fault
                self.index.check_space()  # unless the disk filled up during this very batch
                self._add_file_by_file(batch)
            if progress:
                progress(min(start + batch_size, len(queue)), len(queue), "embedding chunks")

    def _add(self, batch: list[tuple[int, Chunk]]) -> None:
        if batch:
            self.index.add_chunks([c for _, c in batch])
        for i, chunk in batch:
            self.written[i].add(chunk.id)
            self.report.chunks_written += 1
            self.remaining[i] -= 1
            if self.remaining[i] == 0:
                self._commit(i)

    def _add_file_by_file(self, batch: list[tuple[int, Chunk]]) -> None:
        for i in dict.fromkeys(i for i, _ in batch):  # each file once, in batch order
            try:
                self._add([(j, c) for j, c in batch if j == i])
            except Exception as exc:  # noqa: BLE001 - this file's chunks cannot be written
                self._fail(i, exc)

    def _commit(self, i: int) -> None:
        item = self.pending[i]
        try:
            self.index.delete_chunks(item.old_ids - {c.id for c in item.chunks})
            self.index.put_file_record(item.record)
        except Exception as exc:  # noqa: BLE001 - without its record the file is not indexed
            self._fail(i, exc)
            return
        (self.report.added if item.is_new else self.report.changed).append(item.record.source)

    def _fail(self, i: int, exc: Exception) -> None:
        """Report the file, remove every chunk of it and record the error (with no hash, so the next run retries)."""
        item = self.pending[i]
        self.failed.add(i)
        reason = f"index write failed: {type(exc).__name__}: {short_cause(exc)}"
        self.report.failed.append(SkippedFile(source=item.record.source, reason=reason))
        self.report.chunks_written -= len(self.written[i])
        record = item.record.model_copy(update={"hash": "", "chunks": 0, "status": "error", "error": reason})
        try:
            # Like an unreadable file, a file that cannot be written keeps no chunk: old, new or partial.
            self.index.delete_chunks(self.index.chunk_ids(item.record.source) | self.written[i] | item.old_ids)
            self.index.delete_sentences(item.record.source)
            self.index.put_file_record(record)
        except Exception:  # noqa: BLE001, S110 - the index itself is failing; the next run redoes this file
            pass
