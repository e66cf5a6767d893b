"""The answer policy as declared steps, and the check that accepts or turns down each reply.

With a language model, :class:`~assistant.answer.pipeline.Answerer` runs these steps in
order and stops at the first accepted one:

1. ``answer`` — the answer prompt (``prompts/answer.txt``);
2. ``compose`` — asked again to restate the passages (``compose.txt``), told why the last
   reply was turned down; only when the evidence is strong (its best sentence would make an
   extractive answer);
3. ``cloze`` — for a question whose answer sentence can be framed with blanks (Vietnamese),
   asked to fill them in (``cloze.txt``); strong evidence only;
4. ``translate`` — the best sentences translated by the model (``answer.translate_quotes``);
5. ``foreign`` — a verified reply in another language than the asker's, with a notice;
6. ``quotes`` — the best sentences quoted (which refuses on weak evidence).

A reply is accepted only when every claim in it is verified and it gives every figure the
question asks for (:func:`reply_problems`).

Before any step, the ``gate`` may refuse: a figure, name or place of the question in no
passage, or no sentence scoring ``llm_min_support``.

Every step becomes an :class:`~assistant.types.Attempt` on the :class:`~assistant.types.Answer`,
with the reasons it was turned down.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.answer_types import gives_asked_figure, is_yes_no, says_yes_or_no
from assistant.answer.citations import DEFAULT_CHECKS, restates, strip_markers
from assistant.answer.cloze import filled_in, fills_blanks
from assistant.answer.events import DoneEvent
from assistant.language import written_in
from assistant.settings import CheckSettings
from assistant.types import Answer, Attempt

DECLINED = "declined"
NO_VERIFIED_CLAIM = "no verified claim"
UNSUPPORTED = "a claim its passage does not support"
BLANK_LEFT = "a blank left unfilled"
ECHO = "only repeats the question"
NO_FIGURE = "lacks the figure asked for"
LANGUAGE = "not in the asker's language"

# How a retry prompt tells the model why its last reply was turned down (prompts are in English).
RETRY_HINTS: dict[str, str] = {
    DECLINED: "it declined to answer, although the passages answer the question",
    NO_VERIFIED_CLAIM: "none of its sentences was supported by the passage it cited",
    UNSUPPORTED: "some of its sentences were not supported by the passage they cited; leave out what the passages do not say",
    BLANK_LEFT: "it left a blank unfilled",
    ECHO: "it only repeated the question",
    NO_FIGURE: "it did not give the number or date asked for",
    LANGUAGE: "it was not written in {language_name}",
}


@dataclass(frozen=True)
class Step:
    """One model step of the policy: its name and whether it needs strong evidence."""

    name: str
    strong_only: bool


MODEL_STEPS = (Step("answer", False), Step("compose", True), Step("cloze", True))


def reply_problems(
    question: str, language: str, answer: Answer | None, frame: str | None = None, checks: CheckSettings = DEFAULT_CHECKS
) -> list[str]:
    """Why a model reply cannot be the answer (empty when it can).

    ``answer`` is the reply as checked (None when the model declined or wrote nothing);
    ``frame`` is the cloze sentence the reply was asked to fill in, if any.
    """
    if answer is None:
        return [DECLINED]
    plain = strip_markers(answer.answer)
    problems: list[str] = []
    if answer.verified_claims == 0:
        problems.append(NO_VERIFIED_CLAIM)
    elif answer.verified_claims < answer.claims:  # a half-checked reply: the next step may give a whole one
        problems.append(UNSUPPORTED)
    if not fills_blanks(plain):
        problems.append(BLANK_LEFT)
    if restates(question, plain, checks) and not (is_yes_no(question) and says_yes_or_no(plain)):
        problems.append(ECHO)
    if not gives_asked_figure(question, plain):
        problems.append(NO_FIGURE)
    if not problems and answer.notice is not None:  # the checked answer is in another language
        problems.append(LANGUAGE)
    if not problems and frame is not None and not written_in(filled_in(frame, answer.answer), language):
        problems.append(LANGUAGE)  # a Portuguese sentence pasted into the blank
    return problems


def retry_hints(reasons: list[str], language_name: str) -> list[str]:
    """How a retry prompt (``prompts/retry.txt``) words ``reasons`` for the model."""
    return [RETRY_HINTS[r].format(language_name=language_name) for r in reasons if r in RETRY_HINTS]


def finished(answer: Answer, attempts: list[Attempt], first_verified_ms: float | None = None) -> DoneEvent:
    """The final answer with how it was made. Its first verified sentence reached the asker at
    ``first_verified_ms`` (checked while streaming) or reaches them now."""
    timings = answer.timings
    if answer.verified_claims:
        first = first_verified_ms if first_verified_ms is not None else timings.total_ms
        timings = timings.model_copy(update={"first_verified_ms": first})
    return DoneEvent(answer.model_copy(update={"attempts": attempts, "timings": timings}))
