"""``assistant search``: ranked passages for a query, with why each matched."""

from __future__ import annotations

import json

import typer
from rich.padding import Padding

from assistant.cli.common import console, settings_from, user_errors


def search(
    query: str = typer.Argument(..., help="The question or keywords."),
    k: int = typer.Option(5, "-k", "--top", help="How many passages to show."),
    doc: list[str] = typer.Option([], "--doc", help="Only this source path (repeatable)."),
    doc_type: list[str] = typer.Option([], "--type", help="Only this document type (repeatable)."),
    lang: list[str] = typer.Option([], "--lang", help="Only this document language (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    rewrite: bool = typer.Option(None, "--rewrite/--no-rewrite", help="Also search LLM translations of the query (default: setting retrieval.rewrite)."),
    llm: str = typer.Option(None, "--llm", help="LLM backend for --rewrite: local, openai or ollama."),
) -> None:
    """Print ranked chunks with source, position, language and score."""
    from assistant import Assistant
    from assistant.retrieval import SearchFilters

    with user_errors():
        bot = Assistant(settings_from(retrieval__rewrite=rewrite), backend=llm)
        filters = SearchFilters(sources=doc, doc_types=doc_type, languages=lang)
        hits = bot.search(query, k=k, filters=filters)
        rewrites = bot.rewriter(query) if bot.rewriter is not None else []  # cached: no second LLM call
    if bot.settings.retrieval.rewrite is True and bot.rewriter is None:
        console.print(f"[yellow]query rewriting needs an LLM ({bot.llm_notice or 'backend none'}); searched the query as given[/yellow]")
    if as_json:
        console.print_json(json.dumps([h.model_dump() for h in hits], ensure_ascii=False))
        return
    if not hits:
        console.print("No passages found. Is the index built? Run `assistant index`.")
        return
    for text in rewrites:
        console.print(f"[dim]also searched:[/dim] {text}", highlight=False)
    for hit in hits:
        meta = hit.chunk.meta
        why = ", ".join(
            part for part in (
                f"dense #{hit.dense_rank}" if hit.dense_rank else "",
                f"lexical #{hit.lexical_rank}" if hit.lexical_rank else "",
                ("terms: " + " ".join(hit.matched_terms)) if hit.matched_terms else "",
            ) if part
        )
        where = " · ".join(p for p in (meta.location, meta.language, meta.doc_type) if p)
        console.print(f"[bold]{hit.rank}.[/bold] {hit.score:.3f}  [cyan]{meta.source}[/cyan]  {where}", highlight=False)
        console.print(f"   [dim]{meta.title}[/dim]" + (f"  [dim]{meta.url}[/dim]" if meta.url else ""), highlight=False)
        console.print(f"   [green]why:[/green] {why}", highlight=False)
        text = hit.chunk.text if len(hit.chunk.text) <= 500 else hit.chunk.text[:500] + "…"
        console.print(Padding(text, (0, 0, 1, 3)), highlight=False)
