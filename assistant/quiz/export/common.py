"""What every writer shares: the result of an export, labels per language, and the texts built from an item."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from assistant.quiz.errors import ExportError
from assistant.quiz.items import QuizItem
from assistant.quiz.numbers import format_number


class SkippedItem(BaseModel):
    """An item a format cannot hold, and why (reported, never silently truncated)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item_id: str
    reason: str


class ExportResult(BaseModel):
    """What a writer wrote: the file, how many items went in, and the items left out with their reasons."""

    model_config = ConfigDict(extra="forbid")

    format: str
    path: Path
    written: int = Field(ge=0)
    skipped: list[SkippedItem] = Field(default_factory=list)


LABELS: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "true": "Đúng",
        "false": "Sai",
        "source": "Nguồn",
        "answer_key": "Đáp án",
        "explanation": "Giải thích",
        "questions": "Câu hỏi",
        "quality": "Báo cáo chất lượng",
        "kept": "Giữ lại",
        "dropped": "Bị loại",
        "tolerance": "sai số cho phép",
        "answer_blank": "Trả lời",
        "match_prompt": "Nối mỗi dòng bên trái với một lựa chọn bên phải.",
        "true_false": "Đúng hay sai?",
        "accepted": "Chấp nhận",
    },
    "en": {
        "true": "True",
        "false": "False",
        "source": "Source",
        "answer_key": "Answer key",
        "explanation": "Explanation",
        "questions": "Questions",
        "quality": "Quality report",
        "kept": "Kept",
        "dropped": "Dropped",
        "tolerance": "tolerance",
        "answer_blank": "Answer",
        "match_prompt": "Match each line on the left with one choice on the right.",
        "true_false": "True or false?",
        "accepted": "Accepted",
    },
}
OPTION_LETTERS: Final[str] = "ABCD"


def labels(language: str) -> dict[str, str]:
    """The fixed words of the exports in ``language`` (English for a language without its own)."""
    return LABELS.get(language, LABELS["en"])


def citation_line(item: QuizItem) -> str:
    """'Nguồn: Title (path, tr. 3): “quote”' in the item's language."""
    cite = item.citation
    where = ", ".join(part for part in (cite.source, cite.position.label(item.language)) if part)
    return f"{labels(item.language)['source']}: {cite.title} ({where}): “{cite.quote}”"


def explanation_with_citation(item: QuizItem) -> str:
    """The explanation, then the citation on its own line: the general feedback of Moodle exports."""
    return "\n".join(part for part in (item.explanation, citation_line(item)) if part)


def key_display(item: QuizItem) -> str:
    """The key as a reader sees it: 'B. text', 'Đúng', 'a / b', '1000 (± 0.5)', 'x → y; …'."""
    words = labels(item.language)
    if item.type == "multichoice":
        index = next(i for i, option in enumerate(item.options) if option.correct)
        return f"{OPTION_LETTERS[index]}. {item.options[index].text}"
    if item.type == "truefalse":
        return words["true"] if item.truth else words["false"]
    if item.type == "shortanswer":
        return " / ".join(item.answers)
    if item.type == "numerical":
        assert item.value is not None and item.tolerance is not None  # set by the model
        tolerance = f" (± {format_number(item.tolerance)})" if item.tolerance else ""
        return f"{format_number(item.value)}{tolerance}"
    return "; ".join(f"{pair.left} → {pair.right}" for pair in item.pairs)


def to_html(text: str) -> str:
    """Plain text as HTML: &, < and > escaped, newlines as <br>."""
    return html.escape(text, quote=False).replace("\n", "<br>")


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def from_html(text: str) -> str:
    """The inverse of :func:`to_html` (for the readers of the exports)."""
    return html.unescape(_BR.sub("\n", text))


def ensure_parent(path: Path, fmt: str) -> Path:
    """``path`` with its folder created; an ``ExportError`` naming the path when that fails."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(fmt, f"cannot create the folder: {exc.strerror}", path) from exc
    return path


def write_text(path: Path, fmt: str, text: str, encoding: str = "utf-8") -> None:
    """Write ``text``; an ``ExportError`` naming the path when that fails."""
    try:
        ensure_parent(path, fmt).write_text(text, encoding=encoding, newline="\n")
    except OSError as exc:
        raise ExportError(fmt, f"cannot write: {exc.strerror}", path) from exc


def one_line(text: str) -> str:
    """``text`` on one line (for comments and names)."""
    return " ".join(text.split())
