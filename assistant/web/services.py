"""What the web tabs share: the assistants (one per backend), the feedback store, locks and versions.

Built once by :func:`build_services` when the app is built; nothing happens at import.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from assistant.api import Assistant
from assistant.chroma_client import index_errors
from assistant.errors import AssistantError
from assistant.feedback import FeedbackStore, open_feedback_store
from assistant.index import CorpusIndex, FileRecord
from assistant.settings import Settings

log = logging.getLogger(__name__)

# Backends in the order the side panel lists them.
BACKEND_ORDER = ("local", "openai", "ollama", "none")
SERVING_THREADS = 1
# Questions in progress at once (extra ones wait in Gradio's queue). Generation itself is limited by
# ``generating``; waiting there costs a parked thread, and meanwhile the user already sees the evidence.
ANSWER_SLOTS = 16


@dataclass(frozen=True)
class CorpusVersion:
    documents: int
    chunks: int
    digest: str
    updated: datetime | None

    def __str__(self) -> str:
        when = self.updated.strftime("%Y-%m-%d %H:%M") if self.updated else "-"
        return f"{self.documents} docs, {self.chunks} chunks, #{self.digest} ({when} UTC)"


def corpus_version(records: dict[str, FileRecord]) -> CorpusVersion:
    """A short fingerprint of what is indexed: the sources and their content hashes."""
    ok = sorted((r for r in records.values() if r.status == "ok"), key=lambda r: r.source)
    digest = hashlib.sha256("\n".join(f"{r.source}\t{r.hash}" for r in ok).encode()).hexdigest()[:8]
    newest = max((r.indexed_at for r in ok), default=None)
    updated = datetime.fromtimestamp(newest, tz=UTC) if newest else None
    return CorpusVersion(len(ok), sum(r.chunks for r in ok), digest, updated)


def available_backends(settings: Settings) -> list[str]:
    """Backends that can answer here: the configured one, extractive, and others that look set up."""
    from assistant.errors import ModelError
    from assistant.models.gguf import gguf_target

    found = {settings.llm, "none"}
    try:
        if gguf_target(settings.local).exists():
            found.add("local")
    except ModelError:
        pass  # unknown local model name: not available
    if settings.openai.base_url or os.environ.get("OPENAI_BASE_URL"):
        found.add("openai")
    return [b for b in BACKEND_ORDER if b in found]


@dataclass
class Services:
    settings: Settings
    feedback: FeedbackStore
    drafts_path: Path
    backends: list[str]
    _assistants: dict[str, Assistant] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # One llama.cpp model is not thread-safe: local generations run one at a time.
    generation_lock: threading.Lock = field(default_factory=threading.Lock)
    # Remote backends (endpoint, Ollama) generate up to ``web.concurrency`` answers at once.
    remote_slots: threading.BoundedSemaphore = field(init=False)
    # Retrieval and extractive answers are CPU work in this process: ``web.concurrency`` at a time.
    cpu_slots: threading.BoundedSemaphore = field(init=False)
    # Syncs and deletions change the corpus folder and the index: one at a time.
    corpus_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.remote_slots = threading.BoundedSemaphore(self.settings.web.concurrency)
        self.cpu_slots = threading.BoundedSemaphore(self.settings.web.concurrency)

    @property
    def default_backend(self) -> str:
        return self.settings.llm

    @cached_property
    def index(self) -> CorpusIndex:
        return self.assistant(self.default_backend).index

    def assistant(self, backend: str | None) -> Assistant:
        """The shared assistant of ``backend`` (all of them use one index)."""
        name = backend if backend in self.backends else self.default_backend
        with self._lock:
            if name not in self._assistants:
                first = next(iter(self._assistants.values()), None)
                self._assistants[name] = Assistant(
                    self.settings, backend=name, index=first.index if first else None
                )
            return self._assistants[name]

    def documents(self) -> dict[str, FileRecord]:
        with index_errors(self.settings.index):  # a server out of reach: IndexUnavailable
            return self.index.file_records()

    def corpus_version(self) -> CorpusVersion:
        return corpus_version(self.documents())

    @cached_property
    def embedding_model(self) -> str:
        from assistant.models.embeddings import model_version

        return model_version(self.settings.embedding)

    def llm_label(self, backend: str | None) -> str:
        from assistant.models.llm import llm_label

        return llm_label(self.settings, backend if backend in self.backends else self.default_backend)

    @property
    def upload_dir(self) -> Path:
        return self.settings.corpus.dir / self.settings.web.upload_dir

    def warm_up(self) -> None:
        """Load the embedding model, the lexical snapshot and the default LLM before the first question."""
        try:
            assistant = self.assistant(self.default_backend)
            if assistant.index.count():
                assistant.search("Kế hoạch 02", k=1)
            _ = assistant.chat_model
        except AssistantError as exc:  # the first question will report it to the user
            log.warning("warm-up failed: %s", exc)

    @contextmanager
    def generating(self, mode: str) -> Iterator[None]:
        """Hold a slot for work of ``mode``: the local model (one at a time), a remote model
        (``web.concurrency`` at a time), or CPU work in this process — retrieval and extractive
        answers (``web.concurrency`` at a time, so the page stays responsive under load)."""
        slot = {"local": self.generation_lock, "openai": self.remote_slots, "ollama": self.remote_slots}
        with slot.get(mode, self.cpu_slots):
            yield

    def busy(self, mode: str) -> bool:
        """True when an answer of ``mode`` would wait for the model."""
        return mode == "local" and self.generation_lock.locked()

    @property
    def answer_slots(self) -> int:
        """Questions processed at once: retrieval and evidence for all of them, generation as slots allow."""
        return max(ANSWER_SLOTS, self.settings.web.concurrency)


def serving_settings(settings: Settings) -> Settings:
    """``settings`` for a server: one torch thread per query unless ``embedding.threads`` was set explicitly.

    Requests encode one short query each, several at a time; with two threads per
    query on a two-core machine the threads contend and a query took ~0.6 s
    instead of ~0.025 s with one thread.
    """
    if "threads" in settings.embedding.model_fields_set:
        return settings
    return settings.model_copy(update={"embedding": settings.embedding.model_copy(update={"threads": SERVING_THREADS})})


def build_services(settings: Settings, drafts_path: Path | None = None) -> Services:
    settings = serving_settings(settings)
    return Services(
        settings=settings,
        feedback=open_feedback_store(settings),
        drafts_path=drafts_path or Path("evals") / "drafts.jsonl",
        backends=available_backends(settings),
    )
