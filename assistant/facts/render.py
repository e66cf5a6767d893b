"""Normalised wording of facts in other languages, written by the language model and kept only when checked.

A fact's text is its source sentence (or a list row's task) in the source language. For each
language asked (Vietnamese and English by default) that the fact is not already stated in, the
model is asked for one short sentence saying who must act, what, and by when or how much
(``prompts/fact_render.txt``). The rendering is kept only when

- the model wrote something, did not decline, did not repeat the source sentence, and wrote it
  in the language asked (the actor's name aside);
- it carries every code, date, number and person's name of the statement and adds none
  (:func:`~assistant.answer.renderings.figure_mismatches`);
- it names the actor as the source does (a translation may follow in brackets): an agency's
  name in another language cannot be checked, so it is copied;
- :func:`~assistant.facts.verify.verify` keeps it (the fact's own date and number).

A dropped rendering is recorded with its reasons, on the fact (``problems``, worded as
:func:`verify` words them) and in the :class:`RenderReport`. The model is reached through
:class:`~assistant.answer.renderings.SourceRenderer` (its SQLite cache and local-model lock). With
no model, or one that fails, the facts stay as they are and the report's note says why. Stored
renderings are re-applied without a model when a document's facts are extracted again
(:func:`apply_renderings`, called by :func:`assistant.facts.store.update_facts`).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant.facts.model import Fact, is_month, is_quarter, is_year, quarter_of
from assistant.facts.verify import figure_problems, verify
from assistant.reasons import parse, reason
from assistant.retrieval.text_norm import fold

if TYPE_CHECKING:
    from assistant.answer.renderings import SourceRenderer

Progress = Callable[[int, int, str], None]
LANGUAGES: tuple[str, ...] = ("vi", "en")
NOT_STATED = "—"  # in the prompt: the fact names no actor, or states no date or number
NO_MODEL_NOTE = "no language model is configured (setting `llm`, e.g. ASSISTANT_LLM=local): facts left as they are"


class Dropped(BaseModel):
    """A rendering the checks turned down, and why."""

    fact_id: str
    language: str
    text: str = Field(description="What the model wrote (empty when it wrote nothing).")
    reasons: list[tuple[str, str]] = Field(
        description="(check, detail) pairs; checks: empty, declined, language, copied, figures, actor, verify."
    )


class RenderReport(BaseModel):
    """What :func:`render_facts` did: the facts (rendered ones updated), counts and drops."""

    facts: list[Fact] = Field(default_factory=list)
    asked: int = Field(0, description="Renderings asked of the model.")
    kept: int = Field(0, description="Renderings that passed every check.")
    dropped: list[Dropped] = Field(default_factory=list)
    note: str = Field("", description="Why nothing (or not everything) was rendered: no model, model unavailable.")
    seconds: float = Field(0.0, description="Time spent waiting for the model.")

    def reason_counts(self) -> dict[str, int]:
        """Dropped renderings per failed check (a rendering failing two checks counts under both)."""
        return dict(Counter(check for d in self.dropped for check in dict.fromkeys(c for c, _ in d.reasons)))


def _date_text(date: str) -> str:
    """An ISO date as written for the model and the checks: 30/06/2025, 30/06 without a year, 09/2025 for
    a month, Q3/2025 for a quarter, 2025 for a year."""
    if is_year(date):
        return date
    if is_month(date):
        return f"{date[5:]}/{date[:4]}"
    if is_quarter(date):
        return "Q{}/{}".format(*quarter_of(date))
    day_month = f"{date[-2:]}/{date[-5:-3]}"
    return day_month if date.startswith("--") else f"{day_month}/{date[:4]}"


def _missing_figures(fact: Fact) -> list[str]:
    """The fact's actor, date and number that its text does not state (a list row's task states
    neither its lead agency nor its deadline: they are other columns)."""
    missing = []
    if fact.actor and fold(fact.actor) not in fold(fact.text):
        missing.append(fact.actor)
    if fact.date and figure_problems(fact.model_copy(update={"value": None}), fact.text):
        missing.append(_date_text(fact.date))
    if fact.value is not None and figure_problems(fact.model_copy(update={"date": None}), fact.text):
        missing.append(f"{fact.value:g}" + ("%" if fact.unit == "%" else ""))
    return missing


def statement(fact: Fact) -> str:
    """What a rendering states and is checked against: the fact's text, followed in brackets by its
    actor, date and number where the text does not state them."""
    missing = _missing_figures(fact)
    return f"{fact.text} ({'; '.join(missing)})" if missing else fact.text


def prompt_fields(fact: Fact) -> tuple[str, str]:
    """The actor and the date and number a rendering must copy unchanged, as the prompt lists them;
    :data:`NOT_STATED` for none (the prompt says what it means)."""
    figures = [_date_text(fact.date) if fact.date else ""]
    if fact.value is not None:
        figures.append(f"{fact.value:g}" + ("%" if fact.unit == "%" else ""))
    return fact.actor or NOT_STATED, "; ".join(f for f in figures if f) or NOT_STATED


def _copies(source: str, rendering: str) -> bool:
    """True when most of ``rendering`` is ``source`` word for word (a list row's short task named
    inside a translated sentence is not a copy)."""
    source, rendering = " ".join(fold(source).split()), " ".join(fold(rendering).split())
    return source in rendering and 2 * len(source) > len(rendering)


def rendering_problems(fact: Fact, language: str, text: str) -> list[tuple[str, str]]:
    """Why ``text`` is not a faithful rendering of ``fact`` in ``language``: (check, detail) pairs, none when it is."""
    from assistant.answer.refusal import is_refusal_output
    from assistant.answer.renderings import figure_mismatches
    from assistant.language import written_in

    if not text:
        return [("empty", reason("empty_reply"))]
    if is_refusal_output(text):
        return [("declined", reason("declined"))]
    # The actor is copied in its source language, so it is left out when judging the rendering's language.
    rest = re.sub(re.escape(fact.actor), " ", text, flags=re.IGNORECASE) if fact.actor else text
    problems = [] if written_in(rest, language) else [("language", reason("wrong_language", language=language))]
    if language != fact.language and _copies(fact.text, text):
        problems.append(("copied", reason("copied")))  # the language test misses some languages
    problems += [("figures", m) for m in figure_mismatches(statement(fact), text)]
    if fact.actor and fold(fact.actor) not in fold(text):
        problems.append(("actor", reason("actor_left_out", actor=repr(fact.actor))))
    checked = verify(fact.model_copy(update={"renderings": {language: text}}))
    if language not in checked.renderings:
        problems += [("verify", parsed[1]["problems"]) for parsed in map(parse, checked.problems)
                     if parsed and parsed[0] == "rendering_dropped" and parsed[1]["language"] == language]  # fmt: skip
    return problems


def _dropped_line(drop: Dropped) -> str:
    return reason("rendering_dropped", language=drop.language, problems="; ".join(detail for _, detail in drop.reasons))


def _with(fact: Fact, kept: dict[str, str], drops: Sequence[Dropped]) -> Fact:
    """``fact`` with the ``kept`` renderings added (checked again by verify) and the drops among its problems."""
    if kept:
        fact = verify(fact.model_copy(update={"renderings": {**fact.renderings, **kept}}))
    if drops:
        fact = fact.model_copy(update={"problems": [*fact.problems, *(_dropped_line(d) for d in drops)]})
    return fact


def apply_renderings(fact: Fact, renderings: dict[str, str]) -> Fact:
    """``fact`` with those of ``renderings`` (stored for a fact of the same text) that pass every check
    for it; no model is asked."""
    kept = {lang: text for lang, text in renderings.items()
            if lang not in fact.renderings and not rendering_problems(fact, lang, text)}  # fmt: skip
    return _with(fact, kept, ())


def wanted_languages(fact: Fact, languages: Sequence[str]) -> list[str]:
    """The languages of ``languages`` a verified fact still needs a rendering in: not its own, not one
    a quote of it is written in (the glance view shows that quote), not one it has a rendering in."""
    if not fact.verified:
        return []
    stated = {fact.language, *(e.language for e in fact.evidence)}
    return [lang for lang in dict.fromkeys(languages) if lang not in stated and lang not in fact.renderings]


def render_facts(
    facts: Sequence[Fact],
    renderer: SourceRenderer,
    languages: Sequence[str] = LANGUAGES,
    progress: Progress | None = None,
) -> RenderReport:
    """Ask ``renderer``'s model for each verified fact's wording in each of ``languages`` it needs
    (:func:`wanted_languages`), keep the renderings that pass :func:`rendering_problems`, and record
    the others. No model: the facts unchanged and a note. The model failing: what was rendered so
    far, and a note; never an exception."""
    from assistant.language import language_name

    report = RenderReport(facts=list(facts))
    todo = [(i, lang) for i, fact in enumerate(facts) for lang in wanted_languages(fact, languages)]
    if not todo:
        return report
    if renderer.llm is None:
        report.note = NO_MODEL_NOTE
        return report
    kept: dict[int, dict[str, str]] = {}
    drops: dict[int, list[Dropped]] = {}
    for n, (i, lang) in enumerate(todo, start=1):
        fact = facts[i]
        started = time.perf_counter()
        actor, figures = prompt_fields(fact)
        prompt = renderer.prompts.render_fact(statement(fact), actor, figures, language_name(lang))
        text, note = renderer.reply(prompt)
        report.seconds += time.perf_counter() - started
        if note:
            report.note = f"{note}: {report.asked} rendering(s) asked before it failed, the rest not asked"
            break
        report.asked += 1
        problems = rendering_problems(fact, lang, text)
        if problems:
            drops.setdefault(i, []).append(Dropped(fact_id=fact.id, language=lang, text=text, reasons=problems))
        else:
            kept.setdefault(i, {})[lang] = text
        if progress:
            progress(n, len(todo), "rendering facts")
    report.kept = sum(len(k) for k in kept.values())
    report.dropped = [d for i in sorted(drops) for d in drops[i]]
    report.facts = [_with(f, kept.get(i, {}), drops.get(i, ())) for i, f in enumerate(facts)]
    return report
