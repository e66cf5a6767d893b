"""Corpus B: the synthetic Vietnamese fixtures in ``evals/fixtures/vi-docs-b/`` and ``evals/vi-docs-b-heldout.jsonl``.

The files are written by ``evals/fixtures/make_fixtures_b.py``. The checks mirror ``test_vi_docs_sets.py``
(corpus A): the facts of every answerable question sit within one passage of an expected source's loader
text and its ``expected_location`` holds a fact; those two checks are corpus A's own test functions, run here
on corpus B's Documents and questions.
"""

from __future__ import annotations

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
DOCS = FIXTURES / "vi-docs-b"
GENERATOR = FIXTURES / "make_fixtures_b.py"
HELDOUT = ROOT / "evals" / "vi-docs-b-heldout.jsonl"
NAMES = (
    "cam-nang-van-hanh.pdf",
    "ke-hoach-trien-khai.docx",
    "mau-kich-ban-van-hanh.docx",
    "danh-muc-tthc-chi-tieu.xlsx",
    "so-lieu-bao-cao-ngay.csv",
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


# ------------------------------------------------------------------ the question set


def test_set_shape(questions: list[Question]) -> None:
    assert len(questions) >= 45, len(questions)
    ids = Counter(q.id for q in questions)
    assert max(ids.values()) == 1, [i for i, n in ids.items() if n > 1]
    languages = Counter(q.language for q in questions)
    assert set(languages) == {"vi", "en"}, languages
    assert 0.25 <= languages["en"] / len(questions) <= 0.42, languages  # about a third English
    refusals = [q for q in questions if q.should_refuse]
    assert len(refusals) >= 12, len(refusals)
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
    assert_shares_no_question(questions, [q for path in SETS.values() for q in load_questions(path)])


def test_answerable_facts_fit_in_one_passage_of_an_expected_file(
    questions: list[Question], documents: dict[str, list[Document]]
) -> None:
    facts_fit_one_passage(("vi-docs-b-heldout", questions), documents)


def test_expected_locations_hold_a_fact(questions: list[Question], documents: dict[str, list[Document]]) -> None:
    locations_hold_a_fact(("vi-docs-b-heldout", questions), documents)


# ------------------------------------------------------------------ the generator


def test_generator_is_deterministic_and_committed_files_are_current(tmp_path: Path) -> None:
    assert_generator_current(GENERATOR, DOCS, NAMES, tmp_path)
