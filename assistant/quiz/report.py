"""The quality report written beside every export: items kept and dropped with reasons, who wrote the items
(templates, or a language model whose rewordings passed the checks) and why rewordings were turned down, as
Markdown and JSON."""

from __future__ import annotations

import json
from collections import Counter

from assistant.quiz.export.common import ExportResult
from assistant.quiz.flaws import Flaw
from assistant.quiz.items import Quiz
from assistant.quiz.request import QuizRequest


def report_data(quiz: Quiz, request: QuizRequest, flaws: list[Flaw], seconds: float,
                export: ExportResult | None = None) -> dict:  # fmt: skip
    """The report as plain data (what the JSON file holds)."""
    written_by = Counter(item.written_by for item in quiz.items)
    return {
        "title": quiz.title,
        "request": request.model_dump(mode="json"),
        "mode": "templates reworded by a language model" if request.llm else "templates (no LLM)",
        "written_by": {"template": written_by["template"], "llm": written_by["llm"]},
        "rewordings_turned_down": quiz.report.rewording_counts(quiz.items),
        "notes": list(quiz.report.notes),
        "kept": quiz.report.kept,
        "dropped": len(quiz.report.dropped),
        "reasons": quiz.report.reason_counts(),
        "types": dict(Counter(item.type for item in quiz.items)),
        "quiz_flaws": [flaw.model_dump() for flaw in flaws],
        "seconds": round(seconds, 2),
        "export": export.model_dump(mode="json") if export else None,
        "dropped_items": [dropped.model_dump() for dropped in quiz.report.dropped],
    }


def report_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def report_markdown(data: dict) -> str:
    """A short Markdown report for the trainer."""
    lines = [
        f"# {data['title']}: quality report",
        "",
        (
            f"Built from the corpus's verified facts with {data['mode']} in {data['seconds']} s; "
            f"seed {data['request']['seed']}, language {data['request']['language']}, "
            f"difficulty {data['request']['difficulty']}."
        ),
        "",
        f"- kept: **{data['kept']}** ({', '.join(f'{t} {n}' for t, n in sorted(data['types'].items())) or 'none'})",
        f"- dropped: **{data['dropped']}**",
    ]
    written = data.get("written_by", {})
    if data["request"].get("llm"):
        turned_down = ", ".join(f"`{code}` {n}" for code, n in data.get("rewordings_turned_down", {}).items())
        lines.append(f"- stems reworded by the language model: **{written.get('llm', 0)}** of {data['kept']}"
                     + (f"; rewordings turned down: {turned_down}" if turned_down else ""))  # fmt: skip
    lines += [f"- note: {note}" for note in data.get("notes", [])]
    lines.append("")
    if data["reasons"]:
        lines += ["| reason | items |", "|---|---|"] + [f"| `{code}` | {n} |" for code, n in data["reasons"].items()]
        lines.append("")
    for flaw in data["quiz_flaws"]:
        lines.append(f"- quiz-level flaw `{flaw['code']}`: {flaw['message']}")
    export = data.get("export")
    if export:
        lines.append(f"- exported {export['written']} item(s) as {export['format']} to `{export['path']}`")
        lines += [f"  - left out {s['item_id']}: {s['reason']}" for s in export["skipped"]]
    if data["dropped_items"]:
        lines += ["", "## Dropped items", ""]
        for dropped in data["dropped_items"]:
            stem = (dropped["stem"] or "(no stem written)").replace("\n", " ")[:160]
            why = "; ".join(f"`{r['code']}` {r['message']}" for r in dropped["reasons"])
            lines.append(f"- {stem} — {why}")
    return "\n".join(lines) + "\n"
