"""How a head word grows into a whole name (:func:`grow`), and the marks that end one.

A name runs over its capitalised words and inner joiners ("Sở Khoa học và Công nghệ", "Ministry of Public
Security"), two halves joined by a dash ("Phòng Du lịch – Thể thao"), a collective noun paired after a comma
("các sở, ngành"), a few lowercase words after a lone head ("Tổ công tác"), adjectives before it in inflected
languages, and a level ("cấp tỉnh"); punctuation, a duty or request word, a conjunction or a verb ends it.
"""

from __future__ import annotations

import re

from assistant.facts import lexicon
from assistant.facts.lexicon import Word
from assistant.retrieval.text_norm import is_stop_word
from assistant.settings import FactSettings

BOUNDARY = re.compile(r"[,;:.!?()\[\]«»“”\"–—]")
_DASHES = ("-", "–", "—")


def request_phrases(language: str) -> tuple[tuple[str, ...], ...]:
    """Words after which the names listed bear the duty: request verbs and responsibility nouns."""
    return lexicon.phrases("request", language) + lexicon.phrases("duty_nouns", language)


def boundary(text: str, left: Word, right: Word) -> bool:
    """Punctuation between two words ends a name."""
    return bool(BOUNDARY.search(text[left.end : right.start]))


def _dash_joins(text: str, seq: list[Word], i: int, language: str) -> bool:
    """Within a capitalised name, a dash before a capitalised word ``i`` that starts no name of its own joins two
    halves of the name: "Phòng Du lịch – Thể thao"; not "Sở Du lịch – đơn vị đầu mối …", "Sở A – Sở B"."""
    if i == 0 or text[seq[i - 1].end : seq[i].start].strip() not in _DASHES:
        return False
    return seq[i].text[:1].isupper() and not starts_name(seq, i, language)


def _paired(text: str, seq: list[Word], i: int, language: str) -> int:
    """The length of a paired noun after a bare comma at word ``i`` ("các sở, ngành"), else 0."""
    if i == 0 or text[seq[i - 1].end : seq[i].start].strip() != "," or not seq[i].text[:1].islower():
        return 0
    return max((len(p) for p in lexicon.phrases("paired_nouns", language) if lexicon.match_at(seq, i, p, language)),
               default=0)  # fmt: skip


def starts_name(seq: list[Word], i: int, language: str) -> bool:
    """A head word at ``i``: "và Sở Nội vụ" starts a second name instead of continuing the first."""
    heads = lexicon.phrases("actor_heads", language) + lexicon.phrases("proper_heads", language)
    return any(lexicon.match_at(seq, i, p, language) for p in heads)


def is_abbreviation(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _shared_level(text: str, seq: list[Word], first: int, joiner: int, language: str) -> bool:
    """Two bodies under one head share the level after the second ("Văn phòng HĐND và UBND xã": the office of
    both): the name before the joiner is a head and one body's name without a level, the name after it is a
    body's name with its level right after, or both are abbreviations."""
    heads = lexicon.phrases("actor_heads", language)
    before = [p for p in heads if len(p) < joiner - first and lexicon.match_at(seq, joiner - len(p), p, language)]
    after = [len(p) for p in heads if lexicon.match_at(seq, joiner + 1, p, language)]
    if not (before and after):
        return False
    end = joiner + 1 + max(after)
    # Two abbreviations under one head name one body with or without a level ("Văn phòng HĐND và UBND").
    both = is_abbreviation(seq[joiner - 1].text) and is_abbreviation(seq[end - 1].text)
    return both or level_end(text, seq, end, language) > end


def level_end(text: str, seq: list[Word], end: int, language: str) -> int:
    """Where a name ends with the level right after it ("cấp tỉnh", "provincial"), if any."""
    if end < len(seq) and not boundary(text, seq[end - 1], seq[end]):
        for level in ("central", "province", "commune"):
            matched = [p for p in lexicon.level_phrases(level, language) if lexicon.match_at(seq, end, p, language)]
            if matched:
                return end + max(len(p) for p in matched)
    return end


def grow(
    text: str, seq: list[Word], first: int, last: int, language: str, settings: FactSettings
) -> tuple[int, int]:
    """Grow a head into the whole name: its capitalised words and inner joiners ("Sở Khoa học và
    Công nghệ", "Ministry of Public Security"), a few lowercase words after a lone head ("Tổ công
    tác", "ministries of…"), adjectives before it in inflected languages, and a level ("cấp tỉnh")."""
    joiners = {p[0] for p in lexicon.phrases("name_joiners", language) if len(p) == 1}
    requests = request_phrases(language)
    stops = (lexicon.phrases("obligation", language) + lexicon.phrases("conjunctions", language)
             + lexicon.phrases("role_verbs", language) + requests + lexicon.phrases("clause_starts", language))  # fmt: skip
    verbs = lexicon.endings(language, "infinitive_endings")
    end, capitalised, compound, closed = last, False, False, False
    while end < len(seq) and end - first < settings.actor_max_words:
        paired = _paired(text, seq, end, language)
        if paired:
            end, closed = end + paired, True  # "các sở, ngành": one name, then only a level may follow
            continue
        if capitalised and not closed and _dash_joins(text, seq, end, language):
            end, compound = end + 1, False  # "Phòng Du lịch – Thể thao": one name in two halves
            continue
        if boundary(text, seq[end - 1], seq[end]):
            break
        word = seq[end]
        next_capital = end + 1 < len(seq) and seq[end + 1].text[:1].isupper()
        if word.text[:1].isupper():
            end, capitalised, compound = end + 1, True, False
        elif word.key(language) in joiners and next_capital and (
            not starts_name(seq, end + 1, language) or _shared_level(text, seq, first, end, language)
        ):
            end += 1
        elif any(lexicon.match_at(seq, end, p, language) for p in stops) or (verbs and word.folded.endswith(verbs)):
            break  # a duty, request or role word, a conjunction, a clause or a verb ("… просит", "… подготовить")
        elif level_end(text, seq, end, language) > end:
            # A level ends the lowercase part of a name ("UBND tỉnh là …" stops at "tỉnh"); a proper name may follow.
            end, closed, compound = level_end(text, seq, end, language), True, True
        elif is_abbreviation(seq[end - 1].text) and not any(
            lexicon.match_at(seq, end, p, language) for p in lexicon.phrases("collective_heads", language)
        ):
            break  # an abbreviation is a whole name but for its level ("UBND xã", "UBND các xã"; not "UBND lập …")
        elif language == "vi" and capitalised and not compound:
            end, compound = end + 1, True  # a capitalised name's second syllable ("Tư pháp", "Công an")
        elif not capitalised and not closed and end - last < settings.actor_lower_words and (
            language in ("vi", "en") or not is_stop_word(word.text)
        ):  # an inflected name goes on in its own cases ("советам по туризму"), not over a preposition ("гідам за …")
            end += 1
        else:
            break
    end = level_end(text, seq, min(end, len(seq)), language)
    start = first
    suffixes = lexicon.endings(language)
    # A request's last word is no adjective of the name after it ("дал указание советам").
    near = max(0, first - 3)
    requested = {near + last - 1 for _, last in lexicon.find(seq[near:first], requests, language)}
    while start > 0 and suffixes and first - start < 2 and not boundary(text, seq[start - 1], seq[start]):
        before = seq[start - 1].folded
        if len(before) > 3 and before.endswith(suffixes) and start - 1 not in requested:
            start -= 1
        else:
            break
    return start, min(end, len(seq))
