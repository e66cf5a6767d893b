"""`assistant ask` / `chat` and the Python API, end to end on the sample corpus."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()

RECORD_KEYS = {"question", "answer", "refused", "language", "mode", "citations", "contexts", "timings"}
CITATION_KEYS = {"n", "source", "title", "url", "page", "location", "quote", "verified"}
CONTEXT_KEYS = {"rank", "source", "url", "title", "text", "score"}


@pytest.fixture
def indexed(settings, sample_corpus, make_index, monkeypatch, embeddings):
    """The sample corpus indexed, and every command sharing the session's embedding model."""
    import assistant.models.embeddings as emb
    from assistant.sync import sync_corpus

    monkeypatch.setattr(emb, "build_embeddings", lambda s: embeddings)
    sync_corpus(make_index(settings), settings)
    return settings


def test_ask_json_prints_one_record_with_verified_citations(indexed):
    result = runner.invoke(app, ["ask", "Hội nghị tại tỉnh Bắc Giang có bao nhiêu xã, phường?", "--llm", "none", "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)  # exactly one JSON object
    assert RECORD_KEYS <= set(record)
    assert record["mode"] == "extractive" and record["language"] == "vi" and not record["refused"]
    assert "58" in record["answer"]
    assert record["citations"] and all(CITATION_KEYS <= set(c) for c in record["citations"])
    assert record["contexts"] and all(CONTEXT_KEYS <= set(c) for c in record["contexts"])
    cited = record["citations"][0]
    assert cited["verified"] and cited["source"].endswith("003_be6f62edfe8253c2.txt")
    assert any(cited["quote"] in ctx["text"] for ctx in record["contexts"])
    assert set(record["timings"]) >= {"retrieval_ms", "first_token_ms", "first_verified_ms", "total_ms"}
    assert [(a["step"], a["accepted"]) for a in record["attempts"]] == [("quotes", True)], "how it was made"


def test_ask_refuses_unanswerable_in_the_question_language(indexed):
    for question, lang in (("Ngân sách dành cho Kế hoạch 02 là bao nhiêu tỷ đồng?", "vi"),
                           ("What is the total budget of Plan 02 in billion dong?", "en")):
        result = runner.invoke(app, ["ask", question, "--llm", "none", "--json"])
        record = json.loads(result.stdout)
        assert record["refused"] and record["language"] == lang
        assert not any(ch.isdigit() for ch in record["answer"])
        assert record["contexts"]  # the closest passages are still shown


def test_chat_keeps_history_for_follow_ups(indexed):
    result = runner.invoke(app, ["chat", "--llm", "none"],
                           input="Hội nghị tại tỉnh Bắc Giang có bao nhiêu xã, phường?\nAi chủ trì ở đó?\n\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("claims verified") == 2


def test_python_api(indexed):
    from assistant import Assistant

    bot = Assistant(indexed, backend="none")
    answer = bot.ask("Công văn số 15662-CV/VPTW được ban hành ngày nào?")
    assert not answer.refused and "26" in answer.answer
    assert answer.citations and answer.citations[0].verified


def test_real_local_llm_answers_with_a_verified_citation(indexed):
    """The real path: the local Qwen 1.5B GGUF through llama.cpp, on a sample question."""
    from assistant import Assistant
    from assistant.models.gguf import gguf_target

    if not gguf_target(indexed.local).exists():
        pytest.fail("local GGUF not built: scripts/test.sh runs `assistant models build` first")
    bot = Assistant(indexed, backend="local")
    answer = bot.ask("When does the urgent phase of Plan 02 end?")
    assert answer.mode == "local" and not answer.refused, answer
    assert "30" in answer.answer and ("June" in answer.answer or "6" in answer.answer)
    phase_sources = ("80bf7b546d8b9867", "b9c937dc86475d3f", "be6f62edfe8253c2", "b579605fbec747db")
    assert any(c.verified and any(h in c.source for h in phase_sources) for c in answer.citations)
    assert answer.verified_claims >= 1 and answer.timings.first_token_ms is not None
