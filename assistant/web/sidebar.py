"""The side panel: interface language, search filters, answer backend, versions in use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.index import FileRecord
from assistant.retrieval import SearchFilters
from assistant.types import DocType
from assistant.web.i18n import LANGUAGES, doc_type_name, language_name, normalize, t
from assistant.web.labels import Relabeler
from assistant.web.services import Services

DOC_TYPES: tuple[str, ...] = DocType.__args__  # guidebook, template, list, article, other


@dataclass
class Controls:
    """Components whose values every answer needs."""

    lang: gr.Radio
    backend: gr.Radio
    rewrite: gr.Checkbox
    documents: gr.Dropdown
    doc_types: gr.CheckboxGroup
    languages: gr.CheckboxGroup
    versions: gr.Markdown

    @property
    def kwargs(self) -> dict[str, Any]:
        """Handler keyword arguments (``inputs_kwargs``) for the language, backend, rewriting and filters."""
        return {"lang": self.lang, "backend": self.backend, "rewrite": self.rewrite, "sources": self.documents,
                "doc_types": self.doc_types, "languages": self.languages}  # fmt: skip


def search_filters(sources: list[str] | None, doc_types: list[str] | None, languages: list[str] | None) -> SearchFilters:
    return SearchFilters(sources=list(sources or []), doc_types=list(doc_types or []), languages=list(languages or []))


def document_choices(records: dict[str, FileRecord]) -> list[tuple[str, str]]:
    ok = [r for r in records.values() if r.status == "ok"]
    return sorted(((r.title or r.source, r.source) for r in ok), key=lambda pair: pair[0].casefold())


def language_choices(lang: str, records: dict[str, FileRecord]) -> list[tuple[str, str]]:
    codes = sorted({r.language for r in records.values() if r.status == "ok" and r.language})
    return [(language_name(lang, code), code) for code in codes]


def versions_text(services: Services, lang: str, backend: str | None) -> str:
    version = services.corpus_version()
    updated = version.updated.strftime("%Y-%m-%d %H:%M") if version.updated else "—"
    corpus = t(lang, "versions.corpus", documents=version.documents, chunks=version.chunks, digest=version.digest,
               updated=updated)  # fmt: skip
    llm = services.llm_label(backend)
    return t(lang, "versions", embedding=services.embedding_model, llm=t(lang, "backend.none") if llm == "extractive" else llm,
             corpus=corpus)  # fmt: skip


def build_sidebar(services: Services, labels: Relabeler) -> Controls:
    lang0 = services.settings.web.language
    with gr.Sidebar(open=True, width=330):
        lang = gr.Radio(
            [(name, code) for code, name in LANGUAGES.items()], value=lang0, label=t(lang0, "lang.label"),
            elem_id="lang-switch",
        )
        labels.add(lang, label="lang.label")
        labels.add(gr.Markdown(t(lang0, "side.filters")), value="side.filters")
        documents = labels.add(
            gr.Dropdown([], multiselect=True, label=t(lang0, "filters.documents"), elem_id="filter-docs",
                        allow_custom_value=True),
            label="filters.documents",
        )
        types_of = lambda lg: [(doc_type_name(lg, d), d) for d in DOC_TYPES]
        doc_types = labels.add(
            gr.CheckboxGroup(types_of(lang0), label=t(lang0, "filters.types"), elem_id="filter-types"),
            label="filters.types", choices=types_of,
        )
        languages = labels.add(
            gr.CheckboxGroup([], label=t(lang0, "filters.languages"), elem_id="filter-langs"),
            label="filters.languages",
        )
        names_of = lambda lg: [(t(lg, f"backend.{b}"), b) for b in services.backends]
        backend = labels.add(
            gr.Radio(names_of(lang0), value=services.default_backend, label=t(lang0, "backend.label"),
                     visible=len(services.backends) > 1, elem_id="backend"),
            label="backend.label", choices=names_of,
        )  # fmt: skip
        rewrite = labels.add(
            gr.Checkbox(services.settings.retrieval.rewrite, label=t(lang0, "rewrite.label"),
                        info=t(lang0, "rewrite.info"), visible=services.default_backend != "none", elem_id="rewrite"),
            label="rewrite.label", info="rewrite.info",
        )  # fmt: skip
        versions = gr.Markdown(elem_id="versions")
    return Controls(lang, backend, rewrite, documents, doc_types, languages, versions)


def refresh_updates(services: Services, controls: Controls, lang: str, backend: str | None) -> dict[Any, Any]:
    """New choices for the document and language filters and the versions text (after a corpus change)."""
    records = services.documents()
    return {
        controls.documents: gr.update(choices=document_choices(records)),
        controls.languages: gr.update(choices=language_choices(lang, records)),
        controls.versions: versions_text(services, lang, backend),
    }


def wire_sidebar(services: Services, controls: Controls) -> None:
    """Versions follow the chosen backend; rewriting is offered only with a model to translate."""
    controls.backend.change(
        lambda lang, backend: (versions_text(services, normalize(lang), backend), gr.update(visible=backend != "none")),
        [controls.lang, controls.backend], [controls.versions, controls.rewrite], queue=False, api_name=False,
    )  # fmt: skip
