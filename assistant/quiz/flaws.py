"""Item-writing flaws that the item alone shows, checked by rules (after Moore et al. 2023).

Moore et al. found that rule checks caught 91 % of the flaws human annotators marked in
multiple-choice items. The rules here need no corpus:

- ``all_none_of_above``: an option reads "all/none of the above" (Vietnamese or English wording);
- ``longest_key``: the key is longer than every distractor by a wide margin (``longest_ratio``);
- ``stem_word_in_key``: a content word of the stem is repeated in the key and in no distractor;
- ``grammatical_cue``: an English stem ends in "a"/"an" and only some options agree with it, the key among them;
- ``negative_lowercase``: a negative stem writes its negation in lower case (write "KHÔNG", "NOT");
- ``duplicate_options``: two options are equal but for case and spacing;
- ``options_out_of_order``: options that are all numbers (or all dates) are not in order.

:func:`check_quiz` adds one rule over a whole quiz: ``key_often_longest``, when the key is the
longest option in too many items for the length to be a coincidence.

Thresholds are parameters with documented defaults; the caller passes its settings. Word lists
(stop words, "all of the above" phrasings, negation cues) are data of this module, per language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import pairwise
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict

from assistant.quiz.errors import QuizItemError
from assistant.quiz.items import QuizItem
from assistant.quiz.numbers import parse_number

FlawCode = Literal[
    "all_none_of_above",
    "longest_key",
    "stem_word_in_key",
    "grammatical_cue",
    "negative_lowercase",
    "duplicate_options",
    "options_out_of_order",
    "key_often_longest",
]

# The key is flagged when it is longer (in characters) than this many times the longest distractor.
DEFAULT_LONGEST_RATIO: Final[float] = 1.5
# A quiz is flagged when the key is the longest option in more than this share of its multichoice
# items (a quarter would be chance with four options) ...
DEFAULT_LONGEST_SHARE: Final[float] = 0.5
# ... counted over at least this many multichoice items (below it, the share means little).
DEFAULT_LONGEST_MIN_ITEMS: Final[int] = 4

ALL_NONE_OF_ABOVE: Final[dict[str, tuple[str, ...]]] = {
    "vi": (
        "tất cả các đáp án trên", "tất cả các phương án trên", "tất cả các ý trên", "tất cả đều đúng",
        "cả ba đáp án trên", "không có đáp án nào", "không đáp án nào", "không có phương án nào",
        "không có ý nào", "các đáp án trên đều sai",
    ),
    "en": (
        "all of the above", "none of the above", "all of these", "none of these", "all the above",
        "none of them", "all of them",
    ),
}  # fmt: skip

STOP_WORDS: Final[dict[str, frozenset[str]]] = {
    "vi": frozenset(
        "của và các là có được trong cho với theo nào gì những một này đó thì mà để từ đến tại về như khi "
        "bao nhiêu ai đâu sao hay hoặc do bởi trên dưới ra vào lên đã đang sẽ phải cần nên việc cái "
        "hãy đây kia vậy thế nhất mỗi mọi cả".split()
    ),
    "en": frozenset(
        "the a an of and or to in on at for by with from is are was were be been being which what who whom "
        "whose when where why how this that these those it its as does do did has have had under according "
        "than then there their they must shall should will would can could may might into about".split()
    ),
}

# Words that negate a stem, and phrases holding them that do not (compounds, the Vietnamese
# yes/no particle "có … không?", "đã … chưa?").
NEGATION_CUES: Final[dict[str, tuple[str, ...]]] = {
    "vi": ("không", "chưa", "chẳng", "ngoại trừ"),
    "en": ("not", "never", "except", "cannot"),
}
NOT_NEGATIONS: Final[dict[str, tuple[str, ...]]] = {
    "vi": (
        r"không chỉ", r"không những", r"hàng không", r"không gian", r"không khí", r"chưa kể",
        r"hay không\s*\?*$", r"hoặc không\s*\?*$", r"không\s*\?+$", r"chưa\s*\?+$",
    ),
    "en": (r"not only",),
}  # fmt: skip
_CONTRACTION = re.compile(r"\b\w+n['’]t\b", re.IGNORECASE)

_TOKEN = re.compile(r"\w+", re.UNICODE)
# Punctuation around a token ("(31/8/2025),", "«Giai"); a percent sign belongs to its number.
_EDGE = re.compile(r"^[^\w%]+|[^\w%]+$")
_MONTHS_EN: Final[dict[str, int]] = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH_NAME = "|".join(sorted(_MONTHS_EN, key=len, reverse=True))
_DATE_PATTERNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("dmy", re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")),
    ("ymd", re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")),
    ("dm", re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})")),
    ("vi", re.compile(r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*(?:năm|,)\s*(\d{4}))?")),
    ("vi_my", re.compile(r"tháng\s+(\d{1,2})\s*(?:năm|/|,)\s*(\d{4})")),
    ("en_mdy", re.compile(rf"({_MONTH_NAME})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(\d{{4}}))?")),
    ("en_dmy", re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_NAME})\.?(?:,?\s*(\d{{4}}))?")),
)
_NUMERIC_OPTION = re.compile(r"\s*([-+−]?\d(?:[\d.,\s]*\d)?)\s*(.*)", re.DOTALL)


class Flaw(BaseModel):
    """One flaw: a code (for counting) and a message saying what to change."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: FlawCode
    message: str


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _words(text: str) -> list[str]:
    """The folded words of ``text``. A whitespace-separated token holding a digit ("1/5/2025", "1.450",
    "85%") is one word, so its parts are no words of their own: the "1" of "Giai đoạn 1" is not a word
    of the key "1/5/2025", while a stem and a key that both hold the token "1" share it."""
    words: list[str] = []
    for token in _fold(text).split():
        core = _EDGE.sub("", token)
        if any(ch.isdigit() for ch in core):
            words.append(core)
        else:
            words += _TOKEN.findall(token)
    return words


def check_item(item: QuizItem, *, longest_ratio: float = DEFAULT_LONGEST_RATIO) -> list[Flaw]:
    """Every rule's flaws in ``item``, in rule order (empty when the item is clean).

    ``longest_ratio``: the key is a flaw when longer than this many times the longest distractor.
    """
    if longest_ratio <= 1:
        raise QuizItemError("longest_ratio", f"must be above 1, got {longest_ratio}")
    flaws = _negative_lowercase(item)
    if item.type != "multichoice":
        return flaws
    return (
        _all_none_of_above(item)
        + _longest_key(item, longest_ratio)
        + _stem_word_in_key(item)
        + _grammatical_cue(item)
        + flaws
        + _duplicate_options(item)
        + _out_of_order(item)
    )


def check_quiz(
    items: Sequence[QuizItem],
    *,
    longest_share: float = DEFAULT_LONGEST_SHARE,
    min_items: int = DEFAULT_LONGEST_MIN_ITEMS,
) -> list[Flaw]:
    """Flaws of a whole quiz: the key is the strictly longest option in more than ``longest_share``
    of its multichoice items (counted once there are at least ``min_items`` of them)."""
    choices = [item for item in items if item.type == "multichoice"]
    if len(choices) < min_items:
        return []
    longest = sum(1 for item in choices if _key_and_distractors(item)[0] > max(_key_and_distractors(item)[1]))
    if longest / len(choices) > longest_share:
        return [
            Flaw(
                code="key_often_longest",
                message=f"the key is the longest option in {longest} of {len(choices)} multiple-choice items; "
                "vary the lengths so length does not give the key away",
            )
        ]
    return []


def _key_and_distractors(item: QuizItem) -> tuple[int, list[int]]:
    key = len(next(option.text for option in item.options if option.correct))
    return key, [len(option.text) for option in item.options if not option.correct]


def _all_none_of_above(item: QuizItem) -> list[Flaw]:
    flaws = []
    phrases = [phrase for language in ALL_NONE_OF_ABOVE.values() for phrase in language]
    for option in item.options:
        text = _fold(option.text)
        found = next((p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)), None)
        if found:
            flaws.append(
                Flaw(
                    code="all_none_of_above",
                    message=f"option {option.text!r} reads {found!r}: write a plausible distractor instead",
                )
            )
    return flaws


def _longest_key(item: QuizItem, ratio: float) -> list[Flaw]:
    key, distractors = _key_and_distractors(item)
    if key > ratio * max(distractors):
        return [
            Flaw(
                code="longest_key",
                message=f"the key has {key} characters, more than {ratio:g} times the longest distractor "
                f"({max(distractors)}): shorten it or lengthen the distractors",
            )
        ]
    return []


def _stem_word_in_key(item: QuizItem) -> list[Flaw]:
    stop = STOP_WORDS.get(item.language, frozenset())
    stem = set(_words(item.stem)) - stop
    key = item.correct_option
    assert key is not None  # a multichoice item has one (checked by the model)
    in_distractors = {word for option in item.options if not option.correct for word in _words(option.text)}
    cues = sorted((stem & set(_words(key.text))) - in_distractors)
    if cues:
        return [
            Flaw(
                code="stem_word_in_key",
                message=f"the stem's word(s) {', '.join(cues)} appear in the key and in no distractor",
            )
        ]
    return []


_AN_EXCEPTIONS = ("hour", "honest", "honour", "honor", "heir")
_A_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once", "ur")


def _wants_an(text: str) -> bool:
    word = _fold(text)
    if word.startswith(_AN_EXCEPTIONS):
        return True
    if word.startswith(_A_EXCEPTIONS):
        return False
    return word[:1] in "aeiou"


def _grammatical_cue(item: QuizItem) -> list[Flaw]:
    if item.language != "en":
        return []
    words = _words(re.sub(r"[_.…\s]+$", "", item.stem))
    if not words or words[-1] not in ("a", "an"):
        return []
    article = words[-1]
    agrees = [(article == "an") == _wants_an(option.text) for option in item.options]
    key_agrees = next(agree for agree, option in zip(agrees, item.options, strict=True) if option.correct)
    if key_agrees and not all(agrees):
        return [
            Flaw(
                code="grammatical_cue",
                message=f"the stem ends in {article!r}, which only some options (the key among them) agree with: "
                "end the stem with 'a(n)' or move the article into the options",
            )
        ]
    return []


def _negative_lowercase(item: QuizItem) -> list[Flaw]:
    cues = NEGATION_CUES.get(item.language)
    if not cues:
        return []
    stem = unicodedata.normalize("NFC", item.stem)
    masked = stem
    for phrase in NOT_NEGATIONS.get(item.language, ()):
        masked = re.sub(phrase, lambda m: " " * len(m.group(0)), masked, flags=re.IGNORECASE)
    found: list[str] = []
    for cue in cues:
        for match in re.finditer(rf"(?<!\w){re.escape(cue)}(?!\w)", masked, re.IGNORECASE):
            if match.group(0) != match.group(0).upper():
                found.append(match.group(0))
    if item.language == "en":
        found += [m.group(0) for m in _CONTRACTION.finditer(masked) if m.group(0) != m.group(0).upper()]
    if found:
        return [
            Flaw(
                code="negative_lowercase",
                message=f"the stem's negation {', '.join(repr(word) for word in found)} must be written in "
                "capitals ('KHÔNG', 'NOT') so no one misses it",
            )
        ]
    return []


def _duplicate_options(item: QuizItem) -> list[Flaw]:
    seen: dict[str, str] = {}
    flaws = []
    for option in item.options:
        folded = _fold(option.text)
        if folded in seen:
            flaws.append(
                Flaw(code="duplicate_options", message=f"options {seen[folded]!r} and {option.text!r} are the same")
            )
        else:
            seen[folded] = option.text
    return flaws


def _date_key(text: str) -> tuple[str, tuple[int, ...]] | None:
    """(shape, sortable tuple) when the whole of ``text`` is one date, else None."""
    folded = _fold(text)
    for shape, pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(folded)
        if not match:
            continue
        groups = match.groups()
        if shape == "dmy":
            day, month, year = int(groups[0]), int(groups[1]), int(groups[2])
            if month > 12 >= day:  # written month first
                day, month = month, day
            return "ymd", (year, month, day)
        if shape == "ymd":
            return "ymd", (int(groups[0]), int(groups[1]), int(groups[2]))
        if shape == "dm":
            return "md", (int(groups[1]), int(groups[0]))
        if shape == "vi":
            day, month = int(groups[0]), int(groups[1])
            return ("ymd", (int(groups[2]), month, day)) if groups[2] else ("md", (month, day))
        if shape == "vi_my":
            return "ym", (int(groups[1]), int(groups[0]))
        if shape == "en_mdy":
            month, day = _MONTHS_EN[groups[0]], int(groups[1])
            return ("ymd", (int(groups[2]), month, day)) if groups[2] else ("md", (month, day))
        month, day = _MONTHS_EN[groups[1]], int(groups[0])
        return ("ymd", (int(groups[2]), month, day)) if groups[2] else ("md", (month, day))
    return None


def _number_key(text: str, language: str) -> tuple[str, tuple[float, ...]] | None:
    """(unit, (value,)) when ``text`` is one number with an optional unit after it, else None."""
    match = _NUMERIC_OPTION.fullmatch(text)
    if not match or re.search(r"\d", match.group(2)):
        return None
    try:
        value = parse_number(match.group(1), language)
    except QuizItemError:
        return None
    return _fold(match.group(2)), (value,)


def _ordered(keys: Sequence[tuple[float, ...] | tuple[int, ...]]) -> bool:
    pairs = list(pairwise(keys))
    return all(a <= b for a, b in pairs) or all(a >= b for a, b in pairs)


def _out_of_order(item: QuizItem) -> list[Flaw]:
    texts = [option.text for option in item.options]
    for kind, reader in (("dates", _date_key), ("numbers", lambda text: _number_key(text, item.language))):
        keys = [reader(text) for text in texts]
        if all(key is not None for key in keys) and len({key[0] for key in keys if key is not None}) == 1:
            if not _ordered([key[1] for key in keys if key is not None]):
                return [
                    Flaw(
                        code="options_out_of_order",
                        message=f"the options are {kind}: list them in order ({', '.join(texts)})",
                    )
                ]
            return []
    return []
