"""Answer benchmark on a question set: correctness, refusals, language, latency, against a baseline.

    .venv/bin/python benchmarks/answer_bench.py [--llm local|none|openai|ollama] [--baseline] [--sample N]

Runs every question through the same pipeline as the chat (``Assistant.ask``)
and, with ``--baseline``, through a plain LangChain "stuff" chain (same model,
top-4 dense chunks, a one-line prompt). Prints a table; record it in docs/answers.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]


def _p(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summarise(name: str, items: list) -> dict:
    """items: (Question, Answer, Verdicts)."""
    answerable = [(q, a, v) for q, a, v in items if not q.should_refuse]
    unanswerable = [(q, a, v) for q, a, v in items if q.should_refuse]
    correct_cited = sum(1 for _, _, v in answerable if v.correct and v.citation_valid)
    firsts = [a.timings.first_token_ms for _, a, _ in items if a.timings.first_token_ms is not None]
    verified = [a.timings.first_verified_ms for _, a, _ in items if a.timings.first_verified_ms is not None]
    return {
        "name": name,
        "n": len(items),
        "correct": sum(1 for _, _, v in answerable if v.correct) / max(len(answerable), 1),
        "correct_cited": correct_cited / max(len(answerable), 1),
        "refusals": sum(1 for _, _, v in unanswerable if v.refused) / max(len(unanswerable), 1),
        "false_refusals": sum(1 for _, _, v in answerable if v.refused) / max(len(answerable), 1),
        "language": sum(1 for _, _, v in items if v.language_match) / max(len(items), 1),
        "evidence_p50": _p([a.timings.retrieval_ms for _, a, _ in items], 50),
        "first_p50": _p(firsts, 50),
        "first_p95": _p(firsts, 95),
        "verified_p50": _p(verified, 50),
        "verified_p95": _p(verified, 95),
        "total_p50": _p([a.timings.total_ms for _, a, _ in items], 50),
    }


def stuff_chain_answer(bot) -> Callable:
    """The tutorial baseline: dense top-4 chunks stuffed into one prompt, no citations checked."""
    from langchain_classic.chains.combine_documents import create_stuff_documents_chain
    from langchain_core.documents import Document
    from langchain_core.prompts import ChatPromptTemplate

    from assistant.language import detect_language
    from assistant.types import Answer, Context, Timings

    prompt = ChatPromptTemplate.from_messages([
        ("system", "Answer the question using only this context:\n\n{context}"),
        ("human", "{input}"),
    ])
    chain = create_stuff_documents_chain(bot.chat_model, prompt)

    def answer(question: str) -> Answer:
        started = time.perf_counter()
        hits = bot.index.dense_search(question, k=4)
        retrieval_ms = (time.perf_counter() - started) * 1000
        docs = [Document(page_content=h.chunk.text, metadata={"source": h.chunk.meta.source}) for h in hits]
        text = chain.invoke({"context": docs, "input": question})
        contexts = [Context(rank=h.rank, source=h.chunk.meta.source, url=h.chunk.meta.url, title=h.chunk.meta.title,
                            text=h.chunk.text, score=h.score) for h in hits]
        total = (time.perf_counter() - started) * 1000
        refused = any(p in text.lower() for p in ("not provided", "does not", "không có", "không được"))
        return Answer(question=question, answer=text, refused=refused, language=detect_language(text),
                      mode="stuff-chain", contexts=contexts, timings=Timings(retrieval_ms=retrieval_ms, total_ms=total))

    return answer


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--llm", default=None, help="backend (default: settings)")
    parser.add_argument("--questions", type=Path, default=REPO / "evals" / "dev.jsonl")
    parser.add_argument("--sample", type=int, default=0, help="only N questions, evenly spaced over the set")
    parser.add_argument("--baseline", action="store_true", help="also run the plain stuff-chain baseline")
    parser.add_argument("--output", type=Path, default=None, help="write each run's records (ask --json + verdicts) here")
    args = parser.parse_args(argv)

    from assistant import Assistant
    from assistant.evaluation.questions import load_questions
    from assistant.evaluation.verdicts import judge
    from assistant.privacy import disable_telemetry

    disable_telemetry()
    questions = load_questions(args.questions)
    if args.sample and args.sample < len(questions):
        step = len(questions) / args.sample
        questions = [questions[int(i * step)] for i in range(args.sample)]
    bot = Assistant(backend=args.llm)
    bot.ask("warm-up: Kế hoạch 02")  # load models before timing
    runs: list[tuple[str, Callable]] = [(f"pipeline ({bot.mode})", lambda q: bot.ask(q))]
    if args.baseline and bot.chat_model is not None:
        runs.append(("stuff chain, top-4 dense", stuff_chain_answer(bot)))
    rows = []
    console = Console()
    for name, fn in runs:
        items = []
        for i, q in enumerate(questions, 1):
            a = fn(q.question)
            items.append((q, a, judge(q, a)))
            console.print(f"[dim]{name} {i}/{len(questions)} {q.id}: {'ok' if items[-1][2].passed else 'fail'}[/dim]")
        rows.append(summarise(name, items))
        if args.output is not None:
            args.output.mkdir(parents=True, exist_ok=True)
            slug = name.split(" ")[0].replace("(", "").replace(")", "")
            with (args.output / f"{slug}.jsonl").open("w", encoding="utf-8") as out:
                for q, a, v in items:
                    record = {"id": q.id, **a.model_dump(mode="json"), "verdicts": v.model_dump(mode="json")}
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")

    table = Table(title=f"Answers on {args.questions.name} ({len(questions)} questions)")
    for col in ("run", "correct", "correct + verified citation", "refusals (unanswerable)", "false refusals",
                "answer language", "evidence p50", "first token p50 / p95", "first verified sentence p50 / p95",
                "total p50"):
        table.add_column(col, justify="right")
    ms = lambda v: "–" if v is None else f"{v / 1000:.1f} s"  # noqa: E731
    for r in rows:
        table.add_row(r["name"], f"{r['correct']:.2f}", f"{r['correct_cited']:.2f}", f"{r['refusals']:.2f}",
                      f"{r['false_refusals']:.2f}", f"{r['language']:.2f}", f"{(r['evidence_p50'] or 0):.0f} ms",
                      f"{ms(r['first_p50'])} / {ms(r['first_p95'])}",
                      f"{ms(r.get('verified_p50'))} / {ms(r.get('verified_p95'))}", ms(r["total_p50"]))
    console.print(table)
    return rows


if __name__ == "__main__":
    main()
