"""``assistant migrate``: move a laptop set-up to shared services (docs/deploy.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from assistant.cli.common import console, settings_from, user_errors

if TYPE_CHECKING:
    from assistant.migrate import MigrationReport

app = typer.Typer(
    help="Move a laptop set-up to shared services: the embedded index to a Chroma server, SQLite feedback to "
    "PostgreSQL. Idempotent: only records missing at the target are copied.",
    no_args_is_help=True,
)


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("copying", total=None)

        def update(what: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=what)

        yield update


@app.command("index")
def index(
    from_dir: Annotated[
        Path | None, typer.Option("--from-dir", help="Embedded index folder to copy (default: settings index.dir).")
    ] = None,
    host: Annotated[
        str | None, typer.Option("--host", help="Chroma server to copy to (default: settings index.host).")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Its port (default: settings index.port).")] = None,
    batch_size: Annotated[
        int | None,
        typer.Option("--batch-size", help="Records per request (default: settings index.migrate_batch_size)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be copied.")] = False,
) -> None:
    """Copy every collection of the embedded index (ids, documents, embeddings, metadata) to a Chroma server.

    Then point the app at the server: ASSISTANT_INDEX__MODE=server, ASSISTANT_INDEX__HOST, ASSISTANT_INDEX__PORT.
    """
    from assistant.migrate import migrate_index

    with user_errors():
        settings = settings_from(
            index__dir=from_dir, index__host=host, index__port=port, index__migrate_batch_size=batch_size
        )
        with _progress() as progress:
            report = migrate_index(
                settings.index.dir, settings.index, batch_size=settings.index.migrate_batch_size, dry_run=dry_run,
                progress=progress,
            )  # fmt: skip
    print_report(report, "collection")


@app.command("feedback")
def feedback(
    from_url: Annotated[
        str | None,
        typer.Option("--from-url", help="SQLAlchemy URL to copy from (default: feedback.sqlite3 in the index folder)."),
    ] = None,
    to_url: Annotated[
        str | None,
        typer.Option(
            "--to-url",
            help="SQLAlchemy URL to copy to, e.g. postgresql://user:pw@host/db (default: settings web.feedback_url).",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be copied.")] = False,
) -> None:
    """Copy the feedback rows (votes, comments) missing at the target; rows already there are kept as they are.

    Then point the app at it: ASSISTANT_WEB__FEEDBACK_URL.
    """
    from assistant.feedback import default_url
    from assistant.migrate import MigrateError, migrate_feedback

    with user_errors():
        settings = settings_from()
        target = to_url or settings.web.feedback_url
        if not target:
            raise MigrateError("name the feedback database to copy to: --to-url or ASSISTANT_WEB__FEEDBACK_URL")
        with _progress() as progress:
            report = migrate_feedback(
                from_url or default_url(settings.index.dir), target, dry_run=dry_run, progress=progress
            )
    print_report(report, "table")


def print_report(report: MigrationReport, kind: str) -> None:
    title = f"{'Dry run: ' if report.dry_run else ''}{report.source} → {report.target}"
    table = Table(title=title, show_header=True)
    table.add_column(kind)
    table.add_column("at source", justify="right")
    table.add_column("already at target", justify="right")
    table.add_column("to copy" if report.dry_run else "copied", justify="right")
    for item in report.items:
        table.add_row(
            item.name, str(item.source), str(item.present), str(item.missing if report.dry_run else item.copied)
        )
    console.print(table)
    done = f"{report.missing} to copy" if report.dry_run else f"{report.copied} copied"
    console.print(f"{done} in {report.seconds:.2f} s", highlight=False)
