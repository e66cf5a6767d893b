"""The quiz tab's review form, without Gradio: what it shows for one item, and the changes it asks for.

:func:`edit_form` fills an :class:`EditForm` from an item (which fields show depends on its type);
:func:`changes_from_form` reads the trainer's input back into the fields :meth:`QuizSession.edit`
takes; :func:`after_edit` moves the "kept despite failed checks" mark with an edited item.
:mod:`assistant.web.quiz_form` holds the Gradio components.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from assistant.quiz.items import MULTICHOICE_OPTIONS, DropReason, QuizItem
from assistant.quiz.numbers import format_number, parse_number
from assistant.quiz.session import EditResult
from assistant.web.i18n import t

LETTERS: Final[str] = "ABCD"
ARROWS: Final[tuple[str, ...]] = ("→", "->", "=>")
# Items the trainer kept although their checks failed: item id -> what the checks found.
Forced = Mapping[str, Sequence[DropReason]]


@dataclass
class EditForm:
    """The review form of one item: which fields show, and their values."""

    stem: str = ""
    options: list[str] = field(default_factory=lambda: [""] * MULTICHOICE_OPTIONS)
    key_choices: list[tuple[str, str]] = field(default_factory=list)
    key: str | None = None
    lines: str = ""
    lines_label: str = ""  # a text key: accepted answers, or matching pairs
    value: str = ""
    tolerance: str = ""
    explanation: str = ""
    kind: str | None = None

    @property
    def shows_options(self) -> bool:
        return self.kind == "multichoice"

    @property
    def shows_key(self) -> bool:
        return self.kind in {"multichoice", "truefalse"}

    @property
    def shows_lines(self) -> bool:
        return self.kind in {"shortanswer", "matching"}

    @property
    def shows_number(self) -> bool:
        return self.kind == "numerical"


def key_choices(lang: str, kind: str | None) -> list[tuple[str, str]]:
    if kind == "multichoice":
        return [(letter, letter) for letter in LETTERS]
    if kind == "truefalse":
        return [(t(lang, "quiz.true"), "true"), (t(lang, "quiz.false"), "false")]
    return []


def edit_form(lang: str, item: QuizItem | None) -> EditForm:
    """The form filled with ``item`` (an empty, hidden form for None)."""
    if item is None:
        return EditForm()
    form = EditForm(
        stem=item.stem, explanation=item.explanation, kind=item.type, key_choices=key_choices(lang, item.type)
    )
    if item.type == "multichoice":
        form.options = [option.text for option in item.options]
        form.key = next(letter for letter, option in zip(LETTERS, item.options, strict=False) if option.correct)
    elif item.type == "truefalse":
        form.key = "true" if item.truth else "false"
    elif item.type == "shortanswer":
        form.lines, form.lines_label = "\n".join(item.answers), "quiz.edit.answers"
    elif item.type == "numerical":
        assert item.value is not None and item.tolerance is not None  # set by the model
        form.value, form.tolerance = format_number(item.value), format_number(item.tolerance)
    else:
        form.lines, form.lines_label = "\n".join(f"{p.left} → {p.right}" for p in item.pairs), "quiz.edit.pairs"
    return form


class FormError(Exception):
    """A review form that cannot be read; ``key`` and ``values`` make the message in the interface language."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key, self.values = key, values
        super().__init__(key)


def _split_pair(line: str, number: int) -> dict[str, str]:
    for arrow in ARROWS:
        left, found, right = line.rpartition(arrow)
        if found:
            return {"left": left.strip(), "right": right.strip()}
    raise FormError("quiz.check.no_arrow", line=number)


def changes_from_form(item: QuizItem, stem: str | None, options: Sequence[str | None], key: str | None,
                      lines: str | None, value: str | None, tolerance: str | None,
                      explanation: str | None) -> dict[str, Any]:  # fmt: skip
    """The fields of ``item`` the form sets (for :meth:`QuizSession.edit`): the stem and explanation, and the
    options and key, accepted answers, number and tolerance, or pairs, as the item's type has them.

    An option keeps its feedback while its text is unchanged. Raises ``FormError`` for a pair without an
    arrow, ``QuizItemError`` (naming the field) for a number that is not one.
    """
    changes: dict[str, Any] = {"stem": stem or "", "explanation": explanation or ""}
    if item.type == "multichoice":
        texts = [(text or "").strip() for text in options]
        changes["options"] = [
            {"text": text, "correct": letter == key,
             "feedback": old.feedback if text == old.text else ""}
            for letter, text, old in zip(LETTERS, texts, item.options, strict=False)
        ]  # fmt: skip
    elif item.type == "truefalse":
        changes["truth"] = key == "true"
    elif item.type == "shortanswer":
        changes["answers"] = [line.strip() for line in (lines or "").splitlines() if line.strip()]
    elif item.type == "numerical":
        changes["value"] = parse_number((value or "").strip(), item.language, field="value")
        changes["tolerance"] = parse_number((tolerance or "0").strip() or "0", item.language, field="tolerance")
    else:
        rows = [(n, line) for n, line in enumerate((lines or "").splitlines(), start=1) if line.strip()]
        changes["pairs"] = [_split_pair(line, n) for n, line in rows]
    return changes


def after_edit(forced: Forced, old_id: str, result: EditResult) -> dict[str, list[DropReason]]:
    """The forced items after an edit: an applied edit moves the mark to the revised item when it still
    fails a check, and lifts it when it passes; a refused edit changes nothing."""
    marks = {item_id: list(problems) for item_id, problems in forced.items()}
    if result.applied:
        marks.pop(old_id, None)
        if result.problems:
            marks[result.item.id] = list(result.problems)
    return marks
