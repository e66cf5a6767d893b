"""👍/👎 on a finished answer and the comment box under the chat (its widgets, its events, the saved votes)."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from assistant.feedback import FeedbackError, FeedbackRecord, Write
from assistant.types import Answer
from assistant.web.i18n import normalize, t
from assistant.web.labels import Relabeler
from assistant.web.services import Services
from assistant.web.sidebar import Controls
from assistant.web.sources import md_text


@dataclass
class FeedbackBox:
    """The comment box: it sits right under the chat, names the question whose answer it is about,
    and is put away when a new question is asked."""

    row: gr.Row
    comment: gr.Textbox
    send: gr.Button
    status: gr.Markdown
    target: gr.State  # the turn (its message index) the comment box belongs to


def build_feedback_box(labels: Relabeler, lang: str) -> FeedbackBox:
    """Draw the (hidden) comment box where it is called: under the chat."""
    with gr.Row(visible=False, elem_id="feedback-row") as row:
        comment = gr.Textbox(label=t(lang, "feedback.prompt_down", question=""), scale=6, lines=2,
                             elem_id="feedback-comment")  # fmt: skip
        send = labels.add(gr.Button(t(lang, "feedback.send"), scale=1, elem_id="feedback-send"), value="feedback.send")
    status = gr.Markdown(elem_id="feedback-status")
    return FeedbackBox(row, comment, send, status, gr.State(None))


def wire_feedback(
    services: Services, box: FeedbackBox, chatbot: gr.Chatbot, turns: gr.State, controls: Controls
) -> None:
    """A vote on a finished answer is saved and opens the comment box; a comment is saved with its vote."""

    def on_like(messages: list, done: list[dict], lang: str, data: gr.LikeData, request: gr.Request) -> tuple:
        """Save the vote on a finished answer; any other vote is refused, said so, and undone on screen."""
        lang, index = normalize(lang), _index(data.index)
        turn = next((tn for tn in done if tn["message_index"] == index), None)
        if turn is None:  # still being written and checked (or not an answer): nothing is saved
            return (
                gr.update(),
                gr.update(),
                t(lang, "feedback.not_ready"),
                gr.update(),
                _undo_vote(messages, done, index),
            )
        rating = {True: "up", False: "down"}.get(data.liked)  # "" when a vote is taken back
        try:
            write = _vote(services, turn, rating, request)
        except FeedbackError as exc:
            status = t(lang, "feedback.error", error=md_text(exc))
            return None, gr.update(visible=False), status, gr.update(), _undo_vote(messages, done, index)
        if write is not None and write.queued:  # the database is down: kept locally, sent once it is back
            status = t(lang, "feedback.queued")
        else:
            status = t(lang, f"feedback.saved_{rating}") if rating else t(lang, "feedback.removed")
        box = gr.update(label=comment_label(lang, turn), value="")
        votes = gr.update(feedback_value=feedback_values(messages, done))
        return index if turn["feedback_id"] else None, gr.update(visible=bool(rating)), status, box, votes

    chatbot.like(
        on_like, [chatbot, turns, controls.lang], [box.target, box.row, box.status, box.comment, chatbot],
        queue=False, api_name=False, show_progress="hidden",
    ).then(  # a refused vote was shown undone with a placeholder: now the saved votes again
        lambda messages, done: gr.update(feedback_value=feedback_values(messages, done)), [chatbot, turns], chatbot,
        queue=False, api_name=False, show_progress="hidden",
    )  # fmt: skip

    def on_comment(text: str, index: int | None, done: list[dict], lang: str) -> tuple:
        lang = normalize(lang)
        turn = next((tn for tn in done if tn["message_index"] == index), None) if index is not None else None
        try:
            write = (
                services.feedback.set_comment(turn["feedback_id"], text or "")
                if turn is not None and turn["feedback_id"]
                else None
            )
        except FeedbackError as exc:
            return gr.update(), t(lang, "feedback.error", error=md_text(exc)), gr.update()
        if write is None or not write.found:
            return gr.update(), t(lang, "feedback.no_answer"), gr.update()
        return (
            "",
            t(lang, "feedback.comment_queued" if write.queued else "feedback.comment_saved"),
            gr.update(visible=False),
        )

    for trigger in (box.send.click, box.comment.submit):
        trigger(on_comment, [box.comment, box.target, turns, controls.lang], [box.comment, box.status, box.row],
                queue=False, api_name=False)  # fmt: skip


def feedback_values(messages: list, done: list[dict]) -> list[str | None]:
    """The chat's ``feedback_value``: per assistant message, "Like"/"Dislike" as saved, else None.

    Sent with each vote and each redraw in another language, so that a vote stays drawn."""
    ratings = {turn["message_index"]: turn.get("rating") for turn in done}
    return [
        {"up": "Like", "down": "Dislike"}.get(ratings.get(index) or "")
        for index, message in enumerate(messages or [])
        if _role(message) == "assistant"
    ]


UNDONE = "-"  # a feedback value that is neither "Like" nor "Dislike": both thumbs drawn unselected


def _undo_vote(messages: list, done: list[dict], index: int) -> dict:
    """A chat update drawing message ``index`` unvoted.

    Gradio's thumbs keep the clicked state on the page until ``feedback_value`` *changes* for that
    message, so the placeholder :data:`UNDONE` is sent first and the saved votes right after it."""
    values = feedback_values(messages, done)
    position = sum(1 for message in list(messages or [])[:index] if _role(message) == "assistant")
    if position < len(values):
        values[position] = UNDONE
    return gr.update(feedback_value=values)


def _role(message: object) -> str | None:
    return message.get("role") if isinstance(message, dict) else getattr(message, "role", None)


def comment_label(lang: str, turn: dict) -> str:
    """The comment box's label: which answer (by its question) the comment is about."""
    return t(lang, f"feedback.prompt_{turn.get('rating') or 'down'}", question=_shorten(turn["question"]))


def _shorten(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _index(index: int | tuple[int, int] | list[int]) -> int:
    return index if isinstance(index, int) else index[0]


def _vote(services: Services, turn: dict, rating: str | None, request: gr.Request) -> Write | None:
    """Save (or take back, as a removed row) the vote on ``turn``; returns what became of it (None: nothing
    to take back)."""
    answer = Answer.model_validate(turn["answer"])
    if rating is None:
        write = services.feedback.delete(turn["feedback_id"]) if turn["feedback_id"] else None
        turn["feedback_id"], turn["rating"] = None, None
        return write
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
    write = services.feedback.save(record)
    turn["feedback_id"], turn["rating"] = write.id, rating
    return write
