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
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answer.citations import strip_markers, tidy_reply
from assistant.answer.prompts import PromptSet
from assistant.answer.text import figure_keys, mentions_number, person_names, small_numbers, terms
from assistant.errors import ModelUnavailable
from assistant.language import detect_language, language_name


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
    problems = [f"{key.split(':', 1)[1]} is missing" for key in sorted(figure_keys(original) - figure_keys(rendering))]
    problems += [f"{key.split(':', 1)[1]} is not in the original"
                 for key in sorted(figure_keys(rendering) - figure_keys(original))]  # fmt: skip
    problems += [f"{n} is missing" for n in sorted(small_numbers(original)) if not mentions_number(n, rendering)]
    rendered = terms(rendering)
    problems += [f"the name {name} is missing" for name in person_names(original) if not terms(name) <= rendered]
    return problems


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
        if self.llm is None:
            return Rendering(sentence, language, note="no model")
        prompt = self.prompts.render_translate(sentence=sentence, language_name=language_name(language))
        messages = [SystemMessage(self.prompts.system), HumanMessage(prompt)]
        try:
            if self.lock is not None:
                with self.lock:
                    reply = self._invoke(messages)
            else:
                reply = self._invoke(messages)
        except ModelUnavailable:
            return Rendering(sentence, language, note="model unavailable")
        text = " ".join(strip_markers(tidy_reply(reply)).split())
        if not text:
            return Rendering(sentence, language, note="no translation")
        return Rendering(sentence, language, text, tuple(figure_mismatches(sentence, text)))

    def _invoke(self, messages: list) -> str:
        """The model adapter: a backend failure becomes :class:`ModelUnavailable`."""
        assert self.llm is not None
        try:
            return str(self.llm.invoke(messages).text)
        except Exception as exc:  # noqa: BLE001 - backends raise anything (httpx, openai, llama.cpp)
            raise ModelUnavailable(type(exc).__name__) from exc
