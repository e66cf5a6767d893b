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
