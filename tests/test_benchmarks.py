"""The benchmarks keep running: a tiny run of each prints its table and sane figures."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_index_bench_runs(capsys, embedding_settings):
    results = _load("index_bench").main(["--copies", "1"])
    out = capsys.readouterr().out
    assert "indexing / raw encoding" in out
    assert results["chunks"] > 50
    assert results["index_chunks_per_s"] > 0 and results["raw_encode_chunks_per_s"] > 0
    assert results["resync_unchanged_s"] >= 0


def test_retrieval_ablation_baselines_quick(capsys, embedding_settings, sample_corpus):
    dev = BENCH.parent / "evals" / "dev.jsonl"
    results = _load("retrieval_ablation").main([str(dev), "--baselines-only", "--limit", "6"])
    out = capsys.readouterr().out
    e5 = results["e5-small, 1000/200 chunks, cosine"]
    assert e5["chunks"] > 20
    assert 0 < e5["hit@5"] <= 1 and 0 < e5["mrr"] <= 1
    # MiniLM comes from the `bench` extra, which the `test` extra includes: CI measures the row.
    minilm = "tutorial: all-MiniLM-L6-v2, 1000/200, cosine"
    assert minilm in results, out


def test_scale_bench_tiny(capsys, tmp_path, monkeypatch, embedding_settings):
    import sys

    spec = importlib.util.spec_from_file_location("scale_bench", BENCH / "scale_bench.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "scale_bench", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    out = tmp_path / "scale.json"
    rows = module.main(["--sizes", "20", "40", "--real-max", "20", "--modes", "embedded",
                                      "--queries", "3", "--out", str(out), "--work", str(tmp_path)])  # fmt: skip
    printed = capsys.readouterr().out
    assert "| embedded | 40 | precomputed |" in printed and "| embedded | 20 | real |" in printed
    assert [(r["size"], r["vectors"]) for r in rows] == [(20, "real"), (40, "precomputed")]
    for row in rows:
        assert row["index_chunks_per_s"] > 0 and 0 < row["p50_ms"] <= row["p95_ms"]
        assert row["snapshot_loaded"] == "loaded", "the second process rebuilt the lexical snapshot"
        assert row["disk_mb"] > 0 and row["snapshot_mb"] > 0 and row["rss_peak_mb"] > row["rss_over_model_mb"] > 0
    assert out.exists() and out.with_suffix(".png").stat().st_size > 0


def test_docx_bench_tiny(capsys):
    rows = _load("docx_bench").main(["--paragraphs", "200"])
    assert "read_docx" in capsys.readouterr().out
    (row,) = rows
    # 10 articles of 19 paragraphs each (their numbered items, controls and text) and 2 table rows
    assert row["paragraphs"] == 200 and row["units"] == 12 and row["seconds"] > 0


def test_ocr_bench_one_page(capsys):
    """The real OCR path (Tesseract installed by scripts/setup.sh) over one scanned page of numbered articles."""
    import os
    import shutil

    if shutil.which("tesseract") is None and os.geteuid() != 0:
        pytest.skip("Tesseract not installed (scripts/setup.sh installs it as root)")
    (row,) = _load("ocr_bench").main(["--pages", "1"])
    assert "OCR of scanned pages" in capsys.readouterr().out
    assert row["pages"] == 1 and row["lines_exact"] == 1.0  # every drawn line, letters, marks and figures
