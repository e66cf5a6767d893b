"""Readers of the quiz exports for the round-trip tests, and one comparable view of an item.

The GIFT and Moodle XML readers live in the package (they encode Moodle's rules and the writers
check themselves with them); here: the Kahoot sheet, the Anki package, the printable sheet, and
the view (:func:`item_view` / :func:`moodle_view`) both sides of a Moodle round trip reduce to.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from assistant.quiz.export.common import explanation_with_citation, from_html
from assistant.quiz.export.moodle import MoodleQuestion
from assistant.quiz.items import QuizItem


def plain(text: str, fmt: str) -> str:
    """A Moodle text as the plain text it was written from."""
    return from_html(text) if fmt == "html" else text


def item_view(item: QuizItem) -> dict[str, Any]:
    """What a Moodle import of ``item`` must hold: type, stem, key, options, feedback, id."""
    view: dict[str, Any] = {
        "type": item.type,
        "stem": item.stem,
        "general_feedback": explanation_with_citation(item),
        "idnumber": item.id,
    }
    if item.type == "multichoice":
        view["options"] = [(o.text, o.correct, o.feedback) for o in item.options]
    elif item.type == "truefalse":
        view["truth"] = item.truth
    elif item.type == "shortanswer":
        view["answers"] = list(item.answers)
    elif item.type == "numerical":
        view["value"] = item.value
        view["tolerance"] = item.tolerance
    else:
        view["pairs"] = [(p.left, p.right) for p in item.pairs]
    return view


def moodle_view(question: MoodleQuestion) -> dict[str, Any]:
    """The same view of a question read back by the GIFT or the XML reader."""
    kind = "matching" if question.qtype == "match" else question.qtype
    view: dict[str, Any] = {
        "type": kind,
        "stem": plain(question.text, question.format),
        "general_feedback": plain(question.general_feedback, question.general_feedback_format),
        "idnumber": question.idnumber,
    }
    if kind == "multichoice":
        view["options"] = [
            (plain(a.text, a.format), a.fraction == 1.0, plain(a.feedback, a.feedback_format)) for a in question.answers
        ]
    elif kind == "truefalse":
        view["truth"] = question.correct
    elif kind == "shortanswer":
        view["answers"] = [a.text for a in question.answers]
    elif kind == "numerical":
        (answer,) = question.answers
        view["value"] = float(answer.text)
        view["tolerance"] = answer.tolerance
    else:
        view["pairs"] = [(plain(left, question.subquestion_format), right) for left, right in question.subquestions]
    return view


def read_kahoot(path: Path) -> tuple[list[Any], list[list[Any]], list[list[str]]]:
    """(header, rows of values, rows of cell data types) of a Kahoot sheet."""
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    values = [[cell.value for cell in row] for row in rows[1:]]
    types = [[cell.data_type for cell in row] for row in rows[1:]]
    return header, values, types


def read_anki(path: Path) -> dict[str, Any]:
    """The notes (guid, model id, fields, tags), cards' deck ids, note types and decks of an .apkg."""
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as folder:
        assert "collection.anki2" in archive.namelist()
        database = Path(archive.extract("collection.anki2", folder))
        connection = sqlite3.connect(database)
        try:
            notes = [
                {"id": nid, "guid": guid, "mid": mid, "fields": flds.split("\x1f"), "tags": tags.split()}
                for nid, guid, mid, flds, tags in connection.execute(
                    "SELECT id, guid, mid, flds, tags FROM notes ORDER BY id"
                )
            ]
            cards = [{"nid": nid, "did": did} for nid, did in connection.execute("SELECT nid, did FROM cards")]
            models_json, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
        finally:
            connection.close()
    return {"notes": notes, "cards": cards, "models": json.loads(models_json), "decks": json.loads(decks_json)}


def _text(element: Any) -> str:
    """An element's text with <br> as newlines (the sheet writes newlines as <br>)."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return element.text_content()


def _find(element: Any, tag: str, css_class: str) -> list[Any]:
    """Descendants ``tag`` of ``element`` having ``css_class`` among their classes."""
    return element.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')]")


def read_html_sheet(path: Path) -> dict[str, Any]:
    """The questions and answer-key entries of a printable sheet, in document order."""
    document = lxml_html.fromstring(Path(path).read_text(encoding="utf-8"))
    (questions_section,) = _find(document, "section", "questions")
    (key_section,) = _find(document, "section", "answer-key")
    questions = []
    for item in _find(questions_section, "li", "item"):
        number, _, stem = _text(_find(item, "p", "stem")[0]).partition(". ")
        questions.append(
            {
                "id": item.get("data-item-id"),
                "type": item.get("data-type"),
                "number": int(number),
                "stem": stem,
                "options": [_text(option) for option in _find(item, "li", "option")],
                "lefts": [_text(cell).partition(". ")[2] for cell in _find(item, "td", "left")],
                "rights": [_text(cell).partition(". ")[2] for cell in _find(item, "td", "right")],
            }
        )
    keys = []
    for entry in _find(key_section, "li", "key-entry"):
        key = _find(entry, "*", "key")[0]
        keys.append(
            {
                "id": entry.get("data-item-id"),
                "letter": key.get("data-letter"),
                "truth": key.get("data-truth"),
                "value": key.get("data-value"),
                "tolerance": key.get("data-tolerance"),
                "key_text": _text(key),
                "answers": [_text(li) for li in key.xpath("./li")] if "answers" in key.get("class", "") else [],
                "pairs": [
                    (_text(_find(li, "span", "left")[0]), _text(_find(li, "span", "right")[0]))
                    for li in key.xpath("./li")
                    if _find(li, "span", "left")
                ],
                "explanation": [_text(p) for p in _find(entry, "p", "explanation")],
                "citation": _text(_find(entry, "p", "citation")[0]),
            }
        )
    return {"document": document, "questions": questions, "keys": keys}


# Builders of the tests' items ------------------------------------------------------------------

CITATION: dict[str, Any] = {
    "source": "vi-docs/so-tay-huong-dan.pdf",
    "title": "Sổ tay hướng dẫn thực hiện Kế hoạch 02",
    "position": {"page": 3, "section": "1.2 Mốc thời gian"},
    "quote": "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025.",
    "doc_hash": "sha256:0123abcd",
}


def make_item(kind: str = "multichoice", **changes: Any) -> QuizItem:
    """A valid item of ``kind`` (Vietnamese), with ``changes`` applied."""
    data: dict[str, Any] = {"type": kind, "language": "vi", "citation": CITATION, "explanation": "Theo mục 1.2."}
    if kind == "multichoice":
        data |= {
            "stem": "Giai đoạn cấp bách kéo dài đến ngày nào?",
            "options": [
                {"text": "15/6/2025"},
                {"text": "30/6/2025", "correct": True},
                {"text": "15/7/2025"},
                {"text": "31/12/2025"},
            ],
        }
    elif kind == "truefalse":
        data |= {"stem": "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025.", "truth": True}
    elif kind == "shortanswer":
        data |= {"stem": "Số hiệu của Kế hoạch là gì?", "answers": ["02-KH/BCĐTW", "02-KH/BCDTW"]}
    elif kind == "numerical":
        data |= {"stem": "Có bao nhiêu phường?", "value": 16.0, "tolerance": 0.0}
    else:
        data |= {
            "stem": "Nối mỗi giai đoạn với mốc kết thúc.",
            "pairs": [
                {"left": "Giai đoạn cấp bách", "right": "30/6/2025"},
                {"left": "Giai đoạn đột phá", "right": "31/12/2025"},
                {"left": "Giai đoạn ổn định", "right": "2030"},
            ],
        }
    data.update(changes)
    return QuizItem(**data)
