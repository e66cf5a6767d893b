"""Corpus C: the synthetic Vietnamese fixtures in ``evals/fixtures/vi-docs-c/`` and ``evals/vi-docs-c-heldout.jsonl``.

The files are written by ``evals/fixtures/make_fixtures_c.py``. The checks mirror ``test_vi_docs_b_set.py`` (and
``test_vi_docs_sets.py`` for corpus A): the facts of every answerable question sit within one passage of an expected
source's loader text and its ``expected_location`` holds a fact; those two checks are corpus A's own test functions,
run here on corpus C's Documents and questions.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from langchain_core.documents import Document
from test_vi_docs_sets import FONTS, SETS, SYNTHETIC, _text
from test_vi_docs_sets import test_answerable_facts_fit_in_one_passage_of_an_expected_file as facts_fit_one_passage
from test_vi_docs_sets import test_expected_locations_hold_a_fact as locations_hold_a_fact

from assistant.evaluation.questions import Question, load_questions
from assistant.ingest import load_file
from assistant.settings import CorpusSettings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "evals" / "fixtures"
DOCS = FIXTURES / "vi-docs-c"
GENERATOR = FIXTURES / "make_fixtures_c.py"
HELDOUT = ROOT / "evals" / "vi-docs-c-heldout.jsonl"
OTHER_SETS = (*SETS.values(), ROOT / "evals" / "vi-docs-b-heldout.jsonl")
PDF = "huong-dan-chuyen-doi-so-hai-cap.pdf"
NAMES = (
    PDF,
    "mau-quyet-dinh-ban-chi-dao-xa.docx",
    "kich-ban-chuyen-doi-he-thong.docx",
    "danh-muc-tthc-nhiem-vu.xlsx",
    "dau-moi-lien-he-xa-phuong.csv",
)


def _load(folder: Path) -> dict[str, list[Document]]:
    return {name: load_file(folder / name, folder, CorpusSettings()).documents for name in NAMES}


def _units(documents: list[Document]) -> list[tuple[object, ...]]:
    keys = ("page", "sheet", "row", "section")
    return [(d.page_content, *(d.metadata.get(key) for key in keys)) for d in documents]


@pytest.fixture(scope="module")
def documents() -> dict[str, list[Document]]:
    return _load(DOCS)


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions(HELDOUT)


# ------------------------------------------------------------------ the fixture files


def test_fixture_files_load_and_say_they_are_synthetic(documents: dict[str, list[Document]]) -> None:
    from openpyxl import load_workbook

    assert sorted(p.name for p in DOCS.iterdir()) == sorted(NAMES)
    for name, docs in documents.items():
        assert docs, f"{name}: the loader found nothing"
        if name.endswith(".xlsx"):  # the label is cell A1 above the title and header rows, which the loader skips
            workbook = load_workbook(DOCS / name, read_only=True)
            labels = [str(sheet["A1"].value) for sheet in workbook.worksheets]
            workbook.close()
        else:
            labels = [_text(docs)]
        assert labels and all(SYNTHETIC in label for label in labels), f"{name} does not say it is synthetic"


def test_guidebook_pages_carry_the_page_of_total_footer() -> None:
    from pypdf import PdfReader

    pages = PdfReader(DOCS / PDF).pages
    assert 8 <= len(pages) <= 12, len(pages)
    for number, page in enumerate(pages, start=1):  # "Trang 3/9" in the footer line with the document code
        assert re.search(rf"09/HD-SKHCN\s*·\s*Trang {number}/{len(pages)}\b", page.extract_text()), number


def test_layout_the_set_relies_on(documents: dict[str, list[Document]]) -> None:
    sheets = Counter(d.metadata["sheet"] for d in documents["danh-muc-tthc-nhiem-vu.xlsx"])
    assert sheets == {"TTHC ưu tiên": 24, "Nhiệm vụ theo cơ quan": 16}, sheets
    first_rows = {d.metadata["sheet"]: d.metadata["row"] for d in reversed(documents["danh-muc-tthc-nhiem-vu.xlsx"])}
    assert set(first_rows.values()) == {5}, first_rows  # label, title, a blank row, the header in row 4
    rows = [d.metadata["row"] for d in documents["dau-moi-lien-he-xa-phuong.csv"]]
    assert rows[0] == 2 and len(rows) >= 16  # the header is row 1
    members = Counter(d.page_content for d in documents["mau-quyet-dinh-ban-chi-dao-xa.docx"])
    assert any(count == 2 and "Ủy viên" in text for text, count in members.items()), members
    sections = {d.metadata["section"] for d in documents["mau-quyet-dinh-ban-chi-dao-xa.docx"]}
    assert {f"Điều {n}" for n in range(1, 6)} <= {s.split(".")[0] for s in sections if s}, sections


# ------------------------------------------------------------------ the question set


def test_set_shape(questions: list[Question]) -> None:
    assert len(questions) >= 55, len(questions)
    ids = Counter(q.id for q in questions)
    assert max(ids.values()) == 1, [i for i, n in ids.items() if n > 1]
    assert all(re.fullmatch(r"vc-\d{3}", q.id) for q in questions)
    languages = Counter(q.language for q in questions)
    assert set(languages) == {"vi", "en"}, languages
    assert 0.25 <= languages["en"] / len(questions) <= 0.42, languages  # about a third English
    refusals = [q for q in questions if q.should_refuse]
    assert len(refusals) >= 14, len(refusals)
    assert Counter(q.language for q in refusals)["en"] >= 5  # English near-misses too
    # a refusal gives nothing to find; an answerable question names facts and sources among NAMES
    bad_refusals = [
        q.id
        for q in refusals
        if q.tags != ["unanswerable"] or q.expected_facts or q.expected_sources or q.expected_location
    ]
    assert not bad_refusals, bad_refusals
    bad_answerable = [
        q.id
        for q in questions
        if not q.should_refuse
        and (
            not (q.expected_facts and q.expected_sources)
            or "unanswerable" in q.tags
            or not all(any(s in name for name in NAMES) for s in q.expected_sources)
        )
    ]
    assert not bad_answerable, bad_answerable


def test_set_shares_no_question_with_the_other_vi_docs_sets(questions: list[Question]) -> None:
    def key(text: str) -> str:
        return " ".join(text.casefold().split())

    others = [q for path in OTHER_SETS for q in load_questions(path)]
    assert not {q.id for q in questions} & {q.id for q in others}
    shared = {key(q.question) for q in questions} & {key(q.question) for q in others}
    assert not shared, shared


def test_answerable_facts_fit_in_one_passage_of_an_expected_file(
    questions: list[Question], documents: dict[str, list[Document]]
) -> None:
    facts_fit_one_passage(("vi-docs-c-heldout", questions), documents)


def test_expected_locations_hold_a_fact(questions: list[Question], documents: dict[str, list[Document]]) -> None:
    locations_hold_a_fact(("vi-docs-c-heldout", questions), documents)


# ------------------------------------------------------------------ the generator


def test_generator_is_deterministic_and_committed_files_are_current(tmp_path: Path) -> None:
    if not any(font.is_file() for font in FONTS):
        pytest.skip("DejaVuSans.ttf not installed")
    runs = [tmp_path / "first", tmp_path / "second"]
    for out in runs:
        subprocess.run([sys.executable, str(GENERATOR), str(out)], check=True, capture_output=True, timeout=120)
    for name in NAMES:  # two runs on one machine: the same bytes (fixed PDF dates and ZIP entry times)
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), f"{name} differs between runs"
    # against the committed files compare what the loader reads: a different font build changes the PDF's bytes
    fresh, committed = _load(runs[0]), _load(DOCS)
    for name in NAMES:
        assert _units(fresh[name]) == _units(committed[name]), f"{name}: rerun evals/fixtures/make_fixtures_c.py"
