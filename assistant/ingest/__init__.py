"""Ingestion: one corpus file → LangChain ``Document``s with metadata.

Each Document is one structural unit (a PDF page, a Markdown/HTML/DOCX section, a
spreadsheet or DOCX table row) and carries the ``ChunkMeta`` fields except
``chunk_index`` and ``file_hash``, which the chunker adds.
"""

from assistant.ingest.base import METADATA_KEYS, SUPPORTED_EXTENSIONS, LoadedFile
from assistant.ingest.furniture import clean_text
from assistant.ingest.loader import load_file
from assistant.ingest.metadata import load_manifest

__all__ = ["METADATA_KEYS", "SUPPORTED_EXTENSIONS", "LoadedFile", "clean_text", "load_file", "load_manifest"]
