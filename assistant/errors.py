"""Domain errors. The package raises these; only the CLI and web layers turn them into messages."""

from __future__ import annotations

from pathlib import Path


class AssistantError(Exception):
    """Base class of every error the package raises on purpose."""


class ConfigError(AssistantError):
    """A setting is invalid or names something that does not exist."""


class IngestError(AssistantError):
    """A corpus file could not be turned into text. ``reason`` is one line for the user."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ModelError(AssistantError):
    """A model could not be built, verified or loaded."""


class ModelUnavailable(ModelError):
    """The language model failed while answering (server down, timeout, broken stream).

    Raised only by the model adapter (:meth:`assistant.answer.Answerer._stream_reply`), so that
    the pipeline falls back to quotes for a backend failure and never for a bug of its own."""


class IndexError_(AssistantError):
    """The vector index could not be opened or written."""


class IndexUnavailable(IndexError_):
    """The Chroma server cannot be reached. Nothing is lost: the next request tries again, so the
    app works again by itself once the server is back."""


class IndexEmpty(IndexError_):
    """The index holds no passage: nothing has been indexed into it yet. Measuring against it would
    report every question as missed, which reads as a regression of everything."""


class IndexCorrupt(IndexError_):
    """The embedded index folder is damaged; ``assistant index --rebuild`` rebuilds it from the corpus."""


class IndexFull(IndexError_):
    """The disk holding the embedded index has too little free space left: indexing stopped before
    Chroma ran out of it (the files indexed so far are kept; the rest are indexed by the next run)."""


class QuestionSetError(AssistantError):
    """A question set (evals/*.jsonl) has a malformed line."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        super().__init__(f"{self.path}:{line}: {reason}")
