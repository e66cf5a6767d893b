"""Sentences that match a question's words yet cannot answer it, and why (the extractive scorer's set-asides).

* :func:`wrong_rows`: a table row about another item of its list ("Đăng ký xe ô tô" for "đăng ký xe máy",
  :mod:`assistant.answer.list_items`), or one whose values hold none of the question's words and keys;
* :func:`other_quarter`: a sentence dated by another quarter than the one the question asks;
* :func:`other_year`: a figure dated by another year than the one the question asks it for;
* :func:`other_label`: a sentence naming other parts of the kind the question names ("Hạng A" for "hạng B").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.answer.list_items import other_items
from assistant.answer.signals import labels
from assistant.answer.text import keys_of
from assistant.ingest.tables import split_row
from assistant.language import detect_language
from assistant.retrieval.text_norm import lexical_terms
from assistant.settings import ScoringSettings
from assistant.types import Context


def other_quarter(q_keys: set[str], units: set[str]) -> str | None:
    """Why a sentence dated by other quarters than the one asked ("trong quý II/2027?" against "Thời hạn:
    Quý III/2027") does not answer; None when the question names no quarter with its year, or the
    sentence gives none, or gives the one asked (a date or month in it gives its quarter)."""
    asked = {k for k in q_keys if k.startswith("quarter:") and "-" in k}
    return _dated_otherwise(asked, {u[2:] for u in units if u.startswith("k:quarter:") and "-" in u})


# Answer kinds that are a figure (:mod:`assistant.answer.answer_types`): a figure is set for a time.
FIGURES = frozenset({"money", "percent", "count"})


def other_year(q_keys: set[str], units: set[str], wanted: Sequence[str]) -> str | None:
    """Why a sentence (with its lead-in) dated only by other years does not give the figure the question asks
    for a year ("Năm 2028 bao nhiêu phần trăm khách mua vé điện tử?" against "Đến ngày 31/10/2027: 65% khách …");
    None when the question asks no figure, names no year, or the sentence names no year or the one asked."""
    if not FIGURES & set(wanted):
        return None
    asked = {k.removeprefix("year:") for k in q_keys if k.startswith("year:")}
    return _dated_otherwise(asked, {u.removeprefix("k:year:") for u in units if u.startswith("k:year:")})


def _dated_otherwise(asked: set[str], held: set[str]) -> str | None:
    """Why a sentence dated by ``held`` (quarters, years) and by none of ``asked`` does not answer; None when
    either is empty or they meet."""
    if asked and held and not asked & held:
        return f"dated {', '.join(sorted(held))}, not {', '.join(sorted(asked))}"
    return None


def other_label(asked: Mapping[str, set[str]], sentence: str) -> str | None:
    """Why a sentence that names only other parts of a kind the question names does not answer it: "Khu du
    lịch xếp Hạng A …" for "Khu du lịch hạng B được thưởng gì?", "Giai đoạn 1 – …" for "giai đoạn 2". None when it names
    the part asked, or no part of that kind (it may answer in other words). Parts are labelled by a letter,
    a Roman numeral or a small number after the word that names their kind; ``asked`` is the question's
    (:func:`~assistant.answer.signals.labels`), read within one language (the caller's)."""
    held = labels(sentence)
    for kind, named in asked.items():
        if held.get(kind) and not named & held[kind]:
            return f"names {kind} {', '.join(sorted(held[kind]))}, not {', '.join(sorted(named))}"
    return None


def wrong_rows(
    question: str, contexts: list[Context], language: str, q_keys: set[str], scoring: ScoringSettings,
    wordings: Sequence[str] = (),
) -> dict[int, str]:
    """Why each table row is not the row asked about: it names a sibling item ("Đăng ký xe ô tô" for
    "đăng ký xe máy", :mod:`assistant.answer.list_items`), or its values hold none of the question's
    words and keys (only its column names match, and every row has those).

    Rows are read against the question's wordings in their own language: the question itself, and its
    translations (``wordings``) for rows in another language. A row is set aside only when every such
    wording sets it aside (a rough translation may name the item otherwise)."""
    rows_by_language: dict[str, dict[int, Context]] = {}
    for i, c in enumerate(contexts):
        if c.row is not None and split_row(c.text):  # a list's title or group row has no columns to read
            rows_by_language.setdefault(c.language, {})[i] = c
    wrong: dict[int, str] = {}
    for row_language, rows in rows_by_language.items():
        texts = [question] if row_language == language else []
        texts += [w for w in wordings if w.strip() and w != question and detect_language(w) == row_language]
        verdicts = [_rows_not_asked(text, rows, q_keys, scoring) for text in texts]
        for i in rows:
            if verdicts and all(i in v for v in verdicts):
                wrong[i] = verdicts[0][i]
    return wrong


def _rows_not_asked(text: str, rows: dict[int, Context], q_keys: set[str], scoring: ScoringSettings) -> dict[int, str]:
    """:func:`wrong_rows` for one wording in the rows' language."""
    found = other_items(text, {i: c.text for i, c in rows.items()}, scoring.item_shared_words)
    wrong = {i: f"names another list item: {why}" for i, why in found.items()}
    # Words as written (folded, not sound keys: within one language "thủ" is no "Tư").
    asked = {t for t in lexical_terms(text, use_phonetic=False) if not t.isdigit()}
    for i, c in rows.items():
        values = {t for _, value in split_row(c.text) for t in lexical_terms(value, use_phonetic=False)}
        if i not in wrong and not values & asked and not keys_of(c.text) & q_keys:
            wrong[i] = "the row holds none of the question's words beyond its column names"
    return wrong
