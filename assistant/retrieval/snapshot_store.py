"""The lexical snapshot on disk: saved once per corpus version, loaded by every later process.

Where: ``<index.lexical_cache_dir or index.dir>/lexical-snapshots/<identity>/<key>/``. The identity
names the collection and Chroma's id for it (and, in server mode, the server), so two indexes
never share a folder and a rebuilt collection starts a new one. The key is
:func:`assistant.retrieval.lexical.corpus_key`; it is the folder's name *and* is recorded inside,
so a snapshot is loaded only for the exact corpus version it was built from.

What: ``chunks.json`` (id, text, metadata of each), ``keys.json``, ``embeddings.npy`` (unit rows, memory-
mapped when loaded), ``bm25/`` (``bm25s`` ``save``/``load``, memory-mapped) and ``snapshot.json``
(format, key, chunk count), written last. A snapshot is written to a temporary folder and renamed
into place, so a reader never sees half of one; an unreadable one is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import bm25s
import numpy as np

from assistant.index import CorpusIndex
from assistant.retrieval.lexical import SNAPSHOT_FORMAT, ChunkRows, Snapshot
from assistant.types import ChunkMeta

log = logging.getLogger(__name__)

FOLDER = "lexical-snapshots"
STALE_TMP_S = 3600  # temporary folders older than this were left by a process that died while writing
_META_FIELDS = frozenset(ChunkMeta.model_fields)


def location(index: CorpusIndex) -> Path:
    """The folder holding this index's saved snapshots (one subfolder per corpus key)."""
    settings = index.settings
    root = (settings.lexical_cache_dir or settings.dir) / FOLDER
    if settings.mode == "server":
        server = hashlib.sha256(f"{settings.host}:{settings.port}".encode()).hexdigest()[:12]
        return root / f"{settings.collection}-server-{server}-{index.collection_id}"
    return root / f"{settings.collection}-{index.collection_id}"


def _folder(store: Path, key: str) -> Path:
    return store / key[:32]


def saved(store: Path, key: str) -> bool:
    """Whether a snapshot for ``key`` is saved (by its record; :func:`load` checks the rest)."""
    try:
        meta = json.loads((_folder(store, key) / "snapshot.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return meta.get("format") == SNAPSHOT_FORMAT and meta.get("key") == key


def load(store: Path, key: str) -> Snapshot | None:
    """The snapshot saved for ``key``, or None (none saved, another key, or unreadable: then it is rebuilt)."""
    folder = _folder(store, key)
    meta_path = folder / "snapshot.json"
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != SNAPSHOT_FORMAT or meta.get("key") != key:
            log.warning("lexical snapshot in %s names another corpus version, rebuilding it", folder)
            return _discard(folder)
        rows = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
        if any(len(row) != 3 or set(row[2]) != _META_FIELDS for row in rows):
            raise ValueError("chunk rows of another shape")
        chunks = ChunkRows(rows)
        keys = [set(k) for k in json.loads((folder / "keys.json").read_text(encoding="utf-8"))]
        vectors_path = folder / "embeddings.npy"
        embeddings = np.load(vectors_path, mmap_mode="r") if vectors_path.is_file() else None
        bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=True, show_progress=False) if chunks else None
    except (OSError, ValueError, KeyError, TypeError) as exc:  # damaged or half-deleted: rebuild instead
        log.warning("lexical snapshot in %s unreadable, rebuilding it: %s", folder, exc)
        return _discard(folder)
    count = meta.get("chunks")
    if len(chunks) != count or len(keys) != count or (embeddings is not None and len(embeddings) != count):
        log.warning("lexical snapshot in %s is incomplete, rebuilding it", folder)
        return _discard(folder)
    return Snapshot(signature=key, chunks=chunks, keys=keys, embeddings=embeddings, bm25=bm25, source="loaded")


def _discard(folder: Path) -> None:
    """Remove a snapshot that cannot be used, so the rebuilt one takes its place."""
    shutil.rmtree(folder, ignore_errors=True)


def save(store: Path, snap: Snapshot) -> Path | None:
    """Write ``snap`` under its key (atomically) and remove the snapshots of older keys; None if it failed."""
    try:
        store.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=store))
    except OSError as exc:
        log.warning("lexical snapshot not saved in %s: %s", store, exc)
        return None
    target = _folder(store, snap.signature)
    try:
        rows = [[c.id, c.text, c.meta.model_dump()] for c in snap.chunks]
        (tmp / "chunks.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        del rows
        (tmp / "keys.json").write_text(json.dumps([sorted(k) for k in snap.keys]), encoding="utf-8")
        if snap.embeddings is not None:
            np.save(tmp / "embeddings.npy", np.asarray(snap.embeddings, dtype=np.float32))
        if snap.bm25 is not None:
            snap.bm25.save(str(tmp / "bm25"), show_progress=False)
        meta = {"format": SNAPSHOT_FORMAT, "key": snap.signature, "chunks": len(snap.chunks), "saved_at": time.time()}
        (tmp / "snapshot.json").write_text(json.dumps(meta), encoding="utf-8")
        os.rename(tmp, target)
    except OSError as exc:  # the disk is full, or another process saved the same key first (target exists)
        shutil.rmtree(tmp, ignore_errors=True)
        if not (target / "snapshot.json").is_file():
            log.warning("lexical snapshot not saved in %s: %s", store, exc)
            return None
    _prune(store, keep=target)
    return target


def _prune(store: Path, keep: Path) -> None:
    """Remove the snapshots of other keys, those of earlier collections of the same name (a rebuild gives the
    collection a new id), and temporary folders abandoned by dead writers."""
    identity = store.name[-36:]  # Chroma's collection id (a UUID) ends the store's name
    prefix = store.name[: -len(identity)]
    for sibling in store.parent.iterdir():
        rest = sibling.name[len(prefix) :]
        if sibling != store and sibling.name.startswith(prefix) and len(rest) == 36 and rest.count("-") == 4:
            shutil.rmtree(sibling, ignore_errors=True)
    now = time.time()
    for entry in store.iterdir():
        if entry == keep or not entry.is_dir():
            continue
        if entry.name.startswith(".tmp-") and now - entry.stat().st_mtime < STALE_TMP_S:
            continue  # another process may be writing it right now
        shutil.rmtree(entry, ignore_errors=True)
