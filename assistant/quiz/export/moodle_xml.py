"""Moodle XML, written and read the way Moodle's importer reads it (moodle/moodle ``question/format/xml/format.php``).

Every question carries what ``import_headers`` reads — ``name`` (required: "xmlimportnoname"),
``questiontext`` and ``generalfeedback`` (HTML), ``defaultgrade``, ``penalty``, ``hidden`` and a
stable ``idnumber`` (the item's id) — and, per type:

- ``multichoice``: ``single``, ``shuffleanswers`` (true: Moodle's importer defaults it to false),
  ``answernumbering``, ``showstandardinstruction``, the combined feedback, and four ``answer``
  elements (HTML) with ``fraction`` 100 or 0 and per-answer ``feedback``;
- ``truefalse``: two answers whose texts are exactly "true" and "false" (Moodle matches on them);
- ``shortanswer``: ``usecase`` and one 100 % plain-text answer per accepted variant;
- ``numerical``: one answer (the value, decimal point) with its ``tolerance``, and the unit options;
- ``matching``: ``shuffleanswers``, the combined feedback, and a ``subquestion`` (HTML) per pair
  with its plain-text ``answer``.

Questions are preceded by ``category`` questions ($course$/top/<quiz title>/<category path>).

Moodle's import keeps an idnumber only when no question of the target category has it already:
importing the same file twice adds the questions again (without their idnumber); it does not
update them. The idnumber identifies an item across exports; it does not make re-import an update.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from lxml import etree

from assistant.quiz.errors import ExportError, MoodleXmlError
from assistant.quiz.export.common import (
    ExportResult,
    ensure_parent,
    explanation_with_citation,
    one_line,
    to_html,
)
from assistant.quiz.export.gift import question_name
from assistant.quiz.export.moodle import (
    MoodleAnswer,
    MoodleQuestion,
    category_path,
    is_moodle_fraction,
    moodle_percent,
    php_is_numeric,
)
from assistant.quiz.items import Quiz, QuizItem
from assistant.quiz.numbers import format_number

FORMAT: Final[str] = "moodle_xml"
XML_TYPES: Final[dict[str, str]] = {
    "multichoice": "multichoice",
    "truefalse": "truefalse",
    "shortanswer": "shortanswer",
    "numerical": "numerical",
    "matching": "matching",
}
DEFAULT_PENALTY: Final[str] = "0.3333333"
# Moodle's trans_format names.
_FORMATS: Final[dict[str, str]] = {
    "moodle_auto_format": "moodle",
    "html": "html",
    "plain_text": "plain",
    "wiki_like": "wiki",
    "markdown": "markdown",
}


def _text(parent: etree._Element, tag: str, text: str, fmt: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag, format=fmt) if fmt else etree.SubElement(parent, tag)
    etree.SubElement(element, "text").text = text
    return element


def _value(parent: etree._Element, tag: str, value: str) -> None:
    etree.SubElement(parent, tag).text = value


def _combined_feedback(question: etree._Element) -> None:
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(question, tag, "", "html")


def _answer(parent: etree._Element, fraction: float, text: str, fmt: str, feedback: str = "") -> etree._Element:
    answer = etree.SubElement(parent, "answer", fraction=moodle_percent(fraction), format=fmt)
    etree.SubElement(answer, "text").text = text
    _text(answer, "feedback", to_html(feedback) if feedback else "", "html")
    return answer


def _category(root: etree._Element, path: str) -> None:
    question = etree.SubElement(root, "question", type="category")
    _text(question, "category", path)
    _text(question, "info", "", "html")
    _value(question, "idnumber", "")


def _question(root: etree._Element, item: QuizItem) -> None:
    question = etree.SubElement(root, "question", type=XML_TYPES[item.type])
    _text(question, "name", question_name(item))
    _text(question, "questiontext", to_html(item.stem), "html")
    _text(question, "generalfeedback", to_html(explanation_with_citation(item)), "html")
    _value(question, "defaultgrade", "1.0000000")
    _value(question, "penalty", "1.0000000" if item.type == "truefalse" else DEFAULT_PENALTY)
    _value(question, "hidden", "0")
    _value(question, "idnumber", item.id)
    if item.type == "multichoice":
        _value(question, "single", "true")
        _value(question, "shuffleanswers", "true")
        _value(question, "answernumbering", "abc")
        _value(question, "showstandardinstruction", "0")
        _combined_feedback(question)
        for option in item.options:
            _answer(question, 1.0 if option.correct else 0.0, to_html(option.text), "html", option.feedback)
    elif item.type == "truefalse":
        _answer(question, 1.0 if item.truth else 0.0, "true", "moodle_auto_format")
        _answer(question, 0.0 if item.truth else 1.0, "false", "moodle_auto_format")
    elif item.type == "shortanswer":
        _value(question, "usecase", "0")
        for variant in item.answers:
            _answer(question, 1.0, variant, "moodle_auto_format")
    elif item.type == "numerical":
        assert item.value is not None and item.tolerance is not None  # set by the model
        answer = _answer(question, 1.0, format_number(item.value), "moodle_auto_format")
        _value(answer, "tolerance", format_number(item.tolerance))
        _value(question, "unitgradingtype", "0")
        _value(question, "unitpenalty", "0.1000000")
        _value(question, "showunits", "3")
        _value(question, "unitsleft", "0")
    else:
        _value(question, "shuffleanswers", "true")
        _combined_feedback(question)
        for pair in item.pairs:
            sub = _text(question, "subquestion", to_html(pair.left), "html")
            answer = etree.SubElement(sub, "answer")
            etree.SubElement(answer, "text").text = pair.right
    tags = etree.SubElement(question, "tags")
    for tag in ("quiz", item.type, item.difficulty, item.language):
        _text(tags, "tag", tag)


def moodle_xml_bytes(quiz: Quiz) -> bytes:
    """The whole quiz as a Moodle XML document (UTF-8, with its declaration)."""
    root = etree.Element("quiz")
    report = f" {one_line(quiz.title)}; language {quiz.language}; seed {quiz.seed}; {quiz.report.summary()} "
    root.append(etree.Comment(report.replace("--", "- -")))
    current: str | None = None
    for item in quiz.items:
        path = category_path(quiz.title, item.category)
        if path != current:
            _category(root, path)
            current = path
        _question(root, item)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_moodle_xml(quiz: Quiz, path: Path) -> ExportResult:
    """Write ``quiz`` as a Moodle XML file (what Moodle's "Moodle XML format" import reads)."""
    data = moodle_xml_bytes(quiz)
    try:  # the strict reader must read back every question we meant to write
        questions = [question for question in parse_moodle_xml(data) if question.qtype != "category"]
    except MoodleXmlError as exc:
        raise ExportError(FORMAT, f"the XML written does not read back: {exc}", path) from exc
    if len(questions) != len(quiz.items):
        raise ExportError(FORMAT, f"{len(questions)} questions read back, {len(quiz.items)} written", path)
    try:
        ensure_parent(path, FORMAT).write_bytes(data)
    except OSError as exc:
        raise ExportError(FORMAT, f"cannot write: {exc.strerror}", path) from exc
    return ExportResult(format=FORMAT, path=path, written=len(quiz.items))


# Reading back ---------------------------------------------------------------------------------


def _required(element: etree._Element, path: str, number: int, what: str) -> etree._Element:
    found = element.find(path)
    if found is None:
        raise MoodleXmlError(number, f"no <{path}> ({what})")
    return found


def _content(element: etree._Element | None) -> str:
    """The trimmed text of ``element/text`` (Moodle's getpath(..., istext) trims)."""
    if element is None:
        return ""
    text = element.find("text")
    return (text.text or "").strip() if text is not None else ""


def _format(element: etree._Element | None, default: str, number: int) -> str:
    if element is None or element.get("format") is None:
        return default
    name = element.get("format", "").strip()
    if name not in _FORMATS:
        raise MoodleXmlError(number, f"unknown text format {name!r} (Moodle would assume html)")
    return _FORMATS[name]


def _fraction(answer: etree._Element, number: int) -> float:
    raw = answer.get("fraction", "0")
    if not php_is_numeric(raw):
        raise MoodleXmlError(number, f"answer fraction {raw!r} is not a number")
    fraction = float(raw) / 100
    if not is_moodle_fraction(fraction):
        raise MoodleXmlError(number, f"grade {raw} % is not in Moodle's list (invalidgrade)")
    return fraction


def _flag(question: etree._Element, tag: str, number: int) -> bool | None:
    element = question.find(tag)
    if element is None:
        return None
    value = (element.text or "").strip()
    if value not in ("true", "false", "1", "0"):
        raise MoodleXmlError(number, f"<{tag}> is {value!r}, not true/false")
    return value in ("true", "1")


def _answers(question: etree._Element, number: int, minimum: int, html_answers: bool) -> list[MoodleAnswer]:
    answers = []
    for answer in question.findall("answer"):
        feedback = answer.find("feedback")
        answers.append(
            MoodleAnswer(
                text=_content(answer),
                fraction=_fraction(answer, number),
                format=_format(answer, "html", number) if html_answers else "plain",
                feedback=_content(feedback),
                feedback_format=_format(feedback, "html", number),
            )
        )
    if len(answers) < minimum:
        raise MoodleXmlError(number, f"{len(answers)} <answer> element(s); this type needs at least {minimum}")
    if any(not answer.text for answer in answers):
        raise MoodleXmlError(number, "an <answer> without text")
    return answers


def _read_question(question: etree._Element, number: int) -> MoodleQuestion:
    kind = question.get("type")
    if kind == "category":
        category = _content(_required(question, "category", number, "the category path"))
        if not category:
            raise MoodleXmlError(number, "an empty category path")
        return MoodleQuestion(qtype="category", category=category)
    if kind not in ("multichoice", "truefalse", "shortanswer", "numerical", "matching", "match"):
        raise MoodleXmlError(number, f"question type {kind!r} is not one we write (xmltypeunsupported)")
    name = _content(_required(question, "name", number, "xmlimportnoname"))
    if not name:
        raise MoodleXmlError(number, "an empty <name> (xmlimportnoname)")
    text_element = _required(question, "questiontext", number, "the question text")
    feedback_element = question.find("generalfeedback")
    parsed = MoodleQuestion(
        qtype="match" if kind == "matching" else kind,
        name=name,
        text=_content(text_element),
        format=_format(text_element, "html", number),
        general_feedback=_content(feedback_element),
        general_feedback_format=_format(feedback_element, "html", number),
        idnumber=(question.findtext("idnumber") or "").strip(),
        tags=[_content(tag) for tag in question.findall("tags/tag")],
    )
    if not parsed.text:
        raise MoodleXmlError(number, "an empty question text")
    if kind == "multichoice":
        parsed.single = _flag(question, "single", number)
        parsed.single = True if parsed.single is None else parsed.single
        parsed.shuffle_answers = _flag(question, "shuffleanswers", number)
        parsed.answers = _answers(question, number, 2, html_answers=True)
        top = max(answer.fraction for answer in parsed.answers)
        if parsed.single and top != 1:
            raise MoodleXmlError(number, "a single-answer question without a 100 % answer")
    elif kind == "truefalse":
        answers = _answers(question, number, 2, html_answers=False)
        texts = sorted(answer.text for answer in answers)
        if texts != ["false", "true"]:
            raise MoodleXmlError(number, f"true/false answers are {texts}, not 'true' and 'false'")
        true = next(answer for answer in answers if answer.text == "true")
        false = next(answer for answer in answers if answer.text == "false")
        if {true.fraction, false.fraction} != {0.0, 1.0}:
            raise MoodleXmlError(number, "exactly one of 'true' and 'false' must have fraction 100")
        parsed.correct = true.fraction == 1.0
        parsed.feedback_true, parsed.feedback_false = true.feedback, false.feedback
    elif kind == "shortanswer":
        parsed.answers = _answers(question, number, 1, html_answers=False)
        if max(answer.fraction for answer in parsed.answers) != 1:
            raise MoodleXmlError(number, "a short-answer question without a 100 % answer")
    elif kind == "numerical":
        parsed.answers = _answers(question, number, 1, html_answers=False)
        for answer, element in zip(parsed.answers, question.findall("answer"), strict=True):
            tolerance = (element.findtext("tolerance") or "0").strip()
            if answer.text != "*" and not php_is_numeric(answer.text):
                raise MoodleXmlError(number, f"numerical answer {answer.text!r} is not a number")
            if not php_is_numeric(tolerance):
                raise MoodleXmlError(number, f"tolerance {tolerance!r} is not a number")
            answer.tolerance = float(tolerance)
        if max(answer.fraction for answer in parsed.answers) != 1:
            raise MoodleXmlError(number, "a numerical question without a 100 % answer")
    else:
        parsed.shuffle_answers = _flag(question, "shuffleanswers", number)
        subquestions = question.findall("subquestion")
        if len(subquestions) < 2:
            raise MoodleXmlError(number, f"{len(subquestions)} <subquestion> element(s); matching needs at least 2")
        for sub in subquestions:
            parsed.subquestion_format = _format(sub, "html", number)
            parsed.subquestions.append((_content(sub), _content(sub.find("answer"))))
        if any(not right for _, right in parsed.subquestions):
            raise MoodleXmlError(number, "a <subquestion> without its answer text")
    return parsed


def parse_moodle_xml(data: bytes) -> list[MoodleQuestion]:
    """Every question of a Moodle XML document; ``MoodleXmlError`` where Moodle's importer would fail."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MoodleXmlError(0, "not UTF-8 (importwrongfileencoding)") from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise MoodleXmlError(0, f"not well-formed XML: {exc}") from exc
    if root.tag != "quiz":
        raise MoodleXmlError(0, f"the root element is <{root.tag}>, not <quiz>")
    questions = root.findall("question")
    if not questions:
        raise MoodleXmlError(0, "no <question> element (noquestionsinfile)")
    return [_read_question(question, number) for number, question in enumerate(questions, start=1)]


def read_moodle_xml(path: Path) -> list[MoodleQuestion]:
    """Read a Moodle XML file back (see :func:`parse_moodle_xml`)."""
    return parse_moodle_xml(Path(path).read_bytes())
