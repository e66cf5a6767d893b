"""Drafts, discards and votes while an answer streams, in headless Chromium, with a scripted event stream.

The pipeline's events are played from a script (real :mod:`assistant.answer.events` objects, with
pauses) by a stand-in assistant defined here, in the tests; everything else is the product: the
app is built by :func:`assistant.web.app.build_app` and served in this process by
:func:`assistant.web.app.launch`. A script makes the states a user can meet observable at a set
pace: a draft on screen, a draft rejected mid-way, a vote given while the answer is written.
The tests share one page and run in file order.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from observers import DRAFT_OBSERVER
from procs import free_port

from assistant.answer import DiscardEvent, DoneEvent, EvidenceEvent, SentenceEvent, TokenEvent
from assistant.reasons import reason
from assistant.types import Answer, Citation, Context, Timings

pytestmark = pytest.mark.slow

TIMEOUT = 60_000  # as the other browser tests: a loaded 2-core machine can take longer than 30 s
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LIKE_VI, DISLIKE_VI, DISLIKED_VI = "Câu trả lời tốt", "Câu trả lời chưa tốt", "Đã đánh giá: chưa tốt"
CONTEXT = Context(rank=1, source="articles/a.txt", url="https://example.gov.vn/a", title="Bài A", score=0.9,
                  text="Hội nghị có 58 xã, phường tham dự.", location="p. 2", language="vi")  # fmt: skip


def checked(question: str) -> Answer:
    citation = Citation(n=1, source="articles/a.txt", title="Bài A", quote="58 xã, phường", verified=True)
    return Answer(question=question, answer="Có 58 xã, phường [1].", refused=False, language="vi", mode="extractive",
                  citations=[citation], contexts=[CONTEXT], timings=Timings(retrieval_ms=5, total_ms=9))  # fmt: skip


def tokens(text: str, pause: float) -> list:
    return [item for word in text.split(" ") for item in (TokenEvent(word + " "), pause)]


FLAGGED = "Hội nghị diễn ra ngày 31/7/2025 [1]."
# Question -> events and pauses (seconds). The draft of each stays on screen long enough to be seen.
SCRIPTS = {
    "Câu hỏi nháp?": [0.3, *tokens("Bản nháp chưa kiểm tra về 58 xã", 0.25), 1.5],
    "Câu hỏi bị loại?": [0.3, *tokens("Nháp sai có mã XK-1 không đúng", 0.2), 1.0,
                         DiscardEvent(("no claim",), "compose"), 1.5, *tokens("Có 58 xã", 0.3), 1.0],
    "Câu hỏi dài?": [0.3, *tokens("Một bản nháp viết chậm", 0.5), 4.0],
    "Câu hỏi có câu không đối chiếu được?": [0.3, *tokens(FLAGGED, 0.1), SentenceEvent(
        FLAGGED, len(FLAGGED), False, (reason("figure_absent", figure="date:07-31"),)), *tokens(" Còn nữa", 0.3), 4.0],
}  # fmt: skip


@dataclass
class NoDocuments:
    def file_records(self) -> dict:
        return {}

    def count(self) -> int:
        return 0


@dataclass
class ScriptedAssistant:
    """Plays :data:`SCRIPTS` as :meth:`Assistant.stream` would: evidence, the script, the checked answer."""

    mode: str = "extractive"
    llm_notice: str | None = None
    chat_model: object = None
    index: NoDocuments = field(default_factory=NoDocuments)

    def stream(self, question, history, filters, rewrite=None):
        yield EvidenceEvent([CONTEXT], question, 1.0)
        for item in SCRIPTS[question]:
            if isinstance(item, float):
                time.sleep(item)
            else:
                yield item
        yield DoneEvent(checked(question))


@dataclass
class ScriptedApp:
    url: str
    services: object


@pytest.fixture(scope="module")
def scripted_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScriptedApp]:
    from assistant.feedback import FeedbackStore, default_url
    from assistant.settings import CorpusSettings, IndexSettings, Settings, WebSettings
    from assistant.web.app import build_app, launch
    from assistant.web.services import Services

    root = tmp_path_factory.mktemp("scripted")
    settings = Settings(llm="none", corpus=CorpusSettings(dir=root / "corpus"), index=IndexSettings(dir=root / "index"),
                        web=WebSettings(evals_dir=root / "evals", eval_runs_dir=root / "runs"))  # fmt: skip
    (root / "index").mkdir()
    services = Services(settings=settings, feedback=FeedbackStore(default_url(root / "index")),
                        drafts_path=root / "drafts.jsonl", backends=["none"])  # fmt: skip
    services._assistants["none"] = ScriptedAssistant()
    demo = build_app(settings, services)
    port = free_port()
    launch(demo, services, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        yield ScriptedApp(f"http://127.0.0.1:{port}/", services)
    finally:
        demo.close()
        services.feedback.close()


@pytest.fixture(scope="module")
def page(browser, scripted_app: ScriptedApp) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    page.artifacts = ARTIFACTS
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(scripted_app.url)
    page.wait_for_selector("#question textarea", timeout=TIMEOUT)
    yield page
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(page.artifacts / f"browser-drafts-{name}.png"), full_page=True)


def ask(page, question: str) -> None:
    page.evaluate(DRAFT_OBSERVER)
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")


def wait_done(page, answers: int) -> list[dict]:
    page.wait_for_function(f"document.querySelectorAll('#chat .p2-footer').length >= {answers}", timeout=TIMEOUT)
    return page.evaluate("window.__states")


def last_button(page, label: str):
    """The button labelled ``label`` under the last answer."""
    return page.locator("#chat .message-buttons-left").last.locator(f"button[aria-label='{label}']")


def settles(page, calls: list[str], quiet_ms: int = 2_000, limit_s: float = 30.0) -> bool:
    """True once ``quiet_ms`` pass without a new request (within ``limit_s``)."""
    start = time.monotonic()
    while time.monotonic() - start < limit_s:
        before = len(calls)
        page.wait_for_timeout(quiet_ms)
        if len(calls) == before:
            return True
    return False


def test_draft_is_muted_and_labelled_until_checked(page) -> None:
    ask(page, "Câu hỏi nháp?")
    draft = page.locator("#chat .p2-draft-text").last
    draft.wait_for(state="visible", timeout=TIMEOUT)
    page.wait_for_function("document.querySelector('#chat .p2-draft-text')?.innerText.includes('58')", timeout=TIMEOUT)
    assert "đang kiểm tra…" in page.locator("#chat .p2-draft-label").last.inner_text()
    assert draft.evaluate("e => getComputedStyle(e).fontStyle") == "italic"
    assert page.locator("#chat .p2-badge, #chat .p2-sources").count() == 0, "no ✓ on a draft"
    shot(page, "01-draft")
    states = wait_done(page, 1)
    drafts = [s for s in states if s["draft"]]
    assert drafts and all(s["italic"] and s["muted"] and "đang kiểm tra…" in s["label"] for s in drafts)
    assert not any(s["draft"] and (s["badge"] or s["footer"]) for s in states), "a badge only after checking"
    assert states[-1]["badge"] and not states[-1]["draft"], "the checked answer, with its badge, replaced the draft"
    assert page.locator("#chat .p2-draft").count() == 0 and "✓ đã đối chiếu" in page.inner_text("#chat")


def test_rejected_draft_leaves_the_screen(page) -> None:
    ask(page, "Câu hỏi bị loại?")
    page.wait_for_function("document.querySelector('#chat')?.innerText.includes('XK-1')", timeout=TIMEOUT)
    page.locator("#chat .p2-retrying").wait_for(state="visible", timeout=TIMEOUT)
    assert "XK-1" not in page.inner_text("#chat"), "the rejected text is gone as soon as it is rejected"
    assert "đang thử lại…" in page.locator("#chat .p2-retrying").inner_text()
    shot(page, "02-retrying")
    states = wait_done(page, 2)
    rejected = next(n for n, s in enumerate(states) if s["retrying"])
    assert any("XK-1" in s["text"] for s in states[:rejected]), "the first draft was on screen"
    assert not any("XK-1" in s["text"] for s in states[rejected:]), "and never again after the discard"
    assert any(s["draft"] and "58" in s["text"] for s in states[rejected:]), "the next attempt drafts anew"
    assert states[-1]["badge"] and "XK-1" not in page.inner_text("#chat")


def test_vote_while_streaming_is_refused_clearly(page, scripted_app: ScriptedApp) -> None:
    feedback = scripted_app.services.feedback
    ask(page, "Câu hỏi dài?")
    page.locator("#chat .p2-draft-text").last.wait_for(state="visible", timeout=TIMEOUT)
    last_button(page, DISLIKE_VI).click()
    page.wait_for_function(
        "document.querySelector('#feedback-status')?.innerText.includes('Chưa ghi nhận đánh giá')", timeout=TIMEOUT
    )
    # drawn unvoted again while the answer is still a draft, and nothing was saved
    last_button(page, DISLIKE_VI).wait_for(state="visible", timeout=5_000)
    assert last_button(page, DISLIKED_VI).count() == 0 and page.locator("#chat .p2-draft").count() == 1
    assert feedback.count() == 0 and not page.locator("#feedback-row").is_visible()
    shot(page, "03-vote-refused")
    wait_done(page, 3)
    last_button(page, DISLIKE_VI).click()  # the checked answer takes the vote
    last_button(page, DISLIKED_VI).wait_for(state="visible", timeout=5_000)
    page.wait_for_function("document.querySelector('#feedback-status')?.innerText.includes('Đã ghi nhận 👎')",
                           timeout=TIMEOUT)  # fmt: skip
    (record,) = feedback.records()
    assert (record.rating, record.question) == ("down", "Câu hỏi dài?")
    assert "«Câu hỏi dài?»" in page.inner_text("#feedback-comment")
    shot(page, "04-vote-saved")


def test_vote_stays_drawn_across_a_language_switch(page) -> None:
    page.locator("#lang-switch label", has_text="English").click()
    last_button(page, "Disliked").wait_for(state="visible", timeout=TIMEOUT)
    # Gradio's own button labels are switched in the page at once; the comment box's once the server answers
    page.wait_for_function("document.querySelector('#feedback-comment')?.innerText.includes('what was wrong')",
                           timeout=TIMEOUT)  # fmt: skip
    assert "«Câu hỏi dài?»" in page.inner_text("#feedback-comment")
    page.locator("#lang-switch label", has_text="Tiếng Việt").click()
    last_button(page, DISLIKED_VI).wait_for(state="visible", timeout=TIMEOUT)
    assert page.locator(f"#chat button[aria-label='{LIKE_VI}']").count() == 3


def test_a_new_question_puts_the_comment_box_away(page) -> None:
    assert page.locator("#feedback-row").is_visible()
    ask(page, "Câu hỏi nháp?")
    page.locator("#feedback-row").wait_for(state="hidden", timeout=TIMEOUT)
    wait_done(page, 4)
    assert page.locator(f"#chat button[aria-label='{DISLIKED_VI}']").count() == 1, "the earlier vote stays"


def test_a_flagged_sentence_says_why_in_the_interface_language(page) -> None:
    answered = page.locator("#chat .p2-footer").count()
    ask(page, "Câu hỏi có câu không đối chiếu được?")
    # Read in one step in the page: the draft is redrawn with every token, so a held element goes stale.
    flagged = page.wait_for_function(
        "() => { const f = [...document.querySelectorAll('#chat .p2-sentence-flag')].pop();"
        " return f && f.title ? [f.innerText, f.title] : null; }", timeout=TIMEOUT)  # fmt: skip
    text, title = flagged.json_value()
    assert "⚠" in text and title == "07-31 không có trong các đoạn được trích dẫn"
    shot(page, "05-flagged")
    page.wait_for_function(f"document.querySelectorAll('#chat .p2-footer').length > {answered}", timeout=TIMEOUT)


def test_quick_language_switches_leave_the_page_answering(page) -> None:
    """Two switches in a row, then a question: the switch's handlers settle and the question is answered.

    With one change listener per handler, Gradio's page made them re-run one another without end
    (tens of requests a second) and the question was never sent (see ``Controls.wire_changes``).
    """
    calls: list[str] = []
    page.on("request", lambda request: calls.append(request.url) if "gradio_api" in request.url else None)
    for _ in range(3):
        answered = page.locator("#chat .p2-footer").count()
        page.locator("#lang-switch label", has_text="English").click()
        page.locator("#lang-switch label", has_text="Tiếng Việt").click()
        ask(page, "Câu hỏi nháp?")
        page.wait_for_function(f"document.querySelectorAll('#chat .p2-footer').length > {answered}", timeout=TIMEOUT)
    assert settles(page, calls), "the page stops asking the server once the switches are done"
    assert page.locator("#lang-switch input[value='vi']").is_checked()


def test_a_language_chosen_while_the_answer_is_written_applies_to_it(page) -> None:
    """The switch leaves the answer being written alone (drawing the page's older copy of the chat back
    would put a stale draft over it); once the answer ends it is drawn in the language chosen."""
    answered = page.locator("#chat .p2-footer").count()
    ask(page, "Câu hỏi dài?")
    page.locator("#chat .p2-draft-text").last.wait_for(state="visible", timeout=TIMEOUT)
    page.locator("#lang-switch label", has_text="English").click()
    page.wait_for_function(f"document.querySelectorAll('#chat .p2-footer').length > {answered}", timeout=TIMEOUT)
    page.wait_for_function(
        "() => { const m = [...document.querySelectorAll('#chat .p2-sources')].pop();"
        " return m && m.innerText.includes('checked'); }", timeout=TIMEOUT)  # fmt: skip
    last = page.locator("#chat .p2-sources").last.inner_text()
    assert "đối chiếu" not in last and page.locator("#chat .p2-draft").count() == 0
    shot(page, "07-language-during-answer")
    page.locator("#lang-switch label", has_text="Tiếng Việt").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#chat .p2-sources')].pop().innerText.includes('đối chiếu')",
        timeout=TIMEOUT,
    )
