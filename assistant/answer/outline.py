"""The ``outline`` step: "how many articles / chapters / phases …?" answered by counting numbered parts.

A document seldom states how many parts it has; it numbers them. A decision template has
"Điều 1." to "Điều 4.", a guidebook lists "Giai đoạn 1 – …" to "Giai đoạn 3 – …". No sentence
holds the count, so neither retrieval nor sentence scoring can find it.

When a question asks how many of some part there are ("bao nhiêu điều", "mấy giai đoạn",
"how many chapters"), and a retrieved document numbers parts with that label (1, 2, … n, none
missing, at least ``answer.outline.min_parts``), the answer says n in a lead-in and quotes each
numbered line, cited to the passage it heads. The lead-in is not a checked claim (it ends with a
colon); the lines are verbatim quotes, checked like any other.

A numbered part is a line (or a section heading of the chunk's path) starting with a capitalised
label of one to three words and a number (Arabic, Roman in capitals, or a Vietnamese ordinal: "Phần
thứ hai"), then a separator or the line's end: "Điều 2. Nhiệm vụ …", "5.1. Giai đoạn 1 – Chuẩn bị
(…)", "PHẦN III. LỘ TRÌNH …", "– Phụ lục 2. Mẫu báo cáo …". "Điều 4 của Quyết định …" is a
reference, not a part. A bare "Chương I" takes the title in capitals on the next line.

A list counts its rows the same way: "Danh sách có bao nhiêu điểm du lịch?" counts the rows of a table whose
item column the asked words name, when its numbering column runs 1 to n (:mod:`assistant.answer.row_count`).

The label is matched in the question's own words, folded ("mấy giai đoạn" finds "Giai đoạn 2 –"),
or across languages by the names of each kind of part in ``retrieval/part_names.yaml`` ("how many articles"
finds "Điều", "how many phases" finds "Giai đoạn").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from assistant.answer.answer_types import ANSWER_TYPES, expected_types
from assistant.answer.constants import LEAD_INS, localized
from assistant.answer.contexts import Evidence
from assistant.answer.row_count import numbered_rows
from assistant.answer.text import quote_line
from assistant.ingest.headings import ROMAN, is_caps_title
from assistant.language import ORDINAL
from assistant.retrieval.parts import SECTION_SEPARATOR, names, number_value, part_groups
from assistant.retrieval.text_norm import fold, lexical_terms
from assistant.types import Chunk, Context

# A count cue is a cue of the "count" answer kind ("bao nhiêu", "how many", "сколько", folded), and the
# words after it name the part asked for. Vietnamese "mấy" folds to "may", an English word, so it is a
# cue in Vietnamese questions only (the answer kinds leave it out for that reason).
_COUNT_CUES = next(t.cues for t in ANSWER_TYPES if t.name == "count")
_MAY = re.compile(r"(?<!\w)may(?!\w)")
_ASKED = re.compile(r"\s+(?:cac\s+|tat ca\s+|de\s+|d')?([^\W\d_]+(?:\s+[^\W\d_]+){0,2})")
# A numbered line: an optional bullet or outline number ("5.1.", "II."), a label, its number, a separator.
_PART = re.compile(
    r"^\s*(?:[-–—•*+]\s*|\d{1,2}(?:\.\d{1,2})*\.\s+|[IVX]{1,5}\.\s+)?"
    rf"(?P<label>[^\W\d_]+(?:\s+[^\W\d_]+){{0,2}}?)\s+(?P<number>\d{{1,2}}|{ROMAN}|(?i:{ORDINAL}))"
    r"(?=\s*(?:[:)–—-]|\.(?!\d)|$))"
)
# Answer kinds a count question may also ask for (a date: "… and from when to when?"); any other
# (a percentage, money, pages, a phone number …) means the count cue counts something else.
_PLAIN_TYPES = ("count", "date", "person")

# The lead-in of one counted series: where, how many, and the first and last number as written.
OUTLINE: dict[str, str] = {
    "vi": "{title} có {n} {label} ({first} đến {last}):",
    "en": "{title} has {n} parts numbered “{label}” ({first} to {last}):",
}
# The lead-in of a list's numbered rows (assistant.answer.row_count).
ROWS: dict[str, str] = {
    "vi": "{title} có {n} {label} (các dòng số {first} đến {last}):",
    "en": "{title} lists {n} items “{label}” (rows numbered {first} to {last}):",
}


@dataclass(frozen=True)
class Part:
    """One numbered part: its line, and the chunk it heads or opens."""

    label: str  # as written in the document ("Giai đoạn", "PHẦN")
    number: int
    written: str  # the number as written ("3", "III")
    line: str
    chunk: Chunk
    row: bool = False  # a numbered row of a list, not a numbered heading


@dataclass(frozen=True)
class OutlineAnswer:
    text: str
    evidence: list[Evidence]  # one passage per quoted line
    counts: dict[str, int]  # folded label -> number of parts


def _cues(folded: str, language: str) -> list[re.Match[str]]:
    """The count cues of a folded question, in order."""
    found = list(_COUNT_CUES.finditer(folded)) + (list(_MAY.finditer(folded)) if language == "vi" else [])
    return sorted(found, key=lambda m: m.start())


def asked_parts(question: str, language: str) -> list[str]:
    """The folded words following each count cue of ``question`` ("bao nhiêu điều?" → ["dieu"])."""
    folded = fold(question)
    return [asked.group(1) for cue in _cues(folded, language) if (asked := _ASKED.match(folded, cue.end()))]


def asks_more(question: str, language: str) -> bool:
    """Whether the question asks something besides its counts ("… có mấy điều và ai ký quyết định?"):
    without each count cue and the word after it, it still asks for an answer kind."""
    folded = fold(question)
    rest, last = [], 0
    for cue in _cues(folded, language):
        word = _ASKED.match(folded, cue.end())
        rest.append(folded[last : cue.start()])
        last = word.start(1) + len(word.group(1).split()[0]) if word else cue.end()
    return bool(expected_types(" ".join([*rest, folded[last:]])))


def with_quotes(found: OutlineAnswer, quotes: Sequence[tuple[str, Evidence]], language: str) -> OutlineAnswer:
    """``found`` followed by quoted sentences that answer the rest of the question, each cited."""
    evidence = list(found.evidence)
    lines = [found.text, localized(LEAD_INS, language)]
    for sentence, passage in quotes:
        evidence.append(Evidence(passage.context.model_copy(update={"rank": len(evidence) + 1}), passage.page))
        lines.append(quote_line(sentence, len(evidence)))
    return OutlineAnswer("\n".join(lines), evidence, found.counts) if quotes else found


def numbered_parts(chunks: Iterable[Chunk]) -> dict[str, list[Part]]:
    """The numbered parts of one document's chunks, by folded label, each number once (its first line).

    Chunks are read in their order; a line's own chunk is preferred to a later heading path naming it."""
    found: dict[str, dict[int, Part]] = {}
    for chunk in sorted(chunks, key=lambda c: c.meta.chunk_index):
        section = chunk.meta.section.split(SECTION_SEPARATOR) if chunk.meta.section else []
        lines = chunk.text.splitlines()
        for k, line in enumerate([*lines, *section]):
            match = _PART.match(line)
            if not match or not match.group("label")[0].isupper():
                continue
            title = lines[k + 1].strip() if k + 1 < len(lines) else ""
            if _bare(line, match) and is_caps_title(title):
                line = f"{line.strip()} {title}"  # "Chương I" over "QUY ĐỊNH CHUNG": one heading
            written = match.group("number")
            number = number_value(written)
            label = re.sub(r"\s+", " ", match.group("label"))
            found.setdefault(fold(label), {}).setdefault(number, Part(label, number, written, line.strip(), chunk))
    return {label: [parts[n] for n in sorted(parts)] for label, parts in found.items()}


def _bare(line: str, match: re.Match[str]) -> bool:
    """The line is only its label and number ("Chương I", "PHẦN 2."), with no title after them."""
    return not line[match.end() :].strip(" .:–—-")


def complete(parts: Sequence[Part], min_parts: int) -> bool:
    """True for parts numbered 1 to n, none missing, n at least ``min_parts``."""
    return len(parts) >= min_parts and [p.number for p in parts] == list(range(1, len(parts) + 1))


def _matches(asked: str, label: str) -> bool:
    """The asked words name the label: its own words, or a name of the same kind of part in any language
    ("how many phases" finds "Giai đoạn 1 – …")."""
    words = asked.split()
    if names(words, label):
        return True
    return any(names(words, name) for group in part_groups() if label in group for name in group)


def outline_answer(
    question: str,
    language: str,
    evidence: Sequence[Evidence],
    chunks_of: Callable[[str], list[Chunk]],
    min_parts: int,
    max_listed: int,
    stated: Sequence[str] = (),
    min_known_share: float = 0.0,
) -> OutlineAnswer | None:
    """The count of the asked parts in the best-ranked retrieved document that numbers them, or None.

    A document in the question's language is counted only when it holds ``min_known_share`` of the
    question's other words (:func:`_refers_to`). None too when one of the ``stated`` sentences (the passages' scored sentences) already gives
    every count ("Sổ tay gồm 4 phần, 9 chương"): quoting that statement is the better answer."""
    asked = asked_parts(question, language)
    if not asked or any(t.name not in _PLAIN_TYPES for t in expected_types(question)):
        return None  # "bao nhiêu phần trăm" asks for a percentage, not for the parts ("Phần I") counted
    sources = list(dict.fromkeys(e.context.source for e in evidence))
    for source in sources:
        chunks = chunks_of(source)
        if not _refers_to(question, language, asked, chunks, min_known_share):
            continue
        series = {label: parts for label, parts in numbered_parts(chunks).items() if complete(parts, min_parts)}
        chosen = [(label, series[label]) for words in asked for label in series if _matches(words, label)]
        if not chosen:  # "bao nhiêu điểm du lịch": the numbered rows of a list (assistant.answer.row_count)
            rows = {words: [Part(_written(question, words), n, str(n), chunk.text, chunk, True) for n, chunk in found]
                    for words in asked if (found := numbered_rows(chunks, words))}  # fmt: skip
            chosen = [(words, parts) for words, parts in rows.items() if complete(parts, min_parts)]
        chosen = list(dict(chosen).items())  # one series per label, in the order asked
        if chosen:
            said = [fold(sentence) for sentence in stated]
            if all(any(_states_count(s, label, len(parts)) for s in said) for label, parts in chosen):
                return None
            return _answer(chosen, language, max_listed)
    return None


def _written(question: str, folded_words: str) -> str:
    """``folded_words`` as the question writes them (accents kept): "điểm du lịch" for "diem du lich"."""
    words = re.findall(r"[^\W\d_]+", question)
    n = len(folded_words.split())
    for k in range(len(words) - n + 1):
        if fold(" ".join(words[k : k + n])) == folded_words:
            return " ".join(words[k : k + n])
    return folded_words


def _refers_to(question: str, language: str, asked: list[str], chunks: Sequence[Chunk], min_share: float) -> bool:
    """Whether the question can be about this document: in its own language, at least ``min_share`` of
    the question's words (besides the parts asked for) occur in it, title included. "Luật … có bao nhiêu
    điều?" is not asked of a decision template that has articles too. Across languages words say nothing."""
    if not chunks or chunks[0].meta.language != language:
        return True
    words = set(lexical_terms(question, use_phonetic=False)) - {w for a in asked for w in a.split()}
    words = {w for w in words if not w.isdigit()}
    if not words:
        return True
    text = " ".join([chunks[0].meta.title or "", *(c.text for c in chunks)])
    return len(words & set(lexical_terms(text, use_phonetic=False))) / len(words) >= min_share


def _states_count(folded: str, label: str, n: int) -> bool:
    return re.search(rf"(?<![\d.,]){n}\s+{re.escape(label)}(?!\w)", folded) is not None


def _answer(chosen: list[tuple[str, list[Part]]], language: str, max_listed: int) -> OutlineAnswer:
    """Per series: the lead-in with the count, then its lines, each cited. A long series shows its first
    ``max_listed - 1`` lines, an ellipsis and its last line (the last one shows where the count ends)."""
    lines: list[str] = []
    evidence: list[Evidence] = []
    for _, parts in chosen:
        meta = parts[0].chunk.meta
        title = meta.title or meta.source
        n, first, last = len(parts), parts[0], parts[-1]
        if first.row:
            title = f"{title} ({meta.sheet})" if meta.sheet else title
            lines.append(localized(ROWS, language).format(
                title=title, n=n, label=first.label, first=first.written, last=last.written))  # fmt: skip
        else:
            lines.append(localized(OUTLINE, language).format(
                title=title, n=n, label=first.label.lower(), first=f"{first.label} {first.written}",
                last=f"{last.label} {last.written}",
            ))  # fmt: skip
        shown = list(parts) if n <= max_listed else [*parts[: max(max_listed - 1, 0)], None, parts[-1]]
        for part in shown:
            if part is None:
                lines.append("- …")
                continue
            evidence.append(_evidence(part, len(evidence) + 1))
            lines.append(quote_line(part.line, len(evidence)))
    return OutlineAnswer("\n".join(lines), evidence, {label: len(parts) for label, parts in chosen})


def _evidence(part: Part, rank: int) -> Evidence:
    """The numbered line as a passage of its own, placed where its chunk is."""
    meta = part.chunk.meta
    context = Context(
        rank=rank, source=meta.source, url=meta.url, title=meta.title, text=part.line, score=0.0,
        chunk_id=part.chunk.id, location=meta.location, language=meta.language, page=meta.page,
        sheet=meta.sheet, row=meta.row, section=meta.section,
    )  # fmt: skip
    return Evidence(context, meta.page)
