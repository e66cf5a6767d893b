"""Language-independent text normalisation for lexical matching.

Vietnamese accent folding (``Bắc Giang`` → ``bac giang``, ``đ`` → ``d``) and a
plain Cyrillic→Latin transliteration put names written in Latin, Vietnamese
and Cyrillic script on comparable footing. bm25s's own tokenizer is ASCII/
English-oriented (it splits on ``\\w`` but keeps accents and cannot fold
scripts), so tokens are produced here and passed to it as lists.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "'": "", "’": "",
}
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?|[^\W\d_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case, strip diacritics (Vietnamese included), transliterate Cyrillic to Latin."""
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # NFKD turns й/ї into и/і + combining mark: re-fold after stripping.
    return "".join(_CYRILLIC.get(ch, ch) for ch in stripped)


# Vietnamese names are written in Latin in pt/es/de and transcribed into Cyrillic in uk/ru
# ("Trần Cẩm Tú" → "Чан Кам Ту"/"Тран Кам Ту", "Nguyễn Duy Ngọc" → "Нгуєн Зуй Нгок").
# After ``fold`` both sides are Latin; these rewrites bring the two spellings to one key.
_PHONETIC = (
    ("tr", "ch"), ("gi", "zi"), ("d", "z"), ("ph", "f"), ("qu", "ku"), ("c", "k"), ("q", "k"),
    ("nh", "n"), ("y", "i"), ("ie", "e"), ("th", "t"),
)
# Function words of the question and corpus languages, as written (lower-case, accents kept).
# They are matched before folding: folded, "to" (en) would also drop Vietnamese "tổ" (a group),
# "de" (pt/es) "đề", "co" "cơ", "bao" "báo", "tai" "tài", "do" "độ", and a Vietnamese question
# would lose the words that name its topic. A word written without any accent (text typed
# without them, or folded already) is matched folded (:func:`is_stop_word`).
_STOP = frozenset(
    # Words that carry no topic.
    "the of and to in on for by at is are was be what which who how when does did do with from that this "
    "as an or its it their there many much has have will must should according "
    "là của và các những nhưng được cho với trong theo nào gì bao nhiêu mấy không có ai để về một tại đến từ đó đã sẽ thế "
    "der die das und den dem des zu von mit im ist auf für ein eine als bei "
    "de da do das dos em com para por um uma os ao na no nas nos que se el los las del en con al "
    "на та за від для як що до про по не в с і и к у о от как что это".split()
) | frozenset(
    # Question words and auxiliaries: a question has them, the passage that answers it need not.
    "wie viele welche welcher welches welchen wann wer wo sollen soll werden wird wurde wurden sind hat haben "
    "qué que cuál cual cuáles cuales cuántos cuántas cuando cuándo quién quien dónde donde cómo como es son "
    "fue será deben debe "
    "qual quais quantos quantas quem onde foi devem deve é "
    "quel quelle quels quelles combien quand qui où comment est sont "
    "какой какое какая какие какого сколько когда кто где был была были будет должен должны ли "
    "який яка яке які скільки коли хто де було буде "
    "were been being would could can may might shall".split()
) | frozenset(
    # Yes and no: an answer's "Да, …" or "Vâng, …" says nothing about the topic.
    "yes vâng да нет так ні ja nein sim não sí oui non".split()
)


_STOP_FOLDED = frozenset(fold(w) for w in _STOP)


def _is_stop(surface: str) -> bool:
    """``surface`` (lower-case, composed) is a stop word as written, or, written without accents, folded."""
    return surface in _STOP or (surface.isascii() and surface in _STOP_FOLDED)


def _surface_tokens(text: str) -> list[str]:
    """Word and number tokens as written: lower-case, composed (NFC), accents kept."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text.lower()))


def _folded(surface: str) -> list[str]:
    """The folded tokens of one surface token; one-letter words are dropped, numbers are kept."""
    return [t for t in _TOKEN.findall(fold(surface)) if len(t) > 1 or t.isdigit()]


def tokenize(text: str) -> list[str]:
    """Folded word and number tokens; one-letter words are dropped, numbers are kept."""
    return [t for surface in _surface_tokens(text) for t in _folded(surface)]


def is_stop_word(word: str) -> bool:
    """Whether ``word`` (as written) is a function or question word of a corpus language (it carries no topic)."""
    return _is_stop(unicodedata.normalize("NFC", word.lower()))


def phonetic(token: str) -> str:
    """A coarse sound key for a folded token, so Latin and transliterated Cyrillic names meet."""
    for src, dst in _PHONETIC:
        token = token.replace(src, dst)
    return token


def lexical_terms(text: str, prefix: int = 0, use_phonetic: bool = True) -> list[str]:
    """Tokens for the BM25 channel: folded, stop words dropped, optionally phonetic and prefix-cut.

    ``prefix`` > 0 cuts words to that many characters, a crude stemmer that lets
    inflected Slavic/Romance forms (``процедур``/``процедури``) meet; numbers are kept whole.
    """
    terms = []
    for token in (t for surface in _surface_tokens(text) if not _is_stop(surface) for t in _folded(surface)):
        if not token[0].isdigit():
            if use_phonetic:
                token = phonetic(token)
            if prefix:
                token = token[:prefix]
        terms.append(token)
    return terms


def bigrams(terms: list[str]) -> list[str]:
    """Adjacent term pairs (``bak_ziang``): specific where single syllables are not (Vietnamese)."""
    return [f"{a}_{b}" for a, b in itertools.pairwise(terms)]
