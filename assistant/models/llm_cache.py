"""A file cache for LLM calls: LangChain's ``SQLiteCache``, read safely and kept to a size.

Used for query rewrites (``retrieval.rewrite_cache``) and by the enrichment benchmark.
LangChain's own ``SQLiteCache`` revives cached replies with ``loads()`` and its default
allowlist (every core LangChain class, and a pending-deprecation warning on each hit),
and it grows without bound. :class:`BoundedSQLiteCache` keeps its table and its writes,
and changes two things, which its parent offers no parameter for:

* a cached reply is revived only as a chat generation holding an AI message
  (``allowed_objects``); anything else in the file is treated as a miss;
* after each write, only the newest ``max_entries`` rows are kept (first in, first out).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

DEFAULT_MAX_ENTRIES = 5000


def _sqlite_cache_class() -> type:
    with warnings.catch_warnings():  # langchain-community's package-wide "being sunset" notice
        warnings.simplefilter("ignore", DeprecationWarning)
        from langchain_community.cache import SQLiteCache
    return SQLiteCache


def bounded_sqlite_cache(path: Path, max_entries: int = DEFAULT_MAX_ENTRIES) -> Any:
    """A :class:`BoundedSQLiteCache` on the file ``path`` (created with its folder)."""
    from langchain_core.load import loads
    from langchain_core.messages import AIMessage, AIMessageChunk
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk
    from sqlalchemy import select, text
    from sqlalchemy.orm import Session

    allowed = [ChatGeneration, ChatGenerationChunk, AIMessage, AIMessageChunk]

    # Defined here, not at module level, so that importing this module does not import
    # langchain-community and SQLAlchemy (only a process that caches LLM calls needs them).
    class BoundedSQLiteCache(_sqlite_cache_class()):
        """``SQLiteCache`` that revives only AI replies and keeps the newest ``max_entries`` rows."""

        def lookup(self, prompt: str, llm_string: str) -> list | None:
            table = self.cache_schema
            stmt = (
                select(table.response).where(table.prompt == prompt, table.llm == llm_string).order_by(table.idx)
            )
            with Session(self.engine) as session:
                rows = session.execute(stmt).fetchall()
            if not rows:
                return None
            try:
                with warnings.catch_warnings():  # "`loads` is in beta": it is what SQLiteCache itself calls
                    warnings.filterwarnings("ignore", message=".*`loads` is in beta")
                    return [loads(row[0], allowed_objects=allowed) for row in rows]
            except Exception as exc:  # noqa: BLE001 - an unreadable or disallowed entry is a miss, not an error
                log.warning("ignoring an unreadable entry of the LLM cache %s (%s)", path, exc)
                return None

        def update(self, prompt: str, llm_string: str, return_val: list) -> None:
            super().update(prompt, llm_string, return_val)
            name = self.cache_schema.__tablename__
            with self.engine.begin() as conn:  # rowids grow with each insert: the lowest are the oldest
                conn.execute(
                    text(f"DELETE FROM {name} WHERE rowid NOT IN (SELECT rowid FROM {name} ORDER BY rowid DESC LIMIT :n)"),
                    {"n": max_entries},
                )

    path.parent.mkdir(parents=True, exist_ok=True)
    return BoundedSQLiteCache(database_path=str(path))


def sqlite_cached(llm: BaseChatModel, path: Path, max_entries: int = DEFAULT_MAX_ENTRIES) -> BaseChatModel:
    """A copy of ``llm`` (sharing its client) whose calls are cached in the SQLite file ``path``."""
    return llm.model_copy(update={"cache": bounded_sqlite_cache(path, max_entries)})
