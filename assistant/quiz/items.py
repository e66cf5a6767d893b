"""The quiz builder's data: an item, its citation, a quiz and its quality report.

Every item is grounded: it carries a :class:`QuizCitation` (document, position, verbatim quote,
document hash). Its ``id`` is derived from its content (type, stem and key, see :func:`item_id`),
so exporting the same item twice gives the same id, and an edit that changes the stem or the key
gives a new one (:meth:`QuizItem.revised` re-checks an edited item and recomputes it).

A rule of the model that an item breaks raises :class:`~assistant.quiz.errors.QuizItemError`
naming the field; constructing an item with the wrong types raises it too (the pydantic error is
turned into it by :meth:`QuizItem.__init__`, :meth:`QuizItem.parse` and :meth:`Quiz.parse`).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Any, Final, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.quiz.errors import QuizItemError
from assistant.quiz.numbers import format_number

ItemType = Literal["multichoice", "truefalse", "shortanswer", "numerical", "matching"]
ITEM_TYPES: Final[tuple[str, ...]] = ("multichoice", "truefalse", "shortanswer", "numerical", "matching")
Difficulty = Literal["easy", "medium", "hard"]
WrittenBy = Literal["template", "llm"]

MULTICHOICE_OPTIONS: Final[int] = 4
MIN_MATCHING_PAIRS: Final[int] = 3
ID_LENGTH: Final[int] = 16

# Control characters other than tab and newline cannot live in XML 1.0 nor in a GIFT line.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Characters a Moodle category name cannot carry through GIFT (where it is not escaped) or PARAM_TEXT.
_CATEGORY_FORBIDDEN = re.compile(r"[\\<>\n\t]")


def _clean(text: str) -> str:
    """NFC, Unix newlines, no outer whitespace; control characters are refused."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if _CONTROL.search(text):
        raise ValueError("contains a control character")
    return text


def _non_blank(text: str) -> str:
    if not text:
        raise ValueError("is blank")
    return text


def _one_line(text: str) -> str:
    if "\n" in text:
        raise ValueError("must be one line")
    return text


Text = Annotated[str, AfterValidator(_clean)]
NonBlank = Annotated[str, AfterValidator(_clean), AfterValidator(_non_blank)]
Line = Annotated[str, AfterValidator(_clean), AfterValidator(_non_blank), AfterValidator(_one_line)]


def _raise_from(exc: ValidationError) -> QuizItemError:
    """The first pydantic error as a ``QuizItemError`` naming its field path."""
    error = exc.errors(include_url=False)[0]
    field = ".".join(str(part) for part in error["loc"]) or "item"
    return QuizItemError(field, error["msg"].removeprefix("Value error, "))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Checked(_Model):
    """A model whose validation errors are ``QuizItemError`` naming the field, built or parsed."""

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _raise_from(exc) from None

    @classmethod
    def parse(cls, data: Any) -> Self:
        """Validate a mapping (e.g. read from JSON); errors are ``QuizItemError``."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise _raise_from(exc) from None


class Position(_Model):
    """Where the quote sits in its document (any of the keys; none for a short text file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    page: int | None = Field(default=None, ge=1, description="1-based PDF page.")
    section: Line | None = Field(default=None, description="Section heading path (DOCX, Markdown, HTML).")
    sheet: Line | None = Field(default=None, description="Spreadsheet sheet name.")
    row: int | None = Field(default=None, ge=1, description="1-based spreadsheet row (the header is row 1).")

    def label(self, language: str) -> str:
        """'tr. 3, mục 1.2' / 'p. 3, section 1.2'; empty when no key is set."""
        vi = language == "vi"
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"{'tr.' if vi else 'p.'} {self.page}")
        if self.sheet is not None:
            parts.append(f"{'trang tính' if vi else 'sheet'} {self.sheet}")
        if self.row is not None:
            parts.append(f"{'dòng' if vi else 'row'} {self.row}")
        if self.section is not None:
            parts.append(f"{'mục' if vi else 'section'} {self.section}")
        return ", ".join(parts)


class QuizCitation(_Model):
    """The passage an item is built from: its document, position and a verbatim quote."""

    source: Line = Field(description="Path relative to the corpus directory, with forward slashes.")
    title: Line = Field(description="The document's title.")
    position: Position = Field(default_factory=Position, description="Page, section, sheet and row of the quote.")
    quote: NonBlank = Field(description="A verbatim substring of the cited passage.")
    doc_hash: Line = Field(description="Hash of the document version the quote was taken from.")
    url: Line | None = Field(default=None, description="The document's URL, when it has one.")


class Option(_Model):
    """One option of a multiple-choice item."""

    text: NonBlank
    correct: bool = False
    feedback: Text = Field(default="", description="Shown when this option is chosen (optional).")


class Pair(_Model):
    """One pair of a matching item: a left prompt and the right answer it goes with."""

    left: NonBlank
    right: Line


class DropReason(_Model):
    """Why a candidate item (or a language model's rewording of one) was not kept: a short code (for
    counting) and a message (for the trainer)."""

    code: Line
    message: Line


class Attempt(_Model):
    """One request to a language model to reword an item (:mod:`assistant.quiz.polish`), and its outcome."""

    draft: Text = Field(default="", description="The template's stem the model was asked to reword.")
    stem: Text = Field(default="", description="The stem the model proposed (empty when its reply held none).")
    explanation: Text = Field(default="", description="The explanation sentence the model proposed.")
    kept: bool = Field(
        default=False, description="Whether the proposed stem passed every check and replaced the template's."
    )
    reasons: list[DropReason] = Field(
        default_factory=list, description="Why the proposed stem or explanation was turned down (none: both kept)."
    )


def _fold(text: str) -> str:
    """Case-folded, single-spaced: the form two texts are compared in."""
    return " ".join(text.casefold().split())


def item_id(item_type: str, stem: str, key: object) -> str:
    """The stable id: a hash of the type, the stem and the key (case and spacing do not count)."""
    payload = json.dumps([item_type, _fold(stem), key], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:ID_LENGTH]


class QuizItem(_Checked):
    """One question with its key, explanation and citation. Which fields are used depends on ``type``:

    - ``multichoice``: ``options`` (exactly 4, exactly one ``correct``, optional per-option feedback);
    - ``truefalse``: ``truth``;
    - ``shortanswer``: ``answers`` (accepted variants, the first being the primary one);
    - ``numerical``: ``value`` and ``tolerance`` (floats: "1.000" in a Vietnamese source is 1000.0);
    - ``matching``: ``pairs`` (at least 3, distinct left sides).

    Fields of the other types must stay empty.
    """

    id: str = Field(default="", description="Derived from type, stem and key; computed when empty, checked when given.")
    type: ItemType
    stem: NonBlank
    options: list[Option] = Field(default_factory=list)
    answers: list[Line] = Field(default_factory=list, description="Accepted answers of a shortanswer item.")
    value: float | None = Field(default=None, description="The key of a numerical item.")
    tolerance: float | None = Field(default=None, description="Accepted error of a numerical item (>= 0).")
    pairs: list[Pair] = Field(default_factory=list)
    truth: bool | None = Field(default=None, description="The key of a truefalse item.")
    explanation: Text = Field(default="", description="Why the key is right, shown after answering.")
    language: str = Field(pattern=r"^[a-z]{2,3}$", description="ISO 639 code of the item's text.")
    difficulty: Difficulty = "medium"
    category: list[Line] = Field(default_factory=list, description="Topic path, outermost first.")
    citation: QuizCitation
    written_by: WrittenBy = Field(
        default="template", description="Who wrote the stem: the templates, or a language model (checked the same way)."
    )
    attempts: list[Attempt] = Field(
        default_factory=list, description="The language model's tries at rewording the item (none without a model)."
    )

    @model_validator(mode="after")
    def _check(self) -> QuizItem:
        kind = self.type
        self._check_options(kind)
        if (kind == "truefalse") != (self.truth is not None):
            raise QuizItemError("truth", "a truefalse item needs truth" if kind == "truefalse" else _unused(kind))
        self._check_answers(kind)
        self._check_number(kind)
        self._check_pairs(kind)
        for segment in self.category:
            if _CATEGORY_FORBIDDEN.search(segment):
                raise QuizItemError("category", f"{segment!r}: a category name cannot hold '\\', '<', '>' or a tab")
        expected = item_id(kind, self.stem, self.key())
        if not self.id:
            self.id = expected
        elif self.id != expected:
            raise QuizItemError("id", f"{self.id!r} does not match the item's content (expected {expected!r})")
        return self

    def _check_options(self, kind: str) -> None:
        if kind != "multichoice":
            if self.options:
                raise QuizItemError("options", _unused(kind))
            return
        if len(self.options) != MULTICHOICE_OPTIONS:
            raise QuizItemError(
                "options", f"a multichoice item needs exactly {MULTICHOICE_OPTIONS} options, got {len(self.options)}"
            )
        correct = sum(option.correct for option in self.options)
        if correct != 1:
            raise QuizItemError("options", f"exactly one option must be correct, got {correct}")

    def _check_answers(self, kind: str) -> None:
        if kind != "shortanswer":
            if self.answers:
                raise QuizItemError("answers", _unused(kind))
            return
        if not self.answers:
            raise QuizItemError("answers", "a shortanswer item needs at least one accepted answer")
        repeated = [text for text, n in Counter(_fold(answer) for answer in self.answers).items() if n > 1]
        if repeated:
            raise QuizItemError("answers", f"accepted answer {repeated[0]!r} is given twice (case does not count)")

    def _check_number(self, kind: str) -> None:
        if kind != "numerical":
            if self.value is not None:
                raise QuizItemError("value", _unused(kind))
            if self.tolerance is not None:
                raise QuizItemError("tolerance", _unused(kind))
            return
        if self.value is None or not math.isfinite(self.value):
            raise QuizItemError("value", "a numerical item needs a finite value")
        if self.tolerance is None:
            self.tolerance = 0.0
        if not math.isfinite(self.tolerance) or self.tolerance < 0:
            raise QuizItemError("tolerance", f"must be a finite number >= 0, got {self.tolerance!r}")

    def _check_pairs(self, kind: str) -> None:
        if kind != "matching":
            if self.pairs:
                raise QuizItemError("pairs", _unused(kind))
            return
        if len(self.pairs) < MIN_MATCHING_PAIRS:
            raise QuizItemError(
                "pairs", f"a matching item needs at least {MIN_MATCHING_PAIRS} pairs, got {len(self.pairs)}"
            )
        repeated = [text for text, n in Counter(_fold(pair.left) for pair in self.pairs).items() if n > 1]
        if repeated:
            raise QuizItemError("pairs", f"left side {repeated[0]!r} appears twice")

    def key(self) -> str | list[str] | list[list[str]]:
        """The key in a canonical form (what the id hashes): the correct option's text, "true"/"false",
        the primary accepted answer, the value written with a decimal point, or the sorted pairs."""
        if self.type == "multichoice":
            return _fold(next(option.text for option in self.options if option.correct))
        if self.type == "truefalse":
            return "true" if self.truth else "false"
        if self.type == "shortanswer":
            return _fold(self.answers[0])
        if self.type == "numerical":
            assert self.value is not None  # checked by _check_number
            return format_number(self.value)
        return sorted([_fold(pair.left), _fold(pair.right)] for pair in self.pairs)

    @property
    def correct_option(self) -> Option | None:
        """The correct option of a multichoice item (None for the other types)."""
        return next((option for option in self.options if option.correct), None)

    def revised(self, **changes: Any) -> QuizItem:
        """A copy with ``changes`` applied, re-checked, with its id recomputed (for the trainer's edits)."""
        data = self.model_dump()
        data.update(changes)
        data["id"] = ""
        return QuizItem.parse(data)


def _unused(kind: str) -> str:
    return f"not used by a {kind} item"


class DroppedItem(_Model):
    """A candidate item that failed a check, with every reason."""

    stem: Text
    item_id: str = ""
    reasons: list[DropReason] = Field(min_length=1)
    attempts: list[Attempt] = Field(default_factory=list, description="The language model's tries at rewording it.")


class QualityReport(_Model):
    """How many items were kept, and which were dropped and why."""

    kept: int = Field(ge=0)
    dropped: list[DroppedItem] = Field(default_factory=list)
    notes: list[Line] = Field(default_factory=list, description="What the trainer should know about the build "
                              "(the language model was asked for but unavailable, …).")  # fmt: skip

    def reason_counts(self) -> dict[str, int]:
        """How often each reason code dropped an item, most frequent first."""
        counts = Counter(reason.code for dropped in self.dropped for reason in dropped.reasons)
        return dict(counts.most_common())

    def rewording_counts(self, items: Sequence[QuizItem]) -> dict[str, int]:
        """How often each reason turned down a language model's rewording, over ``items`` (the quiz's) and the
        dropped candidates, most frequent first."""
        attempts = [a for item in items for a in item.attempts] + [a for d in self.dropped for a in d.attempts]
        counts = Counter(reason.code for attempt in attempts for reason in attempt.reasons)
        return dict(counts.most_common())

    def summary(self) -> str:
        """One line: 'kept 5, dropped 2 (flaw.longest_key: 1, duplicate: 1)'."""
        counts = ", ".join(f"{code}: {n}" for code, n in self.reason_counts().items())
        return f"kept {self.kept}, dropped {len(self.dropped)}" + (f" ({counts})" if counts else "")


class Quiz(_Checked):
    """A quiz: its items (in order) and the quality report that goes with every export."""

    title: Line
    language: str = Field(pattern=r"^[a-z]{2,3}$", description="ISO 639 code of the quiz.")
    seed: int = Field(description="The seed the quiz was built with (same seed and corpus, same quiz).")
    items: list[QuizItem]
    report: QualityReport

    @model_validator(mode="after")
    def _check(self) -> Quiz:
        seen: set[str] = set()
        for index, item in enumerate(self.items):
            if item.id in seen:
                raise QuizItemError(f"items.{index}.id", f"duplicate item {item.id!r} (same type, stem and key)")
            seen.add(item.id)
        if self.report.kept != len(self.items):
            raise QuizItemError("report.kept", f"says {self.report.kept} but the quiz holds {len(self.items)} items")
        return self
