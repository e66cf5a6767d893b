"""The evaluation tab (admins): run a question set through the chat's pipeline, see the report, download it.

Each run writes into a fresh folder under ``web.eval_runs_dir`` (the files of
:func:`~assistant.evaluation.session.evaluate_set` plus the question set used), so
earlier runs stay available as baselines next to those in ``<web.evals_dir>/baselines``.
What is shown is built by :mod:`assistant.web.eval_view` (no Gradio there).
"""

from __future__ import annotations

import shutil
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import gradio as gr

from assistant.errors import AssistantError, IndexEmpty
from assistant.evaluation.compare import load_baseline
from assistant.evaluation.session import evaluate_set
from assistant.web.access import is_admin
from assistant.web.eval_view import (
    THRESHOLD,
    SetRejected,
    baselines,
    check_question_set,
    download_files,
    failing_table,
    flipped_table,
    judge_reporter,
    metrics_table,
    new_run_dir,
    plot_items,
    progress_reporter,
    prune_runs,
    question_sets,
    regression_banner,
    status_html,
    summary,
)  # fmt: skip
from assistant.web.i18n import normalize, t
from assistant.web.labels import Relabeler
from assistant.web.services import Services
from assistant.web.sidebar import Controls


class _Slotted:
    """The shared assistant, asking each question in a slot of its kind, as the chat does.

    A local model is left to :meth:`Assistant.stream`'s own lock: the chat takes that lock
    before ``generation_lock``, so taking them the other way round here could deadlock.
    """

    def __init__(self, services: Services, bot: Any) -> None:
        self._services, self._bot = services, bot

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bot, name)

    def ask(self, question: str) -> Any:
        mode = self._bot.mode
        with nullcontext() if mode == "local" else self._services.generating(mode):
            return self._bot.ask(question)


# -- the tab --------------------------------------------------------------------------------------


@dataclass
class EvalTab:
    set_choice: gr.Dropdown
    baseline_choice: gr.Dropdown
    box: gr.Column
    note: gr.Markdown

    @property
    def outputs(self) -> list[Any]:
        return [self.set_choice, self.baseline_choice, self.box, self.note]

    def refresh(self, services: Services, lang: str, username: str | None) -> dict[Any, Any]:
        admin, web = is_admin(services.settings.web, username), services.settings.web
        return {
            self.set_choice: gr.update(choices=question_sets(web.evals_dir) if admin else []),
            self.baseline_choice: gr.update(choices=list(baselines(web.evals_dir, web.eval_runs_dir)) if admin else []),
            self.box: gr.update(visible=admin),
            self.note: gr.update(visible=not admin),
        }


def build_eval_tab(services: Services, labels: Relabeler, controls: Controls) -> EvalTab:
    web, lang0 = services.settings.web, services.settings.web.language
    sets0 = question_sets(web.evals_dir)
    labels.add(gr.Markdown(t(lang0, "eval.intro")), value="eval.intro")
    note = labels.add(gr.Markdown(t(lang0, "eval.admin_only"), visible=False), value="eval.admin_only")
    with gr.Column(visible=False, elem_id="eval-admin") as box:
        with gr.Row():
            set_choice = labels.add(gr.Dropdown(sets0, value=sets0[0] if sets0 else None, label=t(lang0, "eval.set"),
                                                scale=2, elem_id="eval-set"), label="eval.set")  # fmt: skip
            baseline_choice = labels.add(gr.Dropdown([], value=None, label=t(lang0, "eval.baseline"), scale=2,
                                                     elem_id="eval-baseline"), label="eval.baseline")  # fmt: skip
        upload = labels.add(
            gr.File(label=t(lang0, "eval.upload", mb=web.max_upload_mb), file_types=[".jsonl"], type="filepath",
                    elem_id="eval-upload"),
            label=lambda lg: t(lg, "eval.upload", mb=web.max_upload_mb),
        )  # fmt: skip
        labels.add(gr.Markdown(t(lang0, "eval.backend_hint")), value="eval.backend_hint")
        run = labels.add(gr.Button(t(lang0, "eval.run"), variant="primary", elem_id="eval-run"), value="eval.run")
        status = gr.HTML(elem_id="eval-status")
        with gr.Column(visible=False, elem_id="eval-results") as results:
            banner = gr.HTML(elem_id="eval-banner")
            metrics = gr.HTML(elem_id="eval-metrics")
            plots = labels.add(gr.Gallery(label=t(lang0, "eval.plots"), columns=3, format="png", object_fit="contain",
                                          height="auto", elem_id="eval-plots"),
                               label="eval.plots")  # fmt: skip
            failing = gr.HTML(elem_id="eval-failing")
            flipped = gr.HTML(elem_id="eval-flipped")
            files = labels.add(gr.File(label=t(lang0, "eval.downloads"), file_count="multiple", interactive=False,
                                       elem_id="eval-downloads"), label="eval.downloads")  # fmt: skip
    tab = EvalTab(set_choice, baseline_choice, box, note)
    shown = [results, banner, metrics, plots, failing, flipped, files]

    def on_upload(path: str | None, lang: str, request: gr.Request) -> str:
        lang = normalize(lang)
        _require_admin(services, lang, request)
        if not path:
            return ""
        try:
            questions = check_question_set(Path(path), Path(path).name, web.max_upload_mb, lang)
        except SetRejected as exc:
            return status_html(str(exc))
        return status_html(t(lang, "eval.set_ok", name=Path(path).name, n=len(questions)))

    def on_run(
        set_name: str | None,
        uploaded: str | None,
        baseline_key: str | None,
        lang: str,
        backend: str,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),
    ) -> dict[Any, Any]:  # noqa: B008 - Gradio's idiom
        lang = normalize(lang)
        _require_admin(services, lang, request)
        hidden = {results: gr.update(visible=False)}
        if uploaded:
            path, name = Path(uploaded), Path(uploaded).name
        elif set_name in question_sets(web.evals_dir):
            path, name = web.evals_dir / cast(str, set_name), cast(str, set_name)
        else:
            return {**hidden, status: status_html(t(lang, "eval.no_set"))}
        baseline = baselines(web.evals_dir, web.eval_runs_dir).get(baseline_key or "")
        try:
            questions = check_question_set(path, name, web.max_upload_mb, lang)
            if baseline is not None:
                load_baseline(baseline)  # fail before answering, not after
        except SetRejected as exc:
            return {**hidden, status: status_html(str(exc))}
        except (OSError, ValueError, KeyError) as exc:
            return {**hidden, status: status_html(t(lang, "eval.bad_baseline", name=baseline_key, error=exc))}
        report = progress_reporter(progress, lang)
        report(0, len(questions), None)
        try:
            bot = services.assistant(backend)
            output = new_run_dir(web.eval_runs_dir, name, bot.mode)
            prune_runs(web.eval_runs_dir, web.eval_runs_keep)  # the new run is the newest: it stays
            shutil.copyfile(path, output / "questions.jsonl")  # the set as run, next to its results
            outcome = evaluate_set(cast(Any, _Slotted(services, bot)), questions, output, baseline, THRESHOLD, report,
                                   judge_reporter(progress, lang))  # fmt: skip
        except IndexEmpty:
            return {**hidden, status: status_html(t(lang, "eval.empty_index"))}
        except (AssistantError, OSError, ValueError) as exc:
            return {**hidden, status: status_html(t(lang, "eval.failed", error=exc))}
        return {
            status: summary(lang, outcome, name, output),
            results: gr.update(visible=True),
            banner: regression_banner(lang, outcome),
            metrics: metrics_table(lang, outcome),
            plots: plot_items(lang, output),
            failing: failing_table(lang, outcome.run),
            flipped: flipped_table(lang, outcome.comparison),
            files: download_files(output),
            baseline_choice: gr.update(choices=list(baselines(web.evals_dir, web.eval_runs_dir))),
        }

    upload.upload(on_upload, [upload, controls.lang], status, api_name=False)
    run.click(
        on_run, [set_choice, upload, baseline_choice, controls.lang, controls.backend], [status, *shown, baseline_choice],
        api_name=False, concurrency_id="eval", concurrency_limit=1,
        show_progress_on=[status],  # one progress bar, not one on each visible output
    )  # fmt: skip
    return tab


def _require_admin(services: Services, lang: str, request: gr.Request) -> None:
    if not is_admin(services.settings.web, request.username):
        raise gr.Error(t(lang, "access.denied"))
