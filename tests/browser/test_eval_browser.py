"""The Evaluation tab in headless Chromium: a bad upload is named by line, a small set runs and reports.

The app (see conftest.py) runs extractively in a temporary working directory, so its
question sets are ``<workdir>/evals/*.jsonl`` and its runs go to ``<workdir>/eval-results/web/``.
The tests share one page logged in as the admin and run in file order.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SMALL_SET = REPO / "tests" / "eval_sets" / "small.jsonl"
TIMEOUT = 60_000


def login(browser, app, user: tuple[str, str]):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    page.goto(app.url)
    page.fill("input[data-testid='textbox']", user[0])
    page.fill("input[data-testid='password']", user[1])
    page.click("button:has-text('Login')")
    page.wait_for_selector("#question textarea", timeout=TIMEOUT)
    return context, page


@pytest.fixture(scope="module")
def page(browser, app) -> Iterator[object]:
    evals = app.workdir / "evals"
    evals.mkdir(exist_ok=True)
    shutil.copyfile(SMALL_SET, evals / "small.jsonl")  # listed when the tab opens
    context, page = login(browser, app, app.admin)
    page.artifacts = app.artifacts
    page.get_by_role("tab", name="Đánh giá").click()
    page.locator("#eval-run").wait_for(state="visible", timeout=TIMEOUT)
    yield page
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(page.artifacts / f"browser-eval-{name}.png"), full_page=True)


def choose(page, dropdown: str, option: str) -> None:
    page.locator(f"{dropdown} input").click()
    page.get_by_role("option", name=option).click()


def test_eval_bad_upload_names_the_line(page, tmp_path: Path) -> None:
    good = SMALL_SET.read_text(encoding="utf-8").splitlines()[1]
    bad = tmp_path / "hong.jsonl"
    bad.write_text(f'{good}\n{{"id": "x", "question": "?"\n', encoding="utf-8")
    page.locator("#eval-upload input[type='file']").set_input_files(str(bad))
    page.wait_for_function(
        "document.querySelector('#eval-status')?.innerText.includes('hong.jsonl, dòng 2')", timeout=TIMEOUT
    )
    assert "Traceback" not in page.inner_text("#eval-status")
    shot(page, "01-bad-upload")
    page.locator("#eval-upload button[aria-label='Xoá']").first.click()  # back to the listed sets
    page.locator("#eval-upload input[type='file']").wait_for(state="attached", timeout=TIMEOUT)


# The most progress bars drawn at once in the Evaluation tab while a run goes on.
PROGRESS_OBSERVER = """
window.__bars = 0;
new MutationObserver(() => {
  const shown = [...document.querySelectorAll('#eval-admin [data-testid=status-tracker]')]
    .filter(t => !t.classList.contains('hide') && t.getClientRects().length > 0);
  window.__bars = Math.max(window.__bars, shown.length);
}).observe(document.querySelector('#eval-admin'), {subtree: true, childList: true, attributes: true});
"""


def test_eval_small_set_runs_and_reports(page, app) -> None:
    choose(page, "#eval-set", "small.jsonl")
    page.evaluate(PROGRESS_OBSERVER)
    page.click("#eval-run")
    page.locator("#eval-metrics table").wait_for(state="visible", timeout=TIMEOUT)
    assert page.evaluate("window.__bars") == 1, "one progress bar for a run"
    status = page.inner_text("#eval-status")
    assert "Đã chạy 5 câu hỏi của small.jsonl (trích nguyên văn tài liệu)" in status  # the backend in words
    metrics = page.inner_text("#eval-metrics")
    assert "tỷ lệ đạt" in metrics and "5 câu hỏi" in metrics
    page.locator("#eval-plots img").first.wait_for(state="visible", timeout=TIMEOUT)
    failing = page.locator("#eval-failing tr", has_text="x-fail-001")
    assert failing.count() == 1 and "ZQ-NEVER-0000" in failing.inner_text()
    assert "thiếu dữ kiện" in failing.inner_text()
    links = page.locator("#eval-downloads a")
    links.first.wait_for(state="visible", timeout=TIMEOUT)
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    for name in ("results.jsonl", "metrics.json", "report.html", "report.md"):
        assert any(href.endswith("/" + name) for href in hrefs), (name, hrefs)
        assert name in page.inner_text("#eval-downloads")
    runs = list((app.workdir / "eval-results" / "web").glob("*-small-extractive"))
    assert len(runs) == 1 and (runs[0] / "report.html").is_file() and (runs[0] / "questions.jsonl").is_file()
    assert page.inner_text("#eval-banner").strip() == ""  # no baseline chosen
    judge = page.locator("#eval-status .p2-eval-status").nth(1).inner_text()  # no judge is configured here
    assert judge.startswith("Mô hình giám khảo") and "LLM judge" not in status
    shot(page, "02-report")


def test_eval_rerun_against_the_previous_run(page, app) -> None:
    (previous,) = (app.workdir / "eval-results" / "web").glob("*-small-extractive")
    choose(page, "#eval-baseline", f"runs/{previous.name}")
    page.click("#eval-run")
    page.wait_for_function("document.querySelector('#eval-metrics')?.innerText.includes('Chênh lệch')", timeout=TIMEOUT)
    banner = page.locator("#eval-banner .p2-no-regression, #eval-banner .p2-regression").first
    banner.wait_for(state="visible", timeout=TIMEOUT)
    assert "p2-no-regression" in banner.get_attribute("class")  # the same extractive answers again
    assert "Câu hỏi đổi kết quả so với lần trước (0)" in page.inner_text("#eval-flipped")
    shot(page, "03-baseline")


def test_eval_is_for_admins_only(browser, app) -> None:
    context, page = login(browser, app, ("official", "pw-user-1"))
    try:
        page.get_by_role("tab", name="Đánh giá").click()
        page.get_by_text("Chỉ quản trị viên mới chạy được đánh giá.").wait_for(state="visible", timeout=TIMEOUT)
        assert not page.locator("#eval-run").is_visible()
    finally:
        context.close()
