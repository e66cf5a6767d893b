from langchain_core.documents import Document

from assistant.chunking import split_documents
from assistant.settings import ChunkSettings


def _meta(**extra):
    base = {"source": "a/doc.pdf", "title": "Doc", "url": None, "language": "vi", "doc_type": "guidebook",
                "site": None, "date": None, "page": None, "section": None, "sheet": None, "row": None}
    base.update(extra)
    return base


def test_long_page_splits_at_sentences_and_keeps_metadata():
    sentences = [f"Câu số {i} nói về thủ tục hành chính cấp xã." for i in range(40)]
    doc = Document(page_content=" ".join(sentences), metadata=_meta(page=3))
    chunks = split_documents([doc], ChunkSettings(size=200, overlap=0), file_hash="h")
    assert len(chunks) > 5
    assert all(len(c.text) <= 200 for c in chunks)
    assert all(c.meta.page == 3 and c.meta.file_hash == "h" for c in chunks)
    # No sentence is cut in the middle.
    assert all(c.text.endswith(".") for c in chunks)
    assert [c.meta.chunk_index for c in chunks] == list(range(len(chunks)))


def test_paragraphs_are_preferred_split_points():
    doc = Document(page_content="A" * 150 + "\n\n" + "B" * 150, metadata=_meta())
    chunks = split_documents([doc], ChunkSettings(size=200, overlap=0))
    assert [c.text for c in chunks] == ["A" * 150, "B" * 150]


def test_table_rows_stay_whole():
    rows = [
        Document(page_content=f"Thủ tục: Đăng ký {i}; Cơ quan chủ trì: UBND xã; Thời hạn: 30/6/2025",
                 metadata=_meta(source="list.xlsx", doc_type="list", sheet="TTHC", row=i + 2))
        for i in range(3)
    ]
    chunks = split_documents(rows, ChunkSettings(size=600, overlap=80))
    assert [c.text for c in chunks] == [r.page_content for r in rows]
    assert [c.meta.location for c in chunks] == ["TTHC, row 2", "TTHC, row 3", "TTHC, row 4"]


def test_ids_are_stable_and_depend_on_source_position_and_content():
    doc = Document(page_content="Kế hoạch số 02-KH/BCĐTW.", metadata=_meta(page=1))
    first = split_documents([doc], ChunkSettings())[0].id
    assert split_documents([doc], ChunkSettings())[0].id == first
    moved = Document(page_content=doc.page_content, metadata=_meta(page=2))
    other = Document(page_content=doc.page_content, metadata=_meta(source="b.pdf", page=1))
    edited = Document(page_content="Kế hoạch số 02-KH/BCĐTW!", metadata=_meta(page=1))
    ids = {first} | {split_documents([d], ChunkSettings())[0].id for d in (moved, other, edited)}
    assert len(ids) == 4


def test_empty_units_give_no_chunks():
    assert split_documents([Document(page_content="  \n ", metadata=_meta())], ChunkSettings()) == []


def test_identical_units_at_one_place_get_distinct_stable_ids():
    """Two identical table rows of one section (or identical repeated sections) once shared an id."""
    row = _meta(source="a.docx", section="Danh sách", row=2)
    docs = [Document(page_content="Thủ tục: Đăng ký khai sinh; Thời hạn: 30/06/2025", metadata=row) for _ in range(3)]
    chunks = split_documents(docs, ChunkSettings())
    assert len({c.id for c in chunks}) == 3
    assert [c.id for c in split_documents(docs, ChunkSettings())] == [c.id for c in chunks]
