"""Facts from prose by rules: dates with a role, numbers with a goal, actors with a duty.

Each sentence of a chunk is read on its own, in the chunk's language:

- a **deadline** is a date with a start or end cue before it (``language.date_roles``: "đến",
  "until", "bis", "до", "até"…), unless it is a document's own date (a date right after a
  document code: "Quyết định 1487/QĐ-UBND ngày 21/4/2025", "Plan 02-KH/BCĐTW of 19 June");
- a **target** is a number (not a date, year, code or numbered reference) in a sentence that
  sets a goal (``lexicon.yaml`` ``goal``), or a percentage;
- a **responsibility** is an actor (a body or office holder, ``actor_heads``/``proper_heads``)
  named before a duty word (``obligation``), in a sentence that assigns one.

The vocabulary is general administrative language per language (``lexicon.yaml``); the
mechanisms are dates, numbers, codes and word order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.text import sentence_spans
from assistant.facts import lexicon
from assistant.facts.lexicon import Word
from assistant.facts.model import Evidence, Fact, Level
from assistant.language import date_roles
from assistant.retrieval.keys import code_spans, date_mentions, number_mentions
from assistant.retrieval.text_norm import fold
from assistant.settings import FactSettings
from assistant.types import Chunk

# A number right after a number sign is an identifier ("Resolution No. 57", "Nghị quyết số 57", "№ 2").
_NUMBER_SIGN = re.compile(r"(?i)(?:\bno|\bnr|\bso|\bn[o°º]|#)\.?\s*$")
# A number right after a structural word is a reference, not a quantity ("Điều 3", "Chương 2", "p. 12").
_PUNCT = re.compile(r"[,;:.!?()\[\]«»“”\"–—]")


@dataclass(frozen=True)
class _Sentence:
    text: str
    start: int
    language: str


def evidence_of(chunk: Chunk, quote: str) -> Evidence:
    meta = chunk.meta
    return Evidence(
        source=meta.source, title=meta.title, language=meta.language, doc_type=meta.doc_type, chunk_id=chunk.id,
        chunk_index=meta.chunk_index, file_hash=meta.file_hash, page=meta.page, section=meta.section, sheet=meta.sheet, row=meta.row, quote=quote,
    )  # fmt: skip


def levels_of(text: str, language: str) -> list[Level]:
    seq = lexicon.words(text)
    return [
        level for level in ("central", "province", "commune")
        if lexicon.find(seq, lexicon.level_phrases(level, language), language)
    ]  # fmt: skip


def sentence_facts(chunk: Chunk, settings: FactSettings) -> list[Fact]:
    """Every deadline, target and responsibility stated by the sentences of one prose chunk."""
    language = chunk.meta.language
    facts: list[Fact] = []
    for start, end in sentence_spans(chunk.text):
        sentence = _Sentence(chunk.text[start:end], start, language)
        if len(sentence.text) > settings.max_sentence_chars:
            continue  # a run-on block (a table flattened into one line) is not one statement
        actors = actor_spans(sentence.text, language, settings)
        facts += _deadlines(chunk, sentence, actors, settings)
        facts += _targets(chunk, sentence, settings)
        facts += _responsibilities(chunk, sentence, actors)
    return facts


def _first_actor(actors: list[tuple[str, int]]) -> str | None:
    return actors[0][0] if actors else None


def _deadlines(chunk: Chunk, sentence: _Sentence, actors: list[tuple[str, int]], settings: FactSettings) -> list[Fact]:
    folded = fold(sentence.text)
    roles = date_roles(sentence.text, window=settings.date_cue_window)
    codes = code_spans(folded)
    context_year = _years(folded)
    facts = []
    for mention in date_mentions(folded):
        if mention.ambiguous or mention.key not in roles:
            continue
        if any(0 <= len(folded[end : mention.start].split()) <= settings.document_date_words for _, end in codes
               if end <= mention.start):  # fmt: skip
            continue  # the date of a cited document, not something due
        year = mention.year or (context_year[0] if len(context_year) == 1 else None)
        month_day = mention.key.removeprefix("date:")
        date = f"{year}-{month_day}" if year else f"--{month_day}"
        for role in sorted(roles[mention.key]):
            facts.append(Fact(
                kind="deadline", date=date, date_role="by" if role == "end" else "from",
                actor=_first_actor(actors), levels=levels_of(sentence.text, sentence.language), text=sentence.text,
                language=sentence.language, evidence=[evidence_of(chunk, sentence.text)],
            ))  # fmt: skip
    return facts


def _years(folded: str) -> list[str]:
    return sorted({n.value for n in number_mentions(folded) if n.year})


def _targets(chunk: Chunk, sentence: _Sentence, settings: FactSettings) -> list[Fact]:
    folded = fold(sentence.text)
    seq = lexicon.words(sentence.text)
    has_goal = bool(lexicon.find(seq, lexicon.phrases("goal", sentence.language), sentence.language))
    codes = code_spans(folded)
    facts = []
    for number in number_mentions(folded):
        if number.year or not (has_goal or number.percent):
            continue
        if any(start <= number.start < end for start, end in codes) or _NUMBER_SIGN.search(folded[: number.start]):
            continue
        value = float(number.value)
        if value < settings.min_target_value and not number.percent:
            continue  # "1", "2": list items, ordinals and counts of steps, not targets
        unit = (
            "%" if number.percent else _unit_after(sentence.text, folded, number.start, number.end, settings.unit_words)
        )
        facts.append(Fact(
            kind="target", value=value, unit=unit or None, levels=levels_of(sentence.text, sentence.language),
            text=sentence.text, language=sentence.language, evidence=[evidence_of(chunk, sentence.text)],
        ))  # fmt: skip
    return facts


def _unit_after(text: str, folded: str, number_start: int, number_end: int, limit: int) -> str:
    """Up to ``limit`` words after a number, stopping at punctuation ("982 online public services").

    Folding changes lengths (Cyrillic is transliterated), so the number is found again in the
    original text: the same occurrence of the same digits."""
    raw = folded[number_start:number_end].strip()
    occurrence = folded[:number_start].count(raw)
    at = -1
    for _ in range(occurrence + 1):
        at = text.find(raw, at + 1)
        if at < 0:
            return ""
    rest = text[at + len(raw) :]
    stop = _PUNCT.search(rest)
    return " ".join(w.text for w in lexicon.words(rest[: stop.start()] if stop else rest)[:limit])


def _responsibilities(chunk: Chunk, sentence: _Sentence, actors: list[tuple[str, int]]) -> list[Fact]:
    seq = lexicon.words(sentence.text)
    duties = lexicon.find(seq, lexicon.phrases("obligation", sentence.language), sentence.language)
    if not duties or not actors:
        return []
    first_duty = seq[duties[0][0]].start
    # The actors named before the first duty word bear it; with none before, the first one after does.
    bearers = [a for a in actors if a[1] < first_duty] or actors[:1]
    return [
        Fact(
            kind="responsibility", actor=name, levels=levels_of(name, sentence.language)
            or levels_of(sentence.text, sentence.language), text=sentence.text, language=sentence.language,
            evidence=[evidence_of(chunk, sentence.text)],
        )
        for name, _ in bearers
    ]  # fmt: skip


def actor_spans(text: str, language: str, settings: FactSettings) -> list[tuple[str, int]]:
    """Names of bodies and office holders in ``text`` with their start offsets, in text order."""
    seq = lexicon.words(text)
    found: list[tuple[int, int]] = []
    for first, last in lexicon.find(seq, lexicon.phrases("actor_heads", language), language):
        found.append(_extend(text, seq, first, last, language, settings))
    for first, last in lexicon.find(seq, lexicon.phrases("proper_heads", language), language):
        if seq[first].text[:1].isupper():
            found.append(_extend(text, seq, first, last, language, settings))
    spans: list[tuple[int, int]] = []
    for first, last in sorted(found):
        if spans and first < spans[-1][1]:  # overlapping: keep the longer
            if last > spans[-1][1]:
                spans[-1] = (spans[-1][0], last)
            continue
        spans.append((first, last))
    return [(text[seq[a].start : seq[b - 1].end], seq[a].start) for a, b in spans]


def _boundary(text: str, left: Word, right: Word) -> bool:
    """Punctuation between two words ends a name."""
    return bool(_PUNCT.search(text[left.end : right.start]))


def _starts_name(seq: list[Word], i: int, language: str) -> bool:
    """A head word at ``i``: "và Sở Nội vụ" starts a second name instead of continuing the first."""
    heads = lexicon.phrases("actor_heads", language) + lexicon.phrases("proper_heads", language)
    return any(lexicon.match_at(seq, i, p, language) for p in heads)


def _extend(
    text: str, seq: list[Word], first: int, last: int, language: str, settings: FactSettings
) -> tuple[int, int]:
    """Grow a head into the whole name: its capitalised words and inner joiners ("Sở Khoa học và
    Công nghệ", "Ministry of Public Security"), a few lowercase words after a lone head ("Tổ công
    tác", "ministries of…"), adjectives before it in inflected languages, and a level ("cấp tỉnh")."""
    joiners = {p[0] for p in lexicon.phrases("name_joiners", language) if len(p) == 1}
    stops = lexicon.phrases("obligation", language) + lexicon.phrases("conjunctions", language)
    end, capitalised, compound = last, False, False
    while end < len(seq) and end - first < settings.actor_max_words and not _boundary(text, seq[end - 1], seq[end]):
        word = seq[end]
        next_capital = end + 1 < len(seq) and seq[end + 1].text[:1].isupper()
        if word.text[:1].isupper():
            end, capitalised, compound = end + 1, True, False
        elif word.folded in joiners and next_capital and not _starts_name(seq, end + 1, language):
            end += 1
        elif any(lexicon.match_at(seq, end, p, language) for p in stops):
            break
        elif language == "vi" and capitalised and not compound:
            end, compound = end + 1, True  # a capitalised name's second syllable ("Tư pháp", "Công an")
        elif not capitalised and end - last < settings.actor_lower_words:
            end += 1
        else:
            break
    if end < len(seq) and not _boundary(text, seq[end - 1], seq[end]):  # "cấp tỉnh", "provincial"
        for level in ("central", "province", "commune"):
            matched = [p for p in lexicon.level_phrases(level, language) if lexicon.match_at(seq, end, p, language)]
            if matched:
                end += max(len(p) for p in matched)
                break
    start = first
    suffixes = lexicon.endings(language)
    while start > 0 and suffixes and first - start < 2 and not _boundary(text, seq[start - 1], seq[start]):
        before = seq[start - 1].folded
        if len(before) > 3 and before.endswith(suffixes):
            start -= 1
        else:
            break
    return start, min(end, len(seq))
