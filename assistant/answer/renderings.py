"""Sources readable in the asker's language: a machine rendering of a cited sentence, checked for figures.

A Vietnamese official cannot read a German or Ukrainian passage. When a cited passage is in
another language than the interface, its quoted sentence is rendered in the interface language
by the language model (``prompts/translate.txt``), on demand (when a source preview opens),
never while the answer is written. The rendering is shown beside the original and labelled as
a machine translation that was not checked; its codes, dates, numbers and people's names are
compared with the original's (:func:`figure_mismatches`) and each difference is shown.
Renderings are cached by sentence and language (an SQLite LLM cache, ``answer.renderings_cache``).
"""

from __future__ import annotations

import threading
from contextlib import nullcontext
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel

from assistant.answer.citations import strip_markers, tidy_reply
from assistant.answer.prompts import PromptSet
from assistant.answer.replies import invoke_reply
from assistant.answer.text import figure_keys, mentions_number, person_names, small_numbers, terms
from assistant.errors import ModelUnavailable
from assistant.language import detect_language, language_name
from assistant.reasons import reason
from assistant.types import Answer, Citation


@dataclass(frozen=True)
class Rendering:
    """A sentence rendered in ``language``; ``text`` is None when none could be made, and ``note`` says why:
    "no model" (none configured), "model unavailable" or "no translation" (an empty reply)."""

    original: str
    language: str
    text: str | None = None
    mismatches: tuple[str, ...] = ()
    note: str = ""


def figure_mismatches(original: str, rendering: str) -> list[str]:
    """What the rendering does not carry over: codes, dates and numbers, small counts, people's names
    (compared phonetically, so "Trần Cẩm Tú" matches "Чан Кам Ту")."""
    problems = [reason("value_missing", value=key.split(":", 1)[1]) for key in sorted(figure_keys(original) - figure_keys(rendering))]
    problems += [reason("value_added", value=key.split(":", 1)[1])
                 for key in sorted(figure_keys(rendering) - figure_keys(original))]  # fmt: skip
    problems += [reason("value_missing", value=n) for n in sorted(small_numbers(original)) if not mentions_number(n, rendering)]
    rendered = terms(rendering)
    problems += [reason("person_missing", name=name) for name in person_names(original) if not terms(name) <= rendered]
    return problems


def foreign_citations(answer: Answer, lang: str) -> list[tuple[Citation, str]]:
    """The citations of ``answer`` whose quote is in another language than ``lang``, with that language."""
    found = []
    for citation in answer.citations:
        same = [c for c in answer.contexts if c.source == citation.source]
        context = next((c for c in same if citation.quote in c.text), same[0] if same else None)
        language = context.language if context is not None and context.language not in ("", "und") else None
        language = language or detect_language(citation.quote)
        if citation.quote and language != lang:
            found.append((citation, language))
    return found


class SourceRenderer:
    """Renders quoted sentences with a chat model (None: no rendering, with a note saying so)."""

    def __init__(self, llm: BaseChatModel | None, prompts: PromptSet, lock: threading.RLock | None = None) -> None:
        self.llm = llm
        self.prompts = prompts
        self.lock = lock  # the local model serves one request at a time

    def render(self, sentence: str, language: str) -> Rendering:
        """``sentence`` in ``language``; the original itself when it is already in that language."""
        if detect_language(sentence) == language:
            return Rendering(sentence, language, sentence)
        text, note = self.reply(self.prompts.render_translate(sentence=sentence, language_name=language_name(language)))
        if note:
            return Rendering(sentence, language, note=note)
        if not text:
            return Rendering(sentence, language, note="no translation")
        return Rendering(sentence, language, text, tuple(figure_mismatches(sentence, text)))

    def reply(self, prompt: str) -> tuple[str, str]:
        """The model's tidied reply to ``prompt`` (citation markers stripped, on one line) and "", or ""
        and why there is none: "no model" or "model unavailable". Other prompts than the translation
        (a fact's normalised wording, :mod:`assistant.facts.render`) share the model, cache and lock."""
        if self.llm is None:
            return "", "no model"
        try:
            with self.lock or nullcontext():
                reply = invoke_reply(self.llm, self.prompts.system, prompt)
        except ModelUnavailable:
            return "", "model unavailable"
        return " ".join(strip_markers(tidy_reply(reply)).split()), ""
