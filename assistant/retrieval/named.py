"""Which document a question names by its title: "Theo mẫu biên bản, …", "Trong cẩm nang, …".

A title begins with what the document is ("Mẫu biên bản kiểm tra …", "Cẩm nang sử dụng …",
"bang-tong-hop" for a spreadsheet named by its file). A question that says those first words
asks what *that* document says, though another one may say it too. A title's *head* is its
shortest opening of at least ``min_words`` words (stop words aside) that no other title opens
with; a question names the document when it holds that head word for word (folded, so typed
without accents too). Only the opening counts: the rest of a title names its topic ("… kiểm tra
định kỳ"), and a question about that topic does not ask for the document.

Words are compared as written in one language; a question in another language names no title.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from assistant.retrieval.text_norm import lexical_terms


def _words(text: str) -> list[str]:
    return lexical_terms(text.replace("-", " ").replace("_", " "), use_phonetic=False)


def title_heads(titles: Mapping[str, str], min_words: int = 2) -> dict[str, tuple[str, ...]]:
    """For each source (→ its title), the shortest opening of its title no other title opens with;
    sources whose title is shorter than ``min_words`` words or shared whole are left out."""
    words = {source: _words(title) for source, title in titles.items()}
    # How many titles open with each opening: one pass over all openings, not title against title.
    openings = Counter(tuple(own[:n]) for own in words.values() for n in range(min_words, len(own) + 1))
    heads = {}
    for source, own in words.items():
        head = next((tuple(own[:n]) for n in range(min_words, len(own) + 1) if openings[tuple(own[:n])] == 1), None)
        if head is not None:
            heads[source] = head
    return heads


def named_sources(question: str, heads: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The sources whose title head ``question`` holds word for word, in the order of ``heads``."""
    said = _words(question)
    return [
        source for source, head in heads.items()
        if any(tuple(said[i : i + len(head)]) == head for i in range(len(said) - len(head) + 1))
    ]
