"""Split loaded documents into small, structure-respecting chunks with stable ids.

Loaders already cut documents at structure: one Document per PDF page, per
heading section, per spreadsheet or DOCX table row. Here each unit is split
further at paragraph, then sentence, then clause boundaries, so one chunk
pinpoints a single fact (a document number, a count of communes). A row stays
one chunk unless it is longer than the chunk size.
"""

from __future__ import annotations

import hashlib

from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.settings import ChunkSettings
from assistant.types import Chunk, ChunkMeta

# Paragraphs, lines, then sentence ends in the scripts of our corpus, then clauses.
SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "。", "; ", ": ", ", ", " ", ""]


def chunk_id(source: str, position: str, text: str) -> str:
    """Stable id from the source path, the position inside it, and the content."""
    digest = hashlib.sha256(f"{source}\x1f{position}\x1f{text}".encode()).hexdigest()
    return digest[:32]


def _position(meta: dict, ordinal: int) -> str:
    parts = [f"{key}={meta.get(key)}" for key in ("page", "section", "sheet", "row") if meta.get(key) is not None]
    return "|".join(parts + [f"part={ordinal}"])


def split_documents(documents: list[Document], settings: ChunkSettings, file_hash: str = "") -> list[Chunk]:
    """Split the documents of one file into chunks, numbered in reading order.

    ``chunk_index`` runs over the whole file, so a chunk's neighbours are the
    chunks of the same source with index ± 1 (used for context expansion).
    """
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=settings.size,
        chunk_overlap=settings.overlap,
        separators=SEPARATORS,
        keep_separator="end",
        strip_whitespace=True,
    )
    chunks: list[Chunk] = []
    for doc in documents:
        text = doc.page_content.strip()
        if not text:
            continue
        pieces = [text] if len(text) <= settings.size else splitter.split_text(text)
        for ordinal, piece in enumerate(p for p in pieces if p.strip()):
            meta = ChunkMeta(**doc.metadata, chunk_index=len(chunks), file_hash=file_hash)
            chunks.append(
                Chunk(id=chunk_id(meta.source, _position(doc.metadata, ordinal), piece), text=piece, meta=meta)
            )
    return chunks
