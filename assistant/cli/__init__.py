"""The ``assistant`` command. Each command group lives in its own module; logic lives in the package."""

from __future__ import annotations

import typer

from assistant.cli import (
    ask_cmd,
    documents_cmd,
    eval_cmd,
    glance_cmd,
    index_cmd,
    migrate_cmd,
    models_cmd,
    quiz_cmd,
    search_cmd,
)

app = typer.Typer(
    name="assistant",
    help="Plan 02 guidebook assistant: index the corpus, search it, ask questions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("ask")(ask_cmd.ask)
app.command("chat")(ask_cmd.chat)
app.command("index")(index_cmd.index)
app.command("search")(search_cmd.search)
app.command("documents")(documents_cmd.documents)
app.command("eval")(eval_cmd.eval_answers)
app.command("glance")(glance_cmd.glance)
app.command("quiz")(quiz_cmd.quiz)
app.command("eval-retrieval")(eval_cmd.eval_retrieval)
app.add_typer(models_cmd.app, name="models")
app.add_typer(migrate_cmd.app, name="migrate")


def main() -> None:
    """Console-script entry point."""
    from assistant.privacy import disable_telemetry

    disable_telemetry()
    app()
