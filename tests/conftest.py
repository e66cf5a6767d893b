"""Shared fixtures: every data directory under tmp_path, the real embedding model loaded once."""

from __future__ import annotations

import ipaddress
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.privacy import disable_telemetry

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = REPO / "corpus"

disable_telemetry()  # the test process is an entry point too


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the corpus and index at tmp_path so no test touches the repository's folders."""
    from assistant.retrieval.glossary import use_glossary
    from assistant.settings import get_settings

    use_glossary(None)  # each test reads the glossary of its own corpus folder (none unless it puts one there)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    monkeypatch.setenv("ASSISTANT_CORPUS__DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_INDEX__DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_PRESET", "test")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()
    use_glossary(None)


@pytest.fixture
def sample_glossary():
    """The sample corpus's glossary (corpus/glossary.yaml) in force for this test."""
    from assistant.retrieval.glossary import load_glossary, use_glossary

    glossary = load_glossary(SAMPLE_CORPUS / "glossary.yaml")
    use_glossary(glossary)
    return glossary


@pytest.fixture(scope="session")
def embedding_settings():
    """Settings of the real default embedder, built once per machine (cached under ~/.cache)."""
    from assistant.models.embeddings import ensure_embedding_model
    from assistant.settings import EmbeddingSettings

    settings = EmbeddingSettings()
    ensure_embedding_model(settings, progress=False)
    return settings


@pytest.fixture(scope="session")
def embeddings(embedding_settings):
    """The real multilingual-e5-small, loaded once for the whole session."""
    from assistant.models.embeddings import build_embeddings

    return build_embeddings(embedding_settings)


@pytest.fixture
def settings(isolated_dirs: Path):
    from assistant.settings import load_settings

    return load_settings()


@pytest.fixture
def make_index(embeddings):
    """Build a CorpusIndex over given settings with the shared real embeddings; counts model loads."""
    from assistant.index import CorpusIndex

    def factory(settings, loads: list | None = None):
        def load():
            if loads is not None:
                loads.append(1)
            return embeddings

        return CorpusIndex(settings.index, load)

    return factory


@pytest.fixture
def font() -> Path:
    """DejaVu Sans (Vietnamese and Cyrillic glyphs) for the PDFs and scans the tests draw."""
    from fixtures_docs import find_font

    path = find_font()
    if path is None:
        pytest.skip("DejaVuSans.ttf not found (install fonts-dejavu-core or set ASSISTANT_TEST_FONT)")
    return path


@pytest.fixture
def index_corpus(settings, make_index, monkeypatch, embeddings):
    """Index the files in ``settings.corpus.dir`` with the real model and Chroma, as ``assistant index`` does;
    returns the sync report and an extractive Assistant over the index."""

    def run():
        import assistant.models.embeddings as emb
        from assistant import Assistant
        from assistant.sync import sync_corpus

        monkeypatch.setattr(emb, "build_embeddings", lambda s: embeddings)
        report = sync_corpus(make_index(settings), settings)
        return report, Assistant(settings, backend="none")

    return run


@pytest.fixture
def sample_corpus(settings) -> Path:
    """A copy of the shipped sample corpus (five articles and the manifest) in the test's corpus dir."""
    shutil.copytree(SAMPLE_CORPUS, settings.corpus.dir, dirs_exist_ok=True)
    return settings.corpus.dir


class NetworkGuard:
    """Records every attempt to reach a non-loopback address (and refuses it)."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def check(self, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        try:
            if ipaddress.ip_address(host).is_loopback:
                return
        except ValueError:
            if host in {"localhost"} or str(host).startswith("/"):
                return
        self.attempts.append(str(address))
        raise ConnectionRefusedError(f"test network guard: blocked connection to {address}")


@pytest.fixture
def network_guard(monkeypatch: pytest.MonkeyPatch) -> NetworkGuard:
    guard = NetworkGuard()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            guard.check(address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            guard.check(address)
        return real_connect_ex(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in (None, "localhost") and not _is_ip(host):
            guard.attempts.append(f"dns:{host}")
            raise socket.gaierror(f"test network guard: blocked lookup of {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return guard


def _is_ip(host: object) -> bool:
    try:
        ipaddress.ip_address(host if isinstance(host, str) else host.decode())
        return True
    except (ValueError, AttributeError):
        return False
