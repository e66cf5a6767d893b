"""The Gradio app: a side panel and six tabs, each built by its own module; and how it is launched."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.settings import Settings
from assistant.web.access import authenticator, check_binding
from assistant.web.chat import build_chat_tab
from assistant.web.corpus import build_corpus_tab
from assistant.web.eval_tab import build_eval_tab
from assistant.web.feedback_tab import build_feedback_tab
from assistant.web.glance_tab import build_glance_tab
from assistant.web.gradio_texts import head_script
from assistant.web.i18n import normalize, t
from assistant.web.labels import Relabeler
from assistant.web.quiz_tab import build_quiz_tab
from assistant.web.services import Services, build_services
from assistant.web.sidebar import build_sidebar, refresh_updates, wire_sidebar

CSS_PATH = Path(__file__).with_name("style.css")


def theme() -> gr.themes.Base:
    """Gradio's default look, with font faces that hold every letter of the interface.

    Gradio 6 ships ``SourceSansPro-SemiBold.woff2`` (the default theme's weight 600, used by
    headings, bold text and labels) as a 55-glyph subset: space, ``A``, ``B`` and some Cyrillic.
    In bold text those two capitals came from Source Sans while every other letter fell back to
    another font with taller capitals, so "02-KH/BCĐTW" read "02-KH/ʙCĐTW". The complete Bold face
    (and IBM Plex Mono's complete faces) are used instead: weight 600 resolves to 700.
    """
    return gr.themes.Default(
        font=(gr.themes.LocalFont("Source Sans Pro", weights=(400, 700)), "ui-sans-serif", "system-ui", "sans-serif"),
        font_mono=(gr.themes.LocalFont("IBM Plex Mono", weights=(400, 700)), "ui-monospace", "Consolas", "monospace"),
    )


def build_app(settings: Settings, services: Services | None = None) -> gr.Blocks:
    """The whole interface over ``settings`` (nothing is loaded until the first request needs it)."""
    services = services or build_services(settings)
    labels = Relabeler()
    lang0 = settings.web.language
    with gr.Blocks(title="Plan 02 Assistant", fill_width=False, analytics_enabled=False) as demo:
        controls = build_sidebar(services, labels)
        labels.add(gr.Markdown(t(lang0, "app.title"), elem_id="title"), value="app.title")
        labels.add(gr.Markdown(t(lang0, "app.subtitle"), elem_id="subtitle"), value="app.subtitle")
        with gr.Tabs():
            with labels.add(gr.Tab(t(lang0, "tab.chat"), id="chat"), label="tab.chat"):
                build_chat_tab(services, labels, controls)
            with labels.add(gr.Tab(t(lang0, "tab.glance"), id="glance"), label="tab.glance") as glance_tab:
                build_glance_tab(services, labels, controls, glance_tab)
            with labels.add(gr.Tab(t(lang0, "tab.quiz"), id="quiz"), label="tab.quiz") as quiz_tab:
                build_quiz_tab(services, labels, controls, quiz_tab)
            with labels.add(gr.Tab(t(lang0, "tab.corpus"), id="corpus"), label="tab.corpus") as corpus_tab:
                corpus = build_corpus_tab(services, labels, controls.lang)
            with labels.add(gr.Tab(t(lang0, "tab.feedback"), id="feedback"), label="tab.feedback") as feedback_tab:
                feedback = build_feedback_tab(services, labels, controls.lang)
            with labels.add(gr.Tab(t(lang0, "tab.eval"), id="eval"), label="tab.eval") as eval_tab:
                evaluation = build_eval_tab(services, labels, controls)
        wire_sidebar(services, controls)

        def on_tab(tab: Any):
            def opened(lang: str, request: gr.Request) -> dict[Any, Any]:
                return tab.refresh(services, normalize(lang), request.username)

            return opened

        corpus_tab.select(on_tab(corpus), controls.lang, corpus.outputs, api_name=False)
        feedback_tab.select(on_tab(feedback), controls.lang, feedback.outputs, api_name=False)
        eval_tab.select(on_tab(evaluation), controls.lang, evaluation.outputs, api_name=False)

        def refresh(values: dict[Any, Any], request: gr.Request) -> dict[Any, Any]:
            lang, backend = normalize(values[controls.lang]), values[controls.backend]
            return {
                **refresh_updates(services, controls, lang, backend),
                **corpus.refresh(services, lang, request.username),
                **feedback.refresh(services, lang, request.username),
                **evaluation.refresh(services, lang, request.username),
            }

        refreshed = [
            controls.documents, controls.doc_types, controls.languages, controls.versions, *corpus.outputs, *feedback.outputs,
            *evaluation.outputs,
        ]  # fmt: skip
        inputs = {controls.lang, controls.backend}
        demo.load(refresh, inputs, refreshed, api_name=False)
        for event in corpus.changed:
            event.then(refresh, inputs, refreshed, api_name=False)

        def relabel(values: dict[Any, Any], request: gr.Request) -> dict[Any, Any]:
            """Every label in the new language, merged with fresh tables and choices (one update per component)."""
            lang = normalize(values[controls.lang])
            merged = {c: dict(props) for c, props in zip(labels.components, labels.values(lang), strict=True)}
            for component, update in refresh(values, request).items():
                props = _props(update)
                merged.setdefault(component, {}).update(props)
            return {component: gr.update(**props) for component, props in merged.items()}

        relabelled = list(dict.fromkeys([*labels.components, *refreshed]))
        controls.on_change("lang", relabel, inputs, relabelled, queue=False)
        controls.wire_changes()
    return demo


def _props(update: Any) -> dict[str, Any]:
    """The properties of a ``gr.update(...)`` dict, or ``{"value": x}`` for a plain value."""
    if isinstance(update, dict) and update.get("__type__") == "update":
        return {key: value for key, value in update.items() if key != "__type__"}
    return {"value": update}


def launch(demo: gr.Blocks, services: Services, host: str, port: int, **kwargs: Any) -> None:
    """Serve ``demo`` on ``host:port``, refusing a non-loopback address without users.

    The models load in the background meanwhile, so the first question does not wait for them.
    """
    settings = services.settings
    check_binding(host, settings.web)
    threading.Thread(target=services.warm_up, name="warm-up", daemon=True).start()
    auth = authenticator(settings.web)
    # Gradio sums up its queue's events with pandas after each one, in worker threads, for its monitoring
    # page (off here). Under pandas 3 two such sums at once can raise "dictionary changed size during
    # iteration" inside pandas' option_context, and the event that hits it fails mid-answer. Summing once
    # per billion events turns the race off; a deployment can still set the variable itself.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(10**9))
    demo.queue(default_concurrency_limit=settings.web.concurrency, max_size=200)
    demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message=t(settings.web.language, "app.subtitle") if auth else None,
        css_paths=[CSS_PATH],
        theme=theme(),
        head=head_script(settings.web.language),  # Gradio's own strings in the interface language
        allowed_paths=[str(settings.web.eval_runs_dir)],  # the Evaluation tab's plots and downloads
        # Twice the upload limit: files just over it get the app's own, translated message.
        max_file_size=int(settings.web.max_upload_mb * 2 * 1024 * 1024),
        enable_monitoring=False,
        run_history=False,
        show_error=True,
        footer_links=[],
        ssr_mode=False,
        **kwargs,
    )
