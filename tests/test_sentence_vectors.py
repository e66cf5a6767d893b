"""Passage-sentence vectors: written with the chunks at index time, looked up (not re-embedded) per question."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.sentence_vectors import QuestionSimilarity, SentenceVectors, chunk_sentences

pytestmark = pytest.mark.slow

ROWS = """Tên thủ tục,Cơ quan chủ trì,Thời hạn hoàn thành
Đăng ký kết hôn,Sở Tư pháp,2025-09-30
Cấp giấy phép xây dựng,Sở Xây dựng,2025-10-31
"""
GUIDE = (
    "Sổ tay hướng dẫn triển khai Đề án.\n\nTổ công tác cấp tỉnh do Phó Chủ tịch UBND tỉnh làm Tổ trưởng. "
    "Tổ công tác họp định kỳ mỗi tháng một lần."
)


def test_sentences_are_stored_at_index_time_and_removed_with_their_file(settings, make_index, monkeypatch) -> None:
    from assistant.sync import sync_corpus

    corpus: Path = settings.corpus.dir
    (corpus / "ds.csv").write_text(ROWS, encoding="utf-8")
    (corpus / "so-tay.txt").write_text(GUIDE, encoding="utf-8")
    index = make_index(settings)
    sync_corpus(index, settings)
    chunks = index.all_chunks()
    expected = {(c.meta.source, t) for c in chunks for t in chunk_sentences(c)}
    assert index.sentence_collection.count() == len(expected) >= 4

    store = SentenceVectors(index)
    calls: list[int] = []
    cls = type(index.embeddings)
    real = cls.embed_documents
    monkeypatch.setattr(cls, "embed_documents", lambda self, texts: calls.append(len(texts)) or real(self, texts))
    vectors = store.vectors(sorted(expected))
    assert calls == []  # every sentence was stored when its file was indexed
    assert vectors.shape == (len(expected), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similarity = QuestionSimilarity(index, store)
    rows = [(s, t) for s, t in sorted(expected) if s == "ds.csv"]
    cosines = similarity("Which department handles marriage registration?", rows)
    assert "kết hôn" in rows[int(np.argmax(cosines))][1]
    store.vectors([("so-tay.txt", "Một câu chưa từng được lưu.")])
    assert calls == [1]  # an unseen sentence is embedded once, then stored
    monkeypatch.undo()

    (corpus / "so-tay.txt").unlink()
    sync_corpus(index, settings)
    left = index.sentence_collection.get(include=["metadatas"])["metadatas"]
    assert {m["source"] for m in left} == {"ds.csv"}
