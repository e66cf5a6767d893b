"""HTML for evidence, answers, numbered sources and source previews — every outside text escaped.

Document text and model output are untrusted: a passage may contain ``<script>``
or ``<img onerror=…>``. Every such string goes through :func:`html.escape` here
(and the chat's own sanitiser runs on top). HTML blocks are emitted on a single
line so that the chat's Markdown renderer passes them through whole instead of
interpreting document text as Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlparse

from assistant.answer.events import SentenceEvent
from assistant.types import Answer, Citation, Context
from assistant.web.i18n import TEXTS, doc_type_name, language_name, reason_text, t

UNVERIFIED_FLAG = "⚠️[unverified]"  # assistant.answer.constants.UNVERIFIED_FLAG (kept in sync by a test)
SNIPPET_CHARS = 240
PREVIEW_CHARS = 1800


# Template syntax of gr.HTML (JS template strings, Handlebars) is encoded too, so text can never become code.
_TEMPLATE_CHARS = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;"})


def esc(text: object) -> str:
    """Escape text for HTML content and attribute values; newlines become ``<br>``."""
    escaped = html.escape(str(text), quote=True).translate(_TEMPLATE_CHARS)
    return escaped.replace("\r", "").replace("\n", "<br>")


# Markdown syntax (emphasis, code, links and images, tables, KaTeX) escaped with a backslash.
_MARKDOWN_CHARS = re.compile(r"([\\`*_\[\]!|~$])")
# Control characters (a NUL in a file name) shown as their code point, not passed to the page.
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def md_text(text: object) -> str:
    """Outside text (a file name, an error) for a message rendered as Markdown: shown as written,
    never as HTML, a link, an image or formatting; control characters as ``U+0000``; on one line."""
    text = _CONTROL_CHARS.sub(lambda m: f"U+{ord(m.group()):04X}", str(text))
    return _MARKDOWN_CHARS.sub(r"\\\1", html.escape(text, quote=True))


class Html(str):
    """Markup already made safe (its texts escaped), which :func:`html_table` puts in a cell as it is."""


def html_table(headers: Sequence[str], rows: Sequence[Sequence[object]], css_class: str = "p2-table") -> str:
    """A plain HTML table, every cell escaped (an :class:`Html` cell is markup already escaped)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell if isinstance(cell, Html) else esc(cell)}</td>" for cell in row) + "</tr>"
        for row in rows
    )
    return f'<div class="p2-table-wrap"><table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None (no ``javascript:`` or ``data:`` links)."""
    if not url:
        return None
    try:
        parsed = urlparse(url.strip())
    except ValueError:  # "https://exa[mple.vn/", from a damaged page: no link
        return None
    return url.strip() if parsed.scheme in {"http", "https"} and parsed.netloc else None


def _link(url: str | None, label: str) -> str:
    url = safe_url(url)
    if not url:
        return ""
    return f'<a class="p2-link" href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">{esc(label)}</a>'


def _snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit) if " " in text[:limit] else limit] + " …"


def find_quote(passage: str, quote: str) -> tuple[int, int] | None:
    """(start, end) of ``quote`` in ``passage``: exact, then ignoring case and runs of white space."""
    quote = quote.strip()
    if not quote:
        return None
    start = passage.find(quote)
    if start >= 0:
        return start, start + len(quote)
    words = [re.escape(w) for w in quote.split()]
    match = re.search(r"\s+".join(words), passage, re.IGNORECASE) if words else None
    return match.span() if match else None


def highlight(passage: str, quote: str, limit: int = PREVIEW_CHARS) -> str:
    """The passage, escaped, with the quote in ``<mark>``; long passages are cut around the quote."""
    span = find_quote(passage, quote)
    if span is None:
        text = passage if len(passage) <= limit else passage[:limit] + " …"
        return esc(text)
    start, end = span
    room = max(0, (limit - (end - start)) // 2)
    lo, hi = max(0, start - room), min(len(passage), end + room)
    before = ("… " if lo > 0 else "") + passage[lo:start]
    after = passage[end:hi] + (" …" if hi < len(passage) else "")
    return f'{esc(before)}<mark class="p2-quote">{esc(passage[start:end])}</mark>{esc(after)}'


def context_for(citation: Citation, contexts: Sequence[Context]) -> Context | None:
    """The passage a citation quotes: same source and holding the quote, else the first of that source."""
    same = [c for c in contexts if c.source == citation.source]
    for context in same:
        if find_quote(context.text, citation.quote):
            return context
    return same[0] if same else None


def _location(citation: Citation, context: Context | None) -> str:
    if citation.location:
        return citation.location
    if citation.page is not None:
        return f"p. {citation.page}"
    return (context.location if context else None) or ""


def evidence_block(lang: str, contexts: Sequence[Context] | None, *, open_: bool, status: str = "") -> str:
    """The passages found, as a collapsible list (shown before the answer)."""
    if contexts is None:
        return f'<div class="p2-evidence p2-pending">{esc(t(lang, "ev.searching"))}</div>'
    if not contexts:
        return f'<div class="p2-evidence">{esc(t(lang, "ev.none"))}</div>'
    items = "".join(
        f'<li><span class="p2-ev-title">{esc(c.title or c.source)}</span>'
        + (f' <span class="p2-meta">· {esc(c.location)}</span>' if c.location else "")
        + f' <span class="p2-meta">· {esc(language_name(lang, c.language))}</span>'
        + f'<br><span class="p2-snippet">{esc(_snippet(c.text))}</span></li>'
        for c in contexts
    )
    summary = esc(t(lang, "ev.found", n=len(contexts)))
    extra = f' <span class="p2-status">{esc(status)}</span>' if status else ""
    return (
        f'<details class="p2-evidence"{" open" if open_ else ""}><summary>{summary}{extra}</summary>'
        f'<ol class="p2-ev-list">{items}</ol></details>'
    )


def answer_markdown(lang: str, text: str) -> str:
    """Model output as safe Markdown: HTML escaped, links and images defused, unverified flags visible."""
    safe = html.escape(text, quote=True)
    safe = safe.replace("](", "]&#40;")  # no Markdown links or images from model output
    badge = (
        f'<span class="p2-unverified" title="{esc(t(lang, "answer.unverified_hint"))}">'
        f"{esc(t(lang, 'answer.unverified'))}</span>"
    )
    return safe.replace(UNVERIFIED_FLAG, badge)


def question_markdown(text: str) -> str:
    """A question as the chat shows it: HTML escaped, Markdown links and images defused (as in answers)."""
    return html.escape(text, quote=True).replace("](", "]&#40;")


def preview_html(lang: str, citation: Citation, context: Context | None, doc_type: str | None) -> str:
    """Title, type, language, location, the passage with the quote highlighted, and the original link."""
    rows = [
        (t(lang, "src.type"), doc_type_name(lang, doc_type) if doc_type else "—"),
        (t(lang, "src.language"), language_name(lang, context.language) if context else "—"),
        (t(lang, "src.location"), _location(citation, context) or "—"),
    ]
    meta = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    passage = highlight(context.text, citation.quote) if context else esc(citation.quote)
    status = "" if citation.verified else f'<div class="p2-unverified-note">{esc(t(lang, "src.unverified_hint"))}</div>'
    return (
        f'<div class="p2-preview"><div class="p2-preview-title">{esc(citation.title or citation.source)}</div>'
        f'<div class="p2-meta">{esc(citation.source)}</div><table class="p2-meta-table">{meta}</table>{status}'
        f'<div class="p2-passage-label">{esc(t(lang, "src.passage"))}</div>'
        f'<blockquote class="p2-passage">{passage}</blockquote>{_link(citation.url, t(lang, "src.open"))}</div>'
    )


def sources_block(lang: str, answer: Answer, doc_types: Mapping[str, str]) -> str:
    """Numbered sources; each opens (a ``<details>``) to its preview."""
    if not answer.citations:
        return ""
    items = []
    for citation in sorted(answer.citations, key=lambda c: c.n):
        context = context_for(citation, answer.contexts)
        where = _location(citation, context)
        badge_class, badge = (
            ("p2-ok", t(lang, "src.verified")) if citation.verified else ("p2-warn", t(lang, "src.unverified"))
        )
        items.append(
            f'<details class="p2-source" data-n="{citation.n}"><summary><b>[{citation.n}]</b> '
            f"{esc(citation.title or citation.source)}"
            + (f' <span class="p2-meta">· {esc(where)}</span>' if where and where != citation.title else "")
            + f' <span class="p2-badge {badge_class}">{esc(badge)}</span></summary>'
            f"{preview_html(lang, citation, context, doc_types.get(citation.source))}</details>"
        )
    return (
        f'<div class="p2-sources"><div class="p2-sources-title">{esc(t(lang, "src.title"))}</div>{"".join(items)}</div>'
    )


def closest_block(lang: str, contexts: Sequence[Context]) -> str:
    """For a refusal: the passages that came closest, collapsed, so that the refusal sentence above
    them stays in view (four long passages, open, pushed it out of the chat's visible area)."""
    if not contexts:
        return ""
    items = "".join(
        f'<li><span class="p2-ev-title">{esc(c.title or c.source)}</span>'
        + (f' <span class="p2-meta">· {esc(c.location)}</span>' if c.location else "")
        + f'<blockquote class="p2-passage">{esc(_snippet(c.text, 600))}</blockquote>'
        + _link(c.url, t(lang, "src.open"))
        + "</li>"
        for c in contexts
    )
    return (
        f'<details class="p2-closest"><summary>{esc(t(lang, "src.closest"))} ({len(contexts)})</summary>'
        f'<ol class="p2-ev-list">{items}</ol></details>'
    )


def footer(lang: str, answer: Answer) -> str:
    mode = t(lang, f"mode.{answer.mode}") if f"mode.{answer.mode}" in TEXTS["vi"] else answer.mode
    text = t(lang, "answer.footer", mode=mode, ms=round(answer.timings.retrieval_ms))
    notice = f" · {esc(answer.notice)}" if answer.notice else ""
    return f'<div class="p2-footer">{esc(text)}{notice}</div>'


def draft_block(lang: str, partial: str, checked: Sequence[SentenceEvent] = ()) -> str:
    """The draft: its checked sentences in their final form, each with its mark (✓ verified, ⚠ not,
    with the reasons as a tooltip), then the unchecked rest, muted and labelled "checking…"."""
    done = "".join(
        f'<span class="p2-sentence {"p2-sentence-ok" if s.verified else "p2-sentence-flag"}" '
        f'title="{esc(t(lang, "draft.verified") if s.verified else "; ".join(reason_text(lang, p) for p in s.problems))}">'
        f'{esc(s.text.strip())} {"✓" if s.verified else "⚠"}</span> '
        for s in checked
    )
    rest = partial[checked[-1].end :] if checked else partial
    pending = ""
    if rest.strip() or not checked:
        pending = (f'<div class="p2-draft-label">{esc(t(lang, "draft.checking"))}</div>'
                   f'<div class="p2-draft-text">{esc(rest.strip())}</div>')  # fmt: skip
    checked_html = f'<div class="p2-checked">{done}</div>' if done else ""
    return f'<div class="p2-draft" title="{esc(t(lang, "draft.hint"))}">{checked_html}{pending}</div>'


def retrying_block(lang: str) -> str:
    """Shown in place of a rejected draft while the next attempt starts (the rejected text is gone)."""
    return f'<div class="p2-draft p2-retrying"><div class="p2-draft-label">{esc(t(lang, "draft.retrying"))}</div></div>'


def streaming_message(
    lang: str, contexts: Sequence[Context] | None, partial: str, status: str = "", *, retrying: bool = False,
    checked: Sequence[SentenceEvent] = (),
) -> str:
    """The assistant's message while the answer is being written: evidence, then the draft so far
    (or, after a rejected draft and before the next one, a "retrying" line)."""
    drafting = bool(partial.strip())
    evidence = evidence_block(lang, contexts, open_=not (drafting or retrying), status=status)
    if drafting:
        return evidence + "\n\n" + draft_block(lang, partial, checked)
    return evidence + ("\n\n" + retrying_block(lang) if retrying else "")


def is_streaming(content: object) -> bool:
    """True for a message :func:`streaming_message` drew (passages or a draft, and no footer yet): an
    answer still being written. ``content`` is a message's text, or the list of parts the chat sends back."""
    text = content if isinstance(content, str) else " ".join(
        str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content or []
    )
    return "p2-evidence" in text and "p2-footer" not in text and "p2-refusal" not in text


def final_message(lang: str, answer: Answer, doc_types: Mapping[str, str]) -> str:
    """The finished message: evidence (collapsed), answer, sources and footer; or the refusal
    sentence (kept in view) above the closest passages (collapsed)."""
    if answer.refused:
        refusal = f'<div class="p2-refusal">{esc(answer.answer or t(lang, "answer.refused"))}</div>'
        parts = [refusal, closest_block(lang, answer.contexts)]
    else:
        parts = [evidence_block(lang, answer.contexts, open_=False), answer_markdown(lang, answer.answer),
                 sources_block(lang, answer, doc_types)]  # fmt: skip
    parts.append(footer(lang, answer))
    return "\n\n".join(p for p in parts if p)
