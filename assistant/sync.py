"""Keep the index in sync with the corpus folder.

New files are added, changed files re-embedded and deleted files' chunks
removed, tracked by content hashes. A file's record is written only after all
of its chunks are, so a run killed half-way leaves the previous index usable
and the next run redoes exactly the unfinished files (chunk ids are stable, so
redoing never duplicates).
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
from assistant.settings import Settings
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
    chunks_total: int = 0
    files_indexed: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def scan_corpus(corpus_dir: Path, manifest_name: str) -> dict[str, Path]:
    """Every candidate file under the corpus folder, keyed by its relative path.

    Hidden files and folders, the manifest, and names starting with ``_`` or ``~$``
    (editor lock files) are not documents.
    """
    found: dict[str, Path] = {}
    if not corpus_dir.exists():
        return found
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if not path.is_file() or any(part.startswith((".", "_", "~$")) for part in rel.parts):
            continue
        if rel.as_posix() == manifest_name:
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


def entry_hash(manifest_entry: dict | None) -> str:
    """Hash of a file's manifest entry, so editing its metadata re-indexes it."""
    return hashlib.sha256(json.dumps(manifest_entry or {}, sort_keys=True, default=str).encode()).hexdigest()[:16]


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
    files = scan_corpus(corpus.dir, corpus.manifest)
    records = index.file_records()

    for source in sorted(set(records) - set(files)):
        index.delete_source(source)
        report.removed.append(source)

    pending: list[_Pending] = []
    for source, path in files.items():
        stat = path.stat()
        old = records.get(source)
        meta_digest = entry_hash(manifest.get(source))
        if old and old.size == stat.st_size and old.mtime == stat.st_mtime:
            digest = old.hash  # cheap path: bytes untouched since the last sync
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
    queue = [(i, c) for i, p in enumerate(pending) for c in p.chunks]
    remaining = [len(p.chunks) for p in pending]
    total = len(queue)

    def commit(i: int) -> None:
        item = pending[i]
        stale = item.old_ids - {c.id for c in item.chunks}
        index.delete_chunks(stale)
        index.put_file_record(item.record)
        (report.added if item.is_new else report.changed).append(item.record.source)

    for i, item in enumerate(pending):  # files that produced no chunk at all
        if not item.chunks:
            commit(i)
    for start in range(0, total, batch_size):
        batch = queue[start : start + batch_size]
        index.add_chunks([c for _, c in batch])
        report.chunks_written += len(batch)
        for i, _ in batch:
            remaining[i] -= 1
            if remaining[i] == 0:
                commit(i)
        if progress:
            progress(min(start + batch_size, total), total, "embedding chunks")
