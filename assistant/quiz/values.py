"""The key of an item as a value: a date, a period, a number or an actor, compared, written and found in text.

Dates, periods and numbers are found in any language with the retrieval's key reader
(:mod:`assistant.retrieval.keys`: "30/6/2025", "ngày 30 tháng 6", "30. Juni 2025" and "2025-06-30"
are one date; "Quý III/2027", "quý 3 năm 2027" and "Q3 2027" one period, as are "Tháng 11/2027" and
"November 2027"), actors by their folded name at word boundaries. A value written into an item follows
the quiz language: "30/6/2025", "quý III/2027", "tháng 11/2027", "1.450", "85%" in Vietnamese;
"30 June 2025", "Q3 2027", "November 2027", "1,450" in English.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.quiz.numbers import format_number
from assistant.quiz.templates import Templates
from assistant.retrieval.dates import PeriodMention, date_mentions, period_mentions
from assistant.retrieval.keys import number_mentions
from assistant.retrieval.text_norm import fold

# A period is a deadline given without its day: a month or a quarter of a year (a fact's date then).
KeyKind = Literal["date", "period", "number", "actor"]
_ROMAN = ("I", "II", "III", "IV")
_QUARTER_WORDS = ("first", "second", "third", "fourth")
# A year written after a date's day and month, in folded text ("30 thang 6 nam 2025", "June 30, 2025").
_YEAR_AFTER = re.compile(r"\s*,?\s*(?:de\s+|nam\s+)?(?:19|20)\d\d\b")


class KeyValue(BaseModel):
    """One date (ISO, or ``--MM-DD`` without a year), period (a month or a quarter of a year), number (with
    ``percent``) or actor name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: KeyKind
    date: str | None = Field(None, pattern=r"^(?:\d{4}|-)-\d{2}-\d{2}$", description="A day: 2027-06-30 or --06-30.")
    period: str | None = Field(
        None, pattern=r"^\d{4}-(?:Q[1-4]|0[1-9]|1[0-2])$", description="A month (2027-11) or a quarter (2027-Q3)."
    )
    number: float | None = None
    percent: bool = False
    actor: str | None = None

    @property
    def month_day(self) -> str:
        return (self.date or "")[-5:]

    @property
    def year(self) -> int | None:
        if self.period:
            return int(self.period[:4])
        return int(self.date[:4]) if self.date and not self.date.startswith("--") else None

    @property
    def quarter(self) -> int | None:
        """The quarter a period names (None for a month, and for any other kind)."""
        return int(self.period[6]) if self.period and self.period[5] == "Q" else None

    @property
    def month(self) -> int | None:
        """The month a period names (None for a quarter, and for any other kind)."""
        return int(self.period[5:]) if self.period and self.period[5] != "Q" else None

    def comparable(self, other: KeyValue) -> bool:
        """Of one kind, so that one can stand for the other as an option: periods also of one length (quarters
        with quarters, months with months)."""
        return self.kind == other.kind and (self.kind != "period" or (self.quarter is None) == (other.quarter is None))

    def same(self, other: KeyValue) -> bool:
        """The same date (years compared only when both have one), number, or actor (folded)."""
        if self.kind != other.kind:
            return False
        if self.kind == "date":
            return self.month_day == other.month_day and (
                self.year is None or other.year is None or self.year == other.year
            )
        if self.kind == "period":
            return self.period == other.period
        if self.kind == "number":
            return self.number == other.number and self.percent == other.percent
        return fold(self.actor or "") == fold(other.actor or "")

    def without_year(self) -> KeyValue:
        return self.model_copy(update={"date": f"--{self.month_day}"}) if self.kind == "date" else self

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` states this value (character offsets; empty when folding changes the text's length)."""
        folded = fold(text)
        if len(folded) != len(text):
            return []
        if self.kind == "actor":
            name = re.escape(fold(self.actor or ""))
            return [m.span() for m in re.finditer(rf"(?<!\w){name}(?!\w)", folded)] if name else []
        if self.kind == "period":
            return [(m.start, m.end) for m in period_mentions(text) if self._is(m)]
        dates = date_mentions(folded)
        if self.kind == "date":
            found = []
            for mention in dates:
                year_ok = self.year is None or mention.year is None or mention.year == self.year
                if mention.key == f"date:{self.month_day}" and year_ok and not mention.ambiguous:
                    end = max(mention.end, mention.match_end)
                    after = _YEAR_AFTER.match(folded, end) if mention.year else None
                    found.append((mention.start, after.end() if after else end))
            return found
        want = format_number(self.number) if self.number is not None else ""
        return [
            (m.start, m.end)
            for m in number_mentions(folded, dates)
            if m.value == want and m.percent == self.percent and not m.year
        ]

    def in_text(self, text: str) -> bool:
        """Whether ``text`` states this value (see :meth:`spans`; also for texts whose folding changes length)."""
        if self.spans(text):
            return True
        folded = fold(text)
        if self.kind == "actor":
            return bool(re.search(rf"(?<!\w){re.escape(fold(self.actor or ''))}(?!\w)", folded))
        probe = KeyValue.model_validate(self.model_dump())
        return any(probe.same(value) for value in read_values(text, self.kind))

    def write(self, language: str, templates: Templates) -> str:
        """The value as the quiz language writes it."""
        if self.kind == "actor":
            return self.actor or ""
        if self.kind == "period":
            return self._period_forms(language, templates)[0]
        if self.kind == "date":
            month, day = int(self.month_day[:2]), int(self.month_day[3:])
            if language == "en":
                text = f"{day} {templates.months['en'][month - 1]}"
                return f"{text} {self.year}" if self.year else text
            return f"{day}/{month}/{self.year}" if self.year else f"{day}/{month}"
        assert self.number is not None
        plain = format_number(self.number)
        integer, _, decimals = plain.partition(".")
        sign = "-" if integer.startswith("-") else ""
        digits = integer.lstrip("-")
        group, point = (".", ",") if language == "vi" else (",", ".")
        grouped = f"{int(digits):,}".replace(",", group) if len(digits) > 4 or language == "en" else digits
        text = sign + grouped + (point + decimals if decimals else "")
        return text + ("%" if self.percent else "")

    def variants(self, language: str, templates: Templates) -> list[str]:
        """Accepted spellings of a short answer (the first is the one :meth:`write` gives)."""
        if self.kind == "period":
            return self._period_forms(language, templates)
        first = self.write(language, templates)
        if self.kind != "date":
            return [first]
        month, day = int(self.month_day[:2]), int(self.month_day[3:])
        year = self.year
        more = [f"{day:02d}/{month:02d}" + (f"/{year}" if year else "")]
        if language == "vi":
            more.append(f"{day} tháng {month}" + (f" năm {year}" if year else ""))
        else:
            more.append(f"{templates.months['en'][month - 1]} {day}" + (f", {year}" if year else ""))
        if year:
            more.append(f"{year}-{month:02d}-{day:02d}")
        seen = {fold(first)}
        out = [first]
        for text in more:
            if fold(text) not in seen:
                seen.add(fold(text))
                out.append(text)
        return out

    def _is(self, mention: PeriodMention) -> bool:
        """Whether a mention names this period (one written without its year: the same month or quarter)."""
        year_ok = mention.year is None or mention.year == self.year
        return year_ok and (mention.quarter == self.quarter if mention.quarter else mention.month == self.month)

    def _period_forms(self, language: str, templates: Templates) -> list[str]:
        """A period as the quiz language writes it, then the other spellings a short answer accepts."""
        year, quarter, month = self.year, self.quarter, self.month
        if quarter:
            if language == "en":
                return [f"Q{quarter} {year}", f"{_QUARTER_WORDS[quarter - 1]} quarter of {year}", f"Q{quarter}/{year}"]
            return [f"quý {_ROMAN[quarter - 1]}/{year}", f"quý {quarter}/{year}", f"quý {quarter} năm {year}"]
        assert month is not None
        if language == "en":
            return [f"{templates.months['en'][month - 1]} {year}", f"{month}/{year}"]
        return [f"tháng {month}/{year}", f"tháng {month} năm {year}", f"{month}/{year}"]


def read_values(text: str, kind: KeyKind) -> list[KeyValue]:
    """The dates, periods (with their year) or numbers ``text`` states (an actor: the text itself), in text order."""
    if kind == "actor":
        return [KeyValue(kind="actor", actor=text.strip())] if text.strip() else []
    if kind == "period":
        return [KeyValue(kind="period", period=m.iso) for m in period_mentions(text) if m.iso]
    folded = fold(text)
    dates = date_mentions(folded)
    if kind == "date":
        return [
            KeyValue(kind="date", date=(f"{d.year}-" if d.year else "--") + d.key.removeprefix("date:"))
            for d in dates
            if not d.ambiguous
        ]
    return [
        KeyValue(kind="number", number=float(m.value), percent=m.percent)
        for m in number_mentions(folded, dates)
        if not m.year
    ]


def read_value(text: str, kind: KeyKind) -> KeyValue | None:
    """The one value an option or answer states, or None when it states none or several."""
    values = read_values(text, kind)
    return values[0] if len(values) == 1 else None


def replace_spans(text: str, spans: list[tuple[int, int]], by: str) -> str:
    """``text`` with every span replaced by ``by`` (spans may overlap)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + by + text[end:]
    return text
