"""What every command shares: settings from options, and turning domain errors into messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from assistant.errors import AssistantError
from assistant.settings import Settings, load_settings

console = Console()
err_console = Console(stderr=True)

EXIT_PARTIAL = 1  # the command ran, but some inputs failed
EXIT_ERROR = 2  # the command could not run


@contextmanager
def user_errors() -> Iterator[None]:
    """Show package errors as one red line and exit with EXIT_ERROR, never a traceback."""
    try:
        yield
    except AssistantError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_ERROR) from exc


def settings_from(**overrides: object) -> Settings:
    """Settings with the CLI's non-None options applied on top of environment and files."""
    sections: dict[str, dict[str, object]] = {}
    for dotted, value in overrides.items():
        if value is None:
            continue
        section, field = dotted.split("__", 1)
        sections.setdefault(section, {})[field] = value
    base = load_settings()
    data = base.model_dump()
    for section, fields in sections.items():
        data[section].update(fields)
    return Settings.model_validate(data)
