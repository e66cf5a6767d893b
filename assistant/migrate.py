"""From one laptop to shared services: copy the embedded index to a Chroma server, SQLite feedback to PostgreSQL.

``assistant migrate index`` copies every collection of an embedded Chroma index (the chunks, the file
records, the sentence vectors) with its ids, documents, embeddings and metadata, in batches, to a
``chroma run`` server; ``assistant migrate feedback`` copies the feedback rows from one SQLAlchemy URL
(the laptop's SQLite file) to another (PostgreSQL). Nothing is re-embedded and nothing is deleted.

Both are idempotent: a record is copied only when its id is missing at the target, so running again
— or after an interrupted run — copies what is left and duplicates nothing; records already at the
target stay as they are. A dry run only counts. The file records are copied last, so an interrupted
index copy never marks a file as indexed whose chunks are not there yet.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection

from assistant.chroma_client import open_client
from assistant.errors import AssistantError
from assistant.feedback import FeedbackStore, normalise_url, safe_url
from assistant.index import _INDEX_RECORD
from assistant.settings import IndexSettings

# (what, done, total): called after each batch.
Progress = Callable[[str, int, int], None]

FEEDBACK_BATCH_SIZE = 500  # feedback rows per target transaction: any size works; this keeps each one short
FILES_SUFFIX = "__files"  # the collection of file records (assistant/index.py), copied last
EMBEDDED_DB = "chroma.sqlite3"  # the file an embedded Chroma index keeps in its folder


class MigrateError(AssistantError):
    """A migration could not start or could not finish."""


@dataclass(frozen=True)
class CopyCount:
    """One collection (or the feedback table): records at the source, found at the target, copied."""

    name: str
    source: int
    present: int  # already at the target before this run: left as they are
    copied: int  # written by this run (0 in a dry run)

    @property
    def missing(self) -> int:
        """Records this run found missing at the target (copied, unless it was a dry run)."""
        return self.source - self.present


@dataclass
class MigrationReport:
    source: str
    target: str
    dry_run: bool
    items: list[CopyCount] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def copied(self) -> int:
        return sum(item.copied for item in self.items)

    @property
    def missing(self) -> int:
        return sum(item.missing for item in self.items)


def _batches(ids: Sequence[str], size: int) -> list[Sequence[str]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


# -- the index ----------------------------------------------------------------------------------


def migrate_index(
    source_dir: Path,
    target: IndexSettings,
    *,
    batch_size: int,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MigrationReport:
    """Copy every collection of the embedded index in ``source_dir`` to the Chroma server ``target`` names."""
    started = time.perf_counter()
    source_dir = Path(source_dir)
    if not (source_dir / EMBEDDED_DB).exists():
        raise MigrateError(
            f"no embedded index in {source_dir}: build one with `assistant index`, or name it with --from-dir"
        )
    source_client = open_client(IndexSettings(mode="embedded", dir=source_dir))
    target = target.model_copy(update={"mode": "server"})
    target_client = open_client(target)
    report = MigrationReport(str(source_dir), f"chroma server {target.host}:{target.port}", dry_run)
    try:
        sources = sorted(source_client.list_collections(), key=lambda c: (c.name.endswith(FILES_SUFFIX), c.name))
        existing = {c.name for c in target_client.list_collections()}
        size = max(1, min(batch_size, source_client.get_max_batch_size(), target_client.get_max_batch_size()))
        for source in sources:
            _check_compatible(source, target_client, existing)
        for source in sources:
            report.items.append(
                _copy_collection(source, target_client, source.name in existing, size, dry_run, progress)
            )
    except MigrateError:
        raise
    except Exception as exc:  # noqa: BLE001 - chromadb raises plain Exception/ValueError/httpx errors; wrapped here
        raise MigrateError(f"copying the index to {report.target} failed: {exc}") from exc
    report.seconds = time.perf_counter() - started
    return report


def _space(collection: Collection) -> str | None:
    config = collection.configuration_json or {}
    return (config.get("hnsw") or config.get("spann") or {}).get("space")


def _check_compatible(source: Collection, target_client: ClientAPI, existing: set[str]) -> None:
    """Refuse to mix: another distance, or vectors of another embedding model, at the target."""
    if source.name not in existing:
        return
    target = target_client.get_collection(source.name)
    if _space(target) != _space(source):
        raise MigrateError(
            f"collection {source.name!r} on the server measures distance by {_space(target)!r}, the index by "
            f"{_space(source)!r}: delete it on the server or migrate to another one"
        )
    if source.name.endswith(FILES_SUFFIX):
        ours, theirs = (_model_record(c) for c in (source, target))
        if ours and theirs and ours != theirs:
            raise MigrateError(
                f"the server's index was built with embedding model {theirs!r}, this one with {ours!r}; their "
                "vectors cannot be mixed: migrate to another server or collection"
            )


def _model_record(collection: Collection) -> str | None:
    got = collection.get(ids=[_INDEX_RECORD], include=["metadatas"])
    metadatas = got["metadatas"] or []
    return metadatas[0].get("embedding_model") if got["ids"] and metadatas and metadatas[0] else None


def _create_like(source: Collection, target_client: ClientAPI) -> Collection:
    config = source.configuration_json or {}
    create = {key: config[key] for key in ("hnsw", "spann") if config.get(key)}
    return target_client.get_or_create_collection(
        source.name, configuration=create or None, metadata=source.metadata or None
    )


def _copy_collection(
    source: Collection, target_client: ClientAPI, exists: bool, size: int, dry_run: bool, progress: Progress | None
) -> CopyCount:
    ids = source.get(include=[])["ids"]
    target = target_client.get_collection(source.name) if exists else None
    if target is None and not dry_run:
        target = _create_like(source, target_client)
    present = copied = done = 0
    for batch in _batches(ids, size):
        found = set(target.get(ids=list(batch), include=[])["ids"]) if target is not None and exists else set()
        present += len(found)
        missing = [i for i in batch if i not in found]
        if missing and not dry_run and target is not None:
            got = source.get(ids=missing, include=["documents", "embeddings", "metadatas"])
            documents = got["documents"] or []
            metadatas = got["metadatas"] or []
            target.upsert(
                ids=got["ids"],
                embeddings=got["embeddings"],
                documents=documents if any(d is not None for d in documents) else None,
                metadatas=metadatas if any(m for m in metadatas) else None,
            )
            copied += len(got["ids"])
        done += len(batch)
        if progress:
            progress(source.name, done, len(ids))
    if not dry_run and target is not None and target.count() < len(ids):
        raise MigrateError(f"collection {source.name!r}: {target.count()} records on the server, {len(ids)} expected")
    return CopyCount(source.name, len(ids), present, copied)


# -- feedback -----------------------------------------------------------------------------------


def migrate_feedback(
    source_url: str,
    target_url: str,
    *,
    batch_size: int = FEEDBACK_BATCH_SIZE,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MigrationReport:
    """Copy the feedback rows of ``source_url`` missing at ``target_url`` (oldest first)."""
    started = time.perf_counter()
    if normalise_url(source_url) == normalise_url(target_url):
        raise MigrateError(f"the feedback source and target are the same: {safe_url(source_url)}")
    if source_url.startswith("sqlite:///") and not Path(source_url.removeprefix("sqlite:///")).exists():
        raise MigrateError(f"no feedback database at {source_url.removeprefix('sqlite:///')}")
    source = FeedbackStore(source_url, create_schema=False)
    target = FeedbackStore(target_url, create_schema=not dry_run)
    report = MigrationReport(safe_url(source.url), safe_url(target.url), dry_run)
    try:
        records = list(reversed(source.records()))
        present = copied = done = 0
        for batch in _batches(records, batch_size):
            found = target.stored_ids(r.id for r in batch)
            present += len(found)
            if not dry_run:
                copied += target.add_missing(r for r in batch if r.id not in found)
            done += len(batch)
            if progress:
                progress("feedback", done, len(records))
        report.items.append(CopyCount("feedback", len(records), present, copied))
    finally:
        source.close()
        target.close()
    report.seconds = time.perf_counter() - started
    return report
