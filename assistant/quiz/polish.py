"""The quiz's LLM mode: a chat model rewords a template-written item, which is then checked like any item.

The templates write every item first (:mod:`assistant.quiz.writers`). With a model, :class:`Polisher` asks
it (``prompts/quiz_polish.txt``) for the stem in the quiz language, more naturally, saying from the cited
passage what the question is about, and for one sentence explaining the key. The model never writes the
options or the key: they stay the facts' values. The passage shown is the fact's checked rendering in the
quiz language when it has one, else the verbatim quote (in any language); the item keeps citing the verbatim
quote in the source's language. The template's stem is shown without a bracketed file path (a template names
a document in another language by its path, which means nothing to a learner).

A reworded stem must first pass the checks of a rewording (:func:`~assistant.quiz.rewording.stem_problems`), then every check of an
item (:func:`~assistant.quiz.checks.check_all`, given as ``check``):

- ``llm.format`` / ``llm.empty`` / ``llm.unchanged`` / ``llm.too_long``: the reply has no stem line, an empty
  one, the template's stem itself, or one longer than ``quiz.polish_max_chars``;
- ``llm.language``: the stem is not in the quiz language (:func:`assistant.language.detect_language`, file
  paths and dates left out), or holds letters of a script the template's stem does not (a Cyrillic letter
  inside a Vietnamese word);
- ``llm.key_in_stem``: the stem states the key, or a near form of it that the template's stem did not hold
  (a date's day and month without its year, a number with or without its percent sign, ``quiz.polish_name_run``
  consecutive words of an actor's name); for a false statement, the true value;
- ``llm.value_missing``: a true/false statement no longer states the value it is checked for;
- ``llm.figures``: a date or number that neither the template's stem nor the passage states (changed or made
  up), or one of the template's stem that the rewording dropped (it gave the question its context);
- ``llm.subject_lost``: a stem written from a list row no longer names the row's task;
- ``llm.asks_other``: a question (not a cloze) says none of the words a question for its key's kind says in
  the quiz language (``asks`` in ``templates.yaml``: "ngày", "bao nhiêu", "cơ quan", …);
- ``llm.no_blank`` / ``llm.not_question`` / ``llm.not_statement``: a fill-in-the-blank (short answer) item
  lost the template's blank marker, a question is neither a question nor a cloze (another type may turn the
  template's blanked sentence into a direct question), a statement got a blank or a question mark.

The explanation sentence is checked apart (``llm.explanation_*``: empty, too long, not in the quiz language,
not stating the key, a figure the item does not back); a good one is put before the template's explanation,
which keeps the source and its quote. A stem that fails keeps the template's item; each try is recorded on
the item as an :class:`~assistant.quiz.items.Attempt` with the reasons it was turned down. When the model
cannot be reached (:class:`~assistant.errors.ModelUnavailable`), :attr:`Polisher.notice` says so and no
further item of the build asks it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, NamedTuple

from langchain_core.language_models import BaseChatModel

from assistant.answer.prompts import PromptSet
from assistant.answer.replies import invoke_reply
from assistant.errors import ModelUnavailable
from assistant.facts.model import Evidence, Fact
from assistant.language import language_name
from assistant.quiz.distractors import key_of
from assistant.quiz.errors import QuizItemError
from assistant.quiz.items import Attempt, DropReason, QuizItem
from assistant.quiz.request import ItemSource
from assistant.quiz.rewording import PATH_IN_BRACKETS, drop_reason, explanation_problems, stem_problems
from assistant.quiz.templates import Templates
from assistant.quiz.writers import Draft
from assistant.settings import QuizSettings

# The labels of the reply's two lines, shared with the prompt (filled into it).
STEM_LABEL = "QUESTION"
EXPLANATION_LABEL = "EXPLANATION"
# How the prompt states a true/false item's answer (the prompt is in English).
TRUE_ANSWER = "true: the statement agrees with the passage"
FALSE_ANSWER = "false: the passage gives {value}"
# A template item failing only these checks may pass once its stem names its subject: it is reworded too.
CURABLE = frozenset({"retrieval.not_found"})

Check = Callable[[QuizItem, ItemSource], list[DropReason]]
_REPLY_LINE = re.compile(
    rf"^[\s*#>_-]*({STEM_LABEL}|{EXPLANATION_LABEL})[\s*_]*:[\s*_]*(.*?)[\s*_]*$", re.IGNORECASE
)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUOTES = ('"', "'", "“", "”", "«", "»")


class Polished(NamedTuple):
    """The reworded item and its source when one passed every check (else None), and every try."""

    draft: Draft | None
    attempts: list[Attempt]


def curable(reasons: Sequence[DropReason]) -> bool:
    """Whether a template item with these failures is worth rewording: it passed, or only failed checks a
    better-worded stem may pass (:data:`CURABLE`)."""
    return all(reason.code in CURABLE for reason in reasons)


def _tidy(text: str) -> str:
    """One line, no control characters, no quotes around the whole."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    while len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


def parse_reply(reply: str) -> tuple[str, str]:
    """The stem and the explanation of a reply written as two labelled lines (either may be "")."""
    found: dict[str, str] = {}
    for line in reply.splitlines():
        match = _REPLY_LINE.match(line)
        if match:
            found.setdefault(match.group(1).upper(), _tidy(match.group(2)))
    return found.get(STEM_LABEL, ""), found.get(EXPLANATION_LABEL, "")


def with_blank(text: str, blank: str) -> str:
    """``text`` with any run of three or more of the blank's character written as the template's blank."""
    if not blank or len(set(blank)) != 1:
        return text
    return re.sub(rf"{re.escape(blank[0])}{{3,}}", blank, text)


def capped(llm: BaseChatModel, max_tokens: int) -> BaseChatModel:
    """``llm`` replying at most ``max_tokens`` tokens, for models that take the setting (llama.cpp, OpenAI,
    Ollama); a copy sharing the loaded model. Any other model is returned as it is."""
    fields = type(llm).model_fields
    for name in ("max_tokens", "num_predict"):
        if name in fields:
            return llm.model_copy(update={name: max_tokens})
    return llm


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _reworded(draft: Draft, stem: str) -> Draft:
    """The draft with ``stem`` in place of the template's (its id recomputed, its search target asked anew)."""
    item = draft.item.revised(stem=stem)
    targets = [target.model_copy(update={"query": stem}) for target in draft.source.targets]
    return Draft(item, draft.source.model_copy(update={"targets": targets}))


@dataclass
class Polisher:
    """Rewords template items with ``llm`` (see the module docstring); one per build."""

    llm: BaseChatModel
    prompts: PromptSet
    templates: Templates
    settings: QuizSettings
    lock: AbstractContextManager[Any] | None = None  # the local model serves one request at a time
    notice: str = ""  # set when the model could not be reached: no further request in this build

    def __post_init__(self) -> None:
        self.llm = capped(self.llm, self.settings.polish_max_tokens)

    def passage(self, fact: Fact, evidence: Evidence, source: ItemSource, language: str) -> str:
        """What the model reads: the fact's rendering in the quiz language, else the cited quote (cut)."""
        text = fact.renderings.get(language) if source.mode == "rendering" else None
        return _cut(text or evidence.quote, self.settings.polish_passage_chars)

    def answer(self, item: QuizItem, fact: Fact, source: ItemSource) -> str:
        """The key as the prompt states it (a true/false item: its truth, and the passage's value when false)."""
        key = key_of(fact)
        written = key.write(item.language, self.templates) if key is not None else ""
        if item.type == "truefalse":
            return TRUE_ANSWER if item.truth else FALSE_ANSWER.format(value=written)
        return written

    def ask(self, prompt: str) -> str:
        with self.lock or nullcontext():
            return invoke_reply(self.llm, "", prompt)

    def polish(self, draft: Draft, fact: Fact, evidence: Evidence, check: Check) -> Polished:
        """Ask for a reworded stem up to ``quiz.polish_attempts`` times (each retry says why the last one was
        turned down); the first that passes the rewording checks and ``check`` is returned with its
        explanation. Nothing is asked once :attr:`notice` is set."""
        item, source = draft
        language = item.language
        blank = self.templates.blank
        passage = self.passage(fact, evidence, source, language)
        backing = [item.stem, passage, evidence.quote]
        attempts: list[Attempt] = []
        retry: list[str] = []
        for _ in range(self.settings.polish_attempts):
            if self.notice:
                break
            prompt = self.prompts.render_quiz_polish(
                stem=PATH_IN_BRACKETS.sub("", item.stem), passage=passage, answer=self.answer(item, fact, source),
                language_name=language_name(language), blank=blank, stem_label=STEM_LABEL,
                explanation_label=EXPLANATION_LABEL, retry=self.prompts.render_retry(retry),
            )  # fmt: skip
            try:
                reply = self.ask(prompt)
            except ModelUnavailable as exc:
                self.notice = (f"The language model could not be reached ({exc}); the remaining items keep the "
                               "templates' wording.")  # fmt: skip
                unavailable = drop_reason("llm.unavailable", f"the model could not be reached ({exc})")
                attempts.append(Attempt(draft=item.stem, reasons=[unavailable]))
                break
            stem, explanation = parse_reply(reply)
            stem = with_blank(stem, blank)
            if not stem and reply.strip():
                problems = [drop_reason("llm.format", f"the reply has no {STEM_LABEL} line")]
            else:
                asks = self.templates.asks[language][source.key_kind]
                problems = stem_problems(stem, item, source, fact, backing, blank, self.settings, asks)
            reworded = None
            if not problems:
                try:
                    reworded = _reworded(draft, stem)
                except QuizItemError as exc:
                    problems = [drop_reason("llm.invalid", f"{exc.field}: {exc.reason}")]
            if reworded is not None:
                problems = check(*reworded)
            if problems:
                attempts.append(Attempt(draft=item.stem, stem=stem, explanation=explanation, reasons=problems))
                retry = [problem.message for problem in problems]
                continue
            assert reworded is not None
            return Polished(self._finished(reworded, item.stem, explanation, fact, backing, attempts), attempts)
        return Polished(None, attempts)

    def _finished(self, reworded: Draft, draft: str, explanation: str, fact: Fact, backing: list[str],
                  attempts: list[Attempt]) -> Draft:  # fmt: skip
        """The reworded item (``draft``: the template's stem) marked as the model's, its explanation sentence
        first when it passes its checks; the kept attempt is appended to ``attempts``."""
        item = reworded.item
        problems = explanation_problems(explanation, key_of(fact), item.language, [*backing, item.explanation],
                                        self.settings)  # fmt: skip
        text = item.explanation if problems else f"{explanation} {item.explanation}".strip()
        attempts.append(Attempt(draft=draft, stem=item.stem, explanation=explanation, kept=True, reasons=problems))
        item = item.revised(explanation=text, written_by="llm", attempts=[a.model_dump() for a in attempts])
        return Draft(item, reworded.source)
