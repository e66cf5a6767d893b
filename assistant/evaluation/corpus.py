"""Evaluate on a folder of one's own documents (``assistant eval SET --corpus DIR``).

The folder gets an embedded index of its own, kept in the cache under
``eval-indexes/<first 16 hex of the sha256 of the folder's absolute path>``, so a rerun
re-embeds only the files that changed (:func:`~assistant.sync.sync_corpus` is incremental
by content hash) and the configured corpus and index are never touched. The index is a
cache: one built with another embedding model is dropped and rebuilt.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.errors import IndexEmpty, IndexError_
from assistant.index import CorpusIndex
from assistant.settings import DEFAULT_CACHE, Settings
from assistant.sync import Progress, SyncReport, sync_corpus

#: Where the indexes of evaluation corpora live (tests point it at a temporary folder).
EVAL_INDEXES: Path = DEFAULT_CACHE / "eval-indexes"


def eval_index_dir(corpus_dir: Path, root: Path | None = None) -> Path:
    """The cached index folder of ``corpus_dir``: ``root`` (default :data:`EVAL_INDEXES`) / hash of its path."""
    key = hashlib.sha256(str(Path(corpus_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return (root or EVAL_INDEXES) / key


def corpus_overrides(corpus_dir: Path | None, root: Path | None = None) -> dict[str, object]:
    """``settings_from`` overrides that evaluate on ``corpus_dir`` (none when it is None): embedded, cached index."""
    if corpus_dir is None:
        return {}
    return {
        "corpus__dir": Path(corpus_dir).resolve(),
        "index__dir": eval_index_dir(corpus_dir, root),
        "index__mode": "embedded",
    }


@contextmanager
def eval_index_lock(corpus_dir: Path | None, root: Path | None = None,
                    on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the folder's cached index for one evaluation run (nothing to hold without a folder).

    Two runs on one folder share its cached index: a sync in one (a changed file, a new reader version)
    would rewrite the chunks the other is reading. A second run waits for the first (``on_wait`` is
    called once when it has to). An OS file lock: released when the run ends, however it ends.
    """
    if corpus_dir is None:
        yield
        return
    folder = eval_index_dir(corpus_dir, root)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.with_name(folder.name + ".lock"), "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sync_eval_index(index: CorpusIndex, settings: Settings, progress: Progress | None = None) -> SyncReport:
    """Bring ``index`` (the folder's cached index) in line with ``settings.corpus.dir``.

    ``report.failed`` lists every file that is not indexed, with its reason (also unchanged ones).
    """
    try:
        index.check_model()
    except IndexError_:
        index.reset()  # built with another embedding model: a cache, so re-embed
    return sync_corpus(index, settings, progress=progress)


def require_passages(index: CorpusIndex, settings: Settings) -> None:
    """Raise :class:`IndexEmpty` when ``index`` holds no passage (a run over it would score zero everywhere)."""
    if index.count() == 0:
        raise IndexEmpty(
            f"the index in {settings.index.dir} holds no passages: run `assistant index` first, "
            "or evaluate a folder of documents with --corpus DIR"
        )


def require_documents(report: SyncReport, corpus_dir: Path) -> None:
    """Raise ``IndexError_`` when the folder yielded no indexed document (every file skipped, or none)."""
    if report.files_indexed == 0:
        why = f"{len(report.failed)} file(s) skipped" if report.failed else "it holds no document"
        raise IndexError_(f"{corpus_dir}: nothing to evaluate on, {why}")
