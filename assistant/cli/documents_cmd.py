"""``assistant documents``: what the index holds, file by file, with errors."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table

from assistant.cli.common import console, settings_from, user_errors


def documents() -> None:
    """List indexed documents: type, language, chunks, when indexed, and errors or warnings."""
    from assistant.index import open_index

    with user_errors():
        records = open_index(settings_from()).file_records()
    if not records:
        console.print("The index is empty. Run `assistant index`.")
        return
    table = Table(show_header=True)
    for col in ("document", "type", "lang", "chunks", "indexed", "status"):
        table.add_column(col, overflow="fold")
    for source, rec in sorted(records.items()):
        status = f"[red]{rec.error}[/red]" if rec.status == "error" else (f"[yellow]{rec.warnings}[/yellow]" if rec.warnings else "ok")
        when = datetime.fromtimestamp(rec.indexed_at).strftime("%Y-%m-%d %H:%M")
        table.add_row(f"{rec.title or source}\n[dim]{source}[/dim]", rec.doc_type, rec.language, str(rec.chunks), when, status)
    console.print(table)
