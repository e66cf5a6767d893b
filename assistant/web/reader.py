"""The source reader under the chat: a cited sentence in another language, rendered in the interface language.

On demand only (the official picks a source and asks for it), in the model's slot, so it never
delays an answer. The rendering is labelled as an unchecked machine translation, and the figures,
dates and names that differ from the original are listed (:mod:`assistant.answer.renderings`).
"""

from __future__ import annotations

import gradio as gr

from assistant.answer.renderings import Rendering, foreign_citations
from assistant.types import Answer, Citation
from assistant.web.i18n import normalize, reason_text, t
from assistant.web.labels import Relabeler
from assistant.web.services import Services
from assistant.web.sidebar import Controls
from assistant.web.sources import esc


def reader_choices(done: list[dict], lang: str) -> dict:
    """The dropdown update: the last answer's foreign-language citations ("[2] title (de)")."""
    lang = normalize(lang)
    if not done:
        return gr.update(choices=[], value=None)
    answer = Answer.model_validate(done[-1]["answer"])
    choices = [(f"[{c.n}] {c.title or c.source} ({language})", c.n) for c, language in foreign_citations(answer, lang)]
    return gr.update(choices=choices, value=choices[0][1] if choices else None)


def rendering_html(lang: str, citation: Citation, source_language: str, rendering: Rendering) -> str:
    """The original sentence and its rendering, labelled, with the differences in figures and names."""
    label = f"{t(lang, 'reader.original', language=source_language)} — [{citation.n}] {citation.title or citation.source}"
    parts = [
        f'<div class="p2-reader"><div class="p2-reader-label">{esc(label)}</div>',
        f'<blockquote class="p2-reader-original">{esc(citation.quote)}</blockquote>',
    ]
    if rendering.text is None:
        why = t(lang, f"reader.why.{rendering.note.replace(' ', '_')}")
        parts.append(f'<div class="p2-reader-note">{esc(t(lang, "reader.none", why=why))}</div>')
    else:
        parts.append(f'<div class="p2-reader-label">{esc(t(lang, "reader.machine"))}</div>')
        parts.append(f'<blockquote class="p2-reader-rendering">{esc(rendering.text)}</blockquote>')
        if rendering.mismatches:
            items = "".join(f"<li>{esc(reason_text(lang, m))}</li>" for m in rendering.mismatches)
            parts.append(f'<div class="p2-reader-warn">{esc(t(lang, "reader.mismatch"))}<ul>{items}</ul></div>')
        else:
            parts.append(f'<div class="p2-reader-ok">{esc(t(lang, "reader.match"))}</div>')
    return "".join(parts) + "</div>"


def build_source_reader(services: Services, labels: Relabeler, turns: gr.State, controls: Controls) -> None:
    lang0 = services.settings.web.language
    with labels.add(gr.Accordion(t(lang0, "reader.title"), open=False, elem_id="source-reader"), label="reader.title"):
        pick = labels.add(gr.Dropdown(label=t(lang0, "reader.pick"), choices=[], elem_id="reader-pick"),
                          label="reader.pick")  # fmt: skip
        read = labels.add(gr.Button(t(lang0, "reader.read"), elem_id="reader-read"), value="reader.read")
        shown = gr.HTML(elem_id="reader-out")

    def render(n: int | None, done: list[dict], lang: str, backend: str, progress: gr.Progress = gr.Progress()) -> str:
        lang = normalize(lang)
        if n is None or not done:
            return esc(t(lang, "reader.nothing"))
        answer = Answer.model_validate(done[-1]["answer"])
        found = {c.n: (c, language) for c, language in foreign_citations(answer, lang)}
        if n not in found:
            return esc(t(lang, "reader.nothing"))
        citation, language = found[n]
        assistant = services.assistant(backend)
        progress(0, desc=t(lang, "reader.working"))
        with services.generating(assistant.mode):
            rendering = assistant.render_source(citation.quote, lang)
        return rendering_html(lang, citation, language, rendering)

    turns.change(reader_choices, [turns, controls.lang], pick, queue=False, api_name=False)
    controls.on_change("lang", reader_choices, [turns, controls.lang], pick, queue=False)
    read.click(render, [pick, turns, controls.lang, controls.backend], shown, api_name=False,
               concurrency_id="answer")  # fmt: skip
