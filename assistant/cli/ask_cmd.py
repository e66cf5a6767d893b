"""``assistant ask`` and ``assistant chat``: answers with verified citations in the terminal."""

from __future__ import annotations

import sys

import typer

from assistant.cli.common import console, settings_from, user_errors
from assistant.types import Answer

LLM_OPTION = typer.Option(None, "--llm", help="Answer backend: local, openai, ollama or none (extractive).")


def _print_answer(answer: Answer, drafted: bool) -> None:
    if drafted:  # the draft above was unchecked: the checked answer follows, marked as such
        console.rule("checked answer", style="dim")
    console.print(answer.answer, highlight=False)
    if answer.notice:
        console.print(f"[yellow]{answer.notice}[/yellow]", highlight=False)
    if answer.refused and answer.contexts:
        console.print("[dim]closest passages:[/dim]")
        for ctx in answer.contexts[:3]:
            console.print(f"  [dim]- {ctx.title} ({ctx.source})[/dim]", highlight=False)
    for c in answer.citations:
        where = ", ".join(p for p in (c.location, c.url) if p)
        mark = "✓" if c.verified else "[red]unverified[/red]"
        console.print(f"[bold][{c.n}][/bold] {mark} {c.title} — {c.source}{' · ' + where if where else ''}", highlight=False)
        console.print(f"    [dim]“{c.quote}”[/dim]", highlight=False)
    t = answer.timings
    first = f", first token {t.first_token_ms / 1000:.1f} s" if t.first_token_ms is not None else ""
    console.print(
        f"[dim]{answer.mode} · {answer.verified_claims}/{answer.claims} claims verified · "
        f"retrieval {t.retrieval_ms:.0f} ms{first}, total {t.total_ms / 1000:.1f} s[/dim]"
    )


def _print_renderings(bot, answer: Answer) -> None:  # noqa: ANN001 - an Assistant
    """Each cited sentence in another language than the question's, rendered in it by the model:
    labelled as an unchecked machine translation, with the figures and names that differ."""
    from assistant.answer.renderings import foreign_citations

    for citation, language in foreign_citations(answer, answer.language):
        rendering = bot.render_source(citation.quote, answer.language)
        if rendering.text is None:
            console.print(f"[dim][{citation.n}] ({language}) no translation: {rendering.note}[/dim]", highlight=False)
            continue
        console.print(f"[bold][{citation.n}][/bold] [dim]machine translation from {language}, not checked:[/dim]",
                      highlight=False)  # fmt: skip
        console.print(f"    {rendering.text}", highlight=False, markup=False)
        for mismatch in rendering.mismatches:
            console.print(f"    [yellow]differs from the original: {mismatch}[/yellow]", highlight=False)


def _run(bot, question: str, history: list[tuple[str, str]] | None, as_json: bool) -> Answer:
    """Stream the answer: the draft dimmed under "draft (checking…)", withdrawn drafts marked as such,
    then the checked answer with its citations."""
    from assistant.answer import DiscardEvent, DoneEvent, TokenEvent

    if as_json:
        return bot.ask(question, history)
    answer: Answer | None = None
    drafting = drafted = False
    for event in bot.stream(question, history):
        if isinstance(event, TokenEvent):
            if not drafting:
                console.print("[dim italic]draft (checking…)[/dim italic]", highlight=False)
                drafting = drafted = True
            console.print(event.text, style="dim", end="", highlight=False, markup=False)
        elif isinstance(event, DiscardEvent):
            if drafting:
                console.print()
            reasons = "; ".join(event.reasons) or "rejected"
            console.print(f"[yellow]↺ draft withdrawn ({reasons}); trying {event.next_step}…[/yellow]", highlight=False)
            drafting = False
        elif isinstance(event, DoneEvent):
            answer = event.answer
    if drafting:
        console.print()
    assert answer is not None
    if bot.llm_notice and not answer.notice:
        answer = answer.model_copy(update={"notice": bot.llm_notice})
    _print_answer(answer, drafted)
    return answer


def ask(
    question: str = typer.Argument(..., help="The question, in Vietnamese, English or another language."),
    llm: str = LLM_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
    read_sources: bool = typer.Option(
        False, "--read-sources", help="Also render cited sentences in other languages in the question's (needs an LLM)."
    ),
) -> None:
    """Answer one question from the documents, citing its sources."""
    from assistant import Assistant

    with user_errors():
        bot = Assistant(settings_from(), backend=llm)
        answer = _run(bot, question, None, as_json)
        if read_sources and not as_json:
            _print_renderings(bot, answer)
    if as_json:
        sys.stdout.write(answer.model_dump_json() + "\n")


def chat(llm: str = LLM_OPTION) -> None:
    """A terminal conversation: follow-up questions use the history. Empty line or Ctrl-D quits."""
    from assistant import Assistant

    history: list[tuple[str, str]] = []
    with user_errors():
        bot = Assistant(settings_from(), backend=llm)
        console.print("[dim]Ask a question (empty line to quit).[/dim]")
        while True:
            try:
                question = console.input("[bold]> [/bold]").strip()
            except EOFError:
                break
            if not question:
                break
            answer = _run(bot, question, history, as_json=False)
            history += [("user", question), ("assistant", answer.answer)]
