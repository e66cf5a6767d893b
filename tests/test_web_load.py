"""The chat load benchmark keeps working: a tiny run against a real app prints its table."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "chat_load.py"


def test_chat_load_runs(capsys, monkeypatch, embedding_settings) -> None:
    spec = importlib.util.spec_from_file_location("chat_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "chat_load", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    figures = module.main(["--sessions", "2", "--duration", "4"])
    out = capsys.readouterr().out
    assert "| throughput |" in out and "| page load p50 / p95 |" in out
    assert figures["requests"] >= 2 and figures["errors"] == 0 and figures["page_errors"] == 0
    assert figures["evidence_p50_s"] <= figures["latency_p50_s"]


def test_chat_load_two_instances_share_services_and_store_every_vote_once(capsys, monkeypatch,
                                                                          embedding_settings) -> None:  # fmt: skip
    spec = importlib.util.spec_from_file_location("chat_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "chat_load", module)
    spec.loader.exec_module(module)
    figures = module.main(["--instances", "2", "--shared", "--sessions", "2", "--duration", "6", "--vote-every", "1"])
    out = capsys.readouterr().out
    assert "2 instances sharing Chroma server + PostgreSQL" in out
    assert figures["requests"] >= 2 and figures["errors"] == 0
    assert figures["votes_sent"] >= 2 and figures["votes_failed"] == 0
    assert figures["rows"] == figures["rows_down"] == figures["stored_once"] == figures["votes_sent"]
    assert figures["missing"] == figures["duplicated"] == figures["unexpected"] == 0
