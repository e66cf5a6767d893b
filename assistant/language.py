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
# Frequent English function words: two of them settle a short question. Words that are as frequent in
# another corpus language are left out: "do" (Portuguese "of the"), "in" (German), "was" and "will"
# (German "what", "wants"), "or" (French); with them "A reunião do Comitê Central do Partido" and
# "Die Sitzung fand in Hanoi in der Zentrale statt" were English.
_EN_WORDS = frozenset(
    "the what which who whom whose how when where why is are were does did of for to on by with "
    "that this it its they their and about many much must should can has have".split()
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


def is_acronym(word: str) -> bool:
    """An acronym, a code or a product name, written the same in every language: a capital after the
    first letter ("UBND", "VNeID"), or a capital with digits ("C06")."""
    return any(ch.isupper() for ch in word[1:]) or (word[:1].isupper() and any(ch.isdigit() for ch in word))


def acronyms(text: str) -> list[str]:
    """The acronyms of ``text`` (:func:`is_acronym`), in order."""
    return [w for w in re.findall(r"[^\W_]{2,}", text) if is_acronym(w)]


def _foreign_words(words: list[str]) -> list[str] | None:
    """The words that cannot be Vietnamese syllables ("digital", "групп", "six") when they are at
    least :data:`MAX_FOREIGN_SHARE` of ``words``, else None. Acronyms and codes (:func:`is_acronym`)
    are not counted."""
    counted = [w for w in words if not is_acronym(w)]
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


# Polarity: words that negate a clause, per language (lower case, as written). A claim and the
# passage sentence that backs it must agree on it (:func:`negated`). "Without" is one: Vietnamese
# says "không gián đoạn" where German says "ohne Unterbrechung".
_NEGATIONS: dict[str, tuple[str, ...]] = {
    "vi": ("không", "chưa", "chẳng", "chả", "đừng", "cấm"),
    "en": ("not", "no", "never", "cannot", "nor", "neither", "none", "nothing", "prohibited", "forbidden", "without"),
    "de": ("nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "verboten", "ohne"),
    "ru": ("не", "нет", "ни", "никогда", "нельзя", "запрещено", "запрещается", "без"),
    "uk": ("не", "ні", "немає", "ніколи", "заборонено", "забороняється", "без"),
    "pt": ("não", "nunca", "nem", "jamais", "proibido", "proibida", "sem"),
    "es": ("no", "nunca", "ni", "jamás", "tampoco", "prohibido", "prohibida", "sin"),
    "fr": ("ne", "pas", "jamais", "aucun", "aucune", "interdit", "sans"),
}
# Phrases holding a negation word that do not negate: "not only", compounds.
_NOT_NEGATIONS: dict[str, tuple[str, ...]] = {
    "vi": ("không chỉ", "không những", "hàng không", "không gian", "không khí", "chưa kể"),
    "en": ("not only",),
    "de": ("nicht nur",),
    "ru": ("не только",),
    "uk": ("не лише", "не тільки"),
    "pt": ("não só", "não apenas", "não somente"),
    "es": ("no solo", "no sólo", "no solamente"),
    "fr": ("non seulement",),
}
# A negation before one of these words states a limit, not a denial: "không quá 30 ngày",
# "no later than", "must not exceed", "не позднее", "nicht mehr als" (a deadline or a cap).
_LIMITS: dict[str, tuple[str, ...]] = {
    "vi": ("quá", "vượt", "chậm hơn", "muộn hơn", "ít hơn", "nhiều hơn", "sau"),
    "en": ("later", "more", "less", "fewer", "exceed", "exceeding", "longer", "after"),
    "de": ("später", "mehr", "weniger", "überschreiten", "länger", "nach"),
    "ru": ("позднее", "позже", "более", "больше", "менее", "меньше", "превышать", "реже"),
    "uk": ("пізніше", "більше", "менше", "перевищувати", "рідше"),
    "pt": ("mais", "menos", "exceder", "depois", "além"),
    "es": ("más", "menos", "exceder", "después"),
    "fr": ("plus", "moins", "dépasser"),
}  # fmt: skip
# Words between a negation and its limit word ("không được kéo dài quá", "must not be more than").
LIMIT_REACH = 4
_TOKEN = re.compile(r"\w+", re.UNICODE)
_NUMBER_SIGN = re.compile(r"(?i)\b(?:no|nº|n°)\.?\s*(?=\d)")  # "Decision No. 1234", "Resolución nº 57"


def negated(text: str, language: str | None = None) -> bool:
    """True when ``text`` (in ``language``, detected when not given) holds a negation word outside
    the phrases that only look negative ("không chỉ", "not only") and the limits ("không quá 30
    ngày", "no later than", "не позднее", "must not exceed")."""
    language = language or detect_language(text)
    lowered = " ".join(_TOKEN.findall(_NUMBER_SIGN.sub(" ", text).lower().replace("n't", " not")))
    for phrase in _NOT_NEGATIONS.get(language, ()):
        lowered = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", lowered)
    words = lowered.split()
    cues = set(_NEGATIONS.get(language, _NEGATIONS[DEFAULT_LANGUAGE]))
    limits = [limit.split() for limit in _LIMITS.get(language, ())]
    for i, word in enumerate(words):
        if word not in cues:
            continue
        ahead = words[i + 1 : i + 1 + LIMIT_REACH + 2]  # room for a two-word limit ("chậm hơn")
        if not any(ahead[j : j + len(limit)] == limit for limit in limits for j in range(len(ahead))):
            return True
    return False


# Date roles: words just before a date that make it the start or the end of a period, in every
# language we handle (folded: lower case, no diacritics, Cyrillic transliterated, as dates are found).
_START_CUES = (
    "tu", "ke tu", "bat dau", "from", "since", "starting", "start", "starts", "begin", "begins", "beginning",
    "as of", "ab", "von", "seit", "beginnt", "beginn", "s", "so", "nachinaia", "z", "iz", "vid", "pochynaiuchy",
    "desde", "a partir", "inicio", "comeca", "comienza", "a compter", "des",
)  # fmt: skip
_END_CUES = (
    "den", "toi", "truoc", "cham nhat", "han", "ket thuc", "to", "until", "till", "by", "before", "end", "ends",
    "ending", "deadline", "due", "through", "than", "bis", "endet", "ende", "frist", "spatestens", "do", "po",
    "ate", "prazo", "termina", "fim", "hasta", "plazo", "fin", "antes", "al", "jusqu",
)  # fmt: skip
_RANGE_DASH = re.compile(r"^\s*[-–—]\s*$")


_CUES = [(c.split(), "start") for c in _START_CUES] + [(c.split(), "end") for c in _END_CUES]


def cue_before(folded: str, window: int = 4) -> str | None:
    """The role ("start" or "end") of the cue nearest the end of a folded text, within its last ``window``
    words ("… hoàn thành trước" gives "end", "… từ" gives "start"); None when there is none."""
    before = _TOKEN.findall(folded)[-window:]
    best: tuple[int, str] | None = None  # (end position of the cue in ``before``, role)
    for words, role in _CUES:
        for at in range(len(before) - len(words), -1, -1):
            if before[at : at + len(words)] == words:
                if best is None or at + len(words) > best[0]:
                    best = (at + len(words), role)
                break
    return best[1] if best else None


def date_roles(text: str, window: int = 4) -> dict[str, set[str]]:
    """The role ("start" or "end") of each date of ``text`` by the cue nearest before it within
    ``window`` words ("từ 01/9/2025 đến 30/4/2026": start, end; "ab dem 1. Juli": start;
    "hạn 2025-09-30": end); the second date of "01/5 – 31/8" is an end and the first a start.
    Dates with no cue are left out. Keys as :func:`~assistant.retrieval.keys.extract_keys` gives."""
    # Imported here: the assistant.retrieval package imports this module.
    from assistant.retrieval.dates import date_mentions
    from assistant.retrieval.text_norm import fold

    folded = fold(text)
    roles: dict[str, set[str]] = {}
    mentions = date_mentions(folded)
    for i, mention in enumerate(mentions):
        role = cue_before(folded[: mention.start], window)
        if role is None:  # "1º de julho de 2025 até o final", "01/9/2025 đến 30/4/2026": a start
            stop = mentions[i + 1].start if i + 1 < len(mentions) else None
            after = [t for t in _TOKEN.findall(folded[mention.match_end : stop]) if not t.isdigit()][:window]
            if any(after[at : at + len(words)] == words for words, kind in _CUES if kind == "end"
                   for at in range(len(after))):  # fmt: skip
                role = "start"
        previous = mentions[i - 1] if i else None
        if previous is not None and _RANGE_DASH.match(folded[previous.end : mention.start]):
            roles.setdefault(previous.key, set()).add("start")
            role = "end"
        if role is not None:
            roles.setdefault(mention.key, set()).add(role)
    return roles


# Two phrases in an order that carries meaning: a range ("từ A đến B", "from A to B", "с A до B") and a
# contrast ("A chứ không phải B", "A, not B", "A, а не B", "nicht A, sondern B" is left out). Folded
# text (as :func:`date_roles` reads it). Portuguese, Spanish and French "de … a/à …" are too common to be a range.
_RANGES: dict[str, tuple[str, str]] = {
    "vi": ("tu|ke tu", "den|toi"), "en": ("from", "to|until|till|through"), "de": ("von|ab", "bis"),
    "ru": ("s|so|ot", "do|po"), "uk": ("z|iz|vid", "do|po"), "pt": ("desde", "ate"), "es": ("desde", "hasta"),
    "fr": ("depuis", "jusqu"),
}  # fmt: skip
_CONTRASTS: dict[str, str] = {
    "vi": "chu khong phai la|chu khong phai|chu khong|thay vi", "en": ", not|rather than|instead of",
    "ru": ", a ne", "uk": ", a ne", "de": ", nicht|statt|anstatt", "pt": ", e nao|, nao|em vez de",
    "es": ", y no|, no|en vez de", "fr": ", et non|, pas|au lieu de",
}  # fmt: skip
# Most words of one phrase of a pair, for callers that give none (answer.support.pair_words).
PAIR_WORDS = 8
_PAIR_WORD = r"[^\W_]+(?:[-'/.,][^\W_]+)*"  # "какого-либо", "01/7/2025", "186,4" are one word


def ordered_pairs(text: str, language: str | None = None, words: int = PAIR_WORDS) -> list[tuple[str, str, str]]:
    """``(kind, first, second)`` for each range and contrast of ``text`` (folded phrases of at most
    ``words`` words, within one clause): "từ 16 giờ hôm trước đến 16 giờ ngày báo cáo" gives
    ("range", "16 gio hom truoc", "16 gio ngay bao cao"). A claim that swaps them says another thing."""
    from assistant.retrieval.text_norm import fold  # the retrieval package imports this module

    language = language or detect_language(text)
    folded = fold(text)
    slot = rf"{_PAIR_WORD}(?:\s+{_PAIR_WORD}){{0,{words - 1}}}"
    pairs: list[tuple[str, str, str]] = []
    if language in _RANGES:
        start, end = _RANGES[language]
        for m in re.finditer(rf"(?<!\w)(?:{start})\s+(?P<a>{slot}?)\s+(?:{end})\s+(?P<b>{slot})", folded):
            pairs.append(("range", m.group("a"), m.group("b")))
    if language in _CONTRASTS:
        for m in re.finditer(rf"(?P<a>{slot})\s*,?\s*(?:{_CONTRASTS[language]})\s+(?P<b>{slot})", folded):
            pairs.append(("contrast", m.group("a"), m.group("b")))
    return pairs


# Numbers from 2 to 10 spelled out in a claim, per language, where the word means nothing else
# in administrative text (Vietnamese "năm" is also "year", "một" also "a"; English "one" a pronoun).
_VI_NUMBERS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
               "mười": 10}  # fmt: skip
_SPELLED: dict[str, dict[str, int]] = {
    "vi": {w: n for w, n in _VI_NUMBERS.items() if w not in ("một", "năm")},
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "twice": 2},
}  # fmt: skip


# Spelled-out small numbers in the corpus and question languages, folded (``retrieval.text_norm.fold``):
# whole words, and stems that take case endings (четырех → chetyrekh, шести → shesti, десяти → desiati).
# The folded forms of Cyrillic words are Latin letters, so a word is matched only in its own script
# (``answer.text.mentions_number``): a Cyrillic word folded, a Latin word as written
# (:data:`ACCENTED_NUMBER_WORDS` for those with accents). Folded, Vietnamese "chủ trì" would be Russian
# три (3), "Trung tâm" "tám" (8), "năm" (a year) 5.
NUMBER_WORDS_FOLDED: dict[int, tuple[str, tuple[str, ...]]] = {
    1: ("one un une uno una um uma ein eins eine odin odna odne odno odyn", ()),
    2: ("two hai deux zwei dos dois duas dva dve dvi", ("dvukh", "dvokh")),
    3: ("three ba trois drei tres tri", ("trekh", "trokh")),
    4: ("four bon quatre vier cuatro quatro", ("chetyr", "chotyr")),
    5: ("five cinq funf cinco", ("piat",)),
    6: ("six sau sechs seis", ("shest", "shist")),
    7: ("seven bay sept sieben siete sete sem sim semi semy", ()),
    8: ("eight tam huit acht ocho oito vosem visim", ("vosmi",)),
    9: ("nine chin neuf neun nueve nove", ("deviat",)),
    10: ("ten muoi dix zehn diez dez", ("desiat",)),
}
#: Vietnamese number words with accents (without "một", also "a", and "năm", also "year"). Unaccented,
#: their folded forms are other words ("sau" is "after", "bay" "fly"), so they count only as written.
VI_ACCENTED_NUMBER_WORDS = frozenset(w for w in _SPELLED["vi"] if not w.isascii())
#: Number words written with accents, matched as written (Spanish "tres" stays a number unaccented).
ACCENTED_NUMBER_WORDS = VI_ACCENTED_NUMBER_WORDS | {"fünf", "três"}


# After "thứ" (an ordinal) every number word is one, and some have ordinal forms of their own.
_VI_ORDINALS = {**_VI_NUMBERS, "nhất": 1, "tư": 4, "lăm": 5}
#: A Vietnamese ordinal as written in headings ("thứ hai", "THỨ MƯỜI LĂM"; match it case-insensitively).
ORDINAL = rf"thứ\s+(?:mười\s+)?(?:{'|'.join(_VI_ORDINALS)})"


#: English ordinals before what they number ("the fourth step", "second phase").
EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
               "ninth": 9, "tenth": 10}  # fmt: skip


def ordinal_value(text: str) -> int | None:
    """The number of a Vietnamese ordinal ("thứ nhất" 1, "THỨ HAI" 2, "thứ mười lăm" 15), else None."""
    words = text.casefold().split()
    if len(words) < 2 or words[0] != "thứ" or any(w not in _VI_ORDINALS for w in words[1:]):
        return None
    values = [_VI_ORDINALS[w] for w in words[1:]]
    return values[0] if len(values) == 1 else 10 + values[1] if values[0] == 10 else None


def spelled_numbers(text: str, language: str | None = None) -> set[int]:
    """Small numbers spelled out in ``text`` ("hai lần", "three components"), for the languages answers are in."""
    words = _SPELLED.get(language or detect_language(text), {})
    return {words[w] for w in _TOKEN.findall(text.lower()) if w in words}
