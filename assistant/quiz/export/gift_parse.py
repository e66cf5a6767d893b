"""A strict GIFT reader: Moodle's importer, ported, that rejects what Moodle rejects and what it silently mangles.

A port of moodle/moodle ``question/format.php`` (``readdata``, ``readquestions``: questions are
separated by blank lines; ``importprocess``: every answer grade must be in Moodle's list) and
``question/format/gift/format.php`` (``readquestion`` and its helpers: escapes, comments with
``[id:…]`` and ``[tag:…]``, ``$CATEGORY:``, ``::name::``, the answer block, ``####`` general
feedback, type detection, weights, feedback, tolerance and ranges). It is how our tests read
back what the GIFT writer wrote, so that the writer writes what Moodle reads.

Rejected as Moodle rejects them (``GiftParseError``): a lone "{" or "}" (braceerror), fewer than
two choices or matching pairs, a matching pair without "->", no short or numerical answer, a
non-numeric tolerance, a grade outside Moodle's list (the whole import stops).

Rejected although Moodle accepts them, because Moodle would import something other than what
was meant — the signature of a missing escape:

- a "}" before the "{" or a second answer block (an unescaped brace in the text);
- an empty choice or short answer (a stray "~" or "=");
- more than one "=" in a multiple-choice question (Moodle keeps several 100 % answers in a
  single-answer question: an unescaped "=" in an answer);
- an answer starting with "%" that is not a valid weight (Moodle keeps it as text, grade 0);
- a single-answer question, short answer or numerical question with no 100 % answer, a
  multiple-answer question whose positive grades do not add up to 100 % (Moodle only warns);
- a numerical answer that is not a number (Moodle turns it into "*", any answer);
- an escape inside a ``$CATEGORY:`` path (Moodle does not unescape category paths).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from assistant.quiz.errors import GiftParseError
from assistant.quiz.export.moodle import MoodleAnswer, MoodleQuestion, is_moodle_fraction, php_is_numeric

_ESCAPED: Final[tuple[tuple[str, str, str], ...]] = (
    ("\\:", "&&058;", ":"),
    ("\\#", "&&035;", "#"),
    ("\\=", "&&061;", "="),
    ("\\{", "&&123;", "{"),
    ("\\}", "&&125;", "}"),
    ("\\~", "&&126;", "~"),
    ("\\n", "&&010", "\n"),
)
_PLACEHOLDER = re.compile(r"&&(?:058;|035;|061;|123;|125;|126;|010)")
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_FORMATS: Final[frozenset[str]] = frozenset({"moodle", "html", "plain", "markdown"})
_TRUE_FALSE: Final[tuple[str, ...]] = ("T", "TRUE", "F", "FALSE")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\[\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f]|)+)\]")
_TAGS_RE = re.compile(r"<[^>]*>")
_PHP_TRIM: Final[str] = " \t\n\r\0\x0b"


def _trim(text: str) -> str:
    """PHP's trim (only these characters, not every Unicode space)."""
    return text.strip(_PHP_TRIM)


def _php_empty(text: str) -> bool:
    """PHP's empty() on a string: "" and "0"."""
    return text in ("", "0")


def _pre(text: str) -> str:
    """escapedchar_pre: a double backslash becomes one backslash, escaped specials become placeholders."""
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder, _ in _ESCAPED:
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    """escapedchar_post: placeholders back to their characters."""
    for _, placeholder, char in _ESCAPED:
        text = text.replace(placeholder, char)
    return text


def _with_format(text: str, default: str) -> tuple[str, str]:
    """parse_text_with_format: an optional leading [format] marker; returns (text, format)."""
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end] if end != -1 else text[1:-1]
        if name in _FORMATS:
            fmt = name
            text = text[end + 1 :] if end != -1 else text[1:]
    return _trim(_post(text)), fmt


def _clean_name(name: str) -> str:
    """clean_question_name (PARAM_TEXT: tags stripped), trimmed; at most 255 characters."""
    return _trim(_TAGS_RE.sub("", name))[:255]


def _weight(answer: str, number: int, text: str) -> tuple[float, str]:
    """answerweightparser: '%50%rest' -> (0.5, 'rest')."""
    body = answer[1:]
    end = body.find("%")
    raw = body[:end]
    if not php_is_numeric(raw):  # PHP 8 throws on arithmetic with a non-numeric string
        raise GiftParseError(number, f"weight %{raw}% is not a number", text)
    fraction = float(raw) / 100
    if not is_moodle_fraction(fraction):  # importprocess stops the whole import on it
        raise GiftParseError(number, f"grade {raw} % is not in Moodle's list (invalidgrade)", text)
    return fraction, body[end + 1 :]


def _comment(answer: str, default: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """commentparser: 'answer#feedback' -> ((text, format), (feedback, format))."""
    bits = answer.split("#", 1)
    ans = _with_format(_trim(bits[0]), default)
    feedback = _with_format(_trim(bits[1]), default) if len(bits) > 1 else ("", default)
    return ans, feedback


def _strip_empty_first(answers: list[str]) -> list[str]:
    answers[0] = _trim(answers[0])
    return answers[1:] if _php_empty(answers[0]) else answers


def _read_question(lines: list[str], number: int) -> MoodleQuestion | None:
    """readquestion: one block of lines to a question (None for a block of comments only)."""
    comments = ""
    kept = []
    for line in lines:
        if _trim(line).startswith("//"):
            comments += _trim(line) + "\n"
            kept.append(" ")
        else:
            kept.append(line)
    text = _trim("\n".join(kept))
    if text == "":
        return None
    source = text
    text = _pre(text)

    if text.startswith("$CATEGORY:"):
        category = _trim(text[10:])
        if _PLACEHOLDER.search(category) or "\\" in category:
            raise GiftParseError(number, "an escape inside a $CATEGORY path (Moodle keeps it as written)", source)
        return MoodleQuestion(qtype="category", category=category)

    question = MoodleQuestion(qtype="")
    name: str | None = None
    if text.startswith("::"):
        text = text[2:]
        end = text.find("::")
        if end != -1:
            name = _clean_name(_post(text[:end]))
            text = _trim(text[end + 2 :])

    start, finish = text.find("{"), text.find("}")
    description = start == -1 and finish == -1
    if description:
        answertext = ""
        questiontext = text
    elif start == -1 or finish == -1:
        raise GiftParseError(number, "a '{' without its '}' or a '}' without its '{' (braceerror)", source)
    elif finish < start:
        raise GiftParseError(number, "a '}' before the answers' '{' (an unescaped brace in the text?)", source)
    else:
        answertext = _trim(text[start + 1 : finish])
        rest = text[finish + 1 :]
        if "{" in rest or "}" in rest:
            raise GiftParseError(number, "a second answer block or a stray brace after the answers", source)
        if text.endswith("}"):
            questiontext = text[:start]
        else:  # missing-word format
            questiontext = text[:start] + "_____" + rest

    general = ""
    separator = answertext.rfind("####")
    if separator != -1:
        general = answertext[separator + 4 :]
        answertext = _trim(answertext[:separator])

    question.text, question.format = _with_format(questiontext, "moodle")
    question.general_feedback, question.general_feedback_format = _with_format(general, question.format)
    question.name = name if name is not None else _clean_name(question.text)[:80]
    ids = _ID.search(comments)
    question.idnumber = _trim(ids.group(1)).replace("\\]", "]") if ids else ""
    question.tags = [_trim(tag).replace("\\]", "]") for tag in _TAG.findall(comments)]

    if description:
        question.qtype = "description"
    elif answertext == "":
        question.qtype = "essay"
    elif answertext[0] == "#":
        question.qtype = "numerical"
    elif "~" in answertext:
        question.qtype = "multichoice"
    elif "=" in answertext and "->" in answertext:
        question.qtype = "match"
    else:
        check = answertext
        if answertext.find("#") > 0:
            check = _trim(answertext[: answertext.find("#")])
        question.qtype = "truefalse" if check in _TRUE_FALSE else "shortanswer"

    reader = _READERS.get(question.qtype)
    if reader is not None:
        reader(question, answertext, number, source)
    return question


def _multichoice(question: MoodleQuestion, answertext: str, number: int, source: str) -> None:
    question.single = "=" in answertext
    if answertext.count("=") > 1:
        raise GiftParseError(
            number, "more than one '=' answer in a multiple-choice question (an unescaped '='?)", source
        )
    answers = _strip_empty_first(answertext.replace("=", "~=").split("~"))
    if len(answers) < 2:
        raise GiftParseError(number, "a multiple-choice question needs at least two choices (importminerror)", source)
    for raw in answers:
        answer = _trim(raw)
        if answer == "" or answer == "=":
            raise GiftParseError(number, "an empty choice (a stray '~' or '='?)", source)
        if answer[0] == "=":
            fraction, answer = 1.0, answer[1:]
        elif _WEIGHT.match(answer):
            fraction, answer = _weight(answer, number, source)
        elif answer.startswith("%"):
            raise GiftParseError(number, f"choice {answer!r} starts with '%' but has no valid weight", source)
        else:
            fraction = 0.0
        (text, fmt), (feedback, feedback_fmt) = _comment(answer, question.format)
        question.answers.append(MoodleAnswer(text, fraction, fmt, feedback, feedback_fmt))
    if question.single and max(a.fraction for a in question.answers) != 1:
        raise GiftParseError(number, "a single-answer question without a 100 % answer", source)
    if not question.single and round(sum(a.fraction for a in question.answers if a.fraction > 0), 2) != 1:
        raise GiftParseError(number, "a multiple-answer question whose positive grades do not add up to 100 %", source)


def _match(question: MoodleQuestion, answertext: str, number: int, source: str) -> None:
    answers = _strip_empty_first(answertext.split("="))
    if len(answers) < 2:
        raise GiftParseError(number, "a matching question needs at least two pairs (importminerror)", source)
    for raw in answers:
        answer = _trim(raw)
        marker = answer.find("->")
        if marker == -1:
            raise GiftParseError(number, f"matching pair {answer!r} has no '->' (giftmatchingformat)", source)
        left, fmt = _with_format(answer[:marker], question.format)
        question.subquestion_format = fmt
        question.subquestions.append((left, _trim(_post(answer[marker + 2 :]))))


def _truefalse(question: MoodleQuestion, answertext: str, number: int, source: str) -> None:
    bits = answertext.split("#", 2)
    answer = _with_format(_trim(bits[0]), question.format)[0]
    wrong = _with_format(_trim(bits[1]), question.format)[0] if len(bits) > 1 else ""
    right = _with_format(_trim(bits[2]), question.format)[0] if len(bits) > 2 else ""
    question.correct = answer in ("T", "TRUE")
    question.feedback_true, question.feedback_false = (right, wrong) if question.correct else (wrong, right)


def _shortanswer(question: MoodleQuestion, answertext: str, number: int, source: str) -> None:
    answers = _strip_empty_first(answertext.split("="))
    if not answers:
        raise GiftParseError(number, "a short-answer question without answers (importminerror)", source)
    for raw in answers:
        answer = _trim(raw)
        if answer == "":
            raise GiftParseError(number, "an empty short answer (a stray '='?)", source)
        fraction = 1.0
        if _WEIGHT.match(answer):
            fraction, answer = _weight(answer, number, source)
        elif answer.startswith("%"):
            raise GiftParseError(number, f"answer {answer!r} starts with '%' but has no valid weight", source)
        (text, _), (feedback, feedback_fmt) = _comment(answer, question.format)
        # Moodle keeps a short answer's text and drops its format: it is plain text.
        question.answers.append(MoodleAnswer(text, fraction, "plain", feedback, feedback_fmt))
    if max(a.fraction for a in question.answers) != 1:
        raise GiftParseError(number, "a short-answer question without a 100 % answer", source)


def _numerical(question: MoodleQuestion, answertext: str, number: int, source: str) -> None:
    answertext = answertext[1:]
    wrong = ""
    if "~" in answertext:
        position = answertext.find("~")
        wrong, answertext = answertext[position:], answertext[:position]
    answers = _strip_empty_first(answertext.split("="))
    if not answers:
        raise GiftParseError(number, "a numerical question without answers (giftnonumericalanswers)", source)
    for raw in answers:
        answer = _trim(raw)
        fraction = 1.0
        if _WEIGHT.match(answer):
            fraction, answer = _weight(answer, number, source)
        (text, _), (feedback, feedback_fmt) = _comment(answer, question.format)
        if text.find("..") > 0:
            low, high = _trim(text[: text.find("..")]), _trim(text[text.find("..") + 2 :])
            if not (php_is_numeric(low) and php_is_numeric(high)):
                raise GiftParseError(number, f"range {text!r} is not two numbers", source)
            value = (float(high) + float(low)) / 2
            tolerance = float(high) - value
            shown = repr(value)
        else:
            if text.find(":") > 0:
                shown, tol = _trim(text[: text.find(":")]), _trim(text[text.find(":") + 1 :])
            else:
                shown, tol = _trim(text), "0"
            if not php_is_numeric(tol):
                raise GiftParseError(number, f"tolerance {tol!r} is not a number (errornotnumbers)", source)
            if shown != "*" and not php_is_numeric(shown):
                raise GiftParseError(
                    number, f"answer {shown!r} is not a number (Moodle would accept any answer)", source
                )
            tolerance = float(tol)
        question.answers.append(MoodleAnswer(shown, fraction, "plain", feedback, feedback_fmt, tolerance))
    if wrong:
        _, (feedback, feedback_fmt) = _comment(wrong, question.format)
        question.answers.append(MoodleAnswer("*", 0.0, "plain", feedback, feedback_fmt, None))
    if max(a.fraction for a in question.answers) != 1:
        raise GiftParseError(number, "a numerical question without a 100 % answer", source)


_READERS = {
    "multichoice": _multichoice,
    "match": _match,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
}


def parse_gift(text: str) -> list[MoodleQuestion]:
    """Every question (and category switch) of a GIFT text, in order; ``GiftParseError`` on the first bad one."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    lines = text.split("\r") if "\r" in first and "\n" not in text else text.split("\n")
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        line = _trim(line)
        if _php_empty(line):
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)

    questions: list[MoodleQuestion] = []
    for number, block in enumerate(blocks, start=1):
        question = _read_question(block, number)
        if question is None:
            continue
        for answer in question.answers:
            if not is_moodle_fraction(answer.fraction):
                raise GiftParseError(
                    number,
                    f"grade {answer.fraction * 100:g} % is not in Moodle's list (invalidgrade)",
                    "\n".join(block),
                )
        questions.append(question)
    return questions


def read_gift(path: Path) -> list[MoodleQuestion]:
    """Read a GIFT file (UTF-8, as Moodle's validate_file requires)."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GiftParseError(0, f"{path}: not UTF-8 (importwrongfileencoding)") from exc
    return parse_gift(text)
