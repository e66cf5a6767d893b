"""The Python API: ``from assistant import Assistant``. The CLI, the web UI and evaluation use it.

It composes the stages (index, retrieval, answer pipeline, LLM backend) from
one :class:`Settings`; it holds no logic of its own beyond choosing backends
and falling back to extractive answers when the LLM cannot be built.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Generic, Literal, TypeVar

from assistant.chroma_client import index_errors
from assistant.errors import ModelError
from assistant.index import CorpusIndex, FileRecord, open_index
from assistant.retrieval import SearchFilters, expand_context, search
from assistant.settings import Settings, load_settings
from assistant.types import Answer, SearchHit

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.answer import Answerer, AnswerEvent
    from assistant.answer.bridge import PhraseBridge
    from assistant.answer.renderings import Rendering, SourceRenderer
    from assistant.facts.model import Fact
    from assistant.facts.render import Progress as RenderProgress
    from assistant.facts.render import RenderReport
    from assistant.facts.select import FactFilter
    from assistant.facts.store import FactBook
    from assistant.retrieval.rewrite import QueryRewriter
    from assistant.sentence_vectors import QuestionSimilarity
    from assistant.sync import Progress, SyncReport

BACKENDS = ("local", "openai", "ollama", "none")
# One llama.cpp model object is shared per process and is not thread-safe: local answers take turns.
# Re-entrant: a local answer holds it while its retrieval rewrites the question with the same model.
_LOCAL_LLM_LOCK = threading.RLock()


T = TypeVar("T")


class _ByChangeToken(Generic[T]):
    """A value read from the index, read again only when the index's change token has moved (a write by
    this process or another instance sharing the index)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[str, T] | None = None

    def get(self, token: str, load: Callable[[], T]) -> T:
        with self._lock:
            if self._cached is None or self._cached[0] != token:
                self._cached = (token, load())
            return self._cached[1]


class Assistant:
    """Question answering over the indexed corpus.

    >>> bot = Assistant(backend="none")          # doctest: +SKIP
    >>> bot.ask("Kế hoạch 02 có mấy giai đoạn?").answer  # doctest: +SKIP
    """

    def __init__(
        self,
        settings: Settings | None = None,
        backend: str | None = None,
        chat_model: BaseChatModel | None = None,
        index: CorpusIndex | None = None,
    ) -> None:
        self.settings = settings or load_settings()
        self.backend = backend or self.settings.llm
        if self.backend not in BACKENDS:
            raise ModelError(f"unknown LLM backend {self.backend!r}; choose one of {', '.join(BACKENDS)}")
        self._chat_model = chat_model
        self._index = index
        self.llm_notice: str | None = None
        self._facts_cache: _ByChangeToken[FactBook] = _ByChangeToken()
        self._languages_cache: _ByChangeToken[dict[str, int]] = _ByChangeToken()
        self._rewriters_lock = threading.Lock()
        self._rewriters: dict[tuple[str, ...], QueryRewriter] = {}
        from assistant.retrieval.glossary import load_glossary, use_glossary

        corpus = self.settings.corpus
        self.glossary = load_glossary(corpus.dir / corpus.glossary)
        use_glossary(self.glossary)

    def facts(self, fact_filter: FactFilter | None = None) -> list[Fact]:
        """The corpus's deadlines, responsibilities and targets (merged, verified), filtered."""
        from assistant.facts.select import select

        return select(self.fact_book().facts, fact_filter)

    def fact_book(self) -> FactBook:
        """The merged facts and their conflicts, read again only when the index's change token moved
        (a write by this process or another instance sharing the index)."""
        from assistant.facts.store import load_book

        with index_errors(self.settings.index):
            token = self.index.change_token()  # read before the facts: a write after this moves it again
            return self._facts_cache.get(token, lambda: load_book(self.index, self.settings.facts))

    def render_facts(
        self,
        languages: Sequence[str] = ("vi", "en"),
        progress: RenderProgress | None = None,
        only: Collection[str] | None = None,
    ) -> RenderReport:
        """Word each verified fact (of ids ``only``, when given) in ``languages`` with this assistant's
        LLM (through :attr:`renderer`: cached, one local call at a time), keep the checked renderings
        and store them with the facts (see :mod:`assistant.facts.render`). No LLM: nothing changes and
        the report's note says why."""
        from assistant.facts.render import NO_MODEL_NOTE, render_facts
        from assistant.facts.store import save_renderings

        facts = [f for f in self.fact_book().facts if only is None or f.id in only]
        report = render_facts(facts, self.renderer, languages, progress)
        if report.note == NO_MODEL_NOTE and self.llm_notice:  # configured, but it could not be built
            report.note = self.llm_notice.removesuffix("; answering extractively") + ": facts left as they are"
        if report.kept:
            with index_errors(self.settings.index):
                save_renderings(self.index, report.facts)
        return report

    # -- stages ---------------------------------------------------------------------------------

    @property
    def index(self) -> CorpusIndex:
        if self._index is None:
            self._index = open_index(self.settings)
        return self._index

    @cached_property
    def bridge(self) -> PhraseBridge:
        """Question phrases linked to passages of another language by the index's embedding model."""
        from assistant.answer.bridge import PhraseBridge
        from assistant.sentence_vectors import unit_vectors

        embeddings = self.index.embeddings
        return PhraseBridge(lambda texts: unit_vectors(embeddings.embed_documents(texts)), self.settings.answer.bridge)

    @cached_property
    def similarity(self) -> QuestionSimilarity:
        """The embedding model's question-sentence cosine over the index's stored sentence vectors."""
        from assistant.sentence_vectors import QuestionSimilarity

        return QuestionSimilarity(self.index, self.index.sentences)

    @cached_property
    def chat_model(self) -> BaseChatModel | None:
        """The configured LLM, or None for extractive mode (also when it cannot be built)."""
        if self._chat_model is not None or self.backend == "none":
            return self._chat_model
        from assistant.models.llm import build_chat_model

        try:
            return build_chat_model(self.settings, self.backend)
        except ModelError as exc:
            self.llm_notice = f"LLM unavailable ({exc}); answering extractively"
            return None

    @property
    def mode(self) -> str:
        return self.backend if self.chat_model is not None else "extractive"

    @property
    def model_lock(self) -> threading.RLock | None:
        """The lock serialising calls to the in-process llama.cpp model (None for other backends)."""
        return _LOCAL_LLM_LOCK if self.mode == "local" else None

    @property
    def rewriter(self) -> QueryRewriter | None:
        """Translates questions for multi-query search as ``retrieval.rewrite`` says, when an LLM is available."""
        return self._rewriter_for(None)

    def _rewriter_for(self, rewrite: bool | Literal["auto"] | None) -> QueryRewriter | None:
        """The rewriter that ``rewrite`` (default: ``retrieval.rewrite``: true, "auto" or false) asks for, when
        an LLM exists. "auto" translates into the documents' main language only (None when no language holds
        ``rewrite_main_share`` of the chunks), true into ``rewrite_languages`` or the documents' languages.
        The languages are read again whenever the index's change token moves, so an upload that changes the
        corpus's main language is followed without a restart."""
        use = self.settings.retrieval.rewrite if rewrite is None else rewrite
        if not use or self.chat_model is None:
            return None
        languages = tuple(self._target_languages(auto=use == "auto"))
        if not languages:
            return None
        with self._rewriters_lock:
            if languages not in self._rewriters:
                self._rewriters[languages] = self._build_rewriter(list(languages))
            return self._rewriters[languages]

    def _target_languages(self, *, auto: bool) -> list[str]:
        from assistant.retrieval.rewrite import document_languages, main_language

        retrieval = self.settings.retrieval
        if not auto and retrieval.rewrite_languages:
            return retrieval.rewrite_languages
        with index_errors(self.settings.index):
            token = self.index.change_token()  # read before the records, as for the facts
        counts = self._languages_cache.get(token, self._chunk_languages)
        if auto:
            main = main_language(counts, retrieval.rewrite_main_share)
            return [main] if main is not None else []
        return document_languages(counts, retrieval.rewrite_max_languages)

    def _build_rewriter(self, languages: list[str]) -> QueryRewriter:
        from assistant.answer.prompts import load_prompts
        from assistant.language import language_name
        from assistant.models.llm_cache import sqlite_cached
        from assistant.retrieval.rewrite import QueryRewriter

        retrieval = self.settings.retrieval
        return QueryRewriter(
            sqlite_cached(self.chat_model, retrieval.rewrite_cache, retrieval.rewrite_cache_entries),
            load_prompts().render_rewrite,
            {code: language_name(code) for code in languages},
            lock=self.model_lock,
            min_length_ratio=retrieval.rewrite_min_length_ratio,
        )

    def _chunk_languages(self) -> dict[str, int]:
        """How many indexed chunks each language has (from the index's file records)."""
        counts: dict[str, int] = {}
        for record in self.index.file_records().values():
            counts[record.language] = counts.get(record.language, 0) + record.chunks
        return counts

    def search(
        self, query: str, k: int | None = None, filters: SearchFilters | None = None,
        rewrite: bool | Literal["auto"] | None = None,
    ) -> list[SearchHit]:  # fmt: skip
        """Hybrid search; ``rewrite`` (default: ``retrieval.rewrite``) also searches the LLM's
        translations of ``query`` (no effect without an LLM)."""
        rewriter = self._rewriter_for(rewrite)
        variants = rewriter(query) if rewriter is not None else ()
        with index_errors(self.settings.index):
            return search(self.index, query, k=k or self.settings.retrieval.k, filters=filters,
                          weights=self.settings.retrieval.fusion, variants=variants,
                          named_passages=self.settings.retrieval.named_passages,
                          part_passages=self.settings.retrieval.part_passages)

    def answerer(self, filters: SearchFilters | None = None, rewrite: bool | Literal["auto"] | None = None) -> Answerer:
        from assistant.answer import Answerer
        from assistant.answer.support import SupportChecker

        answer = self.settings.answer
        retrieve: Callable[[str], list[SearchHit]] = lambda q: self.search(
            q, k=max(answer.contexts * 3, 10), filters=filters, rewrite=rewrite
        )
        rewriter = self._rewriter_for(rewrite)
        return Answerer(
            retrieve=retrieve,
            expand=lambda chunk: expand_context(self.index, chunk, window=answer.context_window),
            llm=self.chat_model,
            settings=answer,
            mode=self.mode,
            similarity=self.similarity,
            support=SupportChecker(self.similarity, answer.support, self.settings.facts),  # bodies named as facts read them
            translate=rewriter,
            facts=self.fact_book if self.settings.facts.enabled and self.settings.facts.answer_from_facts else None,
            bridge=self.bridge if answer.bridge.enabled else None,
            chunks_of=lambda source: self.index.all_chunks(where={"source": source}),
        )

    # -- questions ------------------------------------------------------------------------------

    def stream(
        self,
        question: str,
        history: list[tuple[str, str]] | None = None,
        filters: SearchFilters | None = None,
        rewrite: bool | Literal["auto"] | None = None,
    ) -> Iterator[AnswerEvent]:
        """Evidence first, then answer tokens, then the finished, verified :class:`Answer`.

        ``rewrite`` overrides ``retrieval.rewrite`` for this question (see :meth:`search`). A Chroma
        server that cannot be reached raises :class:`~assistant.errors.IndexUnavailable`; the next
        question connects again."""
        with index_errors(self.settings.index):
            if self.mode != "local":
                yield from self.answerer(filters, rewrite).stream(question, history)
                return
            with _LOCAL_LLM_LOCK:
                yield from self.answerer(filters, rewrite).stream(question, history)

    def ask(
        self,
        question: str,
        history: list[tuple[str, str]] | None = None,
        filters: SearchFilters | None = None,
        rewrite: bool | Literal["auto"] | None = None,
    ) -> Answer:
        from assistant.answer import DoneEvent

        events = self.stream(question, history, filters, rewrite)
        answer = next(e.answer for e in events if isinstance(e, DoneEvent))
        if self.llm_notice and not answer.notice:
            answer = answer.model_copy(update={"notice": self.llm_notice})
        return answer

    @cached_property
    def renderer(self) -> SourceRenderer:
        """Renders cited sentences in the interface language (cached; no model: a note instead)."""
        from assistant.answer.prompts import load_prompts
        from assistant.answer.renderings import SourceRenderer
        from assistant.models.llm_cache import sqlite_cached

        answer = self.settings.answer
        llm = self.chat_model
        if llm is not None:
            llm = sqlite_cached(llm, answer.renderings_cache, answer.renderings_cache_entries)
        return SourceRenderer(llm, load_prompts(), lock=self.model_lock)

    def render_source(self, sentence: str, language: str) -> Rendering:
        """A cited ``sentence`` rendered in ``language`` for reading, labelled unchecked, figures compared."""
        return self.renderer.render(sentence, language)

    # -- corpus ---------------------------------------------------------------------------------

    def sync(self, progress: Progress | None = None) -> SyncReport:
        from assistant.sync import sync_corpus

        with index_errors(self.settings.index):
            return sync_corpus(self.index, self.settings, progress=progress)

    def documents(self) -> dict[str, FileRecord]:
        with index_errors(self.settings.index):
            return self.index.file_records()
