"""Query rewriting with the LLM: the question translated into corpus languages, for multi-query search.

The e5-small embedder matches English and Russian wording to the uk/ru/de/pt/es
articles better than Vietnamese wording, and BM25 needs the corpus's own words.
One LLM call translates the question into every language of
``retrieval.rewrite_languages``; :func:`assistant.retrieval.search` then scores
all wordings and mixes them (``FusionWeights.variants``).

Rewrites are cached with LangChain's ``SQLiteCache`` (keyed by the prompt and the
model's parameters), so a question is translated once per model and prompt; the
cache is a file, shared by the CLI, the web app and evaluation runs.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

_LINE = re.compile(r"^\s*[-*•]?\s*\(?([a-z]{2})\)?\s*[:：]\s*(.+?)\s*$")


def parse_rewrites(text: str, languages: Mapping[str, str]) -> dict[str, str]:
    """``{code: translation}`` from lines ``code: translation``; other lines and languages are ignored."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        m = _LINE.match(line)
        if m and m.group(1) in languages and m.group(1) not in found:
            value = m.group(2).strip().strip('"«»“”')
            if value:
                found[m.group(1)] = value
    return found


def sqlite_cached(llm: BaseChatModel, path: Path) -> BaseChatModel:
    """A copy of ``llm`` (sharing its client) whose calls are cached in the SQLite file ``path``."""
    with warnings.catch_warnings():  # langchain-community's package-wide "being sunset" notice
        warnings.simplefilter("ignore", DeprecationWarning)
        from langchain_community.cache import SQLiteCache

    path.parent.mkdir(parents=True, exist_ok=True)
    return llm.model_copy(update={"cache": SQLiteCache(database_path=str(path))})


class QueryRewriter:
    """Callable: question → its translations (the original question is not included).

    ``render(question, languages)`` builds the prompt (``PromptSet.render_rewrite``);
    ``languages`` maps codes to the names used in the prompt. ``lock`` serialises calls
    to a model that is not thread-safe (the in-process llama.cpp model). A failing
    model gives no rewrites (search falls back to the original question), never an error.
    """

    def __init__(
        self,
        llm: BaseChatModel,
        render: Callable[[str, str], str],
        languages: Mapping[str, str],
        lock: threading.Lock | None = None,
    ) -> None:
        self.llm = llm
        self.render = render
        self.languages = dict(languages)
        self.lock = lock

    def __call__(self, question: str) -> list[str]:
        from langchain_core.messages import HumanMessage

        names = ", ".join(f"{name} ({code})" for code, name in self.languages.items())
        prompt = self.render(question, names)
        try:
            with self.lock or nullcontext():
                reply = self.llm.invoke([HumanMessage(prompt)])
        except Exception as exc:  # noqa: BLE001 - any backend failure: search with the original question only
            log.warning("query rewriting failed (%s: %s); searching the original question", type(exc).__name__, exc)
            return []
        rewrites = parse_rewrites(str(reply.text), self.languages)
        return [text for text in rewrites.values() if text.casefold() != question.casefold()]
