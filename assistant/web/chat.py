"""The chat tab: streaming answers with evidence first, numbered sources, and 👍/👎 with a comment."""

from __future__ import annotations

import html
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass

import gradio as gr

from assistant.errors import AssistantError
from assistant.feedback import FeedbackError, FeedbackRecord
from assistant.retrieval import SearchFilters
from assistant.types import Answer, Context
from assistant.web.i18n import normalize, t
from assistant.web.labels import Relabeler
from assistant.web.services import Services
from assistant.web.sidebar import Controls, search_filters
from assistant.web.sources import final_message, streaming_message

EXAMPLES = [
    "Hội nghị tại tỉnh Bắc Giang có bao nhiêu xã, phường?",
    "Giai đoạn cấp bách của Kế hoạch 02 kéo dài đến ngày nào?",
    "When was Plan No. 02-KH/BCĐTW issued?",
    "What must the two-tier local government achieve from 1 July 2025?",
]
STREAM_INTERVAL_S = 0.05  # at most this often a partial answer is sent to the browser


@dataclass
class ChatTab:
    chatbot: gr.Chatbot
    question: gr.Textbox
    turns: gr.State


def stream_answer(
    services: Services, backend: str, question: str, history: list[tuple[str, str]], filters: SearchFilters, lang: str,
    rewrite: bool | None = None,
) -> Iterator[str | Answer]:  # fmt: skip
    """Message contents as the answer grows (evidence, then tokens), then the finished Answer.

    Events of :meth:`Assistant.stream` are told apart by their fields: ``contexts``
    (EvidenceEvent), ``text`` (TokenEvent), ``answer`` (DoneEvent). Retrieval runs
    in a CPU slot, outside the model's, so evidence shows while another answer is written;
    unless the LLM takes part in it (a follow-up to condense, ``rewrite``: translations to search).
    """
    assistant = services.assistant(backend)
    events = assistant.stream(question, history, filters, rewrite)
    contexts: list[Context] | None = None
    with services.generating(assistant.mode if history or rewrite else "extractive"):
        first = next(events, None)
    if first is not None and hasattr(first, "contexts"):
        contexts, first = first.contexts, None
        yield streaming_message(lang, contexts, "", t(lang, "ev.waiting" if services.busy(assistant.mode) else "ev.writing"))
    partial, last_sent = "", 0.0
    with services.generating(assistant.mode):
        for event in itertools.chain([first] if first is not None else [], events):
            if hasattr(event, "text"):
                partial += event.text
                if time.perf_counter() - last_sent >= STREAM_INTERVAL_S:
                    last_sent = time.perf_counter()
                    yield streaming_message(lang, contexts, partial)
            elif hasattr(event, "answer"):
                answer = event.answer
                if assistant.llm_notice and not answer.notice:
                    answer = answer.model_copy(update={"notice": assistant.llm_notice})
                yield answer


def _user_message(question: str) -> dict[str, str]:
    return {"role": "user", "content": html.escape(question, quote=False)}


def build_chat_tab(services: Services, labels: Relabeler, controls: Controls) -> ChatTab:
    lang0 = services.settings.web.language
    chatbot = labels.add(
        gr.Chatbot(
            label=t(lang0, "chat.label"), placeholder=t(lang0, "chat.placeholder"), height="62vh",
            examples=[{"text": q} for q in EXAMPLES], sanitize_html=True, allow_tags=False, latex_delimiters=[],
            buttons=["copy"], elem_id="chat", layout="bubble",
        ),
        label="chat.label", placeholder="chat.placeholder",
    )  # fmt: skip
    with gr.Row(equal_height=True):
        question = labels.add(
            gr.Textbox(placeholder=t(lang0, "chat.input"), show_label=False, scale=8, autofocus=True,
                       elem_id="question", max_lines=6),
            placeholder="chat.input",
        )  # fmt: skip
        send = labels.add(gr.Button(t(lang0, "chat.send"), variant="primary", scale=1, elem_id="send"), value="chat.send")
        new = labels.add(gr.Button(t(lang0, "chat.new"), scale=2, elem_id="new-chat"), value="chat.new")
    with gr.Row(visible=False, elem_id="feedback-row") as feedback_row:
        comment = labels.add(
            gr.Textbox(label=t(lang0, "feedback.prompt_down"), scale=6, lines=2, elem_id="feedback-comment"),
            label="feedback.prompt_down",
        )
        comment_send = labels.add(gr.Button(t(lang0, "feedback.send"), scale=1, elem_id="feedback-send"), value="feedback.send")
    feedback_status = gr.Markdown(elem_id="feedback-status")
    turns = gr.State([])  # one dict per answered question: question, answer, message index, feedback id
    target = gr.State(None)  # feedback id the comment box belongs to

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
            for item in stream_answer(services, backend, text, history, filters, lang, bool(rewrite)):
                if isinstance(item, Answer):
                    messages[-1] = {"role": "assistant", "content": final_message(lang, item, _doc_types(services))}
                    done.append(_turn(services, backend, item, len(messages) - 1, request))
                else:
                    messages[-1] = {"role": "assistant", "content": item}
                yield "", messages, done
        except AssistantError as exc:
            messages[-1] = {"role": "assistant", "content": html.escape(t(lang, "chat.error", error=exc))}
            yield "", messages, done

    inputs = dict(question=question, messages=chatbot, turns=turns, **controls.kwargs)
    outputs = [question, chatbot, turns]
    answer = {"fn": respond, "inputs_kwargs": inputs, "outputs": outputs, "concurrency_id": "answer",
              "concurrency_limit": services.answer_slots}  # fmt: skip
    submit = question.submit(**answer, api_name="chat")
    click = send.click(**answer, api_name=False)
    example = chatbot.example_select(_example_text, None, question, queue=False, api_name=False).then(
        **answer, api_name=False
    )
    new.click(
        lambda: ([], [], "", None, gr.update(visible=False), ""), None,
        [chatbot, turns, question, target, feedback_row, feedback_status],
        cancels=[submit, click, example], queue=False, api_name=False,
    )  # fmt: skip
    chatbot.clear(  # the chat's own 🗑 button: forget the answers it showed
        lambda: ([], None, gr.update(visible=False), ""), None, [turns, target, feedback_row, feedback_status],
        cancels=[submit, click, example], queue=False, api_name=False,
    )  # fmt: skip

    def on_like(done: list[dict], lang: str, data: gr.LikeData, request: gr.Request) -> tuple:
        lang = normalize(lang)
        turn = next((tn for tn in done if tn["message_index"] == _index(data.index)), None)
        if turn is None:
            return done, None, gr.update(visible=False), t(lang, "feedback.no_answer"), gr.update()
        rating = {True: "up", False: "down"}.get(data.liked)  # "" when a vote is taken back
        try:
            feedback_id = _vote(services, turn, rating, request)
        except FeedbackError as exc:
            return done, None, gr.update(visible=False), t(lang, "feedback.error", error=exc), gr.update()
        status = t(lang, f"feedback.saved_{rating}") if rating else t(lang, "feedback.removed")
        prompt = gr.update(label=t(lang, f"feedback.prompt_{rating or 'down'}"), value="")
        return done, feedback_id, gr.update(visible=bool(rating)), status, prompt

    chatbot.like(on_like, [turns, controls.lang], [turns, target, feedback_row, feedback_status, comment],
                 queue=False, api_name=False)  # fmt: skip

    def on_comment(text: str, feedback_id: str | None, lang: str) -> tuple:
        lang = normalize(lang)
        try:
            saved = bool(feedback_id) and services.feedback.set_comment(feedback_id, text or "")
        except FeedbackError as exc:
            return gr.update(), t(lang, "feedback.error", error=exc), gr.update()
        if not saved:
            return gr.update(), t(lang, "feedback.no_answer"), gr.update()
        return "", t(lang, "feedback.comment_saved"), gr.update(visible=False)

    for trigger in (comment_send.click, comment.submit):
        trigger(on_comment, [comment, target, controls.lang], [comment, feedback_status, feedback_row],
                queue=False, api_name=False)  # fmt: skip

    def on_language(messages: list, done: list[dict], lang: str) -> list:
        return redraw_answers(messages, done, normalize(lang), _doc_types(services))

    controls.lang.change(on_language, [chatbot, turns, controls.lang], chatbot, queue=False, api_name=False)
    return ChatTab(chatbot, question, turns)


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


def _index(index: int | tuple[int, int] | list[int]) -> int:
    return index if isinstance(index, int) else index[0]


def _doc_types(services: Services) -> dict[str, str]:
    return {source: record.doc_type for source, record in services.documents().items()}


def _turn(services: Services, backend: str, answer: Answer, message_index: int, request: gr.Request) -> dict:
    return {
        "question": answer.question,
        "answer": answer.model_dump(mode="json"),
        "message_index": message_index,
        "feedback_id": None,
        "model": services.llm_label(backend) if answer.mode != "extractive" else "extractive",
        "corpus_version": str(services.corpus_version()),
        "user": getattr(request, "username", None),
    }


def _vote(services: Services, turn: dict, rating: str | None, request: gr.Request) -> str | None:
    """Save (or take back, as a removed row) the vote on ``turn``; returns the feedback id."""
    answer = Answer.model_validate(turn["answer"])
    if rating is None:
        if turn["feedback_id"]:
            services.feedback.delete(turn["feedback_id"])
        turn["feedback_id"] = None
        return None
    record = FeedbackRecord(
        rating=rating, question=answer.question, answer=answer.answer, language=answer.language,
        refused=answer.refused, citations=answer.citations, backend=answer.mode, model=turn["model"],
        embedding_model=services.embedding_model, corpus_version=turn["corpus_version"],
        user=getattr(request, "username", None) or turn.get("user"),
        **({"id": turn["feedback_id"]} if turn["feedback_id"] else {}),
    )  # fmt: skip
    if turn["feedback_id"]:
        previous = services.feedback.get(turn["feedback_id"])
        record = record.model_copy(update={"comment": previous.comment if previous else ""})
    turn["feedback_id"] = services.feedback.save(record).id
    return turn["feedback_id"]
