"""Checks of a model's rewording of a quiz item: its stem (:func:`stem_problems`) and its explanation
(:func:`explanation_problems`), each failure a :class:`~assistant.quiz.items.DropReason` whose code the
:mod:`assistant.quiz.polish` docstring lists. Split from the polisher, which asks the model and keeps or
drops what these checks say."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from assistant.answer.text import keys_of
from assistant.facts.model import Fact
from assistant.language import detect_language, language_name
from assistant.quiz.distractors import key_of
from assistant.quiz.items import DropReason, QuizItem
from assistant.quiz.request import ItemSource
from assistant.quiz.values import KeyValue, read_values
from assistant.retrieval.text_norm import fold
from assistant.settings import QuizSettings

_WORD = re.compile(r"\w+")
# A token holding a slash, a backslash or an underscore: a file path or a date, no word of any language.
_PATHLIKE = re.compile(r"\S*[/\\_]\S*")
# A quoted span ("…", «…», “…”): a task's or a title's own words, whatever language the text around them is in.
_QUOTED = re.compile(r'"[^"]*"|«[^»]*»|“[^”]*”')
# A file path in brackets, as a template names a document in another language: not shown to the model.
PATH_IN_BRACKETS = re.compile(r"\s*\([^()\s]*[/\\][^()\s]*\)")


def drop_reason(code: str, message: str) -> DropReason:
    """A failed check: its code and a one-line message (at most 400 characters)."""
    return DropReason(code=code, message=" ".join(message.split())[:400] or code)


def near_forms(key: KeyValue) -> list[KeyValue]:
    """The key and the forms a stem may give it away in: a date without its year, a number with or without
    its percent sign."""
    if key.kind == "date":
        return [key, key.without_year()]
    if key.kind == "number":
        return [key, key.model_copy(update={"percent": not key.percent})]
    return [key]


def _runs(text: str, n: int) -> set[tuple[str, ...]]:
    words = _WORD.findall(fold(text))
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def leaks(stem: str, key: KeyValue, template_stem: str, name_run: int) -> bool:
    """Whether ``stem`` gives ``key`` away in a way the template's stem did not (see :func:`near_forms`; an
    actor also by ``name_run`` consecutive words of its name)."""
    if any(form.in_text(stem) and not form.in_text(template_stem) for form in near_forms(key)):
        return True
    if key.kind != "actor":
        return False
    name = _runs(key.actor or "", name_run)
    return bool((name & _runs(stem, name_run)) - _runs(template_stem, name_run))


def unbacked_figures(text: str, backing: Sequence[str]) -> list[str]:
    """The dates, numbers and years of ``text`` that no text of ``backing`` states: a figure changed or made
    up. Dates and numbers are compared as values, in any language ("30/6/2025" = "30. Juni 2025")."""
    found = [
        value.date or f"{value.number:g}{'%' if value.percent else ''}"
        for value in [*read_values(text, "date"), *read_values(text, "number")]
        if not any(value.in_text(other) for other in backing)
    ]
    years = {key for other in backing for key in keys_of(other) if key.startswith("year:")}
    years |= {f"year:{value.year}" for other in backing for value in read_values(other, "date") if value.year}
    found += [
        key.removeprefix("year:") for key in sorted(keys_of(text)) if key.startswith("year:") and key not in years
    ]
    return found


def stem_problems(
    stem: str, template: QuizItem, source: ItemSource, fact: Fact, backing: Sequence[str], blank: str,
    settings: QuizSettings, asks: Sequence[str] = (),
) -> list[DropReason]:  # fmt: skip
    """Why ``stem`` cannot replace the template's stem (the checks of a rewording, see the module docstring);
    ``backing``: the texts its figures may come from (the template's stem and the passage); ``asks``: the
    words a question for the key's kind says in the quiz language (``templates.yaml``: ``asks``)."""
    if not stem:
        return [drop_reason("llm.empty", "the reply has no question")]
    if fold(" ".join(stem.split())) == fold(" ".join(template.stem.split())):
        return [drop_reason("llm.unchanged", "the question is the draft, unchanged")]
    problems = []
    if len(stem) > settings.polish_max_chars:
        problems.append(drop_reason("llm.too_long", f"the question has {len(stem)} characters, more than "
                                f"{settings.polish_max_chars}"))  # fmt: skip
    problems += _language_problems(stem, template)
    problems += _key_problems(stem, template, source, fact, settings.polish_name_run)
    problems += _shape_problems(stem, template, blank)
    if asks and template.type != "truefalse" and blank not in stem and not says_any(stem, asks):
        problems.append(drop_reason("llm.asks_other", f"the question does not ask for a {source.key_kind} "
                                f"(it says none of: {', '.join(asks)})"))  # fmt: skip
    if source.mode == "row" and not names_task(stem, fact.text):
        problems.append(drop_reason("llm.subject_lost", "the question no longer names the list row's task"))
    return problems + _figure_problems(stem, template, backing)


def _language_problems(stem: str, template: QuizItem) -> list[DropReason]:
    language = language_of(stem)
    if language != template.language:
        return [drop_reason("llm.language", f"the question is in {language_name(language)}, not in "
                        f"{language_name(template.language)}")]  # fmt: skip
    foreign = sorted(scripts(stem) - scripts(template.stem))
    if foreign:
        return [drop_reason("llm.language", f"the question holds {', '.join(foreign).lower()} letters")]
    return []


def _key_problems(stem: str, template: QuizItem, source: ItemSource, fact: Fact, name_run: int) -> list[DropReason]:
    """A question must not give its key away; a statement must keep its value, and a false one must not state
    the true value."""
    true_key = key_of(fact)
    statement = template.type == "truefalse"
    problems = []
    if statement and source.key is not None and not source.key.in_text(stem):
        problems.append(drop_reason("llm.value_missing", "the statement no longer states the value it is judged on"))
    hides_key = not statement or template.truth is False  # a true statement states its key
    if hides_key and true_key is not None and leaks(stem, true_key, template.stem, name_run):
        what = "the false statement states the true value" if statement else "the question states the answer"
        problems.append(drop_reason("llm.key_in_stem", what))
    return problems


def _shape_problems(stem: str, template: QuizItem, blank: str) -> list[DropReason]:
    """A statement stays a statement; a question stays a question or a cloze; a fill-in-the-blank keeps its blank."""
    if template.type == "truefalse":
        if blank in stem or ("?" in stem and "?" not in template.stem):
            return [drop_reason("llm.not_statement", "a statement to judge true or false became a question or a cloze")]
        return []
    if template.type == "shortanswer" and blank in template.stem and blank not in stem:
        return [drop_reason("llm.no_blank", f"the fill-in-the-blank question lost the blank {blank}")]
    if "?" not in stem and blank not in stem:
        return [drop_reason("llm.not_question", "the question is neither a question nor a blank to fill")]
    return []


def _figure_problems(stem: str, template: QuizItem, backing: Sequence[str]) -> list[DropReason]:
    """No figure made up or changed, none of the template's dropped (its file path aside)."""
    problems = []
    added = unbacked_figures(stem, backing)
    if added:
        problems.append(drop_reason("llm.figures", f"the question states {', '.join(added)}, which the draft and the "
                                "passage do not"))  # fmt: skip
    dropped = unbacked_figures(PATH_IN_BRACKETS.sub("", template.stem), [stem])
    if dropped:
        problems.append(drop_reason("llm.figures", f"the question dropped the draft's {', '.join(dropped)}"))
    return problems


def says_any(text: str, phrases: Sequence[str]) -> bool:
    """Whether ``text`` holds one of ``phrases`` as words (case aside, accents kept)."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return any(re.search(rf"(?<!\w){re.escape(phrase.casefold())}(?!\w)", folded) for phrase in phrases)


def scripts(text: str) -> set[str]:
    """The writing systems of ``text``'s letters (LATIN, CYRILLIC, …), by their Unicode names."""
    return {unicodedata.name(ch, "?").split(" ")[0] for ch in text if ch.isalpha()}


def names_task(stem: str, task: str) -> bool:
    """Whether ``stem`` still names a list row's ``task``: its words in order, case, accents and quotes aside."""
    words = " ".join(_WORD.findall(fold(task)))
    return not words or f" {words} " in f" {' '.join(_WORD.findall(fold(stem)))} "


def explanation_problems(text: str, key: KeyValue | None, language: str, backing: Sequence[str],
                         settings: QuizSettings) -> list[DropReason]:  # fmt: skip
    """Why ``text`` cannot explain the item: empty, too long, in another language, not stating the (true)
    ``key``, or stating a figure that ``backing`` does not."""
    if not text:
        return [drop_reason("llm.explanation_empty", "the reply has no explanation")]
    problems = []
    if len(text) > settings.polish_max_chars:
        problems.append(drop_reason("llm.explanation_too_long", f"the explanation has {len(text)} characters"))
    if language_of(text) != language:
        problems.append(drop_reason("llm.explanation_language", f"the explanation is not in {language_name(language)}"))
    if key is not None and not key.in_text(text):
        problems.append(drop_reason("llm.explanation_no_key", "the explanation does not state the answer"))
    figures = unbacked_figures(text, backing)
    if figures:
        problems.append(drop_reason("llm.explanation_figures", f"the explanation states {', '.join(figures)}, which "
                                "the item does not"))  # fmt: skip
    return problems


def language_of(text: str) -> str:
    """The language of ``text`` judged on the words written around its quotes, file paths and dates (a path's
    letters made the detector call a Vietnamese stem English, and a quoted Vietnamese task title made it call
    an English sentence Vietnamese); the whole text when nothing else is left."""
    plain = _PATHLIKE.sub(" ", text)
    own = _QUOTED.sub(" ", plain)
    return detect_language(own if _WORD.search(own) else plain)


