"""Who must act: names of bodies and office holders, and which of them a sentence gives a duty.

A name starts at a head word (``lexicon.yaml`` ``actor_heads``, or ``proper_heads`` written
with a capital) and grows over the words that continue it (:func:`~assistant.facts.names.grow`). Names listed
together ("A, B và C", "A, B та C") form a chain. The chain that bears a sentence's duty is
the one right after a request verb ("yêu cầu", "просит", "solicitou"), else the one that ends
at most ``duty_reach`` words before a duty word ("phải", "chủ trì", "must", "повинні").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.text import person_names
from assistant.facts import lexicon
from assistant.facts.lexicon import Word
from assistant.facts.names import BOUNDARY, boundary, grow, level_end, request_phrases
from assistant.retrieval.keys import code_spans
from assistant.settings import FactSettings

_SEPARATOR = re.compile(r"^[\s,;]*$")


@dataclass(frozen=True)
class Actor:
    name: str
    first: int  # first word
    last: int  # one past the last word
    start: int  # character offset in the sentence


def find_actors(
    text: str, language: str, settings: FactSettings, known: tuple[str, ...] = (), begin: int | None = None
) -> list[Actor]:
    """The names of bodies and office holders in ``text``, in text order (none inside a document code).
    ``known``: names the document defines (:func:`assistant.facts.abbreviations.defined_names`), found as
    they are written, with a level after them ("Trung tâm Dịch vụ du lịch cộng đồng cấp xã", "BĐP 05").
    ``begin``: where the sentence's own words start; a head of ``subject_heads`` ("cơ quan", "cấp xã": words
    that name a body only as a sentence's subject) counts there."""
    seq = lexicon.words(text)
    codes = code_spans(text.replace("Đ", "D").replace("đ", "d"))
    found: list[tuple[int, int]] = []
    heads = lexicon.phrases("actor_heads", language) + lexicon.phrases("collective_heads", language)
    for first, last in lexicon.find(seq, heads, language):
        found.append(grow(text, seq, first, last, language, settings))
    common = lexicon.phrases("not_names", language)
    for first, last in lexicon.find(seq, lexicon.phrases("proper_heads", language), language):
        if seq[first].text[:1].isupper() and not any(lexicon.match_at(seq, first, p, language) for p in common):
            found.append(grow(text, seq, first, last, language, settings))
    if begin is not None:
        found += _subject_head(text, seq, begin, language, settings)
        opener = _condition_end(text, seq, begin, language) if settings.clause_subject else None
        if opener is not None:  # "Khi …, cơ quan được giao …": the subject after a condition or time clause
            found += _subject_head(text, seq, opener, language, settings)
    names = tuple(tuple(w.key(language) for w in lexicon.words(name)) for name in known)
    for first, last in lexicon.find(seq, names, language):
        found.append((first, level_end(text, seq, last, language)))
    spans: list[tuple[int, int]] = []
    for first, last in sorted(found):
        if any(start <= seq[first].start < end for start, end in codes):
            continue  # "88/KH-UBND": part of a document number
        if spans and first < spans[-1][1]:  # overlapping: keep the longer
            if last > spans[-1][1]:
                spans[-1] = (spans[-1][0], last)
            continue
        spans.append((first, last))
    return [Actor(text[seq[a].start : seq[b - 1].end], a, b, seq[a].start) for a, b in spans]


def bearers(
    text: str, language: str, settings: FactSettings, actors: list[Actor] | None = None, begin: int | None = None
) -> list[Actor]:
    """The actors a sentence gives a duty (see the module docstring); empty when it gives none.
    ``actors``: the sentence's :func:`find_actors`, when the caller has them already. ``begin``: where the
    sentence's own words start (after a list item's mark), for its subject (:func:`_subject_duty`)."""
    seq = lexicon.words(text)
    actors = find_actors(text, language, settings) if actors is None else actors
    if not actors:
        return []
    chains = [c for c in _chains(text, seq, actors, language) if not _issuer(text, seq, c[0], language, settings)]
    if not chains:
        return []
    # A request word inside a longer word is no request ("bàn giao cho Trung tâm …" hands over, "giao" asks).
    inside = {i for first, last in lexicon.find(seq, lexicon.phrases("not_requests", language), language)
              for i in range(first, last)}  # fmt: skip
    for request_start, request_end in lexicon.find(seq, request_phrases(language), language):
        if request_start in inside:
            continue
        for chain in chains:
            if 0 <= chain[0].first - request_end <= settings.request_reach:
                return chain
    duties = lexicon.find(seq, lexicon.phrases("obligation", language), language)
    if begin is not None and settings.subject_duty:
        plain = language in settings.plain_verb_duty
        opener = after_opening_clause(text, begin) if settings.clause_subject else None
        # The names after the opening clause; a list that runs over its comma is cut there when the sentence
        # opens with a condition or time ("Khi bàn giao … cho Trung tâm Lưu trữ, UBND xã và …"), not in "giúp lãnh đạo, hướng dẫn viên …".
        cut = _condition_end(text, seq, begin, language) is not None
        after = [chain[i:] for chain in chains for i, actor in enumerate(chain)
                 if opener is not None and actor.start == opener and (i == 0 or cut)]
        first, start = (after[0], opener) if after and chains[0][0].start > begin else (chains[0], begin)
        subject = _subject_duty(text, seq, first, duties, language, start, plain)
        if subject is not None:
            return subject
    if settings.agent_duty:
        agent = _agent(text, seq, chains, language)
        if agent:
            return agent
    for duty_start, _ in duties:
        for chain in chains:
            # A duty word in brackets after a name is a note ("Sở Du lịch (để báo cáo)" in a list of recipients).
            if 0 <= duty_start - chain[-1].last <= settings.duty_reach and "(" not in text[
                seq[chain[-1].last - 1].end : seq[duty_start].start
            ]:
                return chain
    return []


def after_opening_clause(text: str, begin: int) -> int | None:
    """Where a sentence's words go on after an opening clause set off by its first comma ("Khi …, ", "Mỗi
    tháng, ", "If …, "): the subject may stand there. None when no comma follows the opening words."""
    comma = text.find(",", begin)
    if comma < 0 or BOUNDARY.search(text[begin:comma]):
        return None
    rest = text[comma + 1 :]
    return comma + 1 + len(rest) - len(rest.lstrip())


def _condition_end(text: str, seq: list[Word], begin: int, language: str) -> int | None:
    """Where the subject may stand after a condition or time clause (``lexicon.yaml`` ``opening_clauses``:
    "Khi …, ", "Nếu …, ", "If …, "); None when the sentence does not open with one."""
    first = _word_at(seq, begin)
    if not any(lexicon.match_at(seq, first, p, language) for p in lexicon.phrases("opening_clauses", language)):
        return None
    return after_opening_clause(text, begin)


def _agent(text: str, seq: list[Word], chains: list[list[Actor]], language: str) -> list[Actor]:
    """The names a passive gives as who acts: right after an agent mark (``agent_marks``: "do", "được") and
    followed by their verb ("Báo cáo phải được Giám đốc Sở Du lịch ký", "01 hướng dẫn viên do Ban Điều
    phối phân công"). Empty when there is none."""
    marks = lexicon.phrases("agent_marks", language)
    for chain in chains:
        first, after = chain[0].first, chain[-1].last
        marked = any(len(p) <= first and lexicon.match_at(seq, first - len(p), p, language) for p in marks)
        if marked and after < len(seq) and not boundary(text, seq[after - 1], seq[after]):
            return chain
    return []


def _issuer(text: str, seq: list[Word], actor: Actor, language: str, settings: FactSettings) -> bool:
    """A body named just after a document's code, after a word that gives the issuer (``issuer_marks``), is
    who issued that document ("Kế hoạch số 88/KH-UBND ngày 03/5/2027 của UBND tỉnh về …"), not who must act
    ("Kế hoạch 88/KH-UBND yêu cầu các sở …" asks the departments)."""
    if actor.first == 0 or not any(lexicon.match_at(seq, actor.first - len(p), p, language)
                                   for p in lexicon.phrases("issuer_marks", language) if len(p) <= actor.first):
        return False
    ends = [end for _, end in code_spans(text.replace("Đ", "D").replace("đ", "d")) if end <= actor.start]
    return any(sum(1 for w in seq if end <= w.start < actor.start) <= settings.issuer_words for end in ends)


def _subject_duty(
    text: str, seq: list[Word], chain: list[Actor], duties: list[tuple[int, int]], language: str, begin: int,
    plain: bool,
) -> list[Actor] | None:
    """The names a sentence starts with, when it gives them a duty: a subject is who acts, and a name after
    the verb is its object ("Chủ tịch UBND xã quyết định thành lập Ban Điều phối …, hoàn thành trước …"
    gives the duty to the chair, not to the board). With ``plain`` (a language whose verbs do not mark
    tense, ``FactSettings.plain_verb_duty``), instructions are written as plain statements ("Sở Du lịch tổng
    hợp …, gửi … trước ngày …"), so the verb right after the subject is its duty unless it describes
    (``lexicon.yaml`` ``not_duty``: "gồm", "có", "được"). A subject followed by a mark of the past
    (``past_marks``: "đã", "vừa") reports what was done: the sentence gives no duty at all (an empty list).
    A name and a colon followed by its duties on the same line ("Sở Du lịch: chủ trì …") is a subject too.
    None when the sentence does not start with a name followed by its verb (a lead-in, "Sở Du lịch:",
    whose items are read as its duties): the other rules decide."""
    if chain[0].start > begin or chain[-1].last >= len(seq):
        return None
    after = chain[-1].last
    gap = text[seq[after - 1].end : seq[after].start]
    if gap.strip() == ":" and seq[after].text[:1].islower():
        return chain  # "Sở Du lịch: chủ trì …; phối hợp …": the name, then its duties on the same line
    if boundary(text, seq[after - 1], seq[after]):
        return None
    if any(start == after for start, _ in duties):
        return chain
    if any(lexicon.match_at(seq, after, p, language) for p in lexicon.phrases("past_marks", language)):
        return []
    if any(start > after for start, _ in duties):
        return chain
    if plain and not any(lexicon.match_at(seq, after, p, language) for p in lexicon.phrases("not_duty", language)):
        return chain
    return None


def role_holders(text: str, language: str, settings: FactSettings, actors: list[Actor]) -> list[Actor]:
    """Who is given a role ("… làm Tổ trưởng", "… serves as chair"): for each role verb followed by a role,
    the actor ending at most ``duty_reach`` words before it, with the person named just before it
    ("bà Đặng Thị Kim Oanh, Phó Chủ tịch UBND tỉnh, làm Tổ trưởng" gives the person and the title)."""
    seq = lexicon.words(text)
    roles = lexicon.phrases("roles", language)
    people = [(m.start(), m.end()) for name in person_names(text) for m in re.finditer(re.escape(name), text)]
    holders: list[Actor] = []
    for verb_start, verb_end in lexicon.find(seq, lexicon.phrases("role_verbs", language), language):
        if not any(lexicon.match_at(seq, verb_end, role, language) for role in roles):
            continue
        before = [a for a in actors if 0 <= verb_start - a.last <= settings.duty_reach]
        if not before:
            continue
        actor = before[-1]
        person = next((start for start, end in people if 0 <= actor.start - end <= 2), None)  # "X, Chủ tịch …"
        if person is not None:
            first = next(i for i, w in enumerate(seq) if w.start >= person)
            actor = Actor(text[person : seq[actor.last - 1].end], first, actor.last, person)
        if actor not in holders:
            holders.append(actor)
    return holders


def _chains(text: str, seq: list[Word], actors: list[Actor], language: str) -> list[list[Actor]]:
    """Actors listed together: only commas, semicolons, conjunctions and articles between them."""
    conjunctions = {p[0] for p in lexicon.phrases("conjunctions", language) + lexicon.phrases("determiners", language)
                    if len(p) == 1}  # fmt: skip
    chains: list[list[Actor]] = []
    for actor in actors:
        if chains:
            between = seq[chains[-1][-1].last : actor.first]
            gap = text[seq[chains[-1][-1].last - 1].end : actor.start]
            if all(w.key(language) in conjunctions for w in between) and _SEPARATOR.match(_strip_words(gap, between)):
                chains[-1].append(actor)
                continue
        chains.append([actor])
    return chains


def _strip_words(gap: str, between: list[Word]) -> str:
    for word in between:
        gap = gap.replace(word.text, " ", 1)
    return gap


def _word_at(seq: list[Word], begin: int) -> int:
    """The index of the first word at or after character ``begin`` (``len(seq)`` when none is)."""
    return next((i for i, w in enumerate(seq) if w.start >= begin), len(seq))


def _subject_head(text: str, seq: list[Word], begin: int, language: str, settings: FactSettings) -> list[tuple[int, int]]:
    """The name a ``subject_heads`` word starts at the sentence's first word (at ``begin``), if one does. A level
    names the body itself ("Cấp xã không thu phí …"): nothing after it is its name."""
    first = _word_at(seq, begin)
    if first == len(seq):
        return []
    lengths = [len(p) for p in lexicon.phrases("subject_heads", language) if lexicon.match_at(seq, first, p, language)]
    if not lengths:
        # A head followed by lowercase words ("đơn vị quản lý …", "công chức được giao …") names its subject up
        # to a modal duty ("Đơn vị quản lý điểm du lịch phải …"), as a subject head does; without one, or
        # before a capitalised name ("Chủ tịch UBND xã …"), the head's own rules name it.
        heads = lexicon.phrases("actor_heads", language) + lexicon.phrases("collective_heads", language)
        lengths = [len(p) for p in heads if lexicon.match_at(seq, first, p, language)]
        last = first + max(lengths, default=0)
        if not lengths or last >= len(seq) or not seq[last].text[:1].islower():
            return []
        modal = _up_to_modal(text, seq, first, last, language, settings, extend=False)
        return [modal] if modal else []
    last = first + max(lengths)
    if level_end(text, seq, first, language) == last:
        return [(first, last)]
    return [_up_to_modal(text, seq, first, last, language, settings)]


def _up_to_modal(
    text: str, seq: list[Word], first: int, last: int, language: str, settings: FactSettings, extend: bool = True
) -> tuple[int, int] | None:
    """A subject's name that a modal duty ends (``lexicon.yaml`` ``modal_duties``: "Cơ quan được giao cấp phép
    lưu trú có trách nhiệm …": the name runs over its verbs up to "có trách nhiệm"), within
    ``actor_max_words`` and without punctuation; otherwise the name as :func:`~assistant.facts.names.grow` grows it (None
    without ``extend``)."""
    modals = lexicon.phrases("modal_duties", language)
    for end in range(last, min(len(seq), first + settings.actor_max_words + 1)):
        if boundary(text, seq[end - 1], seq[end]):
            break
        if any(lexicon.match_at(seq, end, p, language) for p in modals):
            return first, end
    return grow(text, seq, first, last, language, settings) if extend else None


