"""The quiz builder on the sample articles and on the Vietnamese fixture documents, with and without the LLM.

    .venv/bin/python benchmarks/quiz_bench.py                    # 30 items from each, Vietnamese quiz, templates
    .venv/bin/python benchmarks/quiz_bench.py --llm none local   # also with the local model rewording the stems
    .venv/bin/python benchmarks/quiz_bench.py --lang en --dump /tmp/quiz   # also write each quiz as JSON

Builds (or reuses, in the cache) the index over both sets that ``glance_bench.py`` builds, then per
mode and set builds a quiz of ``--items`` items of every type: ``none`` with the templates only,
``local`` with the local model (``local.model``, ``--model``) rewording each stem (``QuizRequest.llm``).
It reports items kept and dropped with reasons, how many kept stems the model wrote and why its other
rewordings were turned down, the share whose key the assistant confirms by answering the stem
(``Assistant(backend="none").ask(stem)``: the key in the answer text or in its citations' quotes; a
matching item counts when every left side's answer confirms its right side), the item-writing flaws,
and the time taken.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from glance_bench import build_corpus  # noqa: E402

from assistant.api import Assistant  # noqa: E402
from assistant.cli.common import settings_from  # noqa: E402
from assistant.evaluation.corpus import corpus_overrides, sync_eval_index  # noqa: E402
from assistant.facts.store import update_facts  # noqa: E402
from assistant.index import open_index  # noqa: E402
from assistant.quiz.distractors import key_of  # noqa: E402
from assistant.quiz.flaws import check_item  # noqa: E402
from assistant.quiz.generate import QuizBuilder, builder_for  # noqa: E402
from assistant.quiz.items import QuizItem  # noqa: E402
from assistant.quiz.request import QuizRequest  # noqa: E402
from assistant.quiz.values import KeyValue, read_value  # noqa: E402

console = Console(width=220)
VI_DOCS = sorted(path.name for path in (REPO / "evals" / "fixtures" / "vi-docs").iterdir())
SETS = {"articles": {"doc_type": "article"}, "vi-docs": {"documents": VI_DOCS}}


def _confirms(assistant: Assistant, question: str, key: KeyValue) -> bool:
    answer = assistant.ask(question)
    return key.in_text(answer.answer) or any(key.in_text(c.quote) for c in answer.citations)


def confirmed(assistant: Assistant, builder: QuizBuilder, item: QuizItem) -> bool:
    """Whether the assistant, asked the stem, states the item's key (see the module docstring)."""
    source = builder.sources[item.id]
    if item.type == "matching":
        keys = [read_value(pair.right, source.key_kind) for pair in item.pairs]
        return all(k is not None and _confirms(assistant, p.left, k) for p, k in zip(item.pairs, keys, strict=True))
    if item.type == "truefalse":
        fact = next(f for f in builder.pool.facts if f.id == source.fact_ids[0])
        key = key_of(fact)
    elif item.type == "multichoice":
        key = read_value(item.correct_option.text, source.key_kind) if item.correct_option else None
    elif item.type == "numerical":
        key = source.key
    else:
        key = read_value(item.answers[0], source.key_kind)
    return key is not None and _confirms(assistant, item.stem, key)


def run(builder_assistant: Assistant, assistant: Assistant, name: str, args: argparse.Namespace) -> dict:
    """One quiz of set ``name``, built with ``builder_assistant`` (its model rewords the stems when it has one),
    its keys confirmed by ``assistant`` answering extractively."""
    llm = builder_assistant.backend != "none"
    request = QuizRequest(items=args.items, language=args.lang, seed=args.seed, llm=llm, **SETS[name])
    builder = builder_for(builder_assistant, request)
    builder.run()
    quiz = builder.quiz()
    started = time.perf_counter()
    confirmations = [confirmed(assistant, builder, item) for item in quiz.items]
    ask_seconds = time.perf_counter() - started
    flaws_kept = Counter(f.code for item in quiz.items for f in check_item(item))
    flaws_dropped = Counter(
        r.code.removeprefix("flaw.") for d in quiz.report.dropped for r in d.reasons if r.code.startswith("flaw.")
    )
    mode = builder_assistant.backend
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        (args.dump / f"{name}-{args.lang}-{mode}.json").write_text(quiz.model_dump_json(indent=2), encoding="utf-8")
    attempts = [a for item in quiz.items for a in item.attempts] + [a for d in quiz.report.dropped for a in d.attempts]
    return {
        "mode": mode,
        "set": name,
        "reworded": sum(item.written_by == "llm" for item in quiz.items),
        "asked": len(attempts),
        "turned_down": sum(not a.kept for a in attempts),
        "refusals": quiz.report.rewording_counts(quiz.items),
        "notes": quiz.report.notes,
        "kept": len(quiz.items),
        "dropped": len(quiz.report.dropped),
        "reasons": quiz.report.reason_counts(),
        "types": Counter(item.type for item in quiz.items),
        "confirmed": sum(confirmations),
        "flaws_kept": flaws_kept,
        "flaws_dropped": flaws_dropped,
        "quiz_flaws": [f.code for f in builder.quiz_flaws()],
        "build_s": builder.seconds,
        "ask_s": ask_seconds,
    }


def _counts(counter: Counter | dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))) or "0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=30, help="Items asked for per set (default 30).")
    parser.add_argument("--lang", default="vi", choices=["vi", "en", "source"], help="Quiz language (default vi).")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dump", type=Path, default=None, help="Folder to write each quiz as JSON (for review).")
    parser.add_argument(
        "--llm",
        nargs="+",
        default=["none"],
        choices=["none", "local"],
        help="Modes to run: none (templates) and/or local (the local model rewords the stems).",
    )
    parser.add_argument("--model", default=None, help="The local model (default: the settings' local.model).")
    parser.add_argument("--index-root", type=Path, default=None,
                        help="Keep the index under this folder instead of the shared evaluation cache (another "
                        "process may be writing the shared one).")  # fmt: skip
    args = parser.parse_args()

    corpus = build_corpus()
    settings = settings_from(**corpus_overrides(corpus, args.index_root), local__model=args.model)
    index = open_index(settings)
    sync_eval_index(index, settings)
    update_facts(index, settings.facts)
    assistant = Assistant(settings=settings, backend="none", index=index)
    builders = {mode: assistant if mode == "none" else Assistant(settings=settings, backend=mode, index=index)
                for mode in args.llm}  # fmt: skip
    results = [run(builders[mode], assistant, name, args) for mode in args.llm for name in SETS]

    model = settings.local.model if "local" in args.llm else "none"
    table = Table(title=f"quiz bench: {args.items} items asked per set, language {args.lang}, local model {model}")
    columns = ("mode", "set", "kept", "types", "dropped", "reasons", "reworded (kept)", "rewordings turned down",
               "key confirmed", "flaws", "build", "answering")  # fmt: skip
    for column in columns:
        table.add_column(column, overflow="fold")
    for r in results:
        flaws = f"kept items: {_counts(r['flaws_kept'])}; dropped by: {_counts(r['flaws_dropped'])}"
        if r["quiz_flaws"]:
            flaws += f"; quiz: {', '.join(r['quiz_flaws'])}"
        share = f"{r['confirmed']}/{r['kept']} ({r['confirmed'] / r['kept']:.0%})" if r["kept"] else "–"
        reworded = f"{r['reworded']}/{r['kept']} ({r['asked']} asked)" if r["mode"] != "none" else "–"
        down = f"{r['turned_down']}: {_counts(r['refusals'])}" if r["mode"] != "none" else "–"
        table.add_row(r["mode"], r["set"], str(r["kept"]), _counts(r["types"]), str(r["dropped"]),
                      _counts(r["reasons"]), reworded, down, share, flaws, f"{r['build_s']:.1f} s",
                      f"{r['ask_s']:.1f} s")  # fmt: skip
    console.print(table)
    for r in results:
        for note in r["notes"]:
            console.print(f"[yellow]{r['mode']} {r['set']}:[/yellow] {note}")


if __name__ == "__main__":
    main()
