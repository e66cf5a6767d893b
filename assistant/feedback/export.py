"""Feedback out of the store: CSV and JSONL exports, and thumbs-downs as draft regression cases."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from assistant.feedback.records import DRAFT_PREFIX, FeedbackRecord
from assistant.feedback.table import EXPORT_FIELDS, _row
from assistant.spreadsheet import guarded

# -- export -------------------------------------------------------------------------------------


def _flat(record: FeedbackRecord) -> dict[str, str]:
    row = _row(record)
    row["created_at"] = record.created_at.isoformat()
    return {key: "" if row[key] is None else str(row[key]) for key in EXPORT_FIELDS}


def to_csv(records: Iterable[FeedbackRecord]) -> str:
    """CSV with a header row; citations as a JSON string; text cells guarded (assistant.spreadsheet)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for record in records:
        writer.writerow(guarded(_flat(record)))
    return out.getvalue()


def to_jsonl(records: Iterable[FeedbackRecord]) -> str:
    """One JSON object per line, citations as objects."""
    return "".join(record.model_dump_json() + "\n" for record in records)


def export(records: Iterable[FeedbackRecord], path: Path, fmt: Literal["csv", "jsonl"]) -> Path:
    text = to_csv(records) if fmt == "csv" else to_jsonl(records)
    path.write_text(text, encoding="utf-8", newline="")
    return path


# -- draft regression cases ---------------------------------------------------------------------


def draft_case(record: FeedbackRecord) -> dict:
    """A thumbs-down as a draft evaluation question (``expected_facts`` left for a person to fill)."""
    sources = sorted({c.source for c in record.citations})
    notes = f"{DRAFT_PREFIX}. Feedback {record.created_at.date().isoformat()}"
    if record.comment:
        notes += f"; comment: {record.comment}"
    notes += f"; answer given ({record.backend}): {record.answer[:300]}"
    language = record.language if record.language.isalpha() and 2 <= len(record.language) <= 3 else "und"
    return {
        "id": f"draft-{record.id[:12]}",
        "question": record.question,
        "language": language.lower(),
        "expected_facts": [],
        "expected_sources": sources,
        "should_refuse": False,
        "notes": notes,
        "tags": [],
    }


def validate_draft(case: dict) -> None:
    """Check a draft against the question-set schema, with placeholders for what a person must fill."""
    from assistant.evaluation.questions import Question

    filled = dict(case, expected_facts=case["expected_facts"] or ["TODO"])
    filled["expected_sources"] = case["expected_sources"] or ["TODO"]
    Question.model_validate(filled)


def append_draft(record: FeedbackRecord, path: Path) -> dict:
    """Append the draft of ``record`` to ``path`` (JSONL) unless a draft with its id is already there."""
    case = draft_case(record)
    validate_draft(case)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and json.loads(line).get("id") == case["id"]:
                return case
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(case, ensure_ascii=False) + "\n")
    return case
