"""By when: a target's date and a duty's related deadline, from its sentence, its list's lead-in or its row.

Invented texts in the guidebook's style (a tourism department, 2027 dates), none of the fixtures' wording.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.evaluation.glance import GoldStatement, score_dates
from assistant.facts.extract import extract_facts
from assistant.facts.model import Evidence, Fact, is_year, last_day
from assistant.facts.rows import row_facts
from assistant.facts.verify import verify
from assistant.settings import FactSettings
from assistant.types import Chunk, ChunkMeta

SETTINGS = FactSettings()


def chunk(text: str, language: str = "vi", source: str = "doc.docx", **meta: object) -> Chunk:
    return Chunk(id=f"{source}-{meta.get('row', 0)}-{meta.get('chunk_index', 0)}", text=text,
                 meta=ChunkMeta(source=source, title=source, language=language, **meta))  # fmt: skip


def of_kind(chunks: list[Chunk], kind: str) -> list[Fact]:
    return [f for f in extract_facts(chunks, SETTINGS) if f.kind == kind]


@pytest.mark.parametrize(
    ("language", "text", "dated"),
    [
        ("vi", "Đến ngày 31/12/2027, tỷ lệ hồ sơ du lịch trực tuyến đạt tối thiểu 80%.", [(80, "2027-12-31")]),
        ("vi", "Phấn đấu trong quý III/2027 đạt 90% điểm du lịch có wifi miễn phí.", [(90, "2027-Q3")]),
        ("vi", "Tỷ lệ thanh toán trực tuyến đạt 45% trong năm 2027 và 70% trong năm 2028.",
         [(45, "2027"), (70, "2028")]),
        # A total between two yearly shares is the nearest figure of neither year: no date, rather than a wrong one.
        ("vi", "Tổng kinh phí 920 triệu đồng, trong đó năm 2027 là 280 triệu đồng, năm 2028 là 640 triệu đồng.",
         [(920, None), (280, "2027"), (640, "2028")]),
        ("en", "By 30 June 2027, at least 95% of tourist sites must accept online payment.", [(95, "2027-06-30")]),
        # A start is not what a figure is due by, nor is a year after a start cue.
        ("vi", "Từ ngày 01/7/2027, 100% hồ sơ được tiếp nhận trực tuyến.", [(100, None)]),
        ("vi", "Từ năm 2027, mỗi năm Sở Du lịch kiểm tra đột xuất tối thiểu 10 khu du lịch.", [(10, None)]),
        # A date says when within the year the sentence also names.
        ("vi", ("Năm 2027 tổ chức ít nhất 05 lớp với tối thiểu 420 lượt hướng dẫn viên, từ ngày 08/9/2027 đến hết "
               "ngày 28/11/2027."), [(5, "2027-11-28"), (420, "2027-11-28")]),
    ],
)
def test_a_target_is_due_by_the_time_its_sentence_names_next_to_it(language, text, dated):
    targets = of_kind([chunk(text, language)], "target")
    assert [(f.value, f.date) for f in targets] == [(float(v), d) for v, d in dated]
    assert all(f.date_role == ("by" if f.date else None) for f in targets)
    assert all(f.verified for f in targets)


LIST = """Sở Du lịch ban hành chỉ tiêu như sau:
1. Đến ngày 30/6/2027:
a) 100% khu du lịch được số hóa bản đồ;
b) Tỷ lệ hồ sơ lữ hành giải quyết đúng hạn đạt tối thiểu 95%;
2. Tỷ lệ khách đánh giá hài lòng đạt 85% trong năm 2028."""


def test_the_items_under_a_dated_lead_in_are_due_by_its_date_and_quote_it():
    targets = of_kind([chunk(LIST)], "target")
    by_value = {f.value: f for f in targets}
    assert by_value[100].date == by_value[95].date == "2027-06-30"
    assert by_value[100].evidence[0].lead == "1. Đến ngày 30/6/2027:"
    assert by_value[100].verified  # the date is in the lead-in the evidence quotes, not in the item
    # "2." is the lead-in's sibling, not its item: its own year, not the lead-in's date.
    assert (by_value[85].date, by_value[85].evidence[0].lead) == ("2028", None)


def test_a_numbered_title_that_states_a_date_dates_the_items_under_it():
    text = "2.2. Chỉ tiêu đến ngày 31/12/2027\na) 100% điểm du lịch có mã QR thuyết minh;\nb) Tối thiểu 70% khách mua vé điện tử."
    assert [(f.value, f.date) for f in of_kind([chunk(text)], "target")] == [(100.0, "2027-12-31"), (70.0, "2027-12-31")]


def test_a_heading_that_leads_in_its_items_dates_them_and_is_a_deadline():
    """A numbered title ending in a colon is a heading (in the section path) and body text at once."""
    section = "II. CHỈ TIÊU > 1. Đến ngày 31/12/2027:"
    text = "1. Đến ngày 31/12/2027:\n\na) 100% văn bản đi của Sở Du lịch được ký số;\n\nb) Tỷ lệ hồ sơ trực tuyến đạt 60%."
    chunks = [chunk(text, section=section)]
    assert [(f.date, f.text) for f in of_kind(chunks, "deadline")] == [("2027-12-31", "1. Đến ngày 31/12/2027:")]
    assert [(f.value, f.date) for f in of_kind(chunks, "target")] == [(100.0, "2027-12-31"), (60.0, "2027-12-31")]


def test_a_duty_is_due_by_the_one_date_of_its_sentence_clause_or_lead_in():
    one = of_kind([chunk("Sở Du lịch hoàn thành bản đồ số các khu du lịch trước ngày 15/3/2027.")], "responsibility")
    assert [(f.actor, f.date, f.date_role) for f in one] == [("Sở Du lịch", "2027-03-15", "by")]
    clauses = of_kind([chunk("Sở Du lịch chịu trách nhiệm chung về Kế hoạch; tổng hợp báo cáo trước ngày 20/8/2027.")],
                      "responsibility")  # fmt: skip
    assert [f.date for f in clauses] == [None, "2027-08-20"]  # each clause its own date, none borrowed
    lead = "Sở Du lịch có trách nhiệm:\n- Hoàn thành báo cáo trước ngày 15/3/2027;\n- Hướng dẫn du khách."
    items = [f for f in of_kind([chunk(lead)], "responsibility") if f.text.startswith("-")]
    assert [(f.actor, f.date) for f in items] == [("Sở Du lịch", "2027-03-15"), ("Sở Du lịch", None)]
    dated = "1. Đến ngày 30/9/2027:\na) Sở Du lịch công bố bản đồ số;"
    duty = of_kind([chunk(dated)], "responsibility")
    assert [(f.actor, f.date, f.evidence[0].lead, f.verified) for f in duty] == [
        ("Sở Du lịch", "2027-09-30", "1. Đến ngày 30/9/2027:", True)]
    two_dates = "Sở Du lịch báo cáo sơ kết trước ngày 15/6/2027 và tổng kết trước ngày 15/12/2027."
    assert [f.date for f in of_kind([chunk(two_dates)], "responsibility")] == [None]  # which one? none


def test_a_clause_that_only_says_when_dates_the_duty_before_it():
    text = "Sở Du lịch chủ trì, phối hợp với Sở Tài chính số hóa hồ sơ lữ hành; hoàn thành trong quý III/2027."
    duties = of_kind([chunk(text)], "responsibility")
    # One duty, not two: its quote runs from its clause to the end of the one that dates it.
    assert [(f.actor, f.date, f.evidence[0].quote, f.verified) for f in duties] == [("Sở Du lịch", "2027-Q3", text, True)]
    # A clause with a duty of its own keeps its own date; the first keeps none.
    two = "Sở Du lịch chủ trì khảo sát các khu du lịch; báo cáo kết quả trước ngày 15/12/2027."
    assert [f.date for f in of_kind([chunk(two)], "responsibility")] == [None, "2027-12-15"]


def test_a_deadline_in_an_item_is_the_lead_in_actors_when_it_names_none():
    text = "Phòng Du lịch – Thể thao có trách nhiệm:\n- Hoàn thành báo cáo trước ngày 15/3/2027;"
    deadlines = of_kind([chunk(text)], "deadline")
    assert [(f.actor, f.date) for f in deadlines] == [("Phòng Du lịch – Thể thao", "2027-03-15")]
    # The lead-in that names the actor is quoted with the item, so the actor is checked against it.
    [deadline] = deadlines
    assert deadline.evidence[0].lead == "Phòng Du lịch – Thể thao có trách nhiệm:" and deadline.verified


def test_an_item_whose_clauses_name_dates_of_their_own_is_one_duty_per_clause():
    text = ("Tổ Kiểm tra có nhiệm vụ:\n- Khảo sát ít nhất 08 khu du lịch trước ngày 10/5/2027; lập báo cáo gửi Sở "
            "Du lịch trước ngày 30/5/2027.")  # fmt: skip
    duties = [f for f in of_kind([chunk(text)], "responsibility") if f.evidence[0].lead]
    assert [(f.actor, f.date, f.evidence[0].quote, f.verified) for f in duties] == [
        ("Tổ Kiểm tra", "2027-05-10", "- Khảo sát ít nhất 08 khu du lịch trước ngày 10/5/2027", True),
        ("Tổ Kiểm tra", "2027-05-30", "lập báo cáo gửi Sở Du lịch trước ngày 30/5/2027.", True),
    ]  # fmt: skip
    # One date, or none in its clauses: the item stays one duty, due by that date or by none.
    one = "Tổ Kiểm tra có nhiệm vụ:\n- Khảo sát các khu du lịch; lập báo cáo trước ngày 30/5/2027."
    duties = [f for f in of_kind([chunk(one)], "responsibility") if f.evidence[0].lead]
    assert [(f.date, f.text) for f in duties] == [("2027-05-30", one.split("\n")[1])]


def test_a_rows_target_is_due_by_its_deadline_and_a_years_column_by_its_year():
    row = "STT: 4; Nhiệm vụ: Số hóa hồ sơ lữ hành; Cơ quan chủ trì: Sở Du lịch; Chỉ tiêu: 90%; Thời hạn: 30/9/2027"
    target = next(f for f in row_facts(chunk(row, source="list.xlsx", sheet="Nhiệm vụ", row=5)) if f.kind == "target")
    assert (target.value, target.date, target.date_role) == (90.0, "2027-09-30", "by")
    years = "Chỉ tiêu: Tỷ lệ khách mua vé điện tử; Năm 2027: 60%; Năm 2028: 75%"
    assert [(f.value, f.date) for f in row_facts(chunk(years, source="so-tay.pdf", row=3))] == [
        (60.0, "2027"), (75.0, "2028")]
    assert all(verify(f).verified for f in row_facts(chunk(years, source="so-tay.pdf", row=3)))


def test_a_year_is_a_date_that_ends_on_the_last_day_of_the_year_and_is_verified_against_the_quote():
    assert is_year("2027") and not is_year("2027-09") and not is_year("--09-30")
    assert last_day("2027") == date(2027, 12, 31)
    quote = [Evidence(source="a.docx", quote="đạt 45% trong năm 2027")]
    assert verify(Fact(kind="target", value=45, date="2027", date_role="by", text="x", evidence=quote)).verified
    wrong = verify(Fact(kind="target", value=45, date="2028", date_role="by", text="x", evidence=quote))
    assert not wrong.verified and "2028" in wrong.problems[0]


def test_one_figure_due_by_two_dates_is_two_targets():
    one = Fact(kind="target", value=100, date="2027-06-30", date_role="by", text="x")
    assert one.key != one.model_copy(update={"date": "2027-12-31"}).key
    assert one.key != one.model_copy(update={"date": None}).key


def _gold(kind: str, quote: str, by: str | None = None, date: str | None = None, value: float | None = None,
          actor: str | None = None) -> GoldStatement:  # fmt: skip
    return GoldStatement(fact_id=quote, kind=kind, date=date, date_role="by" if date else None, value=value,
                         actor=actor, source="d.docx", quote=quote, by=by)  # fmt: skip


def _fact(kind: str, quote: str, when: str | None = None, value: float | None = None, actor: str | None = None) -> Fact:
    return Fact(kind=kind, date=when, date_role="by" if when else None, value=value, actor=actor, text=quote,
                evidence=[Evidence(source="d.docx", quote=quote)])  # fmt: skip


def test_dates_are_scored_on_matched_statements_right_missing_or_added():
    gold = [
        _gold("target", "đạt 60% hồ sơ trực tuyến", by="2027-12-31", value=60),
        _gold("target", "đạt 70% khách hài lòng", by="2027-12-31", value=70),
        _gold("target", "đạt 80% vé điện tử", value=80),
        _gold("responsibility", "Sở Du lịch báo cáo", date="2027-03-15", actor="Sở Du lịch"),
        _gold("target", "không ai tìm thấy 99%", by="2027-01-01", value=99),  # not matched: not scored
    ]
    extracted = [
        _fact("target", "đạt 60% hồ sơ trực tuyến", "2027-Q4", value=60),  # the quarter's last day is the gold's day
        _fact("target", "đạt 70% khách hài lòng", None, value=70),
        _fact("target", "đạt 80% vé điện tử", "2027", value=80),
        _fact("responsibility", "Sở Du lịch báo cáo", "2027-03-16", actor="Sở Du lịch"),
    ]
    scores = score_dates(extracted, gold)
    target, duty = scores["target"], scores["responsibility"]
    assert (target.dated, target.right, target.missing, target.undated, target.added) == (2, 1, 1, 1, 1)
    assert (duty.dated, duty.right, duty.missing) == (1, 0, 0)  # a wrong date is neither right nor missing
