"""Names a document defines with an abbreviation: "Trung tâm Dịch vụ du lịch cộng đồng (TTDVDL)",
"Ban Điều phối du lịch cộng đồng (BĐP 05)", or a list of abbreviations ("– TTDVDL: Trung tâm Dịch vụ du
lịch cộng đồng").

Official documents capitalise only a name's first words ("Trung tâm Dịch vụ du lịch cộng đồng"), so a
name found from its head word stops at the first lowercase word ("Trung tâm Dịch vụ"), and an abbreviation
("BĐP 05") has no head word at all. A definition says where the name ends: the words whose initials
spell the abbreviation (the phrase may go on a few words past them: "Ban Điều phối du lịch cộng đồng"
for BĐP). Only a defined name that starts as a body's name does (:func:`assistant.facts.actors.find_actors`
finds one at its first word) is kept, with its abbreviation: "HTQLLT: Hệ thống quản lý lưu trú" names a
system, not someone who acts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.facts import lexicon
from assistant.facts.actors import find_actors
from assistant.retrieval.text_norm import fold
from assistant.settings import FactSettings

# An abbreviation: two or more capitals (Đ too), optionally a number ("BĐP 05", "BCĐ 389") or one lowercase word,
# a level ("BĐP tỉnh"); only the capitals are initials.
_ABBREVIATION = r"[A-ZĐ][A-ZĐ&]{1,11}(?:[ -]\d{1,4}|\s[^\W\d_A-ZĐ]+)?"
# "<phrase> (ABBR)" and, at a line's start, "ABBR: <phrase>" or "ABBR – <phrase>".
# The bracket may say so in words first ("(sau đây viết tắt là BĐP)", "(hereinafter CTB)"); the initials check decides.
_IN_BRACKETS = re.compile(rf"\((?:[^()\n]{{0,40}}\s)?({_ABBREVIATION})\)")
_LISTED = re.compile(rf"^[\s\-–—•+*]*({_ABBREVIATION})\s*[:–—]\s*([^\n;.(),]+)", re.MULTILINE)


def _letters(abbreviation: str) -> str:
    return fold("".join(ch for ch in abbreviation if ch.isupper()))


def _spelled(words: list[lexicon.Word], letters: str) -> bool:
    return len(words) >= len(letters) and all(w.folded[:1] == ch for w, ch in zip(words, letters, strict=False))


def defined_names(texts: Iterable[str], language: str, settings: FactSettings) -> tuple[str, ...]:
    """The bodies' names the texts (one document's) define with an abbreviation, and those abbreviations,
    longest first (a longer name is matched before a name inside it)."""
    names: set[str] = set()
    extra = settings.abbreviation_extra_words
    for text in texts:
        found: list[tuple[str, str]] = []
        for match in _IN_BRACKETS.finditer(text):
            before = lexicon.words(text[max(0, match.start() - 200) : match.start()].split("\n")[-1])
            letters = _letters(match.group(1))
            # The phrase starts where its words' initials spell the abbreviation, at most `extra` words before the bracket.
            for start in range(max(0, len(before) - len(letters) - extra), len(before) - len(letters) + 1):
                if _spelled(before[start:], letters):
                    found.append((match.group(1), " ".join(w.text for w in before[start:])))
                    break
        for match in _LISTED.finditer(text):
            after = lexicon.words(match.group(2))
            letters = _letters(match.group(1))
            if _spelled(after, letters):
                found.append((match.group(1), " ".join(w.text for w in after[: len(letters) + extra])))
        for abbreviation, phrase in found:
            actors = find_actors(phrase, language, settings)
            if actors and actors[0].first == 0:
                names.update((abbreviation, phrase))
    return tuple(sorted(names, key=len, reverse=True))
