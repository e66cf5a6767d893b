"""Helpers shared by the tests of the synthetic fixture corpora B and C (``tests/test_vi_docs_*_set.py``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.documents import Document
from test_vi_docs_sets import FONTS, SYNTHETIC, _text

from assistant.evaluation.questions import Question
from assistant.ingest import load_file
from assistant.settings import CorpusSettings


def load_documents(folder: Path, names: tuple[str, ...]) -> dict[str, list[Document]]:
    """Each named file of ``folder`` as the loader reads it."""
    return {name: load_file(folder / name, folder, CorpusSettings()).documents for name in names}


def units(documents: list[Document]) -> list[tuple[object, ...]]:
    """What the loader makes of a file: each unit's text and position (page, sheet, row, section)."""
    keys = ("page", "sheet", "row", "section")
    return [(d.page_content, *(d.metadata.get(key) for key in keys)) for d in documents]


def assert_files_load_and_say_they_are_synthetic(folder: Path, names: tuple[str, ...],
                                                 documents: dict[str, list[Document]]) -> None:  # fmt: skip
    """Every file is there, loads, and labels itself synthetic (an XLSX in cell A1 of each sheet, above the
    rows the loader reads; any other file in its loaded text)."""
    from openpyxl import load_workbook

    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    for name, docs in documents.items():
        assert docs, f"{name}: the loader found nothing"
        if name.endswith(".xlsx"):
            workbook = load_workbook(folder / name, read_only=True)
            labels = [str(sheet["A1"].value) for sheet in workbook.worksheets]
            workbook.close()
        else:
            labels = [_text(docs)]
        assert labels and all(SYNTHETIC in label for label in labels), f"{name} does not say it is synthetic"


def assert_shares_no_question(questions: list[Question], others: list[Question]) -> None:
    """No id and no question text (case and spacing aside) of ``questions`` is in ``others``."""

    def key(text: str) -> str:
        return " ".join(text.casefold().split())

    assert not {q.id for q in questions} & {q.id for q in others}
    shared = {key(q.question) for q in questions} & {key(q.question) for q in others}
    assert not shared, shared


def assert_generator_current(generator: Path, folder: Path, names: tuple[str, ...], tmp_path: Path) -> None:
    """Two runs of ``generator`` give the same bytes, and the committed files in ``folder`` read as a fresh run's."""
    if not any(font.is_file() for font in FONTS):
        pytest.skip("DejaVuSans.ttf not installed")
    runs = [tmp_path / "first", tmp_path / "second"]
    for out in runs:
        subprocess.run([sys.executable, str(generator), str(out)], check=True, capture_output=True, timeout=120)
    for name in names:  # two runs on one machine: the same bytes (fixed PDF dates and ZIP entry times)
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), f"{name} differs between runs"
    # against the committed files compare what the loader reads: a different font build changes the PDF's bytes
    fresh, committed = load_documents(runs[0], names), load_documents(folder, names)
    for name in names:
        assert units(fresh[name]) == units(committed[name]), f"{name}: rerun {generator}"
