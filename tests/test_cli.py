"""The CLI through Typer's runner: exit codes, summary table, search output."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from assistant.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture
def shared_model(monkeypatch, embeddings):
    """Let CLI commands reuse the session's loaded model instead of loading it per command."""
    import assistant.models.embeddings as emb

    monkeypatch.setattr(emb, "build_embeddings", lambda settings: embeddings)


def test_index_then_search(settings, sample_corpus, shared_model):
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0, result.output
    assert "files indexed" in result.output and "5" in result.output

    result = runner.invoke(app, ["search", "Hội nghị tại tỉnh Bắc Giang có bao nhiêu xã, phường?", "-k", "5"])
    assert result.exit_code == 0, result.output
    assert "003_be6f62edfe8253c2" in result.output
    assert "dense #1" in result.output

    result = runner.invoke(app, ["search", "Plan 02", "-k", "2", "--lang", "de", "--json"])
    assert result.exit_code == 0, result.output
    assert '"language": "de"' in result.output and '"language": "es"' not in result.output


def test_failed_files_give_exit_code_1_and_reasons(settings, shared_model):
    corpus = settings.corpus.dir
    (corpus / "ok.txt").write_text("Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025 về chuyển đổi số.", encoding="utf-8")
    (corpus / "bad.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 1, result.output
    assert "bad.txt" in result.output and "binary" in result.output
    assert "Skipped files" in result.output

    listing = runner.invoke(app, ["documents"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0, listing.output
    assert "ok.txt" in listing.output and "bad.txt" in listing.output and "binary" in listing.output


def test_bad_setting_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("ASSISTANT_INDEX__MODE", "cloud")
    result = runner.invoke(app, ["search", "x"])
    assert result.exit_code == 2
    assert "index.mode" in result.output or "mode" in result.output
    assert "Traceback" not in result.output
