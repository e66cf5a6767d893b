"""Text helpers shared by citation checking and the extractive answerer.

* :func:`sentence_spans` splits passages and answers into sentences, keeping
  offsets so a quote is always an exact substring of its passage;
* :func:`lead_ins` says which list items hang on a lead-in ("Đến ngày 31/12/2027:");
* :func:`figure_keys` gives the figures of a text (codes, dates, numbers) that
  must be backed by a cited passage, via :func:`assistant.retrieval.keys.extract_keys`;
* :func:`small_numbers` / :func:`mentions_number` handle numbers up to ten, which
  passages often spell out ("четыре части", "sechs");
* :func:`terms` gives folded, phonetic, prefix-cut word terms for overlap scores.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.language import ACCENTED_NUMBER_WORDS, NUMBER_WORDS_FOLDED, VI_ACCENTED_NUMBER_WORDS
from assistant.retrieval.keys import asked_keys, extract_keys
from assistant.retrieval.lexical import PREFIX_LENGTH
from assistant.retrieval.text_norm import fold, lexical_terms

# Sentence end: punctuation, closing quotes/brackets, then any citation markers that follow it.
_END = re.compile(r"[.!?…]+[\"'”»)]*(?:\s*\[\s*\d+(?:\s*[,;–-]\s*\d+)*\s*\])*")
# A number before the period: an ordinal ("1. Juli") or an outline number ("5.1. Giai đoạn 1", "PHẦN II. …").
_ORDINAL = re.compile(r"(?:^|[^\w.])(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4})\.$")
# Characters before a period looked at for that number ("12.10.3." fits).
ORDINAL_REACH = 12
_OPENERS = "\"'“«(-*•–—["
# A thousands separator between digit groups (1.139, 1,000, 1 000 with a no-break space).
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?:[.,\u00a0\u202f]\d{3})+)(?![\d]|[.,]\d)")
_ORDINAL_SIGN = re.compile(r"(\d)\s*[º°ª]")
# Numbers up to this value are not figure keys: passages often spell them out ("четыре части");
# :func:`small_numbers` and :func:`mentions_number` check them where they matter.
SMALL_NUMBER = 10


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _ends_a_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends with a lowercase word of four or more letters: a period
    after it ends a sentence even before a figure ("durchgeführt. 100 % der …"), while
    abbreviations ("No. 02", "p. 12", "ст. 5") and ordinals are shorter or not words."""
    word = text[start:end].rsplit(None, 1)[-1] if text[start:end].strip() else ""
    return len(word) >= 4 and word.isalpha() and word.islower()


def _coded_name(text: str, line_start: int, end: int) -> bool:
    """Whether ``text[line_start:end]`` ends with an abbreviation and its number inside a line ("… của BĐP
    05"): a period after it ends a sentence. At a line's start the same shape heads it ("PHẦN II.")."""
    words = text[line_start:end].split()
    return len(words) >= 3 and len(words[-2]) >= 2 and words[-2].isalpha() and words[-2].isupper() and (
        words[-1].isdigit())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``; lines always end a sentence.

    A sentence ends at ``.``/``!``/``?``/``…`` (with any ``[n]`` markers right
    after it) when the next word starts with a capital letter or a bullet, or with a
    figure after a lowercase word, so ``Plan No. 02`` and ``1.139`` are not split.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        line_start, line_end = line.span()
        pos = line_start
        for m in _END.finditer(text, line_start, line_end):
            rest = text[m.end() : line_end]
            if not rest.strip() or not rest[0].isspace():
                continue
            first = rest.lstrip()[0]
            if _ORDINAL.search(text[max(line_start, m.start() - ORDINAL_REACH) : m.end()]) and not _coded_name(
                text, line_start, m.start()
            ):
                continue  # "1. Juli", "30. Juni", "5.1. Giai đoạn", "PHẦN II. TỔ CHỨC": no sentence end
            if first.isupper() or first in _OPENERS or (first.isdigit() and _ends_a_word(text, line_start, m.start())):
                start, end = _stripped(text, pos, m.end())
                if end > start:
                    spans.append((start, end))
                pos = m.end()
        start, end = _stripped(text, pos, line_end)
        if end > start:
            spans.append((start, end))
    return spans


_DASHES = "-–—"
_BULLETS = f"{_DASHES}•●▪◦+*"
#: A list item's mark: a dash or bullet, "1.", "2)", "(3)", "a)", "iv)".
LIST_ITEM = re.compile(rf"^\s*(?:[{_BULLETS}](?=\s)|\(?(?:\d{{1,2}}|[^\W\d_]|[ivx]{{1,4}})[.)])\s*", re.IGNORECASE)


_BULLET = re.compile(rf"^[{_BULLETS}]\s+")


def quote_line(text: str, n: int) -> str:
    """One quoted line of an answer: "- <text> [n]", without the bullet the text itself starts with
    (a quote of "- Sở Du lịch tổng hợp …" is no "- - Sở Du lịch …"); the rest stays verbatim."""
    return f"- {_BULLET.sub('', text)} [{n}]"


def item_mark(sentence: str) -> str | None:
    """The kind of a list item's mark: "number", "letter", or the bullet itself (any dash is "-": "- …" and
    "+ …" are two levels of one list); None for a sentence that is no item."""
    mark = LIST_ITEM.match(sentence)
    if mark is None:
        return None
    sign = mark.group().strip(" ().")
    return "number" if sign[:1].isdigit() else "letter" if sign[:1].isalpha() else "-" if sign in _DASHES else sign


def lead_ins(text: str, spans: list[tuple[int, int]]) -> list[int | None]:
    """For each sentence of ``text`` (``spans``, from :func:`sentence_spans`), the position of the lead-in its
    list item hangs on, or None: the last sentence before it ending in a colon, when every sentence between
    them is an item too and none has the lead-in's own kind of mark ("2. …" after "1. Đến ngày 31/12/2027:"
    is its sibling, not one of its items)."""
    out: list[int | None] = []
    lead: int | None = None
    lead_mark: str | None = None
    for k, (start, end) in enumerate(spans):
        sentence = text[start:end]
        mark = item_mark(sentence)
        if mark is None or (lead_mark is not None and mark == lead_mark):
            lead = None
        out.append(lead)
        if sentence.rstrip().endswith(":"):
            lead, lead_mark = k, mark
    return out


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (see :func:`sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text)]


def _join_thousands(text: str) -> str:
    return _THOUSANDS.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text)


def keys_of(text: str) -> set[str]:
    """:func:`extract_keys` after removing ordinal signs (``1º de julho`` → ``1 de julho``)."""
    return extract_keys(_ORDINAL_SIGN.sub(r"\1", text))


def question_keys(text: str) -> set[str]:
    """:func:`keys_of` a question (or a claim): a month is kept only when named without a day (:func:`asked_keys`)."""
    return asked_keys(_ORDINAL_SIGN.sub(r"\1", text))


def figure_keys(text: str) -> set[str]:
    """Codes, dates and numbers of ``text`` that a citation must back.

    Years alone and small numbers (≤ :data:`SMALL_NUMBER`, often spelled out in
    the passages) are left out; thousands separators are ignored, so ``1.139``,
    ``1,139`` and ``1139`` give the same key, and ``%`` is dropped from the value.
    """
    keys = set()
    for key in question_keys(_join_thousands(text)):  # a date's month is the date's
        kind, _, value = key.partition(":")
        if kind == "year":
            continue
        if kind == "num":
            value = value.rstrip("%")
            try:
                if float(value) <= SMALL_NUMBER:
                    continue
            except ValueError:
                pass
            key = f"num:{value}"
        keys.add(key)
    return keys


# The folded forms of the Vietnamese number words that count only as written with their accents
# (the number words themselves are the language module's).
_ACCENTED_ONLY = frozenset(fold(w) for w in VI_ACCENTED_NUMBER_WORDS)


def small_numbers(text: str) -> set[int]:
    """Numbers from 1 to :data:`SMALL_NUMBER` written with digits in ``text`` (not percentages)."""
    out = set()
    for key in keys_of(text):
        kind, _, value = key.partition(":")
        if kind == "num" and value.isdigit() and 1 <= int(value) <= SMALL_NUMBER:
            out.add(int(value))
    return out


# A time of day, as written or folded: "16:30", "16h30", "16 giờ", "17 giờ 30", "4 p.m.", "4:30 p.m.",
# "16 Uhr", "16 часов"/"годин", "16 horas", "16 heures". The unit words are the corpus languages' and
# their folded forms, so the one pattern serves raw claims and folded sentences.
_HALF = r"(?P<{0}>[ap])\.?\s?m(?:\.|(?![^\W\d_]))"
CLOCK_TIME = re.compile(
    r"(?i)(?<![\d.,:/])(?P<h>[01]?\d|2[0-3])(?:"
    r"[:h](?P<m>[0-5]\d)(?!\d)(?:\s*" + _HALF.format("half") + ")?"
    r"|\s*(?:giờ|gio|h|uhr|час\w*|chas\w*|годин\w*|godin\w*|horas?|heures?)(?![^\W\d_])"
    r"(?:\s*(?P<m2>[0-5]\d)(?![\d/.,:]))?"
    r"|\s*" + _HALF.format("half2") + ")"
)


def clock_times(text: str) -> tuple[set[str], str]:
    """The times of day in ``text`` as keys ("4:30 p.m." and "16 giờ 30" both give ``time:16:30``), and
    the text without them (their digits are no count)."""
    keys = set()
    for m in CLOCK_TIME.finditer(text):
        hour, half = int(m["h"]), (m["half"] or m["half2"] or "").lower()
        if half:
            hour = hour % 12 + (12 if half == "p" else 0)
        keys.add(f"time:{hour:02d}:{int(m['m'] or m['m2'] or 0):02d}")
    return keys, CLOCK_TIME.sub(" ", text)


# A whole number written right after a word ("Nhóm 2", "năm 2027", "Phase 2", "Mục 4"), not part of a
# date, code, decimal, percentage or time (times are taken out first: :func:`clock_times`).
_LABELLED = re.compile(r"(?<!\w)([^\W\d_]+)\s+(\d{1,4})(?![\d\w%]|[.,:/]\d|\s*%|-[^\W\d_])")


def labelled_numbers(text: str) -> list[tuple[str, int]]:
    """The numbers ``text`` writes right after a word, with that word: "Nhóm 2" gives ``("Nhóm", 2)``,
    "mùa vụ 2027–2028" ``("vụ", 2027)``. A number that labels a part, a phase or a year is told from
    another by the word before it, even where the other number occurs elsewhere."""
    return [(word, int(number)) for word, number in _LABELLED.findall(clock_times(text)[1])]


def time_stated(key: str, text: str) -> bool:
    """True when ``text`` gives the time of day ``key`` (``time:16:30``); a text naming no time of day in a
    form :data:`CLOCK_TIME` reads must at least hold its hour (and minutes) as numbers."""
    times = clock_times(text)[0]
    if times:
        return key in times
    hour, minute = (int(v) for v in key.removeprefix("time:").split(":"))
    return mentions_number(hour, text) and (minute == 0 or mentions_number(minute, text))


def mentions_number(n: int, text: str) -> bool:
    """True when ``text`` has ``n`` as digits (also inside a code: ``02-KH``) or spelled out."""
    if re.search(rf"(?<![\d.,])0*{n}(?!\d|[.,]\d)", text):
        return True
    if n not in NUMBER_WORDS_FOLDED:
        return False
    words, stems = NUMBER_WORDS_FOLDED[n]
    vocabulary = set(words.split())
    for surface in _LETTER_RUN.findall(unicodedata.normalize("NFC", text.lower())):
        word = fold(surface)
        if _CYRILLIC_LETTER.search(surface):
            if word in vocabulary or (stems and word.startswith(stems)):
                return True
        elif surface.isascii():
            if word in vocabulary and word not in _ACCENTED_ONLY:
                return True
        elif surface in ACCENTED_NUMBER_WORDS and word in vocabulary:
            return True
    return False


_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_LETTER_RUN = re.compile(r"[^\W\d_]+", re.UNICODE)  # a word without digits or underscores


def mixed_script_words(text: str) -> list[str]:
    """Words spelled with both Latin (Vietnamese included) and Cyrillic letters: "làiniциатив".

    The 1.5B model produces them when it half-translates a Russian or Ukrainian word; no
    language writes them.
    """
    return [w for w in _LETTER_RUN.findall(text) if _LATIN_LETTER.search(w) and _CYRILLIC_LETTER.search(w)]


def terms(text: str) -> set[str]:
    """Folded, phonetic, prefix-cut word terms of ``text`` (numbers excluded), as the lexical channel uses."""
    return {t for t in lexical_terms(text, prefix=PREFIX_LENGTH) if not t[0].isdigit() and len(t) > 1}


# Vietnamese surnames that open a person's name in an answer (folded; Latin and Cyrillic
# spellings). Short ones that are also common words elsewhere ("Le", "Ha", "Do", "Ho", "To",
# "Mai", "Cao") count only when written with their Vietnamese accents ("Lê", "Hà", "Đỗ", "Hồ").
_SURNAMES = frozenset(
    fold(s)
    for s in (
        "Nguyễn Trần Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Ngô Dương Đinh Trương Trịnh Lương Đoàn Vương "
        "Châu Quách Lưu Kiều Nông Đào Lâm Nghiêm Chu Chan Нгуєн Нгуен Чан Тран Фам Хоанг Фан Ву Во Данг Буй"
    ).split()
)
_ACCENTED_SURNAMES = frozenset("Lê Hà Đỗ Hồ Tạ Tô Mai Cao Lý Thái".split())
# Syllables of a Vietnamese name are short; longer capitalised words are not part of one.
MAX_NAME_SYLLABLE = 7


def capitalised_words(text: str) -> list[str]:
    """Capitalised words of ``text`` after its first word: names of people, agencies and places, acronyms."""
    return [w for w in _LETTER_RUN.findall(text)[1:] if w[:1].isupper()]


def person_names(text: str) -> list[str]:
    """Vietnamese personal names in ``text``: a surname and one to three more capitalised
    syllables ("Nguyễn Chí Dũng", "Nguyen Van Gau", "Фам Зіа Тук")."""
    words = list(_LETTER_RUN.finditer(text))
    names: list[str] = []
    i = 0
    while i < len(words):
        word = words[i].group()
        if word[:1].isupper() and (fold(word) in _SURNAMES or word in _ACCENTED_SURNAMES):
            j = i + 1
            while (
                j < len(words) and j - i < 4 and words[j].group()[:1].isupper()
                and len(words[j].group()) <= MAX_NAME_SYLLABLE
                and text[words[j - 1].end() : words[j].start()].strip() == ""  # same run: no comma between
            ):  # fmt: skip
                j += 1
            if j - i >= 2:
                names.append(text[words[i].start() : words[j - 1].end()])
                i = j
                continue
        i += 1
    return names


# Nouns that introduce a place name in Vietnamese and English administrative text ("tỉnh Nghệ An",
# "Binh Dinh province"). Proper names are transliterated, not translated, so a place the question
# names must occur in a passage that answers it, in whatever script.
_PLACE_BEFORE = re.compile(r"(?i)(?<!\w)(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|province of|city of)\s+")
_PLACE_AFTER = re.compile(r"(?i)\s+(?:province|city|district|commune|ward)(?!\w)")


def place_names(text: str) -> list[str]:
    """Place names in ``text``: one to three capitalised words after "tỉnh", "xã", "province of"… or
    before "province", "district"… ("tỉnh Nghệ An" → "Nghệ An", "Binh Dinh province" → "Binh Dinh")."""
    names: list[str] = []
    for m in _PLACE_BEFORE.finditer(text):
        run = re.match(r"(?:[^\W\d_]+\s*){1,3}", text[m.end() :])
        words = run.group().split() if run else []
        taken = []
        for w in words:
            if not w[0].isupper():
                break
            taken.append(w)
        if taken:
            names.append(" ".join(taken))
    for m in _PLACE_AFTER.finditer(text):
        before = re.findall(r"[^\W\d_]+", text[: m.start()])[-3:]
        taken = []
        for w in reversed(before):
            if not w[0].isupper():
                break
            taken.insert(0, w)
        if taken:
            names.append(" ".join(taken))
    return names
