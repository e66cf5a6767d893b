"""The answer backend: one narrow interface, LangChain's ``BaseChatModel``, behind ``settings.llm``.

* ``local``  — llama.cpp in process (``ChatLlamaCpp``) on a GGUF from :mod:`assistant.models.gguf`;
* ``openai`` — any OpenAI-compatible endpoint (``ChatOpenAI``; llama.cpp server, vLLM, LM Studio...);
* ``ollama`` — an Ollama server (``ChatOllama``);
* ``none``   — no LLM: callers answer extractively, :func:`build_chat_model` returns None.

Models are cached per process, keyed by the settings that shape them, so the local GGUF loads once.
llama-cpp-python keeps the previous prompt's KV cache and re-evaluates only the part after the longest
common token prefix (``Llama.generate``), so a stable prompt head (system prompt first, question last)
is processed once. One ``Llama`` object is not thread-safe: callers must serialise local calls.
"""

from __future__ import annotations

import atexit
import os
import threading
import warnings
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from assistant.errors import ModelError
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

BACKENDS = ("local", "openai", "ollama", "none")
N_BATCH = 512  # prompt tokens per llama.cpp batch
CACHE_SIZE = 4  # built models kept per process (least recently used dropped first)
_lock = threading.Lock()
_models: OrderedDict[tuple[Any, ...], BaseChatModel] = OrderedDict()


def _backend(settings: Settings, backend: str | None) -> str:
    name = backend or settings.llm
    if name not in BACKENDS:
        raise ModelError(f"unknown LLM backend {name!r}; choose one of {list(BACKENDS)} (setting `llm`, ASSISTANT_LLM)")
    return name


def _openai_endpoint(settings: Settings) -> tuple[str | None, str | None]:
    """(base_url, api_key) from settings, falling back to OPENAI_BASE_URL / OPENAI_API_KEY."""
    cfg = settings.openai
    base_url = cfg.base_url or os.environ.get("OPENAI_BASE_URL") or None
    api_key = cfg.api_key.get_secret_value() if cfg.api_key is not None else os.environ.get("OPENAI_API_KEY")
    if not base_url and not api_key:
        raise ModelError(
            "openai backend: no endpoint configured; set ASSISTANT_OPENAI__BASE_URL "
            "(e.g. http://127.0.0.1:8080/v1 for a local OpenAI-compatible server) "
            "or OPENAI_API_KEY to use api.openai.com"
        )
    return base_url, api_key or None


def _key(settings: Settings, backend: str) -> tuple[Any, ...]:
    """Everything that shapes the built model, as a hashable tuple (the cache key)."""
    if backend == "local":
        s = settings.local
        return (backend, s.model, str(s.gguf_path), str(s.models_dir), s.n_ctx, s.n_threads,
                s.n_threads_batch, s.max_tokens, s.temperature)
    if backend == "openai":
        s = settings.openai
        return (backend, *_openai_endpoint(settings), s.model, s.timeout_s, s.max_retries, s.max_tokens,
                s.temperature)
    s = settings.ollama
    return (backend, s.base_url, s.model, s.temperature)


def build_chat_model(settings: Settings, backend: str | None = None) -> BaseChatModel | None:
    """The chat model of ``backend`` (default ``settings.llm``); None for ``none``. Cached per process.

    ``local`` assembles/verifies the GGUF if needed (see :func:`assistant.models.gguf.ensure_gguf`)
    and loads it once. Raises ModelError naming the backend, model or setting at fault.
    """
    name = _backend(settings, backend)
    if name == "none":
        return None
    key = _key(settings, name)
    with _lock:  # one build at a time: the same GGUF is never loaded twice
        if key in _models:
            _models.move_to_end(key)
            return _models[key]
        builder = {"local": _build_local, "openai": _build_openai, "ollama": _build_ollama}[name]
        model = _models[key] = builder(settings)
        while len(_models) > CACHE_SIZE:
            _models.popitem(last=False)
        return model


def clear_model_cache() -> None:
    """Forget built models (tests; after changing settings in a long-lived process)."""
    with _lock:
        _models.clear()


def _close_local_models() -> None:
    """Free the llama.cpp models while the interpreter is still whole. Left to ``Llama.__del__``
    at shutdown, freeing runs after llama_cpp's module globals are gone and prints a
    ``TypeError: 'NoneType' object is not callable`` traceback when any script exits."""
    with _lock:
        for model in _models.values():
            close = getattr(getattr(model, "client", None), "close", None)
            if callable(close):
                close()


def _build_local(settings: Settings) -> BaseChatModel:
    from assistant.models.gguf import ensure_gguf

    atexit.unregister(_close_local_models)  # registered once, however many models are built
    atexit.register(_close_local_models)

    s = settings.local
    path = ensure_gguf(s)
    # Read by the OpenMP runtime when llama.cpp's library loads: idle threads sleep instead of spinning.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        with warnings.catch_warnings():  # langchain-community's package-wide "being sunset" notice
            warnings.simplefilter("ignore", DeprecationWarning)
            from langchain_community.chat_models import ChatLlamaCpp
    except ImportError as exc:  # pragma: no cover - langchain-community is a dependency
        raise ModelError(f"local backend unavailable: {exc}") from exc
    try:
        return ChatLlamaCpp(
            model_path=str(path),
            n_ctx=s.n_ctx,
            n_threads=s.n_threads,
            n_batch=min(N_BATCH, s.n_ctx),
            max_tokens=s.max_tokens,
            temperature=s.temperature,
            # ChatLlamaCpp passes rope_freq_base=10000 by default, overriding the model's own
            # (Qwen2.5: 1e6) and degrading long prompts; 0 means "from the GGUF".
            rope_freq_base=0.0,
            rope_freq_scale=0.0,
            verbose=False,
            streaming=True,
            model_kwargs={"n_threads_batch": s.n_threads_batch},
        )
    except ImportError as exc:
        raise ModelError(
            f"local backend needs llama-cpp-python (pip install llama-cpp-python==0.3.36): {exc}"
        ) from exc
    except ValueError as exc:  # ChatLlamaCpp wraps every load failure in ValueError
        raise ModelError(f"cannot load local model {path}: {exc}") from exc


def _build_openai(settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    s = settings.openai
    base_url, api_key = _openai_endpoint(settings)
    kwargs: dict[str, Any] = {}
    if base_url and "api.openai.com" not in base_url:
        # ChatOpenAI sends ``max_completion_tokens``; llama-cpp-python's server and some others read
        # only ``max_tokens``, so send both to a non-OpenAI endpoint.
        kwargs["extra_body"] = {"max_tokens": s.max_tokens}
    return ChatOpenAI(
        base_url=base_url,
        model=s.model,
        # Local servers accept any key, but the client insists on one.
        api_key=api_key or "not-needed",
        timeout=s.timeout_s,
        max_tokens=s.max_tokens,
        temperature=s.temperature,
        max_retries=s.max_retries,
        **kwargs,
    )


def _build_ollama(settings: Settings) -> BaseChatModel:
    from langchain_ollama import ChatOllama

    s = settings.ollama
    return ChatOllama(base_url=s.base_url, model=s.model, temperature=s.temperature)


def llm_label(settings: Settings, backend: str | None = None) -> str:
    """A short description for the UI and reports, e.g. ``local: qwen2.5-1.5b Q4_K_M``. No I/O."""
    name = _backend(settings, backend)
    if name == "none":
        return "extractive"
    if name == "local":
        if settings.local.gguf_path is not None:
            return f"local: {settings.local.gguf_path.name}"
        from assistant.models.gguf import KNOWN_MODELS

        spec = KNOWN_MODELS.get(settings.local.model)
        return f"local: {settings.local.model}" + (f" {spec.quant}" if spec else "")
    if name == "openai":
        base_url = settings.openai.base_url or os.environ.get("OPENAI_BASE_URL") or "api.openai.com"
        return f"openai: {settings.openai.model} @ {base_url}"
    return f"ollama: {settings.ollama.model} @ {settings.ollama.base_url}"
