"""The ``translate`` step: the extractive answer's best sentences, translated by the model.

When every model reply was turned down but the evidence is strong, the asker can still get the
passages' own statements in their language: each chosen sentence is translated on its own
(``prompts/translate.txt``) and cited to its passage. The step is all or nothing: one translation
that drops a figure or concept (:func:`~assistant.answer.citations.faithful_translation`), or an
answer not verified or not in the asker's language, turns it down, and the quotes are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

from langchain_core.language_models import BaseChatModel

from assistant.answer.citations import faithful_translation, strip_markers, tidy_reply
from assistant.answer.constants import LEAD_INS, TRANSLATED_NOTICES, localized
from assistant.answer.events import AnswerEvent, TokenEvent
from assistant.answer.extractive import Candidate, select_sentences
from assistant.answer.prompts import PromptSet
from assistant.answer.refusal import is_refusal_output
from assistant.answer.replies import stream_reply
from assistant.answer.text import quote_line
from assistant.answer.turn import Turn
from assistant.language import language_name, written_in
from assistant.settings import AnswerSettings
from assistant.types import Answer, Attempt

# (turn, text, first token ms, notice) -> the verified answer (the pipeline's ``_finish`` in its mode).
Finish = Callable[[Turn, str, "float | None", "str | None"], Answer]


def translated_quotes(
    turn: Turn,
    llm: BaseChatModel,
    candidates: list[Candidate],
    prompts: PromptSet,
    settings: AnswerSettings,
    finish: Finish,
    first_token_ms: float | None,
    attempts: list[Attempt],
) -> Generator[AnswerEvent, None, Answer | None]:
    """Stream the translations of the best of ``candidates`` (scored on the turn's passages); return the
    answer, or None when the step is turned down. The step is added to ``attempts`` either way."""
    started = turn.clock.ms()
    chosen = select_sentences(candidates, scoring=settings.scoring)
    lines = [localized(LEAD_INS, turn.language)]

    def turned_down(reason: str) -> None:
        attempts.append(Attempt(step="translate", accepted=False, reasons=[reason], reply="\n".join(lines[1:]),
                                ms=turn.clock.ms() - started))  # fmt: skip

    for candidate in chosen[: settings.checks.translated_sentences]:
        yield TokenEvent("\n\n" if len(lines) == 1 else "\n")
        prompt = prompts.render_translate(sentence=candidate.text, language_name=language_name(turn.language))
        text, first, _ = yield from stream_reply(llm, prompts.system, prompt, turn.clock)
        first_token_ms = first_token_ms if first_token_ms is not None else first
        text = " ".join(strip_markers(tidy_reply(text)).split())
        if not text or is_refusal_output(text) or not faithful_translation(candidate.text, text, settings.checks):
            turned_down(f"no faithful translation of: {candidate.text[:80]}")
            return None
        lines.append(quote_line(text, candidate.index + 1))
    if len(lines) == 1:
        turned_down("no sentence to translate")
        return None
    body = "\n".join(lines)
    answer = finish(turn, body, first_token_ms, localized(TRANSLATED_NOTICES, turn.language))
    if answer.verified_claims < answer.claims or not written_in(strip_markers(body), turn.language):
        turned_down(f"{answer.verified_claims}/{answer.claims} claims verified")
        return None
    attempts.append(Attempt(step="translate", accepted=True, reply=body, ms=turn.clock.ms() - started))
    return answer
