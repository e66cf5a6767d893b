"""``assistant models``: build and inspect the local models."""

from __future__ import annotations

import typer

from assistant.cli.common import console, user_errors
from assistant.settings import load_settings

app = typer.Typer(help="Build and inspect local models.", no_args_is_help=True)


@app.command("build")
def build() -> None:
    """Build the embedding model folder (idempotent: a second run reuses what exists)."""
    from assistant.models.embeddings import ensure_embedding_model, model_version

    with user_errors():
        settings = load_settings()
        path = ensure_embedding_model(settings.embedding)
        console.print(f"embedding model ready: {path}  [dim]{model_version(settings.embedding)}[/dim]")
