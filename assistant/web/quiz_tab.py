"""The Quiz tab (Câu hỏi ôn tập): build a checked quiz from the corpus, review it, download it.

For every signed-in user (trainers are ordinary users), like the At a glance tab. The trainer chooses the
material (documents, a document type, a topic query), the number of items, the types, the quiz language,
the difficulty and the seed, and may have the language model chosen in the side panel reword the stems
(offered only when a model is chosen; every rewording is checked like any item, and one that fails keeps
the template's wording); :class:`~assistant.quiz.session.QuizSession` builds the quiz with a progress
bar and keeps it for the review in the browser session: edit an item (checked again; an item that fails
is kept only when the trainer forces it, and is then marked), discard it, regenerate it. After every
change the quiz is written in every export format (:func:`assistant.quiz.export.export`) with its quality
report, ready to download. What is shown is built by :mod:`assistant.web.quiz_view` (no Gradio there).
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.quiz.errors import QuizItemError, QuizRequestError
from assistant.quiz.export import FORMATS
from assistant.quiz.generate import builder_for
from assistant.quiz.items import ITEM_TYPES
from assistant.quiz.request import MAX_ITEMS
from assistant.quiz.session import QuizSession
from assistant.web.access import login_required
from assistant.web.i18n import normalize, t
from assistant.web.labels import Relabeler
from assistant.web.quiz_edit import EditForm, FormError, after_edit, changes_from_form, edit_form
from assistant.web.quiz_form import build_form
from assistant.web.quiz_review import Review, forget, write_downloads
from assistant.web.quiz_view import (
    check_html,
    difficulty_choices,
    invalid_html,
    item_choices,
    items_html,
    language_choices,
    message_html,
    report_html,
    reporting,
    request_from_form,
    type_choices,
)  # fmt: skip
from assistant.web.services import Services
from assistant.web.sidebar import Controls, document_choices
from assistant.web.sidebar import type_choices as doc_type_choices

DEFAULT_ITEMS = 10
# After an item is picked, it is scrolled into view in the list.
SHOW_PICKED = "() => document.querySelector('#quiz-items .p2-quiz-picked')?.scrollIntoView({block: 'nearest'})"


def polish_props(lang: str, backend: str) -> dict[str, Any]:
    """The label, hint and state of the box asking the language model to reword the stems: offered only when
    the side panel's backend has a model (not the extractive one)."""
    on = backend != "none"
    return {"label": t(lang, "quiz.polish"), "info": t(lang, "quiz.polish_info" if on else "quiz.polish_off"),
            "interactive": on}  # fmt: skip


def signed_in(services: Services, username: str | None) -> bool:
    """Anyone the app let in: the local user without login, else a signed-in user (trainers are users)."""
    return not login_required(services.settings.web) or username is not None


def build_quiz_tab(services: Services, labels: Relabeler, controls: Controls, tab: gr.Tab) -> None:
    """The tab's components and events; ``tab`` is the ``gr.Tab`` they are in (its opening lists the documents)."""
    lang0 = services.settings.web.language
    review_state = gr.State(None, delete_callback=forget)  # Review | None
    labels.add(gr.Markdown(t(lang0, "quiz.intro")), value="quiz.intro")
    with gr.Row():
        documents = labels.add(gr.Dropdown([], multiselect=True, label=t(lang0, "quiz.documents"), scale=3,
                                           elem_id="quiz-documents"), label="quiz.documents")  # fmt: skip
        doc_type = labels.add(gr.Dropdown([(t(lang0, "quiz.all_types"), "")], value="", label=t(lang0, "quiz.doc_type"),
                                          scale=1, elem_id="quiz-doc-type"), label="quiz.doc_type")  # fmt: skip
        topic = labels.add(
            gr.Textbox(label=t(lang0, "quiz.topic"), placeholder=t(lang0, "quiz.topic_hint"), scale=2,
                       elem_id="quiz-topic"),
            label="quiz.topic", placeholder="quiz.topic_hint",
        )  # fmt: skip
    with gr.Row():
        count = labels.add(gr.Number(DEFAULT_ITEMS, label=t(lang0, "quiz.items"), minimum=1, maximum=MAX_ITEMS,
                                     precision=0, elem_id="quiz-count"), label="quiz.items")  # fmt: skip
        seed = labels.add(gr.Number(0, label=t(lang0, "quiz.seed"), precision=0, elem_id="quiz-seed"),
                          label="quiz.seed")  # fmt: skip
        language = labels.add(
            gr.Radio(language_choices(lang0), value="vi", label=t(lang0, "quiz.language"), elem_id="quiz-language"),
            label="quiz.language", choices=language_choices,
        )  # fmt: skip
        difficulty = labels.add(
            gr.Radio(difficulty_choices(lang0), value="medium", label=t(lang0, "quiz.difficulty"),
                     elem_id="quiz-difficulty"),
            label="quiz.difficulty", choices=difficulty_choices,
        )  # fmt: skip
    types = labels.add(
        gr.CheckboxGroup(type_choices(lang0), value=list(ITEM_TYPES), label=t(lang0, "quiz.types"),
                         elem_id="quiz-types"),
        label="quiz.types", choices=type_choices,
    )  # fmt: skip
    # Relabelled with the side panel's backend (see polish_update), not by ``labels``.
    polish = gr.Checkbox(False, elem_id="quiz-polish", **polish_props(lang0, services.default_backend))
    build = labels.add(gr.Button(t(lang0, "quiz.build"), variant="primary", elem_id="quiz-build"), value="quiz.build")
    status = gr.HTML(elem_id="quiz-status")
    with gr.Column(visible=False, elem_id="quiz-results") as results:
        with gr.Row():
            with gr.Column(scale=3):
                labels.add(gr.Markdown(f"#### {t(lang0, 'quiz.items_title')}"),
                           value=lambda lg: f"#### {t(lg, 'quiz.items_title')}")  # fmt: skip
                items_view = gr.HTML(elem_id="quiz-items")
            with gr.Column(scale=2, elem_id="quiz-review"):
                labels.add(gr.Markdown(t(lang0, "quiz.review_title")), value="quiz.review_title")
                pick = labels.add(gr.Dropdown([], label=t(lang0, "quiz.pick"), elem_id="quiz-pick"), label="quiz.pick")
                form = build_form(lang0, labels)
                with gr.Row():
                    save = labels.add(gr.Button(t(lang0, "quiz.save"), variant="primary", size="sm",
                                                elem_id="quiz-save"), value="quiz.save")  # fmt: skip
                    discard = labels.add(gr.Button(t(lang0, "quiz.discard"), variant="stop", size="sm",
                                                   elem_id="quiz-discard"), value="quiz.discard")  # fmt: skip
                    regenerate = labels.add(gr.Button(t(lang0, "quiz.regenerate"), size="sm",
                                                      elem_id="quiz-regenerate"), value="quiz.regenerate")  # fmt: skip
                check = gr.HTML(elem_id="quiz-check")
        report_view = gr.HTML(elem_id="quiz-report")
        labels.add(gr.Markdown(t(lang0, "quiz.downloads")), value="quiz.downloads")
        with gr.Row(elem_id="quiz-downloads"):
            downloads = {
                fmt: labels.add(gr.DownloadButton(t(lang0, f"quiz.download.{fmt}"), size="sm", interactive=False,
                                                  elem_id=f"quiz-download-{fmt}"), label=f"quiz.download.{fmt}")
                for fmt in FORMATS
            }  # fmt: skip
        report_files = labels.add(gr.File(label=t(lang0, "quiz.report_files"), file_count="multiple",
                                          interactive=False, elem_id="quiz-report-files"),
                                  label="quiz.report_files")  # fmt: skip
        export_note = gr.HTML(elem_id="quiz-export-note")

    shown = [items_view, report_view, pick, *downloads.values(), report_files, export_note]

    def view(review: Review, lang: str, picked: str | None, *, fill: bool = True) -> dict[Any, Any]:
        """The items, the report, the review choices and the downloads of ``review``; the form filled with
        ``picked`` (or the first item) when ``fill``."""
        quiz = review.session.quiz
        if review.item(picked) is None:
            picked = quiz.items[0].id if quiz.items else None
        files = write_downloads(review)
        flaws = review.session.quiz_flaws()
        updates = {
            results: gr.update(visible=True),
            items_view: items_html(lang, quiz, review.forced, picked),
            report_view: report_html(lang, quiz, flaws, review.forced, review.session.seconds),
            pick: gr.update(choices=item_choices(lang, quiz, review.forced), value=picked),
            **{button: gr.update(value=files.files.get(fmt), interactive=fmt in files.files)
               for fmt, button in downloads.items()},
            report_files: files.report,
            export_note: files.notes(lang),
        }  # fmt: skip
        if fill:
            updates.update(form.fill(lang, edit_form(lang, review.item(picked))))
        return updates

    def polish_update(lang: str, backend: str | None) -> Any:
        """The polish box in ``lang``: offered only with a language model (unticked without one)."""
        props = polish_props(normalize(lang), backend or services.default_backend)
        return gr.update(**props) if props["interactive"] else gr.update(value=False, **props)

    def require(lang: str, request: gr.Request) -> None:
        if not signed_in(services, request.username):
            raise gr.Error(t(lang, "access.denied"))

    def on_open(lang: str, current: str | None) -> dict[Any, Any]:
        lang = normalize(lang)
        try:
            records = services.documents()
        except AssistantError as exc:
            return {status: message_html(t(lang, "quiz.error", error=exc), ok=False)}
        kinds = doc_type_choices(lang, records)
        kept = current if current in {value for _, value in kinds} else ""
        return {
            documents: gr.update(choices=document_choices(records)),
            doc_type: gr.update(choices=[(t(lang, "quiz.all_types"), ""), *kinds], value=kept),
        }

    def on_build(values: dict[Any, Any], request: gr.Request, progress: gr.Progress = gr.Progress()) -> dict[Any, Any]:
        lang = normalize(values[controls.lang])
        require(lang, request)
        backend = values[controls.backend] or services.default_backend
        polishing = bool(values[polish]) and backend != "none"
        try:
            quiz_request = request_from_form(*(values[c] for c in material), llm=polishing)
        except QuizRequestError as exc:
            return {status: message_html(t(lang, "quiz.bad_request", field=exc.field, reason=exc.reason), ok=False)}
        except ValueError:
            return {status: message_html(t(lang, "quiz.bad_count"), ok=False)}
        progress(0, desc=t(lang, "quiz.progress.facts"))
        try:
            with services.generating("none"):  # CPU work in this process, as retrieval
                builder = builder_for(services.assistant(backend if polishing else None), quiz_request)
                search = builder.search
                builder.search = reporting(search, lambda: (len(builder.kept), builder.checked), quiz_request.items,
                                           lang, lambda done, line: progress(done, desc=line))  # fmt: skip
                try:
                    builder.run()
                finally:
                    builder.search = search
        except QuizRequestError as exc:
            return {status: message_html(t(lang, "quiz.bad_request", field=exc.field, reason=exc.reason), ok=False)}
        except AssistantError as exc:
            return {status: message_html(t(lang, "quiz.error", error=exc), ok=False)}
        forget(values[review_state])
        review = Review(QuizSession(builder), quiz_request)
        quiz = review.session.quiz
        counts = {"kept": quiz.report.kept, "items": quiz_request.items, "dropped": len(quiz.report.dropped),
                  "seconds": f"{review.session.seconds:.1f}"}  # fmt: skip
        line = t(lang, "quiz.built", **counts) if quiz.items else t(lang, "quiz.none_kept", **counts)
        return {
            review_state: review,
            status: message_html(line, ok=bool(quiz.items)),
            check: "",
            **view(review, lang, None),
        }

    def on_pick(review: Review | None, picked: str | None, lang: str) -> dict[Any, Any]:
        lang = normalize(lang)
        if review is None:
            return form.fill(lang, EditForm())
        quiz = review.session.quiz
        return {
            items_view: items_html(lang, quiz, review.forced, picked),
            check: "",
            **form.fill(lang, edit_form(lang, review.item(picked))),
        }

    def on_save(values: dict[Any, Any], request: gr.Request) -> dict[Any, Any]:
        lang = normalize(values[controls.lang])
        require(lang, request)
        review: Review | None = values[review_state]
        item = review.item(values[pick]) if review else None
        if review is None or item is None:
            return {check: message_html(t(lang, "quiz.check.no_item"), ok=False)}
        with review.lock:
            try:
                changes = changes_from_form(item, *form.read(values))
                with services.generating("none"):
                    result = review.session.edit(item.id, force=bool(values[form.force]), **changes)
            except (FormError, QuizItemError) as exc:
                return {check: invalid_html(lang, exc)}
            except QuizRequestError as exc:  # the item is gone (another tab of the same session)
                return {check: message_html(str(exc), ok=False), **view(review, lang, None)}
            review.forced = after_edit(review.forced, item.id, result)
            if not result.applied:  # the trainer's text stays in the form, to be corrected
                return {check: check_html(lang, result)}
            return {check: check_html(lang, result), **view(review, lang, result.item.id)}

    def next_to(review: Review, item_id: str) -> str | None:
        """The id of the item after ``item_id`` (or before it, for the last one)."""
        ids = [item.id for item in review.session.quiz.items]
        at = ids.index(item_id)
        rest = ids[at + 1 :] or ids[:at][-1:]
        return rest[0] if rest else None

    def on_discard(review: Review | None, picked: str | None, lang: str, request: gr.Request) -> dict[Any, Any]:
        lang = normalize(lang)
        require(lang, request)
        if review is None:
            return {check: message_html(t(lang, "quiz.check.no_item"), ok=False)}
        with review.lock:
            if review.item(picked) is None:
                return {check: message_html(t(lang, "quiz.check.no_item"), ok=False)}
            following = next_to(review, str(picked))
            review.session.discard(str(picked))
            review.forced.pop(str(picked), None)
            return {check: message_html(t(lang, "quiz.discarded")), **view(review, lang, following)}

    def on_regenerate(review: Review | None, picked: str | None, lang: str, request: gr.Request) -> dict[Any, Any]:
        lang = normalize(lang)
        require(lang, request)
        if review is None:
            return {check: message_html(t(lang, "quiz.check.no_item"), ok=False)}
        with review.lock:
            if review.item(picked) is None:
                return {check: message_html(t(lang, "quiz.check.no_item"), ok=False)}
            following = next_to(review, str(picked))
            with services.generating("none"):
                replacement = review.session.regenerate(str(picked))
            review.forced.pop(str(picked), None)
            if replacement is None:
                return {check: message_html(t(lang, "quiz.regenerate_none"), ok=False),
                        **view(review, lang, following)}  # fmt: skip
            return {check: message_html(t(lang, "quiz.regenerated")), **view(review, lang, replacement.id)}

    def relabel(review: Review | None, picked: str | None, lang: str, current: str | None,
                backend: str | None) -> dict[Any, Any]:  # fmt: skip
        lang = normalize(lang)
        updates = {**on_open(lang, current), polish: polish_update(lang, backend)}
        if review is None:
            return updates
        quiz = review.session.quiz
        return {
            **updates,
            items_view: items_html(lang, quiz, review.forced, picked),
            report_view: report_html(lang, quiz, review.session.quiz_flaws(), review.forced, review.session.seconds),
            pick: gr.update(choices=item_choices(lang, quiz, review.forced), value=picked),
            export_note: review.downloads.notes(lang) if review.downloads else "",
            **form.relabel(lang, review.item(picked)),
        }

    material = [documents, doc_type, topic, count, types, language, difficulty, seed]  # request_from_form's order
    built = [review_state, status, check, results, *shown, *form.outputs]
    tab.select(on_open, [controls.lang, doc_type], [status, documents, doc_type], api_name=False)
    build.click(on_build, {*material, polish, review_state, controls.lang, controls.backend}, built, api_name=False,
                show_progress_on=[status])  # one progress bar, not one on each visible output  # fmt: skip
    pick.input(on_pick, [review_state, pick, controls.lang], [items_view, check, *form.outputs], api_name=False).then(
        None, js=SHOW_PICKED
    )
    changed = [check, results, *shown, *form.outputs]
    save.click(on_save, {review_state, pick, *form.inputs, form.force, controls.lang}, changed, api_name=False,
               show_progress_on=[check])  # fmt: skip
    discard.click(on_discard, [review_state, pick, controls.lang], changed, api_name=False, show_progress_on=[check])
    regenerate.click(on_regenerate, [review_state, pick, controls.lang], changed, api_name=False,
                     show_progress_on=[check])  # fmt: skip
    controls.on_change("lang", relabel, [review_state, pick, controls.lang, doc_type, controls.backend],
                       [status, documents, doc_type, polish, items_view, report_view, pick, export_note, form.key,
                        form.lines])  # fmt: skip
    controls.on_change("backend", polish_update, [controls.lang, controls.backend], [polish], queue=False)
