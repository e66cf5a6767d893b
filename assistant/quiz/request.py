"""What a trainer asks for (:class:`QuizRequest`), and what the builder keeps about each item it writes
(:class:`ItemSource`: its facts, the values true for its subject, the passages the search must find),
so an item can be re-checked after the trainer edits it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.quiz.errors import QuizRequestError
from assistant.quiz.items import ITEM_TYPES, Difficulty, ItemType
from assistant.quiz.values import KeyKind, KeyValue
from assistant.retrieval.filters import SearchFilters

QuizLanguage = Literal["vi", "en", "source"]
StemMode = Literal["row", "quote", "rendering", "independent"]
MAX_ITEMS = 200


class QuizRequest(BaseModel):
    """The material, size, types, language, difficulty and seed of a quiz.

    The material is any of: ``documents`` (source paths), a ``doc_type``, a ``topic`` (a search
    query: the facts whose evidence chunk is among the top ``quiz.topic_top_n`` hits); given
    together they all apply; none means the whole corpus. Errors are ``QuizRequestError`` naming the field.
    """

    model_config = ConfigDict(extra="forbid")

    documents: list[str] = Field(default_factory=list, description="Source paths (relative to the corpus folder).")
    doc_type: str | None = Field(None, description="guidebook, template, list, article or other.")
    topic: str | None = Field(None, description="A search query choosing the facts the quiz is built from.")
    items: int = Field(10, ge=1, le=MAX_ITEMS, description="How many items to keep.")
    types: list[ItemType] = Field(default_factory=lambda: list(ITEM_TYPES), description="Item types to write.")
    language: QuizLanguage = Field("vi", description="vi, en, or 'source': each item in its source's language.")
    difficulty: Difficulty = Field("medium", description="easy, medium or hard (distractor closeness, tolerance).")
    seed: int = Field(0, description="Same seed and corpus, same quiz.")
    title: str | None = Field(None, description="The quiz's title (default: from the templates).")
    llm: bool = Field(
        False,
        description="Reword each stem with the assistant's language model (checked like any item; an item "
        "whose rewording fails keeps the template's wording). Without a model, templates only.",
    )

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            field = ".".join(str(part) for part in error["loc"]) or "request"
            raise QuizRequestError(field, error["msg"].removeprefix("Value error, ")) from None

    @model_validator(mode="after")
    def _check(self) -> QuizRequest:
        if not self.types:
            raise ValueError("choose at least one item type")
        self.types = list(dict.fromkeys(self.types))
        if self.topic is not None and not self.topic.strip():
            raise ValueError("topic is blank")
        return self

    def filters(self) -> SearchFilters | None:
        """The material as search filters (None for the whole corpus)."""
        if not self.documents and not self.doc_type:
            return None
        return SearchFilters(sources=self.documents, doc_types=[self.doc_type] if self.doc_type else [])


class RetrievalTarget(BaseModel):
    """A query the assistant's search must answer with a passage: the chunk, or any hit holding the quote."""

    model_config = ConfigDict(extra="forbid")

    query: str
    source: str
    chunk_id: str
    quote: str


class ItemSource(BaseModel):
    """Where an item comes from and what its checks need (kept beside the item, not exported)."""

    model_config = ConfigDict(extra="forbid")

    fact_ids: list[str]
    mode: StemMode
    key_kind: KeyKind
    key: KeyValue | None = Field(None, description="The key (for true/false: the value written in the statement).")
    supported: list[KeyValue] = Field(
        default_factory=list, description="Values the corpus states for the item's subject: never a distractor."
    )
    quotes: list[str] = Field(default_factory=list, description="Every quote of the item's facts.")
    context: str = Field(
        "", description="A whole document's text that must state no distractor (a stem naming only the document)."
    )
    pair_quotes: list[str] = Field(default_factory=list, description="Matching: the quote of each pair, in order.")
    targets: list[RetrievalTarget] = Field(default_factory=list)
    source_language: str = "und"
    filters: SearchFilters | None = None
