"""``assistant index``: bring the index in sync with the corpus folder."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from assistant.cli.common import EXIT_PARTIAL, console, settings_from, user_errors
from assistant.sync import SyncReport


def index(
    corpus: Path = typer.Option(None, "--corpus", help="Corpus folder (default: settings corpus.dir)."),
    index_dir: Path = typer.Option(None, "--index-dir", help="Embedded index folder (default: settings index.dir)."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Drop the index and re-embed everything (after changing the embedding model)."),
) -> None:
    """Add new files, re-embed changed ones, drop deleted ones; print a summary table.

    Exits with 1 when some files could not be indexed (each is listed with its reason).
    """
    from assistant.chroma_client import set_aside_damaged
    from assistant.errors import IndexCorrupt
    from assistant.index import open_index
    from assistant.retrieval.lexical import save_snapshot
    from assistant.sync import sync_corpus

    with user_errors():
        settings = settings_from(corpus__dir=corpus, index__dir=index_dir)
        try:
            idx = open_index(settings)
        except IndexCorrupt:
            if not rebuild:
                raise
            moved = set_aside_damaged(settings.index)  # a damaged folder cannot be reset in place
            console.print(f"[yellow]the damaged index folder was moved to {moved}[/yellow]", highlight=False)
            idx = open_index(settings)
        if rebuild:
            idx.reset()
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=console, transient=True,
        ) as bar:
            task = bar.add_task("indexing", total=None)

            def progress(done: int, total: int, what: str) -> None:
                bar.update(task, completed=done, total=total, description=what)

            report = sync_corpus(idx, settings, progress=progress)
            bar.update(task, description="lexical snapshot", completed=0, total=None)
            save_snapshot(idx)  # built here, once, rather than by the app's first question
    print_report(report)
    if not report.ok:
        raise typer.Exit(EXIT_PARTIAL)


def print_report(report: SyncReport) -> None:
    table = Table(title="Index sync", show_header=True)
    table.add_column("", style="bold")
    table.add_column("value", justify="right")
    table.add_row("files indexed", str(report.files_indexed))
    table.add_row("added / changed / removed / unchanged", f"{len(report.added)} / {len(report.changed)} / {len(report.removed)} / {len(report.unchanged)}")
    table.add_row("chunks embedded this run", str(report.chunks_written))
    table.add_row("chunks in index", str(report.chunks_total))
    table.add_row("files skipped", str(len(report.failed)))
    table.add_row("time", f"{report.seconds:.2f} s")
    console.print(table)
    if report.failed:
        skipped = Table(title="Skipped files", show_header=True)
        skipped.add_column("file")
        skipped.add_column("reason")
        for item in report.failed:
            skipped.add_row(item.source, item.reason)
        console.print(skipped)
    for source, warnings in report.warnings.items():
        for warning in warnings:
            console.print(f"[yellow]warning:[/yellow] {source}: {warning}", highlight=False)
