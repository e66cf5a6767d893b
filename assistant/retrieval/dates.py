"""Dates, months without a day, quarters and periods in text of every corpus and question language.

``30/6/2025``, ``ngày 30 tháng 6``, ``30 червня 2025``, ``30. Juni 2025`` and ``2025-06-30`` are one date
(:func:`date_mentions`); "tháng 10/2027", "October 2027" one month (:func:`month_year_mentions`); "Quý III/2027",
"Q3 2027" one quarter (:func:`quarter_mentions`). Read in folded text (:func:`~assistant.retrieval.text_norm.fold`);
the keys of :mod:`assistant.retrieval.keys` and the facts' dates are made of them.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from assistant.language import is_vietnamese
from assistant.retrieval.text_norm import fold

# Month names (folded, transliterated) in the corpus and question languages; prefixes suffice after a day,
# full names (or their inflected forms) are needed without one (:func:`_month`).
_MONTHS = {
    1: ("jan", "januar", "enero", "janeiro", "janvier", "sich", "ianvar", "gennaio", "january"),
    2: ("feb", "febrero", "fevereiro", "fevrier", "liut", "fevral", "february", "februar"),
    3: ("mar", "maerz", "marz", "marzo", "marco", "mars", "berez", "mart", "march"),
    4: ("apr", "abril", "avril", "kvit", "aprel", "april"),
    5: ("may", "mai", "mayo", "maio", "trav", "maia", "mag"),
    6: ("jun", "juni", "junio", "junho", "juin", "cherv", "iiun", "iun", "giugno", "june"),
    7: ("jul", "juli", "julio", "julho", "juillet", "lyp", "lip", "iiul", "iul", "luglio", "july"),
    8: ("aug", "agosto", "aout", "serp", "avgust", "august"),
    9: ("sep", "sept", "septiembre", "setembro", "septembre", "veres", "sentiab", "september"),
    10: ("oct", "okt", "octubre", "outubro", "octobre", "zhovt", "oktiab", "october", "oktober"),
    11: ("nov", "noviembre", "novembro", "novembre", "lystop", "listop", "noiab", "november"),
    12: ("dec", "dez", "diciembre", "dezembro", "decembre", "grud", "hrud", "dekab", "december", "dezember"),
}
_MONTH_WORD = {}
for _num, _names in _MONTHS.items():
    for _name in _names:
        _MONTH_WORD[_name] = _num

_NUM_DATE = re.compile(r"\b(\d{1,2})\s*([/.-])\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?\b")
# Ordinal marks after a day (text already folded): "1.", "1st", "1er", pt/es "1º"/"1.º" (º folds to "o"),
# "1°" (the degree sign often stands in for º and has no decomposition), uk/ru "1-го" ("1-go").
_ORDINAL = r"(?:\.?[o°]|\.|st|nd|rd|th|er|-go)?"
_WORD_DATE = re.compile(rf"\b(\d{{1,2}}){_ORDINAL}\s+(?:de\s+)?([a-z]{{3,}})\b")
_MONTH_FIRST = re.compile(r"\b([a-z]{3,})\s+(\d{1,2})(?:st|nd|rd|th)?\b")
_VI_DATE = re.compile(r"\b(\d{1,2})\s+thang\s+(\d{1,2})\b")
# ISO dates, as spreadsheets and forms write them: "2025-09-30".
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})\b")
# (pattern, day group, month group, group whose span is the date): ISO, numeric, Vietnamese, "30 June", "June 30".
_DATE_PATTERNS = (
    (_ISO_DATE, 3, 2, 0), (_NUM_DATE, 1, 3, 0), (_VI_DATE, 1, 2, 0), (_WORD_DATE, 1, 2, 1), (_MONTH_FIRST, 2, 1, 2),
)
# A month without its day (folded text): "10/2027", "tháng 10", "tháng 10 năm 2027", "October 2027",
# "octubre de 2027", "жовтня 2027" ("zhovtnia 2027").
NUM_MONTH_YEAR = re.compile(r"(?<![\d/.-])(0?[1-9]|1[0-2])\s*/\s*((?:19|20)\d\d)(?![\d/])")
_VI_MONTH = re.compile(r"\bthang\s+(\d{1,2})(?!\d)")
_WORD_MONTH_YEAR = re.compile(r"\b([a-z]{3,})\.?\s+(?:de\s+|of\s+)?((?:19|20)\d\d)(?!\d)")


def _month(word: str, alone: bool = False) -> int | None:
    """The month a word names: after a day any listed prefix will do ("30 sept."); ``alone`` (no day
    before it) only a listed name, or an inflected form of a listed name of four letters or more
    ("zhovtnia" of "zhovt"), so that "decision" is no "dec"."""
    for length in range(len(word), 2, -1):
        if word[:length] in _MONTH_WORD and (not alone or length == len(word) or (length >= 4 and len(word) - length <= 4)):
            return _MONTH_WORD[word[:length]]
    return None


def month_mentions(folded: str, dates: list[DateMention] | None = None) -> set[int]:
    """The months an already folded text names: those of its dates, and months named without a day
    ("10/2027", "tháng 10", "October 2027")."""
    dates = date_mentions(folded) if dates is None else dates
    months = {int(d.key[5:7]) for d in dates if not d.ambiguous}  # "1.5 million" names no May
    return months | {m.month for m in month_year_mentions(folded)}


_YEAR_AFTER_MONTH = re.compile(r"\s*(?:/|-|nam)\s*((?:19|20)\d\d)(?![\d/])")


@dataclass(frozen=True)
class MonthMention:
    """A month named without a day in a folded text: which one, its year when written with it, and its span."""

    month: int
    year: int | None
    start: int
    end: int


def month_year_mentions(folded: str) -> list[MonthMention]:
    """The months an already folded text names without a day ("thang 7/2027", "thang 10 nam 2027", "07/2027",
    "october 2027", "thang 10"), each with its year where one follows; a date's month is the date's."""
    taken = [(d.start, max(d.end, d.match_end)) for d in date_mentions(folded)]
    found: list[MonthMention] = []

    def add(month: int, year: int | None, start: int, end: int) -> None:
        if 1 <= month <= 12 and not any(s < end and start < e for s, e in taken):
            found.append(MonthMention(month, year, start, end))
            taken.append((start, end))

    for m in _VI_MONTH.finditer(folded):
        year = _YEAR_AFTER_MONTH.match(folded, m.end())
        add(int(m.group(1)), int(year.group(1)) if year else None, m.start(), year.end() if year else m.end())
    for m in NUM_MONTH_YEAR.finditer(folded):
        add(int(m.group(1)), int(m.group(2)), m.start(), m.end())
    for m in _WORD_MONTH_YEAR.finditer(folded):
        if n := _month(m.group(1), alone=True):
            add(n, int(m.group(2)), m.start(), m.end())
    return sorted(found, key=lambda m: m.start)


def _date_key(day: int, month: int) -> str | None:
    return f"date:{month:02d}-{day:02d}" if 1 <= day <= 31 and 1 <= month <= 12 else None


@dataclass(frozen=True)
class DateMention:
    """One date in a folded text: its key (``date:06-30``) and span; ``ambiguous`` when it may be a
    decimal number as well (a bare "1.5" is May 1st in de/ru/uk but 1.5 elsewhere)."""

    key: str
    start: int
    end: int
    ambiguous: bool = False
    match_end: int = -1  # end of the whole match ("1o de julho"), which may run past ``end``
    year: int | None = None  # when the text gives it ("30/6/2025", "2025-06-30", "30 de junho de 2025")


# A year written after a day and month: "30 June 2025", "30 de junho de 2025", "30 thang 6 nam 2025", "30 июня 2025".
_YEAR_AFTER = re.compile(r"\s*,?\s*(?:de\s+|nam\s+)?((?:19|20)\d\d)\b")


def _year_of(pattern: re.Pattern[str], m: re.Match[str], folded: str) -> int | None:
    if pattern is _ISO_DATE:
        return int(m.group(1))
    if pattern is _NUM_DATE:
        return int(m.group(4)) if m.group(4) else None
    after = _YEAR_AFTER.match(folded, m.end())
    return int(after.group(1)) if after else None


def date_mentions(folded: str) -> list[DateMention]:
    """The dates of an already folded text (:func:`~assistant.retrieval.text_norm.fold`), in text order."""
    found: list[DateMention] = []
    for pattern, day_group, month_group, span_group in _DATE_PATTERNS:
        for m in pattern.finditer(folded):
            raw_month = m.group(month_group)
            month = int(raw_month) if raw_month.isdigit() else _month(raw_month)
            key = _date_key(int(m.group(day_group)), month) if month else None
            if key:
                ambiguous = pattern is _NUM_DATE and m.group(2) == "." and m.group(4) is None
                year = _year_of(pattern, m, folded)
                found.append(DateMention(key, *m.span(span_group), ambiguous, m.end(), year))
    return sorted(found, key=lambda d: d.start)


# A quarter of a year in folded text: "Quý III/2027", "quý 3 năm 2027", "quý IV", "Q3/2027", "Q3 2027",
# "the third quarter of 2027", "3rd quarter". "Q3" needs its year (alone it may be a label of anything).
_QUARTER_YEAR = r"(?:\s*[/-]\s*|\s+nam\s+|\s+of\s+|\s*,?\s+)((?:19|20)\d\d)(?![\d/])"
_QUARTER_PATTERNS = (
    re.compile(rf"\bquy\s*(iv|iii|ii|i|[1-4])(?!\w)(?:{_QUARTER_YEAR})?"),
    re.compile(rf"\bq([1-4]){_QUARTER_YEAR}"),
    re.compile(rf"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b(?:{_QUARTER_YEAR})?"),
)
_QUARTER_NAMES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "first": 1, "second": 2, "third": 3, "fourth": 4,
                  "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}  # fmt: skip


@dataclass(frozen=True)
class QuarterMention:
    """A quarter named in a folded text: which one, its year when written with it, and its span."""

    quarter: int
    year: int | None
    start: int
    end: int


def quarter_mentions(folded: str, raw: str | None = None) -> list[QuarterMention]:
    """The quarters an already folded text names, in text order (the first pattern to claim a span wins).
    With the ``raw`` text it was folded from, "quỹ" (a fund: "Quỹ 2 …") is told from "quý" (a quarter)."""
    found: list[QuarterMention] = []
    accents = raw is not None and len(raw) == len(folded)
    for pattern in _QUARTER_PATTERNS:
        for m in pattern.finditer(folded):
            if any(q.start < m.end() and m.start() < q.end for q in found):
                continue
            if accents and raw[m.start() : m.start() + 3].lower() == "quỹ":
                continue
            name = m.group(1)
            quarter = _QUARTER_NAMES.get(name) or int(name)
            found.append(QuarterMention(quarter, int(m.group(2)) if m.group(2) else None, m.start(), m.end()))
    return sorted(found, key=lambda q: q.start)


def quarters(folded: str) -> set[tuple[int, int]]:
    """The ``(quarter, year)`` pairs an already folded text names with their year ("quy iii/2027" gives
    (3, 2027)): where a date is due by quarter (a task list's deadline column, a fact's quote)."""
    return {(q.quarter, q.year) for q in quarter_mentions(folded) if q.year}


def _blank(folded: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        folded = folded[:start] + " " * (end - start) + folded[end:]
    return folded


def named_quarters(text: str) -> tuple[list[QuarterMention], str]:
    """The quarters ``text`` names, and its folded form with them blanked out (their numerals are no month,
    count or label), as are the words that fold to a month's name but are written as no month is."""
    folded = fold(text)
    named = quarter_mentions(folded, text)
    return named, _blank(folded, [(q.start, q.end) for q in named] + _false_months(text, folded))


# Marks that month names carry in the languages read here ("février", "décembre", "août", "März", "março"):
# an acute on e, a circumflex on u, a diaeresis, a cedilla. A Latin word with any other mark is no month name.
_MONTH_MARKS = {("e", "\u0301"), ("u", "\u0302")}
_ANY_BASE_MARKS = {"\u0308", "\u0327"}


# Month names that are Vietnamese words as written, without a mark: "mai" (tomorrow, "ngày mai 15 giờ"; a given
# name, "Nguyễn Thị Mai") and "may" (luck). In a Vietnamese text they are those words.
_VIETNAMESE_WORDS = frozenset({"mai", "may"})
#: "ngày mai" (tomorrow) as folded, and as typed without marks, where the text may not read as Vietnamese.
_TOMORROW = "ngay mai"


def _false_months(text: str, folded: str) -> list[tuple[int, int]]:
    """The spans of words that fold to a month's name but carry a mark no month name carries: "02 máy quét" (two
    scanners) folds to "02 may quet", "thương mại 2025" to "... mai 2025"; and in a Vietnamese text, the month
    names that are Vietnamese words as written ("ngày mai 15 giờ" is tomorrow at 15:00, not 15 May), and "ngay
    mai" typed without marks in any text. Only when folding kept ``text``'s length, so that its spans are the folded text's (Cyrillic is transliterated into
    longer strings)."""
    if len(text) != len(folded):
        return []
    vietnamese: bool | None = None  # read once, at the first word that folds to a month's name
    spans = []
    for word in re.finditer(r"[^\W\d_]+", text):
        if _month(folded[word.start() : word.end()]) is None:
            continue
        if vietnamese is None:
            vietnamese = is_vietnamese(text)
        lower, previous = word.group().lower(), folded[: word.start()].split()[-1:]
        if (vietnamese and lower in _VIETNAMESE_WORDS) or " ".join([*previous, lower]) == _TOMORROW:
            spans.append(word.span())
            continue
        decomposed = unicodedata.normalize("NFD", word.group().lower())
        marks = {(base, mark) for base, mark in itertools.pairwise(decomposed)
                 if unicodedata.combining(mark) and base.isascii()}  # fmt: skip
        if any(pair not in _MONTH_MARKS and pair[1] not in _ANY_BASE_MARKS for pair in marks):
            spans.append(word.span())
    return spans


@dataclass(frozen=True)
class PeriodMention:
    """A quarter, or a month named without a day, in a text: which one, its year when written with it, and its
    span in the folded text."""

    start: int
    end: int
    year: int | None
    quarter: int | None = None
    month: int | None = None

    @property
    def iso(self) -> str | None:
        """"2027-Q3" or "2027-11", as a fact's date gives a period; None without a year."""
        if self.year is None:
            return None
        return f"{self.year}-Q{self.quarter}" if self.quarter else f"{self.year}-{self.month:02d}"


def period_mentions(text: str) -> list[PeriodMention]:
    """The quarters and the months without a day ``text`` names, in text order; a quarter's numerals are no
    month ("Q3/2027" is no March)."""
    named, blanked = named_quarters(text)
    found = [PeriodMention(q.start, q.end, q.year, quarter=q.quarter) for q in named]
    found += [PeriodMention(m.start, m.end, m.year, month=m.month) for m in month_year_mentions(blanked)]
    return sorted(found, key=lambda m: m.start)


def without_quarters(text: str) -> str:
    """``text`` with the quarters it names blanked out, so that their numerals are read as no count,
    label or month ("quý 2 năm 2027" is no 2, "Q3/2027" no March). Unchanged when folding would change
    its length (the spans are found in the folded text)."""
    folded = fold(text)
    if len(folded) != len(text):
        return text
    return _blank(text, [(q.start, q.end) for q in quarter_mentions(folded, text)])


def without_dates(folded: str) -> str:
    """``folded`` with its dates blanked out (their months are the dates'; "14 de março": the month word is the date's)."""
    return _blank(folded, [(d.start, max(d.end, d.match_end)) for d in date_mentions(folded)])
