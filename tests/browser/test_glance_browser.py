"""The "At a glance" tab (Tổng quan) in headless Chromium, over a real index of a small corpus.

As the other browser tests do (see conftest.py), a temporary corpus is indexed by ``assistant index``
and ``app.py`` is started extractively on a free loopback port; here without login (loopback, no
users). The corpus: a Vietnamese guidebook with dated deadlines and a phase (a start and an end in one
sentence), a CSV task list with a lead agency and a deadline per row, and a Ukrainian article. What the
page must show is read from the same index through ``assistant glance --format json``. The tests
share one page and run in file order.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from procs import free_port, stop, wait_until_up

from assistant.spreadsheet import unguard
from assistant.web.texts_en import EN

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
TIMEOUT = 60_000
GUIDEBOOK = """# Sổ tay hướng dẫn thực hiện Kế hoạch 02

Giai đoạn cấp bách kéo dài đến ngày 30/6/2025.

Giai đoạn bứt phá từ ngày 1/7/2025 đến ngày 31/12/2025.

Sở Tư pháp chủ trì kết nối cơ sở dữ liệu hộ tịch trước ngày 30/11/2025.

Ghi chú <img src=x onerror="window.__pwned=1"> về hồ sơ <script>window.__pwned=2</script> của cấp xã.
"""
TASKS = (
    "Nhiệm vụ,Cơ quan chủ trì,Thời hạn\n"
    "Rà soát danh mục thủ tục,Văn phòng UBND tỉnh,2025-07-31\n"
    "Bồi dưỡng kỹ năng số cho cấp xã,UBND cấp xã,2025-12-15\n"
)
ARTICLE_UK = "План.\n\nТерміновий етап триває до 30 червня 2025 року.\n"
# Every row of the table as the texts of its cells (the table draws only the rows in view: few here).
ROWS = """() => [...document.querySelectorAll('#glance-table .virtual-row')]
  .map(r => [...r.querySelectorAll('[role=gridcell]')].map(c => c.innerText.trim()))"""
LEVEL_COLUMN, TEXT_COLUMN = 4, 5
GRADIO_ENGLISH = {text for key, text in EN.items() if key.startswith("gradio.")}
# Texts, aria-labels and titles of the tab's table, filters and buttons that are one of Gradio's English strings.
GRADIO_ENGLISH_IN_TAB = """(strings) => {
  const found = [];
  for (const id of ['#glance-table', '#glance-kinds', '#glance-levels', '#glance-types', '#glance-refresh',
                    '#glance-download-csv']) {
    const root = document.querySelector(id);
    for (const e of root ? [root, ...root.querySelectorAll('*')] : []) {
      const texts = [e.getAttribute('aria-label'), e.getAttribute('title'),
                     ...[...e.childNodes].filter(n => n.nodeType === 3).map(n => n.nodeValue.trim())];
      found.push(...texts.filter(text => text && strings.includes(text)));
    }
  }
  return found;
}"""


@dataclass
class GlanceApp:
    url: str
    facts: list[dict]  # every fact, as `assistant glance --format json` gives them
    commune: list[dict]  # those of the commune level


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "GRADIO_"))}
    env.update(ASSISTANT_LLM="none", ASSISTANT_CORPUS__DIR=str(root / "corpus"),
               ASSISTANT_INDEX__DIR=str(root / "index"))  # fmt: skip
    return env


def _glance(env: dict[str, str], root: Path, *args: str) -> list[dict]:
    cli = Path(sys.executable).with_name("assistant")
    done = subprocess.run([str(cli), "glance", "--format", "json", *args], env=env, cwd=root, check=True,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def glance_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GlanceApp]:
    root = tmp_path_factory.mktemp("glance")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "so-tay.md").write_text(GUIDEBOOK, encoding="utf-8")
    (corpus / "danh-sach.csv").write_text(TASKS, encoding="utf-8")
    (corpus / "uk.txt").write_text(ARTICLE_UK, encoding="utf-8")
    env = _env(root)
    cli = Path(sys.executable).with_name("assistant")
    subprocess.run([str(cli), "index"], env=env, cwd=root, check=True, capture_output=True, timeout=600)
    facts, commune = _glance(env, root), _glance(env, root, "--level", "commune")
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "browser-glance-app.log"
    env.update(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(port))
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, str(REPO / "app.py")], env=env, cwd=root, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process, log)
        yield GlanceApp(url, facts, commune)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def page(browser, glance_app: GlanceApp) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.goto(glance_app.url)
    page.wait_for_selector("#question textarea", timeout=TIMEOUT)
    page.get_by_role("tab", name="Tổng quan").click()
    yield page
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"browser-glance-{name}.png"), full_page=True)


def rows(page) -> list[list[str]]:
    return page.evaluate(ROWS)


def test_the_corpus_has_what_the_tab_must_show(glance_app: GlanceApp) -> None:
    kinds = {f["kind"] for f in glance_app.facts}
    dated = {f["date"] for f in glance_app.facts if f["kind"] == "deadline"}
    assert {"deadline", "responsibility"} <= kinds and {"2025-06-30", "2025-12-15"} <= dated
    assert glance_app.commune and len(glance_app.commune) < len(glance_app.facts)


def test_tab_shows_the_timeline_and_every_fact(page, glance_app: GlanceApp) -> None:
    total = len(glance_app.facts)
    page.wait_for_function(f"({ROWS})().length === {total}", timeout=TIMEOUT)
    caption = page.inner_text("#glance-caption")
    assert f"{total} / {total} dòng" in caption
    # the timeline is drawn by Plotly: one marker per dated deadline and level, and the legend in Vietnamese
    page.locator("#glance-plot .js-plotly-plot .scatterlayer .point").first.wait_for(state="attached", timeout=TIMEOUT)
    dated = [f for f in glance_app.facts if f["kind"] == "deadline" and not f["date"].startswith("--")]
    assert page.locator("#glance-plot .scatterlayer .point").count() >= len(dated)
    legend = page.locator("#glance-plot .legend").text_content()
    assert "Hạn chót" in legend
    assert "Giai đoạn" in legend, "the phase 1/7/2025 – 31/12/2025 is drawn as a bar"
    found = page.evaluate(GRADIO_ENGLISH_IN_TAB, sorted(GRADIO_ENGLISH))
    assert not found, f"Gradio's English strings in the Vietnamese tab: {found}"
    shot(page, "01-opened")


def test_filter_by_level_shows_only_that_level(page, glance_app: GlanceApp) -> None:
    page.locator("#glance-levels label", has_text="Xã").click()
    n = len(glance_app.commune)
    page.wait_for_function(f"({ROWS})().length === {n}", timeout=TIMEOUT)
    shown = rows(page)
    assert all("Xã" in row[LEVEL_COLUMN] for row in shown), shown
    expected = {f["text"] for f in glance_app.commune}
    assert {row[TEXT_COLUMN] for row in shown} == expected
    assert f"{n} / {len(glance_app.facts)} dòng" in page.inner_text("#glance-caption")
    shot(page, "02-commune")


def test_a_row_opens_its_sources_with_the_quote_highlighted(page, glance_app: GlanceApp) -> None:
    wanted = next(f for f in glance_app.commune if f["evidence"][0]["source"] == "danh-sach.csv")
    number = next(i for i, row in enumerate(rows(page)) if row[TEXT_COLUMN] == wanted["text"])
    page.locator(f"#glance-table [data-testid='cell-{number}-{TEXT_COLUMN}']").click()
    mark = page.locator("#glance-sources mark.p2-quote").first
    mark.wait_for(state="visible", timeout=TIMEOUT)
    evidence = wanted["evidence"][0]
    assert " ".join(mark.inner_text().split()) == " ".join(evidence["quote"].split())
    panel = page.inner_text("#glance-sources")
    assert "danh-sach.csv" in panel and f"row {evidence['row']}" in panel
    assert "✓ đã kiểm chứng" in panel
    shot(page, "03-sources")


def test_downloads_hold_the_current_selection(page, glance_app: GlanceApp) -> None:
    with page.expect_download(timeout=TIMEOUT) as download:
        page.locator("#glance-download-csv").click()
    written = Path(download.value.path()).read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(written)))
    assert sorted(unguard(r["text"]) for r in table) == sorted(f["text"] for f in glance_app.commune)
    with page.expect_download(timeout=TIMEOUT) as download:
        page.locator("#glance-download-ics").click()
    assert Path(download.value.path()).read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_english_labels_and_the_source_language_said(page, glance_app: GlanceApp) -> None:
    page.locator("#glance-levels label", has_text="Xã").click()  # every level again
    page.locator("#lang-switch label", has_text="English").click()
    total = len(glance_app.facts)
    page.wait_for_function(
        f"document.querySelector('#glance-caption')?.innerText.includes('{total} of {total} rows')", timeout=TIMEOUT
    )
    page.get_by_role("tab", name="At a glance").wait_for(timeout=TIMEOUT)
    shown = rows(page)
    assert any(row[TEXT_COLUMN].endswith("(Vietnamese)") for row in shown), shown
    assert "Commune" in page.inner_text("#glance-levels")
    page.wait_for_function("document.querySelector('#glance-plot .legend')?.textContent.includes('Deadline')",
                           timeout=TIMEOUT)  # fmt: skip
    assert "Select a row" in page.inner_text("#glance-sources") or "Sources" in page.inner_text("#glance-sources")
    shot(page, "04-english")


def test_wording_the_rows_needs_a_model_and_says_so(page) -> None:
    page.locator("#glance-render").click()  # the app answers extractively: no model to word with
    page.wait_for_function(
        "document.querySelector('#glance-render-status')?.innerText.includes('needs a language model')", timeout=TIMEOUT
    )
    assert "(machine wording" not in page.inner_text("#glance-table"), "nothing was worded"


def test_document_text_never_runs_as_code(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
