"""What the Quiz tab (Câu hỏi ôn tập) shows and reads, built without Gradio.

- the form's choices in the interface language, and the :class:`~assistant.quiz.request.QuizRequest` it makes;
- the items as escaped HTML (stem, options with the key marked, explanation, citation with its quote), an item
  the trainer kept despite failed checks marked as such, a stem the language model reworded marked too (and,
  for a template item, why the model's rewording was turned down);
- the quality report as escaped HTML, and as the Markdown / JSON files that go with every download;
- what the re-check after an edit found (the form itself and the changes it asks for are in
  :mod:`assistant.web.quiz_edit`);
- the build's progress, told from the builder's own count of kept and checked candidates.

Every text of the corpus or of the trainer reaches the page through :func:`~assistant.web.sources.esc`
or :func:`~assistant.web.sources.html_table`. :mod:`assistant.web.quiz_tab` wires these to the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from assistant.quiz.errors import QuizItemError
from assistant.quiz.export import FORMATS
from assistant.quiz.export.common import ExportResult
from assistant.quiz.flaws import Flaw
from assistant.quiz.generate import NO_MODEL_NOTE
from assistant.quiz.items import ITEM_TYPES, DropReason, Quiz, QuizItem
from assistant.quiz.numbers import format_number
from assistant.quiz.report import report_data, report_markdown
from assistant.quiz.request import QuizRequest
from assistant.quiz.session import EditResult
from assistant.web.i18n import TEXTS, normalize, t
from assistant.web.quiz_edit import LETTERS, Forced, FormError
from assistant.web.sources import Html, esc, html_table, safe_url

DIFFICULTIES: Final[tuple[str, ...]] = ("easy", "medium", "hard")
QUIZ_LANGUAGES: Final[tuple[str, ...]] = ("vi", "en", "source")
CHOICE_STEM_CHARS = 90
DROPPED_STEM_CHARS = 200


# -- the form -------------------------------------------------------------------------------------


def type_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, f"quiz.type.{kind}"), kind) for kind in ITEM_TYPES]


def difficulty_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, f"quiz.difficulty.{level}"), level) for level in DIFFICULTIES]


def language_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, f"quiz.lang.{code}"), code) for code in QUIZ_LANGUAGES]


def whole(value: float | str | None) -> int:
    """A whole number from a Gradio number field; ValueError for a blank or a fraction."""
    if value is None or value == "":
        raise ValueError("blank")
    number = float(value)
    if not number.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def request_from_form(documents: Sequence[str] | None, doc_type: str | None, topic: str | None,
                      items: float | None, types: Sequence[str] | None, language: str | None,
                      difficulty: str | None, seed: float | None, llm: bool | None = False) -> QuizRequest:  # fmt: skip
    """The request the form describes (``llm``: reword the stems with the language model); ``ValueError`` for
    a count or seed that is not a whole number, ``QuizRequestError`` (naming the field) for anything the
    request refuses."""
    return QuizRequest(
        documents=list(documents or []), doc_type=doc_type or None, topic=(topic or "").strip() or None,
        items=whole(items), types=list(types or []), language=language or "vi", difficulty=difficulty or "medium",
        seed=whole(seed), llm=bool(llm),
    )  # fmt: skip


# -- the items ------------------------------------------------------------------------------------


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def why_label(lang: str, code: str) -> str:
    """A drop reason's code (:mod:`assistant.quiz`: ``key.not_in_quote``, ``flaw.longest_key`` …) as a short
    line in ``lang`` (``quiz.why.<code>``); an unknown code as written."""
    key = f"quiz.why.{code}"
    return t(lang, key) if key in TEXTS["vi"] else code


def why_html(lang: str, code: str, message: str = "") -> Html:
    """The reason's line in ``lang``; its code and the check's own message (in English, with the values it
    found) on hover."""
    detail = f"{code}: {message}" if message else code
    return Html(f'<span class="p2-quiz-why" title="{esc(detail)}">{esc(why_label(lang, code))}</span>')


def _whys_html(lang: str, reasons: Sequence[DropReason | Flaw]) -> Html:
    return Html("; ".join(why_html(lang, r.code, r.message) for r in reasons))


def _counts_html(lang: str, counts: Mapping[str, int]) -> str:
    """A table of reasons (each in ``lang``, see :func:`why_html`) and how often each was given."""
    rows = [(why_html(lang, code), n) for code, n in counts.items()]
    return html_table([t(lang, "quiz.col.reason"), t(lang, "quiz.col.count")], rows, css_class="p2-table p2-quiz-table")


def _labels(lang: str, codes: Sequence[str]) -> str:
    return "; ".join(why_label(lang, code) for code in dict.fromkeys(codes))


def item_choices(lang: str, quiz: Quiz | None, forced: Forced | None = None) -> list[tuple[str, str]]:
    """The review dropdown: '1. [Đúng / Sai] stem…' per item (⚠ for a forced one), valued by item id."""
    forced = forced or {}
    choices = []
    for n, item in enumerate(quiz.items if quiz else [], start=1):
        mark = "⚠ " if item.id in forced else ""
        kind = t(lang, f"quiz.type.{item.type}")
        choices.append((f"{n}. {mark}[{kind}] {_short(item.stem, CHOICE_STEM_CHARS)}", item.id))
    return choices


def _key_html(lang: str, item: QuizItem) -> str:
    """The key of a non-multichoice item, labelled; the item's own texts escaped."""
    if item.type == "truefalse":
        body = esc(t(lang, "quiz.true" if item.truth else "quiz.false"))
        return f'<div class="p2-quiz-answer">{esc(t(lang, "quiz.answer"))}: <b class="p2-quiz-key">✓ {body}</b></div>'
    if item.type == "shortanswer":
        answers = " / ".join(f'<b class="p2-quiz-key">{esc(answer)}</b>' for answer in item.answers)
        return f'<div class="p2-quiz-answer">{esc(t(lang, "quiz.accepted"))}: {answers}</div>'
    if item.type == "numerical":
        assert item.value is not None  # set by the model
        within = t(lang, "quiz.tolerance", tolerance=format_number(item.tolerance or 0.0))
        tolerance = f' <span class="p2-meta">({esc(within)})</span>' if item.tolerance else ""
        return (f'<div class="p2-quiz-answer">{esc(t(lang, "quiz.answer"))}: '
                f'<b class="p2-quiz-key">✓ {esc(format_number(item.value))}</b>{tolerance}</div>')  # fmt: skip
    rows = "".join(f'<tr><td>{esc(pair.left)}</td><td class="p2-quiz-arrow">→</td>'
                   f'<td class="p2-quiz-key">{esc(pair.right)}</td></tr>' for pair in item.pairs)  # fmt: skip
    return f'<table class="p2-quiz-pairs">{rows}</table>'


def _options_html(lang: str, item: QuizItem) -> str:
    """The options A–D, the key marked with ✓, a class and the word 'key' (not by colour alone)."""
    rows = []
    for letter, option in zip(LETTERS, item.options, strict=False):
        if option.correct:
            rows.append(f'<li class="p2-quiz-option p2-quiz-key"><b>{letter}. ✓ {esc(option.text)}</b> '
                        f'<span class="p2-badge p2-ok">{esc(t(lang, "quiz.key"))}</span></li>')  # fmt: skip
        else:
            rows.append(f'<li class="p2-quiz-option">{letter}. {esc(option.text)}</li>')
    return f'<ul class="p2-quiz-options">{"".join(rows)}</ul>'


def _citation_html(lang: str, item: QuizItem) -> str:
    cite = item.citation
    where = " · ".join(part for part in (cite.source, cite.position.label(normalize(lang))) if part)
    url = safe_url(cite.url)
    link = (f' <a class="p2-link" href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">'
            f'{esc(t(lang, "src.open"))}</a>') if url else ""  # fmt: skip
    return (
        f'<div class="p2-quiz-cite"><span class="p2-sources-title">📎 {esc(t(lang, "quiz.source"))}:</span> '
        f'<span class="p2-preview-title">{esc(cite.title)}</span> <span class="p2-meta">({esc(where)})</span>{link}'
        f'<blockquote class="p2-passage"><mark class="p2-quote">{esc(cite.quote)}</mark></blockquote></div>'
    )


def item_html(lang: str, item: QuizItem, number: int, problems: Sequence[DropReason] | None = None,
              picked: bool = False) -> str:  # fmt: skip
    """One item: number, type, difficulty and id; stem; options or key; explanation; citation. ``problems``:
    the failed checks of an item the trainer kept anyway (then marked); ``picked``: the item under review.
    Every text is escaped."""
    lang = normalize(lang)
    head = " · ".join((t(lang, f"quiz.type.{item.type}"), t(lang, f"quiz.difficulty.{item.difficulty}")))
    forced = ""
    css = "p2-quiz-item p2-quiz-picked" if picked else "p2-quiz-item"
    if problems:
        css += " p2-quiz-forced"
        note = t(lang, "quiz.forced", codes=_labels(lang, [p.code for p in problems]))
        listed = "".join(f"<li>{why_html(lang, p.code, p.message)}</li>" for p in problems)
        forced = f'<div class="p2-unverified-note p2-quiz-forced-note">{esc(note)}<ul>{listed}</ul></div>'
    body = _options_html(lang, item) if item.type == "multichoice" else _key_html(lang, item)
    written = _written_html(lang, item)
    explanation = (f'<div class="p2-quiz-expl"><b>{esc(t(lang, "quiz.explanation"))}:</b> {esc(item.explanation)}</div>'
                   if item.explanation else "")  # fmt: skip
    title = t(lang, "quiz.item", n=number)
    return (
        f'<li class="{css}" data-item-id="{esc(item.id)}"><div class="p2-quiz-head"><b>{esc(title)}</b>'
        f' <span class="p2-meta">{esc(head)} · <code>{esc(item.id)}</code></span></div>{forced}'
        f'<div class="p2-quiz-stem">{esc(item.stem)}</div>{written}{body}{explanation}{_citation_html(lang, item)}</li>'
    )  # fmt: skip


def _written_html(lang: str, item: QuizItem) -> str:
    """A stem the language model reworded, marked; for a template item, why the model's rewording was turned down."""
    if item.written_by == "llm":
        return f'<div class="p2-meta p2-quiz-written">{esc(t(lang, "quiz.written_by.llm"))}</div>'
    codes = [reason.code for attempt in item.attempts for reason in attempt.reasons]
    if not codes:
        return ""
    note = t(lang, "quiz.rewording_refused", codes=_labels(lang, codes))
    return f'<div class="p2-meta p2-quiz-written">{esc(note)}</div>'


def items_html(lang: str, quiz: Quiz | None, forced: Forced | None = None, picked: str | None = None) -> str:
    """Every item of the quiz, in order (a note when there is no quiz yet); ``picked``: the id under review."""
    if quiz is None or not quiz.items:
        return f'<div class="p2-meta">{esc(t(lang, "quiz.no_quiz"))}</div>'
    forced = forced or {}
    items = "".join(item_html(lang, item, n, forced.get(item.id), item.id == picked)
                    for n, item in enumerate(quiz.items, start=1))  # fmt: skip
    return f'<div class="p2-quiz-list"><ol class="p2-quiz-items">{items}</ol></div>'


# -- the quality report ---------------------------------------------------------------------------


def flaw_counts(quiz: Quiz, forced: Forced | None = None) -> dict[str, int]:
    """Item-writing flaws (``flaw.*``) among the dropped candidates and the items kept despite them."""
    codes = [reason.code for dropped in quiz.report.dropped for reason in dropped.reasons]
    codes += [problem.code for problems in (forced or {}).values() for problem in problems]
    return dict(Counter(code for code in codes if code.startswith("flaw.")).most_common())


def _note(lang: str, note: str) -> str:
    """A build's note in ``lang``: the one the quiz writes (no model to reword with, and why, as the model's
    backend reported it), or the note as written."""
    if not note.startswith(NO_MODEL_NOTE):
        return note
    why = note.removeprefix(NO_MODEL_NOTE).strip().removeprefix("(").removesuffix(")")
    return t(lang, "quiz.note.no_model") + (f" ({why})" if why else "")


def report_html(lang: str, quiz: Quiz | None, flaws: Sequence[Flaw] = (), forced: Forced | None = None,
                seconds: float | None = None) -> str:  # fmt: skip
    """Kept and dropped, the reasons with their counts, the flaw counts, the forced items and the dropped ones."""
    if quiz is None:
        return ""
    lang, forced = normalize(lang), forced or {}
    report = quiz.report
    types = Counter(item.type for item in quiz.items)
    summary = [t(lang, "quiz.report.kept", n=report.kept), t(lang, "quiz.report.dropped", n=len(report.dropped))]
    if seconds is not None:
        summary.append(t(lang, "quiz.report.seconds", seconds=f"{seconds:.1f}"))
    reworded = sum(item.written_by == "llm" for item in quiz.items)
    refused = report.rewording_counts(quiz.items)
    if reworded or refused:
        summary.append(t(lang, "quiz.report.reworded", n=reworded, kept=report.kept))
    parts = [
        f'<div class="p2-quiz-report"><div class="p2-sources-title">{esc(t(lang, "quiz.report_title"))}</div>',
        f'<div class="p2-quiz-summary">{" · ".join(f"<b>{esc(s)}</b>" for s in summary)}</div>',
    ]
    if types:
        listed = ", ".join(f"{t(lang, f'quiz.type.{kind}')} {n}" for kind, n in types.most_common())
        parts.append(f'<div class="p2-meta">{esc(t(lang, "quiz.report.types", types=listed))}</div>')
    parts += [f'<div class="p2-unverified-note p2-quiz-note">{esc(_note(lang, note))}</div>' for note in report.notes]
    if refused:
        parts.append(f"<h4>{esc(t(lang, 'quiz.report.rewordings_refused'))}</h4>")
        parts.append(_counts_html(lang, refused))
    reasons = report.reason_counts()
    if reasons:
        parts.append(f"<h4>{esc(t(lang, 'quiz.report.reasons'))}</h4>")
        parts.append(_counts_html(lang, reasons))
    parts.append(f"<h4>{esc(t(lang, 'quiz.report.flaws'))}</h4>")
    counts = flaw_counts(quiz, forced)
    if counts:
        parts.append(_counts_html(lang, counts))
    elif not flaws:
        parts.append(f'<div class="p2-meta">{esc(t(lang, "quiz.report.no_flaws"))}</div>')
    for flaw in flaws:
        parts.append(f'<div class="p2-unverified-note">{esc(t(lang, "quiz.report.quiz_flaw"))}: '
                     f"{why_html(lang, f'flaw.{flaw.code}', flaw.message)}</div>")  # fmt: skip
    shown = [(item, forced[item.id]) for item in quiz.items if item.id in forced]
    if shown:
        parts.append(f"<h4>{esc(t(lang, 'quiz.report.forced'))}</h4>")
        rows = [(item.id, _short(item.stem, DROPPED_STEM_CHARS), _whys_html(lang, problems)) for item, problems in shown]
        parts.append(html_table([t(lang, "quiz.col.id"), t(lang, "quiz.col.stem"), t(lang, "quiz.col.why")], rows,
                                css_class="p2-table p2-quiz-table"))  # fmt: skip
    if report.dropped:
        rows = [(_short(d.stem, DROPPED_STEM_CHARS) or "—", _whys_html(lang, d.reasons)) for d in report.dropped]
        table = html_table(
            [t(lang, "quiz.col.stem"), t(lang, "quiz.col.why")], rows, css_class="p2-table p2-quiz-table"
        )
        summary_line = esc(t(lang, "quiz.report.dropped_items", n=len(rows)))
        parts.append(f'<details class="p2-quiz-dropped"><summary>{summary_line}</summary>{table}</details>')
    parts.append("</div>")
    return "".join(parts)


def quality_report(quiz: Quiz, request: QuizRequest, flaws: Sequence[Flaw], seconds: float,
                   exports: Mapping[str, ExportResult], forced: Forced | None = None) -> dict[str, Any]:  # fmt: skip
    """The report that goes with every download: :func:`assistant.quiz.report.report_data` (as the CLI writes
    it), plus the items kept despite failed checks and what each format took or left out."""
    forced = forced or {}
    data = report_data(quiz, request, list(flaws), seconds)
    data["forced"] = [
        {"item_id": item.id, "stem": item.stem, "problems": [p.model_dump() for p in forced[item.id]]}
        for item in quiz.items if item.id in forced
    ]  # fmt: skip
    data["exports"] = {fmt: result.model_dump(mode="json") for fmt, result in exports.items()}
    for result in data["exports"].values():
        result["path"] = str(result["path"]).rsplit("/", 1)[-1]  # the file name, not the server's folder
    return data


def quality_markdown(data: Mapping[str, Any]) -> str:
    """The CLI's Markdown report, then the forced items and each format's outcome."""
    lines = [report_markdown(dict(data)).rstrip("\n")]
    if data.get("forced"):
        lines += ["", "## Kept by the trainer although the checks failed", ""]
        for forced in data["forced"]:
            why = "; ".join(f"`{p['code']}` {p['message']}" for p in forced["problems"])
            lines.append(f"- {forced['item_id']}: {' '.join(forced['stem'].split())[:160]} — {why}")
    if data.get("exports"):
        lines += ["", "## Exports", "", "| format | file | items written | left out |", "|---|---|---|---|"]
        for fmt, result in data["exports"].items():
            lines.append(f"| {fmt} | `{result['path']}` | {result['written']} | {len(result['skipped'])} |")
        for fmt, result in data["exports"].items():
            lines += [f"- {fmt}: left out {s['item_id']}: {s['reason']}" for s in result["skipped"]]
    return "\n".join(lines) + "\n"


def skipped_notes(lang: str, exports: Mapping[str, ExportResult], names: Mapping[str, str]) -> list[str]:
    """One line per format that left items out (Kahoot holds no short answers, …); ``names``: the formats' labels."""
    notes = []
    for fmt in FORMATS:
        result = exports.get(fmt)
        if result is not None and result.skipped:
            reasons = "; ".join(dict.fromkeys(skip.reason for skip in result.skipped))
            notes.append(t(lang, "quiz.skipped", format=names.get(fmt, fmt), n=len(result.skipped), reasons=reasons))
    return notes


# -- the review -----------------------------------------------------------------------------------


def check_html(lang: str, result: EditResult) -> str:
    """What the re-check after an edit found: passed and saved, refused, or saved by force (then marked)."""
    if not result.problems:
        return f'<div class="p2-badge p2-ok p2-quiz-check">{esc(t(lang, "quiz.check.passed"))}</div>'
    key, css = (
        ("quiz.check.forced", "p2-unverified-note") if result.applied else ("quiz.check.refused", "p2-regression")
    )
    listed = "".join(f"<li>{why_html(lang, p.code, p.message)}</li>" for p in result.problems)
    return f'<div class="{css} p2-quiz-check">{esc(t(lang, key))}<ul>{listed}</ul></div>'


def message_html(text: str, ok: bool = True) -> str:
    return f'<div class="{"p2-meta" if ok else "p2-regression"} p2-quiz-check">{esc(text)}</div>'


def invalid_html(lang: str, error: FormError | QuizItemError) -> str:
    if isinstance(error, FormError):
        return message_html(t(lang, error.key, **error.values), ok=False)
    return message_html(t(lang, "quiz.check.invalid", field=error.field, reason=error.reason), ok=False)


# -- progress -------------------------------------------------------------------------------------


def progress_text(lang: str, kept: int, items: int, checked: int) -> tuple[float, str]:
    """The bar's fraction and line while candidates are checked."""
    return min(kept / max(items, 1), 1.0), t(lang, "quiz.progress.items", kept=kept, items=items, checked=checked)


def reporting(search: Callable[..., Any], state: Callable[[], tuple[int, int]], items: int, lang: str,
              report: Callable[[float, str], None]) -> Callable[..., Any]:  # fmt: skip
    """``search`` that first reports the progress: the builder searches once per candidate it checks, so
    ``state()`` (kept, checked) read there moves with the build."""

    def wrapped(query: str, k: int, filters: Any) -> Any:
        kept, checked = state()
        report(*progress_text(lang, kept, items, checked))
        return search(query, k, filters)

    return wrapped
