"""The feedback tab (admins): recent votes, CSV/JSONL export, and thumbs-down saved as draft regression cases.

Votes carry other users' questions and comments, so only admins see them (with
login off, on loopback, the local user is the admin).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.feedback import FeedbackError, FeedbackRecord, append_draft, export
from assistant.web.access import is_admin
from assistant.web.i18n import normalize, t
from assistant.web.labels import Relabeler
from assistant.web.services import Services
from assistant.web.sources import esc, html_table, md_text

COLUMNS = ("time", "rating", "question", "comment", "backend", "id")
RECENT = 200


@dataclass
class FeedbackTab:
    table: gr.HTML
    draft_choice: gr.Dropdown
    box: gr.Column
    note: gr.Markdown

    @property
    def outputs(self) -> list[Any]:
        return [self.table, self.draft_choice, self.box, self.note]

    def refresh(self, services: Services, lang: str, username: str | None) -> dict[Any, Any]:
        admin = is_admin(services.settings.web, username)
        try:
            records = services.feedback.records(limit=RECENT) if admin else []
            table = feedback_table(lang, records)
        except FeedbackError as exc:  # the database is down: say so in the tab, the rest of the page still loads
            records, table = [], f"<p>{esc(t(lang, 'fb.unavailable', error=exc))}</p>"
        return {
            self.table: table,
            self.draft_choice: gr.update(choices=draft_choices(records), value=None),
            self.box: gr.update(visible=admin),
            self.note: gr.update(visible=not admin),
        }


def feedback_table(lang: str, records: list[FeedbackRecord]) -> str:
    rows = [
        [r.created_at.strftime("%Y-%m-%d %H:%M"), "👍" if r.rating == "up" else "👎", r.question, r.comment,
         r.backend, r.id]
        for r in records
    ]  # fmt: skip
    return html_table([t(lang, f"fb.col.{c}") for c in COLUMNS], rows)


def draft_choices(records: list[FeedbackRecord]) -> list[tuple[str, str]]:
    return [(f"{r.created_at:%Y-%m-%d %H:%M} · {r.question[:80]}", r.id) for r in records if r.rating == "down"]


def export_file(services: Services, fmt: str) -> str:
    """All feedback written to a temporary file for download."""
    folder = Path(tempfile.mkdtemp(prefix="feedback-"))
    return str(export(services.feedback.records(), folder / f"feedback.{fmt}", fmt))  # type: ignore[arg-type]


def _exporter(services: Services, fmt: str):
    def run(lang: str, request: gr.Request) -> dict[str, Any]:
        _require_admin(services, normalize(lang), request)
        return gr.update(value=export_file(services, fmt), visible=True)

    return run


def _require_admin(services: Services, lang: str, request: gr.Request) -> None:
    if not is_admin(services.settings.web, request.username):
        raise gr.Error(t(lang, "access.denied"))


def build_feedback_tab(services: Services, labels: Relabeler, lang_box: gr.Radio) -> FeedbackTab:
    lang0 = services.settings.web.language
    labels.add(gr.Markdown(t(lang0, "fb.intro")), value="fb.intro")
    note = labels.add(gr.Markdown(t(lang0, "fb.admin_only"), visible=False), value="fb.admin_only")
    with gr.Column(visible=False) as box:
        with gr.Row():
            refresh = labels.add(gr.Button(t(lang0, "fb.refresh"), size="sm"), value="fb.refresh")
            csv_button = labels.add(
                gr.Button(t(lang0, "fb.export_csv"), size="sm", elem_id="export-csv"), value="fb.export_csv"
            )
            jsonl_button = labels.add(
                gr.Button(t(lang0, "fb.export_jsonl"), size="sm", elem_id="export-jsonl"), value="fb.export_jsonl"
            )
        download = labels.add(
            gr.File(label=t(lang0, "fb.download"), visible=False, elem_id="export-file"), label="fb.download"
        )
        table = gr.HTML(feedback_table(lang0, []), elem_id="feedback-table")
        with gr.Row():
            draft_choice = labels.add(gr.Dropdown([], label=t(lang0, "fb.draft_choice"), scale=4), label="fb.draft_choice")
            draft = labels.add(gr.Button(t(lang0, "fb.draft_button"), scale=2, elem_id="feedback-draft"),
                               value="fb.draft_button")  # fmt: skip
        status = gr.Markdown()
    tab = FeedbackTab(table, draft_choice, box, note)

    def on_draft(record_id: str | None, lang: str, request: gr.Request) -> str:
        lang = normalize(lang)
        _require_admin(services, lang, request)
        record = services.feedback.get(record_id) if record_id else None
        if record is None:
            return t(lang, "fb.draft_none")
        try:
            case = append_draft(record, services.drafts_path)
        except (FeedbackError, OSError, ValueError) as exc:
            raise gr.Error(t(lang, "feedback.error", error=exc)) from exc
        return t(lang, "fb.draft_saved", id=md_text(case["id"]), path=md_text(services.drafts_path))

    def on_refresh(lang: str, request: gr.Request) -> dict[Any, Any]:
        return tab.refresh(services, normalize(lang), request.username)

    refresh.click(on_refresh, lang_box, tab.outputs, api_name=False)
    for button, fmt in ((csv_button, "csv"), (jsonl_button, "jsonl")):
        button.click(_exporter(services, fmt), lang_box, download, api_name=False)
    draft.click(on_draft, [draft_choice, lang_box], status, api_name=False)
    return tab
