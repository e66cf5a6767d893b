"""A real app in a subprocess and real headless Chromium, for the browser tests.

The session installs what it needs: Debian's ``chromium`` (``apt-get install``
when running as root, else the tests are skipped with the reason) and uses the
Python ``playwright`` package only as the driver (``playwright install`` cannot
download browsers here). The app runs extractively (``ASSISTANT_LLM=none``, with the
local 0.5B model offered as a second backend) on a free loopback port over a temporary copy of the sample corpus plus a planted
document carrying ``<script>``/``onerror`` payloads, with an admin login.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from procs import free_port, stop, wait_until_up

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
ADMIN = ("admin", "pw-admin-1")
PLANTED = """# Kiểm tra an toàn <script>window.__pwned = 1</script> ${window.__pwned=2} {{constructor.constructor('window.__pwned=3')()}}

Mã kiểm tra an toàn ZQ-9090 được dùng để kiểm tra hiển thị <img src=x onerror="window.__pwned=1;alert(1)"> tài liệu.
Ghi chú <b onmouseover="window.__pwned=1">in đậm</b> và <a href="javascript:window.__pwned=1">liên kết</a>.
"""


@dataclass
class App:
    url: str
    corpus: Path
    index: Path
    workdir: Path
    process: subprocess.Popen
    admin: tuple[str, str] = ADMIN
    artifacts: Path = ARTIFACTS


def _ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0:
        pytest.skip("browser tests need /usr/bin/chromium: run `apt-get install -y chromium` as root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, timeout=600)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env, timeout=1200)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the driver only)")
    _ensure_chromium()
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    root = tmp_path_factory.mktemp("webapp")
    corpus, index = root / "corpus", root / "index"
    shutil.copytree(REPO / "corpus", corpus)
    (corpus / "planted.md").write_text(PLANTED, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "GRADIO_"))}
    # The local backend is offered too, on the small 0.5B model (built once per machine, as in
    # tests/test_local_llm.py), so one test can answer with a real model in the browser.
    from assistant.models.gguf import ensure_gguf
    from assistant.settings import LocalLLMSettings

    ensure_gguf(LocalLLMSettings(model="qwen2.5-0.5b"), progress=False)
    env.update(
        ASSISTANT_LLM="none", ASSISTANT_CORPUS__DIR=str(corpus), ASSISTANT_INDEX__DIR=str(index),
        ASSISTANT_LOCAL__MODEL="qwen2.5-0.5b", ASSISTANT_LOCAL__N_CTX="2048",
        ASSISTANT_RETRIEVAL__REWRITE_CACHE=str(root / "rewrite-cache.sqlite"),
        ASSISTANT_WEB__ADMINS=f'{{"{ADMIN[0]}": "{ADMIN[1]}"}}', ASSISTANT_WEB__USERS='{"official": "pw-user-1"}',
    )  # fmt: skip
    cli = Path(sys.executable).with_name("assistant")
    subprocess.run([str(cli), "index"], env=env, cwd=root, check=True, capture_output=True, timeout=600)
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "browser-app.log"
    env.update(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(port))
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, str(REPO / "app.py")], env=env, cwd=root, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process, log)
        yield App(url, corpus, index, root, process)
    finally:
        stop(process)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def screenshot_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    """Save the page as test-artifacts/failed-<test>.png when a browser test fails."""
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and "page" in request.fixturenames:
        page = request.getfixturevalue("page")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"), full_page=True)
        # The stacks of this process's threads, in the report and beside the picture: an app served
        # in-process (the scripted drafts tests) shows where a handler that never answered was waiting.
        stacks = "\n".join(f"--- thread {ident}\n" + "".join(traceback.format_stack(frame))
                           for ident, frame in sys._current_frames().items())  # fmt: skip
        (ARTIFACTS / f"failed-{request.node.name}-threads.txt").write_text(stacks, encoding="utf-8")
        print(stacks, file=sys.stderr)
