"""The quiz item model: what an item of each type must hold, its stable id, and the quiz around it."""

from __future__ import annotations

import math
from typing import Any

import pytest
from quiz_parsers import CITATION, make_item

from assistant.errors import AssistantError
from assistant.quiz.errors import QuizItemError
from assistant.quiz.items import Quiz, QuizItem, item_id
from assistant.quiz.numbers import format_number, parse_number

FOUR = [{"text": "a", "correct": True}, {"text": "b"}, {"text": "c"}, {"text": "d"}]


@pytest.mark.parametrize("kind", ["multichoice", "truefalse", "shortanswer", "numerical", "matching"])
def test_each_type_builds_with_an_id_from_its_content(kind: str) -> None:
    item = make_item(kind)
    assert item.type == kind
    assert len(item.id) == 16
    assert item.id == item_id(kind, item.stem, item.key())
    assert make_item(kind).id == item.id  # same content, same id


def test_the_id_ignores_case_and_spacing_but_not_the_key() -> None:
    item = make_item()
    assert make_item(stem="  giai đoạn CẤP bách   kéo dài đến ngày nào? ").id == item.id
    moved = [{**o, "correct": o["text"] == "15/7/2025"} for o in (opt.model_dump() for opt in item.options)]
    assert make_item(options=moved).id != item.id
    assert make_item(stem="Giai đoạn đột phá kéo dài đến ngày nào?").id != item.id
    assert make_item("numerical", value=17.0).id != make_item("numerical").id


def test_a_given_id_must_match_the_content() -> None:
    item = make_item()
    assert QuizItem.parse(item.model_dump()).id == item.id
    with pytest.raises(QuizItemError) as caught:
        QuizItem.parse({**item.model_dump(), "stem": "Một câu hỏi khác?"})
    assert caught.value.field == "id"


def test_texts_are_normalised() -> None:
    item = make_item("truefalse", stem="  Giai đoa\u0323n 1.\r\nDòng hai  ")  # decomposed "ạ", CRLF
    assert item.stem == "Giai đoạn 1.\nDòng hai"


INVALID: list[tuple[str, str, dict[str, Any], str]] = [
    ("three options", "multichoice", {"options": FOUR[:3]}, "options"),
    ("five options", "multichoice", {"options": [*FOUR, {"text": "e"}]}, "options"),
    ("two correct", "multichoice", {"options": [{**o, "correct": True} for o in FOUR[:2]] + FOUR[2:]}, "options"),
    ("none correct", "multichoice", {"options": [{"text": o["text"]} for o in FOUR]}, "options"),
    ("blank option", "multichoice", {"options": [{"text": "  ", "correct": True}, *FOUR[1:]]}, "options.0.text"),
    ("answers on multichoice", "multichoice", {"answers": ["x"]}, "answers"),
    ("truefalse without truth", "truefalse", {"truth": None}, "truth"),
    ("options on truefalse", "truefalse", {"options": FOUR}, "options"),
    ("truth on shortanswer", "shortanswer", {"truth": False}, "truth"),
    ("no accepted answer", "shortanswer", {"answers": []}, "answers"),
    ("same answer twice", "shortanswer", {"answers": ["Hà Nội", "hà  nội"]}, "answers"),
    ("numerical without value", "numerical", {"value": None}, "value"),
    ("infinite value", "numerical", {"value": math.inf}, "value"),
    ("negative tolerance", "numerical", {"tolerance": -1.0}, "tolerance"),
    ("value on matching", "matching", {"value": 3.0}, "value"),
    ("two pairs", "matching", {"pairs": [{"left": "a", "right": "1"}, {"left": "b", "right": "2"}]}, "pairs"),
    (
        "left side twice",
        "matching",
        {"pairs": [{"left": "a", "right": "1"}, {"left": "A", "right": "2"}, {"left": "c", "right": "3"}]},
        "pairs",
    ),
    ("unknown type", "multichoice", {"type": "essay"}, "type"),
    ("bad language", "truefalse", {"language": "Vietnamese"}, "language"),
    ("control character", "truefalse", {"stem": "Giai đoạn\x07 1"}, "stem"),
    ("blank stem", "truefalse", {"stem": " \n "}, "stem"),
    ("backslash in category", "truefalse", {"category": ["Mốc\\thời gian"]}, "category"),
    ("quote missing", "truefalse", {"citation": {**CITATION, "quote": ""}}, "citation.quote"),
    ("page zero", "truefalse", {"citation": {**CITATION, "position": {"page": 0}}}, "citation.position.page"),
]


@pytest.mark.parametrize(("case", "kind", "changes", "field"), INVALID, ids=[case[0] for case in INVALID])
def test_invalid_items_raise_a_domain_error_naming_the_field(
    case: str, kind: str, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(QuizItemError) as caught:
        make_item(kind, **changes)
    assert caught.value.field == field, caught.value
    assert isinstance(caught.value, AssistantError)
    assert str(caught.value).startswith(field + ":")


def test_revised_rechecks_and_recomputes_the_id() -> None:
    item = make_item()
    edited = item.revised(stem="Giai đoạn cấp bách kết thúc vào ngày nào?")
    assert edited.id != item.id
    assert edited.id == item_id("multichoice", edited.stem, edited.key())
    with pytest.raises(QuizItemError, match="options"):
        item.revised(options=FOUR[:2])


def test_numerical_tolerance_defaults_to_zero() -> None:
    assert make_item("numerical", tolerance=None).tolerance == 0.0


def _quiz(items: list[QuizItem], kept: int | None = None, dropped: list[dict[str, Any]] | None = None) -> Quiz:
    report = {"kept": len(items) if kept is None else kept, "dropped": dropped or []}
    return Quiz(title="Ôn tập Kế hoạch 02", language="vi", seed=3, items=items, report=report)


def test_a_quiz_refuses_duplicate_items_and_a_wrong_kept_count() -> None:
    item = make_item()
    with pytest.raises(QuizItemError) as caught:
        _quiz([item, make_item(stem="giai đoạn cấp bách kéo dài đến ngày nào?")])
    assert caught.value.field == "items.1.id"
    with pytest.raises(QuizItemError) as caught:
        _quiz([item], kept=2)
    assert caught.value.field == "report.kept"


def test_the_quality_report_counts_reasons() -> None:
    dropped = [
        {"stem": "a", "reasons": [{"code": "flaw.longest_key", "message": "m"}, {"code": "duplicate", "message": "m"}]},
        {"stem": "b", "reasons": [{"code": "duplicate", "message": "m"}]},
    ]
    quiz = _quiz([make_item()], dropped=dropped)
    assert quiz.report.reason_counts() == {"duplicate": 2, "flaw.longest_key": 1}
    assert quiz.report.summary() == "kept 1, dropped 2 (duplicate: 2, flaw.longest_key: 1)"
    with pytest.raises(QuizItemError, match="reasons"):
        _quiz([make_item()], dropped=[{"stem": "c", "reasons": []}])


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("1.000", "vi", 1000.0),
        ("2,5", "vi", 2.5),
        ("1.234.567", "vi", 1234567.0),
        ("1.234,5", "vi", 1234.5),
        ("1 000", "vi", 1000.0),
        ("0,75", "vi", 0.75),
        ("2.5", "vi", 2.5),  # not a thousands group: a decimal point
        ("1,000", "en", 1000.0),
        ("1.000", "en", 1.0),
        ("2.5", "en", 2.5),
        ("1,234.5", "en", 1234.5),
        ("-3", "en", -3.0),
    ],
)
def test_parse_number_reads_each_languages_spelling(text: str, language: str, value: float) -> None:
    assert parse_number(text, language) == value


@pytest.mark.parametrize("text", ["1.2.3", "abc", "1,", "1.000,5.5", "12.34.567"])
def test_parse_number_refuses_what_is_not_one_number(text: str) -> None:
    with pytest.raises(QuizItemError):
        parse_number(text, "vi")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1000.0, "1000"),
        (2.5, "2.5"),
        (1e-05, "0.00001"),
        (-0.0, "0"),
        (1e20, "100000000000000000000"),
        (-3.25, "-3.25"),
    ],
)
def test_format_number_writes_a_decimal_point_without_exponent(value: float, text: str) -> None:
    assert format_number(value) == text
