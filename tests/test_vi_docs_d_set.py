"""Corpus D: the synthetic Vietnamese fixtures in ``evals/fixtures/vi-docs-d/`` (written by
``evals/fixtures/make_fixtures_d.py``), scored by the gold list of facts ``evals/glance_gold_d.json``
(``tests/test_glance_gate.py``, ``benchmarks/glance_bench.py --only dev-d``). Corpus D has no question set.
"""

from __future__ import annotations

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
