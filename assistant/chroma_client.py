"""Opening Chroma, and telling its failures apart: a server that cannot be reached, a damaged
embedded folder (checked by SQLite itself, named with the rebuild command), anything else.

:func:`open_client` returns an embedded ``PersistentClient`` under ``index/`` or an ``HttpClient``
to a shared ``chroma run`` server; :func:`index_errors` turns Chroma failures that are no bug into
domain errors; :func:`set_aside_damaged` moves a damaged folder aside for a rebuild.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import chromadb
import chromadb.errors
import httpx
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings

from assistant.errors import IndexCorrupt, IndexError_, IndexUnavailable
from assistant.settings import IndexSettings

# The embedded index's database file (Chroma's layout), checked by SQLite itself when opening fails.
CHROMA_DB = "chroma.sqlite3"
REBUILD_HINT = "run `assistant index --rebuild` to rebuild it from the corpus"


def open_client(settings: IndexSettings) -> ClientAPI:
    """Open Chroma in the configured mode, with anonymized telemetry off.

    Raises :class:`IndexUnavailable` when the server cannot be reached and :class:`IndexCorrupt`
    when the embedded folder's database is damaged (named with the rebuild command)."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.mode == "server":
        try:
            return chromadb.HttpClient(host=settings.host, port=settings.port, settings=chroma_settings)
        except Exception as exc:  # noqa: BLE001 - chromadb raises plain Exception/ValueError subclasses here
            raise IndexUnavailable(_unreachable(settings, exc)) from exc
    try:
        settings.dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.dir), settings=chroma_settings)
    except Exception as exc:  # noqa: BLE001 - the Rust bindings raise InternalError, AttributeError, ...
        problem = damage(settings.dir)
        if problem is not None:
            raise IndexCorrupt(_damaged(settings, problem)) from exc
        raise IndexError_(f"cannot open Chroma ({settings.mode}) at {settings.dir}: {exc}") from exc


def _unreachable(settings: IndexSettings, exc: Exception) -> str:
    return f"the Chroma server at {settings.host}:{settings.port} cannot be reached ({type(exc).__name__}: {exc})"


def _damaged(settings: IndexSettings, problem: str) -> str:
    return f"the index folder {settings.dir} is damaged ({problem}); {REBUILD_HINT}"


def damage(folder: Path) -> str | None:
    """What SQLite's own check finds wrong with the embedded index's database, or None when it is sound
    (or absent). Called only after Chroma failed: the check reads the whole file."""
    database = folder / CHROMA_DB
    if not database.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return f"{CHROMA_DB}: {exc}"
    problems = [str(row[0]) for row in rows if row and row[0] != "ok"]
    return f"{CHROMA_DB}: {'; '.join(problems[:3])}" if problems else None


@contextmanager
def index_errors(settings: IndexSettings) -> Iterator[None]:
    """Turn Chroma failures that are no bug into domain errors: a lost connection to the server into
    :class:`IndexUnavailable` (the next request connects again) and, in embedded mode, a failure on a
    database SQLite finds damaged into :class:`IndexCorrupt`. Anything else is raised unchanged."""
    try:
        yield
    except httpx.TransportError as exc:  # the HTTP client's connect, read and protocol errors
        if settings.mode != "server":
            raise  # not Chroma's: the embedded index speaks no HTTP
        raise IndexUnavailable(_unreachable(settings, exc)) from exc
    except chromadb.errors.ChromaError as exc:
        problem = damage(settings.dir) if settings.mode == "embedded" else None
        if problem is None:
            raise
        raise IndexCorrupt(_damaged(settings, problem)) from exc


def set_aside_damaged(settings: IndexSettings) -> Path | None:
    """Move a damaged embedded index folder aside (``<dir>.damaged-<time>``, kept for inspection) so a
    rebuild starts from an empty one; returns where it went, None when there was nothing to move."""
    if settings.mode != "embedded" or not settings.dir.exists():
        return None
    target = settings.dir.with_name(f"{settings.dir.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    settings.dir.rename(target)
    # chromadb keeps one system per path in the process, also a half-built one from the failed open.
    chromadb.api.client.SharedSystemClient.clear_system_cache()
    return target
