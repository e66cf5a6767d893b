"""``assistant eval`` and ``eval-retrieval`` with ``--corpus DIR``: a question set over one's own documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.evaluation import corpus as eval_corpus

runner = CliRunner()

CSV = """Province,Budget (billion VND),Deadline
Hà Nội,120,2025-06-30
Hải Phòng,85,2025-07-15
Đà Nẵng,64,2025-08-01
"""
TXT = """Steering committee meetings

The provincial steering committee for digital transformation meets in Room 402 of the provincial office every \
Tuesday morning.

Minutes of each meeting are sent to all members within two days.
"""
QUESTIONS = [
    {"id": "csv-1", "question": "What is the budget of Hải Phòng in billion VND?", "language": "en",
     "expected_facts": [r"\b85\b"], "expected_sources": ["budgets.csv"], "should_refuse": False,
     "expected_location": {"row": 3}},
    {"id": "txt-1", "question": "In which room does the steering committee for digital transformation meet?",
     "language": "en", "expected_facts": [r"\b402\b"], "expected_sources": ["meetings.txt"],
     "should_refuse": False},
]


def test_eval_index_dir_is_per_folder_under_the_cache(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert eval_corpus.eval_index_dir(a, tmp_path) == eval_corpus.eval_index_dir(tmp_path / "x" / ".." / "a", tmp_path)
    assert eval_corpus.eval_index_dir(a, tmp_path) != eval_corpus.eval_index_dir(b, tmp_path)
    assert eval_corpus.eval_index_dir(a).parent == eval_corpus.EVAL_INDEXES
    assert len(eval_corpus.eval_index_dir(a).name) == 16
    assert eval_corpus.corpus_overrides(None) == {}
    overrides = eval_corpus.corpus_overrides(a, tmp_path)
    assert overrides["corpus__dir"] == a.resolve() and overrides["index__mode"] == "embedded"


@pytest.fixture
def own_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embeddings) -> tuple[Path, Path, Path]:
    """A folder with one CSV, one TXT and an unreadable file; a 2-question set; indexes kept under tmp_path."""
    import assistant.models.embeddings as emb

    monkeypatch.setattr(emb, "build_embeddings", lambda settings: embeddings)  # the session's loaded model
    monkeypatch.setattr(eval_corpus, "EVAL_INDEXES", tmp_path / "eval-indexes")  # never the real home cache
    docs = tmp_path / "my-docs"
    docs.mkdir()
    (docs / "budgets.csv").write_text(CSV, encoding="utf-8")
    (docs / "meetings.txt").write_text(TXT, encoding="utf-8")
    (docs / "broken.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    questions = tmp_path / "mine.jsonl"
    questions.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), encoding="utf-8")
    return docs, questions, tmp_path / "eval-indexes"


@pytest.mark.slow
def test_eval_retrieval_and_eval_on_own_corpus(own_corpus, tmp_path: Path) -> None:
    docs, questions, indexes = own_corpus
    out = tmp_path / "retrieval.jsonl"
    result = runner.invoke(app, ["eval-retrieval", str(questions), "--corpus", str(docs), "-o", str(out)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Skipped files" in result.output and "broken.txt" in result.output and "binary" in result.output
    index_dir = eval_corpus.eval_index_dir(docs, indexes)
    assert index_dir.is_dir() and not (tmp_path / "index").exists()  # neither the configured index
    ranks = {r["id"]: r["first_hit_rank"] for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert ranks["csv-1"] is not None and ranks["txt-1"] is not None
    assert ranks["csv-1"] <= 5 and ranks["txt-1"] <= 5

    output = tmp_path / "run"
    result = runner.invoke(app, ["eval", str(questions), "--corpus", str(docs), "--llm", "none", "-o", str(output)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "0 / 0 / 0 / 3" in result.output and "broken.txt" in result.output  # re-synced, nothing re-embedded
    metrics = json.loads((output / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["config"]["corpus_dir"] == str(docs.resolve())
    overall = metrics["overall"]
    assert overall["location_n"] == 1 and overall["location_accuracy"] == 1.0, overall
    assert "citation location accuracy" in result.output
    records = {r["id"]: r for r in map(json.loads, (output / "results.jsonl").read_text(encoding="utf-8").splitlines())}
    csv = records["csv-1"]
    assert not csv["refused"] and csv["verdicts"]["correct"] and csv["verdicts"]["location_correct"] is True
    assert any(c["source"] == "budgets.csv" and c["verified"] for c in csv["citations"])
    txt = records["txt-1"]
    assert not txt["refused"] and txt["verdicts"]["correct"] and txt["verdicts"]["retrieval_hit_rank"] is not None
    assert txt["verdicts"]["location_correct"] is None

    # a changed file is re-embedded alone; the answer cache does not reuse answers across corpora
    (docs / "budgets.csv").write_text(CSV.replace("85", "86"), encoding="utf-8")
    result = runner.invoke(app, ["eval", str(questions), "--corpus", str(docs), "--llm", "none", "-o", str(output)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in map(json.loads, (output / "results.jsonl").read_text(encoding="utf-8").splitlines())}
    assert not records["csv-1"]["verdicts"]["correct"]  # asked again: the answer now says 86


def test_corpus_without_documents_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eval_corpus, "EVAL_INDEXES", tmp_path / "eval-indexes")
    empty = tmp_path / "empty"
    empty.mkdir()
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps(QUESTIONS[1]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(questions), "--corpus", str(empty), "--llm", "none",
                                 "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "nothing to evaluate on" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", [["eval-retrieval"], ["eval", "--llm", "none"]])
def test_an_evaluation_over_an_empty_index_stops_and_says_why(isolated_dirs: Path, command: list[str]) -> None:
    """Nothing indexed yet: every question would be a miss, which reads as a regression of everything."""
    questions = isolated_dirs / "q.jsonl"
    questions.write_text(json.dumps(QUESTIONS[1]) + "\n", encoding="utf-8")
    out = isolated_dirs / "out"
    result = runner.invoke(app, [command[0], str(questions), *command[1:], "-o", str(out / "r.jsonl")],
                           env={"COLUMNS": "200"})  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "holds no passages: run `assistant index` first" in " ".join(result.output.split())
    assert "Traceback" not in result.output and not (out / "r.jsonl" / "results.jsonl").exists()


def test_a_second_run_on_the_same_folder_waits_for_the_first(tmp_path: Path) -> None:
    """Two runs share a folder's cached index: the second holds it only once the first lets go."""
    import threading

    folder = tmp_path / "docs"
    folder.mkdir()
    events: list[str] = []
    waiting = threading.Event()

    def second() -> None:
        with eval_corpus.eval_index_lock(folder, tmp_path / "cache", on_wait=waiting.set):
            events.append("second holds it")

    with eval_corpus.eval_index_lock(folder, tmp_path / "cache", on_wait=lambda: events.append("first waited")):
        runner = threading.Thread(target=second)
        runner.start()
        assert waiting.wait(10), "the second run was not told to wait"
        events.append("first lets go")
    runner.join(10)
    assert events == ["first lets go", "second holds it"]
    with eval_corpus.eval_index_lock(None):  # no folder: nothing to hold
        pass
