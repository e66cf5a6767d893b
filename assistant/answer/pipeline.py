"""The answer pipeline: condense → retrieve → evidence → generate (or quote) → verify.

:class:`Answerer` is built from a retriever, a context expander, an optional
LangChain chat model and :class:`~assistant.settings.AnswerSettings`. With no
model (``llm: none``) answers are extractive; when the model fails (server
down, model file missing) the answer falls back to extractive with a notice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answer.answer_types import gives_asked_figure, is_yes_no, says_yes_or_no
from assistant.answer.citations import (
    check_answer,
    faithful_translation,
    restates,
    strip_markers,
    tidy_reply,
)
from assistant.answer.cloze import cloze_sentence, filled_in, fills_blanks
from assistant.answer.condense import HistoryItem, condense_question
from assistant.answer.constants import (
    LEAD_INS,
    LLM_FALLBACK_NOTICES,
    MODEL_DECLINED_NOTICES,
    NO_CLAIM_NOTICES,
    TRANSLATED_NOTICES,
    WRONG_LANGUAGE_NOTICES,
    localized,
)
from assistant.answer.contexts import Evidence, build_contexts, format_passages
from assistant.answer.events import AnswerEvent, DoneEvent, EvidenceEvent, TokenEvent
from assistant.answer.extractive import (
    Analysis,
    Candidate,
    Similarity,
    analyse,
    extractive_answer,
    select_sentences,
)
from assistant.answer.focus import focus_evidence
from assistant.answer.prompts import PromptSet, load_prompts
from assistant.answer.support import SupportChecker
from assistant.answer.refusal import (
    could_become_refusal,
    is_refusal_output,
    refusal_answer,
    weak_evidence,
)
from assistant.language import detect_language, language_name, written_in
from assistant.retrieval.glossary import equivalents
from assistant.settings import AnswerSettings
from assistant.types import Answer, Chunk, Context, SearchHit, Timings

log = logging.getLogger(__name__)

EXTRACTIVE = "extractive"
# When none of the model's replies is usable, at most this many of the best sentences are
# translated for the asker (each costs a generation of about its own length).
TRANSLATED_SENTENCES = 2


class _Clock:
    """Milliseconds since the question arrived."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def ms(self) -> float:
        return (time.perf_counter() - self.start) * 1000.0


@dataclass(frozen=True)
class _Turn:
    """One question on its way through the pipeline: what the answering steps share."""

    base: dict[str, Any]  # the Answer fields known up front: question, language, standalone_question
    standalone: str
    evidence: list[Evidence]
    clock: _Clock
    retrieval_ms: float

    @property
    def contexts(self) -> list[Context]:
        return [e.context for e in self.evidence]

    @property
    def language(self) -> str:
        return str(self.base["language"])

    def timings(self, first_token_ms: float | None = None) -> Timings:
        return Timings(retrieval_ms=self.retrieval_ms, first_token_ms=first_token_ms, total_ms=self.clock.ms())


class Answerer:
    """Answers questions from retrieved passages, streaming events (see :mod:`assistant.answer.events`).

    ``retrieve`` maps a question to ranked hits (ask for about twice
    ``settings.contexts`` hits: overlapping ones are merged away); ``expand``
    widens a chunk to its neighbours. ``mode`` names the backend for
    :attr:`Answer.mode` ('local', 'openai', 'ollama'; 'none' means extractive).
    """

    def __init__(
        self,
        retrieve: Callable[[str], list[SearchHit]],
        expand: Callable[[Chunk], str],
        llm: BaseChatModel | None,
        settings: AnswerSettings,
        mode: str,
        prompts: PromptSet | None = None,
        similarity: Similarity | None = None,
        translate: Callable[[str], list[str]] | None = None,
        support: SupportChecker | None = None,
    ) -> None:
        self.retrieve = retrieve
        self.similarity = similarity
        # Whether a cited passage supports a claim: the same embedding model, by default.
        self.support = support if support is not None else SupportChecker(similarity, settings.support)
        self.translate = translate  # the question's translations (cached by the rewriter that searched with them)
        self.expand = expand
        self.llm = llm
        self.settings = settings
        self.mode = EXTRACTIVE if llm is None or mode == "none" else mode
        self.prompts = prompts if prompts is not None else load_prompts()

    def ask(self, question: str, history: Sequence[HistoryItem] | None = None) -> Answer:
        """The finished answer (consumes :meth:`stream`)."""
        for event in self.stream(question, history):
            if isinstance(event, DoneEvent):
                return event.answer
        raise RuntimeError("answer stream ended without a result")  # unreachable: stream always ends with Done

    def stream(self, question: str, history: Sequence[HistoryItem] | None = None) -> Iterator[AnswerEvent]:
        """Evidence first, then answer tokens, then the verified :class:`Answer`."""
        clock = _Clock()
        language = detect_language(question)
        llm = self.llm if self.mode != EXTRACTIVE else None
        standalone = condense_question(question, history, llm, self.prompts, language)
        started = time.perf_counter()
        evidence = build_contexts(
            self.retrieve(standalone), self.expand, self.settings.contexts, self.settings.max_context_chars
        )
        found = [e.context for e in evidence]
        scoring = self.settings.scoring
        wordings = self.translate(standalone) if self.translate is not None and evidence else []
        analysis = analyse(standalone, found, language, scoring, self.similarity, wordings) if evidence else None
        refuse = (
            weak_evidence(found, self.settings.min_relevance)
            or (analysis is not None and analysis.missing_keys)
            or (llm is not None and self._unsupported(analysis))
        )
        if llm is not None and analysis is not None and not refuse:
            evidence = focus_evidence(evidence, analysis.candidates, self.settings.llm_context_chars, scoring)
        base = {"question": question, "language": language, "standalone_question": standalone if history else None}
        turn = _Turn(base, standalone, evidence, clock, (time.perf_counter() - started) * 1000.0)
        yield EvidenceEvent(turn.contexts, standalone, turn.retrieval_ms)

        if refuse:  # the closest passages are shown whole
            yield DoneEvent(
                refusal_answer(**base, prompts=self.prompts, contexts=turn.contexts, timings=turn.timings(),
                               mode=self.mode)
            )  # fmt: skip
            return
        if llm is None:
            candidates = analysis.candidates if analysis is not None else None  # scored on these very contexts
            yield from self._extractive(turn, self.mode, None, candidates=candidates)
            return
        strong = analysis is not None and (analysis.best_score or 0.0) >= scoring.min_support
        yield from self._generate(turn, llm, strong)

    def _unsupported(self, analysis: Analysis | None) -> bool:
        """True when no passage sentence scores enough to be worth an LLM call (``llm_min_support``),
        or a figure, name or (in the question's language) most of its words are in no passage:
        the 1.5B model, given loosely related passages, answers rather than refusing."""
        if analysis is None:
            return False
        if analysis.missing:  # a name, code or date of the question occurs in no passage
            return True
        best = analysis.best_score
        return best is not None and best < self.settings.llm_min_support

    def _extractive(
        self,
        turn: _Turn,
        mode: str,
        notice: str | None,
        refusal_mode: str | None = None,
        candidates: list[Candidate] | None = None,
    ) -> Iterator[AnswerEvent]:
        """Quote the best sentences; a refusal (in ``refusal_mode``, default ``mode``, without the
        notice when ``refusal_mode`` is given) when they are too weak. ``candidates``: the
        sentences already scored on exactly these contexts, if any."""
        text = extractive_answer(
            turn.standalone, turn.contexts, turn.language, candidates=candidates,
            scoring=self.settings.scoring, similarity=self.similarity,
        )  # fmt: skip
        if text is None:
            answer = refusal_answer(
                **turn.base, prompts=self.prompts, contexts=turn.contexts, timings=turn.timings(),
                mode=refusal_mode or mode, notice=None if refusal_mode else notice,
            )  # fmt: skip
            yield DoneEvent(answer)
            return
        first_token_ms = turn.clock.ms()
        for line in text.splitlines(keepends=True):
            yield TokenEvent(line)
        yield DoneEvent(self._finish(turn, text, first_token_ms, mode, notice))

    def _generate(self, turn: _Turn, llm: BaseChatModel, strong: bool) -> Iterator[AnswerEvent]:
        """Ask the model; when its answer declines, states nothing, only echoes the question,
        lacks the figure asked for or is not in the asker's language, and the evidence is
        ``strong`` (its best sentence would make an extractive answer), ask once more to restate
        the passages (``compose.txt``), then, for a Vietnamese question, to fill in the blank of
        its answer sentence (``cloze.txt``); failing that, have it translate the best sentences (with
        ``answer.translate_quotes``), and failing that, show its answer in the other language
        (with a notice) or quote the sentences (which refuses on weak evidence)."""
        passages = format_passages(turn.contexts)
        render = {"question": turn.standalone, "passages": passages, "language_name": language_name(turn.language),
                  "terms": self.prompts.render_terms(equivalents(turn.standalone, passages))}  # fmt: skip
        # (prompt, the cloze sentence it asks to fill in, if any)
        prompts: list[tuple[str, str | None]] = [
            (self.prompts.render_answer(**render), None), (self.prompts.render_compose(**render), None)
        ]
        cloze = cloze_sentence(turn.standalone, turn.language)
        if cloze is not None:
            prompts.append((self.prompts.render_cloze(**render, cloze=cloze), cloze))
        first_token_ms: float | None = None
        reason: list[str] = []  # why each attempt was not usable: "declined", "no claim" or "language"
        foreign: Answer | None = None  # a usable answer in another language than the asker's
        try:
            for attempt, (prompt, frame) in enumerate(prompts):
                if attempt:
                    log.info("LLM answer not usable (%s); asking again (attempt %d)", reason[-1], attempt + 1)
                    if first_token_ms is not None:
                        yield TokenEvent("\n\n")  # the streamed attempt stays on screen until the Done event
                text, first = yield from self._stream_reply(llm, prompt, turn.clock)
                first_token_ms = first_token_ms if first_token_ms is not None else first
                text = tidy_reply(text)
                if not text or is_refusal_output(text):
                    reason.append("declined")
                else:
                    answer = self._finish(turn, text, first_token_ms, self.mode, None)
                    if not self._states_an_answer(turn.standalone, answer):
                        reason.append("no claim")
                    elif answer.notice is not None:  # _finish found it is not in the asker's language
                        reason.append("language")  # small models copy a Portuguese passage: ask again
                        foreign = foreign or answer
                    elif frame is not None and not written_in(filled_in(frame, answer.answer), turn.language):
                        reason.append("language")  # a Portuguese sentence pasted into the blank
                    else:
                        yield DoneEvent(answer)
                        return
                if not strong:
                    break  # weak evidence is never pressed into an answer (the quotes below refuse)
            if strong and self.settings.translate_quotes:
                translated = yield from self._translated_quotes(turn, llm, first_token_ms)
                if translated is not None:
                    yield DoneEvent(translated)
                    return
        except Exception as exc:  # noqa: BLE001 - backends raise anything (httpx, openai, llama.cpp): fall back
            log.warning("LLM %s failed (%s: %s); answering extractively", self.mode, type(exc).__name__, exc)
            notice = localized(LLM_FALLBACK_NOTICES, turn.language).format(error=type(exc).__name__)
            yield from self._extractive(turn, EXTRACTIVE, notice)
            return
        if foreign is not None:  # a verified answer in another language beats quotes in another language
            yield DoneEvent(foreign)
            return
        if reason[-1] == "declined":
            # The passages passed the support gate, and small models decline answerable questions:
            # quote the best sentences when they are strong enough for an extractive answer, which
            # itself refuses below its own threshold.
            notice = localized(MODEL_DECLINED_NOTICES, turn.language)
            yield from self._extractive(turn, EXTRACTIVE, notice, refusal_mode=self.mode)
            return
        notice = localized(NO_CLAIM_NOTICES, turn.language)  # e.g. it echoed the question or wrote only "[1]"
        yield from self._extractive(turn, EXTRACTIVE, notice)

    def _translated_quotes(
        self, turn: _Turn, llm: BaseChatModel, first_token_ms: float | None
    ) -> Generator[AnswerEvent, None, Answer | None]:
        """The extractive answer's best sentences, each translated into the asker's language by
        the model (``translate.txt``) and cited to its passage; None unless every sentence
        verifies and the whole reads in the asker's language (then the quotes are shown)."""
        scoring = self.settings.scoring
        analysis = analyse(turn.standalone, turn.contexts, turn.language, scoring, self.similarity)
        chosen = select_sentences(analysis.candidates, scoring=scoring)
        lines = [localized(LEAD_INS, turn.language)]
        for candidate in chosen[:TRANSLATED_SENTENCES]:
            yield TokenEvent("\n\n" if len(lines) == 1 else "\n")
            prompt = self.prompts.render_translate(sentence=candidate.text, language_name=language_name(turn.language))
            text, first = yield from self._stream_reply(llm, prompt, turn.clock)
            first_token_ms = first_token_ms if first_token_ms is not None else first
            text = " ".join(strip_markers(tidy_reply(text)).split())
            if not text or is_refusal_output(text) or not faithful_translation(candidate.text, text):
                return None
            lines.append(f"- {text} [{candidate.index + 1}]")
        if len(lines) == 1:
            return None
        body = "\n".join(lines)
        answer = self._finish(turn, body, first_token_ms, self.mode, localized(TRANSLATED_NOTICES, turn.language))
        if answer.verified_claims < answer.claims or not written_in(strip_markers(body), turn.language):
            log.info("translated quotes not usable (%d/%d verified)", answer.verified_claims, answer.claims)
            return None
        return answer

    @staticmethod
    def _states_an_answer(question: str, answer: Answer) -> bool:
        """True unless the model's answer has no verified claim, left a cloze blank empty, only
        echoes the question (a yes/no question's echo must open with yes or no), or lacks the
        figure asked for ("bao nhiêu phần trăm?" answered without a %)."""
        plain = strip_markers(answer.answer)
        return (
            answer.verified_claims > 0
            and fills_blanks(plain)
            and (not restates(question, plain) or (is_yes_no(question) and says_yes_or_no(plain)))
            and gives_asked_figure(question, plain)
        )

    def _stream_reply(
        self, llm: BaseChatModel, user_message: str, clock: _Clock
    ) -> Generator[AnswerEvent, None, tuple[str, float | None]]:
        """Stream one reply as token events; returns its text and the first token's time (ms)."""
        messages = [SystemMessage(self.prompts.system), HumanMessage(user_message)]
        parts: list[str] = []
        first_token_ms: float | None = None
        for chunk in llm.stream(messages):
            parts.append(str(chunk.text))
            if first_token_ms is None:
                text = "".join(parts)
                if could_become_refusal(text):
                    if is_refusal_output(text):
                        break  # the whole answer is the refusal marker: stop generating
                    continue  # hold back what may still become the marker
                first_token_ms = clock.ms()
                yield TokenEvent(text)
            else:
                yield TokenEvent(parts[-1])
        return "".join(parts).strip(), first_token_ms

    def _finish(self, turn: _Turn, text: str, first_token_ms: float | None, mode: str, notice: str | None) -> Answer:
        """Verify citations and figures, flag what does not check out, and note a wrong answer language."""
        checked = check_answer(text, turn.contexts, [e.page for e in turn.evidence], turn.standalone, self.support)
        if mode != EXTRACTIVE and notice is None:
            plain = strip_markers(text)
            if not written_in(plain, turn.language):
                log.info("answer language %s differs from the question's %s", detect_language(plain), turn.language)
                notice = localized(WRONG_LANGUAGE_NOTICES, turn.language)
        return Answer(
            **turn.base,
            answer=checked.text,
            refused=False,
            mode=mode,
            citations=checked.citations,
            contexts=turn.contexts,
            timings=turn.timings(first_token_ms),
            claims=checked.claim_count,
            verified_claims=checked.verified_count,
            notice=notice,
        )
