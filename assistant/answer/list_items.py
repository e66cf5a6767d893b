"""Does a question (or a claim) name another item of a list than the table rows it meets?

A list holds siblings whose names begin alike: procedures "Đăng ký …" that differ in their last
words, the same task for two years. A question about an item the list does not hold meets its
siblings' rows through the words they share, and each such row answers about something else.
Within one language this shows in the words themselves: the question follows a row's cell for a
while, then goes on with a word the row does not hold, where the cell goes on with words the
question never uses; and another row of the passages begins its cell the same way, so the shared
words are the family's head and the rest names the item. What keeps a paraphrase ("qua mạng" for
"trực tuyến") from reading as another item:

* the shared run holds at least ``min_shared`` words that are not stop words, and either its first
  ``min_shared`` such words also occur in a cell of another row (a family of siblings), or the words
  just before the run differ as well ("đổi thẻ bảo hiểm xe" against "Cấp thẻ bảo hiểm y tế": the
  shared words are only the middle of two names);
* the run and the cell go on differently within one part of the cell: a comma, dash, bracket or
  colon starts a part of its own ("Sở … – Phòng …": a question naming the first part names the whole);
* the cell's remaining words share no word with the rest of the question ("chi phí sửa chữa
  thiết bị" for "chi phí bảo trì thiết bị" comes back to the cell's words);
* the word where the question goes on differently is in no field of the row (headers included).

A plan's phases are such a family in prose ("Giai đoạn 1 – Khởi động …", "Giai đoạn 2 – Nhân
rộng …"): :func:`names_other_item` reads a claim against the sentence that matches it, with
the passage's other sentences as the siblings.

Only texts in the rows' language can be compared so; the caller picks the rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from assistant.ingest.tables import split_row
from assistant.retrieval.text_norm import fold, is_stop_word

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Marks that end a part of a cell: what follows qualifies the name before it.
_PART_END = re.compile(r"\s[-–—]\s|[,;:()\[\]/]")


def other_items(question: str, rows: Mapping[int, str], min_shared: int = 2) -> dict[int, str]:
    """For each row of ``rows`` (key → "Header: value; …") that is a sibling of the item the question
    names, why: e.g. ``'"đăng ký xe máy", where the row has "Đăng ký xe ô tô"'``."""
    said = _words(question)
    parts = {k: _parts(row) for k, row in rows.items()}
    out = {}
    for k, row in rows.items():
        for head, framed, why in _divergences(said, row, parts[k], min_shared):
            if framed or any(_holds(cell, head) for j, cells in parts.items() if j != k for cell, _ in cells):
                out[k] = why
                break
    return out


def names_other_item(claim: str, sentence: str, others: Sequence[str], min_shared: int = 2) -> str | None:
    """Why ``claim`` names another item than ``sentence`` (the passage sentence that matches it) does,
    or None. The same reading as :func:`other_items`, with the passage's ``others`` sentences as the
    siblings: "giai đoạn nhân rộng" against "Giai đoạn khởi động tập trung …", where the passage also
    has "Giai đoạn 2 – Nhân rộng …"."""
    siblings = [cell for other in others for cell, _ in _parts(other)]
    # In prose the sentence goes on, after a comma, to say what the claim says: only its own part counts.
    parts = [(part, []) for part, _ in _parts(sentence)]
    # A shared middle is no sign in prose (sentences word the same thing around it differently): only
    # a sibling that begins the same way is.
    for head, _, why in _divergences(_words(claim), sentence, parts, min_shared, "passage"):
        if any(_holds(cell, head) for cell in siblings):
            return why
    return None


def _words(text: str) -> list[tuple[str, str]]:
    """``(as written, folded)`` for each word or number of ``text``."""
    return [(word, fold(word)) for word in _WORD.findall(unicodedata.normalize("NFC", text))]


def _parts(text: str) -> list[tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    """Each part of each cell of a row ``text`` (:data:`_PART_END`; the whole text when it is no row),
    with the words of its cell after it."""
    out = []
    for value in [value for _, value in split_row(text)] or [text]:
        pieces = [_words(p) for p in _PART_END.split(value)]
        out += [(piece, [w for later in pieces[n + 1 :] for w in later]) for n, piece in enumerate(pieces)]
    return out


def _holds(cell: list[tuple[str, str]], head: list[str]) -> bool:
    folded = [f for _, f in cell]
    return any(folded[a : a + len(head)] == head for a in range(len(folded) - len(head) + 1))


def _divergences(
    said: list[tuple[str, str]], row: str, cells: list[tuple[list[tuple[str, str]], list[tuple[str, str]]]],
    min_shared: int, noun: str = "row",
) -> list[tuple[list[str], bool, str]]:
    """``(head, framed, why)`` for each run of the question's words a cell of ``row`` follows before both
    go on differently; ``head`` is the run up to its ``min_shared``-th word that is not a stop word,
    ``framed`` whether the words before the run differ as well."""
    folded = [f for _, f in said]
    in_row = {f for _, f in _words(row)}
    found = []
    for cell_words, after in cells:
        cell = [f for _, f in cell_words]
        for i, a in _run_starts(folded, cell):
            n = 0
            while i + n < len(folded) and a + n < len(cell) and folded[i + n] == cell[a + n]:
                n += 1
            j, b = i + n, a + n
            content = [k for k in range(i, j) if not is_stop_word(said[k][0])]
            if j >= len(folded) or b >= len(cell) or len(content) < min_shared:
                continue
            surface, word = said[j]
            if is_stop_word(surface) or word in in_row or word.isdigit():
                continue
            rest = {f for w, f in cell_words[b:] + after if not is_stop_word(w)}
            if rest and not rest & (set(folded[:i]) | set(folded[j:])):
                # The words before the run differ too: the shared words are only the middle of two names.
                framed = i > 0 and a > 0 and _differs(said[i - 1], cell_words[a - 1], in_row, set(folded))
                named = " ".join(w for w, _ in said[i - framed : j + 1])
                cell_text = " ".join(w for w, _ in cell_words)
                head = folded[i : content[min_shared - 1] + 1]
                found.append((head, framed, f'"{named}", where the {noun} has "{cell_text}"'))
    return found


def _differs(said: tuple[str, str], cell: tuple[str, str], in_row: set[str], in_text: set[str]) -> bool:
    """Two words in the same place of the text and of a cell, neither a stop word nor found on the other side."""
    return not (is_stop_word(said[0]) or is_stop_word(cell[0]) or said[1] in in_row or cell[1] in in_text)


def _run_starts(text: list[str], cell: list[str]) -> list[tuple[int, int]]:
    """Positions ``(i, a)`` where ``text[i] == cell[a]`` and the words before them differ (a run's start)."""
    return [
        (i, a)
        for i, t in enumerate(text)
        for a, c in enumerate(cell)
        if t == c and (i == 0 or a == 0 or text[i - 1] != cell[a - 1])
    ]
