"""Moodle's rules that both its GIFT and its XML importers apply, and what the readers of our exports return.

Sources (moodle/moodle): ``question/engine/bank.php`` (``fraction_options_full``: the grades an
answer may carry), ``lib/questionlib.php`` (``match_grade_options``: a grade within 0.00001 of one
of them, else the import stops), ``question/format.php`` (``assemble_category_path`` /
``split_category_path``: "/" separates category names, "//" is a slash inside a name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from assistant.quiz.errors import ExportError

# fraction_options_full: 0, 1, p/q for q <= 6, p/10, 1/q for q <= 10, 1/20 — and their negatives.
_RAW_FRACTIONS: Final[tuple[float, ...]] = (
    0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667,
    0.1428571, 0.125, 0.1111111, 0.1, 0.05,
)  # fmt: skip
FRACTIONS: Final[tuple[float, ...]] = (0.0, 1.0, *_RAW_FRACTIONS, *(-f for f in reversed(_RAW_FRACTIONS)), -1.0)
FRACTION_TOLERANCE: Final[float] = 0.00001

# The context token our category paths start with (Moodle maps it to the course's question bank).
CATEGORY_CONTEXT: Final[str] = "$course$"
# Moodle's PARAM_TEXT strips tags; GIFT does not unescape a category path.
_CATEGORY_FORBIDDEN = re.compile(r"[\\<>\n\t]")

# PHP's is_numeric (PHP 8): optional whitespace, sign, decimal digits, optional exponent.
_PHP_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*")


def is_moodle_fraction(value: float) -> bool:
    """True when Moodle's import accepts ``value`` as an answer grade (match_grade_options, 'error' mode)."""
    return any(abs(value - allowed) < FRACTION_TOLERANCE for allowed in FRACTIONS)


def moodle_percent(value: float) -> str:
    """``value`` (a fraction from Moodle's list) as the percentage our exports write: 1.0 -> "100"."""
    if not is_moodle_fraction(value):
        raise ExportError("moodle", f"grade {value!r} is not in Moodle's list of fractions")
    percent = round(value * 100, 5)
    return str(int(percent)) if percent == int(percent) else f"{percent:.5f}".rstrip("0")


def php_is_numeric(text: str) -> bool:
    """PHP's ``is_numeric`` for decimal strings (what Moodle's numerical import checks)."""
    return _PHP_NUMERIC.fullmatch(text) is not None


def category_segment(name: str, what: str) -> str:
    """``name`` as one category of a path, '/' doubled as Moodle's assemble_category_path does."""
    if _CATEGORY_FORBIDDEN.search(name):
        raise ExportError("moodle", f"{what} {name!r}: a Moodle category name cannot hold '\\', '<', '>' or a tab")
    escaped = name.replace("/", "//")
    if escaped.startswith("/"):
        escaped = " " + escaped
    if escaped.endswith("/"):
        escaped += " "
    return escaped


def category_path(title: str, segments: list[str]) -> str:
    """'$course$/top/<quiz title>/<segment>/…': the category an item is imported into."""
    names = [category_segment(title, "quiz title")] + [category_segment(s, "category") for s in segments]
    return "/".join([CATEGORY_CONTEXT, "top", *names])


def split_category_path(path: str) -> list[str]:
    """Moodle's split_category_path: names separated by single slashes, '//' a slash within a name."""
    return [name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", path)]


@dataclass
class MoodleAnswer:
    """One answer as Moodle's importer reads it (``text`` in ``format``; numerical answers carry a tolerance)."""

    text: str
    fraction: float
    format: str = "moodle"
    feedback: str = ""
    feedback_format: str = "moodle"
    tolerance: float | None = None


@dataclass
class MoodleQuestion:
    """One question (or category switch) as Moodle's importer reads it, from GIFT or from Moodle XML.

    ``qtype`` uses Moodle's names: category, description, essay, multichoice, truefalse, shortanswer,
    numerical, match. Texts are as Moodle stores them: HTML when their format is "html".
    """

    qtype: str
    name: str = ""
    text: str = ""
    format: str = "moodle"
    general_feedback: str = ""
    general_feedback_format: str = "moodle"
    idnumber: str = ""
    tags: list[str] = field(default_factory=list)
    category: str = ""
    answers: list[MoodleAnswer] = field(default_factory=list)
    single: bool | None = None
    shuffle_answers: bool | None = None
    correct: bool | None = None  # truefalse
    feedback_true: str = ""
    feedback_false: str = ""
    subquestions: list[tuple[str, str]] = field(default_factory=list)  # match: (left, right)
    subquestion_format: str = "moodle"
