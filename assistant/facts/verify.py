"""Is a fact what its quotes say? Its date, number and actor must occur in them.

Every quote (with the lead-in of the list it is an item of) must hold the fact's day and month (and its
year, when the quote states years; the month and year of a month, the quarter and year of a quarter, the
year of a year),
and its number; the actor, named verbatim in one language, must occur in at least one quote (or in
the lead-in of the list the quote is an item of).
A rendering (normalised wording from an LLM) is kept only when it holds the same date and
number, and the actor where the rendering's language is the actor's.
"""

from __future__ import annotations

from assistant.facts.model import Fact, is_month, is_quarter, is_year, quarter_of
from assistant.reasons import code_of, reason
from assistant.retrieval.dates import quarters
from assistant.retrieval.keys import extract_keys
from assistant.retrieval.text_norm import fold


def figure_problems(fact: Fact, text: str) -> list[str]:
    """What of the fact's date and number ``text`` does not state."""
    keys = extract_keys(text)
    problems = []
    if fact.date and is_quarter(fact.date):
        if quarter_of(fact.date) not in quarters(fold(text)):
            problems.append(reason("quarter_absent", date=fact.date))
    elif fact.date and is_year(fact.date):
        if f"year:{fact.date}" not in keys:
            problems.append(reason("year_absent", year=fact.date))
    elif fact.date and is_month(fact.date):
        if f"month:{fact.date[5:]}" not in keys or f"year:{fact.date[:4]}" not in keys:
            problems.append(reason("month_absent", date=fact.date))
    elif fact.date:
        month_day = fact.date[-5:]
        year = fact.date[:4] if not fact.date.startswith("--") else None
        if f"date:{month_day}" not in keys:
            problems.append(reason("date_absent", date=fact.date))
        elif year and any(k.startswith("year:") for k in keys) and f"year:{year}" not in keys:
            problems.append(reason("year_absent", year=year))
    if fact.value is not None:
        value = f"{fact.value:g}"
        if f"num:{value}" not in keys and f"num:{value}%" not in keys:
            problems.append(reason("fact_number_absent", value=value))
    return problems


def verify(fact: Fact) -> Fact:
    """The fact with ``verified`` and ``problems`` set from its evidence and renderings."""
    problems = []
    for evidence in fact.evidence:
        stated = f"{evidence.lead} {evidence.quote}" if evidence.lead else evidence.quote  # a list item's lead-in may date it
        problems += [reason("in_source", problem=p, source=evidence.source) for p in figure_problems(fact, stated)]
    if fact.actor and not any(fold(fact.actor) in fold(f"{e.lead or ''} {e.quote}") for e in fact.evidence):
        problems.append(reason("actor_not_quoted", actor=repr(fact.actor)))
    renderings = {}
    for language, text in fact.renderings.items():
        wrong = figure_problems(fact, text)
        if fact.actor and language == fact.language and fold(fact.actor) not in fold(text):
            wrong.append(reason("actor_missing"))
        if wrong:
            problems.append(reason("rendering_dropped", language=language, problems="; ".join(wrong)))
        else:
            renderings[language] = text
    if not fact.evidence:
        problems.append(reason("no_evidence"))
    return fact.model_copy(update={"verified": all(code_of(p) == "rendering_dropped" for p in problems),
                                   "problems": problems, "renderings": renderings})  # fmt: skip
