"""Every export, read back: each item's type, options, key and feedback come back as written.

The quiz used holds the characters GIFT must escape (= # { } ~ : \\), HTML's (< & >), Vietnamese
text, newlines, numbers written "1.000" and "2,5" in the stem, and texts that look like GIFT
syntax (a leading "[html]", a leading "%50%", "->").
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from lxml import etree
from quiz_parsers import CITATION, item_view, make_item, moodle_view, read_anki, read_html_sheet, read_kahoot

from assistant.evaluation.questions import load_questions
from assistant.quiz.errors import ExportError, GiftParseError, MoodleXmlError
from assistant.quiz.export import EXTENSIONS, FORMATS, export
from assistant.quiz.export.anki import MODEL_ID, deck_id, note_guid
from assistant.quiz.export.common import citation_line, explanation_with_citation, key_display
from assistant.quiz.export.csv_file import read_csv
from assistant.quiz.export.gift import gift_escape, question_name
from assistant.quiz.export.gift_parse import parse_gift, read_gift
from assistant.quiz.export.json_file import read_json
from assistant.quiz.export.moodle import FRACTIONS, is_moodle_fraction, split_category_path
from assistant.quiz.export.moodle_xml import parse_moodle_xml, read_moodle_xml
from assistant.quiz.items import Quiz, QuizItem

TITLE = "Ôn tập Kế hoạch 02: đợt 1"


def tricky_items() -> list[QuizItem]:
    return [
        make_item(
            "multichoice",
            stem='Theo mục {1}: giai đoạn #1 = "cấp bách" ~ kết thúc khi nào?\nChọn C:\\đáp-án <b>đúng</b> & đủ.',
            options=[
                {"text": "30/6/2025", "correct": True, "feedback": "Đúng: 30/6 = hạn #1 {mục 1.2}"},
                {"text": "%50% số xã", "feedback": "Sai ~ đây là tỷ lệ"},
                {"text": "[html] thẻ mở"},
                {"text": "a -> b"},
            ],
            explanation="Vì {lý do}: mục 1.2 ghi \\rõ\\ hạn #1.",
            category=["Mốc/thời gian", "Giai đoạn"],
        ),
        make_item(
            "truefalse",
            stem="The urgent phase ends on 30 June 2025 ~ {true}?",
            truth=False,
            language="en",
            explanation="It ends on 30/6: see 1.2 = yes.",
        ),
        make_item(
            "shortanswer", answers=["02-KH/BCĐTW", "[02] KH", "%100% chắc", "a=b#c~d:e\\f"], category=["Văn bản"]
        ),
        make_item("numerical", stem='Có bao nhiêu phường (nguồn ghi "1.000")?', value=1000.0, tolerance=0.0),
        make_item("numerical", stem="Tỷ lệ là bao nhiêu phần trăm (nguồn ghi 2,5 %)?", value=2.5, tolerance=0.5),
        make_item(
            "matching",
            pairs=[
                {"left": "<b>Ban</b> chỉ đạo & {tổ}", "right": "x -> y"},
                {"left": "Sở = Nội vụ: #2", "right": "z:1 = {w}"},
                {"left": "[C] UBND ~ xã\\phường", "right": "w#~\\ đủ"},
            ],
        ),
    ]


def make_quiz(items: list[QuizItem] | None = None, title: str = TITLE) -> Quiz:
    items = tricky_items() if items is None else items
    dropped = [{"stem": "Câu bị loại", "reasons": [{"code": "flaw.longest_key", "message": "đáp án dài nhất"}]}]
    return Quiz(title=title, language="vi", seed=11, items=items, report={"kept": len(items), "dropped": dropped})


@pytest.fixture
def quiz() -> Quiz:
    return make_quiz()


def _questions(parsed: list) -> list:
    return [question for question in parsed if question.qtype != "category"]


# GIFT -----------------------------------------------------------------------------------------


def test_gift_round_trip(quiz: Quiz, tmp_path: Path) -> None:
    result = export(quiz, "gift", tmp_path / "quiz.gift.txt")
    assert (result.written, result.skipped) == (len(quiz.items), [])
    parsed = read_gift(result.path)
    questions = _questions(parsed)
    assert [moodle_view(q) for q in questions] == [item_view(item) for item in quiz.items]
    assert [q.name for q in questions] == [question_name(item) for item in quiz.items]
    assert all(q.format == "html" and q.general_feedback_format == "html" for q in questions)
    assert all({"quiz", item.type, item.language} <= set(q.tags) for q, item in zip(questions, quiz.items, strict=True))
    assert all(is_moodle_fraction(a.fraction) and a.fraction in (0.0, 1.0) for q in questions for a in q.answers)


def test_gift_category_blocks_switch_where_the_category_changes(quiz: Quiz, tmp_path: Path) -> None:
    parsed = read_gift(export(quiz, "gift", tmp_path / "q.txt").path)
    kinds = [q.qtype if q.qtype == "category" else "q" for q in parsed]
    assert kinds == ["category", "q", "category", "q", "category", "q", "category", "q", "q", "q"]
    paths = [split_category_path(q.category) for q in parsed if q.qtype == "category"]
    assert paths[0] == ["$course$", "top", TITLE, "Mốc/thời gian", "Giai đoạn"]
    assert paths[1] == ["$course$", "top", TITLE]
    assert paths[2] == ["$course$", "top", TITLE, "Văn bản"]


def test_gift_text_escapes_and_writes_numbers_with_a_decimal_point(quiz: Quiz, tmp_path: Path) -> None:
    text = export(quiz, "gift", tmp_path / "q.txt").path.read_text(encoding="utf-8")
    assert "{#\n\t=1000:0\n" in text
    assert "{#\n\t=2.5:0.5\n" in text
    assert 'Theo mục \\{1\\}\\: giai đoạn \\#1 \\= "cấp bách" \\~ kết thúc khi nào?<br>Chọn C\\:\\\\đáp-án' in text
    assert "&lt;b&gt;đúng&lt;/b&gt; &amp; đủ" in text
    assert "\t~%0%%50% số xã" in text  # a distractor that looks like a weight gets an explicit 0 %
    assert "\t~[html][html] thẻ mở" in text  # a leading bracket is never read as a format marker
    assert "\t=[plain][02] KH" in text and "\t=%100%%100% chắc" in text
    assert "{FALSE####" in text
    assert "[id:" + quiz.items[0].id + "]" in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a=b", "a\\=b"),
        ("#1", "\\#1"),
        ("{x}", "\\{x\\}"),
        ("~", "\\~"),
        ("10:30", "10\\:30"),
        ("C:\\new", "C\\:\\\\new"),
        ("hai\ndòng", "hai\\ndòng"),
        ("không đổi", "không đổi"),
    ],
)
def test_gift_escape(raw: str, escaped: str) -> None:
    assert gift_escape(raw) == escaped


def test_gift_is_the_same_on_every_export(quiz: Quiz, tmp_path: Path) -> None:
    first = export(quiz, "gift", tmp_path / "a.txt").path.read_bytes()
    second = export(make_quiz(), "gift", tmp_path / "b.txt").path.read_bytes()
    assert first == second
    assert [q.idnumber for q in _questions(parse_gift(first.decode()))] == [item.id for item in quiz.items]


def test_gift_skips_and_reports_a_short_answer_it_cannot_hold(tmp_path: Path) -> None:
    arrow = make_item("shortanswer", answers=["A -> B"])
    quiz = make_quiz([make_item(), arrow, make_item("truefalse")])
    result = export(quiz, "gift", tmp_path / "q.txt")
    assert result.written == 2
    assert [(s.item_id, "->" in s.reason) for s in result.skipped] == [(arrow.id, True)]
    questions = _questions(read_gift(result.path))
    assert [q.qtype for q in questions] == ["multichoice", "truefalse"]
    assert f"// not exported: {arrow.id}" in result.path.read_text(encoding="utf-8")


def test_an_unescaped_character_is_caught_by_the_reader(quiz: Quiz, tmp_path: Path) -> None:
    text = export(quiz, "gift", tmp_path / "q.txt").path.read_text(encoding="utf-8")
    broken = text.replace("Đúng\\: 30/6 \\= hạn", "Đúng\\: 30/6 = hạn", 1)  # the "=" in a feedback
    assert broken != text
    with pytest.raises(GiftParseError, match="more than one '='"):
        parse_gift(broken)


MOODLE_EXAMPLES = """
// from Moodle's format.php
Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}

Grant is {~buried =entombed ~living} in Grant's tomb.

Grant is buried in Grant's tomb.{FALSE}

::Q4:: Who's buried in Grant's tomb?{=no one =nobody}

When was Ulysses S. Grant born?{#1822:5}

Match the following countries with their corresponding capitals.{=Canada->Ottawa =Italy->Rome =Japan->Tokyo}

What two people are entombed in Grant's tomb? {~%-100%No one ~%50%Grant ~%50%Grant's wife ~%-100%Grant's father}

Grant died in {#1880..1890#Roughly}.

Is 1\\=1? {T#Look again#Right####Equality}
"""


def test_the_reader_reads_moodles_own_examples() -> None:
    questions = parse_gift(MOODLE_EXAMPLES)
    assert [q.qtype for q in questions] == [
        "multichoice", "multichoice", "truefalse", "shortanswer", "numerical", "match", "multichoice",
        "numerical", "truefalse",
    ]  # fmt: skip
    first, missing_word, false, short, number, match, weighted, ranged, feedback = questions
    assert [(a.text, a.fraction) for a in first.answers] == [("Grant", 0), ("Jefferson", 0), ("no one", 1)]
    assert missing_word.text == "Grant is _____ in Grant's tomb."
    assert false.correct is False
    assert (short.name, [a.text for a in short.answers]) == ("Q4", ["no one", "nobody"])
    assert (number.answers[0].text, number.answers[0].tolerance) == ("1822", 5.0)
    assert match.subquestions == [("Canada", "Ottawa"), ("Italy", "Rome"), ("Japan", "Tokyo")]
    assert [a.fraction for a in weighted.answers] == [-1.0, 0.5, 0.5, -1.0] and weighted.single is False
    assert (float(ranged.answers[0].text), ranged.answers[0].tolerance, ranged.answers[0].feedback) == (
        1885.0,
        5.0,
        "Roughly",
    )
    assert (feedback.text, feedback.correct, feedback.feedback_true, feedback.feedback_false) == (
        "Is 1=1?",
        True,
        "Right",
        "Look again",
    )
    assert feedback.general_feedback == "Equality"


REJECTED = [
    ("unescaped = in an answer", "Q {=1+1=2 ~3 ~4}", "more than one '='"),
    ("unknown weight", "Q {~%33%a =b ~c}", "not in Moodle's list"),
    ("weight over 100", "Q {=%150%a =b}", "not in Moodle's list"),
    ("malformed weight", "Q {~%abc%a =b}", "no valid weight"),
    ("lone opening brace", "Q {=a ~b", "braceerror"),
    ("lone closing brace", "Q =a ~b}", "braceerror"),
    ("unescaped brace in the stem", "Q } x {=a ~b}", "before the answers"),
    ("second answer block", "Q {=a ~b} and {=c ~d}", "second answer block"),
    ("one choice", "Q {~a}", "at least two choices"),
    ("empty choice", "Q {=a ~ ~b}", "empty choice"),
    ("matching pair without arrow", "Q {=a -> 1 =b -> 2 =c}", "has no '->'"),
    ("one matching pair", "Q {=a -> 1}", "at least two pairs"),
    ("numerical not a number", "Q {#abc}", "not a number"),
    ("numerical tolerance not a number", "Q {#12:x}", "tolerance"),
    ("decimal comma", "Q {#2,5}", "not a number"),
    ("empty short answer", "Q {= =b}", "empty short answer"),
    ("short answer without full marks", "Q {=%50%a}", "without a 100 %"),
    ("multiple answers not adding up", "Q {~%50%a ~b ~%25%c}", "do not add up"),
    ("escape in a category path", "$CATEGORY: $course$/top/a\\:b", "CATEGORY path"),
]


@pytest.mark.parametrize(("case", "text", "message"), REJECTED, ids=[case[0] for case in REJECTED])
def test_the_reader_rejects_what_moodle_rejects_or_mangles(case: str, text: str, message: str) -> None:
    with pytest.raises(GiftParseError, match=message) as caught:
        parse_gift("// ok\nOK {T}\n\n" + text + "\n")
    assert caught.value.question == 2


def test_the_reader_rejects_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Câu {T}".encode("latin-1"))
    with pytest.raises(GiftParseError, match="UTF-8"):
        read_gift(path)


def test_moodles_fraction_list() -> None:
    assert len(FRACTIONS) == 2 + 19 * 2 + 1
    assert is_moodle_fraction(0.3333333) and is_moodle_fraction(-0.05) and is_moodle_fraction(1 / 3)
    assert not is_moodle_fraction(0.33) and not is_moodle_fraction(0.15) and not is_moodle_fraction(1.5)


# Moodle XML -----------------------------------------------------------------------------------


def test_moodle_xml_round_trip(quiz: Quiz, tmp_path: Path) -> None:
    result = export(quiz, "moodle_xml", tmp_path / "quiz.xml")
    assert result.written == len(quiz.items)
    questions = _questions(read_moodle_xml(result.path))
    assert [moodle_view(q) for q in questions] == [item_view(item) for item in quiz.items]
    assert [q.name for q in questions] == [question_name(item) for item in quiz.items]
    assert [q.shuffle_answers for q in questions] == [True, None, None, None, None, True]


REQUIRED = {
    "multichoice": ["single", "shuffleanswers", "answernumbering", "correctfeedback", "answer"],
    "truefalse": ["answer"],
    "shortanswer": ["usecase", "answer"],
    "numerical": ["answer", "answer/tolerance"],
    "matching": ["shuffleanswers", "subquestion", "subquestion/answer/text"],
}


def test_moodle_xml_has_the_required_elements_per_type(quiz: Quiz, tmp_path: Path) -> None:
    data = export(quiz, "moodle_xml", tmp_path / "quiz.xml").path.read_bytes()
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(data)
    assert root.tag == "quiz"
    questions = root.findall("question")
    assert questions[0].get("type") == "category"
    assert questions[0].findtext("category/text") == f"$course$/top/{TITLE}/Mốc//thời gian/Giai đoạn"
    real = [q for q in questions if q.get("type") != "category"]
    assert [q.get("type") for q in real] == [item.type for item in quiz.items]
    for question, item in zip(real, quiz.items, strict=True):
        for path in ["name/text", "questiontext/text", "generalfeedback/text", "defaultgrade", "penalty", "hidden"]:
            assert question.find(path) is not None, (item.type, path)
        for path in REQUIRED[item.type]:
            assert question.find(path) is not None, (item.type, path)
        assert question.find("questiontext").get("format") == "html"
        assert question.findtext("idnumber") == item.id
        assert {answer.get("fraction") for answer in question.findall("answer")} <= {"100", "0"}
    multichoice, truefalse = real[0], real[1]
    assert multichoice.findtext("shuffleanswers") == "true" and multichoice.findtext("single") == "true"
    assert [a.get("fraction") for a in multichoice.findall("answer")] == ["100", "0", "0", "0"]
    assert [(a.findtext("text"), a.get("fraction")) for a in truefalse.findall("answer")] == [
        ("true", "0"),
        ("false", "100"),
    ]
    assert real[3].findtext("answer/text") == "1000" and real[4].findtext("answer/tolerance") == "0.5"
    assert real[4].findtext("answer/text") == "2.5"


def test_moodle_xml_idnumbers_are_stable(quiz: Quiz, tmp_path: Path) -> None:
    first = export(quiz, "moodle_xml", tmp_path / "a.xml").path.read_bytes()
    second = export(make_quiz(), "moodle_xml", tmp_path / "b.xml").path.read_bytes()
    assert first == second
    ids = [q.idnumber for q in _questions(parse_moodle_xml(first))]
    assert ids == [item.id for item in quiz.items] and len(set(ids)) == len(ids)


XML_REJECTED = [
    ("no name", '<question type="truefalse"><questiontext><text>Q</text></questiontext>{tf}</question>', "name"),
    ("unknown type", '<question type="calculated"><name><text>n</text></name></question>', "not one we write"),
    (
        "fraction not in the list",
        (
            '<question type="multichoice"><name><text>n</text></name><questiontext><text>Q</text></questiontext>'
            '<answer fraction="33"><text>a</text></answer><answer fraction="100"><text>b</text></answer></question>'
        ),
        "not in Moodle's list",
    ),
    (
        "true/false answer texts",
        (
            '<question type="truefalse"><name><text>n</text></name><questiontext><text>Q</text></questiontext>'
            '<answer fraction="100"><text>yes</text></answer><answer fraction="0"><text>no</text></answer></question>'
        ),
        "not 'true' and 'false'",
    ),
    (
        "numerical not a number",
        (
            '<question type="numerical"><name><text>n</text></name><questiontext><text>Q</text></questiontext>'
            '<answer fraction="100"><text>1.000,5</text><tolerance>0</tolerance></answer></question>'
        ),
        "not a number",
    ),
    (
        "one subquestion",
        (
            '<question type="matching"><name><text>n</text></name><questiontext><text>Q</text></questiontext>'
            "<subquestion><text>a</text><answer><text>1</text></answer></subquestion></question>"
        ),
        "matching needs at least 2",
    ),
    ("category without path", '<question type="category"><category/></question>', "category"),
]
TF_ANSWERS = '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'


@pytest.mark.parametrize(("case", "body", "message"), XML_REJECTED, ids=[case[0] for case in XML_REJECTED])
def test_the_xml_reader_rejects_what_moodle_cannot_import(case: str, body: str, message: str) -> None:
    document = f'<?xml version="1.0" encoding="UTF-8"?><quiz>{body.replace("{tf}", TF_ANSWERS)}</quiz>'
    with pytest.raises(MoodleXmlError, match=message):
        parse_moodle_xml(document.encode())


def test_the_xml_reader_rejects_a_broken_document() -> None:
    with pytest.raises(MoodleXmlError, match="well-formed"):
        parse_moodle_xml(b"<quiz><question></quiz>")
    with pytest.raises(MoodleXmlError, match="root element"):
        parse_moodle_xml(b"<questions/>")


# Kahoot ---------------------------------------------------------------------------------------


def test_kahoot_round_trip_and_limits(tmp_path: Path) -> None:
    long_stem = make_item(stem="Câu hỏi " + "x" * 113)  # 121 characters
    at_limit = make_item(stem="= " + "y" * 118)  # 120 characters, starting like a formula
    long_answer = make_item(
        stem="Giai đoạn cấp bách kết thúc khi nào?",
        options=[
            {"text": "15/6/2025"},
            {"text": "30/6/2025", "correct": True},
            {"text": "z" * 76},
            {"text": "31/12/2025"},
        ],
    )
    short = make_item("shortanswer")
    truefalse = make_item("truefalse", truth=False)
    quiz = make_quiz([make_item(), long_stem, at_limit, long_answer, short, truefalse])
    result = export(quiz, "kahoot_xlsx", tmp_path / "kahoot.xlsx")
    header, rows, types = read_kahoot(result.path)
    assert header == [
        "Question",
        "Answer 1",
        "Answer 2",
        "Answer 3",
        "Answer 4",
        "Time limit (sec)",
        "Correct answer(s)",
    ]
    assert result.written == len(rows) == 3
    assert rows[0] == [quiz.items[0].stem, "15/6/2025", "30/6/2025", "15/7/2025", "31/12/2025", 20, 2]
    assert rows[1][0] == at_limit.stem and types[1][0] == "s"  # text, not a formula
    assert rows[2] == [truefalse.stem, "Đúng", "Sai", None, None, 20, 2]
    reasons = {s.item_id: s.reason for s in result.skipped}
    assert set(reasons) == {long_stem.id, long_answer.id, short.id}
    assert "121 characters" in reasons[long_stem.id] and "76 characters" in reasons[long_answer.id]
    assert "no Kahoot" in reasons[short.id]


def test_kahoot_time_limit_must_be_one_of_kahoots(quiz: Quiz, tmp_path: Path) -> None:
    from assistant.quiz.export.kahoot import write_kahoot

    with pytest.raises(ExportError, match="time limit 25"):
        write_kahoot(quiz, tmp_path / "k.xlsx", time_limit=25)
    _, rows, _ = read_kahoot(write_kahoot(quiz, tmp_path / "k.xlsx", time_limit=240).path)
    assert {row[5] for row in rows} == {240}


# CSV and JSON ---------------------------------------------------------------------------------


def test_csv_round_trip(quiz: Quiz, tmp_path: Path) -> None:
    path = export(quiz, "csv", tmp_path / "quiz.csv").path
    assert read_csv(path) == quiz.items
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, for spreadsheet programs
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["value"], row["tolerance"]) for row in rows[3:5]] == [("1000", "0"), ("2.5", "0.5")]
    assert [row["correct"] for row in rows[:2]] == ["A", "FALSE"]


def test_csv_edited_by_hand_is_rechecked(quiz: Quiz, tmp_path: Path) -> None:
    path = export(quiz, "csv", tmp_path / "quiz.csv").path
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["stem"], rows[0]["id"] = "Giai đoạn cấp bách kết thúc khi nào?", ""
    rows[1]["correct"] = "MAYBE"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    from assistant.quiz.errors import QuizItemError

    with pytest.raises(QuizItemError) as caught:
        read_csv(path)
    assert caught.value.field == "record 2: correct"


def test_json_round_trip(quiz: Quiz, tmp_path: Path) -> None:
    path = export(quiz, "json", tmp_path / "quiz.json").path
    assert read_json(path) == quiz
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "plan02-quiz" and data["quiz"]["items"][3]["value"] == 1000.0
    assert "Ôn tập" in path.read_text(encoding="utf-8")  # not ASCII-escaped


# Anki -----------------------------------------------------------------------------------------


def test_anki_package_opens_with_stable_ids(quiz: Quiz, tmp_path: Path) -> None:
    first = read_anki(export(quiz, "anki", tmp_path / "a.apkg").path)
    second = read_anki(export(make_quiz(), "anki", tmp_path / "b.apkg").path)
    assert [n["guid"] for n in first["notes"]] == [note_guid(item) for item in quiz.items]
    assert [n["guid"] for n in second["notes"]] == [n["guid"] for n in first["notes"]]
    assert {n["mid"] for n in first["notes"]} == {MODEL_ID} == {n["mid"] for n in second["notes"]}
    assert str(MODEL_ID) in first["models"] and first["models"][str(MODEL_ID)]["name"] == "Plan 02 quiz item"
    assert {c["did"] for c in first["cards"]} == {deck_id(TITLE)} == {c["did"] for c in second["cards"]}
    assert first["decks"][str(deck_id(TITLE))]["name"] == TITLE
    assert deck_id("Another quiz") != deck_id(TITLE)
    assert len(first["notes"]) == len(quiz.items)


def test_anki_fields_hold_the_escaped_texts(quiz: Quiz, tmp_path: Path) -> None:
    from lxml import html as lxml_html

    notes = read_anki(export(quiz, "anki", tmp_path / "a.apkg").path)["notes"]
    for note, item in zip(notes, quiz.items, strict=True):
        question, answer, source, item_id = note["fields"]
        assert item_id == item.id
        assert lxml_html.fromstring(source).text_content() == citation_line(item)
        front, back = lxml_html.fragment_fromstring(question, create_parent="div"), lxml_html.fromstring(answer)
        assert front.xpath("string(div[@class='stem'])") == item.stem.replace("\n", "")
        assert back.xpath("string(div[@class='key'])") == key_display(item)
        assert {"plan02-quiz", item.type} <= set(note["tags"])
    options = lxml_html.fragment_fromstring(notes[0]["fields"][0], create_parent="div").xpath("ul/li/text()")
    assert options == [f"{letter}. {option.text}" for letter, option in zip("ABCD", quiz.items[0].options, strict=True)]
    assert "&lt;b&gt;đúng&lt;/b&gt; &amp; đủ" in notes[0]["fields"][0]  # the stem's markup is text, not HTML


# Printable sheet ------------------------------------------------------------------------------


def test_html_sheet_round_trip(quiz: Quiz, tmp_path: Path) -> None:
    sheet = read_html_sheet(export(quiz, "html", tmp_path / "quiz.html").path)
    questions, keys = sheet["questions"], sheet["keys"]
    assert [(q["id"], q["type"], q["number"]) for q in questions] == [
        (item.id, item.type, n) for n, item in enumerate(quiz.items, start=1)
    ]
    assert [q["stem"] for q in questions] == [item.stem for item in quiz.items]
    assert questions[0]["options"] == [option.text for option in quiz.items[0].options]
    matching = quiz.items[5]
    assert questions[5]["lefts"] == [pair.left for pair in matching.pairs]
    assert sorted(questions[5]["rights"]) == sorted(pair.right for pair in matching.pairs)
    assert [k["id"] for k in keys] == [item.id for item in quiz.items]
    assert keys[0]["letter"] == "A" and keys[1]["truth"] == "false"
    assert keys[2]["answers"] == quiz.items[2].answers
    assert (keys[3]["value"], keys[4]["value"], keys[4]["tolerance"]) == ("1000", "2.5", "0.5")
    assert keys[5]["pairs"] == [(pair.left, pair.right) for pair in matching.pairs]
    assert [k["citation"] for k in keys] == [citation_line(item) for item in quiz.items]
    assert keys[0]["explanation"] == [quiz.items[0].explanation]


def test_html_sheet_escapes_text_and_puts_the_key_after_the_questions(tmp_path: Path) -> None:
    hostile = make_item("truefalse", stem='<script>alert("x")</script> & <img src=x onerror=1>')
    sheet = read_html_sheet(export(make_quiz([hostile], title="<i>T</i>"), "html", tmp_path / "q.html").path)
    document = sheet["document"]
    assert not document.xpath("//script") and not document.xpath("//img") and not document.xpath("//i")
    assert sheet["questions"][0]["stem"] == hostile.stem
    text = (tmp_path / "q.html").read_text(encoding="utf-8")
    assert text.index('class="questions"') < text.index('class="answer-key"') < text.index('class="quality"')
    questions_part = text[: text.index('class="answer-key"')]
    assert "data-truth" not in questions_part and "Đúng</span>" not in questions_part


# Evaluators' question set ---------------------------------------------------------------------


def test_eval_jsonl_loads_with_the_repos_loader(quiz: Quiz, tmp_path: Path) -> None:
    result = export(quiz, "eval_jsonl", tmp_path / "quiz.jsonl")
    questions = load_questions(result.path)
    written = [item for item in quiz.items if item.type in ("multichoice", "shortanswer", "numerical")]
    assert result.written == len(questions) == len(written)
    assert {s.item_id for s in result.skipped} == {quiz.items[1].id, quiz.items[5].id}  # true/false, matching
    for question, item in zip(questions, written, strict=True):
        assert question.id == f"quiz-{item.id}" and item.id in question.notes
        assert question.question == item.stem and question.language == item.language
        assert question.should_refuse is False
        assert question.expected_sources == [CITATION["source"]]
        assert question.expected_location is not None and question.expected_location.page == 3
    multichoice, short, thousand, decimal = questions
    assert multichoice.facts_match("Giai đoạn này kết thúc ngày 30/6/2025.")
    assert not multichoice.facts_match("ngày 130/6/20250")
    assert all(short.facts_match(f"Mã là {variant}.") for variant in quiz.items[2].answers)
    for text in ("1000 phường", "1.000 phường", "1,000 wards", "1 000"):
        assert thousand.facts_match(text), text
    for text in ("1001", "21.000", "100", "1.000,5"):
        assert not thousand.facts_match(text), text
    assert decimal.facts_match("2,5 %") and decimal.facts_match("2.5%") and not decimal.facts_match("25")
    assert "numeric" in decimal.tags


# One entry point ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_writes_every_format(fmt: str, quiz: Quiz, tmp_path: Path) -> None:
    path = tmp_path / "out" / f"quiz{EXTENSIONS[fmt]}"
    result = export(quiz, fmt, path)
    assert result.format == fmt and result.path == path and path.stat().st_size > 0
    assert result.written + len(result.skipped) == len(quiz.items)


def test_export_refuses_an_unknown_format(quiz: Quiz, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="gift, moodle_xml"):
        export(quiz, "pdf", tmp_path / "q.pdf")


def test_an_empty_quiz_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no items"):
        export(make_quiz([]), "moodle_xml", tmp_path / "q.xml")


def test_a_title_moodle_cannot_hold_as_a_category_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="quiz title"):
        export(make_quiz([make_item()], title="A\\B"), "gift", tmp_path / "q.txt")


def test_general_feedback_holds_the_explanation_and_the_citation() -> None:
    item = make_item()
    assert explanation_with_citation(item) == (
        "Theo mục 1.2.\nNguồn: Sổ tay hướng dẫn thực hiện Kế hoạch 02 "
        "(vi-docs/so-tay-huong-dan.pdf, tr. 3, mục 1.2 Mốc thời gian): "
        "“Giai đoạn cấp bách kéo dài đến ngày 30/6/2025.”"
    )
