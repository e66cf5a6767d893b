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


def tokenize(text: str) -> list[str]:
    """Folded word and number tokens; one-letter words are dropped, numbers are kept."""
    return [t for t in _TOKEN.findall(fold(text)) if len(t) > 1 or t.isdigit()]


# Vietnamese names are written in Latin in pt/es/de and transcribed into Cyrillic in uk/ru
# ("Trần Cẩm Tú" → "Чан Кам Ту"/"Тран Кам Ту", "Nguyễn Duy Ngọc" → "Нгуєн Зуй Нгок").
# After ``fold`` both sides are Latin; these rewrites bring the two spellings to one key.
_PHONETIC = (
    ("tr", "ch"), ("gi", "zi"), ("d", "z"), ("ph", "f"), ("qu", "ku"), ("c", "k"), ("q", "k"),
    ("nh", "n"), ("y", "i"), ("ie", "e"), ("th", "t"),
)
_STOP = frozenset(
    # Function words of the question and corpus languages that carry no topic (folded).
    "the of and to in on for by at is are was be what which who how when does did do with from that this "
    "as an or its it their there many much has have will must should according "
    "la cua va cac nhung duoc cho voi trong theo nao gi bao nhieu khong co ai de ve mot tai den tu "
    "der die das und den dem des zu von mit im ist auf fur ein eine als bei "
    "de da do das dos em com para por um uma os ao na no nas nos que se el los las del en con al "
    "na ta za vid dlia iak shcho do pro po ne v s i k u o ot dlia kak chto eto".split()
) | frozenset(
    # Question words and auxiliaries: a question has them, the passage that answers it need not (folded).
    "wie viele welche welcher welches welchen wann wer wo sollen soll werden wird wurde wurden sind hat haben "
    "que cual cuales cuantos cuantas cuando quien donde como es son fue sera deben debe "
    "qual quais quantos quantas quem onde foi devem deve "
    "quel quelle quels quelles combien quand qui ou comment est sont "
    "kakoi kakoe kakaia kakie kakogo skolko kogda kto gde byl byla byli budet dolzhen dolzhny li "
    "iakii iaka iake iaki skilki koli khto de bulo bude "
    "were been being would could can may might shall".split()
)


def is_stop_word(word: str) -> bool:
    """Whether ``word`` is a function or question word of a corpus language (it carries no topic)."""
    return fold(word) in _STOP


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
    for token in tokenize(text):
        if token in _STOP:
            continue
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
