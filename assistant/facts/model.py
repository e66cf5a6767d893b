"""Typed facts: deadlines, responsibilities and numeric targets, each with the evidence that states it."""

from __future__ import annotations

import calendar
import hashlib
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from assistant.types import position

FactKind = Literal["deadline", "responsibility", "target"]
Level = Literal["central", "province", "commune"]
DateRole = Literal["by", "from"]
KINDS: tuple[FactKind, ...] = ("deadline", "responsibility", "target")
LEVELS: tuple[Level, ...] = ("central", "province", "commune")


class Evidence(BaseModel):
    """Where a fact is stated: one document, one position in it, and the verbatim sentence or row."""

    source: str = Field(description="Path relative to the corpus folder (as ChunkMeta.source).")
    title: str = ""
    language: str = "und"
    doc_type: str = "other"
    chunk_id: str = ""
    chunk_index: int = Field(0, description="Position of the chunk in its document (for ordering).")
    file_hash: str = ""
    page: int | None = None
    section: str | None = None
    sheet: str | None = None
    row: int | None = None
    ocr: bool = Field(False, description="Stated on a scanned page read by OCR (as ChunkMeta.ocr).")
    quote: str = Field(description="A verbatim substring of the chunk's text that states the fact.")
    lead: str | None = Field(
        None, description="When the quote is a list item: the list's lead-in that names the actor or gives the date "
        "(verbatim, same document), e.g. 'UBND cấp xã có trách nhiệm:', '1. Đến ngày 31/12/2027:'.",
    )

    @property
    def location(self) -> str | None:
        """The position as citations show it (:func:`assistant.types.position`)."""
        return position(self.page, self.row, self.sheet, self.section, self.ocr)


class Fact(BaseModel):
    """One deadline, responsibility or target, with every place that states it.

    A fact extracted from one sentence or row has one evidence item; facts merged across
    documents and languages (:mod:`assistant.facts.merge`) keep all of them.
    """

    id: str = ""
    kind: FactKind
    date: str | None = Field(
        None, description="ISO date (YYYY-MM-DD); YYYY-MM when the source gives a month without a day "
        "('Tháng 9/2027'), YYYY-Qn for a quarter ('Quý III/2027'); --MM-DD when no year is stated; YYYY for a "
        "target due within a year ('đạt 45% trong năm 2027'). A deadline's date; the date a target is due by; "
        "the deadline a responsibility is bound to.",
    )
    date_role: DateRole | None = Field(None, description="by: an end or deadline; from: a start.")
    value: float | None = Field(None, description="A target's number (100 for 100 %).")
    unit: str | None = Field(None, description="What a target counts, as written after its number ('%' for percent).")
    actor: str | None = Field(None, description="Who must act, verbatim as the source names it.")
    levels: list[Level] = Field(default_factory=list, description="Levels of government the fact applies to.")
    text: str = Field(description="What is stated: the sentence, or a list row's task, in the source language.")
    language: str = "und"
    renderings: dict[str, str] = Field(
        default_factory=dict, description="Normalised wording per language (from an LLM), kept only when checked."
    )
    evidence: list[Evidence] = Field(default_factory=list)
    verified: bool = Field(False, description="Its date, number and actor occur in every quote (see facts.verify).")
    problems: list[str] = Field(
        default_factory=list, description="Why it is not verified: reasons from the registry of assistant.reasons."
    )

    @property
    def key(self) -> str:
        """What must agree for two statements to be one fact: the date and role, the value and its date, or the actor."""
        if self.kind == "deadline":
            return f"deadline|{self.date}|{self.date_role}"
        if self.kind == "target":  # one figure due by two dates is two targets
            return f"target|{self.value:g}|{self.date or ''}" if self.value is not None else "target|"
        return f"responsibility|{(self.actor or '').casefold()}"

    @property
    def day(self) -> date | None:
        """The calendar day a deadline falls on or a target is due by (a month's, quarter's or year's last day
        for those), None without a year. None for a responsibility: the deadline that dates it is nearly always a
        deadline fact of its own (the same sentence or row), on the timeline and in the calendar already."""
        return last_day(self.date) if self.kind != "responsibility" and self.date else None

    @property
    def role(self) -> str:
        """How a dated fact is drawn and exported: ``"by"`` (a deadline), ``"from"`` (a start) or ``"target"``."""
        return "target" if self.kind == "target" else self.date_role or "by"

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(e.source for e in self.evidence))

    def with_id(self) -> Fact:
        """This fact with a stable id from its key and its first evidence (same input, same id)."""
        first = self.evidence[0] if self.evidence else None
        seed = "\x1f".join([self.key, self.text, first.source if first else "", first.chunk_id if first else ""])
        return self.model_copy(update={"id": hashlib.sha256(seed.encode()).hexdigest()[:20]})


def is_year(value: str) -> bool:
    """True for a year alone (``2027``), a target's date when its source gives only the year."""
    return len(value) == 4 and value.isdigit()


def is_month(value: str) -> bool:
    """True for an ISO month (``2027-09``), a fact's date when its source gives no day."""
    return len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit()


def is_quarter(value: str) -> bool:
    """True for a quarter of a year (``2027-Q3``), a fact's date when its source gives only the quarter."""
    return len(value) == 7 and value[4:6] == "-Q" and value[:4].isdigit() and value[6] in "1234"


def quarter_of(value: str) -> tuple[int, int]:
    """``(quarter, year)`` of a quarter (``2027-Q3`` → (3, 2027)); see :func:`is_quarter`."""
    return int(value[6]), int(value[:4])


def last_day(value: str) -> date | None:
    """The last day an ISO date, month, quarter or year names (``2027-09`` → 30 September 2027, ``2027-Q3`` → the
    same, ``2027`` → 31 December 2027); None for ``--MM-DD`` (no year) or a value that is none of them."""
    if is_year(value):
        return date(int(value), 12, 31)
    try:
        if is_month(value) or is_quarter(value):
            year = int(value[:4])
            month = quarter_of(value)[0] * 3 if is_quarter(value) else int(value[5:])
            return date(year, month, calendar.monthrange(year, month)[1])
        return date.fromisoformat(value) if not value.startswith("--") else None
    except ValueError:
        return None
