"""What the "At a glance" tab shows, built without Gradio: the timeline's data and figure, the table's
rows in the interface language, and the escaped HTML of a row's sources with their quotes highlighted.

Facts come from :meth:`assistant.api.Assistant.facts`; :mod:`assistant.web.glance_tab` wires these
functions to the page. Every document text reaches the page escaped: :func:`html.escape` in the
sources panel (through :func:`assistant.web.sources.esc`) and in the chart's hover labels.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from assistant.facts.model import LEVELS, Fact, is_month, is_quarter, quarter_of
from assistant.web.i18n import doc_type_name, language_name, normalize, reason_text, t
from assistant.web.sources import esc, highlight, safe_url

NO_LEVEL = "none"
LANES: tuple[str, ...] = (*LEVELS, NO_LEVEL)  # top to bottom
TABLE_TEXT_CHARS = 280
HOVER_TEXT_CHARS = 320
HOVER_WIDTH = 64
COLUMNS = ("n", "kind", "when", "actor", "levels", "text", "sources", "verified")
DATE_FORMATS = {"vi": "%d/%m/%Y", "en": "%Y-%m-%d"}
# Date ticks: days when the ticks are less than a month apart, else months.
DAY_MS = 86_400_000
TICK_FORMATS = {"vi": ("%d/%m/%Y", "%m/%Y"), "en": ("%d %b %Y", "%b %Y")}
COLORS = {"by": "#b3261e", "from": "#1e6b34", "target": "#5b3f8c", "period": "rgba(31, 119, 180, 0.28)"}
# Plotly's tools that mean nothing on a timeline (zoom, reset and "save as PNG" stay).
MODEBAR_REMOVED = ["select2d", "lasso2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d"]
ROLES = ("by", "from", "target")  # a day's label goes to its first marker in this order
SIDES = ("top center", "bottom center")  # where a marker's date label goes, by preference
SYMBOLS = {"by": "diamond", "from": "triangle-right", "target": "circle"}


# -- dates and wording ----------------------------------------------------------------------------


def show_date(lang: str, value: str) -> str:
    """An ISO date (``--MM-DD``, a month ``YYYY-MM`` or a quarter ``YYYY-Qn``) as the interface writes dates:
    30/06/2025 or 2025-06-30, 09/2025 or 2025-09, Quý III/2025 or 2025-Q3."""
    lang = normalize(lang)
    if value.startswith("--"):
        month, day = value[2:4], value[5:7]
        return t(lang, "glance.no_year", date=f"{day}/{month}" if lang == "vi" else f"--{month}-{day}")
    if is_month(value):
        return f"{value[5:]}/{value[:4]}" if lang == "vi" else value
    if is_quarter(value):
        quarter, year = quarter_of(value)
        return t(lang, "glance.quarter", quarter=t(lang, "glance.quarter_names").split("|")[quarter - 1], year=year)
    try:
        return date.fromisoformat(value).strftime(DATE_FORMATS[lang])
    except ValueError:
        return value


def when(lang: str, fact: Fact) -> str:
    """The table's date-or-value cell: "đến 30/06/2025", "from 2025-07-01", "100 %", or "" ."""
    parts = []
    if fact.value is not None:
        parts.append(f"{fact.value:g} {fact.unit}".strip() if fact.unit else f"{fact.value:g}")
    if fact.date:
        parts.append(t(lang, f"glance.when.{fact.date_role or 'by'}", date=show_date(lang, fact.date)))
    return " · ".join(parts)


def language_label(lang: str, code: str) -> str:
    """The small label of a statement left in its source language: "(tiếng Ukraina)", "(Ukrainian)"."""
    name = language_name(lang, code)
    if normalize(lang) == "vi" and name.startswith("Tiếng "):
        name = "tiếng " + name[len("Tiếng ") :]
    return f"({name})"


def statement(lang: str, fact: Fact) -> tuple[str, str | None]:
    """The fact's wording for ``lang`` and the label to show beside it (None when it needs none).

    In order: the fact's text when it is in ``lang``; the quote of a source written in ``lang`` (a
    merged fact stated in several languages); a model's rendering in ``lang``, labelled as machine
    wording (its dates, numbers and actor were checked against the quote, its meaning was not:
    docs/facts.md, "Renderings"); else the source-language text, labelled with its language.
    """
    lang = normalize(lang)
    if fact.language == lang:
        return fact.text, None
    same = next((e.quote for e in fact.evidence if e.language == lang and e.quote.strip()), None)
    if same:
        return same, None
    if fact.renderings.get(lang):
        original = language_label(lang, fact.language).strip("()")
        return fact.renderings[lang], t(lang, "glance.machine", language=original)
    return fact.text, language_label(lang, fact.language)


def levels_text(lang: str, fact: Fact) -> str:
    return ", ".join(t(lang, f"glance.level.{level}") for level in fact.levels)


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- the table --------------------------------------------------------------------------------------


def table_headers(lang: str) -> list[str]:
    return [t(lang, f"glance.col.{c}") for c in COLUMNS]


def table_rows(lang: str, facts: Sequence[Fact]) -> list[list[object]]:
    """One row per fact, numbered from 1 (the number maps a selected row back to its fact)."""
    rows: list[list[object]] = []
    for n, fact in enumerate(facts, start=1):
        text, label = statement(lang, fact)
        shown = _cut(text, TABLE_TEXT_CHARS)
        if label:
            shown = f"{shown} {label}"
        rows.append([
            n, t(lang, f"glance.kind.{fact.kind}"), when(lang, fact), fact.actor or "", levels_text(lang, fact),
            shown, len(fact.sources), "✓" if fact.verified else "⚠",
        ])  # fmt: skip
    return rows


def doc_types(facts: Sequence[Fact]) -> list[str]:
    """The document types the facts are stated in, in a stable order."""
    return sorted({e.doc_type for f in facts for e in f.evidence})


def type_choices(lang: str, types: Sequence[str]) -> list[tuple[str, str]]:
    return [(doc_type_name(lang, dt), dt) for dt in types]


def kind_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, f"glance.kind.{k}"), k) for k in ("deadline", "responsibility", "target")]


def level_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, f"glance.level.{level}"), level) for level in LEVELS]


def caption(lang: str, facts: Sequence[Fact], total: int) -> str:
    """The line under the chart: how many rows are shown, what is drawn, and that yearless deadlines are not."""
    deadlines = [f for f in facts if f.kind == "deadline" and f.date]
    dated = sum(1 for f in deadlines if f.day)
    targets = sum(1 for f in facts if f.kind == "target" and f.day)
    drawn = t(lang, "glance.caption_targets", targets=targets) if targets else ""
    text = t(lang, "glance.count", n=len(facts), total=total) + " " + t(lang, "glance.caption", dated=dated,
                                                                       targets=drawn)  # fmt: skip
    undated = len(deadlines) - dated
    return text + (t(lang, "glance.caption_undated", undated=undated) if undated else "")


# -- the timeline -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    fact_id: str
    day: date
    role: str  # "by", "from" or "target" (a figure due by that day)
    lane: str  # a level, or NO_LEVEL


@dataclass(frozen=True)
class Period:
    start_id: str
    end_id: str
    start: date
    end: date
    lane: str


@dataclass(frozen=True)
class Timeline:
    markers: list[Marker]
    periods: list[Period]
    undated: list[str]  # ids of deadlines without a year: listed in the table only

    @property
    def lanes(self) -> list[str]:
        used = {m.lane for m in self.markers} | {p.lane for p in self.periods}
        return [lane for lane in LANES if lane in used]


def lanes_of(fact: Fact) -> list[str]:
    return [level for level in LEVELS if level in fact.levels] or [NO_LEVEL]


def _sentences(fact: Fact) -> set[tuple[str, str]]:
    return {(e.source, " ".join(e.quote.split())) for e in fact.evidence}


def timeline(facts: Sequence[Fact]) -> Timeline:
    """Markers for dated deadlines and targets (one per level lane), and periods: a start ("from") joined
    to the nearest later deadline ("by") stated in the same sentence of the same document."""
    dated = [(f, day) for f in facts if (day := f.day) is not None]
    undated = [f.id for f in facts if f.kind == "deadline" and f.date and f.day is None]
    markers = [Marker(f.id, day, f.role, lane) for f, day in dated for lane in lanes_of(f)]
    periods = []
    ends = sorted(((f, day) for f, day in dated if f.role == "by"), key=lambda pair: pair[1])
    for start, start_day in dated:
        if start.date_role != "from":
            continue
        said = _sentences(start)
        end = next(((f, day) for f, day in ends if day > start_day and said & _sentences(f)), None)
        if end is None:
            continue
        shared = [lane for lane in lanes_of(start) if lane in lanes_of(end[0])] or lanes_of(start)
        periods += [Period(start.id, end[0].id, start_day, end[1], lane) for lane in shared]
    drawn = {(p.start, p.end, p.lane): p for p in reversed(periods)}  # one bar per phase and lane: the first
    return Timeline(markers, [p for p in periods if drawn[(p.start, p.end, p.lane)] is p], undated)


def label_places(markers: Sequence[Marker]) -> dict[Marker, str | None]:
    """Where each marker's date label goes: above, or below when the last label above is too close for two
    labels side by side (the end of one phase and the start of the next); None (no label, the hover still
    gives the date) when that day is labelled already or both sides are taken near it, as in a cluster of
    deadlines a few days apart."""
    days = [m.day.toordinal() for m in markers]
    near = max(1, (max(days, default=0) - min(days, default=0)) // 12)
    places: dict[Marker, str | None] = {}
    for lane in LANES:
        last: dict[str, date] = {}  # the day of the last label on each side of the lane
        for marker in sorted((m for m in markers if m.lane == lane), key=lambda m: (m.day, ROLES.index(m.role))):
            free = [side for side in SIDES if side not in last or (marker.day - last[side]).days >= near]
            if marker.day in last.values() or not free:
                places[marker] = None
                continue
            places[marker] = free[0]
            last[free[0]] = marker.day
    return places


def date_range(data: Timeline) -> list[str] | None:
    """The x range: every marker, with room on both sides for its date label (None when nothing is drawn)."""
    days = [m.day for m in data.markers]
    if not days:
        return None
    first, last = min(days), max(days)
    room = timedelta(days=max(7, (last - first).days // 16))
    return [(first - room).isoformat(), (last + room).isoformat()]


def hover_text(lang: str, fact: Fact) -> str:
    """The hover label of a marker: role and date, the statement, who acts and how many sources —
    every text escaped (Plotly renders a few HTML tags in labels)."""
    said, label = statement(lang, fact)
    said = _cut(said, HOVER_TEXT_CHARS) + (f" {label}" if label else "")
    text = "<br>".join(html.escape(line) for line in textwrap.wrap(said, HOVER_WIDTH))
    role = t(lang, f"glance.role.{fact.role}")
    lines = [f"<b>{html.escape(role)}: {html.escape(show_date(lang, fact.date or ''))}</b>", text]
    if fact.actor:
        lines.append(html.escape(t(lang, "glance.hover.actor", actor=fact.actor)))
    sources = t(lang, "glance.hover.sources", n=len(fact.sources))
    lines.append(html.escape(sources) + (" ✓" if fact.verified else " ⚠"))
    return "<br>".join(lines)


def timeline_figure(lang: str, facts: Sequence[Fact]):  # noqa: ANN201 - a plotly Figure (imported lazily)
    """The Plotly timeline: x the date, y the level lane; ◆ deadlines, ▶ start dates, ● targets, bars for phases."""
    import plotly.graph_objects as go

    lang = normalize(lang)
    by_id = {f.id: f for f in facts}
    data = timeline(facts)
    lane_names = {lane: t(lang, f"glance.level.{lane}") for lane in LANES}
    figure = go.Figure()
    if data.periods:
        xs: list[object] = []
        ys: list[object] = []
        for period in data.periods:
            xs += [period.start.isoformat(), period.end.isoformat(), None]
            ys += [lane_names[period.lane]] * 2 + [None]
        figure.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", name=t(lang, "glance.period"), hoverinfo="skip",
            line={"color": COLORS["period"], "width": 14},
        ))  # fmt: skip
    places = label_places(data.markers)
    for role in ROLES:
        chosen = [m for m in data.markers if m.role == role]
        if not chosen:
            continue
        figure.add_trace(go.Scatter(
            x=[m.day.isoformat() for m in chosen], y=[lane_names[m.lane] for m in chosen],
            mode="markers+text", name=t(lang, f"glance.role.{role}"),
            text=[m.day.strftime("%d/%m" if lang == "vi" else "%b %d") if places[m] else "" for m in chosen],
            textposition=[places[m] or "top center" for m in chosen],
            hovertext=[hover_text(lang, by_id[m.fact_id]) for m in chosen], hovertemplate="%{hovertext}<extra></extra>",
            marker={"symbol": SYMBOLS[role], "size": 15, "color": COLORS[role], "line": {"width": 1, "color": "white"}},
            customdata=[m.fact_id for m in chosen], cliponaxis=False,
        ))  # fmt: skip
    lanes = [lane_names[lane] for lane in data.lanes]
    days, months = TICK_FORMATS[lang]
    figure.update_layout(
        height=170 + 70 * max(1, len(lanes)), margin={"l": 10, "r": 20, "t": 36, "b": 70},
        template="plotly_white", showlegend=bool(data.markers),
        legend={"orientation": "h", "x": 0, "y": 0, "xref": "container", "yref": "container", "yanchor": "bottom"},
        hoverlabel={"align": "left"}, modebar={"remove": MODEBAR_REMOVED},
        xaxis={"type": "date", "range": date_range(data), "tickformatstops": [
            {"dtickrange": [None, DAY_MS * 27], "value": days}, {"dtickrange": [DAY_MS * 27, None], "value": months}]},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": lanes, "autorange": "reversed",
               "automargin": True},
    )  # fmt: skip
    if not data.markers:
        figure.update_layout(xaxis={"visible": False}, yaxis={"visible": False})
        figure.add_annotation(text=html.escape(t(lang, "glance.no_dates")), showarrow=False, x=0.5, y=0.5,
                              xref="paper", yref="paper")  # fmt: skip
    return figure


# -- a row's sources --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """The indexed chunk an evidence item quotes (its text, and the document's URL when it has one)."""

    text: str
    url: str | None = None


def evidence_panel(lang: str, fact: Fact | None, passages: Mapping[str, Passage] | None = None) -> str:
    """The fact, whether it is verified (and why not), and each source: title, position, type and
    language, and the passage with the quote in ``<mark>`` (the quote alone when the passage is not
    at hand). ``passages`` maps chunk ids to their chunks. Every text is escaped."""
    lang = normalize(lang)
    if fact is None:
        return f'<div class="p2-glance-panel p2-meta">{esc(t(lang, "glance.pick"))}</div>'
    passages = passages or {}
    text, note = statement(lang, fact)
    label = f' <span class="p2-meta">{esc(note)}</span>' if note else ""
    head = " · ".join(p for p in (t(lang, f"glance.kind.{fact.kind}"), when(lang, fact)) if p)
    who = " · ".join(p for p in (fact.actor or "", levels_text(lang, fact)) if p)
    why = "; ".join(reason_text(lang, p) for p in fact.problems) or "—"
    status = (
        f'<div class="p2-badge p2-ok p2-glance-status">{esc(t(lang, "glance.verified"))}</div>'
        if fact.verified
        else f'<div class="p2-unverified-note p2-glance-status">{esc(t(lang, "glance.unverified", why=why))}</div>'
    )
    count = t(lang, "glance.sources", n=len(fact.sources), quotes=len(fact.evidence))
    items = []
    for evidence in fact.evidence:
        passage = passages.get(evidence.chunk_id)
        body = highlight(passage.text, evidence.quote) if passage else highlight(evidence.quote, evidence.quote)
        if evidence.lead and (passage is None or evidence.lead not in passage.text):  # the item's list names the actor
            body = f'<span class="p2-meta">{esc(evidence.lead)} …</span><br>{body}'
        meta = [evidence.source, evidence.location, doc_type_name(lang, evidence.doc_type),
                language_name(lang, evidence.language)]  # fmt: skip
        url = safe_url(passage.url if passage else None)
        link = (f' <a class="p2-link" href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">'
                f'{esc(t(lang, "src.open"))}</a>') if url else ""  # fmt: skip
        items.append(
            f'<li class="p2-glance-source"><div class="p2-preview-title">{esc(evidence.title or evidence.source)}</div>'
            f'<div class="p2-meta">{esc(" · ".join(m for m in meta if m))}</div>'
            f'<blockquote class="p2-passage">{body}</blockquote>{link}</li>'
        )
    return (
        f'<div class="p2-glance-panel"><div class="p2-glance-head"><b>{esc(head)}</b></div>'
        f'<div class="p2-glance-text">{esc(text)}{label}</div>'
        + (f'<div class="p2-meta">{esc(who)}</div>' if who else "")
        + status
        + f'<div class="p2-sources-title">{esc(count)}</div>'
        f'<ol class="p2-ev-list">{"".join(items)}</ol></div>'
    )
