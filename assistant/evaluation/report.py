"""Human-readable reports of a run: ``report.md``, a self-contained ``report.html`` and PNG plots.

Both reports hold the same tables: metrics (with baseline and delta columns when a
baseline is given), per-language and per-tag slices, the optional LLM judge (its
one-line status, or its means per language and the answers it scored low or could
not score), failing questions (question, expected facts, answer, why it failed),
citation location misses (questions with an ``expected_location`` none of whose verified
citations points there), flipped questions side by side and changed configuration. Every piece of run text is escaped with ``html.escape`` (in Markdown
too, since Markdown renders raw HTML). The HTML embeds the plots as data URIs; the
Markdown links the PNG files written next to it.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.evaluation.compare import Baseline, Comparison, compare
from assistant.evaluation.judge_types import JUDGE_METRICS
from assistant.evaluation.metrics import HIGHER_IS_BETTER, LABELS, LOWER_IS_BETTER, Metrics
from assistant.evaluation.runner import EvalResult, EvalRun

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Table = tuple[str, list[str], list[list[str]]]  # title, header, rows (plain, unescaped text)

SLICE_COLUMNS: tuple[str, ...] = (
    "pass_rate", "correctness", "citation_validity", "hit_at_5", "mrr_at_10", "language_match", "total_ms_p50",
)
PLOT_FILES: dict[str, str] = {
    "metrics": "metrics.png", "languages": "languages.png", "latency": "latency.png",
}


def _fmt(name: str, value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    if name in LOWER_IS_BETTER:
        return f"{value:+.0f}" if signed else f"{value:.0f}"
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def _metrics_table(run: EvalRun, comparison: Comparison | None) -> Table:
    header = ["metric", "value"] + (["baseline", "Δ"] if comparison else [])
    rows = []
    current = run.overall.model_dump()
    for name in (*HIGHER_IS_BETTER, *LOWER_IS_BETTER):
        row = [LABELS[name], _fmt(name, current[name])]
        if comparison:
            d = comparison.delta(name)
            row += [_fmt(name, d.baseline if d else None), _fmt(name, d.delta if d else None, signed=True)]
        rows.append(row)
    m = run.overall
    counts = f"{m.n} questions: {m.n_answerable} answerable, {m.n_should_refuse} to refuse"
    if m.location_n:
        counts += f", {m.location_n} with an expected location"
    return f"Metrics ({counts})", header, rows


def _steps_table(run: EvalRun) -> Table:
    """How often each step of the answer policy made the final answer, and when the first verified sentence came."""
    m = run.overall
    rows = [[step, str(n), f"{n / m.n:.0%}" if m.n else "–"] for step, n in m.answered_by.items()]
    for name, value in (("first verified sentence p50 (ms)", m.first_verified_ms_p50),
                        ("first verified sentence p95 (ms)", m.first_verified_ms_p95)):  # fmt: skip
        rows.append([name, f"{value:.0f}" if value is not None else "–", ""])
    return "Which step made the answer", ["step", "answers", "share"], rows


def _slice_table(title: str, slices: dict[str, Metrics]) -> Table:
    header = ["slice", "n"] + [LABELS[c] for c in SLICE_COLUMNS]
    rows = [[key, str(m.n)] + [_fmt(c, getattr(m, c)) for c in SLICE_COLUMNS] for key, m in slices.items()]
    return title, header, rows


def _failing_table(run: EvalRun) -> Table:
    rows = [
        [r.question.id, r.question.question,
         "; ".join(r.question.expected_facts) or "(should refuse)",
         ("[refused] " if r.answer.refused else "") + r.answer.answer,
         "; ".join(r.verdicts.failures)]
        for r in run.results if not r.verdicts.passed
    ]
    return f"Failing questions ({len(rows)})", ["id", "question", "expected facts", "answer", "why it failed"], rows


def _location_table(run: EvalRun) -> list[Table]:
    """Questions whose expected location no verified citation of an expected source points at (none without any)."""
    located = [r for r in run.results if r.verdicts.location_correct is not None]
    if not located:
        return []
    rows = [
        [r.question.id, r.question.question, _expected_location(r),
         "(refused)" if r.answer.refused else "; ".join(
             f"[{c.n}] {c.source}" + (f" ({c.location})" if c.location else "") + ("" if c.verified else " unverified")
             for c in r.answer.citations) or "(no citations)"]
        for r in located if not r.verdicts.location_correct
    ]
    title = f"Citation location misses ({len(rows)} of {len(located)})"
    return [(title, ["id", "question", "expected location", "citations"], rows)]


def _expected_location(result: EvalResult) -> str:
    expected = result.question.expected_location
    return ", ".join(f"{k} {v}" for k, v in expected.model_dump(exclude_none=True).items()) if expected else ""


#: A judge score below this lists the answer under "low judge scores".
JUDGE_LOW = 0.5


def _judge_tables(run: EvalRun, comparison: Comparison | None) -> list[Table]:
    """The judge's status line, or its means (overall with baseline/Δ, then per language) and its low scores."""
    report = run.judge
    if report is None:
        return []
    if report.status != "done" or report.overall is None:
        return [("LLM judge", ["status"], [[report.message]])]
    header = ["slice", "judged", "errors", "faithfulness", "answer relevance"]
    deltas = [comparison.delta(f"judge_{m}") for m in JUDGE_METRICS] if comparison else []
    if any(deltas):
        header += ["baseline faithfulness", "Δ faithfulness", "baseline relevance", "Δ relevance"]
    rows = []
    for key, m in [("all", report.overall), *report.by_language.items()]:
        row = [key, str(m.n), str(m.n_errors), _fmt("", m.faithfulness), _fmt("", m.answer_relevance)]
        if any(deltas):
            row += [cell for d in deltas for cell in (
                _fmt("", d.baseline if d and key == "all" else None), _fmt("", d.delta if d and key == "all" else None, True))]
        rows.append(row)
    questions = {r.question.id: r for r in run.results}
    low = [
        [s.id, questions[s.id].question.question, questions[s.id].answer.answer,
         _fmt("", s.faithfulness), _fmt("", s.answer_relevance), s.error or ""]
        for s in report.scores
        if s.error or any(v is not None and v < JUDGE_LOW for v in (s.faithfulness, s.answer_relevance))
    ]
    return [
        (f"LLM judge ({report.judge}; {report.library})", header, rows),
        (f"Low or missing judge scores ({len(low)}; below {JUDGE_LOW})",
         ["id", "question", "answer", "faithfulness", "answer relevance", "judge error"], low),
    ]


def _flipped_table(comparison: Comparison) -> Table:
    rows = [
        [f.id, "pass → fail" if f.direction == "pass_to_fail" else "fail → pass", f.question,
         f.baseline_answer, f.current_answer, "; ".join(f.current_failures or f.baseline_failures)]
        for f in comparison.flipped
    ]
    header = ["id", "flip", "question", "baseline answer", "current answer", "why the failing side failed"]
    return f"Flipped questions ({len(rows)})", header, rows


def _tables(run: EvalRun, comparison: Comparison | None) -> list[Table]:
    tables = [_metrics_table(run, comparison), _steps_table(run), _slice_table("By question language", run.by_language),
              _slice_table("By tag", run.by_tag), *_judge_tables(run, comparison), _failing_table(run),
              *_location_table(run)]
    if comparison:
        tables.append(_flipped_table(comparison))
        if comparison.config_changes:
            tables.append(("Configuration changes", ["setting", "baseline", "current"],
                           [[k, str(b), str(c)] for k, (b, c) in comparison.config_changes.items()]))
    return tables


# --- plots -------------------------------------------------------------------------------------


def _plot_metrics(ax: Axes, run: EvalRun, comparison: Comparison | None) -> None:
    """Horizontal bars of the rate metrics, current next to baseline."""
    names = list(HIGHER_IS_BETTER)
    ys = list(range(len(names)))
    current = run.overall.model_dump()
    ax.barh([y + 0.2 for y in ys], [current[n] or 0 for n in names], height=0.4, label="current")
    if comparison:
        baseline = [(d.baseline if (d := comparison.delta(n)) else None) or 0 for n in names]
        ax.barh([y - 0.2 for y in ys], baseline, height=0.4, label="baseline")
    ax.set_yticks(ys, [LABELS[n] for n in names])
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_title("Metrics" + (" vs baseline" if comparison else "") + " (missing = 0)")
    ax.legend(loc="lower right", framealpha=0.9)


def _plot_languages(ax: Axes, run: EvalRun) -> None:
    """Grouped bars per question language."""
    languages = list(run.by_language)
    shown = ("pass_rate", "correctness", "hit_at_5")
    width = 0.8 / len(shown)
    for i, metric in enumerate(shown):
        xs = [x + (i - (len(shown) - 1) / 2) * width for x in range(len(languages))]
        ax.bar(xs, [getattr(run.by_language[lang], metric) or 0 for lang in languages], width=width,
               label=LABELS[metric])
    ax.set_xticks(range(len(languages)), languages)
    ax.set_ylim(0, 1)
    ax.set_title("By question language")
    if languages:
        ax.legend()


def _plot_latency(ax: Axes, run: EvalRun) -> None:
    """Histogram of retrieval, first-token and total latency (shared bins)."""
    timings = [r.answer.timings for r in run.results]
    series = {
        "retrieval": [t.retrieval_ms for t in timings],
        "first token": [t.first_token_ms for t in timings if t.first_token_ms is not None],
        "total": [t.total_ms for t in timings],
    }
    present = {label: values for label, values in series.items() if values}
    if present:  # one call, so the series share bins and a constant series is still visible
        ax.hist(list(present.values()), bins=min(20, max(5, len(timings))), label=list(present))
        ax.legend()
    ax.set_xlabel("ms")
    ax.set_ylabel("questions")
    ax.set_title("Latency")


def _plots(run: EvalRun, comparison: Comparison | None, output: Path) -> dict[str, Path]:
    """Draw the PNG plots on Agg canvases (no pyplot, no global backend change); return name → path."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    paths: dict[str, Path] = {}
    drawers: dict[str, tuple[tuple[float, float], Callable[[Axes], None]]] = {
        "metrics": ((8, 5), lambda ax: _plot_metrics(ax, run, comparison)),
        "languages": ((8, 4), lambda ax: _plot_languages(ax, run)),
        "latency": ((8, 4), lambda ax: _plot_latency(ax, run)),
    }
    for name, (size, draw) in drawers.items():
        figure = Figure(figsize=size)
        FigureCanvasAgg(figure)
        draw(figure.add_subplot())
        figure.tight_layout()
        paths[name] = output / PLOT_FILES[name]
        figure.savefig(paths[name], format="png", dpi=100)
    return paths


# --- rendering ---------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    """Escape HTML, then Markdown's inline syntax (so regexes show verbatim), and keep the cell on one line."""
    text = html.escape(text, quote=False).replace("\\", "\\\\")
    for char in "|*_`[]":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "<br>")


def render_markdown(title: str, tables: Sequence[Table], plots: dict[str, Path]) -> str:
    """The Markdown report: a section per table, then the plots as image links."""
    lines = [f"# {_md_cell(title)}", ""]
    for heading, header, rows in tables:
        lines += [f"## {_md_cell(heading)}", ""]
        if not rows:
            lines += ["None.", ""]
            continue
        lines.append("| " + " | ".join(_md_cell(h) for h in header) + " |")
        lines.append("|" + "---|" * len(header))
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        lines.append("")
    lines += ["## Plots", ""] + [f"![{name}]({path.name})" for name, path in plots.items()] + [""]
    return "\n".join(lines)


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}"
    "table{border-collapse:collapse;margin-bottom:1.5em}"
    "th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left;white-space:pre-wrap}"
    "th{background:#f3f3f3}img{max-width:100%;display:block;margin:1em 0}"
)


def render_html(title: str, tables: Sequence[Table], plots: dict[str, Path]) -> str:
    """The self-contained HTML report (plots embedded as base64 PNG data URIs)."""
    e = html.escape
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(title)}</title>",
             f"<style>{_CSS}</style></head><body><h1>{e(title)}</h1>"]
    for heading, header, rows in tables:
        parts.append(f"<h2>{e(heading)}</h2>")
        if not rows:
            parts.append("<p>None.</p>")
            continue
        parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows]
        parts.append("</table>")
    parts.append("<h2>Plots</h2>")
    for name, path in plots.items():
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        parts.append(f"<img alt='{e(name)}' src='data:image/png;base64,{data}'>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_reports(run: EvalRun, output: Path, baseline: Baseline | Comparison | None = None) -> list[Path]:
    """Write ``report.md``, ``report.html`` and the plots into ``output``; return their paths."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    comparison = compare(run, baseline) if isinstance(baseline, Baseline) else baseline
    tables = _tables(run, comparison)
    plots = _plots(run, comparison, output)
    title = "Evaluation report" + (f" (baseline: {comparison.baseline_path})" if comparison else "")
    md, page = output / "report.md", output / "report.html"
    md.write_text(render_markdown(title, tables, plots), encoding="utf-8")
    page.write_text(render_html(title, tables, plots), encoding="utf-8")
    return [md, page, *plots.values()]
