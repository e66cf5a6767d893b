"""Follow-up questions rewritten as standalone questions, using the chat history.

"còn giai đoạn hai thì sao?" or "who is responsible for that?" cannot be
searched as they are. With an LLM, ``prompts/condense.txt`` asks for a
standalone rewrite; without one (extractive mode), or when the LLM fails, the
key terms of the last user question are appended to a short or referring
follow-up. With no history nothing is rewritten and no LLM is called.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage

from assistant.answer.citations import strip_markers
from assistant.answer.constants import word_set
from assistant.answer.prompts import PromptSet
from assistant.language import language_name
from assistant.retrieval.text_norm import fold

log = logging.getLogger(__name__)

HistoryItem = tuple[str, str] | BaseMessage
# Turns of history given to the LLM, and characters kept of each turn.
MAX_TURNS = 4
MAX_TURN_CHARS = 300
# A follow-up with at most this many content words is completed from the previous question.
SHORT_FOLLOW_UP = 6
_USER_ROLES = {"user", "human"}
# Words that point back into the conversation (folded): "còn … thì sao", "đó", "that", "it", ...
_REFERRING = re.compile(
    r"\b(con|thi sao|do|nay|ay|no|ho|that|this|it|they|them|those|these|what about|and the|ca|cela|das|dies|eto|to)\b"
)
# Question and function words left out of the carried-over key terms (folded).
_FILLER = word_set(
    "ai gi nao bao nhieu may khi dau sao the la co khong duoc cua va cac nhung mot cho voi trong theo de "
    "ve tu den thi con do nay ay ra vao tai what which who whom when where why how many much is are was "
    "were does did do the a an of for to in on by and or that this it its they about with from be has "
    "have"
)


def normalise_history(history: Sequence[HistoryItem] | None) -> list[tuple[str, str]]:
    """``(role, text)`` pairs with role 'user' or 'assistant', from tuples or LangChain messages."""
    turns: list[tuple[str, str]] = []
    for item in history or []:
        if isinstance(item, BaseMessage):
            role, text = item.type, str(item.text)
        else:
            role, text = item
        role = "user" if role.lower() in _USER_ROLES else "assistant"
        if text and text.strip():
            turns.append((role, text.strip()))
    return turns


def format_history(turns: list[tuple[str, str]]) -> str:
    """The last :data:`MAX_TURNS` turns as ``User: …`` / ``Assistant: …`` lines, citations removed."""
    lines = []
    for role, text in turns[-MAX_TURNS:]:
        text = strip_markers(text).replace("\n", " ")
        if len(text) > MAX_TURN_CHARS:
            text = text[:MAX_TURN_CHARS].rsplit(" ", 1)[0] + " …"
        lines.append(f"{'User' if role == 'user' else 'Assistant'}: {text}")
    return "\n".join(lines)


def fallback_condense(question: str, turns: list[tuple[str, str]]) -> str:
    """Deterministic rewrite: the follow-up plus the key terms of the last user question.

    Applied only to a short follow-up or one with a referring word; a long,
    self-contained question is returned unchanged.
    """
    previous = next((text for role, text in reversed(turns) if role == "user"), None)
    if not previous:
        return question
    folded = fold(question)
    content = [w for w in re.findall(r"[^\W_]+", folded) if w not in _FILLER]
    if len(content) > SHORT_FOLLOW_UP and not _REFERRING.search(folded):
        return question
    seen = set(content)
    carried = []
    for word in re.findall(r"[^\W_][\w/.-]*", previous):
        key = fold(word)
        if key not in _FILLER and key not in seen:
            carried.append(word)
            seen.add(key)
    return f"{question.strip()} ({' '.join(carried)})" if carried else question


def _clean(output: str) -> str:
    """First non-empty line of the model's rewrite, without a label or quotes."""
    line = next((ln.strip() for ln in output.splitlines() if ln.strip()), "")
    line = re.sub(r"^(standalone question|question|câu hỏi)\s*:\s*", "", line, flags=re.IGNORECASE)
    return line.strip().strip("\"'“”«»").strip()


def condense_question(
    question: str,
    history: Sequence[HistoryItem] | None,
    llm: BaseChatModel | None,
    prompts: PromptSet,
    language: str,
) -> str:
    """A standalone version of ``question``; the question itself when there is no history."""
    turns = normalise_history(history)
    if not turns:
        return question
    if llm is None:
        return fallback_condense(question, turns)
    message = prompts.render_condense(
        question=question, history=format_history(turns), language_name=language_name(language)
    )
    try:
        output = llm.invoke([HumanMessage(message)])
    except Exception as exc:  # noqa: BLE001 - backends raise anything; the deterministic rewrite still works
        log.warning("condensing with the LLM failed (%s: %s); using the fallback", type(exc).__name__, exc)
        return fallback_condense(question, turns)
    rewritten = _clean(str(output.text))
    if not rewritten or len(rewritten) > 3 * len(question) + 300:
        return fallback_condense(question, turns)
    return rewritten
