"""Facts stored with a real index: built by `assistant index`, rebuilt for changed files only,
merged across languages, exported and read back (CSV, XLSX, JSON, iCalendar), and shown by `assistant glance`."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from assistant.facts import export
from assistant.facts.select import FactFilter, select
from assistant.facts.store import load_facts
from assistant.sync import sync_corpus

pytestmark = pytest.mark.slow

VI = (
    "Sổ tay hướng dẫn.\n\nGiai đoạn cấp bách kéo dài đến ngày 30/6/2025.\n\n"
    "Sở Tư pháp chủ trì kết nối cơ sở dữ liệu hộ tịch trước ngày 30/11/2025."
)
UK = "План.\n\nТерміновий етап триває до 30 червня 2025 року."
CSV_LIST = (
    "Nhiệm vụ,Cơ quan chủ trì,Thời hạn\n"
    "Rà soát danh mục thủ tục,Văn phòng UBND tỉnh,2025-07-31\n"
    "Bồi dưỡng kỹ năng số cho cấp xã,UBND cấp xã,2025-12-15\n"
)


def _write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def indexed(settings, make_index):
    corpus = settings.corpus.dir
    _write(corpus, "so-tay.md", VI)
    _write(corpus, "uk.txt", UK)
    _write(corpus, "danh-sach.csv", CSV_LIST)
    index = make_index(settings)
    report = sync_corpus(index, settings)
    assert sorted(report.facts_rebuilt) == ["danh-sach.csv", "so-tay.md", "uk.txt"]
    return index


def test_indexing_stores_facts_and_rebuilds_only_changed_files(settings, indexed):
    facts = load_facts(indexed, settings.facts)
    assert {("deadline", "2025-11-30"), ("deadline", "2025-07-31"), ("deadline", "2025-12-15")} <= {
        (f.kind, f.date) for f in facts
    }
    again = sync_corpus(indexed, settings)
    assert again.facts_rebuilt == []  # nothing changed: nothing re-read

    _write(settings.corpus.dir, "uk.txt", UK.replace("30 червня", "15 липня"))
    changed = sync_corpus(indexed, settings)
    assert changed.facts_rebuilt == ["uk.txt"]
    dates = {f.date for f in load_facts(indexed, settings.facts) if "uk.txt" in f.sources}
    assert dates == {"2025-07-15"}

    (settings.corpus.dir / "danh-sach.csv").unlink()
    sync_corpus(indexed, settings)
    assert not any("danh-sach.csv" in f.sources for f in load_facts(indexed, settings.facts))


def test_a_reader_upgrade_rereads_the_facts_of_unchanged_files(settings, indexed, monkeypatch):
    """Facts come from chunks: new readers (same bytes, new chunks) mean the facts are read again,
    or they would quote chunks that no longer exist."""
    from assistant import sync

    monkeypatch.setattr(sync, "INGEST_VERSION", "next")
    report = sync_corpus(indexed, settings)
    assert sorted(report.facts_rebuilt) == ["danh-sach.csv", "so-tay.md", "uk.txt"]
    chunk_ids = {c.id for c in indexed.all_chunks()}
    assert all(e.chunk_id in chunk_ids for f in load_facts(indexed, settings.facts) for e in f.evidence)
    assert sync_corpus(indexed, settings).facts_rebuilt == []


def test_a_deadline_stated_in_two_languages_is_one_fact_with_both_quotes(settings, indexed):
    [urgent] = [f for f in load_facts(indexed, settings.facts) if f.date == "2025-06-30"]
    assert urgent.sources == ["so-tay.md", "uk.txt"] and urgent.verified
    assert len(load_facts(indexed, settings.facts, merged=False)) > len(load_facts(indexed, settings.facts))


def test_list_rows_are_facts_with_their_row(settings, indexed):
    rows = [f for f in load_facts(indexed, settings.facts) if "danh-sach.csv" in f.sources]
    lead = {f.actor for f in rows if f.kind == "responsibility"}
    assert lead == {"Văn phòng UBND tỉnh", "UBND cấp xã"}
    commune = select(rows, FactFilter(levels=["commune"], kinds=["deadline"]))
    assert [(f.date, f.evidence[0].row) for f in commune] == [("2025-12-15", 3)]


def test_exports_read_back(settings, indexed, tmp_path):
    from icalendar import Calendar

    facts = select(load_facts(indexed, settings.facts))
    rows = list(csv.DictReader(io.StringIO(export.to_csv(facts))))
    assert [r["date"] for r in rows] == [f.date or "" for f in facts]
    assert rows[0]["sources"] and rows[0]["verified"] in {"yes", "no"}

    export.write(facts, "xlsx", tmp_path / "facts.xlsx")
    sheet = load_workbook(tmp_path / "facts.xlsx").active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0] == export.COLUMNS and len(table) == len(facts) + 1
    assert [r[export.COLUMNS.index("actor")] or "" for r in table[1:]] == [f.actor or "" for f in facts]

    assert [f["id"] for f in json.loads(export.to_json(facts))] == [f.id for f in facts]

    calendar = Calendar.from_ical(export.to_ics(facts))
    events = calendar.walk("VEVENT")
    dated = [f for f in facts if f.day]
    assert len(events) == len(dated) > 0
    assert sorted(e.decoded("dtstart").isoformat() for e in events) == sorted(f.date for f in dated)
    assert all("so-tay.md" in str(e.get("description")) or ".txt" in str(e.get("description"))
               or ".csv" in str(e.get("description")) for e in events)  # fmt: skip


def test_glance_command_filters_and_exports(settings, indexed, tmp_path, monkeypatch):
    from assistant.cli import app

    # assistant.api first: importing it binds assistant.index.open_index, which must not be the stand-in
    # yet, or the stand-in would be what is "restored" after the test (and later tests see this index).
    monkeypatch.setattr("assistant.api.open_index", lambda s: indexed)
    monkeypatch.setattr("assistant.index.open_index", lambda s: indexed)
    runner = CliRunner()
    shown = runner.invoke(app, ["glance", "--level", "commune", "--format", "csv"])
    assert shown.exit_code == 0, shown.output
    rows = list(csv.DictReader(io.StringIO(shown.stdout)))
    assert rows and all("commune" in r["levels"] for r in rows)
    out = tmp_path / "d.ics"
    written = runner.invoke(app, ["glance", "--kind", "deadline", "--format", "ics", "--output", str(out)])
    assert written.exit_code == 0 and out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    bad = runner.invoke(app, ["glance", "--level", "district"])
    assert bad.exit_code == 2 and "district" in bad.output
    assert runner.invoke(app, ["glance", "--format", "xlsx"]).exit_code == 2
