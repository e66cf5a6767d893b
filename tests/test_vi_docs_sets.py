"""The synthetic Vietnamese fixture documents (evals/fixtures/) and the two question sets over them.

``evals/vi-docs-dev.jsonl`` (tuned on) and ``evals/vi-docs-heldout.jsonl`` (never tuned on) ask about the
files written by ``evals/fixtures/make_fixtures.py`` into ``evals/fixtures/vi-docs/``. The facts are
checked against the text the repo's own loader extracts, and every ``expected_location`` against the
page / sheet / row / section metadata of the loaded Documents.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from langchain_core.documents import Document
from question_checks import smallest_span

from assistant.evaluation.questions import Question, load_questions
from assistant.ingest import load_file
from assistant.settings import CorpusSettings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "evals" / "fixtures"
DOCS = FIXTURES / "vi-docs"
GENERATOR = FIXTURES / "make_fixtures.py"
SETS = {"dev": ROOT / "evals" / "vi-docs-dev.jsonl", "heldout": ROOT / "evals" / "vi-docs-heldout.jsonl"}
NAMES = (
    "so-tay-huong-dan.pdf",
    "mau-quyet-dinh-to-cong-tac.docx",
    "mau-bao-cao-so-lieu-hang-ngay.docx",
    "danh-muc-thu-tuc.xlsx",
    "dau-moi-lien-he.csv",
)
SYNTHETIC = "TÀI LIỆU MẪU TỔNG HỢP"
# Facts of one question must sit close together, so one passage-sized chunk can hold them all.
WINDOW = 600
FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"))


def _load(folder: Path) -> dict[str, list[Document]]:
    return {name: load_file(folder / name, folder, CorpusSettings()).documents for name in NAMES}


def _text(documents: list[Document]) -> str:
    return "\n\n".join(d.page_content for d in documents)


@pytest.fixture(scope="module")
def documents() -> dict[str, list[Document]]:
    return _load(DOCS)


@pytest.fixture(scope="module", params=sorted(SETS))
def question_set(request: pytest.FixtureRequest) -> tuple[str, list[Question]]:
    return request.param, load_questions(SETS[request.param])


def _files_for(question: Question, documents: dict[str, list[Document]]) -> dict[str, list[Document]]:
    return {name: docs for name, docs in documents.items() if question.source_matches(name)}


# ------------------------------------------------------------------ the fixture files


def test_fixture_files_exist_and_say_they_are_synthetic(documents: dict[str, list[Document]]) -> None:
    from openpyxl import load_workbook

    for name, docs in documents.items():
        assert docs, name
        if name.endswith(".xlsx"):  # the label is a title row above the header, which the loader skips
            workbook = load_workbook(DOCS / name, read_only=True)
            labels = [str(sheet["A1"].value) for sheet in workbook.worksheets]
            workbook.close()
            assert all(SYNTHETIC in label for label in labels), f"{name}: {labels}"
        else:
            assert SYNTHETIC in _text(docs), f"{name} does not label itself as synthetic test material"


def test_guidebook_has_pages_and_structure(documents: dict[str, list[Document]]) -> None:
    pages = documents["so-tay-huong-dan.pdf"]
    assert len({d.metadata["page"] for d in pages}) >= 8
    text = _text(pages)
    for needle in ("PHẦN I.", "PHẦN IV.", "Chương 1.", "Chương 9.", "1.2.", "•", "Năm 2025"):
        assert needle in text, needle


def test_spreadsheets_have_their_sheets_and_rows(documents: dict[str, list[Document]]) -> None:
    sheets = Counter(d.metadata["sheet"] for d in documents["danh-muc-thu-tuc.xlsx"])
    assert sheets["Thủ tục ưu tiên"] >= 18 and sheets["Nhiệm vụ"] >= 12, sheets
    rows = [d.metadata["row"] for d in documents["dau-moi-lien-he.csv"]]
    assert rows[0] == 2 and len(rows) >= 12  # the header is row 1


def test_decision_template_has_two_identical_blank_member_rows(documents: dict[str, list[Document]]) -> None:
    texts = Counter(d.page_content for d in documents["mau-quyet-dinh-to-cong-tac.docx"])
    assert any(count == 2 and "Thành viên" in text for text, count in texts.items()), texts


# ------------------------------------------------------------------ the question sets


def test_set_shape(question_set: tuple[str, list[Question]]) -> None:
    label, questions = question_set
    assert len(questions) >= (44 if label == "heldout" else 28), len(questions)
    languages = Counter(q.language for q in questions)
    assert set(languages) == {"vi", "en"}, languages
    assert 0.55 <= languages["vi"] / len(questions) <= 0.75, languages
    refusals = [q for q in questions if q.should_refuse]
    assert len(refusals) >= (12 if label == "heldout" else 7), len(refusals)
    for q in refusals:
        assert q.tags == ["unanswerable"] and not q.expected_facts and not q.expected_sources, q.id
        assert q.expected_location is None, q.id
    for q in questions:
        if not q.should_refuse:
            assert q.expected_facts and q.expected_sources and "unanswerable" not in q.tags, q.id
            assert all(any(s in name for name in NAMES) for s in q.expected_sources), q.id


def test_sets_do_not_share_questions() -> None:
    dev, heldout = (load_questions(SETS[label]) for label in ("dev", "heldout"))
    assert not {q.id for q in dev} & {q.id for q in heldout}
    assert not {q.question for q in dev} & {q.question for q in heldout}
    dev_rows = {
        (q.expected_location.sheet, q.expected_location.row)
        for q in dev
        if q.expected_location is not None and q.expected_location.row is not None
    }
    held_rows = {
        (q.expected_location.sheet, q.expected_location.row)
        for q in heldout
        if q.expected_location is not None and q.expected_location.row is not None
    }
    assert not dev_rows & held_rows, dev_rows & held_rows


def test_answerable_facts_fit_in_one_passage_of_an_expected_file(
    question_set: tuple[str, list[Question]], documents: dict[str, list[Document]]
) -> None:
    _, questions = question_set
    failures = []
    for q in questions:
        if q.should_refuse:
            continue
        files = _files_for(q, documents)
        if not files:
            failures.append(f"{q.id}: no fixture file matches {q.expected_sources}")
            continue
        spans = {name: smallest_span(_text(docs), q.expected_facts) for name, docs in files.items()}
        if not any(span is not None and span <= WINDOW for span in spans.values()):
            failures.append(f"{q.id}: smallest spans {spans}")
    assert not failures, "\n".join(failures)


def _at_location(document: Document, question: Question) -> bool:
    location = question.expected_location
    assert location is not None
    meta = document.metadata
    if location.page is not None and meta.get("page") != location.page:
        return False
    if location.sheet is not None and meta.get("sheet") != location.sheet:
        return False
    if location.row is not None and meta.get("row") != location.row:
        return False
    if location.section is not None:
        section = meta.get("section") or ""
        if location.section.casefold() not in section.casefold():
            return False
    return True


def test_expected_locations_hold_a_fact(
    question_set: tuple[str, list[Question]], documents: dict[str, list[Document]]
) -> None:
    _, questions = question_set
    failures = []
    located = 0
    for q in questions:
        if q.expected_location is None:
            continue
        located += 1
        candidates = [d for docs in _files_for(q, documents).values() for d in docs if _at_location(d, q)]
        if not candidates:
            failures.append(f"{q.id}: no Document at {q.expected_location}")
        elif not any(re.search(f, d.page_content, re.IGNORECASE) for d in candidates for f in q.expected_facts):
            failures.append(f"{q.id}: no fact in the Document(s) at {q.expected_location}")
    assert not failures, "\n".join(failures)
    assert located * 4 >= sum(not q.should_refuse for q in questions) * 3  # most answerable ones are located


# ------------------------------------------------------------------ the generator


def test_generator_is_deterministic_and_committed_files_are_current(tmp_path: Path) -> None:
    if not any(font.is_file() for font in FONTS):
        pytest.skip("DejaVuSans.ttf not installed")
    subprocess.run([sys.executable, str(GENERATOR), str(tmp_path)], check=True, capture_output=True, timeout=120)
    fresh, committed = _load(tmp_path), _load(DOCS)
    for name in NAMES:
        fresh_units = [
            (d.page_content, d.metadata["page"], d.metadata["sheet"], d.metadata["row"]) for d in fresh[name]
        ]
        committed_units = [
            (d.page_content, d.metadata["page"], d.metadata["sheet"], d.metadata["row"]) for d in committed[name]
        ]
        assert fresh_units == committed_units, f"{name}: rerun evals/fixtures/make_fixtures.py"
