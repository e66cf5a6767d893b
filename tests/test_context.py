"""Context expansion to neighbouring chunks, on a real Chroma index."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from assistant.chunking import split_documents
from assistant.retrieval.context import _join, expand_context
from assistant.settings import ChunkSettings


def test_join_drops_the_repeated_overlap():
    assert _join("Giai đoạn 1 đến 30/6. Giai đoạn 2", "Giai đoạn 2 từ 1/7.") == "Giai đoạn 1 đến 30/6. Giai đoạn 2 từ 1/7."
    assert _join("Câu một.", "Câu hai.") == "Câu một.\nCâu hai."


@pytest.mark.slow
def test_chunk_expands_to_its_neighbours_within_the_same_page(settings, make_index):
    meta = {"source": "g.pdf", "title": "G", "url": None, "language": "vi", "doc_type": "guidebook", "site": None, "date": None,
                "section": None, "sheet": None, "row": None}
    sentences = [f"Câu {i} của trang một." for i in range(12)]
    docs = [Document(page_content=" ".join(sentences), metadata={**meta, "page": 1}),
            Document(page_content="Trang hai nói về giai đoạn bứt phá.", metadata={**meta, "page": 2})]
    chunks = split_documents(docs, ChunkSettings(size=60, overlap=0))
    index = make_index(settings)
    index.add_chunks(chunks)
    page_one = [c for c in chunks if c.meta.page == 1]
    middle = page_one[2]
    text = expand_context(index, middle, window=1)
    assert text.startswith(page_one[1].text) and text.endswith(page_one[3].text) and middle.text in text
    # The last chunk of page 1 does not pull in page 2.
    assert "Trang hai" not in expand_context(index, page_one[-1], window=1)
    assert expand_context(index, middle, window=0) == middle.text
