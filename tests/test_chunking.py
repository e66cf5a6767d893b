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


def test_a_chunk_is_embedded_with_its_sheet_and_section_but_not_the_title():
    row = Document(page_content="STT: 1; Chức vụ: Chủ tịch UBND xã; Vai trò: Tổ trưởng",
                   metadata=_meta(source="mau.docx", title="Mẫu quyết định", section="Điều 1. Thành lập Tổ công tác",
                                  row=2))  # fmt: skip
    listed = Document(page_content="Thủ tục: Đăng ký kết hôn; Thời hạn: 30/9/2025",
                      metadata=_meta(source="list.xlsx", title="Danh mục", sheet="Thủ tục ưu tiên", row=4))
    prose = Document(page_content="Đề án có ba giai đoạn.", metadata=_meta(title="Sổ tay", page=7))
    chunks = split_documents([row, listed, prose], ChunkSettings(context_header=True))
    assert [c.context for c in chunks] == ["Điều 1. Thành lập Tổ công tác", "Thủ tục ưu tiên", ""]
    assert chunks[0].embedding_text == "Điều 1. Thành lập Tổ công tác\n\n" + row.page_content
    assert chunks[2].embedding_text == prose.page_content  # nothing to add: the title is shared by every chunk
    assert [c.text for c in chunks] == [d.page_content for d in (row, listed, prose)]  # what quotes read


def test_a_heading_repeating_the_sheet_name_is_given_once_and_the_header_is_off_by_default():
    doc = Document(page_content="STT: 1; Nhiệm vụ: Ban hành quy chế",
                   metadata=_meta(source="list.xlsx", sheet="Nhiệm vụ", section="nhiệm vụ", row=2))
    on = split_documents([doc], ChunkSettings(context_header=True))[0]
    assert on.context == "Nhiệm vụ"
    off = split_documents([doc], ChunkSettings())[0]
    assert off.context == "" and off.embedding_text == doc.page_content
    assert off.id == on.id  # the header is not part of the chunk's identity
