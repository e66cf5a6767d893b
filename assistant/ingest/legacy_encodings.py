"""Vietnamese typed in a legacy font encoding, TCVN3 (".VnTime") or VNI ("VNI-Times"), read as Unicode.

Many provincial templates and older guidebooks were typed before Unicode, in fonts whose Latin-1 code
points draw Vietnamese letters: the file holds "Céng hßa x· héi chñ nghÜa ViÖt Nam" (TCVN3) or "Coäng hoøa
xaõ hoäi chuû nghóa Vieät Nam" (VNI) and Word shows "Cộng hòa xã hội chủ nghĩa Việt Nam" because the run's
font is ".VnTime" or "VNI-Times". Read as it is stored, such a document matches no question. Two ways to
know it:

* **by its font** (DOCX): a run whose font is one of the encoding's fonts is recoded
  (:func:`font_encoding`, applied by :mod:`assistant.ingest.word_xml`);
* **by its text** (PDF, TXT, CSV, XLSX, where no font name is at hand): a text with no Vietnamese letter
  of Unicode whose words the encoding changes are, recoded, Vietnamese syllables (:func:`text_encoding`).
  German, Portuguese or Spanish words recoded are not ("für" would be "fỹr" in TCVN3, "información"
  "informacĩn" in VNI), so the sample articles are left alone.

The two tables are the encodings' own (TCVN 5712:1993's VN3; VNI Windows); no maintained Python package
carries them. TCVN3 gives each letter one code point; VNI writes a base letter followed by a code point
for its marks ("eä" is "ệ"), and a few letters as one code point ("ñ" is "đ", "ö" "ư", "ó" "ĩ").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from assistant.settings import LegacyEncodingSettings

#: Letters only Unicode Vietnamese writes (within the corpus languages): a text holding them is Unicode.
_UNICODE_VIETNAMESE = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
_WORD = re.compile(r"[^\W\d_]+")
#: A Vietnamese syllable without its tone: initial consonant, vowel nucleus, final consonant.
_NUCLEI = (
    "iêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|yêu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|ua|uâ|uê|ui|uô|uơ|ươ|ưa|ưi|ưu|uy|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_SYLLABLE = re.compile(
    rf"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?(?:{_NUCLEI})(?:ch|ng|nh|[cmnpt])?$"
)
#: The five tone marks, in the order both encodings list them: sắc, huyền, hỏi, ngã, nặng.
_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")

# --- TCVN3 -----------------------------------------------------------------------------------------------
#: TCVN3 code point → Unicode letter (lower case; the capitals Ă Â Đ Ê Ô Ơ Ư have codes of their own).
TCVN3_TABLE = dict(
    zip(
        "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u00adõøö÷ùúýûüþ¡¢§£¤¥¦",
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
        strict=True,
    )
)
_TCVN3 = str.maketrans(TCVN3_TABLE)


def from_tcvn3(text: str, capitals: bool = False) -> str:
    """``text`` stored in TCVN3, in Unicode (NFC). A word typed in capitals keeps them ("QUYÕT" →
    "QUYẾT": TCVN3 has no capital accented letters but Ă Â Đ Ê Ô Ơ Ư, so they were typed small); a
    ".Vn…H" font (``capitals``) draws every letter as a capital."""
    recoded = text.translate(_TCVN3)
    if capitals:
        return recoded.upper()
    return _WORD.sub(lambda m: m.group().upper() if _typed_in_capitals(m.group()) else m.group(), recoded)


def _typed_in_capitals(word: str) -> bool:
    ascii_letters = [c for c in word if c.isascii()]
    return len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters)


# --- VNI -------------------------------------------------------------------------------------------------
#: VNI's marks after a base letter: (the letters they follow, the added mark, the code of the mark alone or
#: None, the codes of the mark with each tone in :data:`_TONES`' order).
_VNI_MARKS = (
    ("aeouy", "", None, "ùøûõï"),  # the tone alone
    ("aeo", "\u0302", "â", "áàåãä"),  # â ê ô
    ("a", "\u0306", "ê", "éèúüë"),  # ă
)
#: Letters VNI writes as one code point: ơ and ư (a tone follows them as after a base letter), the rest.
_VNI_HORNED = {"ô": "ơ", "ö": "ư"}
_VNI_SINGLE = {"í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ñ": "đ"}


def _vni_table() -> dict[str, str]:
    """VNI spelling → Unicode letter, in both cases (a mark typed in the other case than its letter is
    read all the same: "Aù" and "AÙ" are "Á")."""
    spellings: dict[str, str] = {}  # lower-case VNI → lower-case letter
    for bases, mark, bare, toned in _VNI_MARKS:
        for base in bases:
            if bare:
                spellings[base + bare] = base + mark
            spellings.update({base + code: base + mark + tone for code, tone in zip(toned, _TONES, strict=True)})
    for code, letter in _VNI_HORNED.items():
        spellings[code] = letter
        spellings.update({code + t: letter + tone for t, tone in zip(_VNI_MARKS[0][3], _TONES, strict=True)})
    spellings.update(_VNI_SINGLE)
    table: dict[str, str] = {}
    for code, letter in spellings.items():
        letter = unicodedata.normalize("NFC", letter)
        first, rest = code[0], code[1:]
        for typed in {first + rest, first + rest.upper()}:
            table[typed] = letter
        for typed in {first.upper() + rest, first.upper() + rest.upper()}:
            table[typed] = letter.upper()
    return table


VNI_TABLE = _vni_table()
_VNI = re.compile("|".join(re.escape(k) for k in sorted(VNI_TABLE, key=len, reverse=True)))


def from_vni(text: str, capitals: bool = False) -> str:
    """``text`` stored in VNI, in Unicode (NFC). VNI has capitals of every letter, so ``capitals`` (a
    font drawing capitals only) changes nothing but the case."""
    recoded = _VNI.sub(lambda m: VNI_TABLE[m.group()], text)
    return recoded.upper() if capitals else recoded


# --- the encodings -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LegacyEncoding:
    """One legacy encoding: its name, its fonts (a DOCX names them) and how it reads."""

    name: str
    fonts: re.Pattern[str]
    #: A font drawing every letter as a capital (".VnTimeH"), among the encoding's fonts.
    capital_fonts: re.Pattern[str]
    #: Recodes a stored text (``capitals``: drawn in a capitals font).
    read: Callable[[str, bool], str]

    @property
    def warning(self) -> str:
        return f"read as Vietnamese in the legacy {self.name} encoding"


TCVN3 = LegacyEncoding(
    "TCVN3 (.VnTime)", re.compile(r"^\.vn", re.IGNORECASE), re.compile(r"^\.[vV][nN].*H$"), from_tcvn3
)
VNI = LegacyEncoding("VNI", re.compile(r"^vni[-_ ]", re.IGNORECASE), re.compile(r"(?!)"), from_vni)
ENCODINGS = (TCVN3, VNI)


def font_encoding(name: str | None) -> tuple[LegacyEncoding | None, bool]:
    """The legacy encoding a font of this name draws, if any, and whether it draws capitals (".VnTimeH")."""
    name = (name or "").strip()
    for encoding in ENCODINGS:
        if encoding.fonts.match(name):
            return encoding, bool(encoding.capital_fonts.match(name))
    return None, False


def text_encoding(text: str, settings: LegacyEncodingSettings) -> LegacyEncoding | None:
    """The legacy encoding ``text`` is Vietnamese stored in, or None: no Unicode Vietnamese letter, and
    enough words the encoding changes (a number and a share of all words), most of them Vietnamese
    syllables once recoded (see :class:`~assistant.settings.LegacyEncodingSettings`). When both
    encodings qualify, the one whose words read as syllables more often."""
    if _UNICODE_VIETNAMESE.search(text):
        return None
    words = Counter(_WORD.findall(text))
    total = sum(words.values())
    best: tuple[float, LegacyEncoding | None] = (0.0, None)
    for encoding in ENCODINGS:
        coded = syllables = 0
        for word, count in words.items():
            recoded = encoding.read(word, False)
            if recoded != word:
                coded += count
                syllables += count * _is_syllable(recoded)
        if coded < settings.min_words or coded < settings.min_density * total:
            continue
        share = syllables / coded
        if share >= settings.min_share and share > best[0]:
            best = (share, encoding)
    return best[1]


def syllable_share(text: str) -> float:
    """Of the words of ``text`` holding a letter past ASCII, the share that are Vietnamese syllables (0 when
    there are none): how Vietnamese one reading of a file's bytes is, against another."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    return sum(map(_is_syllable, words)) / len(words) if words else 0.0


def _is_syllable(word: str) -> bool:
    """A Vietnamese syllable: at most one tone mark, and its letters without it in the syllable's shape."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONES for c in decomposed) > 1:
        return False
    return bool(_SYLLABLE.match(unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))))
