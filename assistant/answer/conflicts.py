"""How a claim can say something else than the passage sentence closest to it, though the sentence holds its
words and figures: each function returns the reasons (:mod:`assistant.reasons`) the support check
(:mod:`assistant.answer.support`) turns the claim down for.

* :func:`year_conflicts`: one date with two years;
* :func:`row_conflicts`: a table row's value put in another column's place;
* :func:`swapped`: a range or a contrast turned round;
* :func:`label_conflicts`: another labelled part ("Nhóm 2" for "Nhóm 1", "Hạng B" for "Hạng A");
* :func:`other_actors`: another body of the kind the question asks about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.answer.signals import marks
from assistant.answer.text import labelled_numbers, terms
from assistant.ingest.tables import split_row
from assistant.language import ordered_pairs
from assistant.reasons import reason
from assistant.retrieval.dates import date_mentions
from assistant.retrieval.text_norm import fold, lexical_terms


def share(part: set[str], whole: set[str]) -> float:
    """The share of ``part`` that ``whole`` holds (0 for an empty part)."""
    return len(part & whole) / len(part) if part else 0.0


def year_conflicts(claim: str, sentence: str) -> list[str]:
    """A date the claim and the sentence both give, with different years ("31/3/2025" against "2026-03-31")."""
    there: dict[str, set[int]] = {}
    for mention in date_mentions(fold(sentence)):
        if mention.year is not None:
            there.setdefault(mention.key, set()).add(mention.year)
    return [
        reason("other_year", date=mention.key.removeprefix("date:"), years="/".join(map(str, sorted(there[mention.key]))))
        for mention in date_mentions(fold(claim))
        if mention.year is not None and mention.key in there and mention.year not in there[mention.key]
    ]


def row_conflicts(claim: str, row: str, is_body: Callable[[str], bool]) -> list[str]:
    """A table row's value put in another column's place: the claim speaks of a column (the words only
    its header has: "chủ trì"), lacks that column's value and holds another column's value that names a
    body (``is_body``: "Sở Du lịch chủ trì" against "Cơ quan chủ trì: Sở Văn hóa; Cơ quan phối hợp: Sở Du
    lịch"). A situation or a measure from another column ("Mở thêm cổng") is what the row says, not a rival."""
    fields = split_row(row)
    if len(fields) < 2:
        return []
    said = terms(claim)
    headers = [terms(h) for h, _ in fields]
    items = [[item for item in value.split("; ") if item[:1].isupper()] for _, value in fields]  # a cell may list several
    reasons = []
    for k, (header, value) in enumerate(fields):
        own = headers[k] - set().union(*(h for j, h in enumerate(headers) if j != k))
        if not own or not own <= said or not items[k] or any(terms(item) <= said for item in items[k]):
            continue
        rivals = [item for j in range(len(fields)) if j != k for item in items[j]
                  if terms(item) and terms(item) <= said and is_body(item)]  # fmt: skip
        reasons += [reason("row_column", value=value, header=header, rival=rival) for rival in rivals]
    return reasons


def swapped(claim: str, sentence: str, language: str, words: int) -> list[str]:
    """Ranges and contrasts whose two phrases the claim gives the other way round: "từ A đến B"
    against "từ B đến A", "A, а не B" against "B, а не A" (each phrase closer to the other one)."""
    reasons = []
    for kind, a, b in ordered_pairs(claim, language, words):
        ta, tb = terms(a), terms(b)
        for other_kind, sa, sb in ordered_pairs(sentence, language, words):
            sa_terms, sb_terms = terms(sa), terms(sb)
            if other_kind != kind or not (ta and tb and sa_terms and sb_terms):
                continue
            crossed = min(share(ta, sb_terms), share(tb, sa_terms))
            straight = max(share(ta, sa_terms), share(tb, sb_terms))
            if crossed >= 0.5 and crossed > straight:
                reasons.append(reason("turned_round", first=sa, second=sb))
    return reasons


def name_words(name: str) -> list[str]:
    """A name's words, folded, without function words ("Sở Văn hóa và Du lịch" → so, van, hoa, du, lich)."""
    return lexical_terms(name, use_phonetic=False)


def other_actors(asked: Sequence[str], named: Sequence[str], sentence: str) -> list[tuple[str, str]]:
    """Each body of ``asked`` that a sentence naming the bodies ``named`` is not about, with the body of its
    kind the sentence names instead: the sentence names none of the asked one's words after a shared head,
    but another of its kind ("Sở Du lịch" asked, "Sở Giao thông" named). A sentence holding the asked name,
    or one of its kind that shares a word after the head ("Ban Điều phối tỉnh", "Ban Điều phối dữ liệu
    tỉnh"), or a shorter or longer form of it, is about that body."""
    pairs = []
    there = f" {' '.join(name_words(sentence))} "
    for name in asked:
        words = name_words(name)
        if len(words) < 2 or f" {' '.join(words)} " in there:
            continue
        rivals, same = [], False
        for other in named:
            theirs = name_words(other)
            head = next((k for k, (a, b) in enumerate(zip(words, theirs)) if a != b), min(len(words), len(theirs)))
            if head == 0:
                continue  # another kind of body
            rest, their_rest = set(words[head:]), set(theirs[head:])
            if not rest or not their_rest or rest & their_rest:
                same = True
                break
            rivals.append(other)
        if rivals and not same:
            pairs.append((name, rivals[0]))
    return pairs


def label_conflicts(claim: str, sentence: str, near: Sequence[str]) -> list[str]:
    """Numbers the claim writes after a word where the sentence writes only others after that word ("Nhóm 2"
    against "Nhóm 1 …", "năm 2028" against "Trong năm 2027"), even when the claim's number occurs elsewhere
    in the sentence ("hai tuyến"). A claim giving two numbers after one word ("năm 2027 …, năm 2028 …") joins
    two facts and may take one from the ``near`` sentences, as for figures."""
    there: dict[str, set[int]] = {}
    for word, number in labelled_numbers(sentence):
        there.setdefault(fold(word), set()).add(number)
    said = list(dict.fromkeys(labelled_numbers(claim)))
    joined = {fold(word) for word, _ in said if sum(fold(w) == fold(word) for w, _ in said) > 1}
    nearby = {(fold(w), n) for text in near for w, n in labelled_numbers(text)} if joined else set()  # read on need
    conflicts = [
        reason("other_label", word=word, there="/".join(map(str, sorted(there[fold(word)]))), number=number)
        for word, number in said
        if fold(word) in there and number not in there[fold(word)]
        and not (fold(word) in joined and (fold(word), number) in nearby)
    ]
    # The same for parts marked by a letter or a Roman numeral ("Hạng B" against "Khu du lịch xếp Hạng A …").
    marked = marks(sentence)
    return conflicts + [
        reason("other_label", word=kind, there="/".join(sorted(marked[kind])), number=mark)
        for kind, named in marks(claim).items() if kind in marked for mark in sorted(named - marked[kind])
        if not named & marked[kind]
    ]
