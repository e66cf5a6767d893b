"""What kind of answer a question expects, and whether a sentence can supply it.

"Bao nhiêu tỷ đồng?" needs an amount of money, "how many pages?" a page
count, "tỷ lệ … là bao nhiêu?" a percentage, "ngày nào?" a date. A passage
sentence without such evidence cannot answer, however many words it shares
with the question. Cues and evidence are matched on folded text
(:func:`assistant.retrieval.text_norm.fold`: no accents, Cyrillic transliterated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.answer.text import CLOCK_TIME, capitalised_words, keys_of, person_names
from assistant.retrieval.dates import quarter_mentions
from assistant.retrieval.keys import extract_keys
from assistant.retrieval.text_norm import fold


@dataclass(frozen=True)
class AnswerType:
    """An expected kind of answer: question cues, and the sentence evidence it requires."""

    name: str
    cues: re.Pattern[str]
    evidence: re.Pattern[str] | None  # None: a key of kind ``key_kind`` is required instead
    key_kinds: tuple[str, ...] = ()
    min_names: int = 0  # person names (three capitalised short words: "Nguyen Van Gau") required
    instead_of_key: re.Pattern[str] | None = None  # evidence that stands in for a key of ``key_kinds``
    # A question holding such a value anywhere asks about what it names ("Mã số XJ-4471 cấp cho
    # xã nào?"), not for one.
    given_anywhere: bool = False


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


# Specific kinds first: the first kind whose cue matches decides.
ANSWER_TYPES: tuple[AnswerType, ...] = (
    AnswerType(
        "money",
        _words(
            r"kinh phi",
            r"ngan sach",
            r"ty dong",
            r"trieu dong",
            r"phat tien",
            r"bi phat",
            r"budget\w*",
            r"fines?",
            r"fined",
            r"funding",
            r"costs?",
            r"vnd",
            r"biudzhet\w*",
            r"shtraf\w*",
        ),
        _words(
            r"vnd",
            r"dong",
            r"dongs",
            r"dongov",
            r"ty",
            r"trieu",
            r"billions?",
            r"millions?",
            r"milliard\w*",
            r"mlrd",
            r"mln",
            r"mrd",
            r"bilh\w*",
            r"millones",
            r"milhoes",
            r"euro\w*",
            r"usd",
            r"\$",
        ),
        ("num",),
    ),
    AnswerType(
        "pages",
        _words(r"bao nhieu trang", r"may trang", r"so trang", r"pages?", r"stranits\w*", r"storin\w*", r"seiten"),
        _words(r"trang", r"pages?", r"stranits\w*", r"storin\w*", r"seiten", r"paginas"),
        ("num",),
    ),
    AnswerType(
        "phone",
        _words(r"so dien thoai", r"duong day nong", r"hotline", r"phone", r"telephone", r"telefon\w*"),
        re.compile(r"hotline|telefon|telephon|phone|\d{3,4}[ .]\d{3}[ .]\d{3,4}"),
    ),
    AnswerType(
        "organisation",
        _words(
            r"which company",
            r"what company",
            r"which firm",
            r"which enterprise",
            r"cong ty nao",
            r"doanh nghiep nao",
            r"don vi nao phat trien",
            r"quelle entreprise",
            r"kakaia kompaniia",
            r"welches unternehmen",
            r"welche firma",
        ),
        _words(
            r"jsc",
            r"corp\w*",
            r"group",
            r"ltd",
            r"inc",
            r"gmbh",
            r"ag",
            r"s\.a\.",
            r"tap doan",
            r"cong ty",
            r"korporats\w*",
            r"kompani\w*",
            r"konzern",
            r"grupo",
        ),
    ),
    AnswerType(
        "document_code",
        _words(
            r"so hieu",
            r"(?:van ban|nghi quyet|ket luan|cong van|quyet dinh|chi thi) (?:\w+ )?nao",
            r"number and date",
            r"what number",
            r"(?:which|what) (?:\w+ )?(?:resolutions?|conclusions?|dispatch\w*|decisions?|directives?|documents?)",
            r"kak\w+ (?:\w+ )?(?:rasporiazheni\w*|postanovleni\w*|rezoliutsi\w*|dokument\w*|zakliuchen\w*)",
            r"welche\w* (?:\w+ )?(?:beschluss\w*|schlussfolgerung\w*|dokument\w*|weisung\w*)",
        ),
        None,
        ("code",),
    ),
    AnswerType(
        # The code of an item of a list: a procedure's ("Mã thủ tục … là gì?"), an indicator's, a task's.
        "item_code",
        _words(
            r"ma so",
            r"ma (?:thu tuc|tthc|chi tieu|nhiem vu|ho so)",
            r"(?:what|which)(?: is the)? (?:\w+ )?codes?",
            r"codes? (?:of|for)",
            r"kak\w+ (?:\w+ )?kod\w*",
            r"welche\w* (?:\w+ )?(?:code|kennung)",
        ),
        None,
        ("code",),
        # A national procedure code ("1.001193") is read as a number; its six digits after the dot tell it apart.
        # Letters then digits ("XJ-4471", "B9", folded to lower case) are a code the keys do not all read.
        instead_of_key=re.compile(r"(?<![\w.,])(?:\d{1,2}\.\d{6}|[a-z]{1,5}-?\d{1,6})(?!\w)"),
        given_anywhere=True,
    ),
    AnswerType(
        "percent",
        _words(
            r"ty le",
            r"phan tram",
            r"percent\w*",
            r"what share",
            r"proportion",
            r"pourcentage",
            r"protsent\w*",
            r"prozent\w*",
        ),
        re.compile(r"%|percent|prozent|por ciento|por cento|protsent|vidsot|phan tram"),
        ("num",),
    ),
    AnswerType(
        "people",
        _words(
            r"nhung dong chi nao",
            r"nhung ai",
            r"which (?:\w+ ){0,3}(?:officials|leaders)",
            r"who were",
            r"quels responsables",
            r"kakie rukovoditeli",
            r"welche funktionare",
        ),
        None,
        min_names=2,
    ),
    AnswerType(
        "person",
        _words(r"ai", r"dong chi nao", r"who", r"whom", r"which co-chair", r"qui", r"kto", r"wer", r"quien", r"quem"),
        None,
        min_names=1,
    ),
    AnswerType(
        "duration",
        _words(
            r"bao lau(?! mot lan)",
            r"may (?:phut|ngay|tuan|thang)",  # "mấy giờ" asks what time
            r"bao nhieu (?:phut|gio|ngay|tuan|thang)",
            r"how long",
            r"how quickly",
            r"how soon",
            r"how many (?:minutes|hours|days|working days|weeks|months)",
            r"within what time",
            r"combien de temps",
            r"skolko vremeni",
            r"kak dolgo",
            r"skilki chasu",
            r"iak dovho",
            r"wie lange",
            r"wie schnell",
            r"cuanto tiempo",
            r"quanto tempo",
        ),
        # A number with a unit of time (folded): "20 phút", "02 giờ", "04 ngày làm việc", "2 hours", "3 Tage".
        re.compile(
            r"\d+\s*(?:(?:working|business|calendar|rabochi\w*|arbeits)\s*)?"
            r"(?:phut|gio|ngay|tuan|thang|nam|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?"
            r"|minut\w*|chas\w*|godin\w*|hodyn\w*|dn\w*|sutok|nedel\w*|tyzhn\w*|mesiats\w*|misiats\w*"
            r"|stunden?|tagen?|tage|wochen?|monat\w*|jahr\w*|minutos?|horas?|dias?|semanas?|mes(?:es)?|anos?"
            r"|heures?|jours?|semaines?|mois)(?!\w)"
        ),
        ("num",),
    ),
    AnswerType(
        "date",
        _words(
            r"ngay nao",
            r"khi nao",
            r"bao gio",
            r"thoi han",
            r"may gio",
            r"when",
            r"what date",
            r"which date",
            r"by when",
            r"what time",
            r"quand",
            r"kogda",
            r"wann",
            r"cuando",
            r"quando",
        ),
        None,
        ("date", "month", "quarter"),  # "trong tháng 10/2027" and "Quý III/2027" answer "khi nào?"
        instead_of_key=CLOCK_TIME,  # a deadline within the day ("before 16:00")
    ),
    AnswerType(
        "count",
        _words(
            r"bao nhieu",
            r"so may",
            r"how many",
            r"how much",
            r"combien",
            r"skolko",
            r"wie viele",
            r"wie viel",
            r"cuantos",
            r"cuantas",
            r"quantos",
            r"quantas",
        ),
        None,
        ("num", "date", "code"),
    ),
)


def _names_value(folded: str, end: int, kinds: tuple[str, ...]) -> bool:
    """True when the cue ending at ``end`` is followed at once (at most one word between) by a value of
    ``kinds``: the question names that value rather than asks for it ("nhiệm vụ có thời hạn quý I/2028",
    "thời hạn là 30/6/2028" ask no date)."""
    words = folded[end:].split()
    for skip in (0, 1):
        head = " ".join(words[skip : skip + 6])
        quarters = quarter_mentions(head)
        if (head[:1].isdigit() or (quarters and quarters[0].start == 0)) and any(
            k.split(":", 1)[0] in kinds for k in extract_keys(head)
        ):
            return True
    return False


def _asks(answer_type: AnswerType, folded: str) -> bool:
    """Whether a cue of ``answer_type`` asks for its kind (one cue not followed by a value of it will do; none,
    for a kind ``given_anywhere``, when the question holds a value of it)."""
    if answer_type.given_anywhere and supplies(answer_type, folded, keys_of(folded)):
        return False
    return any(not _names_value(folded, m.end(), answer_type.key_kinds) for m in answer_type.cues.finditer(folded))


def expected_types(question: str) -> list[AnswerType]:
    """The answer kinds the question asks for: the first specific kind, plus date/count cues."""
    folded = fold(question)
    found = [t for t in ANSWER_TYPES if _asks(t, folded)]
    specific = [t for t in found if t.name not in ("person", "date", "count")]
    if specific:
        return specific[:1]
    return found[:1]




def _names_enough(answer_type: AnswerType, sentence: str) -> bool:
    """A "who" answer names a person or, as often in plans and lists, an agency or a role holder
    (any capitalised word after the first); "which officials" needs that many people's names."""
    if len(person_names(sentence)) >= answer_type.min_names:
        return True
    return answer_type.min_names == 1 and bool(capitalised_words(sentence))


def supplies(answer_type: AnswerType, sentence: str, new_keys: set[str]) -> bool:
    """True when ``sentence`` (with ``new_keys``: keys not already in the question) can give that kind."""
    if answer_type.min_names and not _names_enough(answer_type, sentence):
        return False
    if answer_type.key_kinds and not any(k.split(":", 1)[0] in answer_type.key_kinds for k in new_keys):
        stand_in = answer_type.instead_of_key
        if stand_in is None or not stand_in.search(fold(sentence)):
            return False
    return answer_type.evidence is None or bool(answer_type.evidence.search(fold(sentence)))


# Yes/no questions: Vietnamese "… có … không/chưa?", English and German auxiliaries first, Russian "ли".
_YES_NO = re.compile(
    r"(?:\b(?:khong|chua|phai khong)\s*\?\s*$)"
    r"|(?:^(?:does|do|did|is|are|was|were|can|could|will|would|has|have|had|should|must|may"
    r"|ist|sind|gibt|hat|haben|kann|muss|soll)\b)"
    r"|(?:\bli\b)"
)


# An answer opening with yes or no (folded; Cyrillic is transliterated: "да" → "da", "нет" → "net").
_POLARITY = re.compile(r"^(?:co|khong|chua|dung|vang|yes|no|ja|nein|oui|non|sim|nao|si|da|net|tak|ni)\b")


def is_yes_no(question: str) -> bool:
    """True for a question answered by yes or no, where restating it is an answer ("Có, Sổ tay có …")."""
    return bool(_YES_NO.search(fold(question).strip()))


def says_yes_or_no(answer: str) -> bool:
    """True when ``answer`` opens with yes or no ("Có, …", "Không.", "No, …").

    A bare restatement of a yes/no question ("Người đứng đầu có được giao khoán … [2].") says
    yes without meaning it: the 1.5B model echoes the question whatever the passages say.
    """
    return bool(_POLARITY.match(fold(answer).strip()))


def asked_figures(question: str) -> list[AnswerType]:
    """Every kind of figure ``question`` asks for: its :func:`expected_types` and, for a question in
    several parts ("gửi cho ai và trong bao lâu?", "when … and how many …"), each other
    date, duration or count it asks for too."""
    folded = fold(question)
    kinds = [t for t in expected_types(question) if t.key_kinds]
    more = [t for t in ANSWER_TYPES if t.name in _PART_KINDS and t.cues.search(folded)]
    if any(t.name == "duration" for t in kinds + more) and not _DATE_CUES.search(_TIME_LIMIT.sub(" ", folded)):
        more = [t for t in more if t.name != "date"]  # "thời hạn bao lâu?": the time limit is a duration
    asked = kinds + [t for t in more if t not in kinds]
    if any(t.name == "date" for t in asked):  # "when … and how many …": the date is not the count
        asked = [replace(t, key_kinds=("num",)) if t.name == "count" else t for t in asked]
    return asked


_PART_KINDS = ("duration", "date", "count")
_DATE_CUES = next(t.cues for t in ANSWER_TYPES if t.name == "date")
_TIME_LIMIT = re.compile(r"(?<!\w)thoi han(?!\w)")  # "thời hạn": a time limit, a date or a duration


def gives_asked_figure(question: str, answer: str) -> bool:
    """False when ``question`` asks for a figure (a date, a duration, a count, a percentage…) that
    ``answer`` lacks: every part of the question that asks for one (:func:`asked_figures`).

    Only kinds that need a key are checked (names are too varied to tell); a figure the
    question already holds does not count.
    """
    new_keys = keys_of(answer) - keys_of(question)
    return all(supplies(t, answer, new_keys) for t in asked_figures(question))
