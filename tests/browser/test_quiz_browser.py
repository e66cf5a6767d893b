"""The Quiz tab (Câu hỏi ôn tập) in headless Chromium, as an ordinary signed-in user (a trainer, not an admin).

As the At a glance test does, a temporary corpus is indexed by ``assistant index`` and ``app.py`` is
started extractively on a free loopback port, here with one user and one admin. The corpus is the task
list and the guidebook of ``tests/test_quiz_generate.py``'s real-index test, which give five items. What
the page must show is read from the same index by ``assistant quiz --format json`` with the same choices.
The tests share one page and run in file order: build a 5-item quiz, edit one item (a wrong key is
refused by the re-check, a reworded stem passes), keep a failing item by force (marked), download GIFT
and Moodle XML and read both back with the package's Moodle readers, then switch to English.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
from procs import free_port, stop, wait_until_up
from quiz_parsers import moodle_view
from test_glance_browser import TIMEOUT, _env
from test_quiz_generate import GUIDE, LIST_CSV

from assistant.quiz.export.gift_parse import read_gift
from assistant.quiz.export.moodle_xml import read_moodle_xml

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SHOTS = (ARTIFACTS, Path("/tmp/quiz"))
USER, ADMIN = ("trainer", "pw-trainer-1"), ("admin", "pw-admin-1")
TYPES = ("multichoice", "truefalse", "shortanswer")
ITEMS, SEED = 5, 2
BUILD_TIMEOUT = 180_000  # the build checks each candidate with the search; the cores may be shared
HOSTILE = '<img src=x onerror="window.__pwned=1"> theo sổ tay'
STEMS = "() => [...document.querySelectorAll('#quiz-items .p2-quiz-stem')].map(e => e.innerText.trim())"
IDS = "() => [...document.querySelectorAll('#quiz-items .p2-quiz-item')].map(e => e.dataset.itemId)"


@dataclass
class QuizApp:
    url: str
    items: list[dict]  # the quiz `assistant quiz --format json` builds with the same choices


@pytest.fixture(scope="module")
def quiz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QuizApp]:
    root = tmp_path_factory.mktemp("quiz")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "danh-sach.csv").write_text(LIST_CSV, encoding="utf-8")
    (corpus / "so-tay.md").write_text(GUIDE, encoding="utf-8")
    env = _env(root)
    env.update(ASSISTANT_WEB__USERS=json.dumps(dict([USER])), ASSISTANT_WEB__ADMINS=json.dumps(dict([ADMIN])))
    cli = Path(sys.executable).with_name("assistant")
    subprocess.run([str(cli), "index"], env=env, cwd=root, check=True, capture_output=True, timeout=600)
    types = [arg for kind in TYPES for arg in ("--type", kind)]
    subprocess.run([str(cli), "quiz", "-n", str(ITEMS), "--seed", str(SEED), *types, "-f", "json", "-o", "cli.json"],
                   env=env, cwd=root, check=True, capture_output=True, timeout=600)  # fmt: skip
    items = json.loads((root / "cli.json").read_text(encoding="utf-8"))["quiz"]["items"]
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "browser-quiz-app.log"
    env.update(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(port))
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, str(REPO / "app.py")], env=env, cwd=root, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process, log)
        yield QuizApp(url, items)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def page(browser, quiz_app: QuizApp) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.goto(quiz_app.url)
    page.fill("input[data-testid='textbox']", USER[0])
    page.fill("input[data-testid='password']", USER[1])
    page.click("button:has-text('Login')")
    page.wait_for_selector("#question textarea", timeout=TIMEOUT)
    page.get_by_role("tab", name="Câu hỏi ôn tập").click()
    page.locator("#quiz-build").wait_for(state="visible", timeout=TIMEOUT)
    yield page
    context.close()


def shot(page, name: str) -> None:
    for folder in SHOTS:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"browser-quiz-{name}.png"), full_page=True)


def stems(page) -> list[str]:
    return [" ".join(stem.split()) for stem in page.evaluate(STEMS)]


def pick(page, label: re.Pattern[str]) -> None:
    """Choose an item in the review dropdown and wait for the form to show it."""
    page.locator("#quiz-pick input").click()
    option = page.get_by_role("option", name=label).first
    number = int(option.inner_text().split(".", 1)[0])  # "3. [Trắc nghiệm 4 lựa chọn] Theo …"
    option.click()
    page.wait_for_function(  # the list marks the item and the form shows it (one response)
        f"document.querySelectorAll('#quiz-items .p2-quiz-item')[{number - 1}]?.classList.contains('p2-quiz-picked')",
        timeout=TIMEOUT,
    )


def save_and_wait(page, text: str) -> str:
    page.locator("#quiz-check").evaluate("e => e.dataset.seen = e.innerText")
    page.locator("#quiz-save").click()
    page.wait_for_function(
        f"(() => {{ const e = document.querySelector('#quiz-check'); return e && e.innerText !== e.dataset.seen "
        f"&& e.innerText.includes({json.dumps(text)}); }})()",
        timeout=TIMEOUT,
    )
    return page.inner_text("#quiz-check")


def test_build_a_five_item_quiz(page, quiz_app: QuizApp) -> None:
    polish = page.locator("#quiz-polish input[type=checkbox]")  # the app answers extractively: no model to reword
    assert (
        polish.is_disabled()
        and not polish.is_checked()
        and "Cần một mô hình ngôn ngữ" in page.inner_text("#quiz-polish")
    )
    page.fill("#quiz-count input", str(ITEMS))
    page.fill("#quiz-seed input", str(SEED))
    for label in ("Điền số", "Ghép nối"):  # numerical and matching off: the three types of the CLI run
        page.locator("#quiz-types label", has_text=label).click()
    page.locator("#quiz-build").click()
    page.wait_for_function("document.querySelector('#quiz-status')?.innerText.includes('Đã soạn')",
                           timeout=BUILD_TIMEOUT)  # fmt: skip
    assert "Đã soạn 5/5 câu" in page.inner_text("#quiz-status")
    page.wait_for_function(f"({STEMS})().length === {ITEMS}", timeout=TIMEOUT)
    assert stems(page) == [" ".join(item["stem"].split()) for item in quiz_app.items]  # as the CLI builds it
    for item, card in zip(quiz_app.items, page.locator("#quiz-items .p2-quiz-item").all(), strict=True):
        assert card.get_attribute("data-item-id") == item["id"]
        assert " ".join(item["citation"]["quote"].split()) in " ".join(
            card.locator("mark.p2-quote").inner_text().split()
        )
        if item["type"] == "multichoice":
            key = card.locator(".p2-quiz-option.p2-quiz-key")
            assert key.count() == 1 and "✓" in key.inner_text()
            assert next(o["text"] for o in item["options"] if o["correct"]) in key.inner_text()
    report = page.inner_text("#quiz-report")
    assert "Giữ lại: 5" in report and "Báo cáo chất lượng" in report
    for fmt in ("gift", "moodle_xml", "kahoot_xlsx", "csv", "json", "anki", "html", "eval_jsonl"):
        assert page.locator(f"#quiz-download-{fmt}").is_enabled()
    shot(page, "01-built")


def test_edit_one_item_is_checked_again(page, quiz_app: QuizApp) -> None:
    before = stems(page)
    pick(page, re.compile(r"\[Trắc nghiệm 4 lựa chọn\]"))
    key = page.locator("#quiz-edit-key input:checked").get_attribute("value")
    wrong = next(letter for letter in "ABCD" if letter != key)
    page.locator("#quiz-edit-key label", has_text=wrong).click()
    refused = save_and_wait(page, "Chưa lưu")
    assert "Đáp án không có trong đoạn trích dẫn" in refused and "key.not_in_quote" not in refused
    assert page.locator('#quiz-check .p2-quiz-why[title^="key.not_in_quote: "]').count() >= 1  # the detail on hover
    assert stems(page) == before  # not kept
    page.locator("#quiz-edit-key label", has_text=key).click()
    stem = page.input_value("#quiz-edit-stem textarea")
    assert stem.startswith("Theo ")
    page.fill("#quiz-edit-stem textarea", "Căn cứ " + stem.removeprefix("Theo "))
    page.fill("#quiz-edit-explanation textarea", HOSTILE)
    assert "Đã lưu: câu hỏi đạt mọi kiểm tra" in save_and_wait(page, "Đã lưu")
    page.wait_for_function(f"({STEMS})().some(s => s.startsWith('Căn cứ '))", timeout=TIMEOUT)
    edited = page.locator("#quiz-items .p2-quiz-picked")
    assert edited.locator(".p2-quiz-stem").inner_text().startswith("Căn cứ ")
    assert HOSTILE in edited.locator(".p2-quiz-expl").inner_text()  # drawn as text
    assert len(stems(page)) == ITEMS
    shot(page, "02-edited")


def test_a_failing_edit_is_kept_only_by_force_and_marked(page) -> None:
    pick(page, re.compile(r"\[Đúng \/ Sai\]"))  # "/" escaped: Playwright writes the pattern as /…/
    truth = page.locator("#quiz-edit-key input:checked").get_attribute("value")
    page.locator("#quiz-edit-key label", has_text="Sai" if truth == "true" else "Đúng").click()
    assert "Đáp án không có trong đoạn trích dẫn" in save_and_wait(page, "Chưa lưu")
    assert page.locator("#quiz-items .p2-quiz-forced").count() == 0
    page.locator("#quiz-force input").check()
    assert "Đã lưu theo yêu cầu" in save_and_wait(page, "Đã lưu theo yêu cầu")
    forced = page.locator("#quiz-items .p2-quiz-forced")
    forced.wait_for(timeout=TIMEOUT)
    note = forced.locator(".p2-quiz-forced-note").inner_text()
    assert forced.count() == 1 and "Đáp án không có trong đoạn trích dẫn" in note
    assert "Câu giữ lại dù không đạt kiểm tra" in page.inner_text("#quiz-report")
    assert "⚠" in page.locator("#quiz-pick input").input_value()
    shot(page, "03-forced")


def test_gift_and_moodle_xml_downloads_read_back(page, quiz_app: QuizApp, tmp_path: Path) -> None:
    on_page, ids = stems(page), page.evaluate(IDS)
    read = {}
    for fmt, reader in (("gift", read_gift), ("moodle_xml", read_moodle_xml)):
        with page.expect_download(timeout=TIMEOUT) as download:
            page.locator(f"#quiz-download-{fmt}").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        read[fmt] = [q for q in reader(path) if q.qtype != "category"]
    gift, xml = read["gift"], read["moodle_xml"]
    assert [q.idnumber for q in gift] == [q.idnumber for q in xml] == ids
    assert [" ".join(q.text.split()) for q in gift] == on_page
    assert [moodle_view(q) for q in gift] == [moodle_view(q) for q in xml]  # both formats say the same
    edited = next(q for q in gift if q.text.startswith("Căn cứ "))
    assert HOSTILE in moodle_view(edited)["general_feedback"]  # as text, in the item's feedback
    forced_id = page.locator("#quiz-items .p2-quiz-forced").get_attribute("data-item-id")
    forced = next(q for q in xml if q.idnumber == forced_id)
    original = next(item for item in quiz_app.items if item["stem"] == forced.text)
    assert forced.qtype == "truefalse" and forced.correct is not original["truth"]  # the flipped key, as forced
    links = page.locator("#quiz-report-files a")  # the quality report that goes with them
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    markdown = next(href for href in hrefs if href.endswith("/plan02-quiz.report.md"))
    assert any(href.endswith("/plan02-quiz.report.json") for href in hrefs), hrefs
    report = page.request.get(urljoin(page.url, markdown)).text()
    assert "kept: **5**" in report and "## Kept by the trainer although the checks failed" in report
    assert f"- {forced_id}:" in report and "| gift | `plan02-quiz.gift.txt` | 5 | 0 |" in report


def wait_check(page, *texts: str) -> str:
    """The review's message once it says one of ``texts``."""
    page.wait_for_function(f"{json.dumps(texts)}.some(t => document.querySelector('#quiz-check')?.innerText.includes(t))",
                           timeout=TIMEOUT)  # fmt: skip
    return page.inner_text("#quiz-check")


def test_discard_and_regenerate_are_reported(page) -> None:
    pick(page, re.compile(r"^2\. "))
    second = page.evaluate(IDS)[1]
    page.locator("#quiz-discard").click()
    wait_check(page, "Đã bỏ câu hỏi")
    page.wait_for_function(f"({IDS})().length === {ITEMS - 1}", timeout=TIMEOUT)
    assert second not in page.evaluate(IDS)
    pick(page, re.compile(r"^1\. "))
    first = page.evaluate(IDS)[0]
    page.locator("#quiz-regenerate").click()
    if "Đã thay" in wait_check(page, "Đã thay", "Không còn"):
        page.wait_for_function(f"({IDS})()[0] !== {json.dumps(first)}", timeout=TIMEOUT)
        assert len(page.evaluate(IDS)) == ITEMS - 1 and first not in page.evaluate(IDS)
    report = page.inner_text("#quiz-report")
    assert "Người soạn đã loại bỏ" in report and "Đã thay theo yêu cầu của người soạn" in report
    assert f"Giữ lại: {len(page.evaluate(IDS))}" in report
    shot(page, "04-reviewed")


def test_english_labels(page) -> None:
    page.locator("#lang-switch label", has_text="English").click()
    page.wait_for_function("document.querySelector('#quiz-build')?.innerText.includes('Build quiz')", timeout=TIMEOUT)
    page.wait_for_function("document.querySelector('#quiz-report')?.innerText.includes('Kept: ')", timeout=TIMEOUT)
    assert "Item 1" in page.inner_text("#quiz-items") and "Multiple choice" in page.inner_text("#quiz-types")
    assert "Needs a language model" in page.inner_text("#quiz-polish")
    page.get_by_role("tab", name="Quiz").wait_for(timeout=TIMEOUT)
    shot(page, "05-english")


def test_document_and_trainer_text_never_runs_as_code(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
