"""The chat tab: streaming answers with evidence first, numbered sources, and 👍/👎 with a comment."""

from __future__ import annotations

import html
import itertools
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

import gradio as gr
import yaml

from assistant.answer import DiscardEvent, DoneEvent, EvidenceEvent, SentenceEvent, TokenEvent
from assistant.errors import AssistantError, IndexUnavailable
from assistant.retrieval import SearchFilters
from assistant.settings import CorpusSettings
from assistant.types import Answer, Context
from assistant.web.chat_feedback import build_feedback_box, comment_label, feedback_values, wire_feedback
from assistant.web.i18n import normalize, t
from assistant.web.labels import Relabeler
from assistant.web.reader import build_source_reader
from assistant.web.services import Services
from assistant.web.sidebar import Controls, search_filters
from assistant.web.sources import final_message, is_streaming, question_markdown, streaming_message

STREAM_INTERVAL_S = 0.05  # at most this often a partial answer is sent to the browser
log = logging.getLogger(__name__)


@dataclass
class ChatTab:
    chatbot: gr.Chatbot
    question: gr.Textbox
    turns: gr.State


def stream_answer(
    services: Services, backend: str, question: str, history: list[tuple[str, str]], filters: SearchFilters, lang: str,
    rewrite: bool | None = None,
) -> Iterator[str | Answer]:  # fmt: skip
    """Message contents as the answer grows (evidence, then the draft), then the finished Answer.

    The events of :meth:`Assistant.stream` (:mod:`assistant.answer.events`): the evidence shows
    first; token pieces are an unchecked *draft*, shown muted and labelled "checking…", never with
    a badge; each sentence of the draft, once checked, shows in its checked form with its mark
    (✓ verified, ⚠ not); a discard removes the draft from the screen at once ("retrying…") before the next
    attempt; the checked Answer comes last and replaces the draft. Retrieval runs in a CPU slot,
    outside the model's, so evidence shows while another answer is written; unless the LLM takes
    part in it (a follow-up to condense, ``rewrite`` True: translations to search). A translation that
    ``retrieval.rewrite: auto`` asks for takes the local model's own lock inside the rewriter.
    """
    assistant = services.assistant(backend)
    events = assistant.stream(question, history, filters, rewrite)
    contexts: list[Context] | None = None
    with services.generating(assistant.mode if history or rewrite else "extractive"):
        first = next(events, None)
    if isinstance(first, EvidenceEvent):
        contexts, first = first.contexts, None
        yield streaming_message(
            lang, contexts, "", t(lang, "ev.waiting" if services.busy(assistant.mode) else "ev.writing")
        )
    draft, last_sent = "", 0.0
    checked: list[SentenceEvent] = []  # the draft's sentences checked so far, each shown with its mark
    with services.generating(assistant.mode):
        for event in itertools.chain([first] if first is not None else [], events):
            if isinstance(event, TokenEvent):
                draft += event.text
                if time.perf_counter() - last_sent >= STREAM_INTERVAL_S and draft.strip():
                    last_sent = time.perf_counter()
                    yield streaming_message(lang, contexts, draft, checked=checked)
            elif isinstance(event, SentenceEvent):  # a sentence of the draft takes its checked form at once
                checked.append(event)
                last_sent = time.perf_counter()
                yield streaming_message(lang, contexts, draft, checked=checked)
            elif isinstance(event, DiscardEvent):  # the draft so far was rejected: off the screen now
                draft, checked, last_sent = "", [], time.perf_counter()
                yield streaming_message(lang, contexts, "", retrying=True)
            elif isinstance(event, DoneEvent):
                answer = event.answer
                if assistant.llm_notice and not answer.notice:
                    answer = answer.model_copy(update={"notice": assistant.llm_notice})
                yield answer


def example_questions(corpus: CorpusSettings) -> list[str]:
    """The example questions the chat offers: the corpus folder's examples file (``corpus.examples``), since
    questions about one corpus are data of that corpus; none when it is absent or unreadable (said in the log,
    with the file's name: the chat works without them)."""
    path = corpus.dir / corpus.examples
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        log.warning("example questions not read from %s: %s", path, exc)
        return []
    if not isinstance(data, list) or not all(isinstance(q, str) and q.strip() for q in data):
        log.warning("example questions not read from %s: expected a list of questions (strings)", path)
        return []
    return [q.strip() for q in data]


def _user_message(question: str) -> dict[str, str]:
    return {"role": "user", "content": question_markdown(question)}


def build_chat_tab(services: Services, labels: Relabeler, controls: Controls) -> ChatTab:
    lang0 = services.settings.web.language
    chatbot = labels.add(
        gr.Chatbot(
            label=t(lang0, "chat.label"), placeholder=t(lang0, "chat.placeholder"), height="62vh",
            examples=[{"text": q} for q in example_questions(services.settings.corpus)] or None,
            sanitize_html=True, allow_tags=False, latex_delimiters=[],
            buttons=["copy"], elem_id="chat", layout="bubble", feedback_value=[],
        ),
        label="chat.label", placeholder="chat.placeholder",
    )  # fmt: skip
    box = build_feedback_box(labels, lang0)
    with gr.Row(equal_height=True):
        question = labels.add(
            gr.Textbox(label=t(lang0, "chat.input_label"), placeholder=t(lang0, "chat.input"), show_label=False,
                       scale=8, autofocus=True, elem_id="question", max_lines=6),
            label="chat.input_label", placeholder="chat.input",
        )  # fmt: skip
        send = labels.add(
            gr.Button(t(lang0, "chat.send"), variant="primary", scale=1, elem_id="send"), value="chat.send"
        )
        new = labels.add(gr.Button(t(lang0, "chat.new"), scale=2, elem_id="new-chat"), value="chat.new")
    turns = gr.State([])  # one dict per answered question: question, answer, message index, feedback id, rating

    def put_away(question: str) -> tuple:
        """A new question puts the comment box away (its text, its target, the status), at once.

        Its own quick event ahead of the answer, not the answer's first streamed update: that update
        was at times not applied in the browser when another event (a language switch) was in flight,
        and the box of the previous answer stayed open under the new one.
        """
        if not (question or "").strip():  # nothing is asked: a comment being written stays
            return gr.update(), gr.update(), gr.update(), gr.update()
        return gr.update(visible=False), gr.update(value=""), None, ""

    def respond(
        question: str, messages: list, turns: list, lang: str, backend: str, rewrite: bool, sources: list[str],
        doc_types: list[str], languages: list[str], request: gr.Request,
    ) -> Iterator[tuple]:  # fmt: skip
        lang, text, messages = normalize(lang), (question or "").strip(), list(messages or [])
        done = [turn for turn in turns if turn["message_index"] < len(messages)]  # the conversation on screen
        if not text:
            gr.Warning(t(lang, "chat.empty"))
            yield gr.update(), messages, done
            return
        history = [(turn["question"], turn["answer"]["answer"]) for turn in done]
        filters = search_filters(sources, doc_types, languages)
        messages += [_user_message(text), {"role": "assistant", "content": streaming_message(lang, None, "")}]
        yield "", messages, done
        try:
            # Unticked: the configured policy (by default only questions not in the documents' main language).
            for item in stream_answer(services, backend, text, history, filters, lang, True if rewrite else None):
                if isinstance(item, Answer):
                    messages[-1] = {"role": "assistant", "content": final_message(lang, item, _doc_types(services))}
                    done.append(_turn(services, backend, item, len(messages) - 1, request))
                else:
                    messages[-1] = {"role": "assistant", "content": item}
                yield "", messages, done
        except AssistantError as exc:
            messages[-1] = {"role": "assistant", "content": html.escape(error_message(lang, exc))}
            yield "", messages, done

    inputs = dict(question=question, messages=chatbot, turns=turns, **controls.kwargs)
    answer = {"fn": respond, "inputs_kwargs": inputs, "outputs": [question, chatbot, turns], "concurrency_id": "answer",
              "concurrency_limit": services.answer_slots}  # fmt: skip
    away = {"fn": put_away, "inputs": question, "outputs": [box.row, box.comment, box.target, box.status],
            "queue": False, "api_name": False, "show_progress": "hidden"}  # fmt: skip
    submit = question.submit(**away).then(**answer, api_name="chat")
    click = send.click(**away).then(**answer, api_name=False)
    example = (
        chatbot.example_select(_example_text, None, question, queue=False, api_name=False)
        .then(**away)
        .then(**answer, api_name=False)
    )
    new.click(
        lambda: (gr.update(value=[], feedback_value=[]), [], "", None, gr.update(visible=False), ""), None,
        [chatbot, turns, question, box.target, box.row, box.status],
        cancels=[submit, click, example], queue=False, api_name=False,
    )  # fmt: skip
    chatbot.clear(  # the chat's own 🗑 button: forget the answers it showed
        lambda: (gr.update(feedback_value=[]), [], None, gr.update(visible=False), ""), None,
        [chatbot, turns, box.target, box.row, box.status],
        cancels=[submit, click, example], queue=False, api_name=False,
    )  # fmt: skip

    wire_feedback(services, box, chatbot, turns, controls)

    def on_language(messages: list, done: list[dict], index: int | None, lang: str) -> tuple:
        lang = normalize(lang)
        if answer_in_progress(messages, done):
            # The chat the page sent is older than the answer being streamed: drawn back, it would put a
            # stale draft over the answer. The answer's own chain redraws the chat once it ends.
            return gr.update(), gr.update()
        redrawn = redraw_answers(messages, done, lang, _doc_types(services))
        turn = next((tn for tn in done if tn["message_index"] == index), None)
        label = gr.update(label=comment_label(lang, turn)) if turn is not None else gr.update()
        return gr.update(value=redrawn, feedback_value=feedback_values(redrawn, done)), label

    controls.on_change(
        "lang", on_language, [chatbot, turns, box.target, controls.lang], [chatbot, box.comment], queue=False
    )
    for event in (submit, click, example):  # a language chosen while the answer was written: drawn in it now
        event.then(on_language, [chatbot, turns, box.target, controls.lang], [chatbot, box.comment], queue=False,
                   api_name=False, show_progress="hidden")  # fmt: skip
    build_source_reader(services, labels, turns, controls)
    return ChatTab(chatbot, question, turns)


def error_message(lang: str, exc: AssistantError) -> str:
    """What the chat shows for a question that could not be answered, in the interface language.

    An index server out of reach is said in plain words (the details go to the log): the next
    question connects again, so the user only has to ask again."""
    if isinstance(exc, IndexUnavailable):
        log.warning("question not answered: %s", exc)
        return t(lang, "chat.index_unavailable")
    return t(lang, "chat.error", error=exc)


def answer_in_progress(messages: list, done: list[dict]) -> bool:
    """True while the chat's last message is an answer still being written (not a finished turn yet)."""
    if not messages or messages[-1].get("role") != "assistant":
        return False
    return all(turn["message_index"] != len(messages) - 1 for turn in done) and is_streaming(
        messages[-1].get("content")
    )


def redraw_answers(messages: list, done: list[dict], lang: str, doc_types: dict[str, str]) -> list:
    """``messages`` with every finished answer drawn again in ``lang`` (its evidence, sources and
    footer labels; the answer text itself stays as written). Questions and errors are kept."""
    messages = list(messages or [])
    for turn in done:
        index = turn["message_index"]
        if index < len(messages):
            answer = Answer.model_validate(turn["answer"])
            messages[index] = {"role": "assistant", "content": final_message(lang, answer, doc_types)}
    return messages


def _example_text(data: gr.SelectData) -> str:
    return data.value["text"] if isinstance(data.value, dict) else str(data.value)


def _doc_types(services: Services) -> dict[str, str]:
    return {source: record.doc_type for source, record in services.documents().items()}


def _turn(services: Services, backend: str, answer: Answer, message_index: int, request: gr.Request) -> dict:
    return {
        "question": answer.question,
        "answer": answer.model_dump(mode="json"),
        "message_index": message_index,
        "feedback_id": None,
        "rating": None,
        "model": services.llm_label(backend) if answer.mode != "extractive" else "extractive",
        "corpus_version": str(services.corpus_version()),
        "user": getattr(request, "username", None),
    }
