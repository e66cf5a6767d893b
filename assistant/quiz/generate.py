"""Building a quiz from the corpus's verified facts: :func:`build_quiz`, with or without an LLM.

The material (documents, a document type, a topic query) chooses facts; each is written as an
item of one of the requested types (:mod:`assistant.quiz.writers`, wording from
``templates.yaml``), then checked (:mod:`assistant.quiz.checks`): an item that fails is dropped
with its reasons, which the quiz's :class:`~assistant.quiz.items.QualityReport` collects. The
same seed and corpus give the same quiz: facts are ordered by id and every choice is drawn from
one ``random.Random(seed)``.

LLM mode (``QuizRequest.llm`` and a chat model, which :func:`builder_for` takes from the assistant):
an item that passed its checks, or failed only the search (:data:`~assistant.quiz.polish.CURABLE`),
is reworded by the model (:mod:`assistant.quiz.polish`) and checked again the same way; the
rewording replaces the template's stem only when it passes. Each item says who wrote it
(``written_by``) and lists the model's tries with why they were turned down (``attempts``). With
the same seed, corpus and model replies, the quiz is the same.

:class:`QuizBuilder` keeps what the review needs (each kept item's :class:`ItemSource`, the
candidates not yet tried): :mod:`assistant.quiz.session` uses it to edit, discard and
regenerate single items.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.facts.model import Evidence, Fact
from assistant.quiz.checks import SearchFn, check_all
from assistant.quiz.distractors import FactPool
from assistant.quiz.errors import QuizRequestError
from assistant.quiz.flaws import Flaw, check_quiz
from assistant.quiz.items import Attempt, DroppedItem, DropReason, ItemType, QualityReport, Quiz, QuizItem
from assistant.quiz.polish import Polisher, curable
from assistant.quiz.request import ItemSource, QuizRequest
from assistant.quiz.templates import Templates, default_templates
from assistant.quiz.writers import Draft, WriteContext, matching_groups, write_item, write_matching
from assistant.settings import QuizSettings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.api import Assistant

# A planned candidate: one fact (with the evidence to cite) and a type, or a group of facts to match.
Entry = tuple[Fact, Evidence, ItemType] | list[tuple[Fact, Evidence]]
NO_MODEL_NOTE = "No language model is configured: the items keep the templates' wording."


def _applicable(fact: Fact, item_type: ItemType) -> bool:
    return item_type != "matching" and (item_type != "numerical" or fact.kind == "target")


def _evidence_for(fact: Fact, request: QuizRequest, topic_chunks: set[str] | None) -> Evidence | None:
    """The evidence to cite: within the material, in the quiz language if one is, a list row first."""
    inside = [
        e for e in fact.evidence
        if (not request.documents or e.source in request.documents)
        and (not request.doc_type or e.doc_type == request.doc_type)
        and (topic_chunks is None or e.chunk_id in topic_chunks)
    ]  # fmt: skip
    if not inside:
        return None
    wanted = request.language
    return min(inside, key=lambda e: (wanted != "source" and e.language != wanted, e.row is None))


@dataclass
class QuizBuilder:
    """Plans candidates for a request, checks them, and keeps the quiz's state for the review."""

    pool: FactPool
    request: QuizRequest
    search: SearchFn
    settings: QuizSettings
    templates: Templates
    topic_chunks: set[str] | None = None
    llm: BaseChatModel | None = None  # used when the request asks for the LLM mode
    llm_lock: AbstractContextManager[Any] | None = None  # held around each model call (the local model)
    notes: list[str] = field(default_factory=list)  # for the quality report
    kept: list[QuizItem] = field(default_factory=list)
    sources: dict[str, ItemSource] = field(default_factory=dict)
    dropped: list[DroppedItem] = field(default_factory=list)
    plan: list[Entry] = field(default_factory=list)
    next_entry: int = 0
    checked: int = 0
    seconds: float = 0.0
    rng: random.Random = field(init=False, repr=False)
    context: WriteContext = field(init=False, repr=False)
    polisher: Polisher | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.request.seed)
        language = self.request.language if self.request.language != "source" else "vi"
        self.context = WriteContext(
            pool=self.pool, templates=self.templates, request=self.request, rng=self.rng,
            filters=self.request.filters(), title=self.request.title or self.templates.titles[language],
        )  # fmt: skip
        self.plan = self._plan()
        if self.request.llm and self.llm is not None:
            from assistant.answer.prompts import load_prompts

            self.polisher = Polisher(self.llm, load_prompts(), self.templates, self.settings, self.llm_lock)
        elif self.request.llm and not self.notes:
            self.notes.append(NO_MODEL_NOTE)

    def _plan(self) -> list[Entry]:
        chosen = []
        for fact in self.pool.facts:
            evidence = _evidence_for(fact, self.request, self.topic_chunks)
            if evidence is not None:
                chosen.append((fact, evidence))
        self.rng.shuffle(chosen)
        types = [t for t in self.request.types if t != "matching"]
        counts: Counter[str] = Counter()
        first: list[Entry] = []
        later: list[Entry] = []
        for fact, evidence in chosen:
            usable = [t for t in types if _applicable(fact, t)]
            if not usable:
                continue
            pick = min(usable, key=lambda t: (counts[t], self.rng.random()))
            counts[pick] += 1
            first.append((fact, evidence, pick))
            later += [(fact, evidence, t) for t in usable if t != pick]
        if "matching" in self.request.types:
            groups = matching_groups(chosen)
            for group in groups:
                self.rng.shuffle(group)
            step = max(1, len(self.request.types))
            for n, group in enumerate(groups):
                first.insert(min(len(first), n * step + step - 1), group)
        return first + later

    def run(self) -> None:
        """Try planned candidates until the quiz has ``request.items`` items or the budget is spent."""
        started = time.perf_counter()
        budget = self.request.items * self.settings.max_attempts_per_item
        while len(self.kept) < self.request.items and self.next_entry < len(self.plan) and self.checked < budget:
            entry = self.plan[self.next_entry]
            self.next_entry += 1
            self.try_entry(entry)
        self.seconds += time.perf_counter() - started

    def try_entry(self, entry: Entry, position: int | None = None) -> QuizItem | None:
        """Write and check one candidate; keep it (at ``position``, default the end) or record why not."""
        if isinstance(entry, list):
            written = write_matching(entry, self.context)
        else:
            written = write_item(*entry, self.context)
        if not isinstance(written, Draft):
            self.dropped.append(DroppedItem(stem=written.stem, reasons=[written.reason]))
            return None
        item, source = written
        self.checked += 1
        reasons = check_all(item, source, kept=self.kept, search=self.search, settings=self.settings)
        attempts: list[Attempt] = []
        if self.polisher is not None and not isinstance(entry, list) and curable(reasons):
            polished = self.polisher.polish(written, entry[0], entry[1], self.check)
            attempts = polished.attempts
            if polished.draft is not None:
                (item, source), reasons = polished.draft, []
            elif attempts:
                item = item.model_copy(update={"attempts": attempts})
        if reasons:
            self.dropped.append(DroppedItem(stem=item.stem, item_id=item.id, reasons=reasons, attempts=attempts))
            return None
        self.kept.insert(len(self.kept) if position is None else position, item)
        self.sources[item.id] = source
        return item

    def check(self, item: QuizItem, source: ItemSource) -> list[DropReason]:
        """Every check of an item against the quiz as it stands (:func:`~assistant.quiz.checks.check_all`)."""
        return check_all(item, source, kept=self.kept, search=self.search, settings=self.settings)

    def drop(self, item_id: str, code: str, message: str) -> QuizItem:
        """Take a kept item out of the quiz, recording why (a trainer's discard or regenerate)."""
        index = self.index_of(item_id)
        item = self.kept.pop(index)
        self.dropped.append(DroppedItem(stem=item.stem, item_id=item.id,
                                        reasons=[DropReason(code=code, message=message)]))  # fmt: skip
        return item

    def index_of(self, item_id: str) -> int:
        for index, item in enumerate(self.kept):
            if item.id == item_id:
                return index
        raise QuizRequestError("item_id", f"no item {item_id!r} in the quiz")

    def quiz(self) -> Quiz:
        items = list(self.kept)
        languages = Counter(item.language for item in items)
        language = self.request.language if self.request.language != "source" else "und"
        if language == "und" and languages:
            language = languages.most_common(1)[0][0]
        notes = self.notes + ([self.polisher.notice] if self.polisher is not None and self.polisher.notice else [])
        report = QualityReport(kept=len(items), dropped=list(self.dropped), notes=notes)
        return Quiz(title=self.context.title, language=language, seed=self.request.seed, items=items, report=report)

    def quiz_flaws(self) -> list[Flaw]:
        """Flaws of the quiz as a whole (the key is the longest option too often)."""
        return check_quiz(self.kept)


def builder_for(assistant: Assistant, request: QuizRequest, templates: Templates | None = None) -> QuizBuilder:
    """A :class:`QuizBuilder` over the assistant's verified facts, its search and its index; for the LLM mode,
    with the assistant's chat model (its backend chosen by the settings or the caller) and, for the local
    model, the lock every local generation takes."""
    from assistant.facts.select import FactFilter

    settings = assistant.settings.quiz
    facts = assistant.facts(FactFilter(verified_only=True))
    topic_chunks = None
    if request.topic:
        hits = assistant.search(request.topic, k=settings.topic_top_n, filters=request.filters())
        topic_chunks = {hit.chunk.id for hit in hits}

    def document_text(source: str) -> str:
        return "\n".join(chunk.text for chunk in assistant.index.all_chunks(where={"source": source}))

    search: SearchFn = lambda query, k, filters: assistant.search(query, k=k, filters=filters)  # noqa: E731
    llm = assistant.chat_model if request.llm else None
    notes = []
    if request.llm and llm is None:  # backend "none", or a model that could not be built
        why = (assistant.llm_notice or "").removesuffix("; answering extractively") or f"backend {assistant.backend!r}"
        notes.append(f"{NO_MODEL_NOTE} ({why})")
    return QuizBuilder(pool=FactPool(facts, settings, document_text), request=request, search=search,
                       settings=settings, templates=templates or default_templates(), topic_chunks=topic_chunks,
                       llm=llm, llm_lock=assistant.model_lock if llm is not None else None,
                       notes=notes)  # fmt: skip


def build_quiz(assistant: Assistant, request: QuizRequest) -> Quiz:
    """Build a checked quiz from the assistant's corpus (see the module docstring)."""
    builder = builder_for(assistant, request)
    builder.run()
    return builder.quiz()


def build_from_facts(
    facts: list[Fact],
    request: QuizRequest,
    search: SearchFn,
    settings: QuizSettings | None = None,
    *,
    document_text: Callable[[str], str] | None = None,
    templates: Templates | None = None,
    llm: BaseChatModel | None = None,
) -> QuizBuilder:
    """A run builder over given facts and a given search (no index): for tests and other corpora. ``llm``
    rewords the items when ``request.llm`` asks for it."""
    settings = settings or QuizSettings()
    builder = QuizBuilder(pool=FactPool(facts, settings, document_text), request=request, search=search,
                          settings=settings, templates=templates or default_templates(), llm=llm)  # fmt: skip
    builder.run()
    return builder
