"""ragas' faithfulness and answer relevance, computed by any LangChain chat model and embedder.

ragas (the ``judge`` extra) is imported here and nowhere else, so the rest of the package never
needs it. Its metrics talk to the model through ``InstructorBaseRagasLLM`` (a prompt string in,
a validated pydantic object out); :class:`ChatModelLLM` implements that on a LangChain chat
model by asking for JSON and validating the reply, so the judge can be the local model, Ollama
or any OpenAI-compatible endpoint, and tests can drive it with LangChain's fake chat models.

Two things are set before ragas loads: its usage tracking is switched off
(``RAGAS_DO_NOT_TRACK``), and, because ragas 0.4.3 imports
``langchain_community.chat_models.vertexai``, which langchain-community 0.4 no longer ships
(ragas issue #2745; ragas uses the class only in an ``isinstance`` list), an empty stand-in
module is registered when the real one is missing.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import math
import os
import re
import sys
import threading
import types
import warnings
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models.chat_models import BaseChatModel

#: Set (unless already set) before ragas is imported: no usage events leave the machine.
RAGAS_ENV = {"RAGAS_DO_NOT_TRACK": "true"}
_VERTEX = "langchain_community.chat_models.vertexai"


def _prepare_import() -> None:
    for key, value in RAGAS_ENV.items():
        os.environ.setdefault(key, value)
    with warnings.catch_warnings():  # langchain-community's package-wide "being sunset" notice
        warnings.simplefilter("ignore", DeprecationWarning)
        missing = importlib.util.find_spec(_VERTEX) is None
    if missing and _VERTEX not in sys.modules:
        stand_in = types.ModuleType(_VERTEX)
        stand_in.ChatVertexAI = type("ChatVertexAI", (), {})  # type: ignore[attr-defined]
        sys.modules[_VERTEX] = stand_in


_prepare_import()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import ragas
    from ragas.embeddings.base import BaseRagasEmbedding
    from ragas.llms.base import InstructorBaseRagasLLM
    from ragas.metrics.collections import AnswerRelevancy, Faithfulness

LIBRARY = f"ragas {ragas.__version__}"
SYSTEM_PROMPT = "You are a strict evaluator. Reply with one JSON object that follows the given schema, and nothing else."
_CITATION = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)
T = TypeVar("T", bound=BaseModel)


class JudgeReplyError(ValueError):
    """The judge model's reply was not the JSON object the prompt asked for."""


def parse_reply(text: str, schema: type[T]) -> T:
    """The first-to-last-brace JSON object of ``text`` (code fences allowed), validated against ``schema``."""
    body = _FENCE.sub("", text.strip())
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end < start:
        raise JudgeReplyError(f"no JSON object in the judge's reply: {text[:80]!r}")
    try:
        return schema.model_validate(json.loads(body[start : end + 1]))
    except ValueError as exc:  # JSONDecodeError and ValidationError are both ValueErrors
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise JudgeReplyError(f"judge reply does not fit {schema.__name__}: {first}") from exc


def _text(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):  # content blocks
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content)


class ChatModelLLM(InstructorBaseRagasLLM):
    """ragas' structured-output LLM on a LangChain chat model: the prompt asks for JSON, the reply is validated."""

    def __init__(self, model: BaseChatModel) -> None:
        self.model = model

    def _messages(self, prompt: str) -> list[tuple[str, str]]:
        return [("system", SYSTEM_PROMPT), ("human", prompt)]

    def generate(self, prompt: str, response_model: type[T]) -> T:  # type: ignore[override]
        return parse_reply(_text(self.model.invoke(self._messages(prompt))), response_model)

    async def agenerate(self, prompt: str, response_model: type[T]) -> T:  # type: ignore[override]
        return parse_reply(_text(await self.model.ainvoke(self._messages(prompt))), response_model)


class EmbeddingsAdapter(BaseRagasEmbedding):
    """ragas' embedding interface on LangChain embeddings; every text is embedded as a query (same prompt both sides)."""

    def __init__(self, embeddings: Embeddings) -> None:
        super().__init__()
        self.embeddings = embeddings

    def embed_text(self, text: str, **kwargs: Any) -> list[float]:
        return self.embeddings.embed_query(text)

    async def aembed_text(self, text: str, **kwargs: Any) -> list[float]:
        return self.embed_text(text)


def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run ``coro`` to completion from sync code, in a fresh thread when this one already has an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="ragas-judge")
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _value(result: Any) -> float | None:
    """A metric result as a float in [0, 1]; None for NaN (e.g. no statements in the answer)."""
    value = float(getattr(result, "value", result))
    return None if math.isnan(value) else min(1.0, max(0.0, value))


def strip_citations(answer: str) -> str:
    """The answer without its ``[n]`` citation markers (they are not claims)."""
    return _CITATION.sub("", answer).strip()


class RagasJudge:
    """Faithfulness (``ragas.metrics.collections.Faithfulness``) and answer relevance (``AnswerRelevancy``).

    ``embeddings`` is called once, when answer relevance is first needed.
    """

    library = LIBRARY

    def __init__(self, model: BaseChatModel, embeddings: Callable[[], Embeddings], relevance_questions: int = 3) -> None:
        self._llm = ChatModelLLM(model)
        self._faithfulness = Faithfulness(llm=self._llm)
        self._embeddings = embeddings
        self._relevance: AnswerRelevancy | None = None
        self.relevance_questions = relevance_questions

    def faithfulness(self, question: str, answer: str, contexts: list[str]) -> float | None:
        """Share of the answer's statements that the contexts support."""
        return _value(_run(self._faithfulness.ascore(
            user_input=question, response=strip_citations(answer), retrieved_contexts=contexts)))

    def answer_relevance(self, question: str, answer: str) -> float | None:
        """Mean cosine between the question and questions generated back from the answer (0 if all noncommittal)."""
        if self._relevance is None:
            self._relevance = AnswerRelevancy(llm=self._llm, embeddings=EmbeddingsAdapter(self._embeddings()),
                                              strictness=self.relevance_questions)
        return _value(_run(self._relevance.ascore(user_input=question, response=strip_citations(answer))))
