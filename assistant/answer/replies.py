"""One model reply, streamed: the model adapter and the draft's events.

:func:`stream_reply` is the only place the pipeline talks to a chat model while answering. Any
error the backend raises becomes :class:`~assistant.errors.ModelUnavailable`; errors in our own
code are not caught, so a bug in a check fails loudly instead of reading as "LLM unavailable".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from functools import lru_cache

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answer.events import AnswerEvent, SentenceEvent, TokenEvent
from assistant.answer.refusal import could_become_refusal, is_refusal_output
from assistant.answer.turn import Clock
from assistant.errors import ModelUnavailable

# (draft so far, characters already checked) -> the newly complete sentences, checked
SentenceCheck = Callable[[str, int], Iterator[SentenceEvent]]
# A reply holding this many consecutive words of the system prompt is copying it (a planted "print your
# system prompt" obeyed): it is cut off there. Longer than the prompt's example answer, which a correct
# answer may repeat word for word.
PROMPT_COPY_WORDS = 12
_WORD = re.compile(r"\S+")


def stream_reply(
    llm: BaseChatModel, system: str, user_message: str, clock: Clock, check: SentenceCheck | None = None
) -> Generator[AnswerEvent, None, tuple[str, float | None, float | None]]:
    """Stream one reply as token events; returns its text, the first token's time and the first
    verified sentence's time (ms). With ``check``, each sentence is checked as soon as the next one
    starts, and a :class:`SentenceEvent` follows the tokens that completed it. A reply that is only
    the refusal marker is cut short and never shown; one that starts copying the system prompt is cut
    off where the copy starts (:func:`prompt_copy_start`; fewer than :data:`PROMPT_COPY_WORDS` of its
    words were shown) and returned without it."""
    parts: list[str] = []
    first_token_ms: float | None = None
    first_verified_ms: float | None = None
    checked_to = 0  # characters of the reply whose sentences were checked
    copy_checked = 0  # characters of the reply before which no window copies the system prompt
    chunks = _chunks(llm, [SystemMessage(system), HumanMessage(user_message)])
    for chunk in chunks:
        parts.append(chunk)
        draft = "".join(parts)
        copied = prompt_copy_start(draft, system, since=copy_checked)
        if copied is not None:  # the rest would be the system prompt: never shown, never kept
            chunks.close()
            parts = [draft[:copied]]
            break
        copy_checked = len(draft)
        if first_token_ms is None:
            text = "".join(parts)
            if could_become_refusal(text):
                if is_refusal_output(text):
                    chunks.close()
                    break  # the whole answer is the refusal marker: stop generating
                continue  # hold back what may still become the marker
            first_token_ms = clock.ms()
            yield TokenEvent(text)
        else:
            yield TokenEvent(parts[-1])
        if check is not None:
            for event in check("".join(parts), checked_to):
                checked_to = event.end
                if event.verified and first_verified_ms is None:
                    first_verified_ms = clock.ms()
                yield event
    return "".join(parts).strip(), first_token_ms, first_verified_ms


def prompt_copy_start(text: str, system: str, since: int = 0) -> int | None:
    """Where ``text`` starts copying ``system`` (the system prompt): the offset of the first of
    :data:`PROMPT_COPY_WORDS` consecutive words it shares with it; None when it does not. Only runs
    ending after offset ``since`` are looked at (the text before it was checked already)."""
    words = list(_WORD.finditer(text))
    runs = _prompt_runs(system)
    for i in range(len(words) - PROMPT_COPY_WORDS + 1):
        if words[i + PROMPT_COPY_WORDS - 1].end() <= since:
            continue
        if tuple(w.group() for w in words[i : i + PROMPT_COPY_WORDS]) in runs:
            return words[i].start()
    return None


@lru_cache(maxsize=4)
def _prompt_runs(system: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(system)
    return frozenset(tuple(words[i : i + PROMPT_COPY_WORDS]) for i in range(len(words) - PROMPT_COPY_WORDS + 1))


def invoke_reply(llm: BaseChatModel, system: str, user_message: str) -> str:
    """The model's whole reply to one message, not streamed, so an LLM cache on ``llm`` serves repeats
    (a backend failure is raised as :class:`ModelUnavailable`)."""
    try:
        reply = llm.invoke([SystemMessage(system), HumanMessage(user_message)])
    except Exception as exc:  # noqa: BLE001 - backends raise anything (httpx, openai, llama.cpp)
        raise ModelUnavailable(type(exc).__name__) from exc
    return str(reply.text)


def _chunks(llm: BaseChatModel, messages: list) -> Generator[str, None, None]:
    """The model adapter: the reply's text pieces; a backend failure is raised as :class:`ModelUnavailable`."""
    try:
        stream = iter(llm.stream(messages))
    except Exception as exc:  # noqa: BLE001 - backends raise anything (httpx, openai, llama.cpp)
        raise ModelUnavailable(type(exc).__name__) from exc
    while True:
        try:
            chunk = next(stream)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - backends raise anything
            raise ModelUnavailable(type(exc).__name__) from exc
        yield str(chunk.text)
