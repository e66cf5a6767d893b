"""The quality report written beside every export: items kept and dropped with reasons, as Markdown and JSON."""

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
    return {
        "title": quiz.title,
        "request": request.model_dump(mode="json"),
        "mode": "templates (no LLM)",
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
            f"Built from the corpus's verified facts with templates (no LLM) in {data['seconds']} s; "
            f"seed {data['request']['seed']}, language {data['request']['language']}, "
            f"difficulty {data['request']['difficulty']}."
        ),
        "",
        f"- kept: **{data['kept']}** ({', '.join(f'{t} {n}' for t, n in sorted(data['types'].items())) or 'none'})",
        f"- dropped: **{data['dropped']}**",
        "",
    ]
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
