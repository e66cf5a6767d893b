"""The Quiz tab's pure parts: items drawn escaped with the key marked, the quality report, the review form
and what it changes, the marks of forced items, the build's progress, and the downloads with their report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from quiz_parsers import make_item
from test_quiz_generate import build, corpus

from assistant.quiz.errors import QuizItemError, QuizRequestError
from assistant.quiz.export import FORMATS
from assistant.quiz.export.common import ExportResult, SkippedItem
from assistant.quiz.export.gift_parse import read_gift
from assistant.quiz.export.moodle_xml import read_moodle_xml
from assistant.quiz.flaws import Flaw
from assistant.quiz.items import DroppedItem, DropReason, QualityReport, Quiz, QuizItem
from assistant.quiz.request import QuizRequest
from assistant.quiz.session import EditResult, QuizSession
from assistant.web.quiz_edit import FormError, after_edit, changes_from_form, edit_form
from assistant.web.quiz_view import (
    check_html,
    flaw_counts,
    item_choices,
    item_html,
    items_html,
    progress_text,
    quality_markdown,
    quality_report,
    report_html,
    reporting,
    request_from_form,
    skipped_notes,
)  # fmt: skip

REPO = Path(__file__).resolve().parents[1]

XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
KINDS = ("multichoice", "truefalse", "shortanswer", "numerical", "matching")


def hostile_item() -> QuizItem:
    """A multiple-choice item with markup in every text a document or a trainer can put there."""
    options = [{"text": "15/6/2025 <b>x</b>"}, {"text": f"30/6/2025 {XSS}", "correct": True}, {"text": "15/7/2025"},
               {"text": "31/12/2025"}]  # fmt: skip
    citation = {"source": "so-tay<script>.md", "title": f"Sổ tay {XSS}", "quote": f"đến ngày 30/6/2025 {XSS}",
                "doc_hash": "sha256:0", "url": "javascript:window.__pwned=3",
                "position": {"page": 3, "section": "1.2 Mốc thời gian"}}  # fmt: skip
    return make_item("multichoice", stem=f"Giai đoạn cấp bách {XSS} kéo dài đến ngày nào?", options=options,
                     explanation=f"Theo mục 1.2 {XSS}", citation=citation)  # fmt: skip


def quiz_of(items: list[QuizItem], dropped: list[DroppedItem] | None = None) -> Quiz:
    return Quiz(title="Câu hỏi ôn tập", language="vi", seed=0, items=items,
                report=QualityReport(kept=len(items), dropped=dropped or []))  # fmt: skip


def no_markup_from_text(html: str) -> None:
    assert "<script" not in html and "onerror=" not in html.replace("onerror=&quot;", "")
    assert "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html


# -- items ----------------------------------------------------------------------------------------


def test_an_item_is_drawn_escaped_with_its_citation() -> None:
    html = item_html("vi", hostile_item(), 1)
    no_markup_from_text(html)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "Câu 1" in html and "Trắc nghiệm 4 lựa chọn" in html
    assert 'class="p2-quote"' in html and "đến ngày 30/6/2025" in html
    assert "tr. 3" in html and "mục 1.2 Mốc thời gian" in html  # the position, in the interface language
    assert "Mở bản gốc" not in html  # a javascript: URL is no link
    assert "p. 3, section 1.2" in item_html("en", hostile_item(), 1)


def test_the_key_is_marked_and_only_the_key() -> None:
    html = item_html("vi", make_item("multichoice"), 2)
    options = html.split('<li class="p2-quiz-option')[1:]
    assert len(options) == 4
    marked = [o for o in options if o.startswith(' p2-quiz-key"')]
    assert len(marked) == 1 and "B. ✓ 30/6/2025" in marked[0] and "đáp án" in marked[0]
    assert all("✓" not in o for o in options if o not in marked)


@pytest.mark.parametrize(
    ("kind", "shown"),
    [
        ("truefalse", "Đáp án: <b class=\"p2-quiz-key\">✓ Đúng</b>"),
        ("shortanswer", '<b class="p2-quiz-key">02-KH/BCĐTW</b> / <b class="p2-quiz-key">02-KH/BCDTW</b>'),
        ("numerical", '<b class="p2-quiz-key">✓ 16</b>'),
        ("matching", '<td class="p2-quiz-key">31/12/2025</td>'),
    ],
)  # fmt: skip
def test_each_type_shows_its_key(kind: str, shown: str) -> None:
    assert shown in item_html("vi", make_item(kind), 1)


def test_a_numerical_key_shows_its_tolerance_with_a_decimal_point() -> None:
    html = item_html("en", make_item("numerical", value=2.5, tolerance=0.25), 1)
    assert "✓ 2.5" in html and "tolerance ± 0.25" in html


def test_a_forced_item_is_marked_in_the_list_and_the_choices() -> None:
    item = make_item("truefalse")
    problems = [DropReason(code="key.not_in_quote", message="the value <x> is not in the quote")]
    quiz = quiz_of([make_item("multichoice"), item])
    html = items_html("vi", quiz, {item.id: problems}, picked=item.id)
    forced = html.split('<li class="p2-quiz-item')[2]
    assert forced.startswith(' p2-quiz-picked p2-quiz-forced"')
    assert "key.not_in_quote" in forced and "&lt;x&gt;" in forced and "Giữ theo yêu cầu" in forced
    assert "p2-quiz-forced" not in html.split('<li class="p2-quiz-item')[1]
    choices = item_choices("vi", quiz, {item.id: problems})
    assert [value for _, value in choices] == [quiz.items[0].id, item.id]
    assert choices[1][0].startswith("2. ⚠ [Đúng / Sai] Giai đoạn")
    assert "chưa có bộ câu hỏi" in items_html("vi", None).casefold()


# -- the quality report ---------------------------------------------------------------------------


def test_the_report_counts_kept_dropped_reasons_and_flaws() -> None:
    dropped = [
        DroppedItem(stem=f"Câu {XSS}", reasons=[DropReason(code="flaw.longest_key", message="the key is longest")]),
        DroppedItem(stem="Câu hai", reasons=[DropReason(code="retrieval.not_found", message="not in the top 5"),
                                             DropReason(code="flaw.longest_key", message="the key is longest")]),
        DroppedItem(stem="Câu ba", reasons=[DropReason(code="retrieval.not_found", message="not in the top 5")]),
    ]  # fmt: skip
    item = make_item("multichoice")
    forced = {item.id: [DropReason(code="flaw.all_of_the_above", message="no 'all of the above'")]}
    quiz = quiz_of([item], dropped)
    assert flaw_counts(quiz, forced) == {"flaw.longest_key": 2, "flaw.all_of_the_above": 1}
    flaw = Flaw(code="key_often_longest", message="the key is the longest option in 3 of 4 items")
    html = report_html("vi", quiz, [flaw], forced, seconds=3.21)
    no_markup_from_text(html)
    assert "Giữ lại: 1" in html and "Bị loại: 3" in html and "3.2 giây" in html
    # Each reason in the interface language, its code and the check's own message on hover.
    not_found = '<span class="p2-quiz-why" title="retrieval.not_found">Công cụ tìm kiếm của trợ lý không tìm thấy'
    assert f"<td>{not_found} đoạn nguồn của câu hỏi</span></td><td>2</td>" in html
    assert '<span class="p2-quiz-why" title="flaw.longest_key">Đáp án dài hơn hẳn các phương án nhiễu</span></td><td>2' in html
    assert 'title="retrieval.not_found: not in the top 5">Công cụ tìm kiếm' in html
    assert "<td>flaw.all_of_the_above</td><td>1</td>" in html.replace('<span class="p2-quiz-why" title="flaw.all_of_'
                                                                      'the_above">flaw.all_of_the_above</span>', "flaw.all_of_the_above")  # fmt: skip
    assert 'title="flaw.key_often_longest: the key is the longest option in 3 of 4 items">Đáp án thường là' in html
    assert "Các câu bị loại (3)" in html
    assert f"<td>{item.id}</td>" in html  # the forced item is listed
    assert "Không có lỗi soạn câu nào" in report_html("vi", quiz_of([item]))


def test_the_report_files_add_the_forced_items_and_each_format() -> None:
    item = make_item("shortanswer")
    quiz = quiz_of([item])
    forced = {item.id: [DropReason(code="retrieval.not_found", message="not in the top 5")]}
    exports = {
        "gift": ExportResult(format="gift", path=Path("/srv/tmp/x/plan02-quiz.gift.txt"), written=1),
        "kahoot_xlsx": ExportResult(format="kahoot_xlsx", path=Path("/srv/tmp/x/plan02-quiz.xlsx"), written=0,
                                    skipped=[SkippedItem(item_id=item.id, reason="no Kahoot form")]),
    }  # fmt: skip
    data = quality_report(quiz, QuizRequest(items=1), [], 1.5, exports, forced)
    assert data["kept"] == 1 and data["forced"][0]["item_id"] == item.id
    assert data["exports"]["gift"]["path"] == "plan02-quiz.gift.txt"  # no server folder in the report
    markdown = quality_markdown(data)
    assert "kept: **1**" in markdown and "## Kept by the trainer" in markdown and "`retrieval.not_found`" in markdown
    assert "| gift | `plan02-quiz.gift.txt` | 1 | 0 |" in markdown and f"left out {item.id}: no Kahoot form" in markdown
    assert skipped_notes("en", exports, {"kahoot_xlsx": "Kahoot"}) == [
        "Kahoot: left out 1 item(s) the format cannot hold (no Kahoot form)."
    ]


# -- the form and the review ----------------------------------------------------------------------


def test_the_request_from_the_form() -> None:
    request = request_from_form(["a.md"], "", "  ", 5.0, ["truefalse"], "en", "hard", 3.0)
    assert (request.documents, request.doc_type, request.topic, request.items) == (["a.md"], None, None, 5)
    assert (request.types, request.language, request.difficulty, request.seed) == (["truefalse"], "en", "hard", 3)
    with pytest.raises(QuizRequestError, match="at least one item type"):
        request_from_form([], "", "", 5, [], "vi", "medium", 0)
    with pytest.raises(QuizRequestError) as caught:
        request_from_form([], "", "", 0, ["truefalse"], "vi", "medium", 0)
    assert caught.value.field == "items"
    with pytest.raises(ValueError):
        request_from_form([], "", "", 2.5, ["truefalse"], "vi", "medium", 0)
    with pytest.raises(ValueError):
        request_from_form([], "", "", None, ["truefalse"], "vi", "medium", 0)
    assert not request.llm and request_from_form([], "", "", 5, ["truefalse"], "vi", "medium", 0, llm=True).llm


def test_a_reworded_stem_and_a_turned_down_rewording_are_shown() -> None:
    from assistant.quiz.items import Attempt

    refused = Attempt(stem="Ngày 30/6?", reasons=[DropReason(code="llm.key_in_stem", message="states the answer")])
    template = make_item("multichoice", attempts=[refused])
    reworded = make_item("multichoice", stem="Giai đoạn cấp bách kết thúc vào ngày nào?", written_by="llm",
                         attempts=[Attempt(stem="Giai đoạn cấp bách kết thúc vào ngày nào?", kept=True)])  # fmt: skip
    assert "Bản viết lại của mô hình ngôn ngữ bị loại (Câu hỏi của mô hình để lộ đáp án)" in item_html("vi", template, 1)
    assert "reworded by the language model" in item_html("en", reworded, 2)
    assert "written" not in item_html("en", make_item("multichoice"), 3)  # a template item never offered to a model
    quiz = quiz_of([template, reworded]).model_copy(
        update={"report": QualityReport(kept=2, notes=["The language model could not be reached (x)."])}
    )
    html = report_html("en", quiz)
    assert "Reworded by the model: 1 of 2" in html and "could not be reached" in html
    assert 'title="llm.key_in_stem">The model&#x27;s question gives the answer away</span>' in html


def _form_values(form) -> tuple:
    return form.stem, form.options, form.key, form.lines, form.value, form.tolerance, form.explanation


@pytest.mark.parametrize("kind", KINDS)
def test_the_form_gives_back_the_item_it_shows(kind: str) -> None:
    item = make_item(kind)
    form = edit_form("vi", item)
    assert form.kind == kind and form.stem == item.stem
    assert item.revised(**changes_from_form(item, *_form_values(form))) == item


def test_the_form_changes_what_the_trainer_typed() -> None:
    item = make_item("multichoice", options=[{"text": "15/6/2025", "feedback": "quá sớm"},
                                             {"text": "30/6/2025", "correct": True}, {"text": "15/7/2025"},
                                             {"text": "31/12/2025", "feedback": "quá muộn"}])  # fmt: skip
    options = ["15/6/2025", "30/6/2025", "15/7/2025", "1/1/2026"]
    changes = changes_from_form(item, "Câu mới?", options, "C", "", "", "", "Giải thích mới")
    revised = item.revised(**changes)
    assert revised.stem == "Câu mới?" and revised.correct_option.text == "15/7/2025"
    assert revised.options[0].feedback == "quá sớm" and revised.options[3].feedback == ""  # changed text: no feedback
    number = make_item("numerical")
    assert changes_from_form(number, number.stem, [], None, "", "2,5", "", "")["value"] == 2.5  # Vietnamese comma
    assert changes_from_form(number, number.stem, [], None, "", "1.000", "0", "")["value"] == 1000.0
    with pytest.raises(QuizItemError) as caught:
        changes_from_form(number, number.stem, [], None, "", "mười", "0", "")
    assert caught.value.field == "value"
    pairs = make_item("matching")
    with pytest.raises(FormError) as missing:
        changes_from_form(pairs, pairs.stem, [], None, "a → 1\nb 2\nc -> 3", "", "", "")
    assert missing.value.key == "quiz.check.no_arrow" and missing.value.values == {"line": 2}
    arrows = changes_from_form(pairs, pairs.stem, [], None, "a → 1\n\nb -> 2\nc => 3", "", "", "")["pairs"]
    assert arrows == [{"left": "a", "right": "1"}, {"left": "b", "right": "2"}, {"left": "c", "right": "3"}]


def test_forced_marks_follow_the_edits() -> None:
    old, new = make_item("truefalse"), make_item("truefalse", stem="Giai đoạn cấp bách kết thúc ngày 30/6/2025.")
    problem = [DropReason(code="key.not_in_quote", message="…")]
    refused = EditResult(item=new, applied=False, problems=problem)
    assert after_edit({}, old.id, refused) == {}
    forced = after_edit({}, old.id, EditResult(item=new, applied=True, problems=problem))
    assert forced == {new.id: problem}
    assert after_edit(forced, new.id, EditResult(item=old, applied=True, problems=[])) == {}
    assert "✓ Đã lưu" in check_html("vi", EditResult(item=new, applied=True))
    assert "✗ Chưa lưu" in check_html("vi", refused) and "key.not_in_quote" in check_html("vi", refused)
    assert "⚠ Đã lưu theo yêu cầu" in check_html("vi", EditResult(item=new, applied=True, problems=problem))


def test_progress_is_told_on_each_search_of_the_build() -> None:
    seen: list[tuple[float, str]] = []
    state = iter([(0, 1), (2, 3), (5, 9)])
    search = reporting(
        lambda q, k, f: [q, k], lambda: next(state), 4, "en", lambda done, line: seen.append((done, line))
    )
    assert search("q", 5, None) == ["q", 5]
    search("q", 5, None)
    search("q", 5, None)
    assert seen == [(0.0, "Kept 0/4 items (1 checked)"), (0.5, "Kept 2/4 items (3 checked)"),
                    (1.0, "Kept 5/4 items (9 checked)")]  # fmt: skip
    assert progress_text("vi", 1, 4, 2) == (0.25, "Đã giữ 1/4 câu (2 câu đã kiểm tra)")


# -- a built quiz, reviewed and written (no browser) ----------------------------------------------


def test_a_reviewed_quiz_is_written_in_every_format_with_its_report(tmp_path: Path) -> None:
    from assistant.web.quiz_review import Review, write_downloads

    request = QuizRequest(items=4, types=["multichoice", "truefalse"], documents=["list-vi.xlsx"], seed=3)
    builder = build(corpus("vi"), **request.model_dump(exclude={"title"}))
    review = Review(QuizSession(builder), request, folder=tmp_path / "quiz")
    first = review.session.quiz.items[0]
    form = edit_form("vi", first)
    wrong = "false" if form.key == "true" else "true" if first.type == "truefalse" else None
    key = wrong or next(letter for letter in "ABCD" if letter != form.key)
    values = list(_form_values(form))
    values[2] = key
    refused = review.session.edit(first.id, **changes_from_form(first, *values))
    assert not refused.applied and refused.problems and review.session.quiz.items[0].id == first.id
    kept = review.session.edit(first.id, force=True, **changes_from_form(first, *values))
    review.forced = after_edit(review.forced, first.id, kept)
    assert kept.applied and list(review.forced) == [kept.item.id]

    files = write_downloads(review)
    assert set(files.files) == set(FORMATS) and all(Path(path).is_file() for path in files.files.values())
    gift = [q for q in read_gift(Path(files.files["gift"])) if q.qtype != "category"]
    xml = [q for q in read_moodle_xml(Path(files.files["moodle_xml"])) if q.qtype != "category"]
    assert [q.idnumber for q in gift] == [q.idnumber for q in xml] == [i.id for i in review.session.quiz.items]
    report = json.loads(Path(files.report[1]).read_text(encoding="utf-8"))
    assert report["forced"][0]["item_id"] == kept.item.id and set(report["exports"]) == set(FORMATS)
    assert "## Kept by the trainer" in Path(files.report[0]).read_text(encoding="utf-8")
    has_truefalse = any(item.type == "truefalse" for item in review.session.quiz.items)
    assert ("question set (JSONL): left out" in files.notes("en")) is has_truefalse
    again = write_downloads(review)  # a new version; the previous folder is removed
    assert not Path(files.files["gift"]).exists() and Path(again.files["gift"]).is_file()


def _drop_codes() -> set[str]:
    """Every code a quiz check, writer, rewording check or review step gives (read from the sources), and the
    item-writing flaws' codes as the checks prefix them."""
    from typing import get_args

    from assistant.quiz.flaws import FlawCode

    call = re.compile(r'\b(?:_reason|drop_reason|_refuse|drop|DropReason)\(\s*(?:item_id,\s*|code=)?"([a-z_]+(?:\.[a-z_]+)*)"')
    codes = {code for path in (REPO / "assistant").rglob("*.py") for code in call.findall(path.read_text())}
    return codes | {f"flaw.{code}" for code in get_args(FlawCode)}


def test_every_drop_reason_has_a_line_in_both_languages_and_every_line_is_used() -> None:
    from assistant.web.texts_en import EN
    from assistant.web.texts_vi import VI

    codes = _drop_codes()
    assert {"key.not_in_quote", "retrieval.not_found", "review.discarded", "flaw.longest_key"} <= codes
    for texts in (VI, EN):
        lines = {key.removeprefix("quiz.why.") for key in texts if key.startswith("quiz.why.")}
        assert lines == codes, (sorted(codes - lines), sorted(lines - codes))
    assert all(VI[f"quiz.why.{code}"] != EN[f"quiz.why.{code}"] for code in codes)


def test_a_kept_item_failing_checks_and_a_refused_edit_read_in_vietnamese() -> None:
    item = make_item("multichoice")
    problem = DropReason(code="key.not_in_quote", message="the key is not stated by the cited quote: 'Sở Du lịch'")
    html = item_html("vi", item, 1, [problem])
    assert "Giữ theo yêu cầu của người soạn dù không đạt kiểm tra: Đáp án không có trong đoạn trích dẫn" in html
    shown = re.sub(r'title="[^"]*"', "", html)  # the English message only on hover
    assert "not stated" not in shown and "key.not_in_quote" not in shown
    assert 'title="key.not_in_quote: the key is not stated by the cited quote: &#x27;Sở Du lịch&#x27;"' in html
    refused = check_html("vi", EditResult(item=item, applied=False, problems=[problem]))
    assert "Đáp án không có trong đoạn trích dẫn" in refused and "not stated" not in re.sub(r'title="[^"]*"', "", refused)


def test_the_no_model_note_reads_in_the_interface_language() -> None:
    from assistant.quiz.generate import NO_MODEL_NOTE

    quiz = quiz_of([make_item("multichoice")]).model_copy(
        update={"report": QualityReport(kept=1, notes=[f"{NO_MODEL_NOTE} (backend 'none')", "Another note."])}
    )
    html = report_html("vi", quiz)
    assert "Chưa cấu hình mô hình ngôn ngữ: các câu hỏi giữ cách viết theo mẫu. (backend &#x27;none&#x27;)" in html
    assert NO_MODEL_NOTE not in html and "Another note." in html  # a note the view does not know: as written
    assert "No language model is configured: the items keep the templates&#x27; wording." in report_html("en", quiz)
