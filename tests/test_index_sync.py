"""Sync of corpus/ into a real Chroma index with the real embedding model."""

from __future__ import annotations

import os
import random
import time

import pytest

from assistant.sync import sync_corpus

try:
    from tests import fixtures_docs as fx
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    import fixtures_docs as fx

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


def test_a_reader_upgrade_or_new_chunk_size_reindexes_unchanged_files(settings, make_index, monkeypatch):
    from assistant import sync

    _write(settings.corpus.dir, "a.txt", VI_TEXT)
    index = make_index(settings)
    sync_corpus(index, settings)
    assert sync_corpus(index, settings).unchanged == ["a.txt"]
    monkeypatch.setattr(sync, "INGEST_VERSION", "next")  # the readers now make other units of the same bytes
    assert sync_corpus(index, settings).changed == ["a.txt"]
    assert sync_corpus(index, settings).unchanged == ["a.txt"]
    smaller = settings.model_copy(update={"chunking": settings.chunking.model_copy(update={"size": 120})})
    report = sync_corpus(index, smaller)
    assert report.changed == ["a.txt"] and report.chunks_total > 1


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


def test_hostile_files_fail_alone_and_every_good_file_lands(settings, make_index):
    corpus = settings.corpus.dir
    _write(corpus, "good.txt", VI_TEXT)
    fx.make_repeated_docx(corpus)  # identical table rows (and tables, and sections): once a DuplicateIDError
    paragraph = "Ghi chú: hồ sơ nộp trực tuyến được xử lý trong ngày làm việc."
    _write(corpus, "twice.md", f"# Ghi chú\n\n{paragraph}\n\n# Ghi chú\n\n{paragraph}\n")
    _write(corpus, "same-paragraphs.txt", f"{paragraph}\n\n{paragraph}\n")
    fx.make_truncated_docx(corpus)
    (corpus / "random.pdf").write_bytes(random.Random(7).randbytes(3000))
    (corpus / "empty.csv").write_bytes(b"")
    (corpus / "header-only.csv").write_text("Thủ tục;Cơ quan chủ trì;Thời hạn\n", encoding="utf-8")
    index = make_index(settings)

    report = sync_corpus(index, settings)

    good = ["bang-trung-lap.docx", "good.txt", "same-paragraphs.txt", "twice.md"]
    assert sorted(report.added) == good
    failed = {f.source: f.reason for f in report.failed}
    assert set(failed) == {"cat-ngang.docx", "random.pdf", "empty.csv", "header-only.csv"}
    assert all(reason and "\n" not in reason for reason in failed.values())
    assert failed["cat-ngang.docx"].startswith("corrupt or unreadable DOCX")
    assert failed["random.pdf"].startswith("corrupt or unreadable PDF")
    assert failed["empty.csv"] == "empty file" and failed["header-only.csv"] == "no text"
    records = index.file_records()
    for source in good:
        chunks = index.all_chunks(where={"source": source})
        assert chunks and len(chunks) == records[source].chunks and records[source].status == "ok"
    assert len(index.all_chunks(where={"source": "bang-trung-lap.docx"})) == 10  # 2 × (1 paragraph + 2 tables × 2 rows)
    # The next run has nothing to redo, and fails nothing new.
    again = sync_corpus(index, settings)
    assert again.chunks_written == 0 and {f.source for f in again.failed} == set(failed)


def _three_files(settings) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        _write(settings.corpus.dir, name, f"Tài liệu {name}. " + VI_TEXT)
    settings.chunking.size = 120  # several chunks per file ...
    settings.index.batch_size = 4  # ... in batches that mix files


def _chunks_of(settings, source: str) -> list:
    from assistant.chunking import split_documents
    from assistant.ingest import load_file

    loaded = load_file(settings.corpus.dir / source, settings.corpus.dir, settings.corpus)
    return split_documents(loaded.documents, settings.chunking)


def test_a_write_error_fails_only_that_file_and_leaves_none_of_its_chunks(settings, make_index, monkeypatch):
    _three_files(settings)
    index = make_index(settings)
    real_add = index.add_chunks
    last_of_b = len(_chunks_of(settings, "b.txt")) - 1

    def add(chunks):
        # Fails late in b.txt, once its first chunks are already written.
        if any(c.meta.source == "b.txt" and c.meta.chunk_index == last_of_b for c in chunks):
            raise RuntimeError("disk full\nwhile writing")
        real_add(chunks)

    monkeypatch.setattr(index, "add_chunks", add)
    report = sync_corpus(index, settings)

    assert sorted(report.added) == ["a.txt", "c.txt"]
    [failed] = report.failed
    assert failed.source == "b.txt" and failed.reason == "index write failed: RuntimeError: disk full"
    assert index.all_chunks(where={"source": "b.txt"}) == []
    assert {c.meta.source for c in index.all_chunks()} == {"a.txt", "c.txt"}
    assert report.chunks_written == index.count()
    assert index.file_records()["b.txt"].status == "error"

    # Unlike an unreadable file, a failed write is retried by the next run.
    monkeypatch.setattr(index, "add_chunks", real_add)
    again = sync_corpus(index, settings)
    assert again.ok and again.changed == ["b.txt"] and sorted(again.unchanged) == ["a.txt", "c.txt"]
    assert len(index.all_chunks(where={"source": "b.txt"})) == last_of_b + 1


def test_a_chroma_error_in_one_file_fails_only_that_file(settings, make_index, monkeypatch):
    """A real Chroma error (ids repeated within one batch) for one file's chunks."""
    from assistant import sync

    _three_files(settings)
    real_split = sync.split_documents

    def split(documents, chunking, file_hash=""):
        chunks = real_split(documents, chunking, file_hash=file_hash)
        if chunks and chunks[0].meta.source == "c.txt":
            chunks = [c.model_copy(update={"id": chunks[0].id}) for c in chunks]
        return chunks

    monkeypatch.setattr(sync, "split_documents", split)
    index = make_index(settings)
    report = sync_corpus(index, settings)
    assert sorted(report.added) == ["a.txt", "b.txt"]
    [failed] = report.failed
    assert failed.source == "c.txt" and failed.reason.startswith("index write failed: DuplicateIDError")
    assert {c.meta.source for c in index.all_chunks()} == {"a.txt", "b.txt"}


def test_chunks_are_embedded_with_their_heading_and_stored_as_their_own_text(settings, make_index):
    """The vector is of "heading + text", the stored document (what quotes and BM25 read) the text alone."""
    import numpy as np

    _write(settings.corpus.dir, "mau.md", "# Điều 2. Nhiệm vụ của Tổ công tác\n\nBan hành kế hoạch trong 10 ngày làm việc.\n")
    headed_settings = settings.model_copy(update={"chunking": settings.chunking.model_copy(update={"context_header": True})})
    index = make_index(headed_settings)
    sync_corpus(index, headed_settings)
    got = index._chunks.get(include=["documents", "embeddings", "metadatas"])
    assert got["documents"] == ["Ban hành kế hoạch trong 10 ngày làm việc."]
    assert got["metadatas"][0]["section"] == "Điều 2. Nhiệm vụ của Tổ công tác"
    stored = np.asarray(got["embeddings"][0])
    headed, plain = (np.asarray(v) for v in index.embeddings.embed_documents([
        "Điều 2. Nhiệm vụ của Tổ công tác\n\nBan hành kế hoạch trong 10 ngày làm việc.",
        "Ban hành kế hoạch trong 10 ngày làm việc.",
    ]))  # fmt: skip
    assert np.allclose(stored, headed, atol=1e-5) and not np.allclose(stored, plain, atol=1e-3)
    # The setting is part of how a file becomes chunks: turning it off re-embeds the file, text alone.
    assert sync_corpus(index, settings).changed == ["mau.md"]
    again = np.asarray(index._chunks.get(include=["embeddings"])["embeddings"][0])
    assert np.allclose(again, plain, atol=1e-5)
