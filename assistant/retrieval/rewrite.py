"""Query rewriting with the LLM: the question translated into corpus languages, for multi-query search.

The e5-small embedder matches a question to passages in its own language far better than
across languages, and BM25 needs the corpus's own words.
One LLM call translates the question into every language of
``retrieval.rewrite_languages`` other than its own (by default the languages most of the
indexed documents are written in, :func:`document_languages`); :func:`assistant.retrieval.search` then scores
all wordings and mixes them (``FusionWeights.variants``).

Rewrites are cached in a SQLite file (:mod:`assistant.models.llm_cache`, keyed by the
prompt and the model's parameters), so a question is translated once per model and prompt; the
cache is a file, shared by the CLI, the web app and evaluation runs.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from typing import TYPE_CHECKING

from assistant.retrieval.keys import extract_keys
from assistant.settings import RetrievalSettings

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


# retrieval.rewrite_min_length_ratio, for callers that pass none.
DEFAULT_MIN_LENGTH_RATIO = RetrievalSettings.model_fields["rewrite_min_length_ratio"].default

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
        min_length_ratio: float = DEFAULT_MIN_LENGTH_RATIO,
    ) -> None:
        self.llm = llm
        self.render = render
        self.languages = dict(languages)
        self.lock = lock
        self.min_length_ratio = min_length_ratio  # retrieval.rewrite_min_length_ratio

    def __call__(self, question: str) -> list[str]:
        from langchain_core.messages import HumanMessage

        from assistant.language import detect_language

        asked = detect_language(question)
        languages = {code: name for code, name in self.languages.items() if code != asked}
        if not languages:
            return []  # the documents are in the question's own language: nothing to translate into
        names = ", ".join(f"{name} ({code})" for code, name in languages.items())
        prompt = self.render(question, names)
        try:
            with self.lock or nullcontext():
                reply = self.llm.invoke([HumanMessage(prompt)])
        except Exception as exc:  # noqa: BLE001 - any backend failure: search with the original question only
            log.warning("query rewriting failed (%s: %s); searching the original question", type(exc).__name__, exc)
            return []
        rewrites = parse_rewrites(str(reply.text), languages)
        return [text for text in rewrites.values() if text.casefold() != question.casefold() and is_translation(question, text, self.min_length_ratio)]


def is_translation(question: str, text: str, min_length_ratio: float = DEFAULT_MIN_LENGTH_RATIO) -> bool:
    """Whether ``text`` can be a translation of ``question``: not shorter than ``min_length_ratio`` of it
    (``retrieval.rewrite_min_length_ratio``; shorter is an answer or a fragment), and with no number
    or date the question lacks. A small model sometimes answers instead ("70%", "… là ngày 31
    tháng 6"), or makes up a phone number to ask about, and searching an invented figure would
    pull in passages about it."""
    if len(text) < min_length_ratio * len(question):
        return False
    figures = {k for k in extract_keys(text) if k.startswith(("num:", "date:"))}
    return figures <= extract_keys(question)


def main_language(chunk_counts: Mapping[str, int], min_share: float) -> str | None:
    """The language of at least ``min_share`` of the indexed chunks (``{language: chunks}``, unknown ones
    counted in the total but never the main language); None when no language holds that share."""
    total = sum(chunk_counts.values())
    top = document_languages(chunk_counts, 1)
    return top[0] if top and total and chunk_counts[top[0]] / total >= min_share else None


def document_languages(chunk_counts: Mapping[str, int], limit: int) -> list[str]:
    """The ``limit`` languages with the most indexed chunks (``{language: chunks}``), unknown ones left out."""
    known = [(n, code) for code, n in chunk_counts.items() if code and code != "und" and n > 0]
    return [code for _, code in sorted(known, key=lambda item: (-item[0], item[1]))[:limit]]
