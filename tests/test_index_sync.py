"""Sync of corpus/ into a real Chroma index with the real embedding model."""

from __future__ import annotations

import os
import time

import pytest

from assistant.sync import sync_corpus

pytestmark = pytest.mark.slow

VI_TEXT = (
    "Sổ tay hướng dẫn triển khai Kế hoạch số 02-KH/BCĐTW.\n\n"
    "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025. Giai đoạn bứt phá bắt đầu từ ngày 1/7/2025.\n\n"
    "Trung tâm phục vụ hành chính công cấp xã tiếp nhận hồ sơ của người dân."
)
RU_TEXT = "Руководство разделено на 4 части и 10 глав.\n\nГлава 1 объясняет важность Плана № 02."


def _write(corpus, name, text):
    path = corpus / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_add_change_delete_are_tracked(settings, make_index):
    corpus = settings.corpus.dir
    _write(corpus, "so-tay.md", "# Sổ tay\n\n" + VI_TEXT)
    _write(corpus, "ru.txt", RU_TEXT)
    index = make_index(settings)

    first = sync_corpus(index, settings)
    assert sorted(first.added) == ["ru.txt", "so-tay.md"] and first.ok
    total = index.count()
    assert total >= 2

    # Re-running an unchanged corpus writes nothing and duplicates nothing.
    again = sync_corpus(index, settings)
    assert again.chunks_written == 0 and sorted(again.unchanged) == ["ru.txt", "so-tay.md"]
    assert index.count() == total

    # A changed file is re-embedded: its old chunks go, its new ones come.
    _write(corpus, "ru.txt", "Руководство разделено на 4 части, 10 глав и 3 приложения.")
    changed = sync_corpus(index, settings)
    assert changed.changed == ["ru.txt"]
    texts = [c.text for c in index.all_chunks(where={"source": "ru.txt"})]
    assert texts == ["Руководство разделено на 4 части, 10 глав и 3 приложения."]

    # A deleted file's chunks are removed.
    (corpus / "so-tay.md").unlink()
    removed = sync_corpus(index, settings)
    assert removed.removed == ["so-tay.md"]
    assert index.all_chunks(where={"source": "so-tay.md"}) == []
    assert set(index.file_records()) == {"ru.txt"}


def test_unchanged_resync_does_not_load_the_model(settings, make_index):
    _write(settings.corpus.dir, "a.txt", VI_TEXT)
    sync_corpus(make_index(settings), settings)
    loads: list = []
    fresh = make_index(settings, loads)  # a new process: nothing cached in memory
    report = sync_corpus(fresh, settings)
    assert report.unchanged == ["a.txt"] and loads == []


def test_touched_but_identical_file_is_not_reembedded(settings, make_index):
    path = _write(settings.corpus.dir, "a.txt", VI_TEXT)
    index = make_index(settings)
    sync_corpus(index, settings)
    os.utime(path, (time.time() + 10, time.time() + 10))
    report = sync_corpus(index, settings)
    assert report.chunks_written == 0 and report.unchanged == ["a.txt"]


def test_manifest_edit_reindexes_with_new_metadata(settings, make_index):
    _write(settings.corpus.dir, "a.txt", VI_TEXT)
    index = make_index(settings)
    sync_corpus(index, settings)
    _write(settings.corpus.dir, "manifest.yaml", "a.txt:\n  title: Sổ tay Kế hoạch 02\n  doc_type: guidebook\n")
    report = sync_corpus(index, settings)
    assert report.changed == ["a.txt"]
    metas = {c.meta.title for c in index.all_chunks()} , {c.meta.doc_type for c in index.all_chunks()}
    assert metas == ({"Sổ tay Kế hoạch 02"}, {"guidebook"})


def test_bad_files_are_listed_and_the_rest_still_indexes(settings, make_index):
    corpus = settings.corpus.dir
    _write(corpus, "good.txt", VI_TEXT)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>\ntruncated")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "notes.xyz").write_text("hello", encoding="utf-8")
    index = make_index(settings)
    report = sync_corpus(index, settings)
    assert report.added == ["good.txt"]
    failed = {f.source: f.reason for f in report.failed}
    assert set(failed) == {"broken.pdf", "empty.txt", "notes.xyz"}
    assert "pdf" in failed["broken.pdf"].lower()
    assert "unsupported" in failed["notes.xyz"].lower()
    assert not report.ok
    # Still failing on the next run, still reported, nothing re-read.
    again = sync_corpus(index, settings)
    assert {f.source for f in again.failed} == set(failed) and again.chunks_written == 0
    # Fixing the file indexes it.
    _write(corpus, "empty.txt", RU_TEXT)
    fixed = sync_corpus(index, settings)
    assert fixed.changed == ["empty.txt"] and {f.source for f in fixed.failed} == {"broken.pdf", "notes.xyz"}


def test_run_killed_half_way_leaves_old_index_usable_and_next_run_completes(settings, make_index, monkeypatch):
    corpus = settings.corpus.dir
    for i in range(3):
        _write(corpus, f"doc{i}.txt", f"Tài liệu {i}. " + VI_TEXT)
    settings.index.batch_size = 2
    settings.chunking.size = 120  # several chunks per file, so the kill lands inside a file
    index = make_index(settings)
    sync_corpus(index, settings)
    before = {c.id for c in index.all_chunks()}

    for i in range(3):
        _write(corpus, f"doc{i}.txt", f"Phiên bản mới {i}. " + VI_TEXT + " Thêm nội dung.")
    calls = {"n": 0}
    real_add = index.add_chunks

    def dying_add(chunks):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the process is killed between two batches
        real_add(chunks)

    monkeypatch.setattr(index, "add_chunks", dying_add)
    with pytest.raises(KeyboardInterrupt):
        sync_corpus(index, settings)
    # Every old chunk is still there: searching still works on the previous corpus.
    assert before <= {c.id for c in index.all_chunks()}
    assert index.dense_search("giai đoạn cấp bách", k=3)

    monkeypatch.setattr(index, "add_chunks", real_add)
    done = sync_corpus(index, settings)
    assert done.ok and len(done.changed) == 3 - len(done.unchanged)
    texts = [c.text for c in index.all_chunks()]
    assert not any(t.startswith("Tài liệu") for t in texts)
    assert sum(t.startswith("Phiên bản mới") for t in texts) == 3
    assert sync_corpus(index, settings).chunks_written == 0


def test_sample_corpus_finds_cross_language_answers(settings, make_index, sample_corpus):
    """A Vietnamese question finds the German/Spanish passage with the two phases."""
    from assistant.retrieval import SearchFilters, search

    index = make_index(settings)
    report = sync_corpus(index, settings)
    assert len(report.added) == 5 and report.ok
    chunks = index.all_chunks()
    assert {c.meta.language for c in chunks} == {"uk", "de", "ru", "pt", "es"}
    assert all(c.meta.url and c.meta.url.startswith("https://") for c in chunks)
    # Furniture is not content.
    assert not any("Коментар (0)" in c.text or "No data" in c.text for c in chunks)

    hits = search(index, "Giai đoạn cấp bách của Kế hoạch 02 kéo dài đến ngày nào?", k=5)
    assert any("30" in h.chunk.text and ("2025" in h.chunk.text) for h in hits)

    only_es = search(index, "phases of Plan 02", k=3, filters=SearchFilters(languages=["es"]))
    assert only_es and all(h.chunk.meta.language == "es" for h in only_es)


def test_changing_the_embedding_model_requires_a_rebuild(settings, embeddings):
    from assistant.errors import IndexError_
    from assistant.index import CorpusIndex

    _write(settings.corpus.dir, "a.txt", VI_TEXT)
    sync_corpus(CorpusIndex(settings.index, lambda: embeddings, model_label="model-A"), settings)
    other = CorpusIndex(settings.index, lambda: embeddings, model_label="model-B")
    with pytest.raises(IndexError_, match="--rebuild"):
        other.dense_search("giai đoạn", k=1)
    _write(settings.corpus.dir, "b.txt", RU_TEXT)
    with pytest.raises(IndexError_, match="model-A"):
        sync_corpus(other, settings)
    other.reset()
    report = sync_corpus(other, settings)
    assert sorted(report.added) == ["a.txt", "b.txt"] and other.dense_search("giai đoạn", k=1)
