"""The facts layer's rules on the five hand-written gold lists, held to floors.

Each gold list's documents are read and chunked as indexing does (no embedding model: the rules
need none), their facts extracted and scored statement by statement as ``benchmarks/glance_bench.py``
does. ``glance_gold.json`` (articles and corpus A) is split by document into dev and held out;
``glance_gold_b.json``, ``glance_gold_d.json`` and ``glance_gold_e.json`` (corpora B, D, E) are development lists;
``glance_gold_c.json`` (corpus C) is held out, and only its totals are read. Floors sit just below the figures recorded in docs/facts.md, so a
rule that loses facts, or finds wrong ones, fails CI; so does one that loses the dates targets and duties are
due by (:func:`~assistant.evaluation.glance.score_dates`). Merging needs the embedding model and is left
to the benchmark.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant.chunking import split_documents
from assistant.evaluation.glance import load_gold, same_date, score, score_dates
from assistant.facts.extract import extract_facts
from assistant.ingest import load_file, load_manifest
from assistant.settings import ChunkSettings, CorpusSettings, FactSettings

REPO = Path(__file__).resolve().parents[1]
EVALS = REPO / "evals"
sys.path.insert(0, str(REPO / "benchmarks"))
from glance_bench import HELDOUT  # noqa: E402  (one list of held-out documents, the benchmark's)

# list -> (precision at least, recall at least). Achieved (2026-12-07, headings, conditions and corpus E): main
# dev 0.93 / 0.90, main held out 0.83 / 0.79, corpus B 0.92 / 0.94, corpus C 0.90 / 0.78, corpus D 0.94 / 0.93,
# corpus E 0.92 / 0.91 (2026-12-07, third round; 0.92 / 0.93 since the fourth, the lead-in headings' deadlines).
FLOORS = {"main-dev": (0.91, 0.88), "main-heldout": (0.80, 0.76), "b": (0.90, 0.92), "c": (0.88, 0.76),
          "d": (0.92, 0.91), "e": (0.90, 0.88)}


# list -> (share of dated gold targets matched with their date, the same for responsibilities' related deadlines),
# for the lists whose documents were read while the rules were written. Achieved (2026-12-07, fourth round): main
# dev 0.65 / 0.79, corpus B 0.93 / 0.91, corpus D 1.00 / 0.88, corpus E 0.96 / 0.93; held out (not held to a floor):
# main 0.12 / none dated, corpus C 1.00 / 0.86. The main list's targets in the articles are due by the end of the
# phase they stand under, which no sentence of theirs says. Sixth round: corpus D's duties 0.90 (an item's clauses
# each due by their own date).
DATE_FLOORS = {"main-dev": (0.60, 0.75), "b": (0.88, 0.87), "d": (0.92, 0.86), "e": (0.92, 0.88)}


def _facts(folders: list[Path]) -> list:
    """The facts of every document in ``folders`` (each a corpus folder), as indexing extracts them."""
    corpus, facts = CorpusSettings(), []
    for folder in folders:
        manifest = load_manifest(folder, corpus)
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".yaml"):
            loaded = load_file(path, folder, corpus, manifest=manifest)
            facts += extract_facts(split_documents(loaded.documents, ChunkSettings()), FactSettings())
    return facts


@pytest.fixture(scope="module")
def lists() -> dict[str, tuple[list, list]]:
    """Each gold list's (extracted facts, gold statements)."""
    out = {}
    main = _facts([REPO / "corpus", EVALS / "fixtures" / "vi-docs"])
    gold, documents = load_gold(EVALS / "glance_gold.json")
    for name, held in (("main-dev", False), ("main-heldout", True)):
        facts = [f for f in main if f.evidence[0].source in documents and (f.evidence[0].source in HELDOUT) == held]
        out[name] = (facts, [g for g in gold if (g.source in HELDOUT) == held])
    for name, folder in (("b", "vi-docs-b"), ("c", "vi-docs-c"), ("d", "vi-docs-d"), ("e", "vi-docs-e")):
        gold, documents = load_gold(EVALS / f"glance_gold_{name}.json")
        out[name] = ([f for f in _facts([EVALS / "fixtures" / folder]) if f.evidence[0].source in documents], gold)
    return out


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_facts_precision_and_recall_stay_above_their_floors(lists, name: str) -> None:
    result = score(*lists[name], lambda s: "all").overall
    precision, recall = result.precision, result.recall
    assert precision >= FLOORS[name][0] and recall >= FLOORS[name][1], (name, round(precision, 3), round(recall, 3))


@pytest.mark.parametrize("name", sorted(DATE_FLOORS))
def test_targets_and_duties_keep_their_dates(lists, name: str) -> None:
    scores = score_dates(*lists[name])
    shares = tuple(scores[kind].right / scores[kind].dated for kind in ("target", "responsibility"))
    assert all(share >= floor for share, floor in zip(shares, DATE_FLOORS[name], strict=True)), (name, shares)
    # Dates the gold does not give stay rare: at most one in ten undated statements gets one.
    assert all(scores[kind].added <= 0.1 * scores[kind].undated + 1 for kind in scores), (name, scores)


def test_the_gold_lists_cover_every_kind_and_their_quotes_name_their_documents() -> None:
    for path in sorted(EVALS.glob("glance_gold*.json")):
        gold, documents = load_gold(path)
        assert {g.kind for g in gold} == {"deadline", "responsibility", "target"}, path.name
        assert {g.source for g in gold} <= set(documents), path.name


@pytest.mark.parametrize(
    ("extracted", "gold", "same"),
    [("2027-Q4", "2027-12-31", True), ("2028-02", "2028-02-29", True), ("2027-Q3", "2027-12-31", False),
     ("2027-11", "2027-11-30", True), ("2027-11-30", "2027-11-30", True), ("2027-11", "2027-11-29", False)],
)
def test_a_period_matches_the_gold_lists_last_day_of_it(extracted: str, gold: str, same: bool) -> None:
    assert same_date(extracted, gold) is same
