"""A Vietnamese question turned into the answer sentence with a blank: the model fills it in.

Asked "Từ ngày 1/7/2025, bao nhiêu tỉnh … vận hành mô hình hai cấp?", the 1.5B model
often copies the question back ("… bao nhiêu tỉnh … hai cấp? [3]") even when asked a second
time. Given the same words as a statement with a blank ("Từ ngày 1/7/2025, ___ tỉnh … hai
cấp.") it fills in "34" and the answer stays in Vietnamese, because all the words around the
figure are already written. Measured on evals/dev.jsonl: see docs/answers.md.

Vietnamese keeps the order of a statement in a question (the question word stands where the
answer goes, with no inversion), so replacing the question word with a blank is the whole
transformation. English, German or Russian questions would need their word order undone, so
they get no cloze. Yes/no questions get none either: the blank there is "có" or "không",
and the model fills in "Có" whatever the passages say (vi-036). Nor do "how" questions (below).
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.answer.answer_types import is_yes_no
from assistant.answer.citations import strip_markers

BLANK = "___"
_TOKEN = re.compile(r"\S+")

# "How" questions ("xử lý như thế nào?") ask for a procedure, not for a slot: on the dev set the
# model filled "như sau: ___" with a pasted Portuguese sentence both times (vi-033, vi-034), so
# they get no cloze.
_HOW = re.compile(r"\bthế\s+nào\b", re.IGNORECASE)
# Question words and what takes their place, in order: longer forms first ("khi nào" before "nào").
_QUESTION_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"\b(?:khi\s+nào|bao\s+giờ|bao\s+nhiêu)\b", BLANK),
        (r"\b(?:nào|gì|ai|đâu)\b", BLANK),
    )
)


def cloze_sentence(question: str, language: str) -> str | None:
    """The statement ``question`` asks for, with :data:`BLANK` where each question word stood,
    or None (not Vietnamese, a yes/no or "how" question, or no question word found)."""
    if language != "vi" or is_yes_no(question) or _HOW.search(question):
        return None
    statement = question.strip().rstrip("?").strip()
    cloze = statement
    for pattern, replacement in _QUESTION_WORDS:
        cloze = pattern.sub(replacement, cloze)
    return f"{cloze}." if cloze != statement else None


def fills_blanks(reply: str) -> bool:
    """False when the model left a blank in its reply (it found nothing to put there); a blank
    copied with fewer underscores ("__") counts too."""
    return "__" not in reply


def filled_in(cloze: str, reply: str) -> str:
    """The words ``reply`` put into the blanks of ``cloze``: its words that the cloze lacks, in order.

    The whole reply reads as Vietnamese when the model pasted a short Portuguese phrase into
    the blank (the frame's Vietnamese words carry it: "… văn bản điện tử incluindo documentos
    confidenciais"), so the caller judges the language of what was filled in.
    """

    def key(token: str) -> str:
        return token.strip(".,;:!?()[]\"'«»").casefold()

    frame = Counter(key(token) for token in _TOKEN.findall(cloze))
    new: list[str] = []
    for token in _TOKEN.findall(strip_markers(reply)):
        if frame[key(token)] > 0:
            frame[key(token)] -= 1
        else:
            new.append(token)
    return " ".join(new)
