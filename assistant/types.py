"""Typed data that flows between pipeline stages."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DocType = Literal["guidebook", "template", "list", "article", "other"]


def position(page: int | None, row: int | None, sheet: str | None, section: str | None, ocr: bool = False) -> str | None:
    """A passage's position as citations show it: 'p. 3', 'p. 4, row 3' (a table row on a PDF page), 'p. 5 (OCR)'
    (a scanned page read by OCR: its reader should check a figure against the scan), 'Sheet1, row 7', 'row 7'
    or a section heading."""
    if page is not None:
        where = f"p. {page}, row {row}" if row is not None else f"p. {page}"
        return f"{where} (OCR)" if ocr else where
    if sheet is not None and row is not None:
        return f"{sheet}, row {row}"
    if row is not None:
        return f"row {row}"
    return section


class ChunkMeta(BaseModel):
    """Metadata carried by every chunk, from loader to index to citation."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="Path relative to the corpus directory, with forward slashes.")
    title: str
    url: str | None = None
    language: str = Field(description="ISO 639-1 code, or 'und' when unknown.")
    doc_type: DocType = "other"
    site: str | None = None
    date: str | None = Field(default=None, description="ISO date (YYYY-MM-DD) of publication, when known.")
    page: int | None = Field(default=None, description="1-based PDF page.")
    section: str | None = Field(default=None, description="Heading path, e.g. DOCX or Markdown section.")
    sheet: str | None = None
    row: int | None = Field(default=None, description="1-based spreadsheet row (the header is row 1).")
    ocr: bool = Field(default=False, description="Read by OCR from a scanned page's picture: its figures may be misread.")
    chunk_index: int = 0
    file_hash: str = ""

    @property
    def location(self) -> str | None:
        """Human-readable position (:func:`position`)."""
        return position(self.page, self.row, self.sheet, self.section, self.ocr)

    def to_chroma(self) -> dict[str, str | int | float | bool]:
        """Chroma accepts only scalar, non-null metadata values."""
        return {k: v for k, v in self.model_dump().items() if v is not None}

    @classmethod
    def from_chroma(cls, data: dict) -> ChunkMeta:
        return cls(**{k: v for k, v in data.items() if k in cls.model_fields})


class Chunk(BaseModel):
    """A piece of a document as stored in the index."""

    id: str
    text: str
    meta: ChunkMeta
    context: str = Field(
        default="", description="Sheet and section heading embedded in front of the text (set at splitting, not stored)."
    )

    @property
    def embedding_text(self) -> str:
        """What the embedding model reads for this chunk: its context header, then its text."""
        return f"{self.context}\n\n{self.text}" if self.context else self.text


class SearchHit(BaseModel):
    """A retrieved chunk with the reasons it was retrieved."""

    chunk: Chunk
    score: float
    rank: int
    dense_rank: int | None = None
    lexical_rank: int | None = None
    matched_terms: list[str] = Field(default_factory=list)


class Citation(BaseModel):
    """A numbered source of an answer, with a verbatim quote from the cited chunk."""

    n: int
    source: str
    title: str
    url: str | None = None
    page: int | None = None
    location: str | None = None
    sheet: str | None = Field(default=None, description="Spreadsheet sheet of the cited chunk (as ChunkMeta.sheet).")
    row: int | None = Field(default=None, description="1-based spreadsheet row of the cited chunk (as ChunkMeta.row).")
    section: str | None = Field(default=None, description="Section heading of the cited chunk (as ChunkMeta.section).")
    quote: str = Field(description="A verbatim substring of the cited passage.")
    verified: bool


class Context(BaseModel):
    """A passage shown to the model (and to the user as evidence)."""

    rank: int
    source: str
    url: str | None = None
    title: str
    text: str
    score: float
    chunk_id: str = ""
    location: str | None = None
    language: str = "und"
    page: int | None = Field(default=None, description="1-based PDF page of the passage.")
    sheet: str | None = Field(default=None, description="Spreadsheet sheet of the passage.")
    row: int | None = Field(default=None, description="1-based table row of the passage.")
    section: str | None = Field(default=None, description="Section heading path of the passage.")


class Timings(BaseModel):
    retrieval_ms: float
    first_token_ms: float | None = None
    first_verified_ms: float | None = Field(
        default=None, description="When the first verified sentence reached the asker (the checked answer)."
    )
    total_ms: float


class Attempt(BaseModel):
    """One step of how an answer was made: a model reply, quotes, or the evidence gate, and its verdict."""

    step: str = Field(description="gate, outline, facts, answer, compose, cloze, translate, foreign or quotes (see answer.attempts).")
    accepted: bool
    reasons: list[str] = Field(default_factory=list, description="Why it was turned down (empty when accepted).")
    reply: str = Field("", description="The model's reply or the quoted text, as checked.")
    ms: float = Field(0.0, description="How long the step took.")


class Answer(BaseModel):
    """What `assistant ask --json` prints and what evaluation writes, one per question."""

    question: str
    answer: str
    refused: bool
    language: str
    mode: str = Field(description="Backend that produced the answer: local, openai, ollama, extractive.")
    citations: list[Citation] = Field(default_factory=list)
    contexts: list[Context] = Field(default_factory=list)
    timings: Timings
    standalone_question: str | None = Field(default=None, description="The follow-up rewritten from history.")
    claims: int = Field(0, description="Factual sentences in the answer.")
    verified_claims: int = Field(0, description="Sentences whose citations and figures checked out.")
    notice: str | None = Field(default=None, description="E.g. 'LLM unavailable: extractive answer'.")
    attempts: list[Attempt] = Field(default_factory=list, description="The steps tried, in order; the last made it.")
