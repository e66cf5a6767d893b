"""Facts from prose by rules: each sentence of a chunk read on its own, in the chunk's language.

Its deadlines and targets come from its dates and numbers (:mod:`assistant.facts.figures`). A
**responsibility** is an actor (a body or office holder, ``actor_heads``/``proper_heads``) named before
a duty word (``obligation``), in a sentence that assigns one; or a list item under a lead-in that ends
with a colon and names its actor ("UBND cấp xã có trách nhiệm:", "Sở Du lịch:"), or under a heading that
names whose duties follow ("Trách nhiệm của Sở Du lịch"): the items are that actor's duties, each quoting
the item with the lead-in that names the actor (``Evidence.lead``).

A target is due by the time its sentence names next to it (:func:`~assistant.facts.figures.pair_times`),
and a duty by the one date its sentence names; otherwise both are due by the date of the lead-in they are
items of ("1. Đến ngày 31/12/2027:" then "a) 100% vé tham quan … bán trực tuyến;"), which their evidence quotes.

The vocabulary is general administrative language per language (``lexicon.yaml``); the
mechanisms are dates, numbers, codes, word order and the document's structure.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.text import LIST_ITEM, item_mark, sentence_spans
from assistant.facts import lexicon
from assistant.facts.actors import Actor, after_opening_clause, bearers, find_actors, role_holders
from assistant.facts.figures import (
    Sentence,
    dated,
    deadlines,
    due_date,
    end_times,
    evidence_of,
    levels_of,
    one_date,
    periods,
    targets,
    times_of,
)
from assistant.facts.model import Fact
from assistant.ingest.headings import NUMBERED
from assistant.retrieval.parts import SECTION_SEPARATOR
from assistant.settings import FactSettings
from assistant.types import Chunk

# A list item: a bullet, or an item mark ("1.", "2)", "a)", "(b)", "iv.") at the start of a line.


@dataclass(frozen=True)
class _Lead:
    """An open list's lead-in: its sentence, the actors it names and the date its items are due by."""

    text: str
    actors: list[Actor]
    parties: tuple[str, ...] = ()  # a duty heading's listed parties, as written ("các thành viên")
    section: str | None = None  # the heading path it was read under
    date: str | None = None  # "1. Đến ngày 31/12/2027:": the date its items' targets and duties are due by
    mark: str | None = None  # its own item mark's kind: an item with the same kind is its sibling, not its item


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
        section = self._duty_heading(title, language, chunk.meta.section) or self._lead_in(title, language, chunk.meta.section)
        if self.lead is not None and self.lead.section != chunk.meta.section:
            self.lead = None  # a heading between the lead-in and this chunk closed its list
        for start, end in sentence_spans(chunk.text):
            sentence = Sentence(chunk.text[start:end], start, language)
            item = bool(LIST_ITEM.match(sentence.text))
            mark = item_mark(sentence.text)
            if not item or (self.lead is not None and self.lead.mark is not None and mark == self.lead.mark):
                self.lead = None  # a sentence that is not a list item, or a sibling of the lead-in, closes the list
            heading = self._duty_heading(sentence.text, language, chunk.meta.section)
            if heading is not None:
                self.lead = heading  # "5.2. Trách nhiệm của Sở Du lịch": the items after it are its duties
                continue
            if sentence.text.strip() in self.headings:
                self.lead = None  # a section's heading ("III. Đào tạo hướng dẫn viên, …") states nothing and ends a list
                if sentence.text.rstrip().endswith(":"):  # but a heading that leads in its items may date them
                    facts += deadlines(chunk, sentence, [], dated(sentence, settings))
                continue
            if len(sentence.text) > settings.max_sentence_chars:
                continue  # a run-on block (a table flattened into one line) is not one statement
            begin = _begin(sentence.text)
            # An item may start with one of its heading's parties ("Các thành viên …" under "Trách nhiệm của
            # Trưởng ban và các thành viên"): that party is its subject, even when no head word names it.
            # Under a list's lead-in its items, under a duty heading of the section every sentence, may lean on it.
            # "3. …" after the heading "2. Đến hết quý II/2027:" is that heading's sibling, not its item.
            lead = (self.lead if item else None) or (section if section is None or section.mark is None
                                                     or mark != section.mark else None)  # fmt: skip
            parties = lead.parties if lead else ()
            found, spans = times_of(sentence, settings)
            times = end_times(sentence, settings, found + spans)
            due = one_date(times)  # the one date the sentence names: its duties', or its items' when it leads in
            actors = find_actors(sentence.text, language, settings, self.names + parties, begin)
            duty = bearers(sentence.text, language, settings, actors, begin)
            subject = _subject(sentence.text, actors, settings.clause_subject)
            # An item under a lead-in that does not start with an actor of its own is the lead's duty
            # ("1) Thành lập …", "5) Phối hợp với Tổ X …": X cooperates, the lead's actor acts). Any other sentence
            # under a duty heading is the body's when it names no bearer itself and reads as a statement (a letter
            # first, a lowercase word: not a signature's "TM." or "(Ký, ghi rõ họ tên)").
            statement = sentence.text[begin : begin + 1].isalpha() and any(ch.islower() for ch in sentence.text)
            inherited = lead if lead and lead.actors and not subject and (item or (not duty and statement)) else None
            if inherited is not None:
                duty = []
            holders = [a for a in role_holders(sentence.text, language, settings, actors)
                       if a.name not in {d.name for d in duty}]  # fmt: skip
            # Its deadlines are the lead-in actor's when it names none of its own ("- Hoàn thành … trước ngày …").
            acting = duty or (inherited.actors if inherited else [])
            named_by = inherited.text if inherited and not duty else None  # the lead-in that names who acts
            facts += deadlines(chunk, sentence, acting, found, named_by)
            if settings.period_deadlines:
                facts += periods(chunk, sentence, acting, spans, named_by)
            dated_lead = lead if lead and lead.date else None
            if not _heading(sentence.text):
                facts += targets(chunk, sentence, settings, times, dated_lead.date if dated_lead else None,
                                 dated_lead.text if dated_lead else None)  # fmt: skip
                clauses = _clauses(sentence.text) if settings.clause_duties else []
                # An item of its lead-in's actor is one duty, due by its one date; when its clauses name dates of
                # their own ("Kiểm tra … trước ngày 15/12/2025; báo cáo … trước ngày 25/12/2025"), it is read
                # clause by clause, each duty due by its own clause's date.
                split = inherited is None or (due is None and _dated_clauses(sentence, clauses, settings) > 1)
                if len(clauses) > 1 and split:
                    facts += self._clause_duties(chunk, sentence, clauses, dated_lead, inherited)
                else:
                    facts += _responsibilities(chunk, sentence, duty + holders, *_due(due, dated_lead))
                    if inherited is not None:
                        facts += _responsibilities(chunk, sentence, inherited.actors, inherited.text,
                                                   due or inherited.date)  # fmt: skip
            if sentence.text.rstrip().endswith(":"):
                actors = subject or duty
                self.lead = _Lead(sentence.text, actors, section=chunk.meta.section, date=due, mark=mark) if (
                    actors or due) else None
            elif _title(sentence.text) and due:
                # A title that dates what follows ("3.1. Chỉ tiêu du lịch đến ngày 31/12/2027", then "a) …", "b) …").
                self.lead = _Lead(sentence.text, [], section=chunk.meta.section, date=due, mark=mark)
        return facts

    def _lead_in(self, title: str, language: str, section: str | None) -> _Lead | None:
        """A section heading written as a lead-in ("Điều 2. Ban Điều phối có nhiệm vụ:", "1. Đến ngày
        31/12/2027:"): its subject or the bearers of its duty word are whose duties the section's items are,
        its one date what they are due by; None for any other heading."""
        if not title.rstrip().endswith(":"):
            return None
        begin = _begin(title)
        actors = find_actors(title, language, self.settings, self.names, begin)
        bearing = _subject(title, actors, self.settings.clause_subject) or bearers(title, language, self.settings, actors, begin)
        date = due_date(Sentence(title, 0, language), self.settings)
        return _Lead(title, bearing, section=section, date=date, mark=item_mark(title)) if bearing or date else None

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

    def _clause_duties(
        self, chunk: Chunk, sentence: Sentence, clauses: list[tuple[int, int]], dated_lead: _Lead | None,
        inherited: _Lead | None = None,
    ) -> list[Fact]:
        """The duties of a sentence read clause by clause ("Sở Du lịch hướng dẫn …; chủ trì …; chỉ đạo …"): each
        clause is one duty, of the bodies it names itself, or, when it goes on without a subject of its own
        (it starts in lower case), of the body the first clause starts with; its quote is the clause, with
        the first clause as the lead-in that names the body. Each is due by the one date its clause names,
        else by its list's lead-in's. A clause without a subject that only says when ("…; hoàn thành trong quý
        III/2027": ``lexicon.yaml`` ``completion``) is no duty: it dates the undated duties of the clauses
        before it, whose quotes then run to its end. In an item that leans on its list's lead-in (``inherited``)
        every clause without a subject of its own is the lead-in actor's duty, quoted with that lead-in."""
        settings, language = self.settings, sentence.language
        facts: list[Fact] = []
        first: list[Actor] = list(inherited.actors) if inherited else []
        lead = inherited.text if inherited else ""
        for k, (start, end) in enumerate(clauses):
            part = Sentence(sentence.text[start:end], sentence.start + start, language)
            begin = _begin(part.text)
            actors = find_actors(part.text, language, settings, self.names, begin)
            duty = bearers(part.text, language, settings, actors, begin)
            holders = [a for a in role_holders(part.text, language, settings, actors)
                       if a.name not in {d.name for d in duty}]  # fmt: skip
            own = due_date(part, settings)
            if k > 0 and own and not _subject(part.text, actors, settings.clause_subject) and _completes(part.text, language):
                facts = [_dated_through(chunk, sentence, f, own, end) for f in facts]
                continue
            if k == 0 and inherited is None:
                first = duty if duty and duty[0].start <= begin else []  # the first clause's subject bears its duty
                lead = part.text
            elif first and not _subject(part.text, actors, settings.clause_subject) and (
                    inherited is not None or part.text.lstrip()[:1].islower()):  # fmt: skip
                # its lead-in is the first clause, or the list's lead-in that names the actor
                facts += _responsibilities(chunk, part, first, lead, own or (inherited.date if inherited else None))
                facts += _responsibilities(chunk, part, holders, *_due(own, dated_lead))
                continue
            facts += _responsibilities(chunk, part, duty + holders, *_due(own, dated_lead))
        return facts


def _dated_clauses(sentence: Sentence, clauses: list[tuple[int, int]], settings: FactSettings) -> int:
    """How many of ``sentence``'s clauses name one date of their own."""
    return sum(
        1 for start, end in clauses
        if due_date(Sentence(sentence.text[start:end], sentence.start + start, sentence.language), settings)
    )  # fmt: skip


def _completes(text: str, language: str) -> bool:
    """A clause that starts with a word of completion ("hoàn thành trước ngày …"): it says when, not what."""
    words = lexicon.words(text[_begin(text) :])
    return any(lexicon.match_at(words, 0, p, language) for p in lexicon.phrases("completion", language))


def _dated_through(chunk: Chunk, sentence: Sentence, fact: Fact, date: str, end: int) -> Fact:
    """``fact`` (a duty of an earlier clause of ``sentence``) due by ``date``, stated by the text from its own
    clause to the end of the clause that gives the date (a verbatim part of the sentence); a dated one as it is."""
    if fact.date is not None:
        return fact
    start = sentence.text.find(fact.text)
    if start < 0:
        return fact
    quote = sentence.text[start:end]
    evidence = evidence_of(chunk, quote).model_copy(update={"lead": fact.evidence[0].lead})
    return fact.model_copy(update={"date": date, "date_role": "by", "text": quote, "evidence": [evidence]})


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
    mark = LIST_ITEM.match(text)
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


def _title(text: str) -> bool:
    """A numbered line without closing punctuation ("3.1. Chỉ tiêu du lịch đến ngày 31/12/2027"): a title of what
    follows (numbered as the reader's headings are: :data:`assistant.ingest.headings.NUMBERED`)."""
    return bool(NUMBERED.match(text.strip())) and text.rstrip()[-1:] not in ".;:!?,"


def _heading(text: str) -> bool:
    """A title or heading written in capitals ("TỔ CHỨC THỰC HIỆN"): it states nothing."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _due(date: str | None, dated_lead: _Lead | None) -> tuple[str | None, str | None]:
    """``(lead, date)`` for :func:`_responsibilities`: the sentence's own date, else its list's lead-in and its date."""
    if date or dated_lead is None:
        return None, date
    return dated_lead.text, dated_lead.date


def _responsibilities(
    chunk: Chunk, sentence: Sentence, duty: list[Actor], lead: str | None = None, date: str | None = None,
) -> list[Fact]:
    """One fact per actor, due by ``date`` when one is given; a list item's facts quote the item with the
    ``lead`` that names the actor or dates the item."""
    return [
        Fact(
            kind="responsibility", actor=actor.name, levels=levels_of(actor.name, sentence.language)
            or levels_of(sentence.text, sentence.language), text=sentence.text, language=sentence.language,
            date=date, date_role="by" if date else None,
            evidence=[evidence_of(chunk, sentence.text).model_copy(update={"lead": lead})],
        )
        for actor in duty
    ]  # fmt: skip
