"""Corpus D: the synthetic Vietnamese fixtures in ``evals/fixtures/vi-docs-d/`` (written by
``evals/fixtures/make_fixtures_d.py``), scored by the gold list of facts ``evals/glance_gold_d.json``
(``tests/test_glance_gate.py``, ``benchmarks/glance_bench.py --only dev-d``), and asked by the question set
``evals/vi-docs-d-dev.jsonl`` (24 questions, 8 of them near misses; written from the documents alone by someone
who had not read the answer code, run once unseen, a development set since).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fixture_corpora import assert_files_load_and_say_they_are_synthetic, assert_generator_current, load_documents
from langchain_core.documents import Document

from assistant.evaluation.glance import load_gold

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "evals" / "fixtures"
DOCS = FIXTURES / "vi-docs-d"
NAMES = (
    "so-tay-so-hoa-chia-se-du-lieu.pdf",
    "du-thao-qd-ban-dieu-hanh-du-lieu.docx",
    "mau-ke-hoach-kiot-so-hoa-xa.docx",
    "danh-muc-tthc-ket-noi-du-lieu.xlsx",
    "lich-boi-duong-cong-chuc-xa.csv",
)


@pytest.fixture(scope="module")
def documents() -> dict[str, list[Document]]:
    return load_documents(DOCS, NAMES)


def test_fixture_files_load_and_say_they_are_synthetic(documents: dict[str, list[Document]]) -> None:
    assert_files_load_and_say_they_are_synthetic(DOCS, NAMES, documents)


def test_the_gold_list_names_these_documents_only() -> None:
    gold, documents = load_gold(ROOT / "evals" / "glance_gold_d.json")
    assert set(documents) == set(NAMES) and {g.source for g in gold} <= set(NAMES)


def test_generator_is_deterministic_and_committed_files_are_current(tmp_path: Path) -> None:
    assert_generator_current(FIXTURES / "make_fixtures_d.py", DOCS, NAMES, tmp_path)


QUESTIONS = [json.loads(line) for line in (ROOT / "evals" / "vi-docs-d-dev.jsonl").read_text().splitlines() if line]


def test_every_answerable_question_is_answered_by_its_documents_and_no_near_miss_date_is_stated(
    documents: dict[str, list[Document]],
) -> None:
    from assistant.retrieval.keys import asked_keys, extract_keys

    assert len(QUESTIONS) == 27 and sum(q["should_refuse"] for q in QUESTIONS) == 9
    # A heading stands in the section path of the text under it ("Điều 3. Trách nhiệm của …").
    texts = {name: "\n".join(f"{d.metadata.get('section') or ''}\n{d.page_content}" for d in docs)
             for name, docs in documents.items()}  # fmt: skip
    for q in QUESTIONS:
        if q["should_refuse"]:
            assert not q["expected_facts"] and not q["expected_sources"], q["id"]
            continue
        for fact in q["expected_facts"]:
            assert any(re.search(fact, texts[name], re.IGNORECASE) for name in q["expected_sources"]), (q["id"], fact)
    lines = [extract_keys(line) for text in texts.values() for line in text.splitlines()]
    for q in QUESTIONS:  # a near miss that names a date or quarter names one no line states (with its year)
        asked = {k for k in asked_keys(q["question"]) if k.startswith(("date:", "quarter:"))}
        if q["should_refuse"] and asked:
            assert not any(asked <= keys for keys in lines), (q["id"], asked)
