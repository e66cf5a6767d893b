"""Context expansion: a small retrieved chunk widened to its neighbours for reading.

Chunks are small so that one of them pinpoints a fact; an answer needs the
sentences around it. Neighbours are the chunks of the same file with
``chunk_index`` ± ``window`` that belong to the same structural unit (page,
section; never another spreadsheet row), joined with the chunk overlap removed.
"""

from __future__ import annotations

from assistant.index import CorpusIndex
from assistant.types import Chunk


def _same_unit(a: Chunk, b: Chunk) -> bool:
    return (a.meta.page, a.meta.section, a.meta.sheet, a.meta.row) == (b.meta.page, b.meta.section, b.meta.sheet, b.meta.row)


def _join(left: str, right: str, max_overlap: int = 400) -> str:
    """Concatenate two consecutive chunks, dropping the text the splitter repeated at the seam."""
    for size in range(min(len(left), len(right), max_overlap), 0, -1):
        if left.endswith(right[:size]):
            return left + right[size:]
    return f"{left}\n{right}" if left.endswith((".", "!", "?", ":", ";")) or "\n" in right[:1] else f"{left} {right}"


def expand_context(index: CorpusIndex, chunk: Chunk, window: int = 1) -> str:
    """The text of ``chunk`` with up to ``window`` neighbours on each side from the same unit."""
    if window <= 0 or chunk.meta.row is not None:
        return chunk.text
    i = chunk.meta.chunk_index
    around = [c for c in index.neighbours(chunk.meta.source, i - window, i + window) if _same_unit(c, chunk)]
    # Keep only the contiguous run around the chunk itself.
    indices = [c.meta.chunk_index for c in around]
    if i not in indices:
        return chunk.text
    start = end = indices.index(i)
    while start > 0 and indices[start - 1] == indices[start] - 1:
        start -= 1
    while end < len(indices) - 1 and indices[end + 1] == indices[end] + 1:
        end += 1
    text = around[start].text
    for neighbour in around[start + 1 : end + 1]:
        text = _join(text, neighbour.text)
    return text
