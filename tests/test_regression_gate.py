"""The project's own regression gate: extractive answers on evals/dev.jsonl against the committed baseline.

Regenerate the baseline after an intended change with
``assistant eval evals/dev.jsonl --llm none -o evals/baselines/extractive`` (and commit it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "evals" / "baselines" / "extractive"


def test_extractive_eval_does_not_regress(settings, sample_corpus, make_index, monkeypatch, embeddings, tmp_path):
    import assistant.models.embeddings as emb
    from assistant.sync import sync_corpus

    monkeypatch.setattr(emb, "build_embeddings", lambda s: embeddings)
    sync_corpus(make_index(settings), settings)
    out = tmp_path / "run"
    result = CliRunner().invoke(app, [
        "eval", str(REPO / "evals" / "dev.jsonl"), "--llm", "none", "--output", str(out),
        "--baseline", str(BASELINE), "--fail-on-regression",
    ], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "regression" not in result.output
    assert "LLM judge: skipped (no judge configured" in result.output  # the deterministic gate needs no judge
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["overall"]
    assert metrics["refusal_recall"] == 1.0
    for name in ("report.md", "report.html", "results.jsonl"):
        assert (out / name).exists()

    # Against a baseline that was better, the same command fails (answers come from the run's cache).
    better = tmp_path / "better"
    better.mkdir()
    doc = json.loads((BASELINE / "metrics.json").read_text(encoding="utf-8"))
    doc["overall"]["correctness"] = min(1.0, doc["overall"]["correctness"] + 0.1)
    (better / "metrics.json").write_text(json.dumps(doc), encoding="utf-8")
    (better / "results.jsonl").write_text((BASELINE / "results.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    worse = CliRunner().invoke(app, [
        "eval", str(REPO / "evals" / "dev.jsonl"), "--llm", "none", "--output", str(out),
        "--baseline", str(better), "--fail-on-regression",
    ], env={"COLUMNS": "200"})
    assert worse.exit_code == 1, worse.output
    assert "regression" in worse.output and "correctness" in worse.output
