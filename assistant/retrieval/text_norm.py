"""Language-independent text normalisation for lexical matching.

Vietnamese accent folding (``Bắc Giang`` → ``bac giang``, ``đ`` → ``d``) and a
plain Cyrillic→Latin transliteration put names written in Latin, Vietnamese
and Cyrillic script on comparable footing. bm25s's own tokenizer is ASCII/
English-oriented (it splits on ``\\w`` but keeps accents and cannot fold
scripts), so tokens are produced here and passed to it as lists.
"""

from __future__ import annotations

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
