"""The Evaluation tab's helpers without a browser: listing sets and baselines, checking uploads, rendering a run."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.evaluation.compare import (
    MetricDelta,
    compare,
    load_baseline,
    regressions,
)
from assistant.evaluation.questions import Question
from assistant.evaluation.runner import run_eval
from assistant.evaluation.session import EvalOutcome
from assistant.evaluation.verdicts import judge
from assistant.settings import WebSettings, load_settings
from assistant.types import Answer, Citation, Context, Timings
from assistant.web.eval_view import (
    SetRejected,
    baselines,
    check_question_set,
    failing_rows,
    failing_table,
    failure_text,
    flipped_table,
    judge_reporter,
    metrics_table,
    new_run_dir,
    progress_reporter,
    question_sets,
    regression_banner,
)  # fmt: skip

REPO = Path(__file__).resolve().parents[1]
SMALL_SET = REPO / "tests" / "eval_sets" / "small.jsonl"
SOURCE = "articles/abc123.txt"
XSS = "<script>window.__pwned=1</script>"


def question(qid: str, refuse: bool = False, language: str = "en") -> Question:
    return Question(id=qid, question=f"When does phase {qid} end?", language=language,
                    expected_facts=[] if refuse else [r"\b30\b", "June"], expected_sources=[] if refuse else ["abc123"],
                    should_refuse=refuse)  # fmt: skip


def answer(q: Question, text: str = "It ends on 30 June [1].", refused: bool = False, cite: bool = True) -> Answer:
    return Answer(
        question=q.question, answer=text, refused=refused, language=q.language, mode="extractive",
        citations=[Citation(n=1, source=SOURCE, title="t", quote="30 June", verified=True)] if cite else [],
        contexts=[Context(rank=1, source=SOURCE, title="t", text="The phase ends on 30 June 2025.", score=0.9)],
        timings=Timings(retrieval_ms=10.0, total_ms=50.0),
    )  # fmt: skip


QUESTIONS = [question("q1"), question("q2", language="vi"), question("q3"), question("r1", refuse=True)]


def answer_with(bad: set[str]):
    """Right answers, except: ids in ``bad`` get a wrong, uncited, hostile answer; r1 is answered instead of refused."""

    def answer_fn(q: Question) -> Answer:
        if q.should_refuse:
            return answer(q, text="The World Cup was won by France.", cite=False)
        if q.id in bad:
            return answer(q, text=f"{XSS} sometime in May", cite=False)
        return answer(q)

    return answer_fn


def write_set(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- listing ----------------------------------------------------------------------------------------


def test_question_sets_lists_jsonl_but_not_drafts_hidden_or_other_files(tmp_path: Path) -> None:
    for name in ("dev.jsonl", "a-small.jsonl", "drafts.jsonl", ".hidden.jsonl", "README.md", "notes.json"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "baselines.jsonl").mkdir()  # a folder, not a set
    assert question_sets(tmp_path) == ["a-small.jsonl", "dev.jsonl"]
    assert question_sets(tmp_path / "missing") == []


def test_baselines_are_saved_ones_then_previous_runs_newest_first(tmp_path: Path) -> None:
    evals, runs = tmp_path / "evals", tmp_path / "runs"
    for folder in (evals / "baselines" / "extractive", evals / "baselines" / "local", runs / "20250101-090000-dev-extractive",
                   runs / "20250301-090000-dev-extractive"):  # fmt: skip
        folder.mkdir(parents=True)
        (folder / "metrics.json").write_text("{}", encoding="utf-8")
    (runs / "20250401-090000-interrupted").mkdir()  # no metrics.json: the run never finished
    found = baselines(evals, runs)
    assert list(found) == ["baselines/extractive", "baselines/local", "runs/20250301-090000-dev-extractive",
                           "runs/20250101-090000-dev-extractive"]  # fmt: skip
    assert found["baselines/local"] == evals / "baselines" / "local"
    assert baselines(tmp_path / "none", tmp_path / "none") == {}


def test_new_run_dir_is_fresh_safe_and_inside_the_runs_folder(tmp_path: Path) -> None:
    now = datetime(2025, 6, 19, 8, 30, tzinfo=UTC)
    first = new_run_dir(tmp_path / "runs", "../../Bộ câu hỏi.jsonl", "extractive", now)
    second = new_run_dir(tmp_path / "runs", "../../Bộ câu hỏi.jsonl", "extractive", now)
    assert first.parent == second.parent == tmp_path / "runs"
    assert first != second and first.is_dir() and second.is_dir() and not any(first.iterdir())
    assert first.name.startswith("20250619-083000-") and first.name.endswith("-extractive")
    assert second.name == first.name + "-2"
    assert "/" not in first.name and ".." not in first.name


# -- checking a set ---------------------------------------------------------------------------------


def test_the_small_fixture_set_is_valid() -> None:
    questions = check_question_set(SMALL_SET, SMALL_SET.name, 20, "en")
    assert len(questions) == 5 and sum(q.should_refuse for q in questions) == 1


@pytest.mark.parametrize(("lang", "expected"), [("en", "✗ bad.jsonl, line 3: "), ("vi", "✗ bad.jsonl, dòng 3: ")])
def test_a_bad_line_is_named(tmp_path: Path, lang: str, expected: str) -> None:
    good = SMALL_SET.read_text(encoding="utf-8").splitlines()[1]
    path = write_set(tmp_path / "upload-cache-name.jsonl", [good, "", '{"id": "x", "question": "?"'])
    with pytest.raises(SetRejected) as caught:
        check_question_set(path, "bad.jsonl", 20, lang)
    assert str(caught.value).startswith(expected)
    assert "malformed JSON" in str(caught.value) and "Traceback" not in str(caught.value)


def test_a_line_failing_validation_names_line_and_field(tmp_path: Path) -> None:
    good = json.loads(SMALL_SET.read_text(encoding="utf-8").splitlines()[1])
    path = write_set(tmp_path / "s.jsonl", [json.dumps(good), json.dumps({**good, "id": "y", "expected_facts": []})])
    with pytest.raises(SetRejected, match=r"^✗ s\.jsonl, line 2: expected_facts"):
        check_question_set(path, "s.jsonl", 20, "en")


def test_wrong_type_too_large_and_empty_sets_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SetRejected, match=r"^✗ set\.json: only \.jsonl files"):
        check_question_set(SMALL_SET, "set.json", 20, "en")
    with pytest.raises(SetRejected, match=r"^✗ big\.jsonl: file too large .*limit 0\.001 MB"):
        check_question_set(SMALL_SET, "big.jsonl", 0.001, "en")
    comments = write_set(tmp_path / "c.jsonl", ["// only a comment", ""])
    with pytest.raises(SetRejected, match=r"^✗ c\.jsonl: contains no questions"):
        check_question_set(comments, "c.jsonl", 20, "en")
    (tmp_path / "e.jsonl").write_bytes(b"")
    with pytest.raises(SetRejected, match=r"^✗ e\.jsonl: the file is empty"):
        check_question_set(tmp_path / "e.jsonl", "e.jsonl", 20, "en")


# -- rendering a run --------------------------------------------------------------------------------


def outcome(tmp_path: Path, bad: set[str], baseline: Path | None = None, name: str = "now") -> EvalOutcome:
    run = run_eval(QUESTIONS, answer_with(bad), tmp_path / name, {"llm": "fake"})
    comparison = compare(run, load_baseline(baseline)) if baseline else None
    dropped = regressions(comparison.deltas, 0.02) if comparison else []
    return EvalOutcome(run=run, comparison=comparison, reports=[], regressions=dropped)


def test_failing_rows_from_a_real_run(tmp_path: Path) -> None:
    run = outcome(tmp_path, bad={"q2"}).run
    rows = failing_rows("en", run)
    assert [row[0] for row in rows] == ["q2", "r1"]
    q2, r1 = rows
    assert q2[1] == "When does phase q2 end?" and q2[2] == r"\b30\b; June"
    assert q2[3] == f"{XSS} sometime in May"
    assert q2[4] == r"answer lacks expected fact(s): \b30\b, June; no citations"
    assert r1[2] == "(should refuse)"
    assert r1[4] == "answered a question the corpus cannot answer (should refuse)"
    vi = failing_rows("vi", run)
    assert vi[0][4] == r"câu trả lời thiếu dữ kiện: \b30\b, June; không có trích dẫn"
    assert vi[1][2] == "(cần từ chối trả lời)"


def test_failing_table_is_escaped_and_refusals_are_marked(tmp_path: Path) -> None:
    run = run_eval(QUESTIONS[:1], lambda q: answer(q, text=XSS, refused=True, cite=False), tmp_path, {})
    page = failing_table("en", run)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "[refused] &lt;script&gt;" in page and "refused an answerable question" in page
    assert "Failing questions (1)" in page
    passing = run_eval(QUESTIONS[:1], answer_with(set()), tmp_path / "ok", {})
    assert "Failing questions (0)" in failing_table("en", passing) and "None." in failing_table("en", passing)


def test_every_verdict_reason_is_translated() -> None:
    q, r = question("q1"), question("r1", refuse=True)
    cases = [
        judge(r, answer(r, cite=False)),  # answered instead of refusing
        judge(q, answer(q, text="nothing", refused=True, cite=False)),  # refused
        judge(q, answer(q, text="sometime in May", cite=False)),  # facts missing, no citations
        judge(
            q,
            answer(q).model_copy(
                update={"citations": [Citation(n=1, source="other.txt", title="t", quote="x", verified=True)]}
            ),
        ),
    ]
    reasons = [reason for verdicts in cases for reason in verdicts.failures]
    assert len(reasons) == 5
    for reason in reasons:
        assert failure_text("en", reason) == reason  # English texts match the verdicts word for word
        assert failure_text("vi", reason) != reason, reason
    assert failure_text("vi", "some new reason") == "some new reason"


def test_metrics_table_and_banner_without_baseline(tmp_path: Path) -> None:
    result = outcome(tmp_path, bad={"q2"})
    table = metrics_table("en", result)
    assert "Metrics (4 questions: 3 answerable, 1 to refuse)" in table
    assert "<th>Baseline</th>" not in table and "<td>pass rate</td><td>0.500</td>" in table
    assert regression_banner("en", result) == ""
    assert flipped_table("en", result.comparison) == ""


def test_regression_shows_baseline_delta_banner_and_flips(tmp_path: Path) -> None:
    before = outcome(tmp_path, bad=set(), name="before")
    assert before.run.overall.pass_rate == 0.75
    after = outcome(tmp_path, bad={"q1", "q3"}, baseline=tmp_path / "before")
    assert "pass_rate" in after.regressions and "correctness" in after.regressions

    table = metrics_table("en", after)
    assert "<th>Baseline</th><th>Δ</th>" in table
    assert "<td>pass rate</td><td>0.250</td><td>0.750</td><td>-0.500 ⚠️</td>" in table
    assert "<td>refusal recall</td><td>0.000</td><td>0.000</td><td>+0.000</td>" in table  # not flagged

    banner = regression_banner("en", after)
    assert banner.startswith('<div class="p2-regression" role="alert">')
    assert "Regression against before" in banner and "pass rate" in banner and "answer correctness" in banner
    assert "tỷ lệ đạt" in regression_banner("vi", after)

    flips = flipped_table("en", after.comparison)
    assert "Questions that flipped against the baseline (2)" in flips
    assert flips.count("pass → fail") == 2 and "&lt;script&gt;" in flips and "<script>" not in flips

    extra = MetricDelta(name="judge_faithfulness", label="faithfulness (judge)", baseline=0.9, current=0.8, delta=-0.1,
                        higher_is_better=True)  # fmt: skip
    assert after.comparison is not None
    after.comparison.deltas.append(extra)
    assert "<td>faithfulness (judge)</td><td>0.800</td><td>0.900</td><td>-0.100</td>" in metrics_table("en", after)

    same = outcome(tmp_path, bad=set(), baseline=tmp_path / "before", name="same")
    assert same.regressions == [] and "p2-no-regression" in regression_banner("en", same)
    assert "None." in flipped_table("en", same.comparison)


def test_progress_shows_done_of_total_and_the_running_pass_rate(tmp_path: Path) -> None:
    calls: list[tuple[object, dict]] = []
    report = progress_reporter(lambda value, **kw: calls.append((value, kw)), "en")
    report(0, 4, None)
    run_eval(QUESTIONS, answer_with({"q2"}), tmp_path, {}, progress=report)
    assert [value for value, _ in calls] == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert [kw["desc"] for _, kw in calls] == [f"Answering — passing {r}" for r in ("–", "100%", "50%", "67%", "50%")]
    assert {kw["unit"] for _, kw in calls} == {"questions"}


def test_judge_progress_shows_done_of_total(tmp_path: Path) -> None:
    calls: list[tuple[object, dict]] = []
    report = judge_reporter(lambda value, **kw: calls.append((value, kw)), "vi")
    for done in range(3):
        report(done, 2)
    assert [value for value, _ in calls] == [(0, 2), (1, 2), (2, 2)]
    assert {kw["desc"] for _, kw in calls} == {"Mô hình giám khảo đang chấm điểm"}


# -- access -----------------------------------------------------------------------------------------


def test_only_admins_get_the_run_panel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.web.eval_tab import EvalTab
    from assistant.web.services import build_services

    evals = tmp_path / "evals"
    evals.mkdir()
    (evals / "dev.jsonl").write_text("", encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_WEB__EVALS_DIR", str(evals))
    monkeypatch.setenv("ASSISTANT_WEB__EVAL_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("ASSISTANT_WEB__USERS", '{"official": "pw"}')
    monkeypatch.setenv("ASSISTANT_WEB__ADMINS", '{"admin": "pw2"}')
    services = build_services(load_settings(), drafts_path=tmp_path / "d.jsonl")
    tab = EvalTab("sets", "baselines", "box", "note")  # components stand in by name
    admin, official = tab.refresh(services, "en", "admin"), tab.refresh(services, "en", "official")
    assert admin["box"]["visible"] is True and admin["note"]["visible"] is False
    assert admin["sets"]["choices"] == ["dev.jsonl"]
    assert official["box"]["visible"] is False and official["note"]["visible"] is True
    assert official["sets"]["choices"] == []


def test_settings_default_to_folders_outside_the_package() -> None:
    web = WebSettings()
    assert web.evals_dir == Path("evals") and not web.eval_runs_dir.is_absolute()
    assert "assistant" not in web.eval_runs_dir.parts and os.fspath(web.eval_runs_dir) == "eval-results/web"


def test_summary_shows_the_judge_line_escaped(tmp_path: Path) -> None:
    from assistant.evaluation.judge_types import JudgeReport
    from assistant.web.eval_view import summary

    done = outcome(tmp_path, set())
    assert "LLM judge" not in summary("en", done, "small.jsonl", tmp_path)
    done.run.judge = JudgeReport(status="failed", message="LLM judge: failed to start (no model <set> it)")
    html = summary("en", done, "small.jsonl", tmp_path)
    assert "LLM judge: could not start (no model &lt;set&gt; it)." in html
    assert "Mô hình giám khảo: không khởi động được (no model &lt;set&gt; it)." in summary("vi", done, "s", tmp_path)


def test_prune_runs_keeps_the_newest_run_folders_and_nothing_else_is_touched(tmp_path: Path) -> None:
    from assistant.web.eval_view import prune_runs

    runs = tmp_path / "runs"
    names = [new_run_dir(runs, "dev.jsonl", "none", datetime(2026, 11, 22, 10, m, tzinfo=UTC)).name for m in range(5)]
    (runs / "notes").mkdir()
    (runs / "README.txt").write_text("mine", encoding="utf-8")
    removed = prune_runs(runs, keep=2)
    assert [p.name for p in removed] == names[:3]
    assert sorted(p.name for p in runs.iterdir()) == sorted([*names[3:], "notes", "README.txt"])
    assert prune_runs(runs, keep=0) == [] and len(list(runs.iterdir())) == 4, "0 keeps everything"


def test_a_run_over_an_empty_index_says_to_add_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing indexed yet: the tab says so in the interface language instead of scoring every question 0."""
    from types import SimpleNamespace

    from assistant.web.app import build_app
    from assistant.web.services import build_services

    evals = tmp_path / "evals"
    evals.mkdir()
    (evals / "small.jsonl").write_bytes(SMALL_SET.read_bytes())
    monkeypatch.setenv("ASSISTANT_WEB__EVALS_DIR", str(evals))
    monkeypatch.setenv("ASSISTANT_WEB__EVAL_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("ASSISTANT_WEB__ADMINS", '{"admin": "pw2"}')
    settings = load_settings()
    demo = build_app(settings, build_services(settings, drafts_path=tmp_path / "d.jsonl"))
    on_run = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "on_run")
    shown = on_run("small.jsonl", None, None, "vi", "none", SimpleNamespace(username="admin"), progress=lambda *a, **k: None)
    texts = " ".join(str(value) for value in shown.values())
    assert "Chỉ mục chưa có tài liệu nào" in texts
    assert not list((tmp_path / "runs").glob("*/results.jsonl"))
