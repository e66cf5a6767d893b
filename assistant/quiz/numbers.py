"""Numbers as the sources write them and as the exports must write them.

Vietnamese text writes "1.000" for a thousand and "2,5" for two and a half; English writes "1,000"
and "2.5". Items carry numbers as floats (:func:`parse_number` reads a source's spelling), and every
export writes them with :func:`format_number`: a decimal point, no thousands separator, no exponent,
which is what Moodle's importers (PHP ``is_numeric``) and spreadsheets read.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Final

from assistant.quiz.errors import QuizItemError

# Languages whose texts write the decimal with a comma (and group thousands with a dot or a space).
COMMA_DECIMAL: Final[frozenset[str]] = frozenset({"vi", "de", "es", "pt", "fr", "it", "nl", "ru", "uk", "id"})

_SPACES = re.compile(r"(?<=\d)[\s\u00a0\u202f\u2009](?=\d{3}(?!\d))")
_NUMBER = re.compile(r"[-+−]?\d[\d.,]*")


def parse_number(text: str, language: str, *, field: str = "value") -> float:
    """Read one number written the way ``language`` writes it ("1.000" is 1000 in Vietnamese, 1.0 in English).

    A separator that appears more than once, or once before exactly three digits in the language's
    thousands position, groups thousands; otherwise it is the decimal mark. When both separators
    appear, the last one is the decimal mark ("1.234,5", "1,234.5"). Raises ``QuizItemError`` naming
    ``field`` when ``text`` is not exactly one number.
    """
    compact = _SPACES.sub("", text.strip())
    if not re.fullmatch(_NUMBER, compact):
        raise QuizItemError(field, f"{text!r} is not a number")
    sign = -1.0 if compact[0] in "-−" else 1.0
    digits = compact.lstrip("+-−")
    if digits[-1] in ".,":
        raise QuizItemError(field, f"{text!r} ends with a separator")
    dots, commas = digits.count("."), digits.count(",")
    decimal_mark: str | None = None
    if dots and commas:
        decimal_mark = "." if digits.rfind(".") > digits.rfind(",") else ","
    elif dots or commas:
        mark = "." if dots else ","
        groups = digits.split(mark)
        grouped = 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])
        if len(groups) > 2 and not grouped:
            raise QuizItemError(field, f"{text!r}: misplaced thousands separators")
        thousands = "." if language in COMMA_DECIMAL else ","
        if len(groups) == 2 and not (mark == thousands and grouped):
            decimal_mark = mark
    integer, _, fraction = digits.partition(decimal_mark) if decimal_mark else (digits, "", "")
    if "." in fraction or "," in fraction:
        raise QuizItemError(field, f"{text!r}: a separator after the decimal mark")
    groups = re.split(r"[.,]", integer)
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])):
        raise QuizItemError(field, f"{text!r}: misplaced thousands separators")
    value = float("".join(groups) + ("." + fraction if fraction else ""))
    return sign * value


def format_number(value: float) -> str:
    """``value`` with a decimal point, no grouping and no exponent: 1000.0 -> "1000", 2.5 -> "2.5"."""
    if not math.isfinite(value):
        raise QuizItemError("value", f"{value!r} is not a finite number")
    if value == 0:
        return "0"
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
