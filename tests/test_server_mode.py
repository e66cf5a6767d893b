"""Server mode: the same code path against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from procs import free_port, stop

from assistant.index import CorpusIndex
from assistant.retrieval import search
from assistant.sync import sync_corpus

pytestmark = pytest.mark.slow


@pytest.fixture
def chroma_server(tmp_path):
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    proc = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited with {proc.returncode}")
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma server did not start within 60 s")
    yield port
    stop(proc)


def test_index_and_search_through_server(settings, embeddings, chroma_server, sample_corpus):
    settings.index.mode = "server"
    settings.index.port = chroma_server
    index = CorpusIndex(settings.index, lambda: embeddings)
    report = sync_corpus(index, settings)
    assert len(report.added) == 5 and report.ok

    # A second app instance sharing the server sees the same index and file records.
    other = CorpusIndex(settings.index, lambda: embeddings)
    assert other.count() == index.count() > 0
    assert set(other.file_records()) == set(report.added)
    assert sync_corpus(other, settings).chunks_written == 0
    # Nothing was written to the embedded index folder.
    assert not Path(settings.index.dir).exists()

    # Same corpus, same code path: the embedded index ranks exactly as the server does.
    embedded_settings = settings.model_copy(deep=True)
    embedded_settings.index.mode = "embedded"
    embedded = CorpusIndex(embedded_settings.index, lambda: embeddings)
    sync_corpus(embedded, embedded_settings)
    for question in ("Hội nghị tại tỉnh Bắc Giang có bao nhiêu xã, phường?", "Who chaired the conference in Hue?"):
        served = [h.chunk.id for h in search(other, question, k=5)]
        assert served and served == [h.chunk.id for h in search(embedded, question, k=5)]
