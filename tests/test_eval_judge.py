"""The optional LLM judge of ``assistant eval``: skipped without a judge, ragas driven by fake chat models.

The ragas tests use a rule-following fake judge (a ``FakeListChatModel`` that reads ragas' own
prompts): statements are the answer's sentences, a statement is supported when the contexts
contain it, and the question generated back is the real one only for an on-topic answer. So a
score is right only if the answer, its contexts and the replies reach ragas and come back to
the right question.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from typer.testing import CliRunner

from assistant.evaluation.compare import compare, load_baseline, regressions
from assistant.evaluation.judge import JUDGE_CACHE_FILE, JUDGE_FILE, SKIPPED, judge_run, judge_settings
from assistant.evaluation.questions import Question
from assistant.evaluation.report import write_reports
from assistant.evaluation.runner import run_eval, write_run
from assistant.settings import load_settings
from assistant.types import Answer, Citation, Context, Timings

CONTEXT = "The urgent phase of Plan 02 ends on 30 June 2025. Provinces report monthly."
QUESTION = "When does the urgent phase end?"
ANSWERS = {
    "faithful": "The urgent phase of Plan 02 ends on 30 June 2025 [1].",
    "unfaithful": "The urgent phase ends in May 2024. Ministers vote weekly [1].",
    "boom": "BOOM the judge cannot read this.",
}


def make_question(qid: str, language: str = "en", refuse: bool = False) -> Question:
    if refuse:
        return Question(id=qid, question="Who won the 1998 World Cup?", language=language, expected_facts=[],
                        expected_sources=[], should_refuse=True)
    return Question(id=qid, question=QUESTION, language=language, expected_facts=["30 June"],
                    expected_sources=["plan"], should_refuse=False)


def answer_for(q: Question) -> Answer:
    text = "Not in the documents." if q.should_refuse else ANSWERS[q.id.split("-")[0]]
    citations = [] if q.should_refuse else [Citation(n=1, source="plan.txt", title="Plan", quote="30 June 2025",
                                                      verified=True)]
    return Answer(question=q.question, answer=text, refused=q.should_refuse, language=q.language, mode="fake",
                  citations=citations, contexts=[Context(rank=1, source="plan.txt", title="Plan", text=CONTEXT, score=0.9)],
                  timings=Timings(retrieval_ms=1.0, total_ms=2.0))


def _input(prompt: str) -> dict[str, Any]:
    """The JSON input block at the end of a ragas prompt."""
    block = prompt.rsplit("Now perform the same with the following input", 1)[1]
    return json.loads(block.split("input:", 1)[1].rsplit("Output:", 1)[0])


class RuleJudge(FakeListChatModel):
    """A fake judge that follows the rules in the module docstring; BOOM gets prose, not JSON.

    With ``gone`` every call fails, as an endpoint that went away.
    """

    responses: list[str] = [""]  # noqa: RUF012 - a pydantic field (FakeListChatModel), copied per instance
    gone: bool = False

    def _call(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> str:
        if self.gone:
            raise ConnectionError("judge endpoint went away")
        prompt = str(messages[-1].content)
        data = _input(prompt)
        if "BOOM" in json.dumps(data):
            return "Sorry, I cannot help with that."
        if "break down each sentence" in prompt.lower():
            return json.dumps({"statements": [s for s in re.split(r"(?<=\.)\s+", data["answer"]) if s]})
        if "judge the faithfulness" in prompt:
            verdicts = [{"statement": s, "reason": "checked", "verdict": int(s.rstrip(".") in data["context"])}
                        for s in data["statements"]]
            return json.dumps({"statements": verdicts})
        if "generate a question for the given answer" in prompt.lower():
            on_topic = "30 June 2025" in data["response"]
            return json.dumps({"question": QUESTION if on_topic else "Who votes weekly?", "noncommittal": 0})
        raise AssertionError(f"unexpected prompt: {prompt[:80]}")


def fake_embeddings() -> DeterministicFakeEmbedding:
    return DeterministicFakeEmbedding(size=256)


@pytest.fixture
def judge_settings_one_question(monkeypatch):
    monkeypatch.setenv("ASSISTANT_JUDGE__RELEVANCE_QUESTIONS", "1")
    return load_settings()


def test_no_judge_gives_one_skipped_line(tmp_path: Path) -> None:
    run = run_eval([make_question("faithful-1")], answer_for, tmp_path, {})
    report = judge_run(run, load_settings(), tmp_path)
    assert report.status == "skipped" and report.message == SKIPPED
    assert "\n" not in SKIPPED and "ASSISTANT_JUDGE__BACKEND" in SKIPPED
    assert report.document() is None and not (tmp_path / JUDGE_FILE).exists()


def test_faithful_scores_high_unfaithful_low_and_refusals_are_not_judged(
    tmp_path: Path, judge_settings_one_question, network_guard
) -> None:
    questions = [make_question("faithful-1", "vi"), make_question("unfaithful-1", "en"), make_question("r1", refuse=True)]
    run = run_eval(questions, answer_for, tmp_path, {})
    model = RuleJudge()
    seen: list[tuple[int, int]] = []
    report = judge_run(run, judge_settings_one_question, tmp_path, progress=lambda *a: seen.append(a), model=model,
                       embeddings=fake_embeddings)
    assert report.status == "done" and report.library and report.library.startswith("ragas ")
    scores = {s.id: s for s in report.scores}
    assert set(scores) == {"faithful-1", "unfaithful-1"} and seen == [(1, 2), (2, 2)]
    assert scores["faithful-1"].faithfulness == pytest.approx(1.0)
    assert scores["unfaithful-1"].faithfulness == pytest.approx(0.0)
    assert scores["faithful-1"].answer_relevance == pytest.approx(1.0)
    assert scores["unfaithful-1"].answer_relevance is not None and scores["unfaithful-1"].answer_relevance < 0.5
    assert report.overall is not None and report.overall.n == 2 and report.overall.faithfulness == pytest.approx(0.5)
    assert report.by_language["vi"].faithfulness == pytest.approx(1.0)
    assert report.by_language["en"].faithfulness == pytest.approx(0.0)
    assert "faithfulness 0.500" in report.message and "\n" not in report.message
    assert network_guard.attempts == []


def test_one_failing_question_is_recorded_and_the_run_goes_on(tmp_path: Path, judge_settings_one_question) -> None:
    questions = [make_question("faithful-1"), make_question("boom-1"), make_question("faithful-2")]
    run = run_eval(questions, answer_for, tmp_path, {})
    first = RuleJudge()
    report = judge_run(run, judge_settings_one_question, tmp_path, model=first, embeddings=fake_embeddings)
    scores = {s.id: s for s in report.scores}
    assert scores["boom-1"].faithfulness is None and scores["boom-1"].answer_relevance is None
    assert scores["boom-1"].error and "faithfulness:" in scores["boom-1"].error
    assert "answer relevance:" in scores["boom-1"].error and "no JSON object" in scores["boom-1"].error
    assert scores["faithful-2"].faithfulness == pytest.approx(1.0) and scores["faithful-2"].error is None
    assert report.overall is not None and report.overall.n == 3 and report.overall.n_errors == 1
    assert report.overall.faithfulness == pytest.approx(1.0)  # the failed question is not counted as 0
    assert "1 with errors" in report.message
    lines = [json.loads(line) for line in (tmp_path / JUDGE_FILE).read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["faithful-1", "boom-1", "faithful-2"]

    # metrics.json and the reports carry the judge; the failure is listed with its reason.
    run.judge = report
    write_run(run, tmp_path)
    document = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert document["judge"]["overall"]["faithfulness"] == pytest.approx(1.0)
    assert set(document["judge"]["errors"]) == {"boom-1"} and document["judge_reason"] == report.message
    write_reports(run, tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "LLM judge (RuleJudge (given)" in md and "Low or missing judge scores (1" in md and "boom-1" in md

    # A rerun asks the judge only for what failed: everything else comes from judge-cache.jsonl.
    cached_lines = len((tmp_path / JUDGE_CACHE_FILE).read_text(encoding="utf-8").splitlines())
    assert cached_lines == 4
    again = judge_run(run, judge_settings_one_question, tmp_path, model=RuleJudge(gone=True), embeddings=fake_embeddings)
    again_scores = {s.id: s for s in again.scores}
    assert again_scores["faithful-1"].cached and again_scores["faithful-1"].faithfulness == pytest.approx(1.0)
    assert not again_scores["boom-1"].cached and "went away" in (again_scores["boom-1"].error or "")
    assert again.asked == 1


def test_judge_means_compare_with_a_baseline_but_never_gate(tmp_path: Path, judge_settings_one_question) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for out, qid in ((before, "faithful-1"), (after, "unfaithful-1")):
        run = run_eval([make_question(qid)], answer_for, out, {})
        run.judge = judge_run(run, judge_settings_one_question, out, model=RuleJudge(), embeddings=fake_embeddings)
        write_run(run, out)
    comparison = compare(run, load_baseline(before))
    delta = comparison.delta("judge_faithfulness")
    assert delta is not None and delta.delta == pytest.approx(-1.0) and not delta.gated
    assert "judge_faithfulness" not in regressions(comparison.deltas, threshold=0.02)

    # A baseline written before the judge existed (no "judge" key) compares as before.
    old = tmp_path / "old"
    old.mkdir()
    doc = json.loads((before / "metrics.json").read_text(encoding="utf-8"))
    del doc["judge"], doc["judge_reason"]
    (old / "metrics.json").write_text(json.dumps(doc), encoding="utf-8")
    assert compare(run, load_baseline(old)).delta("judge_faithfulness") is None


def test_judge_settings_reuse_the_backend_sections(monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_OPENAI__BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("ASSISTANT_OPENAI__MODEL", "answerer")
    monkeypatch.setenv("ASSISTANT_JUDGE__BACKEND", "openai")
    monkeypatch.setenv("ASSISTANT_JUDGE__MODEL", "judge-model")
    monkeypatch.setenv("ASSISTANT_JUDGE__API_KEY", "sk-judge")
    settings = load_settings()
    copy = judge_settings(settings)
    assert copy.openai.model == "judge-model" and copy.openai.base_url == "http://127.0.0.1:9/v1"
    assert copy.openai.api_key is not None and copy.openai.api_key.get_secret_value() == "sk-judge"
    assert copy.openai.max_tokens == settings.judge.max_tokens
    assert settings.openai.model == "answerer"  # the answer backend is untouched
    assert "sk-judge" not in repr(settings.judge)


def test_unbuildable_judge_fails_with_one_line_and_does_not_raise(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_JUDGE__BACKEND", "openai")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    run = run_eval([make_question("faithful-1")], answer_for, tmp_path, {})
    report = judge_run(run, load_settings(), tmp_path)
    assert report.status == "failed" and report.message.startswith("LLM judge: failed to start (")
    assert "ASSISTANT_OPENAI__BASE_URL" in report.message and "\n" not in report.message


class FakeAssistant:
    """Just enough of Assistant for `assistant eval`: settings and ask()."""

    def __init__(self, settings: Any = None, backend: str | None = None) -> None:
        from types import SimpleNamespace

        self.settings = settings
        self.backend = self.mode = backend or "none"
        self.index = SimpleNamespace(count=lambda: 1)  # an index holding passages

    def ask(self, question: str) -> Answer:
        return answer_for(make_question("faithful-1").model_copy(update={"question": question}))


def test_cli_prints_the_skipped_line_and_writes_it_to_metrics_and_report(tmp_path: Path, monkeypatch) -> None:
    import assistant
    from assistant.cli import app
    from assistant.evaluation import session

    monkeypatch.setattr(assistant, "Assistant", FakeAssistant, raising=False)
    monkeypatch.setattr(session, "run_config", lambda bot: {"backend": bot.mode})
    qset = tmp_path / "set.jsonl"
    qset.write_text(make_question("faithful-1").model_dump_json() + "\n", encoding="utf-8")
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["eval", str(qset), "--llm", "none", "--output", str(out)],
                                env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert SKIPPED in " ".join(result.output.split())
    document = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert document["judge"] is None and document["judge_reason"] == SKIPPED
    assert document["overall"]["pass_rate"] == 1.0  # the deterministic metrics need no judge
    assert "LLM judge: skipped" in (out / "report.md").read_text(encoding="utf-8")
    assert not (out / JUDGE_CACHE_FILE).exists()
