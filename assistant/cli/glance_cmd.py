"""``assistant glance``: the corpus's deadlines, responsibilities and targets at a glance, or exported."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from assistant.cli.common import EXIT_ERROR, console, err_console, user_errors

RENDER_LANGUAGES = ["vi", "en"]


def glance(
    level: list[str] = typer.Option(
        [], "--level", help="Only facts for this level: central, province, commune (repeatable)."
    ),
    actor: str = typer.Option(None, "--actor", help="Only facts whose actor's name contains this text."),
    kind: list[str] = typer.Option([], "--kind", help="Only this kind: deadline, responsibility, target (repeatable)."),
    doc_type: list[str] = typer.Option([], "--type", help="Only facts stated in this document type (repeatable)."),
    doc: list[str] = typer.Option([], "--doc", help="Only facts stated in this source path (repeatable)."),
    verified_only: bool = typer.Option(False, "--verified-only", help="Leave out facts whose quotes do not check out."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, xlsx, json or ics (calendar of deadlines)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file (needed for xlsx; else stdout)."),
    render: bool = typer.Option(
        False,
        "--render",
        help="First word each verified fact in --render-lang with the LLM; keep and store only "
        "renderings whose figures and actor match the quote.",
    ),
    render_lang: list[str] = typer.Option(
        RENDER_LANGUAGES, "--render-lang", help="A language to render facts in (repeatable; default vi and en)."
    ),
    llm: str = typer.Option(None, "--llm", help="LLM for --render: local, openai or ollama (default: setting `llm`)."),
) -> None:
    """Deadlines in date order, then responsibilities and targets, each with where it is stated."""
    from pydantic import ValidationError

    from assistant import Assistant
    from assistant.facts import export
    from assistant.facts.select import FactFilter

    if fmt not in export.FORMATS:
        err_console.print(f"[red]error:[/red] unknown format {fmt!r}; choose one of {', '.join(export.FORMATS)}")
        raise typer.Exit(EXIT_ERROR)
    if fmt == "xlsx" and output is None:
        err_console.print("[red]error:[/red] --format xlsx needs --output FILE.xlsx")
        raise typer.Exit(EXIT_ERROR)
    try:
        chosen = FactFilter(kinds=kind, levels=level, actor=actor, doc_types=doc_type, sources=doc,
                            verified_only=verified_only)  # fmt: skip
    except ValidationError as exc:
        bad = "; ".join(f"--{e['loc'][0].rstrip('s')} {e['input']!r}" for e in exc.errors())
        err_console.print(f"[red]error:[/red] unknown value: {bad}")
        raise typer.Exit(EXIT_ERROR) from exc
    with user_errors():
        bot = Assistant(backend=llm) if render else Assistant(backend="none")
        if render:
            _render(bot, render_lang)
        facts = bot.facts(chosen)
        if fmt == "table":
            _print_table(facts)
        elif output is not None:
            export.write(facts, fmt, output)
            err_console.print(f"{len(facts)} facts written to {output}")
        elif fmt == "ics":
            sys.stdout.buffer.write(export.to_ics(facts))
        else:
            sys.stdout.write(export.to_csv(facts) if fmt == "csv" else export.to_json(facts) + "\n")


def _render(bot, languages: list[str]) -> None:  # noqa: ANN001 - an Assistant
    """Render the facts with a progress bar and say how many renderings were kept and dropped, and why."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("rendering facts", total=None)

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what)

        report = bot.render_facts(languages, progress)
    reasons = ", ".join(f"{check} {n}" for check, n in sorted(report.reason_counts().items()))
    summary = f"renderings: {report.asked} asked, {report.kept} kept, {len(report.dropped)} dropped"
    err_console.print(summary + (f" (failed checks: {reasons})" if reasons else ""), highlight=False)
    if report.note:
        err_console.print(f"[yellow]{report.note}[/yellow]", highlight=False)


def _print_table(facts: list) -> None:
    if not facts:
        console.print("No facts. Is the index built? Run `assistant index`.")
        return
    table = Table(show_lines=False)
    for column in ("kind", "when / value", "actor", "levels", "what", "sources", "✓"):
        table.add_column(column, overflow="fold")
    for fact in facts:
        when = (
            f"{fact.date_role or ''} {fact.date}".strip()
            if fact.kind == "deadline"
            else (f"{fact.value:g} {fact.unit or ''}".strip() if fact.value is not None else (fact.date or ""))
        )
        table.add_row(
            fact.kind, when, fact.actor or "", ", ".join(fact.levels),
            "\n".join([fact.text[:160], *(escape(f"[{lang}] {text}") for lang, text in fact.renderings.items())]),
            "\n".join(f"{e.source}" + (f" ({e.location})" if e.location else "") for e in fact.evidence[:4])
            + (f"\n+{len(fact.evidence) - 4} more" if len(fact.evidence) > 4 else ""),
            "✓" if fact.verified else "⚠",
        )  # fmt: skip
    console.print(table)
    console.print(f"{len(facts)} facts")
