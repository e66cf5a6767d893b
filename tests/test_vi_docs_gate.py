"""The gate on Vietnamese documents: extractive answers over the synthetic guidebook, templates and lists.

``assistant eval --corpus evals/fixtures/vi-docs --llm none`` on both question sets over corpus A, on
corpus B's set (``evals/fixtures/vi-docs-b``; held out until 2026-12-06, a development set since) and
on the held-out set over corpus C (``evals/fixtures/vi-docs-c``, written before anyone ran the assistant
on it, by someone who had not read the answer code), and on a small development set of deadlines by quarter
(``evals/fixtures/vi-quarters``), each held to floors just below the figures
recorded in docs/answers.md. Held-out sets are never tuned on. A drop below a floor fails CI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.evaluation import corpus as eval_corpus

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "evals" / "fixtures"

# set -> (corpus folder, (correct with a verified citation, share of answerable questions refused at most,
#         share of unanswerable questions refused at least, citation location accuracy))
# Achieved: see docs/answers.md, "Half-checked replies, list rows counted, and a third corpus" (2026-12-06).
# Corpus B's set was held out until that round; it is a second development set now, and corpus C's is held out.
# A's location floor went from 0.73 to 0.70 with the facts round of 2026-12-06 (docs/facts.md): statements in one
# language now merge only at 0.9 cosine, chosen on the two development gold lists (merging precision 0.69 → 0.81
# and 0.22 → 0.50; held out 0.50 → 0.75 and 0.21 → 0.67), and one of A's answers lost the list row that had
# merged with its guidebook sentence, so its citation no longer carries the row A expects (0.745 → 0.723).
# A's floors went down again with the sentence share of the dense score (docs/retrieval.md, "A chunk scored by its
# closest sentence", 2026-12-07): chosen on the development sets, it raised A's hit@1 (0.653 → 0.694) but lost one of
# its answers and one of its near-miss refusals (0.714 → 0.694, 4/15 → 3/15, location 0.723 → 0.702).
# XLSX dates read as the sheet shows them (2026-12-07, README "Formats"): A lost one answer and gained one, its
# location went back to 0.723; dev gained an English row question and lost a near-miss refusal (11/13 → 10/13).
FLOORS = {
    "vi-docs-dev.jsonl": ("vi-docs", (0.68, 0.06, 0.75, 0.75)),  # achieved 0.825, 2/40, 10/13, 0.846
    "vi-docs-heldout.jsonl": ("vi-docs", (0.67, 0.09, 0.19, 0.68)),  # achieved 0.694, 4/49, 3/15, 0.723
    "vi-docs-b-heldout.jsonl": ("vi-docs-b", (0.70, 0.04, 0.60, 0.83)),  # achieved 0.727, 2/55, 12/16, 0.857
    "vi-docs-c-heldout.jsonl": ("vi-docs-c", (0.70, 0.07, 0.36, 0.78)),  # achieved 0.768, 2/69, 7/19, 0.826
    # Deadlines by quarter (a development set; docs/answers.md, "Quarters", 2026-12-06): no location is expected.
    "vi-quarters-dev.jsonl": ("vi-quarters", (0.90, 0.0, 1.0, None)),  # achieved 1.000, 0/16, 5/5
    # List items under a lead-in, a commune's divisions (a development set; docs/answers.md, "Lead-ins", 2026-12-07).
    "vi-docs-e-dev.jsonl": ("vi-docs-e", (0.85, 0.05, 0.6, None)),  # achieved 1.000, 0/12, 3/4 (0.444 before)
    # Corpus D's set, run once unseen (0.688, 2/16, 3/8, 0.813), a development set since (docs/answers.md,
    # "A fourth question set", 2026-12-07).
    "vi-docs-d-dev.jsonl": ("vi-docs-d", (0.68, 0.12, 0.6, 0.8)),  # achieved 0.722, 2/18, 6/9, 0.889
}


@pytest.fixture
def fixture_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embeddings) -> None:
    import assistant.models.embeddings as emb

    monkeypatch.setattr(emb, "build_embeddings", lambda settings: embeddings)  # the session's loaded model
    monkeypatch.setattr(eval_corpus, "EVAL_INDEXES", tmp_path / "eval-indexes")


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_extractive_answers_on_vietnamese_documents_hold_their_floors(name: str, fixture_index, tmp_path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(app, [
        "eval", str(REPO / "evals" / name), "--corpus", str(FIXTURES / FLOORS[name][0]), "--llm", "none", "--output", str(out),
    ], env={"COLUMNS": "200"})  # fmt: skip
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["overall"]
    results = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    answerable = [r for r in results if not r["verdicts"]["should_refuse"]]
    unanswerable = [r for r in results if r["verdicts"]["should_refuse"]]
    verified = sum(r["verdicts"]["passed"] for r in answerable) / len(answerable)
    false_refusals = sum(r["verdicts"]["refused"] for r in answerable) / len(answerable)
    refusals = sum(r["verdicts"]["refused"] for r in unanswerable) / len(unanswerable)
    floor_verified, most_false_refusals, least_refusals, floor_location = FLOORS[name][1]
    assert verified >= floor_verified, f"correct with a verified citation {verified:.3f} < {floor_verified}"
    assert false_refusals <= most_false_refusals, f"answerable refused {false_refusals:.3f} > {most_false_refusals}"
    assert refusals >= least_refusals, f"unanswerable refused {refusals:.3f} < {least_refusals}"
    if floor_location:  # None for a set that expects no location
        assert metrics["location_accuracy"] >= floor_location, metrics["location_accuracy"]
