"""The resumable evaluation runner, baseline loading and the reports, with a fake answering function."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.compare import compare, load_baseline, regressions
from assistant.evaluation.questions import ExpectedLocation, Question
from assistant.evaluation.report import write_reports
from assistant.evaluation.runner import CACHE_FILE, cache_key, run_eval
from assistant.types import Answer, Citation, Context, Timings

SOURCE = "articles/abc123.txt"
PASSAGE = "The urgent phase ends on 30 June 2025."


def questions() -> list[Question]:
    qs = [Question(id=f"q{i}", question=f"Question {i}?", language="vi" if i % 2 else "en",
                   expected_facts=[r"\b30\b", "June"], expected_sources=["abc123"], should_refuse=False,
                   tags=["deadline"]) for i in range(5)]
    qs.append(Question(id="r1", question="Who won the 1998 World Cup?", language="en", expected_facts=[],
                       expected_sources=[], should_refuse=True, tags=["unanswerable"]))
    return qs


def good(q: Question) -> Answer:
    refuse = q.should_refuse
    return Answer(
        question=q.question, answer="Not in the documents." if refuse else "It ends on 30 June [1].",
        refused=refuse, language=q.language, mode="extractive",
        citations=[] if refuse else [Citation(n=1, source=SOURCE, title="t", quote="30 June", verified=True)],
        contexts=[Context(rank=1, source=SOURCE, title="t", text=PASSAGE, score=0.9)],
        timings=Timings(retrieval_ms=12.0, first_token_ms=40.0, total_ms=120.0 + len(q.id)),
    )


def bad_for(*ids: str):
    """An answer_fn that answers the given ids with an unsafe, wrong answer."""
    def answer_fn(q: Question) -> Answer:
        a = good(q)
        if q.id in ids:
            return a.model_copy(update={"answer": "<script>1</script> in May", "citations": []})  # under 20 letters: its language cannot be told
        return a
    return answer_fn


class Counting:
    """Counts calls; raises on the call after ``fail_after`` calls."""

    def __init__(self, fn=good, fail_after: int | None = None) -> None:
        self.fn, self.fail_after, self.asked = fn, fail_after, []

    def __call__(self, q: Question) -> Answer:
        if self.fail_after is not None and len(self.asked) >= self.fail_after:
            raise RuntimeError("LLM went away")
        self.asked.append(q.id)
        return self.fn(q)


def test_run_writes_results_metrics_and_progress(tmp_path: Path) -> None:
    seen: list[tuple[int, int, float]] = []
    run = run_eval(questions(), bad_for("q1"), tmp_path, {"llm": "fake"}, progress=lambda *a: seen.append(a))
    assert [r.question.id for r in run.results] == ["q0", "q1", "q2", "q3", "q4", "r1"]
    assert [s[:2] for s in seen] == [(i, 6) for i in range(1, 7)]
    assert seen[0][2] == 1.0 and seen[1][2] == 0.5 and seen[-1][2] == pytest.approx(5 / 6)
    assert run.overall.pass_rate == pytest.approx(5 / 6)

    lines = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["q0", "q1", "q2", "q3", "q4", "r1"]
    assert Answer.model_validate({k: v for k, v in lines[1].items() if k not in ("id", "verdicts")})
    assert lines[1]["verdicts"]["passed"] is False and lines[0]["verdicts"]["passed"] is True

    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert set(metrics) == {"overall", "by_language", "by_tag", "config"}
    assert metrics["config"] == {"llm": "fake"}
    assert set(metrics["by_language"]) == {"en", "vi"}
    assert set(metrics["by_tag"]) == {"deadline", "unanswerable"}


def test_interrupted_run_resumes_without_reasking(tmp_path: Path) -> None:
    first = Counting(fail_after=3)
    with pytest.raises(RuntimeError):
        run_eval(questions(), first, tmp_path, {"llm": "fake"})
    assert first.asked == ["q0", "q1", "q2"]
    assert len((tmp_path / CACHE_FILE).read_text(encoding="utf-8").splitlines()) == 3

    second = Counting()
    run = run_eval(questions(), second, tmp_path, {"llm": "fake"})
    assert second.asked == ["q3", "q4", "r1"]
    assert len(run.results) == 6 and run.asked == 3 and run.overall.pass_rate == 1.0

    third = Counting()
    run_eval(questions(), third, tmp_path, {"llm": "fake"})
    assert third.asked == []

    changed = Counting()
    run_eval(questions(), changed, tmp_path, {"llm": "other"})
    assert len(changed.asked) == 6


def test_cache_key_depends_on_question_and_config_not_key_order() -> None:
    q = questions()[0]
    assert cache_key(q, {"a": 1, "b": 2}) == cache_key(q, {"b": 2, "a": 1})
    assert cache_key(q, {"a": 1}) != cache_key(q, {"a": 2})
    assert cache_key(q, {"a": 1}) != cache_key(q.model_copy(update={"question": "Other?"}), {"a": 1})


def test_torn_cache_line_is_ignored_and_repaired(tmp_path: Path) -> None:
    run_eval(questions()[:2], good, tmp_path, {})
    cache = tmp_path / CACHE_FILE
    cache.write_text(cache.read_text(encoding="utf-8") + '{"key": "abc", "answer": {"quest', encoding="utf-8")
    counting = Counting()
    run_eval(questions()[:3], counting, tmp_path, {})
    assert counting.asked == ["q2"]
    lines = cache.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["id"] == "q2"


def test_reports_with_failures_escaping_and_baseline(tmp_path: Path) -> None:
    before_dir, after_dir = tmp_path / "before", tmp_path / "after"
    run_eval(questions(), bad_for("q2"), before_dir, {"llm": "fake"})
    run = run_eval(questions(), bad_for("q1"), after_dir, {"llm": "fake2"})

    baseline = load_baseline(before_dir)
    comparison = compare(run, baseline)
    assert [(f.id, f.direction) for f in comparison.flipped] == [("q1", "pass_to_fail"), ("q2", "fail_to_pass")]
    assert comparison.config_changes == {"llm": ("fake", "fake2")}
    assert regressions(comparison.deltas, threshold=0.0) == []  # same pass rate either way

    paths = write_reports(run, after_dir, baseline)
    for name in ("report.md", "report.html", "metrics.png", "languages.png", "latency.png"):
        assert (after_dir / name).is_file() and (after_dir / name) in paths
    page = (after_dir / "report.html").read_text(encoding="utf-8")
    md = (after_dir / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<script>" not in md
    for text in (page, md):
        assert "Failing questions (1)" in text and "Question 1?" in text
        assert "answer lacks expected fact(s)" in text
        assert "Flipped questions (2)" in text and "pass → fail" in text
        assert "baseline" in text
    assert "data:image/png;base64," in page
    assert "![metrics](metrics.png)" in md


def test_reports_without_baseline(tmp_path: Path) -> None:
    run = run_eval(questions(), good, tmp_path, {})
    write_reports(run, tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "Failing questions (0)" in md and "Flipped" not in md
    assert "| metric | value |" in md


def test_load_baseline_needs_metrics(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_baseline(tmp_path)


def _with_location(qs: list[Question], **where: object) -> list[Question]:
    location = ExpectedLocation.model_validate(where)
    return [q if q.should_refuse else q.model_copy(update={"expected_location": location}) for q in qs]


def test_expected_location_is_scored_not_asked(tmp_path: Path) -> None:
    q = questions()[0]
    assert cache_key(q, {}) == cache_key(_with_location([q], row=7)[0], {})
    run_eval(questions(), good, tmp_path, {})
    again = Counting()
    run = run_eval(_with_location(questions(), row=7), again, tmp_path, {})
    assert again.asked == []  # cached answers re-scored against the new locations
    assert run.overall.location_n == 5 and run.overall.location_accuracy == 0.0  # `good` cites no row

    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["overall"]["location_accuracy"] == 0.0 and metrics["overall"]["location_n"] == 5
    record = json.loads((tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record["verdicts"]["location_correct"] is False


def test_reports_show_location_accuracy_and_misses(tmp_path: Path) -> None:
    def cites_row(q: Question) -> Answer:
        a = good(q)
        if q.id in ("q0", "q1"):
            a = a.model_copy(update={"citations": [c.model_copy(update={"row": 7, "location": "row 7"})
                                                   for c in a.citations]})
        return a

    before = run_eval(questions(), good, tmp_path / "before", {})
    assert before.overall.location_accuracy is None
    run = run_eval(_with_location(questions(), row=7), cites_row, tmp_path / "after", {})
    assert run.overall.location_accuracy == pytest.approx(2 / 5)
    comparison = compare(run, load_baseline(tmp_path / "before"))
    assert comparison.delta("location_accuracy").baseline is None
    assert regressions(comparison.deltas, threshold=0.0) == []  # a baseline without it is no regression
    write_reports(run, tmp_path / "after", comparison)
    for name in ("report.md", "report.html"):
        text = (tmp_path / "after" / name).read_text(encoding="utf-8")
        assert "citation location accuracy" in text and "0.400" in text
        assert "5 with an expected location" in text
        assert "Citation location misses (3 of 5)" in text and "row 7" in text
