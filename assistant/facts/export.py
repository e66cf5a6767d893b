"""Facts out: rows for a table, CSV, XLSX, JSON and iCalendar (deadlines into an official's calendar)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import AssistantError
from assistant.facts.model import Fact
from assistant.spreadsheet import as_text, guarded

FORMATS = ("table", "csv", "xlsx", "json", "ics")
COLUMNS = ("kind", "date", "role", "value", "unit", "actor", "levels", "text", "language", "renderings", "verified",
           "sources")  # fmt: skip


class ExportError(AssistantError):
    """A format the facts cannot be written in."""


def fact_row(fact: Fact) -> dict[str, str]:
    """One fact as the flat row every tabular format writes."""
    return {
        "kind": fact.kind,
        "date": fact.date or "",
        "role": fact.date_role or "",
        "value": f"{fact.value:g}" if fact.value is not None else "",
        "unit": fact.unit or "",
        "actor": fact.actor or "",
        "levels": ", ".join(fact.levels),
        "text": fact.text,
        "language": fact.language,
        "renderings": "\n".join(f"{lang}: {text}" for lang, text in sorted(fact.renderings.items())),
        "verified": "yes" if fact.verified else "no",
        "sources": "; ".join(f"{e.source} ({e.location})" if e.location else e.source for e in fact.evidence),
    }


def to_csv(facts: list[Fact]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(guarded(fact_row(f)) for f in facts)
    return out.getvalue()


def to_json(facts: list[Fact]) -> str:
    return json.dumps([f.model_dump() for f in facts], ensure_ascii=False, indent=2)


def write_xlsx(facts: list[Fact], path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "facts"
    sheet.append(list(COLUMNS))
    for fact in facts:
        sheet.append([fact_row(fact)[c] for c in COLUMNS])
        as_text(sheet[sheet.max_row])
    workbook.save(path)


def to_ics(facts: list[Fact], product: str = "-//plan02-assistant//glance//EN") -> bytes:
    """An iCalendar file with one all-day event per dated deadline and per target due by a date, its sources
    in the description."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", product)
    calendar.add("version", "2.0")
    stamp = datetime.now(UTC)
    for fact in facts:
        day = fact.day
        if day is None:
            continue
        event = Event()
        event.add("uid", f"{fact.id}@plan02-assistant")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        role = fact.role
        summary = f"{fact.actor}: {fact.text}" if fact.actor else fact.text
        event.add("summary", f"[{role}] {summary}"[:250])
        sources = "\n".join(f"{e.source}{f' ({e.location})' if e.location else ''}: {e.quote}" for e in fact.evidence)
        event.add("description", sources)
        calendar.add_component(event)
    return calendar.to_ical()


def write(facts: list[Fact], fmt: str, path: Path) -> None:
    """Write ``facts`` to ``path`` in ``fmt`` (csv, xlsx, json or ics)."""
    if fmt == "csv":
        path.write_text(to_csv(facts), encoding="utf-8")
    elif fmt == "json":
        path.write_text(to_json(facts), encoding="utf-8")
    elif fmt == "xlsx":
        write_xlsx(facts, path)
    elif fmt == "ics":
        path.write_bytes(to_ics(facts))
    else:
        raise ExportError(f"unknown format {fmt!r}; choose one of csv, xlsx, json, ics")
