"""Vietnamese typed in TCVN3 (ABC), the legacy font encoding of the ".VnTime" fonts, read as Unicode.

Many provincial templates and older guidebooks were typed before Unicode, in fonts whose Latin-1 code
points draw Vietnamese letters: the file holds "Céng hßa x· héi chñ nghÜa ViÖt Nam" and Word shows "Cộng
hòa xã hội chủ nghĩa Việt Nam" because the run's font is ".VnTime". Read as it is stored, such a
document matches no question. Two ways to know it:

* **by its font** (DOCX): a run whose font is a TCVN3 font (named ".Vn…"; ".Vn…H" draws capitals) is
  recoded (:func:`is_tcvn3_font`, applied by :mod:`assistant.ingest.word_xml`);
* **by its text** (PDF, TXT, CSV, XLSX, where no font name is at hand): a text with no Vietnamese letter
  of Unicode whose words holding a TCVN3 code point are, recoded, Vietnamese syllables
  (:func:`looks_like_tcvn3`). German, Portuguese or Spanish words recoded are not ("für" would be
  "fỹr", "também" "tambộm"), so the sample articles are left alone.

The table is TCVN 5712:1993's (VN3); no maintained Python package carries it. VNI, the other legacy
encoding, spells a letter with two code points and is not read here.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.settings import TCVN3Settings

#: TCVN3 code point → Unicode letter (lower case; the capitals Ă Â Đ Ê Ô Ơ Ư have codes of their own).
TCVN3 = dict(
    zip(
        "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u00adõøö÷ùúýûüþ¡¢§£¤¥¦",
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
        strict=True,
    )
)
_TABLE = str.maketrans(TCVN3)
TCVN3_WARNING = "read as Vietnamese in the legacy TCVN3 (.VnTime) encoding"
#: A TCVN3 font's name: ".VnTime", ".VnArial", ".VnTimeH" (the "H" fonts draw every letter as a capital).
_FONT = re.compile(r"^\.vn", re.IGNORECASE)
#: Letters only Unicode Vietnamese writes (within the corpus languages): a text holding them is Unicode.
_UNICODE_VIETNAMESE = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
_WORD = re.compile(r"[^\W\d_]+")
_CODES = frozenset(TCVN3)
#: A Vietnamese syllable without its tone: initial consonant, vowel nucleus, final consonant.
_NUCLEI = (
    "iêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|yêu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|ua|uâ|uê|ui|uô|uơ|ươ|ưa|ưi|ưu|uy|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_SYLLABLE = re.compile(
    rf"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?(?:{_NUCLEI})(?:ch|ng|nh|[cmnpt])?$"
)
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def is_tcvn3_font(name: str | None) -> tuple[bool, bool]:
    """Whether a font of this name is a TCVN3 font, and whether it draws capitals (".VnTimeH")."""
    name = (name or "").strip()
    if not _FONT.match(name):
        return False, False
    return True, name.rstrip().endswith("H")


def from_tcvn3(text: str, capitals: bool = False) -> str:
    """``text`` stored in TCVN3, in Unicode (NFC). A word typed in capitals keeps them ("QUYÕT" →
    "QUYẾT": TCVN3 has no capital accented letters but Ă Â Đ Ê Ô Ơ Ư, so they were typed small)."""
    recoded = text.translate(_TABLE)
    if capitals:
        return recoded.upper()
    return _WORD.sub(lambda m: m.group().upper() if _typed_in_capitals(m.group()) else m.group(), recoded)


def looks_like_tcvn3(text: str, settings: TCVN3Settings) -> bool:
    """True when ``text`` is Vietnamese stored in TCVN3: no Unicode Vietnamese letter, and enough words
    holding a TCVN3 code point (a number and a share of all words), most of them Vietnamese syllables
    once recoded (see :class:`~assistant.settings.TCVN3Settings`)."""
    if _UNICODE_VIETNAMESE.search(text):
        return False
    every = _WORD.findall(text)
    words = [w for w in every if _CODES.intersection(w)]
    if len(words) < settings.min_words or len(words) < settings.min_density * len(every):
        return False
    syllables = sum(_is_syllable(from_tcvn3(w)) for w in words)
    return syllables >= settings.min_share * len(words)


def _is_syllable(word: str) -> bool:
    """A Vietnamese syllable: at most one tone mark, and its letters without it in the syllable's shape."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONES for c in decomposed) > 1:
        return False
    return bool(_SYLLABLE.match(unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))))


def _typed_in_capitals(word: str) -> bool:
    ascii_letters = [c for c in word if c.isascii()]
    return len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters)
