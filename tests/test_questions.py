"""The evaluation question set (evals/dev.jsonl) and its loader."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from question_checks import smallest_span

from assistant.errors import QuestionSetError
from assistant.evaluation.questions import Question, load_questions

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "evals" / "dev.jsonl"
# Facts of one question must sit close together, so one passage-sized chunk can hold them all.
WINDOW = 600


def _seed_dirs() -> list[Path]:
    """The shared seeds, then corpus/articles/ (its copies win when both hold a file)."""
    candidates = (Path(__file__).resolve().parents[2] / "shared" / "seeds", ROOT / "corpus" / "articles")
    return [c for c in candidates if c.is_dir() and any(c.glob("*.txt"))]


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions(DEV)


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    directories = _seed_dirs()
    if not directories:
        pytest.skip("no seed articles (corpus/articles/ or ../shared/seeds)")
    return {path.name: path.read_text(encoding="utf-8") for d in directories for path in sorted(d.glob("*.txt"))}


def _files_for(question: Question, seeds: dict[str, str]) -> dict[str, str]:
    return {name: text for name, text in seeds.items() if question.source_matches(name)}


# ------------------------------------------------------------------ the dev set


def test_dev_set_shape(questions: list[Question]) -> None:
    assert len(questions) >= 60
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids))
    languages = Counter(q.language for q in questions)
    assert languages["vi"] * 2 >= len(questions), languages
    assert languages["en"] >= 10, languages
    assert sum(q.should_refuse for q in questions) >= 10


def test_refusals_have_no_facts_or_sources(questions: list[Question]) -> None:
    for q in questions:
        if q.should_refuse:
            assert not q.expected_facts and not q.expected_sources, q.id
        else:
            assert q.expected_facts and q.expected_sources, q.id


def test_answerable_facts_occur_in_an_expected_source(questions: list[Question], seeds: dict[str, str]) -> None:
    failures = []
    for q in questions:
        if q.should_refuse:
            continue
        files = _files_for(q, seeds)
        if not files:
            failures.append(f"{q.id}: no seed file matches {q.expected_sources}")
        elif not any(q.facts_match(text) for text in files.values()):
            failures.append(f"{q.id}: facts match none of {sorted(files)}")
    assert not failures, "\n".join(failures)


def test_answerable_facts_fit_in_one_passage(questions: list[Question], seeds: dict[str, str]) -> None:
    failures = []
    for q in questions:
        if q.should_refuse:
            continue
        spans = [smallest_span(text, q.expected_facts) for text in _files_for(q, seeds).values()]
        if not any(span is not None and span <= WINDOW for span in spans):
            failures.append(f"{q.id}: smallest span {spans}")
    assert not failures, "\n".join(failures)


# ------------------------------------------------------------------ the model


def _record(**overrides: object) -> dict[str, object]:
    record: dict[str, object] = {
        "id": "t-1",
        "question": "Khi nào?",
        "language": "vi",
        "expected_facts": [r"30(\.|/|\s)*(0?6|june)"],
        "expected_sources": ["80bf7b546d8b9867"],
        "should_refuse": False,
    }
    record.update(overrides)
    return record


def test_facts_and_source_matching() -> None:
    q = Question.model_validate(_record(expected_facts=[r"02-KH/BC[ĐD]TW", r"30(\.|/|\s)*(0?6|june)"]))
    assert q.facts_match("Kế hoạch 02-kh/bcđtw ... đến 30/6/2025")
    assert q.facts_match("PLAN 02-KH/BCDTW until 30 JUNE")
    assert not q.facts_match("Kế hoạch 02-KH/BCĐTW")
    assert q.source_matches("articles/000_80bf7b546d8b9867.txt")
    assert not q.source_matches("articles/001_b9c937dc86475d3f.txt")
    assert q.tags == [] and q.notes == ""


@pytest.mark.parametrize(
    ("overrides", "needle"),
    [
        ({"expected_facts": ["(unclosed"]}, "(unclosed"),
        ({"expected_facts": []}, "expected_facts"),
        ({"expected_sources": []}, "expected_sources"),
        ({"should_refuse": True}, "should_refuse"),
        ({"tags": ["nonsense"]}, "nonsense"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_invalid_questions_are_rejected(overrides: dict[str, object], needle: str) -> None:
    with pytest.raises(ValueError, match=re.escape(needle)):
        Question.model_validate(_record(**overrides))


def test_refusal_question_without_facts_is_valid() -> None:
    q = Question.model_validate(_record(should_refuse=True, expected_facts=[], expected_sources=[]))
    assert q.facts_match("anything") and not q.source_matches("anything")


def test_expected_location_is_optional_and_validated() -> None:
    q = Question.model_validate(_record(expected_location={"sheet": "Budget", "row": 7}))
    assert q.expected_location is not None
    assert (q.expected_location.sheet, q.expected_location.row, q.expected_location.page) == ("Budget", 7, None)
    assert Question.model_validate(_record(expected_location={"page": 3, "section": "Phase 1"})).expected_location
    assert Question.model_validate(_record()).expected_location is None


@pytest.mark.parametrize(
    ("location", "needle"),
    [
        ({"line": 3}, "line"),                                  # unknown key
        ({}, "at least one of page, sheet, row, section"),      # empty object
        ({"page": 0}, "page"),                                  # pages are 1-based
        ({"row": 0}, "row"),
        ({"section": ""}, "section"),
    ],
)
def test_invalid_expected_location_is_rejected(location: dict[str, object], needle: str) -> None:
    with pytest.raises(ValueError, match=re.escape(needle)):
        Question.model_validate(_record(expected_location=location))


def test_expected_location_on_a_refusal_is_rejected(tmp_path: Path) -> None:
    refusal = _record(should_refuse=True, expected_facts=[], expected_sources=[], expected_location={"page": 1})
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(refusal) + "\n", encoding="utf-8")
    with pytest.raises(QuestionSetError) as info:
        load_questions(path)
    assert info.value.line == 1 and "expected_location" in info.value.reason


# ------------------------------------------------------------------ the loader


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _line(**overrides: object) -> str:
    return json.dumps(_record(**overrides), ensure_ascii=False)


def test_loader_skips_blank_and_comment_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, ["// a comment", "", _line(id="a"), "   ", _line(id="b")])
    assert [q.id for q in load_questions(path)] == ["a", "b"]


def _error(path: Path) -> QuestionSetError:
    with pytest.raises(QuestionSetError) as info:
        load_questions(path)
    return info.value


def test_malformed_json_reports_its_line(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, ["// header", _line(id="a"), '{"id": "b", ']))
    assert error.line == 3 and error.path == tmp_path / "set.jsonl"
    assert "JSON" in error.reason


def test_non_object_line_is_rejected(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, [_line(id="a"), "[1, 2]"]))
    assert error.line == 2


def test_bad_regex_reports_line_and_regex(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, [_line(id="a"), "", _line(id="b", expected_facts=["ok", "[unclosed"])]))
    assert error.line == 3
    assert "expected_facts" in error.reason and "[unclosed" in error.reason


def test_duplicate_id_reports_both_lines(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, [_line(id="a"), _line(id="b"), _line(id="a")]))
    assert error.line == 3
    assert "'a'" in error.reason and "line 1" in error.reason


def test_missing_field_reports_line_and_field(tmp_path: Path) -> None:
    record = _record(id="b")
    del record["language"]
    error = _error(_write(tmp_path, [_line(id="a"), json.dumps(record)]))
    assert error.line == 2 and "language" in error.reason


def test_refusal_with_facts_is_rejected(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, [_line(id="a", should_refuse=True)]))
    assert error.line == 1 and "expected_facts" in error.reason
