"""The answer pipeline: condense → retrieve → evidence → generate (or quote) → verify.

:class:`Answerer` is built from a retriever, a context expander, an optional
LangChain chat model and :class:`~assistant.settings.AnswerSettings`. With no
model (``llm: none``) answers are extractive; when the model fails (server
down, model file missing) the answer falls back to extractive with a notice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from langchain_core.language_models import BaseChatModel

from assistant.answer.attempts import DECLINED, LANGUAGE, MODEL_STEPS, finished, reply_problems, retry_hints
from assistant.answer.citations import check_answer, strip_markers, tidy_reply
from assistant.answer.cloze import cloze_sentence
from assistant.answer.condense import HistoryItem, condense_question
from assistant.answer.constants import (
    LLM_FALLBACK_NOTICES,
    MODEL_DECLINED_NOTICES,
    NO_CLAIM_NOTICES,
    WRONG_LANGUAGE_NOTICES,
    localized,
)
from assistant.answer.contexts import Evidence as ContextEvidence
from assistant.answer.contexts import build_contexts, format_passages
from assistant.answer.events import (
    AnswerEvent,
    DiscardEvent,
    DoneEvent,
    EvidenceEvent,
    SentenceEvent,
    TokenEvent,
)
from assistant.answer.extractive import (
    Analysis,
    Candidate,
    Similarity,
    analyse,
    extractive_answer,
)
from assistant.answer.focus import focus_evidence
from assistant.answer.from_facts import fact_answer
from assistant.answer.outline import asks_more, outline_answer, with_quotes
from assistant.answer.prompts import PromptSet, load_prompts
from assistant.answer.refusal import gate_reasons, is_refusal_output, refusal_answer
from assistant.answer.replies import stream_reply
from assistant.answer.support import SupportChecker
from assistant.answer.text import sentence_spans
from assistant.answer.translated import translated_quotes
from assistant.answer.turn import Clock, Turn
from assistant.errors import ModelUnavailable
from assistant.language import detect_language, language_name, written_in
from assistant.retrieval.glossary import equivalents
from assistant.settings import AnswerSettings
from assistant.types import Answer, Attempt, Chunk, Context, SearchHit

if TYPE_CHECKING:
    from assistant.facts.store import FactBook

log = logging.getLogger(__name__)

EXTRACTIVE = "extractive"


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
        facts: Callable[[], FactBook] | None = None,
        bridge: Callable[[str, list[Context], str], list[str]] | None = None,
        chunks_of: Callable[[str], list[Chunk]] | None = None,
    ) -> None:
        self.retrieve = retrieve
        self.chunks_of = chunks_of  # a document's chunks, for the ``outline`` step (None: no such step)
        # Question phrases found in passages of another language (assistant.answer.bridge): more wordings.
        self.bridge = bridge
        self.facts = facts  # the corpus's verified facts, for the ``facts`` step (None: no such step)
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
        clock = Clock()
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
        bridged = self.bridge(standalone, found, language) if self.bridge is not None and evidence else []
        analysis = analyse(standalone, found, language, scoring, self.similarity, wordings, bridged,
                           self.support.facts) if evidence else None  # fmt: skip
        gate = gate_reasons(found, analysis, self.settings, with_llm=llm is not None)
        retrieved = evidence  # what analysis.candidates index (the model may see a focused cut of it)
        if llm is not None and analysis is not None and not gate:
            evidence = focus_evidence(evidence, analysis.candidates, self.settings.llm_context_chars, scoring)
        base = {"question": question, "language": language, "standalone_question": standalone if history else None}
        turn = Turn(base, standalone, evidence, clock, (time.perf_counter() - started) * 1000.0,
                    tuple(wordings), tuple(bridged))  # fmt: skip
        yield EvidenceEvent(turn.contexts, standalone, turn.retrieval_ms)

        if gate:  # the closest passages are shown whole
            attempts = [Attempt(step="gate", accepted=False, reasons=gate, ms=turn.retrieval_ms)]
            refusal = refusal_answer(
                **base, prompts=self.prompts, contexts=turn.contexts, timings=turn.timings(), mode=self.mode
            )
            yield DoneEvent(refusal.model_copy(update={"attempts": attempts}))
            return
        from_outline = self._from_outline(turn, retrieved, analysis) if analysis is not None else None
        if from_outline is not None:
            yield from from_outline
            return
        if analysis is not None and self.facts is not None:
            from_facts = self._from_facts(turn, retrieved, analysis.candidates, with_llm=llm is not None)
            if from_facts is not None:
                yield from from_facts
                return
        if llm is None:
            candidates = analysis.candidates if analysis is not None else None  # scored on these very contexts
            yield from self._extractive(turn, self.mode, None, [], candidates=candidates)
            return
        strong = analysis is not None and (analysis.best_score or 0.0) >= scoring.min_support
        yield from self._generate(turn, llm, strong)

    def _extractive(
        self,
        turn: Turn,
        mode: str,
        notice: str | None,
        attempts: list[Attempt],
        refusal_mode: str | None = None,
        candidates: list[Candidate] | None = None,
        first_token_ms: float | None = None,
    ) -> Iterator[AnswerEvent]:
        """Quote the best sentences (the ``quotes`` step, added to ``attempts``); a refusal (in
        ``refusal_mode``, default ``mode``, without the notice when ``refusal_mode`` is given) when
        they are too weak. ``candidates``: the sentences already scored on exactly these contexts;
        ``first_token_ms``: when a model's draft (since withdrawn) first reached the asker."""
        started = turn.clock.ms()
        if candidates is None:
            candidates = self._analyse(turn).candidates
        text = extractive_answer(
            turn.standalone, turn.contexts, turn.language, candidates=candidates,
            scoring=self.settings.scoring, similarity=self.similarity,
        )  # fmt: skip
        if text is None:
            reasons = [f"no sentence scores min_support {self.settings.scoring.min_support}"]
            reasons += sorted({f"passage {c.index + 1}: {c.set_aside}" for c in candidates if c.set_aside})
            quotes = Attempt(step="quotes", accepted=False, reasons=reasons, ms=turn.clock.ms() - started)
            answer = refusal_answer(
                **turn.base, prompts=self.prompts, contexts=turn.contexts, timings=turn.timings(),
                mode=refusal_mode or mode, notice=None if refusal_mode else notice,
            )  # fmt: skip
            yield DoneEvent(answer.model_copy(update={"attempts": [*attempts, quotes]}))
            return
        first_token_ms = first_token_ms if first_token_ms is not None else turn.clock.ms()
        for line in text.splitlines(keepends=True):
            yield TokenEvent(line)
        answer = self._finish(turn, text, first_token_ms, mode, notice)
        quotes = Attempt(step="quotes", accepted=True, reply=text, ms=turn.clock.ms() - started)
        yield finished(answer, [*attempts, quotes])

    def _analyse(self, turn: Turn) -> Analysis:
        """The turn's passages (as the answer now holds them) scored with the question's other wordings."""
        return analyse(turn.standalone, turn.contexts, turn.language, self.settings.scoring, self.similarity,
                       turn.wordings, turn.bridged, self.support.facts)  # fmt: skip

    def _from_facts(
        self, turn: Turn, retrieved: list[ContextEvidence], candidates: list[Candidate], with_llm: bool
    ) -> Iterator[AnswerEvent] | None:
        """The ``facts`` step (:mod:`assistant.answer.from_facts`): None when no verified fact answers.
        ``retrieved`` is the evidence the candidates were scored on (before the LLM's focusing cut).
        With a model it answers only from a sentence in the asker's language (the model would
        otherwise write the answer in that language)."""
        started = turn.clock.ms()
        if with_llm and candidates and not candidates[0].same_language:
            return None
        book = self.facts()
        found = fact_answer(
            turn.standalone, retrieved, candidates, book.facts, book.conflicts, turn.language,
            self.settings.scoring.min_support,
        )  # fmt: skip
        if found is None:
            return None
        return self._direct(turn, "facts", found.text, found.evidence, started)

    def _from_outline(
        self, turn: Turn, retrieved: list[ContextEvidence], analysis: Analysis
    ) -> Iterator[AnswerEvent] | None:
        """The ``outline`` step (:mod:`assistant.answer.outline`): None when the question asks for no
        count of numbered parts, or no retrieved document numbers them. Not when the passages lack the
        question's words or figures (the refusal signals of quotes): another document's parts are no answer."""
        settings = self.settings.outline
        if self.chunks_of is None or not settings.enabled or analysis.refusal or analysis.missing:
            return None
        started = turn.clock.ms()
        found = outline_answer(
            turn.standalone, turn.language, retrieved, self.chunks_of, settings.min_parts, settings.max_listed,
            stated=[c.text for c in analysis.candidates], min_known_share=settings.min_known_share,
        )
        if found is None:
            return None
        if asks_more(turn.standalone, turn.language):  # "… có mấy điều và ai ký?": the best sentences too
            strong = [c for c in analysis.candidates if c.score >= self.settings.scoring.min_support]
            fresh = [c for c in strong if c.text not in found.text][: settings.max_quotes]
            found = with_quotes(found, [(c.text, retrieved[c.index]) for c in fresh], turn.language)
        return self._direct(turn, "outline", found.text, found.evidence, started)

    def _direct(
        self, turn: Turn, step: str, text: str, evidence: list[ContextEvidence], started: float
    ) -> Iterator[AnswerEvent]:
        """An answer written without a model (the ``facts`` and ``outline`` steps) from its own passages."""
        first_token_ms = turn.clock.ms()
        for line in text.splitlines(keepends=True):
            yield TokenEvent(line)
        answer = self._finish(replace(turn, evidence=evidence), text, first_token_ms, self.mode, None)
        yield finished(answer, [Attempt(step=step, accepted=True, reply=text, ms=turn.clock.ms() - started)])

    def _generate(self, turn: Turn, llm: BaseChatModel, strong: bool) -> Iterator[AnswerEvent]:
        """Run the model steps of :mod:`assistant.answer.attempts` until one reply is accepted; then
        the translated quotes, a verified reply in another language, or the quotes. A draft that is
        turned down is withdrawn (:class:`DiscardEvent`) before the next step shows anything."""
        passages = format_passages(turn.contexts)
        name = language_name(turn.language)
        render = {"question": turn.standalone, "passages": passages, "language_name": name,
                  "terms": self.prompts.render_terms(equivalents(turn.standalone, passages))}  # fmt: skip
        cloze = cloze_sentence(turn.standalone, turn.language)
        attempts: list[Attempt] = []
        reasons: list[str] = []  # why the last reply was turned down
        first_token_ms: float | None = None
        drafted = False  # a draft of the current step is on screen
        foreign: Answer | None = None  # a verified answer in another language than the asker's
        step_name = MODEL_STEPS[0].name
        try:
            for step in MODEL_STEPS:
                if (step.strong_only and not strong) or (step.name == "cloze" and cloze is None):
                    continue
                step_name = step.name
                prompt = self._prompt(step.name, render, cloze, self.prompts.render_retry(retry_hints(reasons, name)))
                if drafted:
                    yield DiscardEvent(tuple(reasons), step.name)
                started = turn.clock.ms()
                text, first, verified_ms = yield from stream_reply(
                    llm, self.prompts.system, prompt, turn.clock, lambda draft, done: self._check_sentences(turn, draft, done)
                )
                drafted = first is not None
                first_token_ms = first_token_ms if first_token_ms is not None else first
                text = tidy_reply(text)
                answer = None
                if text and not is_refusal_output(text):
                    answer = self._finish(turn, text, first_token_ms, self.mode, None)
                frame = cloze if step.name == "cloze" else None
                reasons = reply_problems(turn.standalone, turn.language, answer, frame, self.settings.checks)
                attempts.append(Attempt(step=step.name, accepted=not reasons, reasons=reasons, reply=text,
                                        ms=turn.clock.ms() - started))  # fmt: skip
                if answer is not None and not reasons:
                    yield finished(answer, attempts, verified_ms)
                    return
                if answer is not None and reasons == [LANGUAGE] and answer.notice is not None and foreign is None:
                    foreign = answer  # verified, only in another language (not a foreign phrase in a blank)
            if strong and self.settings.translate_quotes:
                step_name = "translate"
                if drafted:
                    yield DiscardEvent(tuple(reasons), "translate")
                translated = yield from translated_quotes(
                    turn, llm, self._analyse(turn).candidates, self.prompts, self.settings,
                    lambda t, body, first, notice: self._finish(t, body, first, self.mode, notice),
                    first_token_ms, attempts,
                )  # fmt: skip
                drafted = True
                if translated is not None:
                    yield finished(translated, attempts)
                    return
                reasons = attempts[-1].reasons
        except ModelUnavailable as exc:
            log.warning("LLM %s failed (%s); answering extractively", self.mode, exc)
            attempts.append(Attempt(step=step_name, accepted=False, reasons=[f"model unavailable: {exc}"]))
            if drafted:
                yield DiscardEvent(("model unavailable",), "quotes")
            notice = localized(LLM_FALLBACK_NOTICES, turn.language).format(error=str(exc))
            yield from self._extractive(turn, EXTRACTIVE, notice, attempts, first_token_ms=first_token_ms)
            return
        if foreign is not None:  # a verified answer in another language beats quotes in another language
            attempts.append(Attempt(step="foreign", accepted=True, reply=foreign.answer))
            yield finished(foreign, attempts)
            return
        if drafted:
            yield DiscardEvent(tuple(reasons), "quotes")
        if DECLINED in reasons:
            # The passages passed the gate, and small models decline answerable questions: quote
            # the best sentences, which refuses below its own threshold (in the model's mode).
            notice = localized(MODEL_DECLINED_NOTICES, turn.language)
            yield from self._extractive(
                turn, EXTRACTIVE, notice, attempts, refusal_mode=self.mode, first_token_ms=first_token_ms
            )
            return
        notice = localized(NO_CLAIM_NOTICES, turn.language)  # e.g. it echoed the question or wrote only "[1]"
        yield from self._extractive(turn, EXTRACTIVE, notice, attempts, first_token_ms=first_token_ms)

    def _prompt(self, step: str, render: dict[str, str], cloze: str | None, retry: str) -> str:
        """The user message of one model step (``retry``: why the last reply was turned down)."""
        if step == "answer":
            return self.prompts.render_answer(**render)
        if step == "compose":
            return self.prompts.render_compose(**render, retry=retry)
        return self.prompts.render_cloze(**render, cloze=cloze or "", retry=retry)

    def _check_sentences(self, turn: Turn, draft: str, checked_to: int) -> Iterator[SentenceEvent]:
        """The complete sentences of ``draft`` after ``checked_to`` (all but the one still being written), checked."""
        spans = sentence_spans(draft)
        for start, end in spans[:-1]:
            if end <= checked_to:
                continue
            sentence = draft[start:end]
            checked = check_answer(sentence, turn.contexts, [e.page for e in turn.evidence], turn.standalone,
                                   self.support, self.settings.checks, turn.wordings)  # fmt: skip
            claims = [c for c in checked.claims if c.factual]
            if claims:
                yield SentenceEvent(sentence, end, all(c.verified for c in claims),
                                    tuple(p for c in claims for p in c.problems))  # fmt: skip
            else:
                yield SentenceEvent(sentence, end, False, ("states nothing",))

    def _finish(self, turn: Turn, text: str, first_token_ms: float | None, mode: str, notice: str | None) -> Answer:
        """Verify citations and figures, flag what does not check out, and note a wrong answer language."""
        checked = check_answer(
            text, turn.contexts, [e.page for e in turn.evidence], turn.standalone, self.support, self.settings.checks,
            turn.wordings,
        )
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
