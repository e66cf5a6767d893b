"""End to end in headless Chromium: ask, read sources, give feedback, upload, and no script injection.

The tests share one logged-in page and run in file order (each builds on the
previous one's conversation). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

QUESTION_VI = "Hội nghị tại tỉnh Bắc Giang có bao nhiêu xã, phường?"
UPLOADED = "Mã số thử nghiệm XJ-4471 được cấp cho xã Hòa An thuộc tỉnh Bắc Ninh vào ngày 15 tháng 3 năm 2025.\n"
TIMEOUT = 60_000

# Records when evidence and sources first appear in the chat, and any script injection.
OBSERVER = """
window.__seen = {};
new MutationObserver(() => {
  for (const cls of ['p2-evidence', 'p2-sources']) {
    if (!window.__seen[cls] && document.querySelector('#chat .' + cls)) window.__seen[cls] = performance.now();
  }
}).observe(document, {subtree: true, childList: true});
"""


@pytest.fixture(scope="module")
def page(browser, app) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    page.dialogs = []
    page.artifacts = app.artifacts
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(app.url)
    page.fill("input[data-testid='textbox']", app.admin[0])
    page.fill("input[data-testid='password']", app.admin[1])
    page.click("button:has-text('Login')")
    page.wait_for_selector("#question textarea", timeout=TIMEOUT)
    page.evaluate(OBSERVER)
    yield page
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(page.artifacts / f"browser-{name}.png"), full_page=True)


def new_chat(page) -> None:
    page.click("#new-chat")
    page.wait_for_function("document.querySelectorAll('#chat .p2-footer').length === 0", timeout=TIMEOUT)


def ask(page, question: str) -> object:
    """Ask and wait for the finished answer; the last assistant message."""
    before = page.locator("#chat .p2-footer").count()
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"document.querySelectorAll('#chat .p2-footer').length > {before}", timeout=TIMEOUT
    )
    return page.locator("#chat .message.bot, #chat [data-testid='bot']").last


def test_page_opens_in_vietnamese(page) -> None:
    assert "Trợ lý Kế hoạch 02-KH/BCĐTW" in page.inner_text("#title")
    page.wait_for_function("document.querySelector('#versions')?.innerText.includes('tài liệu')", timeout=TIMEOUT)
    shot(page, "01-open")


def test_vietnamese_question_streams_evidence_answer_and_sources(page) -> None:
    ask(page, QUESTION_VI)
    sources = page.locator("#chat .p2-sources").last
    assert "[1]" in sources.inner_text()
    seen = page.evaluate("window.__seen")
    assert seen["p2-evidence"] <= seen["p2-sources"]  # evidence was shown before the sources
    answer_text = page.locator("#chat .p2-evidence").last.locator("xpath=..").inner_text()
    assert "58" in answer_text
    shot(page, "02-answer")


def test_source_preview_highlights_the_quote(page) -> None:
    page.locator("#chat .p2-source > summary").first.click()
    mark = page.locator("#chat .p2-source[open] mark.p2-quote").first
    mark.wait_for(state="visible", timeout=TIMEOUT)
    assert mark.inner_text().strip()
    preview = page.locator("#chat .p2-source[open] .p2-preview").first
    assert preview.locator("a.p2-link").first.get_attribute("href").startswith("https://")
    shot(page, "03-preview")


def test_thumbs_down_with_comment_is_stored(page, app) -> None:
    page.locator("#chat button[aria-label='Dislike']").last.click()
    comment = page.locator("#feedback-comment textarea")
    comment.wait_for(state="visible", timeout=TIMEOUT)
    comment.fill("Thiếu nguồn chính thức")
    page.click("#feedback-send")
    page.wait_for_function(
        "document.querySelector('#feedback-status')?.innerText.includes('Đã lưu góp ý')", timeout=TIMEOUT
    )
    with sqlite3.connect(app.index / "feedback.sqlite3") as conn:
        rows = conn.execute("select rating, comment, question, citations, backend, corpus_version from feedback").fetchall()
    assert len(rows) == 1
    rating, text, question, citations, backend, corpus_version = rows[0]
    assert (rating, text, question, backend) == ("down", "Thiếu nguồn chính thức", QUESTION_VI, "extractive")
    assert '"n": 1' in citations and corpus_version
    shot(page, "04-feedback")
    page.get_by_role("tab", name="Góp ý").click()
    page.locator("#feedback-table").get_by_text("Thiếu nguồn chính thức").wait_for(timeout=TIMEOUT)
    shot(page, "04b-feedback-tab")
    page.get_by_role("tab", name="Hỏi đáp").click()


def test_admin_upload_becomes_answerable(page, app, tmp_path: Path) -> None:
    upload = tmp_path / "ghi-chu-thu-nghiem.md"
    upload.write_text("# Ghi chú thử nghiệm\n\n" + UPLOADED, encoding="utf-8")
    page.get_by_role("tab", name="Tài liệu").click()
    page.locator("#upload-files input[type='file']").set_input_files(str(upload))
    page.click("#upload")
    page.wait_for_function(
        "document.querySelector('#corpus-status')?.innerText.includes('Đã lập chỉ mục')", timeout=TIMEOUT
    )
    assert (app.corpus / "uploads" / upload.name).exists()
    page.wait_for_function(
        "document.querySelector('#corpus-table')?.innerText.includes('uploads/ghi-chu-thu-nghiem.md')", timeout=TIMEOUT
    )
    shot(page, "05-uploaded")
    page.get_by_role("tab", name="Hỏi đáp").click()
    new_chat(page)
    ask(page, "Mã số thử nghiệm XJ-4471 được cấp cho xã nào?")
    last = page.locator("#chat .p2-footer").last.locator("xpath=..")
    assert "Hòa An" in last.inner_text()
    assert "ghi-chu-thu-nghiem.md" in last.locator(".p2-sources").inner_text() or "Ghi chú thử nghiệm" in last.inner_text()
    shot(page, "06-uploaded-answer")


def test_planted_script_never_runs(page) -> None:
    new_chat(page)
    ask(page, "Mã kiểm tra an toàn ZQ-9090 dùng để làm gì?")
    for details in page.locator("#chat details").all():
        if not details.get_attribute("open"):
            details.locator("summary").first.click()
    page.get_by_role("tab", name="Tài liệu").click()
    page.wait_for_function(
        "document.querySelector('#corpus-table')?.innerText.includes('planted.md')", timeout=TIMEOUT
    )
    page.get_by_role("tab", name="Hỏi đáp").click()
    page.mouse.move(10, 10)
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert "ZQ-9090" in page.inner_text("#chat")
    assert page.locator("#chat script, #chat img[src='x'], #chat [onerror], #chat [onmouseover]").count() == 0
    shot(page, "07-no-injection")


def test_english_interface_and_refusal_with_closest_passages(page) -> None:
    page.locator("#lang-switch label", has_text="English").click()
    page.wait_for_function("document.querySelector('#send')?.innerText.includes('Send')", timeout=TIMEOUT)
    assert "Plan 02-KH/BCĐTW Assistant" in page.inner_text("#title")
    # the answers already on screen are drawn again with English labels
    page.wait_for_function("document.querySelector('#chat .p2-sources')?.innerText.includes('checked')", timeout=TIMEOUT)
    assert "đã đối chiếu" not in page.inner_text("#chat")
    new_chat(page)
    ask(page, "What is the capital of France?")
    closest = page.locator("#chat .p2-closest").last
    assert "Closest passages found" in closest.inner_text()
    assert page.locator("#chat .p2-sources").count() == 0
    shot(page, "08-english-refusal")


def test_local_model_answers_with_query_rewriting_switched_on(page, app) -> None:
    rewrite = page.locator("#rewrite")
    assert not rewrite.is_visible(), "no model to translate with the quoting backend"
    page.locator("#backend label", has_text="Model on this computer").click()
    rewrite.wait_for(state="visible", timeout=TIMEOUT)
    page.wait_for_function("document.querySelector('#versions')?.innerText.includes('qwen2.5-0.5b')", timeout=TIMEOUT)
    rewrite.locator("input[type='checkbox']").check()
    new_chat(page)
    question = "When does the urgent phase of Plan 02 end?"
    before = page.locator("#chat .p2-footer").count()
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('#chat .p2-footer').length > {before}", timeout=300_000)
    footer = page.locator("#chat .p2-footer").last.inner_text()
    # the model answered, or was asked and its reply was not usable (the 0.5B's often is not)
    assert "qwen2.5-0.5b" in footer or "language model gave no usable answer" in footer, footer
    assert "[1]" in page.locator("#chat .p2-sources").last.inner_text()
    assert page.locator("#chat .p2-evidence").count() >= 1
    with sqlite3.connect(app.workdir / "rewrite-cache.sqlite") as db:  # the switch reached the search
        prompts = [row[0] for row in db.execute("SELECT prompt FROM full_llm_cache")]
    assert any(question in prompt for prompt in prompts)
    shot(page, "09-local-model-rewrite")
