"""The language-independent channel: document codes, dates and numbers as exact keys (dates, months and
quarters are read by :mod:`assistant.retrieval.dates`).

``02-KH/BCĐTW``, ``15662-CV/VPTW`` and ``130-KL/TW`` read the same in every
language, and so do dates once month names are mapped (``30 червня 2025``,
``30. Juni 2025``, ``30/6/2025`` and ``ngày 30 tháng 6`` all give ``date:06-30``).
Dense embeddings blur such tokens; matching them exactly finds the one chunk
that holds a document number or a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.retrieval.dates import (
    NUM_MONTH_YEAR,
    DateMention,
    date_mentions,
    month_mentions,
    month_year_mentions,
    named_quarters,
    without_dates,
)

_CODE = re.compile(r"\b(\d{1,6})\s*-\s*([A-Z]{1,5}(?:\s*/\s*[A-Z]{1,8}){1,3})\b")
# Vietnamese legal documents number the other way round: "1487/QĐ-UBND", "15/2025/NĐ-CP", "02/CT-TTg".
_SLASH_CODE = re.compile(r"\b(\d{1,6})\s*/\s*(?:((?:19|20)\d\d)\s*/\s*)?([A-Z]{1,6}(?:\s*-\s*[A-Z]{1,8}){1,3})\b")
# A list's own identifiers: capital letters run into digits ("CT05" an indicator, "DL12" a task), a row's key.
_ID_CODE = re.compile(r"(?<![\w/-])([A-Z]{2,5})(\d{2,4})(?![\w/-])")
# A number: digit groups split by spaces ("1 000"; no-break spaces fold to spaces) or a run of digits
# joined by "." / "," ("1.000", "1,5", "12.345,67"); read by :func:`_number_value`.
_NUMBER = re.compile(r"(?<![\w/.,-])([1-9]\d{0,2}(?: \d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)*)(\s*%)?(?![\w/-])")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})*")
_YEAR = re.compile(r"^(19|20)\d\d$")
# A year joined to a word: "mid-2027", "end-2028", "quý IV/2027" (a code's year follows digits: "27/2031/NĐ-CP").
_JOINED_YEAR = re.compile(r"(?<=[^\W\d_])\s*[-/]\s*((?:19|20)\d\d)(?![\d/])")


def _number_value(raw: str) -> str | None:
    """Canonical value of a number as written in any of our languages, or None if it is no one number.

    Languages disagree on separators: "1.000" is a thousand in vi/de/pt/es and "1,000" in en, while
    "1,5" / "1.5" are decimals. A non-zero lead of one to three digits followed by groups of exactly
    three is read as thousands in both conventions ("3.321" communes, "1,000 records"); a real decimal
    with three places ("1.125") is rare in these documents and loses out. When both separators occur,
    the last one is the decimal mark ("12.345,67", "12,345.67").
    """
    raw = raw.replace(" ", "")
    if _GROUPED.fullmatch(raw):
        return re.sub(r"[.,]", "", raw)
    last = max(raw.rfind("."), raw.rfind(","))
    if last < 0:
        return raw.lstrip("0") or "0"
    head, mark, tail = raw[:last], raw[last], raw[last + 1 :]
    if ("." in head or "," in head) and not (_GROUPED.fullmatch(head) and mark not in head):
        return None  # "1.2.3", "1,000.000.5": a list or a version, not one number
    integer = re.sub(r"[.,]", "", head).lstrip("0") or "0"
    decimals = tail.rstrip("0")
    return f"{integer}.{decimals}" if decimals else integer


def _quarter_keys(quarter: int, year: int | None) -> set[str]:
    """``quarter:3``, and with a year ``quarter:2027-3`` too: a question naming the year asks for that one."""
    return {f"quarter:{quarter}", *([f"quarter:{year}-{quarter}"] if year else [])}


def extract_keys(text: str) -> set[str]:
    """Codes (``code:02-kh/bcdtw``, ``code:ct05``), dates (``date:06-30``), numbers (``num:58``, ``num:100%``), years
    (``year:2026``, alone or as a date's), months (``month:08``, alone or as a date's) and quarters (``quarter:3``
    and ``quarter:2027-3``, named or as a month's or a date's)."""
    keys: set[str] = set()
    upper = text.replace("Đ", "D").replace("đ", "d").upper()
    for number, letters in _CODE.findall(upper):
        letters = re.sub(r"\s+", "", letters).lower()
        keys.add(f"code:{int(number)}-{letters}")
    for number, year, letters in _SLASH_CODE.findall(upper):
        letters = re.sub(r"\s+", "", letters).lower()
        keys.add(f"code:{int(number)}/{year + '/' if year else ''}{letters}")
    for letters, digits in _ID_CODE.findall(text):
        keys.add(f"code:{letters.lower()}{digits}")
    named, folded = named_quarters(text)
    for quarter in named:
        keys |= _quarter_keys(quarter.quarter, quarter.year)
        keys.update([f"year:{quarter.year}"] if quarter.year else [])
    mentions = date_mentions(folded)
    keys.update(mention.key for mention in mentions)
    # A date's year is a mention of that year: "30/6/2026" answers "by mid-2026" as "30 June 2026" does.
    keys.update(f"year:{mention.year}" for mention in mentions if mention.year)
    # A month is a mention too: "15/10/2027" answers "trong tháng 10/2027?" as "tháng 10" does.
    keys.update(f"month:{n:02d}" for n in month_mentions(folded, mentions))
    # And so is a quarter: "30/9/2027" and "tháng 8/2027" answer "trong quý III/2027?".
    for mention in mentions:
        if not mention.ambiguous:
            keys |= _quarter_keys((int(mention.key[5:7]) - 1) // 3 + 1, mention.year)
    for month in month_year_mentions(folded):
        keys |= _quarter_keys((month.month - 1) // 3 + 1, month.year)
    for number in number_mentions(folded, mentions):
        keys.add(f"year:{number.value}" if number.year else f"num:{number.value}{'%' if number.percent else ''}")
    keys.update(f"year:{m.group(1)}" for m in _JOINED_YEAR.finditer(folded))
    keys.update(f"year:{m.group(2)}" for m in NUM_MONTH_YEAR.finditer(folded))
    return keys


def asked_keys(text: str) -> set[str]:
    """:func:`extract_keys` of a question (or a claim): a month its own dates give ("trước 14/3/2027")
    asks no more than those dates, so only a month it names without a day ("trong tháng 10/2027") is kept;
    likewise only the quarters it names ("trong quý III/2027"), not those of its dates and months. A
    quarter named with its year asks for that year's ("quarter:2027-3"), not for any third quarter."""
    keys = extract_keys(text)
    quarters, without = named_quarters(text)
    implied = {f"month:{k[5:7]}" for k in keys if k.startswith("date:")}
    named = month_mentions(without_dates(without), dates=[])  # the dates are blanked out
    keys -= implied - {f"month:{n:02d}" for n in named}
    asked = {f"quarter:{q.year}-{q.quarter}" if q.year else f"quarter:{q.quarter}" for q in quarters}
    return {k for k in keys if not k.startswith("quarter:") or k in asked}


@dataclass(frozen=True)
class NumberMention:
    """One number of a folded text outside its dates: canonical value ("1000", "2.5"), span, and kind."""

    value: str
    start: int
    end: int
    percent: bool = False
    year: bool = False


def number_mentions(folded: str, dates: list[DateMention] | None = None) -> list[NumberMention]:
    """The numbers of an already folded text that are not part of one of its (unambiguous) dates."""
    dates = date_mentions(folded) if dates is None else dates
    date_spans = [(d.start, d.end) for d in dates if not d.ambiguous]
    found = []
    for m in _NUMBER.finditer(folded):
        if any(start <= m.start() < end for start, end in date_spans):
            continue
        value = _number_value(m.group(1))
        if value is not None:
            found.append(NumberMention(value, m.start(), m.end(), bool(m.group(2)), bool(_YEAR.match(value))))
    return found


_CODE_FOLDED = (re.compile(_CODE.pattern, re.IGNORECASE), re.compile(_SLASH_CODE.pattern, re.IGNORECASE))


def code_spans(folded: str) -> list[tuple[int, int]]:
    """Spans of the document codes ("02-kh/bcdtw", "1487/qd-ubnd") of an already folded text."""
    return sorted(m.span() for pattern in _CODE_FOLDED for m in pattern.finditer(folded))


# How much a matched key of each kind counts; a document code is nearly decisive, a year says little.
KEY_WEIGHTS: dict[str, float] = {"code": 1.0, "date": 0.8, "num": 0.6, "month": 0.2, "quarter": 0.2, "year": 0.1}


def key_weight(key: str) -> float:
    """Weight of one key by its kind (the part before ``:``)."""
    return KEY_WEIGHTS.get(key.split(":", 1)[0], 0.5)


def key_overlap(query_keys: set[str], chunk_keys: set[str]) -> tuple[float, set[str]]:
    """Weighted share of the query's keys found in the chunk, in [0, 1], and the keys that matched."""
    if not query_keys:
        return 0.0, set()
    matched = query_keys & chunk_keys
    total = sum(key_weight(k) for k in query_keys)
    return (sum(key_weight(k) for k in matched) / total if total else 0.0), matched
