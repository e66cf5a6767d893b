"""The embedding backend: default model, any sentence-transformers folder by configuration, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.errors import ModelError
from assistant.models.embeddings import build_embeddings, resolve_model
from assistant.settings import EmbeddingSettings


@pytest.mark.slow
def test_model_by_path_applies_its_e5_prompts(embedding_settings, embeddings):
    by_path = build_embeddings(EmbeddingSettings(model=resolve_model(embedding_settings)))
    query = "Kế hoạch 02 chia thành mấy giai đoạn?"
    assert np.allclose(by_path.embed_query(query), embeddings.embed_query(query), atol=1e-5)
    # Query and passage prompts differ, so the same text embeds differently in each role.
    assert not np.allclose(by_path.embed_query(query), by_path.embed_documents([query])[0], atol=1e-3)


def test_unbuilt_default_model_says_how_to_build(tmp_path):
    with pytest.raises(ModelError, match="assistant models build"):
        build_embeddings(EmbeddingSettings(models_dir=tmp_path))


def test_unknown_model_name_fails_offline_with_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no-such-org/no-such-model"):
        build_embeddings(EmbeddingSettings(model="no-such-org/no-such-model", models_dir=tmp_path))
