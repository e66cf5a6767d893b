"""Corpus C: the synthetic Vietnamese fixtures in ``evals/fixtures/vi-docs-c/`` and ``evals/vi-docs-c-heldout.jsonl``.

The files are written by ``evals/fixtures/make_fixtures_c.py``. The checks mirror ``test_vi_docs_b_set.py`` (and
``test_vi_docs_sets.py`` for corpus A): the facts of every answerable question sit within one passage of an expected
source's loader text and its ``expected_location`` holds a fact; those two checks are corpus A's own test functions,
run here on corpus C's Documents and questions.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from fixture_corpora import (
    assert_files_load_and_say_they_are_synthetic,
    assert_generator_current,
    assert_shares_no_question,
    load_documents,
)
from langchain_core.documents import Document
from test_vi_docs_sets import SETS
from test_vi_docs_sets import test_answerable_facts_fit_in_one_passage_of_an_expected_file as facts_fit_one_passage
from test_vi_docs_sets import test_expected_locations_hold_a_fact as locations_hold_a_fact

from assistant.evaluation.questions import Question, load_questions

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


@pytest.fixture(scope="module")
def documents() -> dict[str, list[Document]]:
    return load_documents(DOCS, NAMES)


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions(HELDOUT)


# ------------------------------------------------------------------ the fixture files


def test_fixture_files_load_and_say_they_are_synthetic(documents: dict[str, list[Document]]) -> None:
    assert_files_load_and_say_they_are_synthetic(DOCS, NAMES, documents)


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
    assert_shares_no_question(questions, [q for path in OTHER_SETS for q in load_questions(path)])


def test_answerable_facts_fit_in_one_passage_of_an_expected_file(
    questions: list[Question], documents: dict[str, list[Document]]
) -> None:
    facts_fit_one_passage(("vi-docs-c-heldout", questions), documents)


def test_expected_locations_hold_a_fact(questions: list[Question], documents: dict[str, list[Document]]) -> None:
    locations_hold_a_fact(("vi-docs-c-heldout", questions), documents)


# ------------------------------------------------------------------ the generator


def test_generator_is_deterministic_and_committed_files_are_current(tmp_path: Path) -> None:
    assert_generator_current(GENERATOR, DOCS, NAMES, tmp_path)
