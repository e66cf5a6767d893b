"""Deadlines and targets of one sentence: dates with a role, quarters and months, numbers that set a goal.

- a **deadline** is a date with a start or end cue before it (``language.date_roles``: "đến",
  "until", "bis", "до", "até"…), unless it is a document's own date (a date right after a
  document code: "Quyết định 88/QĐ-UBND ngày 03/5/2027", "Plan 15-KH/BĐP of 19 June"), or a quarter or
  a month of a year with such a cue or in a sentence that gives a body a duty (:func:`periods`);
- a **target** is a number (not a date, year, code or numbered reference) in a sentence that
  sets a goal (``lexicon.yaml`` ``goal``), or a percentage.

Also the two helpers every fact of a chunk uses: its evidence and the levels its text names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.facts import lexicon
from assistant.facts.actors import Actor
from assistant.facts.model import Evidence, Fact, Level, is_year
from assistant.facts.names import BOUNDARY
from assistant.language import cue_before, date_roles
from assistant.retrieval.dates import DateMention, date_mentions, period_mentions
from assistant.retrieval.keys import code_spans, number_mentions
from assistant.retrieval.text_norm import fold
from assistant.settings import FactSettings
from assistant.types import Chunk

# A number right after a number sign is an identifier ("Resolution No. 57", "Nghị quyết số 57", "№ 2", "n.º 2").
_NUMBER_SIGN = re.compile(r"(?i)(?:\bno|\bnr|\bso|\bn\.?[o°º]|#)\.?\s*$")
# Groups of digits that make one identifier, not several quantities: a phone number ("0200 777 0300",
# "+84 24 3823 1234"): groups after a country code, or after a group written with a leading zero and three
# or more digits.
_DIGIT_GROUPS = re.compile(r"(?<![\d,.])(?:\+\d{1,3}[ .-]?\d{1,3}|0\d{2,})(?:[ .-]\d{2,5}){1,3}(?![\d,])")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    language: str


def evidence_of(chunk: Chunk, quote: str) -> Evidence:
    meta = chunk.meta
    return Evidence(
        source=meta.source, title=meta.title, language=meta.language, doc_type=meta.doc_type, chunk_id=chunk.id,
        chunk_index=meta.chunk_index, file_hash=meta.file_hash, page=meta.page, section=meta.section, sheet=meta.sheet, row=meta.row, ocr=meta.ocr, quote=quote,
    )  # fmt: skip


def levels_of(text: str, language: str) -> list[Level]:
    seq = lexicon.words(text)
    return [
        level for level in ("central", "province", "commune")
        if lexicon.find(seq, lexicon.level_phrases(level, language), language)
    ]  # fmt: skip


@dataclass(frozen=True)
class Time:
    """A time a sentence states: where it starts in the folded sentence, as a fact's date, and the role its
    cue gives it ("start" after a start cue, otherwise an end)."""

    start: int
    date: str
    role: str = "end"
    cued: bool = True  # a quarter or month with no cue before it is due only where the sentence gives a duty

    @property
    def year_only(self) -> bool:
        return is_year(self.date)


def dated(sentence: Sentence, settings: FactSettings) -> list[Time]:
    """The dates of a sentence that something is due by or starts from (each with a start or end cue), not a
    cited document's own date ("Quyết định 88/QĐ-UBND ngày 03/5/2027")."""
    folded = fold(sentence.text)
    roles = date_roles(sentence.text, window=settings.date_cue_window)
    codes = code_spans(folded)
    context_year = _years(folded)
    times = []
    for mention in _dates(folded, sentence.language):
        if mention.ambiguous or mention.key not in roles:
            continue
        if any(0 <= len(folded[end : mention.start].split()) <= settings.document_date_words for _, end in codes
               if end <= mention.start):  # fmt: skip
            continue  # the date of a cited document, not something due
        year = mention.year or (context_year[0] if len(context_year) == 1 else None)
        month_day = mention.key.removeprefix("date:")
        date = f"{year}-{month_day}" if year else f"--{month_day}"
        times += [Time(mention.start, date, role) for role in sorted(roles[mention.key])]
    return times


def deadlines(
    chunk: Chunk, sentence: Sentence, duty: list[Actor], times: list[Time], lead: str | None = None
) -> list[Fact]:
    """The deadlines of ``sentence`` from its dates (:func:`dated`); ``lead``: the list's lead-in that names
    ``duty`` when the sentence is an item that does not."""
    return [_deadline(chunk, sentence, t.date, t.role, duty, lead) for t in times]


def _deadline(chunk: Chunk, sentence: Sentence, date: str, role: str, duty: list[Actor], lead: str | None) -> Fact:
    """A deadline of ``sentence``: ``role`` "start" gives a start ("from"), any other an end ("by")."""
    evidence = evidence_of(chunk, sentence.text)
    return Fact(
        kind="deadline", date=date, date_role="from" if role == "start" else "by",
        actor=duty[0].name if duty else None, levels=levels_of(sentence.text, sentence.language), text=sentence.text,
        language=sentence.language, evidence=[evidence.model_copy(update={"lead": lead}) if lead else evidence],
    )  # fmt: skip


def period_times(sentence: Sentence, settings: FactSettings) -> list[Time]:
    """The quarters and months with their year that a sentence names ("… hoàn thành trong quý 3 năm 2027", "tổ
    chức sơ kết vào tháng 7/2027", "before Q3 2027"): a start after a start cue ("từ quý II/2027"), otherwise an
    end; ``cued`` when a cue says so. A cited document's month ("Kế hoạch số 88/KH-UBND tháng 3/2027") is not
    something due."""
    folded = fold(sentence.text)
    codes = code_spans(folded)
    times = []
    for mention in period_mentions(sentence.text):
        start = mention.start
        if mention.iso is None or any(
            0 <= len(folded[end:start].split()) <= settings.document_date_words for _, end in codes if end <= start
        ):
            continue
        role = cue_before(folded[:start], settings.period_cue_window)
        times.append(Time(start, mention.iso, role or "end", cued=role is not None))
    return times


def periods(
    chunk: Chunk, sentence: Sentence, duty: list[Actor], times: list[Time], lead: str | None = None
) -> list[Fact]:
    """Deadlines given by a quarter or a month with its year (:func:`period_times`), where a cue says so or the
    sentence gives a body a duty in that period (``lead`` as for :func:`deadlines`)."""
    return [_deadline(chunk, sentence, t.date, t.role, duty, lead) for t in times if t.cued or duty]


def times_of(sentence: Sentence, settings: FactSettings) -> tuple[list[Time], list[Time]]:
    """A sentence's dates (:func:`dated`) and its quarters and months (:func:`period_times`), read once for its
    deadlines and its figures."""
    return dated(sentence, settings), period_times(sentence, settings)


def end_times(sentence: Sentence, settings: FactSettings, stated: list[Time]) -> list[Time]:
    """What a sentence's figures may be due by, in reading order: of the times it states (``stated``, from
    :func:`times_of`) those that are no start, and the years it names outside its dates and codes ("đạt 45%
    trong năm 2027"), unless a start cue stands before the year or a date of the sentence falls in it."""
    folded = fold(sentence.text)
    times = [t for t in stated if t.role != "start"]
    mentions = _dates(folded, sentence.language)
    codes = code_spans(folded)
    for number in number_mentions(folded, mentions):
        if not number.year or any(start <= number.start < end for start, end in codes):
            continue
        if any(d.year == int(number.value) and _YEAR_AFTER_DATE.fullmatch(folded[d.match_end : number.start])
               for d in mentions if d.start <= number.start):  # fmt: skip
            continue  # the year of a date ("30 de junho de 2027")
        if cue_before(folded[: number.start], settings.period_cue_window) == "start":
            continue  # "Từ năm 2027, mỗi quý …": a start, not what is due by
        if any(not t.year_only and t.date.startswith(number.value) for t in times):
            continue  # "Năm 2027 mở … lớp, xong trước ngày 20/11/2027": the date says when within the year
        times.append(Time(number.start, number.value))
    return sorted(times, key=lambda t: t.start)


# What stands between a date's day and month and its year: punctuation and at most one word (" de ", " năm ").
_YEAR_AFTER_DATE = re.compile(r"\W*(?:[^\W\d_]+\W+)?")


def one_date(times: list[Time]) -> str | None:
    """The date ``times`` name when they name one (years aside), else None: what a duty or a list's items
    are due by."""
    dates = {t.date for t in times if not t.year_only}
    return dates.pop() if len(dates) == 1 else None


def due_date(sentence: Sentence, settings: FactSettings) -> str | None:
    """The one date a sentence (a clause, a lead-in) names that is no start (:func:`one_date`), else None."""
    found, spans = times_of(sentence, settings)
    return one_date(end_times(sentence, settings, found + spans))


def pair_times(positions: list[int], times: list[Time]) -> list[str | None]:
    """For each figure at ``positions`` (folded offsets, in reading order), the time it is due by: the
    sentence's one time when it names only one; as many figures as times pair in reading order ("45% trong
    năm 2027 và 70% trong năm 2028"); otherwise the nearest time whose nearest figure it is in turn ("Tổng
    kinh phí 700 triệu đồng, trong đó năm 2027 là 300 triệu đồng, năm 2028 là 400 triệu đồng": the total
    gets none)."""
    if not times or not positions:
        return [None] * len(positions)
    if len({t.date for t in times}) == 1:
        return [times[0].date] * len(positions)
    if len(times) == len(positions):
        return [t.date for t in times]
    out: list[str | None] = []
    for p in positions:
        nearest = min(times, key=lambda t: abs(t.start - p))
        mutual = min(positions, key=lambda q: abs(nearest.start - q)) == p
        out.append(nearest.date if mutual else None)
    return out


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


def targets(
    chunk: Chunk, sentence: Sentence, settings: FactSettings, times: list[Time] | None = None,
    lead_date: str | None = None, lead: str | None = None,
) -> list[Fact]:
    """The sentence's targets, each due by the time of ``times`` (:func:`end_times`) it pairs with
    (:func:`pair_times`), else by ``lead_date``, the date of the list's ``lead`` (its lead-in, then quoted
    with it) the sentence is an item of."""
    folded, language = fold(sentence.text), sentence.language
    seq = lexicon.words(sentence.text)
    has_goal = bool(lexicon.find(seq, lexicon.phrases("goal", language), language))
    codes = code_spans(folded) + [m.span() for m in _DIGIT_GROUPS.finditer(folded)]
    facts, positions = [], []
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
        positions.append(number.start)
    dated_facts = []
    for fact, date in zip(facts, pair_times(positions, times or []), strict=True):
        if date is None and lead_date is not None:
            date, fact = lead_date, fact.model_copy(update={"evidence": [fact.evidence[0].model_copy(update={"lead": lead})]})
        dated_facts.append(fact.model_copy(update={"date": date, "date_role": "by" if date else None}))
    return dated_facts


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
    stop = BOUNDARY.search(rest)  # punctuation ends a target's unit as it ends a name
    return " ".join(w.text for w in lexicon.words(rest[: stop.start()] if stop else rest)[:limit])
