"""Every language fact in one place: what language a question, an answer or a document is in.

Used by ingestion (a document's language), retrieval (whether a query is Vietnamese) and
answers (the question's language, the language an answer is written in).

A question or an answer (:func:`detect_language`) must be read robustly for short texts.

Vietnamese is recognised by its letters (ă đ ơ ư and the tone marks that only
Vietnamese stacks on vowels); a Vietnamese name inside an English sentence does
not make the sentence Vietnamese. Nor does a Vietnamese frame around a foreign answer
("… gồm: VNeID: là "chave digital" para identificação, autenticação …"): a text in which
too many words cannot be Vietnamese syllables is judged by those words. Other texts go to
``langdetect`` (seeded, so the result is deterministic) restricted to the languages we expect.
"""

from __future__ import annotations

import re
import unicodedata

from langdetect import DetectorFactory, detect, detect_langs
from langdetect.lang_detect_exception import LangDetectException

# Letters that occur in Vietnamese but not in the other Latin-script languages we handle.
_VI_ONLY = re.compile(r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ]", re.IGNORECASE)
# Letters that Vietnamese shares with French/Portuguese/Spanish (counted only beside a Vietnamese-only letter).
_VI_SHARED = re.compile(r"[àáâãèéêìíòóôõùúý]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_UKRAINIAN = re.compile(r"[іїєґ]", re.IGNORECASE)
# Frequent English function words: two of them settle a short question.
_EN_WORDS = frozenset(
    "the what which who whom whose how when where why is are was were does did do of for to in on by with "
    "that this it its they their and or about many much must should can will has have".split()
)
# Language names as the prompts give them to the model (English name, then the native one).
LANGUAGE_NAMES: dict[str, str] = {
    "vi": "Vietnamese (tiếng Việt)",
    "en": "English",
    "fr": "French (français)",
    "de": "German (Deutsch)",
    "ru": "Russian (русский)",
    "uk": "Ukrainian (українська)",
    "pt": "Portuguese (português)",
    "es": "Spanish (español)",
}
# Characters of a document read to detect its language.
DOCUMENT_SAMPLE = 2000
# Languages langdetect may answer with; anything else falls back to English.
PLAUSIBLE = ("vi", "en", "fr", "de", "ru", "uk", "pt", "es")
DEFAULT_LANGUAGE = "en"
# A text with fewer letters than this is too short to tell its language.
MIN_LETTERS_FOR_LANGUAGE = 20
# A Vietnamese-looking text with at least this share of words that cannot be Vietnamese syllables
# is mixed: judged by those words. Measured on the dev set's local-model answers: Portuguese or
# Russian phrases in a Vietnamese frame reach 0.23-0.5 (vi-028, vi-018, vi-040, vi-037); answers
# with a few copied words stay at 0.12 or below ("Politburo và Secretariado"), most at 0.
MAX_FOREIGN_SHARE = 0.2
# The shape of one Vietnamese syllable, tone marks removed: onset, one to three vowels, coda.
# Written out here: langdetect, used below, reads a Vietnamese frame's letters and says "vi", and
# the syllable test is one regular expression.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)
_KEEP_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of ă â ê ô ơ ư


def _vietnamese_share(words: list[str]) -> float:
    """Share of words written with Vietnamese-only letters, or 0 when no word has one."""
    marked = [w for w in words if _VI_ONLY.search(w)]
    if not marked:
        return 0.0
    accented = [w for w in words if _VI_ONLY.search(w) or _VI_SHARED.search(w)]
    return len(accented) / len(words)


def _toneless(word: str) -> str:
    """``word`` lower-cased without tone marks: "người" → "ngươi", "Nguyễn" → "nguyên".

    Not :func:`~assistant.retrieval.text_norm.fold`: it transliterates Cyrillic, and "Туан"
    would pass as the syllable "tuan"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    kept = (ch for ch in decomposed if unicodedata.category(ch) != "Mn" or ch in _KEEP_MARKS)
    return unicodedata.normalize("NFC", "".join(kept))


def _foreign_words(words: list[str]) -> list[str] | None:
    """The words that cannot be Vietnamese syllables ("digital", "групп", "six") when they are at
    least :data:`MAX_FOREIGN_SHARE` of ``words``, else None. Acronyms and codes (a capital after
    the first letter: "UBND", "VNeID") are not counted."""
    counted = [w for w in words if not any(ch.isupper() for ch in w[1:])]
    foreign = [w for w in counted if not _SYLLABLE.fullmatch(_toneless(w))]
    return foreign if counted and len(foreign) >= MAX_FOREIGN_SHARE * len(counted) else None


def _langdetect(text: str) -> str | None:
    """Most probable plausible language according to langdetect, or None."""
    DetectorFactory.seed = 0
    try:
        candidates = detect_langs(text)
    except LangDetectException:
        return None
    for candidate in candidates:
        if candidate.lang in PLAUSIBLE and candidate.prob >= 0.2:
            return candidate.lang
    return None


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``: 'vi' by its letters, else langdetect among :data:`PLAUSIBLE`, else 'en'."""
    words = _WORD.findall(text)
    if not words:
        return DEFAULT_LANGUAGE
    share = _vietnamese_share(words)
    if share > 0:  # Vietnamese, or Vietnamese names inside another language: judge the other words
        plain = [w for w in words if not (_VI_ONLY.search(w) or _VI_SHARED.search(w))]
        english = sum(w.lower() in _EN_WORDS for w in plain)
        if share >= 0.3 and not (english >= 2 and english * 2 >= len(plain)):
            foreign = _foreign_words(words)
            if foreign is None:
                return "vi"
            plain = foreign  # a Vietnamese frame around foreign phrases: judge the phrases
        if not plain:
            return "vi"
        words, text = plain, " ".join(plain)
    if len(_CYRILLIC.findall(text)) > len(text) / 4:
        return "uk" if _UKRAINIAN.search(text) else "ru"
    if sum(w.lower() in _EN_WORDS for w in words) >= 2:
        return "en"
    return _langdetect(text) or DEFAULT_LANGUAGE


def language_name(code: str) -> str:
    """How the prompts name a language: 'Vietnamese (tiếng Việt)', 'English', ..."""
    return LANGUAGE_NAMES.get(code, LANGUAGE_NAMES[DEFAULT_LANGUAGE] if code == DEFAULT_LANGUAGE else code)


def written_in(text: str, language: str) -> bool:
    """True when ``text`` is in ``language``, or too short to tell (see :data:`MIN_LETTERS_FOR_LANGUAGE`)."""
    return sum(ch.isalpha() for ch in text) < MIN_LETTERS_FOR_LANGUAGE or detect_language(text) == language


def document_language(text: str) -> str:
    """ISO 639-1 code of a document's text by langdetect (seeded, deterministic), any language, or "und"."""
    sample = text[:DOCUMENT_SAMPLE]
    if not re.search(r"[^\W\d_]", sample):
        return "und"
    DetectorFactory.seed = 0
    try:
        code = detect(sample)
    except LangDetectException:
        return "und"
    return code.split("-")[0].lower()


_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def is_vietnamese(text: str) -> bool:
    """True when ``text`` uses letters found only in Vietnamese (within the languages we handle): a
    cheap test for search, where a Vietnamese query's single syllables are poor lexical evidence."""
    return len(_VIETNAMESE.findall(text)) >= 2
