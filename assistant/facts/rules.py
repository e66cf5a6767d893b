"""Facts from prose by rules: dates with a role, numbers with a goal, actors with a duty.

Each sentence of a chunk is read on its own, in the chunk's language:

- a **deadline** is a date with a start or end cue before it (``language.date_roles``: "đến",
  "until", "bis", "до", "até"…), unless it is a document's own date (a date right after a
  document code: "Quyết định 1487/QĐ-UBND ngày 21/4/2025", "Plan 02-KH/BCĐTW of 19 June");
- a **target** is a number (not a date, year, code or numbered reference) in a sentence that
  sets a goal (``lexicon.yaml`` ``goal``), or a percentage;
- a **responsibility** is an actor (a body or office holder, ``actor_heads``/``proper_heads``)
  named before a duty word (``obligation``), in a sentence that assigns one; or a list item
  under a lead-in that ends with a colon and names its actor ("UBND cấp xã có trách nhiệm:",
  "Sở Du lịch:"): the items of the list are that actor's duties, each quoting the item with
  the lead-in that names the actor (``Evidence.lead``).

The vocabulary is general administrative language per language (``lexicon.yaml``); the
mechanisms are dates, numbers, codes and word order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.outline import SECTION_SEPARATOR
from assistant.answer.text import sentence_spans
from assistant.facts import lexicon
from assistant.facts.actors import Actor, after_opening_clause, bearers, find_actors, role_holders
from assistant.facts.model import Evidence, Fact, Level
from assistant.language import cue_before, date_roles
from assistant.retrieval.keys import DateMention, code_spans, date_mentions, number_mentions, period_mentions
from assistant.retrieval.text_norm import fold
from assistant.settings import FactSettings
from assistant.types import Chunk

# A number right after a number sign is an identifier ("Resolution No. 57", "Nghị quyết số 57", "№ 2", "n.º 2").
_NUMBER_SIGN = re.compile(r"(?i)(?:\bno|\bnr|\bso|\bn\.?[o°º]|#)\.?\s*$")
# Groups of digits that make one identifier, not several quantities: a phone number ("0200 777 0300",
# "+84 24 3823 1234"): groups after a country code, or after a group written with a leading zero and three
# or more digits.
_DIGIT_GROUPS = re.compile(r"(?<![\d,.])(?:\+\d{1,3}[ .-]?\d{1,3}|0\d{2,})(?:[ .-]\d{2,5}){1,3}(?![\d,])")
# Punctuation that ends a target's unit.
_PUNCT = re.compile(r"[,;:.!?()\[\]«»“”\"–—]")
# A list item: a bullet, or an item mark ("1.", "2)", "a)", "(b)", "iv.") at the start of a line.
_ITEM = re.compile(r"^\s*(?:[-–—•●▪◦+*](?=\s)|\(?(?:\d{1,2}|[^\W\d_]|[ivx]{1,4})[.)])\s*", re.IGNORECASE)


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


@dataclass(frozen=True)
class _Lead:
    """An open list's lead-in: its sentence and the actors it names."""

    text: str
    actors: list[Actor]
    parties: tuple[str, ...] = ()  # a duty heading's listed parties, as written ("các thành viên")
    section: str | None = None  # the heading path it was read under


class ProseReader:
    """Reads the prose chunks of one document in order (:meth:`facts`); a list whose lead-in ends
    one chunk goes on in the next, so the reader keeps the open list between chunks."""

    def __init__(self, settings: FactSettings, names: tuple[str, ...] = (), headings: frozenset[str] = frozenset()) -> None:
        self.settings = settings
        self.names = names  # the document's defined names (assistant.facts.abbreviations)
        self.headings = headings  # the document's section headings, which may also stand in its text
        self.lead: _Lead | None = None

    def facts(self, chunk: Chunk) -> list[Fact]:
        """Every deadline, target and responsibility stated by the sentences of one prose chunk."""
        settings, language = self.settings, chunk.meta.language
        facts: list[Fact] = []
        # The section's own heading, the last of its path ("VI. TỔ CHỨC THỰC HIỆN > 1. Trách nhiệm của Sở Du lịch").
        title = (chunk.meta.section or "").split(SECTION_SEPARATOR)[-1]
        section = self._duty_heading(title, language, chunk.meta.section) or self._lead_in(title, language, chunk)
        if self.lead is not None and self.lead.section != chunk.meta.section:
            self.lead = None  # a heading between the lead-in and this chunk closed its list
        for start, end in sentence_spans(chunk.text):
            sentence = _Sentence(chunk.text[start:end], start, language)
            item = bool(_ITEM.match(sentence.text))
            if not item:
                self.lead = None  # a sentence that is not a list item closes the list
            heading = self._duty_heading(sentence.text, language, chunk.meta.section)
            if heading is not None:
                self.lead = heading  # "5.2. Trách nhiệm của Sở Du lịch": the items after it are its duties
                continue
            if sentence.text.strip() in self.headings:
                self.lead = None  # a section's heading ("III. Bồi dưỡng công chức, …") states nothing and ends a list
                continue
            if len(sentence.text) > settings.max_sentence_chars:
                continue  # a run-on block (a table flattened into one line) is not one statement
            begin = _begin(sentence.text)
            # An item may start with one of its heading's parties ("Các thành viên …" under "Trách nhiệm của
            # Trưởng ban và các thành viên"): that party is its subject, even when no head word names it.
            # Under a list's lead-in its items, under a duty heading of the section every sentence, may lean on it.
            lead = self.lead if item else None
            lead = lead or section
            parties = lead.parties if lead else ()
            actors = find_actors(sentence.text, language, settings, self.names + parties, begin)
            duty = bearers(sentence.text, language, settings, actors, begin)
            subject = _subject(sentence.text, actors, settings.clause_subject)
            # An item under a lead-in that does not start with an actor of its own is the lead's duty
            # ("1) Thành lập …", "5) Phối hợp với Tổ X …": X cooperates, the lead's actor acts). Any other sentence
            # under a duty heading is the body's when it names no bearer itself and reads as a statement (a letter
            # first, a lowercase word: not a signature's "TM." or "(Ký, ghi rõ họ tên)").
            statement = sentence.text[begin : begin + 1].isalpha() and any(ch.islower() for ch in sentence.text)
            inherited = lead if lead and not subject and (item or (not duty and statement)) else None
            if inherited is not None:
                duty = []
            holders = [a for a in role_holders(sentence.text, language, settings, actors)
                       if a.name not in {d.name for d in duty}]  # fmt: skip
            facts += _deadlines(chunk, sentence, duty, settings)
            if settings.period_deadlines:
                facts += _periods(chunk, sentence, duty, settings)
            if not _heading(sentence.text):
                facts += _targets(chunk, sentence, settings)
                clauses = _clauses(sentence.text) if settings.clause_duties and inherited is None else []
                if len(clauses) > 1:
                    facts += self._clause_duties(chunk, sentence, clauses)
                else:
                    facts += _responsibilities(chunk, sentence, duty + holders)
                if inherited is not None:
                    facts += _responsibilities(chunk, sentence, inherited.actors, inherited.text)
            if sentence.text.rstrip().endswith(":"):
                actors = subject or duty
                self.lead = _Lead(sentence.text, actors, section=chunk.meta.section) if actors else None
        return facts

    def _lead_in(self, title: str, language: str, chunk: Chunk) -> _Lead | None:
        """A section heading written as a lead-in ("Điều 2. Ban Điều phối có nhiệm vụ:"): its subject or the
        bearers of its duty word are whose duties the section's items are; None for any other heading."""
        if not title.rstrip().endswith(":"):
            return None
        begin = _begin(title)
        actors = find_actors(title, language, self.settings, self.names, begin)
        bearing = _subject(title, actors, self.settings.clause_subject) or bearers(title, language, self.settings, actors, begin)
        return _Lead(title, bearing, section=chunk.meta.section) if bearing else None

    def _duty_heading(self, text: str, language: str, section: str | None) -> _Lead | None:
        """A heading that names whose duties follow ("Điều 2. Nhiệm vụ của Ban Điều phối du lịch", "5.2. Trách
        nhiệm của Sở Du lịch": ``lexicon.yaml`` ``duty_headings`` within ``duty_heading_words`` of its start, no
        closing punctuation), as the lead-in of the items under it; None for any other text."""
        if not text.strip() or text.rstrip()[-1] in ".;:!?":
            return None
        seq = lexicon.words(text)
        for first, last in lexicon.find(seq, lexicon.phrases("duty_headings", language), language):
            if first > self.settings.duty_heading_words:
                continue
            after = seq[last - 1].end
            actors = [a for a in find_actors(text, language, self.settings, self.names) if a.start >= after]
            return _Lead(text, actors, _parties(text[after:], language), section) if actors else None
        return None

    def _clause_duties(self, chunk: Chunk, sentence: _Sentence, clauses: list[tuple[int, int]]) -> list[Fact]:
        """The duties of a sentence read clause by clause ("Sở Du lịch hướng dẫn …; chủ trì …; chỉ đạo …"): each
        clause is one duty, of the bodies it names itself, or, when it goes on without a subject of its own
        (it starts in lower case), of the body the first clause starts with; its quote is the clause, with
        the first clause as the lead-in that names the body."""
        settings, language = self.settings, sentence.language
        facts: list[Fact] = []
        first: list[Actor] = []
        lead = ""
        for k, (start, end) in enumerate(clauses):
            part = _Sentence(sentence.text[start:end], sentence.start + start, language)
            begin = _begin(part.text)
            actors = find_actors(part.text, language, settings, self.names, begin)
            duty = bearers(part.text, language, settings, actors, begin)
            holders = [a for a in role_holders(part.text, language, settings, actors)
                       if a.name not in {d.name for d in duty}]  # fmt: skip
            if k == 0:
                first = duty if duty and duty[0].start <= begin else []  # the first clause's subject bears its duty
                lead = part.text
            elif first and not _subject(part.text, actors, settings.clause_subject) and part.text.lstrip()[:1].islower():
                facts += _responsibilities(chunk, part, first, lead)
                facts += _responsibilities(chunk, part, holders)
                continue
            facts += _responsibilities(chunk, part, duty + holders)
        return facts


def _clauses(text: str) -> list[tuple[int, int]]:
    """The spans of the clauses of a sentence, parted by semicolons outside brackets."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == ";" and depth <= 0:
            if text[start:i].strip():
                spans.append((start, i))
            start = i + 1
    if text[start:].strip(" .;\n"):
        spans.append((start, len(text)))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]


def _begin(text: str) -> int:
    """Where a sentence's or list item's own words start: after its item mark and spaces."""
    mark = _ITEM.match(text)
    return mark.end() if mark is not None else len(text) - len(text.lstrip())


def _subject(text: str, actors: list[Actor], opening: bool = False) -> list[Actor]:
    """The actor (of ``actors``, the text's) a sentence or list item starts with, after its item mark,
    else none: in a lead-in ("UBND xã là cơ quan …, có trách nhiệm:", "Sở Du lịch:") it is
    whose duties the items are. With ``opening`` (``FactSettings.clause_subject``), an actor right after an
    opening clause set off by a comma is the subject too ("trường hợp tái diễn, Sở Du lịch báo cáo …")."""
    begin = _begin(text)
    if actors and actors[0].start <= begin:
        return actors[:1]
    after = after_opening_clause(text, begin) if opening else None
    return [a for a in actors if a.start == after][:1]


def _parties(text: str, language: str) -> tuple[str, ...]:
    """The names a heading lists ("Trưởng ban, Phó Trưởng ban và các thành viên"), split at commas and
    conjunctions, each as written."""
    conjunctions = {p[0] for p in lexicon.phrases("conjunctions", language) if len(p) == 1}
    parties: list[str] = []
    current: list[lexicon.Word] = []
    for word in lexicon.words(text):
        if word.key(language) in conjunctions or (current and "," in text[current[-1].end : word.start]):
            if current:
                parties.append(text[current[0].start : current[-1].end])
            current = [] if word.key(language) in conjunctions else [word]
            continue
        current.append(word)
    if current:
        parties.append(text[current[0].start : current[-1].end])
    return tuple(parties)


def _heading(text: str) -> bool:
    """A title or heading written in capitals ("TỔ CHỨC THỰC HIỆN"): it states nothing."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _deadlines(chunk: Chunk, sentence: _Sentence, duty: list[Actor], settings: FactSettings) -> list[Fact]:
    folded = fold(sentence.text)
    roles = date_roles(sentence.text, window=settings.date_cue_window)
    codes = code_spans(folded)
    context_year = _years(folded)
    facts = []
    for mention in _dates(folded, sentence.language):
        if mention.ambiguous or mention.key not in roles:
            continue
        if any(0 <= len(folded[end : mention.start].split()) <= settings.document_date_words for _, end in codes
               if end <= mention.start):  # fmt: skip
            continue  # the date of a cited document, not something due
        year = mention.year or (context_year[0] if len(context_year) == 1 else None)
        month_day = mention.key.removeprefix("date:")
        date = f"{year}-{month_day}" if year else f"--{month_day}"
        facts += [_deadline(chunk, sentence, date, role, duty) for role in sorted(roles[mention.key])]
    return facts


def _deadline(chunk: Chunk, sentence: _Sentence, date: str, role: str, duty: list[Actor]) -> Fact:
    """A deadline of ``sentence``: ``role`` "start" gives a start ("from"), any other an end ("by")."""
    return Fact(
        kind="deadline", date=date, date_role="from" if role == "start" else "by",
        actor=duty[0].name if duty else None, levels=levels_of(sentence.text, sentence.language), text=sentence.text,
        language=sentence.language, evidence=[evidence_of(chunk, sentence.text)],
    )  # fmt: skip


def _periods(chunk: Chunk, sentence: _Sentence, duty: list[Actor], settings: FactSettings) -> list[Fact]:
    """Deadlines given by a quarter or a month with its year ("… hoàn thành trong quý 3 năm 2027", "tổ chức sơ
    kết vào tháng 7/2027", "before Q3 2027"): a start after a start cue ("từ quý II/2027"), otherwise an
    end, kept where a cue says so or the sentence gives a body a duty in that period. A cited document's
    month ("Kế hoạch số 88/KH-UBND tháng 3/2027") is not something due."""
    folded = fold(sentence.text)
    codes = code_spans(folded)
    facts = []
    for mention in period_mentions(sentence.text):
        start = mention.start
        if mention.iso is None or any(
            0 <= len(folded[end:start].split()) <= settings.document_date_words for _, end in codes if end <= start
        ):
            continue
        role = cue_before(folded[:start], settings.period_cue_window)
        if role is not None or duty:
            facts.append(_deadline(chunk, sentence, mention.iso, role or "end", duty))
    return facts


def _dates(folded: str, language: str) -> list[DateMention]:
    """The dates of a folded sentence. In a language whose dates are written with words of its own only
    (``lexicon.yaml`` ``date_words``), a date spelt with another word is a false friend of folding: "02 máy
    quét" (two scanners) folds to "02 may", which reads as the 2nd of May."""
    own = {fold(" ".join(p)) for p in lexicon.phrases("date_words", language)}
    mentions = date_mentions(folded)
    if not own:
        return mentions
    return [m for m in mentions if set(re.findall(r"[^\W\d_]+", folded[m.start : m.match_end])) <= own]


def _years(folded: str) -> list[str]:
    return sorted({n.value for n in number_mentions(folded) if n.year})


def _targets(chunk: Chunk, sentence: _Sentence, settings: FactSettings) -> list[Fact]:
    folded, language = fold(sentence.text), sentence.language
    seq = lexicon.words(sentence.text)
    has_goal = bool(lexicon.find(seq, lexicon.phrases("goal", language), language))
    codes = code_spans(folded) + [m.span() for m in _DIGIT_GROUPS.finditer(folded)]
    facts = []
    for number in number_mentions(folded, _dates(folded, language)):
        if number.year or any(start <= number.start < end for start, end in codes):
            continue
        if _NUMBER_SIGN.search(folded[: number.start]):
            continue
        span = _locate(sentence.text, folded, number.start, number.end)
        if span is None:
            continue
        minimum = _next_to(sentence.text, span, "minimum", language, before=True)
        money = _next_to(sentence.text, span, "money_units", language, before=False)
        if not (has_goal or number.percent or money):
            continue
        value = float(number.value)
        padded = sentence.text[span[0] : span[1]].startswith("0") and span[1] - span[0] > 1
        if value < settings.min_target_value and not (number.percent or minimum or padded):
            continue  # "1", "2": list items, ordinals and counts of steps, not targets; "01 máy tính" is a count
        if not number.percent and _not_a_quantity(sentence.text, *span, language):
            continue
        if _next_to(sentence.text, span, "not_target_before", language, before=True):
            continue  # a cap ("không quá 40 học viên") or a count of parts ("gồm 06 nhóm")
        unit = "%" if number.percent else _unit_after(sentence.text, span[1], settings.unit_words)
        facts.append(Fact(
            kind="target", value=value, unit=unit or None, levels=levels_of(sentence.text, sentence.language),
            text=sentence.text, language=sentence.language, evidence=[evidence_of(chunk, sentence.text)],
        ))  # fmt: skip
    return facts


def _locate(text: str, folded: str, number_start: int, number_end: int) -> tuple[int, int] | None:
    """The span in ``text`` of a number found in its folded form (folding changes lengths: Cyrillic
    is transliterated), as the same occurrence of the same digits."""
    raw = folded[number_start:number_end].strip()
    at = -1
    for _ in range(folded[:number_start].count(raw) + 1):
        at = text.find(raw, at + 1)
        if at < 0:
            return None
    return at, at + len(raw)


def _next_to(text: str, span: tuple[int, int], table: str, language: str, before: bool) -> bool:
    """A phrase of the lexicon's ``table`` right before (or right after) the number at ``span``."""
    if before:
        words = lexicon.words(text[: span[0]])[-3:]
        return any(lexicon.match_at(words, len(words) - len(p), p, language) for p in lexicon.phrases(table, language)
                   if len(p) <= len(words))  # fmt: skip
    words = lexicon.words(text[span[1] :])[:3]
    return any(lexicon.match_at(words, 0, p, language) for p in lexicon.phrases(table, language))


def _not_a_quantity(text: str, start: int, end: int, language: str) -> bool:
    """An item number ("2) …"), a reference ("Chương 2", "раздел 2"), a name's number (after an acronym:
    "BĐP 03", "Nhóm ABC 3") or a span of time ("10 ngày")."""
    before, after = text[:start], text[end:]
    if not before.strip(" •–-*") and after[:1] in (")", "."):
        return True
    last = lexicon.words(before)[-1:]
    if last and len(last[0].text) >= 2 and last[0].text.isupper() and before.endswith(f"{last[0].text} "):
        return True
    return _next_to(text, (start, end), "reference_words", language, before=True) or _next_to(
        text, (start, end), "duration_units", language, before=False
    )


def _unit_after(text: str, end: int, limit: int) -> str:
    """Up to ``limit`` words after a number, stopping at punctuation ("982 online public services")."""
    rest = text[end:]
    stop = _PUNCT.search(rest)
    return " ".join(w.text for w in lexicon.words(rest[: stop.start()] if stop else rest)[:limit])


def _responsibilities(chunk: Chunk, sentence: _Sentence, duty: list[Actor], lead: str | None = None) -> list[Fact]:
    """One fact per actor; a list item's facts quote the item with the ``lead`` that names the actor."""
    return [
        Fact(
            kind="responsibility", actor=actor.name, levels=levels_of(actor.name, sentence.language)
            or levels_of(sentence.text, sentence.language), text=sentence.text, language=sentence.language,
            evidence=[evidence_of(chunk, sentence.text).model_copy(update={"lead": lead})],
        )
        for actor in duty
    ]  # fmt: skip
