"""Single words across the Vietnamese boundary: an English query meets a Vietnamese chunk only through
its acronyms, never through a folded syllable ("day" is no "đai"), with a real index."""

from __future__ import annotations

import pytest

from assistant.retrieval.lexical import snapshot_for
from assistant.retrieval.search import compute_channels
from assistant.sync import sync_corpus

pytestmark = pytest.mark.slow

FILES = {
    "dat-dai.txt": "Hồ sơ đất đai còn hiệu lực được số hóa trong năm 2026 và lưu tại kho dữ liệu của tỉnh.",
    "vneid.txt": "Số tài khoản VNeID được kích hoạt tăng gấp đôi so với năm trước ở các xã.",
    "en.txt": "The daily report is sent every day before the afternoon deadline by each commune.",
}


@pytest.fixture
def index(settings, make_index):
    settings.facts.enabled = False
    for name, text in FILES.items():
        (settings.corpus.dir / name).write_text(text, encoding="utf-8")
    built = make_index(settings)
    sync_corpus(built, settings)
    return built


def _unigrams(index, query: str) -> dict[str, float]:
    snap = snapshot_for(index)
    channels = compute_channels(index, snap, query, None)
    return {snap.chunks[int(p)].meta.source: float(s) for p, s in zip(channels.positions, channels.bm25)}


def test_an_english_query_meets_vietnamese_chunks_only_through_its_acronyms(index) -> None:
    scores = _unigrams(index, "On which day are VNeID accounts counted?")
    assert scores["dat-dai.txt"] == 0.0, "'day' folded and keyed is 'đai': no match across languages"
    assert scores["vneid.txt"] > 0.0, "an acronym is written the same in every language"
    assert scores["en.txt"] > 0.0, "within one language single words still count"


def test_a_vietnamese_query_is_unchanged(index) -> None:
    scores = _unigrams(index, "Hồ sơ đất đai được số hóa khi nào?")
    assert scores["dat-dai.txt"] > 0.0


def test_a_chunks_dense_score_takes_a_share_from_its_closest_sentence(index, monkeypatch) -> None:
    """The dense channel mixes each pooled chunk's cosine with its closest stored sentence's (no embedding)."""
    import numpy as np

    from assistant.retrieval.fusion import DEFAULT_WEIGHTS

    snap = snapshot_for(index)
    query = "When is the daily report sent?"

    def dense(**weights: float) -> np.ndarray:
        return compute_channels(index, snap, query, None, DEFAULT_WEIGHTS.model_copy(update=weights)).dense

    plain = dense(sentence=0.0)
    calls: list[int] = []
    cls = type(index.embeddings)
    real = cls.embed_documents
    monkeypatch.setattr(cls, "embed_documents", lambda self, texts: calls.append(len(texts)) or real(self, texts))
    mixed = dense(sentence=0.4)
    assert calls == [], "the sentences' vectors were stored at index time"
    chunks = [snap.chunks[int(p)] for p in compute_channels(index, snap, query, None).positions]
    closest = index.sentences.closest(chunks, index.query_vector(query))
    assert np.allclose(mixed, 0.6 * plain + 0.4 * closest, atol=1e-5)
    pooled = dense(sentence=0.4, sentence_pool=1)
    top = int(np.argmax(plain))
    assert np.isclose(pooled[top], mixed[top]) and np.allclose(np.delete(pooled, top), np.delete(plain, top))
