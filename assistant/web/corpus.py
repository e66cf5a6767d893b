"""The documents tab: what is indexed, and (for admins) upload with progress and delete."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.index import FileRecord
from assistant.ingest.base import SAVE_AS
from assistant.uploads import (
    UPLOAD_EXTENSIONS,
    UploadRejected,
    check_archive_upload,
    destination,
    plan_uploads,
    read_head,
)
from assistant.web.access import is_admin
from assistant.web.i18n import doc_type_name, language_name, normalize, t
from assistant.web.labels import Relabeler
from assistant.web.services import Services
from assistant.web.sources import html_table, md_text

COLUMNS = ("title", "source", "type", "language", "chunks", "indexed", "status")
TRASH = ".trash"  # deleted documents are moved here (hidden: the corpus scan skips it)


@dataclass
class CorpusTab:
    table: gr.HTML
    delete_choice: gr.Dropdown
    admin_box: gr.Column
    admin_note: gr.Markdown
    status: gr.Markdown
    changed: list[Any] = field(default_factory=list)  # events after which the corpus differs

    @property
    def outputs(self) -> list[Any]:
        return [self.table, self.delete_choice, self.admin_box, self.admin_note]

    def refresh(self, services: Services, lang: str, username: str | None) -> dict[Any, Any]:
        records = services.documents()
        admin = is_admin(services.settings.web, username)
        return {
            self.table: documents_table(lang, records),
            self.delete_choice: gr.update(choices=sorted(records), value=None),
            self.admin_box: gr.update(visible=admin),
            self.admin_note: gr.update(visible=not admin),
        }


def _status(lang: str, record: FileRecord) -> str:
    if record.status != "ok":
        return t(lang, "corpus.error", error=record.error or "?")
    if record.warnings:
        return t(lang, "corpus.warning", warning=record.warnings)
    return t(lang, "corpus.ok")


def documents_table(lang: str, records: dict[str, FileRecord]) -> str:
    """The documents table (escaped HTML), newest first, headers in ``lang``."""
    rows = [
        [
            r.title or r.source,
            r.source,
            doc_type_name(lang, r.doc_type) if r.doc_type else "",
            language_name(lang, r.language) if r.language else "",
            r.chunks,
            datetime.fromtimestamp(r.indexed_at, tz=UTC).strftime("%Y-%m-%d %H:%M"),
            _status(lang, r),
        ]
        for r in sorted(records.values(), key=lambda r: (-r.indexed_at, r.source))
    ]
    return html_table([t(lang, f"corpus.col.{c}") for c in COLUMNS], rows)


def rejection_text(lang: str, exc: UploadRejected) -> str:
    """The message for a refused file; the name and details as written, never as Markdown or HTML."""
    return t(lang, f"upload.{exc.code}", name=md_text(exc.filename), **{k: md_text(v) for k, v in exc.detail.items()})


def save_uploads(services: Services, paths: list[Path], lang: str) -> tuple[list[str], list[str]]:
    """Check and copy uploads into the upload folder; (saved relative sources, messages)."""
    plan = plan_uploads([(p.name, p.stat().st_size, read_head(p)) for p in paths], services.settings.web.max_upload_mb)
    messages = [rejection_text(lang, exc) for exc in plan.rejected]
    folder = services.upload_dir
    folder.mkdir(parents=True, exist_ok=True)
    by_name = {p.name: p for p in paths}
    saved = []
    for item in plan.accepted:
        try:
            check_archive_upload(item.original, by_name[item.original], services.settings.corpus.max_unzipped_mb)
            target = destination(folder, item.safe_name)
        except UploadRejected as exc:
            messages.append(rejection_text(lang, exc))
            continue
        shutil.copyfile(by_name[item.original], target)
        saved.append(target.relative_to(services.settings.corpus.dir.resolve()).as_posix())
        messages.append(t(lang, "upload.saved", name=md_text(item.safe_name)))
    return saved, messages


def index_corpus(services: Services, saved: list[str], lang: str, progress: gr.Progress) -> list[str]:
    """Sync the index with the corpus folder, reporting progress; messages about the run."""
    progress(0, desc=t(lang, "progress.index"))
    report = services.assistant(None).sync(
        progress=lambda done, total, what: progress((done, total), desc=t(lang, "progress.index"), unit="chunks")
    )
    messages = [
        t(lang, "upload.failed", name=md_text(f.source), reason=md_text(f.reason)) for f in report.failed if f.source in saved
    ]
    files = len(report.added) + len(report.changed)
    messages.append(t(lang, "upload.indexed", files=files, chunks=report.chunks_written, seconds=round(report.seconds, 1)))
    return messages


def delete_document(services: Services, source: str) -> int:
    """Move the file to the corpus trash and drop its chunks; the number of chunks removed."""
    corpus = services.settings.corpus.dir.resolve()
    path = (corpus / source).resolve()
    if path.is_relative_to(corpus) and path.is_file():
        trash = corpus / TRASH
        trash.mkdir(exist_ok=True)
        shutil.move(str(path), trash / f"{time.strftime('%Y%m%d-%H%M%S')}-{path.name}")
    return services.index.delete_source(source)


def build_corpus_tab(services: Services, labels: Relabeler, lang_box: gr.Radio) -> CorpusTab:
    lang0 = services.settings.web.language
    labels.add(gr.Markdown(t(lang0, "corpus.intro")), value="corpus.intro")
    refresh = labels.add(gr.Button(t(lang0, "corpus.refresh"), size="sm", elem_id="corpus-refresh"), value="corpus.refresh")
    table = gr.HTML(documents_table(lang0, {}), elem_id="corpus-table")
    admin_note = labels.add(gr.Markdown(t(lang0, "corpus.admin_only"), visible=False), value="corpus.admin_only")
    mb = services.settings.web.max_upload_mb
    with gr.Column(visible=False, elem_id="corpus-admin") as admin_box:
        labels.add(gr.Markdown(t(lang0, "corpus.admin")), value="corpus.admin")
        files = labels.add(
            gr.File(label=t(lang0, "corpus.upload", mb=mb), file_count="multiple", type="filepath",
                    file_types=sorted(UPLOAD_EXTENSIONS | set(SAVE_AS)), elem_id="upload-files"),
            label=lambda lg: t(lg, "corpus.upload", mb=mb),
        )  # fmt: skip
        upload = labels.add(gr.Button(t(lang0, "corpus.upload_button"), variant="primary", elem_id="upload"), value="corpus.upload_button")
        with gr.Row():
            delete_choice = labels.add(
                gr.Dropdown([], label=t(lang0, "corpus.delete_choice"), scale=4, elem_id="delete-choice"),
                label="corpus.delete_choice",
            )
            delete = labels.add(gr.Button(t(lang0, "corpus.delete_button"), variant="stop", scale=1, elem_id="delete"), value="corpus.delete_button")
    status = gr.Markdown(elem_id="corpus-status")
    tab = CorpusTab(table, delete_choice, admin_box, admin_note, status)
    outputs = [table, delete_choice, admin_box, admin_note]

    def on_refresh(lang: str, request: gr.Request) -> dict[Any, Any]:
        return tab.refresh(services, normalize(lang), request.username)

    def on_upload(paths: list[str] | None, lang: str, request: gr.Request, progress: gr.Progress = gr.Progress()) -> dict:  # noqa: B008 - Gradio's idiom
        lang = normalize(lang)
        _require_admin(services, lang, request)
        if not paths:
            return {status: t(lang, "upload.none")}
        with services.corpus_lock:
            saved, messages = save_uploads(services, [Path(p) for p in paths], lang)
            try:
                if saved:
                    messages += index_corpus(services, saved, lang, progress)
            except AssistantError as exc:  # e.g. the index cannot be written: say so, keep the files
                messages.append(t(lang, "upload.failed", name=md_text(", ".join(saved)), reason=md_text(exc)))
        return {**tab.refresh(services, lang, request.username), status: "\n\n".join(messages), files: None}

    def on_delete(source: str | None, lang: str, request: gr.Request) -> dict:
        lang = normalize(lang)
        _require_admin(services, lang, request)
        if not source:
            return {status: t(lang, "delete.none")}
        with services.corpus_lock:
            chunks = delete_document(services, source)
        return {**tab.refresh(services, lang, request.username), status: t(lang, "delete.done", name=md_text(source), chunks=chunks)}

    refresh.click(on_refresh, lang_box, outputs, api_name=False)
    upload_event = upload.click(
        on_upload, [files, lang_box], [*outputs, status, files], api_name=False, concurrency_id="corpus", concurrency_limit=1
    )
    delete_event = delete.click(
        on_delete, [delete_choice, lang_box], [*outputs, status], api_name=False, concurrency_id="corpus", concurrency_limit=1
    )
    tab.changed = [upload_event, delete_event]
    return tab


def _require_admin(services: Services, lang: str, request: gr.Request) -> None:
    if not is_admin(services.settings.web, request.username):
        raise gr.Error(t(lang, "access.denied"))
