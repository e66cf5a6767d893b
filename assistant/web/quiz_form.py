"""The quiz tab's review form: the Gradio components that edit one item, filled from and read into
:class:`~assistant.web.quiz_edit.EditForm` (what the form shows is decided there, without Gradio)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.quiz.items import QuizItem
from assistant.web.i18n import t
from assistant.web.labels import Relabeler
from assistant.web.quiz_edit import LETTERS, EditForm, edit_form, key_choices


@dataclass
class QuizForm:
    """The review form's components."""

    box: gr.Column
    stem: gr.Textbox
    options_box: gr.Column
    options: list[gr.Textbox]
    key: gr.Radio
    lines: gr.Textbox
    number_box: gr.Row
    value: gr.Textbox
    tolerance: gr.Textbox
    explanation: gr.Textbox
    force: gr.Checkbox

    @property
    def inputs(self) -> list[Any]:
        return [self.stem, *self.options, self.key, self.lines, self.value, self.tolerance, self.explanation]

    def read(self, values: dict[Any, Any]) -> tuple[Any, ...]:
        """What the trainer typed, as :func:`~assistant.web.quiz_edit.changes_from_form` takes it."""
        return (values[self.stem], [values[box] for box in self.options], values[self.key], values[self.lines],
                values[self.value], values[self.tolerance], values[self.explanation])  # fmt: skip

    @property
    def outputs(self) -> list[Any]:
        return [self.box, self.stem, self.options_box, *self.options, self.key, self.lines, self.number_box,
                self.value, self.tolerance, self.explanation, self.force]  # fmt: skip

    def fill(self, lang: str, form: EditForm) -> dict[Any, Any]:
        """The form showing ``form`` (hidden when no item is picked); the force box unticked."""
        return {
            self.box: gr.update(visible=form.kind is not None),
            self.stem: form.stem,
            self.options_box: gr.update(visible=form.shows_options),
            **{box: text for box, text in zip(self.options, form.options, strict=True)},
            self.key: gr.update(choices=form.key_choices, value=form.key, visible=form.shows_key),
            self.lines: gr.update(value=form.lines, visible=form.shows_lines, **self._lines_label(lang, form)),
            self.number_box: gr.update(visible=form.shows_number),
            self.value: form.value,
            self.tolerance: form.tolerance,
            self.explanation: form.explanation,
            self.force: False,
        }

    def relabel(self, lang: str, item: QuizItem | None) -> dict[Any, Any]:
        """The language-dependent parts only (the trainer's unsaved text stays)."""
        form = edit_form(lang, item)
        return {
            self.key: gr.update(choices=key_choices(lang, form.kind)),
            self.lines: gr.update(**self._lines_label(lang, form)),
        }

    @staticmethod
    def _lines_label(lang: str, form: EditForm) -> dict[str, str]:
        return {"label": t(lang, form.lines_label)} if form.lines_label else {}


def build_form(lang0: str, labels: Relabeler) -> QuizForm:
    with gr.Column(visible=False, elem_id="quiz-editor") as box:
        stem = labels.add(gr.Textbox(label=t(lang0, "quiz.edit.stem"), lines=3, elem_id="quiz-edit-stem"),
                          label="quiz.edit.stem")  # fmt: skip
        with gr.Column(visible=False, elem_id="quiz-edit-options") as options_box:
            options = [
                labels.add(gr.Textbox(label=t(lang0, "quiz.edit.option", letter=letter), max_lines=3,
                                      elem_id=f"quiz-edit-option-{letter}"),
                           label=lambda lg, letter=letter: t(lg, "quiz.edit.option", letter=letter))
                for letter in LETTERS
            ]  # fmt: skip
        key = labels.add(gr.Radio([], label=t(lang0, "quiz.edit.key"), visible=False, elem_id="quiz-edit-key"),
                         label="quiz.edit.key")  # fmt: skip
        lines = gr.Textbox(label=t(lang0, "quiz.edit.answers"), lines=4, visible=False, elem_id="quiz-edit-lines")
        with gr.Row(visible=False, elem_id="quiz-edit-number") as number_box:
            value = labels.add(gr.Textbox(label=t(lang0, "quiz.edit.value"), elem_id="quiz-edit-value"),
                               label="quiz.edit.value")  # fmt: skip
            tolerance = labels.add(gr.Textbox(label=t(lang0, "quiz.edit.tolerance"), elem_id="quiz-edit-tolerance"),
                                   label="quiz.edit.tolerance")  # fmt: skip
        explanation = labels.add(
            gr.Textbox(label=t(lang0, "quiz.edit.explanation"), lines=3, elem_id="quiz-edit-explanation"),
            label="quiz.edit.explanation",
        )
        force = labels.add(gr.Checkbox(False, label=t(lang0, "quiz.force"), elem_id="quiz-force"), label="quiz.force")
    return QuizForm(box, stem, options_box, options, key, lines, number_box, value, tolerance, explanation, force)
