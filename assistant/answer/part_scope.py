"""A question that names a numbered part ("Điều 3 quy định gì?", "ở bước thứ hai …") is answered within it.

Retrieval puts the passages heading the part first (:mod:`assistant.retrieval.parts`); here each
passage sentence is placed: *inside* the part (a chunk under its heading, or the lines from its heading
line to the next part of that kind), in *another* part of that kind, *before* the part in a passage
that has it, in *another document* than those that have it, or in no known part (a chunk of the
part's document that shows no part of that kind may continue one headed in an earlier chunk).

A sentence inside holds the question's words for the part and the document's title words, though it
repeats neither (a question names "Điều 3" of a template; the article's sentences say what it provides). A
sentence outside is set aside unless it names the part itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answer.signals import sentence_units
from assistant.retrieval.parts import Part, named_parts, part_layout, part_mentions
from assistant.types import Context


class PartScope:
    """Where the sentences of ``contexts`` stand with respect to the parts ``question`` names."""

    def __init__(self, question: str, contexts: Sequence[Context]) -> None:
        self.mentions = part_mentions(question)
        kinds = {kind for kind, _ in self.mentions}
        self.contexts = contexts
        self.layouts = [part_layout(c.text, c.section, kinds) if kinds else [] for c in contexts]
        self.having = {c.source for c, layout in zip(contexts, self.layouts) if any(p in self.mentions for *_, p in layout)}
        words = set().union(*(sentence_units(mention) for mention in self.mentions.values()))
        self.words = [words | sentence_units(f"{c.title or ''}\n{c.section or ''}") if c.source in self.having else words
                      for c in contexts]  # fmt: skip

    def within(self, index: int, start: int, end: int) -> set[Part]:
        """The parts of the asked kinds that passage ``index``'s text ``[start, end)`` stands in."""
        return {p for a, b, p in self.layouts[index] if a < end and start < b}

    def credit(self, index: int, start: int, end: int) -> set[str]:
        """The units a sentence holds by standing in the part named: the question's words for it, the title's."""
        return self.words[index] if self.within(index, start, end) & set(self.mentions) else set()

    def outside(self, index: int, start: int, end: int, sentence: str) -> str | None:
        """Why the sentence (``sentence``: with its lead-in) is not in the part named, or None."""
        if not self.mentions:
            return None
        within = self.within(index, start, end)
        if within & set(self.mentions) or named_parts(sentence) & set(self.mentions):
            return None
        asked = ", ".join(self.mentions.values())
        if within:
            return f"in {', '.join(sorted(f'{kind} {n}' for kind, n in within))}, not {asked}"
        if self.having and self.contexts[index].source not in self.having:
            return f"in another document than {asked}"
        if any(part in self.mentions for *_, part in self.layouts[index]):
            return f"before {asked}"
        return None  # in no known part of a document that has it: it may continue the part
