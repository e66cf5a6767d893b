"""The "At a glance" tab (Tổng quan): a timeline of deadlines and phases, a filterable table of
deadlines, responsibilities and targets, each row's sources with the quote highlighted, and downloads.

The facts are read from the index (:meth:`assistant.api.Assistant.facts`) once each time the tab is
opened or *Reload* is pressed, and kept in the session; the filters then choose among them in
memory (:class:`~assistant.facts.select.FactFilter`). What is shown is built by
:mod:`assistant.web.glance_view` (no Gradio there).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.errors import AssistantError
from assistant.facts import export
from assistant.facts.model import Fact
from assistant.facts.render import Progress as RenderProgress
from assistant.facts.select import FactFilter, select
from assistant.web.access import is_admin
from assistant.web.glance_view import (
    Passage,
    caption,
    doc_types,
    evidence_panel,
    kind_choices,
    level_choices,
    table_headers,
    table_rows,
    timeline_figure,
    type_choices,
)  # fmt: skip
from assistant.web.i18n import normalize, t
from assistant.web.labels import Relabeler
from assistant.web.services import Services
from assistant.web.sidebar import Controls

EXPORTS = ("csv", "xlsx", "ics")
# After a row is picked, its sources (under the table) are scrolled into view.
SHOW_PANEL = "() => document.querySelector('#glance-sources')?.scrollIntoView({behavior: 'smooth', block: 'nearest'})"
COLUMN_WIDTHS = ["40px", "100px", "130px", "150px", "110px", "auto", "64px", "48px"]


def chosen(facts: list[Fact], kinds: list[str] | None, levels: list[str] | None, actor: str | None,
           types: list[str] | None, verified_only: bool) -> list[Fact]:  # fmt: skip
    """The facts passing the tab's filters, deadlines first in date order."""
    fact_filter = FactFilter(kinds=list(kinds or []), levels=list(levels or []), actor=(actor or "").strip() or None,
                             doc_types=list(types or []), verified_only=bool(verified_only))  # fmt: skip
    return select(facts, fact_filter)


def passages_for(services: Services, fact: Fact) -> dict[str, Passage]:
    """The indexed chunks the fact's quotes come from, by chunk id (for the highlighted passages)."""
    index = services.assistant(None).index
    found: dict[str, Passage] = {}
    for source, position in dict.fromkeys((e.source, e.chunk_index) for e in fact.evidence):
        for chunk in index.neighbours(source, position, position):
            found[chunk.id] = Passage(chunk.text.strip(), chunk.meta.url)
    return found


def export_files(facts: list[Fact]) -> dict[str, str]:
    """The selection written as CSV, XLSX and ICS, into a folder named after the facts it holds (written once)."""
    digest = hashlib.sha256("\n".join(f.id for f in facts).encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / "plan02-glance" / digest
    folder.mkdir(parents=True, exist_ok=True)
    paths = {fmt: folder / f"plan02-glance.{fmt}" for fmt in EXPORTS}
    for fmt, path in paths.items():
        if not path.exists():
            partial = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.part")  # sessions at once
            export.write(facts, fmt, partial)
            partial.replace(path)
    return {fmt: str(path) for fmt, path in paths.items()}


def render_shown(
    services: Services, backend: str | None, shown: list[str], lang: str, progress: RenderProgress | None = None
) -> str:
    """Word the facts ``shown`` in Vietnamese and English with ``backend``'s model; what was kept and
    dropped, as a line in ``lang`` (the side panel's backend; without a model, a line saying so)."""
    backend = backend or services.default_backend
    if backend == "none":
        return t(lang, "glance.render_off")
    assistant = services.assistant(backend)
    try:
        with services.generating(assistant.mode):
            report = assistant.render_facts(("vi", "en"), progress, only=set(shown))
    except AssistantError as exc:
        raise gr.Error(t(lang, "glance.error", error=exc)) from exc
    if not report.asked and not report.note:
        return t(lang, "glance.render_none")
    line = t(lang, "glance.rendered", asked=report.asked, kept=report.kept, dropped=len(report.dropped))
    return f"{line} {report.note}".strip()


def build_glance_tab(services: Services, labels: Relabeler, controls: Controls, tab: gr.Tab) -> None:
    """The tab's components and events; ``tab`` is the ``gr.Tab`` they are in (its opening loads the facts)."""
    lang0 = services.settings.web.language
    facts_state = gr.State([])  # every fact, as loaded
    shown_state = gr.State([])  # ids of the rows on screen, in order (row "#" n is shown_state[n - 1])
    picked_state = gr.State(None)  # id of the fact whose sources are open
    labels.add(gr.Markdown(t(lang0, "glance.intro")), value="glance.intro")
    with gr.Row():
        refresh = labels.add(gr.Button(t(lang0, "glance.refresh"), size="sm", scale=0, min_width=120,
                                       elem_id="glance-refresh"), value="glance.refresh")  # fmt: skip
        note = gr.Markdown(elem_id="glance-caption")
        render = labels.add(gr.Button(t(lang0, "glance.render"), size="sm", scale=0, min_width=220,
                                      elem_id="glance-render"), value="glance.render")  # fmt: skip
    render_status = gr.Markdown(elem_id="glance-render-status")
    plot = labels.add(gr.Plot(label=t(lang0, "glance.plot"), elem_id="glance-plot"), label="glance.plot")
    with gr.Row():
        kinds = labels.add(
            gr.CheckboxGroup(kind_choices(lang0), label=t(lang0, "glance.filter.kinds"), elem_id="glance-kinds"),
            label="glance.filter.kinds", choices=kind_choices,
        )  # fmt: skip
        levels = labels.add(
            gr.CheckboxGroup(level_choices(lang0), label=t(lang0, "glance.filter.levels"), elem_id="glance-levels"),
            label="glance.filter.levels", choices=level_choices,
        )  # fmt: skip
        actor = labels.add(
            gr.Textbox(label=t(lang0, "glance.filter.actor"), placeholder=t(lang0, "glance.filter.actor_hint"),
                       elem_id="glance-actor"),
            label="glance.filter.actor", placeholder="glance.filter.actor_hint",
        )  # fmt: skip
        types = labels.add(gr.CheckboxGroup([], label=t(lang0, "glance.filter.types"), elem_id="glance-types"),
                           label="glance.filter.types")  # fmt: skip
        verified = labels.add(gr.Checkbox(False, label=t(lang0, "glance.filter.verified"), elem_id="glance-verified"),
                              label="glance.filter.verified")  # fmt: skip
    with gr.Row():
        downloads = {
            fmt: labels.add(gr.DownloadButton(t(lang0, f"glance.download_{fmt}"), size="sm", interactive=False,
                                              elem_id=f"glance-download-{fmt}"), label=f"glance.download_{fmt}")
            for fmt in EXPORTS
        }  # fmt: skip
    table = labels.add(
        gr.Dataframe(pd.DataFrame([], columns=table_headers(lang0)), label=t(lang0, "glance.table"), interactive=False,
                     wrap=True, max_height=520, column_widths=COLUMN_WIDTHS, elem_id="glance-table"),
        label="glance.table",
    )  # fmt: skip
    panel = gr.HTML(evidence_panel(lang0, None), elem_id="glance-sources")

    filters = [kinds, levels, actor, types, verified]
    view_outputs = [plot, note, table, shown_state, panel, *downloads.values()]

    def view(facts: list[Fact], picked: str | None, lang: str, *values: Any) -> dict[Any, Any]:
        lang = normalize(lang)
        rows = chosen(facts, *values)
        fact = next((f for f in rows if f.id == picked), None)
        files = export_files(rows) if rows else {}
        return {
            plot: timeline_figure(lang, rows),
            note: t(lang, "glance.empty") if not facts else caption(lang, rows, len(facts)),
            table: pd.DataFrame(table_rows(lang, rows), columns=table_headers(lang)),
            shown_state: [f.id for f in rows],
            panel: evidence_panel(lang, fact, passages_for(services, fact) if fact else None),
            **{downloads[fmt]: gr.update(value=files.get(fmt), interactive=bool(rows)) for fmt in EXPORTS},
        }

    def types_update(lang: str, facts: list[Fact], current: list[str] | None) -> dict[str, Any]:
        present = doc_types(facts)
        return gr.update(choices=type_choices(lang, present), value=[v for v in current or [] if v in present])

    def load(picked: str | None, lang: str, *values: Any) -> dict[Any, Any]:
        lang = normalize(lang)
        try:
            with services.generating("extractive"):  # CPU work in this process, as retrieval
                facts = services.assistant(None).facts()
        except AssistantError as exc:
            raise gr.Error(t(lang, "glance.error", error=exc)) from exc
        kinds_v, levels_v, actor_v, types_v, verified_v = values
        types_v = [v for v in types_v or [] if v in doc_types(facts)]
        return {
            facts_state: facts,
            types: types_update(lang, facts, types_v),
            **view(facts, picked, lang, kinds_v, levels_v, actor_v, types_v, verified_v),
        }

    def relabel(facts: list[Fact], picked: str | None, lang: str, *values: Any) -> dict[Any, Any]:
        lang = normalize(lang)
        return {types: types_update(lang, facts, values[3]), **view(facts, picked, lang, *values)}

    def pick(facts: list[Fact], shown: list[str], lang: str, evt: gr.SelectData) -> dict[Any, Any]:
        lang = normalize(lang)
        row = evt.row_value or []
        try:
            fact_id = shown[int(row[0]) - 1]
        except (IndexError, TypeError, ValueError):
            return {picked_state: None, panel: evidence_panel(lang, None)}
        fact = next((f for f in facts if f.id == fact_id), None)
        html = evidence_panel(lang, fact, passages_for(services, fact) if fact else None)
        return {picked_state: fact_id if fact else None, panel: html}

    def on_render(
        shown: list[str], picked: str | None, lang: str, backend: str | None, kinds_v: Any, levels_v: Any,
        actor_v: Any, types_v: Any, verified_v: Any, request: gr.Request, progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> dict[Any, Any]:  # fmt: skip
        """Admins: word the rows shown with the side panel's model (progress bar), then reload the facts."""
        lang = normalize(lang)
        if not is_admin(services.settings.web, request.username):
            raise gr.Error(t(lang, "access.denied"))
        desc = t(lang, "glance.rendering")
        line = render_shown(services, backend, shown, lang, lambda n, total, _: progress((n, total), desc=desc))
        return {render_status: line, **load(picked, lang, kinds_v, levels_v, actor_v, types_v, verified_v)}

    loaded = [facts_state, types, *view_outputs]
    render.click(on_render, [shown_state, picked_state, controls.lang, controls.backend, *filters],
                 [render_status, *loaded], api_name=False, concurrency_id="render", concurrency_limit=1)  # fmt: skip
    for trigger in (tab.select, refresh.click):
        trigger(load, [picked_state, controls.lang, *filters], loaded, api_name=False)
    gr.on([kinds.input, levels.input, actor.input, types.input, verified.input], view,
          [facts_state, picked_state, controls.lang, *filters], view_outputs, api_name=False)  # fmt: skip
    controls.on_change("lang", relabel, [facts_state, picked_state, controls.lang, *filters], [types, *view_outputs])
    table.select(pick, [facts_state, shown_state, controls.lang], [picked_state, panel], api_name=False).then(
        None, js=SHOW_PANEL
    )
