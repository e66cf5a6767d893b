"""Faults injected for real (issue 19): a killed `assistant index`, a Chroma server stopped mid-conversation,
a damaged index folder, a full disk while indexing, and an LLM endpoint that times out, refuses, talks
garbage or says nothing. Each outcome is recorded in docs/reliability.md ("Faults")."""

from __future__ import annotations

import html
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Self

import pytest
from procs import free_port
from typer.testing import CliRunner

from assistant.settings import load_settings

pytest_plugins = ["services"]
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SUBPROCESS_TIMEOUT_S = 180  # a stuck `assistant index` fails the test instead of hanging it
OLD_FACT = "Giai đoạn cấp bách của Kế hoạch 02 kéo dài đến ngày 30/6/2025."
OLD_TEXT = (
    f"Sổ tay hướng dẫn triển khai Kế hoạch số 02-KH/BCĐTW.\n\n{OLD_FACT} "
    "Giai đoạn bứt phá bắt đầu từ ngày 1/7/2025.\n\n"
    "The urgent phase of Plan 02 lasts until 30 June 2025; the breakthrough phase starts on 1 July 2025."
)
OLD_QUESTION_VI = "Giai đoạn cấp bách của Kế hoạch 02 kéo dài đến ngày nào?"
OLD_QUESTION_EN = "When does the urgent phase of Plan 02 end?"
FILLER = (
    "hồ sơ thủ tục hành chính cấp xã phường tỉnh thành phố trung ương bộ ngành chuyển đổi số dữ liệu dân cư "
    "cổng dịch vụ công trực tuyến toàn trình liên thông đồng bộ hiệu quả người dân doanh nghiệp"
).split()


def _cli(*args: str) -> list[str]:
    """The `assistant` command in a child process of this interpreter."""
    return [sys.executable, "-c", "from assistant.cli import main; main()", *args]


def _write_new_files(corpus: Path, count: int, seed: int = 1, paragraphs: int = 4) -> list[str]:
    """``count`` files of about ``paragraphs`` chunks each, every paragraph unique (so no chunk repeats)."""
    rnd = random.Random(seed)
    names = []
    for i in range(count):
        text = [" ".join(rnd.choice(FILLER) for _ in range(90)) + f" Mục {i}.{j}." for j in range(paragraphs)]
        name = f"moi/van-ban-{i:02d}.txt"
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text("\n\n".join(text), encoding="utf-8")
        names.append(name)
    return names


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _forget_open_clients() -> None:
    """chromadb keeps one system per folder in a process: drop them, so the next open reads the disk."""
    import chromadb

    chromadb.api.client.SharedSystemClient.clear_system_cache()


def _no_duplicates(index) -> None:  # noqa: ANN001 - a CorpusIndex
    """Every file indexed once: chunk count = the records' chunk counts, one chunk per (source, position)."""
    records = index.file_records()
    chunks = index.all_chunks()
    assert all(r.status == "ok" for r in records.values()), [r.error for r in records.values() if r.error]
    assert len(chunks) == sum(r.chunks for r in records.values())
    places = [(c.meta.source, c.meta.chunk_index) for c in chunks]
    assert len(places) == len(set(places)), "a chunk is stored twice"
    assert {c.meta.source for c in chunks} == set(records)


# -- `assistant index` killed half-way ------------------------------------------------------------------------------


def test_index_killed_half_way_keeps_the_old_index_and_the_next_run_completes(settings, make_index) -> None:
    """A real `assistant index` child process, killed with SIGKILL while it embeds 24 new files."""
    from assistant.retrieval import search
    from assistant.sync import sync_corpus

    corpus, folder = settings.corpus.dir, settings.index.dir
    (corpus / "so-tay.txt").write_text(OLD_TEXT, encoding="utf-8")
    old = make_index(settings)
    assert sync_corpus(old, settings).ok
    old_ids = set(old.all_ids())
    names = _write_new_files(corpus, 24, paragraphs=3)
    _forget_open_clients()

    before = _folder_bytes(folder)
    child = subprocess.Popen(_cli("index"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + SUBPROCESS_TIMEOUT_S
    # Killed once a batch or two (16 chunks, about 220 kB each here) are on disk, out of five.
    while _folder_bytes(folder) - before < 300_000 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = child.poll() is None
    child.send_signal(signal.SIGKILL)
    output = child.communicate(timeout=30)[0]
    assert alive, f"the run ended before it could be killed:\n{output}"
    assert child.returncode == -signal.SIGKILL

    _forget_open_clients()
    index = make_index(settings)
    records = index.file_records()
    done = [n for n in names if n in records]
    assert 0 < len(done) < len(names), f"killed half-way: {len(done)} of {len(names)} new files committed"
    assert old_ids <= set(index.all_ids()), "every chunk of the previous index is still there"
    hits = search(index, OLD_QUESTION_VI, k=3)
    assert hits and hits[0].chunk.meta.source == "so-tay.txt" and "30/6/2025" in hits[0].chunk.text

    report = sync_corpus(index, settings)
    assert report.ok and sorted(report.added) == sorted(set(names) - set(done))
    assert report.files_indexed == len(names) + 1
    _no_duplicates(index)
    assert sync_corpus(index, settings).chunks_written == 0


# -- the Chroma server stopped during a conversation ---------------------------------------------------------------


def _respond(demo, question: str, lang: str, messages: list, turns: list) -> tuple[list, list]:
    """One question through the chat tab's own handler; returns the messages and turns it ends with."""
    respond = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "respond")
    step = None
    for step in respond(question, messages, turns, lang, "none", False, [], [], [], SimpleNamespace(username=None)):
        pass
    assert step is not None
    return step[1], step[2]


def test_chroma_server_stopped_mid_conversation_then_back(settings, make_index, chroma_service) -> None:
    from assistant import Assistant
    from assistant.sync import sync_corpus
    from assistant.web import i18n
    from assistant.web.app import build_app
    from assistant.web.services import build_services

    settings = settings.model_copy(update={"llm": "none"})
    settings.index.mode, settings.index.port = "server", chroma_service.port
    (settings.corpus.dir / "so-tay.txt").write_text(OLD_TEXT, encoding="utf-8")
    index = make_index(settings)
    assert sync_corpus(index, settings).ok
    services = build_services(settings, drafts_path=settings.corpus.dir.parent / "drafts.jsonl")
    services._assistants["none"] = Assistant(services.settings, backend="none", index=index)
    demo = build_app(services.settings, services)

    messages, turns = _respond(demo, OLD_QUESTION_VI, "vi", [], [])
    assert "30/6/2025" in messages[-1]["content"] and len(turns) == 1

    chroma_service.stop()
    for question, lang in ((OLD_QUESTION_VI, "vi"), (OLD_QUESTION_EN, "en")):
        messages, turns = _respond(demo, question, lang, messages, turns)
        shown = messages[-1]["content"]
        assert shown == html.escape(i18n.t(lang, "chat.index_unavailable"))
        assert "Traceback" not in shown and "Error" not in shown and len(turns) == 1
    assert "kho chỉ mục" in i18n.t("vi", "chat.index_unavailable")

    from assistant.cli import app

    env = {"COLUMNS": "200", "ASSISTANT_INDEX__MODE": "server", "ASSISTANT_INDEX__PORT": str(chroma_service.port)}
    down = CliRunner().invoke(app, ["ask", "--llm", "none", OLD_QUESTION_EN], env=env)
    assert down.exit_code == 2 and "cannot be reached" in down.output and "Traceback" not in down.output

    chroma_service.start()  # the same port and data folder; the app is not restarted
    messages, turns = _respond(demo, OLD_QUESTION_EN, "en", messages, turns)
    assert "30 June 2025" in messages[-1]["content"] and len(turns) == 2


# -- a damaged index folder ---------------------------------------------------------------------------------------


def _garbage(database: Path) -> None:
    database.write_bytes(random.Random(7).randbytes(database.stat().st_size))


def _truncated(database: Path) -> None:
    database.write_bytes(database.read_bytes()[: database.stat().st_size // 2])


def _damaged_index(settings, make_index, damage) -> None:  # noqa: ANN001 - fixtures
    from assistant.sync import sync_corpus

    (settings.corpus.dir / "so-tay.txt").write_text(OLD_TEXT, encoding="utf-8")
    assert sync_corpus(make_index(settings), settings).ok
    _forget_open_clients()
    damage(settings.index.dir / "chroma.sqlite3")


@pytest.mark.parametrize("damage", [_garbage, _truncated], ids=["garbage", "truncated"])
def test_damaged_index_folder_names_the_rebuild_command(settings, make_index, damage) -> None:
    from assistant.cli import app

    _damaged_index(settings, make_index, damage)
    runner = CliRunner()
    for args in (["search", OLD_QUESTION_VI], ["ask", "--llm", "none", OLD_QUESTION_VI]):
        result = runner.invoke(app, args, env={"COLUMNS": "300"})
        said = " ".join(result.output.split())
        assert result.exit_code == 2, said
        assert "is damaged" in said and "run `assistant index --rebuild`" in said and "Traceback" not in said


def test_damaged_index_stops_the_web_app_start_and_the_rebuild_command_repairs_it(settings, make_index) -> None:
    from assistant.cli import app

    _damaged_index(settings, make_index, _garbage)
    port = free_port()
    env = {**os.environ, "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port)}
    start = subprocess.run([sys.executable, str(REPO / "app.py")], env=env, cwd=settings.corpus.dir.parent,
                           capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S, check=False)  # fmt: skip
    assert start.returncode != 0 and "Running on" not in start.stdout
    assert "is damaged" in start.stderr and "assistant index --rebuild" in start.stderr
    assert "Traceback" not in start.stderr

    runner = CliRunner()
    rebuilt = runner.invoke(app, ["index", "--rebuild"], env={"COLUMNS": "300"})
    assert rebuilt.exit_code == 0, rebuilt.output
    assert list(settings.index.dir.parent.glob("index.damaged-*")), "the damaged folder is kept aside"
    found = runner.invoke(app, ["search", OLD_QUESTION_VI, "--json"])
    assert found.exit_code == 0 and "30/6/2025" in found.output


# -- a full disk while indexing ------------------------------------------------------------------------------------

TMPFS_SIZE = "2m"


@pytest.fixture
def small_disk(settings) -> Iterator[Path]:
    """The index folder on a 2 MB tmpfs (mounted as root), unmounted afterwards."""
    folder = settings.index.dir
    folder.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert mounted.returncode == 0, f"cannot mount a tmpfs (root needed): {mounted.stderr}"
    try:
        yield folder
    finally:
        _forget_open_clients()
        subprocess.run(["umount", "--lazy", str(folder)], check=False)


def test_full_disk_while_indexing_stops_clearly_and_keeps_the_old_index(settings, make_index, small_disk) -> None:
    from assistant.chroma_client import damage
    from assistant.retrieval import search
    from assistant.sync import sync_corpus

    corpus = settings.corpus.dir
    (corpus / "so-tay.txt").write_text(OLD_TEXT, encoding="utf-8")
    settings.index.min_free_mb = 0.25  # the first, small index fits
    old = make_index(settings)
    assert sync_corpus(old, settings).ok
    old_ids = set(old.all_ids())
    names = _write_new_files(corpus, 40)  # about 2.3 MB once indexed: more than the disk holds
    _forget_open_clients()

    env = {**os.environ, "ASSISTANT_INDEX__MIN_FREE_MB": "0.6"}
    run = subprocess.run(_cli("index"), env=env, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S,
                         check=False)  # fmt: skip
    said = " ".join((run.stdout + run.stderr).split())
    assert run.returncode == 2, said
    assert "MB free" in said and "index.min_free_mb" in said and "run `assistant index` again" in said
    assert "Traceback" not in said

    assert damage(small_disk) is None, "SQLite finds the database sound"
    index = make_index(settings)
    assert old_ids <= set(index.all_ids())
    hits = search(index, OLD_QUESTION_VI, k=3)
    assert hits and hits[0].chunk.meta.source == "so-tay.txt"
    records = index.file_records()
    assert records["so-tay.txt"].status == "ok" and len([n for n in names if n in records]) < len(names)


# -- the LLM endpoint misbehaving ------------------------------------------------------------------------------------

LLM_TIMEOUT_S = 1.0  # openai.timeout_s in these tests
LLM_RETRIES = 1  # openai.max_retries (the default)
RETRY_BACKOFF_S = 2.0  # the openai client's pause before its retry (0.5 s to 1 s with jitter), rounded up
MARGIN_S = 10.0  # generous: the bound is checked for correctness, not speed, on a shared 2-core machine


class FakeEndpoint:
    """An OpenAI-compatible chat-completions endpoint on 127.0.0.1 that misbehaves as told.

    ``mode``: ``hang`` (reads the request, never answers), ``garbage`` (an SSE event that is not JSON),
    ``not_sse`` (a 200 reply of binary junk), ``empty`` (a stream with no chunk), ``stall`` (one token,
    then silence)."""

    def __init__(self) -> None:
        self.mode = "hang"
        self.requests = 0
        self.release = threading.Event()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("content-length", 0)))
                endpoint.requests += 1
                endpoint.answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        if self.mode == "hang":
            self.release.wait(60)
            return
        if self.mode == "not_sse":
            self._send(handler, "application/json", b"\x00\x01<html>502</html>{{{")
            return
        chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
                 "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Giai đoạn"}, "finish_reason": None}]}  # fmt: skip
        if self.mode == "garbage":
            self._send(handler, "text/event-stream", b"data: <html>502 Bad Gateway</html>\n\n")
        elif self.mode == "empty":
            self._send(handler, "text/event-stream", b"data: [DONE]\n\n")
        elif self.mode == "stall":
            handler.send_response(200)
            handler.send_header("content-type", "text/event-stream")
            handler.end_headers()
            handler.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            handler.wfile.flush()
            self.release.wait(60)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, content_type: str, body: bytes) -> None:
        handler.send_response(200)
        handler.send_header("content-type", content_type)
        handler.send_header("content-length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def small_index(tmp_path_factory, embeddings):
    """One indexed small corpus for every endpoint fault (settings point at it explicitly)."""
    from assistant.index import CorpusIndex
    from assistant.sync import sync_corpus

    root = tmp_path_factory.mktemp("llm-faults")
    (root / "corpus").mkdir()
    (root / "corpus" / "so-tay.txt").write_text(OLD_TEXT, encoding="utf-8")
    settings = load_settings(corpus={"dir": str(root / "corpus")}, index={"dir": str(root / "index")},
                             facts={"answer_from_facts": False})  # fmt: skip  # the model's step is under test
    index = CorpusIndex(settings.index, lambda: embeddings)
    assert sync_corpus(index, settings).ok
    return settings, index


@pytest.fixture
def endpoint() -> Iterator[FakeEndpoint]:
    with FakeEndpoint() as served:
        yield served


@pytest.mark.parametrize("mode", ["refused", "hang", "garbage", "not_sse", "empty", "stall"])
def test_llm_endpoint_fault_gives_the_quotes_with_a_notice_in_bounded_time(small_index, endpoint, mode) -> None:
    from assistant import Assistant
    from assistant.answer.constants import LLM_FALLBACK_NOTICES
    from assistant.models.llm import clear_model_cache

    settings, index = small_index
    baseline = Assistant(settings, backend="none", index=index)
    started = time.perf_counter()
    quoted = baseline.ask(OLD_QUESTION_VI)
    extractive_s = time.perf_counter() - started

    endpoint.mode = mode
    url = f"http://127.0.0.1:{free_port()}/v1" if mode == "refused" else endpoint.base_url  # nobody listens there
    openai = {"base_url": url, "timeout_s": LLM_TIMEOUT_S, "max_retries": LLM_RETRIES}
    faulty = settings.model_copy(update={"llm": "openai", "openai": settings.openai.model_copy(update=openai)})
    clear_model_cache()
    bot = Assistant(faulty, index=index)
    started = time.perf_counter()
    answer = bot.ask(OLD_QUESTION_VI)
    elapsed = time.perf_counter() - started
    clear_model_cache()

    bound = extractive_s + (LLM_RETRIES + 1) * (LLM_TIMEOUT_S + RETRY_BACKOFF_S) + MARGIN_S
    assert elapsed <= bound, f"{mode}: {elapsed:.1f} s > {bound:.1f} s"
    assert answer.mode == "extractive" and not answer.refused
    assert answer.answer == quoted.answer and "30/6/2025" in answer.answer
    prefix = LLM_FALLBACK_NOTICES["vi"].split("(")[0]
    assert answer.notice and answer.notice.startswith(prefix), answer.notice
    failed = answer.attempts[0]
    assert failed.step == "answer" and not failed.accepted and failed.reasons[0].startswith("model unavailable")
    assert (endpoint.requests > 0) == (mode != "refused")
