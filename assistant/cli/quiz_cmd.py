"""``assistant quiz``: a checked quiz from the corpus's verified facts, exported with its quality report.

``--llm local`` (or openai, ollama: the backends of ``assistant ask --llm``) rewords the stems with that
model; every rewording is checked like any item, and one that fails leaves the template's wording."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from assistant.cli.common import EXIT_ERROR, console, err_console, user_errors

if TYPE_CHECKING:
    from assistant.quiz.items import Quiz

# The CLI's format names and the exporters' ones.
FORMATS = {
    "gift": "gift", "moodle-xml": "moodle_xml", "kahoot": "kahoot_xlsx", "csv": "csv", "json": "json",
    "anki": "anki", "html": "html", "eval-jsonl": "eval_jsonl",
}  # fmt: skip


def quiz(
    doc: list[str] = typer.Option([], "--doc", help="Build from this source path (repeatable)."),
    doc_type: str = typer.Option(None, "--doc-type", help="Build from documents of this type (guidebook, list, …)."),
    topic: str = typer.Option(None, "--topic", help="Build from the facts the search for this query finds."),
    items: int = typer.Option(10, "--items", "-n", help="How many items to keep."),
    item_type: list[str] = typer.Option(
        [], "--type", help="multichoice, truefalse, shortanswer, numerical, matching (repeatable; default all)."
    ),
    lang: str = typer.Option("vi", "--lang", help="vi, en, or source (each item in its source's language)."),
    difficulty: str = typer.Option("medium", "--difficulty", help="easy, medium or hard."),
    seed: int = typer.Option(0, "--seed", help="Same seed and corpus, same quiz."),
    fmt: str = typer.Option("gift", "--format", "-f", help=", ".join(FORMATS) + "."),
    output: Path = typer.Option(None, "--output", "-o", help="The export file (default: quiz<ext> here)."),
    llm: str = typer.Option(
        "none",
        "--llm",
        help="Reword the stems with this backend's model (local, openai, ollama); checked like "
        "every item. none (default): templates only.",
    ),
) -> None:
    """Write a quiz whose every item cites its source and passed the checks; print what was dropped and why."""
    from assistant import Assistant
    from assistant.quiz.export import EXTENSIONS, export
    from assistant.quiz.report import report_data, report_json, report_markdown
    from assistant.quiz.request import QuizRequest
    from assistant.quiz.session import QuizSession

    if fmt not in FORMATS:
        err_console.print(f"[red]error:[/red] unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        raise typer.Exit(EXIT_ERROR)
    target = FORMATS[fmt]
    output = output or Path("quiz" + EXTENSIONS[target])
    with user_errors():
        request = QuizRequest(
            documents=doc, doc_type=doc_type, topic=topic, items=items, language=lang, difficulty=difficulty,
            seed=seed, llm=llm != "none", **({"types": item_type} if item_type else {}),
        )  # fmt: skip
        session = QuizSession.build(Assistant(backend=llm), request)
        built = session.quiz
        _print_summary(built.report.kept, built.report.reason_counts(), len(built.report.dropped))
        if request.llm:
            _print_rewordings(built)
        for note in built.report.notes:
            err_console.print(f"[yellow]note:[/yellow] {note}")
        if not built.items:
            err_console.print("No item passed the checks: nothing exported. Is the index built (`assistant index`)?")
            raise typer.Exit(EXIT_ERROR)
        result = export(built, target, output)
        data = report_data(built, request, session.quiz_flaws(), session.seconds, result)
        name = output.name.removesuffix(EXTENSIONS[target]) if output.name.endswith(EXTENSIONS[target]) else output.stem
        report = output.with_name(f"{name}.report.md")
        report.write_text(report_markdown(data), encoding="utf-8")
        output.with_name(f"{name}.report.json").write_text(report_json(data), encoding="utf-8")
    for skipped in result.skipped:
        err_console.print(f"[yellow]left out of {fmt}:[/yellow] {skipped.item_id}: {skipped.reason}")
    for flaw in data["quiz_flaws"]:
        err_console.print(f"[yellow]quiz flaw {flaw['code']}:[/yellow] {flaw['message']}")
    console.print(f"{result.written} items written to {output}; report in {report}")


def _print_rewordings(built: Quiz) -> None:
    """How many kept stems the model wrote, and why its other rewordings were turned down."""
    reworded = sum(item.written_by == "llm" for item in built.items)
    console.print(f"stems reworded by the language model: {reworded} of {len(built.items)}")
    for code, n in built.report.rewording_counts(built.items).items():
        console.print(f"  rewording turned down, {code}: {n}")


def _print_summary(kept: int, reasons: dict[str, int], dropped: int) -> None:
    table = Table(title="Quiz items")
    table.add_column("outcome")
    table.add_column("items", justify="right")
    table.add_row("kept", str(kept))
    table.add_row("dropped", str(dropped))
    for code, n in reasons.items():
        table.add_row(f"  {code}", str(n))
    console.print(table)
